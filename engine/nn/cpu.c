/* Runtime CPU detection for kernel dispatch. PS_SIMD=none|avx2|avx512 can
 * force a lower level (to test or compare the fallbacks); it never raises
 * the level above what the CPU supports. */
#include "nn/kernels/kernels.h"
#include <stdlib.h>
#include <string.h>

int nn_cpu_has(nn_isa isa)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    switch (isa) {
    case NN_ISA_NONE: return 1;
    case NN_ISA_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case NN_ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return 0;
#else
    return isa == NN_ISA_NONE;
#endif
}

nn_isa nn_cpu_isa(void)
{
    nn_isa best = nn_cpu_has(NN_ISA_AVX512) ? NN_ISA_AVX512 : nn_cpu_has(NN_ISA_AVX2) ? NN_ISA_AVX2 : NN_ISA_NONE;
    const char *env = getenv("PS_SIMD");
    if (env && *env) {
        nn_isa want = best;
        if (!strcmp(env, "none") || !strcmp(env, "scalar"))
            want = NN_ISA_NONE;
        else if (!strcmp(env, "avx2"))
            want = NN_ISA_AVX2;
        else if (!strcmp(env, "avx512"))
            want = NN_ISA_AVX512;
        if (want < best)
            best = want;
    }
    return best;
}

const char *nn_isa_name(nn_isa isa)
{
    switch (isa) {
    case NN_ISA_AVX2: return "avx2";
    case NN_ISA_AVX512: return "avx512";
    default: return "none";
    }
}
