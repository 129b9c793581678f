/* Landmark projection, world landmarks and handedness (see landmark.h).
 * TensorsToLandmarks (normalize_z 0.4), LandmarkProjection and
 * WorldLandmarkProjection of hand_landmark_cpu.pbtxt, in pixels. */
#include "hand/landmark.h"
#include <math.h>

void ps_landmarks_project(const float raw[63], ps_rotrect roi, float out[PS_HAND_NLM][3])
{
    const float inv = 1.0f / PS_LANDMARK_INPUT;
    float c = cosf(roi.angle), s = sinf(roi.angle);
    for (int i = 0; i < PS_HAND_NLM; i++) {
        float nx = raw[3 * i] * inv - 0.5f, ny = raw[3 * i + 1] * inv - 0.5f;
        float nz = raw[3 * i + 2] * inv / 0.4f;
        out[i][0] = (c * nx - s * ny) * roi.w + roi.cx;
        out[i][1] = (s * nx + c * ny) * roi.h + roi.cy;
        out[i][2] = nz * roi.w;
    }
}

void ps_world_landmarks_project(const float raw[63], float angle, float out[PS_HAND_NLM][3])
{
    float c = cosf(angle), s = sinf(angle);
    for (int i = 0; i < PS_HAND_NLM; i++) {
        float x = raw[3 * i], y = raw[3 * i + 1];
        out[i][0] = c * x - s * y;
        out[i][1] = s * x + c * y;
        out[i][2] = raw[3 * i + 2];
    }
}

int ps_handedness_from_model(float p, int mirrored, float *score)
{
    if (!(p == p))
        p = 0.5f;
    /* MediaPipe: "Left" with p, "Right" with 1 - p, the larger wins (a tie
       goes to class 0, Left) */
    int mp_right = p < 0.5f;
    if (score)
        *score = mp_right ? 1.0f - p : p;
    return mirrored ? mp_right : !mp_right;
}
