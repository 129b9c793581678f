/* RESIZE_BILINEAR, AVX512 build of resize_simd.inc. */
#define NN_SIMD_AVX512
#include "nn/kernels/simd.h"
#include <string.h>
#include "resize_simd.inc"
