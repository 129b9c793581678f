/* The labels file of `penscope bench` (format in README "Benchmarking on a
 * dataset"): a CSV whose header names a `file` column, an optional `kind`
 * column, and label columns. A label column is named after a metric of the
 * record (METRICS.md), or is a screening rule NAME=METRIC OP VALUE (OP one
 * of >= > <= <) whose prediction is yes when the metric passes the test.
 * Parsed strictly: any fault is refused with its line. Untrusted input, so
 * it has a fuzz target (tests/fuzz/fuzz_bench_labels.c). */
#ifndef PS_ASSESS_BENCH_LABELS_H
#define PS_ASSESS_BENCH_LABELS_H
#include "penscope.h"
#include <stddef.h>

#define PS_BENCH_MAX_COLUMNS 256
#define PS_BENCH_MAX_ROWS 1000000
#define PS_BENCH_MAX_CELL 4096

typedef enum ps_bench_op { PS_BENCH_OP_NONE = 0, PS_BENCH_GE, PS_BENCH_GT, PS_BENCH_LE, PS_BENCH_LT } ps_bench_op;

typedef struct ps_bench_column {
    char *name;       /* header text before any '=' */
    char *metric;     /* the record's metric it is compared with */
    ps_bench_op op;   /* a screening rule (categories yes / no) when set */
    double threshold;
    int numeric;      /* every non-empty cell is a finite number (never for rules) */
    size_t labelled;  /* non-empty cells */
} ps_bench_column;

typedef struct ps_bench_labels {
    size_t ncols, nrows;
    ps_bench_column *col;
    char **file;      /* nrows, as written */
    char **kind;      /* nrows, NULL when no kind column or an empty cell */
    char **cell;      /* nrows x ncols, NULL = no label; rule cells are "yes" / "no" */
    size_t *line;     /* nrows: the line each row started on */
} ps_bench_labels;

/* Parses len bytes. On failure out is empty and the message names the line. */
ps_status ps_bench_labels_parse(const char *text, size_t len, ps_bench_labels *out);
void ps_bench_labels_release(ps_bench_labels *l);
/* Does value v pass the rule of column c? */
int ps_bench_rule_test(const ps_bench_column *c, double v);
#endif
