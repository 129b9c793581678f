/* The grip overlay drawn on a rendered grip photo: pixels change where the
 * skeleton, the pencil tip, the contact points and the label are, and stay
 * where nothing is drawn; the PNG is written user-only. */
#include "grip_testutil.h"
#include "grip/synth.h"
#include "grip/overlay_label.h"
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


/* A result whose reasons are long: the real criteria of a classified hand,
 * and one made-up reason with a word longer than any line of a narrow image. */
static void long_result(grip_synth *s, ps_grip_result *r, int width, int height)
{
    grip_view v;
    grip_view_default(&v);
    /* the hand in the middle of the image, filling about a third of its smaller side */
    v.px_per_m = 0.33f * fminf(width, height) / 0.15f;
    v.cx = 0.5f * width;
    v.cy = 0.55f * height;
    assert_int_equal(grip_synth_build(PS_GRASP_LATERAL_TRIPOD, &v, s), 0);
    assert_int_equal(ps_grip_classify(th, (const float(*)[3])s->image, (const float(*)[3])s->world, PS_GRIP_HAND_RIGHT,
                                      &s->pencil, 7.0, r), PS_OK);
    assert_true(r->n_criteria >= 3 && r->n_criteria < PS_GRIP_MAX_CRITERIA);
    ps_grip_criterion *c = &r->criteria[r->n_criteria++];
    snprintf(c->name, sizeof c->name, "test");
    snprintf(c->text, sizeof c->text, "a very long word: %s end",
             "Pneumonoultramicroscopicsilicovolcanoconiosis-Pneumonoultramicroscopicsilicovolcanoconiosis");
}

/* Every line's ink inside the box, the box inside the image, lines within
 * the box's width, no line empty, and the reasons all there unless truncated. */
static void check_layout(const grip_label_layout *L, const ps_grip_result *r, int width, int height)
{
    assert_true(L->shown);
    assert_true(L->box_x >= 0 && L->box_y >= 0);
    assert_true(L->box_x + L->box_w <= width + 1e-9);
    assert_true(L->box_y + L->box_h <= height + 1e-9);
    assert_true(L->box_h <= 0.5 * height + 1e-9);
    assert_true(L->line[0].title);
    for (int i = 0; i < L->n_lines; i++) {
        const grip_label_line *l = &L->line[i];
        assert_true(strlen(l->text) > 0);
        assert_true(l->text[0] != ' ');
        assert_true(l->ink_x0 >= L->box_x - 1e-6 && l->ink_x1 <= L->box_x + L->box_w + 1e-6);
        assert_true(l->ink_y0 >= L->box_y - 1e-6 && l->ink_y1 <= L->box_y + L->box_h + 1e-6);
        if (i)
            assert_true(l->y > L->line[i - 1].y);  /* lines go down, one after the other */
        /* readable sizes: the floors of overlay_label.c */
        assert_true(l->size >= 10);
    }
    if (!L->truncated) {
        /* every reason's words are there, in order, once the lines are joined */
        char joined[8192] = "";
        for (int i = 0; i < L->n_lines; i++)
            if (!L->line[i].title) {
                strncat(joined, L->line[i].text, sizeof joined - strlen(joined) - 1);
                strncat(joined, " ", sizeof joined - strlen(joined) - 1);
            }
        const char *p = joined;
        for (int c = 0; c < r->n_criteria; c++) {
            char word[64];
            /* the first word of each reason appears after the previous one */
            sscanf(r->criteria[c].text, "%63s", word);
            const char *q = strstr(p, word);
            if (!q)
                fail_msg("reason %d ('%s') lost in the wrapped lines", c, r->criteria[c].text);
            p = q + strlen(word);
        }
    }
}

/* The layout as the overlay computes it (same font face selected first). */
static void layout_for(const ps_grip_result *r, const float (*lm)[3], int w, int h, grip_label_layout *L)
{
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(surf);
    grip_label_layout_compute(cr, r, lm, w, h, L);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
}

static ps_image paper(int w, int h)
{
    ps_image img;
    assert_int_equal(ps_image_alloc(&img, w, h, 3), PS_OK);
    for (int y = 0; y < h; y++)
        memset(img.data + (size_t)y * img.stride, 200, 3 * (size_t)w);
    return img;
}

/* The label of a tall narrow photo, a wide one, a phone portrait and a tiny
 * one: wrapped inside the image; on the narrow one the long reasons need
 * several lines each. */
static void test_label_layout(void **st)
{
    (void)st;
    static const int sizes[][2] = {{360, 1400}, {1920, 1080}, {3024, 4032}, {240, 180}, {640, 480}};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int w = sizes[k][0], h = sizes[k][1];
        grip_synth s;
        ps_grip_result r;
        long_result(&s, &r, w, h);
        grip_label_layout *L = malloc(sizeof *L);
        layout_for(&r, (const float(*)[3])s.image, w, h, L);
        fprintf(stderr, "%4dx%-4d title %.1f px, reasons %.1f px, %d lines%s, box %.0f,%.0f %.0fx%.0f\n", w, h,
                L->title_size, L->body_size, L->n_lines, L->truncated ? " (truncated)" : "", L->box_x, L->box_y,
                L->box_w, L->box_h);
        check_layout(L, &r, w, h);
        if (w == 360) {
            assert_false(L->truncated);
            assert_true(L->n_lines > r.n_criteria + 3);  /* wrapped */
            assert_true(L->title_size >= 12);
        }
        if (w == 1920)
            assert_true(L->title_size >= 20);
        /* pixels: drawn only inside the box (the skeleton and pencil are not drawn without landmarks and pencil) */
        ps_image img = paper(w, h), drawn = paper(w, h);
        ps_grip_result rl = r;
        rl.pencil_found = 0;
        layout_for(&rl, NULL, w, h, L);
        check_layout(L, &rl, w, h);
        assert_int_equal(ps_grip_overlay_draw(&drawn, NULL, &rl), PS_OK);
        int outside = 0, inside = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int diff = memcmp(img.data + (size_t)y * img.stride + 3 * x, drawn.data + (size_t)y * drawn.stride + 3 * x, 3);
                int in = x >= (int)floor(L->box_x) && x < (int)ceil(L->box_x + L->box_w) && y >= (int)floor(L->box_y) &&
                         y < (int)ceil(L->box_y + L->box_h);
                if (diff && !in)
                    outside++;
                if (diff && in)
                    inside++;
            }
        assert_int_equal(outside, 0);
        assert_true(inside > 0.5 * L->box_w * L->box_h);  /* the box is drawn */
        char name[64];
        snprintf(name, sizeof name, "label_%dx%d.png", w, h);
        /* PS_TEST_KEEP_DIR=DIR keeps them to look at */
        const char *keep = getenv("PS_TEST_KEEP_DIR");
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", keep ? keep : tu_tmpdir(), name);
        assert_int_equal(ps_grip_overlay_write_png(path, &img, (const float(*)[3])s.image, &r), PS_OK);
        ps_image_release(&img);
        ps_image_release(&drawn);
        free(L);
    }
    /* too small for any readable label: none drawn, nothing else changes */
    grip_synth s;
    ps_grip_result r;
    long_result(&s, &r, 400, 400);
    r.pencil_found = 0;
    ps_image img = paper(40, 30), drawn = paper(40, 30);
    assert_int_equal(ps_grip_overlay_draw(&drawn, NULL, &r), PS_OK);
    assert_memory_equal(img.data, drawn.data, (size_t)img.stride * 30);
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
        cmocka_unit_test(test_label_layout),
        cmocka_unit_test(test_overlay_errors),
    };
    return cmocka_run_group_tests(tests, grip_thresholds_setup, teardown);
}
