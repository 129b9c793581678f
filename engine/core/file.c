/* File helpers (see file.h). */
#include "core/file.h"
#include "core/alloc.h"
#include "core/status.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ps_status ps_file_read_all(const char *path, uint64_t max_bytes, unsigned char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ps_fail(errno == ENOENT ? PS_ERR_NOT_FOUND : PS_ERR_IO, "cannot open '%s': %s", path,
                       strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ps_fail(PS_ERR_IO, "'%s' is not a regular file", path);
    }
    if (st.st_size == 0) {
        close(fd);
        return ps_fail(PS_ERR_CORRUPT, "'%s' is empty", path);
    }
    if (max_bytes && (uint64_t)st.st_size > max_bytes) {
        close(fd);
        return ps_fail(PS_ERR_LIMIT, "'%s' is %lld bytes, over the limit of %llu", path,
                       (long long)st.st_size, (unsigned long long)max_bytes);
    }
    size_t n = (size_t)st.st_size;
    unsigned char *buf = ps_malloc(n + 1);
    if (!buf) {
        close(fd);
        return ps_fail(PS_ERR_NOMEM, "cannot allocate %zu bytes to read '%s'", n, path);
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != n) {
        ps_free(buf);
        return ps_fail(PS_ERR_IO, "cannot read '%s'", path);
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return PS_OK;
}

FILE *ps_file_create_private(const char *path, const char *mode)
{
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (strchr(mode, 'a') ? O_APPEND : O_TRUNC);
    int fd = open(path, flags, 0600);
    if (fd < 0) {
        ps_fail(PS_ERR_IO, "cannot create '%s': %s", path, strerror(errno));
        return NULL;
    }
    /* a file that was already there keeps its mode through O_CREAT; what
     * penscope writes into it describes a child, so it becomes user-only
     * too (devices and pipes such as /dev/stdout are left alone) */
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07177) && fchmod(fd, 0600) != 0) {
        ps_fail(PS_ERR_IO, "cannot make '%s' user-only (0600): %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, mode);
    if (!f) {
        close(fd);
        ps_fail(PS_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    }
    return f;
}

ps_status ps_dir_create_private(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof tmp)
        return ps_fail(PS_ERR_INVALID_ARG, "bad folder name");
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] == '/' || tmp[i] == 0) {
            char c = tmp[i];
            tmp[i] = 0;
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
                return ps_fail(PS_ERR_IO, "cannot create folder '%s': %s", tmp, strerror(errno));
            tmp[i] = c;
        }
    }
    return PS_OK;
}

const char *ps_path_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int ps_path_stem_len(const char *path)
{
    const char *base = ps_path_basename(path);
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? (int)(dot - base) : (int)strlen(base);
}

void ps_path_ext(const char *path, char *ext, size_t cap)
{
    const char *base = ps_path_basename(path);
    const char *dot = strrchr(base, '.');
    size_t i = 0;
    if (dot && cap) {
        for (dot++; *dot && i + 1 < cap; dot++)
            ext[i++] = (char)tolower((unsigned char)*dot);
    }
    if (cap)
        ext[i] = 0;
}
