/* penscope: the command-line front end. A git-style command table; each
 * command lives in cmd_<name>.c and parses its own options. */
#include "cli/cli.h"
#include "cli/display_wire.h"
#include <stdio.h>
#include <string.h>

static int cmd_help(int argc, char **argv);

static const cli_command commands[] = {
    {"info", cmd_info, "show format, size, orientation, frames and duration of inputs"},
    {"demo", cmd_demo, "run penscope on the bundled samples"},
    {"version", cmd_version, "print the version"},
    {"help", cmd_help, "list the commands"},
    {"grip", cmd_grip, "hands and landmarks in grip photos and videos"},
    {"child", cmd_child, "add, list, show and edit children in the store"},
    {"goal", cmd_goal, "set, list and delete a child's goals (target band, date, GAS levels)"},
    {"record", cmd_record, "analyse inputs and store the results for a child"},
    {"progress", cmd_progress, "a child's progress per metric: change, slope, reliable change, goals"},
    {"export", cmd_export, "all stored measurements as CSV"},
    {"report", cmd_report, "a printable progress report (PDF or HTML) for families and teachers"},
    {"batch", cmd_batch, "analyse many inputs in parallel: resumable, shardable"},
    {"merge", cmd_merge, "join the outputs of batch shards"},
    {"ink", cmd_ink, "tablet pen recordings: kinematics, fluency, pressure, letter formation"},
    {"page", cmd_page, "letter size, alignment, spacing and slant on worksheet scans and photos"},
    {"bench", cmd_bench, "run a labelled dataset: accuracy, agreement and speed"},
    /* new commands: add one line above this comment */
};

static void list_commands(FILE *f)
{
    fprintf(f, "usage: penscope <command> [options] <inputs...>\n"
               "       penscope <command> --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    list_commands(stdout);
    return CLI_EXIT_OK;
}

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("penscope %s\n", ps_version());
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        list_commands(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--version") || !strcmp(name, "-V"))
        return cmd_version(argc - 1, argv + 1);
    if (!strcmp(name, "--help") || !strcmp(name, "-h"))
        return cmd_help(argc - 1, argv + 1);
    if (!strcmp(name, "__display")) /* internal: the live window's process (display_wire.h) */
        return cli_display_server(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (!strcmp(commands[i].name, name)) {
            int rc = commands[i].fn(argc - 1, argv + 1);
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "penscope: cannot write the output\n");
                return CLI_EXIT_FAILED;
            }
            return rc;
        }
    }
    fprintf(stderr, "penscope: '%s' is not a command, see 'penscope --help'\n", name);
    return CLI_EXIT_USAGE;
}
