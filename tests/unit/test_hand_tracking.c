/* Video tracking (MediaPipe's hand_landmark_tracking graph): on frames made
 * from a real photo moving sideways, the palm detector runs on the first
 * frame only (max_hands 1) and the hand is then followed from the previous
 * frame's landmarks, agreeing with a fresh detection on each frame; a lost
 * hand brings the detector back; redetect_frames spaces detector runs when
 * fewer than max_hands hands are tracked; a size change restarts tracking;
 * a grip view the detector cannot see is found by the grip search and then
 * tracked. */
#include "testutil.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define NFRAMES 10
#define SHIFT_PX 3          /* per frame */
#define AGREE_FRAC 0.01     /* tracked vs fresh landmarks: mean, / longer side */

static ps_engine_t *eng;
static ps_session_t *ses;
static ps_image photo;

static int setup(void **state)
{
    (void)state;
    ps_engine_params ep;
    ps_engine_params_default(&ep);
    if (ps_engine_new(&ep, &eng) != PS_OK) {
        fprintf(stderr, "%s\n", ps_last_error());
        return -1;
    }
    if (ps_session_new(eng, &ses) != PS_OK)
        return -1;
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.channels = 3;
    return ps_image_decode_file(tu_testdata("hands/images/four_15a73593.jpg"), &dp, &photo, NULL) == PS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ps_image_release(&photo);
    ps_session_free(ses);
    ps_engine_free(eng);
    return 0;
}

/* the photo moved right by dx pixels, the left edge repeated */
static void shifted(ps_image *out, int dx)
{
    assert_int_equal(ps_image_alloc(out, photo.width, photo.height, 3), PS_OK);
    for (int y = 0; y < photo.height; y++)
        for (int x = 0; x < photo.width; x++) {
            int sx = x - dx < 0 ? 0 : x - dx;
            memcpy(out->data + (size_t)y * out->stride + (size_t)x * 3,
                   photo.data + (size_t)y * photo.stride + (size_t)sx * 3, 3);
        }
}

static double mean_diff(const ps_hand *a, const ps_hand *b)
{
    double s = 0;
    for (int i = 0; i < PS_HAND_LANDMARKS; i++)
        s += hypot(a->landmarks[i][0] - b->landmarks[i][0], a->landmarks[i][1] - b->landmarks[i][1]);
    return s / PS_HAND_LANDMARKS;
}

static void test_follow(void **state)
{
    (void)state;
    ps_hands_params hp;
    ps_hands_params_default(&hp);
    hp.max_hands = 1;
    hp.grip_search = 0;
    ps_hands_track_reset(ses);
    double scale = photo.width > photo.height ? photo.width : photo.height, worst = 0;
    for (int f = 0; f < NFRAMES; f++) {
        ps_image fr;
        shifted(&fr, f * SHIFT_PX);
        ps_hands_result tr, fresh;
        assert_int_equal(ps_hands_track(ses, &fr, &hp, &tr), PS_OK);
        assert_int_equal(tr.count, 1);
        assert_int_equal(tr.palm_runs, f == 0 ? 1 : 0);
        assert_int_equal(tr.landmark_runs, 1);
        assert_int_equal(tr.hands[0].source, f == 0 ? PS_HAND_FROM_PALM : PS_HAND_FROM_TRACKING);
        assert_true(tr.hands[0].score > 0.5f);
        /* a fresh static detection on the same frame (does not touch the tracking state) */
        assert_int_equal(ps_hands_detect(ses, &fr, &hp, &fresh), PS_OK);
        assert_int_equal(fresh.count, 1);
        double d = mean_diff(&tr.hands[0], &fresh.hands[0]) / scale;
        worst = d > worst ? d : worst;
        assert_true(d < AGREE_FRAC);
        ps_image_release(&fr);
    }
    printf("tracked %d frames: worst mean difference to a fresh detection %.5f of the longer side\n", NFRAMES,
           worst);

    /* the hand leaves: a gray frame. One landmark run on the tracked ROI, no hand, no detector (1 tracked = max) */
    ps_image gray;
    assert_int_equal(ps_image_alloc(&gray, photo.width, photo.height, 3), PS_OK);
    memset(gray.data, 128, gray.stride * gray.height);
    ps_hands_result r;
    assert_int_equal(ps_hands_track(ses, &gray, &hp, &r), PS_OK);
    assert_int_equal(r.count, 0);
    assert_int_equal(r.palm_runs, 0);
    assert_int_equal(r.landmark_runs, 1);
    /* lost: the next frame runs the detector again */
    assert_int_equal(ps_hands_track(ses, &photo, &hp, &r), PS_OK);
    assert_int_equal(r.palm_runs, 1);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.hands[0].source, PS_HAND_FROM_PALM);
    ps_image_release(&gray);
}

static void test_redetect_and_reset(void **state)
{
    (void)state;
    ps_hands_params hp;
    ps_hands_params_default(&hp); /* max_hands 2: one hand tracked is fewer than max */
    hp.grip_search = 0;
    ps_hands_track_reset(ses);
    int palm = 0;
    for (int f = 0; f < 4; f++) {
        ps_hands_result r;
        assert_int_equal(ps_hands_track(ses, &photo, &hp, &r), PS_OK);
        assert_int_equal(r.count, 1); /* the tracked and the detected ROI are associated into one */
        palm += r.palm_runs;
    }
    assert_int_equal(palm, 4); /* MediaPipe: the detector runs while fewer than max_hands are tracked */

    hp.redetect_frames = 3;
    ps_hands_track_reset(ses);
    palm = 0;
    int pattern[7];
    for (int f = 0; f < 7; f++) {
        ps_hands_result r;
        assert_int_equal(ps_hands_track(ses, &photo, &hp, &r), PS_OK);
        assert_int_equal(r.count, 1);
        pattern[f] = r.palm_runs;
    }
    /* first frame, then every third */
    static const int want[7] = {1, 0, 0, 1, 0, 0, 1};
    for (int f = 0; f < 7; f++)
        assert_int_equal(pattern[f], want[f]);

    /* a frame of another size restarts: the detector runs */
    ps_image half;
    assert_int_equal(ps_image_alloc(&half, photo.width / 2, photo.height / 2, 3), PS_OK);
    for (int y = 0; y < half.height; y++)
        for (int x = 0; x < half.width; x++)
            memcpy(half.data + (size_t)y * half.stride + (size_t)x * 3,
                   photo.data + (size_t)(2 * y) * photo.stride + (size_t)(2 * x) * 3, 3);
    ps_hands_result r;
    assert_int_equal(ps_hands_track(ses, &half, &hp, &r), PS_OK);
    assert_int_equal(r.palm_runs, 1);
    ps_image_release(&half);
}

/* A close grip view the palm detector cannot see: the first frame is found
 * by the grip search at once (even with redetect_frames), the next ones are
 * tracked without any palm run. */
static void test_grip_view_video(void **state)
{
    (void)state;
    ps_hands_params hp;
    ps_hands_params_default(&hp);
    hp.grip_search = 0;
    ps_hands_result r;
    assert_int_equal(ps_hands_detect(ses, &photo, &hp, &r), PS_OK);
    assert_int_equal(r.count, 1);
    float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
    for (int i = 0; i < PS_HAND_LANDMARKS; i++) {
        x0 = fminf(x0, r.hands[0].landmarks[i][0]);
        x1 = fmaxf(x1, r.hands[0].landmarks[i][0]);
        y0 = fminf(y0, r.hands[0].landmarks[i][1]);
        y1 = fmaxf(y1, r.hands[0].landmarks[i][1]);
    }
    int cx0 = (int)fmaxf(0, x0 - 0.08f * (x1 - x0)), cy0 = (int)fmaxf(0, y0 - 0.08f * (y1 - y0));
    int cx1 = (int)fminf(photo.width, x1 + 0.08f * (x1 - x0)), cy1 = (int)fminf(photo.height, y1 + 0.08f * (y1 - y0));
    ps_image crop = photo; /* a view into the photo: rows keep the photo's stride */
    crop.data = photo.data + (size_t)cy0 * photo.stride + (size_t)cx0 * 3;
    crop.width = cx1 - cx0;
    crop.height = cy1 - cy0;
    assert_int_equal(ps_hands_detect(ses, &crop, &hp, &r), PS_OK);
    assert_int_equal(r.count, 0); /* plain MediaPipe: no hand */

    hp.grip_search = 1;
    hp.max_hands = 1;
    hp.redetect_frames = 15;
    ps_hands_track_reset(ses);
    for (int f = 0; f < 5; f++) {
        assert_int_equal(ps_hands_track(ses, &crop, &hp, &r), PS_OK);
        assert_int_equal(r.count, 1);
        assert_true(r.hands[0].score > 0.5f);
        assert_int_equal(r.hands[0].source, f == 0 ? PS_HAND_FROM_GRIP_SEARCH : PS_HAND_FROM_TRACKING);
        if (f > 0) {
            assert_int_equal(r.palm_runs, 0);
            assert_int_equal(r.landmark_runs, 1);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_follow), cmocka_unit_test(test_redetect_and_reset),
                                       cmocka_unit_test(test_grip_view_video)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
