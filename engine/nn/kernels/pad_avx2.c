/* PAD, AVX2 build of pad_simd.inc. */
#define NN_SIMD_AVX2
#include "nn/kernels/simd.h"
#include <string.h>
#include "pad_simd.inc"
