/* bench_ruled_letters: letters counted per writing line on primary-ruled
 * pages (top line, dashed mid line, base line) against the same text in the
 * same font and hand on single-ruled and unruled pages (issue 5: ruling
 * removed "without cutting letters", letter segmentation).
 *
 * Per font (Andika, Comic Neue, DkgHandwriting, femkeklaver, Breip, Humor
 * Sans) --pages page sets; set k has its own seed, text, x-height (3, 4 or
 * 5 mm), slant (0, 5, 10 or -5 deg) and capture: a scan at 150, 300 or 600
 * dpi, or (every fourth set) a phone photo at 300 dpi; every other set is
 * a page the five lines of writing fill (no empty ruling below them, so
 * every mid line has writing on it), the others A5 pages with empty ruled
 * groups below the writing. Each set is rendered
 * on the three rulings with everything else the same, no letter made to
 * touch another, and analysed with the resolution given. Printed per font
 * and ruling, then per capture and ruling: writing lines, lines whose letter
 * count is exact (%), the mean absolute letter count error per line, and
 * letters written / found (psgen_score_letter_counts). The unruled and
 * single-ruled columns are the baseline the primary one is read against. */
#include "psgen.h"
#include "psgen_eval.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sentences[] = {
    "the quick brown fox jumps over the lazy dog", "six big whales quickly jumped over the cold pond",
    "my cat likes to sleep in the warm sun", "Jack and Jill went up the hill to fetch water",
    "a little bird sang a song in the tall tree", "please bring your book and pencil to class",
    "The rain fell softly on the green hills", "Kate held the kettle by the fire",
    "mum made jam and warm muffins at noon", "Ben had a big dog that liked to dig",
};
#define NSENT 10
#define NRUL 3
static const int rulings[NRUL] = {PSGEN_NONE, PSGEN_SINGLE, PSGEN_PRIMARY};
static const char *ruling_names[NRUL] = {"none", "single", "primary"};
#define NCAP 4
static const char *capture_names[NCAP] = {"scan 150", "scan 300", "scan 600", "photo 300"};
static const char *fill_names[2] = {"A5, part full", "full page"};

typedef struct cell {
    psgen_count_score s;
    int pages;
} cell;

static void print_cells(const char *label, const cell *c)
{
    printf("%-15s", label);
    for (int r = 0; r < NRUL; r++) {
        const psgen_count_score *s = &c[r].s;
        printf(" | %4d %5.1f %5.3f %5d %5d", s->lines, s->lines ? 100.0 * s->lines_exact / s->lines : NAN,
               s->lines ? (double)s->abs_err / s->lines : NAN, s->letters, s->found);
    }
    printf("\n");
}

static void add(cell *to, const psgen_count_score *s)
{
    to->s.lines += s->lines;
    to->s.lines_exact += s->lines_exact;
    to->s.abs_err += s->abs_err;
    to->s.letters += s->letters;
    to->s.found += s->found;
    to->pages++;
}

int main(int argc, char **argv)
{
    int pages = 8, verbose = 0, only_capture = -1;
    unsigned seed = 900;
    const char *only_font = NULL, *dump = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pages") && i + 1 < argc)
            pages = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--font") && i + 1 < argc)
            only_font = argv[++i];
        else if (!strcmp(argv[i], "--capture") && i + 1 < argc)
            only_capture = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else if (!strcmp(argv[i], "--verbose"))
            verbose = 1;
        else {
            printf("usage: bench_ruled_letters [--pages N] [--seed S] [--font NAME] [--capture C] [--verbose] "
                   "[--dump DIR]\n"
                   "  --pages N    page sets per font (each on the three rulings; default 8)\n"
                   "  --capture C  only sets of one capture: 0 scan 150 dpi, 1 scan 300, 2 scan 600, 3 photo\n"
                   "  --verbose    one line per page\n"
                   "  --dump DIR   also write each page (PNG) and its truth (JSON) into DIR\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    if (pages < 1)
        return 2;
    const char *models = getenv("PENSCOPE_MODELS");
    if (!models || !*models)
        models = PS_BENCH_MODELS;
    static const char *fonts[] = {"Andika", "Comic Neue", "DkgHandwriting", "femkeklaver", "Breip", "Humor Sans"};
    enum { NFONT = 6 };
    printf("bench_ruled_letters: per font %d page sets (x-height 3/4/5 mm, slant 0/5/10/-5 deg, scans at "
           "150/300/600 dpi and photos at 300, A5 pages and pages the writing fills), each on the rulings "
           "none/single/primary with the same text and hand; seed %u\n"
           "per ruling: lines | exact-count lines %% | mean abs letter count error per line | letters "
           "written | found\n\n",
           pages, seed);
    printf("%-15s | %-28s | %-28s | %-28s\n", "", "none", "single", "primary");
    cell by_font[NFONT][NRUL], by_cap[NCAP][NRUL], by_fill[2][NRUL], total[NRUL];
    memset(by_font, 0, sizeof by_font);
    memset(by_fill, 0, sizeof by_fill);
    memset(by_cap, 0, sizeof by_cap);
    memset(total, 0, sizeof total);
    char text[1024];
    for (int f = 0; f < NFONT; f++) {
        if (only_font && strcmp(only_font, fonts[f]))
            continue;
        for (int k = 0; k < pages; k++) {
            int cap = k % 4 == 3 ? 3 : (k + f) % 3, full = k % 2;
            if (only_capture >= 0 && cap != only_capture)
                continue;
            text[0] = 0;
            for (int q = 0; q < 5; q++) {
                strcat(text, sentences[(q + 2 * k + f) % NSENT]);
                strcat(text, "\n");
            }
            for (int r = 0; r < NRUL; r++) {
                psgen_params p;
                psgen_params_default(&p);
                p.font = fonts[f];
                p.text = text;
                p.ruling = rulings[r];
                p.x_height_mm = 3 + (k + 2 * f) % 3;
                if (full) /* the five primary groups (4 x-heights apart) and a margin */
                    p.page_h_mm = p.margin_top_mm + 16 * p.x_height_mm + 12;
                p.slant_deg = (k / 2) % 4 == 3 ? -5 : 5 * ((k / 2) % 4);
                p.baseline_sd_mm = 0.2;
                p.size_sd = 0.04;
                p.letter_gap_mm = 0.8;
                p.letter_gap_sd_mm = 0.15;
                p.seed = seed + (unsigned)(f * 1000 + k);
                p.dpi = cap == 0 ? 150 : cap == 2 ? 600 : 300;
                if (cap == 3) {
                    psgen_params_phone_photo(&p);
                    p.photo_tilt = 0.06;
                    p.photo_rotate_deg = k % 2 ? 3 : -2;
                    p.photo_noise = 3;
                }
                ps_image img;
                psgen_truth t;
                if (psgen_render(&p, &img, &t) != PS_OK) {
                    fprintf(stderr, "bench_ruled_letters: %s\n", ps_last_error());
                    return 1;
                }
                if (dump) {
                    char path[1024], jpath[1024];
                    snprintf(path, sizeof path, "%s/%s-%d-%s.png", dump, fonts[f], k, ruling_names[r]);
                    snprintf(jpath, sizeof jpath, "%s/%s-%d-%s.json", dump, fonts[f], k, ruling_names[r]);
                    if (psgen_write_png(path, &img, p.dpi) != PS_OK || psgen_truth_write_json(&t, jpath) != PS_OK)
                        fprintf(stderr, "bench_ruled_letters: %s\n", ps_last_error());
                }
                ps_page_params pp;
                ps_page_params_default(&pp);
                pp.dpi = p.photo ? 0 : p.dpi;
                pp.models_dir = models;
                ps_page_t *pg = NULL;
                if (ps_page_analyse(&img, &pp, &pg) != PS_OK) {
                    fprintf(stderr, "bench_ruled_letters: %s (%s, %s)\n", ps_last_error(), fonts[f], ruling_names[r]);
                    return 1;
                }
                psgen_count_score one = {0};
                psgen_score_letter_counts(&t, pg, &one);
                add(&by_font[f][r], &one);
                add(&by_cap[cap][r], &one);
                add(&by_fill[full][r], &one);
                add(&total[r], &one);
                if (verbose) {
                    printf("  %s set %d %s %s xh %.0f slant %.0f %s: found ruling %s, lines %d exact %d err %d "
                           "letters %d found %d\n",
                           fonts[f], k, capture_names[cap], fill_names[full], p.x_height_mm, p.slant_deg, ruling_names[r],
                           ps_page_ruling_name(ps_page_get_ruling(pg)), one.lines, one.lines_exact, one.abs_err, one.letters,
                           one.found);
                }
                ps_page_free(pg);
                ps_image_release(&img);
                psgen_truth_release(&t);
            }
        }
        print_cells(fonts[f], by_font[f]);
    }
    printf("\n");
    for (int c = 0; c < NCAP; c++)
        if (by_cap[c][0].pages)
            print_cells(capture_names[c], by_cap[c]);
    for (int u = 0; u < 2; u++)
        if (by_fill[u][0].pages)
            print_cells(fill_names[u], by_fill[u]);
    print_cells("all", total);
    return 0;
}
