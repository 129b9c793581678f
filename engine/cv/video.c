/* cv/cv.h's video calls, forwarded to the video module (penscope-video.so,
 * engine/modules/video/) that is loaded on the first call: OpenCV videoio
 * and the FFmpeg and GStreamer libraries behind it enter the process only
 * when a video or camera is opened (or a video written), not with
 * libpenscope. A missing module is an error that says where it was looked
 * for (core/module.h). */
#include "cv/cv.h"
#include "core/log.h"
#include "core/module.h"
#include "core/status.h"
#include "modules/video/video_abi.h"
#include <pthread.h>
#include <stdio.h>

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const ps_video_module *mod;
static ps_status load_rc;
static char load_msg[PS_ERRMSG_MAX]; /* the loader's message, for every thread that asks */

static void ffmpeg_log(const char *line)
{
    ps_log(PS_LOG_DEBUG, "ffmpeg: %s", line);
}

static void load(void)
{
    const void *t;
    load_rc = ps_module_load("video", PS_VIDEO_MODULE_ABI, sizeof(ps_video_module), &t);
    if (load_rc != PS_OK) {
        snprintf(load_msg, sizeof load_msg, "%s", ps_last_error());
        return;
    }
    mod = t;
    mod->set_log(ffmpeg_log);
}

static ps_status need_module(void)
{
    pthread_once(&load_once, load);
    return mod ? PS_OK : ps_fail(load_rc, "%s", load_msg);
}

/* A module call's status, its message made this thread's last error. */
static ps_status check(ps_status rc, const char *err)
{
    return rc == PS_OK || rc == PS_DONE ? rc : ps_fail(rc, "%s", err);
}

ps_status ps_cv_video_open_file(const char *path, ps_cv_video **out)
{
    *out = NULL;
    ps_status rc = need_module();
    if (rc != PS_OK)
        return rc;
    char err[PS_ERRMSG_MAX] = "";
    return check(mod->open_file(path, out, err, sizeof err), err);
}

ps_status ps_cv_video_open_camera(int index, ps_cv_video **out)
{
    *out = NULL;
    ps_status rc = need_module();
    if (rc != PS_OK)
        return rc;
    char err[PS_ERRMSG_MAX] = "";
    return check(mod->open_camera(index, out, err, sizeof err), err);
}

/* The calls below take a handle, so the module is loaded. */

ps_status ps_cv_video_props_get(ps_cv_video *v, ps_cv_video_props *props)
{
    char err[PS_ERRMSG_MAX] = "";
    return check(mod->props(v, props, err, sizeof err), err);
}

ps_status ps_cv_video_next(ps_cv_video *v, int *width, int *height, double *pos_msec)
{
    char err[PS_ERRMSG_MAX] = "";
    return check(mod->next(v, width, height, pos_msec, err, sizeof err), err);
}

ps_status ps_cv_video_frame_rgb(ps_cv_video *v, uint8_t *dst, size_t stride)
{
    char err[PS_ERRMSG_MAX] = "";
    return check(mod->frame_rgb(v, dst, stride, err, sizeof err), err);
}

void ps_cv_video_close(ps_cv_video *v)
{
    if (v)
        mod->close(v);
}

ps_status ps_cv_video_writer_open(const char *path, const char *fourcc, double fps, int width, int height,
                                  ps_cv_video_writer **out)
{
    *out = NULL;
    ps_status rc = need_module();
    if (rc != PS_OK)
        return rc;
    char err[PS_ERRMSG_MAX] = "";
    return check(mod->writer_open(path, fourcc, fps, width, height, out, err, sizeof err), err);
}

ps_status ps_cv_video_writer_add(ps_cv_video_writer *w, const uint8_t *rgb, size_t stride)
{
    char err[PS_ERRMSG_MAX] = "";
    return check(mod->writer_add(w, rgb, stride, err, sizeof err), err);
}

ps_status ps_cv_video_writer_close(ps_cv_video_writer *w)
{
    if (!w)
        return PS_OK;
    char err[PS_ERRMSG_MAX] = "";
    return check(mod->writer_close(w, err, sizeof err), err);
}
