/* libFuzzer target for video input: the bytes become a file (an anonymous
 * memory file, so nothing touches the disk) that is opened and read to the
 * end through ps_video_*, i.e. through the OpenCV shim and FFmpeg's
 * demuxers and decoders (the video module, penscope-video.so: a target
 * that cannot load it aborts). Limits: 1 MP frames, 30 frames, 10 s. Every frame
 * byte is read so MSan would see uninitialised pixels. */
#include "fuzz_memfile.h"
#include "penscope.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned g_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile("fuzz_video", data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    ps_limits lim;
    ps_limits_default(&lim);
    lim.max_pixels = 1000 * 1000;
    lim.max_frames = 30;
    lim.max_video_seconds = 10;
    ps_video_t *v = NULL;
    ps_status rc = ps_video_open_file(path, &lim, &v);
    /* without the video module nothing past the file checks would be
       fuzzed: a broken setup, said loudly instead of fuzzing nothing */
    if (rc == PS_ERR_NOT_FOUND && strstr(ps_last_error(), "module")) {
        fprintf(stderr, "fuzz_video: %s\n", ps_last_error());
        abort();
    }
    if (rc == PS_OK) {
        ps_video_info info;
        ps_video_get_info(v, &info);
        ps_image frame = {0};
        double t;
        while (ps_video_read(v, &frame, &t) == PS_OK) {
            unsigned s = 0;
            for (int y = 0; y < frame.height; y++)
                for (int x = 0; x < frame.width * 3; x++)
                    s += frame.data[(size_t)y * frame.stride + x];
            g_sink += s;
        }
        ps_image_release(&frame);
        ps_video_free(v);
    }
    close(fd);
    return 0;
}
