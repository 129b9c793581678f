/* The early look for a fine printed ruling (fine_ruling.c): it finds the
 * Seyès pitch in the gray rows of psgen pages at the 200 dpi working scale
 * (a narrow band, as page.c looks, and a wide one) and nothing on unruled,
 * single-ruled and primary-ruled pages; a page it hints on stops its first
 * pass after the shrink and is analysed once at the finer scale, and a
 * hint the finer run does not confirm leaves the page analysed at the usual
 * scale. */
#include "testutil.h"
#include "psgen.h"
#include "page/page_internal.h"
#include <math.h>

static void render(int ruling, double pitch_mm, int rgb, unsigned seed, ps_image *img, psgen_truth *t)
{
    psgen_params p;
    psgen_params_default(&p);
    p.font = "Comic Neue";
    p.dpi = 300;
    p.ruling = ruling;
    if (pitch_mm > 0)
        p.ruling_pitch_mm = pitch_mm;
    p.x_height_mm = ruling == PSGEN_SEYES ? 2.0 : ruling == PSGEN_PRIMARY ? 4.0 : 3.0;
    p.rgb = rgb;
    p.seed = seed;
    assert_int_equal(psgen_render(&p, img, t), PS_OK);
}

static void test_pitch_in_gray_rows(void **state)
{
    (void)state;
    static const int rulings[] = {PSGEN_NONE, PSGEN_SINGLE, PSGEN_PRIMARY, PSGEN_SEYES};
    for (int k = 0; k < 4; k++)
        for (int rgb = 0; rgb <= 1; rgb++) {
            ps_image img, gray;
            psgen_truth t;
            render(rulings[k], 0, rgb, 40 + (unsigned)(2 * k + rgb), &img, &t);
            assert_int_equal(pg_to_gray(NULL, NULL, &img, 200.0 / 300, &gray), PS_OK);
            int w = gray.width, band = w / 32;
            double pitch = pg_fine_ruling_pitch(&gray, w * 3 / 10, w * 7 / 10, 17);
            /* the middle half of the rows in a band 1/16 of the width
             * wide, as page.c looks */
            ps_image mid = gray;
            mid.data += (size_t)(mid.height / 4) * mid.stride;
            mid.height /= 2;
            double narrow = pg_fine_ruling_pitch(&mid, w / 2 - band, w / 2 + band, 17);
            if (rulings[k] == PSGEN_SEYES) {
                /* 2 mm at 200 dpi: 15.75 rows; half a row of error moves
                 * the finer scale by 3 % */
                if (fabs(pitch - 2 * 200 / 25.4) > 0.5) {
                    print_error("Seyès (rgb %d): pitch %.2f rows, want 15.75 +- 0.5\n", rgb, pitch);
                    fail();
                }
                if (fabs(narrow - 2 * 200 / 25.4) > 0.5) {
                    print_error("Seyès (rgb %d): narrow band pitch %.2f rows, want 15.75 +- 0.5\n", rgb, narrow);
                    fail();
                }
            } else if (pitch != 0 || narrow != 0) {
                print_error("ruling %d (rgb %d): a fine ruling of %.2f / %.2f rows where there is none\n",
                            rulings[k], rgb, pitch, narrow);
                fail();
            }
            ps_image_release(&gray);
            ps_image_release(&img);
            psgen_truth_release(&t);
        }
}

static ps_page_t *analyse_at(const ps_image *img, double dpi)
{
    ps_page_params pp;
    ps_page_params_default(&pp);
    pp.dpi = dpi;
    ps_page_t *pg = NULL;
    assert_int_equal(ps_page_analyse(img, &pp, &pg), PS_OK);
    return pg;
}

static ps_page_t *analyse(const ps_image *img)
{
    return analyse_at(img, 300);
}

static void test_one_finer_pass(void **state)
{
    (void)state;
    ps_image img;
    psgen_truth t;
    /* Seyès: seen in the gray rows, the 200 dpi pass stops after the
     * shrink; the page is analysed once at the input's 300 dpi and the
     * ruling is confirmed */
    render(PSGEN_SEYES, 0, 1, 7, &img, &t);
    ps_page_t *pg = analyse(&img);
    assert_int_equal(pg->fine_hint, 1);
    assert_int_equal(pg->passes, 2);
    assert_int_equal(ps_page_get_ruling(pg), PS_RULING_SEYES);
    assert_true(fabs(pg->factor - 1) < 1e-9);
    ps_page_free(pg);
    /* no resolution known (a photo's case): no look at the rows */
    pg = analyse_at(&img, 0);
    assert_int_equal(pg->fine_hint, -1);
    assert_int_equal(ps_page_get_ruling(pg), PS_RULING_SEYES);
    ps_page_free(pg);
    ps_image_release(&img);
    psgen_truth_release(&t);
    /* a single ruling: no hint, one pass at 200 dpi */
    render(PSGEN_SINGLE, 0, 1, 8, &img, &t);
    pg = analyse(&img);
    assert_int_equal(pg->fine_hint, 0);
    assert_int_equal(pg->passes, 1);
    assert_true(fabs(pg->factor - 1.5) < 0.01);
    ps_page_free(pg);
    ps_image_release(&img);
    psgen_truth_release(&t);
}

/* Lines every 2 mm that are all alike (no Seyès pattern): the rows hint, the
 * finer run finds no Seyès ruling, and the page is analysed as if there had
 * been no hint (the usual scale, unless its writing is small). */
static void test_unconfirmed_hint(void **state)
{
    (void)state;
    ps_image img;
    psgen_truth t;
    render(PSGEN_SINGLE, 2.0, 0, 9, &img, &t);
    ps_image gray;
    assert_int_equal(pg_to_gray(NULL, NULL, &img, 200.0 / 300, &gray), PS_OK);
    double pitch = pg_fine_ruling_pitch(&gray, gray.width * 3 / 10, gray.width * 7 / 10, 17);
    ps_image_release(&gray);
    ps_page_t *pg = analyse(&img);
    print_message("2 mm single ruling: hint pitch %.2f, ruling %d, hint %d, passes %d, factor %.3f\n", pitch,
                  ps_page_get_ruling(pg), pg->fine_hint, pg->passes, pg->factor);
    assert_true(fabs(pitch - 2 * 200 / 25.4) < 0.5);
    assert_int_equal(ps_page_get_ruling(pg), PS_RULING_SINGLE);
    assert_int_equal(pg->fine_hint, -1);
    assert_int_equal(pg->passes, 3); /* stopped after the shrink, finer, then the usual scale */
    assert_true(fabs(pg->factor - 1.5) < 0.01);
    ps_page_free(pg);
    ps_image_release(&img);
    psgen_truth_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pitch_in_gray_rows),
        cmocka_unit_test(test_one_finer_pass),
        cmocka_unit_test(test_unconfirmed_hint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
