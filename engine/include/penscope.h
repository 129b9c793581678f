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
 *  ps_image_release). The image is upright when p->apply_exif. p NULL means
 *  defaults; info may be NULL. The format comes from the bytes, never a name.
 *  Returns PS_ERR_CORRUPT (damaged, truncated, not an image), PS_ERR_UNSUPPORTED
 *  (HEIC, GIF, 12-bit or CMYK JPEG...), PS_ERR_LIMIT (checked from the header,
 *  before allocating), PS_ERR_NOMEM or PS_ERR_INVALID_ARG; out is zeroed on
 *  failure. Thread-safe: no shared state. */
PS_API ps_status ps_image_decode_memory(const void *buf, size_t len, const ps_decode_params *p,
                                        ps_image *out, ps_image_info *info);
/** As ps_image_decode_memory, reading the file first (size checked against
 *  p->limits.max_file_bytes). Error messages name the file. */
PS_API ps_status ps_image_decode_file(const char *path, const ps_decode_params *p,
                                      ps_image *out, ps_image_info *info);
/** Writes an 8-bit gray, RGB or RGBA image as PNG, the file created
 *  user-only (0600); a failed write leaves no file behind. Error messages
 *  name the file. Reading a PNG with alpha composites it over white. */
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

/* Hands: the MediaPipe Hands pipeline (palm detector, landmark model, video
 * tracking) run by penscope's own interpreter, plus a hand search for close
 * grip views where the palm detector fails (DESIGN.md §5).
 *
 * Threads: a ps_engine_t holds the loaded models, is immutable after
 * ps_engine_new() and may be shared by threads. Each thread that analyses
 * makes its own ps_session_t (scratch tensors, tracking state). Error
 * messages: ps_engine_new() failures go to ps_last_error(); calls on a
 * session set ps_session_errmsg().
 *
 *     ps_engine_params ep;
 *     ps_engine_params_default(&ep);
 *     ep.models_dir = "models";
 *     ps_engine_t *eng; ps_session_t *ses;
 *     if (ps_engine_new(&ep, &eng) != PS_OK) { puts(ps_last_error()); return 1; }
 *     ps_session_new(eng, &ses);
 *     ps_hands_params hp; ps_hands_params_default(&hp);
 *     ps_hands_result res;
 *     if (ps_hands_detect(ses, &img, &hp, &res) == PS_OK && res.count > 0)
 *         printf("wrist at %.1f,%.1f\n", res.hands[0].landmarks[0][0], res.hands[0].landmarks[0][1]);
 *     ps_session_free(ses); ps_engine_free(eng);
 */

typedef struct ps_engine ps_engine_t;
typedef struct ps_session ps_session_t;

/** Which pair of MediaPipe models (palm detector + landmark model) to load. */
typedef enum ps_hand_model { PS_HAND_MODEL_FULL = 0, PS_HAND_MODEL_LITE = 1 } ps_hand_model;

typedef struct ps_engine_params {
    const char *models_dir;  /* folder with palm_detection_{full,lite}.tflite and
                                hand_landmark_{full,lite}.tflite; NULL: $PENSCOPE_MODELS,
                                else the build-time default */
    ps_hand_model model;     /* default PS_HAND_MODEL_FULL */
    int threads;             /* threads per session, 0 = all cores (default 1) */
    ps_limits limits;        /* max_model_bytes applies */
} ps_engine_params;
PS_API void ps_engine_params_default(ps_engine_params *p);

/** Loads the two models. A missing model file gives PS_ERR_NOT_FOUND with a
 *  message naming the file and telling the user to run `make setup` (or
 *  models/fetch.sh). On failure *out is NULL and ps_last_error() says why. */
PS_API ps_status ps_engine_new(const ps_engine_params *p, ps_engine_t **out);
PS_API void ps_engine_free(ps_engine_t *e);
/** The message of the last failed call that used e (or "" if none). */
PS_API const char *ps_engine_errmsg(const ps_engine_t *e);
/** "full" or "lite". */
PS_API const char *ps_engine_model_name(const ps_engine_t *e);

/** A per-thread session on e (e must outlive it). */
PS_API ps_status ps_session_new(ps_engine_t *e, ps_session_t **out);
PS_API void ps_session_free(ps_session_t *s);
PS_API const char *ps_session_errmsg(const ps_session_t *s);

#define PS_HAND_LANDMARKS 21
#define PS_HANDS_MAX 4

/** How a hand was found. */
typedef enum ps_hand_source {
    PS_HAND_FROM_PALM = 0,        /* MediaPipe's palm detector on the letterboxed image */
    PS_HAND_FROM_TRACKING = 1,    /* the previous video frame's landmarks */
    PS_HAND_FROM_GRIP_SEARCH = 2  /* penscope's grip-view search (DESIGN.md §5) */
} ps_hand_source;
/** "palm", "tracking", "grip-search". */
PS_API const char *ps_hand_source_name(ps_hand_source s);

typedef enum ps_handedness { PS_HANDEDNESS_LEFT = 0, PS_HANDEDNESS_RIGHT = 1 } ps_handedness;

/** A region of the image the landmark model looked at: a square in pixels,
 *  rotated by angle (radians; the rotation that makes the hand upright:
 *  0 = fingers up, +pi/2 = fingers pointing right, image y down). */
typedef struct ps_hand_roi { float cx, cy, w, h, angle; } ps_hand_roi;

/** One hand. Landmarks are in MediaPipe's order (0 wrist, 1-4 thumb, 5-8
 *  index, 9-12 middle, 13-16 ring, 17-20 little finger). */
typedef struct ps_hand {
    float landmarks[PS_HAND_LANDMARKS][3]; /* x, y in pixels of the image given (upright when
                                              it was decoded with EXIF applied); z relative
                                              depth, wrist ~ 0, in the same pixel scale as x,
                                              smaller = nearer the camera (MediaPipe's
                                              normalised z times the image width) */
    float world[PS_HAND_LANDMARKS][3];     /* metres, origin near the hand's centre, axes
                                              as the image (x right, y down) */
    float score;                 /* the landmark model's hand presence, 0..1 (> min_presence) */
    ps_handedness handedness;    /* the person's real hand (corrected for MediaPipe's
                                    mirrored labels unless params.mirrored) */
    float handedness_score;      /* probability of that label, 0.5..1 */
    float palm_score;            /* the palm detector's score; 0 when not from a detection */
    ps_hand_roi roi;             /* the crop the landmarks came from */
    ps_hand_source source;
} ps_hand;

typedef struct ps_hands_result {
    int count;                   /* hands found (at most params.max_hands), in MediaPipe's
                                    order (palm detector score, tracked hands after new ones);
                                    grip-search hands by presence */
    ps_hand hands[PS_HANDS_MAX];
    int palm_runs;               /* palm detector inferences used for this image */
    int landmark_runs;           /* landmark model inferences used for this image */
} ps_hands_result;

typedef struct ps_hands_params {
    int max_hands;               /* 1..PS_HANDS_MAX, default 2 (MediaPipe's default) */
    float min_detection;         /* palm score threshold, default 0.5 */
    float min_presence;          /* hand presence threshold (strictly greater), default 0.5 */
    int grip_search;             /* 1 (default): when the palm detector finds no hand, run the
                                    grip-view search; 0: plain MediaPipe */
    int mirrored;                /* 1: the image is mirrored (selfie view); default 0 */
    int redetect_frames;         /* tracking only: while at least one hand is tracked but fewer
                                    than max_hands, run the palm detector on every n-th frame
                                    only (0 = every frame, as MediaPipe; default 0) */
} ps_hands_params;
PS_API void ps_hands_params_default(ps_hands_params *p);

/** Finds the hands in one photo (static mode: no state is used or kept).
 *  img: 1 (gray), 3 (RGB) or 4 (RGBA) channels, typically from
 *  ps_image_decode_file(). out is filled (count 0 when there is no hand). */
PS_API ps_status ps_hands_detect(ps_session_t *s, const ps_image *img, const ps_hands_params *p,
                                 ps_hands_result *out);

/** Finds the hands in the next frame of a video: the previous frame's hands
 *  give this frame's ROIs, and the palm detector runs only when fewer than
 *  max_hands hands are tracked (see redetect_frames). Frames must come in
 *  order and have the same size as the previous one (else tracking restarts). */
PS_API ps_status ps_hands_track(ps_session_t *s, const ps_image *frame, const ps_hands_params *p,
                                ps_hands_result *out);
/** Forgets the tracked hands (call between videos). */
PS_API void ps_hands_track_reset(ps_session_t *s);

/** Writes a copy of img with each hand's skeleton, landmarks and ROI drawn on
 *  it as PNG (created 0600). */
PS_API ps_status ps_hands_overlay_write_png(const char *path, const ps_image *img, const ps_hands_result *r);

/* ----------------------------------------------------------------- grip */

/* Grip analysis of one photo or video frame (METRICS.md §1): the pencil in
 * the hand, the grasp and its posture metrics, from the 21 hand landmarks of
 * the hand stage. Landmarks are passed as plain arrays (MediaPipe order):
 * image landmarks [21][3] in pixels of the analysed image (x right, y down,
 * z relative depth in pixel units, smaller = nearer the camera) and world
 * landmarks [21][3] in metres. Unmeasurable float metrics are NaN (JSON null).
 *
 * Threads: a ps_grip_t is immutable after ps_grip_new() and may be shared;
 * ps_grip_analyse() and the other functions taking a const handle are
 * thread-safe. Errors go to ps_last_error(). */

/** Grasp names of METRICS.md §1; ps_grasp_name() gives the JSON string. */
typedef enum ps_grasp {
    PS_GRASP_UNKNOWN = 0,
    PS_GRASP_DYNAMIC_TRIPOD = 1,
    PS_GRASP_LATERAL_TRIPOD = 2,
    PS_GRASP_DYNAMIC_QUADRUPOD = 3,
    PS_GRASP_LATERAL_QUADRUPOD = 4,
    PS_GRASP_STATIC_TRIPOD = 5,       /* only from video (needs movement) */
    PS_GRASP_FOUR_FINGER = 6,
    PS_GRASP_FIVE_FINGER = 7,
    PS_GRASP_THUMB_WRAP = 8,
    PS_GRASP_THUMB_TUCK = 9,
    PS_GRASP_INTERDIGITAL_BRACE = 10,
    PS_GRASP_DIGITAL_PRONATE = 11,
    PS_GRASP_PALMAR_SUPINATE = 12,
    PS_GRASP_COUNT = 13
} ps_grasp;
PS_API const char *ps_grasp_name(ps_grasp g);
/** The grasp for a name of METRICS.md §1; PS_GRASP_COUNT when unknown. */
PS_API ps_grasp ps_grasp_from_name(const char *name);

typedef enum ps_grasp_maturity {
    PS_MATURITY_UNKNOWN = 0,
    PS_MATURITY_MATURE = 1,
    PS_MATURITY_TRANSITIONAL = 2,
    PS_MATURITY_PRIMITIVE = 3,
    PS_MATURITY_ATYPICAL = 4
} ps_grasp_maturity;
/** Maturity of a grasp per reference/grip-taxonomy.md (see models/grip/README.md). */
PS_API ps_grasp_maturity ps_grasp_maturity_of(ps_grasp g);
PS_API const char *ps_grasp_maturity_name(ps_grasp_maturity m);

typedef enum ps_thumb_position {
    PS_THUMB_UNKNOWN = 0,
    PS_THUMB_OPPOSED = 1,   /* thumb tip on the other side of the axis from the index tip */
    PS_THUMB_ADDUCTED = 2,  /* thumb crosses over the pencil, pad against the side of the index */
    PS_THUMB_WRAPPED = 3,   /* thumb over (dorsal to) the index finger */
    PS_THUMB_TUCKED = 4     /* thumb under (palmar to) the index finger */
} ps_thumb_position;
PS_API const char *ps_thumb_position_name(ps_thumb_position t);

typedef enum ps_web_space { PS_WEB_UNKNOWN = 0, PS_WEB_OPEN = 1, PS_WEB_CLOSED = 2 } ps_web_space;
PS_API const char *ps_web_space_name(ps_web_space w);

/** The child's real hand (already corrected for MediaPipe's mirrored labels). */
typedef enum ps_grip_hand { PS_GRIP_HAND_UNKNOWN = 0, PS_GRIP_HAND_LEFT = 1, PS_GRIP_HAND_RIGHT = 2 } ps_grip_hand;

/** A pencil, pen or crayon found in the image. Points are pixels. */
typedef struct ps_grip_pencil {
    int found;            /* 0: no pencil in contact with the hand (nothing else is valid) */
    float tip[2];         /* the writing end (end of the cone or of the visible axis) */
    float end[2];         /* the far visible end of the axis */
    float width_px;       /* visible barrel width, perpendicular to the axis */
    float angle_deg;      /* from tip to end: 0 = image right, counter-clockwise positive */
    float confidence;     /* 0..1 */
    float color[3];       /* mean barrel colour, RGB 0..255 */
    float visible_len_px; /* length of the barrel with both edges seen */
    const char *why_not;  /* when not found: a static phrase saying why ("no straight
                             barrel in contact with two fingertips", ...) */
} ps_grip_pencil;

/** Loaded grasp thresholds (models/grip/grasp_thresholds.json); immutable. */
typedef struct ps_grip_thresholds ps_grip_thresholds_t;
/** Parses thresholds from JSON text (len bytes, need not be NUL-terminated).
 *  Every field is required and range-checked; errors name the field. */
PS_API ps_status ps_grip_thresholds_parse(const char *json, size_t len, ps_grip_thresholds_t **out);
PS_API ps_status ps_grip_thresholds_load(const char *path, ps_grip_thresholds_t **out);
PS_API void ps_grip_thresholds_free(ps_grip_thresholds_t *t);

typedef struct ps_grip_params {
    double pencil_mm;             /* physical barrel width for the mm scale (default 7.0) */
    const char *thresholds_path;  /* NULL: <models_dir>/grip/grasp_thresholds.json */
    const char *models_dir;       /* NULL: $PENSCOPE_MODELS, else the build-time default */
    int find_pencil;              /* 1 (default): run the pencil finder in ps_grip_analyse */
} ps_grip_params;
PS_API void ps_grip_params_default(ps_grip_params *p);

typedef struct ps_grip ps_grip_t;
/** Loads the thresholds and keeps the params (strings are copied). */
PS_API ps_status ps_grip_new(const ps_grip_params *p, ps_grip_t **out);
PS_API void ps_grip_free(ps_grip_t *g);
PS_API const ps_grip_thresholds_t *ps_grip_thresholds(const ps_grip_t *g);

/** One decision criterion of the classifier, for the JSON detail. */
#define PS_GRIP_MAX_CRITERIA 16
typedef struct ps_grip_criterion {
    char name[32];     /* "thumb_position", "web_space", "fingers", "contact", ... */
    char text[128];    /* plain words: "thumb tip on the other side of the pencil from the index tip" */
    float value;       /* the measured value (NaN when not numeric) */
    float threshold;   /* the threshold it was compared with (NaN when none) */
    float margin;      /* 0..1: how clearly the value is past the threshold */
} ps_grip_criterion;

/** Digits in ps_grip_result.contact_mask: bit d for digit d (0 thumb .. 4 little). */
enum { PS_DIGIT_THUMB = 0, PS_DIGIT_INDEX = 1, PS_DIGIT_MIDDLE = 2, PS_DIGIT_RING = 3, PS_DIGIT_LITTLE = 4 };

/** Every grip metric of METRICS.md §1 for one hand in one image. */
typedef struct ps_grip_result {
    int pencil_found;
    ps_grip_pencil pencil;
    float pencil_angle_deg;
    float hand_scale_px;            /* image distance wrist (0) to middle MCP (9) */
    int fingers_on_pencil;          /* 0..5 (0 without a pencil) */
    unsigned contact_mask;          /* bit per digit, see PS_DIGIT_* */
    float contact_px[5][2];         /* per digit: the point on the axis it touches (NaN if none) */
    ps_thumb_position thumb_position;
    float web_space_angle_deg;
    ps_web_space web_space;
    float grip_distance_px, grip_distance_mm, grip_distance_rel;
    int grip_digit;                 /* the digit that gave the grip distance, -1 if none */
    float index_dip_angle_deg;
    int index_dip_hyperextended;    /* -1 unknown, 0 no, 1 yes */
    ps_grasp grasp;                 /* PS_GRASP_UNKNOWN below the confidence floor */
    ps_grasp grasp_candidate;       /* the best grasp before the confidence floor */
    ps_grasp_maturity grasp_maturity;
    float grasp_confidence;         /* 0..1 */
    int n_criteria;
    ps_grip_criterion criteria[PS_GRIP_MAX_CRITERIA];
} ps_grip_result;

/** Finds the pencil in rgb (3 channels). landmarks (may be NULL) are the 21
 *  image landmarks of the hand holding it: they bound the search and decide
 *  which end is the tip. Without a pencil, out->found = 0 and PS_OK. */
PS_API ps_status ps_grip_find_pencil(const ps_image *rgb, const float (*landmarks)[3],
                                     const ps_grip_thresholds_t *th, ps_grip_pencil *out);

/** Classifies the grasp and measures the grip metrics from landmarks and a
 *  pencil (pencil may be NULL or not found: grasp unknown, pencil metrics NaN).
 *  world may be NULL (3-D metrics NaN). pencil_mm <= 0 leaves the mm metrics NaN. */
PS_API ps_status ps_grip_classify(const ps_grip_thresholds_t *th, const float (*landmarks)[3],
                                  const float (*world)[3], ps_grip_hand hand,
                                  const ps_grip_pencil *pencil, double pencil_mm,
                                  ps_grip_result *out);

/** The pencil finder (rgb may be NULL when params->find_pencil is 0) and the
 *  classifier in one call. */
PS_API ps_status ps_grip_analyse(const ps_grip_t *g, const ps_image *rgb, const float (*landmarks)[3],
                                 const float (*world)[3], ps_grip_hand hand, ps_grip_result *out);

/** Landmark smoothing for video: a One-Euro filter (Casiez et al. 2012) per
 *  coordinate: little smoothing when the hand moves fast (no lag), strong
 *  smoothing when it is still (no jitter). Timestamps must increase. */
typedef struct ps_grip_smoother {
    double min_cutoff_hz;  /* cutoff at rest (default 1.5) */
    double beta;           /* cutoff growth with speed, per (pixel/s) (default 0.02) */
    double d_cutoff_hz;    /* cutoff of the speed estimate (default 1.0) */
    int primed;
    double t_prev;
    float x[21][3], dx[21][3];
} ps_grip_smoother;
PS_API void ps_grip_smoother_init(ps_grip_smoother *s);
/** Filters landmarks in place; the first call (or one after a reset, or a
 *  time step <= 0 or > 1 s) passes them through and restarts. */
PS_API void ps_grip_smoother_apply(ps_grip_smoother *s, double t_s, float (*landmarks)[3]);
PS_API void ps_grip_smoother_reset(ps_grip_smoother *s);

/** What the video aggregates need from one frame. */
typedef struct ps_grip_frame {
    double t_s;
    int hand_found;
    int pencil_found;
    ps_grasp grasp;
    float grip_distance_mm;   /* NaN when not measured */
    float pencil_angle_deg;   /* NaN without a pencil */
    float tip[2];             /* pencil tip, pixels (NaN without a pencil) */
    float hand_pts[5][2];     /* landmarks 0, 5, 9, 13, 17 (the hand's own frame) */
} ps_grip_frame;
/** Fills a frame record from an analysed frame. */
PS_API void ps_grip_frame_from_result(ps_grip_frame *f, double t_s, int hand_found,
                                      const float (*landmarks)[3], const ps_grip_result *r);

typedef enum ps_movement_source {
    PS_MOVEMENT_UNKNOWN = 0, PS_MOVEMENT_FINGERS = 1, PS_MOVEMENT_WRIST = 2, PS_MOVEMENT_ARM = 3
} ps_movement_source;
PS_API const char *ps_movement_source_name(ps_movement_source m);

/** The video aggregates of METRICS.md §1. */
typedef struct ps_grip_video_result {
    int64_t frames;
    float hand_found_pct;
    ps_grasp grasp_mode;            /* static_tripod when a tripod mode moves from wrist/arm */
    ps_grasp grasp_mode_frames;     /* the most frequent per-frame grasp */
    float mature_grasp_pct;         /* of frames with a known grasp; NaN without any */
    int grasp_changes;              /* switches of the stable grasp (held >= min_change_s) */
    float grip_distance_mm_mean, grip_distance_mm_sd;
    float pencil_angle_sd_deg;      /* circular SD of the axis angle */
    ps_movement_source movement_source;
    float finger_movement_ratio;    /* 0..1, NaN when the tip never moved */
    float wrist_movement_ratio;     /* share of the hand-carried tip path from rotation about the wrist */
} ps_grip_video_result;
/** Aggregates n frames in time order (n may be 0). th (required) gives the
 *  change duration and movement thresholds. */
PS_API ps_status ps_grip_video_aggregate(const ps_grip_frame *frames, size_t n,
                                         const ps_grip_thresholds_t *th, ps_grip_video_result *out);

/** Draws the grip overlay onto rgb in place (3 channels): skeleton, pencil
 *  axis and tip, contact points, grip distance, grasp label and its reasons.
 *  landmarks may be NULL (no hand), r may be NULL (landmarks only). */
PS_API ps_status ps_grip_overlay_draw(ps_image *rgb, const float (*landmarks)[3], const ps_grip_result *r);
/** As ps_grip_overlay_draw on a copy, written as PNG to path (created 0600). */
PS_API ps_status ps_grip_overlay_write_png(const char *path, const ps_image *rgb,
                                           const float (*landmarks)[3], const ps_grip_result *r);


/* ----------------------------------------------------------------- page */

/* Worksheet scans and photos (METRICS.md §2): the page is normalised (gray,
 * about 200 dpi or at most 2400 px, deskewed, light flattened), binarised (Sauvola),
 * its printed ruling detected and removed, then segmented into writing lines,
 * words and letters, which are measured. The analyser takes a decoded image,
 * never a file name. A result (ps_page_t) is immutable and owns its geometry. */

/** Detected guide-line pattern. */
typedef enum ps_page_ruling {
    PS_RULING_NONE = 0,     /* blank paper */
    PS_RULING_SINGLE = 1,   /* notebook: one line per writing line */
    PS_RULING_PRIMARY = 2,  /* top line, dashed mid line, baseline */
    PS_RULING_SEYES = 3     /* French Seyès: 2 mm lines, a stronger one every 8 mm */
} ps_page_ruling;

typedef struct ps_page_params {
    double dpi;          /* --dpi: resolution of the image; 0 = unknown */
    double file_dpi;     /* resolution stored in the file (ps_image_info.dpi_x), 0 = none */
    double ruling_mm;    /* --ruling-mm: distance between adjacent printed lines, mm
                            (single: the line pitch; Seyès: the small 2 mm pitch;
                            primary: baseline to dashed mid line); 0 = unknown */
    const char *text;    /* --text: the expected text, or NULL (copied); letters and digits
                            are matched, spaces and punctuation ignored */
    const char *models_dir; /* folder with glyphs/NAME.glyphs letter models, needed with text */
    double seconds;      /* --seconds: writing time, for letters_per_min; 0 = unknown */
    int max_side;        /* the working image's longer side at most (default 2400); when the
                            DPI is known the page is worked on at about 200 dpi */
    uint64_t max_pixels; /* limit on the input image (default from ps_limits_default) */
    int keep_touching;   /* 1: letters whose ink touches stay one letter unless text is given
                            (0, the default: they are split, see README) */
} ps_page_params;
PS_API void ps_page_params_default(ps_page_params *p);

typedef struct ps_page ps_page_t;

/** Analyses one page image (gray or RGB). On success *out owns the result
 *  (free with ps_page_free). The DPI is p->dpi, else p->file_dpi (values under
 *  100 are taken as a camera default and ignored), else the detected ruling
 *  with p->ruling_mm, else the page size (A4 assumed from the image's
 *  aspect); without one, mm metrics are null and a warning says why.
 *  Thread-safe: no shared state. */
PS_API ps_status ps_page_analyse(const ps_image *img, const ps_page_params *p, ps_page_t **out);
PS_API void ps_page_free(ps_page_t *pg);

/** An analyser for many pages: it keeps its large working buffers from page
 *  to page (none allocated per page once warm), the letter models of the
 *  folder its pages ask for (p->models_dir: loaded once, at the first page
 *  that needs them; freed with the analyser) and, with threads > 1, splits
 *  the per-pixel passes over its own threads (0 = all cores). Results are the
 *  same as ps_page_analyse's whatever the threads. Use an analyser from one
 *  thread at a time; its results may be freed in any order, before or after
 *  the analyser. */
typedef struct ps_page_analyser ps_page_analyser_t;
PS_API ps_status ps_page_analyser_new(int threads, ps_page_analyser_t **out);
PS_API void ps_page_analyser_free(ps_page_analyser_t *a);
/** ps_page_analyse with a's buffers and threads. */
PS_API ps_status ps_page_analyse_with(ps_page_analyser_t *a, const ps_image *img, const ps_page_params *p,
                                      ps_page_t **out);

/** The page metrics, in the order and names of METRICS.md §2. */
#define PS_PAGE_METRIC_COUNT 30
/** Name of metric i (0 <= i < PS_PAGE_METRIC_COUNT), NULL otherwise. */
PS_API const char *ps_page_metric_name(int i);
/** Value of a metric by name; NaN when null (unmeasurable: see the warnings)
 *  or unknown. "ruling" is the ps_page_ruling value. */
PS_API double ps_page_metric(const ps_page_t *pg, const char *name);
PS_API ps_page_ruling ps_page_get_ruling(const ps_page_t *pg);
/** "none", "single", "primary", "seyes". */
PS_API const char *ps_page_ruling_name(ps_page_ruling r);
/** The DPI used (0 when none) and where it came from: "option", "file",
 *  "ruling", "page size" or "none". */
PS_API double ps_page_dpi(const ps_page_t *pg, const char **source);
PS_API int ps_page_warning_count(const ps_page_t *pg);
PS_API const char *ps_page_warning(const ps_page_t *pg, int i);

/** Geometry behind the numbers, in pixels of the input image (upright). */
typedef struct ps_page_line_info {
    float x0, y0, x1, y1;     /* box of the line's ink */
    float base_y0, base_y1;   /* baseline height at x0 and at x1 */
    int ruled;                /* the baseline is a printed line */
    int letters, words;
    double x_height_mm, baseline_dev_mm, on_line_pct, letter_gap_mm, word_gap_mm, slant_deg;
} ps_page_line_info;
typedef struct ps_page_letter_info {
    float x0, y0, x1, y1;     /* ink box */
    int line, word;
    int off_line;             /* bottom more than 0.2 x-height off the baseline */
    int tall, descender;      /* class found from the letter's height */
    float bottom_dev_mm;      /* bottom minus baseline, mm (positive = below); NaN without scale */
    float slant_deg;          /* NaN when the letter has no near-vertical stroke */
    char expected, recognised; /* with text: the expected letter it was matched to and the
                                  letter read from its shape; 0 when none */
    int reversed, not_closed; /* with text: matches its mirror image better; should enclose a
                                  counter and does not */
    float form_score;         /* with text: 0-100, NaN when not matched */
} ps_page_letter_info;
PS_API int ps_page_line_count(const ps_page_t *pg);
PS_API ps_status ps_page_get_line(const ps_page_t *pg, int i, ps_page_line_info *out);
PS_API int ps_page_letter_count(const ps_page_t *pg);
PS_API ps_status ps_page_get_letter(const ps_page_t *pg, int i, ps_page_letter_info *out);

/** The result as JSON: {"metrics":{...},"detail":{...},"warnings":[...]}
 *  (DESIGN.md §4 names). *json is allocated (free with ps_free). */
PS_API ps_status ps_page_to_json(const ps_page_t *pg, char **json, size_t *len);
/** Draws the overlay (lines, baselines, letter boxes coloured by alignment,
 *  gaps, slant marks, flagged letters) over the normalised page into out
 *  (allocated RGB; release with ps_image_release), with a legend in a band
 *  above the page: out is taller than the page by that band. */
PS_API ps_status ps_page_overlay(const ps_page_t *pg, ps_image *out);

/* ------------------------------------------------------------------ ink */

/* Tablet pen recordings: readers (.svc, InkML, CSV) that decode a file into a
 * ps_ink recording in physical units, and the analyser that measures it
 * (METRICS.md §3). Analysers take the decoded recording, never a file name. */

typedef enum ps_ink_format {
    PS_INK_AUTO = 0,    /* from the first bytes, else the extension */
    PS_INK_SVC = 1,     /* Wacom/BDALab .svc: a sample-count line, then 7 columns */
    PS_INK_INKML = 2,   /* W3C InkML */
    PS_INK_CSV = 3      /* CSV with a header line naming the columns */
} ps_ink_format;

/* Defaults used when a file does not say (documented in README "Tablet recordings"). */
#define PS_INK_DEFAULT_LPI 5080.0   /* Wacom Intuos/Cintiq report 5080 lines per inch (0.005 mm) */
#define PS_INK_DEFAULT_FS 133.0     /* Hz: only used when a file has no time channel */
#define PS_INK_DEFAULT_COLUMNS "x,y,time,pen_status,azimuth,altitude,pressure"

typedef enum ps_ink_yaxis {
    PS_INK_Y_AUTO = 0,  /* .svc: up (Wintab's origin is bottom-left); InkML, CSV: down */
    PS_INK_Y_UP = 1,
    PS_INK_Y_DOWN = 2
} ps_ink_yaxis;

/** How to read a pen recording. ps_ink_read_params_default() fills it. */
typedef struct ps_ink_read_params {
    const char *columns;   /* .svc column order, comma-separated names from x, y, time,
                              pen_status, azimuth, altitude, pressure (7 names, each once;
                              "tilt" is accepted for altitude). NULL = PS_INK_DEFAULT_COLUMNS.
                              PaHaW files are "y,x,time,pen_status,azimuth,altitude,pressure". */
    double lpi;            /* device resolution for coordinates in tablet counts, lines per inch */
    double fs_hz;          /* sampling rate, used when the file has no time channel */
    double pressure_max;   /* raw value that means full pressure; 0 = auto (see README) */
    ps_ink_yaxis y_axis;   /* direction of the file's y axis */
    ps_limits limits;      /* max_file_bytes and max_ink_samples apply */
} ps_ink_read_params;
PS_API void ps_ink_read_params_default(ps_ink_read_params *p);

/** Channels a recording carries (bit flags in ps_ink.channels). */
enum ps_ink_channel_flags {
    PS_INK_HAS_TIME = 1 << 0,      /* real timestamps (else times come from fs_hz) */
    PS_INK_HAS_PRESSURE = 1 << 1,
    PS_INK_HAS_AZIMUTH = 1 << 2,
    PS_INK_HAS_ALTITUDE = 1 << 3,
    PS_INK_HAS_HOVER = 1 << 4      /* in-air (pen-up, in proximity) samples are present */
};

/** A decoded pen recording in physical units, samples in time order. Arrays
 *  have n entries and are owned by the struct (ps_ink_release). Optional
 *  channels are NULL when the file has none. */
typedef struct ps_ink {
    size_t n;
    double *x_mm, *y_mm;      /* position; y grows down the page */
    double *t_s;              /* time from the first sample, s */
    uint8_t *pen_down;        /* 0 = in the air, 1 = on the surface; 2 = on the surface, first
                                 sample of a stroke after a lift the device did not sample
                                 (InkML traces without pen-up traces) */
    double *pressure;         /* 0..1 of the device's range, or NULL */
    double *azimuth_deg;      /* pen azimuth, degrees, or NULL */
    double *altitude_deg;     /* angle between pen and surface, 90 = upright, or NULL */
    unsigned channels;        /* ps_ink_channel_flags */
    ps_ink_format format;
    double mm_per_unit;       /* scale applied to the file's coordinates */
    double pressure_max;      /* raw full scale used to normalise pressure, 0 if none */
    double fs_hz;             /* median sampling rate of the timestamps (or fs_hz given) */
    char notes[256];          /* unit assumptions made while reading, "" when none */
} ps_ink;

/** Decodes a pen recording held in memory. On failure *out is zeroed and the
 *  message (ps_last_error) gives the line (or element) at fault. */
PS_API ps_status ps_ink_read_memory(const void *buf, size_t len, ps_ink_format fmt,
                                    const ps_ink_read_params *p, ps_ink *out);
/** As ps_ink_read_memory, reading the file first; the format comes from the
 *  content, else the extension, when fmt is PS_INK_AUTO. */
PS_API ps_status ps_ink_read_file(const char *path, ps_ink_format fmt, const ps_ink_read_params *p,
                                  ps_ink *out);
PS_API void ps_ink_release(ps_ink *ink);

/** Letter formation models (models/letters/print.json): strokes with start point,
 *  direction, order and path for a-z, A-Z, 0-9. Immutable once loaded; may be
 *  shared by threads. */
typedef struct ps_letter_models ps_letter_models_t;
PS_API ps_status ps_letter_models_load(const char *path, ps_letter_models_t **out);
PS_API void ps_letter_models_free(ps_letter_models_t *m);
/** Number of characters with a model, and whether c (one ASCII char) has one. */
PS_API int ps_letter_models_count(const ps_letter_models_t *m);
PS_API int ps_letter_models_has(const ps_letter_models_t *m, char c);

/** One letter of a letter task: the character and the time window (s from
 *  the first sample) in which it was written. */
typedef struct ps_ink_task_letter {
    char ch;
    double t0_s, t1_s;
} ps_ink_task_letter;

typedef struct ps_ink_params {
    const char *text;                       /* expected letters (spaces = word gaps), or NULL */
    const ps_ink_task_letter *task;         /* or a letter task (wins over text), or NULL */
    size_t n_task;
    const ps_letter_models_t *models;       /* needed for letter formation; may be NULL */
} ps_ink_params;
PS_API void ps_ink_params_default(ps_ink_params *p);

/** Metrics of METRICS.md §3; NAN = could not be measured (a warning says why). */
typedef struct ps_ink_metrics {
    double duration_s, on_surface_s, in_air_s, air_surface_ratio;
    double strokes, pen_lifts;
    double path_mm, width_mm, height_mm;
    double velocity_mm_s_mean, velocity_mm_s_sd, velocity_air_mm_s_mean;
    double accel_mm_s2_mean, jerk_mm_s3_mean;
    double ncv_per_stroke, ncv_per_s, stops;
    double pressure_mean, pressure_sd;
    double tilt_deg_mean, tilt_deg_sd, azimuth_deg_mean, azimuth_deg_sd;
    double formation_score, start_errors, direction_errors, order_errors, stroke_count_errors,
        reversals, letters_per_min;
} ps_ink_metrics;

/** A stroke: samples [first, first+count) with the same pen state. */
typedef struct ps_ink_stroke {
    size_t first, count;
    int pen_down;
} ps_ink_stroke;

#define PS_INK_LETTER_MAX_STROKES 8

/** How one expected letter was written, compared with its formation model. */
typedef struct ps_ink_letter {
    char ch;                    /* expected character */
    int found;                  /* ink was assigned to this letter */
    int has_model;
    int n_strokes;              /* written on-surface strokes, in time order */
    int strokes[PS_INK_LETTER_MAX_STROKES]; /* indices into ps_ink_result.strokes */
    int model_strokes;          /* strokes of the best-matching model variant */
    double x0_mm, y0_mm, x1_mm, y1_mm;      /* bounding box */
    double t0_s, t1_s;
    double shape_distance;      /* path distance to the model, box units (0 = same) */
    double mirror_distance;     /* the same against the mirrored model */
    int legible;                /* the shape matches the expected letter */
    int start_error, direction_errors, order_error, stroke_count_error, reversal;
    int variant;                /* which model variant matched best (0 = main) */
    double score;               /* 0..100 */
} ps_ink_letter;

#define PS_INK_MAX_WARNINGS 8

typedef struct ps_ink_result {
    ps_ink_metrics m;
    size_t first, last;          /* the analysed span: first to last pen-down sample */
    size_t n_strokes;
    ps_ink_stroke *strokes;      /* all strokes of the span, pen-down and pen-up */
    size_t n_letters;
    ps_ink_letter *letters;
    int n_warnings;
    char warnings[PS_INK_MAX_WARNINGS][160];
} ps_ink_result;

/** Measures a recording: kinematics, fluency, pressure, tilt, and (with text
 *  or a task, and models) letter formation. out is filled even when some
 *  metrics are NAN; release it with ps_ink_result_release. */
PS_API ps_status ps_ink_analyse(const ps_ink *ink, const ps_ink_params *p, ps_ink_result *out);
PS_API void ps_ink_result_release(ps_ink_result *r);

/** Draws the recording (coloured by speed, width by pressure), pen lifts and
 *  per-letter formation marks to a PNG (created 0600). */
PS_API ps_status ps_ink_overlay_png(const ps_ink *ink, const ps_ink_result *r, const char *path);

/* --------------------------------------------------------------- assess */

/** Which way a metric is better (METRICS.md: each metric declares it). BAND
 *  metrics are judged against the child's goal band; without a goal they get
 *  no direction. NONE: descriptive, never judged. */
typedef enum ps_metric_good {
    PS_GOOD_NONE = 0,
    PS_GOOD_UP = 1,
    PS_GOOD_DOWN = 2,
    PS_GOOD_BAND = 3
} ps_metric_good;

/** What values a metric takes. */
typedef enum ps_metric_type {
    PS_METRIC_NUMBER = 0,
    PS_METRIC_BOOL = 1,
    PS_METRIC_CATEGORY = 2   /* a name, e.g. grasp "dynamic_tripod" */
} ps_metric_type;

/** One row of the metric registry (every metric of METRICS.md §1-3). */
typedef struct ps_metric_info {
    const char *name;        /* "grip_distance_mm" */
    const char *kind;        /* "grip", "page", "ink", or "page ink" for both */
    const char *unit;        /* "mm", "deg", "%", "count", "ratio", "" */
    ps_metric_type type;
    ps_metric_good good;
    const char *label;       /* plain words for reports: "grip distance" */
} ps_metric_info;

/** The registry entry of a metric, NULL when the name is not in METRICS.md. */
PS_API const ps_metric_info *ps_metric_find(const char *name);
/** The i-th registry entry (0-based), NULL past the end; in METRICS.md order. */
PS_API const ps_metric_info *ps_metric_at(size_t i);

/** One observation of a metric: a date as days since 1970-01-01 and a value. */
typedef struct ps_obs {
    int32_t day;
    double value;
} ps_obs;

/** Parses "YYYY-MM-DD" (a real calendar date, years 1900-9999) into days since
 *  1970-01-01. Returns PS_ERR_INVALID_ARG for anything else. */
PS_API ps_status ps_date_parse(const char *s, int32_t *day);
/** Formats days since 1970-01-01 as "YYYY-MM-DD" into buf (>= 11 bytes). */
PS_API void ps_date_format(int32_t day, char *buf);

/** Where the SEM of a progress came from. */
typedef enum ps_sem_source {
    PS_SEM_NONE = 0,     /* not enough sessions anywhere: reliability unknown */
    PS_SEM_CHILD = 1,    /* the child's own session-to-session variability */
    PS_SEM_POOLED = 2    /* pooled over every child in the store */
} ps_sem_source;

/** Progress verdict (METRICS.md §4). */
typedef enum ps_direction {
    PS_DIR_UNKNOWN = 0,      /* fewer than two sessions, or no SEM */
    PS_DIR_NO_CHANGE = 1,    /* no reliable change */
    PS_DIR_IMPROVED = 2,
    PS_DIR_WORSE = 3,
    PS_DIR_CHANGED = 4       /* reliable change of a metric without a good direction */
} ps_direction;
/** "improved", "worse", "no reliable change", "reliable change", "unknown". */
PS_API const char *ps_direction_str(ps_direction d);

/** Variability of a series, for the SEM: the sum of squared deviations of its
 *  successive differences from their mean, and its degrees of freedom
 *  (differences - 1). Series of several children are pooled by adding both. */
typedef struct ps_variability {
    double ss;
    int df;
} ps_variability;
/** Adds the variability of one series (sorted by day, one value per day). */
PS_API void ps_variability_add(ps_variability *v, const ps_obs *obs, size_t n);

/** Minimum degrees of freedom before a SEM is trusted (3 = five sessions of
 *  one child, or the equivalent pooled). */
#define PS_SEM_MIN_DF 3

/** The statistics of METRICS.md §4 for one child and metric. Missing values
 *  are NAN. */
typedef struct ps_progress {
    size_t sessions;         /* observations (days) used, from the baseline on */
    int32_t baseline_day, latest_day;
    double baseline, latest, change;
    double slope_per_week;   /* least squares over the sessions, NAN if < 2 days */
    double sem;              /* standard error of measurement, NAN if unknown */
    ps_sem_source sem_source;
    double rci;              /* change / (sqrt(2) * sem) */
    int reliable;            /* |rci| > 1.96 */
    ps_direction direction;
} ps_progress;

/** A therapist's goal for one metric: a target band [low, high] (low == high
 *  for one value), a due date (0 = none), and optional Goal Attainment Scaling
 *  levels: gas[k + 2] is the value that defines level k = -2..+2. */
typedef struct ps_goal {
    char metric[64];
    double low, high;
    int32_t due_day;          /* days since 1970-01-01, 0 = none */
    int has_gas;
    double gas[5];
    char note[256];
} ps_goal;

/** Computes progress from a series sorted by day with one value per day
 *  (obs[0] is the baseline; callers drop earlier days for --baseline).
 *  pooled: the variability over all children (may be NULL). goal: the child's
 *  goal for this metric (may be NULL; gives BAND metrics their direction). */
PS_API ps_status ps_progress_compute(const ps_obs *obs, size_t n, ps_metric_good good,
                                     const ps_variability *pooled, const ps_goal *goal,
                                     ps_progress *out);

/** Distance from a value to a goal band: 0 inside, positive outside. */
PS_API double ps_goal_distance(const ps_goal *g, double value);
/** The GAS level (-2..+2) a value reaches, or PS_GAS_NONE without levels.
 *  UP metrics: the highest level whose value is reached (value >= gas[k]);
 *  DOWN: value <= gas[k]; otherwise the level whose value is nearest. Below
 *  every level is -2. Levels must be monotone (checked by ps_goal_check). */
#define PS_GAS_NONE (-99)
PS_API int ps_goal_gas_level(const ps_goal *g, ps_metric_good good, double value);
/** Checks a goal: finite band with low <= high, GAS levels monotone in the
 *  metric's good direction. Returns PS_ERR_INVALID_ARG with a message. */
PS_API ps_status ps_goal_check(const ps_goal *g, ps_metric_good good);


/* ---------------------------------------------------------------- store */

/** The per-child store: an SQLite database of children, sessions (one per
 *  recorded input), measurements and goals. One handle per thread; several
 *  processes may write at once (WAL mode, busy timeout). The file is created
 *  user-only (0600), its folder 0700. A database made by something else, or a
 *  damaged one, is refused and left untouched. Older schemas are migrated. */
typedef struct ps_store ps_store_t;

#define PS_STORE_SCHEMA_VERSION 3
#define PS_STORE_APPLICATION_ID 0x50534350 /* "PSCP" in the SQLite header */

/** The default database path: $PENSCOPE_DB, else $XDG_DATA_HOME/penscope/
 *  penscope.db, else ~/.local/share/penscope/penscope.db. */
PS_API ps_status ps_store_default_path(char *buf, size_t cap);

/** Opens (creating when missing, with its folder) and migrates a store.
 *  busy_timeout_ms <= 0 means 10000. Fails with PS_ERR_CORRUPT for a file that
 *  is not a penscope database or is damaged, PS_ERR_UNSUPPORTED for a newer
 *  schema; the message is in ps_last_error(). */
PS_API ps_status ps_store_open(const char *path, int busy_timeout_ms, ps_store_t **out);
PS_API void ps_store_close(ps_store_t *s);
/** The message of the last failed call on s. */
PS_API const char *ps_store_errmsg(ps_store_t *s);
/** The schema version of the open store (PS_STORE_SCHEMA_VERSION after open). */
PS_API int ps_store_schema_version(ps_store_t *s);

/** A write transaction (BEGIN IMMEDIATE: takes the write lock at once, waiting
 *  up to the busy timeout for other writers). */
PS_API ps_status ps_store_begin(ps_store_t *s);
PS_API ps_status ps_store_commit(ps_store_t *s);
PS_API void ps_store_rollback(ps_store_t *s);

/** A child. code is the pseudonymous id the therapist uses (no names). */
typedef struct ps_child {
    int64_t id;              /* row id, set by the store */
    char code[64];           /* unique; letters, digits, '-', '_', '.' */
    int birth_year;          /* 0 = not given */
    char grade[32];          /* school grade, "" = not given */
    char hand[8];            /* "left", "right" or "" */
    char notes[1024];
} ps_child;

/** Adds a child (sets c->id). PS_ERR_INVALID_ARG when the code is taken or bad. */
PS_API ps_status ps_store_child_add(ps_store_t *s, ps_child *c);
/** Finds a child by code; PS_ERR_NOT_FOUND when there is none. */
PS_API ps_status ps_store_child_get(ps_store_t *s, const char *code, ps_child *out);
/** Rewrites the fields of the child with row id c->id (the code may change). */
PS_API ps_status ps_store_child_update(ps_store_t *s, const ps_child *c);
/** Deletes a child with all its sessions, measurements, goals and
 *  attachments, then reclaims the space so the data does not linger in free
 *  pages of the file. PS_ERR_NOT_FOUND when there is no such child. */
PS_API ps_status ps_store_child_delete(ps_store_t *s, const char *code);
/** All children by code; *out is freed with ps_free. */
PS_API ps_status ps_store_child_list(ps_store_t *s, ps_child **out, size_t *n);

/** A session: one recorded input of a child on a date. */
typedef struct ps_session_info {
    int64_t id, child_id;
    int32_t day;             /* days since 1970-01-01 */
    char kind[16];           /* "grip", "page", "ink" */
    char file[256];          /* the input's base name */
    char sha256[65];         /* of the input's bytes, lowercase hex */
    char version[16];        /* penscope version that measured it */
    char note[256];
} ps_session_info;

/** The session of this child, day, kind and input hash, if recorded:
 *  PS_OK with *id set, or PS_ERR_NOT_FOUND. */
PS_API ps_status ps_store_session_find(ps_store_t *s, int64_t child_id, int32_t day, const char *kind,
                                       const char *sha256, int64_t *id);
/** Adds a session. options_json and detail_json (the analyser's options and
 *  its record's detail) may be NULL. The same child, day, kind and hash twice
 *  is refused with PS_ERR_INVALID_ARG (use ps_store_session_find first). */
PS_API ps_status ps_store_session_add(ps_store_t *s, const ps_session_info *info, const char *options_json,
                                      const char *detail_json, int64_t *id);
/** Keeps the analyser's warnings (a JSON array of strings) with a session. */
PS_API ps_status ps_store_session_set_warnings(ps_store_t *s, int64_t session_id, const char *warnings_json);
/** The warnings of a session as a JSON array (freed with ps_free), or NULL
 *  in *out when it has none. */
PS_API ps_status ps_store_session_warnings(ps_store_t *s, int64_t session_id, char **out);
/** Sessions of a child by date; *out is freed with ps_free. */
PS_API ps_status ps_store_session_list(ps_store_t *s, int64_t child_id, ps_session_info **out, size_t *n);

/** Adds a measurement. value: the number (NAN = null); text: the value of a
 *  bool or category metric ("true", "dynamic_tripod"), else NULL; detail_json:
 *  per-line/per-frame values, else NULL. */
PS_API ps_status ps_store_measure_add(ps_store_t *s, int64_t session_id, const char *metric, double value,
                                      const char *text, const char *unit, const char *detail_json);

/** A child's numeric series of one metric: one point per day (the mean of
 *  that day's sessions), sorted by day. *out is freed with ps_free. */
PS_API ps_status ps_store_series(ps_store_t *s, int64_t child_id, const char *metric, ps_obs **out, size_t *n);
/** The pooled variability of a metric over every child (see ps_variability). */
PS_API ps_status ps_store_variability(ps_store_t *s, const char *metric, ps_variability *out);
/** The names of the metrics recorded for a child, sorted; *out (an array of
 *  64-byte names) is freed with ps_free. */
PS_API ps_status ps_store_metric_names(ps_store_t *s, int64_t child_id, char (**out)[64], size_t *n);
/** The latest text value (category or bool) of a metric for a child and its
 *  day; PS_ERR_NOT_FOUND when none. */
PS_API ps_status ps_store_latest_text(ps_store_t *s, int64_t child_id, const char *metric, char *buf,
                                      size_t cap, int32_t *day);

/** Sets (adds or replaces) a child's goal for g->metric. */
PS_API ps_status ps_store_goal_set(ps_store_t *s, int64_t child_id, const ps_goal *g);
/** PS_ERR_NOT_FOUND when the child has no goal for the metric. */
PS_API ps_status ps_store_goal_get(ps_store_t *s, int64_t child_id, const char *metric, ps_goal *out);
PS_API ps_status ps_store_goal_delete(ps_store_t *s, int64_t child_id, const char *metric);
/** A child's goals by metric; *out is freed with ps_free. */
PS_API ps_status ps_store_goal_list(ps_store_t *s, int64_t child_id, ps_goal **out, size_t *n);

/** Stores a file belonging to a session (an overlay PNG, say) in the database. */
PS_API ps_status ps_store_attach(ps_store_t *s, int64_t session_id, const char *name, const char *mime,
                                 const void *data, size_t len);
/** The newest attachment of a child's sessions of a kind: *data (freed with
 *  ps_free), its name and day. PS_ERR_NOT_FOUND when there is none. */
PS_API ps_status ps_store_attachment_latest(ps_store_t *s, int64_t child_id, const char *kind, void **data,
                                            size_t *len, char *name, size_t name_cap, int32_t *day);

/** One exported measurement row. */
typedef struct ps_export_row {
    const char *child, *date, *kind, *file, *sha256, *metric, *text, *unit, *note, *version;
    double value;            /* NAN = null */
    int64_t session_id;
} ps_export_row;
typedef int (*ps_export_fn)(const ps_export_row *row, void *userdata); /* nonzero stops */
/** Calls fn for every measurement (of one child, or all when child_id is 0),
 *  ordered by child, date, session and metric. */
PS_API ps_status ps_store_export(ps_store_t *s, int64_t child_id, ps_export_fn fn, void *userdata);

/** Everything progress and reports show for one metric of one child. */
typedef struct ps_metric_progress {
    char metric[64];
    const ps_metric_info *info;  /* NULL for a name not in the registry */
    ps_obs *obs;                 /* the numeric series from the baseline on (owned) */
    size_t n;
    ps_progress p;               /* meaningful when n > 0 */
    int has_goal;
    ps_goal goal;
    double goal_distance;        /* latest value's distance to the goal band, NAN */
    int gas_level;               /* PS_GAS_NONE without GAS levels */
    char first_text[64], latest_text[64]; /* category/bool metrics: first and latest value */
    int32_t first_text_day, latest_text_day;
} ps_metric_progress;

/** Progress of every metric recorded for a child (or only metric_filter when
 *  not NULL), in METRICS.md order, unknown names last. Days before
 *  baseline_day are left out (0 = from the first session). Free with
 *  ps_metric_progress_free. */
PS_API ps_status ps_store_child_progress(ps_store_t *s, int64_t child_id, const char *metric_filter,
                                         int32_t baseline_day, ps_metric_progress **out, size_t *n);
PS_API void ps_metric_progress_free(ps_metric_progress *m, size_t n);

/** SHA-256 of a file's bytes as 64 lowercase hex digits + NUL (streamed). */
PS_API ps_status ps_sha256_file(const char *path, char hex[65]);
/** SHA-256 of a buffer (raw 32 bytes). */
PS_API void ps_sha256(const void *data, size_t len, uint8_t digest[32]);


/* --------------------------------------------------------------- report */

/** What a progress report shows: the child, its metrics' progress (from
 *  ps_store_child_progress) and the latest overlays as PNG bytes. All
 *  borrowed; nothing is kept after the call. */
typedef struct ps_report_input {
    const ps_child *child;
    const ps_metric_progress *metrics;
    size_t n;
    int32_t today;                 /* the report's date, days since 1970-01-01 */
    const void *grip_png;          /* latest grip overlay (skeleton on the photo), or NULL */
    size_t grip_png_len;
    int32_t grip_day;
    const void *page_png;          /* latest worksheet overlay (flagged letters), or NULL */
    size_t page_png_len;
    int32_t page_day;
} ps_report_input;

/** One plain-language sentence about a metric's progress, e.g. "Grip
 *  distance moved from 4 mm to 14 mm, a reliable improvement." plus the goal
 *  and its GAS level when set. Always NUL-terminates buf. */
PS_API void ps_report_sentence(const ps_metric_progress *m, char *buf, size_t cap);

/** Writes a printable report: PDF (A4, cairo) or self-contained HTML (charts
 *  as inline SVG, overlays as PNG data URIs, no external resources). Per
 *  metric: a chart over time with the baseline, goal band and reliable-change
 *  marks, and a sentence. Norms are shown only where published (models/norms/);
 *  otherwise the child is compared with his or her own baseline. The file is
 *  created user-only (0600). */
PS_API ps_status ps_report_write_pdf(const ps_report_input *in, const char *path);
PS_API ps_status ps_report_write_html(const ps_report_input *in, const char *path);
/** Releases the font caches text drawing filled (cairo's and fontconfig's).
 *  Call once at exit, with no report being written on any thread; optional. */
PS_API void ps_report_cleanup(void);
/** Draws one metric's chart as a PNG of w x h pixels (for tests and apps). */
PS_API ps_status ps_report_chart_png(const ps_metric_progress *m, int w, int h, const char *path);

#ifdef __cplusplus
}
#endif
#endif /* PENSCOPE_H */
