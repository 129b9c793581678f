/* Primary-ruled pages (top line, dashed mid line, base line): the printed
 * lines come off without cutting the letters that cross or line them, and
 * the letters per writing line are found as well as on a single-ruled page
 * of the same text and hand. Before, x-height letters lining the dashed mid
 * line made it look five rows thick and pencil-gray, so its removal took
 * their tops off (m, n, a, e fell apart: 19 of 100 letters miscounted on
 * the Andika 300 dpi page), and the mid lines under a full line of writing
 * were not taken for printed lines, so a photo of a page the writing fills
 * read as single-ruled (still so on main just before the change, when the
 * Andika scan had come down to 1 letter by another route). */
#include "testutil.h"
#include "psgen.h"
#include "psgen_eval.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char text[] = "my cat likes to sleep in the warm sun\nJack and Jill went up the hill\n"
                           "a big dog that liked to dig\nmum made jam and muffins at noon";

typedef struct page_case {
    const char *font;
    double dpi, x_height_mm, slant_deg;
    int photo;
    unsigned seed;
} page_case;

/* letters per line of text written on ruling r */
static void count_letters(const page_case *c, int ruling, unsigned seed, psgen_count_score *s)
{
    psgen_params p;
    psgen_params_default(&p);
    p.font = c->font;
    p.text = text;
    p.ruling = ruling;
    p.dpi = c->dpi;
    p.page_h_mm = 100;
    p.x_height_mm = c->x_height_mm;
    p.slant_deg = c->slant_deg;
    p.baseline_sd_mm = 0.2;
    p.size_sd = 0.04;
    p.letter_gap_mm = 0.8;
    p.letter_gap_sd_mm = 0.15;
    p.seed = seed;
    if (c->photo) {
        psgen_params_phone_photo(&p);
        p.photo_tilt = 0.06;
        p.photo_rotate_deg = -2;
        p.photo_noise = 3;
    }
    psgen_truth t;
    ps_page_t *pg = NULL;
    assert_int_equal(psgen_render_analyse(&p, c->photo ? 0 : c->dpi, NULL, &t, &pg), PS_OK);
    assert_int_equal(ps_page_get_ruling(pg), ruling == PSGEN_PRIMARY ? PS_RULING_PRIMARY : PS_RULING_SINGLE);
    psgen_score_letter_counts(&t, pg, s);
    ps_page_free(pg);
    psgen_truth_release(&t);
}

static void test_primary_letters_per_line(void **state)
{
    (void)state;
    /* fonts the letter models were and were not made from, 150 and 300 dpi,
     * 3 and 4 mm x-heights, upright and slanted, and a phone photo */
    static const page_case cases[] = {
        {"Andika", 300, 4, -5, 1, 44},        {"Andika", 300, 4, 0, 0, 40},      {"femkeklaver", 150, 3, 0, 0, 41},
        {"DkgHandwriting", 300, 3, 5, 0, 42}, {"Comic Neue", 150, 3, 10, 0, 43}, {"Breip", 300, 4, 5, 0, 45},
    };
    int ncase = tu_quick() ? 2 : (int)(sizeof cases / sizeof *cases);
    for (int i = 0; i < ncase; i++) {
        const page_case *c = &cases[i];
        psgen_count_score prim = {0}, single = {0};
        count_letters(c, PSGEN_PRIMARY, c->seed, &prim);
        count_letters(c, PSGEN_SINGLE, c->seed, &single);
        printf("%s %.0f dpi%s x-height %.0f mm slant %.0f: primary %d lines, %d exact, %d letters miscounted of %d; "
               "single-ruled %d lines, %d exact, %d miscounted\n",
               c->font, c->dpi, c->photo ? " photo" : "", c->x_height_mm, c->slant_deg, prim.lines, prim.lines_exact,
               prim.abs_err, prim.letters, single.lines, single.lines_exact, single.abs_err);
        /* every line of text; no more than one letter in four lines worse
         * than the same text single-ruled, and at most one letter per line
         * miscounted (the touching-letter splitter's own misses on some
         * fonts, single-ruled too: measured 0-2 of 100 letters) */
        assert_int_equal(prim.lines, 4);
        if (prim.abs_err > prim.lines || 4 * (prim.abs_err - single.abs_err) > prim.lines) {
            print_error("%s: primary miscounts %d letters in %d lines (single-ruled %d)\n", c->font, prim.abs_err,
                        prim.lines, single.abs_err);
            fail();
        }
    }
}

/* The generator never writes past the page: a line of text too long for
 * the page ends at the last letter that fits, so the truth never counts
 * ink that is not in the image (it counted 11 to 55 letters per page off
 * the page at 4 mm x-height on A5). */
static void test_lines_end_at_page_edge(void **state)
{
    (void)state;
    psgen_params p;
    psgen_params_default(&p);
    p.dpi = 100;
    p.page_h_mm = 60;
    p.ruling = PSGEN_PRIMARY;
    p.x_height_mm = 5;
    p.text = "the quick brown fox jumps over the lazy dog and runs far away\nshort line";
    ps_image img;
    psgen_truth t;
    assert_int_equal(psgen_render(&p, &img, &t), PS_OK);
    int first_line = 0;
    for (int i = 0; i < t.letters; i++) {
        first_line += t.letter[i].line == 0;
        assert_true(t.letter[i].x1 <= img.width - 2 * p.dpi / 25.4 + 1e-6);
    }
    assert_true(first_line > 10 && first_line < 50); /* cut, not dropped */
    assert_int_equal(t.lines, 2);
    assert_int_equal(t.line[1].nletters, 9);
    psgen_truth_release(&t);
    ps_image_release(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_end_at_page_edge),
        cmocka_unit_test(test_primary_letters_per_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
