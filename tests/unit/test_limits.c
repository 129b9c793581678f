/* Every resource limit on untrusted input, at the limit (accepted) and one
 * past it (refused with PS_ERR_LIMIT or a clear error, nothing leaked):
 * pixels (JPEG, PNG, video frames, page analysis, the hard side cap), bytes
 * (image, video, ink and model files), video frames and duration, ink
 * samples, model size, letter-model strokes and points, glyph-model count,
 * and the bench labels file (columns, cell length, rows). */
#include "test_io_gen.h"
#include "assess/bench_labels.h"
#include "cv/cv.h"
#include "nn/nn.h"
#include "page/glyphs.h"
#include "core/alloc.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { W = 40, H = 30 };

static long file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long)st.st_size;
}

static void check_decode_pixels(const void *buf, size_t len)
{
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    ps_image img;
    ps_image_info info;
    dp.limits.max_pixels = W * H;
    assert_int_equal(ps_image_decode_memory(buf, len, &dp, &img, &info), PS_OK);
    assert_int_equal(img.width * img.height, W * H);
    ps_image_release(&img);
    dp.limits.max_pixels = W * H - 1;
    assert_int_equal(ps_image_decode_memory(buf, len, &dp, &img, &info), PS_ERR_LIMIT);
    assert_null(img.data);
    assert_non_null(strstr(ps_last_error(), "limit"));
}

static void test_image_pixels_and_bytes(void **st)
{
    (void)st;
    uint8_t *px = malloc(W * H * 3);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < 3; c++)
                px[(y * W + x) * 3 + c] = gen_pattern(x, y, W, H, c);
    size_t jlen;
    unsigned char *jpeg = gen_jpeg(px, W, H, 3, 90, &jlen);
    check_decode_pixels(jpeg, jlen);
    gen_buf png = gen_png(W, H, 8, PNG_COLOR_TYPE_RGB, px, W * 3, NULL, 0, NULL, 0, 0, 0);
    check_decode_pixels(png.data, png.len);

    /* file bytes: exactly the file's size passes, one byte less does not */
    const char *path = tu_tmpfile("limit.jpg");
    assert_int_equal(tu_write_file(path, jpeg, jlen), 0);
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    ps_image img;
    ps_image_info info;
    dp.limits.max_file_bytes = jlen;
    assert_int_equal(ps_image_decode_file(path, &dp, &img, &info), PS_OK);
    ps_image_release(&img);
    dp.limits.max_file_bytes = jlen - 1;
    assert_int_equal(ps_image_decode_file(path, &dp, &img, &info), PS_ERR_LIMIT);
    assert_null(img.data);
    free(px);
    free(jpeg);
    free(png.data);
}

static void test_image_side_cap(void **st)
{
    (void)st;
    ps_image img;
    assert_int_equal(ps_image_alloc(&img, PS_IMAGE_MAX_SIDE, 1, 1), PS_OK);
    ps_image_release(&img);
    assert_int_equal(ps_image_alloc(&img, PS_IMAGE_MAX_SIDE + 1, 1, 1), PS_ERR_LIMIT);
    assert_null(img.data);
    assert_int_equal(ps_image_alloc(&img, 1, PS_IMAGE_MAX_SIDE + 1, 1), PS_ERR_LIMIT);
}

/* A 64x48 MJPG AVI of 5 frames at 10 fps: frames at 0, 0.1, ..., 0.4 s. */
enum { VW = 64, VH = 48, VN = 5 };
static const char *write_clip(void)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s", tu_tmpfile("limit.avi"));
    ps_cv_video_writer *w;
    assert_int_equal(ps_cv_video_writer_open(path, "MJPG", 10.0, VW, VH, &w), PS_OK);
    ps_image f;
    assert_int_equal(ps_image_alloc(&f, VW, VH, 3), PS_OK);
    for (int i = 0; i < VN; i++) {
        memset(f.data, 40 * i, f.stride * VH);
        assert_int_equal(ps_cv_video_writer_add(w, f.data, f.stride), PS_OK);
    }
    ps_image_release(&f);
    assert_int_equal(ps_cv_video_writer_close(w), PS_OK);
    return path;
}

/* Reads to the end; returns the status that stopped reading and the count. */
static ps_status read_all(const char *path, const ps_limits *lim, int *frames)
{
    ps_video_t *v = NULL;
    ps_status rc = ps_video_open_file(path, lim, &v);
    *frames = 0;
    if (rc != PS_OK)
        return rc;
    ps_image f = {0};
    double t;
    while ((rc = ps_video_read(v, &f, &t)) == PS_OK)
        (*frames)++;
    ps_image_release(&f);
    ps_video_free(v);
    return rc;
}

static void test_video_limits(void **st)
{
    (void)st;
    const char *clip = write_clip();
    ps_limits lim;
    int n;
    ps_limits_default(&lim);
    lim.max_frames = VN; /* at the limit: the whole clip */
    assert_int_equal(read_all(clip, &lim, &n), PS_DONE);
    assert_int_equal(n, VN);
    lim.max_frames = VN - 1;
    assert_int_equal(read_all(clip, &lim, &n), PS_ERR_LIMIT);
    assert_int_equal(n, VN - 1);

    ps_limits_default(&lim);
    lim.max_video_seconds = 0.4; /* the last frame is at 0.4 s */
    assert_int_equal(read_all(clip, &lim, &n), PS_DONE);
    assert_int_equal(n, VN);
    lim.max_video_seconds = 0.39;
    assert_int_equal(read_all(clip, &lim, &n), PS_ERR_LIMIT);
    assert_int_equal(n, VN - 1);

    ps_limits_default(&lim);
    lim.max_pixels = VW * VH;
    assert_int_equal(read_all(clip, &lim, &n), PS_DONE);
    lim.max_pixels = VW * VH - 1;
    assert_int_equal(read_all(clip, &lim, &n), PS_ERR_LIMIT);

    ps_limits_default(&lim);
    lim.max_file_bytes = (uint64_t)file_size(clip);
    assert_int_equal(read_all(clip, &lim, &n), PS_DONE);
    lim.max_file_bytes--;
    assert_int_equal(read_all(clip, &lim, &n), PS_ERR_LIMIT);
}

/* A CSV recording of n samples. */
static char *ink_csv(int n, size_t *len)
{
    char *s = malloc(32 + (size_t)n * 40);
    size_t k = (size_t)sprintf(s, "x_mm,y_mm,t_s,pen\n");
    for (int i = 0; i < n; i++)
        k += (size_t)sprintf(s + k, "%d.5,%d.25,%.3f,%d\n", i % 50, i % 7, i * 0.005, i % 10 != 9);
    *len = k;
    return s;
}

static void test_ink_limits(void **st)
{
    (void)st;
    enum { N = 300 };
    size_t len;
    char *csv = ink_csv(N, &len);
    ps_ink_read_params rp;
    ps_ink_read_params_default(&rp);
    ps_ink ink;
    rp.limits.max_ink_samples = N;
    assert_int_equal(ps_ink_read_memory(csv, len, PS_INK_CSV, &rp, &ink), PS_OK);
    assert_int_equal(ink.n, N);
    ps_ink_release(&ink);
    rp.limits.max_ink_samples = N - 1;
    assert_int_equal(ps_ink_read_memory(csv, len, PS_INK_CSV, &rp, &ink), PS_ERR_LIMIT);

    const char *path = tu_tmpfile("limit.csv");
    assert_int_equal(tu_write_file(path, csv, len), 0);
    ps_ink_read_params_default(&rp);
    rp.limits.max_file_bytes = len;
    assert_int_equal(ps_ink_read_file(path, PS_INK_AUTO, &rp, &ink), PS_OK);
    ps_ink_release(&ink);
    rp.limits.max_file_bytes = len - 1;
    assert_int_equal(ps_ink_read_file(path, PS_INK_AUTO, &rp, &ink), PS_ERR_LIMIT);
    free(csv);
}

static void test_model_bytes(void **st)
{
    (void)st;
    /* a complete tiny model from the fuzz corpus */
    char path[4096];
    snprintf(path, sizeof path, "%s", tu_testdata("../fuzz/corpus/tflite/tiny_a.tflite"));
    size_t len;
    unsigned char *buf = tu_read_file(path, &len);
    assert_non_null(buf);
    ps_limits lim;
    ps_limits_default(&lim);
    ps_nn_model *m = NULL;
    lim.max_model_bytes = len;
    assert_int_equal(ps_nn_model_load_memory(buf, len, &lim, &m), PS_OK);
    ps_nn_model_free(m);
    assert_int_equal(ps_nn_model_load_file(path, &lim, &m), PS_OK);
    ps_nn_model_free(m);
    m = NULL;
    lim.max_model_bytes = len - 1;
    assert_int_equal(ps_nn_model_load_memory(buf, len, &lim, &m), PS_ERR_LIMIT);
    assert_null(m);
    assert_int_equal(ps_nn_model_load_file(path, &lim, &m), PS_ERR_LIMIT);
    assert_null(m);
    free(buf);
}

static void test_page_pixels(void **st)
{
    (void)st;
    ps_image img;
    assert_int_equal(ps_image_alloc(&img, 300, 200, 1), PS_OK);
    memset(img.data, 255, img.stride * 200);
    for (int x = 30; x < 270; x++) /* a line of "ink" so there is something to find */
        img.data[100 * img.stride + x] = 0;
    ps_page_params p;
    ps_page_params_default(&p);
    ps_page_t *pg = NULL;
    p.max_pixels = 300 * 200;
    assert_int_equal(ps_page_analyse(&img, &p, &pg), PS_OK);
    ps_page_free(pg);
    pg = NULL;
    p.max_pixels = 300 * 200 - 1;
    assert_int_equal(ps_page_analyse(&img, &p, &pg), PS_ERR_LIMIT);
    assert_null(pg);
    ps_image_release(&img);
}

/* Letter models: a letter of PS_INK_LETTER_MAX_STROKES strokes loads, one
 * more does not; the same for the points of a stroke. */
static ps_status load_letters(int strokes, int points)
{
    size_t cap = 256 + (size_t)strokes * (size_t)points * 24;
    char *s = malloc(cap);
    size_t k = (size_t)sprintf(s, "{\"format\":\"penscope-letter-models/1\",\"letters\":{\"o\":[{\"strokes\":[");
    for (int i = 0; i < strokes; i++) {
        k += (size_t)sprintf(s + k, "%s[", i ? "," : "");
        for (int j = 0; j < points; j++)
            k += (size_t)sprintf(s + k, "%s[%.4f,%.4f]", j ? "," : "", 0.1 * i, (double)j / points);
        s[k++] = ']';
    }
    k += (size_t)sprintf(s + k, "]}]}}");
    const char *path = tu_tmpfile("letters.json");
    assert_int_equal(tu_write_file(path, s, k), 0);
    free(s);
    ps_letter_models_t *m = NULL;
    ps_status rc = ps_letter_models_load(path, &m);
    if (rc == PS_OK)
        assert_int_equal(ps_letter_models_count(m), 1);
    else
        assert_null(m);
    ps_letter_models_free(m);
    return rc;
}

static void test_letter_model_limits(void **st)
{
    (void)st;
    assert_int_equal(load_letters(PS_INK_LETTER_MAX_STROKES, 4), PS_OK);
    assert_int_equal(load_letters(PS_INK_LETTER_MAX_STROKES + 1, 4), PS_ERR_CORRUPT);
    assert_non_null(strstr(ps_last_error(), "strokes"));
    assert_int_equal(load_letters(1, 512), PS_OK);
    assert_int_equal(load_letters(1, 513), PS_ERR_CORRUPT);
    assert_non_null(strstr(ps_last_error(), "points"));
}

static ps_status parse_glyphs(int count)
{
    size_t cap = 64 + (size_t)count * (24 + 33 * 33);
    char *s = malloc(cap);
    size_t k = (size_t)sprintf(s, "penscope-glyphs 1\nfont Test\n");
    for (int g = 0; g < count; g++) {
        k += (size_t)sprintf(s + k, "glyph %c x 1.0 0.9\n", "abcdefghijklmnopqrstuvwxyz"[g % 26]);
        for (int r = 0; r < PG_GN; r++) {
            for (int c = 0; c < PG_GN; c++)
                s[k++] = (r > 8 && r < 24 && c > 8 + g % 5 && c < 22) ? '#' : '.';
            s[k++] = '\n';
        }
    }
    pg_glyphset set = {0};
    set.g = ps_malloc(sizeof(pg_glyph) * PG_MAX_GLYPHS);
    assert_non_null(set.g);
    ps_status rc = pg_glyphs_parse(&set, s, k, 1);
    if (rc == PS_OK)
        assert_int_equal(set.n, count);
    pg_glyphs_release(&set);
    free(s);
    return rc;
}

static void test_glyph_count(void **st)
{
    (void)st;
    assert_int_equal(parse_glyphs(PG_MAX_GLYPHS), PS_OK);
    assert_int_equal(parse_glyphs(PG_MAX_GLYPHS + 1), PS_ERR_LIMIT);
}

static ps_status parse_labels(const char *s, size_t n)
{
    ps_bench_labels l;
    ps_status rc = ps_bench_labels_parse(s, n, &l);
    ps_bench_labels_release(&l);
    return rc;
}

static void test_labels_limits(void **st)
{
    (void)st;
    /* columns: file + PS_BENCH_MAX_COLUMNS + 1 label columns is the most fields */
    size_t cap = 16 * (PS_BENCH_MAX_COLUMNS + 8) * 2 + 64;
    char *s = malloc(cap);
    for (int extra = 0; extra <= 1; extra++) {
        int cols = PS_BENCH_MAX_COLUMNS + 1 + extra;
        size_t k = (size_t)sprintf(s, "file");
        for (int c = 0; c < cols; c++)
            k += (size_t)sprintf(s + k, ",m%d", c);
        k += (size_t)sprintf(s + k, "\nx.png");
        for (int c = 0; c < cols; c++)
            k += (size_t)sprintf(s + k, ",%d", c);
        s[k++] = '\n';
        assert_int_equal(parse_labels(s, k), extra ? PS_ERR_LIMIT : PS_OK);
    }
    free(s);
    /* a cell of PS_BENCH_MAX_CELL bytes, then one more */
    s = malloc(PS_BENCH_MAX_CELL + 64);
    for (int extra = 0; extra <= 1; extra++) {
        size_t k = (size_t)sprintf(s, "file,note\nx.png,");
        memset(s + k, 'a', PS_BENCH_MAX_CELL + extra);
        k += PS_BENCH_MAX_CELL + extra;
        s[k++] = '\n';
        assert_int_equal(parse_labels(s, k), extra ? PS_ERR_LIMIT : PS_OK);
    }
    free(s);
    /* rows: PS_BENCH_MAX_ROWS rows, then one more */
    size_t rowcap = (size_t)(PS_BENCH_MAX_ROWS + 2) * 10 + 16;
    s = malloc(rowcap);
    size_t k = (size_t)sprintf(s, "file\n");
    for (int i = 0; i < PS_BENCH_MAX_ROWS; i++)
        k += (size_t)sprintf(s + k, "%x\n", i);
    assert_int_equal(parse_labels(s, k), PS_OK);
    k += (size_t)sprintf(s + k, "f%x\n", PS_BENCH_MAX_ROWS);
    assert_int_equal(parse_labels(s, k), PS_ERR_LIMIT);
    assert_non_null(strstr(ps_last_error(), "rows"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_pixels_and_bytes), cmocka_unit_test(test_image_side_cap),
        cmocka_unit_test(test_video_limits),           cmocka_unit_test(test_ink_limits),
        cmocka_unit_test(test_model_bytes),            cmocka_unit_test(test_page_pixels),
        cmocka_unit_test(test_letter_model_limits),    cmocka_unit_test(test_glyph_count),
        cmocka_unit_test(test_labels_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
