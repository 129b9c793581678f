/* Per-pixel kernels of the page analyser: a plain C reference (pk_ref.c)
 * and an AVX2 build (pk_avx2.c) that must give the same bytes (tested in
 * tests/unit/test_page_kernels.c); pk_kernels() picks one by CPU, and
 * PS_SIMD=none forces the reference (engine/nn/cpu.c). */
#ifndef PS_PAGE_PK_H
#define PS_PAGE_PK_H
#include <stdint.h>

typedef struct pk_table {
    const char *name;
    /* n RGB pixels to gray: (77 R + 150 G + 29 B + 128) >> 8 */
    void (*rgb_to_gray)(const uint8_t *rgb, int n, uint8_t *gray);
    /* one input row into the shrink's two output row sums: its gray g (as
     * rgb_to_gray, or the byte itself when channels is 1) added as acc[x] +=
     * w_this * g and, when w_next != 0, next[x] += w_next * g */
    void (*gray_accum)(const uint8_t *px, int channels, int n, float w_this, float *acc, float w_next, float *next);
    /* Sauvola's column sums: cs[x] += in[x] - out[x], cq[x] += in[x]^2 -
     * out[x]^2 (modulo 2^32; in or out NULL: that row is not there) */
    void (*col_update)(const uint8_t *in, const uint8_t *out, int n, uint32_t *cs, uint32_t *cq);
    /* Sauvola's window sums along a row from the column sums cs, cq: for
     * the window [x - r, x + r] clipped to [0, w), hs[x] and hq[x] its sums
     * (modulo 2^32) and n[x] = rows times its width; ps, pq: w + 1 scratch */
    void (*window_sums)(const uint32_t *cs, const uint32_t *cq, int w, int r, uint32_t rows, uint32_t *ps,
                        uint32_t *pq, uint32_t *hs, uint32_t *hq, uint32_t *n);
    /* Sauvola on one row: pixel x with window sum hs[x], sum of squares
     * hq[x] over n[x] pixels is ink (255) when s < m (1 + k (sd/128 - 1)),
     * into d for k and df for kf; paper (s n >= hs) is 0 in both */
    void (*sauvola_row)(const uint8_t *s, const uint32_t *hs, const uint32_t *hq, const uint32_t *n, int w,
                        double k, double kf, uint8_t *d, uint8_t *df);
    /* area shrink of one row, four taps: d[i] = sum over k of w[k n + i] *
     * r[first[i] + k] (summed k = 0..3), rounded and clamped; first is
     * nondecreasing and r readable up to first[n - 1] + 3 */
    void (*shrink_row4)(const float *r, const int *first, const float *w, int n, uint8_t *d);
    /* r[x] = min(255, r[x] * 255 / L[x]) rounded: the paper's light divided out */
    void (*flatten_row)(uint8_t *r, const float *L, int n);
    /* one sample row of a letter's normalisation (letterform.c): for u < n,
     * hits[u] += the number of k < 4 whose column floor(xs[4u+k] + c) - x0
     * lies in [0, bw) with row[column] != 0 (row: bw bytes, then 3 more
     * readable) */
    void (*sample_row)(const uint8_t *row, int x0, int bw, const double *xs, double c, int n, int *hits);
} pk_table;

extern const pk_table pk_ref;
#if defined(__x86_64__) || defined(__i386__)
extern const pk_table pk_avx2;
#define PK_HAVE_AVX2 1
#endif

/* The fastest table this CPU runs (and PS_SIMD allows). */
const pk_table *pk_kernels(void);
#endif
