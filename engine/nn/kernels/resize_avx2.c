/* RESIZE_BILINEAR, AVX2 build of resize_simd.inc. */
#define NN_SIMD_AVX2
#include "nn/kernels/simd.h"
#include <string.h>
#include "resize_simd.inc"
