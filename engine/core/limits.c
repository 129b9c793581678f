/* Default resource limits for untrusted input. They are generous for real
 * use (a 100 MP photo, a 10-minute video) and small enough that a hostile file
 * cannot make penscope take gigabytes. */
#include "penscope.h"
#include <string.h>

void ps_limits_default(ps_limits *lim)
{
    memset(lim, 0, sizeof *lim);
    lim->max_pixels = 100ull * 1000 * 1000;        /* 100 MP: bigger than any phone photo */
    lim->max_file_bytes = 512ull * 1024 * 1024;    /* 512 MiB: a long phone video */
    lim->max_frames = 60ull * 60 * 10;             /* 10 min at 60 fps */
    lim->max_video_seconds = 600.0;
    lim->max_model_bytes = 64ull * 1024 * 1024;    /* the hand models are 2-6 MB */
    lim->max_ink_samples = 10ull * 1000 * 1000;    /* ~14 h at 200 Hz */
}
