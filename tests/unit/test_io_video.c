/* Video through the OpenCV shim: a Motion-JPEG AVI and an MPEG-4 MP4
 * written at run time are read back (size, rate, frame count, FourCC,
 * timestamps, pixel content); frame, duration and size limits; damaged,
 * truncated, empty, missing and non-video files fail with a message naming
 * the file. Pixel tolerance on a flat frame's mean: 8 levels after JPEG at
 * quality 95, 12 after MPEG-4 at FFmpeg's default bit rate. */
#include "test_io_gen.h"
#include "cv/cv.h"
#include "core/alloc.h"
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>

enum { VW = 64, VH = 48, NFRAMES = 12 };
static const double FPS = 10.0;

static void frame_color(int i, int rgb[3])
{
    rgb[0] = 20 + 18 * i;
    rgb[1] = 230 - 15 * i;
    rgb[2] = 128;
}

static char g_avi[4096], g_mp4[4096];

static void write_video(const char *path, const char *fourcc)
{
    ps_cv_video_writer *w;
    assert_int_equal(ps_cv_video_writer_open(path, fourcc, FPS, VW, VH, &w), PS_OK);
    ps_image f;
    assert_int_equal(ps_image_alloc(&f, VW, VH, 3), PS_OK);
    for (int i = 0; i < NFRAMES; i++) {
        int rgb[3];
        frame_color(i, rgb);
        for (int y = 0; y < VH; y++)
            for (int x = 0; x < VW; x++)
                for (int c = 0; c < 3; c++)
                    f.data[y * f.stride + x * 3 + c] = (uint8_t)rgb[c];
        assert_int_equal(ps_cv_video_writer_add(w, f.data, f.stride), PS_OK);
    }
    ps_image_release(&f);
    assert_int_equal(ps_cv_video_writer_close(w), PS_OK);
}

/* A Motion-JPEG AVI (OpenCV's own writer) and an MPEG-4 Part 2 MP4 (FFmpeg). */
static int write_videos(void **state)
{
    snprintf(g_avi, sizeof g_avi, "%s", tu_tmpfile("clip.avi"));
    snprintf(g_mp4, sizeof g_mp4, "%s", tu_tmpfile("clip.mp4"));
    write_video(g_avi, "MJPG");
    write_video(g_mp4, "mp4v");
    return 0;
}

static void test_writer_file_is_private(void **state)
{
    struct stat st;
    assert_int_equal(stat(g_avi, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_true(st.st_size > 1000);
    assert_int_equal(ps_input_kind_of(g_avi), PS_INPUT_VIDEO);
}

static void read_back(const char *path, const char *codec, double tolerance)
{
    ps_video_t *v;
    assert_int_equal(ps_video_open_file(path, NULL, &v), PS_OK);
    ps_video_info info;
    assert_int_equal(ps_video_get_info(v, &info), PS_OK);
    assert_int_equal(info.width, VW);
    assert_int_equal(info.height, VH);
    assert_true(fabs(info.fps - FPS) < 1e-6);
    assert_int_equal(info.frames, NFRAMES);
    assert_true(fabs(info.duration_s - NFRAMES / FPS) < 1e-6);
    if (codec)
        assert_string_equal(info.codec, codec);
    else
        assert_true(strlen(info.codec) == 4);
    ps_image frame = {0};
    double t, last = -1;
    int n = 0;
    ps_status rc;
    while ((rc = ps_video_read(v, &frame, &t)) == PS_OK) {
        assert_int_equal(frame.width, VW);
        assert_int_equal(frame.height, VH);
        assert_int_equal(frame.channels, 3);
        assert_true(t > last);
        if (fabs(t - n / FPS) > 1e-3)
            fail_msg("%s frame %d at %.4f s, expected %.4f", path, n, t, n / FPS);
        last = t;
        int rgb[3];
        frame_color(n, rgb);
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int y = 0; y < VH; y++)
                for (int x = 0; x < VW; x++)
                    sum += frame.data[y * frame.stride + x * 3 + c];
            double mean = sum / (VW * VH);
            if (fabs(mean - rgb[c]) > tolerance) /* a BGR/RGB swap is off by >= 50 in red or blue */
                fail_msg("%s frame %d channel %d mean %.1f, expected %d", path, n, c, mean, rgb[c]);
        }
        n++;
    }
    assert_int_equal(rc, PS_DONE);
    assert_int_equal(n, NFRAMES);
    assert_int_equal(ps_video_read(v, &frame, &t), PS_DONE); /* stays at the end */
    ps_image_release(&frame);
    ps_video_free(v);
    ps_video_free(NULL);
}

static void test_read_back_avi(void **state) { read_back(g_avi, "MJPG", 8); }
static void test_read_back_mp4(void **state) { read_back(g_mp4, NULL, 12); }

static void test_limits(void **state)
{
    ps_limits lim;
    ps_limits_default(&lim);
    lim.max_frames = 3;
    ps_video_t *v;
    assert_int_equal(ps_video_open_file(g_avi, &lim, &v), PS_OK);
    ps_image frame = {0};
    double t;
    for (int i = 0; i < 3; i++)
        assert_int_equal(ps_video_read(v, &frame, &t), PS_OK);
    assert_int_equal(ps_video_read(v, &frame, &t), PS_ERR_LIMIT);
    assert_non_null(strstr(ps_video_errmsg(v), g_avi));
    assert_non_null(strstr(ps_video_errmsg(v), "frame limit"));
    ps_video_free(v);

    ps_limits_default(&lim);
    lim.max_video_seconds = 0.25; /* frames at 0, 0.1, 0.2 pass; 0.3 does not */
    assert_int_equal(ps_video_open_file(g_avi, &lim, &v), PS_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(ps_video_read(v, &frame, &t), PS_OK);
    assert_int_equal(ps_video_read(v, &frame, &t), PS_ERR_LIMIT);
    assert_non_null(strstr(ps_video_errmsg(v), "duration limit"));
    ps_video_free(v);
    ps_image_release(&frame);

    ps_limits_default(&lim);
    lim.max_pixels = VW * VH - 1;
    assert_int_equal(ps_video_open_file(g_avi, &lim, &v), PS_ERR_LIMIT);
    assert_null(v);
    assert_non_null(strstr(ps_last_error(), g_avi));
    lim.max_pixels = VW * VH;
    lim.max_file_bytes = 100;
    assert_int_equal(ps_video_open_file(g_avi, &lim, &v), PS_ERR_LIMIT);
    assert_non_null(strstr(ps_last_error(), g_avi));
}

/* Opening fails, or reading fails before the promised frames are out; in
 * both cases the message names the file. Never PS_DONE with frames missing. */
static void expect_bad(const char *path, const char *what)
{
    ps_video_t *v = NULL;
    ps_status rc = ps_video_open_file(path, NULL, &v);
    const char *msg;
    if (rc == PS_OK) {
        ps_image frame = {0};
        double t;
        while ((rc = ps_video_read(v, &frame, &t)) == PS_OK)
            ;
        ps_image_release(&frame);
        msg = ps_video_errmsg(v);
    } else {
        assert_null(v);
        msg = ps_last_error();
    }
    if (rc == PS_OK || rc == PS_DONE)
        fail_msg("%s: read without error", what);
    if (!strstr(msg, path))
        fail_msg("%s: message does not name the file: %s", what, msg);
    ps_video_free(v);
}

static void test_bad_videos(void **state)
{
    size_t len;
    unsigned char *avi = tu_read_file(g_avi, &len);
    assert_non_null(avi);
    char path[4096];
    /* cut at several points: inside the header, in the middle of the frames, before the index */
    size_t cuts[] = {12, 100, 300, len / 3, len / 2, len * 3 / 4};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        snprintf(path, sizeof path, "%s", tu_tmpfile("cut.avi"));
        assert_int_equal(tu_write_file(path, avi, cuts[i]), 0);
        char what[64];
        snprintf(what, sizeof what, "AVI cut to %zu of %zu bytes", cuts[i], len);
        expect_bad(path, what);
    }
    /* the frames' bytes overwritten with noise */
    uint32_t s = 99;
    for (size_t k = 400; k < len; k++) {
        s = s * 1664525u + 1013904223u;
        avi[k] = (uint8_t)(s >> 24);
    }
    snprintf(path, sizeof path, "%s", tu_tmpfile("noise.avi"));
    assert_int_equal(tu_write_file(path, avi, len), 0);
    expect_bad(path, "AVI with noise for frames");
    free(avi);

    /* an MP4 cut short loses its index (moov, which FFmpeg writes last):
     * inside the frames, and just after the index starts */
    unsigned char *mp4 = tu_read_file(g_mp4, &len);
    assert_non_null(mp4);
    size_t moov = 0;
    for (size_t k = 4; k + 4 <= len && !moov; k++)
        if (!memcmp(mp4 + k, "moov", 4))
            moov = k - 4;
    assert_true(moov > 0);
    size_t mp4_cuts[] = {40, moov / 2, moov + 16};
    for (size_t i = 0; i < sizeof mp4_cuts / sizeof *mp4_cuts; i++) {
        snprintf(path, sizeof path, "%s", tu_tmpfile("cut.mp4"));
        assert_int_equal(tu_write_file(path, mp4, mp4_cuts[i]), 0);
        char what[64];
        snprintf(what, sizeof what, "MP4 cut to %zu of %zu bytes", mp4_cuts[i], len);
        expect_bad(path, what);
    }
    free(mp4);

    snprintf(path, sizeof path, "%s", tu_tmpfile("notes.mp4"));
    const char *txt = "not a video at all, just some text that is long enough to look like a file\n";
    assert_int_equal(tu_write_file(path, txt, strlen(txt)), 0);
    expect_bad(path, "text named .mp4");

    snprintf(path, sizeof path, "%s", tu_tmpfile("empty.mov"));
    assert_int_equal(tu_write_file(path, "", 0), 0);
    expect_bad(path, "zero-byte file");

    snprintf(path, sizeof path, "%s", tu_tmpfile("missing.avi"));
    ps_video_t *v = (ps_video_t *)&v;
    assert_int_equal(ps_video_open_file(path, NULL, &v), PS_ERR_NOT_FOUND);
    assert_null(v);
    assert_non_null(strstr(ps_last_error(), path));
}

static void test_bad_args(void **state)
{
    ps_video_t *v;
    assert_int_equal(ps_video_open_file(NULL, NULL, &v), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_video_open_camera(-1, NULL, &v), PS_ERR_INVALID_ARG);
    ps_cv_video_writer *w;
    assert_int_equal(ps_cv_video_writer_open(tu_tmpfile("x.avi"), "MJPG", 0, 10, 10, &w), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_cv_video_writer_open(tu_tmpfile("x.avi"), "MJPEG", 10, 10, 10, &w), PS_ERR_INVALID_ARG);
    assert_int_equal(ps_cv_video_writer_open(tu_tmpfile("no/dir/x.avi"), "MJPG", 10, 10, 10, &w), PS_ERR_IO);
    assert_string_equal(ps_video_errmsg(NULL), "no video");
}

/* Failing the nth allocation while opening and reading gives NOMEM naming
 * the file, and leaks nothing (ASan). */
static void test_allocation_failures(void **state)
{
    for (long k = 1; k < 20; k++) {
        ps_video_t *v = NULL;
        ps_alloc_fail_after(k);
        ps_status rc = ps_video_open_file(g_avi, NULL, &v);
        ps_image frame = {0};
        double t;
        if (rc == PS_OK) {
            rc = ps_video_read(v, &frame, &t);
            if (rc != PS_OK)
                assert_non_null(strstr(ps_video_errmsg(v), g_avi));
        } else {
            assert_non_null(strstr(ps_last_error(), g_avi));
        }
        ps_alloc_fail_after(0);
        ps_image_release(&frame);
        ps_video_free(v);
        if (rc == PS_OK)
            return; /* k is past the last allocation */
        assert_int_equal(rc, PS_ERR_NOMEM);
    }
    fail_msg("still failing after 20 allocations");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer_file_is_private),
        cmocka_unit_test(test_read_back_avi),
        cmocka_unit_test(test_read_back_mp4),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_bad_videos),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, write_videos, NULL);
}
