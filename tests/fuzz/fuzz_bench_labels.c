/* libFuzzer target for the labels CSV of `penscope bench`
 * (ps_bench_labels_parse): any bytes give a status, never a crash; a file
 * that parses must hold together (unique files, cells only in label
 * columns, rule cells yes / no, numeric columns all numbers). */
#include "assess/bench_labels.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    ps_bench_labels l;
    if (ps_bench_labels_parse((const char *)data, size, &l) != PS_OK)
        return 0;
    for (size_t k = 0; k < l.ncols; k++) {
        const ps_bench_column *c = &l.col[k];
        size_t labelled = 0;
        for (size_t i = 0; i < l.nrows; i++) {
            const char *s = l.cell[i * l.ncols + k];
            if (!s)
                continue;
            labelled++;
            if (c->op != PS_BENCH_OP_NONE && strcmp(s, "yes") && strcmp(s, "no"))
                __builtin_trap();
            if (c->numeric) {
                char *end;
                double v = strtod(s, &end);
                if (*end || !isfinite(v))
                    __builtin_trap();
            }
        }
        if (labelled != c->labelled)
            __builtin_trap();
    }
    for (size_t i = 0; i < l.nrows; i++)
        for (size_t j = i + 1; j < l.nrows && j < i + 64; j++)
            if (!strcmp(l.file[i], l.file[j]))
                __builtin_trap();
    ps_bench_labels_release(&l);
    return 0;
}
