/* The grip overlay (cairo), meant to be shown to a parent or a therapist:
 * the hand skeleton, the pencil axis with its writing tip, where each digit
 * touches the pencil, the grip distance along the axis, and the grasp with
 * the reasons that decided it, in a box in the top-left corner. Sizes scale
 * with the image so the overlay reads the same on a phone photo and a
 * video frame. */
#include "grip/grip_internal.h"
#include "grip/overlay_label.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const int bones[][2] = {
    {0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 5}, {5, 6}, {6, 7}, {7, 8}, {5, 9}, {9, 10}, {10, 11}, {11, 12},
    {9, 13}, {13, 14}, {14, 15}, {15, 16}, {13, 17}, {0, 17}, {17, 18}, {18, 19}, {19, 20},
};
/* one colour per digit (thumb .. little), distinguishable for colour-blind viewers (Okabe-Ito) */
static const double digit_rgb[5][3] = {
    {0.90, 0.62, 0.00}, {0.34, 0.71, 0.91}, {0.00, 0.62, 0.45}, {0.80, 0.47, 0.65}, {0.84, 0.37, 0.00},
};

static int digit_of_landmark(int i) { return i == 0 ? -1 : (i - 1) / 4; }

static void draw_skeleton(cairo_t *cr, const float (*lm)[3], double unit)
{
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (size_t b = 0; b < sizeof bones / sizeof bones[0]; b++) {
        int d = digit_of_landmark(bones[b][1]);
        int palm = bones[b][0] == 0 || (bones[b][0] % 4 == 1 && bones[b][1] % 4 == 1);
        /* white under-stroke so the skeleton shows on skin and on paper */
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_set_line_width(cr, 2.2 * unit);
        cairo_move_to(cr, lm[bones[b][0]][0], lm[bones[b][0]][1]);
        cairo_line_to(cr, lm[bones[b][1]][0], lm[bones[b][1]][1]);
        cairo_stroke(cr);
        if (palm || d < 0)
            cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
        else
            cairo_set_source_rgb(cr, digit_rgb[d][0], digit_rgb[d][1], digit_rgb[d][2]);
        cairo_set_line_width(cr, 1.2 * unit);
        cairo_move_to(cr, lm[bones[b][0]][0], lm[bones[b][0]][1]);
        cairo_line_to(cr, lm[bones[b][1]][0], lm[bones[b][1]][1]);
        cairo_stroke(cr);
    }
    for (int i = 0; i < LM_COUNT; i++) {
        cairo_arc(cr, lm[i][0], lm[i][1], 1.6 * unit, 0, 2 * M_PI);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_set_line_width(cr, 0.5 * unit);
        cairo_stroke(cr);
    }
}

typedef struct canvas { cairo_t *cr; int width, height; double unit; } canvas;

/* A small label on a white box, moved as little as needed to lie inside the image. */
static void label_at(const canvas *cv, double x, double y, const char *text, double size)
{
    cairo_t *cr = cv->cr;
    size = fmax(size, 10.0);  /* below 10 px no screen makes it readable */
    cairo_set_font_size(cr, size);
    cairo_text_extents_t te;
    cairo_text_extents(cr, text, &te);
    double bx = x - 0.2 * size, by = y - size, bw = te.x_advance + 0.4 * size, bh = 1.3 * size;
    double cx = bx, cy = by;
    grip_box_clamp(&cx, &cy, bw, bh, cv->width, cv->height);
    x += cx - bx, y += cy - by;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
    cairo_rectangle(cr, cx, cy, bw, bh);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text);
}

static void draw_pencil(const canvas *cv, const ps_grip_result *r, const float (*lm)[3])
{
    cairo_t *cr = cv->cr;
    double unit = cv->unit;
    const ps_grip_pencil *p = &r->pencil;
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_source_rgba(cr, 0.0, 0.45, 0.70, 0.9);
    cairo_set_line_width(cr, 1.2 * unit);
    double dash[2] = {4 * unit, 2 * unit};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, p->tip[0], p->tip[1]);
    cairo_line_to(cr, p->end[0], p->end[1]);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    /* the writing tip */
    cairo_arc(cr, p->tip[0], p->tip[1], 3.0 * unit, 0, 2 * M_PI);
    cairo_set_source_rgb(cr, 0.84, 0.15, 0.16);
    cairo_set_line_width(cr, 1.0 * unit);
    cairo_stroke(cr);
    label_at(cv, p->tip[0] + 4 * unit, p->tip[1] + 4 * unit, "tip", 6 * unit);
    /* contact points */
    for (int d = 0; d < 5; d++) {
        if (!(r->contact_mask & (1u << d)))
            continue;
        cairo_arc(cr, r->contact_px[d][0], r->contact_px[d][1], 2.4 * unit, 0, 2 * M_PI);
        cairo_set_source_rgb(cr, digit_rgb[d][0], digit_rgb[d][1], digit_rgb[d][2]);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 0.6 * unit);
        cairo_stroke(cr);
    }
    /* grip distance: a bracket beside the axis from the tip to the fingertip's foot */
    if (isfinite(r->grip_distance_px) && r->grip_distance_px > 0) {
        double dx = p->end[0] - p->tip[0], dy = p->end[1] - p->tip[1], l = hypot(dx, dy);
        dx /= l, dy /= l;
        double nx = -dy, ny = dx, off = 0.6 * p->width_px + 5 * unit;
        /* on the side away from the hand */
        if (lm && (lm[0][0] - p->tip[0]) * nx + (lm[0][1] - p->tip[1]) * ny > 0)
            nx = -nx, ny = -ny;
        double ax = p->tip[0] + nx * off, ay = p->tip[1] + ny * off;
        double bx = ax + dx * r->grip_distance_px, by = ay + dy * r->grip_distance_px;
        cairo_set_source_rgb(cr, 0.84, 0.15, 0.16);
        cairo_set_line_width(cr, 1.0 * unit);
        cairo_move_to(cr, ax - nx * 2 * unit, ay - ny * 2 * unit);
        cairo_line_to(cr, ax + nx * 2 * unit, ay + ny * 2 * unit);
        cairo_move_to(cr, ax, ay);
        cairo_line_to(cr, bx, by);
        cairo_move_to(cr, bx - nx * 2 * unit, by - ny * 2 * unit);
        cairo_line_to(cr, bx + nx * 2 * unit, by + ny * 2 * unit);
        cairo_stroke(cr);
        char t[64];
        if (isfinite(r->grip_distance_mm))
            snprintf(t, sizeof t, "grip %.0f mm", r->grip_distance_mm);
        else
            snprintf(t, sizeof t, "grip %.2f hand", r->grip_distance_rel);
        label_at(cv, 0.5 * (ax + bx) + nx * 6 * unit, 0.5 * (ay + by) + ny * 6 * unit, t, 6 * unit);
    }
}

static ps_status render(cairo_surface_t *surf, int width, int height, const float (*lm)[3], const ps_grip_result *r)
{
    cairo_t *cr = cairo_create(surf);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        cairo_destroy(cr);
        return ps_fail(PS_ERR_NOMEM, "overlay: cannot draw");
    }
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    double unit = fmax(1.0, fmin(width, height) / 400.0);
    if (lm) {
        float hs = ps_v2_dist(lm2(lm, LM_WRIST), lm2(lm, LM_MIDDLE_MCP));
        if (hs > 0)
            unit = fmax(1.0, fmin(unit, hs / 40.0));
        draw_skeleton(cr, lm, unit);
    }
    canvas cv = {cr, width, height, unit};
    if (r && r->pencil_found)
        draw_pencil(&cv, r, lm);
    ps_status rc = PS_OK;
    if (r) {
        grip_label_layout *layout = ps_malloc(sizeof *layout);  /* ~14 kB: off the stack of worker threads */
        if (!layout) {
            cairo_destroy(cr);
            return ps_fail(PS_ERR_NOMEM, "overlay: out of memory");
        }
        grip_label_layout_compute(cr, r, lm, width, height, layout);
        grip_label_draw(cr, layout);
        ps_free(layout);
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        rc = ps_fail(PS_ERR_INTERNAL, "overlay: drawing failed");
    cairo_destroy(cr);
    return rc;
}

static int finite_landmarks(const float (*lm)[3])
{
    for (int i = 0; i < LM_COUNT; i++)
        if (!isfinite(lm[i][0]) || !isfinite(lm[i][1]))
            return 0;
    return 1;
}

/* Draws onto a cairo copy of the image; the copy goes back into rgb or to a PNG. */
static ps_status overlay_surface(const ps_image *rgb, const float (*lm)[3], const ps_grip_result *r,
                                 cairo_surface_t **out)
{
    *out = NULL;
    if (!rgb || !rgb->data || rgb->channels != 3 || rgb->width <= 0 || rgb->height <= 0)
        return ps_fail(PS_ERR_INVALID_ARG, "overlay: needs an RGB image");
    if (lm && !finite_landmarks(lm))
        return ps_fail(PS_ERR_INVALID_ARG, "overlay: landmarks are not finite");
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, rgb->width, rgb->height);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return ps_fail(PS_ERR_NOMEM, "overlay: cannot create a %dx%d surface", rgb->width, rgb->height);
    }
    cairo_surface_flush(s);
    unsigned char *d = cairo_image_surface_get_data(s);
    int ds = cairo_image_surface_get_stride(s);
    for (int y = 0; y < rgb->height; y++) {
        const uint8_t *src = rgb->data + (size_t)y * rgb->stride;
        uint32_t *row = (uint32_t *)(d + (size_t)y * ds);
        for (int x = 0; x < rgb->width; x++)
            row[x] = 0xFF000000u | (uint32_t)src[3 * x] << 16 | (uint32_t)src[3 * x + 1] << 8 | src[3 * x + 2];
    }
    cairo_surface_mark_dirty(s);
    ps_status rc = render(s, rgb->width, rgb->height, lm, r);
    if (rc) {
        cairo_surface_destroy(s);
        return rc;
    }
    cairo_surface_flush(s);
    *out = s;
    return PS_OK;
}

ps_status ps_grip_overlay_draw(ps_image *rgb, const float (*lm)[3], const ps_grip_result *r)
{
    cairo_surface_t *s;
    ps_status rc = overlay_surface(rgb, lm, r, &s);
    if (rc)
        return rc;
    const unsigned char *d = cairo_image_surface_get_data(s);
    int ds = cairo_image_surface_get_stride(s);
    for (int y = 0; y < rgb->height; y++) {
        const uint32_t *row = (const uint32_t *)(d + (size_t)y * ds);
        uint8_t *dst = rgb->data + (size_t)y * rgb->stride;
        for (int x = 0; x < rgb->width; x++) {
            dst[3 * x] = (uint8_t)(row[x] >> 16);
            dst[3 * x + 1] = (uint8_t)(row[x] >> 8);
            dst[3 * x + 2] = (uint8_t)row[x];
        }
    }
    cairo_surface_destroy(s);
    return PS_OK;
}

static cairo_status_t write_fn(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

ps_status ps_grip_overlay_write_png(const char *path, const ps_image *rgb, const float (*lm)[3],
                                    const ps_grip_result *r)
{
    if (!path)
        return ps_fail(PS_ERR_INVALID_ARG, "overlay: path is NULL");
    cairo_surface_t *s;
    ps_status rc = overlay_surface(rgb, lm, r, &s);
    if (rc)
        return rc;
    FILE *f = ps_file_create_private(path, "wb");
    if (!f) {
        cairo_surface_destroy(s);
        return PS_ERR_IO;  /* the message names the file and the reason */
    }
    cairo_status_t cs = cairo_surface_write_to_png_stream(s, write_fn, f);
    cairo_surface_destroy(s);
    if (fclose(f) != 0 || cs != CAIRO_STATUS_SUCCESS)
        return ps_fail(PS_ERR_IO, "cannot write '%s'", path);
    return PS_OK;
}
