/* Fuzz target: a hostile database file handed to the store (it must refuse
 * foreign or damaged files with an error, never crash), and hostile dates.
 * First byte: 0 = the rest is a date string, else the rest is a database
 * file, opened and then read the way progress and export read it. */
#include "penscope.h"
#include "core/alloc.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int count_row(const ps_export_row *r, void *ud)
{
    (*(size_t *)ud) += strlen(r->metric ? r->metric : "") + 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20))
        return 0;
    if (data[0] == 0) {
        char s[64];
        size_t n = size - 1 < sizeof s - 1 ? size - 1 : sizeof s - 1;
        memcpy(s, data + 1, n);
        s[n] = 0;
        int32_t d;
        if (ps_date_parse(s, &d) == PS_OK) {
            char back[16];
            ps_date_format(d, back);
            if (strcmp(back, s) != 0)
                __builtin_trap(); /* a parsed date must format back to itself */
        }
        return 0;
    }
    char path[64], side[80];
    snprintf(path, sizeof path, "/tmp/ps-fuzz-store-%d.db", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    ps_store_t *s = NULL;
    if (ps_store_open(path, 50, &s) == PS_OK) {
        ps_child *kids = NULL;
        size_t n = 0;
        if (ps_store_child_list(s, &kids, &n) == PS_OK) {
            for (size_t i = 0; i < n && i < 8; i++) {
                ps_metric_progress *m = NULL;
                size_t nm = 0;
                if (ps_store_child_progress(s, kids[i].id, NULL, 0, &m, &nm) == PS_OK)
                    for (size_t k = 0; k < nm; k++) {
                        char buf[512];
                        ps_report_sentence(&m[k], buf, sizeof buf);
                    }
                ps_metric_progress_free(m, nm);
            }
        }
        ps_free(kids);
        size_t total = 0;
        ps_store_export(s, 0, count_row, &total);
        ps_store_close(s);
    }
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return 0;
}
