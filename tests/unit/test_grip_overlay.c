/* The grip overlay drawn on a rendered grip photo: pixels change where the
 * skeleton, the pencil tip, the contact points and the label are, and stay
 * where nothing is drawn; the PNG is written user-only. */
#include "grip_testutil.h"
#include "grip/synth.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cairo.h>
#include <dlfcn.h>

static int teardown(void **state)
{
    grip_thresholds_teardown(state);
    /* text drawing loads fontconfig's caches, kept for the process: free
     * them so LeakSanitizer sees only our own allocations (FcFini looked up
     * at run time: fontconfig is cairo's dependency, not linked directly) */
    cairo_debug_reset_static_data();
    void (*fc_fini)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "FcFini");
    if (fc_fini)
        fc_fini();
    return 0;
}

/* largest per-channel difference in a (2r+1)^2 window */
static int changed_near(const ps_image *a, const ps_image *b, float x, float y, int r)
{
    int best = 0;
    for (int yy = (int)y - r; yy <= (int)y + r; yy++)
        for (int xx = (int)x - r; xx <= (int)x + r; xx++) {
            if (xx < 0 || yy < 0 || xx >= a->width || yy >= a->height)
                continue;
            for (int c = 0; c < 3; c++) {
                int d = abs(a->data[(size_t)yy * a->stride + 3 * xx + c] - b->data[(size_t)yy * b->stride + 3 * xx + c]);
                if (d > best)
                    best = d;
            }
        }
    return best;
}

static void test_overlay_pixels(void **st)
{
    (void)st;
    grip_view v;
    grip_view_default(&v);
    grip_synth s;
    grip_synth_build(PS_GRASP_DYNAMIC_TRIPOD, &v, &s);
    grip_scene sc;
    grip_scene_default(&sc, 1600, 1200);
    ps_image img, drawn;
    assert_int_equal(grip_scene_render(&sc, &s, &img), PS_OK);
    assert_int_equal(grip_scene_render(&sc, &s, &drawn), PS_OK);
    ps_grip_result r;
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, (const float(*)[3])s.world, PS_GRIP_HAND_RIGHT,
                                      &s.pencil, 7.0, &r), PS_OK);
    assert_int_equal(r.grasp, PS_GRASP_DYNAMIC_TRIPOD);
    assert_int_equal(ps_grip_overlay_draw(&drawn, (const float(*)[3])s.image, &r), PS_OK);
    /* every landmark gets a dot */
    for (int i = 0; i < 21; i++)
        assert_true(changed_near(&img, &drawn, s.image[i][0], s.image[i][1], 1) > 60);
    /* the tip marker is a ring around the tip */
    assert_true(changed_near(&img, &drawn, s.pencil.tip[0], s.pencil.tip[1], 10) > 60);
    /* contact points of the three digits */
    for (int d = 0; d < 3; d++)
        assert_true(changed_near(&img, &drawn, r.contact_px[d][0], r.contact_px[d][1], 1) > 40);
    /* the label box in the top-left corner */
    assert_true(changed_near(&img, &drawn, 60, 40, 20) > 60);
    /* the bottom-right corner is far from everything: untouched */
    assert_int_equal(changed_near(&img, &drawn, 1550, 1150, 30), 0);

    const char *path = tu_tmpfile("overlay.png");
    assert_int_equal(ps_grip_overlay_write_png(path, &img, (const float(*)[3])s.image, &r), PS_OK);
    struct stat stt;
    assert_int_equal(stat(path, &stt), 0);
    assert_int_equal(stt.st_mode & 0777, 0600);
    size_t n;
    unsigned char *png = tu_read_file(path, &n);
    assert_non_null(png);
    assert_true(n > 1000);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    free(png);
    /* no pencil: the label still says why */
    ps_grip_result r2;
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s.image, NULL, PS_GRIP_HAND_RIGHT, NULL, 7.0, &r2), PS_OK);
    assert_int_equal(ps_grip_overlay_draw(&drawn, NULL, &r2), PS_OK);
    ps_image_release(&img);
    ps_image_release(&drawn);
}

static void test_overlay_errors(void **st)
{
    (void)st;
    ps_image img;
    assert_int_equal(ps_image_alloc(&img, 32, 32, 1), PS_OK);
    assert_int_equal(ps_grip_overlay_draw(&img, NULL, NULL), PS_ERR_INVALID_ARG);
    ps_image_release(&img);
    assert_int_equal(ps_image_alloc(&img, 32, 32, 3), PS_OK);
    assert_int_equal(ps_grip_overlay_write_png("/nonexistent-dir/x.png", &img, NULL, NULL), PS_ERR_IO);
    assert_non_null(strstr(ps_last_error(), "/nonexistent-dir/x.png"));
    float lm[21][3] = {{0}};
    lm[4][1] = INFINITY;
    assert_int_equal(ps_grip_overlay_draw(&img, (const float(*)[3])lm, NULL), PS_ERR_INVALID_ARG);
    ps_image_release(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlay_pixels),
        cmocka_unit_test(test_overlay_errors),
    };
    return cmocka_run_group_tests(tests, grip_thresholds_setup, teardown);
}
