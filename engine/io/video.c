/* Video files and cameras, frame by frame with timestamps, through the
 * OpenCV shim (cv/). This side owns the policy: file checks before OpenCV
 * sees the path (so a missing or empty file gets a plain message), limits
 * on frame size, frame count and duration, and timestamps that always
 * increase even when the backend reports none (frame_clock.c). */
#include "io/io.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include "cv/cv.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct ps_video {
    ps_cv_video *cv;
    ps_limits lim;
    ps_video_info info;
    char name[256];        /* "'path'" or "camera N", for messages */
    bool camera;
    int64_t frames_read;
    bool exact_count;      /* the container's frame count comes from its index */
    ps_frame_clock clock;
    ps_errbuf err;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Sets the handle's message to "<name>: <thread message>" and returns rc. */
static ps_status fail_named(ps_video_t *v, ps_status rc)
{
    ps_error_prefix(v->name);
    return ps_errbuf_take(&v->err, rc);
}

static ps_status finish_open(ps_video_t *v, ps_video_t **out)
{
    ps_cv_video_props pr;
    ps_status rc = ps_cv_video_props_get(v->cv, &pr);
    if (rc != PS_OK) {
        ps_error_prefix(v->name);
        ps_video_free(v);
        return rc;
    }
    uint64_t pixels = (uint64_t)(pr.width > 0 ? pr.width : 0) * (uint64_t)(pr.height > 0 ? pr.height : 0);
    if (v->lim.max_pixels && pixels > v->lim.max_pixels) {
        rc = ps_fail(PS_ERR_LIMIT, "%s: frames are %dx%d, over the limit of %llu pixels", v->name, pr.width,
                     pr.height, (unsigned long long)v->lim.max_pixels);
        ps_video_free(v);
        return rc;
    }
    v->info.width = pr.width;
    v->info.height = pr.height;
    v->info.fps = pr.fps > 0 && pr.fps < 10000 ? pr.fps : 0;
    v->info.frames = !v->camera && pr.frame_count > 0 ? (int64_t)llround(pr.frame_count) : -1;
    v->info.duration_s = v->info.frames > 0 && v->info.fps > 0 ? (double)v->info.frames / v->info.fps : -1;
    snprintf(v->info.codec, sizeof v->info.codec, "%s", pr.fourcc);
    ps_frame_clock_init(&v->clock, v->info.fps, now_s());
    *out = v;
    return PS_OK;
}

static ps_video_t *video_new(const ps_limits *lim)
{
    ps_video_t *v = ps_calloc(1, sizeof *v);
    if (!v)
        return NULL;
    if (lim)
        v->lim = *lim;
    else
        ps_limits_default(&v->lim);
    return v;
}

ps_status ps_video_open_file(const char *path, const ps_limits *lim, ps_video_t **out)
{
    if (!out || !path)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_video_open_file: NULL argument");
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0)
        return ps_fail(errno == ENOENT ? PS_ERR_NOT_FOUND : PS_ERR_IO, "cannot open '%s': %s", path,
                       strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ps_fail(PS_ERR_IO, "'%s' is not a regular file", path);
    if (st.st_size == 0)
        return ps_fail(PS_ERR_CORRUPT, "'%s' is empty", path);
    ps_video_t *v = video_new(lim);
    if (!v)
        return ps_fail(PS_ERR_NOMEM, "cannot open '%s': out of memory", path);
    uint64_t max_bytes = v->lim.max_file_bytes;
    if (max_bytes && (uint64_t)st.st_size > max_bytes) {
        ps_video_free(v);
        return ps_fail(PS_ERR_LIMIT, "'%s' is %lld bytes, over the limit of %llu", path, (long long)st.st_size,
                       (unsigned long long)max_bytes);
    }
    snprintf(v->name, sizeof v->name, "'%.250s'", path);
    char ext[8];
    ps_path_ext(path, ext, sizeof ext);
    static const char *const indexed[] = {"avi", "mp4", "mov", "m4v", "3gp", NULL};
    for (const char *const *e = indexed; *e; e++)
        v->exact_count |= strcmp(ext, *e) == 0;
    ps_status rc = ps_cv_video_open_file(path, &v->cv);
    if (rc != PS_OK) {
        ps_error_prefix(v->name);
        ps_video_free(v);
        return rc;
    }
    return finish_open(v, out);
}

ps_status ps_video_open_camera(int index, const ps_limits *lim, ps_video_t **out)
{
    if (!out || index < 0)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_video_open_camera: bad camera index %d", index);
    *out = NULL;
    ps_video_t *v = video_new(lim);
    if (!v)
        return ps_fail(PS_ERR_NOMEM, "cannot open camera %d: out of memory", index);
    v->camera = true;
    snprintf(v->name, sizeof v->name, "camera %d", index);
    ps_status rc = ps_cv_video_open_camera(index, &v->cv);
    if (rc != PS_OK) {
        ps_video_free(v);
        return rc;
    }
    return finish_open(v, out);
}

ps_status ps_video_get_info(ps_video_t *v, ps_video_info *info)
{
    if (!v || !info)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_video_get_info: NULL argument");
    *info = v->info;
    return PS_OK;
}

ps_status ps_video_read(ps_video_t *v, ps_image *frame, double *t_s)
{
    if (!v || !frame)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_video_read: NULL argument");
    int w, h;
    double pos;
    ps_status rc = ps_cv_video_next(v->cv, &w, &h, &pos);
    /* checked once a frame past the limit exists, so that a video of exactly
       max_frames frames reads to its end */
    if (rc == PS_OK && v->lim.max_frames && (uint64_t)v->frames_read >= v->lim.max_frames) {
        ps_fail(PS_ERR_LIMIT, "more than %llu frames (the frame limit)", (unsigned long long)v->lim.max_frames);
        return fail_named(v, PS_ERR_LIMIT);
    }
    if (rc == PS_DONE) {
        if (v->frames_read == 0) {
            ps_fail(PS_ERR_CORRUPT, "no frame could be decoded (damaged or not a video)");
            return fail_named(v, PS_ERR_CORRUPT);
        }
        /* A container that promised many more frames than it gave was cut short.
         * Only containers whose count comes from an index are held to it: for
         * Matroska/WebM OpenCV estimates duration x rate, which variable-rate
         * recordings miss by more than any slack. */
        int64_t promised = v->info.frames, slack = promised / 100 > 2 ? promised / 100 : 2;
        if (v->exact_count && promised > 0 && v->frames_read + slack < promised) {
            ps_fail(PS_ERR_CORRUPT, "ended after %lld of %lld frames (truncated or damaged)",
                    (long long)v->frames_read, (long long)promised);
            return fail_named(v, PS_ERR_CORRUPT);
        }
        return PS_DONE;
    }
    if (rc != PS_OK)
        return fail_named(v, rc);
    uint64_t pixels = (uint64_t)w * (uint64_t)h;
    if (v->lim.max_pixels && pixels > v->lim.max_pixels) {
        ps_fail(PS_ERR_LIMIT, "a %dx%d frame is over the limit of %llu pixels", w, h,
                (unsigned long long)v->lim.max_pixels);
        return fail_named(v, PS_ERR_LIMIT);
    }
    double t = ps_frame_clock_stamp(&v->clock, pos, now_s());
    if (v->lim.max_video_seconds > 0 && t > v->lim.max_video_seconds) {
        ps_fail(PS_ERR_LIMIT, "longer than %g s (the duration limit)", v->lim.max_video_seconds);
        return fail_named(v, PS_ERR_LIMIT);
    }
    if (!frame->data || frame->width != w || frame->height != h || frame->channels != 3) {
        ps_image_release(frame);
        rc = ps_image_alloc_uninit(frame, w, h, 3);
        if (rc != PS_OK)
            return fail_named(v, rc);
    }
    rc = ps_cv_video_frame_rgb(v->cv, frame->data, frame->stride);
    if (rc != PS_OK)
        return fail_named(v, rc);
    v->frames_read++;
    if (t_s)
        *t_s = t;
    return PS_OK;
}

const char *ps_video_errmsg(ps_video_t *v)
{
    if (!v)
        return "no video";
    return v->err.msg[0] ? v->err.msg : "no error";
}

void ps_video_free(ps_video_t *v)
{
    if (!v)
        return;
    ps_cv_video_close(v->cv);
    ps_free(v);
}
