/* Hand regions of interest (MediaPipe Hands §2.6 and §2.9): from a palm
 * detection, from the previous frame's landmarks, and their association.
 * Everything is in image pixels; a ROI is a rotated rectangle whose angle is
 * the rotation that makes the hand upright (0 = fingers up, +pi/2 = fingers
 * pointing right, image y down). */
#ifndef PS_HAND_ROI_H
#define PS_HAND_ROI_H
#include "core/geom.h"
#include "hand/palm.h"

#define PS_HAND_NLM 21

/* RectTransformationCalculator: shift in the rect's rotated frame (fractions
 * of its size), square on the longer side, then scale. */
ps_rotrect ps_roi_transform(ps_rotrect r, float scale, float shift_x, float shift_y);

/* Palm detection (image pixels) to the landmark ROI: box centre and size,
 * rotation from keypoint 0 (wrist) to keypoint 2 (middle MCP) with a 90°
 * target, then scale 2.6 and shift -0.5 (towards the fingers). */
ps_rotrect ps_roi_from_palm(const ps_palm_det *d);

/* Landmarks (image pixels, 21 x [x,y,z]) to the next frame's ROI: rotation
 * from the wrist to the MCPs, rotated bounding box of 12 palm/base points,
 * then scale 2.0 and shift -0.1. */
ps_rotrect ps_roi_from_landmarks(const float lm[PS_HAND_NLM][3]);

/* Axis-aligned IoU of two ROIs, rotation ignored (AssociationNormRect). */
float ps_roi_iou(ps_rotrect a, ps_rotrect b);

/* AssociationNormRectCalculator: appends each of add[0..nadd) to list (count
 * *n, room cap), first removing every element already in the list that
 * overlaps it with IoU > min_iou, so later elements win. */
void ps_roi_associate(ps_rotrect *list, int *n, int cap, const ps_rotrect *add, int nadd, float min_iou);

#endif
