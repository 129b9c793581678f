/* The C ABI between libpenscope (engine/cv/video.c) and the video module
 * penscope-video.so (video.cpp, OpenCV videoio). The module is loaded with
 * dlopen only when a video or camera is opened or a video written, so that
 * FFmpeg, GStreamer and the rest of videoio's ~200 libraries are not loaded
 * into every penscope process. The calls mirror cv/cv.h; each failing call
 * fills err. Change the table only by appending; bump the ABI on any other
 * change, including to ps_cv_video_props. */
#ifndef PS_MODULES_VIDEO_ABI_H
#define PS_MODULES_VIDEO_ABI_H
#include "core/module.h"
#include "cv/cv.h"
#include <stddef.h>
#include <stdint.h>

#define PS_VIDEO_MODULE_ABI 1

typedef struct ps_video_module {
    ps_module_head head; /* PS_VIDEO_MODULE_ABI, sizeof(ps_video_module) */
    /* Where FFmpeg's warnings and errors go (one line each, no newline);
     * NULL drops them. Called once, before any other call. */
    void (*set_log)(void (*log)(const char *line));
    ps_status (*open_file)(const char *path, ps_cv_video **out, char *err, size_t cap);
    ps_status (*open_camera)(int index, ps_cv_video **out, char *err, size_t cap);
    ps_status (*props)(ps_cv_video *v, ps_cv_video_props *p, char *err, size_t cap);
    /* PS_DONE at the end of the stream */
    ps_status (*next)(ps_cv_video *v, int *width, int *height, double *pos_msec, char *err, size_t cap);
    ps_status (*frame_rgb)(ps_cv_video *v, uint8_t *dst, size_t stride, char *err, size_t cap);
    void (*close)(ps_cv_video *v);
    ps_status (*writer_open)(const char *path, const char *fourcc, double fps, int width, int height,
                             ps_cv_video_writer **out, char *err, size_t cap);
    ps_status (*writer_add)(ps_cv_video_writer *w, const uint8_t *rgb, size_t stride, char *err, size_t cap);
    ps_status (*writer_close)(ps_cv_video_writer *w, char *err, size_t cap);
} ps_video_module;

/* The module's one exported symbol. */
typedef const ps_video_module *(*ps_video_module_entry)(void);

#endif
