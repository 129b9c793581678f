/* The model inputs: a rotated, scaled crop of an 8-bit image into a float
 * NHWC RGB tensor in [0, 1], sampled bilinearly like OpenCV's warpPerspective
 * with MediaPipe's corner convention (reference/mediapipe-hands.md §2.1, §2.7):
 * tensor pixel (i, j) of an n x n tensor samples the image at
 * centre + R(angle) * ((j/n - 0.5) * w, (i/n - 0.5) * h), pixel centres at
 * integer coordinates. */
#ifndef PS_HAND_CROP_H
#define PS_HAND_CROP_H
#include "penscope.h"
#include "core/geom.h"

typedef enum ps_crop_border {
    PS_CROP_ZERO = 0,      /* outside the image is black (palm letterbox) */
    PS_CROP_REPLICATE = 1  /* outside the image repeats the edge (landmark crop) */
} ps_crop_border;

/* Fills dst (n*n*3 floats). img has 1 (gray), 3 (RGB) or 4 (RGBA) channels.
 * roi is in image pixels. */
void ps_crop_to_tensor(const ps_image *img, ps_rotrect roi, int n, ps_crop_border border, float *dst);

#endif
