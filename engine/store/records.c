/* Reader of batch result files, JSON Lines or CSV (see records.h). */
#include "store/records.h"
#include "core/alloc.h"
#include "core/status.h"
#include <jansson.h>
#include <stdarg.h>
#include <string.h>

#define CHUNK_BYTES (64u * 1024)

ps_status ps_records_init(ps_records_reader *r, FILE *f, ps_records_format format, size_t max_bytes)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->format = format;
    r->max_bytes = max_bytes ? max_bytes : PS_RECORDS_MAX_BYTES;
    r->next_line = 1;
    r->chunk_bytes = CHUNK_BYTES;
    ps_buf_init(&r->rec);
    ps_buf_init(&r->name);
    r->chunk = ps_malloc(CHUNK_BYTES);
    if (!r->chunk)
        return r->err = ps_fail(PS_ERR_NOMEM, "out of memory reading records");
    return PS_OK;
}

void ps_records_release(ps_records_reader *r)
{
    ps_buf_release(&r->rec);
    ps_buf_release(&r->name);
    ps_free(r->chunk);
    memset(r, 0, sizeof *r);
}

/* Fails the reader for good: a file that is damaged in the middle is not
 * read past, since what follows cannot be trusted to line up. */
static ps_status stop(ps_records_reader *r, ps_status rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r->err = rc;
    ps_failv(rc, fmt, ap);
    va_end(ap);
    return rc;
}

/* Moves the bytes of one record from the file into r->rec. A record ends at a
 * newline, in CSV only outside quotes (a doubled quote inside a quoted field
 * flips the state twice, so counting quotes is enough). *complete is false
 * when the file ended first. */
static ps_status read_record(ps_records_reader *r, bool *complete)
{
    bool in_quotes = false;
    *complete = false;
    for (;;) {
        if (r->pos == r->fill) {
            if (r->eof)
                return PS_OK;
            size_t want = r->chunk_bytes && r->chunk_bytes < CHUNK_BYTES ? r->chunk_bytes : CHUNK_BYTES;
            size_t got = fread(r->chunk, 1, want, r->f);
            if (got < want) {
                if (ferror(r->f))
                    return stop(r, PS_ERR_IO, "cannot read line %zu", r->next_line);
                r->eof = true;
            }
            r->pos = 0;
            r->fill = got;
            continue;
        }
        const char *p = r->chunk + r->pos;
        size_t avail = r->fill - r->pos, k = 0;
        bool end = false;
        if (r->format == PS_RECORDS_JSONL) {
            const char *nl = memchr(p, '\n', avail);
            end = nl != NULL;
            k = end ? (size_t)(nl - p) + 1 : avail;
        } else
            while (k < avail && !end) {
                char c = p[k++];
                if (c == '"')
                    in_quotes = !in_quotes;
                else if (c == '\n' && !in_quotes)
                    end = true;
            }
        if (k > r->max_bytes - r->rec.len)
            return stop(r, PS_ERR_LIMIT, "line %zu: a record longer than %zu bytes", r->next_line, r->max_bytes);
        ps_buf_append(&r->rec, p, k);
        if (r->rec.failed)
            return stop(r, PS_ERR_NOMEM, "out of memory reading line %zu", r->next_line);
        r->pos += k;
        if (end) {
            *complete = true;
            return PS_OK;
        }
    }
}

/* The input file of a JSON line: its "file" member, which must be a string. */
static ps_status json_file(ps_records_reader *r)
{
    json_error_t err;
    json_t *root = json_loadb(r->rec.data, r->rec.len, 0, &err);
    if (!root)
        return stop(r, PS_ERR_CORRUPT, "line %zu: not JSON (%s)", r->line, err.text);
    json_t *f = json_object_get(root, "file");
    if (!json_is_string(f)) {
        json_decref(root);
        return stop(r, PS_ERR_CORRUPT, "line %zu: not a batch record (no \"file\" string)", r->line);
    }
    ps_buf_append(&r->name, json_string_value(f), json_string_length(f));
    json_decref(root);
    return PS_OK;
}

/* The input file of a CSV row: its first field, quotes undone. */
static void csv_file(ps_records_reader *r)
{
    const char *s = r->rec.data;
    size_t n = r->rec.len - 1, i = 0; /* without the newline */
    if (n && s[0] == '"') {
        for (i = 1; i < n; i++) {
            if (s[i] == '"') {
                if (i + 1 < n && s[i + 1] == '"')
                    i++;
                else
                    break;
            }
            ps_buf_putc(&r->name, s[i]);
        }
    } else {
        while (i < n && s[i] != ',')
            i++;
        ps_buf_append(&r->name, s, i);
    }
}

ps_status ps_records_next(ps_records_reader *r)
{
    if (r->err != PS_OK)
        return ps_fail(r->err, "the records could not be read further");
    r->data = NULL;
    r->len = 0;
    r->file = NULL;
    r->is_header = false;
    ps_buf_reset(&r->rec);
    ps_buf_reset(&r->name);
    r->line = r->next_line;
    bool complete;
    ps_status rc = read_record(r, &complete);
    if (rc != PS_OK)
        return rc;
    if (!complete) {
        if (r->rec.len)
            r->torn = true;
        return PS_DONE;
    }
    for (size_t i = 0; i < r->rec.len; i++)
        r->next_line += r->rec.data[i] == '\n';
    r->is_header = r->format == PS_RECORDS_CSV && r->end_ok == 0;
    if (!r->is_header) {
        if (r->format == PS_RECORDS_JSONL)
            rc = json_file(r);
        else
            csv_file(r);
        if (rc != PS_OK)
            return rc;
        ps_buf_putc(&r->name, 0); /* terminated even when empty */
        if (r->name.failed)
            return stop(r, PS_ERR_NOMEM, "out of memory reading line %zu", r->line);
        r->file = r->name.data;
    }
    r->end_ok += r->rec.len;
    r->data = r->rec.data;
    r->len = r->rec.len;
    return PS_OK;
}
