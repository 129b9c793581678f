/* Allocation failures in the hand and grip pipeline: the Nth allocation
 * of the pipeline from a photo file to hands (decode, model loading,
 * session, detection; detection itself allocates nothing, its buffers are
 * made with the session) and of the grip stage (thresholds, pencil finder,
 * classifier) fails, for N over the run's whole allocation count. Each run
 * must end in a clean error (PS_ERR_NOMEM), or in success with exactly the
 * result of a run without faults (a failure that was absorbed must not
 * change the answer), and nothing may leak (LeakSanitizer in the ASan
 * build). Not covered: OpenBLAS's, OpenCV's, libjpeg-turbo's and cairo's own
 * allocations, which do not go through ps_malloc. */
#include "testutil.h"
#include "test_faults.h"
#include "core/alloc.h"
#include "grip/synth.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static int same_hands(const ps_hands_result *a, const ps_hands_result *b)
{
    if (a->count != b->count)
        return 0;
    for (int h = 0; h < a->count; h++)
        if (memcmp(a->hands[h].landmarks, b->hands[h].landmarks, sizeof a->hands[h].landmarks) ||
            a->hands[h].handedness != b->hands[h].handedness || a->hands[h].score != b->hands[h].score)
            return 0;
    return 1;
}

/* The whole pipeline from a file to hands, the way `penscope grip` runs it:
 * decode, engine (model loading), session, detection. */
static ps_status pipeline(const char *path, ps_hands_result *out, long *detect_allocs)
{
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    ps_engine_params ep;
    ps_engine_params_default(&ep);
    ep.model = PS_HAND_MODEL_LITE; /* the same code as full, at a third of the time */
    ps_hands_params hp;
    ps_hands_params_default(&hp);
    ps_image img = {0};
    ps_engine_t *e = NULL;
    ps_session_t *s = NULL;
    ps_status rc = ps_image_decode_file(path, &dp, &img, NULL);
    if (rc == PS_OK)
        rc = ps_engine_new(&ep, &e);
    if (rc == PS_OK)
        rc = ps_session_new(e, &s);
    long before = ps_alloc_count();
    if (rc == PS_OK)
        rc = ps_hands_detect(s, &img, &hp, out);
    if (detect_allocs)
        *detect_allocs = ps_alloc_count() - before;
    ps_session_free(s);
    ps_engine_free(e);
    ps_image_release(&img);
    return rc;
}

static void pipeline_under_faults(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", tu_testdata(name));
    ps_hands_result ref, r;
    long detect_allocs;
    ps_alloc_fail_after(0);
    assert_int_equal(pipeline(path, &ref, &detect_allocs), PS_OK);
    long total = ps_alloc_count();
    long pts[128];
    size_t n = fault_points(total, pts, 128);
    int failed = 0, absorbed = 0;
    for (size_t i = 0; i < n; i++) {
        ps_alloc_fail_after(pts[i]);
        ps_status rc = pipeline(path, &r, NULL);
        int hit = ps_alloc_count() >= pts[i];
        ps_alloc_fail_after(0);
        if (rc != PS_OK) {
            if (rc != PS_ERR_NOMEM)
                fail_msg("%s: allocation %ld failed: status %d (%s), want out of memory", name, pts[i], rc,
                         ps_last_error());
            failed++;
        } else {
            if (!same_hands(&ref, &r))
                fail_msg("%s: allocation %ld failed, the pipeline succeeded with a different result", name, pts[i]);
            absorbed += hit;
        }
    }
    printf("%s: %ld allocations (%ld in the detection itself), %zu failure points: %d clean errors, %d absorbed "
           "with the same result\n",
           name, total, detect_allocs, n, failed, absorbed);
    assert_true(failed > 0);
}

static void test_detect_palm(void **st)
{
    (void)st;
    pipeline_under_faults("hands/images/call_0413d5c5.jpg"); /* found by the palm detector */
}

static void test_detect_grip_search(void **st)
{
    (void)st;
    pipeline_under_faults("hands/images/none_00af1db1.jpg"); /* no palm: the grip-view search runs */
}

/* ps_grip_new and ps_grip_analyse (pencil finder and classifier) on a
 * rendered hand holding a pencil. */
static void test_grip_analyse(void **st)
{
    (void)st;
    grip_view v;
    grip_view_default(&v);
    grip_synth s;
    assert_int_equal(grip_synth_build(PS_GRASP_DYNAMIC_TRIPOD, &v, &s), 0);
    grip_scene sc;
    grip_scene_default(&sc, 1600, 1200);
    ps_image img;
    assert_int_equal(grip_scene_render(&sc, &s, &img), PS_OK);
    ps_grip_params gp;
    ps_grip_params_default(&gp);
    ps_grip_t *g = NULL;
    ps_grip_result ref, r;
    ps_alloc_fail_after(0);
    assert_int_equal(ps_grip_new(&gp, &g), PS_OK);
    assert_int_equal(ps_grip_analyse(g, &img, (const float(*)[3])s.image, (const float(*)[3])s.world,
                                     PS_GRIP_HAND_RIGHT, &ref),
                     PS_OK);
    long total = ps_alloc_count();
    ps_grip_free(g);
    assert_true(ref.pencil_found);
    long pts[128];
    size_t n = fault_points(total, pts, 128);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        ps_alloc_fail_after(pts[i]);
        g = NULL;
        ps_status rc = ps_grip_new(&gp, &g);
        if (rc == PS_OK)
            rc = ps_grip_analyse(g, &img, (const float(*)[3])s.image, (const float(*)[3])s.world,
                                 PS_GRIP_HAND_RIGHT, &r);
        ps_alloc_fail_after(0);
        ps_grip_free(g);
        if (rc != PS_OK) {
            if (rc != PS_ERR_NOMEM)
                fail_msg("grip: allocation %ld failed: status %d (%s), want out of memory", pts[i], rc,
                         ps_last_error());
            failed++;
        } else if (r.pencil_found != ref.pencil_found || r.grasp != ref.grasp ||
                   memcmp(&r.pencil, &ref.pencil, sizeof r.pencil) || r.fingers_on_pencil != ref.fingers_on_pencil)
            fail_msg("grip: allocation %ld failed, the call succeeded with a different result", pts[i]);
    }
    printf("grip: %ld allocations, %zu failure points: %d clean errors\n", total, n, failed);
    assert_true(failed > 0);
    ps_image_release(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect_palm),
        cmocka_unit_test(test_detect_grip_search),
        cmocka_unit_test(test_grip_analyse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
