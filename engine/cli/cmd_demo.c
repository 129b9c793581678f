/* penscope demo: runs penscope on the bundled samples (samples/) end to end.
 * Each analyser adds its step here as it lands; until then the demo shows
 * what `info` finds in the samples. */
#include "cli/cli.h"
#include "core/file.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: penscope demo [--json] [SAMPLES_DIR]\n"
    "\n"
    "Runs penscope on the bundled samples (default: $PENSCOPE_SAMPLES, else the\n"
    "samples/ folder of the source tree) and prints what it finds.\n";

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the files of dir/sub (sorted, so the demo is deterministic). */
static int list_dir(const char *dir, char ***out)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0, cap = 0;
    char **v = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = realloc(v, cap * sizeof *v);
            if (!nv)
                break;
            v = nv;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        v[n] = malloc(len);
        if (!v[n])
            break;
        snprintf(v[n], len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_str);
    *out = v;
    return n;
}

/* The ink step (issue 6): `penscope ink` on every pen recording in
 * samples/ink; a recording with a sidecar "<file>.text" gets it as --text. */
static int demo_ink(const char *dir, bool json)
{
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/ink", dir);
    char **files = NULL;
    int n = list_dir(sub, &files), rc = CLI_EXIT_OK, shown = 0;
    if (!json)
        printf("== %s\n", sub);
    for (int i = 0; i < n; i++) {
        if (ps_input_kind_of(files[i]) == PS_INPUT_INK) {
            char side[4200], text[256] = "";
            snprintf(side, sizeof side, "%s.text", files[i]);
            FILE *f = fopen(side, "r");
            if (f) {
                if (!fgets(text, sizeof text, f))
                    text[0] = 0;
                text[strcspn(text, "\r\n")] = 0;
                fclose(f);
            }
            char *args[6];
            int k = 0;
            args[k++] = "ink";
            if (json)
                args[k++] = "--json";
            if (text[0]) {
                args[k++] = "--text";
                args[k++] = text;
            }
            args[k++] = files[i];
            args[k] = NULL;
            if (cmd_ink(k, args) != CLI_EXIT_OK)
                rc = CLI_EXIT_FAILED;
            shown++;
        }
        free(files[i]);
    }
    free(files);
    if (!shown && !json)
        printf("(no pen recordings)\n");
    return rc;
}

/* The grip step (issue 4): `penscope grip` on the photos of samples/hands,
 * like any photo. No licensed photo of a
 * child's pencil grip can be shipped, so these photos show hands without a
 * pencil: the record says so (pencil_found false, grasp unknown) rather than
 * guessing; README "Grip photos: how to record one well" says how to make
 * one's own. */
static int demo_grip(const char *dir, bool json)
{
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/hands", dir);
    char **files = NULL;
    int n = list_dir(sub, &files), rc = CLI_EXIT_OK, k = 0;
    char **args = malloc((size_t)(n + 2) * sizeof *args);
    if (!json)
        printf("== grip analysis of %s\n", sub);
    if (args) {
        args[k++] = "grip";
        if (json)
            args[k++] = "--json";
        for (int i = 0; i < n; i++)
            if (ps_input_kind_of(files[i]) == PS_INPUT_IMAGE)
                args[k++] = files[i];
        args[k] = NULL;
        if (k > (json ? 2 : 1) && cmd_grip(k, args) != CLI_EXIT_OK)
            rc = CLI_EXIT_FAILED;
        free(args);
    }
    for (int i = 0; i < n; i++)
        free(files[i]);
    free(files);
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    static const char *const accepted[] = {"json", "quiet", NULL};
    cli_opts o;
    cli_opts_default(&o);
    int first = cli_parse(argc, argv, &o, accepted, usage);
    if (first == -2)
        return CLI_EXIT_OK;
    if (first < 0)
        return CLI_EXIT_USAGE;
    const char *dir = first < argc ? argv[first] : getenv("PENSCOPE_SAMPLES");
#ifdef PS_SAMPLES_DIR
    if (!dir)
        dir = PS_SAMPLES_DIR;
#endif
    if (!dir)
        dir = "samples";
    int rc = CLI_EXIT_OK;
    static const char *const subdirs[] = {"hands", NULL};
    for (int s = 0; subdirs[s]; s++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", dir, subdirs[s]);
        char **files = NULL;
        int n = list_dir(sub, &files);
        if (!o.json)
            printf("== %s: %d files\n", sub, n);
        if (n > 0) {
            char **args = malloc((n + 3) * sizeof *args);
            int k = 0;
            args[k++] = "info";
            if (o.json)
                args[k++] = "--json";
            for (int i = 0; i < n; i++)
                args[k++] = files[i];
            args[k] = NULL;
            if (cmd_info(k, args) != CLI_EXIT_OK)
                rc = CLI_EXIT_FAILED;
            free(args);
        }
        for (int i = 0; i < n; i++)
            free(files[i]);
        free(files);
    }
    if (demo_grip(dir, o.json) != CLI_EXIT_OK) /* issue 4 */
        rc = CLI_EXIT_FAILED;
    if (demo_ink(dir, o.json) != CLI_EXIT_OK)
        rc = CLI_EXIT_FAILED;
    return rc;
}
