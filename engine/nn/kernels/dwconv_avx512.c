/* DWCONV, AVX512 build of dwconv_simd.inc. */
#define NN_SIMD_AVX512
#include "nn/kernels/simd.h"
#include <string.h>
#include "dwconv_simd.inc"
