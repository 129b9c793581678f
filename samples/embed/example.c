/* The smallest app that embeds penscope: decode a photo (EXIF applied) and
 * print its upright size. Build: cc example.c $(pkg-config --cflags --libs penscope) */
#include <penscope.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s PHOTO\n", argv[0]);
        return 2;
    }
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    ps_image img;
    ps_image_info info;
    if (ps_image_decode_file(argv[1], &dp, &img, &info) != PS_OK) {
        fprintf(stderr, "example: %s\n", ps_last_error());
        return 1;
    }
    printf("%s %dx%d (penscope %s)\n", info.format, img.width, img.height, ps_version());
    ps_image_release(&img);
    return 0;
}
