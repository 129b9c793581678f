/* Skin-colour regions (see skin.h): each grid cell takes the pixel at its
 * centre, cells are classified, and 4-connected regions of skin cells are
 * labelled with an explicit stack (no recursion on untrusted sizes). */
#include "hand/skin.h"
#include <string.h>

int ps_skin_rgb(int r, int g, int b)
{
    /* ITU-R BT.601 full-range chroma, in integer arithmetic scaled by 1000 */
    int cb = 128000 - 168736 * r / 1000 - 331264 * g / 1000 + 500000 * b / 1000;
    int cr = 128000 + 500000 * r / 1000 - 418688 * g / 1000 - 81312 * b / 1000;
    return cb >= 77000 && cb <= 127000 && cr >= 133000 && cr <= 173000;
}

size_t ps_skin_scratch_bytes(void)
{
    return (size_t)PS_SKIN_GRID * PS_SKIN_GRID * (1 + sizeof(int));
}

typedef struct region { int area, x0, y0, x1, y1; } region;

int ps_skin_regions(const ps_image *img, float min_frac, ps_rotrect *out, int cap, void *scratch)
{
    const int W = img->width, H = img->height;
    if (W <= 0 || H <= 0 || cap <= 0)
        return 0;
    int gw = W >= H ? PS_SKIN_GRID : (int)((long)PS_SKIN_GRID * W / H);
    int gh = H >= W ? PS_SKIN_GRID : (int)((long)PS_SKIN_GRID * H / W);
    if (gw < 1) gw = 1;
    if (gh < 1) gh = 1;
    if (gw > W) gw = W;
    if (gh > H) gh = H;
    unsigned char *mask = scratch;
    int *stack = (int *)(mask + (size_t)PS_SKIN_GRID * PS_SKIN_GRID);
    for (int gy = 0; gy < gh; gy++) {
        int y = (int)(((long)gy * 2 + 1) * H / (2L * gh));
        const uint8_t *row = img->data + (size_t)y * img->stride;
        for (int gx = 0; gx < gw; gx++) {
            int x = (int)(((long)gx * 2 + 1) * W / (2L * gw));
            const uint8_t *p = row + (size_t)x * img->channels;
            mask[gy * gw + gx] = img->channels >= 3 && ps_skin_rgb(p[0], p[1], p[2]);
        }
    }
    region best[8];
    int nbest = 0;
    int min_area = (int)(min_frac * gw * gh);
    if (min_area < 1)
        min_area = 1;
    for (int start = 0; start < gw * gh; start++) {
        if (mask[start] != 1)
            continue;
        region r = {0, gw, gh, -1, -1};
        int sp = 0;
        stack[sp++] = start;
        mask[start] = 2;
        while (sp > 0) {
            int c = stack[--sp], cx = c % gw, cy = c / gw;
            r.area++;
            if (cx < r.x0) r.x0 = cx;
            if (cx > r.x1) r.x1 = cx;
            if (cy < r.y0) r.y0 = cy;
            if (cy > r.y1) r.y1 = cy;
            const int nb[4] = {cx > 0 ? c - 1 : -1, cx < gw - 1 ? c + 1 : -1, cy > 0 ? c - gw : -1,
                               cy < gh - 1 ? c + gw : -1};
            for (int k = 0; k < 4; k++)
                if (nb[k] >= 0 && mask[nb[k]] == 1) {
                    mask[nb[k]] = 2; /* marked when pushed: the stack never exceeds gw*gh */
                    stack[sp++] = nb[k];
                }
        }
        if (r.area < min_area)
            continue;
        /* keep the largest few, sorted by area */
        int at = nbest < 8 ? nbest++ : 7;
        if (at == 7 && nbest == 8 && best[7].area >= r.area)
            continue;
        best[at] = r;
        for (int i = at; i > 0 && best[i].area > best[i - 1].area; i--) {
            region t = best[i];
            best[i] = best[i - 1];
            best[i - 1] = t;
        }
    }
    int n = nbest < cap ? nbest : cap;
    float sx = (float)W / gw, sy = (float)H / gh;
    for (int i = 0; i < n; i++) {
        float x0 = best[i].x0 * sx, x1 = (best[i].x1 + 1) * sx;
        float y0 = best[i].y0 * sy, y1 = (best[i].y1 + 1) * sy;
        float side = (x1 - x0 > y1 - y0 ? x1 - x0 : y1 - y0) * 1.15f;
        out[i] = (ps_rotrect){(x0 + x1) / 2, (y0 + y1) / 2, side, side, 0};
    }
    return n;
}
