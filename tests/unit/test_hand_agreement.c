/* penscope's hand pipeline against MediaPipe itself: on the 40 real photos
 * of tests/data/hands, with the full and the lite models, the same hands
 * must be found (same count per photo, each official hand matched) and the
 * landmarks must lie within a mean of 0.005 of the image's longer side of
 * the official ones (x, y). Handedness must be MediaPipe's label corrected
 * for a non-mirrored camera (the opposite label). Prints mean and max error.
 * PS_TEST_QUICK=1 (sanitizer runs) checks every 4th photo. */
#include "testutil.h"
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MEAN_ERR 0.005   /* issue 3: mean landmark error / longer side */
#define MATCH_ERR 0.05       /* a hand further than this is a different hand */
/* A hand MediaPipe did not report is accepted only when one of its scores is
 * within BORDERLINE of the 0.5 gates: MediaPipe's JS build resamples on the
 * GPU, so such hands can fall on either side. (The NumPy reference pipeline,
 * run on CPU, finds the same borderline hands as penscope, with the same
 * scores.) At most MAX_BORDERLINE per model. */
#define BORDERLINE 0.1
#define MAX_BORDERLINE 2

typedef struct stats {
    int photos, official_hands, matched, extra, borderline, handedness_ok;
    double err_sum, err_max;
    int npts;
} stats;

/* mean landmark distance (x, y) between our hand and an official one, / longer side */
static double hand_err(const ps_hand *h, json_t *lms, double scale, double *max_pt)
{
    double sum = 0;
    for (int i = 0; i < PS_HAND_LANDMARKS; i++) {
        json_t *p = json_array_get(lms, i);
        double dx = h->landmarks[i][0] - json_number_value(json_array_get(p, 0));
        double dy = h->landmarks[i][1] - json_number_value(json_array_get(p, 1));
        double d = sqrt(dx * dx + dy * dy) / scale;
        sum += d;
        if (max_pt && d > *max_pt)
            *max_pt = d;
    }
    return sum / PS_HAND_LANDMARKS;
}

static void run_model(const char *model_name, ps_hand_model model, const char *json_name)
{
    json_error_t jerr;
    json_t *root = json_load_file(tu_testdata(json_name), 0, &jerr);
    if (!root)
        fail_msg("cannot read %s: %s", json_name, jerr.text);
    json_t *images = json_object_get(root, "images");
    assert_true(json_is_array(images) && json_array_size(images) == 40);

    ps_engine_params ep;
    ps_engine_params_default(&ep);
    ep.model = model;
    ps_engine_t *eng = NULL;
    if (ps_engine_new(&ep, &eng) != PS_OK)
        fail_msg("%s", ps_last_error());
    ps_session_t *ses = NULL;
    assert_int_equal(ps_session_new(eng, &ses), PS_OK);
    ps_hands_params hp;
    ps_hands_params_default(&hp);
    hp.grip_search = 0; /* plain MediaPipe */

    const char *quick = getenv("PS_TEST_QUICK");
    int step = quick && *quick && strcmp(quick, "0") ? 4 : 1;
    stats st = {0};
    double worst_pt = 0;
    for (size_t k = 0; k < json_array_size(images); k += step) {
        json_t *im = json_array_get(images, k);
        const char *file = json_string_value(json_object_get(im, "file"));
        json_t *hands = json_object_get(im, "hands");
        ps_decode_params dp;
        ps_decode_params_default(&dp);
        dp.channels = 3;
        ps_image img;
        char path[512];
        snprintf(path, sizeof path, "hands/%s", file); /* file is "images/<name>.jpg" */
        if (ps_image_decode_file(tu_testdata(path), &dp, &img, NULL) != PS_OK)
            fail_msg("%s: %s", file, ps_last_error());
        assert_int_equal(img.width, (int)json_integer_value(json_object_get(im, "width")));
        assert_int_equal(img.height, (int)json_integer_value(json_object_get(im, "height")));
        ps_hands_result res;
        if (ps_hands_detect(ses, &img, &hp, &res) != PS_OK)
            fail_msg("%s: %s", file, ps_session_errmsg(ses));
        double scale = img.width > img.height ? img.width : img.height;
        int nh = (int)json_array_size(hands);
        st.photos++;
        st.official_hands += nh;
        int used[PS_HANDS_MAX] = {0};
        for (int o = 0; o < nh; o++) {
            json_t *oh = json_array_get(hands, o);
            json_t *lms = json_object_get(oh, "landmarks");
            int best = -1;
            double best_err = 1e9;
            for (int i = 0; i < res.count; i++) {
                double e = hand_err(&res.hands[i], lms, scale, NULL);
                if (!used[i] && e < best_err) {
                    best_err = e;
                    best = i;
                }
            }
            if (best < 0 || best_err > MATCH_ERR) {
                printf("  %s: official hand %d not found (nearest %.4f)\n", file, o, best_err);
                continue;
            }
            used[best] = 1;
            hand_err(&res.hands[best], lms, scale, &worst_pt);
            st.matched++;
            st.err_sum += best_err;
            st.npts++;
            if (best_err > st.err_max)
                st.err_max = best_err;
            const char *mp_label = json_string_value(json_object_get(oh, "handedness"));
            /* MediaPipe labels a mirrored view; ours is the real hand */
            int mp_right = mp_label && !strcmp(mp_label, "Right");
            if ((res.hands[best].handedness == PS_HANDEDNESS_RIGHT) == !mp_right)
                st.handedness_ok++;
        }
        for (int i = 0; i < res.count; i++) {
            if (used[i])
                continue;
            const ps_hand *h = &res.hands[i];
            bool border = (h->palm_score > 0 && h->palm_score < 0.5 + BORDERLINE) || h->score < 0.5 + BORDERLINE;
            printf("  %s: a hand MediaPipe did not report (palm score %.3f, presence %.3f)%s\n", file,
                   h->palm_score, h->score, border ? ", borderline" : "");
            if (border)
                st.borderline++;
            else
                st.extra++;
        }
        ps_image_release(&img);
    }
    double mean = st.matched ? st.err_sum / st.matched : NAN;
    printf("%s: %d photos, %d official hands, %d matched, %d extra (+%d borderline), "
           "handedness %d/%d; landmark error / longer side: mean %.5f, worst hand %.5f, worst point %.5f\n",
           model_name, st.photos, st.official_hands, st.matched, st.extra, st.borderline,
           st.handedness_ok, st.matched, mean, st.err_max, worst_pt);
    assert_int_equal(st.matched, st.official_hands);
    assert_int_equal(st.extra, 0);
    assert_true(st.borderline <= MAX_BORDERLINE);
    assert_int_equal(st.handedness_ok, st.matched);
    assert_true(mean < MAX_MEAN_ERR);
    ps_session_free(ses);
    ps_engine_free(eng);
    json_decref(root);
}

static void test_full(void **state)
{
    (void)state;
    run_model("full", PS_HAND_MODEL_FULL, "hands/mediapipe_full.json");
}

static void test_lite(void **state)
{
    (void)state;
    run_model("lite", PS_HAND_MODEL_LITE, "hands/mediapipe_lite.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_full), cmocka_unit_test(test_lite)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
