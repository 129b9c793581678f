/* The grasp classifier under realistic landmark noise (engine/grip/robust.c,
 * the measurement bench_grip_robust reports): each grasp built by the
 * parametric hand, seen from four camera placements, with x/y noise of
 * 0.14-0.5% of the image size, depth noise, small turns of the whole hand
 * and all together. Seeds 1000-1019 (the reporting set; the rules were
 * designed on seeds 1-100). The limits guard the measured behaviour with a
 * margin (bench/RESULTS.md, Grip, has the full table on seeds 1000-1999):
 * without noise every grasp is found from the recommended placement; under
 * noise the confidence means something (higher confidence, fewer errors);
 * and wrong labels stay rare from the recommended placement. */
#include "grip_testutil.h"
#include "grip/robust.h"
#include <string.h>

static int pct(int a, int n) { return n ? 100 * a / n : 0; }

static void test_robustness(void **state)
{
    (void)state;
    grip_robust_table *t = malloc(sizeof *t);
    assert_non_null(t);
    int trials = getenv("PS_TEST_QUICK") ? 8 : 20;
    assert_int_equal(grip_robust_run(th, 1000, trials, t), PS_OK);
    enum { THUMB45 = 0, NONE = 0, ALL = GRIP_ROBUST_NOISES - 1 };
    assert_string_equal(grip_robust_views[THUMB45].name, "thumb45");
    assert_string_equal(grip_robust_noises[ALL].name, "all");
    int wrong = 0, n = 0;
    for (int g = 0; g < PS_GRASP_COUNT; g++) {
        if (!grip_robust_grasp_measured((ps_grasp)g))
            continue;
        /* a pencil lying beside the hand is never given a grasp, whatever the noise and view */
        if (g == PS_GRASP_UNKNOWN) {
            for (int v = 0; v < GRIP_ROBUST_VIEWS; v++)
                for (int k = 0; k < GRIP_ROBUST_NOISES; k++)
                    assert_int_equal(t->cell[g][v][k].wrong, 0);
            continue;
        }
        const grip_robust_cell *c0 = &t->cell[g][THUMB45][NONE];
        const grip_robust_cell *ca = &t->cell[g][THUMB45][ALL];
        fprintf(stderr, "%-20s thumb45: no noise %3d%% as drawn; all noise %3d%% as drawn, %3d%% unknown, %3d%% wrong\n",
                ps_grasp_name((ps_grasp)g), pct(c0->as_drawn, c0->n), pct(ca->as_drawn, ca->n),
                pct(ca->unknown, ca->n), pct(ca->wrong, ca->n));
        /* noise-free, from the recommended placement: the grasp drawn */
        assert_int_equal(c0->as_drawn, c0->n);
        wrong += ca->wrong;
        n += ca->n;
        /* no grasp is mostly mislabelled from the recommended placement */
        assert_true(2 * ca->wrong < ca->n);
    }
    /* measured on seeds 1000-1999: 8.6% wrong labels over all grasps at thumb45 (see RESULTS.md) */
    fprintf(stderr, "thumb45, all noise: %d%% wrong labels\n", pct(wrong, n));
    assert_true(wrong * 100 <= 16 * n);
    /* calibration: the top bins are right far more often than the bottom ones */
    int lo_n = 0, lo_ok = 0, hi_n = 0, hi_ok = 0;
    for (int b = 0; b < GRIP_ROBUST_BINS; b++) {
        fprintf(stderr, "confidence from %.2f: %5d reported, %3d%% right\n", grip_robust_bin_lo[b], t->bin[b].n,
                pct(t->bin[b].correct, t->bin[b].n));
        if (grip_robust_bin_lo[b] < 0.6f)
            lo_n += t->bin[b].n, lo_ok += t->bin[b].correct;
        else if (grip_robust_bin_lo[b] >= 0.8f)
            hi_n += t->bin[b].n, hi_ok += t->bin[b].correct;
    }
    assert_true(lo_n > 50 && hi_n > 50);
    assert_true(pct(hi_ok, hi_n) >= pct(lo_ok, lo_n) + 15);
    assert_true(pct(hi_ok, hi_n) >= 85);
    free(t);
}

/* Same seeds, same table: the measurement is reproducible. */
static void test_deterministic(void **state)
{
    (void)state;
    grip_robust_table *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(grip_robust_run(th, 1500, 2, a), PS_OK);
    assert_int_equal(grip_robust_run(th, 1500, 2, b), PS_OK);
    assert_memory_equal(a, b, sizeof *a);
    assert_int_equal(grip_robust_run(th, 1500, 0, a), PS_ERR_INVALID_ARG);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_robustness),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, grip_thresholds_setup, grip_thresholds_teardown);
}
