/* The bounded JPEG marker / EXIF reader on hostile input: every truncation
 * of a valid segment, offsets and counts pointing past the end, invalid
 * orientation values, odd units. Buffers are malloc'd to their exact size
 * so that ASan reports any read past the end. */
#include "test_io_gen.h"
#include "io/io.h"
#include <math.h>

static ps_jpeg_meta meta_of(const unsigned char *b, size_t n)
{
    unsigned char *copy = malloc(n ? n : 1);
    memcpy(copy, b, n);
    ps_jpeg_meta m;
    ps_jpeg_meta_read(copy, n, &m);
    free(copy);
    return m;
}

/* SOI + segment + SOS + a little scan data */
static gen_buf jpeg_with(const gen_buf *seg)
{
    gen_buf b = {0};
    gen_put(&b, "\xFF\xD8", 2);
    gen_put(&b, seg->data, seg->len);
    gen_put(&b, "\xFF\xDA\x00\x02\x11\x22\xFF\xD9", 8);
    return b;
}

static void test_both_byte_orders(void **state)
{
    for (int be = 0; be <= 1; be++)
        for (int o = 1; o <= 8; o++) {
            gen_buf seg = gen_exif_app1(o, be, 72, 2);
            gen_buf j = jpeg_with(&seg);
            ps_jpeg_meta m = meta_of(j.data, j.len);
            assert_int_equal(m.orientation, o);
            assert_true(fabs(m.dpi_x - 72) < 1e-9);
            free(seg.data);
            free(j.data);
        }
}

static void test_every_truncation(void **state)
{
    gen_buf seg = gen_exif_app1(6, 1, 300, 2);
    gen_buf j = jpeg_with(&seg);
    for (size_t n = 0; n <= j.len; n++) {
        ps_jpeg_meta m = meta_of(j.data, n);
        /* Cut inside the segment: its length runs past the end, so it is ignored. */
        assert_true(m.orientation == 6 || m.orientation == 1);
        if (n < 2 + seg.len)
            assert_int_equal(m.orientation, 1);
    }
    /* The TIFF body alone, cut at every length. */
    const uint8_t *tiff = seg.data + 10;
    size_t tlen = seg.len - 10;
    for (size_t n = 0; n <= tlen; n++) {
        uint8_t *t = malloc(n ? n : 1);
        memcpy(t, tiff, n);
        ps_jpeg_meta m = {.orientation = 1};
        ps_exif_read_tiff(t, n, &m);
        assert_true(m.orientation == 1 || m.orientation == 6);
        free(t);
    }
    free(seg.data);
    free(j.data);
}

static void put_entry(gen_buf *t, unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
    gen_u16(t, tag, 0);
    gen_u16(t, type, 0);
    gen_u32(t, count, 0);
    gen_u32(t, value, 0);
}

static void test_hostile_offsets(void **state)
{
    /* IFD0 offset far past the end */
    gen_buf t = {0};
    gen_put(&t, "II", 2);
    gen_u16(&t, 42, 0);
    gen_u32(&t, 0xFFFFFFF0u, 0);
    ps_jpeg_meta m = {.orientation = 1};
    ps_exif_read_tiff(t.data, t.len, &m);
    assert_int_equal(m.orientation, 1);
    free(t.data);

    /* 65535 entries claimed, 3 present; rationals pointing past the end; orientation 9 */
    t = (gen_buf){0};
    gen_put(&t, "II", 2);
    gen_u16(&t, 42, 0);
    gen_u32(&t, 8, 0);
    gen_u16(&t, 65535, 0);
    put_entry(&t, 0x011A, 5, 1, 0xFFFFFFFCu);
    put_entry(&t, 0x011B, 5, 1, 0x7FFFFFFF);
    put_entry(&t, 0x0112, 3, 1, 9);
    m = (ps_jpeg_meta){.orientation = 1};
    uint8_t *exact = malloc(t.len);
    memcpy(exact, t.data, t.len);
    ps_exif_read_tiff(exact, t.len, &m);
    assert_int_equal(m.orientation, 1);
    assert_true(m.dpi_x == 0);
    free(exact);
    free(t.data);

    /* orientation as a LONG, a zero denominator, an unknown unit */
    t = (gen_buf){0};
    gen_put(&t, "II", 2);
    gen_u16(&t, 42, 0);
    gen_u32(&t, 8, 0);
    gen_u16(&t, 4, 0);
    put_entry(&t, 0x0112, 4, 1, 8);
    put_entry(&t, 0x011A, 5, 1, 8 + 2 + 4 * 12 + 4);
    put_entry(&t, 0x011B, 5, 1, 8 + 2 + 4 * 12 + 4);
    put_entry(&t, 0x0128, 3, 1, 7);
    gen_u32(&t, 0, 0);
    gen_u32(&t, 300, 0);
    gen_u32(&t, 0, 0);
    m = (ps_jpeg_meta){.orientation = 1};
    ps_exif_read_tiff(t.data, t.len, &m);
    assert_int_equal(m.orientation, 8);
    assert_true(m.dpi_x == 0);
    free(t.data);

    /* not TIFF at all */
    m = (ps_jpeg_meta){.orientation = 1};
    ps_exif_read_tiff((const uint8_t *)"XX*\0\0\0\0\0", 8, &m);
    assert_int_equal(m.orientation, 1);
}

static void test_marker_walk(void **state)
{
    /* A segment length of 0 or 1, a length past the end, fill bytes and
     * restart markers before the EXIF block. */
    static const unsigned char zero_len[] = {0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x00, 0xFF, 0xD9};
    assert_int_equal(meta_of(zero_len, sizeof zero_len).orientation, 1);
    static const unsigned char long_len[] = {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x', 'i', 'f', 0, 0};
    assert_int_equal(meta_of(long_len, sizeof long_len).orientation, 1);
    gen_buf seg = gen_exif_app1(5, 0, 0, 0);
    gen_buf b = {0};
    gen_put(&b, "\xFF\xD8\xFF\xFF\xFF\xD0", 6);
    gen_put(&b, seg.data, seg.len);
    gen_put(&b, "\xFF\xD9", 2);
    assert_int_equal(meta_of(b.data, b.len).orientation, 5);
    free(b.data);
    /* EXIF after SOS is pixel data, not metadata */
    b = (gen_buf){0};
    gen_put(&b, "\xFF\xD8\xFF\xDA\x00\x02", 6);
    gen_put(&b, seg.data, seg.len);
    assert_int_equal(meta_of(b.data, b.len).orientation, 1);
    free(b.data);
    /* Only the first EXIF block counts (a second one describes a thumbnail or is junk). */
    gen_buf seg2 = gen_exif_app1(3, 1, 0, 0);
    b = (gen_buf){0};
    gen_put(&b, "\xFF\xD8", 2);
    gen_put(&b, seg.data, seg.len);
    gen_put(&b, seg2.data, seg2.len);
    assert_int_equal(meta_of(b.data, b.len).orientation, 5);
    free(b.data);
    free(seg.data);
    free(seg2.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_byte_orders),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_hostile_offsets),
        cmocka_unit_test(test_marker_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
