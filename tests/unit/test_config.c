/*
 * test_config.c - .pgsafe.yaml (config.h): every key, every error with
 * its line and column, hostile YAML, globs, durations, discovery by
 * walking up a temporary tree, --config for every input, and a file's
 * resolved settings (overrides, exclusion, severities, opt-in rules,
 * command-line precedence). Also loads docs/pgsafe.example.yaml.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "lint.h"
#include "pgsafe.h"
#include "../../rules/rule.h"

extern const struct rule rule_require_concurrent_index;

#ifndef PGS_SOURCE_ROOT
#error "PGS_SOURCE_ROOT must name the source tree"
#endif

static int parse_text(struct arena *a, const char *text, struct config *c, struct config_error *e)
{
	return config_parse(c, a, ".pgsafe.yaml", "/proj", text, strlen(text), e);
}

/* ---------------------------------------------------------------------
 * Keys
 * ------------------------------------------------------------------- */

static void test_every_key(void **state)
{
	(void)state;
	static const char text[] =
		"# comment\n"
		"pg_version: 12\n"
		"assume_in_transaction: true\n"
		"fail_on: warning\n"
		"rules:\n"
		"  missing-lock-timeout: off\n"
		"  require-concurrent-index: warning\n"
		"  unused-ignore: hint\n"
		"  ours/no-drop: error\n"
		"enable: [statement-not-modeled, ours/slow-check]\n"
		"exclude:\n"
		"  - legacy/\n"
		"  - '*.down.sql'\n"
		"overrides:\n"
		"  - paths: [seeds/*.sql]\n"
		"    rules: {add-column-volatile-default: hint}\n"
		"    pg_version: 16\n"
		"    assume_in_transaction: false\n"
		"  - paths: [\"a\", \"b\"]\n"
		"max_lock_timeout: 5s\n"
		"require_ignore_reason: true\n"
		"plugins:\n"
		"  - plugins/ours.so\n";
	struct arena a;
	struct config c;
	struct config_error e;
	arena_init(&a);
	assert_int_equal(parse_text(&a, text, &c, &e), PGS_OK);
	assert_string_equal(c.path, ".pgsafe.yaml");
	assert_string_equal(c.dir, "/proj");
	assert_int_equal(c.top.pg_version, 12);
	assert_int_equal(c.top.assume_in_transaction, 1);
	assert_true(c.has_fail_on);
	assert_int_equal(c.fail_on, PGS_SEV_WARNING);
	assert_int_equal(c.top.n_rules, 4);
	assert_string_equal(c.top.rules[0].id, "missing-lock-timeout");
	assert_int_equal(c.top.rules[0].severity, PGS_SEV_NONE);
	assert_string_equal(c.top.rules[1].id, "require-concurrent-index");
	assert_int_equal(c.top.rules[1].severity, PGS_SEV_WARNING);
	assert_string_equal(c.top.rules[2].id, "unused-ignore");
	assert_int_equal(c.top.rules[2].severity, PGS_SEV_HINT);
	/* plugin rule ids are checked when the plugins load (cli_plugins.c) */
	assert_string_equal(c.top.rules[3].id, "ours/no-drop");
	assert_int_equal(c.n_enable, 2);
	assert_string_equal(c.enable[0], "statement-not-modeled");
	assert_string_equal(c.enable[1], "ours/slow-check");
	assert_int_equal(c.n_exclude, 2);
	assert_string_equal(c.exclude[0], "legacy/");
	assert_string_equal(c.exclude[1], "*.down.sql");
	assert_int_equal(c.n_overrides, 2);
	assert_int_equal(c.overrides[0].n_paths, 1);
	assert_string_equal(c.overrides[0].paths[0], "seeds/*.sql");
	assert_int_equal(c.overrides[0].n_rules, 1);
	assert_int_equal(c.overrides[0].rules[0].severity, PGS_SEV_HINT);
	assert_int_equal(c.overrides[0].pg_version, 16);
	assert_int_equal(c.overrides[0].assume_in_transaction, 0);
	assert_int_equal(c.overrides[1].n_paths, 2);
	assert_int_equal(c.overrides[1].pg_version, 0);
	assert_int_equal(c.overrides[1].assume_in_transaction, -1);
	assert_int_equal(c.max_lock_timeout_ms, 5000);
	assert_true(c.require_ignore_reason);
	assert_int_equal(c.n_plugins, 1);
	assert_string_equal(c.plugins[0], "plugins/ours.so");
	arena_release(&a);
}

static void test_empty_and_defaults(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"", "# only a comment\n", "---\n", "~\n", "---\n...\n",
		"rules:\nexclude:\noverrides:\nenable:\nplugins:\n", "{}\n",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct arena a;
		struct config c;
		struct config_error e;
		arena_init(&a);
		int rc = parse_text(&a, texts[i], &c, &e);
		if (rc)
			print_error("case %zu: %u:%u: %s\n", i, e.line, e.column, e.message);
		assert_int_equal(rc, PGS_OK);
		assert_int_equal(c.top.pg_version, 0);
		assert_int_equal(c.top.assume_in_transaction, -1);
		assert_false(c.has_fail_on);
		assert_int_equal(c.top.n_rules + c.n_exclude + c.n_overrides + c.n_enable + c.n_plugins, 0);
		assert_int_equal(c.max_lock_timeout_ms, 0);
		assert_false(c.require_ignore_reason);
		arena_release(&a);
	}
}

static void test_other_values(void **state)
{
	(void)state;
	struct { const char *text; int pg; enum pgs_severity fail_on; long ms; } cases[] = {
		{ "pg_version: 10\nfail_on: never\nmax_lock_timeout: 250ms\n", 10, PGS_SEV_NONE, 250 },
		{ "pg_version: 17\nfail_on: hint\nmax_lock_timeout: 2min\n", 17, PGS_SEV_HINT, 120000 },
		{ "fail_on: error\nmax_lock_timeout: 1500\n", 0, PGS_SEV_ERROR, 1500 },
		{ "max_lock_timeout: \"1 h\"\nfail_on: 'warning'\n", 0, PGS_SEV_WARNING, 3600000 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a;
		struct config c;
		struct config_error e;
		arena_init(&a);
		assert_int_equal(parse_text(&a, cases[i].text, &c, &e), PGS_OK);
		assert_int_equal(c.top.pg_version, cases[i].pg);
		assert_int_equal(c.fail_on, cases[i].fail_on);
		assert_int_equal(c.max_lock_timeout_ms, cases[i].ms);
		arena_release(&a);
	}
}

/* ---------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------- */

struct bad {
	const char *text;
	unsigned line, column;
	const char *message;     /* the whole message */
};

static const struct bad bad_cases[] = {
	/* unknown keys, at the key */
	{ "pg_version: 15\nrules:\n  missing-lock-timeout: off\nrulez:\n  x: 1\n", 4, 1,
	  "unknown key \"rulez\"" },
	{ "overrides:\n  - paths: [a]\n    fail_on: hint\n", 3, 5,
	  "unknown key \"fail_on\" in an override (it takes paths, rules, pg_version and assume_in_transaction)" },
	{ "paths: [a]\n", 1, 1, "unknown key \"paths\"" },
	{ "pg_version: 12\npg_version: 13\n", 2, 1, "key \"pg_version\" is set twice" },
	{ "[1, 2]: x\n", 1, 1, "keys must be names, not a list" },
	/* wrong types and bad values, at the value */
	{ "pg_version: 9\n", 1, 13, "\"pg_version\" must be a major version from 10 to 17, not \"9\"" },
	{ "pg_version: 18\n", 1, 13, "\"pg_version\" must be a major version from 10 to 17, not \"18\"" },
	{ "pg_version: 015\n", 1, 13, "\"pg_version\" must be a major version from 10 to 17, not \"015\"" },
	{ "pg_version: 15.0\n", 1, 13, "\"pg_version\" must be a major version from 10 to 17, not \"15.0\"" },
	{ "pg_version: \"15\"\n", 1, 13, "\"pg_version\" must be a major version from 10 to 17, not \"15\"" },
	{ "pg_version: [15]\n", 1, 13, "\"pg_version\" must be a major version from 10 to 17, not a list" },
	{ "pg_version:\n", 1, 12, "\"pg_version\" must be a major version from 10 to 17, not empty" },
	{ "assume_in_transaction: yes\n", 1, 24, "\"assume_in_transaction\" must be true or false, not \"yes\"" },
	{ "require_ignore_reason: 'true'\n", 1, 24, "\"require_ignore_reason\" must be true or false, not \"true\"" },
	{ "fail_on: critical\n", 1, 10, "\"fail_on\" must be error, warning, hint or never, not \"critical\"" },
	{ "fail_on: off\n", 1, 10, "\"fail_on\" must be error, warning, hint or never, not \"off\"" },
	{ "rules: [a]\n", 1, 8, "\"rules\" must be a mapping of rule ids to severities, not a list" },
	{ "rules:\n  no-such-rule: off\n", 2, 3, "unknown rule \"no-such-rule\" (see 'pgsafe rules')" },
	{ "rules:\n  syntax-error: off\n", 2, 3, "unknown rule \"syntax-error\" (see 'pgsafe rules')" },
	{ "rules:\n  /x: off\n", 2, 3, "unknown rule \"/x\" (see 'pgsafe rules')" },
	{ "rules:\n  a/b/c: off\n", 2, 3, "unknown rule \"a/b/c\" (see 'pgsafe rules')" },
	{ "enable: [ours/]\n", 1, 10, "\"enable\" names unknown rule \"ours/\" (see 'pgsafe rules')" },
	{ "rules:\n  missing-lock-timeout: never\n", 2, 25,
	  "rule \"missing-lock-timeout\" must be error, warning, hint or off, not \"never\"" },
	{ "rules:\n  missing-lock-timeout: off\n  missing-lock-timeout: hint\n", 3, 3,
	  "rule \"missing-lock-timeout\" is set twice" },
	{ "enable: statement-not-modeled\n", 1, 9, "\"enable\" must be a list, not \"statement-not-modeled\"" },
	{ "enable:\n  - statement-not-modeled\n  - nope\n", 3, 5,
	  "\"enable\" names unknown rule \"nope\" (see 'pgsafe rules')" },
	{ "enable: [unused-ignore]\n", 1, 10, "\"enable\" names unknown rule \"unused-ignore\" (see 'pgsafe rules')" },
	{ "exclude: [a, {b: c}]\n", 1, 14, "items of \"exclude\" must be strings, not a mapping" },
	{ "exclude: [a, ~]\n", 1, 14, "items of \"exclude\" must be strings, not empty" },
	{ "exclude: ['']\n", 1, 11, "globs in \"exclude\" must be 1 to 1024 bytes long" },
	{ "overrides: {paths: [a]}\n", 1, 12, "\"overrides\" must be a list, not a mapping" },
	{ "overrides:\n  - a\n", 2, 5, "items of \"overrides\" must be mappings, not \"a\"" },
	{ "overrides:\n  - rules: {missing-lock-timeout: off}\n", 2, 5,
	  "an override needs \"paths\", a list of globs it applies to" },
	{ "overrides:\n  - paths: []\n", 2, 5, "an override needs \"paths\", a list of globs it applies to" },
	{ "overrides:\n  - paths: [a]\n    pg_version: 99\n", 3, 17,
	  "\"pg_version\" must be a major version from 10 to 17, not \"99\"" },
	{ "overrides:\n  - paths: [a]\n    rules:\n      typo-rule: off\n", 4, 7,
	  "unknown rule \"typo-rule\" (see 'pgsafe rules')" },
	{ "max_lock_timeout: 5 seconds\n", 1, 19,
	  "\"max_lock_timeout\" must be a duration above zero such as \"5s\" or \"500ms\", not \"5 seconds\"" },
	{ "max_lock_timeout: 0s\n", 1, 19,
	  "\"max_lock_timeout\" must be a duration above zero such as \"5s\" or \"500ms\", not \"0s\"" },
	{ "max_lock_timeout: 30d\n", 1, 19,
	  "\"max_lock_timeout\" must be a duration above zero such as \"5s\" or \"500ms\", not \"30d\"" },
	{ "plugins: ours.so\n", 1, 10, "\"plugins\" must be a list, not \"ours.so\"" },
	/* the shape of the document */
	{ "- a\n- b\n", 1, 1, "the configuration must be a mapping of keys to values, not a list" },
	{ "just text\n", 1, 1, "the configuration must be a mapping of keys to values, not \"just text\"" },
	{ "pg_version: 15\n---\npg_version: 16\n", 2, 1, "the configuration must be one YAML document" },
	/* YAML syntax errors, where libyaml finds them */
	{ "pg_version: 15\nfail_on: error: x\n", 2, 15, "invalid YAML: mapping values are not allowed in this context" },
	{ "rules: {missing-lock-timeout: off\n", 2, 1, "invalid YAML: did not find expected ',' or '}'" },
	{ "exclude: ['a\n", 2, 1, "invalid YAML: found unexpected end of stream" },
	{ "pg_version: 15\n\tfail_on: error\n", 2, 1, "invalid YAML: found a tab character that violates indentation" },
	{ "pg_version: 15\nfail_on: \"\xff\"\n", 2, 11, "invalid YAML: invalid leading UTF-8 octet" },
	{ "rules: !!map\n  *a: b\n", 2, 3, "aliases (*a) are not allowed" },
	/* aliases are refused, whatever they point to */
	{ "exclude: &x [a]\nplugins: *x\n", 2, 10, "aliases (*x) are not allowed" },
	{ "a: &a [x, x]\nb: &b [*a, *a]\n", 1, 1, "unknown key \"a\"" },
	{ "exclude: &l [a, b]\noverrides:\n  - paths: *l\n", 3, 12, "aliases (*l) are not allowed" },
};

static void test_errors_have_positions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad *b = &bad_cases[i];
		struct arena a;
		struct config c;
		struct config_error e;
		arena_init(&a);
		int rc = parse_text(&a, b->text, &c, &e);
		if (rc != PGS_ERR_USAGE || e.line != b->line || e.column != b->column ||
		    strcmp(e.message, b->message)) {
			print_error("case %zu: %s\n  got rc %d at %u:%u: %s\n  want %u:%u: %s\n", i, b->text,
				    rc, e.line, e.column, e.message, b->line, b->column, b->message);
			fail();
		}
		assert_string_equal(e.path, ".pgsafe.yaml");
		arena_release(&a);
	}
}

/* Hostile input: no crash, no blow-up, an error or a bounded result. */
static void test_hostile_yaml(void **state)
{
	(void)state;
	struct arena a;
	struct config c;
	struct config_error e;

	/* "billion laughs": refused at the first alias */
	static const char laughs[] =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n";
	arena_init(&a);
	assert_int_equal(parse_text(&a, laughs, &c, &e), PGS_ERR_USAGE);
	arena_release(&a);

	/* deep nesting: refused at the top, the rest is never read */
	size_t depth = 100000;
	char *deep = malloc(2 * depth + 1);
	assert_non_null(deep);
	memset(deep, '[', depth);
	memset(deep + depth, ']', depth);
	deep[2 * depth] = '\0';
	arena_init(&a);
	assert_int_equal(parse_text(&a, deep, &c, &e), PGS_ERR_USAGE);
	assert_int_equal(e.line, 1);
	arena_release(&a);
	/* and inside a key that takes a list */
	memcpy(deep, "exclude: ", 9);
	arena_init(&a);
	assert_int_equal(parse_text(&a, deep, &c, &e), PGS_ERR_USAGE);
	assert_string_equal(e.message, "items of \"exclude\" must be strings, not a list");
	arena_release(&a);
	free(deep);

	/* larger than the cap */
	size_t big = PGS_CONFIG_MAX_BYTES + 10;
	char *text = malloc(big + 1);
	assert_non_null(text);
	memset(text, '#', big);
	text[big] = '\0';
	arena_init(&a);
	assert_int_equal(config_parse(&c, &a, "big.yaml", "/", text, big, &e), PGS_ERR_USAGE);
	assert_int_equal(e.line, 0);
	assert_string_equal(e.path, "big.yaml");
	arena_release(&a);
	free(text);

	/* NUL bytes, control characters, a BOM */
	static const char nul[] = "pg_version: 15\n\0fail_on: error\n";
	arena_init(&a);
	assert_int_equal(config_parse(&c, &a, "x", "/", nul, sizeof(nul) - 1, &e), PGS_ERR_USAGE);
	assert_int_equal(e.line, 2);
	arena_release(&a);
	arena_init(&a);
	assert_int_equal(parse_text(&a, "\xef\xbb\xbfpg_version: 11\n", &c, &e), PGS_OK);
	assert_int_equal(c.top.pg_version, 11);
	arena_release(&a);

	/* a long value is named without being quoted whole */
	char longv[300] = "fail_on: ";
	memset(longv + 9, 'x', 200);
	longv[209] = '\0';
	arena_init(&a);
	assert_int_equal(parse_text(&a, longv, &c, &e), PGS_ERR_USAGE);
	assert_string_equal(e.message, "\"fail_on\" must be error, warning, hint or never, not a long string");
	arena_release(&a);
}

/* ---------------------------------------------------------------------
 * Globs and durations
 * ------------------------------------------------------------------- */

static void test_globs(void **state)
{
	(void)state;
	struct { const char *pattern, *path; bool match; } cases[] = {
		/* a name without '/' matches at any depth, file or directory */
		{ "*.down.sql", "001.down.sql", true },
		{ "*.down.sql", "a/b/001.down.sql", true },
		{ "*.down.sql", "001.up.sql", false },
		{ "legacy", "legacy/001.sql", true },
		{ "legacy", "db/legacy/001.sql", true },
		{ "legacy", "legacy.sql", false },
		/* with '/', relative to the configuration's directory */
		{ "db/*.sql", "db/1.sql", true },
		{ "db/*.sql", "db/sub/1.sql", false },
		{ "db/*.sql", "x/db/1.sql", false },
		{ "db/", "db/sub/1.sql", true },
		{ "./db", "db/1.sql", true },
		{ "db/legacy", "db/legacy/1.sql", true },
		{ "db/legacy", "db/legacy2/1.sql", false },
		/* ** matches any number of directories */
		{ "**/seeds/*.sql", "seeds/1.sql", true },
		{ "**/seeds/*.sql", "a/b/seeds/1.sql", true },
		{ "db/**/*.sql", "db/1.sql", true },
		{ "db/**/*.sql", "db/a/b/1.sql", true },
		{ "db/**", "db/a/1.sql", true },
		{ "db/**", "other/1.sql", false },
		{ "**", "anything/at/all.sql", true },
		/* character classes and ? are fnmatch's */
		{ "V[0-9]*__*.sql", "V12__init.sql", true },
		{ "V?__*.sql", "V12__init.sql", false },
		/* no path (a file outside the configuration's directory) matches nothing */
		{ "**", NULL, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = config_glob_match(cases[i].pattern, cases[i].path);
		if (got != cases[i].match) {
			print_error("case %zu: \"%s\" vs \"%s\": got %d\n", i, cases[i].pattern,
				    cases[i].path ? cases[i].path : "(null)", got);
			fail();
		}
	}
	/* many stars stay fast: no exponential backtracking */
	char pat[512] = "", path[512] = "";
	for (int i = 0; i < 30; i++)
		strcat(pat, "**/");
	strcat(pat, "z");
	for (int i = 0; i < 60; i++)
		strcat(path, "a/");
	strcat(path, "b");
	assert_false(config_glob_match(pat, path));
}

static void test_durations(void **state)
{
	(void)state;
	assert_int_equal(config_parse_duration_ms("5s"), 5000);
	assert_int_equal(config_parse_duration_ms("5 s"), 5000);
	assert_int_equal(config_parse_duration_ms("250ms"), 250);
	assert_int_equal(config_parse_duration_ms("2min"), 120000);
	assert_int_equal(config_parse_duration_ms("1h"), 3600000);
	assert_int_equal(config_parse_duration_ms("1d"), 86400000);
	assert_int_equal(config_parse_duration_ms("300"), 300);
	assert_int_equal(config_parse_duration_ms("0"), 0);
	assert_int_equal(config_parse_duration_ms(""), -1);
	assert_int_equal(config_parse_duration_ms("s"), -1);
	assert_int_equal(config_parse_duration_ms("-5s"), -1);
	assert_int_equal(config_parse_duration_ms("1.5s"), -1);
	assert_int_equal(config_parse_duration_ms("5sec"), -1);
	assert_int_equal(config_parse_duration_ms("99999999999999999999"), -1);
	assert_int_equal(config_parse_duration_ms("24d"), 2073600000L);
	assert_int_equal(config_parse_duration_ms("25d"), -1);   /* past lock_timeout's int range */
}

/* ---------------------------------------------------------------------
 * Discovery in a temporary tree
 * ------------------------------------------------------------------- */

struct tree {
	char root[64];
	char saved_cwd[4096];
};

static void write_file(const char *root, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	/* make the directories on the way */
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup_tree(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	snprintf(t->root, sizeof(t->root), "/tmp/pgsafe-config-XXXXXX");
	if (!mkdtemp(t->root) || !getcwd(t->saved_cwd, sizeof(t->saved_cwd)))
		return -1;
	write_file(t->root, ".pgsafe.yaml",
		   "pg_version: 11\n"
		   "exclude: [old/]\n"
		   "overrides:\n"
		   "  - paths: ['app/seeds/*.sql']\n"
		   "    pg_version: 13\n"
		   "    rules: {require-concurrent-index: off}\n"
		   "  - paths: ['**/seeds']\n"
		   "    rules: {require-concurrent-index: hint}\n");
	write_file(t->root, "app/seeds/1.sql", "SELECT 1;\n");
	write_file(t->root, "app/2.sql", "SELECT 1;\n");
	write_file(t->root, "old/3.sql", "SELECT 1;\n");
	write_file(t->root, "svc/.pgsafe.yaml", "pg_version: 16\nfail_on: warning\n");
	write_file(t->root, "svc/db/deep/4.sql", "SELECT 1;\n");
	write_file(t->root, "bad/.pgsafe.yaml", "pg_version: 15\nfail_onn: error\n");
	write_file(t->root, "bad/5.sql", "SELECT 1;\n");
	write_file(t->root, "other.yaml", "fail_on: never\nexclude: ['app/2.sql']\n");
	*state = t;
	return 0;
}

static int teardown_tree(void **state)
{
	struct tree *t = *state;
	char cmd[256];
	if (chdir(t->saved_cwd))
		return -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	if (system(cmd))
		return -1;
	free(t);
	return 0;
}

static void test_walks_up(void **state)
{
	struct tree *t = *state;
	struct config_set s;
	struct file_settings fs;
	struct config_error e;
	struct arena a;
	char path[512];
	assert_int_equal(chdir(t->root), 0);
	config_set_init(&s, NULL, true);
	arena_init(&a);

	/* two levels below the root configuration, with both overrides in order */
	assert_int_equal(config_set_lookup(&s, "app/seeds/1.sql", &a, &fs, &e), PGS_OK);
	assert_non_null(fs.config);
	assert_string_equal(fs.config->path, ".pgsafe.yaml");
	assert_string_equal(fs.relpath, "app/seeds/1.sql");
	assert_false(fs.excluded);
	assert_int_equal(fs.n_layers, 3);
	struct lint_options o = { .pg_version = 15 };
	config_apply(&fs, &o);
	assert_int_equal(o.pg_version, 13);
	const struct rule *rci = &rule_require_concurrent_index;
	assert_int_equal(config_rule_severity(&fs, rci), PGS_SEV_HINT);   /* the last match wins */

	/* the same configuration, from an absolute path, without the overrides */
	snprintf(path, sizeof(path), "%s/app/2.sql", t->root);
	assert_int_equal(config_set_lookup(&s, path, &a, &fs, &e), PGS_OK);
	assert_string_equal(fs.relpath, "app/2.sql");
	assert_int_equal(fs.n_layers, 1);
	assert_int_equal(config_rule_severity(&fs, rci), PGS_SEV_ERROR);
	o.pg_version = 15;
	config_apply(&fs, &o);
	assert_int_equal(o.pg_version, 11);

	/* excluded */
	assert_int_equal(config_set_lookup(&s, "old/3.sql", &a, &fs, &e), PGS_OK);
	assert_true(fs.excluded);

	/* the nearest configuration wins, and nothing is inherited from the one above */
	assert_int_equal(config_set_lookup(&s, "svc/db/deep/4.sql", &a, &fs, &e), PGS_OK);
	assert_string_equal(fs.config->path, "svc/.pgsafe.yaml");
	assert_string_equal(fs.relpath, "db/deep/4.sql");
	o = (struct lint_options){ .pg_version = 15, .fail_on = PGS_SEV_ERROR };
	config_apply(&fs, &o);
	assert_int_equal(o.pg_version, 16);
	assert_int_equal(o.fail_on, PGS_SEV_WARNING);

	/* from inside a subdirectory, the configuration above is shown by its absolute path */
	assert_int_equal(chdir("svc/db"), 0);
	assert_int_equal(config_set_lookup(&s, "deep/4.sql", &a, &fs, &e), PGS_OK);
	assert_string_equal(fs.config->path, "svc/.pgsafe.yaml");   /* cached: first shown name */
	config_set_release(&s);
	config_set_init(&s, NULL, true);
	assert_int_equal(config_set_lookup(&s, "deep/4.sql", &a, &fs, &e), PGS_OK);
	snprintf(path, sizeof(path), "%s/svc/.pgsafe.yaml", t->root);
	assert_string_equal(fs.config->path, path);
	/* standard input without a name: the current directory */
	assert_int_equal(config_set_lookup(&s, "<stdin>", &a, &fs, &e), PGS_OK);
	assert_string_equal(fs.config->path, path);
	assert_int_equal(chdir(t->root), 0);
	config_set_release(&s);

	/* a malformed configuration is an error with its position */
	config_set_init(&s, NULL, true);
	assert_int_equal(config_set_lookup(&s, "bad/5.sql", &a, &fs, &e), PGS_ERR_USAGE);
	assert_string_equal(e.path, "bad/.pgsafe.yaml");
	assert_int_equal(e.line, 2);
	assert_int_equal(e.column, 1);
	assert_string_equal(e.message, "unknown key \"fail_onn\"");
	config_set_release(&s);

	/* --no-config: nothing applies */
	config_set_init(&s, NULL, false);
	assert_int_equal(config_set_lookup(&s, "app/2.sql", &a, &fs, &e), PGS_OK);
	assert_null(fs.config);
	assert_false(fs.excluded);
	config_set_release(&s);
	arena_release(&a);
}

static void test_explicit_config(void **state)
{
	struct tree *t = *state;
	struct config_set s;
	struct file_settings fs;
	struct config_error e;
	struct arena a;
	assert_int_equal(chdir(t->root), 0);
	arena_init(&a);

	/* --config applies to every input, even below another .pgsafe.yaml */
	config_set_init(&s, "other.yaml", true);
	assert_int_equal(config_set_lookup(&s, "svc/db/deep/4.sql", &a, &fs, &e), PGS_OK);
	assert_string_equal(fs.config->path, "other.yaml");
	assert_string_equal(fs.relpath, "svc/db/deep/4.sql");
	struct lint_options o = { .pg_version = 15, .fail_on = PGS_SEV_ERROR };
	config_apply(&fs, &o);
	assert_int_equal(o.pg_version, 15);
	assert_int_equal(o.fail_on, PGS_SEV_NONE);
	/* its globs are relative to its own directory */
	assert_int_equal(config_set_lookup(&s, "app/2.sql", &a, &fs, &e), PGS_OK);
	assert_true(fs.excluded);
	/* bad/ is not read at all */
	assert_int_equal(config_set_lookup(&s, "bad/5.sql", &a, &fs, &e), PGS_OK);
	/* a file outside the configuration's directory matches no glob */
	assert_int_equal(config_set_lookup(&s, "/etc/x.sql", &a, &fs, &e), PGS_OK);
	assert_null(fs.relpath);
	assert_false(fs.excluded);
	config_set_release(&s);

	/* a missing --config is an error without a position */
	config_set_init(&s, "missing.yaml", true);
	assert_int_equal(config_set_lookup(&s, "app/2.sql", &a, &fs, &e), PGS_ERR_USAGE);
	assert_string_equal(e.path, "missing.yaml");
	assert_int_equal(e.line, 0);
	assert_string_equal(e.message, "cannot read the configuration: No such file or directory");
	config_set_release(&s);

	/* a directory */
	config_set_init(&s, "svc", true);
	assert_int_equal(config_set_lookup(&s, "app/2.sql", &a, &fs, &e), PGS_ERR_USAGE);
	assert_string_equal(e.message, "the configuration is a directory");
	config_set_release(&s);

	/* the command line wins over the file */
	config_set_init(&s, "svc/.pgsafe.yaml", true);
	assert_int_equal(config_set_lookup(&s, "app/2.sql", &a, &fs, &e), PGS_OK);
	o = (struct lint_options){ .pg_version = 12, .fail_on = PGS_SEV_HINT,
				   .given = LINT_GIVEN_PG_VERSION | LINT_GIVEN_FAIL_ON };
	config_apply(&fs, &o);
	assert_int_equal(o.pg_version, 12);
	assert_int_equal(o.fail_on, PGS_SEV_HINT);
	config_set_release(&s);
	arena_release(&a);
}

/* ---------------------------------------------------------------------
 * Severities
 * ------------------------------------------------------------------- */

static void test_severities(void **state)
{
	(void)state;
	static const char text[] =
		"enable: [statement-not-modeled]\n"
		"rules:\n"
		"  require-concurrent-index: warning\n"
		"  missing-lock-timeout: off\n"
		"overrides:\n"
		"  - paths: [x.sql]\n"
		"    rules: {missing-lock-timeout: error, unused-ignore: off}\n";
	struct arena a;
	struct config c;
	struct config_error e;
	arena_init(&a);
	assert_int_equal(parse_text(&a, text, &c, &e), PGS_OK);
	const struct config_layer *both[] = { &c.top, &c.overrides[0] };
	struct file_settings top = { .config = &c, .relpath = "y.sql", .layers = both, .n_layers = 1 };
	struct file_settings x = { .config = &c, .relpath = "x.sql", .layers = both, .n_layers = 2 };

	struct rule plain = { .id = "require-concurrent-index", .default_severity = PGS_SEV_ERROR };
	struct rule mlt = { .id = "missing-lock-timeout", .default_severity = PGS_SEV_WARNING };
	struct rule other = { .id = "drop-index-without-concurrently", .default_severity = PGS_SEV_ERROR };
	struct rule opt = { .id = "statement-not-modeled", .default_severity = PGS_SEV_HINT,
			    .flags = RULE_OPT_IN };
	struct rule opt_off = { .id = "some-opt-in", .default_severity = PGS_SEV_HINT, .flags = RULE_OPT_IN };

	assert_int_equal(config_rule_severity(&top, &plain), PGS_SEV_WARNING);
	assert_int_equal(config_rule_severity(&top, &mlt), PGS_SEV_NONE);
	assert_int_equal(config_rule_severity(&x, &mlt), PGS_SEV_ERROR);
	assert_int_equal(config_rule_severity(&top, &other), PGS_SEV_ERROR);
	assert_int_equal(config_rule_severity(&top, &opt), PGS_SEV_HINT);
	assert_int_equal(config_rule_severity(&top, &opt_off), PGS_SEV_NONE);
	assert_int_equal(config_id_severity(&top, "unused-ignore", PGS_SEV_WARNING), PGS_SEV_WARNING);
	assert_int_equal(config_id_severity(&x, "unused-ignore", PGS_SEV_WARNING), PGS_SEV_NONE);

	/* no configuration: defaults, opt-in rules off */
	struct file_settings none = { 0 };
	assert_int_equal(config_rule_severity(&none, &plain), PGS_SEV_ERROR);
	assert_int_equal(config_rule_severity(&none, &opt), PGS_SEV_NONE);
	assert_int_equal(config_rule_severity(NULL, &mlt), PGS_SEV_WARNING);
	arena_release(&a);
}

/* ---------------------------------------------------------------------
 * The documented example
 * ------------------------------------------------------------------- */

static void test_example_file_loads(void **state)
{
	(void)state;
	struct arena a;
	struct config c;
	struct config_error e;
	arena_init(&a);
	int rc = config_load(&c, &a, PGS_SOURCE_ROOT "/docs/pgsafe.example.yaml", "pgsafe.example.yaml", &e);
	if (rc)
		print_error("%s:%u:%u: %s\n", e.path, e.line, e.column, e.message);
	assert_int_equal(rc, PGS_OK);
	/* it shows every key */
	assert_true(c.top.pg_version && c.top.assume_in_transaction >= 0 && c.has_fail_on);
	assert_true(c.top.n_rules && c.n_enable && c.n_exclude && c.n_overrides);
	assert_true(c.max_lock_timeout_ms && c.n_plugins);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_empty_and_defaults),
		cmocka_unit_test(test_other_values),
		cmocka_unit_test(test_errors_have_positions),
		cmocka_unit_test(test_hostile_yaml),
		cmocka_unit_test(test_globs),
		cmocka_unit_test(test_durations),
		cmocka_unit_test_setup_teardown(test_walks_up, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_explicit_config, setup_tree, teardown_tree),
		cmocka_unit_test(test_severities),
		cmocka_unit_test(test_example_file_loads),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
