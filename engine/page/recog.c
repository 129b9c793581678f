/* Letter recogniser: shape descriptor + small MLP.
 *
 * Descriptor of a normalised 32x32 letter: the bitmap is smoothed (5-tap
 * binomial), its Sobel gradient at every pixel is split between the two
 * nearest of 8 directions (45 degrees apart, polarity kept: ink lies on the
 * side the gradient points to), and the direction planes are pooled into a
 * 4x4 grid with bilinear weights (coarser than 6x6, it read unseen hands
 * better: 86.4 against 85.7 % on the validation fonts); square roots of
 * the pooled values, scaled to unit length, make the shape part (stroke
 * width and contrast hardly change it). An 8x8 ink density grid and the
 * letter's place on the line (top and bottom against the baseline in
 * x-heights, log of its aspect) complete it: the normalised bitmap alone
 * cannot tell n from h.
 *
 * Model file (models/glyphs/letters.recog, written by
 * tests/gen/psrecog_train):
 *   penscope-recog 1
 *   classes <nc> <nc characters>
 *   hidden <nh>
 *   features <NF>
 *   trained <free text: fonts, samples, seed>
 *   data
 * then little-endian float32: mean[NF], inv_sd[NF], w1[nh][NF], b1[nh],
 * w2[nc][nh], b2[nc]. The classifier is z = (f - mean) * inv_sd,
 * h = relu(w1 z + b1), p = softmax(w2 h + b2). */
#include "page/recog.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define N PG_GN

void pg_recog_features(const uint8_t *bm, const pg_recog_geom *geo, float *feat)
{
    /* smoothing: separable [1 4 6 4 1] / 16, paper outside */
    float t[N * N], s[N * N];
    static const float K[5] = {1 / 16.f, 4 / 16.f, 6 / 16.f, 4 / 16.f, 1 / 16.f};
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) {
            float a = 0;
            for (int k = -2; k <= 2; k++)
                if (x + k >= 0 && x + k < N && bm[y * N + x + k])
                    a += K[k + 2];
            t[y * N + x] = a;
        }
    for (int y = 0; y < N; y++)
        for (int x = 0; x < N; x++) {
            float a = 0;
            for (int k = -2; k <= 2; k++)
                if (y + k >= 0 && y + k < N)
                    a += K[k + 2] * t[(y + k) * N + x];
            s[y * N + x] = a;
        }
    /* direction planes pooled on the grid */
    enum { G = PG_RECOG_GRID, D = PG_RECOG_DIRS };
    float *hist = feat;
    memset(hist, 0, sizeof(float) * D * G * G);
    const float R2 = 1.41421356f, cell = (float)N / G;
    for (int y = 1; y < N - 1; y++) {
        float fy = (y + 0.5f) / cell - 0.5f;
        int iy = (int)floorf(fy);
        float wy = fy - iy;
        int iy0 = iy < 0 ? 0 : iy, iy1 = iy + 1 >= G ? G - 1 : iy + 1;
        for (int x = 1; x < N - 1; x++) {
            const float *p = &s[y * N + x];
            float gx = (p[-N + 1] + 2 * p[1] + p[N + 1]) - (p[-N - 1] + 2 * p[-1] + p[N - 1]);
            float gy = (p[N - 1] + 2 * p[N] + p[N + 1]) - (p[-N - 1] + 2 * p[-N] + p[-N + 1]);
            if (gx == 0 && gy == 0)
                continue;
            /* rotate into the first quadrant by q quarter turns, then split
             * between the two bounding directions */
            int q;
            float u, v;
            if (gx > 0 && gy >= 0) { q = 0; u = gx; v = gy; }
            else if (gx <= 0 && gy > 0) { q = 1; u = gy; v = -gx; }
            else if (gx < 0 && gy <= 0) { q = 2; u = -gx; v = -gy; }
            else { q = 3; u = -gy; v = gx; }
            int d0, d1;
            float a0, a1;
            if (u >= v) {
                d0 = 2 * q;
                a0 = u - v;
                d1 = 2 * q + 1;
                a1 = R2 * v;
            } else {
                d0 = 2 * q + 1;
                a0 = R2 * u;
                d1 = (2 * q + 2) % D;
                a1 = v - u;
            }
            float fx = (x + 0.5f) / cell - 0.5f;
            int ix = (int)floorf(fx);
            float wx = fx - ix;
            int ix0 = ix < 0 ? 0 : ix, ix1 = ix + 1 >= G ? G - 1 : ix + 1;
            float w00 = (1 - wy) * (1 - wx), w01 = (1 - wy) * wx, w10 = wy * (1 - wx), w11 = wy * wx;
            float *h0 = hist + d0 * G * G, *h1 = hist + d1 * G * G;
            h0[iy0 * G + ix0] += a0 * w00;
            h0[iy0 * G + ix1] += a0 * w01;
            h0[iy1 * G + ix0] += a0 * w10;
            h0[iy1 * G + ix1] += a0 * w11;
            h1[iy0 * G + ix0] += a1 * w00;
            h1[iy0 * G + ix1] += a1 * w01;
            h1[iy1 * G + ix0] += a1 * w10;
            h1[iy1 * G + ix1] += a1 * w11;
        }
    }
    double norm = 0;
    for (int i = 0; i < D * G * G; i++) {
        hist[i] = sqrtf(hist[i]);
        norm += (double)hist[i] * hist[i];
    }
    if (norm > 0) {
        float k = (float)(1 / sqrt(norm));
        for (int i = 0; i < D * G * G; i++)
            hist[i] *= k;
    }
    /* ink density */
    enum { E = PG_RECOG_DENS, B = N / PG_RECOG_DENS };
    float *dens = feat + D * G * G;
    for (int by = 0; by < E; by++)
        for (int bx = 0; bx < E; bx++) {
            int c = 0;
            for (int y = by * B; y < (by + 1) * B; y++)
                for (int x = bx * B; x < (bx + 1) * B; x++)
                    c += bm[y * N + x] != 0;
            dens[by * E + bx] = (float)c / (B * B);
        }
    float *g = dens + E * E;
    float top = geo->top, bot = geo->bottom, asp = geo->aspect;
    g[0] = !(top > -1) ? -1 : top > 4 ? 4 : top; /* NaN-safe clamps */
    g[1] = !(bot > -2) ? -2 : bot > 3 ? 3 : bot;
    float la = asp > 0 ? logf(asp) : -3;
    g[2] = !(la > -3) ? -3 : la > 3 ? 3 : la;
}

/* Eight partial sums: independent chains the compiler can keep in one
 * vector register (a single running sum waits on every add). */
static float dot(const float *a, const float *b, int n)
{
    float acc[8] = {0};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++)
            acc[k] += a[i + k] * b[i + k];
    float s = 0;
    for (; i < n; i++)
        s += a[i] * b[i];
    for (int k = 0; k < 8; k++)
        s += acc[k];
    return s;
}

int pg_recog_classify(const pg_recog *r, const float *feat, float *prob)
{
    float z[PG_RECOG_NF], h[PG_RECOG_MAX_HIDDEN];
    for (int i = 0; i < PG_RECOG_NF; i++)
        z[i] = (feat[i] - r->mean[i]) * r->inv_sd[i];
    for (int j = 0; j < r->nh; j++) {
        float a = r->b1[j] + dot(r->w1 + (size_t)j * PG_RECOG_NF, z, PG_RECOG_NF);
        h[j] = a > 0 ? a : 0;
    }
    float lg[PG_RECOG_MAX_CLASSES], mx = -INFINITY;
    int best = 0;
    for (int c = 0; c < r->nc; c++) {
        float a = r->b2[c] + dot(r->w2 + (size_t)c * r->nh, h, r->nh);
        lg[c] = a;
        if (a > mx) {
            mx = a;
            best = c;
        }
    }
    if (prob) {
        double sum = 0;
        for (int c = 0; c < r->nc; c++)
            sum += prob[c] = expf(lg[c] - mx);
        for (int c = 0; c < r->nc; c++)
            prob[c] = (float)(prob[c] / sum);
    }
    return best;
}

int pg_recog_class_of(const pg_recog *r, char ch)
{
    for (int c = 0; c < r->nc; c++)
        if (r->cls[c] == ch)
            return c;
    return -1;
}

void pg_recog_letter_geom(const struct ps_page *pg, const pg_letter *L, pg_recog_geom *geo)
{
    const pg_line *ln = &pg->line[L->line];
    double base = ln->base_a + ln->base_b * 0.5 * (L->x0 + L->x1);
    double xh = ln->xh > 0 ? ln->xh : 1, h = L->y1 - L->y0;
    geo->top = (float)((base - L->y0) / xh);
    geo->bottom = (float)((L->y1 - base) / xh);
    geo->aspect = (float)(h > 0 ? (L->dx1 - L->dx0) / h : 1);
}

char pg_recog_letter(const pg_recog *r, const struct ps_page *pg, const pg_letter *L, float *prob, float *conf)
{
    uint8_t bm[N * N];
    float dt[N * N], feat[PG_RECOG_NF], p[PG_RECOG_MAX_CLASSES];
    if (!pg_letter_normalise(pg, L, bm, dt)) {
        if (conf)
            *conf = 0;
        return 0;
    }
    pg_recog_geom geo;
    pg_recog_letter_geom(pg, L, &geo);
    pg_recog_features(bm, &geo, feat);
    int c = pg_recog_classify(r, feat, p);
    if (prob)
        memcpy(prob, p, sizeof(float) * r->nc);
    if (conf)
        *conf = p[c];
    return r->cls[c];
}

/* ---- model file */

static int next_line(const unsigned char **p, const unsigned char *end, char *line, size_t cap)
{
    if (*p >= end)
        return 0;
    size_t n = 0;
    while (*p < end && **p != '\n') {
        if (n + 1 < cap)
            line[n++] = (char)**p;
        (*p)++;
    }
    if (*p >= end)
        return 0; /* every header line ends with a newline */
    (*p)++;
    line[n] = 0;
    return 1;
}

static float le_float(const unsigned char *b)
{
    uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

void pg_recog_release(pg_recog *r)
{
    if (!r)
        return;
    ps_free(r->mean); /* one block holds all the arrays */
    memset(r, 0, sizeof *r);
}

ps_status pg_recog_parse(pg_recog *r, const unsigned char *data, size_t len)
{
    memset(r, 0, sizeof *r);
    const unsigned char *p = data, *end = data + len;
    char line[256], chars[256];
    int nc = 0, nh = 0, nf = 0;
    if (!next_line(&p, end, line, sizeof line) || strcmp(line, "penscope-recog 1"))
        return ps_fail(PS_ERR_CORRUPT, "not a penscope letter recogniser model (version 1)");
    if (!next_line(&p, end, line, sizeof line) || sscanf(line, "classes %d %255s", &nc, chars) != 2 || nc < 2 ||
        nc > PG_RECOG_MAX_CLASSES || (int)strlen(chars) != nc)
        return ps_fail(PS_ERR_CORRUPT, "letter recogniser model: bad classes line");
    for (int c = 0; c < nc; c++) {
        if (!isalnum((unsigned char)chars[c]) || memchr(chars, chars[c], (size_t)c))
            return ps_fail(PS_ERR_CORRUPT, "letter recogniser model: class '%c' is not a new letter or digit",
                           chars[c]);
    }
    if (!next_line(&p, end, line, sizeof line) || sscanf(line, "hidden %d", &nh) != 1 || nh < 1 ||
        nh > PG_RECOG_MAX_HIDDEN)
        return ps_fail(PS_ERR_CORRUPT, "letter recogniser model: bad hidden line");
    if (!next_line(&p, end, line, sizeof line) || sscanf(line, "features %d", &nf) != 1)
        return ps_fail(PS_ERR_CORRUPT, "letter recogniser model: bad features line");
    if (nf != PG_RECOG_NF)
        return ps_fail(PS_ERR_UNSUPPORTED, "letter recogniser model has %d features, this penscope computes %d",
                       nf, PG_RECOG_NF);
    if (!next_line(&p, end, line, sizeof line) || strncmp(line, "trained ", 8))
        return ps_fail(PS_ERR_CORRUPT, "letter recogniser model: no trained line");
    snprintf(r->about, sizeof r->about, "%.150s", line + 8);
    if (!next_line(&p, end, line, sizeof line) || strcmp(line, "data"))
        return ps_fail(PS_ERR_CORRUPT, "letter recogniser model: no data line");
    size_t count = 2 * (size_t)nf + (size_t)nh * nf + nh + (size_t)nc * nh + nc;
    if ((size_t)(end - p) != 4 * count)
        return ps_fail(PS_ERR_CORRUPT, "letter recogniser model: %zu data bytes, want %zu", (size_t)(end - p),
                       4 * count);
    float *all = ps_malloc(sizeof(float) * count);
    if (!all)
        return ps_fail(PS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) {
        all[i] = le_float(p + 4 * i);
        if (!isfinite(all[i]) || fabsf(all[i]) > 1e6f || (i >= (size_t)nf && i < 2 * (size_t)nf && !(all[i] > 0))) {
            ps_free(all);
            return ps_fail(PS_ERR_CORRUPT, "letter recogniser model: value %zu is out of range", i);
        }
    }
    r->nc = nc;
    r->nh = nh;
    memcpy(r->cls, chars, (size_t)nc);
    r->mean = all;
    r->inv_sd = all + nf;
    r->w1 = r->inv_sd + nf;
    r->b1 = r->w1 + (size_t)nh * nf;
    r->w2 = r->b1 + nh;
    r->b2 = r->w2 + (size_t)nc * nh;
    return PS_OK;
}

ps_status pg_recog_load(pg_recog *r, const char *models_dir)
{
    memset(r, 0, sizeof *r);
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/glyphs/%s", models_dir, PG_RECOG_FILE);
    if (n < 0 || (size_t)n >= sizeof path)
        return ps_fail(PS_ERR_INVALID_ARG, "models folder path too long");
    unsigned char *buf = NULL;
    size_t len = 0;
    ps_status rc = ps_file_read_all(path, 16u << 20, &buf, &len);
    if (rc == PS_OK) {
        rc = pg_recog_parse(r, buf, len);
        if (rc != PS_OK)
            ps_error_prefix(path);
    }
    ps_free(buf);
    return rc;
}
