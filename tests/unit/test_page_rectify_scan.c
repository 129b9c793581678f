/* A scan is never taken for a photo of a sheet: the page finder must not
 * find a "sheet" between two rows of writing or two printed lines of a
 * white page and crop the writing outside it (it did, on single-ruled
 * scans at the 200 dpi working scale). Scans of every ruling and several
 * fonts, at the working scale; and a phone photo of a page on a table is
 * still found, as the control. */
#include "testutil.h"
#include "psgen.h"
#include "page/page_internal.h"
#include <stdio.h>

static int rectifies(const psgen_params *p, double scale)
{
    ps_image img, gray, flat;
    psgen_truth t;
    assert_int_equal(psgen_render(p, &img, &t), PS_OK);
    pg_ws *ws = pg_ws_new();
    assert_non_null(ws);
    assert_int_equal(pg_to_gray(ws, NULL, &img, scale, &gray), PS_OK);
    double hom[9], aspect = 0;
    int done = 0;
    assert_int_equal(pg_rectify(ws, NULL, &gray, &img, &flat, hom, &done, &aspect), PS_OK);
    if (done)
        pg_image_put(ws, &flat);
    pg_image_put(ws, &gray);
    pg_ws_unref(ws);
    ps_image_release(&img);
    psgen_truth_release(&t);
    return done;
}

static void test_scans_stay_whole(void **state)
{
    (void)state;
    static const char *fonts[] = {"Comic Neue", "Andika", "DkgHandwriting"};
    int wrong = 0, n = 0;
    for (int f = 0; f < (tu_quick() ? 1 : 3); f++)
        for (int ruling = PSGEN_NONE; ruling <= PSGEN_SEYES; ruling++)
            for (int seed = 10; seed < 13; seed++) {
                psgen_params p;
                psgen_params_default(&p);
                p.font = fonts[f];
                p.page_h_mm = 105;
                p.ruling = ruling;
                p.dpi = 300;
                p.rgb = 1;
                p.x_height_mm = ruling == PSGEN_SEYES ? 2.0 : ruling == PSGEN_PRIMARY ? 4.0 : 3.0;
                p.slant_deg = 5;
                p.seed = (unsigned)seed;
                int done = rectifies(&p, 200.0 / 300);
                if (done)
                    print_message("%s, ruling %d, seed %d: a scan was cropped as a photo\n", fonts[f], ruling, seed);
                wrong += done;
                n++;
            }
    print_message("%d of %d scans taken for photos\n", wrong, n);
    assert_int_equal(wrong, 0);
}

static void test_photo_still_found(void **state)
{
    (void)state;
    psgen_params p;
    psgen_params_default(&p);
    p.page_w_mm = 210;
    p.page_h_mm = 297;
    p.dpi = 150;
    p.ruling = PSGEN_SINGLE;
    p.rgb = 1;
    p.photo = 1;
    p.seed = 4;
    assert_int_equal(rectifies(&p, 1.0), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scans_stay_whole),
        cmocka_unit_test(test_photo_still_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
