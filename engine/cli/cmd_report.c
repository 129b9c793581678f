/* penscope report: being written (issue 7). */
#include "cli/cli.h"
#include <string.h>

static const char usage[] = "usage: penscope report --child ID --out FILE.pdf|FILE.html\n";

int cmd_report(int argc, char **argv)
{
    const char *v;
    if (cli_take(&argc, argv, "help", 0, &v) > 0) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    cli_error("'report' is not available in this build yet\n%s", usage);
    return CLI_EXIT_USAGE;
}
