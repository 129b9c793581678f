/* The C face of the OpenCV video shim. The shim itself is the video module
 * (engine/modules/video/video.cpp, penscope-video.so), loaded with dlopen on
 * the first open (cv/video.c), so libpenscope does not link OpenCV. Only C
 * types cross this boundary, and every C++ exception is caught inside the
 * shim and turned into a ps_status with the thread-local message set
 * (ps_last_error). Used by io/video.c (reading) and by tests and benchmarks
 * (writing). ps_cv_video_props is part of the module ABI (video_abi.h). */
#ifndef PS_CV_CV_H
#define PS_CV_CV_H
#include "penscope.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_cv_video ps_cv_video;

/* Properties reported by the container or camera; 0 or negative = unknown. */
typedef struct ps_cv_video_props {
    int width, height;
    double fps;
    double frame_count;
    char fourcc[5];     /* printable FourCC, "" when unknown */
} ps_cv_video_props;

/* Opens a video file with the FFmpeg backend (the one that handles every
 * container we accept, without GStreamer's plugin probing). */
ps_status ps_cv_video_open_file(const char *path, ps_cv_video **out);
/* Opens camera index with the platform's default backend. */
ps_status ps_cv_video_open_camera(int index, ps_cv_video **out);
ps_status ps_cv_video_props_get(ps_cv_video *v, ps_cv_video_props *props);
/* Decodes the next frame into the shim's own buffer (reused between frames)
 * and reports its size and the backend's position in ms (NaN when the
 * backend has none). Returns PS_DONE at the end of the stream. */
ps_status ps_cv_video_next(ps_cv_video *v, int *width, int *height, double *pos_msec);
/* Converts the frame from ps_cv_video_next to RGB into dst (width*3 bytes
 * per row, rows stride bytes apart). */
ps_status ps_cv_video_frame_rgb(ps_cv_video *v, uint8_t *dst, size_t stride);
void ps_cv_video_close(ps_cv_video *v);

/* A small video writer, so tests can make videos at run time instead of
 * committing them: fourcc "MJPG" writes Motion-JPEG AVI with OpenCV's
 * built-in encoder; any other FourCC (e.g. "mp4v" into .mp4) goes through
 * FFmpeg. The file is created user-only (0600). */
typedef struct ps_cv_video_writer ps_cv_video_writer;
ps_status ps_cv_video_writer_open(const char *path, const char *fourcc, double fps, int width, int height,
                                  ps_cv_video_writer **out);
/* Appends one RGB frame of the writer's size (rows stride bytes apart). */
ps_status ps_cv_video_writer_add(ps_cv_video_writer *w, const uint8_t *rgb, size_t stride);
/* Finishes the file (writes the index); the writer is freed in any case. */
ps_status ps_cv_video_writer_close(ps_cv_video_writer *w);

#ifdef __cplusplus
}
#endif
#endif
