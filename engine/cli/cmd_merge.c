/* penscope merge: joins the outputs of batch shards (JSON Lines or CSV) into
 * one file sorted by input file, each input once. Torn last lines (a shard
 * killed mid-write) are dropped with a warning; different CSV headers are an
 * error, since the columns would not line up. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/file.h"
#include "store/records.h"
#include <errno.h>
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
    char *line; /* the whole record, with its newline */
    size_t len;
} row;

static int by_file(const void *a, const void *b)
{
    const row *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : (x < y ? -1 : x > y);
}

static char *copy_bytes(const char *p, size_t n)
{
    char *s = ps_malloc(n + 1);
    if (s) {
        memcpy(s, p, n);
        s[n] = 0;
    }
    return s;
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
    char *header = NULL;
    size_t header_len = 0;
    int rc = CLI_EXIT_OK;
    for (int a = 1; a < argc && rc == CLI_EXIT_OK; a++) {
        FILE *f = fopen(argv[a], "r");
        if (!f) {
            cli_error("cannot open '%s': %s", argv[a], strerror(errno));
            rc = CLI_EXIT_FAILED;
            break;
        }
        ps_records_reader rd;
        ps_status st = ps_records_init(&rd, f, csv ? PS_RECORDS_CSV : PS_RECORDS_JSONL, 0);
        while (st == PS_OK && (st = ps_records_next(&rd)) == PS_OK) {
            if (rd.is_header) {
                if (!header) {
                    header = copy_bytes(rd.data, rd.len);
                    header_len = rd.len;
                    if (!header)
                        st = PS_ERR_NOMEM;
                } else if (header_len != rd.len || memcmp(header, rd.data, rd.len)) {
                    cli_error("'%s' has other columns than '%s'", argv[a], argv[1]);
                    rc = CLI_EXIT_FAILED;
                    break;
                }
                continue;
            }
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                row *p = ps_realloc(rows, ncap * sizeof *p);
                if (!p) {
                    st = PS_ERR_NOMEM;
                    break;
                }
                rows = p;
                cap = ncap;
            }
            rows[n].file = ps_strdup(rd.file);
            rows[n].line = copy_bytes(rd.data, rd.len);
            rows[n].len = rd.len;
            if (!rows[n].file || !rows[n].line) {
                ps_free(rows[n].file);
                ps_free(rows[n].line);
                st = PS_ERR_NOMEM;
                break;
            }
            n++;
        }
        if (st == PS_DONE && rd.torn)
            fprintf(stderr, "penscope: '%s' ends in a torn line (an interrupted shard?): dropped; rerun that shard "
                            "with --resume\n", argv[a]);
        else if (st == PS_ERR_CORRUPT) {
            cli_error("'%s' has a line that is not a batch record", argv[a]);
            rc = CLI_EXIT_FAILED;
        } else if (st != PS_OK && st != PS_DONE) {
            cli_error("'%s': %s", argv[a], st == PS_ERR_NOMEM ? "out of memory" : ps_last_error());
            rc = CLI_EXIT_FAILED;
        }
        ps_records_release(&rd);
        fclose(f);
    }
    if (rc == CLI_EXIT_OK) {
        if (n > 1)
            qsort(rows, n, sizeof *rows, by_file);
        FILE *f = ps_file_create_private(out, "w");
        if (!f) {
            cli_error("%s", ps_last_error());
            rc = CLI_EXIT_FAILED;
        } else {
            if (header)
                fwrite(header, 1, header_len, f);
            size_t dups = 0;
            for (size_t i = 0; i < n; i++) {
                if (i && !strcmp(rows[i].file, rows[i - 1].file)) {
                    dups++; /* the same input in two shards: keep the first */
                    continue;
                }
                fwrite(rows[i].line, 1, rows[i].len, f);
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
