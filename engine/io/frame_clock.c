/* Frame timestamps for video files and cameras. Backends disagree: FFmpeg
 * reports each frame's presentation time, some camera backends report 0 or
 * nothing, a damaged file can jump back. penscope's rule: the backend's time
 * when it moves forward, else frame index over frame rate, else (a camera
 * with neither) the wall clock since opening; and never a time at or before
 * the previous frame's, since the grip and ink analysers divide by time steps. */
#include "io/io.h"
#include <math.h>

void ps_frame_clock_init(ps_frame_clock *c, double fps, double now_s)
{
    c->fps = fps > 0 && isfinite(fps) ? fps : 0;
    c->frames = 0;
    c->last_t = -INFINITY;
    c->start = now_s;
}

double ps_frame_clock_stamp(ps_frame_clock *c, double pos_msec, double now_s)
{
    double t;
    bool first = c->frames == 0;
    if (isfinite(pos_msec) && pos_msec >= 0 && (first || pos_msec / 1000.0 > c->last_t))
        t = pos_msec / 1000.0;
    else if (c->fps > 0)
        t = (double)c->frames / c->fps;
    else
        t = now_s - c->start;
    if (!first && !(t > c->last_t))
        t = c->last_t + (c->fps > 0 ? 1.0 / c->fps : 1e-3);
    c->frames++;
    c->last_t = t;
    return t;
}
