/* Segmentation: ink components -> writing lines -> letters (dots of i/j and
 * broken strokes merged) -> baselines, x-heights, letter classes -> words.
 * Lines follow the printed baselines when the page is ruled; otherwise they
 * are peaks of a profile of component centres, refined by fitting a straight
 * line through each line's components, so tilted lines are followed. */
#include "page/page_internal.h"
#include "core/alloc.h"
#include "core/pool.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
double pg_median(double *v, int n)
{
    if (n <= 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
double pg_mean(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return n > 0 ? s / n : NAN;
}
double pg_sd(const double *v, int n)
{
    if (n < 2)
        return n == 1 ? 0 : NAN;
    double m = pg_mean(v, n), s = 0;
    for (int i = 0; i < n; i++)
        s += (v[i] - m) * (v[i] - m);
    return sqrt(s / (n - 1));
}

/* ---- per-letter slant: the shear that lines up the longest vertical runs.
 * A letter's pixels are gathered once (row-major, relative to its box) and
 * every candidate shear is a fixed-point pass over that list. */
typedef struct slant_scratch {
    int *last, *run;
    int cap;          /* columns */
    int16_t *px;      /* x, y pairs */
    size_t pxcap;
    size_t npx;
    uint64_t *bits;   /* the letter's rows as bits when it is at most 64 wide (pg_shear_runs) */
    int bitcap;       /* rows */
    int have_bits;    /* bits hold the current letter */
} slant_scratch;

static void gather_pixels(const struct ps_page *pg, const pg_letter *L, slant_scratch *s)
{
    s->npx = 0;
    int as_bits = L->x1 - L->x0 <= 64 && L->y1 - L->y0 <= s->bitcap;
    for (int y = L->y0; y < L->y1; y++) {
        uint64_t b = 0;
        for (int x = L->x0; x < L->x1; x++)
            if (pg_letter_has(pg, L, x, y) && s->npx < s->pxcap) {
                s->px[2 * s->npx] = (int16_t)(x - L->x0);
                s->px[2 * s->npx + 1] = (int16_t)(y - L->y0);
                s->npx++;
                b |= (uint64_t)1 << ((x - L->x0) & 63);
            }
        if (as_bits)
            s->bits[y - L->y0] = b;
    }
    s->have_bits = as_bits && s->npx < s->pxcap;
}

/* Sum of squared vertical run lengths (runs of at least minrun) after
 * shifting row y by (base_y - y) * t. */
static double shear_score(const pg_letter *L, double base_y, double t, int minrun, slant_scratch *s)
{
    int h = L->y1 - L->y0, w = L->x1 - L->x0;
    double lo_shift = (base_y - (L->y1 - 0.5)) * t, hi_shift = (base_y - (L->y0 + 0.5)) * t;
    if (lo_shift > hi_shift) {
        double tmp = lo_shift;
        lo_shift = hi_shift;
        hi_shift = tmp;
    }
    int off = (int)ceil(hi_shift) + 1; /* column = x - shift + off >= 0 */
    int ncol = w + (int)ceil(hi_shift - lo_shift) + 3;
    if (ncol > s->cap || h <= 0)
        return 0;
    for (int i = 0; i < ncol; i++) {
        s->last[i] = -10;
        s->run[i] = 0;
    }
    /* 16.16 fixed point: shift of row r = (base_y - (y0 + r + 0.5)) * t */
    int32_t step = (int32_t)lround(t * 65536.0);
    int32_t shift0 = (int32_t)lround((base_y - (L->y0 + 0.5)) * t * 65536.0);
    if (s->have_bits) {
        int64_t runs = pg_shear_runs(s->bits, h, w, off, shift0, step, ncol, minrun);
        if (runs >= 0)
            return (double)runs;
    }
    /* integer sums (exact, as the double sum of the same integers was);
     * branch-free run bookkeeping: whether a column's run goes on is data */
    int64_t score = 0;
    int cur_row = -1;
    int32_t shift = 0;
    for (size_t i = 0; i < s->npx; i++) {
        int x = s->px[2 * i], y = s->px[2 * i + 1];
        if (y != cur_row) {
            cur_row = y;
            shift = shift0 - step * y;
        }
        int c = ((x + off) * 65536 - shift + 32768) >> 16;
        if (c < 0 || c >= ncol) /* a row's pixels never share a column */
            continue;
        int run = s->run[c], goes_on = s->last[c] == y - 1;
        int64_t done = !goes_on && run >= minrun ? (int64_t)run * run : 0;
        score += done;
        s->run[c] = goes_on ? run + 1 : 1;
        s->last[c] = y;
    }
    for (int i = 0; i < ncol; i++)
        if (s->run[i] >= minrun)
            score += (int64_t)s->run[i] * s->run[i];
    return (double)score;
}

static void letter_slant(const struct ps_page *pg, pg_letter *L, double base_y, double xh, slant_scratch *s)
{
    L->slant_deg = NAN;
    L->slant_w = 0;
    int minrun = (int)ceil(0.5 * xh);
    if (minrun < 3 || L->y1 - L->y0 < minrun)
        return;
    gather_pixels(pg, L, s);
    /* coarse 4 deg steps, then 1 deg, then 0.25 deg around the best */
    double best = 0, best_a = 0;
    for (int a = -40; a <= 40; a += 4) {
        double sc = shear_score(L, base_y, tan(a * M_PI / 180), minrun, s);
        if (sc > best) {
            best = sc;
            best_a = a;
        }
    }
    if (best <= 0)
        return;
    static const double steps[2][2] = {{1.0, 3.0}, {0.25, 0.75}};
    for (int k = 0; k < 2; k++) {
        double c = best_a;
        for (double a = c - steps[k][1]; a <= c + steps[k][1] + 1e-9; a += steps[k][0]) {
            if (a == c)
                continue;
            double sc = shear_score(L, base_y, tan(a * M_PI / 180), minrun, s);
            if (sc > best) {
                best = sc;
                best_a = a;
            }
        }
    }
    L->slant_deg = (float)best_a;
    L->slant_w = (float)(best / (xh * xh));
}

static void letter_deslant_extent(const struct ps_page *pg, pg_letter *L, double base_y, double t)
{
    /* extremes are on each row's first and last pixel of the letter */
    float lo = 1e30f, hi = -1e30f;
    for (int y = L->y0; y < L->y1; y++) {
        double shift = (base_y - (y + 0.5)) * t;
        int first = -1, last = -1;
        for (int x = L->x0; x < L->x1; x++)
            if (pg_letter_has(pg, L, x, y)) {
                first = x;
                break;
            }
        if (first < 0)
            continue;
        for (int x = L->x1 - 1; x >= first; x--)
            if (pg_letter_has(pg, L, x, y)) {
                last = x;
                break;
            }
        if (first - shift < lo)
            lo = (float)(first - shift);
        if (last + 1 - shift > hi)
            hi = (float)(last + 1 - shift);
    }
    if (lo > hi) {
        lo = (float)L->x0;
        hi = (float)L->x1;
    }
    L->dx0 = lo;
    L->dx1 = hi;
}

static ps_status push_letter(struct ps_page *pg, const pg_letter *L)
{
    if (pg->nletter == pg->cap_letter) {
        int nc = pg->cap_letter ? pg->cap_letter * 2 : 256;
        pg_letter *n = ps_realloc(pg->letter, sizeof(pg_letter) * nc);
        if (!n)
            return ps_fail(PS_ERR_NOMEM, "out of memory");
        pg->letter = n;
        pg->cap_letter = nc;
    }
    pg->letter[pg->nletter++] = *L;
    return PS_OK;
}

static void merge_into(pg_letter *a, const pg_letter *b)
{
    for (int i = 0; i < b->nlab && a->nlab < PG_MAX_LABELS; i++)
        a->lab[a->nlab++] = b->lab[i];
    if (b->x0 < a->x0) a->x0 = b->x0;
    if (b->y0 < a->y0) a->y0 = b->y0;
    if (b->x1 > a->x1) a->x1 = b->x1;
    if (b->y1 > a->y1) a->y1 = b->y1;
    a->cut0 = a->x0;
    a->cut1 = a->x1;
    a->area += b->area;
}

static int cmp_letter_x(const void *a, const void *b)
{
    const pg_letter *p = a, *q = b;
    if (p->line != q->line)
        return p->line - q->line;
    float ca = p->x0 + p->x1, cb = q->x0 + q->x1;
    return ca < cb ? -1 : ca > cb;
}

int pg_letter_class_of(double h, double w, double dev, double above, int has_dot, double xh, double tall)
{
    if (h < 0.45 * xh && w < 0.6 * xh)
        return PG_SMALL;
    /* a descender letter reaches well under the baseline with its body still
     * on the line: it is taller than an x-height letter; one that is not
     * is a letter written under the line, and counts as off the line */
    if (dev > 0.25 * xh && h > 1.25 * xh)
        return PG_DESC;
    if (has_dot)
        return PG_DOTTED;
    /* near the split a letter may be either (t, some capitals): it biases
     * neither measure */
    if (above > tall * 1.08)
        return PG_TALL;
    if (above > tall / 1.08)
        return PG_MIDDLE;
    return PG_X;
}

/* The height above the baseline that splits x-height letters from tall ones
 * (ascenders, capitals, digits), from a two-group fit of the log heights:
 * Otsu's split to start, then a mixture of two normals with one spread
 * (EM), so that the groups' overlap (children's x-height letters vary by
 * 20-30 % in height) does not bias the split; the fit is taken only when
 * the groups differ by a factor ascenders always reach and the lower group
 * is most letters, else there is no split (INFINITY). v: the heights,
 * sorted here. *ratio: the tall group's centre over the x-height group's
 * (0 without a split). */
static double tall_split(double *v, int n, double *ratio)
{
    *ratio = 0;
    if (n < 4)
        return INFINITY;
    qsort(v, n, sizeof(double), cmp_double);
    double sum = 0, best = -1, m0 = 0, m1 = 0;
    int a_best = 0;
    for (int i = 0; i < n; i++)
        sum += log(v[i]);
    double left = 0;
    for (int i = 0; i + 1 < n; i++) {
        left += log(v[i]);
        if (v[i + 1] == v[i])
            continue;
        int a = i + 1, b = n - a;
        double u0 = left / a, u1 = (sum - left) / b, between = (double)a * b * (u1 - u0) * (u1 - u0);
        if (between > best) {
            best = between;
            m0 = u0;
            m1 = u1;
            a_best = a;
        }
    }
    if (a_best == 0)
        return INFINITY;
    double w = (double)a_best / n, var = 0;
    for (int i = 0; i < n; i++) {
        double x = log(v[i]), d = i < a_best ? x - m0 : x - m1;
        var += d * d;
    }
    var = var / n + 1e-4;
    for (int it = 0; it < 30; it++) {
        double r0 = 0, s0 = 0, s1 = 0, q = 0;
        for (int i = 0; i < n; i++) {
            double x = log(v[i]), d0 = x - m0, d1 = x - m1;
            double p0 = w * exp(-0.5 * d0 * d0 / var), p1 = (1 - w) * exp(-0.5 * d1 * d1 / var);
            double r = p0 + p1 > 0 ? p0 / (p0 + p1) : (d0 * d0 < d1 * d1);
            r0 += r;
            s0 += r * x;
            s1 += (1 - r) * x;
            q += r * d0 * d0 + (1 - r) * d1 * d1;
        }
        if (r0 < 1 || n - r0 < 1)
            return INFINITY;
        m0 = s0 / r0;
        m1 = s1 / (n - r0);
        w = r0 / n;
        var = q / n + 1e-4;
    }
    /* ascenders stand at least 1.25 x-heights in every hand measured (the
     * lowest truth ratio over the test fonts is 1.24 for the whole letter);
     * x-height letters are most of any line of text */
    if (!(exp(m1 - m0) >= 1.18) || w < 0.4)
        return INFINITY;
    *ratio = exp(m1 - m0);
    /* equal posterior: where the weighted normals cross */
    return exp(0.5 * (m0 + m1) + var * log(w / (1 - w)) / (m1 - m0));
}

/* The line's x-height (the median height of its x-height letters) and every
 * letter's class and bottom deviation. A first x-height from the lower
 * letter heights above the baseline sets the small, descender and dot
 * classes; the rest are
 * split into x-height and tall letters by their heights above the baseline;
 * then again with the x-height that gives. v: room for n doubles. */
static double line_classes(pg_line *ln, pg_letter *Ls, int n, double *v)
{
    for (int m = 0; m < n; m++)
        v[m] = Ls[m].y1 - Ls[m].y0;
    double xh = 0;
    {
        qsort(v, n, sizeof(double), cmp_double);
        xh = v[(int)(0.3 * (n - 1))];
    }
    double tall = INFINITY;
    for (int pass = 0; pass < 2; pass++) {
        int nc = 0;
        for (int m = 0; m < n; m++) {
            pg_letter *L = &Ls[m];
            double base = ln->base_a + ln->base_b * 0.5 * (L->x0 + L->x1);
            L->dev = (float)(L->y1 - base);
            L->cls = pg_letter_class_of(L->y1 - L->y0, L->x1 - L->x0, L->dev, base - L->y0, L->has_dot, xh,
                                        INFINITY);
            if (L->cls == PG_X && base - L->y0 > 0)
                v[nc++] = base - L->y0;
        }
        double ratio;
        tall = tall_split(v, nc, &ratio);
        ln->tall_ratio = (float)ratio;
        int nx = 0;
        for (int m = 0; m < n; m++) {
            pg_letter *L = &Ls[m];
            double base = ln->base_a + ln->base_b * 0.5 * (L->x0 + L->x1);
            if (L->cls == PG_X)
                L->cls = pg_letter_class_of(L->y1 - L->y0, L->x1 - L->x0, L->dev, base - L->y0, 0, xh, tall);
            if (L->cls == PG_X)
                v[nx++] = L->y1 - L->y0;
        }
        if (nx)
            xh = pg_median(v, nx);
    }
    ln->tall = (float)tall;
    if (ln->tall_ratio == 0 && xh > 0) {
        int k = 0;
        for (int m = 0; m < n; m++)
            if (Ls[m].cls == PG_TALL)
                v[k++] = (Ls[m].y1 - Ls[m].y0) / xh;
        ln->tall_ratio = k ? (float)pg_median(v, k) : 0;
    }
    return xh;
}

/* Robust straight baseline through letter bottoms (Tukey biweight), which
 * ignores descenders and stray letters. */
/* tmp: room for n doubles. */
static void fit_baseline(const pg_letter *L, int n, double scale, double *tmp, float *a_out, float *b_out)
{
    double a = 0, b = 0;
    if (n == 0) {
        *a_out = 0;
        *b_out = 0;
        return;
    }
    for (int i = 0; i < n; i++)
        tmp[i] = L[i].y1;
    a = pg_median(tmp, n);
    for (int it = 0; it < 8; it++) {
        for (int i = 0; i < n; i++)
            tmp[i] = fabs(L[i].y1 - (a + b * 0.5 * (L[i].x0 + L[i].x1)));
        double s = 1.4826 * pg_median(tmp, n);
        double c = 4.685 * (s > 0.08 * scale ? s : 0.08 * scale);
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++) {
            double x = 0.5 * (L[i].x0 + L[i].x1), y = L[i].y1;
            double r = (y - (a + b * x)) / c;
            if (fabs(r) >= 1)
                continue;
            double w = (1 - r * r) * (1 - r * r);
            sw += w;
            sx += w * x;
            sy += w * y;
            sxx += w * x * x;
            sxy += w * x * y;
        }
        if (sw <= 0)
            break;
        double den = sw * sxx - sx * sx;
        double nb = n >= 3 && den > 1e-9 * sw * sw ? (sw * sxy - sx * sy) / den : 0;
        if (fabs(nb) > 0.2)
            nb = 0;
        b = nb;
        a = (sy - b * sx) / sw;
    }
    *a_out = (float)a;
    *b_out = (float)b;
}

/* ---- the per-line work: baseline, classes, slant and extents, then the
 * touching-letter split. A line needs only its own letters and the page's
 * read-only images, so lines go to the analyser's threads in any order
 * (each takes the next line left) and the result does not depend on how
 * many threads there are; the split's one dependence on earlier lines is
 * settled in line order first (pg_split_prepare). */
typedef struct seg_scratch {
    slant_scratch ss;
    double *v;                 /* 3 doubles per letter of the longest line, split */
    pg_split *sp;
} seg_scratch;

typedef struct seg_lines {
    struct ps_page *pg;
    const float *la, *lb;      /* per line found: baseline a + b x */
    int ruled;
    double h0;
    int nout;                  /* lines with letters: pg->line[0, nout) */
    int *src, *first0, *n0;    /* per line: the line found, its letters in pg->letter before the split */
    int *state;                /* per line: pg_split_prepare's */
    int *order;                /* the lines by falling letter count: the longest go first, so the
                                  threads end together */
    pg_letter *room;           /* the split's: PG_SPLIT_MAX per letter, a line's from first0 on (from
                                  the workspace: fresh pages each page would cost more than the copy) */
    const pg_split *prepared;
    seg_scratch *th;
    int step;                  /* 1: shape, 2: split */
    int next;                  /* the next line to take (atomic) */
    ps_status *rc;             /* per line */
} seg_lines;

static void line_slants(const struct ps_page *pg, pg_line *ln, double xh, pg_letter *Ls, int n, seg_scratch *S)
{
    double *v = S->v, *sw_ = S->v + n, *tmp = S->v + 2 * n;
    int ks = 0;
    for (int m = 0; m < n; m++) {
        pg_letter *L = &Ls[m];
        if (L->cls == PG_SMALL)
            continue;
        double base = ln->base_a + ln->base_b * 0.5 * (L->x0 + L->x1);
        letter_slant(pg, L, base, xh, &S->ss);
        if (L->slant_w > 0) {
            v[ks] = L->slant_deg;
            sw_[ks++] = L->slant_w;
        }
    }
    double mean = NAN, sd;
    pg_robust_slant(v, sw_, ks, tmp, &mean, &sd);
    ln->slant_deg = isfinite(mean) ? (float)mean : 0;
    double t = tan(ln->slant_deg * M_PI / 180);
    for (int m = 0; m < n; m++) {
        double base = ln->base_a + ln->base_b * 0.5 * (Ls[m].x0 + Ls[m].x1);
        letter_deslant_extent(pg, &Ls[m], base, t);
    }
}

/* Line o: baseline, x-height, classes, slants and extents. */
static ps_status line_shape(seg_lines *J, seg_scratch *S, int o)
{
    struct ps_page *pg = J->pg;
    pg_line *ln = &pg->line[o];
    int j = J->src[o], n = J->n0[o];
    pg_letter *Ls = pg->letter + J->first0[o];
    ln->first = J->first0[o];
    ln->n = n;
    ln->mid_y = NAN;
    for (int m = 0; m < n; m++)
        Ls[m].line = o;
    if (J->ruled) {
        const pg_ruling *R = &pg->ruling;
        ln->base_a = J->la[j];
        ln->base_b = J->lb[j];
        ln->ruled = 1;
        ln->mid_y = isnan(R->mid[j]) ? NAN : R->mid[j] + 0.5f;
    } else {
        fit_baseline(Ls, n, J->h0, S->v, &ln->base_a, &ln->base_b);
    }
    double xh = line_classes(ln, Ls, n, S->v);
    ln->xh = (float)xh;
    line_slants(pg, ln, xh, Ls, n, S);
    return PS_OK;
}

/* Line o's touching letters split in its room; the pieces' classes, slants
 * and extents. */
static ps_status line_split(seg_lines *J, seg_scratch *S, int o)
{
    const struct ps_page *pg = J->pg;
    pg_line *ln = &pg->line[o];
    int n = J->n0[o];
    pg_letter *Ls = J->room + (size_t)J->first0[o] * PG_SPLIT_MAX;
    memcpy(Ls, pg->letter + J->first0[o], sizeof(pg_letter) * (size_t)n);
    pg_split_resume(S->sp, J->prepared, J->state[o]);
    int added = 0;
    ps_status rc = pg_split_line(pg, S->sp, ln, Ls, n * PG_SPLIT_MAX, &added);
    if (rc != PS_OK || !added)
        return rc;
    n = ln->n;
    double xh = line_classes(ln, Ls, n, S->v);
    ln->xh = (float)xh;
    double t = tan(ln->slant_deg * M_PI / 180);
    for (int m = 0; m < n; m++) {
        pg_letter *L = &Ls[m];
        if (!(L->flags & PG_CUT))
            continue;
        double base = ln->base_a + ln->base_b * 0.5 * (L->x0 + L->x1);
        if (L->cls != PG_SMALL)
            letter_slant(pg, L, base, xh, &S->ss);
        letter_deslant_extent(pg, L, base, t);
    }
    return PS_OK;
}

static void seg_lines_job(void *ctx, int ith, int nth)
{
    (void)nth;
    seg_lines *J = ctx;
    for (;;) {
        int k = __atomic_fetch_add(&J->next, 1, __ATOMIC_RELAXED);
        if (k >= J->nout)
            break;
        int o = J->order[k];
        J->rc[o] = J->step == 1 ? line_shape(J, &J->th[ith], o) : line_split(J, &J->th[ith], o);
    }
}

/* Runs step on every line; the first line's error (in line order) is the
 * result. */
static ps_status seg_lines_step(seg_lines *J, int step)
{
    J->step = step;
    J->next = 0;
    ps_pool_run(J->pg->pool, seg_lines_job, J);
    for (int o = 0; o < J->nout; o++)
        if (J->rc[o] != PS_OK)
            return ps_fail(J->rc[o], "segmenting line %d failed", o);
    return PS_OK;
}

/* pg->letter sorted by line (la/lb: nl lines found) -> pg->line and its
 * letters, the touching ones split unless keep_touching; pxcap: the most
 * pixels a letter can have. */
static ps_status seg_lines_run(struct ps_page *pg, const float *la, const float *lb, int ruled, double h0, int nl,
                               size_t pxcap)
{
    int W = pg->mask.width, H = pg->mask.height;
    int nth = ps_pool_size(pg->pool), split = !pg->params.keep_touching;
    seg_lines J;
    memset(&J, 0, sizeof J);
    J.pg = pg;
    J.la = la;
    J.lb = lb;
    J.ruled = ruled;
    J.h0 = h0;
    ps_status rc = PS_OK;
    pg_split *prep = NULL, **helpers = NULL;
    int *ints = ps_malloc(sizeof(int) * 5 * ((size_t)nl + 1));
    J.rc = ps_malloc(sizeof(ps_status) * ((size_t)nl + 1));
    J.th = ps_calloc((size_t)nth, sizeof(seg_scratch));
    if (!ints || !J.rc || !J.th) {
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        goto out;
    }
    J.src = ints;
    J.first0 = ints + nl + 1;
    J.n0 = ints + 2 * (nl + 1);
    J.state = ints + 3 * (nl + 1);
    J.order = ints + 4 * (nl + 1);
    int maxn = 1;
    for (int j = 0, li = 0; j < nl; j++) {
        int first = li;
        while (li < pg->nletter && pg->letter[li].line == j)
            li++;
        if (li == first)
            continue;
        J.src[J.nout] = j;
        J.first0[J.nout] = first;
        J.n0[J.nout++] = li - first;
        if (li - first > maxn)
            maxn = li - first;
    }
    for (int o = 0; o < J.nout; o++) { /* insertion sort: a page has tens of lines */
        int k = o;
        for (; k > 0 && J.n0[J.order[k - 1]] < J.n0[o]; k--)
            J.order[k] = J.order[k - 1];
        J.order[k] = o;
    }
    for (int t = 0; t < nth; t++) {
        seg_scratch *S = &J.th[t];
        S->ss.cap = W + 2 * H + 16;
        S->ss.last = ps_malloc(sizeof(int) * S->ss.cap * 2);
        S->ss.pxcap = pxcap;
        S->ss.px = ps_malloc(pxcap * 2 * sizeof(int16_t));
        S->ss.bitcap = H;
        S->ss.bits = ps_malloc(sizeof(uint64_t) * ((size_t)H + 1));
        S->v = ps_malloc(sizeof(double) * (3 * PG_SPLIT_MAX * (size_t)maxn + 16));
        S->sp = split ? pg_split_new(pg) : NULL;
        if (!S->ss.last || !S->ss.px || !S->ss.bits || !S->v || (split && !S->sp)) {
            rc = ps_fail(PS_ERR_NOMEM, "out of memory");
            goto out;
        }
        S->ss.run = S->ss.last + S->ss.cap;
    }
    rc = seg_lines_step(&J, 1);
    if (rc != PS_OK || !split)
        goto out;
    /* the split: what lines share, in line order, on a split of its own
     * (the threads read it while they work); then each line in its room */
    prep = pg_split_new(pg);
    if (!prep) {
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        goto out;
    }
    helpers = ps_malloc(sizeof(pg_split *) * (size_t)nth);
    if (!helpers) {
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (int t = 0; t < nth; t++) /* the threads' splits score the preparation's letters */
        helpers[t] = J.th[t].sp;
    for (int o = 0; o < J.nout && rc == PS_OK; o++)
        rc = pg_split_prepare(pg, prep, &pg->line[o], pg->letter + J.first0[o], &J.state[o], pg->pool, helpers);
    if (rc != PS_OK)
        goto out;
    J.prepared = prep;
    J.room = pg_ws_get(pg->ws, sizeof(pg_letter) * PG_SPLIT_MAX * ((size_t)pg->nletter + 1));
    if (!J.room) {
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc = seg_lines_step(&J, 2);
    if (rc != PS_OK)
        goto out;
    /* the lines' letters one after the other again */
    int total = 0;
    for (int o = 0; o < J.nout; o++)
        total += pg->line[o].n;
    if (total > pg->cap_letter) {
        pg_letter *nlet = ps_realloc(pg->letter, sizeof(pg_letter) * (size_t)total);
        if (!nlet) {
            rc = ps_fail(PS_ERR_NOMEM, "out of memory");
            goto out;
        }
        pg->letter = nlet;
        pg->cap_letter = total;
    }
    total = 0;
    for (int o = 0; o < J.nout; o++) {
        pg_line *ln = &pg->line[o];
        memcpy(pg->letter + total, J.room + (size_t)J.first0[o] * PG_SPLIT_MAX, sizeof(pg_letter) * (size_t)ln->n);
        ln->first = total;
        total += ln->n;
    }
    pg->nletter = total;
out:
    if (rc == PS_OK)
        pg->nline = J.nout;
    if (J.th)
        for (int t = 0; t < nth; t++) {
            ps_free(J.th[t].ss.last);
            ps_free(J.th[t].ss.px);
            ps_free(J.th[t].ss.bits);
            ps_free(J.th[t].v);
            pg_split_free(J.th[t].sp);
        }
    pg_ws_put(pg->ws, J.room);
    pg_split_free(prep);
    ps_free(helpers);
    ps_free(J.th);
    ps_free(J.rc);
    ps_free(ints);
    return rc;
}

/* A solid blot rather than writing (a pencil's tip lying on the page, a
 * smudge, a scribbled-out patch): its ink is thicker than three strokes.
 * Thickness is twice the area over the boundary pixels (a stroke of width
 * s and length L has about 2L boundary pixels). Only components at least
 * three strokes across both ways and mostly filled can be one. */
static int solid_blot(const struct ps_page *pg, const pg_comp *c, int id, double sw)
{
    int w = c->x1 - c->x0, h = c->y1 - c->y0;
    if (w < 3 * sw || h < 3 * sw || c->area < 0.4 * w * h)
        return 0;
    int W = pg->mask.width, H = pg->mask.height;
    long edge = 0;
    for (int y = c->y0; y < c->y1; y++) {
        const int32_t *row = pg->labels + (size_t)y * W;
        for (int x = c->x0; x < c->x1; x++) {
            if (row[x] != id)
                continue;
            edge += x == 0 || row[x - 1] != id || x + 1 == W || row[x + 1] != id || y == 0 ||
                    row[x - (ptrdiff_t)W] != id || y + 1 == H || row[x + W] != id;
        }
    }
    return edge > 0 && 2.0 * c->area / edge > 3 * sw;
}

/* The first baseline (y = la + lb x) at or under row y at column cx, less
 * a quarter letter; -1 when none lies within 3 letter heights. */
static int baseline_under(const float *la, const float *lb, int nl, double cx, double y, double h0)
{
    int best = -1;
    double best_y = 0;
    for (int j = 0; j < nl; j++) {
        double yb = la[j] + lb[j] * cx;
        if (yb >= y - 0.25 * h0 && (best < 0 || yb < best_y)) {
            best = j;
            best_y = yb;
        }
    }
    return best >= 0 && best_y - y < 3 * h0 ? best : -1;
}

ps_status pg_segment(struct ps_page *pg)
{
    ps_status rc = PS_OK;
    int W = pg->mask.width, H = pg->mask.height;
    double sw = pg->stroke_px > 1 ? pg->stroke_px : 1;
    int nc = pg->ncomp;
    const pg_comp *C = pg->comp;
    double min_area = 0.3 * sw * sw > 3 ? 0.3 * sw * sw : 3;

    /* scale: median height of the substantial components */
    /* room for 3 values per letter of a line, after touching letters are
     * split into at most PG_SPLIT_MAX pieces each */
    double *v = ps_malloc(sizeof(double) * (3 * PG_SPLIT_MAX * (size_t)nc + H + 16));
    int *line_of = ps_malloc(sizeof(int) * ((size_t)nc + 1));
    int *xline = NULL; /* per component: the other line it joins, -1 none */
    if (!v || !line_of) {
        ps_free(v);
        ps_free(line_of);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    unsigned char *blot = ps_calloc((size_t)nc + 1, 1);
    if (!blot) {
        ps_free(v);
        ps_free(line_of);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    int k = 0, big = 0, blots = 0;
    for (int i = 0; i < nc; i++) {
        int w = C[i].x1 - C[i].x0, h = C[i].y1 - C[i].y0;
        if (w > W / 2 || h > H / 4) {
            big++;
            continue;
        }
        if ((blot[i] = (unsigned char)solid_blot(pg, &C[i], i + 1, sw))) {
            blots++;
            continue;
        }
        if (C[i].area >= 2 * sw * sw && h >= 2 * sw)
            v[k++] = h;
    }
    if (big)
        pg_warn(pg, "%d ink region(s) larger than a letter ignored (drawings, page edges or shadows)", big);
    if (blots)
        pg_warn(pg, "%d solid ink blot(s) ignored (a pencil tip on the page, a smudge, a scribbled-out patch)",
                blots);
    double h0 = pg_median(v, k);
    if (!(h0 > 0)) {
        ps_free(v);
        ps_free(line_of);
        ps_free(blot);
        return PS_OK; /* no writing */
    }
#define IS_SMALL(c) ((c).y1 - (c).y0 < 0.45 * h0 && (c).x1 - (c).x0 < 0.6 * h0)
/* used: not a speck, not a page-sized region, not a thin sliver left over
 * from a printed line */
#define IS_SLIVER(c) ((c).y1 - (c).y0 <= (sw > 2 ? sw : 2) && (c).x1 - (c).x0 >= 6 * ((c).y1 - (c).y0))
#define IS_USED(c)                                                                                           \
    ((c).area >= min_area && (c).x1 - (c).x0 <= W / 2 && (c).y1 - (c).y0 <= H / 4 && !IS_SLIVER(c) &&           \
     !blot[&(c) - C])

    /* ---- lines */
    int nl = 0;
    float *la = ps_malloc(sizeof(float) * (H + 1) * 2);
    if (!la) {
        ps_free(v);
        ps_free(line_of);
        ps_free(blot);
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    }
    float *lb = la + (H + 1);
    const pg_ruling *R = &pg->ruling;
    int ruled = R->kind != PS_RULING_NONE && R->nbase > 0;
    if (ruled) {
        nl = R->nbase < H ? R->nbase : H;
        for (int i = 0; i < nl; i++) {
            lb[i] = R->base_slope[i];
            la[i] = R->base[i] + 0.5f - lb[i] * (W / 2.0f);
        }
        /* a component's line: the first baseline under its centre. A long
         * descender (g, j, y) has its centre below its own baseline, where
         * its top, in its line's body, says which line; a tall letter
         * reaching up across a printed line (narrow ruling written every
         * other line) is read rightly by its centre and wrongly by its top.
         * When the two readings differ, the letter goes to the line of most
         * of its neighbours along the writing that lie mostly within its
         * rows (the letters beside it, not those of the line below). */
        int *by_top = ps_malloc(sizeof(int) * ((size_t)nc + 1));
        if (!by_top) {
            rc = ps_fail(PS_ERR_NOMEM, "out of memory");
            goto done;
        }
        for (int i = 0; i < nc; i++) {
            line_of[i] = by_top[i] = -1;
            if (!IS_USED(C[i]))
                continue;
            /* by its middle, and by the middle of its top h0 rows */
            int h = C[i].y1 - C[i].y0;
            double cy = 0.5 * (C[i].y0 + C[i].y1), cx = 0.5 * (C[i].x0 + C[i].x1);
            double top = C[i].y0 + 0.5 * (h < h0 ? h : h0);
            if (IS_SMALL(C[i])) { /* dots and marks sit above the letters they belong to */
                cy += 0.5 * h0;
                top = cy;
            }
            line_of[i] = baseline_under(la, lb, nl, cx, cy, h0);
            by_top[i] = top < cy ? baseline_under(la, lb, nl, cx, top, h0) : line_of[i];
        }
        for (int i = 0; i < nc; i++) {
            if (by_top[i] == line_of[i] || by_top[i] < 0)
                continue;
            double cx = 0.5 * (C[i].x0 + C[i].x1);
            int votes[2] = {0, 0};
            for (int k = 0; k < nc; k++) {
                if (k == i || by_top[k] != line_of[k] || line_of[k] < 0 || IS_SMALL(C[k]) ||
                    fabs(0.5 * (C[k].x0 + C[k].x1) - cx) > 4 * h0)
                    continue;
                int oy = (C[k].y1 < C[i].y1 ? C[k].y1 : C[i].y1) - (C[k].y0 > C[i].y0 ? C[k].y0 : C[i].y0);
                if (2 * oy < C[k].y1 - C[k].y0)
                    continue;
                votes[0] += line_of[k] == line_of[i];
                votes[1] += line_of[k] == by_top[i];
            }
            if (votes[1] > votes[0])
                line_of[i] = by_top[i];
        }
        ps_free(by_top);
    } else {
        /* profile of component centres (middle half of each substantial component) */
        double *prof = v; /* reuse: H entries */
        memset(prof, 0, sizeof(double) * H);
        for (int i = 0; i < nc; i++) {
            if (!IS_USED(C[i]) || IS_SMALL(C[i]))
                continue;
            int h = C[i].y1 - C[i].y0, ya = C[i].y0 + h / 4, yb = C[i].y1 - h / 4;
            for (int y = ya; y < yb || y == ya; y++)
                if (y >= 0 && y < H)
                    prof[y] += (double)(C[i].x1 - C[i].x0) / (yb - ya + 1);
        }
        int rad = (int)(h0 / 3) + 1;
        double *sm = ps_malloc(sizeof(double) * H);
        if (!sm) {
            rc = ps_fail(PS_ERR_NOMEM, "out of memory");
            goto done;
        }
        double acc = 0, mx = 0;
        for (int y = 0; y < H + rad; y++) {
            if (y < H)
                acc += prof[y];
            if (y - 2 * rad - 1 >= 0)
                acc -= prof[y - 2 * rad - 1];
            if (y - rad >= 0) {
                sm[y - rad] = acc;
                if (acc > mx)
                    mx = acc;
            }
        }
        int sep = (int)(0.8 * h0);
        for (int y = 0; y < H; y++) {
            if (sm[y] < 0.08 * mx)
                continue;
            int peak = 1;
            for (int d = -sep; d <= sep && peak; d++) {
                int yy = y + d;
                if (d && yy >= 0 && yy < H && (sm[yy] > sm[y] || (sm[yy] == sm[y] && d < 0)))
                    peak = 0;
            }
            if (peak && nl < H) {
                la[nl] = (float)y;
                lb[nl] = 0;
                nl++;
            }
        }
        ps_free(sm);
        /* assign to the nearest line centre, refit each line through its
         * components' centres, repeat */
        for (int it = 0; it < 3; it++) {
            for (int i = 0; i < nc; i++) {
                line_of[i] = -1;
                if (!IS_USED(C[i]))
                    continue;
                double cx = 0.5 * (C[i].x0 + C[i].x1), cy = 0.5 * (C[i].y0 + C[i].y1);
                if (IS_SMALL(C[i]))
                    cy += 0.5 * h0;
                double bd = 1e30;
                for (int j = 0; j < nl; j++) {
                    double d = fabs(cy - (la[j] + lb[j] * cx));
                    if (d < bd) {
                        bd = d;
                        line_of[i] = j;
                    }
                }
                if (bd > 2.5 * h0)
                    line_of[i] = -1;
            }
            for (int j = 0; j < nl; j++) {
                double sw_ = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
                for (int i = 0; i < nc; i++) {
                    if (line_of[i] != j || IS_SMALL(C[i]))
                        continue;
                    double w = C[i].area, x = 0.5 * (C[i].x0 + C[i].x1), y = 0.5 * (C[i].y0 + C[i].y1);
                    sw_ += w;
                    sx += w * x;
                    sy += w * y;
                    sxx += w * x * x;
                    sxy += w * x * y;
                }
                if (sw_ <= 0)
                    continue;
                double den = sw_ * sxx - sx * sx;
                double b = den > 1e-9 * sw_ * sw_ ? (sw_ * sxy - sx * sy) / den : 0;
                if (fabs(b) > 0.15)
                    b = 0;
                lb[j] = (float)b;
                la[j] = (float)((sy - b * sx) / sw_);
            }
        }
    }

    /* ---- components that join two writing lines (a descender running
     * into an ascender below): cut between the lines, a part for each */
    xline = ps_malloc(sizeof(int) * 2 * ((size_t)nc + 1));
    if (!xline) {
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        goto done;
    }
    int *xrow = xline + nc + 1;
    for (int i = 0; i < nc; i++) {
        xline[i] = -1;
        int j = line_of[i];
        if (j < 0 || !IS_USED(C[i]) || IS_SMALL(C[i]))
            continue;
        double cx = 0.5 * (C[i].x0 + C[i].x1);
        /* ruled: the rows are baselines; unruled: line centres, a little
         * under half a letter above the baseline */
        double to_base = ruled ? 0 : 0.45 * h0;
        for (int k = j - 1; k <= j + 1 && xline[i] < 0; k += 2) {
            if (k < 0 || k >= nl)
                continue;
            int up = k < j ? k : j, low = k < j ? j : k;
            double y_up = la[up] + lb[up] * cx + to_base, y_low = la[low] + lb[low] * cx + to_base;
            if (pg_crossline_cut(pg, &C[i], i + 1, y_up, y_low, h0, &xrow[i]))
                xline[i] = k;
        }
    }

    /* ---- letters: one per component, then dots and broken pieces merged */
    pg->nletter = 0;
    for (int j = 0; j < nl && rc == PS_OK; j++) {
        int start = pg->nletter;
        for (int i = 0; i < nc && rc == PS_OK; i++) {
            if ((line_of[i] != j && xline[i] != j) || IS_SMALL(C[i]))
                continue;
            pg_letter L;
            memset(&L, 0, sizeof L);
            L.x0 = C[i].x0;
            L.y0 = C[i].y0;
            L.x1 = C[i].x1;
            L.y1 = C[i].y1;
            L.area = C[i].area;
            if (xline[i] >= 0) { /* this line's part of a component two lines share */
                int other = line_of[i] == j ? xline[i] : line_of[i];
                int box[4];
                L.ycut0 = other > j ? C[i].y0 : xrow[i];
                L.ycut1 = other > j ? xrow[i] : C[i].y1;
                if (!pg_comp_rows_box(pg, &C[i], i + 1, L.ycut0, L.ycut1, box, &L.area))
                    continue;
                L.x0 = box[0];
                L.y0 = box[1];
                L.x1 = box[2];
                L.y1 = box[3];
                L.flags |= PG_YCUT;
            }
            L.cut0 = L.x0;
            L.cut1 = L.x1;
            L.lab[0] = i + 1;
            L.nlab = 1;
            L.line = j;
            rc = push_letter(pg, &L);
        }
        /* small components: a dot over a letter joins it; others stay marks */
        for (int i = 0; i < nc && rc == PS_OK; i++) {
            if (line_of[i] != j || !IS_SMALL(C[i]))
                continue;
            double cx = 0.5 * (C[i].x0 + C[i].x1);
            int best = -1;
            double bd = 1e30;
            for (int m = start; m < pg->nletter; m++) {
                pg_letter *L = &pg->letter[m];
                if (C[i].y1 > L->y0 + 0.25 * h0 || L->y0 - C[i].y1 > 1.2 * h0)
                    continue;
                double d = cx < L->x0 ? L->x0 - cx : cx > L->x1 ? cx - L->x1 : 0;
                if (d < bd) {
                    bd = d;
                    best = m;
                }
            }
            if (best >= 0 && bd <= 0.5 * h0) {
                pg_letter D;
                memset(&D, 0, sizeof D);
                D.x0 = C[i].x0;
                D.y0 = C[i].y0;
                D.x1 = C[i].x1;
                D.y1 = C[i].y1;
                D.lab[0] = i + 1;
                D.nlab = 1;
                D.area = C[i].area;
                merge_into(&pg->letter[best], &D);
                pg->letter[best].has_dot = 1;
            }
        }
        if (pg->nletter > start)
            qsort(pg->letter + start, pg->nletter - start, sizeof(pg_letter), cmp_letter_x);
    }
    if (rc != PS_OK)
        goto done;

    /* ---- lines: baseline, classes, slant, broken pieces, words */
    pg->line = ps_calloc((size_t)nl + 1, sizeof(pg_line));
    if (!pg->line) {
        rc = ps_fail(PS_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* broken letters (a stroke cut by a printed line, a pencil skip): pieces
     * stacked one above the other (mostly the same columns, hardly any
     * common rows) become one letter; side-by-side letters overlap in rows */
    for (int j = 0, li = 0; j < nl; j++) {
        int first = li;
        while (li < pg->nletter && pg->letter[li].line == j)
            li++;
        pg_letter *Ls = pg->letter + first;
        int n = li - first;
        for (int m = 0; m < n; m++) {
            if (!Ls[m].nlab)
                continue;
            for (int q = m + 1; q < n; q++) {
                if (!Ls[q].nlab)
                    continue;
                if (Ls[q].x0 >= Ls[m].x1)
                    break;
                int ox = (Ls[q].x1 < Ls[m].x1 ? Ls[q].x1 : Ls[m].x1) - (Ls[q].x0 > Ls[m].x0 ? Ls[q].x0 : Ls[m].x0);
                int oy = (Ls[q].y1 < Ls[m].y1 ? Ls[q].y1 : Ls[m].y1) - (Ls[q].y0 > Ls[m].y0 ? Ls[q].y0 : Ls[m].y0);
                int wm = Ls[m].x1 - Ls[m].x0, wq = Ls[q].x1 - Ls[q].x0;
                int hm = Ls[m].y1 - Ls[m].y0, hq = Ls[q].y1 - Ls[q].y0;
                if (ox >= 0.5 * (wm < wq ? wm : wq) && oy <= 0.2 * (hm < hq ? hm : hq) &&
                    Ls[m].nlab + Ls[q].nlab <= PG_MAX_LABELS) {
                    merge_into(&Ls[m], &Ls[q]);
                    Ls[m].has_dot |= Ls[q].has_dot;
                    Ls[m].flags |= PG_MERGED;
                    Ls[q].nlab = 0;
                }
            }
        }
    }
    {
        int w = 0;
        for (int i = 0; i < pg->nletter; i++)
            if (pg->letter[i].nlab)
                pg->letter[w++] = pg->letter[i];
        pg->nletter = w;
    }
    /* then each line on its own (on the analyser's threads, seg_lines) */
    {
        /* a letter is at most a few components: the largest used component
         * times the label cap bounds its pixels */
        size_t maxarea = 16;
        for (int i = 0; i < nc; i++)
            if (IS_USED(C[i]) && (size_t)C[i].area > maxarea)
                maxarea = C[i].area;
        rc = seg_lines_run(pg, la, lb, ruled, h0, nl, maxarea * PG_MAX_LABELS);
    }
    if (rc != PS_OK)
        goto done;

    /* ---- words: gaps in x-heights, split by Otsu over the page, guarded */
    {
        int ng = 0;
        for (int j = 0; j < pg->nline; j++) {
            pg_line *ln = &pg->line[j];
            for (int m = ln->first; m + 1 < ln->first + ln->n; m++)
                if (ln->xh > 0) {
                    /* very wide gaps (a stray mark far along the line) are
                     * words anyway: capped, they cannot drag the split up */
                    double g = (pg->letter[m + 1].dx0 - pg->letter[m].dx1) / ln->xh;
                    v[ng++] = g > 2.5 ? 2.5 : g;
                }
        }
        double thr = 0.7;
        if (ng >= 4) {
            qsort(v, ng, sizeof(double), cmp_double);
            double best = -1, bt = thr, tot = pg_mean(v, ng) * ng, left = 0;
            for (int i = 0; i + 1 < ng; i++) {
                left += v[i];
                int n1 = i + 1, n2 = ng - n1;
                double m1 = left / n1, m2 = (tot - left) / n2;
                double between = (double)n1 * n2 * (m1 - m2) * (m1 - m2);
                if (between > best && v[i + 1] > v[i]) {
                    best = between;
                    bt = 0.5 * (v[i] + v[i + 1]);
                }
            }
            /* two real groups only if the wide gaps are clearly wider */
            double lo_sum = 0, hi_sum = 0;
            int nlo = 0, nhi = 0;
            for (int i = 0; i < ng; i++) {
                if (v[i] < bt) {
                    lo_sum += v[i];
                    nlo++;
                } else {
                    hi_sum += v[i];
                    nhi++;
                }
            }
            if (nlo && nhi && hi_sum / nhi > 1.8 * (lo_sum / nlo) + 0.15)
                thr = bt;
            if (thr < 0.35)
                thr = 0.35;
            if (thr > 1.6)
                thr = 1.6;
        }
        for (int j = 0; j < pg->nline; j++) {
            pg_line *ln = &pg->line[j];
            int w = 0;
            for (int m = ln->first; m < ln->first + ln->n; m++) {
                if (m > ln->first && (pg->letter[m].dx0 - pg->letter[m - 1].dx1) / ln->xh > thr)
                    w++;
                pg->letter[m].word = w;
            }
            ln->nwords = w + 1;
        }
    }
done:
    ps_free(xline);
    ps_free(v);
    ps_free(la);
    ps_free(line_of);
    ps_free(blot);
    return rc;
}
