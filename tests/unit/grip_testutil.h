/* Set-up shared by the grip unit tests (test_grip_{e2e,pencil,json,overlay,
 * video}.c): the grasp thresholds shipped in $PENSCOPE_MODELS/grip (default
 * models/), loaded once per test group, and a helper to compare angles.
 * Static on purpose: each test is its own program. */
#ifndef PS_GRIP_TESTUTIL_H
#define PS_GRIP_TESTUTIL_H
#include "testutil.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static ps_grip_thresholds_t *th;

static int grip_thresholds_setup(void **state)
{
    (void)state;
    char buf[1024];
    const char *m = getenv("PENSCOPE_MODELS");
    snprintf(buf, sizeof buf, "%s/grip/grasp_thresholds.json", m ? m : "models");
    return ps_grip_thresholds_load(buf, &th) == PS_OK ? 0 : -1;
}

static int grip_thresholds_teardown(void **state)
{
    (void)state;
    ps_grip_thresholds_free(th);
    return 0;
}

/* |a - b| in degrees, the short way round the circle */
static inline float angle_diff(float a, float b)
{
    float d = fmodf(a - b + 540.0f, 360.0f) - 180.0f;
    return fabsf(d);
}
#endif
