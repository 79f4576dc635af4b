/*
 * txmodel.c - transaction state per statement (txmodel.h).
 *
 * PostgreSQL facts used: a lock is held until its transaction ends (a
 * savepoint rollback releases locks taken after it, which pgsafe ignores:
 * holding longer is the conservative view); SET LOCAL lasts until the end
 * of the transaction and is a no-op with a warning outside one; a plain SET
 * inside a transaction that rolls back is undone, which pgsafe ignores too.
 */
#include "txmodel.h"

#include "schema.h"
#include "walk.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NODE(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)
#define LOCAL_UNSET (-2)

const char *txn_kind_name(enum txn_kind k)
{
	switch (k) {
	case TXN_EXPLICIT: return "explicit";
	case TXN_IMPLICIT: return "implicit";
	case TXN_NONE: break;
	}
	return "none";
}

void txmodel_begin_file(struct txmodel *t, struct arena *a, bool assume)
{
	memset(t, 0, sizeof(*t));
	t->a = a;
	t->assume_in_transaction = assume;
	t->kind = assume ? TXN_IMPLICIT : TXN_NONE;
	t->id = 1;
	t->lock_timeout_ms = -1;
	t->statement_timeout_ms = -1;
	t->local_lock_timeout_ms = LOCAL_UNSET;
	t->local_statement_timeout_ms = LOCAL_UNSET;
}

void txmodel_view(const struct txmodel *t, size_t idx, struct txn_view *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = t->kind;
	out->id = t->id;
	out->nesting = t->nesting;
	out->held = t->held;
	out->n_held = t->kind == TXN_NONE ? 0 : t->n_held;
	out->block_start = t->kind == TXN_NONE ? idx : t->block_start;
	out->lock_timeout_ms = t->local_lock_timeout_ms != LOCAL_UNSET ? t->local_lock_timeout_ms :
		t->lock_timeout_ms;
	out->statement_timeout_ms = t->local_statement_timeout_ms != LOCAL_UNSET ?
		t->local_statement_timeout_ms : t->statement_timeout_ms;
}

long txmodel_parse_duration(const char *v, bool bare_is_ms)
{
	char *end;
	if (!v)
		return -1;
	while (isspace((unsigned char)*v))
		v++;
	double n = strtod(v, &end);
	if (end == v)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	double mult;
	if (!*end)
		mult = bare_is_ms ? 1 : 1;
	else if (!strcasecmp(end, "us"))
		mult = 0.001;
	else if (!strcasecmp(end, "ms"))
		mult = 1;
	else if (!strcasecmp(end, "s"))
		mult = 1000;
	else if (!strcasecmp(end, "min"))
		mult = 60000;
	else if (!strcasecmp(end, "h"))
		mult = 3600000;
	else if (!strcasecmp(end, "d"))
		mult = 86400000;
	else
		return -1;
	double ms = n * mult;
	if (ms < 0 || ms > 1e12)
		return -1;
	return (long)ms;
}

static long const_duration(const PgQuery__Node *n)
{
	if (NODE(n, TYPE_CAST))
		n = n->type_cast->arg;
	if (!NODE(n, A_CONST))
		return -1;
	const PgQuery__AConst *c = n->a_const;
	if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
		return c->ival ? c->ival->ival : 0;
	if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL)
		return txmodel_parse_duration(c->sval->sval, true);
	if (c->val_case == PG_QUERY__A__CONST__VAL_FVAL)
		return txmodel_parse_duration(c->fval->fval, true);
	return -1;
}

static void set_timeout(struct txmodel *t, const char *name, long ms, bool local, bool reset)
{
	long *session, *loc;
	if (!strcasecmp(name, "lock_timeout")) {
		session = &t->lock_timeout_ms;
		loc = &t->local_lock_timeout_ms;
	} else if (!strcasecmp(name, "statement_timeout")) {
		session = &t->statement_timeout_ms;
		loc = &t->local_statement_timeout_ms;
	} else {
		return;
	}
	if (reset || ms == 0)
		ms = -1;        /* 0 disables the timeout */
	if (local) {
		if (t->kind != TXN_NONE)
			*loc = ms;
	} else {
		*session = ms;
		if (t->kind != TXN_NONE)
			*loc = LOCAL_UNSET;
	}
}

/* SELECT set_config('lock_timeout', '2s', is_local) anywhere in a query. */
static bool set_config_visit(const PgQuery__Node *n, void *p)
{
	struct txmodel *t = p;
	if (!NODE(n, FUNC_CALL))
		return true;
	const PgQuery__FuncCall *f = n->func_call;
	const char *name = f->n_funcname ? node_string(f->funcname[f->n_funcname - 1]) : NULL;
	if (!name || strcmp(name, "set_config") || f->n_args != 3)
		return true;
	const PgQuery__Node *a0 = f->args[0], *a1 = f->args[1], *a2 = f->args[2];
	if (NODE(a0, TYPE_CAST))
		a0 = a0->type_cast->arg;
	if (!NODE(a0, A_CONST) || a0->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL)
		return true;
	bool local = NODE(a2, A_CONST) && a2->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL &&
		a2->a_const->boolval && a2->a_const->boolval->boolval;
	set_timeout(t, a0->a_const->sval->sval, const_duration(a1), local, false);
	return true;
}

static void end_block(struct txmodel *t)
{
	t->kind = TXN_NONE;
	t->held = NULL;
	t->cap_held = 0;
	t->n_held = 0;
	t->nesting = 0;
	t->local_lock_timeout_ms = LOCAL_UNSET;
	t->local_statement_timeout_ms = LOCAL_UNSET;
}

/*
 * t->id is the transaction the next statement runs in: a block keeps one
 * id from BEGIN to COMMIT, and every autocommit statement gets its own.
 */
static void start_block(struct txmodel *t, enum txn_kind kind, size_t idx)
{
	t->kind = kind;
	/* a new array: views of the last block keep theirs */
	t->held = NULL;
	t->cap_held = 0;
	t->n_held = 0;
	t->block_start = idx;
}

int txmodel_apply(struct txmodel *t, const PgQuery__Node *n, const struct effects *fx, size_t idx)
{
	if (NODE(n, TRANSACTION_STMT)) {
		switch (n->transaction_stmt->kind) {
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
			if (t->kind == TXN_NONE)
				start_block(t, TXN_EXPLICIT, idx);
			else
				t->nesting++;   /* PostgreSQL warns and ignores it */
			break;
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
			t->id++;        /* COMMIT outside a block only warns, as its own transaction */
			end_block(t);
			break;
		default:
			/* savepoints keep the block and its locks */
			if (t->kind == TXN_NONE)
				t->id++;        /* COMMIT PREPARED and the like: a transaction of their own */
			break;
		}
		return PGS_OK;
	}
	if (NODE(n, VARIABLE_SET_STMT)) {
		const PgQuery__VariableSetStmt *vs = n->variable_set_stmt;
		if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL) {
			t->lock_timeout_ms = t->statement_timeout_ms = -1;
			if (t->kind != TXN_NONE)
				t->local_lock_timeout_ms = t->local_statement_timeout_ms = LOCAL_UNSET;
		} else if (vs->name && *vs->name) {
			bool reset = vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT ||
				vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET;
			long ms = !reset && vs->n_args ? const_duration(vs->args[0]) : -1;
			set_timeout(t, vs->name, ms, vs->is_local, reset);
		}
	}
	if (NODE(n, SELECT_STMT))
		WALK_NODE(n, set_config_visit, t);

	if (t->kind == TXN_NONE) {
		t->id++;        /* that autocommit statement was a transaction of its own */
		return PGS_OK;
	}
	if (!fx)
		return PGS_OK;
	for (size_t i = 0; i < fx->n_locks; i++) {
		const struct effect_lock *l = &fx->locks[i];
		size_t k;
		for (k = 0; k < t->n_held; k++)
			if (!strcmp(t->held[k].relation, l->relation))
				break;
		if (k < t->n_held) {
			if (l->mode > t->held[k].mode) {
				/* copy before changing: earlier views keep what they saw */
				struct held_lock *copy = arena_alloc(t->a, t->cap_held * sizeof(*copy));
				if (!copy)
					return PGS_ERR_NOMEM;
				memcpy(copy, t->held, t->n_held * sizeof(*copy));
				t->held = copy;
				t->held[k].mode = l->mode;
				t->held[k].stmt_index = idx;    /* the statement that raised it */
			}
			continue;
		}
		struct held_lock h = { l->relation, l->relkind, l->mode, idx };
		/* views point into this array: copy-on-grow keeps old snapshots valid */
		if (ARENA_PUSH(t->a, t->held, t->n_held, t->cap_held, h))
			return PGS_ERR_NOMEM;
	}
	return PGS_OK;
}

void txmodel_begin_do(struct txmodel *t, size_t do_index)
{
	t->do_opened = t->kind == TXN_NONE;
	if (t->do_opened)
		start_block(t, TXN_IMPLICIT, do_index);
}

void txmodel_end_do(struct txmodel *t)
{
	/* a COMMIT inside the block may have ended it already (PostgreSQL 11+) */
	if (t->do_opened && t->kind != TXN_NONE) {
		t->id++;
		end_block(t);
	}
	t->do_opened = false;
}

bool txmodel_end_file(struct txmodel *t)
{
	bool open = t->kind == TXN_EXPLICIT;
	end_block(t);
	return open;
}
