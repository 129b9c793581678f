/* Shared pieces of the penscope CLI: the command signature, common options
 * (every analyser option lives in one struct so that `batch` and `record` can
 * pass them through), and the JSON record writer of DESIGN.md §4. */
#ifndef PS_CLI_H
#define PS_CLI_H
#include "penscope.h"
#include "core/buf.h"
#include "core/json.h"
#include <stdbool.h>
#include <stdio.h>

/* Exit codes (DESIGN.md §4). */
enum { CLI_EXIT_OK = 0, CLI_EXIT_FAILED = 1, CLI_EXIT_USAGE = 2 };

typedef int (*cli_fn)(int argc, char **argv);
typedef struct cli_command {
    const char *name;
    cli_fn fn;
    const char *summary;
} cli_command;

/* Options shared by all commands and all analysers. Zero/NULL = not given. */
typedef struct cli_opts {
    bool json;               /* --json: JSON Lines on stdout */
    bool quiet;              /* -q */
    const char *models_dir;  /* --models DIR, else $PENSCOPE_MODELS */
    int threads;             /* -j/--threads N, 0 = all cores */
    const char *overlay_dir; /* --overlay DIR */
    /* grip */
    const char *model;       /* --model full|lite */
    double pencil_mm;        /* --pencil-mm MM */
    int camera;              /* --camera N, -1 = none */
    int show;                /* --show 1, --no-show -1: the live window (cli/live_view.c) */
    /* page */
    double dpi;              /* --dpi N */
    double ruling_mm;        /* --ruling-mm MM */
    const char *text;        /* --text "..." */
    double seconds;          /* --seconds N */
    /* ink */
    const char *columns;     /* --columns y,x,time,... */
    double lpi;              /* --lpi N */
    double fs;               /* --fs HZ */
} cli_opts;

void cli_opts_default(cli_opts *o);

/* Long-option parsing shared by the commands: each command passes the names of
 * the common options it accepts; unknown options are a usage error. Returns the
 * index of the first positional argument, or -1 after printing a usage error,
 * or -2 when --help was given (usage printed to stdout). */
int cli_parse(int argc, char **argv, cli_opts *o, const char *const *accepted, const char *usage);

/* cli_parse for a command that needs at least one file (file_cmd.c): the index
 * of the first file, or -1 with *exit_code set (CLI_EXIT_OK after --help,
 * CLI_EXIT_USAGE after a usage error or "<cmd> needs at least one file"). */
int cli_parse_files(int argc, char **argv, cli_opts *o, const char *const *accepted, const char *usage,
                    const char *cmd, int *exit_code);

/* Prints "penscope <cmd>: <msg>" to stderr (lowercase, no period). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The models folder: --models, else $PENSCOPE_MODELS, else the build-time
 * default, else the installed one. Never NULL. */
const char *cli_models_dir(const cli_opts *o);

/* A JSON record for one input (DESIGN.md §4). Begin, add metrics/detail/
 * warnings with the writer, end; or write a failure record in one call. */
typedef struct cli_record {
    ps_buf buf;
    ps_json j;
} cli_record;
void cli_record_begin(cli_record *r, const char *file, const char *kind);
void cli_record_fail(cli_record *r, const char *file, const char *kind, ps_status rc, const char *message);
/* The error "code" string for a status: "corrupt", "io", "not_found", ... */
const char *cli_error_code(ps_status rc);
/* Writes the record as one line to f and releases it. */
void cli_record_emit(cli_record *r, FILE *f);
void cli_record_release(cli_record *r);
/* Ends one file's record in a command that prints a line per file (info, page):
 * a failure (rc) becomes the error record, its message also on stderr without
 * --json; then the record is printed with --json, else "path: line" on
 * success. Returns 1 when the file failed, else 0. */
int cli_record_finish_line(cli_record *r, const char *path, const char *kind, ps_status rc, const char *line,
                           const cli_opts *o);

/* The overlay image for input with --overlay DIR (file_cmd.c): creates DIR
 * (0700) and writes "DIR/<input name without extension>.<what>.png" into
 * out. out is "" when there is no --overlay. */
ps_status cli_overlay_path(const cli_opts *o, const char *input, const char *what, char *out, size_t cap);

/* Runs the analyser of a kind ("grip", "page", "ink") on one file and writes its
 * one-line JSON record into out (without newline). Returns PS_OK when the
 * record says "ok": true. Used by batch, record and bench. */
typedef ps_status (*cli_analyse_fn)(const char *path, const cli_opts *o, ps_buf *out);
ps_status cli_analyse(const char *kind, const char *path, const cli_opts *o, ps_buf *out);
/* The kind of analysis a file calls for, from its type: "grip" for photos and
 * videos, "ink" for pen recordings; NULL when unknown. Pages are photos too,
 * so callers pass --kind page. */
const char *cli_kind_of(const char *path);

/* commands */
int cmd_info(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_grip(int argc, char **argv);
ps_status cli_analyse_grip(const char *path, const cli_opts *o, ps_buf *out);
int cmd_ink(int argc, char **argv);
ps_status cli_analyse_ink(const char *path, const cli_opts *o, ps_buf *out);
int cmd_page(int argc, char **argv);
ps_status cli_analyse_page(const char *path, const cli_opts *o, ps_buf *out);

/* the per-child store, progress, reports and batch (issue 7) */
int cmd_child(int argc, char **argv);
int cmd_goal(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_progress(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_merge(int argc, char **argv);
/* a labelled dataset: accuracy, agreement, throughput (issue 8) */
int cmd_bench(int argc, char **argv);
/* Takes "--name VALUE" / "--name=VALUE" (or a flag when !has_arg) out of
 * argv[1..], before any "--". Returns 1 found, 0 absent, -1 value missing. */
int cli_take(int *argc, char **argv, const char *name, int has_arg, const char **val);
/* Opens the store at db (NULL: the default path); prints the error. Only
 * when create is set may a missing database be created. */
ps_store_t *cli_store_open(const char *db, int create);
/* Test hook, not a user feature: kind "selftest" reads "name value" lines
 * and emits them as a record, so batch/record tests need no real analyser. */
ps_status cli_analyse_selftest(const char *path, const cli_opts *o, ps_buf *out);

#endif
