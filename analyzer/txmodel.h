/*
 * txmodel.h - the transaction state in force at each statement.
 *
 * Tracks explicit blocks (BEGIN / START TRANSACTION ... COMMIT / END /
 * ROLLBACK, savepoints), the implicit transaction a migration tool wraps
 * around a file (--assume-in-transaction), the locks taken so far in the
 * block (held until it ends), and the lock_timeout and statement_timeout
 * set with SET, SET LOCAL or set_config(). Rules read a snapshot per
 * statement (struct txn_view); they never track transactions themselves.
 */
#ifndef PGS_TXMODEL_H
#define PGS_TXMODEL_H

#include <pg_query/pg_query.pb-c.h>

#include "arena.h"
#include "lockmodel.h"

enum txn_kind {
	TXN_NONE,       /* autocommit: each statement is its own transaction */
	TXN_EXPLICIT,   /* inside BEGIN ... COMMIT written in the file */
	TXN_IMPLICIT,   /* inside the transaction the migration tool opens */
};

const char *txn_kind_name(enum txn_kind k);

/* A lock held in the current block, and the statement that took it. */
struct held_lock {
	const char *relation;
	char relkind;                 /* as in struct effect_lock */
	enum pgs_lock_mode mode;      /* the strongest taken so far in the block */
	size_t stmt_index;            /* the statement that took it in that mode */
};

/* What is in force when a statement starts. */
struct txn_view {
	enum txn_kind kind;
	int id;                       /* transaction number within the file, from 1 */
	int nesting;                  /* BEGIN seen while already in a block */
	const struct held_lock *held; /* locks taken earlier in this block (never changes later) */
	size_t n_held;
	size_t block_start;           /* index of the block's first statement */
	long lock_timeout_ms;         /* -1: not set (PostgreSQL's default: wait forever) */
	long statement_timeout_ms;    /* -1: not set */
};

struct txmodel {
	struct arena *a;              /* the file arena */
	enum txn_kind kind;
	int id;
	int nesting;
	bool assume_in_transaction;
	struct held_lock *held;
	size_t n_held, cap_held;
	size_t block_start;
	long lock_timeout_ms, statement_timeout_ms;        /* session values */
	long local_lock_timeout_ms, local_statement_timeout_ms; /* SET LOCAL, -2: none */
	bool do_opened;               /* txmodel_begin_do() opened the current block */
};

/* Starts a file: wrapped in one transaction when @assume_in_transaction. */
void txmodel_begin_file(struct txmodel *t, struct arena *a, bool assume_in_transaction);

/* The state in force for the statement about to run (index @stmt_index). */
void txmodel_view(const struct txmodel *t, size_t stmt_index, struct txn_view *out);

/* Applies the statement: its locks, transaction control, timeouts. */
int txmodel_apply(struct txmodel *t, const PgQuery__Node *stmt, const struct effects *fx,
		  size_t stmt_index);

/*
 * A DO block is one statement, so the statements it runs (plpgsql.h)
 * share one transaction even in autocommit: lint.c calls begin before
 * them, in place of applying the DO statement, and end after them. In a
 * block already, both change nothing.
 */
void txmodel_begin_do(struct txmodel *t, size_t do_index);
void txmodel_end_do(struct txmodel *t);

/* Ends the file; returns true when an explicit block was left open. */
bool txmodel_end_file(struct txmodel *t);

/* Parses a GUC time value ("2s", "500", "1min") into milliseconds; -1 if bad. */
long txmodel_parse_duration(const char *value, bool bare_is_ms);

#endif
