/* psgen: one glyph's own ink as a coverage mask in page pixels, for letters
 * made to touch (see psgen_touch.c). Private to the generator. */
#ifndef PSGEN_TOUCH_H
#define PSGEN_TOUCH_H
#include "penscope.h"
#include <cairo.h>
#include <stdint.h>

typedef struct psgen_mask {
    int x0, y0, w, h; /* page pixels */
    uint8_t *a;       /* coverage 0..255, w*h; NULL when empty */
} psgen_mask;

/* Rasterises cr's current path (device space, cr's matrix the identity)
 * into m (replacing what m held), less the rectangle cut (x, y, w, h in the
 * frame cut_m) when cut is given: an 'o' mark's opening. */
ps_status psgen_mask_from_path(cairo_t *cr, const cairo_matrix_t *cut_m, const double cut[4], psgen_mask *m);
void psgen_mask_release(psgen_mask *m);
/* How many pixels cur may move left before its ink becomes an 8-neighbour of
 * prev's (negative: they already overlap); 1e30 when they share no rows. */
double psgen_contact_shift(const psgen_mask *prev, const psgen_mask *cur);
/* 1 when the two glyphs' ink is one connected piece at half coverage. */
int psgen_masks_touch(const psgen_mask *a, const psgen_mask *b);
/* A fully covered pixel near the middle of the glyph; 0 when none. */
int psgen_mask_anchor(const psgen_mask *m, int *ax, int *ay);
#endif
