/* bench_page_accuracy: how far the page metrics are from psgen's truth, over
 * rulings, scans and photos, fonts, and neat or child-like hands (issue 5,
 * METRICS.md §2). No timing: bench_page has the speed.
 *
 * Each page: three lines of text in one of six fonts (the two the letter
 * models come from and four handwriting fonts), on one of the four rulings,
 * as a 300 dpi scan (the resolution given) or as a phone photo of an A4
 * sheet (perspective, turn, light gradient, blur, noise; no JPEG; the scale
 * from the page size), written neatly (psgen's defaults) or like a child
 * (psgen_params_child_like, and letters varying in size by 15 % and
 * drifting off the line by 0.4 mm). Printed per ruling and input, and per
 * font: the share of pages whose ruling is found, the mean absolute error
 * of the line and letter counts, x-height (relative), baseline deviation,
 * on-line share, letter and word gaps. Slant is left out: the truth holds
 * only the shear applied, not a font's own slant (the invariance tests
 * check slant). */
#include "psgen_eval.h"
#include "penscope.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *fonts[] = {"Andika", "Comic Neue", "DkgHandwriting", "femkeklaver", "Breip", "Humor Sans"};
#define NFONT 6
static const char *ruling_names[] = {"none", "single", "primary", "seyes"};
static const char *texts[] = {
    "the quick brown fox jumps over\nthe lazy dog and my cat likes\nto sleep in the warm sun today",
    "six big whales quickly jumped\nover the cold pond in the rain\nplease bring your book to class",
};

enum { E_RULING, E_LINES, E_LETTERS, E_XH, E_BDEV, E_ONLINE, E_LGAP, E_WGAP, NE };
static const char *err_names[NE] = {"ruling ok", "lines", "letters %", "x-height %", "bdev mm",
                                    "on-line pt", "l-gap mm", "w-gap mm"};

typedef struct acc {
    double sum[NE];
    int n[NE];
} acc;

static void add(acc *a, int e, double v)
{
    if (isfinite(v)) {
        a->sum[e] += v;
        a->n[e]++;
    }
}

static void score(acc **to, int nto, const psgen_truth *t, const ps_page_t *pg, int ruling)
{
    double e[NE];
    e[E_RULING] = 100.0 * ((int)ps_page_get_ruling(pg) == ruling);
    e[E_LINES] = fabs(ps_page_metric(pg, "lines") - t->lines);
    e[E_LETTERS] = 100.0 * fabs(ps_page_metric(pg, "letters") - t->letters) / t->letters;
    e[E_XH] = 100.0 * fabs(ps_page_metric(pg, "x_height_mm") / t->x_height_mm - 1);
    e[E_BDEV] = fabs(ps_page_metric(pg, "baseline_dev_mm") - t->baseline_dev_mm);
    e[E_ONLINE] = fabs(ps_page_metric(pg, "on_line_pct") - t->on_line_pct);
    e[E_LGAP] = fabs(ps_page_metric(pg, "letter_gap_mm") - t->letter_gap_mm);
    e[E_WGAP] = fabs(ps_page_metric(pg, "word_gap_mm") - t->word_gap_mm);
    for (int k = 0; k < nto; k++)
        for (int i = 0; i < NE; i++)
            add(to[k], i, e[i]);
}

static void print_row(const char *name, const acc *a)
{
    printf("%-22s", name);
    for (int i = 0; i < NE; i++) {
        if (a->n[i])
            printf(" %10.2f", a->sum[i] / a->n[i]);
        else
            printf(" %10s", "-");
    }
    printf("\n");
}

static void print_head(const char *first)
{
    printf("%-22s", first);
    for (int i = 0; i < NE; i++)
        printf(" %10s", err_names[i]);
    printf("\n");
}

int main(int argc, char **argv)
{
    int seeds = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seeds") && i + 1 < argc) {
            seeds = atoi(argv[++i]);
        } else {
            printf("usage: bench_page_accuracy [--seeds N (pages per case, default 1)]\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    static acc by_case[4][2][2], by_font[NFONT][2], all[2];
    int pages = 0;
    for (int ruling = 0; ruling < 4; ruling++)
        for (int photo = 0; photo < 2; photo++)
            for (int child = 0; child < 2; child++)
                for (int f = 0; f < NFONT; f++)
                    for (int s = 0; s < seeds; s++) {
                        psgen_params p;
                        psgen_params_default(&p);
                        p.font = fonts[f];
                        p.text = texts[(f + s) % 2];
                        p.ruling = ruling;
                        p.dpi = 300;
                        p.page_w_mm = 210;
                        p.page_h_mm = photo ? 297 : 110;
                        p.x_height_mm = ruling == 3 ? 2.0 : 3.0;
                        p.seed = 900 + 31 * (unsigned)s + 7 * (unsigned)f;
                        if (child) {
                            psgen_params_child_like(&p);
                            p.size_sd = 0.15;
                            p.baseline_sd_mm = 0.4;
                        }
                        if (photo) {
                            p.rgb = 1;
                            psgen_params_phone_photo(&p);
                        }
                        psgen_truth t;
                        ps_page_t *pg = NULL;
                        if (psgen_render_analyse(&p, photo ? 0 : 300, PS_BENCH_MODELS, &t, &pg) != PS_OK) {
                            fprintf(stderr, "bench_page_accuracy: %s\n", ps_last_error());
                            return 1;
                        }
                        acc *to[] = {&by_case[ruling][photo][child], &by_font[f][child], &all[child]};
                        score(to, 3, &t, pg, ruling);
                        ps_page_free(pg);
                        psgen_truth_release(&t);
                        pages++;
                    }
    printf("bench_page_accuracy: %d pages (%d per case and font), mean absolute error against psgen's truth\n"
           "(ruling ok: %% of pages whose ruling is found; letters and x-height in %%, on-line in points)\n\n",
           pages, seeds);
    for (int child = 0; child < 2; child++) {
        print_head(child ? "child-like hand" : "neat hand");
        for (int ruling = 0; ruling < 4; ruling++)
            for (int photo = 0; photo < 2; photo++) {
                char name[64];
                snprintf(name, sizeof name, "  %s %s", ruling_names[ruling], photo ? "photo" : "scan");
                print_row(name, &by_case[ruling][photo][child]);
            }
        for (int f = 0; f < NFONT; f++) {
            char name[64];
            snprintf(name, sizeof name, "  %s", fonts[f]);
            print_row(name, &by_font[f][child]);
        }
        print_row("  all", &all[child]);
        printf("\n");
    }
    return 0;
}
