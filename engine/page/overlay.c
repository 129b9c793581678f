/* The page overlay: what each number rests on, drawn over the normalised
 * page so a therapist can check it by eye. Writing lines' boxes (gray),
 * baselines (blue when printed, green when fitted), letter boxes coloured by
 * alignment (green on the line, orange off it), gaps between letters (cyan)
 * and words (magenta), each letter's slant as a short red stroke; with
 * --text, reversed letters in a thick magenta box marked R, letters that
 * should close and do not with a red ring, inserted letters dashed gray.
 * A legend in a band above the page names the colours. */
#include "page/page_internal.h"
#include "core/status.h"
#include <cairo.h>
#include <math.h>
#include <string.h>

ps_status ps_page_overlay(const ps_page_t *pg, ps_image *out)
{
    if (!pg || !out)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_page_overlay: NULL argument");
    memset(out, 0, sizeof *out);
    static const struct { const char *what; double r, g, b; } legend[] = {
        {"baseline: printed (blue) / fitted (green), x-height dashed", 0.1, 0.5, 0.6},
        {"letter on the line", 0.0, 0.7, 0.0},
        {"letter off the line (> 0.2 x-height)", 1.0, 0.5, 0.0},
        {"descender", 0.5, 0.5, 0.9},
        {"gap between letters / words", 0.0, 0.7, 0.8},
        {"slant of the letter", 0.85, 0.1, 0.1},
        {"R: reversed; red ring: not closed (with --text)", 0.85, 0.0, 0.85},
    };
    const int nlegend = (int)(sizeof legend / sizeof *legend);
    int W = pg->gray.width, H = pg->gray.height;
    double lw = W > 1500 ? 2.0 : 1.0, fs = 10 * lw;
    /* The legend gets its own band above the page, so it never hides writing
     * near the top edge. */
    int band = (int)ceil((nlegend * 1.3 + 0.8) * fs);
    int HT = H + band;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, HT);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return ps_fail(PS_ERR_NOMEM, "cannot create a %dx%d overlay", W, H);
    }
    /* the page, lightened, with the measured ink dark on top */
    cairo_surface_flush(s);
    uint8_t *px = cairo_image_surface_get_data(s);
    int st = cairo_image_surface_get_stride(s);
    for (int y = 0; y < band; y++)
        memset(px + (size_t)y * st, 0xff, (size_t)W * 4);
    for (int y = 0; y < H; y++) {
        uint32_t *row = (uint32_t *)(px + (size_t)(y + band) * st);
        const uint8_t *g = pg->gray.data + (size_t)y * pg->gray.stride;
        const uint8_t *m = pg->mask.data + (size_t)y * pg->mask.stride;
        for (int x = 0; x < W; x++) {
            uint32_t v = m[x] ? 40 : 160 + g[x] * 95 / 255;
            row[x] = (v << 16) | (v << 8) | v;
        }
    }
    cairo_surface_mark_dirty(s);
    cairo_t *cr = cairo_create(s);
    cairo_translate(cr, 0, band);
    cairo_set_line_width(cr, lw);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 10 * lw);
    for (int j = 0; j < pg->nline; j++) {
        const pg_line *ln = &pg->line[j];
        cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
        cairo_rectangle(cr, ln->x0 - 2, ln->y0 - 2, ln->x1 - ln->x0 + 4, ln->y1 - ln->y0 + 4);
        cairo_stroke(cr);
        if (ln->ruled)
            cairo_set_source_rgb(cr, 0.1, 0.3, 0.9);
        else
            cairo_set_source_rgb(cr, 0.1, 0.7, 0.2);
        cairo_set_line_width(cr, 2 * lw);
        cairo_move_to(cr, ln->x0, ln->base_a + ln->base_b * ln->x0);
        cairo_line_to(cr, ln->x1, ln->base_a + ln->base_b * ln->x1);
        cairo_stroke(cr);
        /* x-height band */
        double dash[2] = {4 * lw, 3 * lw};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_width(cr, lw);
        cairo_move_to(cr, ln->x0, ln->base_a + ln->base_b * ln->x0 - ln->xh);
        cairo_line_to(cr, ln->x1, ln->base_a + ln->base_b * ln->x1 - ln->xh);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        for (int m = ln->first; m < ln->first + ln->n; m++) {
            const pg_letter *L = &pg->letter[m];
            if (L->cls == PG_SMALL)
                continue;
            if (L->cls == PG_DESC)
                cairo_set_source_rgb(cr, 0.5, 0.5, 0.9);
            else if (L->flags & PG_OFF_LINE)
                cairo_set_source_rgb(cr, 1.0, 0.5, 0.0);
            else
                cairo_set_source_rgb(cr, 0.0, 0.7, 0.0);
            cairo_rectangle(cr, L->x0 + 0.5, L->y0 + 0.5, L->x1 - L->x0 - 1, L->y1 - L->y0 - 1);
            cairo_stroke(cr);
            if (L->flags & PG_REVERSED) {
                cairo_set_source_rgb(cr, 0.85, 0.0, 0.85);
                cairo_set_line_width(cr, 3 * lw);
                cairo_rectangle(cr, L->x0 - 2, L->y0 - 2, L->x1 - L->x0 + 4, L->y1 - L->y0 + 4);
                cairo_stroke(cr);
                cairo_set_line_width(cr, lw);
                cairo_move_to(cr, L->x0, L->y0 - 4);
                cairo_show_text(cr, "R");
            }
            if (L->flags & PG_OPEN) {
                cairo_set_source_rgb(cr, 0.9, 0.0, 0.0);
                cairo_set_line_width(cr, 2 * lw);
                double r = 0.6 * (L->x1 - L->x0 > L->y1 - L->y0 ? L->x1 - L->x0 : L->y1 - L->y0);
                cairo_arc(cr, 0.5 * (L->x0 + L->x1), 0.5 * (L->y0 + L->y1), r, 0, 2 * M_PI);
                cairo_stroke(cr);
                cairo_set_line_width(cr, lw);
            }
            if (L->flags & PG_INSERTED) {
                double dash[2] = {2 * lw, 2 * lw};
                cairo_set_dash(cr, dash, 2, 0);
                cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
                cairo_rectangle(cr, L->x0 - 3, L->y0 - 3, L->x1 - L->x0 + 6, L->y1 - L->y0 + 6);
                cairo_stroke(cr);
                cairo_set_dash(cr, NULL, 0, 0);
            }
            if (L->slant_w > 0) {
                double base = ln->base_a + ln->base_b * 0.5 * (L->x0 + L->x1);
                /* from the letter's (deslanted) centre on the baseline, a
                 * stroke one x-height tall at the letter's own slant */
                double x_base = 0.5 * (L->dx0 + L->dx1), t = tan(L->slant_deg * M_PI / 180);
                cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
                cairo_move_to(cr, x_base, base);
                cairo_line_to(cr, x_base + ln->xh * t, base - ln->xh);
                cairo_stroke(cr);
            }
            if (m + 1 < ln->first + ln->n) {
                const pg_letter *R = &pg->letter[m + 1];
                double y = ln->base_a + ln->base_b * 0.5 * (L->x1 + R->x0) - 0.5 * ln->xh;
                if (R->word != L->word)
                    cairo_set_source_rgb(cr, 0.8, 0.0, 0.8);
                else
                    cairo_set_source_rgb(cr, 0.0, 0.7, 0.8);
                double tl2 = tan(ln->slant_deg * M_PI / 180), dy = ln->base_a - y;
                cairo_move_to(cr, L->dx1 + dy * tl2, y);
                cairo_line_to(cr, R->dx0 + dy * tl2, y);
                cairo_stroke(cr);
            }
        }
    }
    for (int i = 0; i < pg->ruling.nrule; i++) {
        cairo_set_source_rgba(cr, 0.2, 0.4, 1.0, 0.35);
        cairo_move_to(cr, 0, pg->ruling.rule[i].y + 0.5);
        cairo_line_to(cr, 12 * lw, pg->ruling.rule[i].y + 0.5);
        cairo_stroke(cr);
    }
    /* legend, in its band above the page */
    cairo_identity_matrix(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    for (int i = 0; i < nlegend; i++) {
        cairo_set_source_rgb(cr, legend[i].r, legend[i].g, legend[i].b);
        cairo_move_to(cr, 8, (i + 1) * 1.3 * fs);
        cairo_show_text(cr, legend[i].what);
    }
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_move_to(cr, 0, band - 0.5);
    cairo_line_to(cr, W, band - 0.5);
    cairo_stroke(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    ps_status rc = ps_image_alloc(out, W, HT, 3);
    if (rc == PS_OK)
        for (int y = 0; y < HT; y++) {
            const uint32_t *row = (const uint32_t *)(px + (size_t)y * st);
            uint8_t *d = out->data + (size_t)y * out->stride;
            for (int x = 0; x < W; x++) {
                d[3 * x] = (uint8_t)(row[x] >> 16);
                d[3 * x + 1] = (uint8_t)(row[x] >> 8);
                d[3 * x + 2] = (uint8_t)row[x];
            }
        }
    cairo_surface_destroy(s);
    return rc;
}
