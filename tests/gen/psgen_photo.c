/* psgen phone-photo simulation: the rendered page is laid on a darker table,
 * seen in perspective and slightly rotated, lit unevenly, blurred and noised.
 * Metrics in mm keep their truth; pixel geometry of the truth no longer holds. */
#include "psgen.h"
#include "page/page_internal.h" /* pg_homography: the engine's own solver */
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <string.h>

void psgen_page_to_image(const psgen_truth *t, double x, double y, double *ox, double *oy)
{
    if (!t->photo) {
        *ox = x;
        *oy = y;
        return;
    }
    const double *h = t->photo_h;
    double w = h[6] * x + h[7] * y + h[8];
    *ox = (h[0] * x + h[1] * y + h[2]) / w;
    *oy = (h[3] * x + h[4] * y + h[5]) / w;
}

ps_status psgen_photo(const psgen_params *p, const ps_image *page, ps_image *out, psgen_truth *t)
{
    int pw = page->width, ph = page->height, C = page->channels;
    int W = (int)(pw * 1.25), H = (int)(ph * 1.2);
    ps_status rc = ps_image_alloc(out, W, H, C);
    if (rc != PS_OK)
        return rc;
    /* where the page corners land in the photo */
    double ang = p->photo_rotate_deg * M_PI / 180, tilt = p->photo_tilt;
    double cx = W / 2.0, cy = H / 2.0;
    double corners[4][2] = {{-pw / 2.0 * (1 - tilt), -ph / 2.0},
                            {pw / 2.0 * (1 - tilt), -ph / 2.0},
                            {pw / 2.0 * (1 + tilt * 0.5), ph / 2.0},
                            {-pw / 2.0 * (1 + tilt * 0.5), ph / 2.0}};
    double dst[4][2], src[4][2] = {{0, 0}, {pw, 0}, {pw, ph}, {0, ph}};
    for (int i = 0; i < 4; i++) {
        double x = corners[i][0] * 0.92, y = corners[i][1] * 0.92;
        dst[i][0] = cx + x * cos(ang) - y * sin(ang);
        dst[i][1] = cy + x * sin(ang) + y * cos(ang);
    }
    double h[9];
    if (!pg_homography(dst, src, h) || !pg_homography(src, dst, t->photo_h)) /* photo -> page, and back */
        return ps_fail(PS_ERR_INTERNAL, "psgen: degenerate perspective");
    t->photo = 1;
    float *acc = ps_malloc(sizeof(float) * (size_t)W * H * C);
    if (!acc) {
        ps_image_release(out);
        return ps_fail(PS_ERR_NOMEM, "psgen: out of memory");
    }
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double w = h[6] * x + h[7] * y + h[8];
            double u = (h[0] * x + h[1] * y + h[2]) / w, v = (h[3] * x + h[4] * y + h[5]) / w;
            for (int c = 0; c < C; c++) {
                float val;
                if (u < 0 || v < 0 || u >= pw - 1 || v >= ph - 1) {
                    val = c == 0 ? 95 : c == 1 ? 80 : 70; /* a wooden table */
                    if (C == 1)
                        val = 85;
                } else {
                    int x0 = (int)u, y0 = (int)v;
                    float fx = (float)(u - x0), fy = (float)(v - y0);
                    const uint8_t *r0 = page->data + (size_t)y0 * page->stride + (size_t)x0 * C + c;
                    const uint8_t *r1 = r0 + page->stride;
                    val = (1 - fy) * ((1 - fx) * r0[0] + fx * r0[C]) + fy * ((1 - fx) * r1[0] + fx * r1[C]);
                }
                if (p->photo_hand) {
                    /* the hand: an ellipse of skin over the lower right corner;
                     * the pencil: a long thin yellow bar with a dark tip */
                    double ex = (x - 0.85 * W) / (0.22 * W), ey = (y - 0.9 * H) / (0.16 * H);
                    static const float skin[3] = {214, 160, 130}, wood[3] = {220, 180, 40};
                    if (ex * ex + ey * ey < 1)
                        val = C == 1 ? 170 : skin[c];
                    double px0 = 0.25 * W, py0 = 0.62 * H, px1 = 0.8 * W, py1 = 0.78 * H;
                    double dx = px1 - px0, dy = py1 - py0, len2 = dx * dx + dy * dy;
                    double tt = ((x - px0) * dx + (y - py0) * dy) / len2;
                    double dist = fabs((x - px0) * dy - (y - py0) * dx) / sqrt(len2);
                    if (tt > 0 && tt < 1 && dist < 0.006 * W)
                        val = tt < 0.05 ? 40 : (C == 1 ? 180 : wood[c]);
                }
                /* light falls off towards one corner; a soft shadow band */
                double light = 1 - p->photo_light * (0.6 * (double)x / W + 0.4 * (double)y / H);
                double shadow = 1 - 0.5 * p->photo_light * exp(-pow((x - 0.8 * W) / (0.08 * W), 2));
                acc[((size_t)y * W + x) * C + c] = (float)(val * light * shadow);
            }
        }
    /* blur: two box passes approximate a gaussian of the given sd */
    int rad = (int)lround(p->photo_blur_px);
    if (rad > 0) {
        float *tmp = ps_malloc(sizeof(float) * (size_t)(W > H ? W : H) * C);
        for (int pass = 0; pass < 2 && tmp; pass++) {
            for (int y = 0; y < H; y++) {
                float *row = acc + (size_t)y * W * C;
                for (int x = 0; x < W; x++)
                    for (int c = 0; c < C; c++) {
                        float s = 0;
                        int n = 0;
                        for (int k = -rad; k <= rad; k++) {
                            int xx = x + k < 0 ? 0 : x + k >= W ? W - 1 : x + k;
                            s += row[xx * C + c];
                            n++;
                        }
                        tmp[x * C + c] = s / n;
                    }
                memcpy(row, tmp, sizeof(float) * W * C);
            }
            for (int x = 0; x < W; x++)
                for (int c = 0; c < C; c++) {
                    for (int y = 0; y < H; y++) {
                        float s = 0;
                        int n = 0;
                        for (int k = -rad; k <= rad; k++) {
                            int yy = y + k < 0 ? 0 : y + k >= H ? H - 1 : y + k;
                            s += acc[((size_t)yy * W + x) * C + c];
                            n++;
                        }
                        tmp[y * C + c] = s / n;
                    }
                    for (int y = 0; y < H; y++)
                        acc[((size_t)y * W + x) * C + c] = tmp[y * C + c];
                }
        }
        ps_free(tmp);
    }
    uint64_t st = 0x853c49e6748fea9bULL ^ p->seed;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < C; c++) {
                float v = acc[((size_t)y * W + x) * C + c];
                if (p->photo_noise > 0) {
                    st ^= st >> 12;
                    st ^= st << 25;
                    st ^= st >> 27;
                    double u1 = ((st * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0) + 1e-12;
                    st ^= st >> 12;
                    st ^= st << 25;
                    st ^= st >> 27;
                    double u2 = ((st * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
                    v += (float)(p->photo_noise * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2));
                }
                out->data[(size_t)y * out->stride + (size_t)x * C + c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5f);
            }
    ps_free(acc);
    return PS_OK;
}
