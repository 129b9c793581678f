/* Layout of the grasp label of the grip overlay: the grasp and the reasons
 * that decided it, word-wrapped into a box that always lies inside the image,
 * with font sizes that follow the size at which the picture will be seen.
 * Exposed (privately) so tests can check the boxes without reading pixels. */
#ifndef PS_GRIP_OVERLAY_LABEL_H
#define PS_GRIP_OVERLAY_LABEL_H
#include "penscope.h"
#include <cairo.h>

#define GRIP_LABEL_MAX_LINES 64
#define GRIP_LABEL_LINE_CAP 160

typedef struct grip_label_line {
    char text[GRIP_LABEL_LINE_CAP];
    double size;        /* font size in pixels */
    double x, y;        /* baseline start */
    double ink_x0, ink_y0, ink_x1, ink_y1;  /* the drawn glyphs' box (cairo ink extents) */
    int title;          /* 1: the grasp line, 0: a reason */
    int first;          /* first line of a reason: drawn with a bullet, a small gap above */
    double indent;      /* reasons: the text starts this far right of the bullet */
} grip_label_line;

typedef struct grip_label_layout {
    int shown;          /* 0: the image is too small for a readable label */
    double box_x, box_y, box_w, box_h;  /* the background box */
    double title_size, body_size;
    int n_lines;
    int truncated;      /* 1: reasons left out for lack of height (last line says so) */
    grip_label_line line[GRIP_LABEL_MAX_LINES];
} grip_label_layout;

/* Lays out the label of r for a width x height image on cr (whose font face
 * font face and size are changed). lm (may be NULL) and the
 * pencil in r steer the box to the corner that covers the hand least. */
void grip_label_layout_compute(cairo_t *cr, const ps_grip_result *r, const float (*lm)[3], int width, int height,
                               grip_label_layout *out);
/* Draws a computed layout. */
void grip_label_draw(cairo_t *cr, const grip_label_layout *L);

/* Moves a w x h box at (*x, *y) the least distance that puts it inside a
 * width x height image (or at its top-left when it is larger). */
void grip_box_clamp(double *x, double *y, double w, double h, int width, int height);
#endif
