/* penscope merge: joins the outputs of batch shards (JSON Lines or CSV) into
 * one file sorted by input file, each input once. Torn last lines (a shard
 * killed mid-write) are dropped with a warning; different CSV headers are an
 * error, since the columns would not line up. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/file.h"
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: penscope merge --out FILE.jsonl|FILE.csv SHARD...\n"
    "\n"
    "Joins the outputs of 'penscope batch --shard I/N' runs: one record per\n"
    "input file, sorted by file name. CSV shards must share one header.\n";

typedef struct row {
    char *file; /* sort key */
    char *line; /* the whole line, with its newline */
} row;

static int by_file(const void *a, const void *b)
{
    const row *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : (x < y ? -1 : x > y);
}

static char *csv_first_field(const char *s)
{
    size_t n = strlen(s);
    char *o = ps_malloc(n + 1);
    size_t k = 0, i = 0;
    if (!o)
        return NULL;
    if (s[0] == '"') {
        for (i = 1; i < n; i++) {
            if (s[i] == '"') {
                if (s[i + 1] == '"')
                    i++;
                else
                    break;
            }
            o[k++] = s[i];
        }
    } else
        for (; s[i] && s[i] != ',' && s[i] != '\n'; i++)
            o[k++] = s[i];
    o[k] = 0;
    return o;
}

int cmd_merge(int argc, char **argv)
{
    const char *out = NULL, *v;
    if (cli_take(&argc, argv, "help", 0, &v) > 0) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (cli_take(&argc, argv, "out", 1, &out) < 0)
        return CLI_EXIT_USAGE;
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1]) {
            cli_error("unknown option '%s'\n%s", argv[i], usage);
            return CLI_EXIT_USAGE;
        }
    if (!out || argc < 2) {
        cli_error("merge needs --out and at least one shard\n%s", usage);
        return CLI_EXIT_USAGE;
    }
    char ext[8];
    ps_path_ext(out, ext, sizeof ext);
    int csv = !strcmp(ext, "csv");
    if (!csv && strcmp(ext, "jsonl") && strcmp(ext, "json")) {
        cli_error("--out takes FILE.jsonl or FILE.csv, not '%s'", out);
        return CLI_EXIT_USAGE;
    }
    struct stat sb;
    if (stat(out, &sb) == 0) {
        cli_error("'%s' exists; merge writes a new file", out);
        return CLI_EXIT_USAGE;
    }
    row *rows = NULL;
    size_t n = 0, cap = 0;
    char *header = NULL, *line = NULL;
    size_t lcap = 0;
    int rc = CLI_EXIT_OK;
    for (int a = 1; a < argc && rc == CLI_EXIT_OK; a++) {
        FILE *f = fopen(argv[a], "r");
        if (!f) {
            cli_error("cannot open '%s': %s", argv[a], strerror(errno));
            rc = CLI_EXIT_FAILED;
            break;
        }
        ssize_t len;
        int first = 1;
        while ((len = getline(&line, &lcap, f)) > 0) {
            if (line[len - 1] != '\n') {
                fprintf(stderr, "penscope: '%s' ends in a torn line (an interrupted shard?): dropped; rerun that shard "
                                "with --resume\n", argv[a]);
                break;
            }
            if (csv && first) {
                first = 0;
                if (!header)
                    header = ps_strdup(line);
                else if (strcmp(header, line)) {
                    cli_error("'%s' has other columns than '%s'", argv[a], argv[1]);
                    rc = CLI_EXIT_FAILED;
                    break;
                }
                continue;
            }
            first = 0;
            char *file = NULL;
            if (csv)
                file = csv_first_field(line);
            else {
                json_error_t err;
                json_t *r = json_loadb(line, (size_t)len, 0, &err);
                json_t *fj = json_object_get(r, "file");
                file = json_is_string(fj) ? ps_strdup(json_string_value(fj)) : NULL;
                json_decref(r);
                if (!file) {
                    cli_error("'%s' has a line that is not a batch record", argv[a]);
                    rc = CLI_EXIT_FAILED;
                    break;
                }
            }
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                row *p = ps_realloc(rows, ncap * sizeof *p);
                if (!p) {
                    ps_free(file);
                    rc = CLI_EXIT_FAILED;
                    break;
                }
                rows = p;
                cap = ncap;
            }
            rows[n].file = file;
            rows[n].line = ps_strdup(line);
            if (!file || !rows[n].line) {
                ps_free(file);
                ps_free(rows[n].line);
                rc = CLI_EXIT_FAILED;
                break;
            }
            n++;
        }
        fclose(f);
    }
    free(line);
    if (rc == CLI_EXIT_OK) {
        if (n > 1)
            qsort(rows, n, sizeof *rows, by_file);
        FILE *f = ps_file_create_private(out, "w");
        if (!f) {
            cli_error("%s", ps_last_error());
            rc = CLI_EXIT_FAILED;
        } else {
            if (header)
                fputs(header, f);
            size_t dups = 0;
            for (size_t i = 0; i < n; i++) {
                if (i && !strcmp(rows[i].file, rows[i - 1].file)) {
                    dups++; /* the same input in two shards: keep the first */
                    continue;
                }
                fputs(rows[i].line, f);
            }
            if (fclose(f) != 0) {
                cli_error("cannot write '%s'", out);
                rc = CLI_EXIT_FAILED;
            }
            if (dups)
                fprintf(stderr, "penscope: %zu inputs appeared in more than one shard; kept once\n", dups);
        }
    }
    for (size_t i = 0; i < n; i++) {
        ps_free(rows[i].file);
        ps_free(rows[i].line);
    }
    ps_free(rows);
    ps_free(header);
    return rc;
}
