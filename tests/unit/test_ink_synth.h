/* Synthetic pen recordings for the ink tests: letters drawn along their
 * formation models (or with an injected formation error) with a
 * minimum-jerk speed profile per stroke, in-air moves between strokes,
 * Gaussian position noise, pressure and tilt. Known answers by
 * construction. Header-only: each ink test includes it. */
#ifndef TEST_INK_SYNTH_H
#define TEST_INK_SYNTH_H
#include "core/alloc.h"
#include "ink/letters_internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct synth {
    ps_ink ink;
    size_t cap;
    double t;        /* current time, s */
    double fs;       /* Hz */
    double noise_mm; /* SD of position noise */
    unsigned seed;
} synth;

enum synth_error { SE_NONE, SE_REVERSE, SE_SWAP, SE_START, SE_SPLIT, SE_MIRROR };

static inline double synth_rand(synth *s)
{
    s->seed = s->seed * 1103515245u + 12345u;
    return ((s->seed >> 8) & 0xFFFFFF) / (double)0x1000000;
}

static inline double synth_gauss(synth *s)
{
    double u = synth_rand(s) + 1e-12, v = synth_rand(s);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static inline void synth_init(synth *s, double fs, double noise_mm, unsigned seed)
{
    memset(s, 0, sizeof *s);
    s->fs = fs;
    s->noise_mm = noise_mm;
    s->seed = seed;
    s->cap = 1 << 16;
    ps_ink *k = &s->ink;
    k->x_mm = ps_malloc(s->cap * sizeof(double));
    k->y_mm = ps_malloc(s->cap * sizeof(double));
    k->t_s = ps_malloc(s->cap * sizeof(double));
    k->pen_down = ps_malloc(s->cap);
    k->pressure = ps_malloc(s->cap * sizeof(double));
    k->azimuth_deg = ps_malloc(s->cap * sizeof(double));
    k->altitude_deg = ps_malloc(s->cap * sizeof(double));
    k->channels = PS_INK_HAS_TIME | PS_INK_HAS_PRESSURE | PS_INK_HAS_AZIMUTH | PS_INK_HAS_ALTITUDE | PS_INK_HAS_HOVER;
    k->pressure_max = 1;
    k->fs_hz = fs;
    k->mm_per_unit = 1;
}

static inline void synth_sample(synth *s, double x, double y, int pen)
{
    ps_ink *k = &s->ink;
    if (k->n == s->cap)
        return;
    size_t i = k->n++;
    k->x_mm[i] = x + s->noise_mm * synth_gauss(s);
    k->y_mm[i] = y + s->noise_mm * synth_gauss(s);
    k->t_s[i] = s->t;
    k->pen_down[i] = (uint8_t)pen;
    k->pressure[i] = pen ? 0.5 : 0;
    k->azimuth_deg[i] = 45;
    k->altitude_deg[i] = 60;
    s->t += 1.0 / s->fs;
}

/* Moves along a polyline (mm) with a minimum-jerk profile at mean speed v. */
static inline void synth_path(synth *s, const lm_pt *p, int n, double v, int pen)
{
    double total = 0;
    for (int i = 1; i < n; i++)
        total += hypot(p[i].x - p[i - 1].x, p[i].y - p[i - 1].y);
    if (n < 2 || total < 1e-9) { /* a dot: a few samples in place */
        for (int k = 0; k < 4; k++)
            synth_sample(s, p[0].x, p[0].y, pen);
        return;
    }
    double dur = total / v;
    int m = (int)ceil(dur * s->fs) + 1;
    int seg = 1;
    double done = 0, seglen = hypot(p[1].x - p[0].x, p[1].y - p[0].y);
    for (int k = 0; k < m; k++) {
        double tau = (double)k / (m - 1);
        double u = tau * tau * tau * (10 - 15 * tau + 6 * tau * tau); /* minimum jerk */
        double target = u * total;
        while (seg < n - 1 && done + seglen < target) {
            done += seglen;
            seg++;
            seglen = hypot(p[seg].x - p[seg - 1].x, p[seg].y - p[seg - 1].y);
        }
        double f = seglen > 0 ? (target - done) / seglen : 0;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        synth_sample(s, p[seg - 1].x + f * (p[seg].x - p[seg - 1].x), p[seg - 1].y + f * (p[seg].y - p[seg - 1].y), pen);
    }
}

/* Draws character ch of the models at (x0 mm, top y0 mm), box unit = size mm,
 * with one formation error injected. Returns the number of strokes drawn. */
static inline int synth_letter(synth *s, const ps_letter_models_t *m, char ch, int variant, double x0, double y0,
                        double size, enum synth_error err)
{
    const lm_variant *V = &m->letters[(unsigned char)ch].variants[variant];
    lm_pt pts[PS_INK_LETTER_MAX_STROKES + 1][LM_MAX_POINTS];
    int n[PS_INK_LETTER_MAX_STROKES + 1] = {0};
    int ns = V->n_strokes;
    for (int k = 0; k < ns; k++) {
        n[k] = V->strokes[k].n;
        for (int i = 0; i < n[k]; i++) {
            double x = V->strokes[k].pts[i].x, y = V->strokes[k].pts[i].y;
            if (err == SE_MIRROR)
                x = 0.7 - x;
            pts[k][i].x = x0 + x * size;
            pts[k][i].y = y0 + y * size;
        }
    }
    /* the first stroke that is not a dot */
    int first = 0;
    while (first < ns - 1 && n[first] < 2)
        first++;
    if (err == SE_REVERSE)
        for (int i = 0; i < n[first] / 2; i++) {
            lm_pt t = pts[first][i];
            pts[first][i] = pts[first][n[first] - 1 - i];
            pts[first][n[first] - 1 - i] = t;
        }
    if (err == SE_SWAP && ns >= 2) {
        lm_pt tmp[LM_MAX_POINTS];
        int tn = n[0];
        memcpy(tmp, pts[0], sizeof tmp);
        memcpy(pts[0], pts[1], sizeof tmp);
        memcpy(pts[1], tmp, sizeof tmp);
        n[0] = n[1];
        n[1] = tn;
    }
    if (err == SE_START) { /* a closed stroke started half way round */
        int c = n[first] - 1, h = c / 2;
        lm_pt tmp[LM_MAX_POINTS];
        for (int i = 0; i < c; i++)
            tmp[i] = pts[first][(i + h) % c];
        tmp[c] = tmp[0];
        memcpy(pts[first], tmp, sizeof tmp);
    }
    if (err == SE_SPLIT) { /* a pen lift half way along the first stroke */
        memmove(&pts[first + 2], &pts[first + 1], (size_t)(ns - first - 1) * sizeof pts[0]);
        memmove(&n[first + 2], &n[first + 1], (size_t)(ns - first - 1) * sizeof n[0]);
        int h = n[first] / 2;
        n[first + 1] = n[first] - h;
        memcpy(pts[first + 1], &pts[first][h], (size_t)n[first + 1] * sizeof(lm_pt));
        n[first] = h + 1;
        ns++;
    }
    for (int k = 0; k < ns; k++) {
        if (s->ink.n) { /* hover to the next start */
            lm_pt hop[2] = {{s->ink.x_mm[s->ink.n - 1], s->ink.y_mm[s->ink.n - 1]}, pts[k][0]};
            synth_path(s, hop, 2, 80, 0);
        }
        synth_path(s, pts[k], n[k], 40, 1);
    }
    return ns;
}

#endif
