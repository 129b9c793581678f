/* The public image decoding entry points: parameter defaults and checks,
 * dispatch on magic bytes (never on the file name), reading files within the
 * byte limit, and error messages that name the file. */
#include "io/io.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <stdio.h>
#include <string.h>

void ps_decode_params_default(ps_decode_params *p)
{
    memset(p, 0, sizeof *p);
    p->scale_denom = 1;
    p->apply_exif = 1;
    p->channels = 3;
    p->fast = 0;
    p->fail_on = PS_FAIL_ON_TRUNCATED;
    ps_limits_default(&p->limits);
}

static ps_status check_params(const ps_decode_params *p)
{
    if (p->scale_denom != 1 && p->scale_denom != 2 && p->scale_denom != 4 && p->scale_denom != 8)
        return ps_fail(PS_ERR_INVALID_ARG, "scale_denom must be 1, 2, 4 or 8, not %d", p->scale_denom);
    if (p->channels != 1 && p->channels != 3)
        return ps_fail(PS_ERR_INVALID_ARG, "channels must be 1 or 3, not %d", p->channels);
    if (p->max_side < 0)
        return ps_fail(PS_ERR_INVALID_ARG, "max_side must be >= 0, not %d", p->max_side);
    if (p->fail_on < PS_FAIL_ON_TRUNCATED || p->fail_on > PS_FAIL_ON_ERROR)
        return ps_fail(PS_ERR_INVALID_ARG, "unknown fail_on policy %d", (int)p->fail_on);
    return PS_OK;
}

/* Names formats we recognise but do not read, so the user knows what to do. */
static ps_status not_an_image(const uint8_t *b, size_t n)
{
    if (n >= 12 && !memcmp(b + 4, "ftyp", 4) &&
        (!memcmp(b + 8, "heic", 4) || !memcmp(b + 8, "heix", 4) || !memcmp(b + 8, "mif1", 4) ||
         !memcmp(b + 8, "avif", 4)))
        return ps_fail(PS_ERR_UNSUPPORTED, "a HEIF/HEIC/AVIF image: penscope reads JPEG and PNG, "
                                           "export the photo as JPEG");
    if (n >= 6 && (!memcmp(b, "GIF87a", 6) || !memcmp(b, "GIF89a", 6)))
        return ps_fail(PS_ERR_UNSUPPORTED, "a GIF image: penscope reads JPEG and PNG");
    if (n >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4))
        return ps_fail(PS_ERR_UNSUPPORTED, "a WebP image: penscope reads JPEG and PNG");
    if (n >= 4 && (!memcmp(b, "II*\0", 4) || !memcmp(b, "MM\0*", 4)))
        return ps_fail(PS_ERR_UNSUPPORTED, "a TIFF image: penscope reads JPEG and PNG");
    if (n >= 2 && b[0] == 'B' && b[1] == 'M')
        return ps_fail(PS_ERR_UNSUPPORTED, "a BMP image: penscope reads JPEG and PNG");
    if (n == 0)
        return ps_fail(PS_ERR_CORRUPT, "empty input");
    return ps_fail(PS_ERR_CORRUPT, "not a JPEG or PNG image (unknown first bytes)");
}

ps_status ps_image_probe_memory(const void *buf, size_t len, ps_image_info *info)
{
    if (!info || (!buf && len))
        return ps_fail(PS_ERR_INVALID_ARG, "ps_image_probe_memory: NULL argument");
    memset(info, 0, sizeof *info);
    const uint8_t *b = buf;
    if (ps_is_jpeg(b, len))
        return ps_jpeg_probe(b, len, info);
    if (ps_is_png(b, len))
        return ps_png_probe(b, len, info);
    return not_an_image(b, len);
}

ps_status ps_image_decode_memory(const void *buf, size_t len, const ps_decode_params *p, ps_image *out,
                                 ps_image_info *info)
{
    if (!out)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_image_decode_memory: NULL output image");
    memset(out, 0, sizeof *out);
    if (info)
        memset(info, 0, sizeof *info);
    if (!buf && len)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_image_decode_memory: NULL buffer");
    ps_decode_params defaults;
    if (!p) {
        ps_decode_params_default(&defaults);
        p = &defaults;
    }
    ps_status rc = check_params(p);
    if (rc != PS_OK)
        return rc;
    if (p->limits.max_file_bytes && len > p->limits.max_file_bytes)
        return ps_fail(PS_ERR_LIMIT, "input is %zu bytes, over the limit of %llu", len,
                       (unsigned long long)p->limits.max_file_bytes);
    const uint8_t *b = buf;
    if (ps_is_jpeg(b, len))
        return ps_jpeg_decode(b, len, p, out, info);
    if (ps_is_png(b, len))
        return ps_png_decode(b, len, p, out, info);
    return not_an_image(b, len);
}

ps_status ps_image_decode_file(const char *path, const ps_decode_params *p, ps_image *out,
                               ps_image_info *info)
{
    if (!out || !path)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_image_decode_file: NULL argument");
    memset(out, 0, sizeof *out);
    if (info)
        memset(info, 0, sizeof *info);
    ps_decode_params defaults;
    if (!p) {
        ps_decode_params_default(&defaults);
        p = &defaults;
    }
    unsigned char *data;
    size_t len;
    ps_status rc = ps_file_read_all(path, p->limits.max_file_bytes, &data, &len);
    if (rc != PS_OK)
        return rc; /* ps_file_read_all names the file */
    rc = ps_image_decode_memory(data, len, p, out, info);
    ps_free(data);
    if (rc != PS_OK) {
        char ctx[4200];
        snprintf(ctx, sizeof ctx, "'%s'", path);
        ps_error_prefix(ctx);
    }
    return rc;
}
