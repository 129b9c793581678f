/* A bounded reader for the metadata of a JPEG: frame size (SOFn), JFIF density (APP0) and the
 * EXIF orientation and resolution (APP1, a small TIFF structure). Photos come
 * from anywhere, so every offset and count is checked against the bytes that
 * are really there before it is followed, in both TIFF byte orders. */
#include "io/io.h"
#include <string.h>

enum { TAG_ORIENTATION = 0x0112, TAG_XRES = 0x011A, TAG_YRES = 0x011B, TAG_RES_UNIT = 0x0128 };
enum { TIFF_SHORT = 3, TIFF_LONG = 4, TIFF_RATIONAL = 5 };

typedef struct tiff_reader {
    const uint8_t *p;
    size_t len;
    bool big_endian;
} tiff_reader;

/* Each getter returns false instead of reading past the end. */
static bool get16(const tiff_reader *r, uint64_t off, unsigned *v)
{
    if (off > r->len || r->len - off < 2)
        return false;
    const uint8_t *b = r->p + off;
    *v = r->big_endian ? (unsigned)(b[0] << 8 | b[1]) : (unsigned)(b[1] << 8 | b[0]);
    return true;
}

static bool get32(const tiff_reader *r, uint64_t off, uint32_t *v)
{
    if (off > r->len || r->len - off < 4)
        return false;
    const uint8_t *b = r->p + off;
    *v = r->big_endian ? ((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3])
                       : ((uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0]);
    return true;
}

/* A RATIONAL entry's value (8 bytes at the entry's offset); 0 when unusable. */
static double get_rational(const tiff_reader *r, uint64_t entry)
{
    unsigned type;
    uint32_t count, off, num, den;
    if (!get16(r, entry + 2, &type) || !get32(r, entry + 4, &count) || !get32(r, entry + 8, &off))
        return 0;
    if (type != TIFF_RATIONAL || count < 1 || !get32(r, off, &num) || !get32(r, (uint64_t)off + 4, &den) ||
        den == 0)
        return 0;
    return (double)num / den;
}

/* A SHORT (or LONG) entry's first value; -1 when unusable. */
static long get_short(const tiff_reader *r, uint64_t entry)
{
    unsigned type, v;
    uint32_t count, v32;
    if (!get16(r, entry + 2, &type) || !get32(r, entry + 4, &count) || count < 1)
        return -1;
    if (type == TIFF_SHORT && get16(r, entry + 8, &v))
        return (long)v;
    if (type == TIFF_LONG && get32(r, entry + 8, &v32))
        return (long)v32;
    return -1;
}

void ps_exif_read_tiff(const uint8_t *tiff, size_t len, ps_jpeg_meta *meta)
{
    if (len < 8)
        return;
    tiff_reader r = {tiff, len, false};
    if (tiff[0] == 'M' && tiff[1] == 'M')
        r.big_endian = true;
    else if (!(tiff[0] == 'I' && tiff[1] == 'I'))
        return;
    unsigned magic, count;
    uint32_t ifd0;
    if (!get16(&r, 2, &magic) || magic != 42 || !get32(&r, 4, &ifd0) || !get16(&r, ifd0, &count))
        return;
    /* Only IFD0 is read: orientation and resolution of the main image live there. */
    uint64_t room = (len - ((uint64_t)ifd0 + 2)) / 12;
    if (count > room)
        count = (unsigned)room;
    double xres = 0, yres = 0;
    long unit = 2; /* TIFF default: inches */
    for (unsigned i = 0; i < count; i++) {
        uint64_t e = (uint64_t)ifd0 + 2 + (uint64_t)i * 12;
        unsigned tag;
        if (!get16(&r, e, &tag))
            break;
        switch (tag) {
        case TAG_ORIENTATION: {
            long o = get_short(&r, e);
            if (o >= 1 && o <= 8)
                meta->orientation = (int)o;
            break;
        }
        case TAG_XRES: xres = get_rational(&r, e); break;
        case TAG_YRES: yres = get_rational(&r, e); break;
        case TAG_RES_UNIT: unit = get_short(&r, e); break;
        default: break;
        }
    }
    /* JFIF density wins when both are present (it is read first and kept). */
    double to_dpi = unit == 2 ? 1.0 : unit == 3 ? 2.54 : 0.0;
    if (meta->dpi_x <= 0 && to_dpi > 0 && xres > 0 && yres > 0 && xres < 1e6 && yres < 1e6) {
        meta->dpi_x = xres * to_dpi;
        meta->dpi_y = yres * to_dpi;
    }
}

static void read_jfif(const uint8_t *seg, size_t n, ps_jpeg_meta *meta)
{
    /* "JFIF\0", version (2), units (1), Xdensity (2), Ydensity (2) */
    if (n < 12 || memcmp(seg, "JFIF\0", 5) != 0)
        return;
    int units = seg[7];
    unsigned dx = (unsigned)(seg[8] << 8 | seg[9]), dy = (unsigned)(seg[10] << 8 | seg[11]);
    double to_dpi = units == 1 ? 1.0 : units == 2 ? 2.54 : 0.0; /* 0 = aspect ratio only */
    if (to_dpi > 0 && dx > 0 && dy > 0) {
        meta->dpi_x = dx * to_dpi;
        meta->dpi_y = dy * to_dpi;
    }
}

void ps_jpeg_meta_read(const uint8_t *buf, size_t len, ps_jpeg_meta *meta)
{
    memset(meta, 0, sizeof *meta);
    meta->orientation = 1;
    if (len < 4 || buf[0] != 0xFF || buf[1] != 0xD8)
        return;
    bool have_exif = false;
    size_t i = 2;
    while (i + 4 <= len) {
        if (buf[i] != 0xFF)
            return; /* not at a marker: damaged, leave it to the decoder */
        while (i < len && buf[i] == 0xFF) /* fill bytes */
            i++;
        if (i >= len)
            return;
        uint8_t m = buf[i++];
        if (m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7))
            continue; /* markers without a length */
        if (m == 0xDA) { /* start of scan: metadata is over */
            meta->have_sos = meta->sof_width > 0;
            return;
        }
        if (m == 0xD9)
            return;
        if (len - i < 2)
            return;
        size_t seglen = (size_t)(buf[i] << 8 | buf[i + 1]);
        if (seglen < 2 || seglen > len - i)
            return;
        const uint8_t *seg = buf + i + 2;
        size_t n = seglen - 2;
        bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof && meta->sof_width == 0 && n >= 5) {
            meta->sof_marker = m;
            meta->sof_precision = seg[0];
            meta->sof_height = seg[1] << 8 | seg[2];
            meta->sof_width = seg[3] << 8 | seg[4];
        } else if (m == 0xE0)
            read_jfif(seg, n, meta);
        else if (m == 0xE1 && !have_exif && n >= 6 && memcmp(seg, "Exif\0\0", 6) == 0) {
            have_exif = true; /* the first EXIF block describes the main image */
            ps_exif_read_tiff(seg + 6, n - 6, meta);
        }
        i += seglen;
    }
}
