/* The hand overlay: each hand's ROI, skeleton and landmarks drawn with cairo
 * on a copy of the image, written as a user-only PNG. */
#include "penscope.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <cairo.h>
#include <math.h>
#include <stdio.h>

/* MediaPipe's drawing edges (hands_connections.py) */
static const int edges[][2] = {{0, 1},   {1, 2},   {2, 3},   {3, 4},   {0, 5},   {5, 6},   {6, 7},
                               {7, 8},   {5, 9},   {9, 10},  {10, 11}, {11, 12}, {9, 13},  {13, 14},
                               {14, 15}, {15, 16}, {13, 17}, {0, 17},  {17, 18}, {18, 19}, {19, 20}};

static cairo_status_t write_fn(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void draw_hand(cairo_t *cr, const ps_hand *h, double lw)
{
    /* ROI: yellow, rotated square */
    double c = cos(h->roi.angle), s = sin(h->roi.angle);
    static const double corners[4][2] = {{-.5, -.5}, {.5, -.5}, {.5, .5}, {-.5, .5}};
    for (int k = 0; k < 4; k++) {
        double u = corners[k][0] * h->roi.w, v = corners[k][1] * h->roi.h;
        double x = h->roi.cx + c * u - s * v, y = h->roi.cy + s * u + c * v;
        if (k == 0)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
    }
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 0.85, 0);
    cairo_set_line_width(cr, lw);
    cairo_stroke(cr);
    /* skeleton: green; landmarks: red */
    cairo_set_source_rgb(cr, 0, 0.9, 0.2);
    cairo_set_line_width(cr, 1.5 * lw);
    for (size_t e = 0; e < sizeof edges / sizeof *edges; e++) {
        cairo_move_to(cr, h->landmarks[edges[e][0]][0], h->landmarks[edges[e][0]][1]);
        cairo_line_to(cr, h->landmarks[edges[e][1]][0], h->landmarks[edges[e][1]][1]);
    }
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.9, 0, 0);
    for (int i = 0; i < PS_HAND_LANDMARKS; i++) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, h->landmarks[i][0], h->landmarks[i][1], 2 * lw, 0, 2 * M_PI);
    }
    cairo_fill(cr);
}

ps_status ps_hands_overlay_write_png(const char *path, const ps_image *img, const ps_hands_result *r)
{
    if (!path || !img || !img->data || !r || img->width <= 0 || img->height <= 0)
        return ps_fail(PS_ERR_INVALID_ARG, "overlay: bad arguments");
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, img->width, img->height);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return ps_fail(PS_ERR_NOMEM, "overlay: cannot allocate a %dx%d surface", img->width, img->height);
    }
    cairo_surface_flush(surf);
    unsigned char *dst = cairo_image_surface_get_data(surf);
    int dstride = cairo_image_surface_get_stride(surf);
    for (int y = 0; y < img->height; y++) {
        const uint8_t *p = img->data + (size_t)y * img->stride;
        uint32_t *q = (uint32_t *)(dst + (size_t)y * dstride);
        for (int x = 0; x < img->width; x++, p += img->channels) {
            uint32_t R = p[0], G = img->channels >= 3 ? p[1] : p[0], B = img->channels >= 3 ? p[2] : p[0];
            q[x] = 0xff000000u | R << 16 | G << 8 | B;
        }
    }
    cairo_surface_mark_dirty(surf);
    cairo_t *cr = cairo_create(surf);
    double lw = (img->width > img->height ? img->width : img->height) / 400.0;
    if (lw < 1)
        lw = 1;
    for (int i = 0; i < r->count && i < PS_HANDS_MAX; i++)
        draw_hand(cr, &r->hands[i], lw);
    cairo_destroy(cr);
    ps_status rc = PS_OK;
    FILE *f = ps_file_create_private(path, "wb");
    if (!f) {
        rc = ps_fail(PS_ERR_IO, "cannot create '%s'", path);
    } else {
        cairo_status_t cs = cairo_surface_write_to_png_stream(surf, write_fn, f);
        if (fclose(f) != 0 || cs != CAIRO_STATUS_SUCCESS)
            rc = ps_fail(PS_ERR_IO, "cannot write '%s'", path);
    }
    cairo_surface_destroy(surf);
    return rc;
}
