/* The messages between `penscope grip --show` (live_view.c) and its display
 * process (`penscope __display`, display_server.c) over a socket pair.
 *
 * Why a second process: Qt, under OpenCV highgui, ends the whole process
 * (qFatal -> abort) when its X connection breaks, e.g. when the display goes
 * away mid-session. In the grip process that would lose a camera session's
 * record; in a process of its own it only closes the window, and grip goes
 * on without it. Both ends are the same program, so the layout is the host's. */
#ifndef PS_CLI_DISPLAY_WIRE_H
#define PS_CLI_DISPLAY_WIRE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    DISPLAY_HELLO = 1, /* load the display module; no payload */
    DISPLAY_OPEN = 2,  /* open a width x height window; payload: the title */
    DISPLAY_FRAME = 3, /* show a frame; payload: height rows of width*3 RGB bytes */
    DISPLAY_CLOSE = 4, /* close the window and end the process */
};

#define DISPLAY_MAX_SIDE 16384
#define DISPLAY_MAX_TITLE 255

typedef struct display_request {
    uint32_t op;
    int32_t width, height; /* OPEN, FRAME */
    int32_t wait_ms;       /* FRAME: how long to handle window events */
    uint32_t len;          /* payload bytes that follow */
} display_request;

typedef struct display_reply {
    int32_t status;        /* a ps_status */
    int32_t stop;          /* FRAME: the user pressed q or Esc or closed the window */
    uint32_t len;          /* bytes of error message that follow (no NUL) */
} display_reply;

/* All n bytes or false (the other end has gone). */
bool display_send_all(int fd, const void *p, size_t n);
bool display_recv_all(int fd, void *p, size_t n);

/* The hidden command that runs the display process (fd 3 is its socket). */
int cli_display_server(int argc, char **argv);

#endif
