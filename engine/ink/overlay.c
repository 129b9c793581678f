/* The ink overlay: the recording drawn to a PNG so that every number can be
 * checked by eye. Pen-down ink is coloured by speed (blue slow to red fast,
 * scaled to the recording's 95th percentile) with a width that follows
 * pressure; pen lifts are dashed grey; each expected letter gets its box
 * (green: formed like the model, orange: legible but formed differently,
 * red: not legible or reversed), a start dot, direction arrows and stroke
 * order numbers. Nothing from the file name is drawn: names of pen files
 * often identify the child. */
#include "ink/ink_internal.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct view {
    double x0, y0, s, pad;
} view;

static double vx(const view *v, double x) { return v->pad + (x - v->x0) * v->s; }
static double vy(const view *v, double y) { return v->pad + (y - v->y0) * v->s; }

/* blue -> cyan -> green -> yellow -> red */
static void speed_colour(cairo_t *cr, double u)
{
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    static const double stops[5][3] = {{0.1, 0.2, 0.9}, {0.0, 0.7, 0.9}, {0.1, 0.75, 0.2}, {0.95, 0.8, 0.0}, {0.9, 0.1, 0.1}};
    double f = u * 4;
    int i = (int)f;
    if (i >= 4)
        i = 3;
    double t = f - i;
    cairo_set_source_rgb(cr, stops[i][0] + t * (stops[i + 1][0] - stops[i][0]),
                         stops[i][1] + t * (stops[i + 1][1] - stops[i][1]),
                         stops[i][2] + t * (stops[i + 1][2] - stops[i][2]));
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double speed_p95(const ps_ink *ink, const ps_ink_result *r)
{
    size_t n = 0;
    for (size_t i = r->first + 1; i <= r->last; i++)
        n += ink->pen_down[i] && ink->pen_down[i - 1] && ink->pen_down[i] != 2;
    if (!n)
        return 1;
    double *v = ps_malloc(n * sizeof *v);
    if (!v)
        return 1;
    size_t k = 0;
    for (size_t i = r->first + 1; i <= r->last; i++)
        if (ink->pen_down[i] && ink->pen_down[i - 1] && ink->pen_down[i] != 2) {
            double dt = ink->t_s[i] - ink->t_s[i - 1];
            v[k++] = dt > 0 ? hypot(ink->x_mm[i] - ink->x_mm[i - 1], ink->y_mm[i] - ink->y_mm[i - 1]) / dt : 0;
        }
    qsort(v, k, sizeof *v, cmp_d);
    double p = v[(size_t)(0.95 * (double)(k - 1))];
    ps_free(v);
    return p > 0 ? p : 1;
}

static void arrow(cairo_t *cr, double x, double y, double dx, double dy, double size)
{
    double l = hypot(dx, dy);
    if (l <= 0)
        return;
    dx /= l;
    dy /= l;
    cairo_move_to(cr, x + dx * size, y + dy * size);
    cairo_line_to(cr, x - dx * size * 0.6 - dy * size * 0.6, y - dy * size * 0.6 + dx * size * 0.6);
    cairo_line_to(cr, x - dx * size * 0.6 + dy * size * 0.6, y - dy * size * 0.6 - dx * size * 0.6);
    cairo_close_path(cr);
    cairo_fill(cr);
}

static void draw_letters(cairo_t *cr, const view *v, const ps_ink *ink, const ps_ink_result *r)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    for (size_t l = 0; l < r->n_letters; l++) {
        const ps_ink_letter *L = &r->letters[l];
        if (!L->found)
            continue;
        bool differs = L->start_error || L->direction_errors || L->order_error || L->stroke_count_error;
        if (!L->has_model || isnan(L->score))
            cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
        else if (!L->legible || L->reversal)
            cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
        else if (differs)
            cairo_set_source_rgb(cr, 0.95, 0.55, 0.0);
        else
            cairo_set_source_rgb(cr, 0.1, 0.65, 0.2);
        double bx = vx(v, L->x0_mm) - 4, by = vy(v, L->y0_mm) - 4;
        double bw = (L->x1_mm - L->x0_mm) * v->s + 8, bh = (L->y1_mm - L->y0_mm) * v->s + 8;
        cairo_set_line_width(cr, 1.5);
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_rectangle(cr, bx, by, bw, bh);
        cairo_stroke(cr);
        char label[32];
        snprintf(label, sizeof label, "%c%s%s%s%s%s", L->ch, L->start_error ? " S" : "", L->direction_errors ? " D" : "",
                 L->order_error ? " O" : "", L->stroke_count_error ? " C" : "", L->reversal ? " R" : "");
        cairo_set_font_size(cr, 13);
        cairo_move_to(cr, bx, by - 4);
        cairo_show_text(cr, label);
        for (int k = 0; k < L->n_strokes; k++) {
            const ps_ink_stroke *s = &r->strokes[L->strokes[k]];
            size_t a = s->first, b = s->first + s->count - 1, mid = (a + b) / 2;
            double sx = vx(v, ink->x_mm[a]), sy = vy(v, ink->y_mm[a]);
            if (k == 0) { /* start dot */
                cairo_set_source_rgb(cr, 0.0, 0.6, 0.1);
                cairo_arc(cr, sx, sy, 4.5, 0, 2 * M_PI);
                cairo_fill(cr);
            }
            cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
            cairo_set_font_size(cr, 11);
            char num[12]; /* any int fits */
            snprintf(num, sizeof num, "%d", k + 1);
            cairo_move_to(cr, sx + 5, sy - 5);
            cairo_show_text(cr, num);
            if (b > a) { /* direction arrow at the middle of the stroke */
                size_t p0 = mid > a ? mid - 1 : a, p1 = mid < b ? mid + 1 : b;
                cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
                arrow(cr, vx(v, ink->x_mm[mid]), vy(v, ink->y_mm[mid]), ink->x_mm[p1] - ink->x_mm[p0],
                      ink->y_mm[p1] - ink->y_mm[p0], 7);
            }
        }
    }
}

static cairo_status_t write_png(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

ps_status ps_ink_overlay_png(const ps_ink *ink, const ps_ink_result *r, const char *path)
{
    if (!ink || !r || !path)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_ink_overlay_png: missing argument");
    if (!r->n_strokes)
        return ps_fail(PS_ERR_INVALID_ARG, "nothing to draw: the pen never touches the surface");
    if (r->last >= ink->n || r->first > r->last)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_ink_overlay_png: the result is not of this recording");
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = r->first; i <= r->last; i++) {
        x0 = fmin(x0, ink->x_mm[i]);
        x1 = fmax(x1, ink->x_mm[i]);
        y0 = fmin(y0, ink->y_mm[i]);
        y1 = fmax(y1, ink->y_mm[i]);
    }
    double w = fmax(x1 - x0, 1), h = fmax(y1 - y0, 1);
    view v = {x0, y0, fmin(1400 / w, 900 / h), 40};
    if (v.s * w < 300)
        v.s = 300 / w;
    int W = (int)(w * v.s + 2 * v.pad), H = (int)(h * v.s + 2 * v.pad + 30);
    if (W > 4000 || H > 4000)
        return ps_fail(PS_ERR_LIMIT, "overlay of %dx%d pixels is too large", W, H);
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return ps_fail(PS_ERR_NOMEM, "cannot create a %dx%d overlay", W, H);
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    /* pen lifts */
    static const double dash[] = {4, 4};
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(cr, 1);
    cairo_set_dash(cr, dash, 2, 0);
    const ps_ink_stroke *prev_down = NULL;
    for (size_t k = 0; k < r->n_strokes; k++) {
        const ps_ink_stroke *s = &r->strokes[k];
        if (!s->pen_down) {
            size_t a = s->first > 0 ? s->first - 1 : s->first, b = s->first + s->count;
            if (b > r->last)
                b = r->last;
            cairo_move_to(cr, vx(&v, ink->x_mm[a]), vy(&v, ink->y_mm[a]));
            for (size_t i = a + 1; i <= b; i++)
                cairo_line_to(cr, vx(&v, ink->x_mm[i]), vy(&v, ink->y_mm[i]));
            cairo_stroke(cr);
        } else {
            if (prev_down && prev_down->first + prev_down->count == s->first) {
                /* two pen-down strokes back to back (no hover samples): a lift all the same */
            } else if (prev_down && !(ink->channels & PS_INK_HAS_HOVER)) {
                size_t a = prev_down->first + prev_down->count - 1;
                cairo_move_to(cr, vx(&v, ink->x_mm[a]), vy(&v, ink->y_mm[a]));
                cairo_line_to(cr, vx(&v, ink->x_mm[s->first]), vy(&v, ink->y_mm[s->first]));
                cairo_stroke(cr);
            }
            prev_down = s;
        }
    }
    cairo_set_dash(cr, NULL, 0, 0);
    /* ink by speed and pressure */
    double vmax = speed_p95(ink, r);
    for (size_t i = r->first + 1; i <= r->last; i++) {
        if (!ink->pen_down[i] || !ink->pen_down[i - 1] || ink->pen_down[i] == 2)
            continue;
        double dt = ink->t_s[i] - ink->t_s[i - 1];
        double sp = dt > 0 ? hypot(ink->x_mm[i] - ink->x_mm[i - 1], ink->y_mm[i] - ink->y_mm[i - 1]) / dt : 0;
        speed_colour(cr, sp / vmax);
        cairo_set_line_width(cr, 1.2 + (ink->pressure ? 3.5 * ink->pressure[i] : 1.5));
        cairo_move_to(cr, vx(&v, ink->x_mm[i - 1]), vy(&v, ink->y_mm[i - 1]));
        cairo_line_to(cr, vx(&v, ink->x_mm[i]), vy(&v, ink->y_mm[i]));
        cairo_stroke(cr);
    }
    draw_letters(cr, &v, ink, r);
    /* legend */
    double ly = H - 22;
    for (int i = 0; i < 100; i++) {
        speed_colour(cr, i / 99.0);
        cairo_rectangle(cr, v.pad + i * 1.5, ly, 1.6, 10);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11);
    char leg[160];
    snprintf(leg, sizeof leg, "speed 0 to %.0f mm/s; width: pressure; dashed: pen lifts; %.0f mm wide", vmax, w);
    cairo_move_to(cr, v.pad + 160, ly + 9);
    cairo_show_text(cr, leg);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    FILE *f = ps_file_create_private(path, "wb");
    if (!f) {
        cairo_surface_destroy(surf);
        return PS_ERR_IO;
    }
    cairo_status_t st = cairo_surface_write_to_png_stream(surf, write_png, f);
    cairo_surface_destroy(surf);
    if (fclose(f) != 0 || st != CAIRO_STATUS_SUCCESS)
        return ps_fail(PS_ERR_IO, "cannot write the overlay PNG");
    return PS_OK;
}
