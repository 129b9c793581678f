/* Reports: the plain-language sentences on constructed progress, and the PDF,
 * HTML and PNG chart writers (valid headers, 0600 files, no external
 * resources in HTML, a chart that is not blank). */
#include "testutil.h"
#include "core/alloc.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static ps_obs series[] = {{20454, 4}, {20461, 7}, {20468, 9}, {20475, 13}, {20482, 14}};

static ps_metric_progress grip_progress(int with_goal)
{
    ps_metric_progress m;
    memset(&m, 0, sizeof m);
    strcpy(m.metric, "grip_distance_mm");
    m.info = ps_metric_find(m.metric);
    m.obs = series;
    m.n = 5;
    m.gas_level = PS_GAS_NONE;
    m.goal_distance = NAN;
    if (with_goal) {
        m.has_goal = 1;
        strcpy(m.goal.metric, m.metric);
        m.goal.low = 15;
        m.goal.high = 25;
        assert_int_equal(ps_date_parse("2026-03-31", &m.goal.due_day), PS_OK);
        m.goal.has_gas = 1;
        double g[5] = {4, 8, 15, 20, 25};
        memcpy(m.goal.gas, g, sizeof g);
        m.goal_distance = ps_goal_distance(&m.goal, 14);
        m.gas_level = ps_goal_gas_level(&m.goal, PS_GOOD_BAND, 14);
    }
    assert_int_equal(ps_progress_compute(series, 5, PS_GOOD_BAND, NULL, with_goal ? &m.goal : NULL, &m.p), PS_OK);
    return m;
}

static void test_sentences(void **st)
{
    (void)st;
    char buf[512];
    ps_metric_progress m = grip_progress(1);
    ps_report_sentence(&m, buf, sizeof buf);
    assert_string_equal(buf, "Grip distance moved from 4 mm to 14 mm, a reliable improvement. The goal is 15 mm to "
                             "25 mm by 2026-03-31: 1 mm to go. Goal attainment level -1 (from -2 to +2, 0 = as "
                             "expected).");
    m = grip_progress(0);
    ps_report_sentence(&m, buf, sizeof buf);
    assert_string_equal(buf, "Grip distance moved from 4 mm to 14 mm, a reliable change.");
    m.n = 1;
    m.p.baseline_day = series[0].day;
    ps_report_sentence(&m, buf, sizeof buf);
    assert_string_equal(buf, "Grip distance was 4 mm on 2026-01-01 (one session so far).");

    ps_metric_progress t;
    memset(&t, 0, sizeof t);
    strcpy(t.metric, "grasp");
    t.info = ps_metric_find("grasp");
    strcpy(t.first_text, "thumb_wrap");
    strcpy(t.latest_text, "dynamic_tripod");
    ps_report_sentence(&t, buf, sizeof buf);
    assert_string_equal(buf, "Grasp changed from thumb wrap to dynamic tripod.");

    /* grasp maturity has a developmental order; atypical has none */
    strcpy(t.metric, "grasp_maturity");
    t.info = ps_metric_find("grasp_maturity");
    strcpy(t.first_text, "transitional");
    strcpy(t.latest_text, "mature");
    ps_report_sentence(&t, buf, sizeof buf);
    assert_string_equal(buf, "Grasp maturity changed from transitional to mature, a step forward in the developmental "
                             "order (primitive, transitional, mature).");
    strcpy(t.first_text, "mature");
    strcpy(t.latest_text, "primitive");
    ps_report_sentence(&t, buf, sizeof buf);
    assert_non_null(strstr(buf, "a step back"));
    strcpy(t.latest_text, "atypical");
    ps_report_sentence(&t, buf, sizeof buf);
    assert_string_equal(buf, "Grasp maturity changed from mature to atypical.");

    /* a legibility series without reliable change */
    ps_metric_progress l;
    memset(&l, 0, sizeof l);
    strcpy(l.metric, "legibility_pct");
    l.info = ps_metric_find(l.metric);
    static ps_obs flat[] = {{0, 60}, {7, 64}, {14, 58}, {21, 63}, {28, 61}};
    l.obs = flat;
    l.n = 5;
    assert_int_equal(ps_progress_compute(flat, 5, PS_GOOD_UP, NULL, NULL, &l.p), PS_OK);
    ps_report_sentence(&l, buf, sizeof buf);
    assert_string_equal(buf, "Legible letters moved from 60% to 61%, within the usual session-to-session variation "
                             "(not a reliable change).");
    /* truncation is safe */
    ps_report_sentence(&l, buf, 10);
    assert_int_equal(strlen(buf), 9);
}

static int mode_of(const char *p)
{
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    return sb.st_mode & 0777;
}

static void test_writers(void **st)
{
    (void)st;
    ps_child c;
    memset(&c, 0, sizeof c);
    strcpy(c.code, "K<7>");
    c.birth_year = 2018;
    ps_metric_progress m[2];
    m[0] = grip_progress(1);
    memset(&m[1], 0, sizeof m[1]);
    strcpy(m[1].metric, "grasp");
    m[1].info = ps_metric_find("grasp");
    strcpy(m[1].first_text, "thumb_wrap");
    strcpy(m[1].latest_text, "dynamic_tripod");
    ps_report_input in;
    memset(&in, 0, sizeof in);
    in.child = &c;
    in.metrics = m;
    in.n = 2;
    in.today = 20500;
    /* an overlay: a small PNG written by the library itself */
    ps_image img;
    assert_int_equal(ps_image_alloc(&img, 40, 30, 3), PS_OK);
    memset(img.data, 200, img.stride * 30);
    const char *png = tu_tmpfile("ov.png");
    assert_int_equal(ps_image_write_png(png, &img), PS_OK);
    ps_image_release(&img);
    size_t plen;
    unsigned char *pbytes = tu_read_file(png, &plen);
    in.grip_png = pbytes;
    in.grip_png_len = plen;
    in.grip_day = 20482;

    const char *pdf = tu_tmpfile("r.pdf"), *html = tu_tmpfile("r.html");
    assert_int_equal(ps_report_write_pdf(&in, pdf), PS_OK);
    assert_int_equal(ps_report_write_html(&in, html), PS_OK);
    assert_int_equal(mode_of(pdf), 0600);
    assert_int_equal(mode_of(html), 0600);
    size_t n;
    unsigned char *b = tu_read_file(pdf, &n);
    assert_true(n > 1000);
    assert_memory_equal(b, "%PDF-", 5);
    free(b);
    char *h = (char *)tu_read_file(html, &n);
    assert_non_null(strstr(h, "<svg"));
    assert_non_null(strstr(h, "K&lt;7&gt;")); /* escaped */
    assert_null(strstr(h, "K<7>"));
    assert_non_null(strstr(h, "data:image/png;base64,iVBORw0KGgo")); /* the PNG signature */
    assert_non_null(strstr(h, "a reliable improvement"));
    assert_null(strstr(h, "src=\"http"));
    assert_null(strstr(h, "href=\"http"));
    assert_null(strstr(h, "url(http"));
    free(h);
    free(pbytes);

    /* a corrupt overlay does not break the PDF */
    in.grip_png = "not a png at all";
    in.grip_png_len = 16;
    assert_int_equal(ps_report_write_pdf(&in, tu_tmpfile("r2.pdf")), PS_OK);
    assert_int_equal(ps_report_write_html(&in, tu_tmpfile("r2.html")), PS_OK);
    assert_int_equal(ps_report_write_pdf(&in, tu_tmpfile("no/such/dir/r.pdf")), PS_ERR_IO);
    in.child = NULL;
    assert_int_equal(ps_report_write_pdf(&in, pdf), PS_ERR_INVALID_ARG);
}

/* The chart draws the series: dark pixels on the line between the first and
 * last points, and the goal band's green tint. */
static void test_chart_png(void **st)
{
    (void)st;
    ps_metric_progress m = grip_progress(1);
    const char *p = tu_tmpfile("chart.png");
    assert_int_equal(ps_report_chart_png(&m, 400, 200, p), PS_OK);
    assert_int_equal(mode_of(p), 0600);
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    ps_image img;
    assert_int_equal(ps_image_decode_file(p, &dp, &img, NULL), PS_OK);
    assert_int_equal(img.width, 400);
    size_t dark = 0, green = 0, white = 0;
    for (int y = 0; y < img.height; y++)
        for (int x = 0; x < img.width; x++) {
            const uint8_t *px = img.data + (size_t)y * img.stride + 3 * (size_t)x;
            if (px[0] < 100 && px[1] < 120 && px[2] > 120)
                dark++; /* the blue series */
            if (px[1] > px[0] + 10 && px[1] > px[2] + 10)
                green++;
            if (px[0] > 250 && px[1] > 250 && px[2] > 250)
                white++;
        }
    ps_image_release(&img);
    assert_true(dark > 200);
    assert_true(green > 2000);
    assert_true(white > 10000);
    assert_int_equal(ps_report_chart_png(&m, 10, 10, p), PS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_writers),
        cmocka_unit_test(test_chart_png),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ps_report_cleanup(); /* fontconfig's caches, so LeakSanitizer sees a clean exit */
    return rc;
}
