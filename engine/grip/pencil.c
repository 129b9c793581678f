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

#define WORK_SIDE 320      /* longest side of the working image */
#define N_THETA 180        /* 1 degree bins of the edge normal */
#define N_PEAKS 48         /* peaks kept per polarity */
#define EDGE_MIN 24.0f     /* Sobel magnitude (x4 scaled) below which a pixel is no edge */
#define MAX_CANDS 32       /* edge pairs walked, the best supported by the Hough votes */
#define SKIN_DIST 50.0f    /* L1 RGB distance under which a colour is the hand's skin */
#define N_SKIN 16          /* skin patches sampled along the palm and fingers */
#define N_SCENE 16         /* patches on a ring around the hand */
#define SCENE_DIST 25.0f   /* L1 RGB distance under which a band has the colour of the scene around the hand */

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
    int pol;                  /* gradient sign along the normal at rho1 (+1/-1) */
    float prior;              /* Hough evidence: the weaker edge's votes */
    int touching;             /* of thumb, index, middle: digits whose tip or DIP is on the axis */
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
    k->rgb = k->gx = k->gy = k->mag = NULL;
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
    /* one block: colour, the two gradients, magnitude */
    k->rgb = ps_malloc(n * 6 * sizeof(float));
    if (!k->rgb)
        return ps_fail(PS_ERR_NOMEM, "pencil finder: out of memory");
    k->gx = k->rgb + 3 * n;
    k->gy = k->gx + n;
    k->mag = k->gy + n;
    /* each working pixel averages an evenly spread grid of at most 2x2
     * samples of its f x f block: enough against aliasing of the edges (the
     * barrel is several working pixels wide), and a 12 MP photo is not read
     * in full */
    int ns = f < 2 ? f : 2;
    int off[2];
    for (int j = 0; j < ns; j++)
        off[j] = (f * (2 * j + 1)) / (2 * ns);
    float inv = 1.0f / (float)(ns * ns);
    for (int y = 0; y < k->h; y++) {
        float *dst = k->rgb + (size_t)y * k->w * 3;
        memset(dst, 0, (size_t)k->w * 3 * sizeof(float));
        for (int yy = 0; yy < ns; yy++) {
            const uint8_t *row = img->data + (size_t)(y0 + y * f + off[yy]) * img->stride + (size_t)x0 * 3;
            for (int x = 0; x < k->w; x++)
                for (int xx = 0; xx < ns; xx++) {
                    const uint8_t *src = row + (size_t)(x * f + off[xx]) * 3;
                    dst[3 * x] += src[0];
                    dst[3 * x + 1] += src[1];
                    dst[3 * x + 2] += src[2];
                }
        }
        for (int i = 0; i < k->w * 3; i++)
            dst[i] *= inv;
    }
    /* Sobel per channel; keep the channel with the largest magnitude */
    memset(k->gx, 0, 3 * n * sizeof(float));
    const size_t rs = (size_t)k->w * 3;
    for (int y = 1; y < k->h - 1; y++) {
        const float *up = k->rgb + (size_t)(y - 1) * rs, *mid = up + rs, *dn = mid + rs;
        for (int x = 1; x < k->w - 1; x++) {
            float best = -1, bx = 0, by = 0;
            const size_t l = 3 * (size_t)(x - 1), r = 3 * (size_t)(x + 1), c0 = 3 * (size_t)x;
            for (int c = 0; c < 3; c++) {
                float gx = (up[r + c] + 2 * mid[r + c] + dn[r + c]) - (up[l + c] + 2 * mid[l + c] + dn[l + c]);
                float gy = (dn[l + c] + 2 * dn[c0 + c] + dn[r + c]) - (up[l + c] + 2 * up[c0 + c] + up[r + c]);
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


/* The steps s (from -smax) at which the line rho*n + s*t lies inside the
 * working image, as indices i = s + smax in [*i0, *i1]; 0 when it misses. */
static int line_range(const work *k, float theta, float rho, int *i0, int *i1)
{
    float nx = cosf(theta), ny = sinf(theta);
    float smax = hypotf((float)k->w, (float)k->h);
    float lo = -smax, hi = smax;
    const float ext[2] = {(float)k->w - 1, (float)k->h - 1}, base[2] = {rho * nx, rho * ny}, step[2] = {-ny, nx};
    for (int a = 0; a < 2; a++) {
        if (fabsf(step[a]) < 1e-6f) {
            if (base[a] < 0 || base[a] > ext[a])
                return 0;
            continue;
        }
        float s0 = (0 - base[a]) / step[a], s1 = (ext[a] - base[a]) / step[a];
        if (s0 > s1) {
            float t = s0;
            s0 = s1;
            s1 = t;
        }
        lo = fmaxf(lo, s0);
        hi = fminf(hi, s1);
    }
    int n = (int)(2 * smax) + 1;
    *i0 = (int)ceilf(lo + smax);
    *i1 = (int)floorf(hi + smax);
    if (*i0 < 0)
        *i0 = 0;
    if (*i1 > n - 1)
        *i1 = n - 1;
    return *i1 >= *i0;
}

/* Snaps a candidate band onto its edge pixels: along both edges, the
 * strongest correctly signed gradient within +-2 px across the line; one
 * least-squares fit of two parallel lines (shared slope) to those points.
 * The Hough peak is only good to a bin (1 degree, 1 px), which over a
 * barrel 30 working pixels long already moves an edge off the walk. */
static void snap_band(const work *k, cand *c)
{
    float nx = cosf(c->theta), ny = sinf(c->theta);
    float tx = -ny, ty = nx;
    float smax = hypotf((float)k->w, (float)k->h);
    double ss[2] = {0, 0}, sr[2] = {0, 0}, sss[2] = {0, 0}, ssr[2] = {0, 0};
    int cnt[2] = {0, 0};
    for (int e = 0; e < 2; e++) {
        float rho = e ? c->rho2 : c->rho1, sign = (float)(e ? -c->pol : c->pol);
        int i0, i1;
        if (!line_range(k, c->theta, rho, &i0, &i1))
            return;
        for (int i = i0; i <= i1; i++) {
            float s = -smax + i;
            float bx = rho * nx + s * tx, by = rho * ny + s * ty;
            if (bx < 2 || by < 2 || bx > k->w - 3 || by > k->h - 3)
                continue;
            float best = EDGE_MIN, bd = 0;
            int ok = 0;
            for (int d = -2; d <= 2; d++) {
                size_t at = (size_t)lrintf(by + d * ny) * k->w + (size_t)lrintf(bx + d * nx);
                float g = (k->gx[at] * nx + k->gy[at] * ny) * sign;
                if (g > best) {
                    best = g;
                    bd = (float)d;
                    ok = 1;
                }
            }
            if (!ok)
                continue;
            float r = rho + bd;
            ss[e] += s, sr[e] += r, sss[e] += (double)s * s, ssr[e] += (double)s * r;
            cnt[e]++;
        }
    }
    if (cnt[0] < 8 || cnt[1] < 8)
        return;
    double num = 0, den = 0, mean_s[2], mean_r[2];
    for (int e = 0; e < 2; e++) {
        mean_s[e] = ss[e] / cnt[e];
        mean_r[e] = sr[e] / cnt[e];
        num += ssr[e] - cnt[e] * mean_s[e] * mean_r[e];
        den += sss[e] - cnt[e] * mean_s[e] * mean_s[e];
    }
    if (!(den > 0))
        return;
    double b = num / den;
    if (fabs(b) > 0.1)
        return;  /* more than ~6 degrees: not this band */
    double norm = sqrt(1 + b * b);
    float r1 = (float)((mean_r[0] - b * mean_s[0]) / norm), r2 = (float)((mean_r[1] - b * mean_s[1]) / norm);
    if (!(r2 - r1 > 1))
        return;
    c->theta = c->theta - (float)atan(b);
    c->rho1 = r1;
    c->rho2 = r2;
}

/* Walks along a candidate band where it lies inside the working image;
 * fills extent, support and colour. pol is the sign of the gradient along
 * the normal at the first edge (from its Hough peak); the second edge has
 * the opposite sign. sup gets one flag per step. */
static void verify(const work *k, cand *c, float wmin_len, unsigned char *sup)
{
    float nx = cosf(c->theta), ny = sinf(c->theta);
    float tx = -ny, ty = nx;
    float w = c->rho2 - c->rho1;
    float smax = hypotf((float)k->w, (float)k->h);
    int n = (int)(2 * smax) + 1;
    float rc = 0.5f * (c->rho1 + c->rho2);
    int pol = c->pol;
    c->score = 0;
    memset(sup, 0, (size_t)n);
    int i0, i1;
    if (!line_range(k, c->theta, rc, &i0, &i1))
        return;
    float csum[3] = {0, 0, 0}, bsum[3] = {0, 0, 0}, contrast = 0;
    int ncol = 0;
    for (int i = i0; i <= i1; i++) {
        float s = -smax + i;
        float g1 = normal_grad(k, c->rho1 * nx + s * tx, c->rho1 * ny + s * ty, nx, ny);
        if (!(g1 * pol > EDGE_MIN))
            continue;
        float g2 = normal_grad(k, c->rho2 * nx + s * tx, c->rho2 * ny + s * ty, nx, ny);
        if (!(g2 * -pol > EDGE_MIN))
            continue;
        float in[3], o1[3], o2[3];
        int ok = color_at(k, rc * nx + s * tx, rc * ny + s * ty, in) &&
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

/* The barrel at full resolution: profiles across the axis at nine points of
 * the visible barrel; in each, the outline is the outermost strong colour
 * edge on either side (a hexagonal barrel's facet edges lie inside it, a
 * soft shadow is weak), located to sub-pixel by a parabola. The width is the
 * median; fewer than three profiles agreeing with it (or under half of
 * those measured), or a median far from the working estimate, means the
 * band was not a barrel (a ruled line blurred by the downscale, a finger's
 * rounded side): returns 0. Else the width, and the axis offsets along n at
 * both ends from a line fit of the agreeing profiles' centres. */
static int refine_barrel(const ps_image *img, ps_vec2 p0, ps_vec2 p1, ps_vec2 n, float w_est, float *width,
                         float *off0, float *off1)
{
    float widths[9], ts[9], cs[9];
    int nw = 0, measured = 0, inside = 0;
    *off0 = *off1 = 0;
    *width = w_est;
    /* wide enough to see the outline from a facet band inside it */
    int half = (int)ceilf(w_est) + 3;
    if (half > 300)
        return 1;  /* very wide: keep the working estimate */
    float prof[3][2 * 300 + 1], der[2 * 300 + 1];
    for (int k = 1; k <= 9; k++) {
        float t = k / 10.0f;
        ps_vec2 c = ps_v2_add(p0, ps_v2_scale(ps_v2_sub(p1, p0), t));
        int ok = 1;
        for (int i = -half; i <= half && ok; i++) {
            float x = c.x + i * n.x, y = c.y + i * n.y;
            int xi = (int)floorf(x), yi = (int)floorf(y);
            if (xi < 0 || yi < 0 || xi + 1 >= img->width || yi + 1 >= img->height) {
                ok = 0;
                break;
            }
            float fx = x - xi, fy = y - yi;
            for (int ch = 0; ch < 3; ch++) {
                const uint8_t *r0 = img->data + (size_t)yi * img->stride + (size_t)xi * 3 + ch;
                const uint8_t *r1 = r0 + img->stride;
                prof[ch][i + half] = (1 - fy) * ((1 - fx) * r0[0] + fx * r0[3]) + fy * ((1 - fx) * r1[0] + fx * r1[3]);
            }
        }
        if (!ok)
            continue;
        inside++;
        int m = 2 * half + 1;
        der[0] = der[m - 1] = 0;
        float max1 = 0, max2 = 0;
        for (int i = 1; i < m - 1; i++) {
            float d = 0;
            for (int ch = 0; ch < 3; ch++)
                d = fmaxf(d, fabsf(prof[ch][i + 1] - prof[ch][i - 1]));
            der[i] = d;
            if (i < half)
                max1 = fmaxf(max1, d);
            else if (i > half)
                max2 = fmaxf(max2, d);
        }
        if (max1 < 20 || max2 < 20)
            continue;
        /* outermost strong edge on each side, then up to its local maximum */
        int i1 = 1, i2 = m - 2;
        while (i1 < half && der[i1] < 0.5f * max1)
            i1++;
        while (i1 + 1 < half && der[i1 + 1] > der[i1])
            i1++;
        while (i2 > half && der[i2] < 0.5f * max2)
            i2--;
        while (i2 - 1 > half && der[i2 - 1] > der[i2])
            i2--;
        if (i1 < 1 || i2 > m - 2 || i2 <= i1)
            continue;
        float e[2];
        int idx[2] = {i1, i2};
        for (int j = 0; j < 2; j++) {
            int i = idx[j];
            float a = der[i - 1], b = der[i], cc = der[i + 1];
            float den = a - 2 * b + cc;
            e[j] = i + (fabsf(den) > 1e-6f ? clampf(0.5f * (a - cc) / den, -0.5f, 0.5f) : 0);
        }
        ts[nw] = t;
        cs[nw] = 0.5f * (e[0] + e[1]) - half;
        widths[nw++] = e[1] - e[0];
        measured++;
    }
    if (inside == 0)
        return 1;  /* no profile inside the image: keep the working estimate */
    if (nw < 3)
        return 0;  /* no clear outline on both sides */
    /* the outline width: the median; the profiles that agree with it within
     * 15% must be at least three and a majority, and it must be near the
     * working estimate (a facet band inside the barrel is about 2/3 of it) */
    float sorted[9];
    for (int i = 0; i < nw; i++)
        sorted[i] = widths[i];
    for (int i = 1; i < nw; i++)
        for (int j = i; j > 0 && sorted[j] < sorted[j - 1]; j--) {
            float tmp = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = tmp;
        }
    float med = sorted[nw / 2];
    if (med < 0.6f * w_est || med > 1.7f * w_est)
        return 0;
    int agree = 0;
    for (int i = 0; i < nw; i++) {
        if (fabsf(widths[i] - med) <= 0.15f * med) {
            ts[agree] = ts[i];
            cs[agree] = cs[i];
            widths[agree] = widths[i];
            agree++;
        }
    }
    if (agree < 3 || 2 * agree < measured)
        return 0;
    nw = agree;
    /* the axis offset along n at both ends, from a line fit of the centres */
    float mt = 0, mc = 0, stt = 0, stc = 0;
    for (int i = 0; i < nw; i++)
        mt += ts[i] / nw, mc += cs[i] / nw;
    for (int i = 0; i < nw; i++)
        stt += (ts[i] - mt) * (ts[i] - mt), stc += (ts[i] - mt) * (cs[i] - mc);
    float slope = stt > 0 ? stc / stt : 0;
    float o0 = mc - slope * mt, o1 = mc + slope * (1 - mt);
    if (fabsf(o0) < 0.6f * w_est && fabsf(o1) < 0.6f * w_est)
        *off0 = o0, *off1 = o1;
    *width = med;
    return 1;
}

ps_status ps_grip_find_pencil(const ps_image *img, const float (*lm)[3], const ps_grip_thresholds_t *th,
                              ps_grip_pencil *out)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "pencil finder: out is NULL");
    memset(out, 0, sizeof *out);
    out->why_not = "not searched";
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
        if (!(hs >= th->pencil_min_hand_px) || !(hs >= 4)) {
            out->why_not = "the hand is too small in the image to see a pencil";
            return PS_OK;
        }
        /* the pencil continues past the fingers: one hand scale of margin */
        x0 = (int)fmaxf(0, floorf(bx0 - hs));
        y0 = (int)fmaxf(0, floorf(by0 - hs));
        x1 = (int)fminf((float)img->width, ceilf(bx1 + hs));
        y1 = (int)fminf((float)img->height, ceilf(by1 + hs));
        if (x1 - x0 < 16 || y1 - y0 < 16) {
            out->why_not = "the hand is outside the image";
            return PS_OK;
        }
    }
    work k;
    memset(&k, 0, sizeof k);
    float *acc = NULL;
    ps_status rc = work_build(img, x0, y0, x1, y1, &k);
    if (rc) {
        work_free(&k);
        if (rc == PS_ERR_INVALID_ARG) {
            out->why_not = "the region around the hand is too small";
            return PS_OK;
        }
        return rc;
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
            int tb = (int)lrintf(th_ * N_THETA / (float)M_PI);
            if (tb >= N_THETA) {
                /* rounded onto the seam: the same line with the normal flipped */
                tb -= N_THETA;
                pol = !pol;
            }
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
    /* cells under 5% of the strongest line cannot make a barrel edge
     * worth walking: skipping them keeps the local-maximum test cheap */
    float amax = 0;
    for (size_t i = 0; i < nacc; i++)
        if (acc[i] > amax)
            amax = acc[i];
    float floor_v = fmaxf(EDGE_MIN * 8, 0.05f * amax);
    for (int p = 0; p < 2; p++) {
        for (int t = 0; t < N_THETA; t++)
            for (int r = 1; r < nr - 1; r++) {
                float v = acc[((size_t)p * N_THETA + t) * nr + r];
                if (v < floor_v)
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
                /* keep the N_PEAKS strongest, sorted: insertion */
                if (npk[p] == N_PEAKS && v <= peaks[p][N_PEAKS - 1].v)
                    continue;
                int at = npk[p] < N_PEAKS ? npk[p]++ : N_PEAKS - 1;
                while (at > 0 && peaks[p][at - 1].v < v) {
                    peaks[p][at] = peaks[p][at - 1];
                    at--;
                }
                peaks[p][at] = (peak){v, t, r - diag};
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
    float min_len_abs = (float)th->pencil_min_len_rel * ref / k.scale;
    /* pairs ranked by their weaker edge's Hough votes; only the strongest
     * MAX_CANDS are walked (walking is the costly step) */
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
            /* polarity 0 peaks have their gradient along +normal */
            c.pol = a.r < b.r ? 1 : -1;
            c.prior = fminf(a.v, b.v);
            /* neighbouring Hough peaks of one band: keep the stronger pair */
            int dup = -1;
            for (int q = 0; q < ncand && dup < 0; q++)
                if (fabsf(cands[q].theta - c.theta) <= 1.5f * (float)M_PI / N_THETA &&
                    fabsf(cands[q].rho1 - c.rho1) <= 2 && fabsf(cands[q].rho2 - c.rho2) <= 2)
                    dup = q;
            if (dup >= 0) {
                if (c.prior > cands[dup].prior)
                    cands[dup] = c;
                continue;
            }
            if (ncand < MAX_CANDS) {
                cands[ncand++] = c;
            } else {
                int worst = 0;
                for (int q = 1; q < ncand; q++)
                    if (cands[q].prior < cands[worst].prior)
                        worst = q;
                if (c.prior > cands[worst].prior)
                    cands[worst] = c;
            }
        }
    /* the hand's own colours: small patches along the palm and the fingers
     * (lighting changes across a hand, so one palm sample is not enough;
     * the pencil may cover one or two of the patches) */
    float skin[N_SKIN][3];
    int n_skin = 0;
    if (lm) {
        static const int pairs[N_SKIN][2] = {
            {0, 0}, {5, 5}, {9, 9}, {13, 13}, {17, 17}, {0, 1}, {1, 2}, {2, 3}, {5, 6},
            {6, 7}, {9, 10}, {10, 11}, {13, 14}, {14, 15}, {17, 18}, {18, 19},
        };
        for (int q = 0; q < N_SKIN; q++) {
            ps_vec2 pc = ps_v2_scale(ps_v2_add(lm2(lm, pairs[q][0]), lm2(lm, pairs[q][1])), 0.5f);
            pc = ps_v2((pc.x - k.ox + 0.5f) / k.scale - 0.5f, (pc.y - k.oy + 0.5f) / k.scale - 0.5f);
            float acc3[3] = {0, 0, 0};
            int cnt = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    float c3[3];
                    if (color_at(&k, pc.x + dx, pc.y + dy, c3)) {
                        for (int j = 0; j < 3; j++)
                            acc3[j] += c3[j];
                        cnt++;
                    }
                }
            if (cnt) {
                for (int j = 0; j < 3; j++)
                    skin[n_skin][j] = acc3[j] / cnt;
                n_skin++;
            }
        }
    }
    /* the scene around the hand: patches on a ring just outside it; a band
     * of that colour between two fingers is the background seen through the
     * gap, not a pencil */
    float scene[N_SCENE][3];
    int n_scene = 0;
    if (lm) {
        ps_vec2 ctr = ps_v2(0, 0);
        for (int i = 0; i < LM_COUNT; i++)
            ctr = ps_v2_add(ctr, ps_v2_scale(lm2(lm, i), 1.0f / LM_COUNT));
        float rad = 0;
        for (int i = 0; i < LM_COUNT; i++)
            rad = fmaxf(rad, ps_v2_dist(ctr, lm2(lm, i)));
        rad += 0.4f * hs;
        for (int q = 0; q < N_SCENE; q++) {
            float a = q * 2 * (float)M_PI / N_SCENE;
            ps_vec2 pc = ps_v2(ctr.x + rad * cosf(a), ctr.y + rad * sinf(a));
            pc = ps_v2((pc.x - k.ox + 0.5f) / k.scale - 0.5f, (pc.y - k.oy + 0.5f) / k.scale - 0.5f);
            float c3[3];
            if (color_at(&k, pc.x, pc.y, c3)) {
                for (int j = 0; j < 3; j++)
                    scene[n_scene][j] = c3[j];
                n_scene++;
            }
        }
    }
    /* walk the candidates strongest first, in batches: once a batch has
     * given a band running past two fingertips, weaker pairs are not walked
     * (they would only lose to it) */
    for (int i = 1; i < ncand; i++)
        for (int j = i; j > 0 && cands[j].prior > cands[j - 1].prior; j--) {
            cand t = cands[j];
            cands[j] = cands[j - 1];
            cands[j - 1] = t;
        }
    int good = 0;
    for (int q = 0; q < ncand; q++) {
        if (good && q % 8 == 0) {
            for (int r = q; r < ncand; r++)
                cands[r].score = 0;
            break;
        }
        cand *c = &cands[q];
        snap_band(&k, c);
        float wdt = c->rho2 - c->rho1;
        if (wdt < wmin || wdt > wmax)
            continue;
        verify(&k, c, fmaxf(min_len * wdt, min_len_abs), sup);
        if (c->score <= 0)
            continue;
        if (lm) {
            /* in contact with the hand: the axis passes near the thumb or
             * index tip, and the visible barrel reaches to within a hand
             * scale of them along the axis (the fingers hide the rest) */
            float nx = cosf(c->theta), ny = sinf(c->theta), rc = 0.5f * (c->rho1 + c->rho2);
            float reach = (float)th->pencil_reach_rel * hs / k.scale, along = hs / k.scale;
            int near = 0;
            for (int tpt = 0; tpt < 2 && !near; tpt++) {
                ps_vec2 f = lm2(lm, tpt ? LM_INDEX_TIP : LM_THUMB_TIP);
                f = ps_v2((f.x - k.ox + 0.5f) / k.scale - 0.5f, (f.y - k.oy + 0.5f) / k.scale - 0.5f);
                float across = fabsf(f.x * nx + f.y * ny - rc), s = -f.x * ny + f.y * nx;
                near = across <= reach && s >= c->s0 - along && s <= c->s1 + along;
            }
            if (!near) {
                c->score = 0;
                continue;
            }
            /* a held pencil runs past several fingertips (thumb, index,
             * middle); a finger-shaped blob beside the hand touches one */
            static const int tips[6] = {LM_THUMB_TIP, LM_THUMB_IP, LM_INDEX_TIP, LM_INDEX_DIP, LM_MIDDLE_TIP,
                                        LM_MIDDLE_DIP};
            int touching = 0;
            for (int d = 0; d < 3; d++) {
                int hit = 0;
                for (int e = 0; e < 2 && !hit; e++) {
                    ps_vec2 f = lm2(lm, tips[2 * d + e]);
                    f = ps_v2((f.x - k.ox + 0.5f) / k.scale - 0.5f, (f.y - k.oy + 0.5f) / k.scale - 0.5f);
                    hit = fabsf(f.x * nx + f.y * ny - rc) <= th->contact_rel * hs / k.scale;
                }
                touching += hit;
            }
            /* held, not lying near: at least two of them on it (every grasp
             * of the taxonomy has two; a pipe or table edge behind the hand
             * passes one fingertip by chance) */
            if (touching < 2) {
                c->score = 0;
                continue;
            }
            c->score *= 0.4f + 0.2f * touching;
            c->touching = touching;
            good = 1;
            /* and it runs through the pinch, between (or along) the thumb and
             * index pads */
            ps_vec2 pinch = ps_v2_scale(ps_v2_add(lm2(lm, LM_THUMB_TIP), lm2(lm, LM_INDEX_TIP)), 0.5f);
            pinch = ps_v2((pinch.x - k.ox + 0.5f) / k.scale - 0.5f, (pinch.y - k.oy + 0.5f) / k.scale - 0.5f);
            float dp = fabsf(pinch.x * nx + pinch.y * ny - rc) / (0.3f * hs / k.scale);
            c->score /= 1 + dp * dp;
            /* a band the colour of the hand's own skin is a finger (an
             * extended finger is a straight band as long as a pencil stub)
             * or the gap between curled ones: never taken for a pencil, so a
             * skin-coloured crayon is missed rather than a finger reported.
             * Like skin: within SKIN_DIST of three of the hand's patches */
            int like_skin = 0;
            for (int q = 0; q < n_skin; q++)
                like_skin += color_dist(c->color, skin[q]) < SKIN_DIST;
            int like_scene = 0;
            for (int q = 0; q < n_scene; q++)
                like_scene += color_dist(c->color, scene[q]) < SCENE_DIST;
            if (like_skin >= 3 || like_scene >= 3) {
                c->score = 0;
                continue;
            }
        }
    }
    /* the best band, re-chosen when the full-resolution check rejects it */
    float wk = 0, nx = 0, ny = 0, rcen = 0, width = 0;
    ps_vec2 side = ps_v2(0, 0);
#define TO_FULL(v) ps_v2(k.ox + k.scale * ((v).x + 0.5f) - 0.5f, k.oy + k.scale * ((v).y + 0.5f) - 0.5f)
#define TO_WORK(v) ps_v2(((v).x - k.ox + 0.5f) / k.scale - 0.5f, ((v).y - k.oy + 0.5f) / k.scale - 0.5f)
    int accepted = 0;
    for (int attempt = 0; attempt < 8 && !accepted; attempt++) {
        int bi = -1;
        for (int i = 0; i < ncand; i++)
            if (cands[i].score > 0 && (bi < 0 || cands[i].score > cands[bi].score))
                bi = i;
        if (bi < 0)
            break;
        /* facets of a hexagonal barrel make bands inside the outline: prefer
         * a band that contains the best one and is nearly as well supported */
        for (int again = 1; again;) {
            again = 0;
            for (int i = 0; i < ncand; i++) {
                cand *c = &cands[i], *b = &cands[bi];
                if (c->score <= 0 || i == bi)
                    continue;
                if (fabsf(c->theta - b->theta) <= 2.5f * (float)M_PI / N_THETA && c->rho1 <= b->rho1 + 0.5f &&
                    c->rho2 >= b->rho2 - 0.5f && c->rho2 - c->rho1 > b->rho2 - b->rho1 + 1 &&
                    c->score >= 0.6f * b->score) {
                    bi = i;
                    again = 1;
                }
            }
        }
        best = cands[bi];
        cands[bi].score = 0;  /* not tried again */
        /* 1. the barrel at full resolution: sub-pixel width, and the axis
         * moved onto the edge centres (the Hough line is quantised and facet
         * edges pull it sideways) */
        wk = best.rho2 - best.rho1;
        nx = cosf(best.theta), ny = sinf(best.theta), rcen = 0.5f * (best.rho1 + best.rho2);
        side = ps_v2(nx, ny);
        ps_vec2 b0f = TO_FULL(ps_v2(rcen * nx - best.s0 * ny, rcen * ny + best.s0 * nx));
        ps_vec2 b1f = TO_FULL(ps_v2(rcen * nx - best.s1 * ny, rcen * ny + best.s1 * nx));
        float off0, off1;
        if (!refine_barrel(img, b0f, b1f, side, wk * k.scale, &width, &off0, &off1))
            continue;
        accepted = 1;
        ps_vec2 p0 = TO_WORK(ps_v2_add(b0f, ps_v2_scale(side, off0)));
        ps_vec2 p1 = TO_WORK(ps_v2_add(b1f, ps_v2_scale(side, off1)));
        ps_vec2 d = ps_v2_sub(p1, p0);
        float l = ps_v2_len(d);
        if (l > 1) {
            float mx = d.y / l, my = -d.x / l;  /* normal of the refined line */
            if (mx * nx + my * ny < 0)
                mx = -mx, my = -my;             /* same side as before: polarity holds */
            nx = mx, ny = my;
            best.theta = atan2f(ny, nx);
            rcen = p0.x * nx + p0.y * ny;
            best.rho1 = rcen - 0.5f * wk;
            best.rho2 = rcen + 0.5f * wk;
            float s0 = -p0.x * ny + p0.y * nx, s1 = -p1.x * ny + p1.y * nx;
            best.s0 = fminf(s0, s1);
            best.s1 = fmaxf(s0, s1);
            side = ps_v2(nx, ny);
        }
    }
    if (!accepted) {
        ps_free(sup);
        work_free(&k);
        out->why_not = lm ? "no straight barrel of pencil width running past two fingertips"
                          : "no straight barrel of pencil width";
        return PS_OK;
    }
    ps_vec2 e0 = ps_v2(rcen * nx - best.s0 * ny, rcen * ny + best.s0 * nx);
    ps_vec2 e1 = ps_v2(rcen * nx - best.s1 * ny, rcen * ny + best.s1 * nx);
    ps_vec2 dir = ps_v2(-ny, nx);  /* from e0 to e1 */
    /* 2. which end writes: the one nearer the pinch (thumb and index tips) */
    int tip_is_e0 = 1;
    if (lm) {
        ps_vec2 pinch = ps_v2_scale(ps_v2_add(lm2(lm, LM_THUMB_TIP), lm2(lm, LM_INDEX_TIP)), 0.5f);
        pinch = TO_WORK(pinch);
        tip_is_e0 = ps_v2_dist(pinch, e0) <= ps_v2_dist(pinch, e1);
        /* the writing end lies beyond the fingertips, away from the
         * knuckles: along the axis, from the MCPs' mean towards the thumb,
         * index and middle tips' mean (the pinch alone misleads when the
         * visible barrel is only the stretch between the fingers and the
         * tip); fisted grasps, where both project alike, keep the pinch rule */
        {
            static const int tips3[3] = {LM_THUMB_TIP, LM_INDEX_TIP, LM_MIDDLE_TIP};
            static const int mcps[4] = {LM_INDEX_MCP, LM_MIDDLE_MCP, LM_RING_MCP, LM_LITTLE_MCP};
            float sf = 0, sh = 0;
            for (int q = 0; q < 3; q++) {
                ps_vec2 f = TO_WORK(lm2(lm, tips3[q]));
                sf += ps_v2_dot(f, dir) / 3;
            }
            for (int q = 0; q < 4; q++) {
                ps_vec2 f = TO_WORK(lm2(lm, mcps[q]));
                sh += ps_v2_dot(f, dir) / 4;
            }
            if (fabsf(sf - sh) > 0.15f * hs / k.scale)
                tip_is_e0 = sf < sh;  /* e0 is the end at smaller dir coordinates */
        }
        /* the barrel continues past the fingers: further stretches of both
         * edges on the same line, beyond the fingers, up to a hand scale */
        float smax = hypotf((float)k.w, (float)k.h);
        float reach = hs / k.scale;
        cand again = best;
        verify(&k, &again, 0, sup);
        int run = 0;
        if (tip_is_e0) {
            for (int i = (int)(best.s0 + smax) - 1; i >= 0 && -smax + i >= best.s0 - reach; i--) {
                run = sup[i] ? run + 1 : 0;
                if (run >= 0.5f * wk)
                    e0 = ps_v2(rcen * nx - (-smax + i) * ny, rcen * ny + (-smax + i) * nx);
            }
        } else {
            int n = (int)(2 * smax) + 1;
            for (int i = (int)(best.s1 + smax) + 1; i < n && -smax + i <= best.s1 + reach; i++) {
                run = sup[i] ? run + 1 : 0;
                if (run >= 0.5f * wk)
                    e1 = ps_v2(rcen * nx - (-smax + i) * ny, rcen * ny + (-smax + i) * nx);
            }
        }
    }
    ps_free(sup);
    /* 3. follow the axis past the barrel end over the cone and the lead: the
     * last point whose colour is not the surface's (the cone's sides may be
     * hidden by the finger pads, so only the axis itself is looked at); a
     * width of surface ends the walk */
    ps_vec2 tip = tip_is_e0 ? e0 : e1, far = tip_is_e0 ? e1 : e0;
    ps_vec2 out_dir = tip_is_e0 ? ps_v2_scale(dir, -1) : dir;
    float walked = 0, bg_run = 0;
    float bg_thr = fmaxf(20, fminf(60, 0.35f * best.bg_contrast));
    float walk_max = 4 * wk;
    if (lm) {
        /* when the fingers cover the cone's base the walk crosses them: up to
         * the pinch's foot on the axis, then the usual 4 widths */
        ps_vec2 pinch = TO_WORK(ps_v2_scale(ps_v2_add(lm2(lm, LM_THUMB_TIP), lm2(lm, LM_INDEX_TIP)), 0.5f));
        float beyond = ps_v2_dot(ps_v2_sub(pinch, tip), out_dir);
        if (beyond > 0)
            walk_max = beyond + 4 * wk;
    }
    for (float st = 1; st <= walk_max && bg_run < wk; st += 1) {
        ps_vec2 p = ps_v2_add(tip, ps_v2_scale(out_dir, st));
        float c[3];
        if (!color_at(&k, p.x, p.y, c))
            break;
        if (color_dist(c, best.bg) > bg_thr) {
            walked = st;
            bg_run = 0;
        } else {
            bg_run += 1;
        }
    }
    tip = ps_v2_add(tip, ps_v2_scale(out_dir, walked));
    ps_vec2 tip_f = TO_FULL(tip), far_f = TO_FULL(far);
#undef TO_FULL
#undef TO_WORK
    float frac = best.supported / (best.s1 - best.s0 + 1);
    float conf = clampf(frac, 0, 1) * fminf(1, best.contrast / 60) *
                 fminf(1, best.supported / (2 * fmaxf(min_len * wk, min_len_abs)));
    work_free(&k);
    if (conf < th->pencil_min_confidence) {
        out->why_not = "a barrel-like band, too faint or too broken to be sure";
        return PS_OK;
    }
    out->found = 1;
    out->why_not = NULL;
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
