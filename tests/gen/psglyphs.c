/* psglyphs: renders the printed letter models of models/glyphs/ from a font
 * (fontconfig family name), one 32x32 bitmap per character a-z, A-Z, 0-9,
 * normalised exactly as penscope normalises a letter found on a page (ink
 * box fitted into 28 pixels on its longer side, centred). The file format is
 * read by engine/page/glyphs.c:
 *
 *   penscope-glyphs 1
 *   font <family>
 *   glyph <char> <class> <height/x-height> <width/height>
 *   32 rows of 32 characters, '#' ink and '.' paper
 *   ...
 *
 * class is x (no ascender or descender), tall, desc or dotted.
 *   psglyphs "Andika" > models/glyphs/andika.glyphs */
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 32
#define FIT 28
#define SIZE 200

static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

int main(int argc, char **argv)
{
    if (argc != 2 || !strcmp(argv[1], "--help")) {
        fprintf(argc == 2 ? stdout : stderr, "usage: psglyphs FONT-FAMILY > FILE.glyphs\n");
        return argc == 2 ? 0 : 2;
    }
    const char *font = argv[1];
    int S = 400;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, S, S);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, font, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    cairo_set_font_size(cr, SIZE);
    cairo_text_extents_t ex;
    cairo_text_extents(cr, "x", &ex);
    double xh = ex.height, base = 0.7 * S;
    printf("penscope-glyphs 1\nfont %s\n", font);
    for (const char *c = chars; *c; c++) {
        char str[2] = {*c, 0};
        cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
        cairo_paint(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
        cairo_set_source_rgba(cr, 0, 0, 0, 1);
        cairo_text_extents(cr, str, &ex);
        cairo_move_to(cr, S / 2.0 - ex.x_bearing - ex.width / 2, base);
        cairo_show_text(cr, str);
        cairo_surface_flush(s);
        const unsigned char *px = cairo_image_surface_get_data(s);
        int st = cairo_image_surface_get_stride(s);
        int x0 = S, y0 = S, x1 = -1, y1 = -1;
        for (int y = 0; y < S; y++)
            for (int x = 0; x < S; x++)
                if (px[y * st + x] >= 128) {
                    if (x < x0) x0 = x;
                    if (x > x1) x1 = x;
                    if (y < y0) y0 = y;
                    if (y > y1) y1 = y;
                }
        if (x1 < 0) {
            fprintf(stderr, "psglyphs: no ink for '%c' in %s\n", *c, font);
            return 1;
        }
        double w = x1 - x0 + 1, h = y1 - y0 + 1, sc = FIT / (w > h ? w : h);
        double above = base - y0, below = y1 + 1 - base;
        const char *cls = below > 0.2 * xh ? "desc" : strchr("ij", *c) ? "dotted" : above > 1.18 * xh ? "tall" : "x";
        printf("glyph %c %s %.3f %.3f\n", *c, cls, h / xh, w / h);
        /* inverse mapping, 4x4 samples per cell: ink when half are ink */
        double ox = (N - w * sc) / 2, oy = (N - h * sc) / 2;
        for (int v = 0; v < N; v++) {
            char row[N + 1];
            for (int u = 0; u < N; u++) {
                int hit = 0;
                for (int sy = 0; sy < 4; sy++)
                    for (int sx = 0; sx < 4; sx++) {
                        double X = x0 + (u + (sx + 0.5) / 4 - ox) / sc, Y = y0 + (v + (sy + 0.5) / 4 - oy) / sc;
                        int xi = (int)floor(X), yi = (int)floor(Y);
                        if (xi >= x0 && xi <= x1 && yi >= y0 && yi <= y1 && px[yi * st + xi] >= 128)
                            hit++;
                    }
                row[u] = hit >= 8 ? '#' : '.';
            }
            row[N] = 0;
            printf("%s\n", row);
        }
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return 0;
}
