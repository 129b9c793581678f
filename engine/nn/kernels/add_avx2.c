/* ADD, AVX2 build of add_simd.inc. */
#define NN_SIMD_AVX2
#include "nn/kernels/simd.h"
#include <string.h>
#include "add_simd.inc"
