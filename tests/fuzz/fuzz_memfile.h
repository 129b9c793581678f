/* For fuzz targets whose entry point takes a path: the bytes become an
 * anonymous memory file (memfd), so nothing touches the disk. */
#ifndef FUZZ_MEMFILE_H
#define FUZZ_MEMFILE_H
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Returns the file's descriptor (close it when done) with its path in path,
 * or -1 when the file could not be made. */
static int fuzz_memfile(const char *name, const uint8_t *data, size_t size, char *path, size_t cap)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return -1;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}
#endif
