/* Helpers shared by the unit tests: paths to fixtures, temp files, and
 * synthetic images. Tests include <cmocka.h> through this header. */
#ifndef PS_TESTUTIL_H
#define PS_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "penscope.h"

/* $PS_TESTDATA/name (tests/data), or $PS_SHARED/name (../shared); static buffer per call site is not kept: copy it. */
const char *tu_testdata(const char *name);
const char *tu_shared(const char *name);
/* Whether $PS_TEST_QUICK asks for the short runs (set, and not "0"): make
 * test-asan uses it to keep the sanitised suite quick. */
int tu_quick(void);
/* The models folder: $PENSCOPE_MODELS, else "models". */
const char *tu_models(void);
/* A fresh private temp folder for this test process (removed at exit). */
const char *tu_tmpdir(void);
/* tu_tmpdir()/name */
const char *tu_tmpfile(const char *name);
/* Writes bytes to a file; returns 0 on success. */
int tu_write_file(const char *path, const void *data, size_t n);
/* Reads a whole file (malloc'd, NUL-terminated); NULL on failure. */
unsigned char *tu_read_file(const char *path, size_t *n);

#endif
