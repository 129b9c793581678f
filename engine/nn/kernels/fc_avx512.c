/* FULLY_CONNECTED, AVX512 build of fc_simd.inc. */
#define NN_SIMD_AVX512
#include "nn/kernels/simd.h"
#include <string.h>
#include "fc_simd.inc"
