/*
 * penscope.h: the public C API of penscope, the only public header.
 *
 * penscope measures how a child holds a pencil (grip photos and videos), how
 * the child's handwriting looks on a page (worksheet scans and photos), and how
 * the child moves the pen (tablet recordings). Everything runs locally.
 *
 * Threads: ps_init() is optional and single-threaded. Decoding functions and
 * the analysers that take no handle are thread-safe. A ps_engine_t (loaded
 * models, immutable after creation) may be shared by threads; each thread
 * that runs analyses needs its own ps_session_t. Error messages from calls
 * without a handle are kept per thread (ps_last_error()).
 *
 * Ownership: buffers the library allocates for the caller are freed with
 * ps_free() or the type's own _release()/_free(); every _free(NULL) is a no-op.
 *
 * Usage (decode a photo, print its size):
 *
 *     #include <penscope.h>
 *     #include <stdio.h>
 *     int main(int argc, char **argv) {
 *         ps_decode_params dp;
 *         ps_decode_params_default(&dp);
 *         ps_image img;
 *         ps_image_info info;
 *         if (ps_image_decode_file(argv[1], &dp, &img, &info) != PS_OK) {
 *             fprintf(stderr, "penscope: %s\n", ps_last_error());
 *             return 1;
 *         }
 *         printf("%s %dx%d\n", info.format, img.width, img.height);
 *         ps_image_release(&img);
 *         return 0;
 *     }
 */
#ifndef PENSCOPE_H
#define PENSCOPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PS_BUILDING_LIBRARY)
#define PS_API __attribute__((visibility("default")))
#else
#define PS_API
#endif

/* ------------------------------------------------------------------ core */

#define PS_VERSION_MAJOR 0
#define PS_VERSION_MINOR 1
#define PS_VERSION_PATCH 0
#define PS_VERSION_STRING "0.1.0"
#define PS_VERSION_NUMBER (PS_VERSION_MAJOR * 10000 + PS_VERSION_MINOR * 100 + PS_VERSION_PATCH)

/** The library's version as "MAJOR.MINOR.PATCH" and as a number; equal to the
 *  macros above when header and library match. */
PS_API const char *ps_version(void);
PS_API int ps_version_number(void);

/** Status of every fallible call. Values are stable; new ones are appended. */
typedef enum ps_status {
    PS_OK = 0,
    PS_ERR_INVALID_ARG = 1,  /* a caller error: NULL, out of range, bad option */
    PS_ERR_NOMEM = 2,        /* an allocation failed */
    PS_ERR_IO = 3,           /* a file could not be opened, read or written */
    PS_ERR_CORRUPT = 4,      /* the input is damaged or not what it claims to be */
    PS_ERR_LIMIT = 5,        /* the input exceeds a configured resource limit */
    PS_ERR_UNSUPPORTED = 6,  /* a valid input of a kind penscope does not handle */
    PS_ERR_DB = 7,           /* the database refused an operation */
    PS_ERR_INTERNAL = 8,     /* a bug in penscope: please report it */
    PS_ERR_NOT_FOUND = 9,    /* a named thing (file, model, child) does not exist */
    PS_DONE = 10             /* not an error: a stream (video, camera) has no more frames */
} ps_status;

/** A short, static, lowercase description of a status ("corrupt input"). */
PS_API const char *ps_status_str(ps_status rc);

/** The message of the last failed call without a handle on this thread.
 *  Valid until the next failing call on the same thread; never NULL. */
PS_API const char *ps_last_error(void);

/** Logging. The library never prints; it calls this function (thread-safe
 *  callers only: it may be called from worker threads). NULL restores the
 *  default, which drops messages. */
typedef enum ps_log_level { PS_LOG_DEBUG = 0, PS_LOG_INFO = 1, PS_LOG_WARN = 2, PS_LOG_ERROR = 3 } ps_log_level;
typedef void (*ps_log_fn)(ps_log_level level, const char *msg, void *userdata);
PS_API void ps_log_set(ps_log_fn fn, void *userdata);

/** Frees a buffer that the library allocated for the caller. */
PS_API void ps_free(void *p);

/** Resource limits for untrusted input, checked before anything is allocated.
 *  ps_limits_default() sets conservative defaults (documented in README). */
typedef struct ps_limits {
    uint64_t max_pixels;       /* decoded image or frame pixels, width*height */
    uint64_t max_file_bytes;   /* input file size */
    uint64_t max_frames;       /* frames read from one video */
    double max_video_seconds;  /* duration read from one video */
    uint64_t max_model_bytes;  /* model file size */
    uint64_t max_ink_samples;  /* samples in one ink recording */
} ps_limits;
PS_API void ps_limits_default(ps_limits *lim);

/** An 8-bit image, rows top to bottom, channels interleaved (1 = gray, 3 = RGB). */
typedef struct ps_image {
    int width, height, channels;
    size_t stride;      /* bytes from one row to the next, >= width*channels */
    uint8_t *data;      /* owned by the image when allocated by ps_image_alloc */
} ps_image;

/** The longest image side penscope handles (a hard cap under every limit). */
#define PS_IMAGE_MAX_SIDE 65535

/** Allocates a zeroed image (64-byte aligned rows). On failure img is zeroed. */
PS_API ps_status ps_image_alloc(ps_image *img, int width, int height, int channels);
/** Frees the pixels and zeroes the struct; safe on a zeroed image. */
PS_API void ps_image_release(ps_image *img);

/* -------------------------------------------------------------- image io */

/** What makes a decode fail (libvips-style fail_on). Fatal errors always fail. */
typedef enum ps_fail_on {
    PS_FAIL_ON_TRUNCATED = 0,  /* default: fail on fatal errors and on truncated data; other
                                  decoder warnings (stray bytes) are tolerated */
    PS_FAIL_ON_WARNING = 1,    /* fail on any decoder warning */
    PS_FAIL_ON_ERROR = 2       /* fail on fatal errors only: a truncated JPEG decodes with the
                                  missing part gray */
} ps_fail_on;

/** How to decode a photo or scan. */
typedef struct ps_decode_params {
    int scale_denom;   /* JPEG scaled decode: 1, 2, 4 or 8 (1 = full size) */
    int max_side;      /* if > 0, JPEG decodes at the strongest reduction (1/8, 1/4, 1/2) whose
                          longer side is still >= max_side, else at full size (overrides
                          scale_denom); PNG is always full size */
    int apply_exif;    /* 1 (default): rotate/flip to the EXIF orientation */
    int channels;      /* 3 (default, RGB) or 1 (gray) */
    int fast;          /* 1: JPEG fast integer DCT and fast upsampling (about 1 level of
                          error per pixel, faster); 0 (default): accurate */
    ps_fail_on fail_on;
    ps_limits limits;  /* max_pixels is checked against the stored size (the decoder's memory
                          grows with it even for a scaled decode), before allocating */
} ps_decode_params;
PS_API void ps_decode_params_default(ps_decode_params *p);

/** What a file is, found without decoding its pixels. */
typedef struct ps_image_info {
    char format[8];          /* "jpeg", "png" */
    int width, height;       /* stored size, before orientation */
    int orientation;         /* EXIF orientation 1..8 (1 when absent) */
    int channels;            /* channels stored in the file */
    double dpi_x, dpi_y;     /* resolution from the file, 0 when absent */
    int scale_denom;         /* the scale used by the decode that filled this */
} ps_image_info;

/** Reads format, size, orientation and resolution from a JPEG or PNG held in memory. */
PS_API ps_status ps_image_probe_memory(const void *buf, size_t len, ps_image_info *info);
/** Decodes a JPEG or PNG held in memory into out (allocated; release with
 *  ps_image_release). The image is upright when p->apply_exif. info may be NULL. */
PS_API ps_status ps_image_decode_memory(const void *buf, size_t len, const ps_decode_params *p,
                                        ps_image *out, ps_image_info *info);
/** As ps_image_decode_memory, reading the file first (size checked against
 *  p->limits.max_file_bytes). Error messages name the file. */
PS_API ps_status ps_image_decode_file(const char *path, const ps_decode_params *p,
                                      ps_image *out, ps_image_info *info);
/** Writes an image as PNG (RGB or gray), file created user-only (0600). */
PS_API ps_status ps_image_write_png(const char *path, const ps_image *img);

/** What kind of input a file is, from its first bytes (JPEG, PNG, ink
 *  formats) and else its extension (videos). Never reads more than 4 KiB. */
typedef enum ps_input_kind {
    PS_INPUT_UNKNOWN = 0,
    PS_INPUT_IMAGE = 1,   /* JPEG or PNG */
    PS_INPUT_VIDEO = 2,   /* a container OpenCV can open: mp4, mov, avi, mkv, webm, m4v */
    PS_INPUT_INK = 3      /* .svc, .inkml, .csv pen recordings */
} ps_input_kind;
PS_API ps_input_kind ps_input_kind_of(const char *path);

/* -------------------------------------------------------------- video io */

typedef struct ps_video ps_video_t;

typedef struct ps_video_info {
    int width, height;
    double fps;             /* 0 when unknown */
    int64_t frames;         /* frame count from the container, -1 when unknown (cameras) */
    double duration_s;      /* from the container, -1 when unknown */
    char codec[8];          /* FourCC as text, "" when unknown */
} ps_video_info;

/** Opens a video file. Limits are copied. Fails with a clear message naming the file. */
PS_API ps_status ps_video_open_file(const char *path, const ps_limits *lim, ps_video_t **out);
/** Opens camera number index (0 = default camera). */
PS_API ps_status ps_video_open_camera(int index, const ps_limits *lim, ps_video_t **out);
PS_API ps_status ps_video_get_info(ps_video_t *v, ps_video_info *info);
/** Reads the next frame as RGB into frame (reallocated when its size changes;
 *  start from a zeroed ps_image) and its timestamp in seconds. Returns PS_DONE
 *  at the end of the stream, or PS_ERR_LIMIT past max_frames/max_video_seconds. */
PS_API ps_status ps_video_read(ps_video_t *v, ps_image *frame, double *t_s);
/** The message of the last failed call on v. */
PS_API const char *ps_video_errmsg(ps_video_t *v);
PS_API void ps_video_free(ps_video_t *v);

/* ---------------------------------------------------------------- engine */

/* (models, sessions and the analysers are declared by their stages below) */

/* ------------------------------------------------------------------- nn */

/* ----------------------------------------------------------------- hand */

/* ----------------------------------------------------------------- grip */

/* ----------------------------------------------------------------- page */

/* ------------------------------------------------------------------ ink */

/* --------------------------------------------------------------- assess */

/* ---------------------------------------------------------------- store */

/* --------------------------------------------------------------- report */

#ifdef __cplusplus
}
#endif
#endif /* PENSCOPE_H */
