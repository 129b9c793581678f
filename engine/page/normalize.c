/* Page normalisation: gray and shrink, deskew, flatten the light, Sauvola
 * binarisation. Plain C, one pass per step, no allocation inside loops. */
#include "page/page_internal.h"
#include "page/kernels/pk.h"
#include "core/pool.h"
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

/* One RGB (or gray) input row to 8-bit gray, the same integer weights as
 * everywhere in penscope. */
static void row_to_gray(const uint8_t *q, int C, int n, uint8_t *d)
{
    if (C == 1) {
        memcpy(d, q, (size_t)n);
        return;
    }
    if (C == 3) {
        pk_kernels()->rgb_to_gray(q, n, d);
        return;
    }
    for (int x = 0; x < n; x++)
        d[x] = (uint8_t)((q[(size_t)x * C] * 77u + q[(size_t)x * C + 1] * 150u + q[(size_t)x * C + 2] * 29u + 128u) >> 8);
}

/* out[i] = sum over k < K of w[i*K+k] * r[first[i]+k] (r padded with K zeros) */
static void shrink_row(const float *r, const int *first, const float *w, int K, int n, uint8_t *d)
{
    for (int i = 0; i < n; i++) {
        const float *ww = w + (size_t)i * K, *rr = r + first[i];
        float sum = 0;
        for (int k = 0; k < K; k++)
            sum += ww[k] * rr[k];
        float v = sum + 0.5f;
        d[i] = (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v);
    }
}

/* The rows-first area shrink, split by output rows over threads: a thread
 * replays the sequence of output rows (cheap arithmetic) up to its first
 * one, so every output row sums the same input rows with the same weights
 * in the same order as one thread would. */
typedef struct shrink_job {
    const ps_image *img;
    ps_image *gray;     /* the rectangle's pixels */
    const int *fx;      /* per output column of the rectangle: its first input column */
    const float *wx, *w4;
    int KX, pad;
    double inv;
    int xs, xe;         /* the input columns the rectangle reads */
    int oy0, oy1;       /* its output rows (its columns: gray->width of them) */
    float *scratch;     /* per thread: two rows of IW + pad floats */
    uint8_t *gbuf;      /* per thread: IW bytes (4-channel input) */
} shrink_job;

static void shrink_rows(void *ctx, int ith, int nth)
{
    const shrink_job *j = ctx;
    const ps_image *img = j->img;
    int IW = img->width, IH = img->height, W = j->gray->width, C = img->channels, xs = j->xs, n = j->xe - xs;
    int oa, ob;
    ps_split(j->oy1 - j->oy0, ith, nth, &oa, &ob);
    if (oa >= ob)
        return;
    oa += j->oy0;
    ob += j->oy0;
    const pk_table *pk = pk_kernels();
    float *acc = j->scratch + (size_t)ith * 2 * ((size_t)IW + j->pad), *acc_next = acc + IW + j->pad;
    uint8_t *g = j->gbuf + (size_t)ith * IW;
    memset(acc, 0, sizeof(float) * 2 * ((size_t)IW + j->pad)); /* the pads stay zero */
    int oy = 0, iy = 0;
    if (oa > 0) {
        /* the input row that finishes output row oa - 1 gives row oa its first share */
        for (;; iy++) {
            double hi = iy + 1, cut = (oy + 1) * j->inv;
            if (hi >= cut - 1e-9 || iy == IH - 1) {
                if (oy == oa - 1) {
                    float w_next = (float)(hi > cut ? (hi - cut) / j->inv : 0);
                    const uint8_t *q = img->data + (size_t)iy * img->stride + (size_t)xs * C;
                    if (w_next != 0) {
                        if (C == 1 || C == 3) {
                            pk->gray_accum(q, C, n, w_next, acc + xs, 0, acc_next + xs);
                        } else {
                            row_to_gray(q, C, n, g + xs);
                            for (int x = xs; x < xs + n; x++)
                                acc[x] += w_next * g[x];
                        }
                    }
                    oy = oa;
                    iy++;
                    break;
                }
                oy++;
            }
        }
    }
    for (; iy < IH; iy++) {
        const uint8_t *q = img->data + (size_t)iy * img->stride + (size_t)xs * C;
        /* the input row [iy, iy+1) splits between output rows at (oy+1)*inv */
        double lo = iy, hi = iy + 1, cut = (oy + 1) * j->inv;
        float w_this = (float)(((hi < cut ? hi : cut) - lo) / j->inv),
              w_next = (float)(hi > cut ? (hi - cut) / j->inv : 0);
        if (C == 1 || C == 3) {
            pk->gray_accum(q, C, n, w_this, acc + xs, w_next, acc_next + xs);
        } else {
            row_to_gray(q, C, n, g + xs);
            for (int x = xs; x < xs + n; x++)
                acc[x] += w_this * g[x];
            if (w_next != 0)
                for (int x = xs; x < xs + n; x++)
                    acc_next[x] += w_next * g[x];
        }
        if (hi >= cut - 1e-9 || iy == IH - 1) {
            uint8_t *d = j->gray->data + (size_t)(oy - j->oy0) * j->gray->stride;
            if (j->w4)
                pk->shrink_row4(acc, j->fx, j->w4, W, d);
            else
                shrink_row(acc, j->fx, j->wx, j->KX, W, d);
            float *t = acc;
            acc = acc_next;
            acc_next = t;
            memset(acc_next + xs, 0, sizeof(float) * n);
            if (++oy >= ob)
                break;
        }
    }
    for (; oy < ob; oy++) { /* rounding left a last row unfinished: repeat the one above, or paper */
        uint8_t *d = j->gray->data + (size_t)(oy - j->oy0) * j->gray->stride;
        if (oy > oa)
            memcpy(d, d - j->gray->stride, (size_t)W);
        else
            memset(d, 255, (size_t)W);
    }
}

/* At full size: each row to gray, rows split over threads. */
typedef struct gray_job {
    const ps_image *img;
    ps_image *gray;
} gray_job;

static void gray_rows(void *ctx, int ith, int nth)
{
    const gray_job *j = ctx;
    int y0, y1;
    ps_split(j->gray->height, ith, nth, &y0, &y1);
    for (int y = y0; y < y1; y++)
        row_to_gray(j->img->data + (size_t)y * j->img->stride, j->img->channels, j->gray->width,
                    j->gray->data + (size_t)y * j->gray->stride);
}

void pg_gray_size(const ps_image *img, double scale, int *W, int *H)
{
    if (!(scale > 0) || scale > 1)
        scale = 1;
    *W = (int)lround(img->width * scale);
    *H = (int)lround(img->height * scale);
    if (*W < 1)
        *W = 1;
    if (*H < 1)
        *H = 1;
}

/* Columns [ox0, ox0 + out->width) and rows [oy0, oy0 + out->height) of img
 * shrunk to W x H (smaller) into out: every pixel as the whole shrink makes it.
 * Area averaging, rows first: each input row once to gray, added with its
 * vertical weights into the (at most two) output rows it overlaps; a
 * finished output row is then shrunk along x (K taps per pixel). */
static ps_status shrink_rect(ps_pool *pool, const ps_image *img, int W, int H, int ox0, int oy0, ps_image *out)
{
    int IW = img->width, nx = out->width;
    int nth = ps_pool_size(pool);
    if (nth > out->height)
        nth = out->height;
    shrink_job j = {img, out, NULL, NULL, NULL, (int)ceil((double)IW / W) + 1, 0, (double)img->height / H, 0, 0,
                    oy0, oy0 + out->height, NULL, NULL};
    j.pad = j.KX > 4 ? j.KX : 4;
    int *fx = ps_malloc(sizeof(int) * (size_t)W);
    float *wx = ps_malloc(sizeof(float) * (size_t)W * j.KX);
    /* up to four taps (shrinks to a third and more): the taps one after the
     * other (zero weights pad), for the kernel */
    float *w4 = j.KX <= 4 ? ps_malloc(sizeof(float) * 4 * (size_t)nx) : NULL;
    j.scratch = ps_malloc(sizeof(float) * 2 * ((size_t)IW + j.pad) * nth);
    j.gbuf = ps_malloc((size_t)IW * nth);
    if (!fx || !wx || (j.KX <= 4 && !w4) || !j.scratch || !j.gbuf) {
        ps_free(fx);
        ps_free(wx);
        ps_free(w4);
        ps_free(j.scratch);
        ps_free(j.gbuf);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    area_weights(IW, W, j.KX, fx, wx);
    if (w4)
        for (int i = 0; i < nx; i++)
            for (int k = 0; k < 4; k++)
                w4[(size_t)k * nx + i] = k < j.KX ? wx[(size_t)(ox0 + i) * j.KX + k] : 0.0f;
    /* the input columns the rectangle's taps reach (the rest of the rows
     * stay zero: their weights are) */
    j.xs = fx[ox0];
    j.xe = fx[ox0 + nx - 1] + j.KX < IW ? fx[ox0 + nx - 1] + j.KX : IW;
    j.fx = fx + ox0;
    j.wx = wx + (size_t)ox0 * j.KX;
    j.w4 = w4;
    ps_pool_run_n(pool, nth, shrink_rows, &j);
    ps_free(fx);
    ps_free(wx);
    ps_free(w4);
    ps_free(j.scratch);
    ps_free(j.gbuf);
    return PS_OK;
}

ps_status pg_to_gray(pg_ws *ws, ps_pool *pool, const ps_image *img, double scale, ps_image *gray)
{
    int W, H;
    pg_gray_size(img, scale, &W, &H);
    ps_status rc = pg_image_get(ws, gray, W, H);
    if (rc != PS_OK)
        return rc;
    if (W == img->width && H == img->height) {
        int nth = ps_pool_size(pool);
        gray_job gj = {img, gray};
        ps_pool_run_n(pool, nth < H ? nth : H, gray_rows, &gj);
        return PS_OK;
    }
    rc = shrink_rect(pool, img, W, H, 0, 0, gray);
    if (rc != PS_OK)
        pg_image_put(ws, gray);
    return rc;
}

ps_status pg_to_gray_rect(ps_pool *pool, const ps_image *img, double scale, int x0, int y0, int w, int h,
                          ps_image *out)
{
    int W, H;
    pg_gray_size(img, scale, &W, &H);
    if (x0 < 0 || y0 < 0 || w < 1 || h < 1 || x0 + w > W || y0 + h > H)
        return ps_fail(PS_ERR_INVALID_ARG, "pg_to_gray_rect: the rectangle is not in the %dx%d image", W, H);
    ps_status rc = pg_image_get(NULL, out, w, h);
    if (rc != PS_OK)
        return rc;
    if (W == img->width && H == img->height) {
        for (int y = 0; y < h; y++)
            row_to_gray(img->data + (size_t)(y0 + y) * img->stride + (size_t)x0 * img->channels, img->channels, w,
                        out->data + (size_t)y * out->stride);
        return PS_OK;
    }
    rc = shrink_rect(pool, img, W, H, x0, y0, out);
    if (rc != PS_OK)
        pg_image_put(NULL, out);
    return rc;
}

/* Sum of squared row counts of the dark pixels (xs, ys) after shearing by
 * tan t: sharp peaks (text lines and ruling aligned with rows) give the
 * largest value. The row of (x, y) is y + lround(-x tan t): per column once.
 * Not inlined into its caller: GCC's code for it alone is the faster. */
__attribute__((noinline)) static double profile_energy(const int16_t *xs, const int16_t *ys, size_t n, int w,
                                                       double t, int *rows, int nrows, int off, int *colshift)
{
    memset(rows, 0, sizeof(int) * nrows);
    for (int x = 0; x < w; x++)
        colshift[x] = (int)lround(-x * t) + off;
    for (size_t i = 0; i < n; i++) {
        int r = ys[i] + colshift[xs[i]];
        if (r >= 0 && r < nrows)
            rows[r]++;
    }
    double e = 0;
    for (int i = 0; i < nrows; i++)
        e += (double)rows[i] * rows[i];
    return e;
}

/* The skew search's per-pixel passes split over threads: the dark copy by
 * rows (with a histogram per thread, added up), and the candidate angles'
 * energies by angle (each computed whole by one thread, the best picked in
 * angle order after). */
#define SKEW_MAXA 24
#define SKEW_F 4 /* the dark copy's block side (a constant: the loops over a block unroll) */
typedef struct skew_job {
    const ps_image *gray;
    int w, h;
    uint8_t *dark;
    uint8_t *colmin;   /* per thread: w * f */
    long (*hist)[256]; /* per thread */
    const int16_t *xs, *ys;
    size_t n;
    int *rows;         /* per thread: nrows + w */
    int nrows, off, na;
    double a[SKEW_MAXA], e[SKEW_MAXA];
} skew_job;

static void skew_dark(void *ctx, int ith, int nth)
{
    skew_job *j = ctx;
    const ps_image *gray = j->gray;
    const int f = SKEW_F;
    int w = j->w, y0, y1;
    ps_split(j->h, ith, nth, &y0, &y1);
    uint8_t *restrict colmin = j->colmin + (size_t)ith * w * f;
    long hist[256] = {0}; /* local: the byte stores below cannot touch it */
    for (int y = y0; y < y1; y++) {
        /* the minimum of each f x f block: down the f rows, then across */
        const uint8_t *r0 = gray->data + (size_t)y * f * gray->stride;
        memcpy(colmin, r0, (size_t)w * f);
        for (int yy = 1; yy < f; yy++) {
            const uint8_t *restrict r = r0 + (size_t)yy * gray->stride;
            for (int x = 0; x < w * f; x++)
                colmin[x] = r[x] < colmin[x] ? r[x] : colmin[x];
        }
        uint8_t *restrict d = j->dark + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            unsigned m = colmin[x * f];
            for (int xx = 1; xx < f; xx++)
                m = colmin[x * f + xx] < m ? colmin[x * f + xx] : m;
            d[x] = (uint8_t)m;
            hist[m]++;
        }
    }
    memcpy(j->hist[ith], hist, sizeof hist);
}

static void skew_energies(void *ctx, int ith, int nth)
{
    skew_job *j = ctx;
    int i0, i1;
    ps_split(j->na, ith, nth, &i0, &i1);
    int *rows = j->rows + (size_t)ith * ((size_t)j->nrows + j->w);
    for (int i = i0; i < i1; i++)
        j->e[i] = profile_energy(j->xs, j->ys, j->n, j->w, tan(j->a[i] * M_PI / 180), rows, j->nrows, j->off,
                                 rows + j->nrows);
}

/* The best of the na angles in j->a (the first of equals, as a search in
 * that order keeps it), or keep when none beats best. */
static double skew_best(ps_pool *pool, skew_job *j, double *best, double keep)
{
    int nth = ps_pool_size(pool);
    ps_pool_run_n(pool, nth < j->na ? nth : j->na, skew_energies, j);
    double bt = keep;
    for (int i = 0; i < j->na; i++)
        if (j->e[i] > *best) {
            *best = j->e[i];
            bt = j->a[i];
        }
    return bt;
}

double pg_estimate_skew(ps_pool *pool, const ps_image *gray)
{
    /* on a 4x smaller copy: dark = clearly below the page's bright level */
    int f = SKEW_F, w = gray->width / f, h = gray->height / f;
    if (w < 16 || h < 16 || w > INT16_MAX || h > INT16_MAX)
        return 0;
    int nth = ps_pool_size(pool);
    skew_job j;
    memset(&j, 0, sizeof j);
    j.gray = gray;
    j.w = w;
    j.h = h;
    j.off = (int)ceil(w * tan(6 * M_PI / 180)) + 2;
    j.nrows = h + 2 * j.off;
    j.dark = ps_malloc((size_t)w * h + (size_t)gray->width * nth);
    j.rows = ps_malloc(sizeof(int) * ((size_t)j.nrows + w) * nth);
    j.hist = ps_malloc(sizeof *j.hist * nth);
    int16_t *pts = ps_malloc(sizeof(int16_t) * 2 * (size_t)w * h);
    if (!j.dark || !j.rows || !j.hist || !pts) {
        ps_free(j.dark);
        ps_free(j.rows);
        ps_free(j.hist);
        ps_free(pts);
        return 0;
    }
    j.colmin = j.dark + (size_t)w * h;
    int nd = nth < h ? nth : h;
    ps_pool_run_n(pool, nd, skew_dark, &j);
    long hist[256] = {0};
    for (int t = 0; t < nd; t++)
        for (int v = 0; v < 256; v++)
            hist[v] += j.hist[t][v];
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
    size_t n = 0;
    int16_t *xs = pts, *ys = pts + (size_t)w * h;
    const uint8_t *dark = j.dark;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (dark[(size_t)y * w + x] < thr) {
                xs[n] = (int16_t)x;
                ys[n++] = (int16_t)y;
            }
    j.xs = xs;
    j.ys = ys;
    j.n = n;
    /* -5 to 5 degrees by 0.5, then by 0.1 around the best (the angles as
     * the loops of one search step them) */
    double best = -1;
    j.na = 0;
    for (double a = -5; a <= 5.001; a += 0.5)
        j.a[j.na++] = a;
    double best_t = skew_best(pool, &j, &best, 0);
    double c = best_t;
    j.na = 0;
    for (double a = c - 0.5; a <= c + 0.50001; a += 0.1)
        j.a[j.na++] = a;
    best_t = skew_best(pool, &j, &best, best_t);
    ps_free(j.dark);
    ps_free(j.rows);
    ps_free(j.hist);
    ps_free(pts);
    return best_t;
}

typedef struct rotate_job {
    const ps_image *in;
    ps_image *out;
    double c, s;
} rotate_job;

/* rows of the rotation, split over threads */
static void rotate_rows(void *ctx, int ith, int nth)
{
    const rotate_job *j = ctx;
    const ps_image *in = j->in;
    ps_image *out = j->out;
    double c = j->c, s = j->s, cx = in->width / 2.0, cy = in->height / 2.0;
    int y0, y1;
    ps_split(out->height, ith, nth, &y0, &y1);
    for (int y = y0; y < y1; y++) {
        uint8_t *d = out->data + (size_t)y * out->stride;
        double dy = y - cy;
        for (int x = 0; x < out->width; x++) {
            double dx = x - cx;
            double sx = cx + c * dx - s * dy, sy = cy + s * dx + c * dy;
            int x0 = (int)floor(sx), yf = (int)floor(sy);
            if (x0 < 0 || yf < 0 || x0 + 1 >= in->width || yf + 1 >= in->height) {
                d[x] = 255;
                continue;
            }
            double fx = sx - x0, fy = sy - yf;
            const uint8_t *r0 = in->data + (size_t)yf * in->stride + x0, *r1 = r0 + in->stride;
            double v = (1 - fy) * ((1 - fx) * r0[0] + fx * r0[1]) + fy * ((1 - fx) * r1[0] + fx * r1[1]);
            d[x] = (uint8_t)(v + 0.5);
        }
    }
}

ps_status pg_rotate(pg_ws *ws, ps_pool *pool, const ps_image *in, double skew_deg, ps_image *out)
{
    ps_status rc = pg_image_get(ws, out, in->width, in->height);
    if (rc != PS_OK)
        return rc;
    /* output (x, y) samples input at the point rotated by +skew about the
     * centre, so a line falling by tan(skew) per column becomes level */
    double a = skew_deg * M_PI / 180;
    rotate_job j = {in, out, cos(a), sin(a)};
    int nth = ps_pool_size(pool);
    ps_pool_run_n(pool, nth < out->height ? nth : out->height, rotate_rows, &j);
    return PS_OK;
}

/* The light's two per-pixel passes, split over threads: the blocks' paper
 * levels by rows of blocks, then the division by rows (each block and each
 * pixel is computed as one thread would). */
#define FLAT_B 32 /* the light's block side (a constant: the per-block loops unroll) */
typedef struct flatten_job {
    ps_image *g;
    int bw, bh;
    float *lvl;             /* bw x bh: the blocks' levels; then smoothed in tmp */
    const float *tmp;
    const int *xa, *xbs;    /* per column: the two block centres it lies between */
    const float *wxs;       /* and its weight */
    uint16_t (*bhist)[4][256]; /* per thread: bw block histograms */
    float *rowbuf;          /* per thread: a row of levels + bw column levels */
} flatten_job;

static void flatten_levels(void *ctx, int ith, int nth)
{
    const flatten_job *j = ctx;
    const ps_image *g = j->g;
    const int B = FLAT_B;
    const int W = g->width, H = g->height;
    int bw = j->bw, b0, b1;
    ps_split(j->bh, ith, nth, &b0, &b1);
    /* the histograms of a band of blocks, filled row by row (four
     * interleaved copies: consecutive equal pixels do not wait on each other) */
    uint16_t(*bhist)[4][256] = j->bhist + (size_t)ith * bw;
    for (int by = b0; by < b1; by++) {
        memset(bhist, 0, sizeof *bhist * (size_t)bw);
        int y1 = by * B + B < H ? by * B + B : H;
        for (int y = by * B; y < y1; y++) {
            const uint8_t *r = g->data + (size_t)y * g->stride;
            int x = 0;
            for (int bx = 0; bx < bw; bx++) {
                uint16_t(*hb)[256] = bhist[bx];
                int x1 = x + B < W ? x + B : W;
                for (; x + 4 <= x1; x += 4) {
                    hb[0][r[x]]++;
                    hb[1][r[x + 1]]++;
                    hb[2][r[x + 2]]++;
                    hb[3][r[x + 3]]++;
                }
                for (; x < x1; x++)
                    hb[0][r[x]]++;
            }
        }
        for (int bx = 0; bx < bw; bx++) {
            int hist[256], n = (y1 - by * B) * ((bx * B + B < W ? bx * B + B : W) - bx * B);
            for (int v = 0; v < 256; v++)
                hist[v] = bhist[bx][0][v] + bhist[bx][1][v] + bhist[bx][2][v] + bhist[bx][3][v];
            int acc = 0, v = 255;
            for (; v > 0; v--) {
                acc += hist[v];
                if (acc * 50 >= n) /* 98th percentile */
                    break;
            }
            j->lvl[(size_t)by * bw + bx] = (float)v;
        }
    }
}

static void flatten_divide(void *ctx, int ith, int nth)
{
    const flatten_job *j = ctx;
    ps_image *g = j->g;
    const int B = FLAT_B;
    int bw = j->bw, bh = j->bh, W = g->width, y0, y1;
    ps_split(g->height, ith, nth, &y0, &y1);
    float *restrict Lrow = j->rowbuf + (size_t)ith * ((size_t)W + bw), *restrict col = Lrow + W;
    const float *restrict tmp = j->tmp, *restrict wxs = j->wxs;
    const int *restrict xa = j->xa, *restrict xbs = j->xbs;
    const pk_table *pk = pk_kernels();
    for (int y = y0; y < y1; y++) {
        uint8_t *r = g->data + (size_t)y * g->stride;
        float fy = (y + 0.5f) / B - 0.5f;
        int yf = (int)floorf(fy);
        float wy = fy - yf;
        int ya = yf < 0 ? 0 : yf, yb = yf + 1 >= bh ? bh - 1 : yf + 1;
        for (int bx = 0; bx < bw; bx++)
            col[bx] = (1 - wy) * tmp[(size_t)ya * bw + bx] + wy * tmp[(size_t)yb * bw + bx];
        /* along a run of columns between the same two block centres the
         * level is linear: the two levels once per run */
        for (int x = 0; x < W;) {
            int a = xa[x], b = xbs[x], x1 = x;
            while (x1 < W && xa[x1] == a && xbs[x1] == b)
                x1++;
            float ca = col[a], d = col[b] - col[a];
            for (; x < x1; x++)
                Lrow[x] = ca + wxs[x] * d;
        }
        pk->flatten_row(r, Lrow, W);
    }
}

ps_status pg_flatten_light(ps_pool *pool, ps_image *g)
{
    /* paper level per 32x32 block = a high percentile (the block's max is
     * too sensitive to JPEG noise), smoothed over 3x3 blocks, bilinear */
    const int B = FLAT_B;
    int bw = (g->width + B - 1) / B, bh = (g->height + B - 1) / B;
    int nth = ps_pool_size(pool);
    flatten_job j = {g, bw, bh, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    j.lvl = ps_malloc(sizeof(float) * (size_t)bw * bh * 2);
    j.bhist = ps_malloc(sizeof *j.bhist * (size_t)bw * nth);
    int *xa = ps_malloc(sizeof(int) * 2 * (size_t)g->width);
    float *wxs = ps_malloc(sizeof(float) * (size_t)g->width);
    j.rowbuf = ps_malloc(sizeof(float) * ((size_t)g->width + bw) * nth);
    if (!j.lvl || !j.bhist || !xa || !wxs || !j.rowbuf) {
        ps_free(j.lvl);
        ps_free(j.bhist);
        ps_free(xa);
        ps_free(wxs);
        ps_free(j.rowbuf);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    ps_pool_run_n(pool, nth < bh ? nth : bh, flatten_levels, &j);
    /* a block full of ink has a low level: take the max of its neighbours */
    float *lvl = j.lvl, *tmp = lvl + (size_t)bw * bh;
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
    int *xbs = xa + g->width;
    for (int x = 0; x < g->width; x++) {
        float fx = (x + 0.5f) / B - 0.5f;
        int x0 = (int)floorf(fx);
        wxs[x] = fx - x0;
        xa[x] = x0 < 0 ? 0 : x0;
        xbs[x] = x0 + 1 >= bw ? bw - 1 : x0 + 1;
    }
    j.tmp = tmp;
    j.xa = xa;
    j.xbs = xbs;
    j.wxs = wxs;
    ps_pool_run_n(pool, nth < g->height ? nth : g->height, flatten_divide, &j);
    ps_free(j.rowbuf);
    ps_free(xa);
    ps_free(wxs);
    ps_free(j.bhist);
    ps_free(j.lvl);
    return PS_OK;
}

/* Sauvola split by rows over threads: each thread builds the column sums
 * of its first row's window itself (exact integer sums, so the same). */
typedef struct sauvola_job {
    const ps_image *g;
    ps_image *out, *faint;
    int r;
    double k, kf;
    uint32_t *scratch; /* per thread: 7 W + 2 */
} sauvola_job;

static void sauvola_rows(void *ctx, int ith, int nth)
{
    const sauvola_job *j = ctx;
    const ps_image *g = j->g;
    int W = g->width, H = g->height, r = j->r, y0, y1;
    ps_split(H, ith, nth, &y0, &y1);
    uint32_t *cs = j->scratch + (size_t)ith * (7 * (size_t)W + 2);
    uint32_t *cq = cs + W, *hs = cq + W, *hq = hs + W, *n = hq + W, *ps = n + W, *pq = ps + W + 1;
    memset(cs, 0, sizeof(uint32_t) * 2 * (size_t)W);
    const pk_table *pk = pk_kernels();
    int ylo = y0 - r < 0 ? 0 : y0 - r, yhi = ylo - 1; /* rows currently in the column sums */
    for (int y = y0; y < y1; y++) {
        int want_lo = y - r < 0 ? 0 : y - r, want_hi = y + r >= H ? H - 1 : y + r;
        /* the window moves down a row: one row in and one out in one pass */
        while (yhi < want_hi || ylo < want_lo) {
            const uint8_t *in = NULL, *drop = NULL;
            if (yhi < want_hi)
                in = g->data + (size_t)++yhi * g->stride;
            if (ylo < want_lo)
                drop = g->data + (size_t)ylo++ * g->stride;
            pk->col_update(in, drop, W, cs, cq);
        }
        pk->window_sums(cs, cq, W, r, (uint32_t)(yhi - ylo + 1), ps, pq, hs, hq, n);
        pk->sauvola_row(g->data + (size_t)y * g->stride, hs, hq, n, W, j->k, j->kf,
                        j->out->data + (size_t)y * j->out->stride, j->faint->data + (size_t)y * j->faint->stride);
    }
}

ps_status pg_sauvola(pg_ws *ws, ps_pool *pool, const ps_image *g, int window, double k, double kf, ps_image *out,
                     ps_image *faint)
{
    int W = g->width, H = g->height, r = window / 2;
    if (r < 1)
        r = 1;
    /* window sums of squares fit 32 bits up to a 257 x 257 window */
    if (2 * r + 1 > 257)
        r = 128;
    ps_status rc = pg_image_get(ws, out, W, H);
    if (rc != PS_OK)
        return rc;
    rc = pg_image_get(ws, faint, W, H);
    if (rc != PS_OK) {
        pg_image_put(ws, out);
        return rc;
    }
    /* running column sums over the vertical window, then window sums along
     * the row: O(1) per pixel, O(W) memory per thread */
    int nth = pool ? ps_pool_size(pool) : 1;
    if (nth > H)
        nth = H;
    sauvola_job j = {g, out, faint, r, k, kf, ps_malloc(sizeof(uint32_t) * (7 * (size_t)W + 2) * nth)};
    if (!j.scratch) {
        pg_image_put(ws, out);
        pg_image_put(ws, faint);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    ps_pool_run_n(pool, nth, sauvola_rows, &j);
    ps_free(j.scratch);
    return PS_OK;
}
