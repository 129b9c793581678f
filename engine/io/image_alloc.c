/* Image allocation for decoders: same layout as ps_image_alloc (64-byte
 * aligned rows, freed by ps_image_release) but without zeroing, since a
 * decoder writes every pixel and a 12 MP memset is a whole extra pass. */
#include "io/io.h"
#include "core/alloc.h"
#include "core/status.h"
#include <string.h>

ps_status ps_image_alloc_uninit(ps_image *img, int width, int height, int channels)
{
    memset(img, 0, sizeof *img);
    if (width <= 0 || height <= 0 || channels < 1 || channels > 4)
        return ps_fail(PS_ERR_INVALID_ARG, "bad image size %dx%dx%d", width, height, channels);
    size_t row, total;
    if (!ps_size_mad_ok((size_t)width, (size_t)channels, 63, &row))
        return ps_fail(PS_ERR_LIMIT, "image too large");
    row &= ~(size_t)63;
    if (!ps_size_mul_ok(row, (size_t)height, &total))
        return ps_fail(PS_ERR_LIMIT, "image too large");
    uint8_t *d = ps_aligned_alloc(total);
    if (!d)
        return ps_fail(PS_ERR_NOMEM, "cannot allocate a %dx%d image", width, height);
    img->width = width;
    img->height = height;
    img->channels = channels;
    img->stride = row;
    img->data = d;
    return PS_OK;
}
