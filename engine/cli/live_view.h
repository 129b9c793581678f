/* `penscope grip --show`: the grip overlay (engine/grip/overlay.c) of each
 * frame shown live in a window. The window comes from the display module
 * (penscope-display.so, OpenCV highgui), loaded only here, so that no other
 * penscope process loads a GUI toolkit, and in a process of its own
 * (display_wire.h), so that a display that goes away mid-session ends only
 * the window, never grip. Without a display, without the
 * module, or when the window cannot be opened, one warning line is printed
 * and the analysis runs on: the window never changes results or exit codes. */
#ifndef PS_CLI_LIVE_VIEW_H
#define PS_CLI_LIVE_VIEW_H
#include "cli/cli.h"

typedef struct live_view live_view;

/* Whether grip shows a window: --show / --no-show; by default only for a
 * camera, and only when $DISPLAY or $WAYLAND_DISPLAY is set. */
bool live_view_wanted(const cli_opts *o);

/* A view titled title; the window opens with the first frame. NULL (after
 * the warning) when no window can be had. */
live_view *live_view_new(const char *title);

enum { LIVE_SHOWN = 0, LIVE_STOP = 1, LIVE_FAILED = 2 };
/* Shows frame with the overlay of landmarks lm and grip result r (either may
 * be NULL: the frame alone). paced: a recording, shown at its own speed (t is
 * the frame's time in s) when the analysis is faster than that. Returns
 * LIVE_STOP when the user pressed q or Esc or closed the window, LIVE_FAILED
 * after a warning; in both cases the view is done and should be freed. */
int live_view_show(live_view *lv, const ps_image *frame, double t, const float (*lm)[3], const ps_grip_result *r,
                   bool paced);
void live_view_free(live_view *lv);

#endif
