/* Video aggregates on synthetic frame sequences with known answers, and the
 * One-Euro landmark smoother. */
#include "grip_testutil.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A hand (wrist at c, hand scale 100 px, rotated by rot) with the pencil tip
 * at hand-frame position (u, v) in hand scales. */
static void place(ps_grip_frame *f, double t, float cx, float cy, float rot, float u, float v)
{
    memset(f, 0, sizeof *f);
    f->t_s = t;
    f->hand_found = 1;
    f->pencil_found = 1;
    f->grasp = PS_GRASP_DYNAMIC_TRIPOD;
    f->grip_distance_mm = 15;
    f->pencil_angle_deg = 120;
    static const float local[5][2] = {{0, 0}, {0.3f, -0.95f}, {0, -1}, {-0.25f, -0.95f}, {-0.45f, -0.85f}};
    float c = cosf(rot), s = sinf(rot);
    for (int i = 0; i < 5; i++) {
        float x = 100 * local[i][0], y = 100 * local[i][1];
        f->hand_pts[i][0] = cx + c * x - s * y;
        f->hand_pts[i][1] = cy + s * x + c * y;
    }
    float x = 100 * u, y = 100 * v;
    f->tip[0] = cx + c * x - s * y;
    f->tip[1] = cy + s * x + c * y;
}

static void test_empty_and_errors(void **st)
{
    (void)st;
    ps_grip_video_result r;
    assert_int_equal(ps_grip_video_aggregate(NULL, 0, th, &r), PS_OK);
    assert_int_equal(r.frames, 0);
    assert_true(isnan(r.hand_found_pct));
    assert_int_equal(r.grasp_mode, PS_GRASP_UNKNOWN);
    ps_grip_frame f[2];
    place(&f[0], 1.0, 0, 0, 0, 0, 0);
    place(&f[1], 0.5, 0, 0, 0, 0, 0);
    assert_int_equal(ps_grip_video_aggregate(f, 2, th, &r), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_grip_video_aggregate(f, 2, NULL, &r), PS_ERR_INVALID_ARG);
}

/* Tip moving in the hand's frame while the hand stays: fingers, ratio 1. */
static void test_finger_movement(void **st)
{
    (void)st;
    ps_grip_frame f[60];
    for (int i = 0; i < 60; i++)
        place(&f[i], i / 30.0, 300, 400, 0.3f, 0.2f + 0.1f * sinf(i * 0.3f), -1.3f + 0.1f * cosf(i * 0.3f));
    ps_grip_video_result r;
    assert_int_equal(ps_grip_video_aggregate(f, 60, th, &r), PS_OK);
    assert_int_equal(r.movement_source, PS_MOVEMENT_FINGERS);
    assert_float_equal(r.finger_movement_ratio, 1.0, 1e-3);
    assert_int_equal(r.grasp_mode, PS_GRASP_DYNAMIC_TRIPOD);
    assert_float_equal(r.mature_grasp_pct, 100.0, 1e-4);
    assert_float_equal(r.hand_found_pct, 100.0, 1e-4);
    assert_float_equal(r.grip_distance_mm_mean, 15.0, 1e-4);
    assert_float_equal(r.grip_distance_mm_sd, 0.0, 1e-4);
    assert_float_equal(r.pencil_angle_sd_deg, 0.0, 1e-3);
    assert_int_equal(r.grasp_changes, 0);
}

/* The whole hand translates with the tip fixed in it: arm, ratio 0; a
 * tripod moved by the arm is a static tripod. The hand rotating about the
 * wrist: wrist. */
static void test_arm_and_wrist_movement(void **st)
{
    (void)st;
    ps_grip_frame f[60];
    for (int i = 0; i < 60; i++)
        place(&f[i], i / 30.0, 300 + 40 * sinf(i * 0.2f), 400 + 3.0f * i, 0.3f, 0.2f, -1.3f);
    ps_grip_video_result r;
    assert_int_equal(ps_grip_video_aggregate(f, 60, th, &r), PS_OK);
    assert_int_equal(r.movement_source, PS_MOVEMENT_ARM);
    assert_float_equal(r.finger_movement_ratio, 0.0, 1e-3);
    assert_int_equal(r.grasp_mode, PS_GRASP_STATIC_TRIPOD);
    assert_int_equal(r.grasp_mode_frames, PS_GRASP_DYNAMIC_TRIPOD);
    for (int i = 0; i < 60; i++)
        place(&f[i], i / 30.0, 300, 400, 0.3f + 0.15f * sinf(i * 0.25f), 0.2f, -1.3f);
    assert_int_equal(ps_grip_video_aggregate(f, 60, th, &r), PS_OK);
    assert_int_equal(r.movement_source, PS_MOVEMENT_WRIST);
    assert_float_equal(r.finger_movement_ratio, 0.0, 1e-3);
    assert_float_equal(r.wrist_movement_ratio, 1.0, 1e-3);
    /* a still hand and tip: too little movement to tell */
    for (int i = 0; i < 60; i++)
        place(&f[i], i / 30.0, 300, 400, 0.3f, 0.2f, -1.3f);
    assert_int_equal(ps_grip_video_aggregate(f, 60, th, &r), PS_OK);
    assert_int_equal(r.movement_source, PS_MOVEMENT_UNKNOWN);
    assert_true(isnan(r.finger_movement_ratio));
}

/* Half the tip path from the fingers, half carried by the hand: ratio 0.5. */
static void test_mixed_movement_ratio(void **st)
{
    (void)st;
    ps_grip_frame f[41];
    for (int i = 0; i <= 40; i++)
        /* hand moves +2 px/frame in x; the tip moves +2 px/frame in y in the hand frame (rot 0) */
        place(&f[i], i / 20.0, 300 + 2.0f * i, 400, 0, 0.2f, -1.3f + 0.02f * i);
    ps_grip_video_result r;
    assert_int_equal(ps_grip_video_aggregate(f, 41, th, &r), PS_OK);
    assert_float_equal(r.finger_movement_ratio, 0.5, 1e-3);
    assert_int_equal(r.movement_source, PS_MOVEMENT_FINGERS);  /* 0.5 is the documented threshold, inclusive */
}

/* Grasp changes count only switches held >= 0.5 s; unknown frames are gaps. */
static void test_grasp_changes(void **st)
{
    (void)st;
    /* 30 fps: 1 s tripod, 0.2 s lateral flicker, 1 s tripod, 0.3 s unknown, 1 s quadrupod, 1 s tripod */
    ps_grip_frame f[200];
    int n = 0;
    struct { ps_grasp g; int frames; } segs[] = {
        {PS_GRASP_DYNAMIC_TRIPOD, 30}, {PS_GRASP_LATERAL_TRIPOD, 6}, {PS_GRASP_DYNAMIC_TRIPOD, 30},
        {PS_GRASP_UNKNOWN, 9}, {PS_GRASP_DYNAMIC_QUADRUPOD, 30}, {PS_GRASP_DYNAMIC_TRIPOD, 30},
    };
    for (size_t s = 0; s < sizeof segs / sizeof segs[0]; s++)
        for (int k = 0; k < segs[s].frames; k++, n++) {
            place(&f[n], n / 30.0, 300, 400, 0, 0.2f, -1.3f);
            f[n].grasp = segs[s].g;
            f[n].hand_found = segs[s].g != PS_GRASP_UNKNOWN;
            f[n].grip_distance_mm = segs[s].g == PS_GRASP_UNKNOWN ? NAN : (float)(10 + (n % 2) * 10);
        }
    ps_grip_video_result r;
    assert_int_equal(ps_grip_video_aggregate(f, (size_t)n, th, &r), PS_OK);
    assert_int_equal(r.frames, n);
    assert_int_equal(r.grasp_changes, 2);  /* tripod -> quadrupod -> tripod; the flicker does not count */
    assert_int_equal(r.grasp_mode, PS_GRASP_DYNAMIC_TRIPOD);
    assert_float_equal(r.hand_found_pct, 100.0 * (n - 9) / n, 1e-3);
    assert_float_equal(r.mature_grasp_pct, 100.0, 1e-4);  /* all four grasps are mature */
    /* grip distance alternates 10 / 20 mm over known frames */
    assert_float_equal(r.grip_distance_mm_mean, 15.0, 0.2);
    assert_float_equal(r.grip_distance_mm_sd, 5.0, 0.1);
}

/* Circular SD: angles either side of +-180 are close, not 360 apart. */
static void test_pencil_angle_sd(void **st)
{
    (void)st;
    ps_grip_frame f[4];
    const float ang[4] = {175, -175, 170, -170};
    for (int i = 0; i < 4; i++) {
        place(&f[i], i * 0.1, 300, 400, 0, 0.2f, -1.3f);
        f[i].pencil_angle_deg = ang[i];
    }
    ps_grip_video_result r;
    assert_int_equal(ps_grip_video_aggregate(f, 4, th, &r), PS_OK);
    assert_float_equal(r.pencil_angle_sd_deg, sqrt((25 + 25 + 100 + 100) / 4.0), 1e-2);
}

/* One-Euro: a still, jittery landmark is held near its true place; a fast move is
 * followed with little lag; the first frame passes through. */
static void test_smoother(void **st)
{
    (void)st;
    ps_grip_smoother s;
    ps_grip_smoother_init(&s);
    float lm[21][3];
    unsigned seed = 5;
    double se_raw = 0, se_f = 0;
    for (int i = 0; i < 300; i++) {
        for (int j = 0; j < 21; j++)
            for (int k = 0; k < 3; k++) {
                seed = seed * 1664525u + 1013904223u;
                lm[j][k] = 100 + j + 4.0f * ((float)(seed >> 8 & 0xFFFF) / 65535.0f - 0.5f);  /* +-2 px jitter */
            }
        float raw = lm[0][0];
        ps_grip_smoother_apply(&s, i / 30.0, lm);
        if (i == 0)
            assert_float_equal(lm[0][0], raw, 0);
        if (i > 60) {
            se_raw += (raw - 100) * (raw - 100);
            se_f += (lm[0][0] - 100) * (lm[0][0] - 100);
        }
    }
    /* +-2 px jitter: the RMS error at least halved */
    assert_true(sqrt(se_f) < 0.5 * sqrt(se_raw));
    /* a step of 200 px: after 0.1 s the filtered value has covered most of it */
    ps_grip_smoother_reset(&s);
    for (int i = 0; i < 30; i++) {
        for (int j = 0; j < 21; j++)
            for (int k = 0; k < 3; k++)
                lm[j][k] = i < 10 ? 100.0f : 100.0f + 20.0f * (i - 9) > 300 ? 300.0f : 100.0f + 20.0f * (i - 9);
        ps_grip_smoother_apply(&s, i / 30.0, lm);
        if (i == 15)
            assert_true(lm[0][0] > 100 + 0.6 * (20.0 * 6));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_errors),
        cmocka_unit_test(test_finger_movement),
        cmocka_unit_test(test_arm_and_wrist_movement),
        cmocka_unit_test(test_mixed_movement_ratio),
        cmocka_unit_test(test_grasp_changes),
        cmocka_unit_test(test_pencil_angle_sd),
        cmocka_unit_test(test_smoother),
    };
    return cmocka_run_group_tests(tests, grip_thresholds_setup, grip_thresholds_teardown);
}
