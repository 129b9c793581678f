/* The video module is loaded lazily: a process that uses libpenscope maps
 * no OpenCV or FFmpeg library until it opens a video (decoding a photo,
 * failing on a missing video file, and the rest do not load it); the first
 * open loads penscope-video.so and OpenCV with it. */
#include "testutil.h"
#include "cv/cv.h"
#include <stdio.h>
#include <string.h>

/* Whether /proc/self/maps names a library containing needle. */
static int mapped(const char *needle)
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

static void test_video_libraries_load_on_first_open(void **st)
{
    (void)st;
    assert_false(mapped("libopencv_"));
    assert_false(mapped("libavcodec"));
    assert_false(mapped("penscope-video.so"));

    /* a photo, and a video that is refused before the module is needed */
    ps_image img;
    assert_int_equal(ps_image_decode_file(tu_testdata("hands/images/call_0413d5c5.jpg"), NULL, &img, NULL), PS_OK);
    ps_image_release(&img);
    ps_video_t *v = NULL;
    assert_int_equal(ps_video_open_file(tu_tmpfile("missing.avi"), NULL, &v), PS_ERR_NOT_FOUND);
    assert_false(mapped("libopencv_"));
    assert_false(mapped("penscope-video.so"));

    /* the first real video use loads the module and OpenCV videoio */
    ps_cv_video_writer *w;
    assert_int_equal(ps_cv_video_writer_open(tu_tmpfile("x.avi"), "MJPG", 10, 16, 16, &w), PS_OK);
    assert_int_equal(ps_cv_video_writer_close(w), PS_OK);
    assert_true(mapped("penscope-video.so"));
    assert_true(mapped("libopencv_videoio"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_video_libraries_load_on_first_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
