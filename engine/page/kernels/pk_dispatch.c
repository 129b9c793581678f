/* Picks the page kernels for this CPU once (PS_SIMD can force lower). */
#include "page/kernels/pk.h"
#include "nn/kernels/kernels.h"
#include <pthread.h>

static const pk_table *chosen = &pk_ref;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void choose(void)
{
#ifdef PK_HAVE_AVX2
    if (nn_cpu_isa() >= NN_ISA_AVX2)
        chosen = &pk_avx2;
#endif
}

const pk_table *pk_kernels(void)
{
    pthread_once(&once, choose);
    return chosen;
}
