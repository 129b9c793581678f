/* LOGISTIC, AVX2 build of logistic_simd.inc. */
#define NN_SIMD_AVX2
#include "nn/kernels/simd.h"
#include <string.h>
#include "logistic_simd.inc"
