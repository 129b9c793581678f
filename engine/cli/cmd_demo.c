/* penscope demo: runs penscope end to end on the bundled samples: the grip
 * analysis of the hand photos, the page analysis of the worksheet, the ink
 * analysis of the pen recordings (each with its overlay), then records them
 * for a demo child in a fresh database and writes the family report. Every
 * step is the real command, called in-process with the options a user would
 * type, so the demo shows exactly what penscope does. */
#include "cli/cli.h"
#include "core/file.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: penscope demo [--json] [--out DIR] [SAMPLES_DIR]\n"
    "\n"
    "Runs penscope end to end on the bundled samples (default: $PENSCOPE_SAMPLES,\n"
    "else the samples/ folder of the source tree):\n"
    "  grip   the hand photos in hands/ (hands, landmarks, pencil, grasp)\n"
    "  page   the worksheets in pages/ (expected text from <file>.text)\n"
    "  ink    the pen recordings in ink/ (expected letters from <file>.text)\n"
    "then records everything for a demo child in DIR/demo.db (made afresh) and\n"
    "writes DIR/report.html and DIR/report.pdf. Overlays go to DIR/overlays.\n"
    "\n"
    "  --out DIR   where the demo writes (default: ./penscope-demo)\n"
    "  --json      the analysers' records as JSON Lines\n";

#define DEMO_CHILD "demo-child"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of dir of the given kind, sorted so the demo is deterministic. */
static int list_kind(const char *dir, ps_input_kind kind, char ***out)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0, cap = 0;
    char **v = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (!p)
            break;
        snprintf(p, len, "%s/%s", dir, e->d_name);
        if (ps_input_kind_of(p) != kind) {
            free(p);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = realloc(v, (size_t)cap * sizeof *v);
            if (!nv) {
                free(p);
                break;
            }
            v = nv;
        }
        v[n++] = p;
    }
    closedir(d);
    if (n)
        qsort(v, (size_t)n, sizeof *v, cmp_str);
    *out = v;
    return n;
}

static void free_list(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The first line of "<file>.text", the expected text of a sample; "" if none. */
static void sidecar_text(const char *file, char *text, size_t cap)
{
    char side[4200];
    snprintf(side, sizeof side, "%s.text", file);
    text[0] = 0;
    FILE *f = fopen(side, "r");
    if (!f)
        return;
    if (!fgets(text, (int)cap, f))
        text[0] = 0;
    text[strcspn(text, "\r\n")] = 0;
    fclose(f);
}

/* Runs one command in-process with a NULL-terminated argument list. */
static int run(cli_fn fn, const char **args)
{
    int n = 0;
    while (args[n])
        n++;
    return fn(n, (char **)args);
}

typedef struct demo {
    const char *samples, *out;
    char overlays[4096], db[4096];
    bool json;
    int failed;
} demo;

/* Analyses one sample folder with the command of its kind, then records the
 * same files for the demo child. Files with a sidecar text are run one by
 * one with --text. */
static void demo_step(demo *d, const char *sub, ps_input_kind kind, const char *cmd_name, cli_fn analyse,
                      const char *record_kind, const char *title)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", d->samples, sub);
    char **files;
    int n = list_kind(dir, kind, &files);
    if (!d->json)
        printf("\n== %s (%s, %d file%s)\n", title, dir, n, n == 1 ? "" : "s");
    for (int i = 0; i < n; i++) {
        char text[512];
        sidecar_text(files[i], text, sizeof text);
        const char *a[16];
        int k = 0;
        a[k++] = cmd_name;
        if (d->json)
            a[k++] = "--json";
        a[k++] = "--overlay";
        a[k++] = d->overlays;
        if (text[0]) {
            a[k++] = "--text";
            a[k++] = text;
        }
        a[k++] = files[i];
        a[k] = NULL;
        if (run(analyse, a) != CLI_EXIT_OK)
            d->failed++;

        const char *r[20];
        k = 0;
        r[k++] = "record";
        r[k++] = "--db";
        r[k++] = d->db;
        r[k++] = "--child";
        r[k++] = DEMO_CHILD;
        r[k++] = "--kind";
        r[k++] = record_kind;
        r[k++] = "--overlay";
        r[k++] = d->overlays;
        r[k++] = "-q";
        if (text[0]) {
            r[k++] = "--text";
            r[k++] = text;
        }
        r[k++] = files[i];
        r[k] = NULL;
        if (run(cmd_record, r) != CLI_EXIT_OK)
            d->failed++;
    }
    if (!n && !d->json)
        printf("(none)\n");
    free_list(files, n);
}

int cmd_demo(int argc, char **argv)
{
    /* --out is the demo's own option; the rest goes to the shared parser */
    demo d;
    memset(&d, 0, sizeof d);
    d.out = "penscope-demo";
    char **rest = malloc((size_t)(argc + 1) * sizeof *rest);
    if (!rest)
        return CLI_EXIT_FAILED;
    int nrest = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--out")) {
            if (i + 1 >= argc) {
                cli_error("--out needs a folder\n%s", usage);
                free(rest);
                return CLI_EXIT_USAGE;
            }
            d.out = argv[++i];
        } else if (!strncmp(argv[i], "--out=", 6)) {
            d.out = argv[i] + 6;
        } else {
            rest[nrest++] = argv[i];
        }
    }
    rest[nrest] = NULL;
    static const char *const accepted[] = {"json", "quiet", NULL};
    cli_opts o;
    cli_opts_default(&o);
    int first = cli_parse(nrest, rest, &o, accepted, usage);
    if (first < 0 || first + 1 < nrest) {
        if (first >= 0)
            cli_error("demo takes at most one samples folder\n%s", usage);
        free(rest);
        return first == -2 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    d.samples = first < nrest ? rest[first] : getenv("PENSCOPE_SAMPLES");
#ifdef PS_SAMPLES_DIR
    if (!d.samples)
        d.samples = PS_SAMPLES_DIR;
#endif
    if (!d.samples)
        d.samples = "samples";
    d.json = o.json;

    snprintf(d.overlays, sizeof d.overlays, "%s/overlays", d.out);
    snprintf(d.db, sizeof d.db, "%s/demo.db", d.out);
    if (ps_dir_create_private(d.overlays) != PS_OK) {
        cli_error("%s", ps_last_error());
        free(rest);
        return CLI_EXIT_FAILED;
    }
    /* a fresh database each run, so the demo child has exactly these sessions */
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s%s", d.db, suffix[i]);
        unlink(p);
    }
    const char *add[] = {"child", "add", DEMO_CHILD, "--db", d.db, "--grade", "1", "--hand", "right",
                         "--notes", "made by penscope demo from the bundled samples", NULL};
    /* child add reports on stdout; the demo says what it made itself, and
     * --json output must stay pure JSON Lines */
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null_fd >= 0)
        dup2(null_fd, STDOUT_FILENO);
    int add_rc = run(cmd_child, add);
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
    if (null_fd >= 0)
        close(null_fd);
    if (add_rc != CLI_EXIT_OK) {
        free(rest);
        return CLI_EXIT_FAILED;
    }
    if (!d.json)
        printf("penscope %s demo: samples from %s, results in %s\n", ps_version(), d.samples, d.out);

    demo_step(&d, "hands", PS_INPUT_IMAGE, "grip", cmd_grip, "grip",
              "grip: hands, landmarks, pencil and grasp (no licensed photo of a child's grip can be "
              "shipped: these hands hold no pencil, and penscope says so)");
    demo_step(&d, "pages", PS_INPUT_IMAGE, "page", cmd_page, "page", "page: a generated worksheet");
    demo_step(&d, "ink", PS_INPUT_INK, "ink", cmd_ink, "ink", "ink: tablet pen recordings");

    static const char *const formats[] = {"html", "pdf"};
    for (size_t i = 0; i < 2; i++) {
        char out[4200];
        snprintf(out, sizeof out, "%s/report.%s", d.out, formats[i]);
        const char *rep[] = {"report", "--db", d.db, "--child", DEMO_CHILD, "--out", out, NULL};
        if (run(cmd_report, rep) != CLI_EXIT_OK)
            d.failed++;
        else if (!d.json)
            printf("\nreport: %s\n", out);
    }
    if (!d.json)
        printf("overlays: %s/\n", d.overlays);
    free(rest);
    return d.failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
