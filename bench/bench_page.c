/* bench_page: worksheet analysis speed and line segmentation (issue 5).
 *
 * Pages are made by psgen at start-up in a temp folder: A4 scans at 300 dpi
 * (PNG, four fonts, four rulings) and 12 MP phone photos of A4 pages (JPEG,
 * perspective, uneven light, blur, noise). For every file the same run
 * times the decode alone and decode + analysis (best of N rounds, one
 * analyser thread unless --threads), and prints pages per second and the
 * ratio total / decode (goal <= 2: the analysis costs no more than the
 * decode), from the calling thread's CPU time (which other programs on a
 * shared machine barely move) and from wall time, with the analysis split
 * into its stages (thread CPU time). With --threads N the analyser splits
 * its per-pixel passes over N threads and only wall time counts. Line segmentation is
 * scored against the generator's truth, for penscope and for Tesseract's
 * layout analysis (tesseract --psm 3, TSV line level) on the same scans
 * when the tesseract program is installed. The letter recogniser behind
 * legibility_pct has its own bench, bench_recog. */
#include "psgen.h"
#include "page/page_internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bench_time.h"

static const char *sentences[] = {
    "the quick brown fox jumps over the lazy dog", "six big whales quickly jumped over the cold pond",
    "my cat likes to sleep in the warm sun", "we went to the park and played on the swings",
    "a little bird sang a song in the tall tree", "please bring your book and pencil to class",
    "the rain fell softly on the green hills", "jack and jill went up the hill to fetch water",
};

typedef struct page_file {
    char path[512];
    int photo;
    psgen_truth truth;
    double dpi;
} page_file;

/* Line segmentation score: a truth line is found when a detected line's
 * vertical extent contains the middle of its x-height band (each detected
 * line used once). */
static void score_lines(const psgen_truth *t, const float (*box)[2], int nbox, int *found, int *extra)
{
    int used[512] = {0}, f = 0;
    for (int i = 0; i < t->lines; i++) {
        /* the middle of the line's x-height band, halfway along the line,
         * in the image's pixels (a photo's perspective applied) */
        double xm = t->line[i].x0_px + 40 * t->dpi / 25.4, x, y;
        psgen_page_to_image(t, xm, t->line[i].base_y_px - 0.5 * t->x_height_mm * t->dpi / 25.4, &x, &y);
        for (int k = 0; k < nbox && k < 512; k++)
            if (!used[k] && box[k][0] <= y && y <= box[k][1]) {
                used[k] = 1;
                f++;
                break;
            }
    }
    *found = f;
    *extra = nbox - f;
}

static int tesseract_lines(const char *png, const char *dir, float (*box)[2], int cap, double *secs)
{
    char cmd[2048], tsv[600];
    snprintf(tsv, sizeof tsv, "%s/tess", dir);
    snprintf(cmd, sizeof cmd, "tesseract '%s' '%s' -l eng --psm 3 tsv >/dev/null 2>&1", png, tsv);
    double t0 = bench_wall_s();
    if (system(cmd) != 0)
        return -1;
    *secs = bench_wall_s() - t0;
    strcat(tsv, ".tsv");
    FILE *f = fopen(tsv, "r");
    if (!f)
        return -1;
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        int level, page, block, par, ln, word, left, top, w, h;
        if (sscanf(line, "%d %d %d %d %d %d %d %d %d %d", &level, &page, &block, &par, &ln, &word, &left, &top, &w,
                   &h) == 10 &&
            level == 4 && n < cap) {
            box[n][0] = (float)top;
            box[n][1] = (float)(top + h);
            n++;
        }
    }
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    int nscan = 8, nphoto = 3, rounds = 3, use_tess = 1, threads = 1, keep_touching = 0, per_file_stages = 0;
    const char *keep = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--scans") && i + 1 < argc)
            nscan = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--photos") && i + 1 < argc)
            nphoto = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--keep") && i + 1 < argc)
            keep = argv[++i];
        else if (!strcmp(argv[i], "--no-tesseract"))
            use_tess = 0;
        else if (!strcmp(argv[i], "--no-recogniser"))
            ; /* the recogniser has its own bench now (bench_recog): nothing to skip */
        else if (!strcmp(argv[i], "--no-split"))
            keep_touching = 1;
        else if (!strcmp(argv[i], "--stages"))
            per_file_stages = 1;
        else {
            printf("usage: bench_page [--scans N] [--photos N] [--rounds N] [--no-tesseract]\n"
                   "                  [--threads N (the analyser's; default 1)] [--keep DIR (leave the generated pages there)]\n"
                   "                  [--no-split (touching letters stay whole: keep_touching)]\n"
                   "                  [--stages (each file's stage split, not only the mean)]\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    if (nscan + nphoto > 64 || rounds < 1) {
        fprintf(stderr, "bench_page: at most 64 files and at least 1 round\n");
        return 2;
    }
    char dir[] = "/tmp/bench_page_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    const char *out_dir = keep ? keep : dir;
    static const char *fonts[] = {"Andika", "Comic Neue", "femkeklaver", "Breip"};
    int nfiles = nscan + nphoto;
    page_file *pf = calloc(nfiles, sizeof *pf);
    char text[4096];
    for (int i = 0; i < nfiles; i++) {
        psgen_params p;
        psgen_params_default(&p);
        p.dpi = 300;
        p.page_w_mm = 210;
        p.page_h_mm = 297;
        p.font = fonts[i % 4];
        p.ruling = i % 4;
        p.x_height_mm = p.ruling == PSGEN_SEYES ? 2.0 : p.ruling == PSGEN_PRIMARY ? 4.0 : 3.0;
        p.baseline_sd_mm = 0.2;
        p.slant_deg = (i % 3) * 5;
        p.rgb = 1;
        p.seed = 100 + i;
        text[0] = 0;
        for (int k = 0; k < 20; k++) {
            strcat(text, sentences[(k + i) % 8]);
            strcat(text, "\n");
        }
        p.text = text;
        page_file *f = &pf[i];
        f->photo = i >= nscan;
        if (f->photo) {
            psgen_params_phone_photo(&p);
            p.photo_tilt = 0.06;
            p.photo_rotate_deg = 3;
            p.photo_light = 0.35;
            p.photo_noise = 3;
        }
        ps_image img;
        if (psgen_render(&p, &img, &f->truth) != PS_OK) {
            fprintf(stderr, "bench_page: %s\n", ps_last_error());
            return 1;
        }
        snprintf(f->path, sizeof f->path, "%s/page%02d.%s", out_dir, i, f->photo ? "jpg" : "png");
        ps_status rc = f->photo ? psgen_write_jpeg(f->path, &img, 90, 0) : psgen_write_png(f->path, &img, 300);
        f->dpi = 300;
        ps_image_release(&img);
        if (rc != PS_OK) {
            fprintf(stderr, "bench_page: %s\n", ps_last_error());
            return 1;
        }
    }
    /* timing: best of rounds per file, on the calling thread's CPU clock
     * (headline) and on the wall clock; the stage split is the one of the
     * round with the best CPU total */
    /* one analyser for every page, as a batch would use it: its buffers
     * are reused from page to page */
    ps_page_analyser_t *an = NULL;
    if (ps_page_analyser_new(threads, &an) != PS_OK) {
        fprintf(stderr, "bench_page: %s\n", ps_last_error());
        return 1;
    }
    double dec_best[64], tot_best[64], decw_best[64], totw_best[64], stage[64][PG_NSTAGE], stagew[64][PG_NSTAGE];
    int lines_found[64], lines_extra[64], mp[64], passes[64];
    for (int i = 0; i < nfiles; i++)
        dec_best[i] = tot_best[i] = decw_best[i] = totw_best[i] = 1e30;
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < nfiles; i++) {
            ps_decode_params dp;
            ps_decode_params_default(&dp);
            ps_image img;
            ps_image_info info;
            double w0 = bench_wall_s(), t0 = bench_thread_cpu_s();
            if (ps_image_decode_file(pf[i].path, &dp, &img, &info) != PS_OK) {
                fprintf(stderr, "bench_page: %s\n", ps_last_error());
                return 1;
            }
            double t1 = bench_thread_cpu_s(), w1 = bench_wall_s();
            ps_image_release(&img);
            double w2 = bench_wall_s(), t2 = bench_thread_cpu_s();
            ps_image_decode_file(pf[i].path, &dp, &img, &info);
            ps_page_params pp;
            ps_page_params_default(&pp);
            pp.file_dpi = info.dpi_x;
            pp.keep_touching = keep_touching;
            if (pf[i].photo)
                pp.dpi = 0;
            ps_page_t *pg = NULL;
            if (ps_page_analyse_with(an, &img, &pp, &pg) != PS_OK) {
                fprintf(stderr, "bench_page: %s\n", ps_last_error());
                return 1;
            }
            double t3 = bench_thread_cpu_s(), w3 = bench_wall_s();
            mp[i] = (int)lround(img.width * (double)img.height / 1e6);
            if (t1 - t0 < dec_best[i])
                dec_best[i] = t1 - t0;
            if (w1 - w0 < decw_best[i])
                decw_best[i] = w1 - w0;
            if (w3 - w2 < totw_best[i]) {
                totw_best[i] = w3 - w2;
                memcpy(stagew[i], pg->stage_wall_s, sizeof stagew[i]);
            }
            if (t3 - t2 < tot_best[i]) {
                tot_best[i] = t3 - t2;
                memcpy(stage[i], pg->stage_s, sizeof stage[i]);
                passes[i] = pg->passes;
            }
            if (r == 0) {
                float box[512][2];
                int n = ps_page_line_count(pg);
                for (int k = 0; k < n && k < 512; k++) {
                    ps_page_line_info li;
                    ps_page_get_line(pg, k, &li);
                    box[k][0] = li.y0;
                    box[k][1] = li.y1;
                }
                score_lines(&pf[i].truth, (const float(*)[2])box, n < 512 ? n : 512, &lines_found[i],
                            &lines_extra[i]);
            }
            ps_page_free(pg);
            ps_image_release(&img);
        }
    ps_page_analyser_free(an);
    printf("bench_page: %d A4 scans at 300 dpi (PNG), %d phone photos (JPEG), best of %d rounds, %d analyser "
           "thread(s)%s\ntimes are the calling thread's CPU time (wall time in brackets)%s\n\n",
           nscan, nphoto, rounds, threads, keep_touching ? ", touching letters not split" : "",
           threads != 1 ? "; with several threads only the wall-time ratio means anything" : "");
    printf("%-12s %4s %6s %16s %16s %13s %12s\n", "file", "MP", "passes", "decode ms", "total ms", "ratio",
           "lines found");
    double sd[2] = {0}, st[2] = {0}, sdw[2] = {0}, stw[2] = {0}, sst[2][PG_NSTAGE] = {{0}}, sstw[2][PG_NSTAGE] = {{0}};
    int cnt[2] = {0}, lf[2] = {0}, lt[2] = {0}, le[2] = {0};
    for (int i = 0; i < nfiles; i++) {
        int k = pf[i].photo;
        printf("%-12s %4d %6d %7.1f (%6.1f) %7.1f (%6.1f) %5.2f (%5.2f) %7d / %-3d\n", strrchr(pf[i].path, '/') + 1,
               mp[i], passes[i], dec_best[i] * 1e3, decw_best[i] * 1e3, tot_best[i] * 1e3, totw_best[i] * 1e3,
               tot_best[i] / dec_best[i], totw_best[i] / decw_best[i], lines_found[i], pf[i].truth.lines);
        if (per_file_stages) {
            printf("  ");
            for (int s = 0; s < PG_NSTAGE; s++)
                if (stage[i][s] > 0)
                    printf(" %s %.1f", pg_stage_names[s], stage[i][s] * 1e3);
            printf("\n");
            if (threads != 1) {
                printf("   wall:");
                for (int s = 0; s < PG_NSTAGE; s++)
                    if (stagew[i][s] > 0)
                        printf(" %s %.1f", pg_stage_names[s], stagew[i][s] * 1e3);
                printf("\n");
            }
        }
        sd[k] += dec_best[i];
        st[k] += tot_best[i];
        sdw[k] += decw_best[i];
        stw[k] += totw_best[i];
        for (int s = 0; s < PG_NSTAGE; s++) {
            sst[k][s] += stage[i][s];
            sstw[k][s] += stagew[i][s];
        }
        cnt[k]++;
        lf[k] += lines_found[i];
        lt[k] += pf[i].truth.lines;
        le[k] += lines_extra[i];
    }
    for (int k = 0; k < 2; k++)
        if (cnt[k]) {
            printf("\n%s: %.2f pages/s, total/decode %.2f (wall %.2f), lines found %d of %d (%d extra)\n",
                   k ? "12 MP photos" : "300 dpi scans", cnt[k] / st[k], st[k] / sd[k], stw[k] / sdw[k], lf[k], lt[k],
                   le[k]);
            printf("  per page: decode %.1f ms, analysis %.1f ms =", sd[k] / cnt[k] * 1e3,
                   (st[k] - sd[k]) / cnt[k] * 1e3);
            for (int s = 0; s < PG_NSTAGE; s++)
                if (sst[k][s] > 0)
                    printf(" %s %.1f", pg_stage_names[s], sst[k][s] / cnt[k] * 1e3);
            printf("\n");
            if (threads != 1) { /* the threads' gain shows on the wall clock only */
                printf("  wall per page: decode %.1f ms, analysis %.1f ms =", sdw[k] / cnt[k] * 1e3,
                       (stw[k] - sdw[k]) / cnt[k] * 1e3);
                for (int s = 0; s < PG_NSTAGE; s++)
                    if (sstw[k][s] > 0)
                        printf(" %s %.1f", pg_stage_names[s], sstw[k][s] / cnt[k] * 1e3);
                printf("\n");
            }
        }
    if (use_tess && system("command -v tesseract >/dev/null 2>&1") == 0) {
        int tf = 0, tt = 0, te = 0;
        double tsec = 0, psec = 0;
        for (int i = 0; i < nscan && i < 64; i++) {
            float box[512][2];
            double s = 0;
            int n = tesseract_lines(pf[i].path, dir, box, 512, &s);
            if (n < 0)
                continue;
            int f, e;
            score_lines(&pf[i].truth, (const float(*)[2])box, n, &f, &e);
            tf += f;
            tt += pf[i].truth.lines;
            te += e;
            tsec += s;
            psec += tot_best[i];
        }
        printf("\nline segmentation on the scans: penscope %d of %d lines (%d extra) in %.2f s; "
               "tesseract --psm 3 %d of %d (%d extra) in %.2f s (its time includes recognition); "
               "time ratio tesseract / penscope %.1f\n",
               lf[0], lt[0], le[0], psec, tf, tt, te, tsec, psec > 0 ? tsec / psec : NAN);
    }
    for (int i = 0; i < nfiles; i++) {
        if (!keep)
            unlink(pf[i].path);
        psgen_truth_release(&pf[i].truth);
    }
    char tsv[600];
    snprintf(tsv, sizeof tsv, "%s/tess.tsv", dir);
    unlink(tsv);
    rmdir(dir);
    free(pf);
    return 0;
}
