/* The model reader and loader against damaged and hostile files: every
 * truncation, every single-bit flip and hostile 32-bit values at every word
 * of two tiny handmade models (nn_tiny_model.h) must give a clean error or
 * a model that then runs without a crash; allocation failures at every
 * point must give PS_ERR_NOMEM and leak nothing (ASan checks the leaks).
 * The tiny models also check the op-code quirk, fp16 decoding and that the
 * fast and reference paths agree on every op. */
#include "testutil.h"
#include "nn/model.h"
#include "nn_tiny_model.h"
#include "core/alloc.h"
#include "core/pool.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads; on success runs once (when the plan is small) and frees. Returns the load status. */
static ps_status load_and_maybe_run(const uint8_t *buf, size_t len)
{
    ps_nn_model *m = NULL;
    ps_status rc = ps_nn_model_load_memory(buf, len, NULL, &m);
    if (rc != PS_OK) {
        assert_null(m);
        assert_true(strlen(ps_last_error()) > 0);
        return rc;
    }
    ps_nn_session *s = NULL;
    if (ps_nn_session_new(m, NULL, &s) == PS_OK) {
        if (ps_nn_session_arena_bytes(s) <= (16u << 20)) {
            int d[4], nd;
            size_t n = ps_nn_model_input_shape(m, 0, d, &nd);
            float *in = ps_nn_session_input(s, 0);
            for (size_t i = 0; i < n; i++)
                in[i] = (float)(i % 7) * 0.25f;
            assert_int_equal(ps_nn_session_run(s), PS_OK);
        }
        ps_nn_session_free(s);
    }
    ps_nn_model_free(m);
    return rc;
}

static void run_model(const uint8_t *buf, size_t len, int use_ref, int threads, float **outs, size_t *counts)
{
    ps_nn_model *m = NULL;
    ps_status rc = ps_nn_model_load_memory(buf, len, NULL, &m);
    if (rc)
        fail_msg("tiny model does not load: %s", ps_last_error());
    ps_pool *pool = NULL;
    if (threads > 1)
        assert_int_equal(ps_pool_new(threads, &pool), PS_OK);
    ps_nn_session *s = NULL;
    assert_int_equal(ps_nn_session_new(m, pool, &s), PS_OK);
    ps_nn_session_use_ref(s, use_ref);
    int d[4], nd;
    size_t n = ps_nn_model_input_shape(m, 0, d, &nd);
    float *in = ps_nn_session_input(s, 0);
    for (size_t i = 0; i < n; i++)
        in[i] = sinf((float)i * 0.7f) * 2.0f;
    assert_int_equal(ps_nn_session_run(s), PS_OK);
    for (int o = 0; o < ps_nn_model_num_outputs(m); o++) {
        const float *p = ps_nn_session_output(s, o, &counts[o]);
        outs[o] = malloc(counts[o] * sizeof(float));
        memcpy(outs[o], p, counts[o] * sizeof(float));
    }
    ps_nn_session_free(s);
    ps_pool_free(pool);
    ps_nn_model_free(m);
}

/* Fast vs reference, 1 vs 2 threads: every output within 1e-5 relative. */
static void check_tiny(const uint8_t *buf, size_t len, int nout)
{
    float *ref[4], *fast[4], *two[4];
    size_t cr[4], cf[4], c2[4];
    run_model(buf, len, 1, 1, ref, cr);
    run_model(buf, len, 0, 1, fast, cf);
    run_model(buf, len, 0, 2, two, c2);
    for (int o = 0; o < nout; o++) {
        assert_int_equal(cr[o], cf[o]);
        assert_int_equal(cr[o], c2[o]);
        for (size_t i = 0; i < cr[o]; i++) {
            assert_true(isfinite(ref[o][i]));
            if (fabsf(fast[o][i] - ref[o][i]) > 1e-5f * (1 + fabsf(ref[o][i])))
                fail_msg("output %d[%zu]: fast %g, reference %g", o, i, fast[o][i], ref[o][i]);
            assert_memory_equal(&fast[o][i], &two[o][i], sizeof(float));
        }
        free(ref[o]), free(fast[o]), free(two[o]);
    }
}

static void test_tiny_models_run(void **st)
{
    (void)st;
    size_t la, lb;
    uint8_t *a = tiny_model_a(&la), *b = tiny_model_b(&lb);
    ps_nn_model *m;
    assert_int_equal(ps_nn_model_load_memory(a, la, NULL, &m), PS_OK);
    int d[4], nd;
    assert_int_equal(ps_nn_model_output_shape(m, 0, d, &nd), 160);
    assert_int_equal(nd, 3);
    assert_int_equal(d[1], 20);
    /* MACs: conv 3*3*4 pixels * 27 * 4 + depthwise 3*3*4 * 9 */
    assert_int_equal(ps_nn_model_macs(m), 9 * 4 * 27 + 9 * 4 * 9);
    ps_nn_model_free(m);
    check_tiny(a, la, 2);
    check_tiny(b, lb, 2);
    /* model B's output 1 is DW 3x3 VALID over a 3x3 map then RELU6: in [0, 6] */
    float *o[4];
    size_t c[4];
    run_model(b, lb, 0, 1, o, c);
    assert_int_equal(c[0], 3);
    for (size_t i = 0; i < c[0]; i++)
        assert_true(o[0][i] > 0.0f && o[0][i] < 1.0f);
    for (size_t i = 0; i < c[1]; i++)
        assert_true(o[1][i] >= 0.0f && o[1][i] <= 6.0f);
    free(o[0]), free(o[1]);
    free(a), free(b);
}

/* Model C: CONV 1x1 -> ADD -> PRELU, fused by the loader into one conv that
 * runs after the skip input is computed, checked against the arithmetic
 * written out here; the second chain's ADD output is a model output, so its
 * PRELU must stay a separate op (the ADD still folds into the conv). Both
 * paths, 1 and 2 threads. */
static void test_fused_epilogue(void **st)
{
    (void)st;
    size_t len;
    uint8_t *buf = tiny_model_c(&len);
    float x[12], out[12], z2[12], out2[12];
    for (int i = 0; i < 12; i++)
        x[i] = (float)(i % 5) - 2.0f + 0.125f * (float)i;
    for (int p = 0; p < 6; p++)
        for (int c = 0; c < 2; c++) {
            float y = tiny_c_b[c] + tiny_c_w[c * 2] * x[p * 2] + tiny_c_w[c * 2 + 1] * x[p * 2 + 1];
            float z = y + x[p * 2 + c];
            out[p * 2 + c] = z >= 0 ? z : tiny_c_alpha[c] * z;
        }
    for (int p = 0; p < 6; p++)
        for (int c = 0; c < 2; c++) {
            float y = tiny_c_b[c] + tiny_c_w[c * 2] * out[p * 2] + tiny_c_w[c * 2 + 1] * out[p * 2 + 1];
            float z = y + out[p * 2 + c];
            z2[p * 2 + c] = z < 0 ? 0 : z;
            out2[p * 2 + c] = z2[p * 2 + c]; /* PRELU of a RELU output: unchanged */
        }
    ps_nn_model *m;
    assert_int_equal(ps_nn_model_load_memory(buf, len, NULL, &m), PS_OK);
    /* 7 ops -> 4: the first chain folds into one conv, the max pool stays,
     * the second conv takes its ADD but not the PRELU after it */
    assert_int_equal(m->nops, 4);
    assert_true(m->ops[1].fused_add && m->ops[1].fused_prelu); /* at the first ADD's place, after the pool */
    assert_int_equal(m->ops[0].type, NN_OP_MAXPOOL);
    assert_true(m->ops[2].fused_add && !m->ops[2].fused_prelu);
    assert_int_equal(m->ops[3].type, NN_OP_PRELU);
    for (int use_ref = 0; use_ref <= 1; use_ref++)
        for (int threads = 1; threads <= 2; threads++) {
            ps_pool *pool = NULL;
            if (threads > 1)
                assert_int_equal(ps_pool_new(threads, &pool), PS_OK);
            ps_nn_session *s;
            assert_int_equal(ps_nn_session_new(m, pool, &s), PS_OK);
            ps_nn_session_use_ref(s, use_ref);
            memcpy(ps_nn_session_input(s, 0), x, sizeof x);
            assert_int_equal(ps_nn_session_run(s), PS_OK);
            const float *want[3] = {out, z2, out2};
            for (int o = 0; o < 3; o++) {
                size_t n;
                const float *got = ps_nn_session_output(s, o, &n);
                assert_int_equal(n, 12);
                for (int i = 0; i < 12; i++)
                    if (fabsf(got[i] - want[o][i]) > 1e-6f)
                        fail_msg("output %d[%d] = %g, want %g (ref %d, %d threads)", o, i, got[i], want[o][i],
                                 use_ref, threads);
            }
            ps_nn_session_free(s);
            ps_pool_free(pool);
        }
    ps_nn_model_free(m);
    free(buf);
}

static void test_truncated(void **st)
{
    (void)st;
    size_t len;
    uint8_t *full = tiny_model_a(&len);
    for (size_t n = 0; n < len; n++) {
        uint8_t *cut = malloc(n ? n : 1); /* exact size, so ASan sees any overread */
        memcpy(cut, full, n);
        ps_status rc = load_and_maybe_run(cut, n);
        if (rc == PS_OK)
            fail_msg("model truncated to %zu of %zu bytes loaded", n, len);
        free(cut);
    }
    free(full);
}

static void test_bit_flips(void **st)
{
    (void)st;
    size_t lens[3];
    uint8_t *models[3] = {tiny_model_a(&lens[0]), tiny_model_b(&lens[1]), tiny_model_c(&lens[2])};
    int failed = 0, total = 0;
    for (int k = 0; k < 3; k++) {
        uint8_t *buf = malloc(lens[k]);
        for (size_t i = 0; i < lens[k]; i++)
            for (int bit = 0; bit < 8; bit++) {
                memcpy(buf, models[k], lens[k]);
                buf[i] ^= (uint8_t)(1u << bit);
                failed += load_and_maybe_run(buf, lens[k]) != PS_OK;
                total++;
            }
        free(buf);
        free(models[k]);
    }
    print_message("bit flips: %d of %d rejected, the rest loaded and ran\n", failed, total);
    assert_true(failed > 0);
}

static void test_hostile_words(void **st)
{
    (void)st;
    static const uint32_t evil[] = {0xffffffffu, 0x80000000u, 0x7ffffff0u, 0x00010000u, 0u, 3u};
    size_t lens[3];
    uint8_t *models[3] = {tiny_model_a(&lens[0]), tiny_model_b(&lens[1]), tiny_model_c(&lens[2])};
    for (int k = 0; k < 3; k++) {
        uint8_t *buf = malloc(lens[k]);
        for (size_t i = 0; i + 4 <= lens[k]; i += 2)
            for (size_t e = 0; e < sizeof evil / sizeof evil[0]; e++) {
                memcpy(buf, models[k], lens[k]);
                memcpy(buf + i, &evil[e], 4);
                load_and_maybe_run(buf, lens[k]);
            }
        free(buf);
        free(models[k]);
    }
}

static void test_bad_headers(void **st)
{
    (void)st;
    size_t len;
    uint8_t *buf = tiny_model_a(&len);
    ps_nn_model *m = (ps_nn_model *)1;
    assert_int_equal(ps_nn_model_load_memory(buf, 0, NULL, &m), PS_ERR_CORRUPT);
    assert_null(m);
    assert_int_equal(ps_nn_model_load_memory(NULL, 10, NULL, &m), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_nn_model_load_memory(buf, len, NULL, NULL), PS_ERR_INVALID_ARG);
    buf[5] = 'X';
    assert_int_equal(ps_nn_model_load_memory(buf, len, NULL, &m), PS_ERR_CORRUPT);
    assert_non_null(strstr(ps_last_error(), "TFL3"));
    buf[5] = 'F';
    /* a model over the size limit is refused before parsing */
    ps_limits lim;
    ps_limits_default(&lim);
    lim.max_model_bytes = 100;
    assert_int_equal(ps_nn_model_load_memory(buf, len, &lim, &m), PS_ERR_LIMIT);
    /* schema version 2 (the version field is the root table's first field) */
    uint32_t root;
    memcpy(&root, buf, 4);
    uint32_t v = 2;
    memcpy(buf + root + 4, &v, 4);
    assert_int_equal(ps_nn_model_load_memory(buf, len, NULL, &m), PS_ERR_UNSUPPORTED);
    assert_non_null(strstr(ps_last_error(), "version"));
    free(buf);
    /* a missing file names itself */
    assert_int_equal(ps_nn_model_load_file(tu_tmpfile("nope.tflite"), NULL, &m), PS_ERR_NOT_FOUND);
    assert_non_null(strstr(ps_last_error(), "nope.tflite"));
    ps_nn_model_free(NULL);
    ps_nn_session_free(NULL);
    assert_null(ps_nn_session_input(NULL, 0));
    assert_null(ps_nn_session_output(NULL, 0, NULL));
}

/* A well-formed model whose one conv needs 102 G multiply-adds (and a
 * 512 MB arena) is refused at load, before any session exists. */
static void test_work_limit(void **st)
{
    (void)st;
    static uint16_t w[64 * 5 * 5 * 64];
    static float b[64];
    tiny_tensor t[] = {
        {4, {1, 1000, 1000, 64}, 0, NULL, 0},
        {4, {64, 5, 5, 64}, 1, w, sizeof w},
        {4, {64, 5, 5, 64}, 0, NULL, 0},
        {1, {64}, 0, b, sizeof b},
        {4, {1, 1000, 1000, 64}, 0, NULL, 0},
    };
    tiny_op ops[] = {
        {6, 1, {1}, 2, 0, 0, {0}},
        {3, 3, {0, 2, 3}, 4, 1, 4, {0, 1, 1, 0}},
    };
    int out = 4;
    size_t len;
    uint8_t *buf = tiny_build(t, 5, ops, 2, 0, &out, 1, &len);
    ps_nn_model *m = NULL;
    assert_int_equal(ps_nn_model_load_memory(buf, len, NULL, &m), PS_ERR_LIMIT);
    assert_non_null(strstr(ps_last_error(), "multiply-adds"));
    free(buf);
}

static void test_alloc_failures(void **st)
{
    (void)st;
    size_t len;
    uint8_t *buf = tiny_model_b(&len);
    int ok = 0;
    for (long n = 1; n < 400 && !ok; n++) {
        ps_alloc_fail_after(n);
        ps_nn_model *m = NULL;
        ps_nn_session *s = NULL;
        ps_status rc = ps_nn_model_load_memory(buf, len, NULL, &m);
        if (rc == PS_OK)
            rc = ps_nn_session_new(m, NULL, &s);
        ps_alloc_fail_after(0);
        if (rc == PS_OK) {
            assert_int_equal(ps_nn_session_run(s), PS_OK);
            ok = 1;
        } else {
            assert_int_equal(rc, PS_ERR_NOMEM);
        }
        ps_nn_session_free(s);
        ps_nn_model_free(m);
    }
    assert_true(ok);
    free(buf);
}

/* The real models, cut at spread-out lengths: always a clean error. */
static void test_real_model_truncated(void **st)
{
    (void)st;
    const char *dir = getenv("PENSCOPE_MODELS");
    char path[4096];
    snprintf(path, sizeof path, "%s/hand_landmark_lite.tflite", dir && *dir ? dir : "models");
    size_t len;
    unsigned char *full = tu_read_file(path, &len);
    if (!full) {
        print_message("no models in '%s': skipping\n", dir ? dir : "models");
        skip();
    }
    for (int i = 0; i < 60; i++) {
        size_t n = i < 30 ? (size_t)i * 37 : len - 1 - ((size_t)(i - 30) * 104729) % (len - 1);
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, full, n);
        if (load_and_maybe_run(cut, n) == PS_OK)
            fail_msg("real model truncated to %zu of %zu bytes loaded", n, len);
        free(cut);
    }
    free(full);
}

/* test_nn_reader --write-corpus DIR: writes the fuzz seed corpus
 * (tests/fuzz/corpus/tflite/): both tiny models and truncated copies. */
static int write_corpus(const char *dir)
{
    size_t len[3];
    uint8_t *m[3] = {tiny_model_a(&len[0]), tiny_model_b(&len[1]), tiny_model_c(&len[2])};
    for (int k = 0; k < 3; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/tiny_%c.tflite", dir, 'a' + k);
        if (tu_write_file(path, m[k], len[k]))
            return 1;
        snprintf(path, sizeof path, "%s/tiny_%c_cut_half.tflite", dir, 'a' + k);
        if (tu_write_file(path, m[k], len[k] / 2))
            return 1;
        free(m[k]);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--write-corpus"))
        return write_corpus(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiny_models_run), cmocka_unit_test(test_fused_epilogue),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_bit_flips),       cmocka_unit_test(test_hostile_words),
        cmocka_unit_test(test_bad_headers),     cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_work_limit),
        cmocka_unit_test(test_real_model_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
