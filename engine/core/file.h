/* File helpers with the checks every reader needs: size limit before reading,
 * clear messages naming the file, and user-only (0600) creation for anything
 * penscope writes, since outputs describe children. */
#ifndef PS_CORE_FILE_H
#define PS_CORE_FILE_H
#include "penscope.h"
#include <stdio.h>

/* Reads a whole regular file. Fails on a missing file, a directory, an empty
 * file (PS_ERR_CORRUPT, "empty file") and a file over max_bytes (PS_ERR_LIMIT).
 * *data is NUL-terminated (not counted in *len); free with ps_free. */
ps_status ps_file_read_all(const char *path, uint64_t max_bytes, unsigned char **data, size_t *len);
/* Opens path for writing, created with mode 0600 (truncated if it exists). */
FILE *ps_file_create_private(const char *path, const char *mode);
/* mkdir -p with mode 0700 for new folders. */
ps_status ps_dir_create_private(const char *path);
/* The file name part of a path ("a/b/c.jpg" -> "c.jpg"). */
const char *ps_path_basename(const char *path);
/* Length of the file name part of path without its extension ("a/b.c.jpg"
 * -> 3, for "b.c"); a name's leading dot does not start an extension. */
int ps_path_stem_len(const char *path);
/* Lower-case extension without the dot into ext (cap bytes), "" if none. */
void ps_path_ext(const char *path, char *ext, size_t cap);

#endif
