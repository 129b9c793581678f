/* Palm detector post-processing (MediaPipe Hands, reference/mediapipe-hands.md
 * §2.1-2.5): SSD anchors, box and keypoint decoding, weighted NMS, and the
 * mapping from the detector's square view back to image pixels. */
#ifndef PS_HAND_PALM_H
#define PS_HAND_PALM_H
#include "penscope.h"

#define PS_PALM_INPUT 192       /* the detector's square input, pixels */
#define PS_PALM_ANCHORS 2016    /* 24*24*2 (stride 8) + 12*12*6 (stride 16) */
#define PS_PALM_COORDS 18       /* box (4) + 7 keypoints (x, y) per anchor */
#define PS_PALM_KEYPOINTS 7     /* 0 = wrist centre, 2 = middle-finger MCP */

/* Anchor centre, normalised to the detector input; width = height = 1
 * (fixed_anchor_size), so no size is stored. */
typedef struct ps_palm_anchor { float x, y; } ps_palm_anchor;

/* Fills the 2016 anchors in the model's output order: stride-8 level first,
 * then rows, columns, anchors within a cell. */
void ps_palm_anchors(ps_palm_anchor out[PS_PALM_ANCHORS]);

/* One palm: box corners and keypoints, in the coordinates of whatever it was
 * last mapped to (detector-normalised after decoding, image pixels after
 * ps_palm_view_map). */
typedef struct ps_palm_det {
    float score;
    float x0, y0, x1, y1;
    float kp[PS_PALM_KEYPOINTS][2];
} ps_palm_det;

/* Decodes the raw outputs (regressors 2016x18, logits 2016) into the
 * detections whose sigmoid score is >= min_score and whose box size is not
 * negative (nor NaN), into cand (room for PS_PALM_ANCHORS); returns how many. */
int ps_palm_decode(const float *regressors, const float *logits, const ps_palm_anchor *anchors,
                   float min_score, ps_palm_det *cand);

/* Weighted NMS (IoU > iou_thresh merges; the merged box and keypoints are the
 * score-weighted means, the score is the best one's). Sorts cand[0..n) by
 * score in place and writes at most cap results into out, best first;
 * returns how many. */
int ps_palm_nms(ps_palm_det *cand, int n, float iou_thresh, ps_palm_det *out, int cap);

/* The square part of the image the detector looks at: centre and side in
 * image pixels, axis-aligned. The letterbox of MediaPipe is the square of
 * side max(W, H) centred on the image; larger sides give zoomed-out views
 * (the image shrinks inside the detector input, zero bars around it). */
typedef struct ps_palm_view { float cx, cy, side; } ps_palm_view;
ps_palm_view ps_palm_view_letterbox(int width, int height, float zoom_out);

/* Maps a detection from detector-normalised coordinates to image pixels. */
void ps_palm_view_map(const ps_palm_view *v, ps_palm_det *d);

#endif
