/* The frame of the commands that take a list of files (info, ink, page):
 * parsing their arguments, and ending each file's record the same way. */
#include "cli/cli.h"
#include "core/file.h"
#include "core/status.h"
#include <stdio.h>

int cli_parse_files(int argc, char **argv, cli_opts *o, const char *const *accepted, const char *usage,
                    const char *cmd, int *exit_code)
{
    int first = cli_parse(argc, argv, o, accepted, usage);
    if (first == -2) {
        *exit_code = CLI_EXIT_OK;
        return -1;
    }
    if (first < 0) {
        *exit_code = CLI_EXIT_USAGE;
        return -1;
    }
    if (first >= argc) {
        cli_error("%s needs at least one file\n%s", cmd, usage);
        *exit_code = CLI_EXIT_USAGE;
        return -1;
    }
    return first;
}

int cli_record_finish_line(cli_record *r, const char *path, const char *kind, ps_status rc, const char *line,
                           const cli_opts *o)
{
    int failed = 0;
    if (rc != PS_OK) {
        /* copied first: the message must outlive whatever the record does */
        char msg[PS_ERRMSG_MAX];
        snprintf(msg, sizeof msg, "%s", ps_last_error());
        cli_record_release(r);
        cli_record_fail(r, path, kind, rc, msg);
        failed = 1;
        if (!o->json)
            cli_error("%s", msg);
    } else {
        ps_json_obj_end(&r->j);
    }
    if (o->json) {
        cli_record_emit(r, stdout);
    } else {
        if (rc == PS_OK)
            printf("%s: %s\n", path, line);
        cli_record_release(r);
    }
    return failed;
}

ps_status cli_overlay_path(const cli_opts *o, const char *input, const char *what, char *out, size_t cap)
{
    out[0] = 0;
    if (!o->overlay_dir)
        return PS_OK;
    ps_status rc = ps_dir_create_private(o->overlay_dir);
    if (rc == PS_OK)
        snprintf(out, cap, "%s/%.*s.%s.png", o->overlay_dir, ps_path_stem_len(input), ps_path_basename(input), what);
    return rc;
}
