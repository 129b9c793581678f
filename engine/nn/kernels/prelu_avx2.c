/* PRELU, AVX2 build of prelu_simd.inc. */
#define NN_SIMD_AVX2
#include "nn/kernels/simd.h"
#include <string.h>
#include "prelu_simd.inc"
