/* PNG: exact write/read round trips (gray, RGB, RGBA composited over white,
 * files created 0600), and every colour type and bit depth arriving as 8-bit
 * RGB or gray: gray 1/2/4/8/16-bit, gray+alpha, RGB 16-bit, RGBA, palette
 * with and without transparency, interlaced; pHYs resolution. Expected
 * values are computed here from the PNG spec; tolerance 1 level where
 * libpng rounds (16 -> 8 bits, compositing, RGB -> gray). */
#include "test_io_gen.h"
#include <math.h>
#include <sys/stat.h>

static int px(const ps_image *im, int x, int y, int c) { return im->data[(size_t)y * im->stride + (size_t)x * im->channels + c]; }

static ps_status decode(const gen_buf *b, int ch, ps_image *img, ps_image_info *info)
{
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.channels = ch;
    return ps_image_decode_memory(b->data, b->len, &dp, img, info);
}

static void test_round_trip_exact(void **state)
{
    for (int ch = 1; ch <= 3; ch += 2) {
        ps_image a;
        assert_int_equal(ps_image_alloc(&a, 67, 31, ch), PS_OK);
        for (int y = 0; y < a.height; y++)
            for (int x = 0; x < a.width * ch; x++)
                a.data[y * a.stride + x] = (uint8_t)((x * 7 + y * 13 + (x * y) % 11) & 0xFF);
        const char *path = tu_tmpfile(ch == 1 ? "gray.png" : "rgb.png");
        assert_int_equal(ps_image_write_png(path, &a), PS_OK);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        ps_decode_params dp;
        ps_decode_params_default(&dp);
        dp.channels = ch;
        ps_image b;
        ps_image_info info;
        assert_int_equal(ps_image_decode_file(path, &dp, &b, &info), PS_OK);
        assert_string_equal(info.format, "png");
        assert_int_equal(info.channels, ch);
        assert_int_equal(b.width, a.width);
        assert_int_equal(b.height, a.height);
        assert_int_equal(b.channels, ch);
        for (int y = 0; y < a.height; y++)
            assert_memory_equal(a.data + y * a.stride, b.data + y * b.stride, (size_t)a.width * ch);
        ps_image_release(&a);
        ps_image_release(&b);
    }
}

static void test_write_rgba_reads_over_white(void **state)
{
    ps_image a;
    assert_int_equal(ps_image_alloc(&a, 4, 1, 4), PS_OK);
    const uint8_t pix[16] = {200, 100, 0, 255, 200, 100, 0, 0, 200, 100, 0, 128, 0, 0, 0, 64};
    memcpy(a.data, pix, 16);
    const char *path = tu_tmpfile("rgba.png");
    assert_int_equal(ps_image_write_png(path, &a), PS_OK);
    ps_image b;
    ps_image_info info;
    assert_int_equal(ps_image_decode_file(path, NULL, &b, &info), PS_OK);
    assert_int_equal(info.channels, 4);
    for (int x = 0; x < 4; x++)
        for (int c = 0; c < 3; c++) {
            double a8 = pix[x * 4 + 3] / 255.0, want = pix[x * 4 + c] * a8 + 255 * (1 - a8);
            assert_true(fabs(px(&b, x, 0, c) - want) <= 1.0);
        }
    ps_image_release(&a);
    ps_image_release(&b);
    /* a released image has no pixels: refused, nothing written */
    assert_int_equal(ps_image_write_png(tu_tmpfile("released.png"), &a), PS_ERR_INVALID_ARG);
}

static void test_write_errors_name_the_file(void **state)
{
    ps_image a;
    assert_int_equal(ps_image_alloc(&a, 2, 2, 3), PS_OK);
    const char *path = tu_tmpfile("missing-dir/out.png");
    assert_int_equal(ps_image_write_png(path, &a), PS_ERR_IO);
    assert_non_null(strstr(ps_last_error(), path));
    ps_image_release(&a);
}

/* Gray at every bit depth: sample v of depth d is v * 255 / (2^d - 1). */
static void test_gray_depths(void **state)
{
    const int W = 13, H = 5;
    for (int d = 1; d <= 16; d *= 2) {
        int maxv = (1 << d) - 1;
        size_t rb = ((size_t)W * d + 7) / 8;
        uint8_t rows[5][26];
        memset(rows, 0, sizeof rows);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                unsigned v = (unsigned)((x + 3 * y) * 977) % (unsigned)(maxv + 1);
                if (d == 16) {
                    rows[y][2 * x] = (uint8_t)(v >> 8);
                    rows[y][2 * x + 1] = (uint8_t)v;
                } else {
                    int bit = x * d;
                    rows[y][bit / 8] |= (uint8_t)(v << (8 - d - bit % 8));
                }
            }
        gen_buf b = gen_png(W, H, d, PNG_COLOR_TYPE_GRAY, &rows[0][0], sizeof rows[0], NULL, 0, NULL, 0, d == 4, 0);
        (void)rb;
        for (int ch = 1; ch <= 3; ch += 2) {
            ps_image img;
            ps_image_info info;
            assert_int_equal(decode(&b, ch, &img, &info), PS_OK);
            assert_int_equal(info.channels, 1);
            assert_int_equal(img.channels, ch);
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    unsigned v = (unsigned)((x + 3 * y) * 977) % (unsigned)(maxv + 1);
                    double want = v * 255.0 / maxv;
                    for (int c = 0; c < ch; c++)
                        if (fabs(px(&img, x, y, c) - want) > 1.0)
                            fail_msg("depth %d ch %d at (%d,%d): %d vs %.1f", d, ch, x, y, px(&img, x, y, c), want);
                }
            ps_image_release(&img);
        }
        free(b.data);
    }
}

static void test_rgb16_and_gray_alpha(void **state)
{
    const int W = 9, H = 4;
    uint8_t rows[4][9 * 6];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W * 3; x++) {
            unsigned v = (unsigned)(x * 7919 + y * 104729) & 0xFFFF;
            rows[y][2 * x] = (uint8_t)(v >> 8);
            rows[y][2 * x + 1] = (uint8_t)v;
        }
    gen_buf b = gen_png(W, H, 16, PNG_COLOR_TYPE_RGB, &rows[0][0], sizeof rows[0], NULL, 0, NULL, 0, 0, 0);
    ps_image img;
    assert_int_equal(decode(&b, 3, &img, NULL), PS_OK);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W * 3; x++) {
            unsigned v = (unsigned)(x * 7919 + y * 104729) & 0xFFFF;
            assert_true(fabs(img.data[y * img.stride + x] - v / 257.0) <= 1.0);
        }
    ps_image_release(&img);
    /* Gray from RGB: Rec. 709 luma of the 8-bit values within 2 levels (libpng's fixed point). */
    assert_int_equal(decode(&b, 1, &img, NULL), PS_OK);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double r = (((unsigned)((3 * x) * 7919 + y * 104729)) & 0xFFFF) / 257.0;
            double g = (((unsigned)((3 * x + 1) * 7919 + y * 104729)) & 0xFFFF) / 257.0;
            double bl = (((unsigned)((3 * x + 2) * 7919 + y * 104729)) & 0xFFFF) / 257.0;
            double want = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
            if (fabs(px(&img, x, y, 0) - want) > 2.0)
                fail_msg("gray of RGB16 at (%d,%d): %d vs %.1f", x, y, px(&img, x, y, 0), want);
        }
    ps_image_release(&img);
    free(b.data);

    /* gray + alpha over white */
    uint8_t ga[2][8] = {{0, 255, 0, 0, 100, 128, 200, 32}, {50, 10, 255, 255, 30, 200, 90, 90}};
    b = gen_png(4, 2, 8, PNG_COLOR_TYPE_GRAY_ALPHA, &ga[0][0], 8, NULL, 0, NULL, 0, 0, 0);
    ps_image_info info;
    assert_int_equal(decode(&b, 3, &img, &info), PS_OK);
    assert_int_equal(info.channels, 2);
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 4; x++) {
            double a = ga[y][2 * x + 1] / 255.0, want = ga[y][2 * x] * a + 255 * (1 - a);
            for (int c = 0; c < 3; c++)
                assert_true(fabs(px(&img, x, y, c) - want) <= 1.0);
        }
    ps_image_release(&img);
    free(b.data);
}

static void test_palette(void **state)
{
    png_color pal[4] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {10, 20, 30}};
    uint8_t idx[3][5] = {{0, 1, 2, 3, 0}, {3, 2, 1, 0, 1}, {2, 2, 3, 3, 0}};
    png_byte trans[4] = {255, 0, 128, 255};
    for (int t = 0; t <= 1; t++) {
        gen_buf b = gen_png(5, 3, 8, PNG_COLOR_TYPE_PALETTE, &idx[0][0], 5, pal, 4, t ? trans : NULL, t ? 4 : 0, 0, 0);
        ps_image img;
        ps_image_info info;
        assert_int_equal(decode(&b, 3, &img, &info), PS_OK);
        assert_int_equal(info.channels, t ? 4 : 3);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++) {
                const png_color *e = &pal[idx[y][x]];
                double a = t ? trans[idx[y][x]] / 255.0 : 1.0;
                double want[3] = {e->red * a + 255 * (1 - a), e->green * a + 255 * (1 - a), e->blue * a + 255 * (1 - a)};
                for (int c = 0; c < 3; c++)
                    if (fabs(px(&img, x, y, c) - want[c]) > 1.0)
                        fail_msg("palette (trns %d) at (%d,%d,%d): %d vs %.1f", t, x, y, c, px(&img, x, y, c), want[c]);
            }
        ps_image_release(&img);
        free(b.data);
    }
}

static void test_phys_dpi(void **state)
{
    uint8_t row[3] = {1, 2, 3};
    gen_buf b = gen_png(1, 1, 8, PNG_COLOR_TYPE_RGB, row, 3, NULL, 0, NULL, 0, 0, 11811);
    ps_image_info info;
    assert_int_equal(ps_image_probe_memory(b.data, b.len, &info), PS_OK);
    assert_string_equal(info.format, "png");
    assert_true(fabs(info.dpi_x - 11811 * 0.0254) < 1e-9 && fabs(info.dpi_y - 299.9994) < 1e-4);
    assert_int_equal(info.orientation, 1);
    free(b.data);
    b = gen_png(1, 1, 8, PNG_COLOR_TYPE_RGB, row, 3, NULL, 0, NULL, 0, 0, 0);
    assert_int_equal(ps_image_probe_memory(b.data, b.len, &info), PS_OK);
    assert_true(info.dpi_x == 0);
    free(b.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_exact),
        cmocka_unit_test(test_write_rgba_reads_over_white),
        cmocka_unit_test(test_write_errors_name_the_file),
        cmocka_unit_test(test_gray_depths),
        cmocka_unit_test(test_rgb16_and_gray_alpha),
        cmocka_unit_test(test_palette),
        cmocka_unit_test(test_phys_dpi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
