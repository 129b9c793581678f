/* Test inputs for the io tests, made at run time: smooth asymmetric
 * images (every flip and rotation of one is different), JPEG encoding with
 * TurboJPEG, EXIF and JFIF segments built byte by byte, and PNGs of every
 * colour type written with libpng into memory. */
#ifndef PS_TEST_IO_GEN_H
#define PS_TEST_IO_GEN_H
#include "testutil.h"
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

typedef struct gen_buf {
    unsigned char *data;
    size_t len, cap;
} gen_buf;

static inline void gen_put(gen_buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->data = realloc(b->data, b->cap);
        assert_non_null(b->data);
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

/* Visual pattern value at (x, y) of a w x h image, channel c: red grows to
 * the right, green downwards, blue along a diagonal, so any transform shows. */
static inline uint8_t gen_pattern(int x, int y, int w, int h, int c)
{
    switch (c) {
    case 0: return (uint8_t)(20 + 200 * x / (w > 1 ? w - 1 : 1));
    case 1: return (uint8_t)(30 + 190 * y / (h > 1 ? h - 1 : 1));
    default: return (uint8_t)(40 + 150 * (x + 2 * y) / ((w - 1) + 2 * (h - 1) > 0 ? (w - 1) + 2 * (h - 1) : 1));
    }
}

/* Where stored pixel (sx, sy) appears in the upright picture for EXIF
 * orientation o, straight from the EXIF table (row 0 / column 0 sides);
 * W, H are the upright picture's size. */
static inline void gen_exif_map(int o, int sx, int sy, int W, int H, int *ux, int *uy)
{
    switch (o) {
    case 2: *ux = W - 1 - sx; *uy = sy; break;          /* row0 top, col0 right */
    case 3: *ux = W - 1 - sx; *uy = H - 1 - sy; break;  /* row0 bottom, col0 right */
    case 4: *ux = sx; *uy = H - 1 - sy; break;          /* row0 bottom, col0 left */
    case 5: *ux = sy; *uy = sx; break;                  /* row0 left, col0 top */
    case 6: *ux = W - 1 - sy; *uy = sx; break;          /* row0 right, col0 top */
    case 7: *ux = W - 1 - sy; *uy = H - 1 - sx; break;  /* row0 right, col0 bottom */
    case 8: *ux = sy; *uy = H - 1 - sx; break;          /* row0 left, col0 bottom */
    default: *ux = sx; *uy = sy; break;
    }
}

/* The stored RGB pixels (tightly packed) of an upright W x H pattern that
 * is to be shown with orientation o. */
static inline uint8_t *gen_stored_pattern(int o, int W, int H, int *sw, int *sh)
{
    *sw = o >= 5 ? H : W;
    *sh = o >= 5 ? W : H;
    uint8_t *p = malloc((size_t)*sw * *sh * 3);
    assert_non_null(p);
    for (int sy = 0; sy < *sh; sy++)
        for (int sx = 0; sx < *sw; sx++) {
            int ux, uy;
            gen_exif_map(o, sx, sy, W, H, &ux, &uy);
            for (int c = 0; c < 3; c++)
                p[((size_t)sy * *sw + sx) * 3 + c] = gen_pattern(ux, uy, W, H, c);
        }
    return p;
}

/* JPEG of packed pixels (3 = RGB, 1 = gray), 4:4:4 at the given quality; free with free(). */
static inline unsigned char *gen_jpeg(const uint8_t *px, int w, int h, int ch, int quality, size_t *len)
{
    tjhandle tj = tjInitCompress();
    assert_non_null(tj);
    unsigned char *out = NULL;
    unsigned long n = 0;
    int rc = tjCompress2(tj, px, w, w * ch, h, ch == 1 ? TJPF_GRAY : TJPF_RGB, &out, &n,
                         ch == 1 ? TJSAMP_GRAY : TJSAMP_444, quality, TJFLAG_ACCURATEDCT);
    assert_int_equal(rc, 0);
    tjDestroy(tj);
    unsigned char *copy = malloc(n);
    memcpy(copy, out, n);
    tjFree(out);
    *len = n;
    return copy;
}

static inline void gen_u16(gen_buf *b, unsigned v, int be)
{
    uint8_t x[2] = {(uint8_t)(be ? v >> 8 : v), (uint8_t)(be ? v : v >> 8)};
    gen_put(b, x, 2);
}
static inline void gen_u32(gen_buf *b, uint32_t v, int be)
{
    uint8_t x[4];
    for (int i = 0; i < 4; i++)
        x[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
    gen_put(b, x, 4);
}

/* An APP1 EXIF segment (marker included) with IFD0 holding Orientation and,
 * when dpi > 0, X/YResolution (dpi/1 or, for unit 3, per cm) and ResolutionUnit. */
static inline gen_buf gen_exif_app1(int orientation, int big_endian, unsigned dpi, int unit)
{
    gen_buf t = {0};
    int be = big_endian;
    gen_put(&t, be ? "MM" : "II", 2);
    gen_u16(&t, 42, be);
    gen_u32(&t, 8, be);
    int n = dpi ? 4 : 1;
    gen_u16(&t, (unsigned)n, be);
    uint32_t rat_off = 8 + 2 + 12 * (uint32_t)n + 4;
    /* entry: tag, type, count, value */
    gen_u16(&t, 0x0112, be); gen_u16(&t, 3, be); gen_u32(&t, 1, be);
    gen_u16(&t, (unsigned)orientation, be); gen_u16(&t, 0, be);
    if (dpi) {
        gen_u16(&t, 0x011A, be); gen_u16(&t, 5, be); gen_u32(&t, 1, be); gen_u32(&t, rat_off, be);
        gen_u16(&t, 0x011B, be); gen_u16(&t, 5, be); gen_u32(&t, 1, be); gen_u32(&t, rat_off + 8, be);
        gen_u16(&t, 0x0128, be); gen_u16(&t, 3, be); gen_u32(&t, 1, be);
        gen_u16(&t, (unsigned)unit, be); gen_u16(&t, 0, be);
    }
    gen_u32(&t, 0, be); /* no IFD1 */
    if (dpi) {
        gen_u32(&t, dpi, be); gen_u32(&t, 1, be);
        gen_u32(&t, dpi, be); gen_u32(&t, 1, be);
    }
    gen_buf seg = {0};
    uint8_t hdr[4] = {0xFF, 0xE1, (uint8_t)((t.len + 8) >> 8), (uint8_t)(t.len + 8)};
    gen_put(&seg, hdr, 4);
    gen_put(&seg, "Exif\0\0", 6);
    gen_put(&seg, t.data, t.len);
    free(t.data);
    return seg;
}

/* jpeg with seg inserted right after SOI; free with free(). */
static inline unsigned char *gen_splice(const unsigned char *jpeg, size_t len, const gen_buf *seg, size_t *out_len)
{
    gen_buf b = {0};
    gen_put(&b, jpeg, 2);
    gen_put(&b, seg->data, seg->len);
    gen_put(&b, jpeg + 2, len - 2);
    *out_len = b.len;
    return b.data;
}

/* ---- PNG into memory */

static inline void gen_png_write(png_structp png, png_bytep p, png_size_t n)
{
    gen_put(png_get_io_ptr(png), p, n);
}
static inline void gen_png_flush(png_structp png) { (void)png; }

/* A PNG of raw rows (already in the file's sample layout: 16-bit samples
 * big-endian, low bit depths packed). palette/trans may be NULL. */
static inline gen_buf gen_png(int w, int h, int depth, int color_type, const uint8_t *rows, size_t row_bytes,
                              const png_color *palette, int npal, const png_byte *trans, int ntrans,
                              int interlace, unsigned ppm)
{
    gen_buf b = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng failed to write the test image");
    png_set_write_fn(png, &b, gen_png_write, gen_png_flush);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, color_type,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (palette)
        png_set_PLTE(png, info, palette, npal);
    if (trans)
        png_set_tRNS(png, info, trans, ntrans, NULL);
    if (ppm)
        png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    png_bytep *rp = malloc(sizeof *rp * (size_t)h);
    for (int y = 0; y < h; y++)
        rp[y] = (png_bytep)rows + (size_t)y * row_bytes;
    png_write_image(png, rp);
    png_write_end(png, info);
    free(rp);
    png_destroy_write_struct(&png, &info);
    return b;
}

#endif
