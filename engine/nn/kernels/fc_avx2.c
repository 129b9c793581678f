/* FULLY_CONNECTED, AVX2 build of fc_simd.inc. */
#define NN_SIMD_AVX2
#include "nn/kernels/simd.h"
#include <string.h>
#include "fc_simd.inc"
