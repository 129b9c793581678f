/* Reader of penscope's result files: what `penscope batch --out` writes,
 * `penscope merge` joins and `batch --resume` continues. JSON Lines hold one
 * record per line; CSV starts with a header row and has the input file in
 * its first column (a quoted field may span lines). Each record comes back
 * whole, newline included, so callers can copy it byte for byte, together
 * with the input file it is about. A last record without its newline (a run
 * killed mid-write) is reported as torn instead of returned. These files are
 * edited, truncated and copied around, so they are untrusted input: records
 * have a size limit, and the reader has a fuzz target (fuzz_records). Kept
 * in store/ since these files, like the database, are where results live. */
#ifndef PS_STORE_RECORDS_H
#define PS_STORE_RECORDS_H
#include "penscope.h"
#include "core/buf.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum ps_records_format { PS_RECORDS_JSONL = 0, PS_RECORDS_CSV = 1 } ps_records_format;

/* The longest record penscope writes is a grip video's: about 1.6 KB a frame
 * with one hand (measured), so some 90 MB for two hands over the 36000-frame
 * limit (10 minutes at 60 fps). A line longer than this is not a record. */
#define PS_RECORDS_MAX_BYTES (256u << 20)

typedef struct ps_records_reader {
    /* the current record, after ps_records_next returned PS_OK: */
    const char *data;  /* len bytes ending in '\n', NUL after; valid until the next call */
    size_t len;
    const char *file;  /* its input file (CSV quotes undone); NULL for the CSV header */
    bool is_header;    /* the first row of a CSV */
    size_t line;       /* the line it starts on, from 1 */
    /* after the end (PS_DONE): */
    bool torn;         /* bytes after the last complete record were dropped */
    uint64_t end_ok;   /* bytes up to the end of the last complete record */
    /* private */
    FILE *f;
    ps_records_format format;
    size_t max_bytes;
    ps_buf rec, name;
    char *chunk;
    size_t chunk_bytes; /* bytes per read: tests lower it to cross reads with small inputs */
    size_t pos, fill, next_line;
    bool eof;
    ps_status err; /* sticky */
} ps_records_reader;

/* Reads records from f (read from its current position, which counts as
 * offset 0; f stays the caller's). max_bytes caps one record, 0 for
 * PS_RECORDS_MAX_BYTES. Fails only when out of memory. */
ps_status ps_records_init(ps_records_reader *r, FILE *f, ps_records_format format, size_t max_bytes);
/* The next record: PS_OK with the fields above filled; PS_DONE at the end
 * (check torn); PS_ERR_CORRUPT for a JSON line that is not an object with a
 * "file" string (bad JSON, bad UTF-8, wrong types); PS_ERR_LIMIT for a record
 * over max_bytes; PS_ERR_IO, PS_ERR_NOMEM. Errors name the line in
 * ps_last_error() and are final: later calls return the same status. */
ps_status ps_records_next(ps_records_reader *r);
void ps_records_release(ps_records_reader *r);

#endif
