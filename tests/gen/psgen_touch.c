/* psgen: letters that touch. Each glyph's ink is rasterised on its own (an
 * A8 mask in page pixels), so the generator can slide a letter left until its
 * ink meets the previous letter's, and can say from the glyphs themselves,
 * not from the finished page, which neighbours' ink connects. "Ink" is half
 * coverage or more, the level a binariser sees; two glyphs connect when the
 * combined coverage links them 8-connectedly (the anti-aliased edges of two
 * strokes that nearly meet add up, as they do on the page). */
#include "psgen_touch.h"
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <string.h>

void psgen_mask_release(psgen_mask *m)
{
    ps_free(m->a);
    memset(m, 0, sizeof *m);
}

ps_status psgen_mask_from_path(cairo_t *cr, const cairo_matrix_t *cut_m, const double cut[4], psgen_mask *m)
{
    psgen_mask_release(m);
    double bx0, by0, bx1, by1;
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_fill_extents(cr, &bx0, &by0, &bx1, &by1);
    cairo_restore(cr);
    if (!(bx1 > bx0 && by1 > by0))
        return PS_OK; /* an empty glyph: no ink */
    m->x0 = (int)floor(bx0) - 1;
    m->y0 = (int)floor(by0) - 1;
    m->w = (int)ceil(bx1) + 1 - m->x0;
    m->h = (int)ceil(by1) + 1 - m->y0;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, m->w, m->h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return ps_fail(PS_ERR_NOMEM, "psgen: cannot make a glyph mask");
    }
    cairo_t *c = cairo_create(s);
    cairo_path_t *path = cairo_copy_path(cr); /* device space: the caller's matrix is the identity */
    cairo_translate(c, -m->x0, -m->y0);
    if (cut_m && cut) { /* the same cut as on the page: everything but the rectangle */
        cairo_rectangle(c, m->x0, m->y0, m->w, m->h);
        cairo_save(c);
        cairo_transform(c, cut_m);
        cairo_rectangle(c, cut[0], cut[1], cut[2], cut[3]);
        cairo_restore(c);
        cairo_set_fill_rule(c, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_clip(c);
        cairo_set_fill_rule(c, CAIRO_FILL_RULE_WINDING);
    }
    cairo_append_path(c, path);
    cairo_path_destroy(path);
    cairo_fill(c);
    cairo_destroy(c);
    cairo_surface_flush(s);
    m->a = ps_malloc((size_t)m->w * m->h);
    if (!m->a) {
        cairo_surface_destroy(s);
        return ps_fail(PS_ERR_NOMEM, "psgen: out of memory");
    }
    const uint8_t *src = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < m->h; y++)
        memcpy(m->a + (size_t)y * m->w, src + (size_t)y * stride, m->w);
    cairo_surface_destroy(s);
    return PS_OK;
}

static inline int cov(const psgen_mask *m, int x, int y)
{
    x -= m->x0;
    y -= m->y0;
    return m->a && x >= 0 && y >= 0 && x < m->w && y < m->h ? m->a[(size_t)y * m->w + x] : 0;
}

double psgen_contact_shift(const psgen_mask *prev, const psgen_mask *cur)
{
    /* per row: the previous glyph's rightmost and this glyph's leftmost ink
     * pixel; they are 8-neighbours when the gap between rows y and y +- 1 is
     * at most one column */
    double best = 1e30;
    if (!prev->a || !cur->a)
        return best;
    int ya = prev->y0 > cur->y0 ? prev->y0 : cur->y0;
    int yb = prev->y0 + prev->h < cur->y0 + cur->h ? prev->y0 + prev->h : cur->y0 + cur->h;
    for (int y = ya - 1; y <= yb; y++) {
        int right = -1000000;
        for (int x = prev->x0 + prev->w - 1; x >= prev->x0; x--)
            if (cov(prev, x, y) >= 128) {
                right = x;
                break;
            }
        if (right < -999999)
            continue;
        for (int dy = -1; dy <= 1; dy++)
            for (int x = cur->x0; x < cur->x0 + cur->w; x++)
                if (cov(cur, x, y + dy) >= 128) {
                    if (x - right - 1 < best)
                        best = x - right - 1;
                    break;
                }
    }
    return best;
}

int psgen_masks_touch(const psgen_mask *a, const psgen_mask *b)
{
    if (!a->a || !b->a)
        return 0;
    /* the window where both glyphs have coverage, plus a pixel */
    int x0 = (a->x0 > b->x0 ? a->x0 : b->x0) - 1, y0 = (a->y0 > b->y0 ? a->y0 : b->y0) - 1;
    int x1 = (a->x0 + a->w < b->x0 + b->w ? a->x0 + a->w : b->x0 + b->w) + 1;
    int y1 = (a->y0 + a->h < b->y0 + b->h ? a->y0 + a->h : b->y0 + b->h) + 1;
    if (x1 <= x0 || y1 <= y0)
        return 0;
    int w = x1 - x0, h = y1 - y0;
    /* 1 = ink of the union, 2 = reached from a's own ink; b's own ink reached = touch */
    uint8_t *st = ps_malloc((size_t)w * h);
    int32_t *stack = ps_malloc(sizeof(int32_t) * (size_t)w * h);
    int touch = 0;
    if (!st || !stack) {
        ps_free(st);
        ps_free(stack);
        return 0;
    }
    int sp = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int ca = cov(a, x + x0, y + y0), cb = cov(b, x + x0, y + y0);
            int u = 255 - (255 - ca) * (255 - cb) / 255;
            st[y * w + x] = u >= 128;
            if (ca >= 128) {
                st[y * w + x] = 2;
                stack[sp++] = y * w + x;
            }
        }
    while (sp && !touch) {
        int p = stack[--sp], px = p % w, py = p / w;
        if (cov(b, px + x0, py + y0) >= 128)
            touch = 1;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int qx = px + dx, qy = py + dy;
                if (qx < 0 || qy < 0 || qx >= w || qy >= h || st[qy * w + qx] != 1)
                    continue;
                st[qy * w + qx] = 2;
                stack[sp++] = qy * w + qx;
            }
    }
    ps_free(st);
    ps_free(stack);
    return touch;
}

int psgen_mask_anchor(const psgen_mask *m, int *ax, int *ay)
{
    /* the fully covered pixel nearest the mask's centre */
    double cx = m->x0 + m->w / 2.0, cy = m->y0 + m->h / 2.0, bd = 1e30;
    int found = 0;
    for (int y = 0; y < m->h; y++)
        for (int x = 0; x < m->w; x++)
            if (m->a[(size_t)y * m->w + x] == 255) {
                double d = (x + m->x0 + 0.5 - cx) * (x + m->x0 + 0.5 - cx) + (y + m->y0 + 0.5 - cy) * (y + m->y0 + 0.5 - cy);
                if (d < bd) {
                    bd = d;
                    *ax = x + m->x0;
                    *ay = y + m->y0;
                    found = 1;
                }
            }
    return found;
}
