/*
 * cmd_lint.c - `pgsafe lint PATH...` and `pgsafe explain --sql TEXT | FILE`.
 *
 * Expands the paths into files in apply order, runs the pipeline over
 * them, writes the report and turns the run into an exit code.
 */
#include "changes.h"
#include "cli.h"
#include "dump.h"
#include "framework.h"
#include "inputs.h"
#include "plugin.h"
#include "registry.h"
#include "report.h"
#include "report_util.h"
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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
static int lint_failure(const struct lint_run *run, const struct plugin_set *plugins, int rc,
			const char *shown)
{
	if (rc == PGS_ERR_PLUGIN)
		return cli_plugin_failure(plugins);
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
			char **paths, int n, struct arena *a, unsigned char **flags)
{
	*flags = NULL;
	if (cli->changed_since && cli->with_context)
		return cli_usage_error("%s", "--changed-since and --with-context do not go together");
	if (cli->with_context)
		return changes_named_flags(inputs, paths, n, a, flags) ? EXIT_INTERNAL : EXIT_CLEAN;
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

/*
 * The inputs in their migration tool's apply order (framework.h). The tool
 * is --framework's or detected from all the files; each directory's files
 * are put in the tool's order on their own, and files named one by one
 * keep their place. Schema dumps among them (a Rails structure.sql) go to
 * @schemas instead.
 */
static int order_inputs(const struct cli_common *cli, char **paths, int n, struct arena *a,
			struct input_list *inputs, enum framework *fw, struct input_list *schemas)
{
	struct input_list all = { 0 };
	size_t *from = arena_alloc(a, ((size_t)n + 1) * sizeof(*from));
	if (!from)
		return PGS_ERR_NOMEM;
	for (int i = 0; i < n; i++) {
		from[i] = all.n;
		if (inputs_add(&all, a, paths[i]))
			return PGS_ERR_NOMEM;
	}
	from[n] = all.n;
	*fw = cli->framework ? (enum framework)cli->framework :
		framework_detect((const char *const *)all.paths, all.n);
	for (int i = 0; i < n; i++) {
		struct stat st;
		bool named = strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 || !S_ISDIR(st.st_mode);
		size_t start = inputs->n;
		for (size_t k = from[i]; k < from[i + 1]; k++)
			if (ARENA_PUSH(a, inputs->paths, inputs->n, inputs->cap, all.paths[k]))
				return PGS_ERR_NOMEM;
		if (framework_order(*fw, inputs, start, a, cli->lint.include_down, named, schemas))
			return PGS_ERR_NOMEM;
	}
	return PGS_OK;
}

/*
 * Replays --schema files, then the dumps found among the inputs, into the
 * catalog as what existed before the run (dump.h). Returns an exit code.
 */
static int seed_schema(struct lint_run *run, const char *const *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct dump_result res;
		int rc = dump_seed(&run->schema, &run->file, files[i], run->opts.max_file_bytes, &res);
		if (rc == PGS_ERR_IO || rc == PGS_ERR_INPUT) {
			fprintf(stderr, "pgsafe: schema dump %s\n", res.message);
			return EXIT_USAGE;
		}
		if (rc) {
			fprintf(stderr, "pgsafe: out of memory while reading the schema dump \"%s\"\n", files[i]);
			return EXIT_INTERNAL;
		}
		if (res.errors)
			fprintf(stderr, "pgsafe: warning: schema dump \"%s\": %zu statement%s did not parse and %s skipped (the first at line %u)\n",
				files[i], res.errors, res.errors == 1 ? "" : "s",
				res.errors == 1 ? "was" : "were", res.first_error_line);
	}
	return EXIT_CLEAN;
}

/*
 * Without --schema: the schema dumps the inputs' configurations name
 * (`schema:`, relative to each configuration's directory), each once and
 * before the dumps found among the inputs, appended to @out.
 */
static int config_schemas(struct config_set *cs, const struct input_list *inputs,
			  const char *stdin_shown, struct arena *a, struct input_list *out)
{
	struct input_list found = { 0 };
	struct file_settings fs;
	struct config_error err;
	for (size_t i = 0; i < inputs->n; i++) {
		const char *p = inputs->paths[i];
		/* load_configs() read every configuration already: no error is left */
		if (config_set_lookup(cs, strcmp(p, "-") ? p : stdin_shown, a, &fs, &err) || !fs.config)
			continue;
		for (size_t k = 0; k < fs.config->n_schema; k++) {
			const char *s = fs.config->schema[k];
			const char *path = s[0] == '/' ? s : arena_printf(a, "%s/%s", fs.config->dir, s);
			bool dup = false;
			for (size_t j = 0; path && j < found.n && !dup; j++)
				dup = !strcmp(found.paths[j], path);
			if (!path || (!dup && ARENA_PUSH(a, found.paths, found.n, found.cap, path)))
				return PGS_ERR_NOMEM;
		}
	}
	for (size_t i = 0; i < out->n; i++)
		if (ARENA_PUSH(a, found.paths, found.n, found.cap, out->paths[i]))
			return PGS_ERR_NOMEM;
	*out = found;
	return PGS_OK;
}

/* --stats and the small-table thresholds (stats.h). Returns an exit code. */
static int load_stats(const struct cli_common *cli, struct lint_run *run, struct stats *st)
{
	char err[512];
	stats_init(st);
	if (!cli->stats_file)
		return EXIT_CLEAN;
	int rc = stats_load(st, &run->run, cli->stats_file, err, sizeof(err));
	if (rc == PGS_ERR_NOMEM) {
		fprintf(stderr, "pgsafe: out of memory while reading \"%s\"\n", cli->stats_file);
		return EXIT_INTERNAL;
	}
	if (rc) {
		fprintf(stderr, "pgsafe: --stats %s\n", err);
		return EXIT_USAGE;
	}
	if (cli->small_rows)
		st->small_rows = cli->small_rows;
	if (cli->small_bytes)
		st->small_bytes = cli->small_bytes;
	run->stats = st;
	return EXIT_CLEAN;
}

/* A size: a number of bytes, or with a unit B, kB, MB, GB or TB (1024-based). */
static int parse_size(const char *s, long long *out)
{
	static const char *const units[] = { "b", "kb", "mb", "gb", "tb" };
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || v <= 0)
		return -1;
	while (*end == ' ')
		end++;
	if (!*end) {
		*out = v;
		return 0;
	}
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		if (strcasecmp(end, units[u]))
			continue;
		for (size_t k = 0; k < u; k++) {
			if (v > (1LL << 53) / 1024)
				return -1;
			v *= 1024;
		}
		*out = v;
		return 0;
	}
	return -1;
}

/* Lints @paths (and @sql, for explain); returns the exit code. */
static int run(const struct cli_common *cli, char **paths, int n, const char *sql, bool explain)
{
	struct lint_run run;
	struct input_list inputs = { 0 }, schemas = { 0 };
	struct arena arg_arena;
	struct stats stats;
	enum framework fw;
	unsigned char *flags;    /* per input: enum lint_file_flags, or NULL */
	struct config_set configs;
	struct plugin_set plugins;
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
	/* --plugin's rules join the registry before configurations name them */
	plugin_set_init(&plugins);
	if ((status = cli_plugins_load(cli, &plugins))) {
		plugin_set_release(&plugins);
		arena_release(&arg_arena);
		return status;
	}
	/* each input's .pgsafe.yaml, or --config's for all (config.h) */
	config_set_init(&configs, cli->config_path, !cli->no_config);
	opts.configs = &configs;
	lint_init(&run, &opts);
	/* --with-context expands the named files' directories instead (changes.h) */
	char **expand = paths;
	int n_expand = n;
	/*
	 * The migration tool: --framework, else `framework:` in the
	 * configuration of the first input, else detected from the files.
	 * (A malformed configuration is reported by load_configs() below.)
	 */
	struct cli_common ordered = *cli;
	if (!ordered.framework && n > 0) {
		struct file_settings fs;
		struct config_error cerr;
		struct stat st;
		const char *first = strcmp(paths[0], "-") ? paths[0] : stdin_shown;
		const char *where = stat(first, &st) == 0 && S_ISDIR(st.st_mode) ?
			arena_printf(&arg_arena, "%s/.", first) : first;
		if (where && !config_set_lookup(&configs, where, &arg_arena, &fs, &cerr) && fs.config)
			ordered.framework = fs.config->framework;
	}
	if ((cli->with_context && changes_context_paths(&arg_arena, paths, n, &expand, &n_expand)) ||
	    order_inputs(&ordered, expand, n_expand, &arg_arena, &inputs, &fw, &schemas)) {
		status = EXIT_INTERNAL;
		goto out_release;
	}
	run.framework = fw;
	if ((status = review_flags(cli, &inputs, paths, n, &arg_arena, &flags)))
		goto out_release;
	if ((status = load_configs(&configs, &inputs, stdin_shown, sql != NULL)))
		goto out_release;
	/* the configurations' plugins, if the runner allows them (cli_plugins.c) */
	if ((status = cli_plugins_from_configs(cli, &plugins, &configs, &inputs, stdin_shown,
					       sql != NULL)))
		goto out_release;
	run.rules = registry_rules(&run.n_rules);
	if ((status = load_stats(cli, &run, &stats)))
		goto out_release;
	if (cli->n_schema_files)
		status = seed_schema(&run, cli->schema_files, cli->n_schema_files);
	else if (config_schemas(&configs, &inputs, stdin_shown, &arg_arena, &schemas))
		status = EXIT_INTERNAL;
	if (status || (status = seed_schema(&run, (const char *const *)schemas.paths, schemas.n)))
		goto out_release;
	if (sql && (rc = lint_buffer(&run, "<sql>", sql, strlen(sql)))) {
		status = lint_failure(&run, &plugins, rc, "<sql>");
		goto out_release;
	}
	for (size_t i = 0; i < inputs.n; i++) {
		const char *p = inputs.paths[i];
		const char *shown = !strcmp(p, "-") ? stdin_shown : p;
		if ((rc = lint_file_as(&run, p, shown, flags ? flags[i] : 0))) {
			status = lint_failure(&run, &plugins, rc, shown);
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
	plugin_set_release(&plugins);
	arena_release(&arg_arena);
	return status;
}

/* Parses lint's options; @sql receives --sql when @allow_sql. */
static int parse(int argc, char **argv, struct cli_common *cli, const char **sql, int *first)
{
	enum { OPT_SQL = CLI_OPT_FIRST_FREE, OPT_DOCS_URL, OPT_CHANGED_SINCE, OPT_WITH_CONTEXT,
	       OPT_FRAMEWORK, OPT_INCLUDE_DOWN, OPT_SCHEMA, OPT_STATS, OPT_SMALL_ROWS, OPT_SMALL_BYTES };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		CLI_PLUGIN_LONGOPTS,
		{ "sql", required_argument, NULL, OPT_SQL },
		{ "docs-base-url", required_argument, NULL, OPT_DOCS_URL },
		{ "changed-since", required_argument, NULL, OPT_CHANGED_SINCE },
		{ "with-context", no_argument, NULL, OPT_WITH_CONTEXT },
		{ "framework", required_argument, NULL, OPT_FRAMEWORK },
		{ "include-down", no_argument, NULL, OPT_INCLUDE_DOWN },
		{ "schema", required_argument, NULL, OPT_SCHEMA },
		{ "stats", required_argument, NULL, OPT_STATS },
		{ "small-table-rows", required_argument, NULL, OPT_SMALL_ROWS },
		{ "small-table-bytes", required_argument, NULL, OPT_SMALL_BYTES },
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
		case OPT_FRAMEWORK: {
			enum framework fw;
			if (framework_parse(optarg, &fw)) {
				fprintf(stderr, "pgsafe: frameworks: %s\n", framework_names());
				return cli_usage_error("--framework \"%s\" is not a migration framework pgsafe knows", optarg);
			}
			cli->framework = fw;
			break;
		}
		case OPT_INCLUDE_DOWN:
			cli->lint.include_down = true;
			break;
		case OPT_SCHEMA:
			if (cli->n_schema_files == sizeof(cli->schema_files) / sizeof(cli->schema_files[0]))
				return cli_usage_error("--schema \"%s\": at most 16 schema files", optarg);
			cli->schema_files[cli->n_schema_files++] = optarg;
			break;
		case OPT_STATS:
			cli->stats_file = optarg;
			break;
		case OPT_SMALL_ROWS: {
			char *end;
			long long v = strtoll(optarg, &end, 10);
			if (!*optarg || *end || v <= 0)
				return cli_usage_error("--small-table-rows \"%s\" is not a positive number of rows", optarg);
			cli->small_rows = v;
			break;
		}
		case OPT_SMALL_BYTES:
			if (parse_size(optarg, &cli->small_bytes))
				return cli_usage_error("--small-table-bytes \"%s\" is not a size such as 10485760 or 10MB", optarg);
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
