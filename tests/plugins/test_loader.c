/*
 * test_loader.c - the plugin loader's API (plugin.h) with cmocka: every
 * way a shared object can fail to be a plugin this pgsafe loads, what the
 * registry holds before, during and after a plugin set, options, the
 * PGSAFE_PLUGIN_PATH lookup, and plugin rules run by the linter, including
 * the ones that break the API's contract.
 *
 * The plugins are tests/plugins/test_plugin.c's variants and the example
 * plugins, built by meson (PLUGIN_DIR, EXAMPLE_DIR).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pg_query.h>

#include "lint.h"
#include "plugin.h"
#include "registry.h"
#include "../rules/rule.h"

static const char *test_path(const char *variant)
{
	static char buf[4096];
	snprintf(buf, sizeof(buf), "%s/test_%s.so", PLUGIN_DIR, variant);
	return buf;
}

static const char *example_path(const char *name)
{
	static char buf[4096];
	snprintf(buf, sizeof(buf), "%s/%s.so", EXAMPLE_DIR, name);
	return buf;
}

/* Loads @path into a fresh set and expects PGS_ERR_PLUGIN with every one of @needles in the message. */
static void expect_refused(const char *path, const char *const *needles)
{
	struct plugin_set ps;
	struct plugin_error err = { { 0 } };
	size_t before;
	registry_rules(&before);
	plugin_set_init(&ps);
	assert_int_equal(plugin_load(&ps, path, NULL, &err), PGS_ERR_PLUGIN);
	for (const char *const *n = needles; *n; n++) {
		if (!strstr(err.message, *n))
			fail_msg("\"%s\" is not in \"%s\"", *n, err.message);
	}
	assert_int_equal(plugin_set_count(&ps), 0);
	assert_int_equal(plugin_set_activate(&ps), PGS_OK);
	size_t after;
	registry_rules(&after);
	assert_int_equal(after, before);
	plugin_set_release(&ps);
}

static void test_refusals(void **state)
{
	(void)state;
	char dir_msg[64];
	snprintf(dir_msg, sizeof(dir_msg), "not a regular file");
	expect_refused(test_path("bad_major"),
		       (const char *[]){ "test_bad_major.so", "plugin ABI 2", "loads ABI 1", "provides 1.0", NULL });
	expect_refused(test_path("bad_grammar"),
		       (const char *[]){ "test_bad_grammar.so", "PostgreSQL 16 grammar", "PostgreSQL 15 grammar", NULL });
	expect_refused(test_path("small_manifest"),
		       (const char *[]){ "test_small_manifest.so", "manifest is 8 bytes", "plugin ABI 1.0, pgsafe ABI 1.0", NULL });
	expect_refused(test_path("null_manifest"), (const char *[]){ "returned no manifest", NULL });
	expect_refused(test_path("bad_id"),
		       (const char *[]){ "rule id \"not-namespaced\" is not \"variant/\"", NULL });
	expect_refused(PLUGIN_DIR "/not_a_plugin.so",
		       (const char *[]){ "not_a_plugin.so\" is not a pgsafe plugin", "pgsafe_plugin_manifest()", NULL });
	expect_refused(PLUGIN_DIR "/no_such_plugin.so",
		       (const char *[]){ "cannot load plugin", "No such file or directory", NULL });
	expect_refused(PLUGIN_DIR, (const char *[]){ dir_msg, NULL });
	expect_refused(PLUGIN_DIR "/meson.build.missing", (const char *[]){ "No such file", NULL });
	/* a file that is not a shared object at all */
	expect_refused(PGS_SOURCE_ROOT "/plugins/pgsafe_plugin.h",
		       (const char *[]){ "cannot load plugin", "pgsafe_plugin.h", NULL });
}

static void test_registry_follows_the_set(void **state)
{
	(void)state;
	struct plugin_set ps;
	struct plugin_error err;
	size_t n_builtin, n;
	const struct rule *const *builtin = registry_rules(&n_builtin);
	assert_null(registry_find("naming/index-name"));

	plugin_set_init(&ps);
	assert_int_equal(plugin_load(&ps, example_path("naming"), NULL, &err), PGS_OK);
	/* the same file twice, under another spelling, is one plugin */
	assert_int_equal(plugin_load(&ps, EXAMPLE_DIR "/./naming.so", NULL, &err), PGS_OK);
	assert_int_equal(plugin_set_count(&ps), 1);
	assert_string_equal(plugin_name(&ps, 0), "naming");
	assert_string_equal(plugin_version(&ps, 0), "1.0.0");
	assert_null(registry_find("naming/index-name"));   /* not before activation */

	assert_int_equal(plugin_set_activate(&ps), PGS_OK);
	assert_int_equal(plugin_set_activate(&ps), PGS_OK);   /* idempotent */
	const struct rule *const *rules = registry_rules(&n);
	assert_int_equal(n, n_builtin + 2);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(rules[i - 1]->id, rules[i]->id) < 0);
	const struct rule *r = registry_find("naming/index-name");
	assert_non_null(r);
	assert_int_equal(r->default_severity, PGS_SEV_WARNING);
	assert_non_null(r->check);
	assert_null(r->finish);
	assert_non_null(plugin_rule_origin(r));
	assert_null(plugin_rule_origin(registry_find("require-concurrent-index")));

	/* a second plugin named alike is refused, and the first stays */
	assert_int_equal(plugin_load(&ps, test_path("clash"), NULL, &err), PGS_ERR_PLUGIN);
	assert_non_null(strstr(err.message, "are both named \"naming\""));
	assert_int_equal(plugin_set_count(&ps), 1);

	/* a later minor version with a longer manifest loads */
	assert_int_equal(plugin_load(&ps, test_path("future_minor"), NULL, &err), PGS_OK);
	assert_int_equal(plugin_set_activate(&ps), PGS_OK);
	assert_non_null(registry_find("future/api"));
	registry_rules(&n);
	assert_int_equal(n, n_builtin + 3);

	plugin_set_release(&ps);
	assert_null(registry_find("naming/index-name"));
	assert_ptr_equal(registry_rules(&n), builtin);
	assert_int_equal(n, n_builtin);
}

static void test_options(void **state)
{
	(void)state;
	struct plugin_set ps;
	struct plugin_error err;
	plugin_set_init(&ps);
	assert_int_equal(plugin_set_option(&ps, "no-dot=1", &err), PGS_ERR_USAGE);
	assert_int_equal(plugin_set_option(&ps, "p.noequals", &err), PGS_ERR_USAGE);
	assert_int_equal(plugin_set_option(&ps, ".x=1", &err), PGS_ERR_USAGE);
	assert_int_equal(plugin_set_option(&ps, "p.=1", &err), PGS_ERR_USAGE);
	assert_int_equal(plugin_set_option(&ps, "probe.label=a=b", &err), PGS_OK);
	assert_int_equal(plugin_set_option(&ps, "probe.label=again", &err), PGS_ERR_USAGE);
	assert_non_null(strstr(err.message, "given twice"));
	/* the plugin is not loaded yet */
	assert_int_equal(plugin_set_check_options(&ps, &err), PGS_ERR_USAGE);
	assert_non_null(strstr(err.message, "plugin \"probe\", which is not loaded"));
	assert_int_equal(plugin_load(&ps, test_path("probe"), NULL, &err), PGS_OK);
	assert_int_equal(plugin_set_check_options(&ps, &err), PGS_OK);
	assert_int_equal(plugin_set_option(&ps, "probe.colour=red", &err), PGS_OK);
	assert_int_equal(plugin_set_check_options(&ps, &err), PGS_ERR_USAGE);
	assert_non_null(strstr(err.message, "has no option \"colour\""));
	plugin_set_release(&ps);
}

static void test_search_path(void **state)
{
	(void)state;
	struct plugin_set ps;
	struct plugin_error err;
	plugin_set_init(&ps);
	unsetenv("PGSAFE_PLUGIN_PATH");
	assert_int_equal(plugin_load(&ps, "naming", NULL, &err), PGS_ERR_PLUGIN);
	assert_non_null(strstr(err.message, "PGSAFE_PLUGIN_PATH is not set"));
	setenv("PGSAFE_PLUGIN_PATH", "/nonexistent::" EXAMPLE_DIR, 1);
	assert_int_equal(plugin_load(&ps, "naming", NULL, &err), PGS_OK);
	assert_int_equal(plugin_load(&ps, "protected_tables.so", NULL, &err), PGS_OK);
	assert_int_equal(plugin_load(&ps, "nothing", NULL, &err), PGS_ERR_PLUGIN);
	assert_non_null(strstr(err.message, "or in PGSAFE_PLUGIN_PATH"));
	/* a path is a path: never searched */
	assert_int_equal(plugin_load(&ps, "sub/naming.so", NULL, &err), PGS_ERR_PLUGIN);
	/* relative to a configuration's directory */
	assert_int_equal(plugin_load(&ps, "naming.so", EXAMPLE_DIR, &err), PGS_OK);
	assert_int_equal(plugin_set_count(&ps), 2);
	unsetenv("PGSAFE_PLUGIN_PATH");
	plugin_set_release(&ps);
}

/* Lints @sql with the plugin @variant loaded; returns lint_buffer's status. */
static int lint_with(const char *variant, const char *sql, struct lint_run *run,
		     struct plugin_set *ps)
{
	struct plugin_error err;
	struct lint_options opts = { .pg_version = 15, .fail_on = PGS_SEV_ERROR };
	plugin_set_init(ps);
	assert_int_equal(plugin_load(ps, test_path(variant), NULL, &err), PGS_OK);
	assert_int_equal(plugin_set_activate(ps), PGS_OK);
	lint_init(run, &opts);
	return lint_buffer(run, "t.sql", sql, strlen(sql));
}

static const struct diag *find_diag(const struct lint_run *run, const char *rule)
{
	for (size_t i = 0; i < run->diags.n; i++)
		if (!strcmp(run->diags.items[i].rule, rule))
			return &run->diags.items[i];
	return NULL;
}

static void test_rules_run(void **state)
{
	(void)state;
	struct lint_run run;
	struct plugin_set ps;
	assert_int_equal(lint_with("probe", "SET lock_timeout = '2s';\n"
				   "ALTER TABLE t ADD COLUMN c int;\n", &run, &ps), PGS_OK);
	lint_finish(&run);
	size_t n = 0;
	for (size_t i = 0; i < run.diags.n; i++)
		n += !strcmp(run.diags.items[i].rule, "probe/api");
	assert_int_equal(n, 3);   /* two statements and the finish */
	const struct diag *d = find_diag(&run, "probe/api");
	assert_non_null(d);
	assert_int_equal(d->severity, PGS_SEV_HINT);
	lint_release(&run);
	plugin_set_release(&ps);

	/* a message that is not UTF-8 stops the run, even if the plugin ignores the status */
	assert_int_equal(lint_with("misuse", "SELECT 1;", &run, &ps), PGS_ERR_PLUGIN);
	assert_non_null(strstr(ps.failure, "\"variant/rule\""));
	assert_non_null(strstr(ps.failure, "not one line of UTF-8 text"));
	assert_null(find_diag(&run, "variant/rule"));
	lint_release(&run);
	plugin_set_release(&ps);

	assert_int_equal(lint_with("fails", "SELECT 1;", &run, &ps), PGS_ERR_PLUGIN);
	assert_non_null(strstr(ps.failure, "the rule reported a failure"));
	lint_release(&run);
	plugin_set_release(&ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_registry_follows_the_set),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_search_path),
		cmocka_unit_test(test_rules_run),
	};
	int rc = cmocka_run_group_tests_name("plugins", tests, NULL, NULL);
	pg_query_exit();
	return rc;
}
