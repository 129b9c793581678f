/* JPEG decoding: the 8 EXIF orientations (both TIFF byte orders), scaled
 * decode and max_side, gray output, fast mode, probe and resolution.
 * Tolerances: a q95 4:4:4 JPEG of a smooth gradient decodes within a few
 * levels of the original; where two decodes of the same file are compared
 * the pixels must be identical. */
#include "test_io_gen.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>

enum { VW = 150, VH = 97 }; /* upright size: odd, and wider than one 64-pixel orientation tile */

static int px(const ps_image *im, int x, int y, int c) { return im->data[(size_t)y * im->stride + (size_t)x * im->channels + c]; }

/* Max and mean absolute difference of an RGB decode against the upright pattern. */
static void diff_to_pattern(const ps_image *im, int W, int H, double *maxd, double *meand)
{
    double sum = 0, mx = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < 3; c++) {
                double d = fabs((double)px(im, x, y, c) - gen_pattern(x, y, W, H, c));
                sum += d;
                if (d > mx)
                    mx = d;
            }
    *maxd = mx;
    *meand = sum / ((double)W * H * 3);
}

static unsigned char *oriented_jpeg(int o, int be, size_t *len)
{
    int sw, sh;
    uint8_t *stored = gen_stored_pattern(o, VW, VH, &sw, &sh);
    size_t jl;
    unsigned char *j = gen_jpeg(stored, sw, sh, 3, 95, &jl);
    free(stored);
    gen_buf seg = gen_exif_app1(o, be, 0, 0);
    unsigned char *out = gen_splice(j, jl, &seg, len);
    free(seg.data);
    free(j);
    return out;
}

static void test_all_orientations(void **state)
{
    for (int be = 0; be <= 1; be++)
        for (int o = 1; o <= 8; o++) {
            size_t len;
            unsigned char *j = oriented_jpeg(o, be, &len);
            ps_decode_params dp;
            ps_decode_params_default(&dp);
            ps_image img, raw;
            ps_image_info info;
            assert_int_equal(ps_image_decode_memory(j, len, &dp, &img, &info), PS_OK);
            assert_int_equal(info.orientation, o);
            assert_string_equal(info.format, "jpeg");
            assert_int_equal(img.width, VW);
            assert_int_equal(img.height, VH);
            assert_int_equal(info.width, o >= 5 ? VH : VW); /* stored size */
            double mx, mean;
            diff_to_pattern(&img, VW, VH, &mx, &mean);
            if (mx > 12 || mean > 2.0)
                fail_msg("orientation %d (%s): max diff %.0f, mean %.2f", o, be ? "MM" : "II", mx, mean);
            /* The oriented image is exactly the raw decode moved per the EXIF table. */
            dp.apply_exif = 0;
            assert_int_equal(ps_image_decode_memory(j, len, &dp, &raw, NULL), PS_OK);
            assert_int_equal(raw.width, info.width);
            for (int sy = 0; sy < raw.height; sy++)
                for (int sx = 0; sx < raw.width; sx++) {
                    int ux, uy;
                    gen_exif_map(o, sx, sy, VW, VH, &ux, &uy);
                    for (int c = 0; c < 3; c++)
                        if (px(&raw, sx, sy, c) != px(&img, ux, uy, c))
                            fail_msg("orientation %d: stored (%d,%d) not at (%d,%d)", o, sx, sy, ux, uy);
                }
            ps_image_release(&img);
            ps_image_release(&raw);
            free(j);
        }
}

static void test_orientation_gray(void **state)
{
    for (int o = 1; o <= 8; o++) {
        size_t len;
        unsigned char *j = oriented_jpeg(o, 0, &len);
        ps_decode_params dp;
        ps_decode_params_default(&dp);
        ps_image rgb, gray;
        assert_int_equal(ps_image_decode_memory(j, len, &dp, &rgb, NULL), PS_OK);
        dp.channels = 1;
        assert_int_equal(ps_image_decode_memory(j, len, &dp, &gray, NULL), PS_OK);
        assert_int_equal(gray.channels, 1);
        assert_int_equal(gray.width, VW);
        assert_int_equal(gray.height, VH);
        /* libjpeg's gray output is the luma it decoded: BT.601 of the RGB within rounding. */
        for (int y = 0; y < VH; y++)
            for (int x = 0; x < VW; x++) {
                double yv = 0.299 * px(&rgb, x, y, 0) + 0.587 * px(&rgb, x, y, 1) + 0.114 * px(&rgb, x, y, 2);
                if (fabs(yv - px(&gray, x, y, 0)) > 3)
                    fail_msg("orientation %d gray at (%d,%d): %d vs luma %.1f", o, x, y, px(&gray, x, y, 0), yv);
            }
        ps_image_release(&rgb);
        ps_image_release(&gray);
        free(j);
    }
}

static void test_scaled_decode(void **state)
{
    const int W = 203, H = 101;
    uint8_t *p = malloc((size_t)W * H * 3);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < 3; c++)
                p[((size_t)y * W + x) * 3 + c] = gen_pattern(x, y, W, H, c);
    size_t len;
    unsigned char *j = gen_jpeg(p, W, H, 3, 95, &len);
    for (int d = 1; d <= 8; d *= 2) {
        ps_decode_params dp;
        ps_decode_params_default(&dp);
        dp.scale_denom = d;
        ps_image img;
        ps_image_info info;
        assert_int_equal(ps_image_decode_memory(j, len, &dp, &img, &info), PS_OK);
        assert_int_equal(img.width, (W + d - 1) / d);
        assert_int_equal(img.height, (H + d - 1) / d);
        assert_int_equal(info.scale_denom, d);
        assert_int_equal(info.width, W);
        /* Each output pixel is near the pattern at its block centre (a gradient: the box mean). */
        for (int y = 0; y + 1 < img.height; y++)
            for (int x = 0; x + 1 < img.width; x++)
                for (int c = 0; c < 3; c++) {
                    double cx = x * d + (d - 1) / 2.0, cy = y * d + (d - 1) / 2.0;
                    double want = (gen_pattern((int)floor(cx), (int)floor(cy), W, H, c) +
                                   gen_pattern((int)ceil(cx), (int)ceil(cy), W, H, c)) / 2.0;
                    if (fabs(px(&img, x, y, c) - want) > 6)
                        fail_msg("1/%d at (%d,%d,%d): %d vs %.1f", d, x, y, c, px(&img, x, y, c), want);
                }
        ps_image_release(&img);
    }
    free(j);
    free(p);
}

static void test_scaled_with_orientation(void **state)
{
    size_t len;
    unsigned char *j = oriented_jpeg(6, 1, &len);
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.scale_denom = 4;
    ps_image img;
    assert_int_equal(ps_image_decode_memory(j, len, &dp, &img, NULL), PS_OK);
    assert_int_equal(img.width, (VW + 3) / 4);
    assert_int_equal(img.height, (VH + 3) / 4);
    /* red still grows to the right and green downwards after the rotation */
    assert_true(px(&img, img.width - 1, 0, 0) > px(&img, 0, 0, 0) + 100);
    assert_true(px(&img, 0, img.height - 1, 1) > px(&img, 0, 0, 1) + 100);
    ps_image_release(&img);
    free(j);
}

static void test_max_side(void **state)
{
    const int W = 1000, H = 600;
    uint8_t *p = calloc((size_t)W * H, 3);
    size_t len;
    unsigned char *j = gen_jpeg(p, W, H, 3, 50, &len);
    free(p);
    static const struct { int max_side, denom; } cases[] = {
        {1, 8}, {125, 8}, {126, 4}, {250, 4}, {251, 2}, {500, 2}, {501, 1}, {5000, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ps_decode_params dp;
        ps_decode_params_default(&dp);
        dp.scale_denom = 2; /* overridden by max_side */
        dp.max_side = cases[i].max_side;
        ps_image img;
        ps_image_info info;
        assert_int_equal(ps_image_decode_memory(j, len, &dp, &img, &info), PS_OK);
        if (info.scale_denom != cases[i].denom)
            fail_msg("max_side %d: scale 1/%d, expected 1/%d", cases[i].max_side, info.scale_denom, cases[i].denom);
        assert_int_equal(img.width, (W + cases[i].denom - 1) / cases[i].denom);
        ps_image_release(&img);
    }
    free(j);
}

static void test_fast_close_to_accurate(void **state)
{
    size_t len;
    unsigned char *j = oriented_jpeg(1, 0, &len);
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    ps_image acc, fast;
    assert_int_equal(ps_image_decode_memory(j, len, &dp, &acc, NULL), PS_OK);
    dp.fast = 1;
    assert_int_equal(ps_image_decode_memory(j, len, &dp, &fast, NULL), PS_OK);
    double sum = 0;
    int mx = 0;
    for (int y = 0; y < VH; y++)
        for (int x = 0; x < VW * 3; x++) {
            int d = abs(acc.data[y * acc.stride + x] - fast.data[y * fast.stride + x]);
            sum += d;
            mx = d > mx ? d : mx;
        }
    assert_true(mx <= 8);
    assert_true(sum / (VW * VH * 3) <= 1.5);
    ps_image_release(&acc);
    ps_image_release(&fast);
    free(j);
}

static void test_probe_and_dpi(void **state)
{
    uint8_t p[16 * 8 * 3] = {0};
    size_t jl;
    unsigned char *j = gen_jpeg(p, 16, 8, 3, 90, &jl);
    struct { int be; unsigned dpi; int unit; double want; } cases[] = {
        {0, 300, 2, 300.0}, {1, 118, 3, 299.72}, {1, 0, 0, 0.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gen_buf seg = gen_exif_app1(3, cases[i].be, cases[i].dpi, cases[i].unit);
        size_t len;
        unsigned char *s = gen_splice(j, jl, &seg, &len);
        ps_image_info info;
        assert_int_equal(ps_image_probe_memory(s, len, &info), PS_OK);
        assert_string_equal(info.format, "jpeg");
        assert_int_equal(info.width, 16);
        assert_int_equal(info.height, 8);
        assert_int_equal(info.orientation, 3);
        assert_int_equal(info.channels, 3);
        assert_true(fabs(info.dpi_x - cases[i].want) < 1e-6 && fabs(info.dpi_y - cases[i].want) < 1e-6);
        free(s);
        free(seg.data);
    }
    /* A JFIF APP0 with dots per inch wins over EXIF. */
    uint8_t jfif[] = {0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 1, 0, 200, 0, 150, 0, 0};
    gen_buf seg = {jfif, sizeof jfif, sizeof jfif};
    size_t len;
    unsigned char *s = gen_splice(j, jl, &seg, &len);
    ps_image_info info;
    assert_int_equal(ps_image_probe_memory(s, len, &info), PS_OK);
    assert_true(fabs(info.dpi_x - 200) < 1e-9 && fabs(info.dpi_y - 150) < 1e-9);
    free(s);
    free(j);
    /* A gray JPEG stores one channel and decodes to RGB by default. */
    uint8_t g[24 * 16];
    for (int i = 0; i < 24 * 16; i++)
        g[i] = (uint8_t)(i % 24 * 10);
    j = gen_jpeg(g, 24, 16, 1, 95, &jl);
    assert_int_equal(ps_image_probe_memory(j, jl, &info), PS_OK);
    assert_int_equal(info.channels, 1);
    ps_image img;
    assert_int_equal(ps_image_decode_memory(j, jl, NULL, &img, NULL), PS_OK);
    assert_int_equal(img.channels, 3);
    assert_true(abs(px(&img, 5, 3, 0) - 50) <= 3 && px(&img, 5, 3, 0) == px(&img, 5, 3, 2));
    ps_image_release(&img);
    free(j);
}

static void test_bad_params(void **state)
{
    size_t len;
    unsigned char *j = oriented_jpeg(1, 0, &len);
    ps_decode_params dp;
    ps_image img;
    ps_decode_params_default(&dp);
    dp.scale_denom = 3;
    assert_int_equal(ps_image_decode_memory(j, len, &dp, &img, NULL), PS_ERR_INVALID_ARG);
    ps_decode_params_default(&dp);
    dp.channels = 2;
    assert_int_equal(ps_image_decode_memory(j, len, &dp, &img, NULL), PS_ERR_INVALID_ARG);
    assert_null(img.data);
    free(j);
}

/* Decoding is thread-safe: four threads decoding the 8 oriented files at
 * once get exactly the single-threaded pixels. */
typedef struct thread_job {
    unsigned char *jpeg[8];
    size_t len[8];
    ps_image want[8];
    int mismatches;
} thread_job;

static void *decode_all(void *arg)
{
    thread_job *job = arg;
    for (int round = 0; round < 3; round++)
        for (int o = 0; o < 8; o++) {
            ps_image img;
            if (ps_image_decode_memory(job->jpeg[o], job->len[o], NULL, &img, NULL) != PS_OK) {
                job->mismatches++;
                continue;
            }
            for (int y = 0; y < img.height; y++)
                if (memcmp(img.data + y * img.stride, job->want[o].data + y * job->want[o].stride, (size_t)img.width * 3))
                    job->mismatches++;
            ps_image_release(&img);
        }
    return NULL;
}

static void test_threads(void **state)
{
    thread_job job[4];
    memset(job, 0, sizeof job);
    for (int o = 0; o < 8; o++) {
        job[0].jpeg[o] = oriented_jpeg(o + 1, o & 1, &job[0].len[o]);
        assert_int_equal(ps_image_decode_memory(job[0].jpeg[o], job[0].len[o], NULL, &job[0].want[o], NULL), PS_OK);
    }
    for (int t = 1; t < 4; t++)
        job[t] = job[0];
    pthread_t th[4];
    for (int t = 0; t < 4; t++)
        assert_int_equal(pthread_create(&th[t], NULL, decode_all, &job[t]), 0);
    for (int t = 0; t < 4; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(job[t].mismatches, 0);
    }
    for (int o = 0; o < 8; o++) {
        free(job[0].jpeg[o]);
        ps_image_release(&job[0].want[o]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_orientations),
        cmocka_unit_test(test_orientation_gray),
        cmocka_unit_test(test_scaled_decode),
        cmocka_unit_test(test_scaled_with_orientation),
        cmocka_unit_test(test_max_side),
        cmocka_unit_test(test_fast_close_to_accurate),
        cmocka_unit_test(test_probe_and_dpi),
        cmocka_unit_test(test_bad_params),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
