/* Input kind detection: magic bytes first (a photo renamed .mp4 is still a
 * photo), then the extension for containers and text formats. */
#include "penscope.h"
#include "core/file.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool ext_in(const char *ext, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(ext, *list))
            return true;
    return false;
}

ps_input_kind ps_input_kind_of(const char *path)
{
    unsigned char head[16] = {0};
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    if (n >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        return PS_INPUT_IMAGE;
    if (n >= 8 && !memcmp(head, "\x89PNG\r\n\x1a\n", 8))
        return PS_INPUT_IMAGE;
    char ext[16];
    ps_path_ext(path, ext, sizeof ext);
    static const char *const video[] = {"mp4", "mov", "avi", "mkv", "webm", "m4v", "mjpeg", "mpg", NULL};
    static const char *const ink[] = {"svc", "inkml", "csv", NULL};
    static const char *const image[] = {"jpg", "jpeg", "png", NULL};
    if (ext_in(ext, video))
        return PS_INPUT_VIDEO;
    if (ext_in(ext, ink))
        return PS_INPUT_INK;
    if (ext_in(ext, image))
        return PS_INPUT_IMAGE; /* claims to be an image: the decoder will say why it is not */
    return PS_INPUT_UNKNOWN;
}
