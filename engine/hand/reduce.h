/* Big photos are analysed on a reduced copy: the models see at most a few
 * hundred pixels of a hand, and a bilinear crop straight from a 12 MP phone
 * photo would sample 4 of every ~200 pixels (aliasing on skin texture and
 * noise). Halving with 2x2 box averages until the longer side is at most
 * PS_HAND_WORK_SIDE keeps the crops filtered; results are mapped back to the
 * caller's pixels. Images at or below that size (all of MediaPipe's test
 * photos) are used as they are. */
#ifndef PS_HAND_REDUCE_H
#define PS_HAND_REDUCE_H
#include "penscope.h"

#define PS_HAND_WORK_SIDE 1600

/* Sets *work to a view of src itself, or of a reduced RGB copy held in *buf
 * (sized for the first halving, reallocated only when the source size
 * changes; release with ps_image_release; *work does not own its pixels),
 * and *scale to the factor from reduced to original pixels (1, 2, 4, ...). */
ps_status ps_hand_reduce(const ps_image *src, ps_image *buf, ps_image *work, int *scale);

/* Maps a point of the reduced image to the original: x' = s*x + (s-1)/2
 * (a reduced pixel centre is the centre of the s x s block it averages). */
static inline float ps_hand_unreduce(float v, int scale) { return scale * v + 0.5f * (scale - 1); }

#endif
