/* Common option parsing for all commands (see cli.h). One table holds every
 * option any command takes; a command names the ones it accepts. */
#include "cli/cli.h"
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_opts_default(cli_opts *o)
{
    memset(o, 0, sizeof *o);
    o->camera = -1;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("penscope: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

const char *cli_models_dir(const cli_opts *o)
{
    if (o && o->models_dir)
        return o->models_dir;
    const char *env = getenv("PENSCOPE_MODELS");
    if (env && *env)
        return env;
#ifdef PS_DEFAULT_MODELS_DIR
    return PS_DEFAULT_MODELS_DIR;
#else
    return "models";
#endif
}

enum { O_JSON = 1000, O_MODELS, O_OVERLAY, O_MODEL, O_PENCIL_MM, O_CAMERA, O_DPI, O_RULING_MM,
       O_TEXT, O_SECONDS, O_COLUMNS, O_LPI, O_FS, O_SHOW, O_NO_SHOW, O_HELP };

static const struct option all_options[] = {
    {"json", no_argument, 0, O_JSON},
    {"quiet", no_argument, 0, 'q'},
    {"threads", required_argument, 0, 'j'},
    {"models", required_argument, 0, O_MODELS},
    {"overlay", required_argument, 0, O_OVERLAY},
    {"model", required_argument, 0, O_MODEL},
    {"pencil-mm", required_argument, 0, O_PENCIL_MM},
    {"camera", required_argument, 0, O_CAMERA},
    {"dpi", required_argument, 0, O_DPI},
    {"ruling-mm", required_argument, 0, O_RULING_MM},
    {"text", required_argument, 0, O_TEXT},
    {"seconds", required_argument, 0, O_SECONDS},
    {"columns", required_argument, 0, O_COLUMNS},
    {"lpi", required_argument, 0, O_LPI},
    {"fs", required_argument, 0, O_FS},
    {"show", no_argument, 0, O_SHOW},
    {"no-show", no_argument, 0, O_NO_SHOW},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0},
};

static bool accepted_name(const char *const *accepted, const char *name)
{
    for (; accepted && *accepted; accepted++)
        if (!strcmp(*accepted, name))
            return true;
    return false;
}

static bool parse_pos(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v > 0) || v > 1e9)
        return false;
    *out = v;
    return true;
}

int cli_parse(int argc, char **argv, cli_opts *o, const char *const *accepted, const char *usage)
{
    /* Options may come before or after the inputs, as the usage lines show
     * them (GNU argument permutation; "--" ends the options). optind = 0
     * fully re-initialises getopt, since one process (demo, batch) parses
     * several command lines. */
    optind = 0;
    opterr = 0;
    int c, idx = -1;
    while ((c = getopt_long(argc, argv, "qj:", all_options, &idx)) != -1) {
        const char *name = NULL;
        if (c == 'q')
            name = "quiet";
        else if (c == 'j')
            name = "threads";
        else if (c != '?' && idx >= 0)
            name = all_options[idx].name;
        else if (c != '?') {
            for (const struct option *op = all_options; op->name; op++)
                if (op->val == c)
                    name = op->name;
        }
        idx = -1;
        if (c == '?' || !name) {
            cli_error("unknown option '%s'\n%s", argv[optind - 1], usage);
            return -1;
        }
        if (c == O_HELP) {
            fputs(usage, stdout);
            return -2;
        }
        if (!accepted_name(accepted, name)) {
            cli_error("option '--%s' does not apply here\n%s", name, usage);
            return -1;
        }
        double v;
        switch (c) {
        case O_JSON: o->json = true; break;
        case 'q': o->quiet = true; break;
        case 'j':
            if (!parse_pos(optarg, &v) || v > 256) {
                cli_error("bad thread count '%s'", optarg);
                return -1;
            }
            o->threads = (int)v;
            break;
        case O_MODELS: o->models_dir = optarg; break;
        case O_OVERLAY: o->overlay_dir = optarg; break;
        case O_MODEL:
            if (strcmp(optarg, "full") && strcmp(optarg, "lite")) {
                cli_error("--model takes 'full' or 'lite', not '%s'", optarg);
                return -1;
            }
            o->model = optarg;
            break;
        case O_CAMERA: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (end == optarg || *end || n < 0 || n > 63) {
                cli_error("bad camera number '%s'", optarg);
                return -1;
            }
            o->camera = (int)n;
            break;
        }
        case O_TEXT: o->text = optarg; break;
        case O_SHOW: o->show = 1; break;
        case O_NO_SHOW: o->show = -1; break;
        case O_COLUMNS: o->columns = optarg; break;
        default: {
            double *dst = c == O_PENCIL_MM ? &o->pencil_mm : c == O_DPI ? &o->dpi
                        : c == O_RULING_MM ? &o->ruling_mm : c == O_SECONDS ? &o->seconds
                        : c == O_LPI ? &o->lpi : &o->fs;
            if (!parse_pos(optarg, &v)) {
                cli_error("option '--%s' needs a positive number, not '%s'", name, optarg);
                return -1;
            }
            *dst = v;
        }
        }
    }
    return optind;
}
