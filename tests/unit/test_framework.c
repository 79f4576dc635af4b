/*
 * test_framework.c - migration tools' conventions (framework.h), schema
 * dumps (dump.h) and table sizes (stats.h): names, apply order, detection,
 * up/down sections and the transaction each runs in, the catalog seeded
 * from a dump, the sizes file and the severity it gives findings.
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

#include "dump.h"
#include "framework.h"
#include "parse.h"
#include "pgsafe.h"
#include "schema.h"
#include "stats.h"

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

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A temporary directory, removed (with what the test wrote) by rm_tree. */
static char *temp_dir(void)
{
	char *d = strdup("/tmp/pgsafe-fw-test.XXXXXX");
	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static void rm_tree(char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

/* A source over @text, as source_read() would make it. */
static void make_source(struct arena *a, const char *path, const char *text, struct source *src)
{
	struct source_error err;
	assert_int_equal(source_from_buffer(src, a, path, text, strlen(text), &err), PGS_OK);
}

/* ---------------------------------------------------------------------
 * Names and order
 * ------------------------------------------------------------------- */

static void test_names(void **state)
{
	(void)state;
	enum framework fw;
	for (int i = FW_PLAIN; i < FW_COUNT; i++) {
		assert_int_equal(framework_parse(framework_name((enum framework)i), &fw), 0);
		assert_int_equal(fw, i);
		assert_non_null(strstr(framework_names(), framework_name((enum framework)i)));
	}
	assert_int_equal(framework_parse("auto", &fw), 0);
	assert_int_equal(fw, FW_AUTO);
	assert_int_equal(framework_parse("Flyway", &fw), 0);
	assert_int_equal(fw, FW_FLYWAY);
	assert_int_equal(framework_parse("liquibase", &fw), -1);
	assert_string_equal(framework_name(FW_AUTO), "plain");
}

static int sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

static void test_flyway_versions(void **state)
{
	(void)state;
	/* V1__a < V1.1__b < V1_2__c < V10__d, part by part as numbers */
	assert_int_equal(sign(framework_flyway_version_compare("1", "1.1")), -1);
	assert_int_equal(sign(framework_flyway_version_compare("1.1", "1_2")), -1);
	assert_int_equal(sign(framework_flyway_version_compare("1_2", "10")), -1);
	assert_int_equal(sign(framework_flyway_version_compare("10", "9.9.9")), 1);
	assert_int_equal(sign(framework_flyway_version_compare("1.10", "1.9")), 1);
	/* trailing zero parts and leading zeros do not count */
	assert_int_equal(framework_flyway_version_compare("1", "1.0"), 0);
	assert_int_equal(framework_flyway_version_compare("1.0.0", "1"), 0);
	assert_int_equal(framework_flyway_version_compare("1.01", "1.1"), 0);
	assert_int_equal(framework_flyway_version_compare("2024_01_05", "2024.1.5"), 0);
	assert_int_equal(sign(framework_flyway_version_compare("1.0.1", "1")), 1);
	/* longer than any integer type */
	assert_int_equal(sign(framework_flyway_version_compare("123456789012345678901234", "123456789012345678901235")), -1);
}

static void test_roles(void **state)
{
	(void)state;
	assert_int_equal(framework_role(FW_GOOSE, "m/20240101_init.sql"), FW_ROLE_UP);
	assert_int_equal(framework_role(FW_GOOSE, "m/init.sql"), FW_ROLE_OTHER);
	assert_int_equal(framework_role(FW_GOLANG_MIGRATE, "m/1_init.up.sql"), FW_ROLE_UP);
	assert_int_equal(framework_role(FW_GOLANG_MIGRATE, "m/1_init.down.sql"), FW_ROLE_DOWN);
	assert_int_equal(framework_role(FW_GOLANG_MIGRATE, "m/1_init.sql"), FW_ROLE_OTHER);
	assert_int_equal(framework_role(FW_FLYWAY, "V1.1__x.sql"), FW_ROLE_UP);
	assert_int_equal(framework_role(FW_FLYWAY, "V1_2__x.sql"), FW_ROLE_UP);
	assert_int_equal(framework_role(FW_FLYWAY, "U3__x.sql"), FW_ROLE_DOWN);
	assert_int_equal(framework_role(FW_FLYWAY, "R__views.sql"), FW_ROLE_REPEATABLE);
	assert_int_equal(framework_role(FW_FLYWAY, "V1_x.sql"), FW_ROLE_OTHER);
	assert_int_equal(framework_role(FW_FLYWAY, "Vx__y.sql"), FW_ROLE_OTHER);
	assert_int_equal(framework_role(FW_SQITCH, "p/deploy/users.sql"), FW_ROLE_UP);
	assert_int_equal(framework_role(FW_SQITCH, "p/revert/users.sql"), FW_ROLE_DOWN);
	assert_int_equal(framework_role(FW_SQITCH, "p/verify/users.sql"), FW_ROLE_SKIP);
	assert_int_equal(framework_role(FW_PRISMA, "migrations/20240101000000_init/migration.sql"), FW_ROLE_UP);
	assert_int_equal(framework_role(FW_DIESEL, "migrations/2024-01-01-000000_x/up.sql"), FW_ROLE_UP);
	assert_int_equal(framework_role(FW_DIESEL, "migrations/2024-01-01-000000_x/down.sql"), FW_ROLE_DOWN);
	assert_int_equal(framework_role(FW_DIESEL, "crates/schema/up.sql"), FW_ROLE_OTHER);
	assert_int_equal(framework_role(FW_DRIZZLE, "drizzle/0003_brave_wolf.sql"), FW_ROLE_UP);
	assert_int_equal(framework_role(FW_RAILS_STRUCTURE, "db/structure.sql"), FW_ROLE_SCHEMA);
	assert_int_equal(framework_role(FW_PLAIN, "db/structure.sql"), FW_ROLE_OTHER);
}

/* Orders @n paths for @fw and checks the result against @want (NULL-terminated). */
static void check_order(struct arena *a, enum framework fw, bool include_down, bool named,
			const char *const *in, size_t n, const char *const *want)
{
	struct input_list list = { 0 }, schemas = { 0 };
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ARENA_PUSH(a, list.paths, list.n, list.cap, in[i]), 0);
	assert_int_equal(framework_order(fw, &list, 0, a, include_down, named, &schemas), PGS_OK);
	size_t k = 0;
	for (; want[k]; k++) {
		assert_true(k < list.n);
		assert_string_equal(list.paths[k], want[k]);
	}
	assert_int_equal(list.n, k);
}

static void test_order_flyway(void **state)
{
	/* as a directory walk would list them: natural order */
	static const char *const in[] = {
		"sql/R__a_view.sql", "sql/U2__undo.sql", "sql/V1.1__b.sql", "sql/V10__d.sql",
		"sql/V1_2__c.sql", "sql/V1__a.sql", "sql/V2__e.sql", "sql/notes.sql",
	};
	static const char *const want[] = {
		"sql/notes.sql", "sql/V1__a.sql", "sql/V1.1__b.sql", "sql/V1_2__c.sql",
		"sql/V2__e.sql", "sql/V10__d.sql", "sql/R__a_view.sql", NULL,
	};
	static const char *const want_down[] = {
		"sql/notes.sql", "sql/V1__a.sql", "sql/V1.1__b.sql", "sql/V1_2__c.sql",
		"sql/V2__e.sql", "sql/U2__undo.sql", "sql/V10__d.sql", "sql/R__a_view.sql", NULL,
	};
	check_order(*state, FW_FLYWAY, false, false, in, 8, want);
	check_order(*state, FW_FLYWAY, true, false, in, 8, want_down);
}

static void test_order_by_tool(void **state)
{
	struct arena *a = *state;
	static const char *const gm[] = {
		"m/10_d.up.sql", "m/1_a.down.sql", "m/1_a.up.sql", "m/2_b.down.sql", "m/2_b.up.sql",
	};
	static const char *const gm_want[] = { "m/1_a.up.sql", "m/2_b.up.sql", "m/10_d.up.sql", NULL };
	static const char *const gm_down[] = {
		"m/1_a.up.sql", "m/1_a.down.sql", "m/2_b.up.sql", "m/2_b.down.sql", "m/10_d.up.sql", NULL,
	};
	check_order(a, FW_GOLANG_MIGRATE, false, false, gm, 5, gm_want);
	check_order(a, FW_GOLANG_MIGRATE, true, false, gm, 5, gm_down);
	/* named one by one: kept, in the order given */
	static const char *const gm_named[] = { "m/10_d.up.sql", "m/1_a.down.sql", "m/1_a.up.sql",
		"m/2_b.down.sql", "m/2_b.up.sql", NULL };
	check_order(a, FW_GOLANG_MIGRATE, false, true, gm, 5, gm_named);

	/* diesel: the version is the name up to '_', dashes removed */
	static const char *const diesel[] = {
		"m/2019-02-27-170003_b/up.sql", "m/2019-02-27-170003_b/down.sql",
		"m/00000000000000_setup/up.sql", "m/2019-02-27-17000_a/up.sql",
	};
	static const char *const diesel_want[] = {
		"m/00000000000000_setup/up.sql", "m/2019-02-27-17000_a/up.sql",
		"m/2019-02-27-170003_b/up.sql", NULL,
	};
	check_order(a, FW_DIESEL, false, false, diesel, 4, diesel_want);

	/* dbmate sorts file names as strings */
	static const char *const dbmate[] = { "m/10_b.sql", "m/9_a.sql" };
	static const char *const dbmate_want[] = { "m/10_b.sql", "m/9_a.sql", NULL };
	check_order(a, FW_DBMATE, false, false, dbmate, 2, dbmate_want);

	/* goose: the leading number */
	static const char *const goose[] = { "m/00010_c.sql", "m/2_b.sql", "m/readme.sql" };
	static const char *const goose_want[] = { "m/readme.sql", "m/2_b.sql", "m/00010_c.sql", NULL };
	check_order(a, FW_GOOSE, false, false, goose, 3, goose_want);

	/* sqitch without a plan: by name, a reworked change first; verify/ never */
	static const char *const sq[] = {
		"p/deploy/users.sql", "p/deploy/users@v1.sql", "p/deploy/accounts.sql",
		"p/verify/users.sql", "p/revert/users.sql",
	};
	static const char *const sq_want[] = {
		"p/deploy/accounts.sql", "p/deploy/users@v1.sql", "p/deploy/users.sql", NULL,
	};
	check_order(a, FW_SQITCH, false, false, sq, 5, sq_want);

	/* rails: structure.sql seeds the catalog instead */
	struct input_list list = { 0 }, schemas = { 0 };
	assert_int_equal(ARENA_PUSH(a, list.paths, list.n, list.cap, "db/seed.sql"), 0);
	assert_int_equal(ARENA_PUSH(a, list.paths, list.n, list.cap, "db/structure.sql"), 0);
	assert_int_equal(framework_order(FW_RAILS_STRUCTURE, &list, 0, a, false, false, &schemas), PGS_OK);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.paths[0], "db/seed.sql");
	assert_int_equal(schemas.n, 1);
	assert_string_equal(schemas.paths[0], "db/structure.sql");
}

static void test_order_sqitch_plan(void **state)
{
	struct arena *a = *state;
	char *d = temp_dir();
	char p[600];
	static const char *const dirs[] = { "deploy", "revert", "verify" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", d, dirs[i]);
		assert_int_equal(mkdir(p, 0700), 0);
	}
	snprintf(p, sizeof(p), "%s/sqitch.plan", d);
	write_file(p, "%syntax-version=1.0.0\n%project=t\n\n"
		   "zebras 2024-01-01T00:00:00Z A <a@x> # first\n"
		   "apples [zebras] 2024-01-02T00:00:00Z A <a@x>\n"
		   "@v1 2024-01-03T00:00:00Z A <a@x>\n"
		   "@v1.1 2024-01-03T00:00:00Z A <a@x>\n"
		   "  # a comment\n"
		   "zebras [zebras@v1] 2024-01-04T00:00:00Z A <a@x> # reworked\n"
		   "mangos 2024-01-05T00:00:00Z A <a@x>\n");
	static const char *const files[] = { "zebras.sql", "zebras@v1.1.sql", "apples.sql", "mangos.sql",
		"stray.sql" };
	const char *in[5];
	for (size_t i = 0; i < 5; i++) {
		in[i] = arena_printf(a, "%s/deploy/%s", d, files[i]);
		write_file(in[i], "SELECT 1;\n");
	}
	/* the rework's first instance: the first tag with a script (v1 has none) */
	const char *want[] = {
		arena_printf(a, "%s/deploy/zebras@v1.1.sql", d), arena_printf(a, "%s/deploy/apples.sql", d),
		arena_printf(a, "%s/deploy/zebras.sql", d), arena_printf(a, "%s/deploy/mangos.sql", d),
		arena_printf(a, "%s/deploy/stray.sql", d), NULL,
	};
	check_order(a, FW_SQITCH, false, false, in, 5, want);
	const char *const paths[] = { in[0] };
	assert_int_equal(framework_detect(paths, 1), FW_SQITCH);
	rm_tree(d);
}

static void test_order_drizzle_journal(void **state)
{
	struct arena *a = *state;
	char *d = temp_dir();
	char p[600];
	snprintf(p, sizeof(p), "%s/meta", d);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/meta/_journal.json", d);
	write_file(p, "{\"entries\": [{\"idx\": 0, \"tag\": \"0001_b\"}, {\"idx\": 1, \"tag\": \"0000_a\"}]}");
	const char *in[] = { arena_printf(a, "%s/0000_a.sql", d), arena_printf(a, "%s/0001_b.sql", d) };
	for (size_t i = 0; i < 2; i++)
		write_file(in[i], "SELECT 1;\n");
	/* the journal decides */
	const char *want[] = { in[1], in[0], NULL };
	check_order(a, FW_DRIZZLE, false, false, in, 2, want);
	assert_int_equal(framework_detect(in, 2), FW_DRIZZLE);
	rm_tree(d);
}

static void test_detect(void **state)
{
	struct arena *a = *state;
	char *d = temp_dir();
	const char *goose = arena_printf(a, "%s/1_a.sql", d);
	const char *dbmate = arena_printf(a, "%s/2_b.sql", d);
	const char *plain = arena_printf(a, "%s/3_c.sql", d);
	write_file(goose, "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n");
	write_file(dbmate, "--migrate:up transaction:false\nSELECT 1;\n");
	write_file(plain, "SELECT 1; -- +goose Up (not at the start of a line)\n");
	const char *const g[] = { goose, plain };
	assert_int_equal(framework_detect(g, 2), FW_GOOSE);
	const char *const m[] = { dbmate, plain };
	assert_int_equal(framework_detect(m, 2), FW_DBMATE);
	const char *const p[] = { plain };
	assert_int_equal(framework_detect(p, 1), FW_PLAIN);
	assert_int_equal(framework_detect(NULL, 0), FW_PLAIN);
	/* names alone; the files need not exist */
	const char *const fl[] = { "x/V1__a.sql", "x/R__b.sql", "x/other.sql" };
	assert_int_equal(framework_detect(fl, 3), FW_FLYWAY);
	const char *const gm[] = { "x/1_a.up.sql", "x/1_a.down.sql" };
	assert_int_equal(framework_detect(gm, 2), FW_GOLANG_MIGRATE);
	const char *const pr[] = { "x/20240101000000_init/migration.sql" };
	assert_int_equal(framework_detect(pr, 1), FW_PRISMA);
	const char *const di[] = { "x/2024-01-01-000000_init/up.sql", "x/2024-01-01-000000_init/down.sql" };
	assert_int_equal(framework_detect(di, 2), FW_DIESEL);
	const char *const ra[] = { "db/structure.sql" };
	assert_int_equal(framework_detect(ra, 1), FW_RAILS_STRUCTURE);
	/* the most files win */
	const char *const mixed[] = { goose, "x/1_a.up.sql", "x/2_b.up.sql" };
	assert_int_equal(framework_detect(mixed, 3), FW_GOLANG_MIGRATE);
	rm_tree(d);
}

/* ---------------------------------------------------------------------
 * Sections
 * ------------------------------------------------------------------- */

/* The unit's text matches the file byte for byte inside, blanks outside. */
static void check_mask(const struct source *src, const struct fw_unit *u)
{
	for (size_t i = 0; i < src->len; i++) {
		if (src->text[i] == '\n')
			assert_int_equal(u->text[i], '\n');
		else if (i < u->start || i >= u->end)
			assert_int_equal(u->text[i], ' ');
	}
	assert_int_equal(u->text[src->len], '\0');
}

static void test_split_goose(void **state)
{
	struct arena *a = *state;
	static const char text[] =
		"-- +goose NO TRANSACTION\n"
		"-- +goose Up\n"
		"-- +goose StatementBegin\n"
		"CREATE TYPE \"é\" AS ENUM ('a');\n"
		"ALTER TABLE t ADD COLUMN c int\n"
		"-- +goose StatementEnd\n"
		"-- +GOOSE DOWN\n"
		"DROP TYPE \"é\";\n";
	struct source src;
	struct fw_split sp;
	make_source(a, "m/1_x.sql", text, &src);

	assert_int_equal(framework_split(FW_GOOSE, &src, false, a, &sp), PGS_OK);
	assert_int_equal(sp.n, 1);
	const struct fw_unit *up = &sp.units[0];
	assert_false(up->down);
	assert_int_equal(up->directive, FW_TXN_NONE);
	assert_int_equal(up->start, 0);
	check_mask(&src, up);
	/* the StatementEnd line ends the statement */
	const char *end = strstr(text, "-- +goose StatementEnd");
	assert_int_equal(up->text[end - text], ';');
	assert_int_equal(up->text[end - text + 1], ' ');
	assert_null(strstr(up->text, "DROP"));
	/* and the text parses as two statements */
	struct source live = src;
	live.text = up->text;
	struct parsed_file pf;
	assert_int_equal(parse_source(&live, a, &pf), PGS_OK);
	assert_int_equal(pf.n, 2);
	assert_int_equal(pf.stmts[1].status, STMT_PARSED);

	assert_int_equal(framework_split(FW_GOOSE, &src, true, a, &sp), PGS_OK);
	assert_int_equal(sp.n, 2);
	assert_true(sp.units[1].down);
	assert_int_equal(sp.units[1].directive, FW_TXN_NONE);
	check_mask(&src, &sp.units[1]);
	assert_non_null(strstr(sp.units[1].text, "DROP TYPE"));
	assert_null(strstr(sp.units[1].text, "CREATE"));
	assert_int_equal(sp.units[1].end, src.len);

	/* no annotations: the whole file, as it is */
	make_source(a, "m/2_y.sql", "SELECT 1;\n", &src);
	assert_int_equal(framework_split(FW_GOOSE, &src, false, a, &sp), PGS_OK);
	assert_int_equal(sp.n, 1);
	assert_ptr_equal(sp.units[0].text, src.text);
	assert_int_equal(sp.units[0].directive, FW_TXN_DEFAULT);
}

static void test_split_dbmate(void **state)
{
	struct arena *a = *state;
	static const char text[] =
		"-- migrate:up transaction:false\n"
		"CREATE INDEX CONCURRENTLY i ON t (a);\n"
		"-- migrate:down\n"
		"DROP INDEX i;\n"
		"--migrate:up\n"
		"ALTER TABLE t ADD COLUMN b int;\n"
		"-- migrate:down transaction:true\n"
		"ALTER TABLE t DROP COLUMN b;\n";
	struct source src;
	struct fw_split sp;
	make_source(a, "db/migrations/20240101_x.sql", text, &src);
	assert_int_equal(framework_split(FW_DBMATE, &src, true, a, &sp), PGS_OK);
	assert_int_equal(sp.n, 4);
	static const bool down[] = { false, true, false, true };
	static const enum fw_txn txn[] = { FW_TXN_MULTI, FW_TXN_DEFAULT, FW_TXN_DEFAULT, FW_TXN_WRAPPED };
	static const char *const has[] = { "CONCURRENTLY", "DROP INDEX", "ADD COLUMN", "DROP COLUMN" };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(sp.units[i].down, down[i]);
		assert_int_equal(sp.units[i].directive, txn[i]);
		assert_non_null(strstr(sp.units[i].text, has[i]));
		for (size_t k = 0; k < 4; k++)
			if (k != i)
				assert_null(strstr(sp.units[i].text, has[k]));
		check_mask(&src, &sp.units[i]);
	}
	assert_int_equal(framework_split(FW_DBMATE, &src, false, a, &sp), PGS_OK);
	assert_int_equal(sp.n, 2);
	assert_false(sp.units[0].down || sp.units[1].down);
}

static void test_split_other_tools(void **state)
{
	struct arena *a = *state;
	struct source src;
	struct fw_split sp;
	/* drizzle: a breakpoint ends a statement that has no ';' */
	static const char dz[] = "CREATE TABLE a (x int)\n--> statement-breakpoint\nCREATE TABLE b (y int);"
				 "--> statement-breakpoint\n";
	make_source(a, "drizzle/0000_x.sql", dz, &src);
	assert_int_equal(framework_split(FW_DRIZZLE, &src, false, a, &sp), PGS_OK);
	assert_int_equal(sp.n, 1);
	assert_int_equal(strlen(sp.units[0].text), strlen(dz));
	assert_null(strstr(sp.units[0].text, "breakpoint"));
	struct source live = src;
	live.text = sp.units[0].text;
	struct parsed_file pf;
	assert_int_equal(parse_source(&live, a, &pf), PGS_OK);
	assert_int_equal(pf.n, 2);
	assert_int_equal(pf.stmts[0].status, STMT_PARSED);
	assert_int_equal(pf.stmts[1].status, STMT_PARSED);

	/* a down-only file is one down unit, linted when it was chosen */
	make_source(a, "m/1_x.down.sql", "DROP TABLE t;\n", &src);
	assert_int_equal(framework_split(FW_GOLANG_MIGRATE, &src, false, a, &sp), PGS_OK);
	assert_int_equal(sp.n, 1);
	assert_true(sp.units[0].down);

	/* a file the framework does not name runs as plain SQL */
	make_source(a, "m/seed.sql", "SELECT 1;\n", &src);
	assert_int_equal(framework_split(FW_GOOSE, &src, false, a, &sp), PGS_OK);
	assert_true(sp.units[0].plain);
	make_source(a, "m/1_seed.sql", "SELECT 1;\n", &src);
	assert_int_equal(framework_split(FW_GOOSE, &src, false, a, &sp), PGS_OK);
	assert_false(sp.units[0].plain);
}

static void test_side_settings(void **state)
{
	struct arena *a = *state;
	char *d = temp_dir();
	struct source src;
	struct fw_split sp;
	const char *v1 = arena_printf(a, "%s/V1__x.sql", d);
	write_file(arena_printf(a, "%s.conf", v1), "# script configuration\n  executeInTransaction = false\n");
	make_source(a, v1, "SELECT 1;\n", &src);
	assert_int_equal(framework_split(FW_FLYWAY, &src, false, a, &sp), PGS_OK);
	assert_int_equal(sp.units[0].directive, FW_TXN_NONE);
	write_file(arena_printf(a, "%s.conf", v1), "executeInTransaction=true\n");
	assert_int_equal(framework_split(FW_FLYWAY, &src, false, a, &sp), PGS_OK);
	assert_int_equal(sp.units[0].directive, FW_TXN_WRAPPED);

	const char *mig = arena_printf(a, "%s/2024-01-01-000000_x", d);
	assert_int_equal(mkdir(mig, 0700), 0);
	write_file(arena_printf(a, "%s/metadata.toml", mig), "run_in_transaction = false\n");
	make_source(a, arena_printf(a, "%s/up.sql", mig), "SELECT 1;\n", &src);
	assert_int_equal(framework_split(FW_DIESEL, &src, false, a, &sp), PGS_OK);
	assert_int_equal(sp.units[0].directive, FW_TXN_MULTI);
	rm_tree(d);
}

/* ---------------------------------------------------------------------
 * Transactions
 * ------------------------------------------------------------------- */

static bool wrapped(struct arena *a, enum framework fw, enum fw_txn directive, bool plain,
		    bool assume, enum fw_txn config, const char *sql, int pg)
{
	struct parsed_file pf;
	assert_int_equal(parse_sql(sql, a, &pf), PGS_OK);
	struct fw_unit u = { .text = sql, .end = strlen(sql), .directive = directive, .plain = plain };
	return framework_unit_wrapped(fw, &u, assume, config, &pf, pg);
}

static void test_transactions(void **state)
{
	struct arena *a = *state;
	const char *one = "CREATE INDEX CONCURRENTLY i ON t (a);";
	const char *two = "SET lock_timeout = '1s'; CREATE INDEX CONCURRENTLY i ON t (a);";
	const char *own = "BEGIN; ALTER TABLE t ADD c int; COMMIT;";

	/* the framework's default */
	assert_true(wrapped(a, FW_GOOSE, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, one, 15));
	assert_false(wrapped(a, FW_PLAIN, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, one, 15));
	assert_false(wrapped(a, FW_SQITCH, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, two, 15));
	assert_true(wrapped(a, FW_DRIZZLE, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, one, 15));
	/* a file the framework does not name: plain */
	assert_false(wrapped(a, FW_GOOSE, FW_TXN_DEFAULT, true, false, FW_TXN_DEFAULT, one, 15));
	/* one multi-statement query: an implicit transaction from two statements on */
	assert_false(wrapped(a, FW_GOLANG_MIGRATE, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, one, 15));
	assert_true(wrapped(a, FW_GOLANG_MIGRATE, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, two, 15));
	assert_false(wrapped(a, FW_PRISMA, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, own, 15));
	assert_true(wrapped(a, FW_PRISMA, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, two, 15));
	assert_false(wrapped(a, FW_DBMATE, FW_TXN_MULTI, false, false, FW_TXN_DEFAULT, one, 15));
	assert_true(wrapped(a, FW_DBMATE, FW_TXN_MULTI, false, false, FW_TXN_DEFAULT, two, 15));
	/* psql meta-commands are no statements */
	assert_false(wrapped(a, FW_PRISMA, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT,
			     "\\echo x\nCREATE INDEX CONCURRENTLY i ON t (a);", 15));
	/* Flyway: its own list of statements it will not wrap */
	assert_false(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, two, 15));
	assert_true(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT,
			    "REINDEX TABLE CONCURRENTLY t;", 15));
	assert_false(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT,
			     "REINDEX SCHEMA s;", 15));
	assert_false(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, "VACUUM t;", 15));
	assert_true(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, "ANALYZE t;", 15));
	assert_false(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT,
			     "ALTER TYPE mood ADD VALUE 'x';", 11));
	assert_true(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT,
			    "ALTER TYPE mood ADD VALUE 'x';", 12));
	assert_true(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT,
			    "ALTER TYPE mood RENAME VALUE 'x' TO 'y';", 11));
	assert_false(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT,
			     "DROP INDEX CONCURRENTLY i;", 15));
	assert_false(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT, "DISCARD ALL;", 15));
	assert_false(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, false, FW_TXN_DEFAULT,
			     "CREATE DATABASE d;", 15));

	/* precedence: a directive, the command line, config, the framework */
	assert_false(wrapped(a, FW_GOOSE, FW_TXN_NONE, false, true, FW_TXN_WRAPPED, one, 15));
	assert_true(wrapped(a, FW_SQITCH, FW_TXN_DEFAULT, false, true, FW_TXN_NONE, one, 15));
	assert_false(wrapped(a, FW_GOOSE, FW_TXN_DEFAULT, false, false, FW_TXN_NONE, one, 15));
	assert_true(wrapped(a, FW_PLAIN, FW_TXN_DEFAULT, false, false, FW_TXN_WRAPPED, one, 15));
	assert_true(wrapped(a, FW_FLYWAY, FW_TXN_DEFAULT, false, true, FW_TXN_DEFAULT, one, 15));
	assert_true(wrapped(a, FW_FLYWAY, FW_TXN_WRAPPED, false, false, FW_TXN_DEFAULT, one, 15));
}

/* ---------------------------------------------------------------------
 * Schema dumps
 * ------------------------------------------------------------------- */

static void test_dump_seed(void **state)
{
	struct arena *a = *state;
	struct arena run, scratch;
	struct schema s;
	struct dump_result res;
	char *d = temp_dir();
	const char *path = arena_printf(a, "%s/structure.sql", d);
	write_file(path,
		   "\\restrict abc\n"
		   "SET statement_timeout = 0;\n"
		   "SELECT pg_catalog.set_config('search_path', '', false);\n"
		   "CREATE TABLE public.users (id integer NOT NULL, name character varying(20));\n"
		   "CREATE SEQUENCE public.users_id_seq AS integer START WITH 1;\n"
		   "ALTER TABLE public.users_id_seq OWNER TO app;\n"
		   "ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;\n"
		   "ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);\n"
		   "ALTER TABLE public.users OWNER TO app;\n"
		   "ALTER TABLE public.ghost OWNER TO app;\n"
		   "ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n"
		   "ALTER TABLE public.users ADD CONSTRAINT users_name_check CHECK (name IS NOT NULL) NOT VALID;\n"
		   "COMMENT ON TABLE public.users IS 'people';\n"
		   "this is not sql;\n"
		   "SET search_path TO \"$user\", public;\n"
		   "INSERT INTO \"schema_migrations\" (version) VALUES ('1');\n"
		   "\\unrestrict abc\n");
	arena_init(&run);
	arena_init(&scratch);
	schema_init(&s, &run);
	assert_int_equal(dump_seed(&s, &scratch, path, 0, &res), PGS_OK);
	assert_int_equal(res.errors, 1);
	assert_int_equal(res.first_error_line, 14);
	const struct sm_table *t = schema_table(&s, "public.users");
	assert_non_null(t);
	assert_int_equal(t->created_in_file, -1);
	assert_false(t->stub);
	const struct sm_column *id = schema_column(t, "id");
	assert_true(id->not_null && id->has_default);
	assert_string_equal(schema_column(t, "name")->type.name, "varchar");
	assert_int_equal(schema_column(t, "name")->type.typmods[0], 20);
	assert_int_equal(t->n_constraints, 2);
	assert_false(t->constraints[1].validated);
	assert_non_null(schema_index(&s, "public.users_pkey"));
	/* neither the sequence nor an owner change made a table */
	assert_null(schema_table(&s, "public.users_id_seq"));
	assert_null(schema_table(&s, "public.ghost"));
	/* the next file of the run does not see it as new */
	schema_begin_file(&s, 0);
	assert_false(schema_table_is_new(&s, "public.users"));

	/* an unreadable dump */
	assert_int_equal(dump_seed(&s, &scratch, arena_printf(a, "%s/none.sql", d), 0, &res), PGS_ERR_IO);
	assert_non_null(strstr(res.message, "none.sql"));
	arena_release(&scratch);
	arena_release(&run);
	rm_tree(d);
}

/* ---------------------------------------------------------------------
 * Table sizes
 * ------------------------------------------------------------------- */

static void test_stats_files(void **state)
{
	struct arena *a = *state;
	struct stats st;
	char err[512];
	static const char json[] =
		"{\"tables\": {\"public.a\": {\"rows\": 10, \"bytes\": 8192}, \"b\": {\"rows\": 20000, \"bytes\": 1}}}";
	stats_init(&st);
	assert_int_equal(stats_parse(&st, a, "s.json", json, strlen(json), err, sizeof(err)), PGS_OK);
	assert_int_equal(st.n, 2);
	assert_true(stats_is_small(&st, "public.a"));
	assert_false(stats_is_small(&st, "public.b"));   /* too many rows */
	assert_false(stats_is_small(&st, "public.c"));   /* not listed: large */
	assert_int_equal(stats_find(&st, "public.b")->rows, 20000);

	static const char yaml[] =
		"# sizes\n"
		"tables:\n"
		"  public.a: {rows: 10, bytes: 8192}\n"
		"  public.b:\n"
		"    rows: 20000\n"
		"    bytes: 1\n"
		"small_table:\n"
		"  rows: 50000\n"
		"  bytes: 4096\n";
	stats_init(&st);
	assert_int_equal(stats_parse(&st, a, "s.yaml", yaml, strlen(yaml), err, sizeof(err)), PGS_OK);
	assert_false(stats_is_small(&st, "public.a"));   /* too many bytes now */
	assert_true(stats_is_small(&st, "public.b"));

	static const struct { const char *text, *says; } bad[] = {
		{ "{\"tables\": {\"t\": {\"rows\": -1, \"bytes\": 1}}}", "non-negative" },
		{ "{\"tables\": {\"t\": {\"rows\": 1}}}", "both" },
		{ "{\"tables\": {\"t\": {\"rows\": 1, \"bytes\": 1, \"x\": 1}}}", "unknown key \"x\"" },
		{ "{\"tabels\": {}}", "unknown key \"tabels\"" },
		{ "{\"tables\": []}", "not an object" },
		{ "{}", "no \"tables\"" },
		{ "{\"tables\": {\"t\": {\"rows\": 1.5, \"bytes\": 1}}}", "non-negative" },
		{ "{\"tables\": ", "s:" },
		{ "tables:\n  t: {rows: 1e3, bytes: 1}\n", "s:2:" },
		{ "tables:\n  t: {rows: 1, bytes: 1}\nextra: 1\n", "unknown key \"extra\"" },
		{ "tables: [1]\n", "not a mapping" },
		{ "- 1\n", "top level" },
		{ "tables: {t: {rows: 1, bytes: 1}\n", "s:" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		stats_init(&st);
		err[0] = '\0';
		assert_int_equal(stats_parse(&st, a, "s", bad[i].text, strlen(bad[i].text), err, sizeof(err)),
				 PGS_ERR_USAGE);
		if (!strstr(err, bad[i].says))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, bad[i].says);
	}
	assert_int_equal(stats_load(&st, a, "/nonexistent/stats.json", err, sizeof(err)), PGS_ERR_IO);
	assert_non_null(strstr(err, "/nonexistent/stats.json"));
}

static void test_stats_adjust(void **state)
{
	struct arena *a = *state;
	struct stats st;
	char err[256];
	static const char json[] = "{\"tables\": {\"public.small\": {\"rows\": 10, \"bytes\": 100},"
				   " \"public.empty\": {\"rows\": 0, \"bytes\": 0},"
				   " \"public.big\": {\"rows\": 10000, \"bytes\": 100}}}";
	stats_init(&st);
	assert_int_equal(stats_parse(&st, a, "s", json, strlen(json), err, sizeof(err)), PGS_OK);

	const char *rewritten[] = { "public.small", "public.big" };
	struct effects fx = { .modeled = true, .rewrites = rewritten, .n_rewrites = 2 };
	struct diag d = { .rule = "r", .severity = PGS_SEV_ERROR, .message = "m", .relation = "public.small" };
	stats_adjust(&st, a, &d, &fx);
	assert_int_equal(d.severity, PGS_SEV_HINT);
	assert_non_null(strstr(d.message, "table \"public.small\" is small (10 rows, 100 bytes"));

	/* 10,000 rows is not below 10,000 */
	d = (struct diag){ .rule = "r", .severity = PGS_SEV_ERROR, .message = "m", .relation = "public.big" };
	stats_adjust(&st, a, &d, &fx);
	assert_int_equal(d.severity, PGS_SEV_ERROR);
	assert_string_equal(d.message, "m");

	/* warnings stay, and so does a finding about a table neither rewritten nor scanned */
	d = (struct diag){ .rule = "r", .severity = PGS_SEV_WARNING, .message = "m", .relation = "public.small" };
	stats_adjust(&st, a, &d, &fx);
	assert_int_equal(d.severity, PGS_SEV_WARNING);
	struct effects lock_only = { .modeled = true };
	d = (struct diag){ .rule = "r", .severity = PGS_SEV_ERROR, .message = "m", .relation = "public.small" };
	stats_adjust(&st, a, &d, &lock_only);
	assert_int_equal(d.severity, PGS_SEV_ERROR);

	/* ADD COLUMN ... NOT NULL without a default fails on any row */
	const char *scanned[] = { "public.small", "public.empty" };
	struct effect_note notes[] = {
		{ .cause = CAUSE_ADD_NOT_NULL_COLUMN, .relation = "public.small" },
		{ .cause = CAUSE_ADD_NOT_NULL_COLUMN, .relation = "public.empty" },
	};
	struct effects nn = { .modeled = true, .scans = scanned, .n_scans = 2, .notes = notes, .n_notes = 2 };
	d = (struct diag){ .rule = "r", .severity = PGS_SEV_ERROR, .message = "m", .relation = "public.small" };
	stats_adjust(&st, a, &d, &nn);
	assert_int_equal(d.severity, PGS_SEV_ERROR);
	d = (struct diag){ .rule = "r", .severity = PGS_SEV_ERROR, .message = "m", .relation = "public.empty" };
	stats_adjust(&st, a, &d, &nn);
	assert_int_equal(d.severity, PGS_SEV_HINT);

	/* no sizes: nothing changes */
	d = (struct diag){ .rule = "r", .severity = PGS_SEV_ERROR, .message = "m", .relation = "public.small" };
	stats_adjust(NULL, a, &d, &fx);
	assert_int_equal(d.severity, PGS_SEV_ERROR);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_arena, teardown_arena)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_names),
		T(test_flyway_versions),
		T(test_roles),
		T(test_order_flyway),
		T(test_order_by_tool),
		T(test_order_sqitch_plan),
		T(test_order_drizzle_journal),
		T(test_detect),
		T(test_split_goose),
		T(test_split_dbmate),
		T(test_split_other_tools),
		T(test_side_settings),
		T(test_transactions),
		T(test_dump_seed),
		T(test_stats_files),
		T(test_stats_adjust),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	pg_query_exit();   /* libpg_query's per-thread memory contexts */
	return rc;
}
