/* MAX_POOL_2D, AVX2 build of maxpool_simd.inc. */
#define NN_SIMD_AVX2
#include "nn/kernels/simd.h"
#include <string.h>
#include "maxpool_simd.inc"
