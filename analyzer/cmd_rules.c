/*
 * cmd_rules.c - `pgsafe rules` (the catalog) and `pgsafe explain RULE`.
 *
 * Both print the rule descriptors: the descriptor is the documentation.
 *
 *   pgsafe rules                      id, severity and summary of every rule
 *   pgsafe rules --format markdown    the README's rule table
 *   pgsafe rules --format json        every descriptor field, for tools and tests
 *   pgsafe rules --format docs DIR    DIR/<id>.md for every built-in rule, and DIR/README.md
 *   pgsafe explain RULE [--format markdown]   one rule's whole documentation
 *
 * The documentation shows what pgsafe reports on each rule's flagged
 * example: the examples are linted here, in process, after the rule's
 * example_setup (an earlier migration, so its tables count as existing),
 * at a PostgreSQL version the rule applies to, with every opt-in rule
 * enabled and max_lock_timeout set to 5s. tests/rules_docs.sh checks
 * that the committed pages still say what the binary does.
 */
#include "cli.h"
#include "config.h"
#include "framework.h"
#include "plugin.h"
#include "registry.h"
#include "../rules/rule.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_explain_sql(int argc, char **argv);

/* The maximum lock_timeout the examples run with (lock-timeout-too-long needs one). */
#define EXAMPLE_MAX_LOCK_TIMEOUT "5s"

/* ---------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------- */

/*
 * Reads --format, --plugin, --plugin-option and --allow-plugins into @cli
 * from a copy of argv (getopt reorders what it parses, and explain hands
 * the original to cmd_explain_sql()). *@other tells whether any other
 * option was given; @words gets the other arguments (at most @max).
 */
static int parse_options(int argc, char **argv, struct cli_common *cli, bool with_format,
			 bool *other, const char **words, int max, int *n_words)
{
	static const struct option longopts[] = {
		CLI_PLUGIN_LONGOPTS,
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	char **copy = malloc(((size_t)argc + 1) * sizeof(*copy));
	if (!copy) {
		fputs("pgsafe: out of memory\n", stderr);
		return EXIT_INTERNAL;
	}
	memcpy(copy, argv, (size_t)argc * sizeof(*copy));
	copy[argc] = NULL;
	int c, status = EXIT_CLEAN;
	*other = false;
	*n_words = 0;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, copy, ":f:", longopts, NULL)) != -1) {
		if (c == ':') {
			status = cli_usage_error("option \"%s\" needs a value", copy[optind - 1]);
			goto out_free;
		}
		if (c == 'f' && !with_format)
			*other = true;
		else if (c == '?' || cli_common_option(cli, c, optarg) != 1)
			*other = true;
	}
	for (int i = optind; i < argc; i++) {
		if (*n_words < max)
			words[*n_words] = copy[i];
		(*n_words)++;
	}
out_free:
	free(copy);
	return status;
}

/* ---------------------------------------------------------------------
 * Running a rule's examples
 * ------------------------------------------------------------------- */

/* A PostgreSQL version the rule applies to: the default one when it can. */
static int example_version(const struct rule *r)
{
	int v = PGS_PG_DEFAULT;
	if (r->min_pg_version && v < r->min_pg_version)
		v = r->min_pg_version;
	if (r->max_pg_version && v > r->max_pg_version)
		v = r->max_pg_version;
	return v;
}

/* The configuration the examples run with: every opt-in rule on, a lock_timeout cap. */
static char *example_config_text(void)
{
	size_t n, cap = 256, len = 0;
	const struct rule *const *rules = registry_rules(&n);
	for (size_t i = 0; i < n; i++)
		cap += strlen(rules[i]->id) + 8;
	char *t = malloc(cap);
	if (!t)
		return NULL;
	len += (size_t)snprintf(t + len, cap - len, "max_lock_timeout: %s\nenable:\n", EXAMPLE_MAX_LOCK_TIMEOUT);
	size_t opt_in = 0;
	for (size_t i = 0; i < n; i++)
		if (rules[i]->flags & RULE_OPT_IN && !plugin_rule_origin(rules[i])) {
			len += (size_t)snprintf(t + len, cap - len, "  - %s\n", rules[i]->id);
			opt_in++;
		}
	if (!opt_in)
		snprintf(t + len, cap - len, "  []\n");
	return t;
}

/*
 * Lints @sql as the file example.sql, after the rule's example_setup as
 * setup.sql, and leaves the run in @run (the caller releases it). The
 * diagnostics of example.sql are those with file "example.sql".
 */
static int run_example(const struct rule *r, const char *sql, struct lint_run *run,
		       struct config_set *set)
{
	struct config *cfg = NULL;
	struct config_error err = { 0 };
	char *text = example_config_text();
	int rc = PGS_ERR_NOMEM;

	config_set_init(set, "<examples>", false);
	if (text && (cfg = arena_alloc(&set->arena, sizeof(*cfg))))
		rc = config_parse(cfg, &set->arena, "<examples>", "/", text, strlen(text), &err);
	free(text);
	if (rc)
		return rc;
	set->explicit_config = cfg;
	struct lint_options opts = {
		.pg_version = example_version(r), .max_file_bytes = PGS_MAX_FILE_BYTES_DEFAULT,
		.fail_on = PGS_SEV_NONE, .configs = set, .given = LINT_GIVEN_PG_VERSION,
	};
	lint_init(run, &opts);
	run->framework = FW_PLAIN;
	if (r->example_setup &&
	    (rc = lint_buffer(run, "setup.sql", r->example_setup, strlen(r->example_setup))))
		return rc;
	if ((rc = lint_buffer(run, "example.sql", sql, strlen(sql))))
		return rc;
	lint_finish(run);
	return PGS_OK;
}

/*
 * Calls @fn for each diagnostic of @r on @sql. Returns PGS_OK or a
 * failure (the examples are the program's own text: a failure is internal).
 */
static int example_findings(const struct rule *r, const char *sql,
			    void (*fn)(const struct diag *d, void *arg), void *arg)
{
	struct lint_run run;
	struct config_set set;
	int rc = run_example(r, sql, &run, &set);
	for (size_t i = 0; !rc && i < run.diags.n; i++) {
		const struct diag *d = &run.diags.items[i];
		if (!strcmp(d->file, "example.sql") && !strcmp(d->rule, r->id) && !d->suppressed)
			fn(d, arg);
	}
	lint_release(&run);
	config_set_release(&set);
	return rc;
}

/* ---------------------------------------------------------------------
 * Text and Markdown
 * ------------------------------------------------------------------- */

static const char *versions_text(const struct rule *r, char *buf, size_t size)
{
	if (r->min_pg_version && r->max_pg_version)
		snprintf(buf, size, "PostgreSQL %d to %d", r->min_pg_version, r->max_pg_version);
	else if (r->min_pg_version)
		snprintf(buf, size, "PostgreSQL %d and later", r->min_pg_version);
	else if (r->max_pg_version)
		snprintf(buf, size, "PostgreSQL %d and earlier", r->max_pg_version);
	else
		snprintf(buf, size, "all supported versions (%d to %d)", PGS_PG_MIN, PGS_PG_MAX);
	return buf;
}

/* The README table's short form: "all", "12 and later", ... */
static const char *versions_short(const struct rule *r, char *buf, size_t size)
{
	if (r->min_pg_version && r->max_pg_version)
		snprintf(buf, size, "%d to %d", r->min_pg_version, r->max_pg_version);
	else if (r->min_pg_version)
		snprintf(buf, size, "%d and later", r->min_pg_version);
	else if (r->max_pg_version)
		snprintf(buf, size, "%d and earlier", r->max_pg_version);
	else
		snprintf(buf, size, "all");
	return buf;
}

static void print_indented(FILE *out, const char *text)
{
	for (const char *p = text; p && *p; ) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		fprintf(out, "  %.*s\n", (int)l, p);
		p = e ? e + 1 : p + l;
	}
}

/* Markdown table cells: a '|' would end the cell. */
static void print_cell(FILE *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '|')
			fputc('\\', out);
		fputc(*p == '\n' ? ' ' : *p, out);
	}
}

struct finding_print {
	FILE *out;
	bool markdown;
	size_t n;
};

static void print_finding(const struct diag *d, void *arg)
{
	struct finding_print *p = arg;
	p->n++;
	if (p->markdown)
		fprintf(p->out, "- line %u, column %u (%s): %s\n", d->start.line, d->start.column,
			pgs_severity_name(d->severity), d->message);
	else
		fprintf(p->out, "  line %u, column %u (%s): %s\n", d->start.line, d->start.column,
			pgs_severity_name(d->severity), d->message);
}

/* Prints what pgsafe reports on the flagged example. Returns PGS_OK or a failure. */
static int print_example_findings(FILE *out, const struct rule *r, bool markdown)
{
	struct finding_print p = { out, markdown, 0 };
	if (!r->bad_example)
		return PGS_OK;
	int rc = example_findings(r, r->bad_example, print_finding, &p);
	if (!rc && !p.n)
		fprintf(out, markdown ? "- nothing (the example needs a context pgsafe does not have)\n" :
			"  nothing (the example needs a context pgsafe does not have)\n");
	return rc;
}

static const char *aliases_text(const struct rule *r, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (const char *const *a = r->aliases; a && *a && len < size; a++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", *a);
	return buf;
}

static int explain_text(FILE *out, const struct rule *r)
{
	char vb[64], ab[256];
	fprintf(out, "%s (%s%s)\n\n%s\n\nWhy:\n", r->id, pgs_severity_name(r->default_severity),
		r->flags & RULE_OPT_IN ? ", opt-in" : "", r->summary);
	print_indented(out, r->rationale);
	if (r->example_setup) {
		fprintf(out, "\nThe examples run after this earlier migration:\n");
		print_indented(out, r->example_setup);
	}
	fprintf(out, "\nFlagged:\n");
	print_indented(out, r->bad_example ? r->bad_example : "-");
	int rc = PGS_OK;
	if (!plugin_rule_origin(r)) {
		/* plugin rules are linted by their plugin's code: not in process here */
		fprintf(out, "\npgsafe reports on it (PostgreSQL %d):\n", example_version(r));
		rc = print_example_findings(out, r, false);
	}
	fprintf(out, "\nNot flagged:\n");
	print_indented(out, r->good_example ? r->good_example : "-");
	fprintf(out, "\nSafe alternative:\n");
	print_indented(out, r->safe_alternative);
	fprintf(out, "\nVersions: %s\n", versions_text(r, vb, sizeof(vb)));
	if (r->peers)
		fprintf(out, "Also known as: %s\n", r->peers);
	if (r->aliases)
		fprintf(out, "Also answers to: %s\n", aliases_text(r, ab, sizeof(ab)));
	return rc;
}

static void code_block(FILE *out, const char *sql)
{
	fprintf(out, "```sql\n%s\n```\n", sql);
}

/* One rule's documentation page (docs/rules/<id>.md). */
static int explain_markdown(FILE *out, const struct rule *r)
{
	char vb[64], ab[256];
	fprintf(out, "# `%s`\n\n", r->id);
	fprintf(out, "<!-- generated by `pgsafe rules --format docs docs/rules` from rules/ (do not edit) -->\n\n");
	fprintf(out, "%s.\n\n", r->summary);
	fprintf(out, "| Severity | PostgreSQL | Enabled |\n|---|---|---|\n| %s | %s | %s |\n\n",
		pgs_severity_name(r->default_severity), versions_text(r, vb, sizeof(vb)),
		r->flags & RULE_OPT_IN ? "no: opt-in (`enable:` in `.pgsafe.yaml`)" : "yes");
	fprintf(out, "## Why\n\n%s\n\n", r->rationale);
	if (r->example_setup) {
		fprintf(out, "## Flagged\n\nAfter an earlier migration that ran\n\n");
		code_block(out, r->example_setup);
		fprintf(out, "\nthis migration is flagged:\n\n");
	} else {
		fprintf(out, "## Flagged\n\n");
	}
	code_block(out, r->bad_example ? r->bad_example : "-- none");
	int rc = PGS_OK;
	if (!plugin_rule_origin(r)) {
		fprintf(out, "\n`pgsafe` reports (PostgreSQL %d):\n\n", example_version(r));
		rc = print_example_findings(out, r, true);
	}
	fprintf(out, "\n## Not flagged\n\n");
	code_block(out, r->good_example ? r->good_example : "-- none");
	fprintf(out, "\n## Safe alternative\n\n");
	code_block(out, r->safe_alternative);
	fprintf(out, "\n## Other tools\n\n%s\n", r->peers ? r->peers : "none");
	if (r->aliases)
		fprintf(out, "\n## Older ids\n\nThis rule also answers to `%s` in configuration and "
			"`pgsafe:ignore` comments: it was split from that rule.\n", aliases_text(r, ab, sizeof(ab)));
	return rc;
}

/* ---------------------------------------------------------------------
 * pgsafe rules
 * ------------------------------------------------------------------- */

static void print_table_text(const struct rule *const *rules, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%-44s %-8s %s%s\n", rules[i]->id, pgs_severity_name(rules[i]->default_severity),
		       rules[i]->summary, rules[i]->flags & RULE_OPT_IN ? " (opt-in)" : "");
}

/* The README's rule table: the lines between its pgsafe-rules markers. */
static void print_table_markdown(FILE *out, const struct rule *const *rules, size_t n, bool links)
{
	char vb[32];
	fprintf(out, "| Rule | Severity | PostgreSQL | Hazard |\n|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = rules[i];
		if (links && !plugin_rule_origin(r))
			fprintf(out, "| [`%s`](docs/rules/%s.md) | %s%s | %s | ", r->id, r->id,
				pgs_severity_name(r->default_severity), r->flags & RULE_OPT_IN ? " (opt-in)" : "",
				versions_short(r, vb, sizeof(vb)));
		else
			fprintf(out, "| `%s` | %s%s | %s | ", r->id, pgs_severity_name(r->default_severity),
				r->flags & RULE_OPT_IN ? " (opt-in)" : "", versions_short(r, vb, sizeof(vb)));
		print_cell(out, r->summary);
		fprintf(out, " |\n");
	}
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int print_json(const struct rule *const *rules, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		const struct rule *r = rules[i];
		json_t *o = json_object(), *al = json_array();
		for (const char *const *a = r->aliases; al && a && *a; a++)
			json_array_append_new(al, json_string(*a));
		json_object_set_new(o, "id", json_string(r->id));
		json_object_set_new(o, "severity", json_string(pgs_severity_name(r->default_severity)));
		json_object_set_new(o, "opt_in", json_boolean(r->flags & RULE_OPT_IN));
		json_object_set_new(o, "min_pg_version", r->min_pg_version ? json_integer(r->min_pg_version) : json_null());
		json_object_set_new(o, "max_pg_version", r->max_pg_version ? json_integer(r->max_pg_version) : json_null());
		json_object_set_new(o, "summary", str_or_null(r->summary));
		json_object_set_new(o, "rationale", str_or_null(r->rationale));
		json_object_set_new(o, "safe_alternative", str_or_null(r->safe_alternative));
		json_object_set_new(o, "bad_example", str_or_null(r->bad_example));
		json_object_set_new(o, "good_example", str_or_null(r->good_example));
		json_object_set_new(o, "example_setup", str_or_null(r->example_setup));
		json_object_set_new(o, "example_pg_version", json_integer(example_version(r)));
		json_object_set_new(o, "peers", str_or_null(r->peers));
		json_object_set_new(o, "aliases", al ? al : json_array());
		json_object_set_new(o, "plugin", str_or_null(plugin_rule_origin(r)));
		json_array_append_new(arr, o);
	}
	json_t *doc = json_object();
	char *cfg = example_config_text();
	json_object_set_new(doc, "example_config", cfg ? json_string(cfg) : json_null());
	free(cfg);
	json_object_set_new(doc, "rules", arr ? arr : json_array());
	int rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || fputc('\n', stdout) == EOF;
	json_decref(doc);
	return rc ? EXIT_INTERNAL : EXIT_CLEAN;
}

/* DIR/<id>.md for every built-in rule, and DIR/README.md listing them. */
static int write_docs(const char *dir, const struct rule *const *rules, size_t n)
{
	char path[4096];
	for (size_t i = 0; i < n; i++) {
		if (plugin_rule_origin(rules[i]))
			continue;
		snprintf(path, sizeof(path), "%s/%s.md", dir, rules[i]->id);
		FILE *f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "pgsafe: cannot write %s: %s\n", path, strerror(errno));
			return EXIT_INPUT;
		}
		int rc = explain_markdown(f, rules[i]);
		if (fclose(f) || rc) {
			fprintf(stderr, "pgsafe: cannot write %s\n", path);
			return EXIT_INTERNAL;
		}
	}
	snprintf(path, sizeof(path), "%s/README.md", dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "pgsafe: cannot write %s: %s\n", path, strerror(errno));
		return EXIT_INPUT;
	}
	fprintf(f, "# Rules\n\n<!-- generated by `pgsafe rules --format docs docs/rules` from rules/ (do not edit) -->\n\n"
		"One page per rule, generated from the rule's descriptor in `rules/`; `pgsafe explain RULE`\n"
		"prints the same. The flagged examples' findings are what `pgsafe` reports on them.\n\n");
	char vb[32];
	fprintf(f, "| Rule | Severity | PostgreSQL | Hazard |\n|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = rules[i];
		if (plugin_rule_origin(r))
			continue;
		fprintf(f, "| [`%s`](%s.md) | %s%s | %s | ", r->id, r->id, pgs_severity_name(r->default_severity),
			r->flags & RULE_OPT_IN ? " (opt-in)" : "", versions_short(r, vb, sizeof(vb)));
		print_cell(f, r->summary);
		fprintf(f, " |\n");
	}
	return fclose(f) ? EXIT_INTERNAL : EXIT_CLEAN;
}

int cmd_rules(int argc, char **argv)
{
	struct cli_common cli;
	struct plugin_set plugins;
	const char *words[2];
	int n_words;
	bool other;
	int status;
	cli_common_init(&cli);
	if ((status = parse_options(argc, argv, &cli, true, &other, words, 2, &n_words)))
		return status;
	const char *format = cli.format ? cli.format : "text";
	bool docs = !strcmp(format, "docs");
	if (other || n_words > (docs ? 1 : 0) || (docs && n_words != 1))
		return cli_usage_error("%s", "usage: pgsafe rules [--format text|markdown|json] | "
				       "pgsafe rules --format docs DIR (options: --plugin PATH, "
				       "--plugin-option PLUGIN.NAME=VALUE)");
	if (strcmp(format, "text") && strcmp(format, "markdown") && strcmp(format, "json") && !docs)
		return cli_usage_error("unknown format \"%s\" for 'pgsafe rules' (text, markdown, json or docs)",
				       format);
	plugin_set_init(&plugins);
	if (!(status = cli_plugins_load(&cli, &plugins)) &&
	    !(status = cli_plugins_from_configs(&cli, &plugins, NULL, NULL, NULL, false))) {
		size_t n;
		const struct rule *const *rules = registry_rules(&n);
		if (!strcmp(format, "text"))
			print_table_text(rules, n);
		else if (!strcmp(format, "markdown"))
			print_table_markdown(stdout, rules, n, true);
		else if (!strcmp(format, "json"))
			status = print_json(rules, n);
		else
			status = write_docs(words[0], rules, n);
		if (!status && fflush(stdout))
			status = EXIT_INTERNAL;
	}
	plugin_set_release(&plugins);
	return status;
}

/* ---------------------------------------------------------------------
 * pgsafe explain
 * ------------------------------------------------------------------- */

int cmd_explain(int argc, char **argv)
{
	/* a rule id (maybe a plugin's), or SQL (--sql) / a file to explain statement by statement */
	struct cli_common cli;
	const char *words[1];
	int n_words;
	bool other;
	int status;
	cli_common_init(&cli);
	if ((status = parse_options(argc, argv, &cli, true, &other, words, 1, &n_words)))
		return status;
	const char *format = cli.format ? cli.format : "text";
	if (!other && n_words == 1 && (!strcmp(format, "text") || !strcmp(format, "markdown"))) {
		struct plugin_set plugins;
		const char *word = words[0];
		plugin_set_init(&plugins);
		if (!(status = cli_plugins_load(&cli, &plugins)) &&
		    !(status = cli_plugins_from_configs(&cli, &plugins, NULL, NULL, NULL, false))) {
			const struct rule *r = registry_find(word);
			if (r) {
				status = (!strcmp(format, "markdown") ? explain_markdown(stdout, r) :
					  explain_text(stdout, r)) ? EXIT_INTERNAL : EXIT_CLEAN;
				const char *origin = plugin_rule_origin(r);
				if (origin && !status)
					printf("From plugin: %s\n", origin);
				for (size_t i = 0; !status && i < plugin_rule_option_count(r); i++) {
					const char *name, *summary;
					plugin_rule_option(r, i, &name, &summary);
					printf("%s  --plugin-option %.*s.%s=VALUE: %s\n", i ? "" : "Plugin options:\n",
					       (int)strcspn(r->id, "/"), r->id, name, summary);
				}
			} else if (!strchr(word, '.') &&
				   (!strchr(word, '/') || (cli.n_plugins && access(word, F_OK)))) {
				status = cli_usage_error("unknown rule \"%s\" (see 'pgsafe rules')", word);
			} else {
				status = -1;   /* a file to explain */
			}
		}
		plugin_set_release(&plugins);
		if (status >= 0)
			return status;
	}
	if (argc < 2)
		return cli_usage_error("%s", "'pgsafe explain' takes a rule id, --sql TEXT or a file");
	return cmd_explain_sql(argc, argv);
}
