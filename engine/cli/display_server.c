/* `penscope __display`: the process that owns the live window of
 * `penscope grip --show` (see display_wire.h for why it is a process of its
 * own). It loads the display module, then serves requests on fd 3 until
 * CLOSE or until grip goes away (end of file). */
#include "cli/display_wire.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/module.h"
#include "core/status.h"
#include "modules/display/display_abi.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SOCK_FD 3

static bool reply(ps_status rc, int stop, const char *err)
{
    size_t len = rc == PS_OK || !err ? 0 : strnlen(err, PS_ERRMSG_MAX);
    display_reply r = {.status = rc, .stop = stop, .len = (uint32_t)len};
    return display_send_all(SOCK_FD, &r, sizeof r) && display_send_all(SOCK_FD, err, len);
}

int cli_display_server(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    /* Ctrl-C in grip's terminal reaches this process too: grip decides when the window goes */
    signal(SIGINT, SIG_IGN);
    const ps_display_module *mod = NULL;
    ps_display_window *win = NULL;
    uint8_t *pix = NULL;
    size_t pix_cap = 0;
    char err[PS_ERRMSG_MAX];
    display_request q;
    bool alive = true;
    while (alive && display_recv_all(SOCK_FD, &q, sizeof q)) {
        err[0] = 0;
        ps_status rc = PS_OK;
        int stop = 0;
        bool sides_ok = q.width > 0 && q.height > 0 && q.width <= DISPLAY_MAX_SIDE && q.height <= DISPLAY_MAX_SIDE;
        if (q.op == DISPLAY_HELLO) {
            const void *table;
            rc = ps_module_load("display", PS_DISPLAY_MODULE_ABI, sizeof(ps_display_module), &table);
            if (rc == PS_OK)
                mod = table;
            else
                snprintf(err, sizeof err, "%s", ps_last_error());
        } else if (q.op == DISPLAY_OPEN && mod && !win && sides_ok && q.len <= DISPLAY_MAX_TITLE) {
            char title[DISPLAY_MAX_TITLE + 1];
            if (!display_recv_all(SOCK_FD, title, q.len))
                break;
            title[q.len] = 0;
            rc = mod->open(title, q.width, q.height, &win, err, sizeof err);
        } else if (q.op == DISPLAY_FRAME && win && sides_ok && q.len == (uint32_t)q.width * (uint32_t)q.height * 3u) {
            if (q.len > pix_cap) { /* only when the frame size grows */
                ps_free(pix);
                pix_cap = 0;
                if (!(pix = ps_malloc(q.len)))
                    break;
                pix_cap = q.len;
            }
            if (!display_recv_all(SOCK_FD, pix, q.len))
                break;
            rc = mod->show(win, pix, q.width, q.height, (size_t)q.width * 3, q.wait_ms, &stop, err, sizeof err);
        } else if (q.op == DISPLAY_CLOSE) {
            alive = false;
        } else {
            break; /* out of order or malformed: grip and this process disagree */
        }
        if (alive && !reply(rc, stop, err))
            break;
    }
    if (win)
        mod->close(win);
    ps_free(pix);
    return alive ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
