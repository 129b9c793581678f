/* Reversals and closure_fail on hands the checks were not chosen on
 * (formcheck.c; thresholds chosen on Andika, Comic Neue and femkeklaver
 * pages of bench_formcheck, seeds 700+; these pages use other seeds and
 * another mix of lines).
 *
 * False alarms: pages with nothing mirrored and nothing cut open, in
 * DkgHandwriting, Breip and Humor Sans (handwriting fonts neither the
 * recogniser nor the thresholds saw). Comparing each letter with one model
 * font and its mirror image called 7 in 100 DkgHandwriting letters reversed
 * and 4 in 100 open; the ceilings below are a seventh and a half of that.
 * Recall: pages where every third letter that differs from its mirror image
 * is mirrored and every third letter that should close is cut open. */
#include "testutil.h"
#include "psgen_eval.h"
#include "page/formcheck.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *lines[] = {
    "the old dog dug a deep pit by the pond", "bob had six quick zebras and a big pig",
    "pass the bread and the jam to dad please", "a frog jumped up on a box of dry logs",
    "Dora Pete Greg Sophie 26 38 94 57", "Quentin Bea Ruth Jake 50 83 62 97",
};


typedef struct tally {
    int letters, rev_fa, open_fa;  /* unmarked matched letters and their flags */
    int rev_n, rev_hit, cut_n, cut_hit;
} tally;

/* one page of 3 lines in font; marked: every third mirror-different letter
 * mirrored, every third closing letter cut */
static void page(const char *font, int k, int marked, tally *T)
{
    char text[512] = "", marks[512];
    for (int q = 0; q < 3; q++) {
        strcat(text, lines[(2 * k + q) % 6]);
        if (q < 2)
            strcat(text, "\n");
    }
    psgen_formcheck_marks(text, marked, marks);
    psgen_params p;
    psgen_params_default(&p);
    p.font = font;
    p.dpi = 300;
    p.page_h_mm = 60;
    p.letter_gap_mm = 0.8;
    p.seed = 900 + k;
    p.text = text;
    p.marks = marks;
    ps_image img;
    psgen_truth t;
    assert_int_equal(psgen_render(&p, &img, &t), PS_OK);
    ps_page_params pp;
    ps_page_params_default(&pp);
    pp.dpi = 300;
    pp.text = text;
    pp.models_dir = tu_models();
    ps_page_t *pg = NULL;
    assert_int_equal(ps_page_analyse(&img, &pp, &pg), PS_OK);
    for (int i = 0; i < ps_page_letter_count(pg); i++) {
        ps_page_letter_info li;
        assert_int_equal(ps_page_get_letter(pg, i, &li), PS_OK);
        if (li.expected <= 0)
            continue;
        /* what was drawn there: the same letter with the largest box overlap */
        int mark = '.';
        double bo = 0;
        for (int j = 0; j < t.letters; j++) {
            const psgen_letter *d = &t.letter[j];
            double ox = fmin(li.x1, d->x1) - fmax(li.x0, d->x0), oy = fmin(li.y1, d->y1) - fmax(li.y0, d->y0);
            if (d->ch == li.expected && ox > 0 && oy > 0 && ox * oy > bo) {
                bo = ox * oy;
                mark = d->mark;
            }
        }
        if (mark == 'r' && pg_mirror_differs(li.expected)) {
            T->rev_n++;
            T->rev_hit += li.reversed != 0;
        } else if (mark == 'o' && pg_should_close(li.expected)) {
            T->cut_n++;
            T->cut_hit += li.not_closed != 0;
        } else {
            T->letters++;
            T->rev_fa += li.reversed != 0;
            T->open_fa += li.not_closed != 0;
        }
    }
    ps_page_free(pg);
    ps_image_release(&img);
    psgen_truth_release(&t);
}

static tally run(const char *font, int marked)
{
    tally T = {0};
    int pages = tu_quick() ? 1 : 2;
    for (int k = 0; k < pages; k++)
        page(font, k, marked, &T);
    return T;
}

/* a font's unmarked letters: at most max_rev and max_open flags per 100 */
static void check_false_alarms(const char *font, const tally *T, double max_rev, double max_open)
{
    double rev = 100.0 * T->rev_fa / T->letters, open = 100.0 * T->open_fa / T->letters;
    print_message("%s: %d unmarked letters, %.1f reversed, %.1f open per 100\n", font, T->letters, rev, open);
    if (T->letters < 50 || rev > max_rev || open > max_open) {
        print_error("%s: %d letters, %.1f reversed (max %.1f), %.1f open (max %.1f) per 100\n", font, T->letters, rev,
                    max_rev, open, max_open);
        fail();
    }
}

static void test_no_false_reversals_unseen(void **state)
{
    (void)state;
    static const char *fonts[] = {"DkgHandwriting", "Breip", "Humor Sans"};
    for (int f = 0; f < 3; f++) {
        tally T = run(fonts[f], 0);
        check_false_alarms(fonts[f], &T, 1.0, 100);
    }
}

/* Breip draws its bowls open by design (gaps over 2 stroke widths and
 * 0.2 x-height, wider than psgen's cuts in Andika), and Humor Sans draws g
 * as a small G: both are open letters, not false alarms; DkgHandwriting
 * closes its bowls */
static void test_no_false_closure_unseen(void **state)
{
    (void)state;
    tally T = run("DkgHandwriting", 0);
    check_false_alarms("DkgHandwriting", &T, 100, 2.0);
}

/* mirrored letters are found: in the fonts the thresholds were chosen on
 * and in unseen hands (Humor Sans writes its lower case as small capitals:
 * found because the expected letter counts in either case); the marked
 * pages' other letters stay unflagged */
static void test_reversal_recall(void **state)
{
    (void)state;
    static const struct { const char *font; double floor; } want[] = {
        {"Andika", 70}, {"Comic Neue", 70}, {"DkgHandwriting", 60}, {"Humor Sans", 50}};
    for (int f = 0; f < 4; f++) {
        tally T = run(want[f].font, 1);
        double recall = T.rev_n ? 100.0 * T.rev_hit / T.rev_n : 0;
        print_message("%s: %d of %d mirrored letters flagged\n", want[f].font, T.rev_hit, T.rev_n);
        if (T.rev_n < 10 || recall < want[f].floor) {
            print_error("%s: %d of %d mirrored letters flagged (%.0f%%, floor %.0f%%)\n", want[f].font, T.rev_hit,
                        T.rev_n, recall, want[f].floor);
            fail();
        }
        /* about 110 unmarked letters here, so 1 per 100 would allow one
         * letter: DkgHandwriting's g (a loop under a short body) reads as z
         * or p as drawn and as g mirrored, once or twice depending on the
         * line's x-height; the unmarked pages above hold the 1 per 100 */
        check_false_alarms(want[f].font, &T, 2.0, 100);
    }
}

/* letters cut open are found in the printed hands and in femkeklaver */
static void test_closure_recall(void **state)
{
    (void)state;
    static const struct { const char *font; double floor; } want[] = {
        {"Andika", 75}, {"Comic Neue", 75}, {"femkeklaver", 70}};
    for (int f = 0; f < 3; f++) {
        tally T = run(want[f].font, 1);
        double recall = T.cut_n ? 100.0 * T.cut_hit / T.cut_n : 0;
        print_message("%s: %d of %d cut letters flagged open\n", want[f].font, T.cut_hit, T.cut_n);
        if (T.cut_n < 5 || recall < want[f].floor) {
            print_error("%s: %d of %d cut letters flagged open (%.0f%%, floor %.0f%%)\n", want[f].font, T.cut_hit,
                        T.cut_n, recall, want[f].floor);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_false_reversals_unseen),
        cmocka_unit_test(test_no_false_closure_unseen),
        cmocka_unit_test(test_reversal_recall),
        cmocka_unit_test(test_closure_recall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
