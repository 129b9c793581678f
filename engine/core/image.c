/* The 8-bit image type: allocation with 64-byte aligned rows. */
#include "penscope.h"
#include "core/alloc.h"
#include "core/status.h"
#include <string.h>

ps_status ps_image_alloc(ps_image *img, int width, int height, int channels)
{
    memset(img, 0, sizeof *img);
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3 && channels != 4))
        return ps_fail(PS_ERR_INVALID_ARG, "bad image size %dx%dx%d", width, height, channels);
    if (width > PS_IMAGE_MAX_SIDE || height > PS_IMAGE_MAX_SIDE)
        return ps_fail(PS_ERR_LIMIT, "image side over %d pixels (%dx%d)", PS_IMAGE_MAX_SIDE, width, height);
    size_t row, total;
    if (!ps_size_mul_ok((size_t)width, (size_t)channels, &row))
        return ps_fail(PS_ERR_LIMIT, "image too large");
    row = (row + 63) & ~(size_t)63;
    if (!ps_size_mul_ok(row, (size_t)height, &total))
        return ps_fail(PS_ERR_LIMIT, "image too large");
    uint8_t *d = ps_aligned_alloc(total);
    if (!d)
        return ps_fail(PS_ERR_NOMEM, "cannot allocate a %dx%d image", width, height);
    memset(d, 0, total);
    img->width = width;
    img->height = height;
    img->channels = channels;
    img->stride = row;
    img->data = d;
    return PS_OK;
}

void ps_image_release(ps_image *img)
{
    if (!img)
        return;
    ps_aligned_free(img->data);
    memset(img, 0, sizeof *img);
}
