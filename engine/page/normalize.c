/* Page normalisation: gray and shrink, deskew, flatten the light, Sauvola
 * binarisation. Plain C, one pass per step, no allocation inside loops. */
#include "page/page_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <string.h>

/* Area-averaging weights of a 1-D shrink from n_in to n_out samples: for
 * output i, input indices first[i] .. first[i]+cnt-1 with weights w[i*K+k]. */
static void area_weights(int n_in, int n_out, int K, int *first, float *w)
{
    double inv = (double)n_in / n_out;
    for (int i = 0; i < n_out; i++) {
        double a = i * inv, b = (i + 1) * inv;
        int ia = (int)floor(a);
        first[i] = ia;
        for (int k = 0; k < K; k++) {
            double lo = ia + k, hi = lo + 1;
            double ov = (hi < b ? hi : b) - (lo > a ? lo : a);
            w[(size_t)i * K + k] = ov > 0 && ia + k < n_in ? (float)(ov / inv) : 0.0f;
        }
    }
}

ps_status pg_to_gray(const ps_image *img, double scale, ps_image *gray)
{
    if (!(scale > 0) || scale > 1)
        scale = 1;
    int W = (int)lround(img->width * scale), H = (int)lround(img->height * scale);
    if (W < 1)
        W = 1;
    if (H < 1)
        H = 1;
    ps_status rc = ps_image_alloc(gray, W, H, 1);
    if (rc != PS_OK)
        return rc;
    int C = img->channels;
    if (W == img->width && H == img->height) {
        for (int y = 0; y < H; y++) {
            const uint8_t *q = img->data + (size_t)y * img->stride;
            uint8_t *d = gray->data + (size_t)y * gray->stride;
            if (C == 1)
                memcpy(d, q, (size_t)W);
            else
                for (int x = 0; x < W; x++, q += C)
                    d[x] = (uint8_t)((q[0] * 77u + q[1] * 150u + q[2] * 29u + 128u) >> 8);
        }
        return PS_OK;
    }
    /* each input row once: to gray, shrunk along x, then added with its
     * vertical weights into the (at most two) output rows it overlaps */
    int KX = (int)ceil((double)img->width / W) + 1;
    int *fx = ps_malloc(sizeof(int) * (size_t)W);
    float *wx = ps_malloc(sizeof(float) * ((size_t)W * KX + (size_t)img->width + 2 * (size_t)W));
    if (!fx || !wx) {
        ps_free(fx);
        ps_free(wx);
        ps_image_release(gray);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    float *row = wx + (size_t)W * KX, *hrow = row + img->width, *acc = hrow + W;
    int *dummy_first = fx;
    area_weights(img->width, W, KX, dummy_first, wx);
    double inv = (double)img->height / H; /* input rows per output row */
    int oy = 0;
    memset(acc, 0, sizeof(float) * W);
    float *acc_next = NULL;
    float *next = ps_calloc((size_t)W, sizeof(float));
    if (!next) {
        ps_free(fx);
        ps_free(wx);
        ps_image_release(gray);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    acc_next = next;
    for (int iy = 0; iy < img->height; iy++) {
        const uint8_t *q = img->data + (size_t)iy * img->stride;
        if (C == 1)
            for (int x = 0; x < img->width; x++)
                row[x] = q[x];
        else
            for (int x = 0; x < img->width; x++, q += C)
                row[x] = (float)((q[0] * 77u + q[1] * 150u + q[2] * 29u + 128u) >> 8);
        for (int ox = 0; ox < W; ox++) {
            const float *w = wx + (size_t)ox * KX;
            const float *r = row + fx[ox];
            int n = img->width - fx[ox] < KX ? img->width - fx[ox] : KX;
            float sum = 0;
            for (int j = 0; j < n; j++)
                sum += w[j] * r[j];
            hrow[ox] = sum;
        }
        /* the input row [iy, iy+1) splits between output rows at (oy+1)*inv */
        double lo = iy, hi = iy + 1, cut = (oy + 1) * inv;
        float w_this = (float)(((hi < cut ? hi : cut) - lo) / inv), w_next = (float)(hi > cut ? (hi - cut) / inv : 0);
        for (int ox = 0; ox < W; ox++) {
            acc[ox] += w_this * hrow[ox];
            acc_next[ox] += w_next * hrow[ox];
        }
        if (hi >= cut - 1e-9 || iy == img->height - 1) {
            uint8_t *d = gray->data + (size_t)oy * gray->stride;
            for (int ox = 0; ox < W; ox++) {
                float v = acc[ox] + 0.5f;
                d[ox] = (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v);
            }
            float *t = acc;
            acc = acc_next;
            acc_next = t;
            memset(acc_next, 0, sizeof(float) * W);
            if (++oy >= H)
                break;
        }
    }
    ps_free(next);
    ps_free(fx);
    ps_free(wx);
    return PS_OK;
}

/* Sum of squared row counts of dark pixels after shearing by tan t: sharp
 * peaks (text lines and ruling aligned with rows) give the largest value. */
static double profile_energy(const uint8_t *dark, int w, int h, double t, int *rows, int nrows, int off)
{
    memset(rows, 0, sizeof(int) * nrows);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (dark[(size_t)y * w + x]) {
                int r = (int)lround(y - x * t) + off;
                if (r >= 0 && r < nrows)
                    rows[r]++;
            }
    double e = 0;
    for (int i = 0; i < nrows; i++)
        e += (double)rows[i] * rows[i];
    return e;
}

double pg_estimate_skew(const ps_image *gray)
{
    /* on a 4x smaller copy: dark = clearly below the page's bright level */
    int f = 4, w = gray->width / f, h = gray->height / f;
    if (w < 16 || h < 16)
        return 0;
    uint8_t *dark = ps_malloc((size_t)w * h);
    int off = (int)ceil(w * tan(6 * M_PI / 180)) + 2, nrows = h + 2 * off;
    int *rows = ps_malloc(sizeof(int) * nrows);
    if (!dark || !rows) {
        ps_free(dark);
        ps_free(rows);
        return 0;
    }
    long hist[256] = {0};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned m = 255;
            for (int yy = 0; yy < f; yy++)
                for (int xx = 0; xx < f; xx++) {
                    unsigned v = gray->data[(size_t)(y * f + yy) * gray->stride + x * f + xx];
                    if (v < m)
                        m = v;
                }
            dark[(size_t)y * w + x] = (uint8_t)m;
            hist[m]++;
        }
    long total = (long)w * h, acc = 0;
    int p90 = 255;
    for (int i = 255; i >= 0; i--) {
        acc += hist[i];
        if (acc >= total / 2) {
            p90 = i;
            break;
        }
    }
    int thr = p90 * 3 / 4;
    for (size_t i = 0; i < (size_t)w * h; i++)
        dark[i] = dark[i] < thr;
    double best = -1, best_t = 0;
    for (double a = -5; a <= 5.001; a += 0.5) {
        double e = profile_energy(dark, w, h, tan(a * M_PI / 180), rows, nrows, off);
        if (e > best) {
            best = e;
            best_t = a;
        }
    }
    double c = best_t;
    for (double a = c - 0.5; a <= c + 0.50001; a += 0.1) {
        double e = profile_energy(dark, w, h, tan(a * M_PI / 180), rows, nrows, off);
        if (e > best) {
            best = e;
            best_t = a;
        }
    }
    ps_free(dark);
    ps_free(rows);
    return best_t;
}

ps_status pg_rotate(const ps_image *in, double skew_deg, ps_image *out)
{
    ps_status rc = ps_image_alloc(out, in->width, in->height, 1);
    if (rc != PS_OK)
        return rc;
    /* output (x, y) samples input at the point rotated by +skew about the
     * centre, so a line falling by tan(skew) per column becomes level */
    double a = skew_deg * M_PI / 180, c = cos(a), s = sin(a);
    double cx = in->width / 2.0, cy = in->height / 2.0;
    for (int y = 0; y < out->height; y++) {
        uint8_t *d = out->data + (size_t)y * out->stride;
        double dy = y - cy;
        for (int x = 0; x < out->width; x++) {
            double dx = x - cx;
            double sx = cx + c * dx - s * dy, sy = cy + s * dx + c * dy;
            int x0 = (int)floor(sx), y0 = (int)floor(sy);
            if (x0 < 0 || y0 < 0 || x0 + 1 >= in->width || y0 + 1 >= in->height) {
                d[x] = 255;
                continue;
            }
            double fx = sx - x0, fy = sy - y0;
            const uint8_t *r0 = in->data + (size_t)y0 * in->stride + x0, *r1 = r0 + in->stride;
            double v = (1 - fy) * ((1 - fx) * r0[0] + fx * r0[1]) + fy * ((1 - fx) * r1[0] + fx * r1[1]);
            d[x] = (uint8_t)(v + 0.5);
        }
    }
    return PS_OK;
}

ps_status pg_flatten_light(ps_image *g)
{
    /* paper level per 32x32 block = a high percentile (the block's max is
     * too sensitive to JPEG noise), smoothed over 3x3 blocks, bilinear */
    const int B = 32;
    int bw = (g->width + B - 1) / B, bh = (g->height + B - 1) / B;
    float *lvl = ps_malloc(sizeof(float) * (size_t)bw * bh * 2);
    if (!lvl)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    float *tmp = lvl + (size_t)bw * bh;
    for (int by = 0; by < bh; by++)
        for (int bx = 0; bx < bw; bx++) {
            int hist[256] = {0}, n = 0;
            for (int y = by * B; y < by * B + B && y < g->height; y++) {
                const uint8_t *r = g->data + (size_t)y * g->stride;
                for (int x = bx * B; x < bx * B + B && x < g->width; x++, n++)
                    hist[r[x]]++;
            }
            int acc = 0, v = 255;
            for (; v > 0; v--) {
                acc += hist[v];
                if (acc * 50 >= n) /* 98th percentile */
                    break;
            }
            lvl[(size_t)by * bw + bx] = (float)v;
        }
    /* a block full of ink has a low level: take the max of its neighbours */
    for (int by = 0; by < bh; by++)
        for (int bx = 0; bx < bw; bx++) {
            float m = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int yy = by + dy, xx = bx + dx;
                    if (yy >= 0 && yy < bh && xx >= 0 && xx < bw && lvl[(size_t)yy * bw + xx] > m)
                        m = lvl[(size_t)yy * bw + xx];
                }
            tmp[(size_t)by * bw + bx] = m < 16 ? 16 : m;
        }
    /* bilinear between block centres: the x weights once, then per row the
     * column levels, then one multiply per pixel */
    int *xa = ps_malloc(sizeof(int) * 2 * (size_t)g->width);
    float *wxs = ps_malloc(sizeof(float) * ((size_t)g->width + bw));
    if (!xa || !wxs) {
        ps_free(xa);
        ps_free(wxs);
        ps_free(lvl);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    int *xbs = xa + g->width;
    float *col = wxs + g->width;
    for (int x = 0; x < g->width; x++) {
        float fx = (x + 0.5f) / B - 0.5f;
        int x0 = (int)floorf(fx);
        wxs[x] = fx - x0;
        xa[x] = x0 < 0 ? 0 : x0;
        xbs[x] = x0 + 1 >= bw ? bw - 1 : x0 + 1;
    }
    for (int y = 0; y < g->height; y++) {
        uint8_t *r = g->data + (size_t)y * g->stride;
        float fy = (y + 0.5f) / B - 0.5f;
        int y0 = (int)floorf(fy);
        float wy = fy - y0;
        int ya = y0 < 0 ? 0 : y0, yb = y0 + 1 >= bh ? bh - 1 : y0 + 1;
        for (int bx = 0; bx < bw; bx++)
            col[bx] = (1 - wy) * tmp[(size_t)ya * bw + bx] + wy * tmp[(size_t)yb * bw + bx];
        for (int x = 0; x < g->width; x++) {
            float L = col[xa[x]] + wxs[x] * (col[xbs[x]] - col[xa[x]]);
            float v = r[x] * 255.0f / L;
            r[x] = (uint8_t)(v > 255 ? 255 : v + 0.5f);
        }
    }
    ps_free(xa);
    ps_free(wxs);
    ps_free(lvl);
    return PS_OK;
}

ps_status pg_sauvola(const ps_image *g, int window, double k, double kf, ps_image *out, ps_image *faint)
{
    int W = g->width, H = g->height, r = window / 2;
    if (r < 1)
        r = 1;
    ps_status rc = ps_image_alloc(out, W, H, 1);
    if (rc != PS_OK)
        return rc;
    rc = ps_image_alloc(faint, W, H, 1);
    if (rc != PS_OK) {
        ps_image_release(out);
        return rc;
    }
    /* running column sums over the vertical window, then a running sum along
     * the row: O(1) per pixel, O(W) memory */
    uint32_t *cs = ps_calloc((size_t)W, sizeof(uint32_t));
    uint64_t *cq = ps_calloc((size_t)W, sizeof(uint64_t));
    if (!cs || !cq) {
        ps_free(cs);
        ps_free(cq);
        ps_image_release(out);
        ps_image_release(faint);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    int ylo = 0, yhi = -1; /* rows currently in the column sums */
    for (int y = 0; y < H; y++) {
        int want_lo = y - r < 0 ? 0 : y - r, want_hi = y + r >= H ? H - 1 : y + r;
        while (yhi < want_hi) {
            yhi++;
            const uint8_t *s = g->data + (size_t)yhi * g->stride;
            for (int x = 0; x < W; x++) {
                cs[x] += s[x];
                cq[x] += (uint32_t)s[x] * s[x];
            }
        }
        while (ylo < want_lo) {
            const uint8_t *s = g->data + (size_t)ylo * g->stride;
            for (int x = 0; x < W; x++) {
                cs[x] -= s[x];
                cq[x] -= (uint32_t)s[x] * s[x];
            }
            ylo++;
        }
        int rows = yhi - ylo + 1;
        uint64_t hs = 0, hq = 0;
        int xlo = 0, xhi = -1;
        const uint8_t *s = g->data + (size_t)y * g->stride;
        uint8_t *d = out->data + (size_t)y * out->stride, *df = faint->data + (size_t)y * faint->stride;
        for (int x = 0; x < W; x++) {
            int wl = x - r < 0 ? 0 : x - r, wh = x + r >= W ? W - 1 : x + r;
            while (xhi < wh) {
                xhi++;
                hs += cs[xhi];
                hq += cq[xhi];
            }
            while (xlo < wl) {
                hs -= cs[xlo];
                hq -= cq[xlo];
                xlo++;
            }
            /* the threshold never exceeds the mean (sd < 128): pixels at or
             * above it are paper without the square root */
            int n = rows * (xhi - xlo + 1);
            if ((uint64_t)s[x] * n >= hs) {
                d[x] = df[x] = 0;
                continue;
            }
            double inv = 1.0 / n, m = hs * inv, var = hq * inv - m * m;
            double sd = var > 0 ? sqrt(var) : 0;
            double q = sd / 128.0 - 1;
            d[x] = s[x] < m * (1 + k * q) ? 255 : 0;
            df[x] = s[x] < m * (1 + kf * q) ? 255 : 0;
        }
    }
    ps_free(cs);
    ps_free(cq);
    return PS_OK;
}
