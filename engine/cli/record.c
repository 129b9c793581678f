/* The one-line JSON record per input (DESIGN.md §4). */
#include "cli/cli.h"
#include "core/file.h"

void cli_record_begin(cli_record *r, const char *file, const char *kind)
{
    ps_buf_init(&r->buf);
    ps_json_init(&r->j, &r->buf);
    ps_json_obj_begin(&r->j);
    ps_json_kstr(&r->j, "file", file);
    ps_json_kstr(&r->j, "kind", kind);
}

const char *cli_error_code(ps_status rc)
{
    switch (rc) {
    case PS_ERR_INVALID_ARG: return "invalid_arg";
    case PS_ERR_NOMEM: return "nomem";
    case PS_ERR_IO: return "io";
    case PS_ERR_CORRUPT: return "corrupt";
    case PS_ERR_LIMIT: return "limit";
    case PS_ERR_UNSUPPORTED: return "unsupported";
    case PS_ERR_DB: return "db";
    case PS_ERR_NOT_FOUND: return "not_found";
    default: return "internal";
    }
}

void cli_record_fail(cli_record *r, const char *file, const char *kind, ps_status rc, const char *message)
{
    cli_record_begin(r, file, kind);
    ps_json_kbool(&r->j, "ok", false);
    ps_json_key(&r->j, "error");
    ps_json_obj_begin(&r->j);
    ps_json_kstr(&r->j, "code", cli_error_code(rc));
    ps_json_kstr(&r->j, "message", message);
    ps_json_obj_end(&r->j);
    ps_json_obj_end(&r->j);
}

void cli_record_emit(cli_record *r, FILE *f)
{
    ps_buf_putc(&r->buf, '\n');
    ps_buf_flush(&r->buf, f);
    cli_record_release(r);
}

void cli_record_release(cli_record *r)
{
    ps_buf_release(&r->buf);
}
