/* The grasp classifier on hands built geometrically for each grasp of the
 * taxonomy (engine/grip/synth.c: bone lengths, joint angles, the thumb and
 * contacting fingers placed on the pencil), seen from several camera
 * placements, right and left hands; the metrics against values known from
 * the construction; the thresholds file and its errors. */
#include "testutil.h"
#include "grip/synth.h"
#include "grip/grip_internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ps_grip_thresholds_t *th;

static const char *thresholds_path(void)
{
    static char buf[1024];
    const char *m = getenv("PENSCOPE_MODELS");
    snprintf(buf, sizeof buf, "%s/grip/grasp_thresholds.json", m ? m : "models");
    return buf;
}

static int setup(void **state)
{
    (void)state;
    return ps_grip_thresholds_load(thresholds_path(), &th) == PS_OK ? 0 : -1;
}
static int teardown(void **state)
{
    (void)state;
    ps_grip_thresholds_free(th);
    return 0;
}

/* camera placements: 45 deg from the thumb side (the recommended one) with
 * tilts and in-plane turns, and a straight side view */
static const float views[][3] = {{45, 10, 20}, {45, 0, 0}, {60, 15, 30}, {80, 0, 90}, {20, 20, 160}, {30, -10, -40}};
#define N_VIEWS 6

static void classify(ps_grasp g, int view, int left, grip_synth *s, ps_grip_result *r)
{
    grip_view v;
    grip_view_default(&v);
    v.yaw_deg = views[view][0];
    v.pitch_deg = views[view][1];
    v.roll_deg = views[view][2];
    v.left = left;
    assert_int_equal(grip_synth_build(g, &v, s), 0);
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s->image, (const float(*)[3])s->world,
                                      left ? PS_GRIP_HAND_LEFT : PS_GRIP_HAND_RIGHT, &s->pencil, 7.0, r),
                     PS_OK);
}

/* Unsure: the classifier itself said the grasp does not survive the
 * landmark model's usual error (its stability test), so it reports unknown
 * with the right candidate rather than a label. */
static int said_unsure(const ps_grip_result *r)
{
    return r->grasp == PS_GRASP_UNKNOWN && r->n_criteria > 0 &&
           !strcmp(r->criteria[r->n_criteria - 1].name, "confidence");
}

static void expect_grasp(ps_grasp g, ps_thumb_position thumb, int fingers, unsigned views_mask)
{
    int cases = 0, unsure = 0;
    for (int v = 0; v < N_VIEWS; v++) {
        if (!(views_mask & (1u << v)))
            continue;
        for (int left = 0; left < 2; left++) {
            grip_synth s;
            ps_grip_result r;
            classify(g, v, left, &s, &r);
            /* the construction itself: placed digits end on their targets */
            assert_true(s.fit_error_m < 0.006f);
            if (r.grasp != g) {
                fprintf(stderr, "%s view %d %s: got %s\n", ps_grasp_name(g), v, left ? "left" : "right",
                        ps_grasp_name(r.grasp));
                for (int i = 0; i < r.n_criteria; i++)
                    fprintf(stderr, "  %s: %s\n", r.criteria[i].name, r.criteria[i].text);
            }
            cases++;
            /* the rules always find the grasp that was built ... */
            assert_int_equal(r.grasp_candidate, g);
            /* ... and report it, or say they are unsure of it */
            if (said_unsure(&r)) {
                unsure++;
            } else {
                assert_int_equal(r.grasp, g);
                assert_int_equal(r.grasp_maturity, ps_grasp_maturity_of(g));
                assert_true(r.grasp_confidence >= 0.35f && r.grasp_confidence <= 1.0f);
            }
            assert_true(r.n_criteria >= 2);
            if (thumb != PS_THUMB_UNKNOWN)
                assert_int_equal(r.thumb_position, thumb);
            if (fingers >= 0)
                assert_int_equal(r.fingers_on_pencil, fingers);
        }
    }
    /* unsure on noise-free landmarks only in a minority of the views */
    assert_true(4 * unsure <= cases);
}

#define ALL_VIEWS 0x3Fu
static void test_dynamic_tripod(void **s) { (void)s; expect_grasp(PS_GRASP_DYNAMIC_TRIPOD, PS_THUMB_OPPOSED, 3, ALL_VIEWS); }
static void test_lateral_tripod(void **s) { (void)s; expect_grasp(PS_GRASP_LATERAL_TRIPOD, PS_THUMB_ADDUCTED, 3, ALL_VIEWS); }
static void test_dynamic_quadrupod(void **s) { (void)s; expect_grasp(PS_GRASP_DYNAMIC_QUADRUPOD, PS_THUMB_OPPOSED, 4, ALL_VIEWS); }
/* seen from the palm side (view 5) the ring finger hides the pencil's contact */
static void test_lateral_quadrupod(void **s) { (void)s; expect_grasp(PS_GRASP_LATERAL_QUADRUPOD, PS_THUMB_ADDUCTED, 4, ALL_VIEWS & ~0x20u); }
static void test_four_finger(void **s) { (void)s; expect_grasp(PS_GRASP_FOUR_FINGER, PS_THUMB_OPPOSED, 4, ALL_VIEWS); }
static void test_five_finger(void **s) { (void)s; expect_grasp(PS_GRASP_FIVE_FINGER, PS_THUMB_OPPOSED, 5, ALL_VIEWS); }
static void test_thumb_wrap(void **s) { (void)s; expect_grasp(PS_GRASP_THUMB_WRAP, PS_THUMB_WRAPPED, -1, ALL_VIEWS); }
static void test_thumb_tuck(void **s) { (void)s; expect_grasp(PS_GRASP_THUMB_TUCK, PS_THUMB_TUCKED, -1, ALL_VIEWS & ~0x20u); }
/* the between-the-fingers test is made in the image: views that put the
 * index in front of the middle finger cannot show it (documented limit) */
static void test_interdigital_brace(void **s) { (void)s; expect_grasp(PS_GRASP_INTERDIGITAL_BRACE, PS_THUMB_UNKNOWN, -1, 0x1u | 0x4u | 0x10u); }
static void test_digital_pronate(void **s) { (void)s; expect_grasp(PS_GRASP_DIGITAL_PRONATE, PS_THUMB_UNKNOWN, -1, ALL_VIEWS); }
static void test_palmar_supinate(void **s) { (void)s; expect_grasp(PS_GRASP_PALMAR_SUPINATE, PS_THUMB_UNKNOWN, -1, ALL_VIEWS); }

/* a pencil lying beside the hand: no digit on it, grasp unknown */
static void test_unknown_pencil_away(void **st)
{
    (void)st;
    for (int v = 0; v < N_VIEWS; v++) {
        grip_synth s;
        ps_grip_result r;
        classify(PS_GRASP_UNKNOWN, v, 0, &s, &r);
        assert_int_equal(r.grasp, PS_GRASP_UNKNOWN);
        assert_int_equal(r.fingers_on_pencil, 0);
        assert_true(r.grasp_confidence == 0);
        assert_true(isnan(r.grip_distance_mm));
        assert_int_equal(r.grasp_maturity, PS_MATURITY_UNKNOWN);
    }
}

static void test_no_pencil(void **st)
{
    (void)st;
    grip_synth s;
    ps_grip_result r;
    classify(PS_GRASP_DYNAMIC_TRIPOD, 0, 0, &s, &r);
    ps_grip_pencil none;
    memset(&none, 0, sizeof none);
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, (const float(*)[3])s.world,
                                      PS_GRIP_HAND_RIGHT, &none, 7.0, &r), PS_OK);
    assert_int_equal(r.pencil_found, 0);
    assert_int_equal(r.grasp, PS_GRASP_UNKNOWN);
    assert_true(isnan(r.pencil_angle_deg));
    assert_true(isnan(r.grip_distance_rel));
    /* the hand's own metrics are still measured */
    assert_true(isfinite(r.web_space_angle_deg));
    assert_true(isfinite(r.index_dip_angle_deg));
    assert_int_equal(r.n_criteria, 1);
}

/* Web space angle and DIP angle against the construction: the synthetic
 * hand's index DIP is flexed 10 deg (interior 170) and the thumb metacarpal of
 * the dynamic tripod is abducted (40 deg radial, 45 deg palmar). */
static void test_angles_from_construction(void **st)
{
    (void)st;
    grip_synth s;
    ps_grip_result r;
    for (int v = 0; v < N_VIEWS; v++) {
        classify(PS_GRASP_DYNAMIC_TRIPOD, v, v & 1, &s, &r);
        assert_float_equal(r.index_dip_angle_deg, 170.0, 0.05);
        assert_int_equal(r.index_dip_hyperextended, 0);
        /* thumb metacarpal direction and wrist->index MCP direction in the hand frame */
        double r_ = 40 * M_PI / 180, a_ = 45 * M_PI / 180;
        double t0[3] = {sin(r_) * cos(a_), cos(r_) * cos(a_), sin(a_)};
        double m[3] = {0.020, 0.068, 0};
        double lm_ = sqrt(m[0] * m[0] + m[1] * m[1]);
        double c = (t0[0] * m[0] + t0[1] * m[1]) / lm_;
        double expect = acos(c) * 180 / M_PI;
        assert_float_equal(r.web_space_angle_deg, expect, 0.05);
        assert_int_equal(r.web_space, PS_WEB_OPEN);
    }
    classify(PS_GRASP_LATERAL_TRIPOD, 0, 0, &s, &r);
    assert_int_equal(r.web_space, PS_WEB_CLOSED);
    assert_true(r.web_space_angle_deg < 30);
}

/* Bending the distal phalanx backwards by the same amount makes the DIP
 * hyperextended; its interior angle stays the same. */
static void test_dip_hyperextension(void **st)
{
    (void)st;
    grip_synth s;
    ps_grip_result r;
    for (int left = 0; left < 2; left++) {
        classify(PS_GRASP_DYNAMIC_TRIPOD, 2, left, &s, &r);
        float(*w)[3] = s.world;
        /* reflect 7->8 about the line 6->7 within the finger's plane */
        float e[3], v[3], d = 0, le = 0;
        for (int k = 0; k < 3; k++) {
            e[k] = w[7][k] - w[6][k];
            v[k] = w[8][k] - w[7][k];
            le += e[k] * e[k];
        }
        le = sqrtf(le);
        for (int k = 0; k < 3; k++) {
            e[k] /= le;
            d += v[k] * e[k];
        }
        for (int k = 0; k < 3; k++)
            w[8][k] = w[7][k] + 2 * d * e[k] - v[k];
        assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, (const float(*)[3])w,
                                          left ? PS_GRIP_HAND_LEFT : PS_GRIP_HAND_RIGHT, &s.pencil, 7.0, &r), PS_OK);
        assert_float_equal(r.index_dip_angle_deg, 170.0, 0.05);
        assert_int_equal(r.index_dip_hyperextended, 0);  /* 10 deg is not past the threshold */
        /* bend it further back: 25 deg */
        float ang = 25 * (float)M_PI / 180;
        float lv = sqrtf(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        /* in-plane unit normal of e towards the reflected tip */
        float n[3], nn = 0;
        for (int k = 0; k < 3; k++) {
            n[k] = (w[8][k] - w[7][k]) - ((w[8][k] - w[7][k]) * 0 + d * e[k]);
            nn += n[k] * n[k];
        }
        nn = sqrtf(nn);
        for (int k = 0; k < 3; k++)
            w[8][k] = w[7][k] + lv * (cosf(ang) * e[k] + sinf(ang) * n[k] / nn);
        assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, (const float(*)[3])w,
                                          left ? PS_GRIP_HAND_LEFT : PS_GRIP_HAND_RIGHT, &s.pencil, 7.0, &r), PS_OK);
        assert_float_equal(r.index_dip_angle_deg, 155.0, 0.05);
        assert_int_equal(r.index_dip_hyperextended, 1);
    }
}

/* Grip distance: sliding the pencil along its own axis by d pixels changes the
 * distance by exactly d; mm follow from the width (7 mm). */
static void test_grip_distance(void **st)
{
    (void)st;
    grip_synth s;
    ps_grip_result r0, r1;
    classify(PS_GRASP_DYNAMIC_TRIPOD, 0, 0, &s, &r0);
    assert_true(r0.grip_digit >= 0);
    ps_grip_pencil p = s.pencil;
    float dx = p.end[0] - p.tip[0], dy = p.end[1] - p.tip[1], l = hypotf(dx, dy);
    float shift = 12.5f;  /* tip moves further from the fingers */
    p.tip[0] -= dx / l * shift;
    p.tip[1] -= dy / l * shift;
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, (const float(*)[3])s.world,
                                      PS_GRIP_HAND_RIGHT, &p, 7.0, &r1), PS_OK);
    assert_int_equal(r1.grip_digit, r0.grip_digit);
    assert_float_equal(r1.grip_distance_px, r0.grip_distance_px + shift, 1e-3);
    assert_float_equal(r1.grip_distance_mm, r1.grip_distance_px * 7.0 / p.width_px, 1e-3);
    assert_float_equal(r1.grip_distance_rel, r1.grip_distance_px / r1.hand_scale_px, 1e-5);
    /* no mm without a physical width */
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, (const float(*)[3])s.world,
                                      PS_GRIP_HAND_RIGHT, &p, 0, &r1), PS_OK);
    assert_true(isnan(r1.grip_distance_mm));
    assert_true(isfinite(r1.grip_distance_rel));
    /* pencil angle: tip to far end, counter-clockwise from image right */
    assert_float_equal(r0.pencil_angle_deg, atan2(-(s.pencil.end[1] - s.pencil.tip[1]), s.pencil.end[0] - s.pencil.tip[0]) * 180 / M_PI, 1e-3);
}

/* Without world landmarks: no 3-D metrics, the grasp from the image with a
 * lower confidence; with a doubtful pencil the grasp drops to unknown. */
static void test_degraded_inputs(void **st)
{
    (void)st;
    grip_synth s;
    ps_grip_result r, r2;
    classify(PS_GRASP_DYNAMIC_TRIPOD, 0, 0, &s, &r);
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, NULL, PS_GRIP_HAND_UNKNOWN, &s.pencil, 7.0, &r2), PS_OK);
    assert_true(isnan(r2.web_space_angle_deg));
    assert_int_equal(r2.web_space, PS_WEB_UNKNOWN);
    assert_int_equal(r2.index_dip_hyperextended, -1);
    assert_int_equal(r2.grasp, PS_GRASP_DYNAMIC_TRIPOD);
    assert_true(r2.grasp_confidence < r.grasp_confidence);
    /* handedness unknown: the palm side from the finger curl gives the same result */
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, (const float(*)[3])s.world, PS_GRIP_HAND_UNKNOWN,
                                      &s.pencil, 7.0, &r2), PS_OK);
    assert_int_equal(r2.grasp, r.grasp);
    ps_grip_pencil p = s.pencil;
    p.confidence = 0.3f;
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, (const float(*)[3])s.world, PS_GRIP_HAND_RIGHT,
                                      &p, 7.0, &r2), PS_OK);
    assert_int_equal(r2.grasp, PS_GRASP_UNKNOWN);
    assert_int_equal(r2.grasp_candidate, PS_GRASP_DYNAMIC_TRIPOD);
    assert_string_equal(r2.criteria[r2.n_criteria - 1].name, "confidence");
}

static void test_bad_arguments(void **st)
{
    (void)st;
    grip_synth s;
    ps_grip_result r;
    classify(PS_GRASP_DYNAMIC_TRIPOD, 0, 0, &s, &r);
    s.image[3][1] = NAN;
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, NULL, PS_GRIP_HAND_RIGHT, &s.pencil, 7, &r),
                     PS_ERR_INVALID_ARG);
    float zero[21][3] = {{0}};
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])zero, NULL, PS_GRIP_HAND_RIGHT, NULL, 7, &r),
                     PS_ERR_INVALID_ARG);
    assert_non_null(strstr(ps_last_error(), "hand scale"));
    assert_int_equal(ps_grip_classify(NULL, (const float(*)[3])zero, NULL, PS_GRIP_HAND_RIGHT, NULL, 7, &r),
                     PS_ERR_INVALID_ARG);
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])zero, NULL, PS_GRIP_HAND_RIGHT, NULL, 7, NULL),
                     PS_ERR_INVALID_ARG);
}

/* Landmark noise: each grasp at the default view, 200 draws of Gaussian
 * noise of 0.02 hand scales on the image landmarks (about 6 px here, the
 * frame-to-frame jitter of the landmark model) and 2 mm on each world
 * coordinate (joint angles then scatter by ~10 degrees). Measured with
 * these thresholds and this seed: 91% of all draws keep their grasp and 2.5%
 * get another one (the rest are reported unknown: the classifier finds them
 * unstable); thumb tuck is kept in 63% (another grasp in 7%), the lateral
 * grasps and thumb wrap in 80-85% (5-9%), the others 98-100% (0-0.5%). The limits guard against
 * regressions with a margin of about three binomial SDs. The wider
 * measurement (views, noise levels, depth noise) is test_grip_robust. */
static unsigned noise_seed = 12345;
static float gauss(void)
{
    float u = 0;
    for (int i = 0; i < 12; i++) {
        noise_seed = noise_seed * 1664525u + 1013904223u;
        u += (float)(noise_seed >> 8 & 0xFFFF) / 65535.0f;
    }
    return u - 6;
}

static void test_landmark_noise(void **st)
{
    (void)st;
    int total = 0, kept = 0, wrong_total = 0;
    for (int g = 1; g < PS_GRASP_COUNT; g++) {
        if (g == PS_GRASP_STATIC_TRIPOD)
            continue;
        grip_view v;
        grip_view_default(&v);
        grip_synth s;
        assert_int_equal(grip_synth_build((ps_grasp)g, &v, &s), 0);
        float hs = hypotf(s.image[9][0] - s.image[0][0], s.image[9][1] - s.image[0][1]);
        int ok = 0, wrong = 0;
        for (int t = 0; t < 200; t++) {
            float im[21][3], w[21][3];
            for (int i = 0; i < 21; i++)
                for (int k = 0; k < 3; k++) {
                    im[i][k] = s.image[i][k] + gauss() * 0.02f * hs;
                    w[i][k] = s.world[i][k] + gauss() * 0.002f;
                }
            ps_grip_result r;
            assert_int_equal(ps_grip_classify(th, (const float(*)[3])im, (const float(*)[3])w, PS_GRIP_HAND_RIGHT,
                                              &s.pencil, 7.0, &r), PS_OK);
            ok += r.grasp == (ps_grasp)g;
            wrong += r.grasp != (ps_grasp)g && r.grasp != PS_GRASP_UNKNOWN;
        }
        fprintf(stderr, "%-20s kept under noise in %3d of 200, another grasp in %3d\n", ps_grasp_name((ps_grasp)g), ok,
                wrong);
        assert_true(ok >= 110);
        assert_true(wrong <= 30);
        total += 200;
        kept += ok;
        wrong_total += wrong;
    }
    assert_true(kept >= 0.86 * total);
    assert_true(wrong_total <= 0.05 * total);
}

static void test_names(void **st)
{
    (void)st;
    for (int g = 0; g < PS_GRASP_COUNT; g++)
        assert_int_equal(ps_grasp_from_name(ps_grasp_name((ps_grasp)g)), g);
    assert_int_equal(ps_grasp_from_name("tripod"), PS_GRASP_COUNT);
    assert_string_equal(ps_grasp_maturity_name(ps_grasp_maturity_of(PS_GRASP_STATIC_TRIPOD)), "transitional");
    assert_string_equal(ps_grasp_maturity_name(ps_grasp_maturity_of(PS_GRASP_LATERAL_QUADRUPOD)), "mature");
    assert_string_equal(ps_grasp_maturity_name(ps_grasp_maturity_of(PS_GRASP_DIGITAL_PRONATE)), "primitive");
    assert_string_equal(ps_grasp_maturity_name(ps_grasp_maturity_of(PS_GRASP_THUMB_WRAP)), "atypical");
    assert_string_equal(ps_grasp_name((ps_grasp)99), "unknown");
}

/* The thresholds file: every entry is required and has its reasoning. */
static char *load_text(size_t *n)
{
    char *t = (char *)tu_read_file(thresholds_path(), n);
    assert_non_null(t);
    return t;
}

static void expect_parse_error(const char *text, const char *needle)
{
    ps_grip_thresholds_t *t = (ps_grip_thresholds_t *)0x1;
    ps_status rc = ps_grip_thresholds_parse(text, strlen(text), &t);
    assert_int_not_equal(rc, PS_OK);
    assert_null(t);
    if (!strstr(ps_last_error(), needle))
        fail_msg("error '%s' lacks '%s'", ps_last_error(), needle);
}

static char *replace_once(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    assert_non_null(p);
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *r = malloc(n);
    snprintf(r, n, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
    return r;
}

static void test_thresholds_file(void **st)
{
    (void)st;
    /* values as documented in the file */
    assert_float_equal(th->contact_rel, 0.25, 1e-12);
    assert_float_equal(th->min_change_s, 0.5, 1e-12);
    size_t n;
    char *text = load_text(&n);
    char *bad;
    bad = replace_once(text, "\"contact_rel\"", "\"contact_rell\"");
    expect_parse_error(bad, "contact.contact_rell");
    free(bad);
    bad = replace_once(text, "\"value\": 0.25", "\"value\": 7.5");
    expect_parse_error(bad, "outside");
    free(bad);
    bad = replace_once(text, "\"value\": 0.25", "\"value\": \"0.25\"");
    expect_parse_error(bad, "contact.contact_rel");
    free(bad);
    bad = replace_once(text, "\"why\": \"METRICS.md", "\"whyy\": \"METRICS.md");
    expect_parse_error(bad, "no \"why\"");
    free(bad);
    bad = replace_once(text, "\"value\": 0.25,", "\"value\": 0.25, \"extra\": 1,");
    expect_parse_error(bad, "unknown key 'extra'");
    free(bad);
    bad = replace_once(text, "\"contact\": {", "\"contacts\": {");
    expect_parse_error(bad, "unknown section 'contacts'");
    free(bad);
    bad = replace_once(text, "\"version\": 1", "\"version\": 2");
    expect_parse_error(bad, "version");
    free(bad);
    expect_parse_error("{\"format\": \"penscope-grip-thresholds\", \"version\": 1}", "missing entry");
    expect_parse_error("[1, 2", "invalid JSON");
    expect_parse_error("{\"format\": \"x\"}", "format");
    free(text);
    ps_grip_thresholds_t *t = NULL;
    assert_int_equal(ps_grip_thresholds_load("/nonexistent/grasp_thresholds.json", &t), PS_ERR_NOT_FOUND);
    assert_null(t);
    assert_non_null(strstr(ps_last_error(), "/nonexistent/grasp_thresholds.json"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dynamic_tripod),
        cmocka_unit_test(test_lateral_tripod),
        cmocka_unit_test(test_dynamic_quadrupod),
        cmocka_unit_test(test_lateral_quadrupod),
        cmocka_unit_test(test_four_finger),
        cmocka_unit_test(test_five_finger),
        cmocka_unit_test(test_thumb_wrap),
        cmocka_unit_test(test_thumb_tuck),
        cmocka_unit_test(test_interdigital_brace),
        cmocka_unit_test(test_digital_pronate),
        cmocka_unit_test(test_palmar_supinate),
        cmocka_unit_test(test_unknown_pencil_away),
        cmocka_unit_test(test_no_pencil),
        cmocka_unit_test(test_angles_from_construction),
        cmocka_unit_test(test_dip_hyperextension),
        cmocka_unit_test(test_grip_distance),
        cmocka_unit_test(test_degraded_inputs),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_landmark_noise),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_thresholds_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
