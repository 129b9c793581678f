/* bench_formcheck: false alarms and recall of the reversal and closure flags
 * (reversals, closure_fail of METRICS.md §2), per font.
 *
 * Pages made by psgen (4 lines: three sentences and a line of capitals and
 * digits, 300 dpi), analysed with --text, in the two fonts the letter
 * models come from (Andika, Comic Neue) and four handwriting fonts:
 *   - plain pages (nothing mirrored, nothing cut): every letter flagged is a
 *     false alarm, counted per 100 matched letters;
 *   - marked pages (the same text): every third letter that differs from its
 *     mirror image is mirrored, every third letter that should close is cut
 *     open; recall = the share of those that are flagged, and the flags on
 *     the unmarked letters of those pages are false alarms as well.
 * Page letters are paired with psgen's letters by ink-box overlap and the
 * letter, so each flag is judged against what was drawn. Clean and
 * child-like pages (per-letter slant, size and baseline jitter, tremor).
 * The per-letter breakdown of false alarms on plain pages follows. */
#include "psgen_eval.h"
#include "page/formcheck.h"
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
static const char *caps[] = {
    "Bob Dan Pat Quinn 23 45 67 89", "Jess Zara Nick Gus 0 69 58 72",
    "Sam Reda Kees Fred 34 96 27 80", "Lars Eva Carl Joop 52 78 63 49",
};


typedef struct tally {
    int letters;          /* matched letters, plain pages */
    int rev_fa, open_fa;  /* flags on plain pages */
    int mletters;         /* unmarked matched letters on marked pages */
    int mrev_fa, mopen_fa;
    int rev_n, rev_hit;   /* mirrored letters matched, flagged reversed */
    int cut_n, cut_hit;   /* cut letters matched, flagged open */
} tally;

static int fa_rev[128], fa_open[128], font_rev[128], font_open[128], miss_rev[128], miss_cut[128];

static void page(const char *font, int style, int k, int marked, tally *T, const char *models)
{
    char text[1024] = "", marks[1024];
    for (int q = 0; q < 3; q++) {
        strcat(text, sentences[(q + 3 * k) % 8]);
        strcat(text, "\n");
    }
    strcat(text, caps[k % 4]);
    psgen_formcheck_marks(text, marked, marks);
    psgen_params p;
    psgen_params_default(&p);
    p.dpi = 300;
    p.font = font;
    p.letter_gap_mm = 0.8;
    p.seed = 700 + k;
    if (style) /* child-like */
        psgen_params_child_like(&p);
    p.text = text;
    p.marks = marks;
    ps_image img;
    psgen_truth t;
    if (psgen_render(&p, &img, &t) != PS_OK) {
        fprintf(stderr, "bench_formcheck: %s\n", ps_last_error());
        exit(1);
    }
    ps_page_params pp;
    ps_page_params_default(&pp);
    pp.dpi = 300;
    pp.text = text;
    pp.models_dir = models;
    ps_page_t *pg = NULL;
    if (ps_page_analyse(&img, &pp, &pg) != PS_OK) {
        fprintf(stderr, "bench_formcheck: %s: %s\n", font, ps_last_error());
        exit(1);
    }
    for (int i = 0; i < ps_page_letter_count(pg); i++) {
        ps_page_letter_info li;
        ps_page_get_letter(pg, i, &li);
        if (li.expected <= 0)
            continue;
        /* the drawn letter: the same character with the largest box overlap */
        int best = -1;
        double bo = 0;
        for (int j = 0; j < t.letters; j++) {
            const psgen_letter *d = &t.letter[j];
            if (d->ch != li.expected)
                continue;
            double ox = fmin(li.x1, d->x1) - fmax(li.x0, d->x0), oy = fmin(li.y1, d->y1) - fmax(li.y0, d->y0);
            if (ox > 0 && oy > 0 && ox * oy > bo) {
                bo = ox * oy;
                best = j;
            }
        }
        int mark = best >= 0 ? t.letter[best].mark : '.';
        unsigned char e = (unsigned char)li.expected & 127;
        if (mark == 'r' && pg_mirror_differs(li.expected)) {
            T->rev_n++;
            T->rev_hit += li.reversed != 0;
            miss_rev[e] += !li.reversed;
            T->mopen_fa += li.not_closed != 0;
        } else if (mark == 'o' && pg_should_close(li.expected)) {
            T->cut_n++;
            T->cut_hit += li.not_closed != 0;
            miss_cut[e] += !li.not_closed;
            T->mrev_fa += li.reversed != 0;
        } else if (marked) {
            T->mletters++;
            T->mrev_fa += li.reversed != 0;
            T->mopen_fa += li.not_closed != 0;
        } else {
            T->letters++;
            T->rev_fa += li.reversed != 0;
            T->open_fa += li.not_closed != 0;
            fa_rev[e] += li.reversed != 0;
            fa_open[e] += li.not_closed != 0;
            font_rev[e] += li.reversed != 0;
            font_open[e] += li.not_closed != 0;
        }
    }
    ps_page_free(pg);
    ps_image_release(&img);
    psgen_truth_release(&t);
}

static double per100(int a, int n) { return n ? 100.0 * a / n : NAN; }
static double pct(int a, int n) { return n ? 100.0 * a / n : NAN; }

int main(int argc, char **argv)
{
    int npages = 4, verbose = 0;
    const char *models = getenv("PENSCOPE_MODELS");
    if (!models || !*models)
        models = PS_BENCH_MODELS;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pages") && i + 1 < argc)
            npages = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--by-letter"))
            verbose = 1;
        else if (!strcmp(argv[i], "--models") && i + 1 < argc)
            models = argv[++i];
        else {
            printf("usage: bench_formcheck [--pages N] [--models DIR] [--by-letter]\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    static const char *fonts[] = {"Andika", "Comic Neue", "femkeklaver", "Breip", "DkgHandwriting", "Humor Sans"};
    printf("reversals and closure_fail: %d plain and %d marked pages of 4 lines per font and style, 300 dpi, --text\n",
           npages, npages);
    printf("false alarms per 100 matched letters (plain pages | unmarked letters of marked pages); recall %% of "
           "mirrored / cut letters flagged\n");
    printf("%-15s %-5s %7s %9s %9s %9s %9s %11s %11s\n", "font", "style", "letters", "rev_fa", "open_fa", "mrev_fa",
           "mopen_fa", "rev_recall", "cut_recall");
    for (int style = 0; style < 2; style++)
        for (int f = 0; f < 6; f++) {
            tally T = {0};
            memset(font_rev, 0, sizeof font_rev);
            memset(font_open, 0, sizeof font_open);
            memset(miss_rev, 0, sizeof miss_rev);
            memset(miss_cut, 0, sizeof miss_cut);
            for (int k = 0; k < npages; k++) {
                page(fonts[f], style, k, 0, &T, models);
                page(fonts[f], style, k, 1, &T, models);
            }
            char rr[32], cr[32];
            snprintf(rr, sizeof rr, "%.0f%% %d/%d", pct(T.rev_hit, T.rev_n), T.rev_hit, T.rev_n);
            snprintf(cr, sizeof cr, "%.0f%% %d/%d", pct(T.cut_hit, T.cut_n), T.cut_hit, T.cut_n);
            printf("%-15s %-5s %7d %9.1f %9.1f %9.1f %9.1f %11s %11s\n", fonts[f], style ? "child" : "clean",
                   T.letters, per100(T.rev_fa, T.letters), per100(T.open_fa, T.letters),
                   per100(T.mrev_fa, T.mletters), per100(T.mopen_fa, T.mletters), rr, cr);
            if (verbose) {
                printf("    plain-page flags by letter (reversed/open):");
                for (int c = 33; c < 127; c++)
                    if (font_rev[c] || font_open[c])
                        printf(" %c:%d/%d", c, font_rev[c], font_open[c]);
                printf("\n    missed mirrored / cut letters (letter:count):");
                for (int c = 33; c < 127; c++)
                    if (miss_rev[c])
                        printf(" %c:%d", c, miss_rev[c]);
                printf(" /");
                for (int c = 33; c < 127; c++)
                    if (miss_cut[c])
                        printf(" %c:%d", c, miss_cut[c]);
                printf("\n");
            }
        }
    printf("false alarms on plain pages by letter, all fonts and styles (letter:reversed/open):");
    for (int c = 33; c < 127; c++)
        if (fa_rev[c] || fa_open[c])
            printf(" %c:%d/%d", c, fa_rev[c], fa_open[c]);
    printf("\n");
    return 0;
}
