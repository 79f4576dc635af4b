/*
 * test_parse.c - a file as a list of parsed statements (parse.h): recovery
 * around a syntax error, the error position in bytes when the text before
 * it is not ASCII, statement spans, meta-commands in text order, and the
 * detection of syntax newer than the PostgreSQL 15 grammar.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"

static int setup_arena(void **state)
{
	struct arena *a = malloc(sizeof(*a));
	if (!a)
		return -1;
	arena_init(a);
	*state = a;
	return 0;
}

static int teardown_arena(void **state)
{
	arena_release(*state);
	free(*state);
	return 0;
}

static struct parsed_file parse(void **state, const char *sql)
{
	struct parsed_file pf;
	assert_int_equal(parse_sql(sql, *state, &pf), PGS_OK);
	return pf;
}

/* Checks that statement @i spans exactly @text. */
static void assert_span(const char *sql, const struct stmt *st, const char *text)
{
	assert_true(st->start <= st->end);
	assert_true(st->end <= strlen(sql));
	size_t l = st->end - st->start;
	assert_int_equal(l, strlen(text));
	assert_memory_equal(sql + st->start, text, l);
}

static void test_error_in_the_middle_keeps_the_rest(void **state)
{
	const char *sql = "create table t (id int);\n"
			  "alter tabel t add column a int;\n"
			  "create index i on t (id);\n";
	struct parsed_file pf = parse(state, sql);
	assert_int_equal(pf.n, 3);
	assert_int_equal(pf.stmts[0].status, STMT_PARSED);
	assert_string_equal(parse_node_kind(pf.stmts[0].node), "CreateStmt");
	assert_int_equal(pf.stmts[1].status, STMT_SYNTAX_ERROR);
	assert_null(pf.stmts[1].node);
	assert_non_null(strstr(pf.stmts[1].error, "syntax error"));
	assert_non_null(strstr(pf.stmts[1].error, "\"tabel\""));
	assert_int_equal(pf.stmts[1].error_offset, strstr(sql, "tabel") - sql);
	assert_span(sql, &pf.stmts[1], "alter tabel t add column a int");
	assert_int_equal(pf.stmts[2].status, STMT_PARSED);
	assert_string_equal(parse_node_kind(pf.stmts[2].node), "IndexStmt");
	assert_span(sql, &pf.stmts[2], "create index i on t (id)");
	/* locations in the tree of a statement parsed alone are relative to loc_base */
	const PgQuery__IndexStmt *ix = pf.stmts[2].node->index_stmt;
	assert_int_equal(pf.stmts[2].loc_base + (size_t)ix->relation->location,
			 strstr(sql, "t (id)") - sql);
}

/*
 * libpg_query's cursor counts characters, the source counts bytes: the
 * offset must land on the offending token even after multi-byte text on
 * the same line and on earlier lines.
 */
static void test_error_offset_in_bytes_after_non_ascii(void **state)
{
	const char *sql = "select 'héllo wörld';\n"
			  "select 'привет',\n"
			  "  'мир' frm wher x;\n"
			  "select 3;\n";
	struct parsed_file pf = parse(state, sql);
	assert_int_equal(pf.n, 3);
	assert_int_equal(pf.stmts[0].status, STMT_PARSED);
	assert_int_equal(pf.stmts[1].status, STMT_SYNTAX_ERROR);
	assert_non_null(strstr(pf.stmts[1].error, "\"wher\""));
	size_t want = (size_t)(strstr(sql, "wher") - sql);
	assert_int_equal(want, 62);   /* a character count would say 48 */
	assert_int_equal(pf.stmts[1].error_offset, want);
	assert_int_equal(pf.stmts[2].status, STMT_PARSED);
}

static void test_error_offset_same_line(void **state)
{
	const char *sql = "select 'Ωμέγα' as \"имя\", 'ü' frm wher;";
	struct parsed_file pf = parse(state, sql);
	assert_int_equal(pf.n, 1);
	assert_int_equal(pf.stmts[0].status, STMT_SYNTAX_ERROR);
	assert_int_equal(pf.stmts[0].error_offset, strstr(sql, "wher") - sql);
}

static void test_error_offset_in_first_of_many(void **state)
{
	const char *sql = "-- ünïcödé comment\ncreate tabel ü (id int);\nselect 'ß';";
	struct parsed_file pf = parse(state, sql);
	assert_int_equal(pf.n, 2);
	assert_int_equal(pf.stmts[0].status, STMT_SYNTAX_ERROR);
	assert_int_equal(pf.stmts[0].error_offset, strstr(sql, "tabel") - sql);
	assert_int_equal(pf.stmts[1].status, STMT_PARSED);
}

static void test_spans_exclude_comments_and_terminator(void **state)
{
	const char *sql = "-- leading comment\n"
			  "/* block /* nested */ */\n"
			  "  select 1 ;\n"
			  "\n"
			  "-- about the next one\n"
			  "create table t (id int)  ;\n"
			  "select 2";
	struct parsed_file pf = parse(state, sql);
	assert_int_equal(pf.n, 3);
	for (size_t i = 0; i < pf.n; i++)
		assert_int_equal(pf.stmts[i].status, STMT_PARSED);
	assert_span(sql, &pf.stmts[0], "select 1");
	assert_span(sql, &pf.stmts[1], "create table t (id int)");
	assert_span(sql, &pf.stmts[2], "select 2");
}

static void test_meta_commands_in_text_order(void **state)
{
	const char *sql = "\\set ON_ERROR_STOP on\n"
			  "create table t (id int);\n"
			  "\\connect other\n"
			  "insert into t values (1);\n"
			  "\\restrict abc\n";
	struct parsed_file pf = parse(state, sql);
	assert_int_equal(pf.n, 5);
	assert_int_equal(pf.stmts[0].status, STMT_META);
	assert_span(sql, &pf.stmts[0], "\\set ON_ERROR_STOP on");
	assert_int_equal(pf.stmts[1].status, STMT_PARSED);
	assert_string_equal(parse_node_kind(pf.stmts[1].node), "CreateStmt");
	assert_int_equal(pf.stmts[2].status, STMT_META);
	assert_span(sql, &pf.stmts[2], "\\connect other");
	assert_int_equal(pf.stmts[3].status, STMT_PARSED);
	assert_string_equal(parse_node_kind(pf.stmts[3].node), "InsertStmt");
	assert_int_equal(pf.stmts[4].status, STMT_META);
}

static void test_meta_commands_with_syntax_error(void **state)
{
	const char *sql = "\\set x 1\nselec 1;\n\\connect db\nselect 2;\n";
	struct parsed_file pf = parse(state, sql);
	assert_int_equal(pf.n, 4);
	assert_int_equal(pf.stmts[0].status, STMT_META);
	assert_int_equal(pf.stmts[1].status, STMT_SYNTAX_ERROR);
	assert_int_equal(pf.stmts[1].error_offset, strstr(sql, "selec") - sql);
	assert_int_equal(pf.stmts[2].status, STMT_META);
	assert_int_equal(pf.stmts[3].status, STMT_PARSED);
}

static void test_copy_data_is_not_sql(void **state)
{
	const char *sql = "COPY t (a) FROM stdin;\nnot; sql 'at all\n\\.\nselect 1;\n";
	struct parsed_file pf = parse(state, sql);
	assert_int_equal(pf.n, 2);
	assert_int_equal(pf.stmts[0].status, STMT_PARSED);
	assert_string_equal(parse_node_kind(pf.stmts[0].node), "CopyStmt");
	assert_int_equal(pf.stmts[1].status, STMT_PARSED);
	assert_span(sql, &pf.stmts[1], "select 1");
}

static void test_parse_source(void **state)
{
	struct source src;
	struct source_error err;
	const char *text = "select 1; select 2;";
	assert_int_equal(source_from_buffer(&src, *state, "x.sql", text, strlen(text), &err), PGS_OK);
	struct parsed_file pf;
	assert_int_equal(parse_source(&src, *state, &pf), PGS_OK);
	assert_int_equal(pf.n, 2);
	assert_span(text, &pf.stmts[1], "select 2");
}

static void test_node_kind(void **state)
{
	struct parsed_file pf = parse(state, "alter table t add column a int; begin; vacuum t;");
	assert_int_equal(pf.n, 3);
	assert_string_equal(parse_node_kind(pf.stmts[0].node), "AlterTableStmt");
	assert_string_equal(parse_node_kind(pf.stmts[1].node), "TransactionStmt");
	assert_string_equal(parse_node_kind(pf.stmts[2].node), "VacuumStmt");
	assert_string_equal(parse_node_kind(NULL), "Unknown");
}

/* ---------------------------------------------------------------------
 * Syntax newer than PostgreSQL 15
 * ------------------------------------------------------------------- */

static const char *detect(const char *sql, int *version)
{
	*version = 0;
	return parse_detect_newer_syntax(sql, strlen(sql), version);
}

static void test_detect_newer_syntax(void **state)
{
	(void)state;
	int v;
	const char *f;

	f = detect("select * from json_table(doc, '$' columns (a int path '$.a')) jt;", &v);
	assert_non_null(f);
	assert_non_null(strstr(f, "JSON_TABLE"));
	assert_int_equal(v, 17);

	f = detect("select '{}' is json object, x is not json from t;", &v);
	assert_non_null(f);
	assert_non_null(strstr(f, "IS JSON"));
	assert_int_equal(v, 16);

	f = detect("select 0x1F;", &v);
	assert_non_null(f);
	assert_int_equal(v, 16);
	f = detect("select 1_000_000;", &v);
	assert_non_null(f);
	assert_int_equal(v, 16);

	f = detect("merge into t using s on t.id = s.id when matched then delete returning t.*;", &v);
	assert_non_null(f);
	assert_non_null(strstr(f, "MERGE"));
	assert_int_equal(v, 17);
}

static void test_detect_on_syntax_error(void **state)
{
	/* the statement fails on the PG 15 grammar and says why */
	const char *sql = "select 1;\nselect * from json_table(d, '$' columns (a int path '$.a')) j;\n";
	struct parsed_file pf = parse(state, sql);
	assert_int_equal(pf.n, 2);
	assert_int_equal(pf.stmts[1].status, STMT_SYNTAX_ERROR);
	assert_non_null(pf.stmts[1].newer_feature);
	assert_int_equal(pf.stmts[1].newer_version, 17);
	/* an ordinary typo is no newer syntax */
	pf = parse(state, "selec 1;");
	assert_int_equal(pf.stmts[0].status, STMT_SYNTAX_ERROR);
	assert_null(pf.stmts[0].newer_feature);
}

static void test_detect_ordinary_pg15(void **state)
{
	(void)state;
	int v;
	static const char *const pg15[] = {
		"create table t (id int primary key, doc jsonb);",
		"merge into t using s on t.id = s.id when matched then delete;",
		"select 'json_table', \"is json\", x_1, 1e5, 0.5, 0, 10 from t; -- is json",
		"select json_build_object('a', 1), jsonb_path_query(doc, '$.a') from t;",
		"alter table t alter column a set default 0;",
		"insert into t values (1) returning *;",
	};
	for (size_t i = 0; i < sizeof(pg15) / sizeof(pg15[0]); i++) {
		const char *f = detect(pg15[i], &v);
		if (f)
			fail_msg("\"%s\" flagged as %s", pg15[i], f);
	}
}

/*
 * KNOWN BUG (parse.c parse_detect_newer_syntax): json_object(text[]) has
 * existed since PostgreSQL 9.4 and runs on 15 (checked on a 15 server:
 * select json_object('{a,1}') returns {"a" : "1"}); only the SQL/JSON
 * JSON_OBJECT(k VALUE v) constructor is new in 16.
 */
static void test_detect_json_object_function_is_pg15(void **state)
{
	(void)state;
	int v;
	const char *f = detect("select json_object('{a,1,b,2}');", &v);
	if (f)
		fail_msg("json_object(text[]) flagged as %s (PostgreSQL %d)", f, v);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_arena, teardown_arena)
	const struct CMUnitTest tests[] = {
		T(test_error_in_the_middle_keeps_the_rest),
		T(test_error_offset_in_bytes_after_non_ascii),
		T(test_error_offset_same_line),
		T(test_error_offset_in_first_of_many),
		T(test_spans_exclude_comments_and_terminator),
		T(test_meta_commands_in_text_order),
		T(test_meta_commands_with_syntax_error),
		T(test_copy_data_is_not_sql),
		T(test_parse_source),
		T(test_node_kind),
		T(test_detect_newer_syntax),
		T(test_detect_on_syntax_error),
		T(test_detect_ordinary_pg15),
		T(test_detect_json_object_function_is_pg15),
	};
	int failed = cmocka_run_group_tests_name("parse", tests, NULL, NULL);
	pg_query_exit();   /* libpg_query's per-thread memory contexts */
	return failed;
}
