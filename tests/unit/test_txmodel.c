/*
 * test_txmodel.c - the transaction state in force at each statement
 * (txmodel.h): explicit and implicit blocks, savepoints, locks held until
 * the block ends, lock_timeout from SET / SET LOCAL / RESET / set_config(),
 * and the GUC duration parser.
 *
 * Each file is run the way lint.c runs it: view, effects, apply, then the
 * catalog replay. The held locks of every view are copied when the view is
 * taken, so that each statement's snapshot is checked as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lockmodel.h"
#include "parse.h"
#include "schema.h"
#include "txmodel.h"

#define MAX_STMTS 32
#define MAX_HELD 8

struct snapshot {
	struct txn_view v;
	struct held_lock held[MAX_HELD];
};

struct run {
	struct arena run, file;
	struct schema s;
	struct txmodel tx;
	struct parsed_file pf;
	struct snapshot snap[MAX_STMTS];
	struct txn_view live[MAX_STMTS];   /* as returned, not copied */
	size_t n;
	bool open_at_end;
};

static int setup_run(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	if (!r)
		return -1;
	arena_init(&r->run);
	arena_init(&r->file);
	*state = r;
	return 0;
}

static int teardown_run(void **state)
{
	struct run *r = *state;
	arena_release(&r->file);
	arena_release(&r->run);
	free(r);
	return 0;
}

/* Runs @sql through the models; the tables t, u and v exist beforehand. */
static struct run *run_sql(void **state, const char *sql, bool assume_in_transaction)
{
	struct run *r = *state;
	arena_reset(&r->file);
	arena_reset(&r->run);
	schema_init(&r->s, &r->run);
	schema_begin_file(&r->s, 0);
	struct parsed_file pre;
	assert_int_equal(parse_sql("create table t (id int primary key, a int);"
				   "create table u (id int); create table v (id int);",
				   &r->file, &pre), PGS_OK);
	for (size_t i = 0; i < pre.n; i++)
		assert_int_equal(schema_apply(&r->s, pre.stmts[i].node, 0), PGS_OK);

	assert_int_equal(parse_sql(sql, &r->file, &r->pf), PGS_OK);
	assert_true(r->pf.n <= MAX_STMTS);
	r->n = r->pf.n;
	txmodel_begin_file(&r->tx, &r->file, assume_in_transaction);
	for (size_t i = 0; i < r->pf.n; i++) {
		const struct stmt *st = &r->pf.stmts[i];
		assert_int_equal(st->status, STMT_PARSED);
		txmodel_view(&r->tx, i, &r->live[i]);
		struct snapshot *sn = &r->snap[i];
		sn->v = r->live[i];
		assert_true(sn->v.n_held <= MAX_HELD);
		if (sn->v.n_held)
			memcpy(sn->held, sn->v.held, sn->v.n_held * sizeof(sn->held[0]));
		sn->v.held = sn->held;
		struct effects fx;
		struct effects_input in = { &r->s, 15, st->loc_base, st->start };
		assert_int_equal(effects_compute(&in, &r->file, st->node, &fx), PGS_OK);
		assert_int_equal(txmodel_apply(&r->tx, st->node, &fx, i), PGS_OK);
		assert_int_equal(schema_apply(&r->s, st->node, 0), PGS_OK);
	}
	r->open_at_end = txmodel_end_file(&r->tx);
	return r;
}

static const struct txn_view *view(const struct run *r, size_t i)
{
	assert_true(i < r->n);
	return &r->snap[i].v;
}

/* The mode held on @rel in view @v (NONE when not held). */
static enum pgs_lock_mode held_on(const struct txn_view *v, const char *rel)
{
	for (size_t i = 0; i < v->n_held; i++)
		if (!strcmp(v->held[i].relation, rel))
			return v->held[i].mode;
	return PGS_LOCK_NONE;
}

#define assert_held(v, rel, mode) \
	_assert_string_equal(pgs_lock_mode_name(held_on((v), "public." rel)), \
			     pgs_lock_mode_name(mode), __FILE__, __LINE__)

/* ---------------------------------------------------------------------
 * Blocks
 * ------------------------------------------------------------------- */

static void test_autocommit(void **state)
{
	struct run *r = run_sql(state, "alter table t add column b int; select * from t;", false);
	assert_int_equal(view(r, 0)->kind, TXN_NONE);
	assert_int_equal(view(r, 1)->kind, TXN_NONE);
	/* autocommit statements hold nothing for the next one */
	assert_int_equal(view(r, 1)->n_held, 0);
	assert_int_equal(view(r, 0)->id, 1);   /* numbered from 1 */
	assert_int_not_equal(view(r, 0)->id, view(r, 1)->id);
	assert_int_equal(view(r, 1)->block_start, 1);
	assert_false(r->open_at_end);
	assert_string_equal(txn_kind_name(TXN_NONE), "none");
	assert_string_equal(txn_kind_name(TXN_EXPLICIT), "explicit");
	assert_string_equal(txn_kind_name(TXN_IMPLICIT), "implicit");
}

static void test_begin_commit(void **state)
{
	struct run *r = run_sql(state,
				"begin;"                          /* 0 */
				"alter table t add column b int;" /* 1 */
				"select 1;"                       /* 2 */
				"commit;"                         /* 3 */
				"select 2;",                      /* 4 */
				false);
	assert_int_equal(view(r, 0)->kind, TXN_NONE);
	assert_int_equal(view(r, 1)->kind, TXN_EXPLICIT);
	assert_int_equal(view(r, 1)->block_start, 0);
	assert_int_equal(view(r, 1)->n_held, 0);
	assert_int_equal(view(r, 2)->kind, TXN_EXPLICIT);
	assert_held(view(r, 2), "t", PGS_LOCK_ACCESS_EXCLUSIVE);
	assert_int_equal(view(r, 2)->held[0].stmt_index, 1);
	assert_int_equal(view(r, 2)->id, view(r, 1)->id);
	assert_int_equal(view(r, 3)->kind, TXN_EXPLICIT);
	assert_held(view(r, 3), "t", PGS_LOCK_ACCESS_EXCLUSIVE);
	/* COMMIT releases everything */
	assert_int_equal(view(r, 4)->kind, TXN_NONE);
	assert_int_equal(view(r, 4)->n_held, 0);
	assert_false(r->open_at_end);
}

static void test_start_transaction_and_end(void **state)
{
	struct run *r = run_sql(state,
				"start transaction isolation level serializable;"
				"lock table u in share mode;"
				"select 1;"
				"end;"
				"select 2;",
				false);
	assert_int_equal(view(r, 1)->kind, TXN_EXPLICIT);
	assert_int_equal(view(r, 2)->kind, TXN_EXPLICIT);
	assert_held(view(r, 2), "u", PGS_LOCK_SHARE);
	/* END is COMMIT */
	assert_int_equal(view(r, 4)->kind, TXN_NONE);
	assert_int_equal(view(r, 4)->n_held, 0);
}

static void test_rollback_ends_block(void **state)
{
	struct run *r = run_sql(state,
				"begin; lock table t; rollback; select 1; begin work; select 2; abort;",
				false);
	assert_held(view(r, 2), "t", PGS_LOCK_ACCESS_EXCLUSIVE);
	assert_int_equal(view(r, 3)->kind, TXN_NONE);
	assert_int_equal(view(r, 3)->n_held, 0);
	assert_int_equal(view(r, 5)->kind, TXN_EXPLICIT);
	assert_int_equal(view(r, 5)->n_held, 0);
	assert_int_equal(view(r, 5)->block_start, 4);
	assert_false(r->open_at_end);
}

static void test_open_block_at_end(void **state)
{
	struct run *r = run_sql(state, "begin; select 1;", false);
	assert_true(r->open_at_end);
	r = run_sql(state, "select 1;", true);
	assert_false(r->open_at_end);   /* the tool's own transaction is not "left open" */
}

static void test_savepoints_keep_locks(void **state)
{
	struct run *r = run_sql(state,
				"begin;"                                   /* 0 */
				"savepoint s1;"                            /* 1 */
				"alter table t add column b int;"          /* 2 */
				"rollback to savepoint s1;"                /* 3 */
				"release savepoint s1;"                    /* 4 */
				"select 1;"                                /* 5 */
				"commit;",                                 /* 6 */
				false);
	for (size_t i = 1; i <= 6; i++)
		assert_int_equal(view(r, i)->kind, TXN_EXPLICIT);
	/*
	 * PostgreSQL releases locks taken after a savepoint when rolling back
	 * to it; the model keeps them (txmodel.c: holding longer is the
	 * conservative view).
	 */
	assert_held(view(r, 4), "t", PGS_LOCK_ACCESS_EXCLUSIVE);
	assert_held(view(r, 5), "t", PGS_LOCK_ACCESS_EXCLUSIVE);
	assert_int_equal(view(r, 5)->id, view(r, 1)->id);
}

static void test_held_locks_accumulate(void **state)
{
	struct run *r = run_sql(state,
				"begin;"                                   /* 0 */
				"select * from t;"                         /* 1: t ACCESS SHARE */
				"insert into u values (1);"                /* 2: u ROW EXCLUSIVE */
				"create index on t (a);"                   /* 3: t SHARE */
				"lock table t in access share mode;"       /* 4: weaker, ignored */
				"alter table u add column c int;"          /* 5: u ACCESS EXCLUSIVE */
				"select 1;"                                /* 6 */
				"commit;",
				false);
	assert_int_equal(view(r, 1)->n_held, 0);
	assert_int_equal(view(r, 2)->n_held, 1);
	assert_held(view(r, 2), "t", PGS_LOCK_ACCESS_SHARE);
	assert_int_equal(view(r, 3)->n_held, 2);
	assert_held(view(r, 3), "u", PGS_LOCK_ROW_EXCLUSIVE);
	assert_held(view(r, 4), "t", PGS_LOCK_SHARE);
	assert_held(view(r, 5), "t", PGS_LOCK_SHARE);
	assert_int_equal(view(r, 6)->n_held, 2);   /* one entry per relation */
	assert_held(view(r, 6), "t", PGS_LOCK_SHARE);
	assert_held(view(r, 6), "u", PGS_LOCK_ACCESS_EXCLUSIVE);
	assert_held(view(r, 6), "v", PGS_LOCK_NONE);
	/* each entry names the statement that took the lock in its held mode */
	for (size_t i = 0; i < view(r, 3)->n_held; i++) {
		const struct held_lock *h = &view(r, 3)->held[i];
		assert_int_equal(h->stmt_index, !strcmp(h->relation, "public.t") ? 1 : 2);
	}
	for (size_t i = 0; i < view(r, 6)->n_held; i++) {
		const struct held_lock *h = &view(r, 6)->held[i];
		assert_int_equal(h->stmt_index, !strcmp(h->relation, "public.t") ? 3 : 5);
	}
}

static void test_implicit_transaction(void **state)
{
	struct run *r = run_sql(state,
				"alter table t add column b int;"  /* 0 */
				"update u set id = 1;"             /* 1 */
				"select 1;"                        /* 2 */
				"commit;"                          /* 3 */
				"select 2;"                        /* 4 */
				"lock table v;"                    /* 5 */
				"select 3;",                       /* 6 */
				true);
	assert_int_equal(view(r, 0)->kind, TXN_IMPLICIT);
	assert_int_equal(view(r, 0)->block_start, 0);
	assert_int_equal(view(r, 0)->n_held, 0);
	assert_int_equal(view(r, 2)->kind, TXN_IMPLICIT);
	assert_int_equal(view(r, 2)->n_held, 2);
	assert_held(view(r, 2), "t", PGS_LOCK_ACCESS_EXCLUSIVE);
	assert_held(view(r, 2), "u", PGS_LOCK_ROW_EXCLUSIVE);
	assert_int_equal(view(r, 2)->id, view(r, 0)->id);
	/* a COMMIT in the file ends the tool's transaction: autocommit from here */
	assert_int_equal(view(r, 4)->kind, TXN_NONE);
	assert_int_equal(view(r, 4)->n_held, 0);
	assert_int_equal(view(r, 6)->kind, TXN_NONE);
	assert_int_equal(view(r, 6)->n_held, 0);
}

static void test_begin_inside_implicit_is_nested(void **state)
{
	struct run *r = run_sql(state, "begin; lock table t; commit; select 1;", true);
	/* PostgreSQL warns "there is already a transaction in progress" */
	assert_int_equal(view(r, 1)->kind, TXN_IMPLICIT);
	assert_int_equal(view(r, 1)->nesting, 1);
	assert_int_equal(view(r, 2)->nesting, 1);
	assert_held(view(r, 2), "t", PGS_LOCK_ACCESS_EXCLUSIVE);
	/* ...and the COMMIT commits the whole thing */
	assert_int_equal(view(r, 3)->kind, TXN_NONE);
	assert_int_equal(view(r, 3)->nesting, 0);
}

static void test_nested_begin_counted(void **state)
{
	struct run *r = run_sql(state, "begin; begin; start transaction; select 1; commit; select 2;",
				false);
	assert_int_equal(view(r, 1)->nesting, 0);
	assert_int_equal(view(r, 2)->nesting, 1);
	assert_int_equal(view(r, 3)->nesting, 2);
	assert_int_equal(view(r, 3)->kind, TXN_EXPLICIT);
	assert_int_equal(view(r, 3)->block_start, 0);
	/* one COMMIT ends the one real transaction */
	assert_int_equal(view(r, 5)->kind, TXN_NONE);
	assert_int_equal(view(r, 5)->nesting, 0);
}

/*
 * Every statement's txn.id names its transaction: statements of one block
 * share it, statements of different transactions do not (in particular the
 * first statement after COMMIT).
 */
static void test_transaction_ids_are_distinct(void **state)
{
	struct run *r = run_sql(state, "select 0; begin; select 1; commit; select 2; select 3;", false);
	int block = view(r, 2)->id;
	assert_int_equal(view(r, 3)->id, block);
	assert_int_not_equal(view(r, 0)->id, block);
	assert_int_not_equal(view(r, 5)->id, view(r, 4)->id);
	assert_int_not_equal(view(r, 4)->id, block);
}

/*
 * A view is a snapshot: lint.c keeps every statement's view and reads them
 * again in the end-of-file rule pass.
 * KNOWN BUG (txmodel.c txmodel_apply / end_block): a stronger lock on an
 * already held relation is written into the shared array in place, and a
 * new block reuses the array from index 0, so earlier views change.
 */
static void test_earlier_views_stay_valid(void **state)
{
	struct run *r = run_sql(state,
				"begin;"                            /* 0 */
				"select * from t;"                  /* 1 */
				"select 1;"                         /* 2: holds t ACCESS SHARE */
				"alter table t add column b int;"   /* 3 */
				"commit;"                           /* 4 */
				"begin;"                            /* 5 */
				"lock table u;"                     /* 6 */
				"select 2;"                         /* 7 */
				"commit;",
				false);
	/* the copies taken at the time are right */
	assert_held(view(r, 2), "t", PGS_LOCK_ACCESS_SHARE);
	assert_held(view(r, 7), "u", PGS_LOCK_ACCESS_EXCLUSIVE);
	/* the views as lint.c keeps them must still say the same */
	const struct txn_view *kept = &r->live[2];
	assert_int_equal(kept->n_held, 1);
	assert_string_equal(kept->held[0].relation, "public.t");
	assert_string_equal(pgs_lock_mode_name(kept->held[0].mode),
			    pgs_lock_mode_name(PGS_LOCK_ACCESS_SHARE));
}

/* ---------------------------------------------------------------------
 * Timeouts
 * ------------------------------------------------------------------- */

static void test_lock_timeout_values(void **state)
{
	struct run *r = run_sql(state,
				"select 0;"                           /* 0 */
				"set lock_timeout = '2s';"            /* 1 */
				"select 1;"                           /* 2 */
				"set lock_timeout = 2000;"            /* 3 */
				"select 2;"                           /* 4 */
				"set lock_timeout to '1min';"         /* 5 */
				"select 3;"                           /* 6 */
				"set lock_timeout = 0;"               /* 7 */
				"select 4;"                           /* 8 */
				"set lock_timeout = '750ms';"         /* 9 */
				"select 5;"                           /* 10 */
				"reset lock_timeout;"                 /* 11 */
				"select 6;"                           /* 12 */
				"set lock_timeout = '3s';"            /* 13 */
				"set lock_timeout to default;"        /* 14 */
				"select 7;",                          /* 15 */
				false);
	assert_int_equal(view(r, 0)->lock_timeout_ms, -1);
	assert_int_equal(view(r, 1)->lock_timeout_ms, -1);   /* before the SET runs */
	assert_int_equal(view(r, 2)->lock_timeout_ms, 2000);
	assert_int_equal(view(r, 4)->lock_timeout_ms, 2000);   /* a bare number is ms */
	assert_int_equal(view(r, 6)->lock_timeout_ms, 60000);
	assert_int_equal(view(r, 8)->lock_timeout_ms, -1);     /* 0 disables it */
	assert_int_equal(view(r, 10)->lock_timeout_ms, 750);
	assert_int_equal(view(r, 12)->lock_timeout_ms, -1);
	assert_int_equal(view(r, 15)->lock_timeout_ms, -1);
	/* statement_timeout is tracked apart */
	assert_int_equal(view(r, 2)->statement_timeout_ms, -1);
}

static void test_statement_timeout(void **state)
{
	struct run *r = run_sql(state,
				"set statement_timeout = '5min'; set lock_timeout = '1s'; select 1;"
				"reset statement_timeout; select 2;",
				false);
	assert_int_equal(view(r, 2)->statement_timeout_ms, 300000);
	assert_int_equal(view(r, 2)->lock_timeout_ms, 1000);
	assert_int_equal(view(r, 4)->statement_timeout_ms, -1);
	assert_int_equal(view(r, 4)->lock_timeout_ms, 1000);
}

/*
 * RESET ALL puts every setting back to its default.
 * KNOWN BUG (txmodel.c txmodel_apply): the parse tree's VariableSetStmt for
 * RESET ALL has name "" (protobuf strings are never NULL), so the
 * "vs->name" branch is taken and the VAR_RESET_ALL branch is never reached.
 */
static void test_reset_all(void **state)
{
	struct run *r = run_sql(state,
				"set statement_timeout = '5min'; set lock_timeout = '1s'; reset all;"
				"select 1;",
				false);
	assert_int_equal(view(r, 3)->lock_timeout_ms, -1);
	assert_int_equal(view(r, 3)->statement_timeout_ms, -1);
}

static void test_set_local(void **state)
{
	struct run *r = run_sql(state,
				"set lock_timeout = '10s';"           /* 0 */
				"begin;"                              /* 1 */
				"set local lock_timeout = '2s';"      /* 2 */
				"alter table t add column b int;"     /* 3 */
				"commit;"                             /* 4 */
				"select 1;"                           /* 5 */
				"set local lock_timeout = '1s';"      /* 6: outside a block: no effect */
				"select 2;",                          /* 7 */
				false);
	assert_int_equal(view(r, 2)->lock_timeout_ms, 10000);
	assert_int_equal(view(r, 3)->lock_timeout_ms, 2000);
	assert_int_equal(view(r, 4)->lock_timeout_ms, 2000);
	/* gone after COMMIT: the session value is back */
	assert_int_equal(view(r, 5)->lock_timeout_ms, 10000);
	assert_int_equal(view(r, 7)->lock_timeout_ms, 10000);
}

static void test_set_local_without_session_value(void **state)
{
	struct run *r = run_sql(state,
				"begin; set local lock_timeout = '3s'; select 1; rollback; select 2;",
				false);
	assert_int_equal(view(r, 2)->lock_timeout_ms, 3000);
	assert_int_equal(view(r, 4)->lock_timeout_ms, -1);
}

static void test_set_inside_block_overrides_local(void **state)
{
	struct run *r = run_sql(state,
				"begin; set local lock_timeout = '3s'; set lock_timeout = '4s'; select 1;"
				"commit; select 2;",
				false);
	assert_int_equal(view(r, 3)->lock_timeout_ms, 4000);
	assert_int_equal(view(r, 5)->lock_timeout_ms, 4000);
}

static void test_set_config(void **state)
{
	struct run *r = run_sql(state,
				"select set_config('lock_timeout', '5s', false);"   /* 0 */
				"select 1;"                                         /* 1 */
				"begin;"                                            /* 2 */
				"select set_config('lock_timeout', '1s', true);"    /* 3 */
				"select 2;"                                         /* 4 */
				"commit;"                                           /* 5 */
				"select 3;"                                         /* 6 */
				"select pg_catalog.set_config('statement_timeout', '30s', false);"
				"select 4;",                                        /* 8 */
				false);
	assert_int_equal(view(r, 1)->lock_timeout_ms, 5000);
	assert_int_equal(view(r, 4)->lock_timeout_ms, 1000);   /* is_local = true */
	assert_int_equal(view(r, 6)->lock_timeout_ms, 5000);   /* ...until the block ends */
	assert_int_equal(view(r, 8)->statement_timeout_ms, 30000);
	assert_int_equal(view(r, 8)->lock_timeout_ms, 5000);
}

static void test_set_other_settings_ignored(void **state)
{
	struct run *r = run_sql(state,
				"set lock_timeout = '2s'; set search_path = public; set work_mem = '1GB';"
				"select 1;",
				false);
	assert_int_equal(view(r, 3)->lock_timeout_ms, 2000);
	assert_int_equal(view(r, 3)->statement_timeout_ms, -1);
}

static void test_parse_duration(void **state)
{
	(void)state;
	assert_int_equal(txmodel_parse_duration("2s", true), 2000);
	assert_int_equal(txmodel_parse_duration("500", true), 500);
	assert_int_equal(txmodel_parse_duration("500ms", true), 500);
	assert_int_equal(txmodel_parse_duration("1min", true), 60000);
	assert_int_equal(txmodel_parse_duration("2h", true), 7200000);
	assert_int_equal(txmodel_parse_duration("1d", true), 86400000);
	assert_int_equal(txmodel_parse_duration("1500us", true), 1);
	assert_int_equal(txmodel_parse_duration("1.5s", true), 1500);
	assert_int_equal(txmodel_parse_duration(" 3 s", true), 3000);
	assert_int_equal(txmodel_parse_duration("0", true), 0);
	assert_int_equal(txmodel_parse_duration("10S", true), 10000);
	/* not durations */
	assert_int_equal(txmodel_parse_duration("", true), -1);
	assert_int_equal(txmodel_parse_duration("abc", true), -1);
	assert_int_equal(txmodel_parse_duration("5 parsecs", true), -1);
	assert_int_equal(txmodel_parse_duration("-1s", true), -1);
	assert_int_equal(txmodel_parse_duration(NULL, true), -1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_run, teardown_run)
	const struct CMUnitTest tests[] = {
		T(test_autocommit),
		T(test_begin_commit),
		T(test_start_transaction_and_end),
		T(test_rollback_ends_block),
		T(test_open_block_at_end),
		T(test_savepoints_keep_locks),
		T(test_held_locks_accumulate),
		T(test_implicit_transaction),
		T(test_begin_inside_implicit_is_nested),
		T(test_nested_begin_counted),
		T(test_transaction_ids_are_distinct),
		T(test_earlier_views_stay_valid),
		T(test_lock_timeout_values),
		T(test_statement_timeout),
		T(test_reset_all),
		T(test_set_local),
		T(test_set_local_without_session_value),
		T(test_set_inside_block_overrides_local),
		T(test_set_config),
		T(test_set_other_settings_ignored),
		T(test_parse_duration),
	};
	int failed = cmocka_run_group_tests_name("txmodel", tests, NULL, NULL);
	pg_query_exit();   /* libpg_query's per-thread memory contexts */
	return failed;
}
