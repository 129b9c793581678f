/* bench_letters: letters counted per writing line on pages whose letters
 * touch (issue 5: segmentation), before and after touching letters are split.
 *
 * psgen writes A5 pages at 300 dpi in six fonts (Andika and Comic Neue, which
 * the letter models were made from; femkeklaver, Breip, DkgHandwriting and
 * Humor Sans, which they were not) on the four rulings in turn, with a chance
 * per letter (--touch, 0.35) that it is slid left until its ink meets the
 * letter before, and the same pages with no letter made to touch. Each page is analysed
 * twice in the same run: keep_touching = 1 (the baseline: touching letters
 * stay one letter, as before the split existed) and the default (split).
 * Printed per font and kind of page: writing lines whose letter count is
 * exact (%), the mean absolute letter count error per line, letters found
 * against written, and the analysis time per page (thread CPU, best of
 * --rounds, one analyser for the run) with the time the split adds. The
 * rendered pages are checked to really hold touching letters: ink components
 * holding two or more letters, counted on the page image. --pairs adds the
 * touching pairs split and missed by pair (which letters touch is in the
 * truth; each letter's ink pixel is looked up in the analysis) and the
 * letters the split cut in two, by letter. */
#include "psgen.h"
#include "psgen_eval.h"
#include "bench_time.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sentences[] = {
    "the quick brown fox jumps over the lazy dog", "six big whales quickly jumped over the cold pond",
    "my cat likes to sleep in the warm sun", "we went to the park and played on the swings",
    "a little bird sang a song in the tall tree", "please bring your book and pencil to class",
    "the rain fell softly on the green hills", "jack and jill went up the hill to fetch water",
    "mum made jam and warm muffins at noon", "now we swim in summer and win a medal",
};
#define NSENT 10

typedef struct cell {
    psgen_count_score s[2]; /* [0] keep_touching, [1] split */
    double ms[2];
    int pages, touching, groups, pairs, agree, letters;
} cell;

static void print_row(const char *font, const char *kind, const cell *c)
{
    const psgen_count_score *a = &c->s[0], *b = &c->s[1];
    printf("%-15s %-9s %5d  %6.1f %6.1f   %5.3f %5.3f   %5d %5d %5d   %6.1f %6.1f %+6.1f\n", font, kind, a->lines,
           a->lines ? 100.0 * a->lines_exact / a->lines : NAN, b->lines ? 100.0 * b->lines_exact / b->lines : NAN,
           a->lines ? (double)a->abs_err / a->lines : NAN, b->lines ? (double)b->abs_err / b->lines : NAN, a->letters,
           a->found, b->found, c->pages ? c->ms[0] / c->pages : NAN, c->pages ? c->ms[1] / c->pages : NAN,
           c->pages ? (c->ms[1] - c->ms[0]) / c->pages : NAN);
}

static void add_cell(cell *to, const cell *c)
{
    for (int m = 0; m < 2; m++) {
        to->s[m].lines += c->s[m].lines;
        to->s[m].lines_exact += c->s[m].lines_exact;
        to->s[m].abs_err += c->s[m].abs_err;
        to->s[m].letters += c->s[m].letters;
        to->s[m].found += c->s[m].found;
        to->ms[m] += c->ms[m];
    }
    to->pages += c->pages;
    to->touching += c->touching;
    to->groups += c->groups;
    to->pairs += c->pairs;
    to->agree += c->agree;
    to->letters += c->letters;
}

/* The touching pairs by pair (most missed first) and by the narrower
 * letter's width class, and the letters cut in two, by letter. */
static void print_pairs(const psgen_pair_score *ps)
{
    const psgen_pair_score *p = &ps[0];
    int tot = 0, ok = 0;
    for (int a = 0; a < 26; a++)
        for (int b = 0; b < 26; b++) {
            tot += p->pairs[a][b];
            ok += p->split[a][b];
        }
    printf("\ntouching pairs (split mode, touching pages): %d, split %d (%.1f %%), ink pixel in no letter %d\n", tot,
           ok, tot ? 100.0 * ok / tot : NAN, p->unknown);
    /* narrow letters: a stem and little else */
    const char *narrow = "fijlrt";
    int nt[3] = {0}, nok[3] = {0};
    for (int a = 0; a < 26; a++)
        for (int b = 0; b < 26; b++) {
            int k = (strchr(narrow, 'a' + a) != NULL) + (strchr(narrow, 'a' + b) != NULL);
            nt[k] += p->pairs[a][b];
            nok[k] += p->split[a][b];
        }
    for (int k = 0; k < 3; k++)
        printf("  pairs with %d of f i j l r t: %4d, split %4d (%5.1f %%)\n", k, nt[k], nok[k],
               nt[k] ? 100.0 * nok[k] / nt[k] : NAN);
    printf("  most missed (pair: missed of touching):");
    int shown = 0, used[26][26] = {{0}};
    while (shown < 30) {
        int ba = -1, bb = -1, bm = 0;
        for (int a = 0; a < 26; a++)
            for (int b = 0; b < 26; b++) {
                int m = p->pairs[a][b] - p->split[a][b];
                if (!used[a][b] && m > bm) {
                    bm = m;
                    ba = a;
                    bb = b;
                }
            }
        if (ba < 0)
            break;
        used[ba][bb] = 1;
        printf("%s %c%c:%d/%d", shown % 10 ? "" : "\n   ", 'a' + ba, 'a' + bb, bm, p->pairs[ba][bb]);
        shown++;
    }
    printf("\nletters cut in two (split mode), touching pages | apart pages, by letter (cut/letters):\n");
    for (int k = 0; k < 2; k++) {
        int all = 0, cut = 0;
        printf("  %s:", k ? "apart   " : "touching");
        for (int c = 0; c < 26; c++) {
            all += ps[k].letters[c];
            cut += ps[k].oversplit[c];
            if (ps[k].oversplit[c] || strchr("mnuw", 'a' + c))
                printf(" %c:%d/%d", 'a' + c, ps[k].oversplit[c], ps[k].letters[c]);
        }
        printf("  all %d/%d\n", cut, all);
    }
}

int main(int argc, char **argv)
{
    int pages = 4, rounds = 3;
    unsigned seed = 700;
    double touch = 0.35;
    const char *only_font = NULL, *dump = NULL;
    int by_pair = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pages") && i + 1 < argc)
            pages = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--touch") && i + 1 < argc)
            touch = atof(argv[++i]);
        else if (!strcmp(argv[i], "--font") && i + 1 < argc)
            only_font = argv[++i];
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else if (!strcmp(argv[i], "--pairs"))
            by_pair = 1;
        else {
            printf("usage: bench_letters [--pages N] [--rounds N] [--seed S] [--touch P] [--font NAME] [--dump DIR] "
                   "[--pairs]\n"
                   "  --dump DIR: also write each page (PNG) and its truth (JSON) into DIR\n"
                   "  --pairs: also the touching pairs split and missed, by pair, and the letters cut in two, by "
                   "letter (split mode)\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    if (pages < 1 || rounds < 1)
        return 2;
    const char *models = getenv("PENSCOPE_MODELS");
    if (!models || !*models)
        models = PS_BENCH_MODELS;
    static const char *fonts[] = {"Andika", "Comic Neue", "femkeklaver", "Breip", "DkgHandwriting", "Humor Sans"};
    enum { NFONT = 6 };
    static const char *ruling_names[] = {"none", "single", "primary", "seyes"};
    printf("bench_letters: per font %d A5 pages at 300 dpi with touching letters (chance %.2f per letter) and %d "
           "without, rulings none/single/primary/seyes in turn, seed %u; analysis time best of %d, one thread\n"
           "columns: lines | exact-count lines %% before, after | mean abs letter count error per line before, "
           "after | letters written, found before, after | ms per page before, after, added\n\n",
           pages, touch, pages, seed, rounds);
    /* one analyser for the run, as a batch is analysed: the letter models
     * are loaded at its first page that needs them, not once per page */
    ps_page_analyser_t *an;
    if (ps_page_analyser_new(1, &an) != PS_OK) {
        fprintf(stderr, "bench_letters: %s\n", ps_last_error());
        return 1;
    }
    cell total[2];
    memset(total, 0, sizeof total);
    static psgen_pair_score pairs[2]; /* [0] touching pages, [1] apart */
    char text[2048];
    for (int f = 0; f < NFONT; f++) {
        if (only_font && strcmp(only_font, fonts[f]))
            continue;
        for (int kind = 0; kind < 2; kind++) {
            cell c;
            memset(&c, 0, sizeof c);
            for (int k = 0; k < pages; k++) {
                psgen_params p;
                psgen_params_default(&p);
                p.dpi = 300;
                p.font = fonts[f];
                p.ruling = k % 4;
                p.x_height_mm = p.ruling == PSGEN_SEYES ? 2.0 : p.ruling == PSGEN_PRIMARY ? 4.0 : 3.0;
                p.slant_deg = (k % 3) * 5;
                p.baseline_sd_mm = 0.2;
                p.size_sd = 0.04;
                p.letter_gap_mm = 0.7;
                p.letter_gap_sd_mm = 0.15;
                p.touch_prob = kind ? 0 : touch;
                p.seed = seed + (unsigned)(f * 100 + k);
                text[0] = 0;
                for (int q = 0; q < 6; q++) {
                    strcat(text, sentences[(q + 3 * k + f) % NSENT]);
                    strcat(text, "\n");
                }
                p.text = text;
                ps_image img;
                psgen_truth t;
                if (psgen_render(&p, &img, &t) != PS_OK) {
                    fprintf(stderr, "bench_letters: %s\n", ps_last_error());
                    return 1;
                }
                if (dump) {
                    char path[1024], jpath[1024];
                    snprintf(path, sizeof path, "%s/%s-%s-%d.png", dump, fonts[f], kind ? "apart" : "touching", k);
                    snprintf(jpath, sizeof jpath, "%s/%s-%s-%d.json", dump, fonts[f], kind ? "apart" : "touching", k);
                    if (psgen_write_png(path, &img, p.dpi) != PS_OK || psgen_truth_write_json(&t, jpath) != PS_OK)
                        fprintf(stderr, "bench_letters: %s\n", ps_last_error());
                }
                /* printed lines would join letters on the image: unruled pages only */
                if (p.ruling == PSGEN_NONE) {
                    int g, pr, ag;
                    if (psgen_touch_components(&t, &img, &g, &pr, &ag) != PS_OK) {
                        fprintf(stderr, "bench_letters: %s\n", ps_last_error());
                        return 1;
                    }
                    c.touching += t.touching;
                    c.groups += g;
                    c.pairs += pr;
                    c.agree += ag;
                    c.letters += t.letters;
                }
                for (int mode = 0; mode < 2; mode++) {
                    double best = 1e30;
                    for (int r = 0; r < rounds; r++) {
                        ps_page_params pp;
                        ps_page_params_default(&pp);
                        pp.dpi = 300;
                        pp.models_dir = models;
                        pp.keep_touching = mode == 0;
                        ps_page_t *pg = NULL;
                        double t0 = bench_thread_cpu_s();
                        if (ps_page_analyse_with(an, &img, &pp, &pg) != PS_OK) {
                            fprintf(stderr, "bench_letters: %s (%s, %s)\n", ps_last_error(), fonts[f],
                                    ruling_names[p.ruling]);
                            return 1;
                        }
                        double dt = bench_thread_cpu_s() - t0;
                        if (dt < best)
                            best = dt;
                        if (r == 0) {
                            psgen_count_score one = {0};
                            psgen_score_letter_counts(&t, pg, &one);
                            psgen_score_letter_counts(&t, pg, &c.s[mode]);
                            if (mode == 1)
                                psgen_score_touch_pairs(&t, pg, &pairs[kind]);
                            if (getenv("BENCH_LETTERS_VERBOSE"))
                                printf("  %s %s %s slant %.0f: lines %d exact %d err %d letters %d found %d\n",
                                       fonts[f], kind ? "apart" : "touching", ruling_names[p.ruling], p.slant_deg,
                                       one.lines, one.lines_exact, one.abs_err, one.letters, one.found);
                        }
                        ps_page_free(pg);
                    }
                    c.ms[mode] += best * 1e3;
                }
                c.pages++;
                ps_image_release(&img);
                psgen_truth_release(&t);
            }
            if (kind == 0)
                printf("%-15s unruled touching pages: %d of %d letters touch the one before (truth); on the "
                       "page image %d ink components hold 2+ letters, %d neighbour pairs share one (agreement with "
                       "the truth %d of %d letters)\n",
                       fonts[f], c.touching, c.letters, c.groups, c.pairs, c.agree, c.letters);
            if (f == 0 && kind == 0 && !only_font)
                printf("%-15s %-9s %5s  %13s   %11s   %17s   %20s\n", "font", "pages", "lines", "exact %",
                       "abs err", "letters", "ms per page");
            print_row(fonts[f], kind ? "apart" : "touching", &c);
            add_cell(&total[kind], &c);
        }
    }
    printf("\n");
    print_row("all fonts", "touching", &total[0]);
    print_row("all fonts", "apart", &total[1]);
    if (by_pair)
        print_pairs(pairs);
    ps_page_analyser_free(an);
    return 0;
}
