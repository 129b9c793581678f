/* MEAN, AVX512 build of mean_simd.inc. */
#define NN_SIMD_AVX512
#include "nn/kernels/simd.h"
#include <string.h>
#include "mean_simd.inc"
