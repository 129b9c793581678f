/* The hand engine's contract: a clear error naming the missing model file
 * and telling the user how to fetch it; damaged model files and bad
 * arguments give errors, never crashes; gray and RGBA images work; an image
 * with no hand gives no hand; the overlay file is user-only; one engine
 * serves sessions on several threads at once. */
#include "testutil.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "core/alloc.h"

static void test_missing_models(void **state)
{
    (void)state;
    ps_engine_params ep;
    ps_engine_params_default(&ep);
    ep.models_dir = tu_tmpdir(); /* empty */
    ps_engine_t *e = (ps_engine_t *)1;
    assert_int_equal(ps_engine_new(&ep, &e), PS_ERR_NOT_FOUND);
    assert_null(e);
    assert_non_null(strstr(ps_last_error(), "palm_detection_full.tflite"));
    assert_non_null(strstr(ps_last_error(), "make setup"));
    assert_non_null(strstr(ps_last_error(), "models/fetch.sh"));
    ep.model = PS_HAND_MODEL_LITE;
    assert_int_equal(ps_engine_new(&ep, &e), PS_ERR_NOT_FOUND);
    assert_non_null(strstr(ps_last_error(), "palm_detection_lite.tflite"));
}

static void test_damaged_models(void **state)
{
    (void)state;
    /* a text file where the palm model should be, the real landmark model beside it */
    const char *junk = "not a flatbuffer at all, just some text long enough to be read";
    assert_int_equal(tu_write_file(tu_tmpfile("palm_detection_full.tflite"), junk, strlen(junk)), 0);
    ps_engine_params ep;
    ps_engine_params_default(&ep);
    ep.models_dir = tu_tmpdir();
    ps_engine_t *e = NULL;
    ps_status rc = ps_engine_new(&ep, &e);
    assert_int_not_equal(rc, PS_OK);
    assert_null(e);
    assert_non_null(strstr(ps_last_error(), "palm_detection_full.tflite"));
    /* the two models swapped: each loads, but it is the wrong model for its role */
    size_t n;
    char path[4096];
    const char *models = getenv("PENSCOPE_MODELS");
    snprintf(path, sizeof path, "%s/hand_landmark_lite.tflite", models ? models : "models");
    unsigned char *lm = tu_read_file(path, &n);
    assert_non_null(lm);
    {
        assert_int_equal(tu_write_file(tu_tmpfile("palm_detection_lite.tflite"), lm, n), 0);
        assert_int_equal(tu_write_file(tu_tmpfile("hand_landmark_lite.tflite"), lm, n), 0);
        free(lm);
        ep.model = PS_HAND_MODEL_LITE;
        assert_int_equal(ps_engine_new(&ep, &e), PS_ERR_CORRUPT);
        assert_non_null(strstr(ps_last_error(), "not the 192x192 MediaPipe palm detector"));
    }
}

static void test_bad_arguments(void **state)
{
    (void)state;
    ps_engine_t *e = NULL;
    assert_int_equal(ps_engine_new(NULL, NULL), PS_ERR_INVALID_ARG);
    ps_engine_params ep;
    ps_engine_params_default(&ep);
    ep.model = (ps_hand_model)7;
    assert_int_equal(ps_engine_new(&ep, &e), PS_ERR_INVALID_ARG);
    ps_engine_params_default(&ep);
    assert_int_equal(ps_engine_new(&ep, &e), PS_OK);
    ps_session_t *s = NULL;
    assert_int_equal(ps_session_new(e, &s), PS_OK);
    assert_string_equal(ps_engine_model_name(e), "full");

    ps_hands_params hp;
    ps_hands_params_default(&hp);
    ps_hands_result r;
    ps_image img;
    assert_int_equal(ps_image_alloc(&img, 64, 48, 3), PS_OK);
    assert_int_equal(ps_hands_detect(NULL, &img, &hp, &r), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_hands_detect(s, NULL, &hp, &r), PS_ERR_INVALID_ARG);
    hp.max_hands = 0;
    assert_int_equal(ps_hands_detect(s, &img, &hp, &r), PS_ERR_INVALID_ARG);
    assert_non_null(strstr(ps_session_errmsg(s), "max_hands"));
    hp.max_hands = PS_HANDS_MAX + 1;
    assert_int_equal(ps_hands_track(s, &img, &hp, &r), PS_ERR_INVALID_ARG);
    ps_hands_params_default(&hp);
    hp.min_presence = 2;
    assert_int_equal(ps_hands_detect(s, &img, &hp, &r), PS_ERR_INVALID_ARG);
    ps_hands_params_default(&hp);
    ps_image bad = img;
    bad.channels = 2;
    assert_int_equal(ps_hands_detect(s, &bad, &hp, &r), PS_ERR_INVALID_ARG);
    bad = img;
    bad.stride = 10;
    assert_int_equal(ps_hands_detect(s, &bad, &hp, &r), PS_ERR_INVALID_ARG);

    /* a black image has no hand, with or without the grip search; 1x1 works too */
    assert_int_equal(ps_hands_detect(s, &img, &hp, &r), PS_OK);
    assert_int_equal(r.count, 0);
    assert_true(r.palm_runs > 1); /* the grip search ran */
    ps_image tiny;
    assert_int_equal(ps_image_alloc(&tiny, 1, 1, 3), PS_OK);
    assert_int_equal(ps_hands_detect(s, &tiny, &hp, &r), PS_OK);
    assert_int_equal(r.count, 0);
    ps_image_release(&tiny);
    ps_image_release(&img);
    ps_session_free(s);
    ps_engine_free(e);
    ps_engine_free(NULL);
    ps_session_free(NULL);
    ps_hands_track_reset(NULL);
}

static void test_gray_rgba_overlay(void **state)
{
    (void)state;
    ps_engine_params ep;
    ps_engine_params_default(&ep);
    ep.model = PS_HAND_MODEL_LITE;
    ps_engine_t *e = NULL;
    assert_int_equal(ps_engine_new(&ep, &e), PS_OK);
    ps_session_t *s = NULL;
    assert_int_equal(ps_session_new(e, &s), PS_OK);
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.channels = 3;
    ps_image rgb;
    assert_int_equal(ps_image_decode_file(tu_testdata("hands/images/rock_026fd791.jpg"), &dp, &rgb, NULL), PS_OK);
    ps_hands_params hp;
    ps_hands_params_default(&hp);
    hp.grip_search = 0;
    ps_hands_result r3, r4, r1;
    assert_int_equal(ps_hands_detect(s, &rgb, &hp, &r3), PS_OK);
    assert_int_equal(r3.count, 1);
    /* the same pixels as RGBA: the same result */
    ps_image rgba;
    assert_int_equal(ps_image_alloc(&rgba, rgb.width, rgb.height, 4), PS_OK);
    for (int y = 0; y < rgb.height; y++)
        for (int x = 0; x < rgb.width; x++) {
            memcpy(rgba.data + (size_t)y * rgba.stride + (size_t)x * 4, rgb.data + (size_t)y * rgb.stride + (size_t)x * 3, 3);
            rgba.data[(size_t)y * rgba.stride + (size_t)x * 4 + 3] = 255;
        }
    assert_int_equal(ps_hands_detect(s, &rgba, &hp, &r4), PS_OK);
    assert_int_equal(r4.count, 1);
    for (int i = 0; i < PS_HAND_LANDMARKS; i++)
        assert_true(fabsf(r4.hands[0].landmarks[i][0] - r3.hands[0].landmarks[i][0]) < 1e-3f);
    /* gray: a hand is still found near the colour one */
    ps_image gray;
    assert_int_equal(ps_image_alloc(&gray, rgb.width, rgb.height, 1), PS_OK);
    for (int y = 0; y < rgb.height; y++)
        for (int x = 0; x < rgb.width; x++) {
            const uint8_t *p = rgb.data + (size_t)y * rgb.stride + (size_t)x * 3;
            gray.data[(size_t)y * gray.stride + x] = (uint8_t)((p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000);
        }
    assert_int_equal(ps_hands_detect(s, &gray, &hp, &r1), PS_OK);
    assert_int_equal(r1.count, 1);
    assert_true(fabsf(r1.hands[0].landmarks[0][0] - r3.hands[0].landmarks[0][0]) < 0.05f * rgb.height);
    /* the overlay is a user-only PNG that decodes back to the image size */
    const char *png = tu_tmpfile("overlay.png");
    assert_int_equal(ps_hands_overlay_write_png(png, &rgb, &r3), PS_OK);
    struct stat st;
    assert_int_equal(stat(png, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    ps_image back;
    assert_int_equal(ps_image_decode_file(png, &dp, &back, NULL), PS_OK);
    assert_int_equal(back.width, rgb.width);
    assert_int_equal(back.height, rgb.height);
    ps_image_release(&back);
    assert_int_equal(ps_hands_overlay_write_png(tu_tmpfile("no/such/dir/x.png"), &rgb, &r3), PS_ERR_IO);
    assert_int_equal(ps_hands_overlay_write_png(NULL, &rgb, &r3), PS_ERR_INVALID_ARG);
    ps_image_release(&gray);
    ps_image_release(&rgba);
    ps_image_release(&rgb);
    ps_session_free(s);
    ps_engine_free(e);
}

/* Every allocation of engine and session creation may fail: a clean error,
 * nothing leaked (the sanitizer build checks), and success once memory is back. */
static void test_allocation_failures(void **state)
{
    (void)state;
    ps_engine_params ep;
    ps_engine_params_default(&ep);
    ep.model = PS_HAND_MODEL_LITE;
    int failures = 0;
    /* every early allocation, then every 5th (model loading makes ~400);
       every 25th under PS_TEST_QUICK (sanitizer runs, where each load is slow) */
    const char *quick = getenv("PS_TEST_QUICK");
    long step = quick && *quick && strcmp(quick, "0") ? 25 : 5;
    for (long n = 1; n < 5000; n += n < 40 ? 1 : step) {
        ps_engine_t *e = NULL;
        ps_session_t *s = NULL;
        ps_alloc_fail_after(n);
        ps_status rc = ps_engine_new(&ep, &e);
        if (rc == PS_OK)
            rc = ps_session_new(e, &s);
        ps_alloc_fail_after(0);
        ps_session_free(s);
        ps_engine_free(e);
        if (rc == PS_OK)
            break;
        assert_true(rc == PS_ERR_NOMEM || rc == PS_ERR_IO || rc == PS_ERR_CORRUPT || rc == PS_ERR_INTERNAL);
        failures++;
    }
    printf("engine + session creation survived %d allocation failures\n", failures);
    assert_true(failures > 3);
}

/* One engine, a session per thread, run at the same time: each thread gets
 * exactly the results of a single-threaded run. */
typedef struct worker {
    ps_engine_t *eng;
    const ps_image *imgs;
    int n;
    ps_hands_result res[4];
    ps_status rc;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    ps_session_t *s = NULL;
    w->rc = ps_session_new(w->eng, &s);
    ps_hands_params hp;
    ps_hands_params_default(&hp);
    for (int round = 0; round < 3 && w->rc == PS_OK; round++)
        for (int i = 0; i < w->n && w->rc == PS_OK; i++)
            w->rc = ps_hands_detect(s, &w->imgs[i], &hp, &w->res[i]);
    ps_session_free(s);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    static const char *names[] = {"call_17d804b5.jpg", "rock_026fd791.jpg", "four_25bb4c45.jpg", "none_0a272153.jpg"};
    ps_image imgs[4];
    for (int i = 0; i < 4; i++) {
        char path[256];
        snprintf(path, sizeof path, "hands/images/%s", names[i]);
        ps_decode_params dp;
        ps_decode_params_default(&dp);
        dp.channels = 3;
        assert_int_equal(ps_image_decode_file(tu_testdata(path), &dp, &imgs[i], NULL), PS_OK);
    }
    ps_engine_params ep;
    ps_engine_params_default(&ep);
    ep.model = PS_HAND_MODEL_LITE;
    ps_engine_t *e = NULL;
    assert_int_equal(ps_engine_new(&ep, &e), PS_OK);
    worker solo = {e, imgs, 4, {{0}}, PS_OK};
    work(&solo);
    assert_int_equal(solo.rc, PS_OK);
    worker w[2] = {{e, imgs, 4, {{0}}, PS_OK}, {e, imgs, 4, {{0}}, PS_OK}};
    pthread_t t[2];
    for (int k = 0; k < 2; k++)
        assert_int_equal(pthread_create(&t[k], NULL, work, &w[k]), 0);
    for (int k = 0; k < 2; k++)
        pthread_join(t[k], NULL);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(w[k].rc, PS_OK);
        for (int i = 0; i < 4; i++) {
            assert_int_equal(w[k].res[i].count, solo.res[i].count);
            for (int h = 0; h < solo.res[i].count; h++)
                assert_memory_equal(w[k].res[i].hands[h].landmarks, solo.res[i].hands[h].landmarks,
                                    sizeof solo.res[i].hands[h].landmarks);
        }
    }
    ps_engine_free(e);
    for (int i = 0; i < 4; i++)
        ps_image_release(&imgs[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_missing_models), cmocka_unit_test(test_damaged_models),
                                       cmocka_unit_test(test_bad_arguments), cmocka_unit_test(test_gray_rgba_overlay),
                                       cmocka_unit_test(test_allocation_failures),
                                       cmocka_unit_test(test_threads)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
