/* The ink overlay: a PNG (mode 0600) of the expected size for synthetic
 * letters with formation marks, for recordings without hover or pressure,
 * and a clear error when there is nothing to draw or the path is unusable. */
#include "testutil.h"
#include "test_ink_synth.h"
#include <stdio.h>
#include <sys/stat.h>

static unsigned be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

static void test_overlay_letters(void **state)
{
    (void)state;
    char path[4096];
    const char *dir = getenv("PENSCOPE_MODELS");
    snprintf(path, sizeof path, "%s/letters/print.json", dir ? dir : "models");
    ps_letter_models_t *m;
    assert_int_equal(ps_letter_models_load(path, &m), PS_OK);
    synth s;
    synth_init(&s, 200, 0.05, 3);
    synth_letter(&s, m, 'b', 0, 10, 10, 16, SE_NONE);
    synth_letter(&s, m, 'i', 0, 30, 10, 16, SE_SWAP);
    synth_letter(&s, m, 'd', 0, 40, 10, 16, SE_MIRROR);
    ps_ink_params p;
    ps_ink_params_default(&p);
    p.text = "bid";
    p.models = m;
    ps_ink_result r;
    assert_int_equal(ps_ink_analyse(&s.ink, &p, &r), PS_OK);
    assert_true(r.letters[1].order_error && r.letters[2].reversal);
    const char *png = tu_tmpfile("letters.png");
    assert_int_equal(ps_ink_overlay_png(&s.ink, &r, png), PS_OK);
    struct stat st;
    assert_int_equal(stat(png, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    size_t n;
    unsigned char *data = tu_read_file(png, &n);
    assert_non_null(data);
    assert_true(n > 1000 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8));
    unsigned w = be32(data + 16), h = be32(data + 20);
    assert_true(w >= 300 && w <= 4000 && h > 100 && h <= 4000);
    free(data);
    ps_ink_result_release(&r);
    /* without hover and pressure channels */
    ps_free(s.ink.pressure);
    s.ink.pressure = NULL;
    s.ink.channels &= ~(unsigned)(PS_INK_HAS_HOVER | PS_INK_HAS_PRESSURE);
    assert_int_equal(ps_ink_analyse(&s.ink, NULL, &r), PS_OK);
    assert_int_equal(ps_ink_overlay_png(&s.ink, &r, tu_tmpfile("plain.png")), PS_OK);
    assert_int_equal(ps_ink_overlay_png(&s.ink, &r, "/nonexistent-dir/x.png"), PS_ERR_IO);
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);
    ps_letter_models_free(m);
}

static void test_overlay_nothing_to_draw(void **state)
{
    (void)state;
    synth s;
    synth_init(&s, 200, 0, 3);
    for (int i = 0; i < 5; i++)
        synth_sample(&s, i, 0, 0);
    ps_ink_result r;
    assert_int_equal(ps_ink_analyse(&s.ink, NULL, &r), PS_OK);
    assert_int_equal(ps_ink_overlay_png(&s.ink, &r, tu_tmpfile("none.png")), PS_ERR_INVALID_ARG);
    ps_ink_result_release(&r);
    ps_ink_release(&s.ink);
    /* absurd values never reach the drawing: the reader refuses them */
    ps_ink ink;
    const char *csv = "x_mm,y_mm\n0,0\n1e12,5\n";
    assert_int_equal(ps_ink_read_memory(csv, strlen(csv), PS_INK_CSV, NULL, &ink), PS_ERR_CORRUPT);
    assert_non_null(strstr(ps_last_error(), "line 3: a value is out of range"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlay_letters),
        cmocka_unit_test(test_overlay_nothing_to_draw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
