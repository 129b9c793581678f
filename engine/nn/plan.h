/* Static memory plan of a session: every activation's byte offset in one
 * arena, found once from the values' lifetimes (greedy by size, as TFLite's
 * arena planner does), plus per-thread scratch after the activations. Views
 * (RESHAPE outputs) share their root's offset. All offsets are 64-byte
 * aligned. */
#ifndef PS_NN_PLAN_H
#define PS_NN_PLAN_H
#include "nn/model.h"

#define NN_NO_OFFSET ((size_t)-1)

typedef struct nn_plan {
    size_t *offset;          /* per value; NN_NO_OFFSET for constants and unused values */
    size_t act_bytes;        /* activations (the peak of live memory, after packing) */
    size_t scratch_floats;   /* per thread */
    size_t scratch_offset;   /* start of thread 0's scratch */
    size_t total_bytes;
} nn_plan;

ps_status nn_plan_build(const ps_nn_model *m, int nthreads, nn_plan *p);
void nn_plan_release(nn_plan *p);

#endif
