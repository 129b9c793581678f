/* penscope child: add, list, show and edit the children of the store. A child
 * is known by a pseudonymous code (no names); birth year or grade, writing
 * hand and notes are optional. Also the small helpers the store commands
 * share: taking command options out of argv, and opening the store. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/status.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: penscope child add ID [--birth-year Y] [--grade G] [--hand left|right] [--notes TEXT]\n"
    "       penscope child list [--json]\n"
    "       penscope child show ID [--json]\n"
    "       penscope child edit ID [--code NEW] [--birth-year Y] [--grade G] [--hand H] [--notes TEXT]\n"
    "       penscope child delete ID --yes   (all of the child's data, for good)\n"
    "\n"
    "ID is a pseudonymous code of letters, digits, '-', '_' and '.' (never a\n"
    "name). An empty value ('') clears a field when editing.\n"
    "\n"
    "  --db PATH   the database (default $PENSCOPE_DB, else\n"
    "              $XDG_DATA_HOME/penscope/penscope.db or ~/.local/share/penscope/penscope.db)\n"
    "  --json      machine output\n";

int cli_take(int *argc, char **argv, const char *name, int has_arg, const char **val)
{
    size_t nl = strlen(name);
    int found = 0;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--"))
            break;
        if (a[0] != '-' || a[1] != '-' || strncmp(a + 2, name, nl) != 0)
            continue;
        const char *rest = a + 2 + nl;
        int take = 0;
        if (!*rest) {
            if (has_arg) {
                if (i + 1 >= *argc) {
                    cli_error("option '--%s' needs a value", name);
                    return -1;
                }
                *val = argv[i + 1];
                take = 2;
            } else
                take = 1;
        } else if (*rest == '=' && has_arg) {
            *val = rest + 1;
            take = 1;
        } else
            continue;
        memmove(argv + i, argv + i + take, (size_t)(*argc - i - take + 1) * sizeof *argv);
        *argc -= take;
        i--;
        found = 1;
        if (!has_arg && val)
            *val = "1";
    }
    return found;
}

ps_store_t *cli_store_open(const char *db, int create)
{
    ps_store_t *s = NULL;
    ps_error_clear();
    char path[4096];
    if (!db) {
        if (ps_store_default_path(path, sizeof path) != PS_OK) {
            cli_error("%s", ps_last_error());
            return NULL;
        }
        db = path;
    }
    struct stat sb;
    if (!create && stat(db, &sb) != 0) {
        /* a typo in --db must not leave an empty database behind */
        cli_error("no database at '%s' (add a child first: penscope child add ID)", db);
        return NULL;
    }
    if (ps_store_open(db, 0, &s) != PS_OK) {
        cli_error("%s", ps_last_error());
        return NULL;
    }
    return s;
}

static int parse_year(const char *v, int *out)
{
    if (!*v) {
        *out = 0;
        return 0;
    }
    char *end;
    long y = strtol(v, &end, 10);
    if (end == v || *end || y < 1900 || y > 2200) {
        cli_error("bad birth year '%s'", v);
        return -1;
    }
    *out = (int)y;
    return 0;
}

static int copy_field(char *dst, size_t cap, const char *v, const char *what)
{
    if (strlen(v) >= cap) {
        cli_error("%s is longer than %zu characters", what, cap - 1);
        return -1;
    }
    strcpy(dst, v);
    return 0;
}

/* Which fields an add/edit command line gave. */
enum { F_CODE = 1 << 0, F_YEAR = 1 << 1, F_GRADE = 1 << 2, F_HAND = 1 << 3, F_NOTES = 1 << 4 };

/* Takes --code/--birth-year/--grade/--hand/--notes out of argv into c and
 * sets their bits in *given; -1 after a usage error. */
static int take_fields(int *argc, char **argv, ps_child *c, int allow_code, unsigned *given)
{
    const char *v;
    int r;
    *given = 0;
    if (allow_code && (r = cli_take(argc, argv, "code", 1, &v)) != 0) {
        if (r < 0 || copy_field(c->code, sizeof c->code, v, "the code") < 0)
            return -1;
        *given |= F_CODE;
    }
    if ((r = cli_take(argc, argv, "birth-year", 1, &v)) != 0) {
        if (r < 0 || parse_year(v, &c->birth_year) < 0)
            return -1;
        *given |= F_YEAR;
    }
    if ((r = cli_take(argc, argv, "grade", 1, &v)) != 0) {
        if (r < 0 || copy_field(c->grade, sizeof c->grade, v, "the grade") < 0)
            return -1;
        *given |= F_GRADE;
    }
    if ((r = cli_take(argc, argv, "hand", 1, &v)) != 0) {
        if (r < 0 || copy_field(c->hand, sizeof c->hand, v, "the hand") < 0)
            return -1;
        *given |= F_HAND;
    }
    if ((r = cli_take(argc, argv, "notes", 1, &v)) != 0) {
        if (r < 0 || copy_field(c->notes, sizeof c->notes, v, "the notes") < 0)
            return -1;
        *given |= F_NOTES;
    }
    return 0;
}

static void child_json(ps_json *j, const ps_child *c)
{
    ps_json_kstr(j, "id", c->code);
    if (c->birth_year)
        ps_json_kint(j, "birth_year", c->birth_year);
    else
        ps_json_knull(j, "birth_year");
    ps_json_kstr(j, "grade", c->grade[0] ? c->grade : NULL);
    ps_json_kstr(j, "hand", c->hand[0] ? c->hand : NULL);
    ps_json_kstr(j, "notes", c->notes[0] ? c->notes : NULL);
}

static void emit(ps_buf *b)
{
    ps_buf_putc(b, '\n');
    ps_buf_flush(b, stdout);
    ps_buf_release(b);
}

static int child_show(ps_store_t *s, const ps_child *c, int json)
{
    ps_session_info *ss = NULL;
    ps_goal *goals = NULL;
    size_t ns = 0, ng = 0;
    if (ps_store_session_list(s, c->id, &ss, &ns) != PS_OK || ps_store_goal_list(s, c->id, &goals, &ng) != PS_OK) {
        cli_error("%s", ps_store_errmsg(s));
        ps_free(ss);
        return CLI_EXIT_FAILED;
    }
    char date[16];
    if (json) {
        ps_buf b;
        ps_json j;
        ps_buf_init(&b);
        ps_json_init(&j, &b);
        ps_json_obj_begin(&j);
        child_json(&j, c);
        ps_json_key(&j, "sessions");
        ps_json_arr_begin(&j);
        for (size_t i = 0; i < ns; i++) {
            ps_json_obj_begin(&j);
            ps_date_format(ss[i].day, date);
            ps_json_kstr(&j, "date", date);
            ps_json_kstr(&j, "kind", ss[i].kind);
            ps_json_kstr(&j, "file", ss[i].file);
            ps_json_kstr(&j, "sha256", ss[i].sha256);
            ps_json_kstr(&j, "version", ss[i].version);
            ps_json_kstr(&j, "note", ss[i].note[0] ? ss[i].note : NULL);
            ps_json_obj_end(&j);
        }
        ps_json_arr_end(&j);
        ps_json_key(&j, "goals");
        ps_json_arr_begin(&j);
        for (size_t i = 0; i < ng; i++) {
            ps_json_obj_begin(&j);
            ps_json_kstr(&j, "metric", goals[i].metric);
            ps_json_knum(&j, "low", goals[i].low);
            ps_json_knum(&j, "high", goals[i].high);
            if (goals[i].due_day) {
                ps_date_format(goals[i].due_day, date);
                ps_json_kstr(&j, "due", date);
            } else
                ps_json_knull(&j, "due");
            ps_json_obj_end(&j);
        }
        ps_json_arr_end(&j);
        ps_json_obj_end(&j);
        emit(&b);
    } else {
        printf("child %s\n", c->code);
        if (c->birth_year)
            printf("  birth year  %d\n", c->birth_year);
        if (c->grade[0])
            printf("  grade       %s\n", c->grade);
        printf("  hand        %s\n", c->hand[0] ? c->hand : "not given");
        if (c->notes[0])
            printf("  notes       %s\n", c->notes);
        printf("  sessions    %zu\n", ns);
        for (size_t i = 0; i < ns; i++) {
            ps_date_format(ss[i].day, date);
            printf("    %s  %-5s %s%s%s\n", date, ss[i].kind, ss[i].file, ss[i].note[0] ? "  - " : "", ss[i].note);
        }
        if (ng)
            printf("  goals       %zu\n", ng);
        for (size_t i = 0; i < ng; i++) {
            printf("    %s %g..%g", goals[i].metric, goals[i].low, goals[i].high);
            if (goals[i].due_day) {
                ps_date_format(goals[i].due_day, date);
                printf(" by %s", date);
            }
            printf("\n");
        }
    }
    ps_free(ss);
    ps_free(goals);
    return CLI_EXIT_OK;
}

int cmd_child(int argc, char **argv)
{
    const char *db = NULL, *v;
    int json = 0, r;
    if ((r = cli_take(&argc, argv, "db", 1, &db)) < 0 || (r = cli_take(&argc, argv, "json", 0, &v)) < 0)
        return CLI_EXIT_USAGE;
    json = r > 0;
    if (cli_take(&argc, argv, "help", 0, &v) > 0) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 2) {
        cli_error("child needs a subcommand\n%s", usage);
        return CLI_EXIT_USAGE;
    }
    const char *sub = argv[1];
    ps_child c = {0};
    if (!strcmp(sub, "add") || !strcmp(sub, "edit")) {
        int add = !strcmp(sub, "add");
        /* fields first, so a bad option is a usage error before the store opens */
        ps_child fields = {0};
        unsigned given;
        if (take_fields(&argc, argv, &fields, !add, &given) < 0)
            return CLI_EXIT_USAGE;
        if (argc != 3 || argv[2][0] == '-') {
            cli_error("child %s takes one ID and known options\n%s", sub, usage);
            return CLI_EXIT_USAGE;
        }
        ps_store_t *s = cli_store_open(db, add);
        if (!s)
            return CLI_EXIT_FAILED;
        ps_status rc = PS_OK;
        if (add) {
            if (copy_field(c.code, sizeof c.code, argv[2], "the ID") < 0) {
                ps_store_close(s);
                return CLI_EXIT_USAGE;
            }
        } else if ((rc = ps_store_child_get(s, argv[2], &c)) != PS_OK) {
            cli_error("%s", ps_store_errmsg(s));
            ps_store_close(s);
            return CLI_EXIT_FAILED;
        }
        if (given & F_CODE)
            memcpy(c.code, fields.code, sizeof c.code);
        if (given & F_YEAR)
            c.birth_year = fields.birth_year;
        if (given & F_GRADE)
            memcpy(c.grade, fields.grade, sizeof c.grade);
        if (given & F_HAND)
            memcpy(c.hand, fields.hand, sizeof c.hand);
        if (given & F_NOTES)
            memcpy(c.notes, fields.notes, sizeof c.notes);
        rc = add ? ps_store_child_add(s, &c) : ps_store_child_update(s, &c);
        if (rc != PS_OK)
            cli_error("%s", ps_store_errmsg(s));
        else if (!json)
            printf("%s child %s\n", add ? "added" : "updated", c.code);
        ps_store_close(s);
        return rc == PS_OK ? CLI_EXIT_OK : CLI_EXIT_FAILED;
    }
    if (!strcmp(sub, "list")) {
        if (argc != 2) {
            cli_error("child list takes no arguments\n%s", usage);
            return CLI_EXIT_USAGE;
        }
        ps_store_t *s = cli_store_open(db, 0);
        if (!s)
            return CLI_EXIT_FAILED;
        ps_child *all = NULL;
        size_t n = 0;
        if (ps_store_child_list(s, &all, &n) != PS_OK) {
            cli_error("%s", ps_store_errmsg(s));
            ps_store_close(s);
            return CLI_EXIT_FAILED;
        }
        for (size_t i = 0; i < n; i++) {
            if (json) {
                ps_buf b;
                ps_json j;
                ps_buf_init(&b);
                ps_json_init(&j, &b);
                ps_json_obj_begin(&j);
                child_json(&j, &all[i]);
                ps_json_obj_end(&j);
                emit(&b);
            } else {
                char year[8] = "";
                if (all[i].birth_year)
                    snprintf(year, sizeof year, "%d", all[i].birth_year);
                printf("%-16s %-6s %-8s %-6s %s\n", all[i].code, year, all[i].grade, all[i].hand, all[i].notes);
            }
        }
        if (!json && n == 0)
            printf("no children yet: penscope child add ID\n");
        ps_free(all);
        ps_store_close(s);
        return CLI_EXIT_OK;
    }
    if (!strcmp(sub, "show")) {
        if (argc != 3) {
            cli_error("child show takes one ID\n%s", usage);
            return CLI_EXIT_USAGE;
        }
        ps_store_t *s = cli_store_open(db, 0);
        if (!s)
            return CLI_EXIT_FAILED;
        int rc = CLI_EXIT_FAILED;
        if (ps_store_child_get(s, argv[2], &c) != PS_OK)
            cli_error("%s", ps_store_errmsg(s));
        else
            rc = child_show(s, &c, json);
        ps_store_close(s);
        return rc;
    }
    if (!strcmp(sub, "delete")) {
        int yes = cli_take(&argc, argv, "yes", 0, &v);
        if (argc != 3 || yes < 0) {
            cli_error("child delete takes one ID\n%s", usage);
            return CLI_EXIT_USAGE;
        }
        if (!yes) {
            cli_error("this deletes every session, measurement and goal of '%s' for good: add --yes", argv[2]);
            return CLI_EXIT_USAGE;
        }
        ps_store_t *s = cli_store_open(db, 0);
        if (!s)
            return CLI_EXIT_FAILED;
        ps_status rc = ps_store_child_delete(s, argv[2]);
        if (rc != PS_OK)
            cli_error("%s", ps_store_errmsg(s));
        else if (!json)
            printf("deleted child %s and all its data\n", argv[2]);
        ps_store_close(s);
        return rc == PS_OK ? CLI_EXIT_OK : CLI_EXIT_FAILED;
    }
    cli_error("'%s' is not a child subcommand\n%s", sub, usage);
    return CLI_EXIT_USAGE;
}
