/*
 * cmd_rules.c - `pgsafe rules` (the catalog) and `pgsafe explain RULE`.
 *
 * Both print the rule descriptors: the descriptor is the documentation.
 */
#include "cli.h"
#include "registry.h"
#include "../rules/rule.h"

#include <stdio.h>
#include <string.h>

int cmd_explain_sql(int argc, char **argv);

int cmd_rules(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage_error("%s", "'pgsafe rules' takes no arguments");
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
	return EXIT_CLEAN;
}

int cmd_explain(int argc, char **argv)
{
	/* a rule id, or SQL (--sql) / a file to explain statement by statement */
	if (argc == 2 && argv[1][0] != '-') {
		const struct rule *r = registry_find(argv[1]);
		if (r)
			return explain_rule(r);
		if (!strchr(argv[1], '.') && !strchr(argv[1], '/'))
			return cli_usage_error("unknown rule \"%s\" (see 'pgsafe rules')", argv[1]);
	}
	if (argc < 2)
		return cli_usage_error("%s", "'pgsafe explain' takes a rule id, --sql TEXT or a file");
	return cmd_explain_sql(argc, argv);
}
