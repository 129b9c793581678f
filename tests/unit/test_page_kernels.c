/* Page kernels (engine/page/kernels): the AVX2 build against the plain C
 * reference, when this CPU runs AVX2, on random rows of many lengths (tails
 * shorter than a vector included) and on edge values. Tolerance: none, the
 * bytes must be equal (integer arithmetic, or the same float/double
 * operations in the same order without fused multiply-adds), the letter
 * sampling included (floor of the same doubles). The slant
 * score on bit rows against a direct count of runs. Then the page
 * analyser object: a warm analyser (buffers reused), with one or two
 * threads, gives the same JSON as ps_page_analyse, and its results outlive it. */
#include "testutil.h"
#include "page/kernels/pk.h"
#include "page/page_internal.h"
#include "psgen.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 2463534242u;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static const pk_table *fast(void)
{
#ifdef PK_HAVE_AVX2
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return &pk_avx2;
#endif
    return NULL;
}

static void test_rgb_to_gray(void **state)
{
    (void)state;
    const pk_table *f = fast();
    if (!f)
        skip();
    uint8_t rgb[3 * 300], a[300], b[300];
    for (int n = 0; n <= 300; n += n < 40 ? 1 : 37) {
        for (int i = 0; i < 3 * n; i++)
            rgb[i] = (uint8_t)(i % 7 == 0 ? 255 : i % 11 == 0 ? 0 : next_rand());
        memset(a, 1, sizeof a);
        memset(b, 2, sizeof b);
        pk_ref.rgb_to_gray(rgb, n, a);
        f->rgb_to_gray(rgb, n, b);
        assert_memory_equal(a, b, (size_t)n);
        assert_int_equal(b[n], 2); /* nothing written past n */
    }
}

static void test_gray_accum(void **state)
{
    (void)state;
    const pk_table *f = fast();
    if (!f)
        skip();
    enum { N = 130 };
    uint8_t px[3 * N];
    float a0[N], a1[N], b0[N], b1[N];
    for (int trial = 0; trial < 120; trial++) {
        int n = trial < 40 ? trial + 1 : N - (int)(next_rand() % 9), C = trial % 2 ? 3 : 1;
        for (int i = 0; i < 3 * N; i++)
            px[i] = (uint8_t)next_rand();
        for (int i = 0; i < N; i++) {
            a0[i] = b0[i] = (float)(next_rand() % 100000) / 7.0f;
            a1[i] = b1[i] = (float)(next_rand() % 100000) / 3.0f;
        }
        float wt = (float)(next_rand() % 1000) / 1500.0f, wn = trial % 3 ? (float)(next_rand() % 1000) / 1500.0f : 0;
        pk_ref.gray_accum(px, C, n, wt, a0, wn, a1);
        f->gray_accum(px, C, n, wt, b0, wn, b1);
        assert_memory_equal(a0, b0, sizeof a0);
        assert_memory_equal(a1, b1, sizeof a1);
    }
}

static void test_col_update(void **state)
{
    (void)state;
    const pk_table *f = fast();
    if (!f)
        skip();
    enum { N = 77 };
    uint8_t in[N], out[N];
    uint32_t s0[N], q0[N], s1[N], q1[N];
    for (int trial = 0; trial < 60; trial++) {
        int n = trial < 30 ? trial + 1 : N - (int)(next_rand() % 9);
        for (int i = 0; i < N; i++) {
            in[i] = (uint8_t)next_rand();
            out[i] = (uint8_t)next_rand();
            s0[i] = s1[i] = next_rand() % 100000;
            q0[i] = q1[i] = next_rand();
        }
        const uint8_t *a = trial % 3 == 1 ? NULL : in, *b = trial % 3 == 2 ? NULL : out;
        pk_ref.col_update(a, b, n, s0, q0);
        f->col_update(a, b, n, s1, q1);
        assert_memory_equal(s0, s1, sizeof s0);
        assert_memory_equal(q0, q1, sizeof q0);
    }
}

static void test_window_sums(void **state)
{
    (void)state;
    const pk_table *f = fast();
    if (!f)
        skip();
    enum { N = 140 };
    uint32_t cs[N], cq[N], p0[N + 1], q0[N + 1], p1[N + 1], q1[N + 1];
    uint32_t hs0[N], hq0[N], n0[N], hs1[N], hq1[N], n1[N];
    for (int trial = 0; trial < 200; trial++) {
        int w = trial < 40 ? trial + 1 : N - (int)(next_rand() % 20), r = 1 + (int)(next_rand() % 40);
        uint32_t rows = 1 + next_rand() % 60;
        for (int i = 0; i < w; i++) {
            cs[i] = next_rand() % (rows * 256);
            cq[i] = next_rand(); /* large: the sums wrap modulo 2^32 the same way */
        }
        pk_ref.window_sums(cs, cq, w, r, rows, p0, q0, hs0, hq0, n0);
        f->window_sums(cs, cq, w, r, rows, p1, q1, hs1, hq1, n1);
        assert_memory_equal(hs0, hs1, sizeof(uint32_t) * w);
        assert_memory_equal(hq0, hq1, sizeof(uint32_t) * w);
        assert_memory_equal(n0, n1, sizeof(uint32_t) * w);
    }
}

/* Window sums of a random gray row band, as pg_sauvola makes them. */
static void test_sauvola_row(void **state)
{
    (void)state;
    const pk_table *f = fast();
    if (!f)
        skip();
    enum { W = 203, R = 7, ROWS = 2 * R + 1 };
    static uint8_t img[ROWS][W];
    uint32_t hs[W], hq[W], n[W];
    uint8_t d0[W], f0[W], d1[W], f1[W];
    for (int trial = 0; trial < 200; trial++) {
        /* paper with noise, ink strokes, flat regions (zero variance) */
        int base = 150 + (int)(next_rand() % 106), noise = (int)(next_rand() % 30);
        for (int y = 0; y < ROWS; y++)
            for (int x = 0; x < W; x++) {
                int v = base - (noise ? (int)(next_rand() % (uint32_t)noise) : 0);
                if (next_rand() % 9 == 0)
                    v = (int)(next_rand() % 120);
                img[y][x] = (uint8_t)(v < 0 ? 0 : v);
            }
        int w = trial < 20 ? trial + 1 : W - (int)(next_rand() % 8);
        for (int x = 0; x < w; x++) {
            int lo = x - R < 0 ? 0 : x - R, hi = x + R >= w ? w - 1 : x + R;
            uint32_t s = 0, q = 0;
            for (int y = 0; y < ROWS; y++)
                for (int xx = lo; xx <= hi; xx++) {
                    s += img[y][xx];
                    q += (uint32_t)img[y][xx] * img[y][xx];
                }
            hs[x] = s;
            hq[x] = q;
            n[x] = (uint32_t)(ROWS * (hi - lo + 1));
        }
        double k = trial % 2 ? 0.34 : 0.5, kf = 0.1;
        pk_ref.sauvola_row(img[R], hs, hq, n, w, k, kf, d0, f0);
        f->sauvola_row(img[R], hs, hq, n, w, k, kf, d1, f1);
        assert_memory_equal(d0, d1, (size_t)w);
        assert_memory_equal(f0, f1, (size_t)w);
    }
    /* sums over 2^31 (a 257 x 257 window of white): paper either way */
    uint8_t s[9] = {255, 255, 255, 255, 255, 255, 255, 255, 0};
    uint32_t big_n[9], big_s[9], big_q[9];
    for (int i = 0; i < 9; i++) {
        big_n[i] = 257u * 257u;
        big_s[i] = big_n[i] * 255u - (i == 8 ? 1000u : 0u);
        big_q[i] = big_n[i] * 65025u - (i == 8 ? 255000u : 0u);
    }
    pk_ref.sauvola_row(s, big_s, big_q, big_n, 9, 0.34, 0.1, d0, f0);
    f->sauvola_row(s, big_s, big_q, big_n, 9, 0.34, 0.1, d1, f1);
    assert_memory_equal(d0, d1, 9);
    assert_memory_equal(f0, f1, 9);
    assert_int_equal(d0[8], 255); /* a black pixel on white is ink */
}

static void test_shrink_row4(void **state)
{
    (void)state;
    const pk_table *f = fast();
    if (!f)
        skip();
    enum { N = 150, IN = 4 * N + 8 };
    float r[IN], w[4 * N];
    int first[N];
    uint8_t a[N], b[N];
    for (int trial = 0; trial < 100; trial++) {
        int n = trial < 20 ? trial + 1 : N - (int)(next_rand() % 9);
        for (int i = 0; i < IN; i++)
            r[i] = (float)(next_rand() % 25600) / 100.0f; /* 0 .. 255.99 */
        if (trial % 10 == 0)
            for (int i = 0; i < IN; i++)
                r[i] = 255.0f; /* full white clamps at 255 */
        /* nondecreasing starts, as area weights make them: steps of 0 to 3
         * inputs (shrinks down to a third) */
        int step_max = 1 + trial % 3, at = (int)(next_rand() % 4);
        for (int i = 0; i < n; i++) {
            first[i] = at;
            at += (int)(next_rand() % (uint32_t)(step_max + 1));
            float s = 0;
            for (int k = 0; k < 4; k++) {
                w[k * n + i] = k < 3 ? (float)(next_rand() % 1000) / 1000.0f : 0.0f;
                s += w[k * n + i];
            }
            for (int k = 0; k < 4; k++)
                w[k * n + i] = s > 0 ? w[k * n + i] / s : 0.0f;
        }
        pk_ref.shrink_row4(r, first, w, n, a);
        f->shrink_row4(r, first, w, n, b);
        assert_memory_equal(a, b, (size_t)n);
    }
}

static void test_flatten_row(void **state)
{
    (void)state;
    const pk_table *f = fast();
    if (!f)
        skip();
    enum { N = 333 };
    uint8_t a[N], b[N];
    float L[N];
    for (int trial = 0; trial < 100; trial++) {
        int n = trial < 20 ? trial + 1 : N - (int)(next_rand() % 9);
        for (int i = 0; i < n; i++) {
            a[i] = b[i] = (uint8_t)next_rand();
            L[i] = 16.0f + (float)(next_rand() % 23900) / 100.0f; /* the levels pg_flatten_light makes */
        }
        pk_ref.flatten_row(a, L, n);
        f->flatten_row(b, L, n);
        assert_memory_equal(a, b, (size_t)n);
    }
}

static void test_sample_row(void **state)
{
    (void)state;
    const pk_table *f = fast();
    if (!f)
        skip();
    enum { BW = 90 };
    uint8_t row[BW + 4];
    double xs[4 * 32];
    for (int trial = 0; trial < 200; trial++) {
        int bw = 1 + (int)(next_rand() % BW), x0 = (int)(next_rand() % 3000) - 100;
        for (int i = 0; i < bw; i++)
            row[i] = next_rand() % 3 ? 1 : 0;
        memset(row + bw, 0xff, 4); /* past the row: must never count */
        /* sample columns spread over and around the box, some on exact integers */
        double step = (bw + 6.0) / 128;
        for (int i = 0; i < 128; i++)
            xs[i] = x0 - 3 + i * step + (trial % 5 == 0 ? 0 : (double)(next_rand() % 1000) / 7919.0);
        double c = trial % 4 == 0 ? 0.0 : ((double)(next_rand() % 2001) - 1000) / 333.0;
        int a[32] = {0}, b[32] = {0};
        pk_ref.sample_row(row, x0, bw, xs, c, 32, a);
        f->sample_row(row, x0, bw, xs, c, 32, b);
        assert_memory_equal(a, b, sizeof a);
    }
}

/* pg_shear_runs against a direct count: every pixel placed in its column,
 * runs of at least minrun summed as squared lengths (exact integers). */
static void test_shear_runs(void **state)
{
    (void)state;
    enum { H = 70 };
    uint64_t rows[H];
    static uint8_t grid[H][200];
    int compared = 0;
    for (int trial = 0; trial < 300; trial++) {
        int w = 1 + (int)(next_rand() % 64), h = 1 + (int)(next_rand() % H), minrun = 3 + (int)(next_rand() % 10);
        int density = 1 + (int)(next_rand() % 4);
        for (int r = 0; r < h; r++) {
            rows[r] = 0;
            for (int x = 0; x < w; x++)
                if (next_rand() % 5 < (uint32_t)density)
                    rows[r] |= (uint64_t)1 << x;
        }
        double t = ((int)(next_rand() % 161) - 80) / 100.0; /* tan of -39 .. 39 degrees */
        double base_y = h + (next_rand() % 5);
        int32_t step = (int32_t)lround(t * 65536.0), shift0 = (int32_t)lround((base_y - 0.5) * t * 65536.0);
        double lo = (base_y - (h - 0.5)) * t, hi = (base_y - 0.5) * t;
        if (lo > hi) {
            double tmp = lo;
            lo = hi;
            hi = tmp;
        }
        int off = (int)ceil(hi) + 1, ncol = w + (int)ceil(hi - lo) + 3;
        if (trial % 7 == 0)
            ncol = w / 2 + 1; /* columns past ncol are dropped */
        memset(grid, 0, sizeof grid);
        for (int r = 0; r < h; r++)
            for (int x = 0; x < w; x++)
                if (rows[r] >> x & 1) {
                    int c = ((x + off) * 65536 - (shift0 - step * r) + 32768) >> 16;
                    if (c >= 0 && c < ncol && c < 200)
                        grid[r][c] = 1;
                }
        int64_t want = 0;
        for (int c = 0; c < ncol && c < 200; c++)
            for (int r = 0; r < h;) {
                int len = 0;
                while (r < h && grid[r][c]) {
                    len++;
                    r++;
                }
                if (len >= minrun)
                    want += (int64_t)len * len;
                r += len == 0;
            }
        int64_t got = pg_shear_runs(rows, h, w, off, shift0, step, ncol, minrun);
        if (got >= 0) {
            assert_int_equal(got, want);
            compared++;
        } else {
            assert_true(off + w > 64); /* only a letter shifted past 128 columns falls back */
        }
    }
    assert_true(compared >= 250);
}

static char *page_json(ps_page_t *pg)
{
    char *j = NULL;
    assert_int_equal(ps_page_to_json(pg, &j, NULL), PS_OK);
    return j;
}

static void test_analyser_same_result(void **state)
{
    (void)state;
    static const int rulings[2] = {PSGEN_SINGLE, PSGEN_SEYES};
    ps_image img[2];
    psgen_truth t[2];
    char *want[2];
    for (int i = 0; i < 2; i++) {
        psgen_params p;
        psgen_params_default(&p);
        p.font = "Comic Neue";
        p.page_h_mm = 70;
        p.dpi = 300;
        p.ruling = rulings[i];
        p.x_height_mm = rulings[i] == PSGEN_SEYES ? 2.0 : 3.0;
        p.rgb = 1;
        assert_int_equal(psgen_render(&p, &img[i], &t[i]), PS_OK);
        ps_page_params pp;
        ps_page_params_default(&pp);
        pp.dpi = 300;
        ps_page_t *pg = NULL;
        assert_int_equal(ps_page_analyse(&img[i], &pp, &pg), PS_OK);
        want[i] = page_json(pg);
        ps_page_free(pg);
    }
    for (int threads = 1; threads <= 2; threads++) {
        ps_page_analyser_t *an = NULL;
        assert_int_equal(ps_page_analyser_new(threads, &an), PS_OK);
        ps_page_t *keep = NULL;
        /* twice over both pages: the second round runs on reused buffers */
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < 2; i++) {
                ps_page_params pp;
                ps_page_params_default(&pp);
                pp.dpi = 300;
                ps_page_t *pg = NULL;
                assert_int_equal(ps_page_analyse_with(an, &img[i], &pp, &pg), PS_OK);
                char *got = page_json(pg);
                assert_string_equal(got, want[i]);
                ps_free(got);
                if (round == 0 && i == 0)
                    keep = pg; /* held over the other analyses */
                else
                    ps_page_free(pg);
            }
        ps_page_analyser_free(an);
        char *got = page_json(keep); /* the result outlives its analyser */
        assert_string_equal(got, want[0]);
        ps_free(got);
        ps_page_free(keep);
    }
    assert_int_equal(ps_page_analyse_with(NULL, &img[0], NULL, &(ps_page_t *){NULL}), PS_ERR_INVALID_ARG);
    for (int i = 0; i < 2; i++) {
        ps_free(want[i]);
        ps_image_release(&img[i]);
        psgen_truth_release(&t[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rgb_to_gray),  cmocka_unit_test(test_gray_accum),
        cmocka_unit_test(test_col_update),   cmocka_unit_test(test_window_sums),
        cmocka_unit_test(test_sauvola_row),
        cmocka_unit_test(test_shrink_row4),  cmocka_unit_test(test_flatten_row),
        cmocka_unit_test(test_sample_row),   cmocka_unit_test(test_shear_runs),
        cmocka_unit_test(test_analyser_same_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
