/* Whole-message transfers over the display socket pair (display_wire.h). */
#include "cli/display_wire.h"
#include <errno.h>
#include <sys/socket.h>

bool display_send_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        /* MSG_NOSIGNAL: a peer that has gone is an error here, not SIGPIPE */
        ssize_t put = send(fd, b, n, MSG_NOSIGNAL);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return false;
        b += put;
        n -= (size_t)put;
    }
    return true;
}

bool display_recv_all(int fd, void *p, size_t n)
{
    uint8_t *b = p;
    while (n) {
        ssize_t got = recv(fd, b, n, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        b += got;
        n -= (size_t)got;
    }
    return true;
}
