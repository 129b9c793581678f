/* bench_seyes_photo: phone photos of Seyès worksheets (issue 5, items 1 and 2)
 * against psgen's truth.
 *
 * Seyès paper (a fine line every 2 mm, a heavier one every 8 mm, a margin
 * line) is the French school ruling; 2 mm letters on it are small, and in a
 * blurred photo the fine lines are faint. Pages are made by psgen at
 * start-up over six handwriting-style fonts, three photo strengths, A4 and
 * A5 sheets, 2 and 3 mm x-heights and a hand lying on the page, plus
 * photos of the other rulings (which must not be read as Seyès). Each JPEG
 * is decoded and analysed (one analyser, no --text); the bench prints, per
 * photo and in total: the ruling found, where the scale came from, the
 * x-height and baseline deviation against the truth, letters per writing
 * line (psgen_score_letter_counts) and the analysis time (calling thread's
 * CPU time, best of --rounds) next to the decode time of the same file in
 * the same run. */
#include "psgen.h"
#include "psgen_eval.h"
#include "page/page_internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench_time.h"

static const char *sentences[] = {
    "the quick brown fox jumps over the lazy dog", "six big whales quickly jumped over the cold pond",
    "my cat likes to sleep in the warm sun", "we went to the park and played on the swings",
    "a little bird sang a song in the tall tree", "please bring your book and pencil to class",
    "the rain fell softly on the green hills", "jack and jill went up the hill to fetch water",
};
static const char *fonts[] = {"Andika", "Comic Neue", "DkgHandwriting", "femkeklaver", "Breip", "Humor Sans"};
#define NFONT 6

/* photo strengths: perspective, rotation, light, blur, noise */
typedef struct strength {
    const char *name;
    double tilt, rot, light, blur, noise;
} strength;
static const strength strengths[] = {
    {"mild", 0.03, 1.5, 0.25, 0.7, 2},
    {"usual", 0.08, 4, 0.4, 1.0, 4}, /* psgen --photo */
    {"strong", 0.12, -6, 0.5, 1.5, 6},
};

typedef struct bcase {
    int ruling, font, str, a5, hand;
    double xh_mm;
    unsigned seed;
} bcase;

typedef struct bresult {
    int ruling_ok, ruling_found, passes, lines, lines_truth;
    char src[16];
    double xh, xh_truth, bdev, bdev_truth, dec_s, tot_s;
    psgen_count_score cs;
} bresult;

static int make_cases(bcase *c, int cap)
{
    int n = 0;
    /* Seyès photos: every font at every strength, A4, 2 mm letters */
    for (int s = 0; s < 3; s++)
        for (int f = 0; f < NFONT && n < cap; f++)
            c[n++] = (bcase){PSGEN_SEYES, f, s, 0, 0, 2.0, 500u + (unsigned)(s * NFONT + f)};
    /* A5 sheets (a notebook page: the page size would say A4) and 3 mm letters */
    for (int f = 0; f < NFONT && n < cap; f++)
        c[n++] = (bcase){PSGEN_SEYES, f, f % 3, 1, 0, f % 2 ? 3.0 : 2.0, 600u + (unsigned)f};
    /* a hand and a pencil lying on the page */
    for (int f = 0; f < 2 && n < cap; f++)
        c[n++] = (bcase){PSGEN_SEYES, f * 3, 1, 0, 1, 2.0, 700u + (unsigned)f};
    /* the other rulings must stay what they are */
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 2 && n < cap; k++)
            c[n++] = (bcase){r, (r * 2 + k) % NFONT, (r + k) % 3, k, 0, r == PSGEN_PRIMARY ? 4.0 : 3.0,
                             800u + (unsigned)(r * 2 + k)};
    return n;
}

static const char *ruling_names[] = {"none", "single", "primary", "seyes"};

int main(int argc, char **argv)
{
    int rounds = 1, only = -1;
    const char *keep = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
            keep = argv[++i];
        else if (!strcmp(argv[i], "--case") && i + 1 < argc)
            only = atoi(argv[++i]);
        else {
            printf("usage: bench_seyes_photo [--rounds N (best of N for the times; 1)] [--keep DIR (leave the "
                   "photos and truth there)] [--case K (only case K)]\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    if (rounds < 1)
        rounds = 1;
    bcase cases[64];
    int ncase = make_cases(cases, 64);
    char dir[] = "/tmp/bench_seyes_XXXXXX";
    if (!keep && !mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    const char *out_dir = keep ? keep : dir;
    ps_page_analyser_t *an = NULL;
    if (ps_page_analyser_new(1, &an) != PS_OK) {
        fprintf(stderr, "bench_seyes_photo: %s\n", ps_last_error());
        return 1;
    }
    printf("bench_seyes_photo: %d photos (JPEG q90, rendered at 300 dpi), best of %d round(s), one analyser "
           "thread; times are the calling thread's CPU time\n\n",
           only >= 0 ? 1 : ncase, rounds);
    printf("%-3s %-7s %-14s %-6s %-3s %-4s %-7s %-9s %6s %11s %13s %9s %7s %8s %9s\n", "#", "ruling", "font",
           "photo", "A5", "hand", "found", "dpi from", "passes", "x-height mm", "baseline dev", "lines",
           "exact", "letters", "ms (dec)");
    /* totals: [0] Seyès photos, [1] the other rulings */
    int n[2] = {0}, ok[2] = {0}, lexact[2] = {0}, lines[2] = {0}, lerr[2] = {0}, lfound[2] = {0}, ltruth[2] = {0};
    double xh_err[64], bdev_err[64], tot[2] = {0}, dec[2] = {0};
    int nxh = 0;
    char text[2048];
    for (int ci = 0; ci < ncase; ci++) {
        if (only >= 0 && ci != only)
            continue;
        const bcase *c = &cases[ci];
        psgen_params p;
        psgen_params_default(&p);
        p.dpi = 300;
        p.page_w_mm = c->a5 ? 148 : 210;
        p.page_h_mm = c->a5 ? 210 : 297;
        p.font = fonts[c->font];
        p.ruling = c->ruling;
        p.x_height_mm = c->xh_mm;
        p.baseline_sd_mm = 0.15;
        p.slant_deg = (ci % 3) * 4;
        p.rgb = 1;
        p.seed = c->seed;
        text[0] = 0;
        for (int k = 0; k < 8; k++) {
            strcat(text, sentences[(k + ci) % 8]);
            strcat(text, "\n");
        }
        p.text = text;
        const strength *s = &strengths[c->str];
        psgen_params_phone_photo(&p);
        p.photo_tilt = s->tilt;
        p.photo_rotate_deg = s->rot;
        p.photo_light = s->light;
        p.photo_blur_px = s->blur;
        p.photo_noise = s->noise;
        p.photo_hand = c->hand;
        ps_image img;
        psgen_truth t;
        if (psgen_render(&p, &img, &t) != PS_OK) {
            fprintf(stderr, "bench_seyes_photo: %s\n", ps_last_error());
            return 1;
        }
        char path[600];
        snprintf(path, sizeof path, "%s/seyes%02d.jpg", out_dir, ci);
        ps_status rc = psgen_write_jpeg(path, &img, 90, 0);
        ps_image_release(&img);
        if (rc == PS_OK && keep) {
            char tp[640];
            snprintf(tp, sizeof tp, "%s/seyes%02d.json", out_dir, ci);
            rc = psgen_truth_write_json(&t, tp);
        }
        if (rc != PS_OK) {
            fprintf(stderr, "bench_seyes_photo: %s\n", ps_last_error());
            return 1;
        }
        bresult res;
        memset(&res, 0, sizeof res);
        res.dec_s = res.tot_s = 1e30;
        for (int r = 0; r < rounds; r++) {
            ps_decode_params dp;
            ps_decode_params_default(&dp);
            ps_image_info info;
            double t0 = bench_thread_cpu_s();
            if (ps_image_decode_file(path, &dp, &img, &info) != PS_OK) {
                fprintf(stderr, "bench_seyes_photo: %s\n", ps_last_error());
                return 1;
            }
            double t1 = bench_thread_cpu_s();
            ps_page_params pp;
            ps_page_params_default(&pp);
            pp.file_dpi = info.dpi_x;
            ps_page_t *pg = NULL;
            if (ps_page_analyse_with(an, &img, &pp, &pg) != PS_OK) {
                fprintf(stderr, "bench_seyes_photo: %s\n", ps_last_error());
                return 1;
            }
            double t2 = bench_thread_cpu_s();
            if (t1 - t0 < res.dec_s)
                res.dec_s = t1 - t0;
            if (t2 - t1 < res.tot_s)
                res.tot_s = t2 - t1;
            if (r == 0) {
                const char *src;
                ps_page_dpi(pg, &src);
                snprintf(res.src, sizeof res.src, "%s", src);
                res.ruling_found = ps_page_get_ruling(pg);
                res.ruling_ok = res.ruling_found == c->ruling;
                res.passes = pg->passes;
                res.xh = ps_page_metric(pg, "x_height_mm");
                res.bdev = ps_page_metric(pg, "baseline_dev_mm");
                res.lines = ps_page_line_count(pg);
                psgen_score_letter_counts(&t, pg, &res.cs);
            }
            ps_page_free(pg);
            ps_image_release(&img);
        }
        int k = c->ruling != PSGEN_SEYES;
        double xe = (res.xh - t.x_height_mm) / t.x_height_mm, be = res.bdev - t.baseline_dev_mm;
        printf("%-3d %-7s %-14s %-6s %-3s %-4s %-7s %-9s %6d %5.2f/%-5.2f %6.3f/%-6.3f %4d/%-4d %3d/%-3d %+8d "
               "%5.0f (%3.0f)\n",
               ci, ruling_names[c->ruling], fonts[c->font], s->name, c->a5 ? "y" : "", c->hand ? "y" : "",
               ruling_names[res.ruling_found], res.src, res.passes, res.xh, t.x_height_mm, res.bdev,
               t.baseline_dev_mm, res.lines, t.lines, res.cs.lines_exact, res.cs.lines, res.cs.found - res.cs.letters,
               res.tot_s * 1e3, res.dec_s * 1e3);
        n[k]++;
        ok[k] += res.ruling_ok;
        lexact[k] += res.cs.lines_exact;
        lines[k] += res.cs.lines;
        lerr[k] += res.cs.abs_err;
        lfound[k] += res.lines;
        ltruth[k] += t.lines;
        tot[k] += res.tot_s;
        dec[k] += res.dec_s;
        if (!k) {
            xh_err[nxh] = isfinite(xe) ? fabs(xe) : 1e9;
            bdev_err[nxh++] = isfinite(be) ? fabs(be) : 1e9;
        }
        psgen_truth_release(&t);
        if (!keep)
            unlink(path);
    }
    ps_page_analyser_free(an);
    if (!keep)
        rmdir(dir);
    for (int k = 0; k < 2; k++) {
        if (!n[k])
            continue;
        printf("\n%s: ruling right %d of %d; writing lines %d found for %d; letters per line exact on %d of %d "
               "lines (sum |error| %d); analysis %.1f ms per photo, decode %.1f ms, total / decode %.2f\n",
               k ? "other rulings" : "Seyès photos", ok[k], n[k], lfound[k], ltruth[k], lexact[k], lines[k], lerr[k],
               tot[k] / n[k] * 1e3, dec[k] / n[k] * 1e3, (tot[k] + dec[k]) / dec[k]);
        if (!k && nxh) {
            int within5 = 0, within10 = 0;
            for (int i = 0; i < nxh; i++) {
                within5 += xh_err[i] <= 0.05;
                within10 += xh_err[i] <= 0.10;
            }
            double bmax = 0;
            for (int i = 0; i < nxh; i++)
                bmax = bdev_err[i] > bmax ? bdev_err[i] : bmax;
            double xmed = bench_median(xh_err, nxh), xmax = xh_err[nxh - 1], bmed = bench_median(bdev_err, nxh);
            printf("  x-height |error| / truth: median %.1f %%, max %.1f %%, within 5 %%: %d of %d, within 10 %%: "
                   "%d of %d; baseline dev |error|: median %.3f mm, max %.3f mm\n",
                   xmed * 100, xmax * 100, within5, nxh, within10, nxh, bmed, bmax);
        }
    }
    return 0;
}
