/* --text: alignment of the letters found to the expected text (omissions,
 * insertions), recognition, reversals, closure and form against psgen pages
 * with mirrored and cut letters. The letter models are models/glyphs/. */
#include "testutil.h"
#include "psgen.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* PS_TEST_QUICK (the sanitizer run): fewer fonts */
typedef struct run {
    psgen_truth t;
    ps_page_t *pg;
} run;

static void analyse(const char *font, const char *drawn, const char *marks, const char *expected, run *r)
{
    psgen_params p;
    psgen_params_default(&p);
    p.font = font;
    p.page_h_mm = 70;
    p.dpi = 300;
    p.text = drawn;
    p.marks = marks;
    p.letter_gap_mm = 0.8;
    ps_image img;
    assert_int_equal(psgen_render(&p, &img, &r->t), PS_OK);
    ps_page_params pp;
    ps_page_params_default(&pp);
    pp.dpi = 300;
    pp.text = expected;
    pp.models_dir = tu_models();
    assert_int_equal(ps_page_analyse(&img, &pp, &r->pg), PS_OK);
    ps_image_release(&img);
}

static void release(run *r)
{
    ps_page_free(r->pg);
    psgen_truth_release(&r->t);
}

static double M(const run *r, const char *n)
{
    return ps_page_metric(r->pg, n);
}

static const char text[] = "bad dog sees a big zoo\nwe dip a quiet pen in ink\nsix quick zebras jump";
/* b of bad mirrored, d of dog cut, s of sees mirrored, o of zoo cut, p of
 * dip mirrored, q of quick cut... */
static const char marks[] = "r...o...r..................r...........o................r....o..........";

/* fonts drawn like the models, and a handwriting font the models have
 * never seen: the alignment and the flags must hold for all */
static void test_reversal_closure_alignment(void **state)
{
    (void)state;
    static const char *fonts[] = {"Andika", "Comic Neue", "femkeklaver"};
    for (int f = 0; f < 3; f += tu_quick() ? 2 : 1) {
        run r;
        analyse(fonts[f], text, marks, text, &r);
        const char *font = fonts[f];
        int ne = 0;
        for (const char *c = text; *c; c++)
            ne += (*c >= 'a' && *c <= 'z');
        if (M(&r, "letters_expected") != ne || M(&r, "letters_matched") != ne || M(&r, "omissions") != 0 ||
            M(&r, "insertions") != 0) {
            print_error("%s: expected %.0f matched %.0f omissions %.0f insertions %.0f (want %d, %d, 0, 0)\n", font,
                        M(&r, "letters_expected"), M(&r, "letters_matched"), M(&r, "omissions"),
                        M(&r, "insertions"), ne, ne);
            fail();
        }
        /* an unseen font's mirrored c reads as a fair c: one spare there */
        if (fabs(M(&r, "reversals") - r.t.reversals) > (f == 2 ? 1 : 0)) {
            print_error("%s: reversals %.0f, truth %d\n", font, M(&r, "reversals"), r.t.reversals);
            fail();
        }
        /* femkeklaver's own d and q bowls are drawn open at 300 dpi: one spare */
        if (fabs(M(&r, "closure_fail") - r.t.closure_cuts) > (f == 2 ? 1 : 0)) {
            print_error("%s: closure_fail %.0f, truth %d\n", font, M(&r, "closure_fail"), r.t.closure_cuts);
            fail();
        }
        /* the model fonts read back almost perfectly; an unseen handwriting
         * font is the recogniser's real test (README: accuracy) */
        double want_leg = f < 2 ? 90 : 55;
        if (!(M(&r, "legibility_pct") >= want_leg)) {
            print_error("%s: legibility %.1f < %.0f\n", font, M(&r, "legibility_pct"), want_leg);
            fail();
        }
        assert_true(M(&r, "form_score") > 60 && M(&r, "form_score") <= 100);
        release(&r);
    }
}

/* words left out or added are counted as omissions and insertions */
static void test_omissions_insertions(void **state)
{
    (void)state;
    const char *font = "Comic Neue";
    run r;
    analyse(font, "bad dog sees a zoo", NULL, "bad dog sees a big zoo", &r);
    if (M(&r, "omissions") != 3 || M(&r, "insertions") != 0 || M(&r, "letters_matched") != 14) {
        print_error("omitted 'big': omissions %.0f insertions %.0f matched %.0f\n", M(&r, "omissions"),
                    M(&r, "insertions"), M(&r, "letters_matched"));
        fail();
    }
    release(&r);
    analyse(font, "bad dog sees a big red zoo", NULL, "bad dog sees a big zoo", &r);
    if (M(&r, "omissions") != 0 || M(&r, "insertions") != 3) {
        print_error("added 'red': omissions %.0f insertions %.0f\n", M(&r, "omissions"), M(&r, "insertions"));
        fail();
    }
    release(&r);
}

/* letters drawn touching their neighbour are one ink component; with the
 * text, one found letter as wide as two expected ones is both, and counts
 * as a collision */
static void test_touching_letters(void **state)
{
    (void)state;
    static const char *fonts[] = {"Andika", "femkeklaver"};
    static const char touch[] = ".t.....t.....t........t........t.......t......t.........t.......t..t...";
    for (int f = 0; f < (tu_quick() ? 1 : 2); f++) {
        const char *font = fonts[f];
        run r;
        analyse(font, text, touch, text, &r);
        assert_true(r.t.collisions >= 5);
        if (M(&r, "collisions") != r.t.collisions || M(&r, "omissions") != 0 || M(&r, "insertions") != 0) {
            print_error("%s: collisions %.0f (truth %d), omissions %.0f, insertions %.0f\n", font,
                        M(&r, "collisions"), r.t.collisions, M(&r, "omissions"), M(&r, "insertions"));
            fail();
        }
        release(&r);
    }
}

/* the form score falls when letters are drawn unlike their models */
static void test_form_score_order(void **state)
{
    (void)state;
    run a, b;
    analyse("Andika", text, NULL, text, &a);
    analyse("Breip", text, NULL, text, &b);
    assert_true(M(&a, "form_score") > 90);
    assert_true(M(&b, "form_score") < M(&a, "form_score") - 10);
    /* no letter of a page without mirrored letters is called reversed */
    assert_true(M(&a, "reversals") == 0 && M(&b, "reversals") == 0);
    release(&a);
    release(&b);
}

/* without the models the --text metrics are null with a warning */
static void test_missing_models(void **state)
{
    (void)state;
    psgen_params p;
    psgen_params_default(&p);
    ps_image img;
    psgen_truth t;
    assert_int_equal(psgen_render(&p, &img, &t), PS_OK);
    ps_page_params pp;
    ps_page_params_default(&pp);
    pp.dpi = 200;
    pp.text = "the quick";
    pp.models_dir = tu_tmpdir();
    ps_page_t *pg = NULL;
    assert_int_equal(ps_page_analyse(&img, &pp, &pg), PS_OK);
    assert_true(isnan(ps_page_metric(pg, "form_score")));
    int warned = 0;
    for (int i = 0; i < ps_page_warning_count(pg); i++)
        warned |= strstr(ps_page_warning(pg, i), "letter models") != NULL;
    assert_true(warned);
    ps_page_free(pg);
    ps_image_release(&img);
    psgen_truth_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reversal_closure_alignment),
        cmocka_unit_test(test_omissions_insertions),
        cmocka_unit_test(test_touching_letters),
        cmocka_unit_test(test_form_score_order),
        cmocka_unit_test(test_missing_models),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
