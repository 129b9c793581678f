/* Allocation failures in a page analysis: the Nth allocation of
 * ps_page_analyse (and of its JSON) fails, for N over the run's whole
 * allocation count, on a ruled psgen page with expected text (so the letter
 * models are loaded and matched too). Each run must end in a clean error
 * (PS_ERR_NOMEM) or in success with JSON byte-identical to a run without
 * faults; nothing may leak (LeakSanitizer in the ASan build). Not covered:
 * cairo's own allocations (psgen draws the page before any fault). */
#include "testutil.h"
#include "test_faults.h"
#include "core/alloc.h"
#include "psgen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ps_status analyse_json(const ps_image *img, const ps_page_params *p, char **json, size_t *len)
{
    ps_page_t *pg = NULL;
    *json = NULL;
    ps_status rc = ps_page_analyse(img, p, &pg);
    if (rc == PS_OK)
        rc = ps_page_to_json(pg, json, len);
    ps_page_free(pg);
    return rc;
}

static void test_page_faults(void **st)
{
    (void)st;
    psgen_params gp;
    psgen_params_default(&gp);
    gp.ruling = PSGEN_SINGLE;
    gp.page_w_mm = 120;
    gp.page_h_mm = 60;
    gp.text = "the quick fox\njumps";
    ps_image img;
    psgen_truth truth;
    assert_int_equal(psgen_render(&gp, &img, &truth), PS_OK);
    psgen_truth_release(&truth);

    ps_page_params p;
    ps_page_params_default(&p);
    p.dpi = gp.dpi;
    p.text = "the quick fox jumps";
    const char *models = getenv("PENSCOPE_MODELS");
    p.models_dir = models ? models : "models";
    char *ref, *json;
    size_t ref_len, len;
    ps_alloc_fail_after(0);
    assert_int_equal(analyse_json(&img, &p, &ref, &ref_len), PS_OK);
    long total = ps_alloc_count();
    long pts[128];
    size_t n = fault_points(total, pts, 128);
    int failed = 0, absorbed = 0;
    for (size_t i = 0; i < n; i++) {
        ps_alloc_fail_after(pts[i]);
        ps_status rc = analyse_json(&img, &p, &json, &len);
        int hit = ps_alloc_count() >= pts[i];
        ps_alloc_fail_after(0);
        if (rc != PS_OK) {
            if (rc != PS_ERR_NOMEM)
                fail_msg("allocation %ld failed: status %d (%s), want out of memory", pts[i], rc, ps_last_error());
            failed++;
        } else {
            if (len != ref_len || memcmp(json, ref, len))
                fail_msg("allocation %ld failed, the analysis succeeded with a different result", pts[i]);
            absorbed += hit;
        }
        ps_free(json);
    }
    printf("page: %ld allocations, %zu failure points: %d clean errors, %d absorbed with the same result\n", total,
           n, failed, absorbed);
    assert_true(failed > 0);
    ps_free(ref);
    ps_image_release(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_page_faults)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
