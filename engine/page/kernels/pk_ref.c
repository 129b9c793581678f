/* Reference (plain C) page kernels: the definition the vectorised ones
 * must reproduce byte for byte. */
#include "page/kernels/pk.h"
#include <math.h>
#include <stddef.h>

static void rgb_to_gray(const uint8_t *q, int n, uint8_t *d)
{
    for (int x = 0; x < n; x++, q += 3)
        d[x] = (uint8_t)((q[0] * 77u + q[1] * 150u + q[2] * 29u + 128u) >> 8);
}

static void gray_accum(const uint8_t *q, int C, int n, float w_this, float *acc, float w_next, float *next)
{
    for (int x = 0; x < n; x++) {
        unsigned g = C == 1 ? q[x] : (q[3 * x] * 77u + q[3 * x + 1] * 150u + q[3 * x + 2] * 29u + 128u) >> 8;
        acc[x] += w_this * (float)g;
        if (w_next != 0)
            next[x] += w_next * (float)g;
    }
}

static void col_update(const uint8_t *in, const uint8_t *out, int n, uint32_t *cs, uint32_t *cq)
{
    for (int x = 0; x < n; x++) {
        uint32_t a = in ? in[x] : 0, b = out ? out[x] : 0;
        cs[x] += a - b;
        cq[x] += a * a - b * b;
    }
}

static void window_sums(const uint32_t *cs, const uint32_t *cq, int W, int r, uint32_t rows, uint32_t *ps,
                        uint32_t *pq, uint32_t *hs, uint32_t *hq, uint32_t *n)
{
    /* differences of prefix sums (modulo 2^32, exact: every window sum fits) */
    ps[0] = pq[0] = 0;
    for (int x = 0; x < W; x++) {
        ps[x + 1] = ps[x] + cs[x];
        pq[x + 1] = pq[x] + cq[x];
    }
    for (int x = 0; x < W; x++) {
        int wl = x - r < 0 ? 0 : x - r, wh = x + r >= W ? W - 1 : x + r;
        hs[x] = ps[wh + 1] - ps[wl];
        hq[x] = pq[wh + 1] - pq[wl];
        n[x] = rows * (uint32_t)(wh - wl + 1);
    }
}

static void sauvola_row(const uint8_t *s, const uint32_t *hs, const uint32_t *hq, const uint32_t *n, int W, double k,
                        double kf, uint8_t *d, uint8_t *df)
{
    for (int x = 0; x < W; x++) {
        /* the threshold never exceeds the mean (sd < 128): pixels at or
         * above it are paper without the square root */
        if ((uint64_t)s[x] * n[x] >= hs[x]) {
            d[x] = df[x] = 0;
            continue;
        }
        double inv = 1.0 / n[x], m = hs[x] * inv, var = hq[x] * inv - m * m;
        double sd = var > 0 ? sqrt(var) : 0;
        double q = sd / 128.0 - 1;
        d[x] = s[x] < m * (1 + k * q) ? 255 : 0;
        df[x] = s[x] < m * (1 + kf * q) ? 255 : 0;
    }
}

static void shrink_row4(const float *r, const int *first, const float *w, int n, uint8_t *d)
{
    for (int i = 0; i < n; i++) {
        const float *rr = r + first[i];
        float sum = 0;
        for (int k = 0; k < 4; k++)
            sum += w[(size_t)k * n + i] * rr[k];
        float v = sum + 0.5f;
        d[i] = (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v);
    }
}

static void flatten_row(uint8_t *r, const float *L, int n)
{
    for (int x = 0; x < n; x++) {
        float v = r[x] * 255.0f / L[x];
        r[x] = (uint8_t)(v > 255 ? 255 : v + 0.5f);
    }
}

static void sample_row(const uint8_t *row, int x0, int bw, const double *xs, double c, int n, int *hits)
{
    for (int u = 0; u < n; u++)
        for (int k = 0; k < 4; k++) {
            double v = xs[u * 4 + k] + c;
            int xi = (int)v;
            xi = xi > v ? xi - 1 : xi; /* floor */
            if (xi >= x0 && xi < x0 + bw && row[xi - x0])
                hits[u]++;
        }
}

const pk_table pk_ref = {"none", rgb_to_gray, gray_accum, col_update, window_sums, sauvola_row, shrink_row4, flatten_row,
                         sample_row};
