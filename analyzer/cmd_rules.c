/*
 * cmd_rules.c - `pgsafe rules` (the catalog) and `pgsafe explain RULE`.
 *
 * Both print the rule descriptors: the descriptor is the documentation.
 */
#include "cli.h"
#include "plugin.h"
#include "registry.h"
#include "../rules/rule.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_explain_sql(int argc, char **argv);

/*
 * Reads --plugin, --plugin-option and --allow-plugins into @cli; *@other
 * tells whether any other option or more than one word was given, and
 * *@word is the one word (a rule id, for explain), or NULL.
 */
static int plugin_options(int argc, char **argv, struct cli_common *cli, bool *other,
			  const char **word)
{
	static const struct option longopts[] = {
		CLI_PLUGIN_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int c;
	*other = false;
	*word = NULL;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c == ':')
			return cli_usage_error("option \"%s\" needs a value", argv[optind - 1]);
		if (c == '?' || cli_common_option(cli, c, optarg) != 1)
			*other = true;
	}
	if (optind == argc - 1)
		*word = argv[optind];
	else if (optind < argc)
		*other = true;
	return EXIT_CLEAN;
}

int cmd_rules(int argc, char **argv)
{
	struct cli_common cli;
	struct plugin_set plugins;
	const char *word;
	bool other;
	int status;
	cli_common_init(&cli);
	if ((status = plugin_options(argc, argv, &cli, &other, &word)))
		return status;
	if (other || word)
		return cli_usage_error("%s", "'pgsafe rules' takes no arguments; its options are --plugin PATH and --plugin-option PLUGIN.NAME=VALUE");
	plugin_set_init(&plugins);
	if (!(status = cli_plugins_load(&cli, &plugins)) &&
	    !(status = cli_plugins_from_configs(&cli, &plugins, NULL, NULL, NULL, false))) {
		size_t n;
		const struct rule *const *rules = registry_rules(&n);
		for (size_t i = 0; i < n; i++)
			printf("%-44s %-8s %s\n", rules[i]->id,
			       pgs_severity_name(rules[i]->default_severity), rules[i]->summary);
	}
	plugin_set_release(&plugins);
	return status;
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

static void print_indented(const char *text)
{
	for (const char *p = text; p && *p; ) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		printf("  %.*s\n", (int)l, p);
		p = e ? e + 1 : p + l;
	}
}

static int explain_rule(const struct rule *r)
{
	printf("%s (%s)\n\n%s\n\nWhy:\n", r->id, pgs_severity_name(r->default_severity), r->summary);
	print_indented(r->rationale);
	printf("\nFlagged:\n");
	print_indented(r->bad_example ? r->bad_example : "-");
	printf("\nNot flagged:\n");
	print_indented(r->good_example ? r->good_example : "-");
	printf("\nSafe alternative:\n");
	print_indented(r->safe_alternative);
	printf("\nVersions: ");
	print_versions(r);
	if (r->peers)
		printf("Also known as: %s\n", r->peers);
	const char *origin = plugin_rule_origin(r);
	if (origin)
		printf("From plugin: %s\n", origin);
	for (size_t i = 0; i < plugin_rule_option_count(r); i++) {
		const char *name, *summary;
		plugin_rule_option(r, i, &name, &summary);
		printf("%s  --plugin-option %.*s.%s=VALUE: %s\n", i ? "" : "Plugin options:\n",
		       (int)strcspn(r->id, "/"), r->id, name, summary);
	}
	return EXIT_CLEAN;
}

int cmd_explain(int argc, char **argv)
{
	/* a rule id (maybe a plugin's), or SQL (--sql) / a file to explain statement by statement */
	struct cli_common cli;
	const char *word;
	bool other;
	int status;
	cli_common_init(&cli);
	if ((status = plugin_options(argc, argv, &cli, &other, &word)))
		return status;
	if (!other && word) {
		struct plugin_set plugins;
		plugin_set_init(&plugins);
		if (!(status = cli_plugins_load(&cli, &plugins)) &&
		    !(status = cli_plugins_from_configs(&cli, &plugins, NULL, NULL, NULL, false))) {
			const struct rule *r = registry_find(word);
			if (r)
				status = explain_rule(r);
			else if (!strchr(word, '.') &&
				 (!strchr(word, '/') || (cli.n_plugins && access(word, F_OK))))
				status = cli_usage_error("unknown rule \"%s\" (see 'pgsafe rules')", word);
			else
				status = -1;   /* a file to explain */
		}
		plugin_set_release(&plugins);
		if (status >= 0)
			return status;
	}
	if (argc < 2)
		return cli_usage_error("%s", "'pgsafe explain' takes a rule id, --sql TEXT or a file");
	return cmd_explain_sql(argc, argv);
}
