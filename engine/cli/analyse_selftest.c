/* A test hook, not a user feature: the hidden analysis kind "selftest" turns a
 * small text file into an analyser record, so that the tests of batch, record
 * and progress do not depend on the real analysers. Lines:
 *     name value      a metric: a number, true/false, null, or a word (category)
 *     !warning TEXT   a warning
 *     !detail JSON    the record's detail object (checked to be valid JSON)
 *     !fail TEXT      the analysis fails with TEXT (error code "corrupt")
 *     !sleep_ms N     waits N ms first (to widen race windows in tests)
 *     # ...           a comment */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/file.h"
#include "core/status.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static ps_status fail(const char *path, ps_status rc, const char *msg, ps_buf *out)
{
    cli_record r;
    cli_record_fail(&r, path, "selftest", rc, msg);
    ps_buf_append(out, r.buf.data, r.buf.len);
    cli_record_release(&r);
    return ps_fail(rc, "%s", msg);
}

ps_status cli_analyse_selftest(const char *path, const cli_opts *o, ps_buf *out)
{
    (void)o;
    unsigned char *data;
    size_t len;
    ps_error_clear();
    if (ps_file_read_all(path, 1u << 20, &data, &len) != PS_OK) {
        char msg[PS_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", ps_last_error());
        return fail(path, PS_ERR_IO, msg, out);
    }
    cli_record r;
    cli_record_begin(&r, path, "selftest");
    ps_json_kbool(&r.j, "ok", true);
    ps_json_key(&r.j, "metrics");
    ps_json_obj_begin(&r.j);
    const char *detail = NULL, *failmsg = NULL;
    const char *warnings[16];
    int nwarn = 0;
    char *save;
    for (char *line = strtok_r((char *)data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[--n] = 0;
        if (!n || line[0] == '#')
            continue;
        if (!strncmp(line, "!sleep_ms ", 10)) {
            long ms = strtol(line + 10, NULL, 10);
            if (ms > 0 && ms < 60000) {
                struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
                nanosleep(&ts, NULL);
            }
        } else if (!strncmp(line, "!warning ", 9)) {
            if (nwarn < 16)
                warnings[nwarn++] = line + 9;
        } else if (!strncmp(line, "!detail ", 8)) {
            detail = line + 8;
        } else if (!strncmp(line, "!fail ", 6)) {
            failmsg = line + 6;
        } else {
            char *sp = strchr(line, ' ');
            if (!sp) {
                failmsg = "a selftest line needs a name and a value";
                break;
            }
            *sp = 0;
            const char *val = sp + 1;
            char *end;
            double d = strtod(val, &end);
            ps_json_key(&r.j, line);
            if (!strcmp(val, "null"))
                ps_json_null(&r.j);
            else if (!strcmp(val, "true") || !strcmp(val, "false"))
                ps_json_bool(&r.j, val[0] == 't');
            else if (end != val && !*end)
                ps_json_num(&r.j, d);
            else
                ps_json_str(&r.j, val);
        }
    }
    ps_json_obj_end(&r.j);
    if (detail) {
        json_error_t err;
        json_t *dj = json_loads(detail, 0, &err);
        if (!json_is_object(dj))
            failmsg = "!detail is not a JSON object";
        json_decref(dj);
    }
    if (failmsg) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", failmsg);
        cli_record_release(&r);
        ps_free(data);
        return fail(path, PS_ERR_CORRUPT, msg, out);
    }
    ps_json_key(&r.j, "detail");
    if (detail)
        ps_json_raw(&r.j, detail);
    else {
        ps_json_obj_begin(&r.j);
        ps_json_obj_end(&r.j);
    }
    ps_json_key(&r.j, "warnings");
    ps_json_arr_begin(&r.j);
    for (int i = 0; i < nwarn; i++)
        ps_json_str(&r.j, warnings[i]);
    ps_json_arr_end(&r.j);
    ps_json_obj_end(&r.j);
    ps_buf_append(out, r.buf.data, r.buf.len);
    cli_record_release(&r);
    ps_free(data);
    return PS_OK;
}
