/* libFuzzer target for the reader of batch result files (merge and
 * batch --resume): any bytes, read as JSON Lines and as CSV, give records or
 * a status, never a crash. What is returned must hold together: records are
 * the input's bytes in order, each ending in its newline and within the
 * limit; the end offset and the torn flag account for every other byte; a
 * JSON name is valid UTF-8; and reading in 1-64 byte pieces gives exactly
 * what reading in large ones gives. */
#include "core/json.h"
#include "store/records.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RECORD 4096

/* One pass; returns the status that ended it and a digest of what it saw. */
static ps_status read_all(const uint8_t *data, size_t size, ps_records_format fmt, size_t chunk,
                          uint64_t *digest)
{
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f)
        return PS_ERR_IO;
    ps_records_reader r;
    ps_status rc = ps_records_init(&r, f, fmt, MAX_RECORD);
    r.chunk_bytes = chunk;
    uint64_t off = 0, h = 1469598103934665603ull;
    size_t n = 0;
    ps_buf name;
    ps_buf_init(&name);
    while (rc == PS_OK && (rc = ps_records_next(&r)) == PS_OK) {
        if (r.len == 0 || r.len > MAX_RECORD || r.data[r.len - 1] != '\n' || r.data[r.len] != 0 ||
            off + r.len > size || memcmp(r.data, data + off, r.len))
            __builtin_trap();
        if (r.is_header != (fmt == PS_RECORDS_CSV && n == 0) || !r.file != r.is_header)
            __builtin_trap();
        if (fmt == PS_RECORDS_JSONL) { /* jansson hands back valid UTF-8 only */
            ps_buf_reset(&name);
            ps_json_decoded_text(&name, r.file, strlen(r.file));
            if (name.len != strlen(r.file) || (name.len && memcmp(name.data, r.file, name.len)))
                __builtin_trap();
        }
        off += r.len;
        n++;
        for (size_t i = 0; i < r.len; i++)
            h = (h ^ (uint8_t)r.data[i]) * 1099511628211ull;
        for (const char *p = r.file ? r.file : ""; *p; p++)
            h = (h ^ (uint8_t)*p) * 1099511628211ull;
        h = (h ^ r.line) * 1099511628211ull;
    }
    if (rc == PS_DONE && (r.end_ok != off || r.torn != (off < size)))
        __builtin_trap();
    if (rc != PS_DONE && ps_records_next(&r) != rc) /* refusals are final */
        __builtin_trap();
    *digest = h ^ off ^ ((uint64_t)rc << 56);
    ps_buf_release(&name);
    ps_records_release(&r);
    fclose(f);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > (1u << 20))
        return 0;
    size_t small = 1 + data[0] % 64;
    for (int fmt = PS_RECORDS_JSONL; fmt <= PS_RECORDS_CSV; fmt++) {
        uint64_t d1, d2;
        ps_status a = read_all(data, size, (ps_records_format)fmt, 0, &d1);
        ps_status b = read_all(data, size, (ps_records_format)fmt, small, &d2);
        if (a == PS_ERR_IO || b == PS_ERR_IO) /* fmemopen could not open */
            continue;
        if (a != b || d1 != d2)
            __builtin_trap();
    }
    return 0;
}
