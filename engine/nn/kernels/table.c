/* Kernel tables per ISA level. CONCATENATION is a copy in every table;
 * RESHAPE is a view and has no kernel. */
#include "nn/kernels/kernels.h"

const nn_kernel_table nn_table_ref = {
    "ref",
    {
        [NN_OP_CONV] = nn_conv_ref, [NN_OP_DWCONV] = nn_dwconv_ref, [NN_OP_ADD] = nn_add_ref,
        [NN_OP_PRELU] = nn_prelu_ref, [NN_OP_MAXPOOL] = nn_maxpool_ref, [NN_OP_PAD] = nn_pad_ref,
        [NN_OP_RESIZE] = nn_resize_ref, [NN_OP_MEAN] = nn_mean_ref, [NN_OP_FC] = nn_fc_ref,
        [NN_OP_LOGISTIC] = nn_logistic_ref, [NN_OP_RESHAPE] = NULL, [NN_OP_CONCAT] = nn_concat_ref,
    },
};

#define FAST_TABLE(isa)                                                                                       \
    const nn_kernel_table nn_table_##isa = {                                                                  \
        #isa,                                                                                                 \
        {                                                                                                     \
            [NN_OP_CONV] = nn_conv_##isa, [NN_OP_DWCONV] = nn_dwconv_##isa, [NN_OP_ADD] = nn_add_##isa,      \
            [NN_OP_PRELU] = nn_prelu_##isa, [NN_OP_MAXPOOL] = nn_maxpool_##isa, [NN_OP_PAD] = nn_pad_##isa,  \
            [NN_OP_RESIZE] = nn_resize_##isa, [NN_OP_MEAN] = nn_mean_##isa, [NN_OP_FC] = nn_fc_##isa,        \
            [NN_OP_LOGISTIC] = nn_logistic_##isa, [NN_OP_RESHAPE] = NULL, [NN_OP_CONCAT] = nn_concat_ref,    \
        },                                                                                                    \
    };
FAST_TABLE(avx2)
FAST_TABLE(avx512)

const nn_kernel_table *nn_kernels_ref(void) { return &nn_table_ref; }

const nn_kernel_table *nn_kernels_for(nn_isa isa)
{
    switch (isa) {
    case NN_ISA_AVX512: return &nn_table_avx512;
    case NN_ISA_AVX2: return &nn_table_avx2;
    default: return &nn_table_ref;
    }
}
