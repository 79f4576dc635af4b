/*
 * test_ignore.c - inline suppressions (ignore.h) through the lint driver:
 * silenced findings stay in the list, marked, and count for nothing; the
 * comment finder (split_next_comment) never looks inside strings, quoted
 * names, dollar quotes or meta-commands; configuration severities reach
 * ignore's own findings.
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

#include "config.h"
#include "ignore.h"
#include "lint.h"
#include "split.h"

/* ---------------------------------------------------------------------
 * The comment finder
 * ------------------------------------------------------------------- */

/* Every comment of @text, joined with '|'. */
static void comments(const char *text, char *out, size_t size)
{
	size_t pos = 0, s, e, n = 0, len = strlen(text);
	out[0] = '\0';
	while (split_next_comment(text, len, pos, &s, &e)) {
		n += (size_t)snprintf(out + n, size - n, "%s%.*s", n ? "|" : "", (int)(e - s), text + s);
		pos = e;
	}
}

static void test_comment_finder(void **state)
{
	(void)state;
	struct { const char *text, *want; } cases[] = {
		{ "-- a\nSELECT 1; -- b\n/* c */ SELECT 2;", "-- a|-- b|/* c */" },
		{ "SELECT '-- not', 'it''s -- not' -- yes\n", "-- yes" },
		{ "SELECT E'\\' -- not' -- yes", "-- yes" },
		{ "SELECT \"a -- not\"\"b\" -- yes", "-- yes" },
		{ "SELECT $$ -- not $$, $t$ $$ -- not $t$ -- yes", "-- yes" },
		{ "CREATE FUNCTION f() RETURNS int AS $body$\n-- pgsafe:ignore x\nSELECT 1 $body$ LANGUAGE sql;",
		  "" },
		{ "SELECT a$b$ -- yes\n", "-- yes" },          /* $ inside a name opens nothing */
		{ "SELECT 1e'x' -- yes", "-- yes" },
		{ "\\echo -- not\nSELECT 1; -- yes", "-- yes" },
		{ "/* a /* nested */ -- not */ -- yes", "/* a /* nested */ -- not */|-- yes" },
		{ "SELECT 'unterminated -- not", "" },
		{ "SELECT 1 -- last", "-- last" },
	};
	char got[512];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		comments(cases[i].text, got, sizeof(got));
		if (strcmp(got, cases[i].want)) {
			print_error("case %zu: %s\n  got  \"%s\"\n  want \"%s\"\n", i, cases[i].text, got,
				    cases[i].want);
			fail();
		}
	}
}

/* ---------------------------------------------------------------------
 * Through the driver
 * ------------------------------------------------------------------- */

struct seen {
	size_t shown, suppressed;
	char ids[1024];       /* "line:rule" of shown findings these tests are about */
};

/* The rules these cases exercise; others' findings are counted, not listed. */
static bool watched(const char *rule)
{
	static const char *const ids[] = {
		"add-column-volatile-default", "add-column-default-before-pg11",
		"require-concurrent-index", "missing-lock-timeout", IGNORE_ID_UNKNOWN_RULE,
		IGNORE_ID_UNUSED, IGNORE_ID_NO_REASON,
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (!strcmp(ids[i], rule))
			return true;
	return false;
}

static void lint(const char *sql, const struct lint_options *opts, struct seen *out)
{
	struct lint_run r;
	struct lint_options o = { .pg_version = 15, .fail_on = PGS_SEV_ERROR };
	if (opts)
		o = *opts;
	lint_init(&r, &o);
	assert_int_equal(lint_buffer(&r, "t.sql", sql, strlen(sql)), PGS_OK);
	lint_finish(&r);
	memset(out, 0, sizeof(*out));
	size_t n = 0;
	for (size_t i = 0; i < r.diags.n; i++) {
		const struct diag *d = &r.diags.items[i];
		if (d->suppressed) {
			out->suppressed++;
			continue;
		}
		out->shown++;
		if (watched(d->rule))
			n += (size_t)snprintf(out->ids + n, sizeof(out->ids) - n, "%s%u:%s", n ? " " : "",
				      d->start.line, d->rule);
	}
	/* suppressed findings count for nothing */
	assert_int_equal(r.summary.errors + r.summary.warnings + r.summary.hints, out->shown);
	if (!out->shown)
		assert_false(r.fails);
	lint_release(&r);
}

#define ADD_VOLATILE "ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid();\n"
/* both timeouts set, on one line: only the findings a case is about remain */
#define NO_TIMEOUT "SET lock_timeout = '1s'; SET statement_timeout = '1min';\n"

static void test_suppressed_findings_stay(void **state)
{
	(void)state;
	struct seen s;
	lint(NO_TIMEOUT "-- pgsafe:ignore add-column-volatile-default small table\n" ADD_VOLATILE, NULL, &s);
	assert_string_equal(s.ids, "");
	assert_int_equal(s.suppressed, 1);

	/* trailing: silences nothing, and not the statement after it either */
	lint(NO_TIMEOUT "SELECT 1; -- pgsafe:ignore add-column-volatile-default\n" ADD_VOLATILE, NULL, &s);
	assert_string_equal(s.ids, "2:unused-ignore 3:add-column-volatile-default");
	assert_int_equal(s.suppressed, 0);

	/* blank lines and other comments between the directive and the statement */
	lint(NO_TIMEOUT "-- pgsafe:ignore add-column-volatile-default\n\n-- why: small\n/* more */\n" ADD_VOLATILE,
	     NULL, &s);
	assert_string_equal(s.ids, "");

	/* only the statement below */
	lint(NO_TIMEOUT "-- pgsafe:ignore add-column-volatile-default\n" ADD_VOLATILE ADD_VOLATILE, NULL, &s);
	assert_string_equal(s.ids, "4:add-column-volatile-default");
	assert_int_equal(s.suppressed, 1);

	/* file-wide, from the end of the file */
	lint(NO_TIMEOUT ADD_VOLATILE ADD_VOLATILE "-- pgsafe:ignore-file add-column-volatile-default\n", NULL, &s);
	assert_string_equal(s.ids, "");
	assert_int_equal(s.suppressed, 2);

	/* a directive inside a string or a function body is no directive */
	lint(NO_TIMEOUT "SELECT '\n-- pgsafe:ignore-file add-column-volatile-default\n';\n" ADD_VOLATILE, NULL, &s);
	assert_string_equal(s.ids, "5:add-column-volatile-default");
}

static void test_reports(void **state)
{
	(void)state;
	struct seen s;
	/* an unknown id, an input problem id, ignore's own id, an empty list */
	lint(NO_TIMEOUT "-- pgsafe:ignore nope, syntax-error, unused-ignore\nSELECT 1;\n-- pgsafe:ignore\nSELECT 2;\n",
	     NULL, &s);
	assert_string_equal(s.ids, "2:unknown-rule-in-ignore 2:unknown-rule-in-ignore "
			    "2:unknown-rule-in-ignore 4:unknown-rule-in-ignore");

	/* unused, one id of two */
	lint(NO_TIMEOUT "-- pgsafe:ignore require-concurrent-index,add-column-volatile-default x\n" ADD_VOLATILE,
	     NULL, &s);
	assert_string_equal(s.ids, "2:unused-ignore");
	assert_int_equal(s.suppressed, 1);

	/* a rule that did not run (version-gated) is not "unused" */
	lint(NO_TIMEOUT "-- pgsafe:ignore add-column-default-before-pg11\nALTER TABLE t ADD COLUMN c int DEFAULT 1;\n",
	     NULL, &s);
	assert_string_equal(s.ids, "");

	/* a reason required */
	struct lint_options o = { .pg_version = 15, .fail_on = PGS_SEV_ERROR, .require_ignore_reason = true };
	lint(NO_TIMEOUT "-- pgsafe:ignore add-column-volatile-default\n" ADD_VOLATILE
	     "-- pgsafe:ignore add-column-volatile-default: the table is empty\n" ADD_VOLATILE, &o, &s);
	assert_string_equal(s.ids, "2:ignore-without-reason");
	assert_int_equal(s.suppressed, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comment_finder),
		cmocka_unit_test(test_suppressed_findings_stay),
		cmocka_unit_test(test_reports),
	};
	int rc = cmocka_run_group_tests_name("ignore", tests, NULL, NULL);
	pg_query_exit();
	return rc;
}
