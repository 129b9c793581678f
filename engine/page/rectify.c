/* Phone photos: find the sheet of paper (the largest bright region, Otsu on
 * a small copy), its four corners (extreme points, then straight lines
 * fitted to each side and intersected), and warp it to a rectangle with a
 * homography, so the rest of the pipeline sees a flat scan. Scans, where
 * the paper fills the frame, pass through untouched. */
#include "page/page_internal.h"
#include "core/alloc.h"
#include "core/pool.h"
#include "core/status.h"
#include <math.h>
#include <string.h>

/* Solves the homography mapping src[i] -> dst[i] (4 points); 0 when degenerate. */
int pg_homography(const double src[4][2], const double dst[4][2], double h[9])
{
    double A[8][9];
    for (int i = 0; i < 4; i++) {
        double x = src[i][0], y = src[i][1], u = dst[i][0], v = dst[i][1];
        double r1[9] = {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
        double r2[9] = {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        memcpy(A[2 * i], r1, sizeof r1);
        memcpy(A[2 * i + 1], r2, sizeof r2);
    }
    for (int c = 0; c < 8; c++) {
        int piv = c;
        for (int r = c + 1; r < 8; r++)
            if (fabs(A[r][c]) > fabs(A[piv][c]))
                piv = r;
        if (fabs(A[piv][c]) < 1e-12)
            return 0;
        for (int k = 0; k < 9; k++) {
            double t = A[c][k];
            A[c][k] = A[piv][k];
            A[piv][k] = t;
        }
        for (int r = 0; r < 8; r++) {
            if (r == c)
                continue;
            double f = A[r][c] / A[c][c];
            for (int k = c; k < 9; k++)
                A[r][k] -= f * A[c][k];
        }
    }
    for (int i = 0; i < 8; i++)
        h[i] = A[i][8] / A[i][i];
    h[8] = 1;
    return 1;
}

static int otsu(const long *hist, long total)
{
    double sum = 0;
    for (int i = 0; i < 256; i++)
        sum += (double)i * hist[i];
    double sb = 0, best = -1;
    long wb = 0;
    int t = 128;
    for (int i = 0; i < 256; i++) {
        wb += hist[i];
        if (!wb)
            continue;
        long wf = total - wb;
        if (!wf)
            break;
        sb += (double)i * hist[i];
        double mb = sb / wb, mf = (sum - sb) / wf, v = (double)wb * wf * (mb - mf) * (mb - mf);
        if (v > best) {
            best = v;
            t = i;
        }
    }
    return t;
}

/* Least-squares line a x + b y = c through points (total least squares). */
static int fit_tls(const float *px, const float *py, int n, double *a, double *b, double *c)
{
    if (n < 5)
        return 0;
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
        mx += px[i];
        my += py[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double dx = px[i] - mx, dy = py[i] - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    double th = 0.5 * atan2(2 * sxy, sxx - syy); /* direction of the line */
    *a = -sin(th);
    *b = cos(th);
    *c = *a * mx + *b * my;
    return 1;
}

/* Trimmed line fit: whatever hides part of a side (a hand, a pencil) is
 * left out: fit, keep points within max(1.5, 2.5 x the median residual),
 * refit, a few times. xs and ys are reordered. */
static int fit_trimmed(float *xs, float *ys, int n, double *a, double *b, double *c)
{
    if (!fit_tls(xs, ys, n, a, b, c))
        return 0;
    for (int it = 0; it < 5; it++) {
        int hist[64] = {0};
        for (int i = 0; i < n; i++) {
            float r = fabsf((float)(*a * xs[i] + *b * ys[i] - *c));
            hist[r < 31.5f ? (int)(r * 2) : 63]++;
        }
        int acc = 0, mb = 0;
        for (; mb < 64; mb++) {
            acc += hist[mb];
            if (acc * 2 >= n)
                break;
        }
        float lim = 2.5f * (mb + 1) / 2.0f;
        if (lim < 1.5f)
            lim = 1.5f;
        int m = 0;
        for (int i = 0; i < n; i++)
            if (fabsf((float)(*a * xs[i] + *b * ys[i] - *c)) <= lim) {
                xs[m] = xs[i];
                ys[m] = ys[i];
                m++;
            }
        if (m == n)
            break;
        n = m;
        if (!fit_tls(xs, ys, n, a, b, c))
            return 0;
    }
    return 1;
}

/* RANSAC line through the points of one side (a hand or a shadow may hide
 * much of it): the line through two of the points with the most points
 * within 1.5 px, refitted on those. horizontal: the side runs along x. */
static int fit_ransac(const float *xs, const float *ys, int n, int horizontal, float *tx, float *ty, double *a,
                      double *b, double *c)
{
    if (n < 10)
        return 0;
    uint32_t st = 2463534242u;
    int best = 0;
    double ba = 0, bb = 0, bc = 0;
    for (int it = 0; it < 300; it++) {
        st ^= st << 13;
        st ^= st >> 17;
        st ^= st << 5;
        int i = (int)(st % (uint32_t)n);
        st ^= st << 13;
        st ^= st >> 17;
        st ^= st << 5;
        int j = (int)(st % (uint32_t)n);
        double dx = xs[j] - xs[i], dy = ys[j] - ys[i], len = hypot(dx, dy);
        if (len < 10)
            continue;
        /* the side's direction: within 30 degrees of the axis it follows */
        if (horizontal ? fabs(dy) > 0.58 * fabs(dx) : fabs(dx) > 0.58 * fabs(dy))
            continue;
        double la = -dy / len, lb = dx / len, lc = la * xs[i] + lb * ys[i];
        int cnt = 0;
        for (int k = 0; k < n; k++)
            cnt += fabs(la * xs[k] + lb * ys[k] - lc) <= 1.5;
        if (cnt > best) {
            best = cnt;
            ba = la;
            bb = lb;
            bc = lc;
        }
    }
    if (best < n / 4 || best < 8)
        return 0;
    int m = 0;
    for (int k = 0; k < n; k++)
        if (fabs(ba * xs[k] + bb * ys[k] - bc) <= 1.5) {
            tx[m] = xs[k];
            ty[m++] = ys[k];
        }
    return fit_tls(tx, ty, m, a, b, c);
}

/* The warp of the sheet, split over threads by output rows. */
typedef struct warp_job {
    const ps_image *g;
    ps_image *out;
    const double *hom;
} warp_job;

static void warp_rows(void *ctx, int ith, int nth)
{
    const warp_job *j = ctx;
    const ps_image *g = j->g;
    ps_image *out = j->out;
    const double *hom = j->hom;
    int W = g->width, H = g->height, OW = out->width, y0, y1;
    ps_split(out->height, ith, nth, &y0, &y1);
    /* the exact mapping every 16 pixels, linear in between (the perspective
     * bends far less than a pixel over 16), bilinear in 8-bit fixed point */
    for (int y = y0; y < y1; y++) {
        uint8_t *d = out->data + (size_t)y * out->stride;
        for (int x0b = 0; x0b < OW; x0b += 16) {
            int x1b = x0b + 16 < OW ? x0b + 16 : OW;
            double ua, va, ub, vb;
            {
                double X = x0b + 0.5, Y = y + 0.5, w = hom[6] * X + hom[7] * Y + hom[8];
                ua = (hom[0] * X + hom[1] * Y + hom[2]) / w - 0.5;
                va = (hom[3] * X + hom[4] * Y + hom[5]) / w - 0.5;
                X = x1b + 0.5;
                w = hom[6] * X + hom[7] * Y + hom[8];
                ub = (hom[0] * X + hom[1] * Y + hom[2]) / w - 0.5;
                vb = (hom[3] * X + hom[4] * Y + hom[5]) / w - 0.5;
            }
            int32_t u = (int32_t)lround(ua * 256), v = (int32_t)lround(va * 256);
            int32_t du = (int32_t)lround((ub - ua) * 256 / (x1b - x0b)), dv = (int32_t)lround((vb - va) * 256 / (x1b - x0b));
            for (int x = x0b; x < x1b; x++, u += du, v += dv) {
                int xi = u >> 8, yi = v >> 8;
                if (u < 0 || v < 0 || xi + 1 >= W || yi + 1 >= H) {
                    d[x] = 255;
                    continue;
                }
                int fx = u & 255, fy = v & 255;
                const uint8_t *r0 = g->data + (size_t)yi * g->stride + xi, *r1 = r0 + g->stride;
                int top = r0[0] * (256 - fx) + r0[1] * fx, bot = r1[0] * (256 - fx) + r1[1] * fx;
                d[x] = (uint8_t)((top * (256 - fy) + bot * fy + 32768) >> 16);
            }
        }
    }
}

/* The small copy's cells, split over threads by rows of cells: per cell
 * the f x f gray mean (rows summed down, then across) and, in colour, 4 x 4
 * samples whose columns are the same on every cell row; a histogram per
 * thread (counts: added up, the same). */
typedef struct cells_job {
    const ps_image *g, *color;
    uint8_t *sm;
    int w, h, f;
    double cf;              /* colour pixels per gray pixel, 0 without colour */
    uint32_t *colsum;       /* per thread: w * f */
    int *cxs;               /* per cell column: its 4 sample columns in colour */
    long (*hist)[256];      /* per thread */
} cells_job;

static void cell_rows(void *ctx, int ith, int nth)
{
    const cells_job *j = ctx;
    const ps_image *g = j->g, *color = j->color;
    int w = j->w, f = j->f, y0, y1;
    double cf = j->cf;
    ps_split(j->h, ith, nth, &y0, &y1);
    uint32_t *colsum = j->colsum + (size_t)ith * w * f;
    long *hist = j->hist[ith];
    memset(hist, 0, sizeof(long) * 256);
    for (int y = y0; y < y1; y++) {
        memset(colsum, 0, sizeof(uint32_t) * (size_t)w * f);
        for (int yy = 0; yy < f; yy++) {
            const uint8_t *row = g->data + (size_t)(y * f + yy) * g->stride;
            for (int x = 0; x < w * f; x++)
                colsum[x] += row[x];
        }
        const uint8_t *crow[4] = {NULL, NULL, NULL, NULL};
        if (cf > 0)
            for (int yy = 0; yy < 4; yy++) {
                int cy = (int)((y + (yy + 0.5) / 4) * f * cf);
                if (cy >= color->height)
                    cy = color->height - 1;
                crow[yy] = color->data + (size_t)cy * color->stride;
            }
        for (int x = 0; x < w; x++) {
            unsigned s = 0;
            for (int xx = 0; xx < f; xx++)
                s += colsum[x * f + xx];
            s /= (unsigned)(f * f);
            if (cf > 0) {
                /* the cell's mean colour (4x4 samples): thin printed lines
                 * barely tint it, a hand or a table fills it */
                int sr = 0, sgc = 0, sb = 0;
                for (int yy = 0; yy < 4; yy++)
                    for (int xx = 0; xx < 4; xx++) {
                        const uint8_t *q = crow[yy] + (size_t)j->cxs[x * 4 + xx] * color->channels;
                        sr += q[0];
                        sgc += q[1];
                        sb += q[2];
                    }
                int mx = sr > sgc ? (sr > sb ? sr : sb) : (sgc > sb ? sgc : sb);
                int mn = sr < sgc ? (sr < sb ? sr : sb) : (sgc < sb ? sgc : sb);
                if ((mx - mn) / 16 > 60)
                    s = s / 3;
            }
            j->sm[(size_t)y * w + x] = (uint8_t)s;
            hist[s]++;
        }
    }
}

/* Cell k of the border of a w x h grid: the top row, the bottom row, the
 * left column, the right column (corners twice), as a raster index. */
static size_t border_cell(int k, int w, int h)
{
    int x = k < w ? k : k < 2 * w ? k - w : k < 2 * w + h ? 0 : w - 1;
    int y = k < w ? 0 : k < 2 * w ? h - 1 : k < 2 * w + h ? k - 2 * w : k - 2 * w - h;
    return (size_t)y * w + x;
}

ps_status pg_rectify(pg_ws *ws, ps_pool *pool, const ps_image *g, const ps_image *color, ps_image *out, double hom[9], int *done,
                     double *aspect)
{
    *done = 0;
    memset(out, 0, sizeof *out);
    int W = g->width, H = g->height;
    if (W < 64 || H < 64)
        return PS_OK;
    /* a small copy, about 400 px on the longer side */
    int f = (W > H ? W : H) / 400;
    if (f < 1)
        f = 1;
    int w = W / f, h = H / f;
    uint8_t *sm = ps_malloc((size_t)w * h);
    int32_t *stack = ps_malloc(sizeof(int32_t) * (size_t)w * h);
    float *bx = ps_malloc(sizeof(float) * 4 * (size_t)(w + h) * 4);
    if (!sm || !stack || !bx) {
        ps_free(sm);
        ps_free(stack);
        ps_free(bx);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    /* paper is bright and colourless: with a colour photo, strongly coloured
     * cells (a hand, a pencil, a wooden table) count as dark */
    double cf = color && color->channels >= 3 ? (double)color->width / W : 0;
    int nth = ps_pool_size(pool);
    if (nth > h)
        nth = h;
    cells_job cj = {g, color, sm, w, h, f, cf, NULL, NULL, NULL};
    cj.colsum = ps_malloc(sizeof(uint32_t) * (size_t)w * f * nth);
    cj.cxs = ps_malloc(sizeof(int) * 4 * (size_t)w);
    cj.hist = ps_malloc(sizeof *cj.hist * nth);
    if (!cj.colsum || !cj.cxs || !cj.hist) {
        ps_free(cj.colsum);
        ps_free(cj.cxs);
        ps_free(cj.hist);
        ps_free(sm);
        ps_free(stack);
        ps_free(bx);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    if (cf > 0)
        for (int x = 0; x < w; x++)
            for (int xx = 0; xx < 4; xx++) {
                int cx = (int)((x + (xx + 0.5) / 4) * f * cf);
                cj.cxs[x * 4 + xx] = cx >= color->width ? color->width - 1 : cx;
            }
    ps_pool_run_n(pool, nth, cell_rows, &cj);
    long hist[256] = {0};
    for (int k = 0; k < nth; k++)
        for (int v = 0; v < 256; v++)
            hist[v] += cj.hist[k][v];
    ps_free(cj.colsum);
    ps_free(cj.cxs);
    ps_free(cj.hist);
    int t = otsu(hist, (long)w * h);
    /* a sheet is taken only with background (dark cells) on at least a
     * third of the border (see below): a scan, paper to the edges, stops
     * here without the flood fill, with the same result */
    int perim = 2 * (w + h), dark_edge = 0;
    for (int k = 0; k < perim; k++)
        dark_edge += sm[border_cell(k, w, h)] <= t;
    if (3 * dark_edge < perim) {
        ps_free(sm);
        ps_free(stack);
        ps_free(bx);
        return PS_OK;
    }
    /* the bright region touching the image centre's neighbourhood with the
     * most pixels: flood fill from the brightest-side seed grid */
    uint8_t *lab = ps_calloc((size_t)w * h, 1);
    if (!lab) {
        ps_free(sm);
        ps_free(stack);
        ps_free(bx);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    long best_n = 0;
    int best_id = 0, id = 0;
    for (int sy = h / 4; sy <= 3 * h / 4; sy += h / 8 > 0 ? h / 8 : 1)
        for (int sx = w / 4; sx <= 3 * w / 4; sx += w / 8 > 0 ? w / 8 : 1) {
            size_t s0 = (size_t)sy * w + sx;
            if (sm[s0] <= t || lab[s0] || id >= 250)
                continue;
            id++;
            long n = 0, sp = 0;
            stack[sp++] = (int32_t)s0;
            lab[s0] = (uint8_t)id;
            while (sp) {
                int32_t p = stack[--sp];
                n++;
                int px = p % w, py = p / w;
                static const int D[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
                for (int k = 0; k < 4; k++) {
                    int qx = px + D[k][0], qy = py + D[k][1];
                    if (qx < 0 || qy < 0 || qx >= w || qy >= h)
                        continue;
                    size_t q = (size_t)qy * w + qx;
                    if (!lab[q] && sm[q] > t) {
                        lab[q] = (uint8_t)id;
                        stack[sp++] = (int32_t)q;
                    }
                }
            }
            if (n > best_n) {
                best_n = n;
                best_id = id;
            }
        }
    ps_free(stack);
    /* paper must be a large part of the photo but not all of it (a scan),
     * and what lies around it must be background (dark), not more paper
     * cut off by a row of writing or a printed line across a scan: border
     * cells bright but outside the region would make the region a piece
     * of the page (with the region on at most a third of the border, this
     * needs dark cells on at least another third: the early stop above) */
    int touches = 0, cut_off = 0;
    for (int k = 0; k < perim; k++) {
        size_t c = border_cell(k, w, h);
        touches += lab[c] == best_id;
        cut_off += sm[c] > t && lab[c] != best_id;
    }
    if (!best_id || best_n < (long)w * h / 5 || touches > perim / 3 || cut_off > dark_edge) {
        ps_free(sm);
        ps_free(lab);
        ps_free(bx);
        return PS_OK;
    }
    /* outer boundary points per row (left and right ends) and per column */
    int nb = 0;
    float *px = bx, *py = bx + 4 * (w + h);
    for (int y = 0; y < h; y++) {
        int l = -1, r = -1;
        for (int x = 0; x < w; x++)
            if (lab[(size_t)y * w + x] == best_id) {
                if (l < 0)
                    l = x;
                r = x;
            }
        if (l >= 0) {
            px[nb] = l + 0.5f;
            py[nb++] = y + 0.5f;
            px[nb] = r + 0.5f;
            py[nb++] = y + 0.5f;
        }
    }
    int nrowpts = nb;
    for (int x = 0; x < w; x++) {
        int tp = -1, bt = -1;
        for (int y = 0; y < h; y++)
            if (lab[(size_t)y * w + x] == best_id) {
                if (tp < 0)
                    tp = y;
                bt = y;
            }
        if (tp >= 0) {
            px[nb] = x + 0.5f;
            py[nb++] = tp + 0.5f;
            px[nb] = x + 0.5f;
            py[nb++] = bt + 0.5f;
        }
    }
    ps_free(lab);
    ps_free(sm);
    /* rough corners: extremes of x+y and x-y */
    double cr[4][2];
    {
        double best[4] = {1e30, -1e30, -1e30, 1e30};
        for (int i = 0; i < nb; i++) {
            double s = px[i] + py[i], d = px[i] - py[i];
            if (s < best[0]) { best[0] = s; cr[0][0] = px[i]; cr[0][1] = py[i]; } /* top-left */
            if (d > best[1]) { best[1] = d; cr[1][0] = px[i]; cr[1][1] = py[i]; } /* top-right */
            if (s > best[2]) { best[2] = s; cr[2][0] = px[i]; cr[2][1] = py[i]; } /* bottom-right */
            if (d < best[3]) { best[3] = d; cr[3][0] = px[i]; cr[3][1] = py[i]; } /* bottom-left */
        }
    }
    /* refine: fit a line to the boundary points near each side (not near
     * its corners), intersect neighbouring sides */
    double L[4][3];
    int okL = 1;
    float *sx = ps_malloc(sizeof(float) * 2 * (size_t)nb);
    if (!sx) {
        ps_free(bx);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    float *sy = sx + nb;
    for (int sdx = 0; sdx < 4 && okL; sdx++) {
        const double *A = cr[sdx], *B = cr[(sdx + 1) % 4];
        double ex = B[0] - A[0], ey = B[1] - A[1], len = hypot(ex, ey);
        if (len < 8) {
            okL = 0;
            break;
        }
        int m = 0;
        for (int i = 0; i < nb; i++) {
            double u = ((px[i] - A[0]) * ex + (py[i] - A[1]) * ey) / (len * len);
            double dist = fabs((px[i] - A[0]) * ey - (py[i] - A[1]) * ex) / len;
            if (u > 0.15 && u < 0.85 && dist < 0.03 * len + 2) {
                sx[m] = px[i];
                sy[m++] = py[i];
            }
        }
        okL = fit_trimmed(sx, sy, m, &L[sdx][0], &L[sdx][1], &L[sdx][2]);
    }
    /* each side again by RANSAC over its own extreme points (per row for
     * left and right, per column for top and bottom), which a hand over a
     * corner does not mislead; used when all four sides are found */
    if (okL) {
        double R[4][3];
        int okR = 1;
        float *tx = ps_malloc(sizeof(float) * 2 * (size_t)nb);
        if (!tx) {
            ps_free(sx);
            ps_free(bx);
            return ps_fail(PS_ERR_NOMEM, "out of memory");
        }
        float *ty = tx + nb;
        for (int sd = 0; sd < 4 && okR; sd++) {
            int m = 0;
            for (int i = 0; i < nb; i++) {
                int is_row = i < nrowpts, odd = (is_row ? i : i - nrowpts) & 1;
                int side = is_row ? (odd ? 1 : 3) : (odd ? 2 : 0);
                if (side == sd) {
                    sx[m] = px[i];
                    sy[m++] = py[i];
                }
            }
            okR = fit_ransac(sx, sy, m, sd == 0 || sd == 2, tx, ty, &R[sd][0], &R[sd][1], &R[sd][2]);
        }
        ps_free(tx);
        if (okR)
            memcpy(L, R, sizeof L);
    }
    ps_free(sx);
    ps_free(bx);
    double q[4][2];
    for (int k = 0; k < 4 && okL; k++) {
        const double *l1 = L[(k + 3) % 4], *l2 = L[k]; /* corner k is between side k-1 and side k */
        double det = l1[0] * l2[1] - l1[1] * l2[0];
        if (fabs(det) < 1e-9) {
            okL = 0;
            break;
        }
        q[k][0] = (l1[2] * l2[1] - l1[1] * l2[2]) / det * f;
        q[k][1] = (l1[0] * l2[2] - l1[2] * l2[0]) / det * f;
    }
    if (!okL)
        for (int k = 0; k < 4; k++) {
            q[k][0] = cr[k][0] * f;
            q[k][1] = cr[k][1] * f;
        }
    /* output size from the side lengths; aspect snapped to A4 when close */
    double top = hypot(q[1][0] - q[0][0], q[1][1] - q[0][1]), bot = hypot(q[2][0] - q[3][0], q[2][1] - q[3][1]);
    double lef = hypot(q[3][0] - q[0][0], q[3][1] - q[0][1]), rig = hypot(q[2][0] - q[1][0], q[2][1] - q[1][1]);
    double ow = 0.5 * (top + bot), oh = 0.5 * (lef + rig);
    if (ow < 32 || oh < 32)
        return PS_OK;
    double asp = oh / ow;
    if (fabs(asp - M_SQRT2) < 0.12 * M_SQRT2)
        asp = M_SQRT2;
    else if (fabs(1 / asp - M_SQRT2) < 0.12 * M_SQRT2)
        asp = 1 / M_SQRT2;
    int OW = (int)lround(ow), OH = (int)lround(ow * asp);
    double dst[4][2] = {{0, 0}, {OW, 0}, {OW, OH}, {0, OH}};
    if (!pg_homography(dst, q, hom)) /* output -> input */
        return PS_OK;
    ps_status rc = pg_image_get(ws, out, OW, OH);
    if (rc != PS_OK)
        return rc;
    warp_job wj = {g, out, hom};
    int wth = ps_pool_size(pool);
    ps_pool_run_n(pool, wth < OH ? wth : OH, warp_rows, &wj);
    *aspect = asp;
    *done = 1;
    return PS_OK;
}
