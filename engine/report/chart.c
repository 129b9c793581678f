/* A metric's chart over time: the goal band shaded, the baseline dashed, the
 * sessions as a line with points, and the points that differ reliably from
 * the baseline filled (green better, red worse, blue where the metric has no
 * good direction); other points are hollow. Drawn with cairo into any surface
 * (PDF page, SVG for HTML, PNG). */
#include "report/report_internal.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static void nice_ticks(double lo, double hi, double *t0, double *step)
{
    double span = hi - lo;
    if (!(span > 0))
        span = fabs(hi) > 0 ? fabs(hi) : 1;
    double raw = span / 4, mag = pow(10, floor(log10(raw))), f = raw / mag;
    *step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
    *t0 = ceil(lo / *step) * *step;
}

static void text_at(cairo_t *cr, double x, double y, const char *s, double align)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - align * e.x_advance, y);
    cairo_show_text(cr, s);
}

void rp_chart_draw(cairo_t *cr, const ps_metric_progress *m, double x, double y, double w, double h)
{
    cairo_save(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 9);
    double left = x + 44, right = x + w - 8, top = y + 8, bottom = y + h - 22;
    /* frame */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    if (m->n == 0) {
        cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
        text_at(cr, x + w / 2, y + h / 2, "no numeric values to chart", 0.5);
        cairo_restore(cr);
        return;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < m->n; i++) {
        lo = fmin(lo, m->obs[i].value);
        hi = fmax(hi, m->obs[i].value);
    }
    if (m->has_goal) {
        lo = fmin(lo, m->goal.low);
        hi = fmax(hi, m->goal.high);
    }
    double pad = (hi - lo) * 0.08;
    if (!(pad > 0))
        pad = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;
    lo -= pad;
    hi += pad;
    int32_t d0 = m->obs[0].day, d1 = m->obs[m->n - 1].day;
    if (d1 == d0) {
        d0 -= 7;
        d1 += 7;
    }
    double span = d1 - d0;
    d0 = (int32_t)floor(d0 - span * 0.04);
    d1 = (int32_t)ceil(d1 + span * 0.04);
#define PX(day) (left + ((day) - d0) / (double)(d1 - d0) * (right - left))
#define PY(v) (bottom - ((v) - lo) / (hi - lo) * (bottom - top))
    /* goal band */
    if (m->has_goal) {
        cairo_set_source_rgba(cr, 0.2, 0.65, 0.3, 0.18);
        double ya = PY(m->goal.high), yb = PY(m->goal.low);
        if (yb - ya < 2) {
            ya -= 1;
            yb += 1;
        }
        cairo_rectangle(cr, left, ya, right - left, yb - ya);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.15, 0.45, 0.2);
        text_at(cr, right - 2, ya - 2 < top + 8 ? ya + 9 : ya - 2, "goal", 1);
    }
    /* axes and grid */
    double t0, step;
    nice_ticks(lo, hi, &t0, &step);
    cairo_set_line_width(cr, 0.5);
    char lab[32];
    for (double t = t0; t <= hi + step * 1e-9; t += step) {
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, left, PY(t));
        cairo_line_to(cr, right, PY(t));
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        snprintf(lab, sizeof lab, "%g", fabs(t) < step * 1e-9 ? 0.0 : t);
        text_at(cr, left - 4, PY(t) + 3, lab, 1);
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, left, top);
    cairo_line_to(cr, left, bottom);
    cairo_line_to(cr, right, bottom);
    cairo_stroke(cr);
    char date[16];
    ps_date_format(m->obs[0].day, date);
    text_at(cr, PX(m->obs[0].day), bottom + 12, date, m->n == 1 ? 0.5 : 0);
    if (m->n > 1) {
        ps_date_format(m->obs[m->n - 1].day, date);
        text_at(cr, PX(m->obs[m->n - 1].day), bottom + 12, date, 1);
    }
    /* baseline */
    const double dash[] = {4, 3};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
    cairo_move_to(cr, left, PY(m->p.baseline));
    cairo_line_to(cr, right, PY(m->p.baseline));
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    text_at(cr, left + 3, PY(m->p.baseline) - 3, "baseline", 0);
    /* the series */
    cairo_set_source_rgb(cr, 0.15, 0.3, 0.6);
    cairo_set_line_width(cr, 1.5);
    for (size_t i = 0; i < m->n; i++) {
        double px = PX(m->obs[i].day), py = PY(m->obs[i].value);
        if (i == 0)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
    cairo_stroke(cr);
    for (size_t i = 0; i < m->n; i++) {
        double px = PX(m->obs[i].day), py = PY(m->obs[i].value);
        int mark = i ? rp_reliable_mark(m, m->obs[i].value) : 0;
        cairo_new_path(cr);
        cairo_arc(cr, px, py, mark ? 4 : 3, 0, 2 * M_PI);
        if (mark) {
            if (mark == 1)
                cairo_set_source_rgb(cr, 0.1, 0.6, 0.2);
            else if (mark == -1)
                cairo_set_source_rgb(cr, 0.8, 0.15, 0.1);
            else
                cairo_set_source_rgb(cr, 0.15, 0.3, 0.8);
            cairo_fill(cr);
        } else {
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.15, 0.3, 0.6);
            cairo_set_line_width(cr, 1.2);
            cairo_stroke(cr);
        }
    }
#undef PX
#undef PY
    cairo_restore(cr);
}

ps_status ps_report_chart_png(const ps_metric_progress *m, int w, int h, const char *path)
{
    if (!m || !path || w < 100 || h < 60 || w > 8000 || h > 8000)
        return ps_fail(PS_ERR_INVALID_ARG, "a chart needs a metric, a path and a size from 100x60 to 8000x8000");
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    rp_chart_draw(cr, m, 0, 0, w, h);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    ps_status rc = PS_OK;
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        rc = ps_fail(PS_ERR_INTERNAL, "chart drawing failed: %s", cairo_status_to_string(cairo_surface_status(s)));
    else {
        /* through ps_image_write_png, so the file is created 0600 */
        ps_image img = {0};
        if ((rc = ps_image_alloc(&img, w, h, 3)) == PS_OK) {
            const unsigned char *src = cairo_image_surface_get_data(s);
            int stride = cairo_image_surface_get_stride(s);
            for (int yy = 0; yy < h; yy++)
                for (int xx = 0; xx < w; xx++) {
                    uint32_t px;
                    memcpy(&px, src + (size_t)yy * stride + 4 * (size_t)xx, 4);
                    uint8_t *d = img.data + (size_t)yy * img.stride + 3 * (size_t)xx;
                    d[0] = (uint8_t)(px >> 16);
                    d[1] = (uint8_t)(px >> 8);
                    d[2] = (uint8_t)px;
                }
            rc = ps_image_write_png(path, &img);
            ps_image_release(&img);
        }
    }
    cairo_surface_destroy(s);
    return rc;
}
