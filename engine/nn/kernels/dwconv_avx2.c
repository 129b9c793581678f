/* DWCONV, AVX2 build of dwconv_simd.inc. */
#define NN_SIMD_AVX2
#include "nn/kernels/simd.h"
#include <string.h>
#include "dwconv_simd.inc"
