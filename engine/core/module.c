/* Loading penscope's optional modules (see module.h for the search order).
 * The message of a failed load lists every folder tried with the reason it
 * was refused, so "module not found" can be fixed without reading code. */
#include "core/module.h"
#include "core/status.h"
#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PS_BUILD_TREE
#define PS_BUILD_TREE ""
#endif
#ifndef PS_MODULE_INSTALL_DIR
#define PS_MODULE_INSTALL_DIR "/usr/local/lib/penscope"
#endif
#ifndef PS_MODULE_LIBDIR
#define PS_MODULE_LIBDIR "lib"
#endif

#define MAX_CANDIDATES 5

typedef struct search {
    const char *name;
    uint32_t abi;
    size_t min_size;
    const void *table;
    char looked[PS_ERRMSG_MAX];
} search;

/* Appends text to the list, cut at its end (a long list loses its tail). */
static void append(search *s, const char *text)
{
    size_t n = strlen(s->looked), room = sizeof s->looked - 1 - n, len = strlen(text);
    len = len < room ? len : room;
    memcpy(s->looked + n, text, len);
    s->looked[n + len] = '\0';
}

static void note(search *s, const char *dir, const char *why)
{
    if (s->looked[0])
        append(s, "; ");
    append(s, dir);
    append(s, " (");
    append(s, why);
    append(s, ")");
}

/* Tries dir/penscope-<name>.so; 1 when it is loaded and fits. */
static int try_dir(search *s, const char *dir)
{
    char path[PATH_MAX], sym[64], why[160];
    if (snprintf(path, sizeof path, "%s/penscope-%s.so", dir, s->name) >= (int)sizeof path) {
        note(s, dir, "path too long");
        return 0;
    }
    if (access(path, F_OK) != 0) {
        note(s, dir, "not there");
        return 0;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        note(s, dir, e ? e : "dlopen failed");
        return 0;
    }
    snprintf(sym, sizeof sym, "penscope_module_%s", s->name);
    const void *(*entry)(void);
    *(void **)&entry = dlsym(h, sym);
    const ps_module_head *t = entry ? entry() : NULL;
    if (!t) {
        snprintf(why, sizeof why, "no %s()", sym);
    } else if (t->abi != s->abi || t->size < s->min_size) {
        snprintf(why, sizeof why, "module ABI %u size %u, this penscope needs ABI %u size %zu", t->abi, t->size, s->abi,
                 s->min_size);
        t = NULL;
    }
    if (!t) {
        note(s, dir, why);
        dlclose(h);
        return 0;
    }
    s->table = t;
    return 1;
}

/* The folder of the file that holds this code: libpenscope.so, or the
 * program that linked libpenscope statically. */
static int self_dir(char *out, size_t cap)
{
    Dl_info info;
    struct link_map *lm = NULL;
    if (!dladdr1((void *)&ps_module_load, &info, (void **)&lm, RTLD_DL_LINKMAP))
        return 0;
    /* the main program's link map has an empty name */
    const char *file = lm && lm->l_name && lm->l_name[0] ? lm->l_name : "/proc/self/exe";
    char path[PATH_MAX];
    if (!realpath(file, path))
        return 0;
    char *slash = strrchr(path, '/');
    if (!slash)
        return 0;
    *(slash == path ? slash + 1 : slash) = '\0';
    return snprintf(out, cap, "%s", path) < (int)cap;
}

/* dir is inside (or is) root. */
static int inside(const char *dir, const char *root)
{
    size_t n = strlen(root);
    return n && !strncmp(dir, root, n) && (dir[n] == '/' || dir[n] == '\0');
}

ps_status ps_module_load(const char *name, uint32_t abi, size_t min_size, const void **table)
{
    if (!name || !table)
        return ps_fail(PS_ERR_INVALID_ARG, "ps_module_load: NULL argument");
    *table = NULL;
    search s = {.name = name, .abi = abi, .min_size = min_size};
    char cand[MAX_CANDIDATES][PATH_MAX];
    int n = 0;
    const char *env = getenv("PENSCOPE_MODULE_DIR");
    if (env && *env) {
        snprintf(cand[n++], PATH_MAX, "%s", env);
    } else {
        char here[PATH_MAX], build[PATH_MAX];
        if (self_dir(here, sizeof here)) {
            snprintf(cand[n++], PATH_MAX, "%.*s/penscope", PATH_MAX - 16, here);
            snprintf(cand[n++], PATH_MAX, "%.*s/../%s/penscope", PATH_MAX / 2, here, PS_MODULE_LIBDIR);
            if (realpath(PS_BUILD_TREE, build) && inside(here, build))
                snprintf(cand[n++], PATH_MAX, "%.*s/modules", PATH_MAX - 16, build);
        }
        snprintf(cand[n++], PATH_MAX, "%s", PS_MODULE_INSTALL_DIR);
    }
    for (int i = 0; i < n; i++) {
        char real[PATH_MAX];
        if (realpath(cand[i], real)) /* tidy "x/../lib" and skip folders already tried */
            snprintf(cand[i], PATH_MAX, "%s", real);
        int seen = 0;
        for (int k = 0; k < i; k++)
            seen |= !strcmp(cand[k], cand[i]);
        if (!seen && try_dir(&s, cand[i])) {
            *table = s.table;
            return PS_OK;
        }
    }
    return ps_fail(PS_ERR_NOT_FOUND, "the %s module penscope-%s.so could not be loaded; looked in: %s%s", name, name,
                   s.looked, env && *env ? " (from $PENSCOPE_MODULE_DIR)" : "; set PENSCOPE_MODULE_DIR to its folder");
}
