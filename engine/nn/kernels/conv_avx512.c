/* CONV, AVX512 build of conv_simd.inc. */
#define NN_SIMD_AVX512
#include "nn/kernels/simd.h"
#include <string.h>
#include "conv_simd.inc"
