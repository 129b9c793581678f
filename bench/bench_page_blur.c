/* bench_page_blur: x-height and letter counts of pages as blur grows and the
 * resolution drops (issue 5 item 1: blurred or low-resolution phone
 * photos). No timing: bench_page has the speed.
 *
 * Each page: two lines in one of six fonts (the two the letter models come
 * from and four handwriting fonts), unruled or Seyès, taken as a flat phone
 * photo (no perspective, so the scale given is exact: a light gradient,
 * noise 4, and the blur of the row) at the resolution of the column; the
 * analyser is given that resolution. Printed per blur and resolution: the
 * mean |x-height error| in %, the pages within 10 %, and the mean |letter
 * count error| in %; then per font over all blurs and resolutions. */
#include "psgen.h"
#include "penscope.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *fonts[] = {"Andika", "Comic Neue", "DkgHandwriting", "femkeklaver", "Breip", "Humor Sans"};
#define NFONT 6
static const double blurs[] = {0, 1, 2, 3}; /* psgen blurs by a whole radius */
#define NBLUR 4
static const double dpis[] = {300, 200, 150, 120};
#define NDPI 4

typedef struct acc {
    double xh, letters;
    int n, within10;
} acc;

static void add(acc *a, double xh_err, double let_err)
{
    a->xh += xh_err;
    a->letters += let_err;
    a->within10 += xh_err <= 10;
    a->n++;
}

int main(int argc, char **argv)
{
    int ruled_only = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seyes")) {
            ruled_only = 1;
        } else {
            printf("usage: bench_page_blur [--seyes (Seyès pages only)]\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    static acc cell[NBLUR][NDPI], by_font[NFONT], all;
    int pages = 0;
    for (int b = 0; b < NBLUR; b++)
        for (int d = 0; d < NDPI; d++)
            for (int f = 0; f < NFONT; f++)
                for (int ruling = ruled_only ? 3 : 0; ruling <= 3; ruling += 3) {
                    psgen_params p;
                    psgen_params_default(&p);
                    p.font = fonts[f];
                    p.text = f % 2 ? "the quick brown fox jumps over\nthe lazy dog and my cat"
                                   : "six big whales quickly jumped\nover the cold pond in the rain";
                    p.ruling = ruling;
                    p.dpi = dpis[d];
                    p.page_w_mm = 190;
                    p.page_h_mm = 60;
                    p.x_height_mm = ruling == 3 ? 2.0 : 3.0;
                    p.seed = 500 + 13 * (unsigned)f + 3 * (unsigned)d;
                    p.rgb = 1;
                    p.photo = 1;
                    p.photo_light = 0.3;
                    p.photo_blur_px = blurs[b];
                    p.photo_noise = 4;
                    ps_image img;
                    psgen_truth t;
                    if (psgen_render(&p, &img, &t) != PS_OK) {
                        fprintf(stderr, "bench_page_blur: %s\n", ps_last_error());
                        return 1;
                    }
                    if (getenv("BLUR_DUMP")) {
                        char path[512];
                        snprintf(path, sizeof path, "%s/b%.0f_d%.0f_f%d_r%d.png", getenv("BLUR_DUMP"), blurs[b], dpis[d], f, ruling);
                        psgen_write_png(path, &img, dpis[d]);
                    }
                    ps_page_params pp;
                    ps_page_params_default(&pp);
                    pp.dpi = dpis[d];
                    pp.models_dir = PS_BENCH_MODELS;
                    ps_page_t *pg = NULL;
                    if (ps_page_analyse(&img, &pp, &pg) != PS_OK) {
                        fprintf(stderr, "bench_page_blur: %s\n", ps_last_error());
                        return 1;
                    }
                    double xh = ps_page_metric(pg, "x_height_mm");
                    double xe = isfinite(xh) ? 100.0 * fabs(xh / t.x_height_mm - 1) : 100;
                    double le = 100.0 * fabs(ps_page_metric(pg, "letters") - t.letters) / t.letters;
                    if (!isfinite(le))
                        le = 100;
                    if (getenv("BLUR_DUMP"))
                        printf("b%.0f_d%.0f_f%d_r%d xh %.2f/%.2f letters %.0f/%d\n", blurs[b], dpis[d], f, ruling, xh, t.x_height_mm,
                               ps_page_metric(pg, "letters"), t.letters);
                    add(&cell[b][d], xe, le);
                    add(&by_font[f], xe, le);
                    add(&all, xe, le);
                    ps_page_free(pg);
                    psgen_truth_release(&t);
                    ps_image_release(&img);
                    pages++;
                }
    printf("bench_page_blur: %d pages (%s), flat photos, noise 4; per cell: mean |x-height error| %%, "
           "pages within 10 %%, mean |letters error| %%\n\n",
           pages, ruled_only ? "Seyès" : "unruled and Seyès");
    printf("%-10s", "blur px");
    for (int d = 0; d < NDPI; d++)
        printf("   %5.0f dpi: xh%%  ok  let%%", dpis[d]);
    printf("\n");
    for (int b = 0; b < NBLUR; b++) {
        printf("%-10.1f", blurs[b]);
        for (int d = 0; d < NDPI; d++) {
            const acc *a = &cell[b][d];
            printf("   %10.1f %3d/%-2d %5.1f", a->xh / a->n, a->within10, a->n, a->letters / a->n);
        }
        printf("\n");
    }
    printf("\n");
    for (int f = 0; f < NFONT; f++)
        printf("%-16s xh %5.1f %%  within 10 %%: %2d/%-2d  letters %5.1f %%\n", fonts[f], by_font[f].xh / by_font[f].n,
               by_font[f].within10, by_font[f].n, by_font[f].letters / by_font[f].n);
    printf("%-16s xh %5.1f %%  within 10 %%: %2d/%-2d  letters %5.1f %%\n", "all", all.xh / all.n, all.within10, all.n,
           all.letters / all.n);
    return 0;
}
