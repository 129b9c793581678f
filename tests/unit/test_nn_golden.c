/* Golden tests of the nn engine: the four MediaPipe hand models on
 * deterministic inputs against outputs of Google's TFLite runtime (XNNPACK),
 * made with tflite-ref (commands in tests/data/nn/README.md). Inputs are
 * generated here exactly like `tflite-ref --make-input`. Each model runs on
 * the fast kernels with 1 and 2 threads, and once on the reference kernels;
 * two models also with the AVX2 kernels forced (PS_SIMD=avx2).
 * Tolerance: |ours - golden| <= 1e-3 + 1e-4 * |golden| for every value, the
 * bound tflite-ref's README recommends for final outputs. Skips (cmocka) only
 * when the models folder holds no models; CI fetches them. */
#include "testutil.h"
#include "nn/nn.h"
#include "core/pool.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATOL 1e-3
#define RTOL 1e-4

static const char *models_dir(void)
{
    const char *d = getenv("PENSCOPE_MODELS");
    return d && *d ? d : "models";
}

static int load(const char *name, ps_nn_model **m)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.tflite", models_dir(), name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fclose(f);
    ps_status rc = ps_nn_model_load_file(path, NULL, m);
    if (rc)
        fail_msg("cannot load %s: %s", path, ps_last_error());
    return 1;
}

/* tflite-ref --make-input: gradient (u along x for c%3==0, along y for
 * c%3==1, their mean for c%3==2; computed in double) or const:0.5 */
static void make_input(float *in, int H, int W, int C, int gradient)
{
    double fx = W > 1 ? 1.0 / (W - 1) : 0, fy = H > 1 ? 1.0 / (H - 1) : 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < C; c++) {
                double u = c % 3 == 0 ? x * fx : c % 3 == 1 ? y * fy : (x * fx + y * fy) / 2;
                in[((size_t)y * W + x) * C + c] = gradient ? (float)(0.0 + (1.0 - 0.0) * u) : 0.5f;
            }
}

static void check_outputs(const ps_nn_model *m, ps_nn_session *s, const char *name, const char *pattern,
                          const char *what)
{
    for (int i = 0; i < ps_nn_model_num_outputs(m); i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "nn/%s_%s/output_%d.f32", name, pattern, i);
        size_t n, count;
        float *gold = (float *)tu_read_file(tu_testdata(rel), &n);
        if (!gold)
            fail_msg("missing golden %s", rel);
        const float *out = ps_nn_session_output(s, i, &count);
        assert_non_null(out);
        assert_int_equal(n, count * sizeof(float));
        size_t bad = 0, worst_at = 0;
        double worst = 0;
        for (size_t k = 0; k < count; k++) {
            double d = fabs((double)out[k] - gold[k]), lim = ATOL + RTOL * fabs(gold[k]);
            if (!(d <= lim))
                bad++;
            if (!(d <= worst)) {
                worst = d;
                worst_at = k;
            }
        }
        if (bad)
            fail_msg("%s %s %s output %d: %zu of %zu values off; worst |diff| %g at %zu (%g vs %g)", name, pattern,
                     what, i, bad, count, worst, worst_at, out[worst_at], gold[worst_at]);
        free(gold);
    }
}

static void run_case(const char *name, int nthreads, int use_ref, int both_inputs)
{
    ps_nn_model *m = NULL;
    if (!load(name, &m)) {
        print_message("models not found in '%s' (run models/fetch.sh): skipping\n", models_dir());
        skip();
    }
    ps_pool *pool = NULL;
    if (nthreads > 1)
        assert_int_equal(ps_pool_new(nthreads, &pool), PS_OK);
    ps_nn_session *s = NULL;
    assert_int_equal(ps_nn_session_new(m, pool, &s), PS_OK);
    ps_nn_session_use_ref(s, use_ref);
    int dims[4], nd;
    size_t n = ps_nn_model_input_shape(m, 0, dims, &nd);
    assert_int_equal(nd, 4);
    assert_int_equal(n, (size_t)dims[1] * dims[2] * dims[3]);
    char what[64];
    snprintf(what, sizeof what, "%s, %d thread%s", use_ref ? "reference" : "fast", nthreads, nthreads > 1 ? "s" : "");
    for (int g = 1; g >= (both_inputs ? 0 : 1); g--) {
        make_input(ps_nn_session_input(s, 0), dims[1], dims[2], dims[3], g);
        assert_int_equal(ps_nn_session_run(s), PS_OK);
        check_outputs(m, s, name, g ? "gradient" : "const", what);
    }
    /* a second run without rewriting the input gives the same outputs */
    if (!use_ref && nthreads == 1) {
        size_t count;
        const float *o = ps_nn_session_output(s, 0, &count);
        float *copy = malloc(count * sizeof *copy);
        memcpy(copy, o, count * sizeof *copy);
        assert_int_equal(ps_nn_session_run(s), PS_OK);
        assert_memory_equal(copy, ps_nn_session_output(s, 0, NULL), count * sizeof *copy);
        free(copy);
    }
    ps_nn_session_free(s);
    ps_pool_free(pool);
    ps_nn_model_free(m);
}

static const char *const MODELS[] = {"palm_detection_lite", "palm_detection_full", "hand_landmark_lite",
                                     "hand_landmark_full"};

#define MODEL(st) (*(const char *const *)*(st))
static void test_fast_1thread(void **st) { run_case(MODEL(st), 1, 0, 1); }
static void test_fast_2threads(void **st) { run_case(MODEL(st), 2, 0, 1); }
static void test_reference(void **st) { run_case(MODEL(st), 1, 1, 0); }
static void test_reference_2threads(void **st) { run_case(MODEL(st), 2, 1, 0); }
/* the AVX2 kernels end to end too, on a CPU that would pick AVX-512 */
static void test_fast_avx2(void **st)
{
    setenv("PS_SIMD", "avx2", 1);
    run_case(MODEL(st), 2, 0, 1);
    unsetenv("PS_SIMD");
}

static void test_shapes(void **st)
{
    (void)st;
    ps_nn_model *m = NULL;
    if (!load("hand_landmark_full", &m))
        skip();
    int d[4], nd;
    assert_int_equal(ps_nn_model_num_inputs(m), 1);
    assert_int_equal(ps_nn_model_num_outputs(m), 4);
    assert_int_equal(ps_nn_model_input_shape(m, 0, d, &nd), 224 * 224 * 3);
    assert_int_equal(nd, 4);
    assert_int_equal(d[1], 224);
    assert_int_equal(ps_nn_model_output_shape(m, 0, d, &nd), 63);
    assert_int_equal(ps_nn_model_output_shape(m, 1, d, &nd), 1);
    assert_int_equal(ps_nn_model_output_shape(m, 4, d, &nd), 0);
    assert_int_equal(nd, 0);
    /* MAC count of the reference fact sheet */
    assert_int_equal(ps_nn_model_macs(m), 330968800ull);
    ps_nn_model_free(m);
    if (load("palm_detection_lite", &m)) {
        assert_int_equal(ps_nn_model_macs(m), 283170816ull);
        assert_int_equal(ps_nn_model_output_shape(m, 0, d, &nd), 2016 * 18);
        ps_nn_model_free(m);
    }
}

/* one named test per (case, model) */
#define CASE(fn, i) { #fn "/" #i, fn, NULL, NULL, (void *)&MODELS[i] }
enum { PALM_LITE, PALM_FULL, LANDMARK_LITE, LANDMARK_FULL };
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes),
        CASE(test_fast_1thread, PALM_LITE), CASE(test_fast_1thread, PALM_FULL),
        CASE(test_fast_1thread, LANDMARK_LITE), CASE(test_fast_1thread, LANDMARK_FULL),
        CASE(test_fast_2threads, PALM_LITE), CASE(test_fast_2threads, PALM_FULL),
        CASE(test_fast_2threads, LANDMARK_LITE), CASE(test_fast_2threads, LANDMARK_FULL),
        CASE(test_reference, PALM_LITE), CASE(test_reference, PALM_FULL),
        CASE(test_reference, LANDMARK_LITE), CASE(test_reference, LANDMARK_FULL),
        CASE(test_reference_2threads, LANDMARK_LITE),
        CASE(test_fast_avx2, PALM_FULL), CASE(test_fast_avx2, LANDMARK_FULL),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
