/* libFuzzer target for image decoding (JPEG, PNG, EXIF): the entry point
 * every photo, scan and overlay from outside goes through. Output capped at
 * 1 MP; the input decodes with the default settings and again scaled, gray
 * and lenient, so the EXIF, scaling and fail_on paths all see hostile bytes.
 * Every output byte is read so MSan would see uninitialised pixels. */
#include "penscope.h"
#include <stdint.h>
#include <stddef.h>

static volatile unsigned g_sink;

static void touch(const ps_image *img)
{
    unsigned s = 0;
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width * img->channels; x++)
            s += img->data[(size_t)y * img->stride + x];
    g_sink += s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_image_info info;
    ps_image_probe_memory(data, size, &info);

    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.limits.max_pixels = 1000 * 1000;
    ps_image img;
    if (ps_image_decode_memory(data, size, &dp, &img, &info) == PS_OK) {
        touch(&img);
        ps_image_release(&img);
    }
    dp.scale_denom = 4;
    dp.channels = 1;
    dp.fast = 1;
    dp.fail_on = PS_FAIL_ON_ERROR;
    if (ps_image_decode_memory(data, size, &dp, &img, NULL) == PS_OK) {
        touch(&img);
        ps_image_release(&img);
    }
    return 0;
}
