/*
 * main.c - the command line: options, inputs, exit codes.
 *
 * The only file that prints on its own behalf or decides the exit status.
 * Exit codes (README, --help): 0 clean; 1 findings at or above --fail-on;
 * 2 usage or config error; 3 input error; 4 plugin error; 70 internal
 * error. When several apply, the highest wins.
 */
#include "inputs.h"
#include "lint.h"
#include "registry.h"
#include "report.h"
#include "../rules/rule.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum exit_code {
	EXIT_CLEAN = 0,
	EXIT_FINDINGS = 1,
	EXIT_USAGE = 2,
	EXIT_INPUT = 3,
	EXIT_PLUGIN = 4,
	EXIT_INTERNAL = 70,
};

static const char usage_text[] =
	"usage: pgsafe [lint] [options] PATH...\n"
	"       pgsafe rules\n"
	"       pgsafe explain RULE\n"
	"       pgsafe explain --sql \"ALTER TABLE ...\" | FILE\n"
	"       pgsafe --version\n"
	"\n"
	"Checks PostgreSQL migrations for statements that lock, rewrite or scan\n"
	"tables on a live database. PATH is a .sql file, a directory (its *.sql\n"
	"files, recursively, in natural order) or - for standard input.\n"
	"\n"
	"options:\n"
	"  -f, --format FORMAT        text (default) or json\n"
	"      --pg-version N         target PostgreSQL major version, 10 to 17 (default 15)\n"
	"      --assume-in-transaction  the migration tool wraps each file in a transaction\n"
	"      --fail-on LEVEL        exit 1 on findings at or above error (default),\n"
	"                             warning or hint; never: do not fail on findings\n"
	"      --stdin-filename NAME  the name to show for standard input\n"
	"      --max-file-size BYTES  refuse larger inputs (default 67108864)\n"
	"      --color WHEN           auto (default), always or never; NO_COLOR is respected\n"
	"      --show-statements      text: also list every statement's locks and effects\n"
	"  -h, --help                 this help\n"
	"  -V, --version              version, and the PostgreSQL grammar version\n"
	"\n"
	"exit status: 0 clean; 1 findings at or above --fail-on; 2 usage or config\n"
	"error; 3 input error (unreadable, not UTF-8, NUL byte, empty); 4 plugin\n"
	"error; 70 internal error. When several apply, the highest wins.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "pgsafe: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pgsafe --help'.\n");
	return EXIT_USAGE;
}

static int cmd_rules(void)
{
	size_t n;
	const struct rule *const *rules = registry_rules(&n);
	for (size_t i = 0; i < n; i++)
		printf("%-44s %-8s %s\n", rules[i]->id, pgs_severity_name(rules[i]->default_severity),
		       rules[i]->summary);
	return EXIT_CLEAN;
}

static void print_versions(const struct rule *r)
{
	if (r->min_pg_version && r->max_pg_version)
		printf("PostgreSQL %d to %d\n", r->min_pg_version, r->max_pg_version);
	else if (r->min_pg_version)
		printf("PostgreSQL %d and later\n", r->min_pg_version);
	else if (r->max_pg_version)
		printf("PostgreSQL %d and earlier\n", r->max_pg_version);
	else
		printf("all supported versions (%d to %d)\n", PGS_PG_MIN, PGS_PG_MAX);
}

static int explain_rule(const char *id)
{
	const struct rule *r = registry_find(id);
	if (!r)
		return usage_error("unknown rule \"%s\" (see 'pgsafe rules')", id);
	printf("%s (%s)\n\n%s\n\nWhy:\n  %s\n\nFlagged:\n  %s\n\nSafe:\n  %s\n\nSafe alternative:\n",
	       r->id, pgs_severity_name(r->default_severity), r->summary, r->rationale,
	       r->bad_example ? r->bad_example : "-", r->good_example ? r->good_example : "-");
	for (const char *p = r->safe_alternative; p && *p; ) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		printf("  %.*s\n", (int)l, p);
		p = e ? e + 1 : p + l;
	}
	printf("\nVersions: ");
	print_versions(r);
	if (r->peers)
		printf("Also known as: %s\n", r->peers);
	return EXIT_CLEAN;
}

struct cli {
	struct lint_options lint;
	const char *format;
	const char *stdin_name;
	const char *color;
	bool show_statements;
	const char *sql;           /* explain --sql */
};

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int run_lint(struct cli *cli, int argc, char **argv, bool explain)
{
	struct lint_run run;
	struct input_list inputs = { 0 };
	struct arena arg_arena;
	int status = EXIT_CLEAN;

	if (argc == 0 && !cli->sql)
		return usage_error("%s", "no input: give a file, a directory or -");
	arena_init(&arg_arena);
	lint_init(&run, &cli->lint);
	for (int i = 0; i < argc; i++)
		if (inputs_add(&inputs, &arg_arena, argv[i])) {
			status = EXIT_INTERNAL;
			goto out_release;
		}
	if (cli->sql && lint_buffer(&run, "<sql>", cli->sql, strlen(cli->sql))) {
		status = EXIT_INTERNAL;
		goto out_release;
	}
	for (size_t i = 0; i < inputs.n; i++) {
		const char *p = inputs.paths[i];
		const char *shown = !strcmp(p, "-") ? (cli->stdin_name ? cli->stdin_name : "<stdin>") : p;
		if (lint_file(&run, p, shown)) {
			fprintf(stderr, "pgsafe: out of memory while analyzing \"%s\"\n", shown);
			status = EXIT_INTERNAL;
			goto out_release;
		}
	}
	lint_finish(&run);

	struct report_options ro = { .show_statements = cli->show_statements || explain };
	const char *nc = getenv("NO_COLOR");
	if (!cli->color || !strcmp(cli->color, "auto"))
		ro.color = isatty(fileno(stdout)) && !(nc && *nc) &&
			!(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
	else
		ro.color = !strcmp(cli->color, "always");
	int rc = !strcmp(cli->format, "json") ? report_json(stdout, &run, &ro) :
		report_text(stdout, &run, &ro);
	if (rc || fflush(stdout)) {
		fprintf(stderr, "pgsafe: cannot write the report\n");
		status = EXIT_INTERNAL;
		goto out_release;
	}
	if (run.input_error)
		status = EXIT_INPUT;
	else if (!explain && cli->lint.fail_on != PGS_SEV_NONE) {
		const struct lint_summary *s = &run.summary;
		if ((s->errors && cli->lint.fail_on <= PGS_SEV_ERROR) ||
		    (s->warnings && cli->lint.fail_on <= PGS_SEV_WARNING) ||
		    (s->hints && cli->lint.fail_on <= PGS_SEV_HINT))
			status = EXIT_FINDINGS;
	}
out_release:
	lint_release(&run);
	arena_release(&arg_arena);
	return status;
}

int main(int argc, char **argv)
{
	enum { OPT_PG = 256, OPT_ASSUME, OPT_FAIL_ON, OPT_STDIN_NAME, OPT_MAX_SIZE, OPT_COLOR,
	       OPT_SHOW, OPT_SQL };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "pg-version", required_argument, NULL, OPT_PG },
		{ "assume-in-transaction", no_argument, NULL, OPT_ASSUME },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "stdin-filename", required_argument, NULL, OPT_STDIN_NAME },
		{ "max-file-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "show-statements", no_argument, NULL, OPT_SHOW },
		{ "sql", required_argument, NULL, OPT_SQL },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = {
		.lint = { .pg_version = PGS_PG_DEFAULT, .fail_on = PGS_SEV_ERROR },
		.format = "text",
	};
	const char *command = "lint";
	int first = 1;

	if (argc > 1 && (!strcmp(argv[1], "lint") || !strcmp(argv[1], "rules") ||
			 !strcmp(argv[1], "explain"))) {
		command = argv[1];
		first = 2;
	}
	argv[first - 1] = argv[0];
	argc -= first - 1;
	argv += first - 1;

	int c;
	long v;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return usage_error("unknown format \"%s\" (text or json)", optarg);
			cli.format = optarg;
			break;
		case OPT_PG:
			if (parse_int(optarg, PGS_PG_MIN, PGS_PG_MAX, &v))
				return usage_error("--pg-version \"%s\" is not a major version from 10 to 17", optarg);
			cli.lint.pg_version = (int)v;
			break;
		case OPT_ASSUME:
			cli.lint.assume_in_transaction = true;
			break;
		case OPT_FAIL_ON:
			if (!strcmp(optarg, "never"))
				cli.lint.fail_on = PGS_SEV_NONE;
			else if ((cli.lint.fail_on = pgs_severity_parse(optarg)) == PGS_SEV_NONE)
				return usage_error("--fail-on \"%s\" is not error, warning, hint or never", optarg);
			break;
		case OPT_STDIN_NAME:
			cli.stdin_name = optarg;
			break;
		case OPT_MAX_SIZE:
			if (parse_int(optarg, 1, 1L << 40, &v))
				return usage_error("--max-file-size \"%s\" is not a positive number of bytes", optarg);
			cli.lint.max_file_bytes = (size_t)v;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return usage_error("--color \"%s\" is not auto, always or never", optarg);
			cli.color = optarg;
			break;
		case OPT_SHOW:
			cli.show_statements = true;
			break;
		case OPT_SQL:
			cli.sql = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_CLEAN;
		case 'V':
			printf("pgsafe %s (PostgreSQL %s grammar, libpg_query)\n", PGSAFE_VERSION, PG_VERSION);
			return EXIT_CLEAN;
		case ':':
			return usage_error("option \"%s\" needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option \"%s\"", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;

	if (!strcmp(command, "rules"))
		return argc ? usage_error("%s", "'pgsafe rules' takes no arguments") : cmd_rules();
	if (!strcmp(command, "explain")) {
		if (cli.sql || (argc == 1 && !registry_find(argv[0]) && strchr(argv[0], '.')))
			return run_lint(&cli, argc, argv, true);
		if (argc != 1)
			return usage_error("%s", "'pgsafe explain' takes one rule id, --sql TEXT or a file");
		return explain_rule(argv[0]);
	}
	if (cli.sql)
		return usage_error("%s", "--sql goes with 'pgsafe explain'");
	return run_lint(&cli, argc, argv, false);
}
