/*
 * main.c - the command line's front door: picks the command, prints
 * --help and --version. The commands live in cmd_*.c; the options they
 * share in cli.c. Exit codes: cli.h (and README, --help).
 */
#include "cli.h"
#include "report.h"
#include "../plugins/pgsafe_plugin.h"

#include <pg_query.h>
#include <stdio.h>
#include <string.h>

static const char usage_head[] =
	"usage: pgsafe [lint] [options] PATH...\n"
	"       pgsafe rules [--plugin PATH]...\n"
	"       pgsafe explain [--plugin PATH]... RULE\n"
	"       pgsafe explain --sql \"ALTER TABLE ...\" | FILE\n"
	"       pgsafe lsp                 (a Language Server for editors: docs/editors.md)\n"
	"       pgsafe plan [--format sql] PATH...   (the safe plan: pgsafe plan --help, docs/plan.md)\n"
	"       pgsafe verify PLAN.json    (checks a plan: pgsafe verify --help)\n"
	"       pgsafe --version\n"
	"\n"
	"Checks PostgreSQL migrations for statements that lock, rewrite or scan\n"
	"tables on a live database. PATH is a .sql file, a directory (its *.sql\n"
	"files, recursively, in natural order) or - for standard input.\n"
	"\n"
	"options:\n"
	"  -f, --format FORMAT        the output format (below; default text)\n"
	"      --pg-version N         target PostgreSQL major version, 10 to 17 (default 15)\n"
	"      --assume-in-transaction  the migration tool wraps each file in a transaction\n"
	"      --fail-on LEVEL        exit 1 on findings at or above error (default),\n"
	"                             warning or hint; never: do not fail on findings\n"
	"      --stdin-filename NAME  the name to show for standard input\n"
	"      --max-file-size BYTES  refuse larger inputs (default 67108864)\n"
	"      --color WHEN           auto (default), always or never; NO_COLOR is respected\n"
	"      --show-statements      text: also list every statement's locks and effects\n"
	"      --changed-since REF    report only files added or modified since the\n"
	"                             merge-base of REF and HEAD (git); the others are\n"
	"                             read as context, and tables the change creates are new\n"
	"      --with-context         report only the files named; read the other *.sql\n"
	"                             files of their directories as context (pre-commit)\n"
	"      --docs-base-url URL    link each rule to URL/<rule-id> (sarif, rdjson)\n"
	"      --config PATH          read settings from PATH for every input, instead of\n"
	"                             the .pgsafe.yaml found above each input\n"
	"      --no-config            read no configuration file\n"
	"      --plugin PATH          load the rules of the plugin PATH, a shared object\n"
	"                             (docs/plugins.md); repeatable\n"
	"      --plugin-option PLUGIN.NAME=VALUE  a setting of a loaded plugin\n"
	"      --allow-plugins        load the plugins configuration files name (or set\n"
	"                             PGSAFE_ALLOW_PLUGINS=1); without it they are refused\n"
	"      --framework NAME       the migration tool: auto (default: detected), plain,\n"
	"                             goose, dbmate, golang-migrate, flyway, sqitch, prisma,\n"
	"                             diesel, drizzle, rails-structure (docs/frameworks.md)\n"
	"      --include-down         also lint down migrations\n"
	"      --schema FILE          start from the schema in FILE (pg_dump --schema-only,\n"
	"                             Rails structure.sql); repeatable\n"
	"      --stats FILE           table sizes (JSON or YAML, tools/export-stats.sql):\n"
	"                             errors rewriting or scanning small tables are hints\n"
	"      --small-table-rows N   small means fewer rows than N (default 10000)\n"
	"      --small-table-bytes SIZE  ... and less than SIZE (default 10MB)\n"
	"  -h, --help                 this help\n"
	"  -V, --version              version, and the PostgreSQL grammar version\n"
	"\n"
	"formats:\n";

static const char usage_tail[] =
	"\n"
	"exit status: 0 clean; 1 findings at or above --fail-on; 2 usage or config\n"
	"error; 3 input error (unreadable, not UTF-8, NUL byte, empty); 4 plugin\n"
	"error; 70 internal error. When several apply, the highest wins.\n";

static void usage(void)
{
	size_t n;
	const struct reporter *r = report_list(&n);
	fputs(usage_head, stdout);
	for (size_t i = 0; i < n; i++)
		printf("  %-10s %s\n", r[i].name, r[i].summary);
	fputs(usage_tail, stdout);
}

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	bool own_help;          /* answers --help itself */
};

static const struct command commands[] = {
	{ "lint", cmd_lint, false },
	{ "rules", cmd_rules, false },
	{ "explain", cmd_explain, false },
	{ "lsp", cmd_lsp, false },
	{ "plan", cmd_plan, true },
	{ "verify", cmd_verify, true },
};

int main(int argc, char **argv)
{
	bool own_help = false;
	for (size_t i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			own_help = commands[i].own_help;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!own_help && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))) {
			usage();
			return EXIT_CLEAN;
		}
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("pgsafe %s (PostgreSQL %s grammar, libpg_query; plugin ABI %d.%d)\n",
			       PGSAFE_VERSION, PG_VERSION, PGSAFE_ABI_MAJOR, PGSAFE_ABI_MINOR);
			return EXIT_CLEAN;
		}
	}
	if (argc > 1) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
			if (!strcmp(argv[1], commands[i].name)) {
				argv[1] = argv[0];
				return commands[i].run(argc - 1, argv + 1);
			}
		}
	}
	/* no command word: lint */
	return cmd_lint(argc, argv);
}
