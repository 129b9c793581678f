/* Video frame timestamps (io/frame_clock.c): the backend's times when they
 * move forward, frame index over rate when they are missing, stuck or go
 * back, the wall clock for a camera with neither, and always strictly
 * increasing. Times are compared within 1e-12 s (exact arithmetic here). */
#include "testutil.h"
#include "io/io.h"
#include <math.h>

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-12)

static void test_backend_times_used(void **state)
{
    ps_frame_clock c;
    ps_frame_clock_init(&c, 25, 100.0);
    NEAR(ps_frame_clock_stamp(&c, 0, 100.0), 0.0);
    NEAR(ps_frame_clock_stamp(&c, 40, 100.0), 0.040);
    NEAR(ps_frame_clock_stamp(&c, 120, 100.0), 0.120); /* a dropped frame keeps its gap */
    NEAR(ps_frame_clock_stamp(&c, 1000.5, 100.0), 1.0005);
}

static void test_missing_times_use_the_rate(void **state)
{
    ps_frame_clock c;
    ps_frame_clock_init(&c, 10, 0.0);
    for (int i = 0; i < 5; i++)
        NEAR(ps_frame_clock_stamp(&c, NAN, 0.0), i / 10.0);
    /* a backend that always says 0 */
    ps_frame_clock_init(&c, 20, 0.0);
    NEAR(ps_frame_clock_stamp(&c, 0, 0.0), 0.0);
    NEAR(ps_frame_clock_stamp(&c, 0, 0.0), 0.05);
    NEAR(ps_frame_clock_stamp(&c, 0, 0.0), 0.10);
}

static void test_never_backwards(void **state)
{
    ps_frame_clock c;
    ps_frame_clock_init(&c, 10, 0.0);
    NEAR(ps_frame_clock_stamp(&c, 5000, 0.0), 5.0);
    /* jumps back: index/rate (0.1) would be earlier still, so previous + one frame */
    NEAR(ps_frame_clock_stamp(&c, 100, 0.0), 5.1);
    NEAR(ps_frame_clock_stamp(&c, -3, 0.0), 5.2);
    NEAR(ps_frame_clock_stamp(&c, 6000, 0.0), 6.0); /* forward again: trusted */
    NEAR(ps_frame_clock_stamp(&c, INFINITY, 0.0), 6.1);
}

static void test_camera_without_rate_uses_the_clock(void **state)
{
    ps_frame_clock c;
    ps_frame_clock_init(&c, 0, 50.0);
    NEAR(ps_frame_clock_stamp(&c, NAN, 50.25), 0.25);
    NEAR(ps_frame_clock_stamp(&c, NAN, 50.75), 0.75);
    NEAR(ps_frame_clock_stamp(&c, NAN, 50.75), 0.751); /* same clock reading: nudged 1 ms on */
    ps_frame_clock_init(&c, NAN, 0.0);
    assert_true(c.fps == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backend_times_used),
        cmocka_unit_test(test_missing_times_use_the_rate),
        cmocka_unit_test(test_never_backwards),
        cmocka_unit_test(test_camera_without_rate_uses_the_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
