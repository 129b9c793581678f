/* The arena plan's invariants, on the tiny models and the four hand models:
 * every activation has a 64-byte aligned slot inside the arena, two values
 * whose lifetimes intersect never share bytes, views share their root's
 * slot, scratch lies after the activations, and the arena is not larger
 * than the sum of all activations (packing did something). */
#include "testutil.h"
#include "nn/plan.h"
#include "nn_tiny_model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_plan(const ps_nn_model *m, const char *name)
{
    for (int threads = 1; threads <= 3; threads++) {
        nn_plan p;
        assert_int_equal(nn_plan_build(m, threads, &p), PS_OK);
        size_t sum = 0;
        for (int v = 0; v < m->nvalues; v++) {
            const nn_value *x = &m->values[v];
            size_t bytes = x->count * sizeof(float);
            if (x->cdata || x->first > x->last) {
                if (x->view_of < 0)
                    assert_true(p.offset[v] == NN_NO_OFFSET);
                continue;
            }
            if (x->view_of >= 0) {
                assert_true(p.offset[v] == p.offset[x->view_of]);
                continue;
            }
            if (p.offset[v] == NN_NO_OFFSET)
                fail_msg("%s: value %d has no slot", name, v);
            assert_int_equal(p.offset[v] % 64, 0);
            assert_true(p.offset[v] + bytes <= p.act_bytes);
            sum += bytes;
            for (int u = 0; u < v; u++) {
                const nn_value *y = &m->values[u];
                if (y->cdata || y->view_of >= 0 || y->first > y->last)
                    continue;
                if (x->first > y->last || y->first > x->last)
                    continue;
                size_t ub = y->count * sizeof(float);
                if (p.offset[v] < p.offset[u] + ub && p.offset[u] < p.offset[v] + bytes)
                    fail_msg("%s: values %d and %d are alive together and overlap in the arena", name, u, v);
            }
        }
        assert_true(p.scratch_offset >= p.act_bytes);
        assert_true(p.total_bytes >= p.scratch_offset + p.scratch_floats * sizeof(float) * threads);
        assert_int_equal(p.scratch_offset % 64, 0);
        assert_true(p.act_bytes <= sum + 64 * (size_t)m->nvalues);
        if (threads == 1)
            print_message("%s: %zu activation bytes planned into %zu\n", name, sum, p.act_bytes);
        nn_plan_release(&p);
    }
}

static void test_tiny(void **st)
{
    (void)st;
    uint8_t *(*make[3])(size_t *) = {tiny_model_a, tiny_model_b, tiny_model_c};
    for (int k = 0; k < 3; k++) {
        size_t len;
        uint8_t *buf = make[k](&len);
        ps_nn_model *m;
        assert_int_equal(ps_nn_model_load_memory(buf, len, NULL, &m), PS_OK);
        char name[16];
        snprintf(name, sizeof name, "tiny %c", 'a' + k);
        check_plan(m, name);
        ps_nn_model_free(m);
        free(buf);
    }
}

static void test_hand_models(void **st)
{
    (void)st;
    static const char *const names[] = {"palm_detection_lite", "palm_detection_full", "hand_landmark_lite",
                                        "hand_landmark_full"};
    const char *dir = getenv("PENSCOPE_MODELS");
    int found = 0;
    for (int i = 0; i < 4; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.tflite", dir && *dir ? dir : "models", names[i]);
        ps_nn_model *m;
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fclose(f);
        assert_int_equal(ps_nn_model_load_file(path, NULL, &m), PS_OK);
        check_plan(m, names[i]);
        ps_nn_model_free(m);
        found++;
    }
    if (!found) {
        print_message("no models in '%s': skipping\n", dir && *dir ? dir : "models");
        skip();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_tiny), cmocka_unit_test(test_hand_models)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
