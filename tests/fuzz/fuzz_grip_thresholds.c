/* libFuzzer target for the grip thresholds file (models/grip/
 * grasp_thresholds.json), the grip stage's only parser of outside text: any
 * bytes give a status, never a crash; a file that parses is used by the
 * classifier on a fixed hand to show the values are safe to use. */
#include "penscope.h"
#include <math.h>
#include <stddef.h>
#include <stdint.h>

static volatile float g_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_grip_thresholds_t *th = NULL;
    if (ps_grip_thresholds_parse((const char *)data, size, &th) != PS_OK)
        return 0;
    /* a plain open hand and a pencil across the thumb and index tips */
    float lm[21][3], w[21][3];
    for (int i = 0; i < 21; i++) {
        int f = i == 0 ? 0 : (i - 1) / 4, k = i == 0 ? 0 : (i - 1) % 4 + 1;
        lm[i][0] = 200 + 40.0f * f - (f == 0 ? 30.0f * k : 0);
        lm[i][1] = 400 - (f == 0 ? 25.0f * k : 60.0f + 35.0f * k);
        lm[i][2] = 0;
        for (int c = 0; c < 3; c++)
            w[i][c] = lm[i][c] * 0.0003f;
    }
    ps_grip_pencil p = {0};
    p.found = 1;
    p.tip[0] = lm[4][0], p.tip[1] = lm[4][1] - 20;
    p.end[0] = lm[8][0] + 200, p.end[1] = lm[8][1] + 100;
    p.width_px = 20;
    p.confidence = 0.9f;
    ps_grip_result r;
    if (ps_grip_classify(th, (const float(*)[3])lm, (const float(*)[3])w, PS_GRIP_HAND_RIGHT, &p, 7.0, &r) == PS_OK)
        g_sink += r.grasp_confidence + (float)r.grasp;
    ps_grip_video_result v;
    ps_grip_frame fr[2];
    ps_grip_frame_from_result(&fr[0], 0.0, 1, (const float(*)[3])lm, &r);
    ps_grip_frame_from_result(&fr[1], 0.1, 1, (const float(*)[3])lm, &r);
    if (ps_grip_video_aggregate(fr, 2, th, &v) == PS_OK)
        g_sink += v.hand_found_pct;
    ps_grip_thresholds_free(th);
    return 0;
}
