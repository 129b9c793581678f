/* Renders synthetic grip photos for the pencil-finder tests and the bench
 * (see synth.h). Not used by the analysis. */
#include "grip/synth.h"
#include "grip/grip_internal.h"
#include "core/status.h"
#include <cairo.h>
#include <math.h>
#include <string.h>

static unsigned lcg(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}
static float frand(unsigned *s) { return (lcg(s) & 0xFFFF) / 65535.0f; }

void grip_scene_default(grip_scene *s, int width, int height)
{
    memset(s, 0, sizeof *s);
    s->width = width;
    s->height = height;
    s->seed = 1;
    s->paper[0] = 244, s->paper[1] = 241, s->paper[2] = 233;
    s->draw_pencil = 1;
    s->pencil_rgb[0] = 238, s->pencil_rgb[1] = 196, s->pencil_rgb[2] = 28;
    s->pencil_width_scale = 1;
    s->draw_hand = 1;
}

static void rgb(cairo_t *cr, const float c[3], float k, double alpha)
{
    cairo_set_source_rgba(cr, fminf(255, c[0] * k) / 255, fminf(255, c[1] * k) / 255, fminf(255, c[2] * k) / 255, alpha);
}

static void draw_pencil(cairo_t *cr, const grip_scene *s, const ps_grip_pencil *p)
{
    double dx = p->end[0] - p->tip[0], dy = p->end[1] - p->tip[1];
    double len = hypot(dx, dy), w = p->width_px * s->pencil_width_scale;
    double cone = 2.6 * w;
    cairo_save(cr);
    cairo_translate(cr, p->tip[0], p->tip[1]);
    cairo_rotate(cr, atan2(dy, dx));
    if (s->clear_pen) {
        float clear[3] = {210, 214, 220}, wall[3] = {120, 124, 130}, ink[3] = {30, 50, 160};
        rgb(cr, clear, 1, 0.55);
        cairo_rectangle(cr, cone, -w / 2, len - cone, w);
        cairo_fill(cr);
        rgb(cr, wall, 1, 1);
        cairo_rectangle(cr, cone, -w / 2, len - cone, w * 0.12);
        cairo_rectangle(cr, cone, w / 2 - w * 0.12, len - cone, w * 0.12);
        cairo_fill(cr);
        rgb(cr, ink, 1, 1);
        cairo_rectangle(cr, cone * 0.6, -w * 0.12, len - cone, w * 0.24);
        cairo_fill(cr);
        rgb(cr, wall, 1, 1);
        cairo_move_to(cr, 0, 0);
        cairo_line_to(cr, cone, -w / 2);
        cairo_line_to(cr, cone, w / 2);
        cairo_close_path(cr);
        cairo_fill(cr);
    } else if (s->crayon) {
        /* wax crayon: one flat colour with a paper wrapper band, blunt tip */
        rgb(cr, s->pencil_rgb, 1, 1);
        cairo_rectangle(cr, 0.6 * cone, -w / 2, len - 0.6 * cone, w);
        cairo_fill(cr);
        rgb(cr, s->pencil_rgb, 0.85f, 1);
        cairo_rectangle(cr, 0.6 * cone + 0.3 * len, -w / 2, 0.4 * len, w);
        cairo_fill(cr);
        rgb(cr, s->pencil_rgb, 1, 1);
        cairo_move_to(cr, 0, -0.2 * w);
        cairo_line_to(cr, 0.6 * cone, -w / 2);
        cairo_line_to(cr, 0.6 * cone, w / 2);
        cairo_line_to(cr, 0, 0.2 * w);
        cairo_close_path(cr);
        cairo_fill(cr);
    } else {
        /* hexagonal barrel: three facets of different brightness */
        static const float k[3] = {1.18f, 1.0f, 0.78f};
        for (int f = 0; f < 3; f++) {
            rgb(cr, s->pencil_rgb, k[f], 1);
            cairo_rectangle(cr, cone - 0.5, -w / 2 + f * w / 3, len - cone + 0.5, w / 3 + 0.6);
            cairo_fill(cr);
        }
        float wood[3] = {226, 190, 140}, lead[3] = {60, 60, 64};
        rgb(cr, wood, 1, 1);
        cairo_move_to(cr, 0, 0);
        cairo_line_to(cr, cone, -w / 2);
        cairo_line_to(cr, cone, w / 2);
        cairo_close_path(cr);
        cairo_fill(cr);
        rgb(cr, lead, 1, 1);
        cairo_move_to(cr, 0, 0);
        cairo_line_to(cr, 0.3 * cone, -0.15 * w);
        cairo_line_to(cr, 0.3 * cone, 0.15 * w);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

static void capsule(cairo_t *cr, const float a[3], const float b[3], double w)
{
    cairo_set_line_width(cr, w);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_move_to(cr, a[0], a[1]);
    cairo_line_to(cr, b[0], b[1]);
    cairo_stroke(cr);
}

static void draw_hand(cairo_t *cr, const float (*lm)[3])
{
    float hs = hypotf(lm[9][0] - lm[0][0], lm[9][1] - lm[0][1]);
    float skin[3] = {226, 176, 146};
    rgb(cr, skin, 1, 1);
    /* palm */
    static const int palm[] = {0, 1, 2, 5, 9, 13, 17};
    cairo_move_to(cr, lm[0][0], lm[0][1]);
    for (size_t i = 1; i < sizeof palm / sizeof palm[0]; i++)
        cairo_line_to(cr, lm[palm[i]][0], lm[palm[i]][1]);
    cairo_close_path(cr);
    cairo_fill(cr);
    /* fingers, far ones first (larger z = further from the camera) */
    int order[5] = {0, 1, 2, 3, 4};
    float z[5];
    for (int f = 0; f < 5; f++)
        z[f] = lm[4 * f + 4][2];
    for (int i = 1; i < 5; i++)
        for (int j = i; j > 0 && z[order[j]] > z[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 0; i < 5; i++) {
        int f = order[i];
        int base = f == 0 ? 1 : 4 * f + 1;
        float shade = 0.92f + 0.02f * i;
        rgb(cr, skin, shade, 1);
        for (int s = 0; s < 3; s++)
            capsule(cr, lm[base + s], lm[base + s + 1], 0.17 * hs);
        if (f == 0)
            capsule(cr, lm[0], lm[1], 0.2 * hs);
    }
}

ps_status grip_scene_render(const grip_scene *s, const grip_synth *syn, ps_image *out)
{
    memset(out, 0, sizeof *out);
    ps_status rc = ps_image_alloc(out, s->width, s->height, 3);
    if (rc)
        return rc;
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, s->width, s->height);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        ps_image_release(out);
        return ps_fail(PS_ERR_NOMEM, "cannot create a drawing surface");
    }
    cairo_t *cr = cairo_create(surf);
    unsigned seed = s->seed * 2654435761u + 7;
    rgb(cr, s->paper, 1, 1);
    cairo_paint(cr);
    if (s->ruled) {
        cairo_set_source_rgb(cr, 0.55, 0.65, 0.85);
        cairo_set_line_width(cr, 2);
        for (double y = s->height / 12.0; y < s->height; y += s->height / 12.0) {
            cairo_move_to(cr, 0, y);
            cairo_line_to(cr, s->width, y);
        }
        cairo_stroke(cr);
    }
    float skin[3] = {222, 170, 140};
    for (int b = 0; b < s->blobs; b++) {
        double cx = frand(&seed) * s->width, cy = frand(&seed) * s->height;
        double rx = (0.05 + 0.1 * frand(&seed)) * s->width, ry = (0.02 + 0.06 * frand(&seed)) * s->height;
        cairo_save(cr);
        cairo_translate(cr, cx, cy);
        cairo_rotate(cr, frand(&seed) * M_PI);
        cairo_scale(cr, rx, ry);
        cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
        cairo_restore(cr);
        rgb(cr, skin, 0.9f + 0.2f * frand(&seed), 1);
        cairo_fill(cr);
    }
    if (syn && s->draw_pencil)
        draw_pencil(cr, s, &syn->pencil);
    if (syn && s->draw_hand)
        draw_hand(cr, (const float(*)[3])syn->image);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    const unsigned char *src = cairo_image_surface_get_data(surf);
    int sstride = cairo_image_surface_get_stride(surf);
    for (int y = 0; y < s->height; y++) {
        const uint32_t *row = (const uint32_t *)(src + (size_t)y * sstride);
        uint8_t *d = out->data + (size_t)y * out->stride;
        for (int x = 0; x < s->width; x++) {
            /* a little sensor noise, +-4 levels */
            int n = (int)(lcg(&seed) % 9) - 4;
            int r = (int)((row[x] >> 16) & 255) + n, g = (int)((row[x] >> 8) & 255) + n, bl = (int)(row[x] & 255) + n;
            d[3 * x] = (uint8_t)(r < 0 ? 0 : r > 255 ? 255 : r);
            d[3 * x + 1] = (uint8_t)(g < 0 ? 0 : g > 255 ? 255 : g);
            d[3 * x + 2] = (uint8_t)(bl < 0 ? 0 : bl > 255 ? 255 : bl);
        }
    }
    cairo_surface_destroy(surf);
    return PS_OK;
}
