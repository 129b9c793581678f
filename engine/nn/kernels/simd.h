/* Vector vocabulary for the fast kernels, so each op's template
 * (<op>_simd.inc) is written once and compiled per ISA: <op>_avx2.c and
 * <op>_avx512.c define NN_SIMD_AVX2 or NN_SIMD_AVX512, include this header,
 * then the template. NN_FN(name) gives the ISA-suffixed symbol. Loads and
 * stores are unaligned; tails of n < VW lanes use masks, never reading or
 * writing past the end. */
#ifndef PS_NN_SIMD_H
#define PS_NN_SIMD_H
#include "nn/kernels/kernels.h"
#include <immintrin.h>
#include <stdint.h>

#if defined(NN_SIMD_AVX512)
#define VW 16
typedef __m512 vf;
#define NN_FN(name) name##_avx512
#define v_load _mm512_loadu_ps
#define v_store _mm512_storeu_ps
#define v_set1 _mm512_set1_ps
#define v_zero _mm512_setzero_ps
#define v_add _mm512_add_ps
#define v_sub _mm512_sub_ps
#define v_mul _mm512_mul_ps
#define v_fma _mm512_fmadd_ps
#define v_max _mm512_max_ps
#define v_min _mm512_min_ps
#define v_div _mm512_div_ps
static inline __mmask16 v_mask(int n) { return (__mmask16)((1u << n) - 1); }
static inline vf v_load_n(const float *p, int n) { return _mm512_maskz_loadu_ps(v_mask(n), p); }
static inline void v_store_n(float *p, vf v, int n) { _mm512_mask_storeu_ps(p, v_mask(n), v); }
static inline float v_hsum(vf v) { return _mm512_reduce_add_ps(v); }
static inline vf v_round(vf v) { return _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
static inline vf v_pow2i(vf n) /* 2^n for integral n in [-126, 127] */
{
    __m512i e = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23);
    return _mm512_castsi512_ps(e);
}
#elif defined(NN_SIMD_AVX2)
#define VW 8
typedef __m256 vf;
#define NN_FN(name) name##_avx2
#define v_load _mm256_loadu_ps
#define v_store _mm256_storeu_ps
#define v_set1 _mm256_set1_ps
#define v_zero _mm256_setzero_ps
#define v_add _mm256_add_ps
#define v_sub _mm256_sub_ps
#define v_mul _mm256_mul_ps
#define v_fma _mm256_fmadd_ps
#define v_max _mm256_max_ps
#define v_min _mm256_min_ps
#define v_div _mm256_div_ps
static inline __m256i v_mask(int n)
{
    static const int32_t m[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256((const __m256i *)(m + 8 - n));
}
static inline vf v_load_n(const float *p, int n) { return _mm256_maskload_ps(p, v_mask(n)); }
static inline void v_store_n(float *p, vf v, int n) { _mm256_maskstore_ps(p, v_mask(n), v); }
static inline float v_hsum(vf v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
static inline vf v_round(vf v) { return _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
static inline vf v_pow2i(vf n)
{
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_castsi256_ps(e);
}
#else
#error "define NN_SIMD_AVX2 or NN_SIMD_AVX512 before including simd.h"
#endif

/* Loads n <= VW lanes: a full load when n == VW. */
static inline vf v_load_upto(const float *p, int n) { return n == VW ? v_load(p) : v_load_n(p, n); }
static inline void v_store_upto(float *p, vf v, int n)
{
    if (n == VW)
        v_store(p, v);
    else
        v_store_n(p, v, n);
}

#endif
