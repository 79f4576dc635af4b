/*
 * test_quote.c - quote.h: identifiers quoted as PostgreSQL's
 * quote_identifier does (reserved, type/function-name and column-name
 * keywords quoted, unreserved ones bare), string constants, dollar
 * quotes, truncation at 63 bytes on a character boundary, and the checked
 * deparser: every quoted name must parse back to itself, and a name that
 * libpg_query's deparser would leave unquoted is rendered through a
 * placeholder or refused, never pasted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"
#include "quote.h"

static struct arena a;

static int setup(void **state)
{
	(void)state;
	arena_init(&a);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_release(&a);
	return 0;
}

/* The one ColumnRef name of "SELECT <ident>" parsed back. */
static const char *parse_back(const char *quoted)
{
	struct parsed_file pf;
	const char *sql = arena_printf(&a, "SELECT %s FROM t", quoted);
	if (parse_sql(sql, &a, &pf) || pf.n != 1 || pf.stmts[0].status != STMT_PARSED)
		return NULL;
	const PgQuery__SelectStmt *s = pf.stmts[0].node->select_stmt;
	const PgQuery__Node *v = s->target_list[0]->res_target->val;
	if (v->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || v->column_ref->n_fields != 1)
		return NULL;
	return v->column_ref->fields[0]->string->sval;
}

static void test_bare_names(void **state)
{
	(void)state;
	assert_string_equal(quote_ident(&a, "orders"), "orders");
	assert_string_equal(quote_ident(&a, "_x1"), "_x1");
	/* unreserved keywords stay bare, as quote_identifier leaves them */
	assert_string_equal(quote_ident(&a, "name"), "name");
	assert_string_equal(quote_ident(&a, "data"), "data");
	assert_string_equal(quote_ident(&a, "comment"), "comment");
}

static void test_quoted_names(void **state)
{
	(void)state;
	/* reserved, type/function-name and column-name keywords */
	assert_string_equal(quote_ident(&a, "select"), "\"select\"");
	assert_string_equal(quote_ident(&a, "user"), "\"user\"");
	assert_string_equal(quote_ident(&a, "order"), "\"order\"");
	assert_string_equal(quote_ident(&a, "left"), "\"left\"");
	assert_string_equal(quote_ident(&a, "authorization"), "\"authorization\"");
	assert_string_equal(quote_ident(&a, "between"), "\"between\"");
	assert_string_equal(quote_ident(&a, "varchar"), "\"varchar\"");
	/* what is not lower-case letters, digits and underscores */
	assert_string_equal(quote_ident(&a, "Orders"), "\"Orders\"");
	assert_string_equal(quote_ident(&a, "1st"), "\"1st\"");
	assert_string_equal(quote_ident(&a, "a b"), "\"a b\"");
	assert_string_equal(quote_ident(&a, "a;b"), "\"a;b\"");
	assert_string_equal(quote_ident(&a, "q\"t"), "\"q\"\"t\"");
	assert_string_equal(quote_ident(&a, "\xc3\xbc"), "\"\xc3\xbc\"");
	assert_string_equal(quote_ident(&a, ""), "\"\"");
	assert_string_equal(quote_ident(&a, "a$b"), "\"a$b\"");
}

static void test_names_parse_back(void **state)
{
	(void)state;
	static const char *const names[] = {
		"orders", "Orders", "select", "user", "a b", "a;b", "q\"t", "\"\"", "x\"; DROP TABLE t; --",
		"\xc3\xbc\xc3\xa9", "a$b", "name", "between", "left", "1st", "-- c", "/* c */", "a'b", "\\",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *back = parse_back(quote_ident(&a, names[i]));
		assert_non_null(back);
		assert_string_equal(back, names[i]);
	}
}

static void test_qualified(void **state)
{
	(void)state;
	assert_string_equal(quote_qualified(&a, "public.orders"), "public.orders");
	assert_string_equal(quote_qualified(&a, "Mixed Case.Order Items"), "\"Mixed Case\".\"Order Items\"");
	assert_string_equal(quote_schemaname(&a, "orders"), "public");
	assert_string_equal(quote_relname("s.t"), "t");
}

static void test_literals(void **state)
{
	(void)state;
	assert_string_equal(quote_literal(&a, "abc"), "'abc'");
	assert_string_equal(quote_literal(&a, "it's"), "'it''s'");
	assert_string_equal(quote_literal(&a, "a\\b"), "E'a\\\\b'");
	assert_string_equal(quote_literal(&a, ""), "''");
}

static void test_dollar_quotes(void **state)
{
	(void)state;
	assert_string_equal(dollar_quote(&a, "x"), "$pgsafe$x$pgsafe$");
	/* the body holds the tag, or its start: another tag */
	assert_string_equal(dollar_quote(&a, "a $pgsafe$ b"), "$pgsafe_1$a $pgsafe$ b$pgsafe_1$");
	assert_string_equal(dollar_quote(&a, "ends with $pgsafe"), "$pgsafe_1$ends with $pgsafe$pgsafe_1$");
	const char *q = dollar_quote(&a, "$pgsafe $pgsafe_1 $pgsafe_2");
	assert_string_equal(q, "$pgsafe_3$$pgsafe $pgsafe_1 $pgsafe_2$pgsafe_3$");
}

static void test_truncate(void **state)
{
	(void)state;
	char name[100];
	memset(name, 'a', 70);
	name[70] = '\0';
	assert_int_equal(strlen(quote_truncate_name(&a, name)), 63);
	/* a two-byte character across byte 63 is dropped whole */
	memset(name, 'a', 62);
	strcpy(name + 62, "\xc3\xbc" "bbb");
	assert_string_equal(quote_truncate_name(&a, name) + 60, "aa");
	assert_int_equal(strlen(quote_truncate_name(&a, name)), 62);
	assert_string_equal(quote_truncate_name(&a, "short"), "short");
}

/* The tree of one statement, parsed. */
static PgQuery__Node *tree(const char *sql)
{
	struct parsed_file pf;
	if (parse_sql(sql, &a, &pf) || pf.n != 1 || pf.stmts[0].status != STMT_PARSED)
		return NULL;
	return pf.stmts[0].node;
}

static void test_deparse_expr_and_type(void **state)
{
	(void)state;
	PgQuery__Node *n = tree("SELECT \"a;b\" + \"Col\"::\"My Type\" FROM t");
	assert_non_null(n);
	const PgQuery__Node *e = n->select_stmt->target_list[0]->res_target->val;
	const char *sql = deparse_expr(&a, e);
	assert_non_null(sql);
	assert_non_null(strstr(sql, "\"a;b\""));
	n = tree("SELECT NULL::\"My Type\"(3)[]");
	const char *ty = deparse_type(&a, n->select_stmt->target_list[0]->res_target->val->type_cast->type_name);
	assert_non_null(ty);
	assert_string_equal(ty, "\"My Type\"(3)[]");
}

/*
 * libpg_query 15-4.0 deparses a constraint's name unquoted; the checked
 * deparser refuses the direct text and the placeholder route quotes it.
 */
static void test_deparse_unquoted_names(void **state)
{
	(void)state;
	PgQuery__Node *n = tree("ALTER TABLE t ADD CONSTRAINT \"c; DROP TABLE t\" CHECK (a > 0) NOT VALID");
	assert_non_null(n);
	assert_null(deparse_stmt(&a, n));
	PgQuery__Constraint *con = n->alter_table_stmt->cmds[0]->alter_table_cmd->def->constraint;
	char **slots[1] = { &con->conname };
	const char *sql = deparse_stmt_names(&a, n, slots, 1);
	assert_non_null(sql);
	assert_string_equal(sql, "ALTER TABLE t ADD CONSTRAINT \"c; DROP TABLE t\" CHECK (a > 0) NOT VALID");
	assert_string_equal(con->conname, "c; DROP TABLE t");
	/* a statement it deparses faithfully needs no placeholder */
	n = tree("ALTER TABLE \"My T\" ALTER COLUMN \"C\" SET DEFAULT now()");
	assert_string_equal(deparse_stmt(&a, n), "ALTER TABLE \"My T\" ALTER COLUMN \"C\" SET DEFAULT now()");
}

static void test_same_tree(void **state)
{
	(void)state;
	PgQuery__Node *x = tree("SELECT a FROM t WHERE b = 'x'");
	PgQuery__Node *y = tree("select  a\nfrom t where b='x'");
	PgQuery__Node *z = tree("SELECT a FROM t WHERE b = 'y'");
	assert_true(quote_same_tree((ProtobufCMessage *)x, (ProtobufCMessage *)y));
	assert_false(quote_same_tree((ProtobufCMessage *)x, (ProtobufCMessage *)z));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bare_names),
		cmocka_unit_test(test_quoted_names),
		cmocka_unit_test(test_names_parse_back),
		cmocka_unit_test(test_qualified),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_dollar_quotes),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_deparse_expr_and_type),
		cmocka_unit_test(test_deparse_unquoted_names),
		cmocka_unit_test(test_same_tree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
