/* Unit test helpers (see testutil.h). */
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_tmp[512];

static void cleanup(void)
{
    if (g_tmp[0]) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmp);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", g_tmp);
    }
}

static const char *join(const char *env, const char *fallback, const char *name)
{
    static _Thread_local char path[4][4096];
    static _Thread_local int slot;
    const char *base = getenv(env);
    if (!base)
        base = fallback;
    char *p = path[slot++ & 3];
    snprintf(p, 4096, "%s/%s", base, name);
    return p;
}

const char *tu_testdata(const char *name) { return join("PS_TESTDATA", "tests/data", name); }
const char *tu_shared(const char *name) { return join("PS_SHARED", "../shared", name); }

const char *tu_tmpdir(void)
{
    if (!g_tmp[0]) {
        snprintf(g_tmp, sizeof g_tmp, "/tmp/penscope-test-XXXXXX");
        if (!mkdtemp(g_tmp)) {
            perror("mkdtemp");
            abort();
        }
        atexit(cleanup);
    }
    return g_tmp;
}

const char *tu_tmpfile(const char *name)
{
    static _Thread_local char path[4][4096];
    static _Thread_local int slot;
    char *p = path[slot++ & 3];
    snprintf(p, 4096, "%s/%s", tu_tmpdir(), name);
    return p;
}

int tu_write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, n, f);
    return (fclose(f) == 0 && w == n) ? 0 : -1;
}

unsigned char *tu_read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[len] = 0;
        if (n)
            *n = (size_t)len;
    }
    return buf;
}

int tu_quick(void)
{
    const char *q = getenv("PS_TEST_QUICK");
    return q && *q && strcmp(q, "0");
}

const char *tu_models(void)
{
    const char *m = getenv("PENSCOPE_MODELS");
    return m && *m ? m : "models";
}
