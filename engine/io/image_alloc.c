/* Pixel buffers for decoders. Same layout as ps_image_alloc (64-byte
 * aligned rows, freed by ps_image_release) but not zeroed, since a decoder
 * writes every pixel and a 12 MP memset is a whole extra pass. Big buffers
 * are advised to use transparent huge pages: a fresh 36 MB buffer otherwise
 * costs ~9000 page faults, about a quarter of a 12 MP JPEG decode
 * (bench/RESULTS.md). */
#include "io/io.h"
#include "core/alloc.h"
#include "core/status.h"
#include <string.h>
#include <sys/mman.h>

enum { HUGE_PAGE = 2 << 20, HUGE_MIN = 4 << 20 };

void *ps_io_pixels_alloc(size_t n)
{
    uint8_t *p = ps_aligned_alloc(n);
#ifdef MADV_HUGEPAGE
    if (p && n >= HUGE_MIN) {
        /* only whole 2 MB extents inside the buffer can become huge pages */
        uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
        uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
        if (hi > lo)
            (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* advice only: failure is harmless */
    }
#endif
    return p;
}

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
    uint8_t *d = ps_io_pixels_alloc(total);
    if (!d)
        return ps_fail(PS_ERR_NOMEM, "cannot allocate a %dx%d image", width, height);
    img->width = width;
    img->height = height;
    img->channels = channels;
    img->stride = row;
    img->data = d;
    return PS_OK;
}
