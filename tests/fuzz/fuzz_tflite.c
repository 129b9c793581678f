/* Fuzz target for the model reader and loader (engine/nn): any bytes must
 * give a clean error or a model that runs. Inputs are capped at 1 MB and a
 * loaded model runs single-threaded only when its arena and its work are
 * small, so the fuzzer spends its time on parsing and validation, not on
 * huge convs.
 * Every output value is read so MSan would see uninitialised results. */
#include "nn/nn.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    ps_nn_model *m = NULL;
    if (ps_nn_model_load_memory(data, size, NULL, &m) != PS_OK)
        return 0;
    ps_nn_session *s = NULL;
    if (ps_nn_model_macs(m) <= 50u * 1000 * 1000 && ps_nn_session_new(m, NULL, &s) == PS_OK &&
        ps_nn_session_arena_bytes(s) <= (8u << 20)) {
        for (int i = 0; i < ps_nn_model_num_inputs(m); i++) {
            int d[4], nd;
            size_t n = ps_nn_model_input_shape(m, i, d, &nd);
            float *in = ps_nn_session_input(s, i);
            for (size_t k = 0; k < n; k++)
                in[k] = (float)(k % 13) * 0.1f - 0.6f;
        }
        if (ps_nn_session_run(s) == PS_OK) {
            volatile float sink = 0;
            for (int i = 0; i < ps_nn_model_num_outputs(m); i++) {
                size_t n;
                const float *o = ps_nn_session_output(s, i, &n);
                for (size_t k = 0; k < n; k++)
                    sink += o[k];
            }
            (void)sink;
        }
    }
    ps_nn_session_free(s);
    ps_nn_model_free(m);
    return 0;
}
