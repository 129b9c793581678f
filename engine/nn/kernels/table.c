/* Kernel tables per ISA level. Each fast table names its own kernels; an op
 * without one at that level uses the level below (finally the reference). */
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

const nn_kernel_table *nn_kernels_ref(void) { return &nn_table_ref; }

const nn_kernel_table *nn_kernels_for(nn_isa isa)
{
    (void)isa;
    return &nn_table_ref;
}
