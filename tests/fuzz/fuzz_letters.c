/* libFuzzer target for the letter formation models (models/letters/print.json,
 * read with jansson by ps_letter_models_load): any bytes give a status,
 * never a crash; models that load are used to judge a fixed recording of
 * "ol" (a counter-clockwise circle, then a down stroke), so hostile but
 * well-formed models reach the formation matcher too. The loader reads a
 * path, so the bytes go to an anonymous memory file. */
#include "fuzz_memfile.h"
#include "penscope.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define N_O 40
#define N_L 12
#define N (N_O + 1 + N_L)

static volatile double g_sink;

static void judge(const ps_letter_models_t *m)
{
    static double x[N], y[N], t[N];
    static uint8_t down[N];
    for (int i = 0; i < N_O; i++) { /* "o": 4 mm circle starting at the top, counter-clockwise */
        double a = -M_PI / 2 - 2 * M_PI * i / (N_O - 1);
        x[i] = 2 + 2 * cos(a), y[i] = 8 + 2 * sin(a), t[i] = i * 0.01, down[i] = 1;
    }
    x[N_O] = 6, y[N_O] = 2, t[N_O] = N_O * 0.01, down[N_O] = 0; /* lift */
    for (int i = 0; i < N_L; i++) { /* "l": top line down to the baseline */
        int k = N_O + 1 + i;
        x[k] = 6, y[k] = 2 + 8.0 * i / (N_L - 1), t[k] = k * 0.01, down[k] = 1;
    }
    ps_ink ink = {0};
    ink.n = N, ink.x_mm = x, ink.y_mm = y, ink.t_s = t, ink.pen_down = down;
    ink.channels = PS_INK_HAS_TIME, ink.mm_per_unit = 1, ink.fs_hz = 100;
    ps_ink_params p;
    ps_ink_params_default(&p);
    p.text = "ol";
    p.models = m;
    ps_ink_result r;
    if (ps_ink_analyse(&ink, &p, &r) == PS_OK) {
        for (size_t i = 0; i < r.n_letters; i++)
            g_sink += r.letters[i].score + r.letters[i].shape_distance;
        g_sink += r.m.formation_score;
        ps_ink_result_release(&r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    char path[64];
    int fd = fuzz_memfile("fuzz_letters", data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    ps_letter_models_t *m = NULL;
    if (ps_letter_models_load(path, &m) == PS_OK) {
        g_sink += ps_letter_models_count(m) + ps_letter_models_has(m, 'o');
        judge(m);
        ps_letter_models_free(m);
    }
    close(fd);
    return 0;
}
