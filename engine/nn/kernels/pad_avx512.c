/* PAD, AVX512 build of pad_simd.inc. */
#define NN_SIMD_AVX512
#include "nn/kernels/simd.h"
#include <string.h>
#include "pad_simd.inc"
