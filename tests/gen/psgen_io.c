/* psgen outputs: the truth as JSON, PNG with pHYs and JPEG with a JFIF
 * density (so tests can check that penscope takes the file's DPI), and the
 * resampling helpers behind the invariant tests (scale by k, shear). */
#include "psgen.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/json.h"
#include "core/status.h"
#include <math.h>
#include <png.h>
#include <string.h>
#include <turbojpeg.h>

ps_status psgen_truth_write_json(const psgen_truth *t, const char *path)
{
    static const char *ruling_names[] = {"none", "single", "primary", "seyes"};
    ps_buf b;
    ps_buf_init(&b);
    ps_json j;
    ps_json_init(&j, &b);
    ps_json_obj_begin(&j);
    ps_json_key(&j, "metrics");
    ps_json_obj_begin(&j);
    ps_json_kint(&j, "lines", t->lines);
    ps_json_kint(&j, "words", t->words);
    ps_json_kint(&j, "letters", t->letters);
    ps_json_kstr(&j, "ruling", ruling_names[t->ruling & 3]);
    ps_json_knum(&j, "x_height_mm", t->x_height_mm);
    ps_json_knum(&j, "x_height_cv", t->x_height_cv);
    ps_json_knum(&j, "ascender_ratio", t->ascender_ratio);
    ps_json_knum(&j, "baseline_dev_mm", t->baseline_dev_mm);
    ps_json_knum(&j, "on_line_pct", t->on_line_pct);
    ps_json_knum(&j, "letter_gap_mm", t->letter_gap_mm);
    ps_json_knum(&j, "letter_gap_cv", t->letter_gap_cv);
    ps_json_knum(&j, "word_gap_mm", t->word_gap_mm);
    ps_json_knum(&j, "word_gap_cv", t->word_gap_cv);
    ps_json_knum(&j, "word_gap_ratio", t->word_gap_ratio);
    ps_json_knum(&j, "slant_deg", t->slant_deg);
    ps_json_knum(&j, "slant_sd_deg", t->slant_sd_deg);
    ps_json_knum(&j, "line_angle_sd_deg", t->line_angle_sd_deg);
    ps_json_knum(&j, "margin_drift_mm", t->margin_drift_mm);
    ps_json_kint(&j, "reversals", t->reversals);
    ps_json_kint(&j, "closure_cuts", t->closure_cuts);
    ps_json_kint(&j, "collisions", t->collisions);
    ps_json_kint(&j, "touching", t->touching);
    ps_json_obj_end(&j);
    ps_json_knum(&j, "dpi", t->dpi);
    ps_json_knum(&j, "ruling_pitch_mm", t->ruling_pitch_mm);
    ps_json_key(&j, "lines");
    ps_json_arr_begin(&j);
    for (int i = 0; i < t->lines; i++) {
        const psgen_line *l = &t->line[i];
        ps_json_obj_begin(&j);
        ps_json_knum(&j, "base_y_px", l->base_y_px);
        ps_json_knum(&j, "angle_deg", l->angle_deg);
        ps_json_kint(&j, "letters", l->nletters);
        int touching = 0;
        for (int k = 0; k < t->letters; k++)
            touching += t->letter[k].line == i && t->letter[k].touch_prev;
        ps_json_kint(&j, "touching", touching);
        ps_json_knum(&j, "x_height_mm", l->x_height_mm);
        ps_json_knum(&j, "baseline_dev_mm", l->baseline_dev_mm);
        ps_json_knum(&j, "slant_deg", l->slant_deg);
        ps_json_obj_end(&j);
    }
    ps_json_arr_end(&j);
    ps_json_obj_end(&j);
    ps_buf_putc(&b, '\n');
    ps_status rc = PS_OK;
    FILE *f = ps_file_create_private(path, "wb");
    if (!f || b.failed || fwrite(b.data, 1, b.len, f) != b.len)
        rc = ps_fail(PS_ERR_IO, "psgen: cannot write '%s'", path);
    if (f && fclose(f) != 0)
        rc = ps_fail(PS_ERR_IO, "psgen: cannot write '%s'", path);
    ps_buf_release(&b);
    return rc;
}

ps_status psgen_write_png(const char *path, const ps_image *img, double dpi)
{
    FILE *f = ps_file_create_private(path, "wb");
    if (!f)
        return ps_fail(PS_ERR_IO, "psgen: cannot create '%s'", path);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        return ps_fail(PS_ERR_IO, "psgen: cannot write '%s'", path);
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, img->width, img->height, 8, img->channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (dpi > 0) {
        png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
        png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    png_set_compression_level(png, 1);
    png_write_info(png, info);
    for (int y = 0; y < img->height; y++)
        png_write_row(png, img->data + (size_t)y * img->stride);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return fclose(f) == 0 ? PS_OK : ps_fail(PS_ERR_IO, "psgen: cannot write '%s'", path);
}

ps_status psgen_write_jpeg(const char *path, const ps_image *img, int quality, double dpi)
{
    tjhandle tj = tjInitCompress();
    if (!tj)
        return ps_fail(PS_ERR_NOMEM, "psgen: turbojpeg init failed");
    unsigned char *jpg = NULL;
    unsigned long len = 0;
    int pf = img->channels == 3 ? TJPF_RGB : TJPF_GRAY;
    int sub = img->channels == 3 ? TJSAMP_420 : TJSAMP_GRAY;
    if (tjCompress2(tj, img->data, img->width, (int)img->stride, img->height, pf, &jpg, &len, sub, quality,
                    TJFLAG_FASTDCT) != 0) {
        tjDestroy(tj);
        return ps_fail(PS_ERR_INTERNAL, "psgen: jpeg compression failed");
    }
    tjDestroy(tj);
    /* JFIF APP0: FF D8 FF E0 len(2) "JFIF\0" ver(2) units(1) Xd(2) Yd(2) */
    if (dpi > 0 && len > 20 && jpg[2] == 0xFF && jpg[3] == 0xE0 && !memcmp(jpg + 6, "JFIF", 5)) {
        int d = (int)lround(dpi);
        jpg[13] = 1;
        jpg[14] = (unsigned char)(d >> 8);
        jpg[15] = (unsigned char)d;
        jpg[16] = (unsigned char)(d >> 8);
        jpg[17] = (unsigned char)d;
    }
    ps_status rc = PS_OK;
    FILE *f = ps_file_create_private(path, "wb");
    if (!f || fwrite(jpg, 1, len, f) != len)
        rc = ps_fail(PS_ERR_IO, "psgen: cannot write '%s'", path);
    if (f && fclose(f) != 0)
        rc = ps_fail(PS_ERR_IO, "psgen: cannot write '%s'", path);
    tjFree(jpg);
    return rc;
}

/* bilinear sample with white outside */
static inline float sample(const ps_image *in, int c, float x, float y)
{
    int x0 = (int)floorf(x), y0 = (int)floorf(y);
    float fx = x - x0, fy = y - y0, v = 0;
    for (int dy = 0; dy < 2; dy++)
        for (int dx = 0; dx < 2; dx++) {
            int xx = x0 + dx, yy = y0 + dy;
            float w = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
            float p = 255;
            if (xx >= 0 && yy >= 0 && xx < in->width && yy < in->height)
                p = in->data[(size_t)yy * in->stride + (size_t)xx * in->channels + c];
            v += w * p;
        }
    return v;
}

ps_status psgen_scale(const ps_image *in, double k, ps_image *out)
{
    int W = (int)lround(in->width * k), H = (int)lround(in->height * k);
    ps_status rc = ps_image_alloc(out, W < 1 ? 1 : W, H < 1 ? 1 : H, in->channels);
    if (rc != PS_OK)
        return rc;
    /* area average when shrinking (box of 1/k source pixels), bilinear when growing */
    float r = k < 1 ? (float)(0.5 / k) : 0.5f;
    for (int y = 0; y < out->height; y++)
        for (int x = 0; x < out->width; x++)
            for (int c = 0; c < in->channels; c++) {
                float sx = (float)((x + 0.5) / k - 0.5), sy = (float)((y + 0.5) / k - 0.5);
                float v;
                if (k >= 1) {
                    v = sample(in, c, sx, sy);
                } else {
                    int n = 0;
                    float acc = 0;
                    for (float yy = sy - r + 0.5f; yy <= sy + r - 0.5f + 1e-3f; yy += 1)
                        for (float xx = sx - r + 0.5f; xx <= sx + r - 0.5f + 1e-3f; xx += 1) {
                            acc += sample(in, c, xx, yy);
                            n++;
                        }
                    v = n ? acc / n : sample(in, c, sx, sy);
                }
                out->data[(size_t)y * out->stride + (size_t)x * in->channels + c] = (uint8_t)(v + 0.5f);
            }
    return PS_OK;
}

ps_status psgen_shear(const ps_image *in, double angle_deg, ps_image *out)
{
    double t = tan(angle_deg * M_PI / 180);
    int extra = (int)ceil(fabs(t) * in->height);
    ps_status rc = ps_image_alloc(out, in->width + extra, in->height, in->channels);
    if (rc != PS_OK)
        return rc;
    /* x' = x + (H - y) t (+ offset so that nothing leaves the canvas): rows
     * higher on the page move right, so a positive angle leans letters right */
    double off = t < 0 ? extra : 0;
    for (int y = 0; y < out->height; y++)
        for (int x = 0; x < out->width; x++) {
            double sx = x - off - (in->height - 1 - y) * t;
            for (int c = 0; c < in->channels; c++)
                out->data[(size_t)y * out->stride + (size_t)x * in->channels + c] =
                    (uint8_t)(sample(in, c, (float)sx, (float)y) + 0.5f);
        }
    return PS_OK;
}
