/* Dispatch from a kind of analysis to the analyser behind a command, so that
 * batch, record and bench run exactly what `penscope <kind>` runs. */
#include "cli/cli.h"
#include "core/file.h"
#include "core/status.h"
#include <string.h>

static const struct {
    const char *kind;
    cli_analyse_fn fn;
} analysers[] = {
    {"grip", cli_analyse_grip},
    {"selftest", cli_analyse_selftest}, /* test hook for batch/record tests */
    {"ink", cli_analyse_ink},
    {"page", cli_analyse_page},
    /* one line per analyser: add above this comment */
    {NULL, NULL},
};

ps_status cli_analyse(const char *kind, const char *path, const cli_opts *o, ps_buf *out)
{
    for (size_t i = 0; analysers[i].kind; i++)
        if (!strcmp(analysers[i].kind, kind))
            return analysers[i].fn(path, o, out);
    cli_record r;
    char msg[128];
    snprintf(msg, sizeof msg, "no '%s' analyser in this build", kind);
    cli_record_fail(&r, path, kind, PS_ERR_UNSUPPORTED, msg);
    ps_buf_append(out, r.buf.data, r.buf.len);
    cli_record_release(&r);
    return ps_fail(PS_ERR_UNSUPPORTED, "%s", msg);
}

const char *cli_kind_of(const char *path)
{
    switch (ps_input_kind_of(path)) {
    case PS_INPUT_IMAGE:
    case PS_INPUT_VIDEO: return "grip";
    case PS_INPUT_INK: return "ink";
    default: return NULL;
    }
}
