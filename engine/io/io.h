/* Private interface between the files of the io stage: the JPEG marker and
 * EXIF reader, the orientation pass, the JPEG and PNG decoders that
 * decode.c dispatches to, and an image allocation that skips zeroing (the
 * decoders overwrite every byte). */
#ifndef PS_IO_IO_H
#define PS_IO_IO_H
#include "penscope.h"
#include <stdbool.h>

/* No image side over this, whatever the pixel limit: JPEG cannot store more,
 * and a 100 MP limit must not admit a 1,000,000 x 100 strip. */
#define PS_IO_MAX_SIDE 65535

/* Metadata found in a JPEG's marker segments before the first scan. */
typedef struct ps_jpeg_meta {
    int orientation;        /* EXIF orientation 1..8, 1 when absent or invalid */
    double dpi_x, dpi_y;    /* JFIF density, else EXIF resolution; 0 when absent */
    int sof_width, sof_height; /* from the first frame header (SOFn), 0 when none */
    int sof_marker, sof_precision; /* which SOFn (0xC0..0xCF) and its sample bits */
    bool have_sos;          /* a start-of-scan marker follows the frame header */
} ps_jpeg_meta;

/* Walks the JPEG markers from SOI to SOS within buf[0, len) and reads the
 * frame size (SOFn), the JFIF density (APP0) and the EXIF orientation and
 * resolution (APP1). The decoder only runs when a frame header and a scan
 * were found, which keeps header-less data away from it. Never
 * reads outside the buffer; damaged metadata is ignored (the pixel decoder
 * reports damage), so this never fails. */
void ps_jpeg_meta_read(const uint8_t *buf, size_t len, ps_jpeg_meta *meta);

/* Reads orientation and resolution from a TIFF structure (the body of an
 * EXIF APP1 segment after "Exif\0\0"); both byte orders; hostile offsets and
 * counts are bounded by len. Fields not found are left untouched. */
void ps_exif_read_tiff(const uint8_t *tiff, size_t len, ps_jpeg_meta *meta);

/* Width and height after applying EXIF orientation o to a w x h image. */
void ps_orient_size(int o, int w, int h, int *ow, int *oh);

/* Writes src (w x h, ch channels, row stride sstride) transformed by EXIF
 * orientation o (1..8) into dst, which must already be sized by
 * ps_orient_size and have the same channels. One pass over the pixels.
 * With ch == 3 the byte after src's last pixel must be readable (its value
 * is never used): allocate PS_ORIENT_SLACK extra bytes. */
#define PS_ORIENT_SLACK 4
void ps_orient_apply(const uint8_t *src, int w, int h, size_t sstride, int ch, int o, ps_image *dst);

/* ps_aligned_alloc for pixel buffers: big ones get transparent huge pages
 * (fewer page faults). Free with ps_aligned_free. */
void *ps_io_pixels_alloc(size_t n);
/* Like ps_image_alloc without zeroing the pixels (and with huge pages). */
ps_status ps_image_alloc_uninit(ps_image *img, int width, int height, int channels);

/* Timestamps of successive video frames (frame_clock.c). */
typedef struct ps_frame_clock {
    double fps;       /* 0 when unknown */
    int64_t frames;   /* frames stamped so far */
    double last_t;    /* the previous frame's time, s */
    double start;     /* clock reading at open, s */
} ps_frame_clock;
void ps_frame_clock_init(ps_frame_clock *c, double fps, double now_s);
/* The time of the next frame in seconds, given the backend's position in
 * ms (NaN when it has none) and the current clock reading. Strictly
 * increasing from one call to the next. */
double ps_frame_clock_stamp(ps_frame_clock *c, double pos_msec, double now_s);

/* Format decoders. Messages do not name the file: decode.c adds the name. */
ps_status ps_jpeg_probe(const uint8_t *buf, size_t len, ps_image_info *info);
ps_status ps_jpeg_decode(const uint8_t *buf, size_t len, const ps_decode_params *p, ps_image *out,
                         ps_image_info *info);
ps_status ps_png_probe(const uint8_t *buf, size_t len, ps_image_info *info);
ps_status ps_png_decode(const uint8_t *buf, size_t len, const ps_decode_params *p, ps_image *out,
                        ps_image_info *info);

static inline bool ps_is_jpeg(const uint8_t *b, size_t n)
{
    return n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;
}
static inline bool ps_is_png(const uint8_t *b, size_t n)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (n < 8)
        return false;
    for (int i = 0; i < 8; i++)
        if (b[i] != sig[i])
            return false;
    return true;
}

#endif
