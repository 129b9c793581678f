/* penscope goal: a therapist's goal for one metric of one child: a target
 * value or band, a date, and optionally the five Goal Attainment Scaling
 * levels (-2..+2) as values of the metric. */
#include "cli/cli.h"
#include "core/alloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: penscope goal set --child ID --metric M --target V|LOW:HIGH [--by DATE]\n"
    "                         [--gas V-2,V-1,V0,V+1,V+2] [--note TEXT]\n"
    "       penscope goal list --child ID [--json]\n"
    "       penscope goal delete --child ID --metric M\n"
    "\n"
    "Example: grip distance 15-25 mm by March, with GAS levels:\n"
    "  penscope goal set --child K7 --metric grip_distance_mm --target 15:25 --by 2027-03-31 \\\n"
    "                    --gas 4,10,15,20,25\n"
    "\n"
    "--gas gives the value that defines each level from -2 (much less than\n"
    "expected) through 0 (the expected outcome) to +2 (much more); they must rise\n"
    "or fall steadily, and run the metric's good way when it has one.\n"
    "\n"
    "  --db PATH   the database (see 'penscope child --help')\n";

static int parse_num(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && !*end && isfinite(*v) ? 0 : -1;
}

static int parse_target(const char *s, ps_goal *g)
{
    const char *colon = strchr(s, ':');
    if (!colon) {
        if (parse_num(s, &g->low) < 0)
            return -1;
        g->high = g->low;
        return 0;
    }
    char lo[64];
    if ((size_t)(colon - s) >= sizeof lo)
        return -1;
    memcpy(lo, s, (size_t)(colon - s));
    lo[colon - s] = 0;
    return parse_num(lo, &g->low) < 0 || parse_num(colon + 1, &g->high) < 0 ? -1 : 0;
}

static int parse_gas(const char *s, ps_goal *g)
{
    char buf[256];
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    int k = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (k == 5 || parse_num(tok, &g->gas[k]) < 0)
            return -1;
        k++;
    }
    g->has_gas = 1;
    return k == 5 ? 0 : -1;
}

static void print_goal(const ps_goal *g, int json)
{
    char due[16] = "";
    if (g->due_day)
        ps_date_format(g->due_day, due);
    if (json) {
        ps_buf b;
        ps_json j;
        ps_buf_init(&b);
        ps_json_init(&j, &b);
        ps_json_obj_begin(&j);
        ps_json_kstr(&j, "metric", g->metric);
        ps_json_knum(&j, "low", g->low);
        ps_json_knum(&j, "high", g->high);
        ps_json_kstr(&j, "due", g->due_day ? due : NULL);
        ps_json_key(&j, "gas");
        if (g->has_gas) {
            ps_json_arr_begin(&j);
            for (int k = 0; k < 5; k++)
                ps_json_num(&j, g->gas[k]);
            ps_json_arr_end(&j);
        } else
            ps_json_null(&j);
        ps_json_kstr(&j, "note", g->note[0] ? g->note : NULL);
        ps_json_obj_end(&j);
        ps_buf_putc(&b, '\n');
        ps_buf_flush(&b, stdout);
        ps_buf_release(&b);
        return;
    }
    const ps_metric_info *mi = ps_metric_find(g->metric);
    printf("%-24s ", g->metric);
    if (g->low == g->high)
        printf("%g", g->low);
    else
        printf("%g..%g", g->low, g->high);
    printf(" %s", mi && mi->unit[0] ? mi->unit : "");
    if (g->due_day)
        printf(" by %s", due);
    if (g->has_gas)
        printf("  GAS -2:%g -1:%g 0:%g +1:%g +2:%g", g->gas[0], g->gas[1], g->gas[2], g->gas[3], g->gas[4]);
    if (g->note[0])
        printf("  (%s)", g->note);
    printf("\n");
}

int cmd_goal(int argc, char **argv)
{
    const char *db = NULL, *child = NULL, *metric = NULL, *target = NULL, *by = NULL, *gas = NULL, *note = NULL;
    const char *v;
    int json = 0;
    if (cli_take(&argc, argv, "help", 0, &v) > 0) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (cli_take(&argc, argv, "db", 1, &db) < 0 || cli_take(&argc, argv, "child", 1, &child) < 0 ||
        cli_take(&argc, argv, "metric", 1, &metric) < 0 || cli_take(&argc, argv, "target", 1, &target) < 0 ||
        cli_take(&argc, argv, "by", 1, &by) < 0 || cli_take(&argc, argv, "gas", 1, &gas) < 0 ||
        cli_take(&argc, argv, "note", 1, &note) < 0 || (json = cli_take(&argc, argv, "json", 0, &v)) < 0)
        return CLI_EXIT_USAGE;
    if (argc != 2 || !child) {
        cli_error("goal needs a subcommand and --child\n%s", usage);
        return CLI_EXIT_USAGE;
    }
    const char *sub = argv[1];
    ps_goal g = {0};
    if (!strcmp(sub, "set")) {
        if (!metric || !target) {
            cli_error("goal set needs --metric and --target\n%s", usage);
            return CLI_EXIT_USAGE;
        }
        if (strlen(metric) >= sizeof g.metric) {
            cli_error("bad metric name");
            return CLI_EXIT_USAGE;
        }
        strcpy(g.metric, metric);
        if (!ps_metric_find(metric)) {
            cli_error("'%s' is not a penscope metric (see METRICS.md)", metric);
            return CLI_EXIT_USAGE;
        }
        if (parse_target(target, &g) < 0) {
            cli_error("--target takes a number or LOW:HIGH, not '%s'", target);
            return CLI_EXIT_USAGE;
        }
        if (by && ps_date_parse(by, &g.due_day) != PS_OK) {
            cli_error("%s", ps_last_error());
            return CLI_EXIT_USAGE;
        }
        if (gas && parse_gas(gas, &g) < 0) {
            cli_error("--gas takes five numbers for levels -2,-1,0,+1,+2, not '%s'", gas);
            return CLI_EXIT_USAGE;
        }
        if (note && strlen(note) >= sizeof g.note) {
            cli_error("the note is longer than %zu characters", sizeof g.note - 1);
            return CLI_EXIT_USAGE;
        }
        if (note)
            strcpy(g.note, note);
    } else if (!strcmp(sub, "delete")) {
        if (!metric) {
            cli_error("goal delete needs --metric\n%s", usage);
            return CLI_EXIT_USAGE;
        }
    } else if (strcmp(sub, "list")) {
        cli_error("'%s' is not a goal subcommand\n%s", sub, usage);
        return CLI_EXIT_USAGE;
    }
    ps_store_t *s = cli_store_open(db, 0);
    if (!s)
        return CLI_EXIT_FAILED;
    ps_child c;
    ps_status rc = ps_store_child_get(s, child, &c);
    if (rc == PS_OK) {
        if (!strcmp(sub, "set")) {
            rc = ps_store_goal_set(s, c.id, &g);
            if (rc == PS_OK && !json)
                print_goal(&g, 0);
        } else if (!strcmp(sub, "delete"))
            rc = ps_store_goal_delete(s, c.id, metric);
        else {
            ps_goal *all = NULL;
            size_t n = 0;
            rc = ps_store_goal_list(s, c.id, &all, &n);
            for (size_t i = 0; rc == PS_OK && i < n; i++)
                print_goal(&all[i], json);
            if (rc == PS_OK && n == 0 && !json)
                printf("no goals for %s\n", child);
            ps_free(all);
        }
    }
    if (rc != PS_OK)
        cli_error("%s", ps_store_errmsg(s));
    ps_store_close(s);
    return rc == PS_OK ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}
