/* Landmark model post-processing (MediaPipe Hands §2.8): projection of the
 * crop landmarks to image pixels, world landmarks rotated by the ROI angle,
 * and handedness corrected for non-mirrored cameras. */
#ifndef PS_HAND_LANDMARK_H
#define PS_HAND_LANDMARK_H
#include "core/geom.h"
#include "hand/roi.h"

#define PS_LANDMARK_INPUT 224   /* the landmark model's square input, pixels */

/* raw: the model's 63 screen values (x, y in crop pixels 0..224, z on the
 * same scale). Writes image pixels: x, y, and z = MediaPipe's normalised z
 * (z/224/0.4 * roi width) in pixels, so that z has the scale of x. */
void ps_landmarks_project(const float raw[63], ps_rotrect roi, float out[PS_HAND_NLM][3]);

/* raw: the model's 63 world values (metres); rotates x, y by the ROI angle. */
void ps_world_landmarks_project(const float raw[63], float angle, float out[PS_HAND_NLM][3]);

/* The model's handedness output p is the probability of "Left" on a mirrored
 * (selfie) image. Returns 1 for the right hand, 0 for the left, of the person
 * in an image taken by a non-mirrored camera (mirrored = 0), or as MediaPipe
 * labels it (mirrored = 1); *score gets the probability of that label. */
int ps_handedness_from_model(float p, int mirrored, float *score);

#endif
