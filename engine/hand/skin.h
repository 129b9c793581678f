/* A colour cue for the grip-view hand search: regions of skin-coloured pixels
 * (YCbCr box rule of Chai & Ngan 1999: 77 <= Cb <= 127, 133 <= Cr <= 173),
 * found on a small copy of the image. A cue, not a segmentation: the
 * landmark model's presence score decides. */
#ifndef PS_HAND_SKIN_H
#define PS_HAND_SKIN_H
#include "penscope.h"
#include "core/geom.h"

#define PS_SKIN_GRID 96   /* the longer side of the mask, cells */

/* Up to cap skin regions of img, largest first, as square boxes around each
 * region in image pixels (angle 0), for regions covering at least min_frac
 * of the image. scratch: PS_SKIN_GRID^2 * (1 + sizeof(int)) bytes. Returns
 * how many. */
int ps_skin_regions(const ps_image *img, float min_frac, ps_rotrect *out, int cap, void *scratch);
size_t ps_skin_scratch_bytes(void);

/* 1 when an RGB colour is in the skin box. */
int ps_skin_rgb(int r, int g, int b);

#endif
