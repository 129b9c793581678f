/* The pencil finder: the barrel of a pencil, pen or crayon is a band between
 * two long straight parallel edges of opposite polarity (the barrel is darker
 * or lighter than what lies on both sides of it), of a plausible width for the
 * hand, seen over several widths of length, possibly interrupted by fingers.
 *
 * Steps: a region around the hand, box-downscaled to at most WORK_SIDE px;
 * colour gradients (the channel with the strongest response, so a yellow
 * pencil on white paper still has edges); an orientation-aware Hough
 * transform per polarity; pairs of parallel peaks of opposite polarity at a
 * plausible width; each pair verified by walking along it (both edges present,
 * interior colour different from the outside); the best one near the thumb or
 * index tip wins. The writing end is the end nearer the fingertips, followed
 * past the barrel over the cone; the width is re-measured at full resolution
 * with sub-pixel edges. Nothing found or too doubtful: found = 0. */
#include "grip/grip_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WORK_SIDE 384      /* longest side of the working image */
#define N_THETA 180        /* 1 degree bins of the edge normal */
#define N_PEAKS 48         /* peaks kept per polarity */
#define EDGE_MIN 24.0f
#define MAX_CANDS 64       /* verified candidates kept for the nesting check */     /* Sobel magnitude (x4 scaled) below which a pixel is no edge */

typedef struct work {
    int w, h;            /* working size */
    float scale;         /* full-res pixels per working pixel */
    float ox, oy;        /* full-res position of the working origin */
    float *rgb;          /* w*h*3 */
    float *gx, *gy, *mag;
} work;

typedef struct peak { float v; int t, r; } peak;

typedef struct cand {
    float theta, rho1, rho2;  /* working pixels, rho1 < rho2 */
    float s0, s1;             /* visible extent along the axis direction */
    float supported;          /* supported length */
    float contrast;
    float color[3];
    float bg[3];              /* mean colour beside the barrel (the surface under it) */
    float bg_contrast;        /* barrel against that surface */
    float score;
} cand;

static float clampf(float x, float lo, float hi) { return x < lo ? lo : x > hi ? hi : x; }

static void work_free(work *k)
{
    ps_free(k->rgb);
    ps_free(k->gx);
    ps_free(k->gy);
    ps_free(k->mag);
}

/* Box-downscale the region [x0,x1)x[y0,y1) of img into k. */
static ps_status work_build(const ps_image *img, int x0, int y0, int x1, int y1, work *k)
{
    int rw = x1 - x0, rh = y1 - y0;
    int f = (int)ceilf((float)(rw > rh ? rw : rh) / WORK_SIDE);
    if (f < 1)
        f = 1;
    k->scale = (float)f;
    k->ox = (float)x0;
    k->oy = (float)y0;
    k->w = rw / f;
    k->h = rh / f;
    if (k->w < 8 || k->h < 8)
        return ps_fail(PS_ERR_INVALID_ARG, "pencil finder: region %dx%d too small", rw, rh);
    size_t n = (size_t)k->w * k->h;
    k->rgb = ps_malloc(n * 3 * sizeof(float));
    k->gx = ps_malloc(n * sizeof(float));
    k->gy = ps_malloc(n * sizeof(float));
    k->mag = ps_malloc(n * sizeof(float));
    if (!k->rgb || !k->gx || !k->gy || !k->mag)
        return ps_fail(PS_ERR_NOMEM, "pencil finder: out of memory");
    float inv = 1.0f / (float)(f * f);
    for (int y = 0; y < k->h; y++) {
        float *dst = k->rgb + (size_t)y * k->w * 3;
        memset(dst, 0, (size_t)k->w * 3 * sizeof(float));
        for (int yy = 0; yy < f; yy++) {
            const uint8_t *src = img->data + (size_t)(y0 + y * f + yy) * img->stride + (size_t)x0 * 3;
            for (int x = 0; x < k->w; x++)
                for (int xx = 0; xx < f; xx++, src += 3) {
                    dst[3 * x] += src[0];
                    dst[3 * x + 1] += src[1];
                    dst[3 * x + 2] += src[2];
                }
        }
        for (int i = 0; i < k->w * 3; i++)
            dst[i] *= inv;
    }
    /* Sobel per channel; keep the channel with the largest magnitude */
    memset(k->gx, 0, n * sizeof(float));
    memset(k->gy, 0, n * sizeof(float));
    memset(k->mag, 0, n * sizeof(float));
    for (int y = 1; y < k->h - 1; y++)
        for (int x = 1; x < k->w - 1; x++) {
            float best = -1, bx = 0, by = 0;
            for (int c = 0; c < 3; c++) {
#define P(dx, dy) k->rgb[((size_t)(y + (dy)) * k->w + (x + (dx))) * 3 + c]
                float gx = (P(1, -1) + 2 * P(1, 0) + P(1, 1)) - (P(-1, -1) + 2 * P(-1, 0) + P(-1, 1));
                float gy = (P(-1, 1) + 2 * P(0, 1) + P(1, 1)) - (P(-1, -1) + 2 * P(0, -1) + P(1, -1));
#undef P
                float m = gx * gx + gy * gy;
                if (m > best) {
                    best = m;
                    bx = gx;
                    by = gy;
                }
            }
            size_t i = (size_t)y * k->w + x;
            k->gx[i] = bx;
            k->gy[i] = by;
            k->mag[i] = sqrtf(best);
        }
    return PS_OK;
}

static float pix(const work *k, const float *ch, float x, float y)
{
    int xi = (int)lrintf(x), yi = (int)lrintf(y);
    if (xi < 0 || yi < 0 || xi >= k->w || yi >= k->h)
        return NAN;
    return ch[(size_t)yi * k->w + xi];
}

static int color_at(const work *k, float x, float y, float c[3])
{
    int xi = (int)lrintf(x), yi = (int)lrintf(y);
    if (xi < 0 || yi < 0 || xi >= k->w || yi >= k->h)
        return 0;
    const float *p = k->rgb + ((size_t)yi * k->w + xi) * 3;
    c[0] = p[0], c[1] = p[1], c[2] = p[2];
    return 1;
}

static float color_dist(const float a[3], const float b[3])
{
    return fabsf(a[0] - b[0]) + fabsf(a[1] - b[1]) + fabsf(a[2] - b[2]);
}

/* Gradient along the normal n at a point, the strongest within +-1 px. */
static float normal_grad(const work *k, float x, float y, float nx, float ny)
{
    float best = 0;
    for (int d = -1; d <= 1; d++) {
        float px = x + d * nx, py = y + d * ny;
        float gx = pix(k, k->gx, px, py), gy = pix(k, k->gy, px, py);
        if (!isfinite(gx))
            continue;
        float g = gx * nx + gy * ny;
        if (fabsf(g) > fabsf(best))
            best = g;
    }
    return best;
}

static int peak_cmp(const void *a, const void *b)
{
    float x = ((const peak *)a)->v, y = ((const peak *)b)->v;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Walks along a candidate band; fills extent, support and colour. */
static void verify(const work *k, cand *c, float wmin_len, unsigned char *sup)
{
    float nx = cosf(c->theta), ny = sinf(c->theta);
    float tx = -ny, ty = nx;
    float w = c->rho2 - c->rho1;
    float smax = hypotf((float)k->w, (float)k->h);
    int n = (int)(2 * smax) + 1;
    /* polarity: the first edge's gradient sign along n, the second's opposite */
    float sum1 = 0, sum2 = 0;
    float rc = 0.5f * (c->rho1 + c->rho2);
    c->score = 0;
    for (int i = 0; i < n; i++) {
        float s = -smax + i;
        float g1 = normal_grad(k, c->rho1 * nx + s * tx, c->rho1 * ny + s * ty, nx, ny);
        float g2 = normal_grad(k, c->rho2 * nx + s * tx, c->rho2 * ny + s * ty, nx, ny);
        sum1 += g1;
        sum2 += g2;
    }
    int pol = sum1 < 0 ? -1 : 1;  /* sign of edge 1; edge 2 must be the opposite */
    float csum[3] = {0, 0, 0}, bsum[3] = {0, 0, 0}, contrast = 0;
    int ncol = 0;
    for (int i = 0; i < n; i++) {
        float s = -smax + i;
        float g1 = normal_grad(k, c->rho1 * nx + s * tx, c->rho1 * ny + s * ty, nx, ny);
        float g2 = normal_grad(k, c->rho2 * nx + s * tx, c->rho2 * ny + s * ty, nx, ny);
        float in[3], o1[3], o2[3];
        int ok = g1 * pol > EDGE_MIN && g2 * -pol > EDGE_MIN &&
                 color_at(k, rc * nx + s * tx, rc * ny + s * ty, in) &&
                 color_at(k, (c->rho1 - 0.7f * w) * nx + s * tx, (c->rho1 - 0.7f * w) * ny + s * ty, o1) &&
                 color_at(k, (c->rho2 + 0.7f * w) * nx + s * tx, (c->rho2 + 0.7f * w) * ny + s * ty, o2);
        float ct = ok ? fminf(color_dist(in, o1), color_dist(in, o2)) : 0;
        sup[i] = ok && ct > 12;
        if (sup[i]) {
            csum[0] += in[0], csum[1] += in[1], csum[2] += in[2];
            for (int j = 0; j < 3; j++)
                bsum[j] += 0.5f * (o1[j] + o2[j]);
            contrast += ct;
            ncol++;
        }
    }
    /* segments of support, gaps up to 2.5 widths bridged (fingers over the barrel) */
    int gap_max = (int)(2.5f * w) + 2;
    int best_a = -1, best_b = -1, best_cnt = 0;
    int a = -1, last = -1, cnt = 0;
    for (int i = 0; i <= n; i++) {
        int on = i < n && sup[i];
        if (on) {
            if (a < 0 || i - last > gap_max) {
                if (a >= 0 && cnt > best_cnt)
                    best_a = a, best_b = last, best_cnt = cnt;
                a = i;
                cnt = 0;
            }
            last = i;
            cnt++;
        }
        if (i == n && a >= 0 && cnt > best_cnt)
            best_a = a, best_b = last, best_cnt = cnt;
    }
    if (best_cnt < wmin_len || !ncol || best_cnt == 0)
        return;
    c->s0 = -smax + best_a;
    c->s1 = -smax + best_b;
    c->supported = (float)best_cnt;
    c->contrast = contrast / ncol;
    for (int j = 0; j < 3; j++) {
        c->color[j] = csum[j] / ncol;
        c->bg[j] = bsum[j] / ncol;
    }
    c->bg_contrast = color_dist(c->color, c->bg);
    float frac = best_cnt / (c->s1 - c->s0 + 1);
    c->score = best_cnt * frac * fminf(1, c->contrast / 60);
}

/* Sub-pixel width at full resolution: profiles across the axis at several
 * points of the visible barrel; the median distance between the strongest
 * opposite-signed luminance-gradient extremes near the expected edges. */
static float refine_width(const ps_image *img, ps_vec2 p0, ps_vec2 p1, ps_vec2 n, float w_est, float *off0,
                          float *off1)
{
    float widths[9], ts[9], cs[9];
    int nw = 0;
    *off0 = *off1 = 0;
    int half = (int)ceilf(w_est) + 3;
    if (half > 400)
        return w_est;
    float prof[2 * 400 + 1];
    for (int k = 1; k <= 9; k++) {
        float t = k / 10.0f;
        ps_vec2 c = ps_v2_add(p0, ps_v2_scale(ps_v2_sub(p1, p0), t));
        int ok = 1;
        for (int i = -half; i <= half; i++) {
            float x = c.x + i * n.x, y = c.y + i * n.y;
            int xi = (int)floorf(x), yi = (int)floorf(y);
            if (xi < 0 || yi < 0 || xi + 1 >= img->width || yi + 1 >= img->height) {
                ok = 0;
                break;
            }
            float fx = x - xi, fy = y - yi, v = 0;
            for (int ch = 0; ch < 3; ch++) {
                const uint8_t *r0 = img->data + (size_t)yi * img->stride + (size_t)xi * 3 + ch;
                const uint8_t *r1 = r0 + img->stride;
                v += (1 - fy) * ((1 - fx) * r0[0] + fx * r0[3]) + fy * ((1 - fx) * r1[0] + fx * r1[3]);
            }
            prof[i + half] = v;
        }
        if (!ok)
            continue;
        /* derivative extremes in the two halves */
        /* only near the expected edges: facets of a hexagonal barrel make
         * inner edges that can be stronger than the outline */
        int imax = -1, imin = -1;
        float dmax = 0, dmin = 0;
        float tol = fmaxf(2.0f, 0.3f * w_est);
        for (int i = 1; i < 2 * half; i++) {
            float d = prof[i + 1] - prof[i - 1];
            int first = i < half;
            float expect = first ? half - 0.5f * w_est : half + 0.5f * w_est;
            if (fabsf(i - expect) > tol)
                continue;
            if (first ? fabsf(d) > fabsf(dmax) : fabsf(d) > fabsf(dmin)) {
                if (first)
                    dmax = d, imax = i;
                else
                    dmin = d, imin = i;
            }
        }
        if (imax < 2 || imin < 2 || imax > 2 * half - 2 || imin > 2 * half - 2 || dmax * dmin >= 0)
            continue;
        float e[2];
        int idx[2] = {imax, imin};
        for (int j = 0; j < 2; j++) {
            int i = idx[j];
            float a = fabsf(prof[i] - prof[i - 2]), b = fabsf(prof[i + 1] - prof[i - 1]), cc = fabsf(prof[i + 2] - prof[i]);
            float den = a - 2 * b + cc;
            e[j] = i + (fabsf(den) > 1e-6f ? clampf(0.5f * (a - cc) / den, -0.5f, 0.5f) : 0);
        }
        ts[nw] = t;
        cs[nw] = 0.5f * (e[0] + e[1]) - half;
        widths[nw++] = e[1] - e[0];
    }
    if (nw < 3)
        return w_est;
    /* the axis offset along n at both ends, from a line fit of the centres */
    float mt = 0, mc = 0, stt = 0, stc = 0;
    for (int i = 0; i < nw; i++)
        mt += ts[i] / nw, mc += cs[i] / nw;
    for (int i = 0; i < nw; i++)
        stt += (ts[i] - mt) * (ts[i] - mt), stc += (ts[i] - mt) * (cs[i] - mc);
    float slope = stt > 0 ? stc / stt : 0;
    float o0 = mc - slope * mt, o1 = mc + slope * (1 - mt);
    if (fabsf(o0) < 0.5f * w_est && fabsf(o1) < 0.5f * w_est)
        *off0 = o0, *off1 = o1;
    for (int i = 1; i < nw; i++)
        for (int j = i; j > 0 && widths[j] < widths[j - 1]; j--) {
            float t = widths[j];
            widths[j] = widths[j - 1];
            widths[j - 1] = t;
        }
    float med = widths[nw / 2];
    return fabsf(med - w_est) < 0.5f * w_est ? med : w_est;
}

ps_status ps_grip_find_pencil(const ps_image *img, const float (*lm)[3], const ps_grip_thresholds_t *th,
                              ps_grip_pencil *out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "pencil finder: out is NULL");
    memset(out, 0, sizeof *out);
    if (!img || !img->data || img->channels != 3 || img->width < 16 || img->height < 16 || !th)
        return ps_fail(PS_ERR_INVALID_ARG, "pencil finder: needs an RGB image of at least 16x16 and thresholds");
    float hs = 0;
    int x0 = 0, y0 = 0, x1 = img->width, y1 = img->height;
    if (lm) {
        float bx0 = INFINITY, by0 = INFINITY, bx1 = -INFINITY, by1 = -INFINITY;
        for (int i = 0; i < LM_COUNT; i++) {
            if (!isfinite(lm[i][0]) || !isfinite(lm[i][1]))
                return ps_fail(PS_ERR_INVALID_ARG, "pencil finder: landmark %d is not finite", i);
            bx0 = fminf(bx0, lm[i][0]), bx1 = fmaxf(bx1, lm[i][0]);
            by0 = fminf(by0, lm[i][1]), by1 = fmaxf(by1, lm[i][1]);
        }
        hs = ps_v2_dist(lm2(lm, LM_WRIST), lm2(lm, LM_MIDDLE_MCP));
        if (!(hs >= 4))
            return PS_OK;  /* a hand too small to hold a visible pencil */
        /* the pencil continues past the fingers: one hand scale of margin */
        x0 = (int)fmaxf(0, floorf(bx0 - hs));
        y0 = (int)fmaxf(0, floorf(by0 - hs));
        x1 = (int)fminf((float)img->width, ceilf(bx1 + hs));
        y1 = (int)fminf((float)img->height, ceilf(by1 + hs));
        if (x1 - x0 < 16 || y1 - y0 < 16)
            return PS_OK;  /* hand outside the image */
    }
    work k;
    memset(&k, 0, sizeof k);
    float *acc = NULL;
    ps_status rc = work_build(img, x0, y0, x1, y1, &k);
    if (rc) {
        work_free(&k);
        return rc == PS_ERR_INVALID_ARG ? PS_OK : rc;
    }
    /* width range in working pixels */
    float ref = lm ? hs : 0.35f * fminf((float)img->width, (float)img->height);
    float wmin = fmaxf(2.0f, (float)th->pencil_width_min_rel * ref / k.scale);
    float wmax = (float)th->pencil_width_max_rel * ref / k.scale;
    /* Hough: per polarity, theta in [0, pi), rho in [-diag, diag] */
    int diag = (int)ceilf(hypotf((float)k.w, (float)k.h));
    int nr = 2 * diag + 1;
    size_t nacc = (size_t)2 * N_THETA * nr;
    acc = ps_calloc(nacc, sizeof(float));
    if (!acc) {
        work_free(&k);
        return ps_fail(PS_ERR_NOMEM, "pencil finder: out of memory");
    }
    float ct[N_THETA], st[N_THETA];
    for (int t = 0; t < N_THETA; t++) {
        ct[t] = cosf(t * (float)M_PI / N_THETA);
        st[t] = sinf(t * (float)M_PI / N_THETA);
    }
    for (int y = 1; y < k.h - 1; y++)
        for (int x = 1; x < k.w - 1; x++) {
            size_t i = (size_t)y * k.w + x;
            float m = k.mag[i];
            if (m < EDGE_MIN)
                continue;
            float phi = atan2f(k.gy[i], k.gx[i]);
            int pol = phi < 0;
            float th_ = pol ? phi + (float)M_PI : phi;
            int tb = (int)lrintf(th_ * N_THETA / (float)M_PI) % N_THETA;
            for (int d = -1; d <= 1; d++) {
                int t = (tb + d + N_THETA) % N_THETA;
                /* a bin across the 0/pi seam flips the normal: and the polarity */
                int p = (tb + d < 0 || tb + d >= N_THETA) ? !pol : pol;
                int r = (int)lrintf(x * ct[t] + y * st[t]) + diag;
                acc[((size_t)p * N_THETA + t) * nr + r] += m;
            }
        }
    /* peaks per polarity */
    peak peaks[2][N_PEAKS];
    int npk[2] = {0, 0};
    for (int p = 0; p < 2; p++) {
        for (int t = 0; t < N_THETA; t++)
            for (int r = 1; r < nr - 1; r++) {
                float v = acc[((size_t)p * N_THETA + t) * nr + r];
                if (v < EDGE_MIN * 8)
                    continue;
                int is_max = 1;
                for (int dt = -2; dt <= 2 && is_max; dt++)
                    for (int dr = -2; dr <= 2; dr++) {
                        int tt = t + dt, rr = r + dr;
                        if ((!dt && !dr) || tt < 0 || tt >= N_THETA || rr < 0 || rr >= nr)
                            continue;
                        float u = acc[((size_t)p * N_THETA + tt) * nr + rr];
                        if (u > v || (u == v && (dt < 0 || (dt == 0 && dr < 0)))) {
                            is_max = 0;
                            break;
                        }
                    }
                if (!is_max)
                    continue;
                if (npk[p] < N_PEAKS) {
                    peaks[p][npk[p]++] = (peak){v, t, r - diag};
                    qsort(peaks[p], npk[p], sizeof(peak), peak_cmp);
                } else if (v > peaks[p][N_PEAKS - 1].v) {
                    peaks[p][N_PEAKS - 1] = (peak){v, t, r - diag};
                    qsort(peaks[p], N_PEAKS, sizeof(peak), peak_cmp);
                }
            }
    }
    ps_free(acc);
    /* opposite-polarity parallel pairs at a plausible width; sup holds the
     * per-step support of the walk (2 diag + 1 steps) */
    unsigned char *sup = ps_malloc((size_t)(2 * (int)ceilf(hypotf((float)k.w, (float)k.h)) + 2));
    if (!sup) {
        work_free(&k);
        return ps_fail(PS_ERR_NOMEM, "pencil finder: out of memory");
    }
    cand best, cands[MAX_CANDS];
    int ncand = 0;
    memset(&best, 0, sizeof best);
    float min_len = (float)th->pencil_min_len_widths;
    for (int i = 0; i < npk[0]; i++)
        for (int j = 0; j < npk[1]; j++) {
            peak a = peaks[0][i], b = peaks[1][j];
            if (abs(a.t - b.t) > 2)
                continue;
            float wdt = fabsf((float)(a.r - b.r));
            if (wdt < wmin || wdt > wmax)
                continue;
            cand c;
            memset(&c, 0, sizeof c);
            c.theta = 0.5f * (a.t + b.t) * (float)M_PI / N_THETA;
            c.rho1 = (float)(a.r < b.r ? a.r : b.r);
            c.rho2 = (float)(a.r < b.r ? b.r : a.r);
            verify(&k, &c, min_len * wdt, sup);
            if (c.score <= 0)
                continue;
            if (lm) {
                /* in contact with the hand: near the thumb or index tip */
                float nx = cosf(c.theta), ny = sinf(c.theta), rc = 0.5f * (c.rho1 + c.rho2);
                ps_vec2 p0 = ps_v2(k.ox + k.scale * (rc * nx - c.s0 * ny), k.oy + k.scale * (rc * ny + c.s0 * nx));
                ps_vec2 p1 = ps_v2(k.ox + k.scale * (rc * nx - c.s1 * ny), k.oy + k.scale * (rc * ny + c.s1 * nx));
                float dmin = fminf(ps_point_segment_dist(lm2(lm, LM_THUMB_TIP), p0, p1, NULL),
                                   ps_point_segment_dist(lm2(lm, LM_INDEX_TIP), p0, p1, NULL));
                if (dmin > th->pencil_reach_rel * hs)
                    continue;
            }
            if (ncand < MAX_CANDS)
                cands[ncand++] = c;
            if (c.score > best.score)
                best = c;
        }
    /* facets of a hexagonal barrel make bands inside the outline: prefer a
     * band that contains the best one and is nearly as well supported */
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; i < ncand; i++) {
            cand *c = &cands[i];
            if (fabsf(c->theta - best.theta) <= 2.5f * (float)M_PI / N_THETA && c->rho1 <= best.rho1 + 0.5f &&
                c->rho2 >= best.rho2 - 0.5f && c->rho2 - c->rho1 > best.rho2 - best.rho1 + 1 &&
                c->score >= 0.6f * best.score) {
                best = *c;
                again = 1;
            }
        }
    }
    if (best.score <= 0) {
        ps_free(sup);
        work_free(&k);
        return PS_OK;
    }
    /* axis ends in full-res pixels */
    float nx = cosf(best.theta), ny = sinf(best.theta), rcen = 0.5f * (best.rho1 + best.rho2);
    float wk = best.rho2 - best.rho1;
    ps_vec2 e0 = ps_v2(rcen * nx - best.s0 * ny, rcen * ny + best.s0 * nx);
    ps_vec2 e1 = ps_v2(rcen * nx - best.s1 * ny, rcen * ny + best.s1 * nx);
    ps_vec2 dir = ps_v2(-ny, nx);  /* from e0 to e1 */
    /* which end writes: the one nearer the pinch (thumb and index tips) */
    int tip_is_e0 = 1;
    if (lm) {
        ps_vec2 pinch = ps_v2_scale(ps_v2_add(lm2(lm, LM_THUMB_TIP), lm2(lm, LM_INDEX_TIP)), 0.5f);
        pinch = ps_v2((pinch.x - k.ox) / k.scale, (pinch.y - k.oy) / k.scale);
        tip_is_e0 = ps_v2_dist(pinch, e0) <= ps_v2_dist(pinch, e1);
        /* the barrel continues past the fingers: further stretches of both
         * edges on the same line, beyond the fingers, up to a hand scale */
        float smax = hypotf((float)k.w, (float)k.h);
        float reach = hs / k.scale;
        float keep0 = best.s0, keep1 = best.s1;
        verify(&k, &best, 0, sup);
        best.s0 = keep0, best.s1 = keep1;
        int run = 0;
        if (tip_is_e0) {
            for (int i = (int)(best.s0 + smax) - 1; i >= 0 && -smax + i >= best.s0 - reach; i--) {
                run = sup[i] ? run + 1 : 0;
                if (run >= 0.5f * (best.rho2 - best.rho1))
                    e0 = ps_v2(rcen * nx - (-smax + i) * ny, rcen * ny + (-smax + i) * nx);
            }
        } else {
            int n = (int)(2 * smax) + 1;
            for (int i = (int)(best.s1 + smax) + 1; i < n && -smax + i <= best.s1 + reach; i++) {
                run = sup[i] ? run + 1 : 0;
                if (run >= 0.5f * (best.rho2 - best.rho1))
                    e1 = ps_v2(rcen * nx - (-smax + i) * ny, rcen * ny + (-smax + i) * nx);
            }
        }
    }
    /* follow the axis past the barrel end over the cone and the lead: the
     * last point, within 4 widths, whose colour is not the surface's (the
     * cone's sides may be hidden by the finger pads, so only the axis
     * itself is looked at); half a width of surface ends the walk */
    ps_vec2 tip = tip_is_e0 ? e0 : e1, far = tip_is_e0 ? e1 : e0;
    ps_vec2 out_dir = tip_is_e0 ? ps_v2_scale(dir, -1) : dir;
    ps_vec2 side = ps_v2(nx, ny);
    float walked = 0, bg_run = 0;
    float bg_thr = fmaxf(20, fminf(60, 0.35f * best.bg_contrast));
    float walk_max = 4 * wk;
    if (lm) {
        /* when the fingers cover the cone's base the walk crosses them: up to
         * the pinch's foot on the axis, then the usual 4 widths */
        ps_vec2 pinch = ps_v2_scale(ps_v2_add(lm2(lm, LM_THUMB_TIP), lm2(lm, LM_INDEX_TIP)), 0.5f);
        pinch = ps_v2((pinch.x - k.ox) / k.scale, (pinch.y - k.oy) / k.scale);
        float beyond = ps_v2_dot(ps_v2_sub(pinch, tip), out_dir);
        if (beyond > 0)
            walk_max = beyond + 6 * wk;
    }
    for (float s = 1; s <= walk_max && bg_run < 0.5f * wk; s += 1) {
        ps_vec2 p = ps_v2_add(tip, ps_v2_scale(out_dir, s));
        float c[3];
        if (!color_at(&k, p.x, p.y, c))
            break;
        if (color_dist(c, best.bg) > bg_thr) {
            walked = s;
            bg_run = 0;
        } else {
            bg_run += 1;
        }
    }
    tip = ps_v2_add(tip, ps_v2_scale(out_dir, walked));
    ps_vec2 tip_f = ps_v2(k.ox + k.scale * (tip.x + 0.5f) - 0.5f, k.oy + k.scale * (tip.y + 0.5f) - 0.5f);
    ps_vec2 far_f = ps_v2(k.ox + k.scale * (far.x + 0.5f) - 0.5f, k.oy + k.scale * (far.y + 0.5f) - 0.5f);
    ps_vec2 b0f = ps_v2(k.ox + k.scale * (e0.x + 0.5f) - 0.5f, k.oy + k.scale * (e0.y + 0.5f) - 0.5f);
    ps_vec2 b1f = ps_v2(k.ox + k.scale * (e1.x + 0.5f) - 0.5f, k.oy + k.scale * (e1.y + 0.5f) - 0.5f);
    ps_free(sup);
    float off0, off1;
    float width = refine_width(img, b0f, b1f, side, wk * k.scale, &off0, &off1);
    /* move the axis onto the full-resolution edge centres (linear in t) */
    {
        ps_vec2 d = ps_v2_sub(b1f, b0f);
        float l2 = ps_v2_dot(d, d);
        ps_vec2 *pts[2] = {&tip_f, &far_f};
        for (int j = 0; j < 2 && l2 > 0; j++) {
            float t = ps_v2_dot(ps_v2_sub(*pts[j], b0f), d) / l2;
            *pts[j] = ps_v2_add(*pts[j], ps_v2_scale(side, off0 + (off1 - off0) * t));
        }
    }
    float frac = best.supported / (best.s1 - best.s0 + 1);
    float conf = clampf(frac, 0, 1) * fminf(1, best.contrast / 60) *
                 fminf(1, best.supported / (2 * min_len * wk));
    work_free(&k);
    if (conf < th->pencil_min_confidence)
        return PS_OK;
    out->found = 1;
    out->tip[0] = tip_f.x, out->tip[1] = tip_f.y;
    out->end[0] = far_f.x, out->end[1] = far_f.y;
    out->width_px = width;
    out->angle_deg = (float)(atan2(-(far_f.y - tip_f.y), far_f.x - tip_f.x) * 180 / M_PI);
    out->confidence = conf;
    out->visible_len_px = best.supported * k.scale;
    for (int j = 0; j < 3; j++)
        out->color[j] = best.color[j];
    return PS_OK;
}
