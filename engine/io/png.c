/* PNG decode and encode with libpng. libpng reports errors by longjmp, so
 * everything that must survive one (the image being filled, the row table)
 * lives in a context struct, not in locals. Size limits are checked from
 * IHDR before pixels are allocated. Every PNG flavour (palette, gray, low
 * bit depths, 16-bit, alpha) arrives as 8-bit gray or RGB: alpha is
 * composited over white, since a transparent scan background is paper. */
#include "io/io.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct png_ctx {
    const uint8_t *buf;
    size_t len, pos;
    char msg[200];
    ps_image img;          /* freed by the caller on failure */
    png_bytep *rows;
    ps_image_info info;
} png_ctx;

static void on_error(png_structp png, png_const_charp msg)
{
    png_ctx *c = png_get_error_ptr(png);
    snprintf(c->msg, sizeof c->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* ancillary damage (bad CRC in a text chunk) does not stop a decode */
}

static void read_mem(png_structp png, png_bytep out, png_size_t n)
{
    png_ctx *c = png_get_io_ptr(png);
    if (n > c->len - c->pos)
        png_error(png, "truncated PNG data");
    memcpy(out, c->buf + c->pos, n);
    c->pos += n;
}

static png_voidp mem_alloc(png_structp png, png_alloc_size_t n)
{
    (void)png;
    return ps_malloc(n);
}

static void mem_free(png_structp png, png_voidp p)
{
    (void)png;
    ps_free(p);
}

static int stored_channels(int color_type, bool trns)
{
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: return trns ? 2 : 1;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
    case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
    default: return trns ? 4 : 3; /* RGB, palette */
    }
}

/* Reads the header chunks into info. Runs under the caller's setjmp. */
static void read_header(png_structp png, png_infop pi, png_ctx *c, ps_image_info *info)
{
    png_set_read_fn(png, c, read_mem);
    png_read_info(png, pi);
    memset(info, 0, sizeof *info);
    snprintf(info->format, sizeof info->format, "png");
    info->width = (int)png_get_image_width(png, pi);
    info->height = (int)png_get_image_height(png, pi);
    info->orientation = 1;
    info->channels = stored_channels(png_get_color_type(png, pi), png_get_valid(png, pi, PNG_INFO_tRNS) != 0);
    info->scale_denom = 1;
    png_uint_32 rx, ry;
    int unit;
    if (png_get_pHYs(png, pi, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER && rx > 0 && ry > 0) {
        info->dpi_x = rx * 0.0254;
        info->dpi_y = ry * 0.0254;
    }
}

static ps_status start(png_ctx *c, const uint8_t *buf, size_t len, png_structp *png, png_infop *pi)
{
    memset(c, 0, sizeof *c);
    c->buf = buf;
    c->len = len;
    *png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, c, on_error, on_warning, NULL, mem_alloc, mem_free);
    *pi = *png ? png_create_info_struct(*png) : NULL;
    if (!*pi) {
        png_destroy_read_struct(png, NULL, NULL);
        return ps_fail(PS_ERR_NOMEM, "cannot start the PNG decoder");
    }
    return PS_OK;
}

ps_status ps_png_probe(const uint8_t *buf, size_t len, ps_image_info *info)
{
    png_ctx c;
    png_structp png;
    png_infop pi;
    ps_status rc = start(&c, buf, len, &png, &pi);
    if (rc != PS_OK)
        return rc;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &pi, NULL);
        return ps_fail(PS_ERR_CORRUPT, "corrupt PNG: %s", c.msg);
    }
    read_header(png, pi, &c, info);
    png_destroy_read_struct(&png, &pi, NULL);
    return PS_OK;
}

/* Asks libpng for 8-bit samples with exactly ch channels. */
static void set_transforms(png_structp png, png_infop pi, int ch)
{
    int type = png_get_color_type(png, pi), depth = png_get_bit_depth(png, pi);
    bool alpha = (type & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, pi, PNG_INFO_tRNS);
    png_set_expand(png); /* palette -> RGB, gray < 8 bits -> 8, tRNS -> alpha */
    if (alpha) {
        /* White in the expanded sample depth: compositing runs before 16 -> 8. */
        png_color_16 white;
        png_uint_16 v = depth == 16 ? 65535 : 255;
        white.index = 0;
        white.red = white.green = white.blue = white.gray = v;
        png_set_background_fixed(png, &white, PNG_BACKGROUND_GAMMA_SCREEN, 0, PNG_FP_1);
    }
    if (depth == 16)
        png_set_scale_16(png);
    bool color = (type & PNG_COLOR_MASK_COLOR) != 0;
    if (ch == 3 && !color)
        png_set_gray_to_rgb(png);
    else if (ch == 1 && color)
        png_set_rgb_to_gray_fixed(png, 1, -1, -1); /* Rec. 709 weights, no warning */
    png_set_interlace_handling(png);
    png_read_update_info(png, pi);
}

ps_status ps_png_decode(const uint8_t *buf, size_t len, const ps_decode_params *p, ps_image *out,
                        ps_image_info *info)
{
    memset(out, 0, sizeof *out);
    png_ctx c;
    png_structp png;
    png_infop pi;
    ps_status rc = start(&c, buf, len, &png, &pi);
    if (rc != PS_OK)
        return rc;
    ps_image_info *inf = &c.info;
    if (setjmp(png_jmpbuf(png))) {
        rc = c.msg[0] ? PS_ERR_CORRUPT : PS_ERR_INTERNAL;
        rc = ps_fail(rc, "corrupt PNG: %s", c.msg);
        goto done;
    }
    read_header(png, pi, &c, inf);
    if (inf->width > PS_IO_MAX_SIDE || inf->height > PS_IO_MAX_SIDE) {
        rc = ps_fail(PS_ERR_LIMIT, "PNG is %dx%d, a side over the limit of %d pixels", inf->width, inf->height,
                     PS_IO_MAX_SIDE);
        goto done;
    }
    uint64_t pixels = (uint64_t)inf->width * (uint64_t)inf->height;
    if (p->limits.max_pixels && pixels > p->limits.max_pixels) {
        rc = ps_fail(PS_ERR_LIMIT, "PNG is %dx%d (%llu pixels), over the limit of %llu pixels", inf->width,
                     inf->height, (unsigned long long)pixels, (unsigned long long)p->limits.max_pixels);
        goto done;
    }
    int ch = p->channels;
    set_transforms(png, pi, ch);
    if (png_get_rowbytes(png, pi) != (size_t)inf->width * ch) {
        rc = ps_fail(PS_ERR_INTERNAL, "PNG row size %zu is not %d x %d", (size_t)png_get_rowbytes(png, pi),
                     inf->width, ch);
        goto done;
    }
    rc = ps_image_alloc_uninit(&c.img, inf->width, inf->height, ch);
    if (rc != PS_OK)
        goto done;
    c.rows = ps_malloc(sizeof *c.rows * (size_t)inf->height);
    if (!c.rows) {
        rc = ps_fail(PS_ERR_NOMEM, "cannot allocate PNG rows");
        goto done;
    }
    for (int y = 0; y < inf->height; y++)
        c.rows[y] = c.img.data + (size_t)y * c.img.stride;
    png_read_image(png, c.rows);
    /* The chunks after the pixels, up to IEND: a file cut there is truncated. */
    if (p->fail_on != PS_FAIL_ON_ERROR)
        png_read_end(png, NULL);
    *out = c.img;
    c.img.data = NULL;
    if (info)
        *info = c.info;
done:
    png_destroy_read_struct(&png, &pi, NULL);
    ps_free(c.rows);
    ps_image_release(&c.img);
    return rc;
}

/* ---- writing */

typedef struct png_wctx {
    char msg[200];
    FILE *f;
} png_wctx;

static void on_write_error(png_structp png, png_const_charp msg)
{
    png_wctx *c = png_get_error_ptr(png);
    snprintf(c->msg, sizeof c->msg, "%s", msg);
    png_longjmp(png, 1);
}

ps_status ps_image_write_png(const char *path, const ps_image *img)
{
    if (!path || !img || !img->data || img->width <= 0 || img->height <= 0 ||
        (img->channels != 1 && img->channels != 3 && img->channels != 4) ||
        img->stride < (size_t)img->width * img->channels)
        return ps_fail(PS_ERR_INVALID_ARG, "cannot write '%s': not a valid 8-bit gray, RGB or RGBA image",
                       path ? path : "(null)");
    png_wctx c;
    memset(&c, 0, sizeof c);
    png_structp png = png_create_write_struct_2(PNG_LIBPNG_VER_STRING, &c, on_write_error, on_warning, NULL,
                                                mem_alloc, mem_free);
    png_infop pi = png ? png_create_info_struct(png) : NULL;
    if (!pi) {
        png_destroy_write_struct(&png, NULL);
        return ps_fail(PS_ERR_NOMEM, "cannot start the PNG encoder for '%s'", path);
    }
    c.f = ps_file_create_private(path, "wb");
    if (!c.f) {
        png_destroy_write_struct(&png, &pi);
        return PS_ERR_IO; /* message set by ps_file_create_private */
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &pi);
        fclose(c.f);
        unlink(path); /* no half-written file left behind */
        return ps_fail(PS_ERR_IO, "cannot write '%s': %s", path, c.msg);
    }
    png_init_io(png, c.f);
    int type = img->channels == 1 ? PNG_COLOR_TYPE_GRAY
             : img->channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA;
    png_set_IHDR(png, pi, (png_uint_32)img->width, (png_uint_32)img->height, 8, type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 6);
    png_write_info(png, pi);
    for (int y = 0; y < img->height; y++)
        png_write_row(png, img->data + (size_t)y * img->stride);
    png_write_end(png, pi);
    png_destroy_write_struct(&png, &pi);
    if (fclose(c.f) != 0) {
        unlink(path);
        return ps_fail(PS_ERR_IO, "cannot write '%s': disk full or i/o error", path);
    }
    return PS_OK;
}
