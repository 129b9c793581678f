/* ADD, PRELU, LOGISTIC, MEAN, FULLY_CONNECTED, MAX_POOL_2D, PAD and
 * RESIZE_BILINEAR: AVX2 build of eltwise_simd.inc. */
#define NN_SIMD_AVX2
#include "nn/kernels/simd.h"
#include <string.h>
#include "eltwise_simd.inc"
