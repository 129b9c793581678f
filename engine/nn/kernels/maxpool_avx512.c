/* MAX_POOL_2D, AVX512 build of maxpool_simd.inc. */
#define NN_SIMD_AVX512
#include "nn/kernels/simd.h"
#include <string.h>
#include "maxpool_simd.inc"
