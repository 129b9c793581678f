/* Reduced working copies of big images (see reduce.h). */
#include "hand/reduce.h"
#include "core/status.h"

/* One halving with 2x2 box averages into dst (RGB, w/2 x h/2 of src).
 * dst may be src itself (same buffer, in place): output pixel (x, y) is
 * written after its inputs (2x.., 2y..) were read and never over an input
 * still to be read, since 3x <= 6x and rows y <= 2y. */
static void halve(const ps_image *src, ps_image *dst)
{
    const int ch = src->channels;
    for (int y = 0; y < dst->height; y++) {
        const uint8_t *r0 = src->data + (size_t)(2 * y) * src->stride;
        const uint8_t *r1 = r0 + src->stride;
        uint8_t *o = dst->data + (size_t)y * dst->stride;
        for (int x = 0; x < dst->width; x++, o += 3) {
            const uint8_t *a = r0 + (size_t)(2 * x) * ch, *b = r1 + (size_t)(2 * x) * ch;
            int v[3];
            for (int c = 0; c < 3; c++) {
                int k = ch >= 3 ? c : 0;
                v[c] = (a[k] + a[k + ch] + b[k] + b[k + ch] + 2) >> 2;
            }
            o[0] = (uint8_t)v[0];
            o[1] = (uint8_t)v[1];
            o[2] = (uint8_t)v[2];
        }
    }
}

static ps_status ensure(ps_image *im, int w, int h)
{
    if (im->data && im->width == w && im->height == h && im->channels == 3)
        return PS_OK;
    ps_image_release(im);
    return ps_image_alloc(im, w, h, 3);
}

ps_status ps_hand_reduce(const ps_image *src, ps_image *buf, ps_image *work, int *scale)
{
    *work = *src;
    *scale = 1;
    int w = src->width, h = src->height, levels = 0;
    while ((w > h ? w : h) > PS_HAND_WORK_SIDE && w >= 2 && h >= 2) {
        w /= 2;
        h /= 2;
        levels++;
    }
    if (levels == 0)
        return PS_OK;
    /* the buffer holds the first halving; later ones shrink it in place */
    ps_status rc = ensure(buf, src->width / 2, src->height / 2);
    if (rc != PS_OK)
        return rc;
    halve(src, buf);
    ps_image view = *buf;
    for (int l = 2; l <= levels; l++) {
        ps_image next = view;
        next.width = view.width / 2;
        next.height = view.height / 2;
        halve(&view, &next);
        view = next;
    }
    *work = view; /* the final level: the buffer's rows, a smaller size */
    *scale = 1 << levels;
    return PS_OK;
}
