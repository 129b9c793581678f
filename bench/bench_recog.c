/* bench_recog: accuracy and speed of the letter recogniser behind
 * legibility_pct (issue 5).
 *
 * Accuracy: pages made by psgen (4 sentences each, 300 dpi, the same pages
 * for every font) in two fonts the recogniser was trained on and in four
 * handwriting fonts it never saw (femkeklaver, Breip, DkgHandwriting,
 * Humor Sans: not in tests/gen/recog_fonts.txt), drawn clean and drawn
 * child-like (per-letter slant, size and baseline jitter, tremor), are
 * analysed with --text; "read as themselves" is legibility_pct, the share
 * of expected letters the recogniser reads as themselves ("l/I apart":
 * the same without counting an l read as I, the rule the template matcher
 * was measured with); "any case" also
 * counts a letter read as its other case (of the matched letters: Humor
 * Sans draws its lower case as small capitals). The confusion
 * summary lists the commonest misreadings on the unseen fonts.
 *
 * Speed: the recogniser (descriptor + MLP) against the template matcher it
 * replaced (chamfer distance to every printed model), per letter, on the
 * same normalised letters in the same run. */
#include "psgen.h"
#include "page/glyphs.h"
#include "page/recog.h"
#include "bench_time.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sentences[] = {
    "the quick brown fox jumps over the lazy dog", "six big whales quickly jumped over the cold pond",
    "my cat likes to sleep in the warm sun", "we went to the park and played on the swings",
    "a little bird sang a song in the tall tree", "please bring your book and pencil to class",
    "the rain fell softly on the green hills", "jack and jill went up the hill to fetch water",
};

static int conf[128][128];

static void accuracy(const char *models, int npages)
{
    static const char *fonts[] = {"Andika", "Comic Neue", "femkeklaver", "Breip", "DkgHandwriting", "Humor Sans"};
    const int nfonts = 6, first_unseen = 2;
    char text[2048];
    printf("accuracy: %d pages of 4 sentences per font and style, 300 dpi, analysed with --text\n", npages);
    printf("%-16s %-8s %-10s %9s %9s %10s %10s %9s %12s\n", "font", "style", "", "read as", "l/I apart", "any case",
           "form_score", "reversals", "closure_fail");
    for (int style = 0; style < 2; style++) {
        double unseen_sum = 0;
        for (int f = 0; f < nfonts; f++) {
            double leg = 0, form = 0, rev = 0, open = 0;
            int pages = 0, nexp = 0, nocase = 0;
            double strict = 0;
            for (int k = 0; k < npages; k++) {
                psgen_params p;
                psgen_params_default(&p);
                p.dpi = 300;
                p.font = fonts[f];
                p.letter_gap_mm = 0.8;
                p.seed = 500 + k;
                if (style == 1) /* child-like */
                    psgen_params_child_like(&p);
                text[0] = 0;
                for (int q = 0; q < 4; q++) {
                    strcat(text, sentences[(q + 2 * k) % 8]);
                    strcat(text, "\n");
                }
                p.text = text;
                ps_image img;
                psgen_truth t;
                if (psgen_render(&p, &img, &t) != PS_OK) {
                    fprintf(stderr, "bench_recog: %s\n", ps_last_error());
                    exit(1);
                }
                ps_page_params pp;
                ps_page_params_default(&pp);
                pp.dpi = 300;
                pp.text = text;
                pp.models_dir = models;
                ps_page_t *pg = NULL;
                if (ps_page_analyse(&img, &pp, &pg) == PS_OK) {
                    double ne = ps_page_metric(pg, "letters_expected"), lI = 0;
                    leg += ps_page_metric(pg, "legibility_pct");
                    form += ps_page_metric(pg, "form_score");
                    rev += ps_page_metric(pg, "reversals");
                    open += ps_page_metric(pg, "closure_fail");
                    pages++;
                    for (int i = 0; i < ps_page_letter_count(pg); i++) {
                        ps_page_letter_info li;
                        ps_page_get_letter(pg, i, &li);
                        if (li.expected <= 0 || li.recognised <= 0)
                            continue;
                        if ((li.expected == 'l' && li.recognised == 'I') || (li.expected == 'I' && li.recognised == 'l'))
                            lI++;
                        nexp++;
                        nocase += tolower((unsigned char)li.expected) == tolower((unsigned char)li.recognised);
                        if (f >= first_unseen &&
                            tolower((unsigned char)li.expected) != tolower((unsigned char)li.recognised))
                            conf[(unsigned char)li.expected & 127][(unsigned char)li.recognised & 127]++;
                    }
                    strict += ps_page_metric(pg, "legibility_pct") - (ne > 0 ? 100 * lI / ne : 0);
                }
                ps_page_free(pg);
                ps_image_release(&img);
                psgen_truth_release(&t);
            }
            double l = pages ? leg / pages : NAN;
            if (f >= first_unseen)
                unseen_sum += l;
            printf("%-16s %-8s %-10s %8.1f%% %8.1f%% %9.1f%% %10.1f %9.0f %12.0f\n", fonts[f],
                   style ? "child" : "clean", f < first_unseen ? "(trained)" : "(unseen)", l,
                   pages ? strict / pages : NAN, nexp ? 100.0 * nocase / nexp : NAN,
                   pages ? form / pages : NAN, rev, open);
        }
        printf("%-16s %-8s %-10s %8.1f%%\n", "mean of unseen", style ? "child" : "clean", "",
               unseen_sum / (nfonts - first_unseen));
    }
    printf("commonest misreadings on the unseen fonts (other letters, not case), both styles (expected->read count):");
    for (int k = 0; k < 15; k++) {
        int bi = 0, bj = 0, bv = 0;
        for (int i = 0; i < 128; i++)
            for (int j = 0; j < 128; j++)
                if (conf[i][j] > bv) {
                    bv = conf[i][j];
                    bi = i;
                    bj = j;
                }
        if (!bv)
            break;
        printf(" %c->%c %d", bi, bj, bv);
        conf[bi][bj] = 0;
    }
    printf("\n");
}

static volatile float sink;

static void speed(const char *models)
{
    pg_glyphset set;
    if (pg_glyphs_load(&set, models) != PS_OK) {
        fprintf(stderr, "bench_recog: %s\n", ps_last_error());
        exit(1);
    }
    /* the letters: every printed model, as the page analyser would hand them over */
    const int reps = 20;
    double t_tmpl[5], t_mlp[5];
    for (int round = 0; round < 5; round++) {
        double t0 = bench_thread_cpu_s();
        for (int r = 0; r < reps; r++)
            for (int i = 0; i < set.n; i++) {
                float bd = 1e30f;
                for (int g = 0; g < set.n; g++) {
                    float d = pg_glyph_distance(set.g[i].bm, set.g[i].dt, set.g[g].bm, set.g[g].dt);
                    if (d < bd)
                        bd = d;
                }
                sink += bd;
            }
        double t1 = bench_thread_cpu_s();
        for (int r = 0; r < reps; r++)
            for (int i = 0; i < set.n; i++) {
                pg_recog_geom geo = {1, 0, set.g[i].aspect};
                float feat[PG_RECOG_NF];
                pg_recog_features(set.g[i].bm, &geo, feat);
                sink += (float)pg_recog_classify(set.recog, feat, NULL);
            }
        double t2 = bench_thread_cpu_s();
        t_tmpl[round] = (t1 - t0) / (reps * set.n);
        t_mlp[round] = (t2 - t1) / (reps * set.n);
    }
    double a = bench_median(t_tmpl, 5), b = bench_median(t_mlp, 5);
    printf("speed per letter (median of 5 rounds, 1 thread): template matching against %d models %.1f us, "
           "recogniser (descriptor + MLP %d-%d-%d) %.1f us; recogniser / template %.2f\n",
           set.n, a * 1e6, PG_RECOG_NF, set.recog->nh, set.recog->nc, b * 1e6, b / a);
    printf("model: %s\n", set.recog->about);
    pg_glyphs_release(&set);
}

int main(int argc, char **argv)
{
    int npages = 4, do_speed = 1, do_acc = 1;
    const char *models = getenv("PENSCOPE_MODELS");
    if (!models || !*models)
        models = PS_BENCH_MODELS;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pages") && i + 1 < argc)
            npages = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--models") && i + 1 < argc)
            models = argv[++i];
        else if (!strcmp(argv[i], "--speed-only"))
            do_acc = 0;
        else if (!strcmp(argv[i], "--accuracy-only"))
            do_speed = 0;
        else {
            printf("usage: bench_recog [--pages N] [--models DIR] [--speed-only|--accuracy-only]\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    if (do_acc)
        accuracy(models, npages);
    if (do_speed)
        speed(models);
    return 0;
}
