/*
 * cmd_lint.c - `pgsafe lint PATH...` and `pgsafe explain --sql TEXT | FILE`.
 *
 * Expands the paths into files in apply order, runs the pipeline over
 * them, writes the report and turns the run into an exit code.
 */
#include "changes.h"
#include "cli.h"
#include "inputs.h"
#include "report.h"
#include "report_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char lint_usage[] =
	"usage: pgsafe [lint] [options] PATH...\n"
	"       pgsafe explain [options] --sql \"ALTER TABLE ...\" | FILE\n";

/* Prints "pgsafe: PATH:LINE:COLUMN: MESSAGE" for a bad configuration; returns EXIT_USAGE. */
static int config_failure(const struct config_error *e)
{
	const char *path = e->path ? e->path : PGS_CONFIG_NAME;
	if (e->line)
		fprintf(stderr, "pgsafe: %s:%u:%u: %s\n", path, e->line, e->column, e->message);
	else
		fprintf(stderr, "pgsafe: %s: %s\n", path, e->message);
	return EXIT_USAGE;
}

/* A failed lint_file() or lint_buffer() as an exit code. */
static int lint_failure(const struct lint_run *run, int rc, const char *shown)
{
	if (rc == PGS_ERR_USAGE)
		return config_failure(&run->config_error);
	fprintf(stderr, "pgsafe: out of memory while analyzing \"%s\"\n", shown);
	return EXIT_INTERNAL;
}

/*
 * Loads the configuration of every input before the first is analyzed, so
 * that a malformed one stops the run before anything is reported.
 */
static int load_configs(struct config_set *cs, const struct input_list *inputs,
			const char *stdin_shown, bool sql)
{
	struct arena scratch;
	struct file_settings fs;
	struct config_error err;
	int rc = PGS_OK;
	arena_init(&scratch);
	if (sql)
		rc = config_set_lookup(cs, "<sql>", &scratch, &fs, &err);
	for (size_t i = 0; !rc && i < inputs->n; i++) {
		const char *p = inputs->paths[i];
		rc = config_set_lookup(cs, strcmp(p, "-") ? p : stdin_shown, &scratch, &fs, &err);
	}
	arena_release(&scratch);
	if (rc == PGS_ERR_USAGE)
		return config_failure(&err);
	return rc ? EXIT_INTERNAL : EXIT_CLEAN;
}

/*
 * --changed-since and --with-context: which inputs are reported and which
 * are read as context only (changes.h). *@flags stays NULL without either.
 */
static int review_flags(const struct cli_common *cli, struct input_list *inputs,
			struct arena *a, unsigned char **flags)
{
	*flags = NULL;
	if (cli->changed_since && cli->with_context)
		return cli_usage_error("%s", "--changed-since and --with-context do not go together");
	if (cli->with_context)
		return changes_with_context(inputs, a, flags) ? EXIT_INTERNAL : EXIT_CLEAN;
	if (!cli->changed_since)
		return EXIT_CLEAN;
	/* git runs in the repository of the first input */
	const char *dir = changes_input_dir(a, inputs->n ? inputs->paths[0] : ".");
	struct change_set cs;
	char err[1024];
	int rc = dir ? changes_since(&cs, a, cli->changed_since, dir, err, sizeof(err)) : PGS_ERR_NOMEM;
	if (rc == PGS_ERR_NOMEM)
		snprintf(err, sizeof(err), "out of memory");
	if (rc) {
		fprintf(stderr, "pgsafe: %s\n", err);
		return rc == PGS_ERR_USAGE ? EXIT_USAGE : EXIT_INTERNAL;
	}
	return changes_flags(&cs, inputs, a, flags) ? EXIT_INTERNAL : EXIT_CLEAN;
}

/*
 * With --format github on a GitHub runner, $GITHUB_STEP_SUMMARY names the
 * job summary file to append to. NULL otherwise, or when it cannot be
 * opened (said on stderr: the annotations are still written).
 */
static FILE *open_step_summary(const struct reporter *rep)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	if (rep->write != report_github || !path || !*path)
		return NULL;
	FILE *f = fopen(path, "a");
	if (!f)
		fprintf(stderr, "pgsafe: cannot append to $GITHUB_STEP_SUMMARY \"%s\": %s\n", path,
			strerror(errno));
	return f;
}

/* Lints @paths (and @sql, for explain); returns the exit code. */
static int run(const struct cli_common *cli, char **paths, int n, const char *sql, bool explain)
{
	struct lint_run run;
	struct input_list inputs = { 0 };
	struct arena arg_arena;
	unsigned char *flags;    /* per input: enum lint_file_flags, or NULL */
	struct config_set configs;
	struct lint_options opts = cli->lint;
	int status = EXIT_CLEAN, rc;
	const struct reporter *rep = report_find(cli->format);
	const char *stdin_shown = cli->stdin_name ? cli->stdin_name : "<stdin>";

	if (!rep)
		return cli_usage_error("unknown format \"%s\" (see 'pgsafe --help')", cli->format);
	if (n == 0 && !sql)
		return cli_usage_error("%s", "no input: give a file, a directory or -");
	if (cli->config_path && cli->no_config)
		return cli_usage_error("%s", "--config and --no-config do not go together");
	arena_init(&arg_arena);
	/* each input's .pgsafe.yaml, or --config's for all (config.h) */
	config_set_init(&configs, cli->config_path, !cli->no_config);
	opts.configs = &configs;
	lint_init(&run, &opts);
	for (int i = 0; i < n; i++)
		if (inputs_add(&inputs, &arg_arena, paths[i])) {
			status = EXIT_INTERNAL;
			goto out_release;
		}
	if ((status = review_flags(cli, &inputs, &arg_arena, &flags)))
		goto out_release;
	if ((status = load_configs(&configs, &inputs, stdin_shown, sql != NULL)))
		goto out_release;
	if (sql && (rc = lint_buffer(&run, "<sql>", sql, strlen(sql)))) {
		status = lint_failure(&run, rc, "<sql>");
		goto out_release;
	}
	for (size_t i = 0; i < inputs.n; i++) {
		const char *p = inputs.paths[i];
		const char *shown = !strcmp(p, "-") ? stdin_shown : p;
		if ((rc = lint_file_as(&run, p, shown, flags ? flags[i] : 0))) {
			status = lint_failure(&run, rc, shown);
			goto out_release;
		}
	}
	lint_finish(&run);

	struct report_options ro = {
		.color = cli_use_color(cli),
		.show_statements = cli->show_statements || explain,
		.docs_base_url = cli->docs_base_url,
		.step_summary = open_step_summary(rep),
		.log = stderr,
	};
	int written = rep->write(stdout, &run, &ro);
	if (ro.step_summary && fclose(ro.step_summary))
		written = -1;
	if (written || fflush(stdout)) {
		fprintf(stderr, "pgsafe: cannot write the report\n");
		status = EXIT_INTERNAL;
		goto out_release;
	}
	if (run.input_error)
		status = EXIT_INPUT;
	else if (!explain && run.fails)   /* each file against its own fail_on (lint.h) */
		status = EXIT_FINDINGS;
out_release:
	lint_release(&run);
	config_set_release(&configs);
	arena_release(&arg_arena);
	return status;
}

/* Parses lint's options; @sql receives --sql when @allow_sql. */
static int parse(int argc, char **argv, struct cli_common *cli, const char **sql, int *first)
{
	enum { OPT_SQL = CLI_OPT_FIRST_FREE, OPT_DOCS_URL, OPT_CHANGED_SINCE, OPT_WITH_CONTEXT };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "sql", required_argument, NULL, OPT_SQL },
		{ "docs-base-url", required_argument, NULL, OPT_DOCS_URL },
		{ "changed-since", required_argument, NULL, OPT_CHANGED_SINCE },
		{ "with-context", no_argument, NULL, OPT_WITH_CONTEXT },
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
		case OPT_DOCS_URL:
			if (!report_url_is_absolute(optarg))
				return cli_usage_error("--docs-base-url \"%s\" is not an absolute URL such as https://example.com/rules/", optarg);
			cli->docs_base_url = optarg;
			break;
		case OPT_CHANGED_SINCE:
			cli->changed_since = optarg;
			break;
		case OPT_WITH_CONTEXT:
			cli->with_context = true;
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
