/* The frame of the commands that take a list of files (info, ink, page):
 * parsing their arguments, and ending each file's record the same way. */
#include "cli/cli.h"
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
