/* Bad input never crashes and always fails with a clear message: JPEG and
 * PNG cut at every length, random bytes behind a valid magic, zero-byte and
 * text files, recognised-but-unsupported formats, sizes over max_pixels
 * (refused before any allocation) and files over max_file_bytes, allocation
 * failures at every step. Every file error names the file. */
#include "test_io_gen.h"
#include "core/alloc.h"
#include <stdio.h>

static unsigned char *small_jpeg(size_t *len, int orientation)
{
    int sw, sh;
    uint8_t *p = gen_stored_pattern(orientation, 40, 24, &sw, &sh);
    unsigned char *j = gen_jpeg(p, sw, sh, 3, 85, len);
    free(p);
    if (orientation == 1)
        return j;
    gen_buf seg = gen_exif_app1(orientation, 0, 0, 0);
    size_t n;
    unsigned char *s = gen_splice(j, *len, &seg, &n);
    free(seg.data);
    free(j);
    *len = n;
    return s;
}

static gen_buf small_png(int interlace)
{
    uint8_t rows[24][40 * 3];
    for (int y = 0; y < 24; y++)
        for (int x = 0; x < 40 * 3; x++)
            rows[y][x] = (uint8_t)(x * y + x);
    return gen_png(40, 24, 8, PNG_COLOR_TYPE_RGB, &rows[0][0], sizeof rows[0], NULL, 0, NULL, 0, interlace, 0);
}

/* Decodes a malloc'd copy of exactly n bytes (so ASan sees over-reads). */
static ps_status decode_prefix(const unsigned char *b, size_t n, ps_fail_on fail_on)
{
    unsigned char *copy = malloc(n ? n : 1);
    memcpy(copy, b, n);
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.fail_on = fail_on;
    ps_image img;
    ps_status rc = ps_image_decode_memory(copy, n, &dp, &img, NULL);
    if (rc == PS_OK) {
        assert_non_null(img.data);
        ps_image_release(&img);
    } else {
        assert_null(img.data);
        assert_true(strlen(ps_last_error()) > 5);
    }
    free(copy);
    return rc;
}

static void test_truncated_jpeg(void **state)
{
    size_t len;
    unsigned char *j = small_jpeg(&len, 6);
    assert_int_equal(decode_prefix(j, len, PS_FAIL_ON_TRUNCATED), PS_OK);
    int tolerated = 0;
    for (size_t n = 0; n < len; n++) {
        ps_status rc = decode_prefix(j, n, PS_FAIL_ON_TRUNCATED);
        if (rc == PS_OK)
            fail_msg("JPEG cut to %zu of %zu bytes decoded without error", n, len);
        if (rc != PS_ERR_CORRUPT)
            fail_msg("JPEG cut to %zu bytes: %s: %s", n, ps_status_str(rc), ps_last_error());
        /* The lenient policy decodes a cut scan (gray fill) but never a cut header. */
        if (decode_prefix(j, n, PS_FAIL_ON_ERROR) == PS_OK)
            tolerated++;
    }
    assert_true(tolerated > 0);
    free(j);
}

static void test_truncated_png(void **state)
{
    for (int il = 0; il <= 1; il++) {
        gen_buf b = small_png(il);
        assert_int_equal(decode_prefix(b.data, b.len, PS_FAIL_ON_TRUNCATED), PS_OK);
        for (size_t n = 0; n < b.len; n++) {
            ps_status rc = decode_prefix(b.data, n, PS_FAIL_ON_TRUNCATED);
            if (rc != PS_ERR_CORRUPT)
                fail_msg("PNG cut to %zu of %zu bytes: %s", n, b.len, ps_status_str(rc));
        }
        free(b.data);
    }
}

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_random_bytes_behind_magic(void **state)
{
    uint32_t seed = 12345;
    size_t jl;
    unsigned char *j = small_jpeg(&jl, 1);
    gen_buf p = small_png(0);
    for (int i = 0; i < 300; i++) {
        unsigned char buf[600];
        size_t n = 16 + rnd(&seed) % (sizeof buf - 16);
        for (size_t k = 0; k < n; k++)
            buf[k] = (uint8_t)rnd(&seed);
        if (i % 3 == 0)
            memcpy(buf, "\xFF\xD8\xFF", 3);
        else if (i % 3 == 1)
            memcpy(buf, "\x89PNG\r\n\x1a\n", 8);
        ps_status rc = decode_prefix(buf, n, PS_FAIL_ON_TRUNCATED);
        if (rc == PS_OK)
            fail_msg("random input %d (%zu bytes, %s magic) decoded", i, n, i % 3 == 0 ? "JPEG" : i % 3 == 1 ? "PNG" : "no");
        /* and flipped bytes inside valid files: any result but a crash */
        unsigned char *src = i % 2 ? j : p.data;
        size_t sl = i % 2 ? jl : p.len;
        unsigned char *m = malloc(sl);
        memcpy(m, src, sl);
        for (int f = 0; f < 4; f++)
            m[rnd(&seed) % sl] ^= (uint8_t)(1 + rnd(&seed) % 255);
        decode_prefix(m, sl, PS_FAIL_ON_TRUNCATED);
        free(m);
    }
    free(j);
    free(p.data);
}

static void test_bad_files_are_named(void **state)
{
    char zero[4096], text[4096], heic[4096], cut[4096], missing[4096];
    snprintf(zero, sizeof zero, "%s", tu_tmpfile("zero.jpg"));
    snprintf(text, sizeof text, "%s", tu_tmpfile("notes.jpg"));
    snprintf(heic, sizeof heic, "%s", tu_tmpfile("photo.jpg"));
    snprintf(cut, sizeof cut, "%s", tu_tmpfile("cut.jpg"));
    snprintf(missing, sizeof missing, "%s", tu_tmpfile("missing.jpg"));
    const char *dir = tu_tmpdir();
    assert_int_equal(tu_write_file(zero, "", 0), 0);
    const char *txt = "this is a shopping list, not a photo\n";
    assert_int_equal(tu_write_file(text, txt, strlen(txt)), 0);
    assert_int_equal(tu_write_file(heic, "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24), 0);
    size_t jl;
    unsigned char *j = small_jpeg(&jl, 1);
    assert_int_equal(tu_write_file(cut, j, jl / 2), 0);
    free(j);
    static const struct { int which; ps_status rc; } cases[] = {
        {0, PS_ERR_CORRUPT}, {1, PS_ERR_CORRUPT}, {2, PS_ERR_UNSUPPORTED}, {3, PS_ERR_CORRUPT},
        {4, PS_ERR_NOT_FOUND}, {5, PS_ERR_IO},
    };
    const char *paths[] = {zero, text, heic, cut, missing, dir};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *path = paths[cases[i].which];
        ps_image img;
        ps_image_info info;
        ps_status rc = ps_image_decode_file(path, NULL, &img, &info);
        if (rc != cases[i].rc)
            fail_msg("'%s': %s (%s), expected %s", path, ps_status_str(rc), ps_last_error(),
                     ps_status_str(cases[i].rc));
        if (!strstr(ps_last_error(), path))
            fail_msg("message does not name the file: %s", ps_last_error());
        assert_null(img.data);
    }
}

/* The PNG chunk CRC (ISO 3309), bit by bit: tests link no zlib of their own. */
static uint32_t png_crc(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return c ^ 0xFFFFFFFFu;
}

/* A JPEG whose SOF claims w x h (the scan data is for the real small size). */
static unsigned char *jpeg_claiming(int w, int h, size_t *len)
{
    unsigned char *j = small_jpeg(len, 1);
    for (size_t i = 2; i + 9 < *len; i++)
        if (j[i] == 0xFF && (j[i + 1] == 0xC0 || j[i + 1] == 0xC1 || j[i + 1] == 0xC2)) {
            j[i + 5] = (uint8_t)(h >> 8);
            j[i + 6] = (uint8_t)h;
            j[i + 7] = (uint8_t)(w >> 8);
            j[i + 8] = (uint8_t)w;
            return j;
        }
    fail_msg("no SOF marker");
    return NULL;
}

static void test_max_pixels_before_allocating(void **state)
{
    size_t len;
    unsigned char *j = jpeg_claiming(60000, 60000, &len);
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    ps_image img;
    /* Every allocation from here fails: a LIMIT (not NOMEM) answer proves the
     * size was refused from the header before anything was allocated. */
    ps_alloc_fail_after(1);
    ps_status rc = ps_image_decode_memory(j, len, &dp, &img, NULL);
    long allocs = ps_alloc_count();
    ps_alloc_fail_after(0);
    assert_int_equal(rc, PS_ERR_LIMIT);
    assert_int_equal(allocs, 0);
    assert_non_null(strstr(ps_last_error(), "60000x60000"));
    free(j);

    /* PNG: a small file whose IHDR is patched to say 60000 x 60000, CRC recomputed. */
    gen_buf p = small_png(0);
    p.data[16] = 0; p.data[17] = 0; p.data[18] = 0xEA; p.data[19] = 0x60; /* width 60000 */
    p.data[20] = 0; p.data[21] = 0; p.data[22] = 0xEA; p.data[23] = 0x60; /* height 60000 */
    uint32_t crc = png_crc(p.data + 12, 17);
    p.data[29] = (uint8_t)(crc >> 24); p.data[30] = (uint8_t)(crc >> 16);
    p.data[31] = (uint8_t)(crc >> 8); p.data[32] = (uint8_t)crc;
    rc = ps_image_decode_memory(p.data, p.len, &dp, &img, NULL);
    assert_int_equal(rc, PS_ERR_LIMIT); /* a 10 GB image allocation would have been NOMEM */
    free(p.data);

    /* A side over 65535 is refused even when the pixel count is small. */
    p = small_png(0);
    p.data[16] = 0; p.data[17] = 1; p.data[18] = 0; p.data[19] = 0; /* width 65536 */
    p.data[20] = 0; p.data[21] = 0; p.data[22] = 0; p.data[23] = 1; /* height 1 */
    crc = png_crc(p.data + 12, 17);
    p.data[29] = (uint8_t)(crc >> 24); p.data[30] = (uint8_t)(crc >> 16);
    p.data[31] = (uint8_t)(crc >> 8); p.data[32] = (uint8_t)crc;
    assert_int_equal(ps_image_decode_memory(p.data, p.len, &dp, &img, NULL), PS_ERR_LIMIT);
    assert_non_null(strstr(ps_last_error(), "65535"));
    free(p.data);

    /* The boundary: exactly max_pixels is fine, one less is not. */
    p = small_png(0);
    dp.limits.max_pixels = 40 * 24;
    assert_int_equal(ps_image_decode_memory(p.data, p.len, &dp, &img, NULL), PS_OK);
    ps_image_release(&img);
    dp.limits.max_pixels = 40 * 24 - 1;
    assert_int_equal(ps_image_decode_memory(p.data, p.len, &dp, &img, NULL), PS_ERR_LIMIT);
    j = small_jpeg(&len, 1);
    assert_int_equal(ps_image_decode_memory(j, len, &dp, &img, NULL), PS_ERR_LIMIT);
    dp.limits.max_pixels = 40 * 24;
    assert_int_equal(ps_image_decode_memory(j, len, &dp, &img, NULL), PS_OK);
    ps_image_release(&img);
    free(j);
    free(p.data);
}

static void test_max_file_bytes(void **state)
{
    size_t len;
    unsigned char *j = small_jpeg(&len, 1);
    const char *path = tu_tmpfile("limit.jpg");
    assert_int_equal(tu_write_file(path, j, len), 0);
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    ps_image img;
    dp.limits.max_file_bytes = len - 1;
    assert_int_equal(ps_image_decode_file(path, &dp, &img, NULL), PS_ERR_LIMIT);
    assert_non_null(strstr(ps_last_error(), path));
    assert_int_equal(ps_image_decode_memory(j, len, &dp, &img, NULL), PS_ERR_LIMIT);
    dp.limits.max_file_bytes = len;
    assert_int_equal(ps_image_decode_file(path, &dp, &img, NULL), PS_OK);
    ps_image_release(&img);
    free(j);
}

/* Failing the nth allocation anywhere in a decode gives NOMEM (or, for a
 * libpng-internal allocation, a clean error) and leaks nothing (ASan). */
static void test_allocation_failures(void **state)
{
    size_t len;
    unsigned char *j = small_jpeg(&len, 6);
    gen_buf p = small_png(1);
    for (int which = 0; which < 2; which++) {
        const unsigned char *b = which ? p.data : j;
        size_t n = which ? p.len : len;
        for (long k = 1; k < 200; k++) {
            ps_alloc_fail_after(k);
            ps_image img;
            ps_status rc = ps_image_decode_memory(b, n, NULL, &img, NULL);
            ps_alloc_fail_after(0);
            if (rc == PS_OK) {
                ps_image_release(&img);
                break; /* k is past the last allocation */
            }
            assert_null(img.data);
            assert_true(rc == PS_ERR_NOMEM || rc == PS_ERR_CORRUPT);
        }
    }
    free(j);
    free(p.data);
}

static void test_null_args(void **state)
{
    ps_image img;
    ps_image_info info;
    assert_int_equal(ps_image_decode_memory(NULL, 10, NULL, &img, NULL), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_image_decode_memory("", 0, NULL, &img, NULL), PS_ERR_CORRUPT);
    assert_int_equal(ps_image_decode_memory("x", 1, NULL, NULL, NULL), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_image_probe_memory("GIF89a....", 10, &info), PS_ERR_UNSUPPORTED);
    assert_int_equal(ps_image_decode_file(NULL, NULL, &img, NULL), PS_ERR_INVALID_ARG);
}

/* 12-bit and lossless JPEGs are valid files penscope does not read: UNSUPPORTED, not CORRUPT. */
static void test_unsupported_jpeg_kinds(void **state)
{
    size_t len;
    unsigned char *j = small_jpeg(&len, 1);
    size_t sof = 0;
    for (size_t i = 2; i + 4 < len && !sof; i++)
        if (j[i] == 0xFF && j[i + 1] == 0xC0)
            sof = i;
    assert_true(sof > 0);
    ps_image img;
    j[sof + 4] = 12; /* sample precision */
    assert_int_equal(ps_image_decode_memory(j, len, NULL, &img, NULL), PS_ERR_UNSUPPORTED);
    assert_non_null(strstr(ps_last_error(), "12-bit"));
    j[sof + 4] = 8;
    j[sof + 1] = 0xC3; /* lossless */
    assert_int_equal(ps_image_decode_memory(j, len, NULL, &img, NULL), PS_ERR_UNSUPPORTED);
    assert_non_null(strstr(ps_last_error(), "lossless"));
    j[sof + 1] = 0xC0;
    assert_int_equal(ps_image_decode_memory(j, len, NULL, &img, NULL), PS_OK);
    ps_image_release(&img);
    free(j);
}

/* Stray bytes before the end marker are a decoder warning, not damage to
 * the picture: tolerated by default, refused with PS_FAIL_ON_WARNING. */
static void test_fail_on_policy(void **state)
{
    size_t len;
    unsigned char *j = small_jpeg(&len, 1);
    assert_true(j[len - 2] == 0xFF && j[len - 1] == 0xD9);
    unsigned char *k = malloc(len + 3);
    memcpy(k, j, len - 2);
    memcpy(k + len - 2, "\x11\x22\x33\xFF\xD9", 5);
    assert_int_equal(decode_prefix(k, len + 3, PS_FAIL_ON_TRUNCATED), PS_OK);
    assert_int_equal(decode_prefix(k, len + 3, PS_FAIL_ON_ERROR), PS_OK);
    assert_int_equal(decode_prefix(k, len + 3, PS_FAIL_ON_WARNING), PS_ERR_CORRUPT);
    assert_non_null(strstr(ps_last_error(), "extraneous"));
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.fail_on = (ps_fail_on)7;
    ps_image img;
    assert_int_equal(ps_image_decode_memory(j, len, &dp, &img, NULL), PS_ERR_INVALID_ARG);
    free(k);
    free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncated_jpeg),
        cmocka_unit_test(test_truncated_png),
        cmocka_unit_test(test_random_bytes_behind_magic),
        cmocka_unit_test(test_bad_files_are_named),
        cmocka_unit_test(test_max_pixels_before_allocating),
        cmocka_unit_test(test_max_file_bytes),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_null_args),
        cmocka_unit_test(test_unsupported_jpeg_kinds),
        cmocka_unit_test(test_fail_on_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
