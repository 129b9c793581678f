/* LOGISTIC, AVX512 build of logistic_simd.inc. */
#define NN_SIMD_AVX512
#include "nn/kernels/simd.h"
#include <string.h>
#include "logistic_simd.inc"
