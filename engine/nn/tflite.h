/* A bounded reader for the TFLite flatbuffer (schema version 3), limited to
 * what a float model of the hand subset needs: op codes, buffers, and
 * subgraph 0's tensors, inputs, outputs and operators with their builtin
 * options. Every offset, vtable and vector length is checked against the
 * buffer; counts are capped; the first problem sets a sticky error and the
 * parse fails with PS_ERR_CORRUPT (or PS_ERR_LIMIT / PS_ERR_UNSUPPORTED).
 * The result points into the caller's buffer (names, buffer data), so the
 * buffer must outlive it.
 *
 * What is read (schema.fbs field slots; everything else is ignored):
 *   file      uint32 root offset, "TFL3" at bytes 4..7
 *   Model     0 version (must be 3), 1 operator_codes [OperatorCode],
 *             2 subgraphs [SubGraph] (only the first), 4 buffers [Buffer]
 *   OperatorCode  0 deprecated_builtin_code int8, 1 custom_code string,
 *             2 version int32, 3 builtin_code int32 (code = max(slot 0, slot 3))
 *   Buffer    0 data [ubyte], or 1 offset uint64 + 2 size uint64 into the file
 *   SubGraph  0 tensors [Tensor], 1 inputs [int32], 2 outputs [int32],
 *             3 operators [Operator]
 *   Tensor    0 shape [int32], 1 type uint8, 2 buffer uint32, 3 name string,
 *             4 quantization (only "has scales" is noted)
 *   Operator  0 opcode_index uint32, 1 inputs [int32], 2 outputs [int32],
 *             3 builtin_options_type uint8, 4 builtin_options table
 *   options   Conv2D(1): padding, stride_w, stride_h, act, dilation_w/h;
 *             DepthwiseConv2D(2): padding, stride_w, stride_h, multiplier,
 *             act, dilation_w/h; Pool2D(5): padding, stride_w, stride_h,
 *             filter_w, filter_h, act; FullyConnected(8): act,
 *             weights_format, keep_num_dims; Concatenation(10): axis, act;
 *             Add(11): act; ResizeBilinear(15): slots 2 align_corners,
 *             3 half_pixel_centers; Reducer(27): keep_dims */
#ifndef PS_NN_TFLITE_H
#define PS_NN_TFLITE_H
#include <stddef.h>
#include <stdint.h>
#include "penscope.h"

/* Caps on what one model may declare (the hand models use at most 413
 * tensors and 272 ops); they bound allocation before anything is allocated
 * and the memory planner's work (quadratic in the values). */
#define TFL_MAX_TENSORS 16384
#define TFL_MAX_OPS 8192
#define TFL_MAX_OPCODES 1024
#define TFL_MAX_BUFFERS 16384
#define TFL_MAX_IO 64
#define TFL_MAX_OP_INPUTS 16
#define TFL_MAX_DIMS 8

/* BuiltinOperator codes of schema.fbs used by the hand models. */
enum {
    TFL_OP_ADD = 0, TFL_OP_CONCATENATION = 2, TFL_OP_CONV_2D = 3, TFL_OP_DEPTHWISE_CONV_2D = 4,
    TFL_OP_DEQUANTIZE = 6, TFL_OP_FULLY_CONNECTED = 9, TFL_OP_LOGISTIC = 14,
    TFL_OP_MAX_POOL_2D = 17, TFL_OP_RESHAPE = 22, TFL_OP_RESIZE_BILINEAR = 23,
    TFL_OP_PAD = 34, TFL_OP_MEAN = 40, TFL_OP_PRELU = 54
};
/* TensorType */
enum { TFL_FLOAT32 = 0, TFL_FLOAT16 = 1, TFL_INT32 = 2 };
/* Padding, ActivationFunctionType */
enum { TFL_PAD_SAME = 0, TFL_PAD_VALID = 1 };
enum { TFL_ACT_NONE = 0, TFL_ACT_RELU = 1, TFL_ACT_RELU_N1_TO_1 = 2, TFL_ACT_RELU6 = 3 };

typedef struct tfl_buffer {
    const uint8_t *data; /* NULL when empty */
    size_t size;
} tfl_buffer;

typedef struct tfl_tensor {
    int ndim;
    int dims[TFL_MAX_DIMS];
    int type;        /* TensorType */
    uint32_t buffer; /* index into buffers; 0 = no data */
    const char *name; size_t name_len; /* not NUL-terminated; may be NULL */
    int has_quant;   /* carries quantisation parameters (scale/zero point) */
} tfl_tensor;

/* Builtin options, decoded for the op types above; absent fields keep the
 * schema defaults. */
typedef struct tfl_options {
    int padding, stride_w, stride_h, act;
    int dilation_w, dilation_h, depth_multiplier;
    int filter_w, filter_h;              /* Pool2DOptions */
    int keep_num_dims, weights_format;   /* FullyConnectedOptions */
    int axis;                            /* ConcatenationOptions */
    int align_corners, half_pixel;       /* ResizeBilinearOptions */
    int keep_dims;                       /* ReducerOptions */
    int options_type;                    /* BuiltinOptions union tag (0 = none) */
} tfl_options;

typedef struct tfl_op {
    int builtin;     /* BuiltinOperator, or -1 for a custom op */
    int version;
    int nin, nout;
    int in[TFL_MAX_OP_INPUTS];   /* -1 = optional input left out */
    int out[TFL_MAX_OP_INPUTS];
    tfl_options opt;
} tfl_op;

typedef struct tfl_model {
    uint32_t version;
    int nbuffers;
    tfl_buffer *buffers;
    int ntensors;
    tfl_tensor *tensors;
    int nops;
    tfl_op *ops;
    int ninputs, noutputs;
    int inputs[TFL_MAX_IO], outputs[TFL_MAX_IO];
} tfl_model;

/* Parses buf (len bytes). On failure *out is zeroed and ps_last_error() has
 * the reason. Release with tfl_model_release. */
ps_status tfl_model_parse(const void *buf, size_t len, tfl_model *out);
void tfl_model_release(tfl_model *m);
const char *tfl_op_name(int builtin);

#endif
