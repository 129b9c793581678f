/* Rotated bilinear crop into a model tensor (see crop.h). */
#include "hand/crop.h"
#include <math.h>
#include <stdbool.h>

/* The RGB value of pixel (x, y) as floats in [0, 255]; the caller has
 * already resolved the border. */
static inline void pixel(const ps_image *img, int x, int y, float out[3])
{
    const uint8_t *p = img->data + (size_t)y * img->stride + (size_t)x * img->channels;
    if (img->channels >= 3) {
        out[0] = p[0];
        out[1] = p[1];
        out[2] = p[2];
    } else {
        out[0] = out[1] = out[2] = p[0];
    }
}

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

void ps_crop_to_tensor(const ps_image *img, ps_rotrect roi, int n, ps_crop_border border, float *dst)
{
    const int W = img->width, H = img->height;
    const double c = cos(roi.angle), s = sin(roi.angle);
    /* source = centre + R * (u*w, v*h), u = j/n - 0.5, v = i/n - 0.5 */
    const double ux = c * roi.w / n, uy = s * roi.w / n;    /* step per column */
    const double vx = -s * roi.h / n, vy = c * roi.h / n;   /* step per row */
    const double ox = roi.cx - 0.5 * (c * roi.w - s * roi.h);
    const double oy = roi.cy - 0.5 * (s * roi.w + c * roi.h);
    const float k = 1.0f / 255.0f;
    const int ch = img->channels;
    for (int i = 0; i < n; i++) {
        float *row = dst + (size_t)i * n * 3;
        for (int j = 0; j < n; j++) {
            double sx = ox + ux * j + vx * i, sy = oy + uy * j + vy * i;
            if (!(fabs(sx) < 1e8 && fabs(sy) < 1e8)) { /* degenerate ROI: stay defined */
                row[3 * j] = row[3 * j + 1] = row[3 * j + 2] = 0;
                continue;
            }
            int x0 = (int)sx, y0 = (int)sy; /* floor, without the libm call */
            x0 -= sx < x0;
            y0 -= sy < y0;
            float fx = (float)(sx - x0), fy = (float)(sy - y0);
            if (ch == 3 && x0 >= 0 && y0 >= 0 && x0 < W - 1 && y0 < H - 1) {
                /* all four taps inside: the common case, no border logic */
                const uint8_t *p = img->data + (size_t)y0 * img->stride + (size_t)x0 * 3, *q = p + img->stride;
                for (int c = 0; c < 3; c++) {
                    float top = p[c] + fx * (p[c + 3] - p[c]);
                    float bot = q[c] + fx * (q[c + 3] - q[c]);
                    row[3 * j + c] = (top + fy * (bot - top)) * k;
                }
                continue;
            }
            float p00[3] = {0}, p01[3] = {0}, p10[3] = {0}, p11[3] = {0};
            if (border == PS_CROP_REPLICATE) {
                int xa = clampi(x0, 0, W - 1), xb = clampi(x0 + 1, 0, W - 1);
                int ya = clampi(y0, 0, H - 1), yb = clampi(y0 + 1, 0, H - 1);
                pixel(img, xa, ya, p00);
                pixel(img, xb, ya, p01);
                pixel(img, xa, yb, p10);
                pixel(img, xb, yb, p11);
            } else {
                bool xa = x0 >= 0 && x0 < W, xb = x0 + 1 >= 0 && x0 + 1 < W;
                bool ya = y0 >= 0 && y0 < H, yb = y0 + 1 >= 0 && y0 + 1 < H;
                if (ya && xa) pixel(img, x0, y0, p00);
                if (ya && xb) pixel(img, x0 + 1, y0, p01);
                if (yb && xa) pixel(img, x0, y0 + 1, p10);
                if (yb && xb) pixel(img, x0 + 1, y0 + 1, p11);
            }
            for (int c = 0; c < 3; c++) {
                float top = p00[c] + fx * (p01[c] - p00[c]);
                float bot = p10[c] + fx * (p11[c] - p10[c]);
                row[3 * j + c] = (top + fy * (bot - top)) * k;
            }
        }
    }
}
