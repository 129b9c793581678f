/* Big images are analysed on a box-filtered reduced copy (hand/reduce.h):
 * the halving arithmetic against hand-worked values, and the mapping back
 * to the caller's pixels, exactly: a photo upscaled 2x by pixel repetition
 * reduces back to the photo itself, so its hands must be the photo's hands
 * at x' = 2x + 0.5 (the centre of each 2x2 block). */
#include "testutil.h"
#include "hand/reduce.h"
#include "core/alloc.h"
#include <math.h>
#include <string.h>

static void test_halving(void **state)
{
    (void)state;
    /* 3300 x 5 RGB -> 1650 x 2 -> 825 x 1: two halvings, scale 4 */
    ps_image src, buf = {0}, work;
    assert_int_equal(ps_image_alloc(&src, 3300, 5, 3), PS_OK);
    for (int y = 0; y < 5; y++)
        for (int x = 0; x < 3300; x++)
            for (int c = 0; c < 3; c++)
                src.data[y * src.stride + x * 3 + c] = (uint8_t)((x % 4) * 10 + y * 50 + c);
    int scale = 0;
    assert_int_equal(ps_hand_reduce(&src, &buf, &work, &scale), PS_OK);
    assert_int_equal(scale, 4);
    assert_int_equal(work.width, 825);
    assert_int_equal(work.height, 1);
    assert_int_equal(work.channels, 3);
    /* each level rounds (a + b + c + d + 2) >> 2 */
    for (int c = 0; c < 3; c++) {
        /* level 1, pixel (0,0): (0+10+50+60 + 4c + 2)>>2 = 30 + c; pixel (1,0): (20+30+70+80+4c+2)>>2 = 50 + c
           pixel (0,1): rows 2,3: (100+110+150+160+4c+2)>>2 = 130 + c; (1,1): 150 + c
           level 2: (30+50+130+150 + 4c + 2)>>2 = 90 + c */
        assert_int_equal(work.data[c], 90 + c);
    }
    /* small images are used as they are */
    ps_image small;
    assert_int_equal(ps_image_alloc(&small, PS_HAND_WORK_SIDE, 10, 1), PS_OK);
    assert_int_equal(ps_hand_reduce(&small, &buf, &work, &scale), PS_OK);
    assert_int_equal(scale, 1);
    assert_ptr_equal(work.data, small.data);
    assert_int_equal(work.channels, 1);
    /* gray sources become RGB with equal channels */
    ps_image gray;
    assert_int_equal(ps_image_alloc(&gray, 2 * PS_HAND_WORK_SIDE, 4, 1), PS_OK); /* -> 1600: one halving */
    memset(gray.data, 77, gray.stride * 4);
    assert_int_equal(ps_hand_reduce(&gray, &buf, &work, &scale), PS_OK);
    assert_int_equal(scale, 2);
    assert_int_equal(work.channels, 3);
    assert_int_equal(work.data[0], 77);
    assert_int_equal(work.data[5], 77);
    assert_float_equal(ps_hand_unreduce(10, 4), 41.5, 1e-6);
    ps_image_release(&gray);
    ps_image_release(&small);
    ps_image_release(&src);
    ps_image_release(&buf);
}

static void test_big_photo(void **state)
{
    (void)state;
    ps_engine_params ep;
    ps_engine_params_default(&ep);
    ps_engine_t *e = NULL;
    ps_session_t *s = NULL;
    if (ps_engine_new(&ep, &e) != PS_OK)
        fail_msg("%s", ps_last_error());
    assert_int_equal(ps_session_new(e, &s), PS_OK);
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.channels = 3;
    ps_image img, big;
    /* 384 x 834: twice that is 768 x 1668, above the working size */
    assert_int_equal(ps_image_decode_file(tu_testdata("hands/images/call_21de0cfe.jpg"), &dp, &img, NULL), PS_OK);
    assert_int_equal(ps_image_alloc(&big, 2 * img.width, 2 * img.height, 3), PS_OK);
    assert_true(big.height > PS_HAND_WORK_SIDE);
    for (int y = 0; y < big.height; y++)
        for (int x = 0; x < big.width; x++)
            memcpy(big.data + (size_t)y * big.stride + (size_t)x * 3, img.data + (size_t)(y / 2) * img.stride + (size_t)(x / 2) * 3, 3);
    ps_hands_params hp;
    ps_hands_params_default(&hp);
    ps_hands_result a, b;
    assert_int_equal(ps_hands_detect(s, &img, &hp, &a), PS_OK);
    assert_int_equal(ps_hands_detect(s, &big, &hp, &b), PS_OK);
    assert_true(a.count >= 1);
    assert_int_equal(a.count, b.count);
    for (int h = 0; h < a.count; h++) {
        for (int i = 0; i < PS_HAND_LANDMARKS; i++) {
            assert_float_equal(b.hands[h].landmarks[i][0], 2 * a.hands[h].landmarks[i][0] + 0.5f, 1e-3);
            assert_float_equal(b.hands[h].landmarks[i][1], 2 * a.hands[h].landmarks[i][1] + 0.5f, 1e-3);
            assert_float_equal(b.hands[h].landmarks[i][2], 2 * a.hands[h].landmarks[i][2], 1e-3);
            assert_float_equal(b.hands[h].world[i][0], a.hands[h].world[i][0], 1e-6);
        }
        assert_float_equal(b.hands[h].roi.cx, 2 * a.hands[h].roi.cx + 0.5f, 1e-3);
        assert_float_equal(b.hands[h].roi.w, 2 * a.hands[h].roi.w, 1e-3);
        assert_float_equal(b.hands[h].score, a.hands[h].score, 1e-6);
    }
    /* the working copy cannot be allocated: a clean error from the session */
    ps_session_t *s2 = NULL;
    assert_int_equal(ps_session_new(e, &s2), PS_OK);
    ps_alloc_fail_after(1);
    ps_status rc = ps_hands_detect(s2, &big, &hp, &b);
    ps_alloc_fail_after(0);
    assert_int_equal(rc, PS_ERR_NOMEM);
    assert_true(ps_session_errmsg(s2)[0] != '\0');
    ps_session_free(s2);
    /* tracking maps the same way */
    ps_hands_track_reset(s);
    assert_int_equal(ps_hands_track(s, &big, &hp, &b), PS_OK);
    assert_int_equal(b.count, a.count);
    assert_float_equal(b.hands[0].landmarks[0][0], 2 * a.hands[0].landmarks[0][0] + 0.5f, 1e-3);
    assert_int_equal(ps_hands_track(s, &big, &hp, &b), PS_OK);
    assert_int_equal(b.count, a.count);
    ps_image_release(&big);
    ps_image_release(&img);
    ps_session_free(s);
    ps_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_halving), cmocka_unit_test(test_big_photo)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
