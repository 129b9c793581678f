/* nn: a small float32 inference engine for the TFLite subset that the four
 * MediaPipe hand models use (engine-internal API; design notes in engine/nn/README.md).
 *
 * A ps_nn_model is loaded once from a .tflite file: the flatbuffer is read
 * with a bounded reader, fp16 weights are decoded to fp32, DEQUANTIZE ops are
 * folded away and every op's shapes and options are validated. The model is
 * immutable after load and may be shared by threads.
 *
 * A ps_nn_session belongs to one thread at a time. It owns one arena laid out
 * at creation time (activations by liveness + per-thread scratch), so running
 * an inference allocates nothing. With a pool, each op is split over the
 * pool's threads by (ith, nth).
 *
 * Errors from load and session creation are reported through ps_fail (the
 * thread-local ps_last_error()). */
#ifndef PS_NN_NN_H
#define PS_NN_NN_H
#include "penscope.h"
#include "core/pool.h"

typedef struct ps_nn_model ps_nn_model;     /* immutable after load, shareable by threads */
typedef struct ps_nn_session ps_nn_session; /* per thread: plan arena, scratch */

/* Loads a model. lim may be NULL (defaults); lim->max_model_bytes caps the
 * file size. On failure *out is NULL and ps_last_error() says why. */
ps_status ps_nn_model_load_file(const char *path, const ps_limits *lim, ps_nn_model **out);
/* As above from memory; buf is only read during the call (weights are copied). */
ps_status ps_nn_model_load_memory(const void *buf, size_t len, const ps_limits *lim, ps_nn_model **out);
void ps_nn_model_free(ps_nn_model *m);

int ps_nn_model_num_inputs(const ps_nn_model *m);
int ps_nn_model_num_outputs(const ps_nn_model *m);
/* NHWC dims of input/output i (ndim <= 4); returns the element count, or 0
 * when i is out of range (dims untouched, *ndim = 0). */
size_t ps_nn_model_input_shape(const ps_nn_model *m, int i, int dims[4], int *ndim);
size_t ps_nn_model_output_shape(const ps_nn_model *m, int i, int dims[4], int *ndim);
/* Multiply-accumulates of one inference (conv, depthwise, fully connected). */
uint64_t ps_nn_model_macs(const ps_nn_model *m);

/* A session for m (m must outlive it). pool NULL = single thread; the pool
 * must outlive the session and is used by ps_nn_session_run. */
ps_status ps_nn_session_new(const ps_nn_model *m, ps_pool *pool, ps_nn_session **out);
/* Where the caller writes the float NHWC input i (64-byte aligned); NULL when
 * i is out of range. A run does not overwrite it, so it may be run again. */
float *ps_nn_session_input(ps_nn_session *s, int i);
ps_status ps_nn_session_run(ps_nn_session *s);
/* Output i of the last run (valid until the next run or free); *count gets
 * its element count (may be NULL). NULL when i is out of range. */
const float *ps_nn_session_output(const ps_nn_session *s, int i, size_t *count);
void ps_nn_session_free(ps_nn_session *s);
/* Force the plain C reference kernels (house style "use_ref"), for tests. */
void ps_nn_session_use_ref(ps_nn_session *s, int on);
/* Bytes of the session's arena (activations + scratch), for reports. */
size_t ps_nn_session_arena_bytes(const ps_nn_session *s);

#endif
