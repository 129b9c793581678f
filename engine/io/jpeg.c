/* JPEG decode through TurboJPEG (libjpeg-turbo 2.1 API: tjDecompress2 and
 * friends). Size and scale come from the header before anything is
 * allocated; a scaled decode (1/2, 1/4, 1/8) happens inside the IDCT, which
 * is what makes big phone photos cheap when the analysis needs fewer pixels.
 * A TurboJPEG handle holds decoder state, so each call makes its own. */
#include "io/io.h"
#include "core/alloc.h"
#include "core/log.h"
#include "core/status.h"
#include <stdio.h>
#include <string.h>
#include <turbojpeg.h>

typedef struct jpeg_header {
    int width, height, subsamp, colorspace;
} jpeg_header;

/* Our own marker walk must have found a frame header and a scan: TurboJPEG
 * 2.1 "succeeds" on some header-less data (tables only) with a size it never
 * set. */
static ps_status check_structure(const ps_jpeg_meta *m)
{
    if (m->sof_width <= 0 || m->sof_height <= 0)
        return ps_fail(PS_ERR_CORRUPT, "corrupt JPEG: no frame header (truncated or not a JPEG image)");
    /* SOF3/7/11/15 are lossless; libjpeg-turbo 2.1 decodes 8-bit DCT JPEGs only */
    if ((m->sof_marker & 3) == 3)
        return ps_fail(PS_ERR_UNSUPPORTED, "lossless JPEG: penscope reads ordinary (DCT) JPEG photos");
    if (m->sof_precision != 8)
        return ps_fail(PS_ERR_UNSUPPORTED, "%d-bit JPEG: penscope reads 8-bit JPEG photos", m->sof_precision);
    if (!m->have_sos)
        return ps_fail(PS_ERR_CORRUPT, "corrupt JPEG: no image data after the header (truncated?)");
    return PS_OK;
}

static ps_status read_header(tjhandle tj, const uint8_t *buf, size_t len, const ps_jpeg_meta *m, jpeg_header *h)
{
    if (tjDecompressHeader3(tj, buf, (unsigned long)len, &h->width, &h->height, &h->subsamp, &h->colorspace) != 0)
        return ps_fail(PS_ERR_CORRUPT, "corrupt JPEG header: %s", tjGetErrorStr2(tj));
    if (h->width != m->sof_width || h->height != m->sof_height)
        return ps_fail(PS_ERR_CORRUPT, "corrupt JPEG header: size %dx%d, frame header says %dx%d", h->width,
                       h->height, m->sof_width, m->sof_height);
    return PS_OK;
}

static int stored_channels(const jpeg_header *h)
{
    if (h->colorspace == TJCS_GRAY)
        return 1;
    if (h->colorspace == TJCS_CMYK || h->colorspace == TJCS_YCCK)
        return 4;
    return 3;
}

static void fill_info(const jpeg_header *h, const ps_jpeg_meta *m, int denom, ps_image_info *info)
{
    memset(info, 0, sizeof *info);
    snprintf(info->format, sizeof info->format, "jpeg");
    info->width = h->width;
    info->height = h->height;
    info->orientation = m->orientation;
    info->channels = stored_channels(h);
    info->dpi_x = m->dpi_x;
    info->dpi_y = m->dpi_y;
    info->scale_denom = denom;
}

ps_status ps_jpeg_probe(const uint8_t *buf, size_t len, ps_image_info *info)
{
    ps_jpeg_meta m;
    ps_jpeg_meta_read(buf, len, &m);
    ps_status rc = check_structure(&m);
    if (rc != PS_OK)
        return rc;
    tjhandle tj = tjInitDecompress();
    if (!tj)
        return ps_fail(PS_ERR_NOMEM, "cannot start the JPEG decoder");
    jpeg_header h;
    rc = read_header(tj, buf, len, &m, &h);
    tjDestroy(tj);
    if (rc != PS_OK)
        return rc;
    fill_info(&h, &m, 1, info);
    return PS_OK;
}

static int scaled(int dim, int denom)
{
    return (int)(((long)dim + denom - 1) / denom); /* TJSCALED for 1/denom */
}

/* The scale for p: max_side picks the strongest reduction that keeps the
 * longer side at least max_side; otherwise scale_denom as given. */
static int choose_denom(const ps_decode_params *p, int w, int h)
{
    if (p->max_side > 0) {
        for (int d = 8; d > 1; d /= 2) {
            int sw = scaled(w, d), sh = scaled(h, d);
            if ((sw > sh ? sw : sh) >= p->max_side)
                return d;
        }
        return 1;
    }
    return p->scale_denom;
}

/* TurboJPEG reports a warning with the same -1 as an error; whether it
 * fails the decode is the caller's fail_on policy. */
static bool warning_is_fatal(tjhandle tj, ps_fail_on fail_on)
{
    if (tjGetErrorCode(tj) == TJERR_FATAL)
        return true;
    if (fail_on == PS_FAIL_ON_WARNING)
        return true;
    if (fail_on == PS_FAIL_ON_ERROR)
        return false;
    /* libjpeg's JWRN_JPEG_EOF: the data ended before the image did */
    return strstr(tjGetErrorStr2(tj), "Premature end") != NULL;
}

ps_status ps_jpeg_decode(const uint8_t *buf, size_t len, const ps_decode_params *p, ps_image *out,
                         ps_image_info *info)
{
    memset(out, 0, sizeof *out);
    tjhandle tj = tjInitDecompress();
    if (!tj)
        return ps_fail(PS_ERR_NOMEM, "cannot start the JPEG decoder");
    uint8_t *tmp = NULL;
    jpeg_header h;
    ps_jpeg_meta m;
    ps_jpeg_meta_read(buf, len, &m);
    ps_status rc = check_structure(&m);
    if (rc == PS_OK)
        rc = read_header(tj, buf, len, &m, &h);
    if (rc != PS_OK)
        goto done;
    /* Checked on the stored size: progressive decoding keeps coefficients of
     * the whole image whatever the output scale. */
    uint64_t pixels = (uint64_t)h.width * (uint64_t)h.height;
    if (p->limits.max_pixels && pixels > p->limits.max_pixels) {
        rc = ps_fail(PS_ERR_LIMIT, "JPEG is %dx%d (%llu pixels), over the limit of %llu pixels", h.width,
                     h.height, (unsigned long long)pixels, (unsigned long long)p->limits.max_pixels);
        goto done;
    }
    if (h.colorspace == TJCS_CMYK || h.colorspace == TJCS_YCCK) {
        rc = ps_fail(PS_ERR_UNSUPPORTED, "CMYK JPEG (print separation): save it as an RGB JPEG or PNG");
        goto done;
    }
    int denom = choose_denom(p, h.width, h.height);
    int sw = scaled(h.width, denom), sh = scaled(h.height, denom);
    int orient = p->apply_exif ? m.orientation : 1;
    int ch = p->channels;
    int flags = TJFLAG_LIMITSCANS | (p->fast ? TJFLAG_FASTDCT | TJFLAG_FASTUPSAMPLE : TJFLAG_ACCURATEDCT);
    int pf = ch == 1 ? TJPF_GRAY : TJPF_RGB;
    size_t tstride = 0;
    uint8_t *dst;
    int dpitch;
    if (orient == 1) { /* upright: decode straight into the result */
        rc = ps_image_alloc_uninit(out, sw, sh, ch);
        if (rc != PS_OK)
            goto done;
        dst = out->data;
        dpitch = (int)out->stride;
    } else {
        size_t total;
        tstride = (size_t)sw * ch;
        if (!ps_size_mad_ok(tstride, (size_t)sh, PS_ORIENT_SLACK, &total)) {
            rc = ps_fail(PS_ERR_LIMIT, "JPEG too large");
            goto done;
        }
        tmp = ps_io_pixels_alloc(total);
        if (!tmp) {
            rc = ps_fail(PS_ERR_NOMEM, "cannot allocate a %dx%d image", sw, sh);
            goto done;
        }
        dst = tmp;
        dpitch = (int)tstride;
    }
    if (tjDecompress2(tj, buf, (unsigned long)len, dst, sw, dpitch, sh, pf, flags) != 0) {
        if (warning_is_fatal(tj, p->fail_on)) {
            rc = ps_fail(PS_ERR_CORRUPT, "corrupt JPEG: %s", tjGetErrorStr2(tj));
            goto done;
        }
        ps_log_warn("JPEG decoded with a warning: %s", tjGetErrorStr2(tj));
    }
    if (orient != 1) {
        int ow, oh;
        ps_orient_size(orient, sw, sh, &ow, &oh);
        rc = ps_image_alloc_uninit(out, ow, oh, ch);
        if (rc != PS_OK)
            goto done;
        ps_orient_apply(tmp, sw, sh, tstride, ch, orient, out);
    }
    if (info)
        fill_info(&h, &m, denom, info);
done:
    if (rc != PS_OK)
        ps_image_release(out);
    ps_aligned_free(tmp);
    tjDestroy(tj);
    return rc;
}
