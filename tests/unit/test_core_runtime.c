/* Core runtime: status strings, thread-local messages, arena, overflow
 * checks, fault injection, image allocation, files, geometry. */
#include "testutil.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/file.h"
#include "core/geom.h"
#include "core/status.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void test_status_strings(void **st)
{
    (void)st;
    for (int rc = PS_OK; rc <= PS_DONE; rc++) {
        const char *s = ps_status_str((ps_status)rc);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown status");
    }
    assert_string_equal(ps_status_str((ps_status)999), "unknown status");
    assert_string_equal(ps_version(), PS_VERSION_STRING);
    assert_int_equal(ps_version_number(), PS_VERSION_NUMBER);
}

static void *other_thread(void *arg)
{
    (void)arg;
    ps_fail(PS_ERR_IO, "from the other thread");
    return NULL;
}

static void test_thread_local_errors(void **st)
{
    (void)st;
    assert_int_equal(ps_fail(PS_ERR_CORRUPT, "bad '%s'", "x.jpg"), PS_ERR_CORRUPT);
    pthread_t t;
    pthread_create(&t, NULL, other_thread, NULL);
    pthread_join(t, NULL);
    assert_string_equal(ps_last_error(), "bad 'x.jpg'");
    ps_error_prefix("batch");
    assert_string_equal(ps_last_error(), "batch: bad 'x.jpg'");
    ps_errbuf eb;
    assert_int_equal(ps_errbuf_take(&eb, PS_ERR_CORRUPT), PS_ERR_CORRUPT);
    assert_string_equal(eb.msg, "batch: bad 'x.jpg'");
    /* long messages are cut, never overflow */
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    ps_fail(PS_ERR_IO, "%s", big);
    assert_int_equal(strlen(ps_last_error()), PS_ERRMSG_MAX - 1);
    ps_error_prefix(big);
    assert_int_equal(strlen(ps_last_error()), PS_ERRMSG_MAX - 1);
    ps_error_clear();
    assert_string_equal(ps_last_error(), "no error");
}

static void test_arena(void **st)
{
    (void)st;
    ps_arena a;
    assert_int_equal(ps_arena_init(&a, 1000), PS_OK);
    void *p = ps_arena_alloc(&a, 10);
    void *q = ps_arena_alloc(&a, 10);
    assert_non_null(p);
    assert_non_null(q);
    assert_int_equal((uintptr_t)p % 64, 0);
    assert_int_equal((uintptr_t)q % 64, 0);
    assert_true((char *)q >= (char *)p + 10);
    size_t mark = ps_arena_mark(&a);
    assert_null(ps_arena_alloc(&a, 5000));
    assert_null(ps_arena_alloc(&a, SIZE_MAX));
    ps_arena_rewind(&a, mark);
    assert_int_equal(a.used, mark);
    ps_arena_reset(&a);
    assert_ptr_equal(ps_arena_alloc(&a, 1), p);
    ps_arena_release(&a);
    ps_arena_release(&a); /* harmless twice */
}

static void test_overflow_helpers(void **st)
{
    (void)st;
    size_t r;
    assert_true(ps_size_mul_ok(1000, 1000, &r));
    assert_int_equal(r, 1000000);
    assert_false(ps_size_mul_ok(SIZE_MAX / 2 + 1, 2, &r));
    assert_false(ps_size_add_ok(SIZE_MAX, 1, &r));
    assert_false(ps_size_mad_ok(SIZE_MAX / 3, 3, 10, &r));
    assert_false(ps_size_mul3_ok(1u << 22, 1u << 22, 1u << 22, &r));
}

static void test_fault_injection(void **st)
{
    (void)st;
    ps_alloc_fail_after(3);
    void *a = ps_malloc(8), *b = ps_malloc(8), *c = ps_malloc(8), *d = ps_calloc(2, 2);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    assert_null(d);
    ps_alloc_fail_after(0);
    c = ps_malloc(8);
    assert_non_null(c);
    ps_free(a);
    ps_free(b);
    ps_free(c);
    ps_free(NULL);

    ps_image img;
    ps_alloc_fail_after(1);
    assert_int_equal(ps_image_alloc(&img, 10, 10, 3), PS_ERR_NOMEM);
    ps_alloc_fail_after(0);
    assert_null(img.data);
}

static void test_image(void **st)
{
    (void)st;
    ps_image img;
    assert_int_equal(ps_image_alloc(&img, 33, 7, 3), PS_OK);
    assert_int_equal(img.stride % 64, 0);
    assert_true(img.stride >= 99);
    img.data[img.stride * 6 + 98] = 7; /* last byte is writable */
    ps_image_release(&img);
    ps_image_release(&img);
    assert_int_equal(ps_image_alloc(&img, 0, 7, 3), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_image_alloc(&img, 7, 7, 2), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_image_alloc(&img, 1 << 30, 1 << 30, 3), PS_ERR_LIMIT);
    assert_int_equal(ps_image_alloc(&img, PS_IMAGE_MAX_SIDE + 1, 1, 1), PS_ERR_LIMIT);
    ps_limits lim;
    ps_limits_default(&lim);
    assert_true(lim.max_pixels >= 12000000);
}

static void test_files(void **st)
{
    (void)st;
    unsigned char *d;
    size_t n;
    const char *empty = tu_tmpfile("empty.bin");
    assert_int_equal(tu_write_file(empty, "", 0), 0);
    assert_int_equal(ps_file_read_all(empty, 0, &d, &n), PS_ERR_CORRUPT);
    assert_non_null(strstr(ps_last_error(), "empty.bin"));
    assert_int_equal(ps_file_read_all(tu_tmpfile("missing"), 0, &d, &n), PS_ERR_NOT_FOUND);
    assert_int_equal(ps_file_read_all(tu_tmpdir(), 0, &d, &n), PS_ERR_IO);
    const char *f = tu_tmpfile("ten.bin");
    assert_int_equal(tu_write_file(f, "0123456789", 10), 0);
    assert_int_equal(ps_file_read_all(f, 9, &d, &n), PS_ERR_LIMIT);
    assert_int_equal(ps_file_read_all(f, 10, &d, &n), PS_OK);
    assert_int_equal(n, 10);
    assert_int_equal(d[10], 0);
    ps_free(d);

    const char *priv = tu_tmpfile("private.txt");
    FILE *w = ps_file_create_private(priv, "w");
    assert_non_null(w);
    fputs("x", w);
    fclose(w);
    struct stat sb;
    assert_int_equal(stat(priv, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    const char *dir = tu_tmpfile("a/b/c");
    assert_int_equal(ps_dir_create_private(dir), PS_OK);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);

    char ext[8];
    ps_path_ext("dir.x/file.JPeG", ext, sizeof ext);
    assert_string_equal(ext, "jpeg");
    ps_path_ext("dir.x/noext", ext, sizeof ext);
    assert_string_equal(ext, "");
    assert_string_equal(ps_path_basename("/a/b/c.svc"), "c.svc");
}

static void test_geometry(void **st)
{
    (void)st;
    assert_float_equal(ps_angle_normalize((float)(3 * M_PI)), (float)-M_PI, 1e-5);
    assert_float_equal(ps_angle_normalize(0.5f), 0.5f, 1e-6);
    float t;
    assert_float_equal(ps_point_segment_dist(ps_v2(5, 3), ps_v2(0, 0), ps_v2(10, 0), &t), 3, 1e-6);
    assert_float_equal(t, 0.5f, 1e-6);
    assert_float_equal(ps_point_segment_dist(ps_v2(-4, 3), ps_v2(0, 0), ps_v2(10, 0), &t), 5, 1e-6);
    assert_float_equal(t, 0, 0);
    ps_rectf a = {0, 0, 2, 2}, b = {1, 1, 3, 3}, z = {0, 0, 0, 0};
    assert_float_equal(ps_rect_iou(a, b), 1.0f / 7, 1e-6);
    assert_float_equal(ps_rect_iou(z, z), 0, 0);
    ps_vec3 x = {1, 0, 0}, y = {0, 2, 0}, o = {0, 0, 0};
    assert_float_equal(ps_v3_angle_deg(x, y), 90, 1e-4);
    assert_true(isnan(ps_v3_angle_deg(x, o)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_thread_local_errors),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_overflow_helpers),
        cmocka_unit_test(test_fault_injection),
        cmocka_unit_test(test_image),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_geometry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
