/* Unruled pages in regular fonts with tight, even letter gaps: the row along
 * the flat tops (or bottoms) of a line's x-height letters has runs and gaps
 * as even as a dashed printed line's. It must not be taken for one: removing
 * it cut the top ~9 px off every letter (Andika's x-height read 2.16 mm
 * instead of 3.05 mm, o read as u). No printed line may be found, and the
 * x-height holds to the tolerance test_page_metrics uses on unruled pages
 * (5 % of psgen's truth). */
#include "testutil.h"
#include "psgen_eval.h"
#include "page/page_internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_unruled_even_letters(void **state)
{
    (void)state;
    /* three regular fonts (two whose letter rows fooled the dashed-line test
     * before) and a handwriting font */
    static const char *fonts[] = {"Andika", "Comic Neue", "DejaVu Sans", "femkeklaver"};
    /* the first line alone fooled it in Andika at 0.8 mm gaps, in all three
     * regular fonts at 1.2 mm */
    static const char *texts[] = {
        "please bring your book and pencil to class",
        "please bring your book and pencil to class\na little bird sang a song in the tall tree",
        "please bring your book and pencil to class\nthe rain fell softly on the green hills\n"
        "six big whales quickly jumped over the cold pond",
    };
    static const double gaps[] = {0.8, 1.2};
    for (int f = 0; f < 4; f++)
        for (int g = 0; g < 2; g++)
            for (int n = 0; n < 3; n += tu_quick() ? 2 : 1) {
                psgen_params p;
                psgen_params_default(&p);
                p.font = fonts[f];
                p.dpi = 300;
                p.page_h_mm = 40 + 12 * n; /* the lines and a margin of paper, as a cut strip */
                p.letter_gap_mm = gaps[g];
                p.letter_gap_sd_mm = 0;
                p.text = texts[n];
                p.seed = 701;
                psgen_truth t;
                ps_page_t *pg = NULL;
                assert_int_equal(psgen_render_analyse(&p, 300, NULL, &t, &pg), PS_OK);
                double xh = ps_page_metric(pg, "x_height_mm");
                printf("%s gap %.1f mm, %d line(s): printed lines %d, ruling %s, x-height %.2f mm (truth %.2f)\n",
                       fonts[f], gaps[g], t.lines, pg->ruling.nrule, ps_page_ruling_name(ps_page_get_ruling(pg)), xh,
                       t.x_height_mm);
                if (pg->ruling.nrule != 0 || ps_page_get_ruling(pg) != PS_RULING_NONE ||
                    ps_page_line_count(pg) != t.lines || !(fabs(xh - t.x_height_mm) <= 0.05 * t.x_height_mm)) {
                    print_error("%s gap %.1f, %d line(s): %d printed lines found, %d writing lines, x-height %.3f "
                                "truth %.3f\n",
                                fonts[f], gaps[g], t.lines, pg->ruling.nrule, ps_page_line_count(pg), xh,
                                t.x_height_mm);
                    fail();
                }
                ps_page_free(pg);
                psgen_truth_release(&t);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_unruled_even_letters)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
