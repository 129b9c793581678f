/* The loaded graph: values (constants with fp32 data, or activations that a
 * session places in its arena) and the ops that remain after DEQUANTIZE is
 * folded, each with its shapes and options validated and resolved into
 * plain numbers the kernels use directly. */
#ifndef PS_NN_MODEL_H
#define PS_NN_MODEL_H
#include "nn/nn.h"
#include <stddef.h>
#include <stdint.h>

#define NN_MAX_INPUTS 8

typedef enum nn_optype {
    NN_OP_CONV,      /* CONV_2D: im2col + GEMM, or a plain GEMM for 1x1 stride 1 */
    NN_OP_DWCONV,    /* DEPTHWISE_CONV_2D, depth multiplier 1 */
    NN_OP_ADD,
    NN_OP_PRELU,
    NN_OP_MAXPOOL,
    NN_OP_PAD,
    NN_OP_RESIZE,    /* RESIZE_BILINEAR */
    NN_OP_MEAN,      /* over H and W */
    NN_OP_FC,        /* FULLY_CONNECTED */
    NN_OP_LOGISTIC,
    NN_OP_RESHAPE,   /* a view: output shares its input's storage */
    NN_OP_CONCAT,
    NN_OP_COUNT
} nn_optype;

typedef enum nn_act { NN_ACT_NONE = 0, NN_ACT_RELU = 1, NN_ACT_RELU6 = 2, NN_ACT_RELU_N1_TO_1 = 3 } nn_act;

typedef struct nn_value {
    int ndim;
    int dims[4];
    size_t count;
    const float *cdata;  /* constants: fp32 data owned by the model; NULL for activations */
    int view_of;         /* RESHAPE output: the value whose storage it shares, else -1 */
    int first, last;     /* op index range where the storage is live (-1 = graph input) */
    int graph_input;     /* index among the model inputs, or -1 */
} nn_value;

/* Geometry of a 4-D NHWC op (batch 1): input h,w,c and output h,w,c. */
typedef struct nn_geom { int ih, iw, ic, oh, ow, oc; } nn_geom;

typedef struct nn_op {
    nn_optype type;
    int tfl_index;             /* operator index in the .tflite file, for messages */
    int nin;
    int in[NN_MAX_INPUTS];     /* value indices; for conv/dw/fc: input, weights, bias */
    int out;
    nn_act act;
    nn_geom g;
    int kh, kw, sh, sw, pad_t, pad_l;  /* conv, depthwise, pool */
    int is_1x1;                /* conv 1x1, stride 1, no padding: a plain GEMM */
    /* conv epilogue fused from a following ADD (and PRELU) by fuse.c:
     * out = prelu(res_act(act(conv) + in[3])) with the alpha in[4] */
    int fused_add, fused_prelu;
    nn_act res_act;
    int pads[4][2];            /* PAD: before/after per NHWC dim */
    int align_corners, half_pixel;
    int axis, outer;           /* CONCAT: axis, product of the dims before it */
    /* conv: weights packed for the GEMM micro-kernels, [np][K][16] with np
     * = ceil(N/32)*2 panels and zero padding, and the bias padded to np*16 */
    const float *packed;
    const float *bias_padded;  /* conv: padded copy; depthwise and FC: the bias (zeros if absent) */
    int gemm_k, gemm_n;
    uint64_t macs;
} nn_op;

struct ps_nn_model {
    int nvalues;
    nn_value *values;
    int nops;
    nn_op *ops;
    int ninputs, noutputs;
    int inputs[64], outputs[64];   /* value indices */
    void **blocks;                 /* 64-byte aligned constant blocks (decoded and packed) */
    int nblocks;
    uint64_t macs;
};

/* Debug/test access to value v's data in a session after a run (tensor index
 * of the .tflite file); NULL when v has no storage. Values dead before the end
 * of the run may have been overwritten. */
const float *nn_session_value(const ps_nn_session *s, int v);

/* Runs s once on one thread, adding each op's kernel CPU time to
 * seconds[op type] (for bench_nn --profile). */
void nn_session_profile(ps_nn_session *s, double seconds[NN_OP_COUNT]);
const char *nn_op_type_name(nn_optype t);

/* Folds CONV -> ADD (-> PRELU) chains into the conv's epilogue where the
 * intermediate values have no other use (fuse.c). Returns the ops removed. */
int nn_fuse_epilogues(ps_nn_model *m);

/* Per-thread scratch floats an op needs in the fast path (im2col tiles). */
size_t nn_op_scratch_floats(const nn_op *op);
/* GEMM weight packing (model.c), also used by the kernel tests: floats
 * needed for N x K weights (0 on overflow), and the packing itself (bias
 * may be NULL; bias_padded gets nn_packed_floats(N, 1) floats). */
size_t nn_packed_floats(int N, int K);
void nn_pack_gemm(const float *w, const float *bias, int N, int K, float *packed, float *bias_padded);
#define NN_PANEL 16          /* packed GEMM panel width (floats) */
#define NN_IM2COL_ROWS 48    /* output pixels per im2col tile */

#endif
