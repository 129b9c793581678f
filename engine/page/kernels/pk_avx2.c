/* AVX2 page kernels: the same bytes as pk_ref.c (the page stage builds with
 * -ffp-contract=off, so no multiply-add is fused here and not there). */
#include "page/kernels/pk.h"
#include <immintrin.h>
#include <math.h>
#include <stddef.h>

extern const pk_table pk_ref;

/* 16 RGB pixels (48 bytes) to 16 gray bytes: the three planes by byte
 * shuffles, then 16-bit arithmetic (77 R + 150 G + 29 B + 128 <= 65408). */
static void rgb_to_gray(const uint8_t *q, int n, uint8_t *d)
{
    const __m128i r0 = _mm_setr_epi8(0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i r1 = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, 2, 5, 8, 11, 14, -1, -1, -1, -1, -1);
    const __m128i r2 = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 4, 7, 10, 13);
    const __m128i g0 = _mm_setr_epi8(1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i g1 = _mm_setr_epi8(-1, -1, -1, -1, -1, 0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1);
    const __m128i g2 = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 2, 5, 8, 11, 14);
    const __m128i b0 = _mm_setr_epi8(2, 5, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i b1 = _mm_setr_epi8(-1, -1, -1, -1, -1, 1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1);
    const __m128i b2 = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 3, 6, 9, 12, 15);
    const __m256i wr = _mm256_set1_epi16(77), wg = _mm256_set1_epi16(150), wb = _mm256_set1_epi16(29),
                  half = _mm256_set1_epi16(128);
    int x = 0;
    for (; x + 16 <= n; x += 16, q += 48) {
        __m128i a0 = _mm_loadu_si128((const __m128i *)q), a1 = _mm_loadu_si128((const __m128i *)(q + 16)),
                a2 = _mm_loadu_si128((const __m128i *)(q + 32));
        __m128i R = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a0, r0), _mm_shuffle_epi8(a1, r1)),
                                 _mm_shuffle_epi8(a2, r2));
        __m128i G = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a0, g0), _mm_shuffle_epi8(a1, g1)),
                                 _mm_shuffle_epi8(a2, g2));
        __m128i B = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a0, b0), _mm_shuffle_epi8(a1, b1)),
                                 _mm_shuffle_epi8(a2, b2));
        __m256i v = _mm256_add_epi16(_mm256_mullo_epi16(_mm256_cvtepu8_epi16(R), wr),
                                     _mm256_mullo_epi16(_mm256_cvtepu8_epi16(G), wg));
        v = _mm256_add_epi16(v, _mm256_add_epi16(_mm256_mullo_epi16(_mm256_cvtepu8_epi16(B), wb), half));
        v = _mm256_srli_epi16(v, 8);
        __m128i lo = _mm256_castsi256_si128(v), hi = _mm256_extracti128_si256(v, 1);
        _mm_storeu_si128((__m128i *)(d + x), _mm_packus_epi16(lo, hi));
    }
    if (x < n)
        pk_ref.rgb_to_gray(q, n - x, d + x);
}

/* 16 gray bytes into the two row sums (mul then add, as the reference) */
static inline void accum16(__m128i g, __m256 wt, float *acc, int has_next, __m256 wn, float *next)
{
    __m256 lo = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(g));
    __m256 hi = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(g, 8)));
    _mm256_storeu_ps(acc, _mm256_add_ps(_mm256_loadu_ps(acc), _mm256_mul_ps(wt, lo)));
    _mm256_storeu_ps(acc + 8, _mm256_add_ps(_mm256_loadu_ps(acc + 8), _mm256_mul_ps(wt, hi)));
    if (has_next) {
        _mm256_storeu_ps(next, _mm256_add_ps(_mm256_loadu_ps(next), _mm256_mul_ps(wn, lo)));
        _mm256_storeu_ps(next + 8, _mm256_add_ps(_mm256_loadu_ps(next + 8), _mm256_mul_ps(wn, hi)));
    }
}

static void gray_accum(const uint8_t *q, int C, int n, float w_this, float *acc, float w_next, float *next)
{
    __m256 wt = _mm256_set1_ps(w_this), wn = _mm256_set1_ps(w_next);
    int has_next = w_next != 0, x = 0;
    uint8_t g[16];
    for (; x + 16 <= n; x += 16) {
        __m128i v;
        if (C == 1) {
            v = _mm_loadu_si128((const __m128i *)(q + x));
        } else {
            rgb_to_gray(q + 3 * (size_t)x, 16, g);
            v = _mm_loadu_si128((const __m128i *)g);
        }
        accum16(v, wt, acc + x, has_next, wn, next + x);
    }
    if (x < n)
        pk_ref.gray_accum(C == 1 ? q + x : q + 3 * (size_t)x, C, n - x, w_this, acc + x, w_next, next + x);
}

static void col_update(const uint8_t *in, const uint8_t *out, int n, uint32_t *cs, uint32_t *cq)
{
    const __m128i zero = _mm_setzero_si128();
    int x = 0;
    for (; x + 16 <= n; x += 16) {
        __m256i a = _mm256_cvtepu8_epi16(in ? _mm_loadu_si128((const __m128i *)(in + x)) : zero);
        __m256i b = _mm256_cvtepu8_epi16(out ? _mm_loadu_si128((const __m128i *)(out + x)) : zero);
        __m256i a2 = _mm256_mullo_epi16(a, a), b2 = _mm256_mullo_epi16(b, b); /* <= 65025: 16 bits */
        for (int h = 0; h < 2; h++) {
            __m128i ah = h ? _mm256_extracti128_si256(a, 1) : _mm256_castsi256_si128(a);
            __m128i bh = h ? _mm256_extracti128_si256(b, 1) : _mm256_castsi256_si128(b);
            __m128i a2h = h ? _mm256_extracti128_si256(a2, 1) : _mm256_castsi256_si128(a2);
            __m128i b2h = h ? _mm256_extracti128_si256(b2, 1) : _mm256_castsi256_si128(b2);
            __m256i s = _mm256_loadu_si256((const __m256i *)(cs + x + 8 * h));
            __m256i q = _mm256_loadu_si256((const __m256i *)(cq + x + 8 * h));
            s = _mm256_sub_epi32(_mm256_add_epi32(s, _mm256_cvtepu16_epi32(ah)), _mm256_cvtepu16_epi32(bh));
            q = _mm256_sub_epi32(_mm256_add_epi32(q, _mm256_cvtepu16_epi32(a2h)), _mm256_cvtepu16_epi32(b2h));
            _mm256_storeu_si256((__m256i *)(cs + x + 8 * h), s);
            _mm256_storeu_si256((__m256i *)(cq + x + 8 * h), q);
        }
    }
    if (x < n)
        pk_ref.col_update(in ? in + x : NULL, out ? out + x : NULL, n - x, cs + x, cq + x);
}

/* inclusive prefix sums of 8 u32 lanes (modulo 2^32) */
static inline __m256i prefix8(__m256i v)
{
    v = _mm256_add_epi32(v, _mm256_slli_si256(v, 4));
    v = _mm256_add_epi32(v, _mm256_slli_si256(v, 8));
    /* the low half's total into every lane of the high half */
    __m256i lowtot = _mm256_permutevar8x32_epi32(v, _mm256_set1_epi32(3));
    return _mm256_add_epi32(v, _mm256_permute2x128_si256(lowtot, lowtot, 0x08));
}

static void window_sums(const uint32_t *cs, const uint32_t *cq, int W, int r, uint32_t rows, uint32_t *ps,
                        uint32_t *pq, uint32_t *hs, uint32_t *hq, uint32_t *n)
{
    ps[0] = pq[0] = 0;
    __m256i cars = _mm256_setzero_si256(), carq = _mm256_setzero_si256(), last = _mm256_set1_epi32(7);
    int x = 0;
    for (; x + 8 <= W; x += 8) {
        __m256i s = _mm256_add_epi32(prefix8(_mm256_loadu_si256((const __m256i *)(cs + x))), cars);
        __m256i q = _mm256_add_epi32(prefix8(_mm256_loadu_si256((const __m256i *)(cq + x))), carq);
        _mm256_storeu_si256((__m256i *)(ps + x + 1), s);
        _mm256_storeu_si256((__m256i *)(pq + x + 1), q);
        cars = _mm256_permutevar8x32_epi32(s, last);
        carq = _mm256_permutevar8x32_epi32(q, last);
    }
    for (; x < W; x++) {
        ps[x + 1] = ps[x] + cs[x];
        pq[x + 1] = pq[x] + cq[x];
    }
    /* the full windows in between the clipped ends */
    int a = r < W ? r : W, b = W - r > a ? W - r : a;
    __m256i full = _mm256_set1_epi32((int)(rows * (uint32_t)(2 * r + 1)));
    for (x = 0; x < a; x++) {
        int wh = x + r >= W ? W - 1 : x + r;
        hs[x] = ps[wh + 1];
        hq[x] = pq[wh + 1];
        n[x] = rows * (uint32_t)(wh + 1);
    }
    for (; x + 8 <= b; x += 8) {
        _mm256_storeu_si256((__m256i *)(hs + x),
                            _mm256_sub_epi32(_mm256_loadu_si256((const __m256i *)(ps + x + r + 1)),
                                             _mm256_loadu_si256((const __m256i *)(ps + x - r))));
        _mm256_storeu_si256((__m256i *)(hq + x),
                            _mm256_sub_epi32(_mm256_loadu_si256((const __m256i *)(pq + x + r + 1)),
                                             _mm256_loadu_si256((const __m256i *)(pq + x - r))));
        _mm256_storeu_si256((__m256i *)(n + x), full);
    }
    for (; x < W; x++) {
        int wl = x - r < 0 ? 0 : x - r, wh = x + r >= W ? W - 1 : x + r;
        hs[x] = ps[wh + 1] - ps[wl];
        hq[x] = pq[wh + 1] - pq[wl];
        n[x] = rows * (uint32_t)(wh - wl + 1);
    }
}

/* u32 lanes to doubles (values over 2^31 too) */
static inline __m256d u32_to_pd(__m128i v)
{
    __m128i biased = _mm_xor_si128(v, _mm_set1_epi32((int)0x80000000u));
    return _mm256_add_pd(_mm256_cvtepi32_pd(biased), _mm256_set1_pd(2147483648.0));
}

/* four pixels' ink decisions (1 = ink) for k and kf, as the reference */
static inline void sauvola4(__m128i s32, __m128i hs, __m128i hq, __m128i n, __m256d k, __m256d kf, __m256d *ink,
                            __m256d *inkf)
{
    __m256d one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
    __m256d dn = u32_to_pd(n), ds = _mm256_cvtepi32_pd(s32);
    __m256d inv = _mm256_div_pd(one, dn);
    __m256d m = _mm256_mul_pd(u32_to_pd(hs), inv);
    __m256d var = _mm256_sub_pd(_mm256_mul_pd(u32_to_pd(hq), inv), _mm256_mul_pd(m, m));
    __m256d sd = _mm256_sqrt_pd(_mm256_max_pd(var, zero)); /* var > 0 ? sqrt(var) : 0 */
    __m256d q = _mm256_sub_pd(_mm256_div_pd(sd, _mm256_set1_pd(128.0)), one);
    __m256d t = _mm256_mul_pd(m, _mm256_add_pd(one, _mm256_mul_pd(k, q)));
    __m256d tf = _mm256_mul_pd(m, _mm256_add_pd(one, _mm256_mul_pd(kf, q)));
    *ink = _mm256_cmp_pd(ds, t, _CMP_LT_OQ);
    *inkf = _mm256_cmp_pd(ds, tf, _CMP_LT_OQ);
}

/* 4 double masks -> 4 bytes of 0 / 255 */
static inline uint32_t mask4_bytes(__m256d m)
{
    int b = _mm256_movemask_pd(m);
    return (b & 1 ? 0xffu : 0) | (b & 2 ? 0xff00u : 0) | (b & 4 ? 0xff0000u : 0) | (b & 8 ? 0xff000000u : 0);
}

static void sauvola_row(const uint8_t *s, const uint32_t *hs, const uint32_t *hq, const uint32_t *n, int W, double k,
                        double kf, uint8_t *d, uint8_t *df)
{
    __m256d vk = _mm256_set1_pd(k), vkf = _mm256_set1_pd(kf);
    int x = 0;
    for (; x + 8 <= W; x += 8) {
        /* paper when s n >= hs (both under 2^31 for windows up to 257 x 257) */
        __m256i s32 = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(s + x)));
        __m256i vn = _mm256_loadu_si256((const __m256i *)(n + x)), vh = _mm256_loadu_si256((const __m256i *)(hs + x));
        __m256i cand = _mm256_cmpgt_epi32(vh, _mm256_mullo_epi32(s32, vn));
        if (_mm256_testz_si256(cand, cand)) {
            *(uint64_t *)(void *)(d + x) = 0;
            *(uint64_t *)(void *)(df + x) = 0;
            continue;
        }
        __m256i vq = _mm256_loadu_si256((const __m256i *)(hq + x));
        __m256d i0, f0, i1, f1;
        sauvola4(_mm256_castsi256_si128(s32), _mm256_castsi256_si128(vh), _mm256_castsi256_si128(vq),
                 _mm256_castsi256_si128(vn), vk, vkf, &i0, &f0);
        sauvola4(_mm256_extracti128_si256(s32, 1), _mm256_extracti128_si256(vh, 1), _mm256_extracti128_si256(vq, 1),
                 _mm256_extracti128_si256(vn, 1), vk, vkf, &i1, &f1);
        int c = _mm256_movemask_ps(_mm256_castsi256_ps(cand));
        uint64_t cm = 0;
        for (int i = 0; i < 8; i++)
            cm |= c >> i & 1 ? (uint64_t)0xff << (8 * i) : 0;
        uint64_t a = ((uint64_t)mask4_bytes(i1) << 32 | mask4_bytes(i0)) & cm;
        uint64_t b = ((uint64_t)mask4_bytes(f1) << 32 | mask4_bytes(f0)) & cm;
        *(uint64_t *)(void *)(d + x) = a;
        *(uint64_t *)(void *)(df + x) = b;
    }
    if (x < W)
        pk_ref.sauvola_row(s + x, hs + x, hq + x, n + x, W - x, k, kf, d + x, df + x);
}

static void shrink_row4(const float *r, const int *first, const float *w, int n, uint8_t *d)
{
    const __m256 half = _mm256_set1_ps(0.5f), k255 = _mm256_set1_ps(255.0f), zero = _mm256_setzero_ps();
    int i = 0;
    const int readable = n > 0 ? first[n - 1] + 4 : 0; /* r is readable below this */
    const __m256i seven = _mm256_set1_epi32(7);
    for (; i + 8 <= n; i += 8) {
        __m256i f = _mm256_loadu_si256((const __m256i *)(first + i));
        __m256 sum = zero;
        int f0 = first[i];
        if (first[i + 7] + 3 - f0 < 16 && f0 + 16 <= readable) {
            /* the eight outputs' taps lie in 16 floats from r + f0: two loads
             * and permutes instead of gathers (the same values) */
            __m256 lo = _mm256_loadu_ps(r + f0), hi = _mm256_loadu_ps(r + f0 + 8);
            __m256i rel = _mm256_sub_epi32(f, _mm256_set1_epi32(f0));
            for (int k = 0; k < 4; k++) {
                __m256i idx = _mm256_add_epi32(rel, _mm256_set1_epi32(k));
                __m256 a = _mm256_permutevar8x32_ps(lo, idx), b = _mm256_permutevar8x32_ps(hi, idx);
                __m256 v = _mm256_blendv_ps(a, b, _mm256_castsi256_ps(_mm256_cmpgt_epi32(idx, seven)));
                sum = _mm256_add_ps(sum, _mm256_mul_ps(_mm256_loadu_ps(w + (size_t)k * n + i), v));
            }
        } else {
            for (int k = 0; k < 4; k++) {
                __m256 v = _mm256_i32gather_ps(r + k, f, 4);
                sum = _mm256_add_ps(sum, _mm256_mul_ps(_mm256_loadu_ps(w + (size_t)k * n + i), v));
            }
        }
        /* v > 255 ? 255 : v < 0 ? 0 : v, truncated */
        __m256 v = _mm256_add_ps(sum, half);
        v = _mm256_blendv_ps(v, k255, _mm256_cmp_ps(v, k255, _CMP_GT_OQ));
        v = _mm256_blendv_ps(v, zero, _mm256_cmp_ps(v, zero, _CMP_LT_OQ));
        __m256i q = _mm256_cvttps_epi32(v);
        __m128i p = _mm_packus_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
        _mm_storel_epi64((__m128i *)(d + i), _mm_packus_epi16(p, p));
    }
    for (; i < n; i++) {
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
    const __m256 k255 = _mm256_set1_ps(255.0f), half = _mm256_set1_ps(0.5f);
    int x = 0;
    for (; x + 8 <= n; x += 8) {
        __m256 v = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(r + x))));
        v = _mm256_div_ps(_mm256_mul_ps(v, k255), _mm256_loadu_ps(L + x));
        /* v > 255 ? 255 : v + 0.5, truncated (v >= 0) */
        __m256 big = _mm256_cmp_ps(v, k255, _CMP_GT_OQ);
        v = _mm256_blendv_ps(_mm256_add_ps(v, half), k255, big);
        __m256i i = _mm256_cvttps_epi32(v);
        __m128i p = _mm_packus_epi32(_mm256_castsi256_si128(i), _mm256_extracti128_si256(i, 1));
        _mm_storel_epi64((__m128i *)(r + x), _mm_packus_epi16(p, p));
    }
    if (x < n)
        pk_ref.flatten_row(r + x, L + x, n - x);
}

static void sample_row(const uint8_t *row, int x0, int bw, const double *xs, double c, int n, int *hits)
{
    __m256d vc = _mm256_set1_pd(c);
    __m128i vx0 = _mm_set1_epi32(x0), vbw = _mm_set1_epi32(bw), lowbyte = _mm_set1_epi32(0xff);
    for (int u = 0; u < n; u++) {
        __m128i xi = _mm256_cvttpd_epi32(_mm256_floor_pd(_mm256_add_pd(_mm256_loadu_pd(xs + 4 * u), vc)));
        __m128i idx = _mm_sub_epi32(xi, vx0);
        /* 0 <= idx < bw */
        __m128i in = _mm_andnot_si128(_mm_cmpgt_epi32(_mm_setzero_si128(), idx), _mm_cmpgt_epi32(vbw, idx));
        __m128i v = _mm_mask_i32gather_epi32(_mm_setzero_si128(), (const int *)(const void *)row, idx, in, 1);
        __m128i hit = _mm_andnot_si128(_mm_cmpeq_epi32(_mm_and_si128(v, lowbyte), _mm_setzero_si128()), in);
        hits[u] += __builtin_popcount((unsigned)_mm_movemask_ps(_mm_castsi128_ps(hit)));
    }
}

const pk_table pk_avx2 = {"avx2", rgb_to_gray, gray_accum, col_update, window_sums, sauvola_row, shrink_row4, flatten_row,
                          sample_row};
