/*
 * cmd_lint.c - `pgsafe lint PATH...` and `pgsafe explain --sql TEXT | FILE`.
 *
 * Expands the paths into files in apply order, runs the pipeline over
 * them, writes the report and turns the run into an exit code.
 */
#include "cli.h"
#include "inputs.h"
#include "report.h"

#include <stdio.h>
#include <string.h>

static const char lint_usage[] =
	"usage: pgsafe [lint] [options] PATH...\n"
	"       pgsafe explain [options] --sql \"ALTER TABLE ...\" | FILE\n";

/* Lints @paths (and @sql, for explain); returns the exit code. */
static int run(const struct cli_common *cli, char **paths, int n, const char *sql, bool explain)
{
	struct lint_run run;
	struct input_list inputs = { 0 };
	struct arena arg_arena;
	int status = EXIT_CLEAN;
	const struct reporter *rep = report_find(cli->format);

	if (!rep)
		return cli_usage_error("unknown format \"%s\" (see 'pgsafe --help')", cli->format);
	if (n == 0 && !sql)
		return cli_usage_error("%s", "no input: give a file, a directory or -");
	arena_init(&arg_arena);
	lint_init(&run, &cli->lint);
	for (int i = 0; i < n; i++)
		if (inputs_add(&inputs, &arg_arena, paths[i])) {
			status = EXIT_INTERNAL;
			goto out_release;
		}
	if (sql && lint_buffer(&run, "<sql>", sql, strlen(sql))) {
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

	struct report_options ro = {
		.color = cli_use_color(cli),
		.show_statements = cli->show_statements || explain,
	};
	if (rep->write(stdout, &run, &ro) || fflush(stdout)) {
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

/* Parses lint's options; @sql receives --sql when @allow_sql. */
static int parse(int argc, char **argv, struct cli_common *cli, const char **sql, int *first)
{
	enum { OPT_SQL = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "sql", required_argument, NULL, OPT_SQL },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":f:", longopts, NULL)) != -1) {
		int rc = cli_common_option(cli, c, optarg);
		if (rc == EXIT_USAGE)
			return rc;
		if (rc == 1)
			continue;
		switch (c) {
		case OPT_SQL:
			if (!sql)
				return cli_usage_error("%s", "--sql goes with 'pgsafe explain'");
			*sql = optarg;
			break;
		case ':':
			return cli_usage_error("option \"%s\" needs a value", argv[optind - 1]);
		default:
			fputs(lint_usage, stderr);
			return cli_usage_error("unknown option \"%s\"", argv[optind - 1]);
		}
	}
	*first = optind;
	return EXIT_CLEAN;
}

int cmd_lint(int argc, char **argv)
{
	struct cli_common cli;
	int first, rc;
	cli_common_init(&cli);
	if ((rc = parse(argc, argv, &cli, NULL, &first)))
		return rc;
	return run(&cli, argv + first, argc - first, NULL, false);
}

/* `pgsafe explain --sql TEXT` or `pgsafe explain FILE`: every statement's effects. */
int cmd_explain_sql(int argc, char **argv)
{
	struct cli_common cli;
	const char *sql = NULL;
	int first, rc;
	cli_common_init(&cli);
	if ((rc = parse(argc, argv, &cli, &sql, &first)))
		return rc;
	return run(&cli, argv + first, argc - first, sql, true);
}
