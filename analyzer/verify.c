/*
 * verify.c - plan replay and invariant checks (verify.h).
 *
 * The replay is the pipeline in small: parse each step's SQL, open DO
 * blocks with libpg_query's PL/pgSQL parser (pg_query_parse_plpgsql, which
 * needs a CREATE FUNCTION around the body and answers in JSON), compute
 * each statement's effects against the catalog as the plan has left it,
 * and apply the statement to the catalog. Facts the checks need are
 * gathered on the way (what each step validates, fills, refuses). Parse
 * trees and effects live in a scratch arena reset per step; what the plan
 * keeps is copied into the plan's arena.
 */
#include "verify.h"

#include "parse.h"
#include "quote.h"

#include <jansson.h>
#include <pg_query.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#define NODE(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

static const struct verify_check checks[] = {
	{ "verify-lock-while-scanning", PGS_SEV_ERROR,
	  "a step holds a lock that blocks reads or writes while it rewrites or reads a whole existing table" },
	{ "verify-not-null-without-check", PGS_SEV_ERROR,
	  "SET NOT NULL or a primary key on an existing column before a validated IS NOT NULL check" },
	{ "verify-validate-before-backfill", PGS_SEV_ERROR,
	  "a check, foreign key or NOT NULL is validated before the backfill of its column" },
	{ "verify-concurrently-in-transaction", PGS_SEV_ERROR,
	  "a statement that refuses a transaction block (CONCURRENTLY, VACUUM, a DO that COMMITs) runs inside one" },
	{ "verify-lock-timeout", PGS_SEV_ERROR,
	  "a step takes ACCESS EXCLUSIVE on an existing table without a lock_timeout" },
	{ "verify-backfill-not-batched", PGS_SEV_ERROR,
	  "a data change over a whole existing table runs as one transaction, not in committed batches" },
	{ "verify-backfill-in-ddl-transaction", PGS_SEV_ERROR,
	  "a backfill shares its transaction with DDL" },
	{ "verify-depends-on", PGS_SEV_ERROR,
	  "a dependency names a missing or later step (a cycle, or an order that does not respect it)" },
	{ "verify-transaction", PGS_SEV_ERROR,
	  "the steps of one transaction group are not consecutive, or a step has no SQL" },
	{ "verify-not-online", PGS_SEV_WARNING,
	  "a step the plan marks as not online: it needs a maintenance window or an external tool" },
	{ "verify-not-modeled", PGS_SEV_WARNING,
	  "pgsafe cannot derive what a step locks, rewrites or reads" },
};

const struct verify_check *verify_checks(size_t *n)
{
	*n = sizeof(checks) / sizeof(checks[0]);
	return checks;
}

/* ---------------------------------------------------------------------
 * Facts gathered while replaying
 * ------------------------------------------------------------------- */

struct colref {
	const char *table;
	const char *column;
	bool not_null;       /* a validation that fails on NULL (SET NOT NULL, IS NOT NULL, key) */
};

struct facts {
	bool needs_no_txn;       /* some statement refuses a transaction block */
	const char *no_txn_what; /* which */
	bool do_commits;         /* a DO block COMMITs */
	size_t statements;       /* top-level statements in the SQL */
	bool ddl;                /* some statement changes the schema */
	bool sets_lock_timeout;
	bool bulk_dml;           /* UPDATE/DELETE reading a whole existing table */
	bool batched;            /* ... inside a DO loop that commits */
	const char *bulk_table;
	const char *not_null_issue;  /* SET NOT NULL / PRIMARY KEY without a validated check */
	struct colref *filled;       /* columns an UPDATE assigns */
	size_t n_filled, cap_filled;
	struct colref *validated;    /* columns a validation reads */
	size_t n_validated, cap_validated;
	struct colref *empty;        /* columns added without a value */
	size_t n_empty, cap_empty;
	const char **new_rels;       /* relations the step touched while they were new */
	size_t n_new, cap_new;
};

struct replay {
	struct plan *p;
	const struct verify_options *o;
	struct schema *s;
	struct arena scratch;
	struct facts *facts;         /* one per step */
	const char **files;          /* origin files in order of first appearance */
	size_t n_files, cap_files;
	bool nomem;
};

/* A DO block's statement, with where it sits. */
struct inner {
	const char *sql;
	bool in_committing_loop;
	bool dynamic;
};

struct inner_list {
	struct inner *items;
	size_t n, cap;
	bool commits;
	bool unsupported;
	const char *why;
};

static const char *pstr(struct replay *rp, const char *s)
{
	const char *r = arena_strdup(&rp->p->arena, s ? s : "");
	if (!r)
		rp->nomem = true;
	return r ? r : "";
}

static const char *pfmt(struct replay *rp, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *pfmt(struct replay *rp, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	const char *r = arena_vprintf(&rp->p->arena, f, ap);
	va_end(ap);
	if (!r)
		rp->nomem = true;
	return r ? r : "";
}

static void add_col(struct replay *rp, struct colref **items, size_t *n, size_t *cap,
		    const char *table, const char *column, bool not_null)
{
	struct colref c = { pstr(rp, table), pstr(rp, column), not_null };
	if (ARENA_PUSH(&rp->p->arena, *items, *n, *cap, c))
		rp->nomem = true;
}

/* ---------------------------------------------------------------------
 * DO blocks
 * ------------------------------------------------------------------- */

static void inner_add(struct replay *rp, struct inner_list *l, const char *sql, bool committing,
		      bool dynamic)
{
	struct inner in = { arena_strdup(&rp->scratch, sql), committing, dynamic };
	if (!in.sql || ARENA_PUSH(&rp->scratch, l->items, l->n, l->cap, in))
		rp->nomem = true;
}

static bool body_commits(json_t *v)
{
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x) {
			if (!strcmp(k, "PLpgSQL_stmt_commit"))
				return true;
			if (body_commits(x))
				return true;
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			if (body_commits(x))
				return true;
	}
	return false;
}

static const char *expr_query(json_t *expr)
{
	json_t *e = json_object_get(expr, "PLpgSQL_expr");
	json_t *q = e ? json_object_get(e, "query") : NULL;
	return json_is_string(q) ? json_string_value(q) : NULL;
}

/* Collects the statements of a PL/pgSQL tree, in order. */
static void walk_pl(struct replay *rp, struct inner_list *l, json_t *v, bool committing)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			walk_pl(rp, l, x, committing);
		return;
	}
	if (!json_is_object(v))
		return;
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x) {
		if (!strcmp(k, "PLpgSQL_stmt_execsql")) {
			const char *sql = expr_query(json_object_get(x, "sqlstmt"));
			if (sql)
				inner_add(rp, l, sql, committing, false);
		} else if (!strcmp(k, "PLpgSQL_stmt_perform")) {
			const char *sql = expr_query(json_object_get(x, "expr"));
			if (sql)
				inner_add(rp, l, sql, committing, false);
		} else if (!strcmp(k, "PLpgSQL_stmt_if")) {
			const char *cond = expr_query(json_object_get(x, "cond"));
			if (cond)
				inner_add(rp, l, arena_printf(&rp->scratch, "SELECT %s", cond), committing, false);
			walk_pl(rp, l, x, committing);
		} else if (!strcmp(k, "PLpgSQL_stmt_dynexecute") || !strcmp(k, "PLpgSQL_stmt_dynfors") ||
			   !strcmp(k, "PLpgSQL_stmt_open") || !strcmp(k, "PLpgSQL_stmt_call")) {
			inner_add(rp, l, "", committing, true);
		} else if (!strcmp(k, "PLpgSQL_stmt_commit") || !strcmp(k, "PLpgSQL_stmt_rollback")) {
			l->commits = true;
		} else if (!strcmp(k, "PLpgSQL_stmt_loop") || !strcmp(k, "PLpgSQL_stmt_while") ||
			   !strcmp(k, "PLpgSQL_stmt_fori") || !strcmp(k, "PLpgSQL_stmt_fors") ||
			   !strcmp(k, "PLpgSQL_stmt_foreach_a")) {
			const char *cond = expr_query(json_object_get(x, "cond"));
			if (cond)
				inner_add(rp, l, arena_printf(&rp->scratch, "SELECT %s", cond), committing, false);
			walk_pl(rp, l, json_object_get(x, "body"), committing || body_commits(json_object_get(x, "body")));
		} else if (!strcmp(k, "datums")) {
			continue;
		} else {
			walk_pl(rp, l, x, committing);
		}
	}
}

/* The statements inside a DO block (PL/pgSQL only). */
static void open_do(struct replay *rp, const PgQuery__DoStmt *ds, struct inner_list *l)
{
	const char *body = NULL, *lang = "plpgsql";
	for (size_t i = 0; i < ds->n_args; i++) {
		const PgQuery__Node *a = ds->args[i];
		if (!NODE(a, DEF_ELEM) || !a->def_elem->defname || !NODE(a->def_elem->arg, STRING))
			continue;
		if (!strcmp(a->def_elem->defname, "as"))
			body = a->def_elem->arg->string->sval;
		else if (!strcmp(a->def_elem->defname, "language"))
			lang = a->def_elem->arg->string->sval;
	}
	if (!body || strcasecmp(lang, "plpgsql")) {
		l->unsupported = true;
		l->why = "a DO block in a language other than PL/pgSQL";
		return;
	}
	const char *dq = dollar_quote(&rp->scratch, body);
	const char *fn = dq ? arena_printf(&rp->scratch,
		"CREATE FUNCTION pgsafe_do() RETURNS void LANGUAGE plpgsql AS %s", dq) : NULL;
	if (!fn) {
		rp->nomem = true;
		return;
	}
	PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(fn);
	if (r.error || !r.plpgsql_funcs) {
		l->unsupported = true;
		l->why = "a DO block whose PL/pgSQL does not parse";
		pg_query_free_plpgsql_parse_result(r);
		return;
	}
	json_t *root = json_loads(r.plpgsql_funcs, 0, NULL);
	pg_query_free_plpgsql_parse_result(r);
	if (!root) {
		l->unsupported = true;
		l->why = "a DO block pgsafe could not read";
		return;
	}
	walk_pl(rp, l, root, false);
	json_decref(root);
}

/* ---------------------------------------------------------------------
 * One statement of a step
 * ------------------------------------------------------------------- */

static bool is_existing(struct replay *rp, const char *rel)
{
	return rel && !schema_table_is_new(rp->s, rel);
}

static const struct sm_constraint *find_con(const struct sm_table *t, const char *name)
{
	for (size_t i = 0; t && name && i < t->n_constraints; i++)
		if (t->constraints[i].name && !strcmp(t->constraints[i].name, name))
			return &t->constraints[i];
	return NULL;
}

/* " a b " -> each column */
static void add_words(struct replay *rp, struct facts *f, const char *table, const char *words,
		      const char *not_null_words)
{
	const char *p = words;
	while (p && *p) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if (e > p) {
			const char *col = arena_strndup(&rp->scratch, p, (size_t)(e - p));
			const char *w = arena_printf(&rp->scratch, " %s ", col ? col : "");
			bool nn = not_null_words && w && strstr(not_null_words, w);
			add_col(rp, &f->validated, &f->n_validated, &f->cap_validated, table, col, nn);
		}
		p = e;
	}
}

/* What an ALTER TABLE subcommand validates or adds empty, and NOT NULL without a check. */
static void alter_facts(struct replay *rp, struct facts *f, const char *table,
			const PgQuery__AlterTableCmd *cmd)
{
	const struct sm_table *t = schema_table(rp->s, table);
	bool existing = is_existing(rp, table);
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull: {
		const struct sm_column *col = schema_column(t, cmd->name);
		add_col(rp, &f->validated, &f->n_validated, &f->cap_validated, table, cmd->name, true);
		if (existing && !(col && col->not_null) && !schema_has_validated_not_null_check(t, cmd->name))
			f->not_null_issue = pfmt(rp, "sets column \"%s\" of \"%s\" NOT NULL with no validated "
						 "CHECK (%s IS NOT NULL) before it, so it reads the whole "
						 "table under ACCESS EXCLUSIVE", cmd->name, table, cmd->name);
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint: {
		const struct sm_constraint *con = find_con(t, cmd->name);
		if (!con)
			break;
		if (con->kind == SM_CON_CHECK)
			add_words(rp, f, table, con->check_columns,
				  con->not_null_column ? pfmt(rp, " %s ", con->not_null_column) :
				  con->check_not_null);
		for (size_t i = 0; con->kind == SM_CON_FOREIGN && i < con->n_columns; i++)
			add_col(rp, &f->validated, &f->n_validated, &f->cap_validated, table,
				con->columns[i], false);
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse: {
		if (!NODE(cmd->def, CONSTRAINT))
			break;
		const PgQuery__Constraint *con = cmd->def->constraint;
		if (con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY && con->indexname && *con->indexname) {
			const char *iq = pfmt(rp, "%s.%s", quote_schemaname(&rp->scratch, table), con->indexname);
			const struct sm_index *ix = schema_index(rp->s, iq);
			for (size_t i = 0; ix && i < ix->n_columns; i++) {
				const struct sm_column *col = schema_column(t, ix->columns[i]);
				add_col(rp, &f->validated, &f->n_validated, &f->cap_validated, table,
					ix->columns[i], true);
				if (existing && !(col && col->not_null) &&
				    !schema_has_validated_not_null_check(t, ix->columns[i]))
					f->not_null_issue = pfmt(rp, "makes \"%s\" the primary key of \"%s\" while "
								 "column \"%s\" may be NULL and has no "
								 "validated IS NOT NULL check, so it reads "
								 "the whole table under ACCESS EXCLUSIVE",
								 con->indexname, table, ix->columns[i]);
			}
		}
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse: {
		if (!existing || !NODE(cmd->def, COLUMN_DEF))
			break;
		const PgQuery__ColumnDef *cd = cmd->def->column_def;
		/* a column added NOT NULL without a value fails on rows by itself: not "empty" */
		bool has_default = cd->raw_default != NULL || cd->is_not_null;
		for (size_t i = 0; i < cd->n_constraints; i++)
			if (NODE(cd->constraints[i], CONSTRAINT) &&
			    (cd->constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT ||
			     cd->constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY ||
			     cd->constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED ||
			     cd->constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL ||
			     cd->constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY))
				has_default = true;
		if (!has_default)
			add_col(rp, &f->empty, &f->n_empty, &f->cap_empty, table, cd->colname, false);
		break;
	}
	default:
		break;
	}
}

/* A validated CHECK or FOREIGN KEY added in one go reads its columns too. */
static void constraint_columns(struct replay *rp, struct facts *f, const char *table,
			       const PgQuery__AlterTableCmd *cmd)
{
	if ((cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint &&
	     cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse) ||
	    !NODE(cmd->def, CONSTRAINT) || cmd->def->constraint->skip_validation)
		return;
	const PgQuery__Constraint *con = cmd->def->constraint;
	/* the catalog after the statement knows the constraint's columns */
	const struct sm_table *t = schema_table(rp->s, table);
	for (size_t i = 0; t && i < t->n_constraints; i++) {
		const struct sm_constraint *sc = &t->constraints[i];
		if (!sc->name || !con->conname || strcmp(sc->name, con->conname))
			continue;
		if (sc->kind == SM_CON_CHECK)
			add_words(rp, f, table, sc->check_columns,
				  sc->not_null_column ? pfmt(rp, " %s ", sc->not_null_column) : sc->check_not_null);
		else if (sc->kind == SM_CON_FOREIGN)
			for (size_t k = 0; k < sc->n_columns; k++)
				add_col(rp, &f->validated, &f->n_validated, &f->cap_validated, table,
					sc->columns[k], false);
	}
}

static bool is_ddl(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_SELECT_STMT:
	case PG_QUERY__NODE__NODE_INSERT_STMT:
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
	case PG_QUERY__NODE__NODE_DELETE_STMT:
	case PG_QUERY__NODE__NODE_MERGE_STMT:
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
	case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
	case PG_QUERY__NODE__NODE_DO_STMT:
		return false;
	default:
		return true;
	}
}

static void merge_effects(struct replay *rp, struct plan_step *st, const struct effects *fx)
{
	struct arena *a = &rp->p->arena;
	for (size_t i = 0; i < fx->n_locks; i++) {
		const struct effect_lock *l = &fx->locks[i];
		/* the catalogs a guard reads are not the plan's business */
		if (!strncmp(l->relation, "pg_catalog.", 11))
			continue;
		bool found = false;
		for (size_t k = 0; k < st->n_locks; k++)
			if (!strcmp(st->locks[k].relation, l->relation)) {
				if (l->mode > st->locks[k].mode)
					st->locks[k].mode = l->mode;
				found = true;
			}
		if (found)
			continue;
		struct effect_lock c = *l;
		c.relation = pstr(rp, l->relation);
		size_t cap = st->n_locks;
		struct effect_lock *grown = arena_alloc(a, (st->n_locks + 1) * sizeof(*grown));
		if (!grown) {
			rp->nomem = true;
			return;
		}
		if (cap)
			memcpy(grown, st->locks, cap * sizeof(*grown));
		grown[st->n_locks++] = c;
		st->locks = grown;
	}
	const char *const *lists[2] = { fx->rewrites, fx->scans };
	size_t ns[2] = { fx->n_rewrites, fx->n_scans };
	const char ***outs[2] = { &st->rewrites, &st->scans };
	size_t *nouts[2] = { &st->n_rewrites, &st->n_scans };
	for (int w = 0; w < 2; w++) {
		for (size_t i = 0; i < ns[w]; i++) {
			bool found = false;
			for (size_t k = 0; k < *nouts[w]; k++)
				if (!strcmp((*outs[w])[k], lists[w][i]))
					found = true;
			if (found)
				continue;
			const char **grown = arena_alloc(a, (*nouts[w] + 1) * sizeof(char *));
			if (!grown) {
				rp->nomem = true;
				return;
			}
			if (*nouts[w])
				memcpy(grown, *outs[w], *nouts[w] * sizeof(char *));
			grown[(*nouts[w])++] = pstr(rp, lists[w][i]);
			*outs[w] = grown;
		}
	}
	if (!fx->modeled && st->modeled) {
		st->modeled = false;
		st->unmodeled_reason = pstr(rp, fx->unmodeled_reason ? fx->unmodeled_reason :
					    "effects not modeled");
	}
}

/* Analyzes one statement of a step: facts, effects, then the catalog. */
static void replay_stmt(struct replay *rp, struct plan_step *st, struct facts *f,
			const PgQuery__Node *n, bool in_do, bool committing)
{
	if (!n)
		return;
	if (is_ddl(n))
		f->ddl = true;
	if (NODE(n, VARIABLE_SET_STMT) && n->variable_set_stmt->name &&
	    !strcasecmp(n->variable_set_stmt->name, "lock_timeout") &&
	    n->variable_set_stmt->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE)
		f->sets_lock_timeout = true;
	if (NODE(n, ALTER_TABLE_STMT) && n->alter_table_stmt->relation) {
		const char *table = schema_qualify(rp->s, &rp->scratch, n->alter_table_stmt->relation);
		for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++)
			if (NODE(n->alter_table_stmt->cmds[i], ALTER_TABLE_CMD))
				alter_facts(rp, f, table, n->alter_table_stmt->cmds[i]->alter_table_cmd);
	}
	struct effects fx;
	struct effects_input in = { .schema = rp->s, .pg_version = rp->o->pg_version };
	if (effects_compute(&in, &rp->scratch, n, &fx)) {
		rp->nomem = true;
		return;
	}
	merge_effects(rp, st, &fx);
	/* newness as it stands now: a later step may drop or rename the table */
	const char *const *names[3] = { NULL, (const char *const *)fx.rewrites, (const char *const *)fx.scans };
	size_t counts[3] = { fx.n_locks, fx.n_rewrites, fx.n_scans };
	for (int w = 0; w < 3; w++)
		for (size_t k = 0; k < counts[w]; k++) {
			const char *rel = w ? names[w][k] : fx.locks[k].relation;
			if (!is_existing(rp, rel)) {
				const char *r = pstr(rp, rel);
				if (ARENA_PUSH(&rp->p->arena, f->new_rels, f->n_new, f->cap_new, r))
					rp->nomem = true;
			}
		}
	if (fx.needs_no_transaction) {
		f->needs_no_txn = true;
		f->no_txn_what = parse_node_kind(n);
	}
	if (NODE(n, UPDATE_STMT) || NODE(n, DELETE_STMT)) {
		const PgQuery__RangeVar *rv = NODE(n, UPDATE_STMT) ? n->update_stmt->relation :
			n->delete_stmt->relation;
		const char *table = schema_qualify(rp->s, &rp->scratch, rv);
		/* a statement of a committing loop is a batch; otherwise it reads all */
		if (effects_scans(&fx, table) && is_existing(rp, table) && !(in_do && committing)) {
			f->bulk_dml = true;
			f->bulk_table = pstr(rp, table);
		}
		if (in_do && committing && is_existing(rp, table))
			f->batched = true;
		for (size_t i = 0; NODE(n, UPDATE_STMT) && i < n->update_stmt->n_target_list; i++) {
			const PgQuery__Node *t = n->update_stmt->target_list[i];
			if (NODE(t, RES_TARGET) && t->res_target->name)
				add_col(rp, &f->filled, &f->n_filled, &f->cap_filled, table,
					t->res_target->name, false);
		}
	}
	if (schema_apply(rp->s, n, 0))
		rp->nomem = true;
	if (NODE(n, ALTER_TABLE_STMT) && n->alter_table_stmt->relation) {
		const char *table = schema_qualify(rp->s, &rp->scratch, n->alter_table_stmt->relation);
		for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++)
			if (NODE(n->alter_table_stmt->cmds[i], ALTER_TABLE_CMD))
				constraint_columns(rp, f, table, n->alter_table_stmt->cmds[i]->alter_table_cmd);
	}
}

/* Parses @sql and replays each statement (WITH ... UPDATE counts as an UPDATE). */
static void replay_sql(struct replay *rp, struct plan_step *st, struct facts *f, const char *sql,
		       bool in_do, bool committing, bool top)
{
	struct parsed_file pf;
	if (parse_sql(sql, &rp->scratch, &pf)) {
		rp->nomem = true;
		return;
	}
	if (top)
		f->statements += pf.n;
	for (size_t i = 0; i < pf.n; i++) {
		const struct stmt *s = &pf.stmts[i];
		if (s->status != STMT_PARSED) {
			if (st->modeled) {
				st->modeled = false;
				st->unmodeled_reason = s->status == STMT_META ?
					"psql meta-command in the step's SQL" :
					pfmt(rp, "the step's SQL does not parse: %s", s->error ? s->error : "");
			}
			continue;
		}
		const PgQuery__Node *n = s->node;
		if (NODE(n, DO_STMT)) {
			struct inner_list l = { 0 };
			open_do(rp, n->do_stmt, &l);
			if (l.commits)
				f->do_commits = true;
			if (l.unsupported) {
				if (st->modeled) {
					st->modeled = false;
					st->unmodeled_reason = pstr(rp, l.why);
				}
				continue;
			}
			for (size_t k = 0; k < l.n; k++) {
				if (l.items[k].dynamic) {
					if (st->modeled) {
						st->modeled = false;
						st->unmodeled_reason = "dynamic SQL (EXECUTE) in a DO block";
					}
					continue;
				}
				replay_sql(rp, st, f, l.items[k].sql, true, l.items[k].in_committing_loop, false);
			}
			continue;
		}
		/* the data-changing statement of a WITH is what runs */
		const PgQuery__Node *target = n;
		if (NODE(n, SELECT_STMT) && n->select_stmt->with_clause) {
			const PgQuery__WithClause *w = n->select_stmt->with_clause;
			/*
			 * The effects model reads a SELECT's WITH without its UPDATE or
			 * DELETE: each is analyzed on its own, with the WITH attached so
			 * that its references to the other CTEs are not taken for tables.
			 */
			for (size_t k = 0; k < w->n_ctes; k++) {
				const PgQuery__Node *cte = w->ctes[k];
				if (!NODE(cte, COMMON_TABLE_EXPR))
					continue;
				const PgQuery__Node *q = cte->common_table_expr->ctequery;
				PgQuery__Node *copy = arena_alloc(&rp->scratch, sizeof(*copy));
				if (!copy) {
					rp->nomem = true;
					return;
				}
				*copy = *q;
				if (NODE(q, UPDATE_STMT)) {
					PgQuery__UpdateStmt *u = arena_alloc(&rp->scratch, sizeof(*u));
					if (!u) {
						rp->nomem = true;
						return;
					}
					*u = *q->update_stmt;
					u->with_clause = (PgQuery__WithClause *)w;
					copy->update_stmt = u;
				} else if (NODE(q, DELETE_STMT)) {
					PgQuery__DeleteStmt *d = arena_alloc(&rp->scratch, sizeof(*d));
					if (!d) {
						rp->nomem = true;
						return;
					}
					*d = *q->delete_stmt;
					d->with_clause = (PgQuery__WithClause *)w;
					copy->delete_stmt = d;
				} else {
					continue;
				}
				replay_stmt(rp, st, f, copy, in_do, committing);
			}
		}
		replay_stmt(rp, st, f, target, in_do, committing);
	}
}

static int file_number(struct replay *rp, const struct plan_step *st)
{
	const char *file = st->origin && st->origin->file ? st->origin->file : "";
	for (size_t i = 0; i < rp->n_files; i++)
		if (!strcmp(rp->files[i], file))
			return (int)i;
	if (ARENA_PUSH(&rp->p->arena, rp->files, rp->n_files, rp->cap_files, file))
		rp->nomem = true;
	return (int)rp->n_files - 1;
}

static void reset_effects(struct plan_step *st)
{
	st->locks = NULL;
	st->n_locks = 0;
	st->locks_existing = false;
	st->rewrites = st->scans = NULL;
	st->n_rewrites = st->n_scans = 0;
	st->modeled = true;
	st->unmodeled_reason = NULL;
}

static bool existing_for(struct replay *rp, size_t i, const char *table);

static int replay_all(struct replay *rp)
{
	struct plan *p = rp->p;
	rp->facts = arena_alloc(&p->arena, (p->n_steps ? p->n_steps : 1) * sizeof(*rp->facts));
	if (!rp->facts)
		return PGS_ERR_NOMEM;
	arena_init(&rp->scratch);
	int file = -1;
	for (size_t i = 0; i < p->n_steps && !rp->nomem; i++) {
		struct plan_step *st = p->steps[i];
		reset_effects(st);
		if (st->kind == PLAN_STEP_CHECKPOINT || !st->sql)
			continue;
		arena_reset(&rp->scratch);
		/* a new file is a new session, as lint replays it (search_path and all) */
		int f = rp->o->seed_files + file_number(rp, st);
		if (f != file)
			schema_begin_file(rp->s, f);
		file = f;
		replay_sql(rp, st, &rp->facts[i], st->sql, false, false, true);
		/*
		 * A step whose SQL is exactly one batch of its batch description
		 * (before PostgreSQL 11, where a DO block cannot COMMIT): the runner
		 * repeats it, a transaction each.
		 */
		if (st->has_batch && ((st->batch.sql && !strcmp(st->sql, st->batch.sql)) ||
				      (st->batch.first_sql && !strcmp(st->sql, st->batch.first_sql))))
			rp->facts[i].batched = true;
		for (size_t k = 0; k < st->n_locks && !st->locks_existing; k++)
			st->locks_existing = existing_for(rp, i, st->locks[k].relation);
	}
	arena_release(&rp->scratch);
	return rp->nomem || p->arena.failed ? PGS_ERR_NOMEM : PGS_OK;
}

int plan_derive(struct plan *p, const struct verify_options *o)
{
	struct replay rp = { .p = p, .o = o, .s = o->seed };
	return replay_all(&rp);
}

/* ---------------------------------------------------------------------
 * The checks
 * ------------------------------------------------------------------- */

static void finding(struct replay *rp, struct verify_result *out, const struct plan_step *st,
		    const char *check, enum pgs_severity sev, const char *msg)
{
	struct verify_finding f = { st ? st->id : 0, sev, check, msg };
	if (ARENA_PUSH(&rp->p->arena, out->items, out->n, out->cap, f))
		rp->nomem = true;
	if (sev == PGS_SEV_ERROR)
		out->errors++;
	else if (sev == PGS_SEV_WARNING)
		out->warnings++;
}

static bool blocks_app(enum pgs_lock_mode m)
{
	return pgs_lock_blocks_reads(m) || pgs_lock_blocks_writes(m);
}

static bool same_group(const struct plan_step *a, const struct plan_step *b)
{
	if (a->txn != PLAN_TXN_GROUP || b->txn != PLAN_TXN_GROUP)
		return false;
	if (a->group_name || b->group_name)
		return a->group_name && b->group_name && !strcmp(a->group_name, b->group_name);
	return a->group == b->group;
}

/* The strongest lock blocking the application that @st holds, with its group before it. */
static const struct effect_lock *held_blocking(struct replay *rp, size_t i)
{
	const struct plan *p = rp->p;
	const struct effect_lock *best = NULL;
	for (size_t k = 0; k <= i; k++) {
		const struct plan_step *o = p->steps[k];
		if (k != i && !same_group(o, p->steps[i]))
			continue;
		for (size_t j = 0; j < o->n_locks; j++)
			if (blocks_app(o->locks[j].mode) && existing_for(rp, k, o->locks[j].relation) &&
			    (!best || o->locks[j].mode > best->mode))
				best = &o->locks[j];
	}
	return best;
}

/*
 * Whether @table is existing for step @i. The replay is over, so the
 * catalog says which tables were created by the plan; a table created
 * by a step of the same origin file as @i is new for it.
 */
static bool existing_for(struct replay *rp, size_t i, const char *table)
{
	const struct facts *f = &rp->facts[i];
	for (size_t k = 0; k < f->n_new; k++)
		if (!strcmp(f->new_rels[k], table))
			return false;
	return true;
}

static void check_locks(struct replay *rp, struct verify_result *out, size_t i)
{
	const struct plan_step *st = rp->p->steps[i];
	const struct facts *f = &rp->facts[i];
	const char *heavy = NULL;
	bool rewrite = false;
	for (size_t k = 0; k < st->n_rewrites && !heavy; k++)
		if (existing_for(rp, i, st->rewrites[k])) {
			heavy = st->rewrites[k];
			rewrite = true;
		}
	for (size_t k = 0; k < st->n_scans && !heavy; k++)
		if (existing_for(rp, i, st->scans[k]))
			heavy = st->scans[k];
	const struct effect_lock *lk = heavy ? held_blocking(rp, i) : NULL;
	if (heavy && lk && st->online) {
		if (f->not_null_issue)
			finding(rp, out, st, "verify-not-null-without-check", PGS_SEV_ERROR,
				pfmt(rp, "step %d %s", st->id, f->not_null_issue));
		else
			finding(rp, out, st, "verify-lock-while-scanning", PGS_SEV_ERROR,
				pfmt(rp, "step %d holds %s on \"%s\", which blocks %s, while it %s \"%s\"",
				     st->id, pgs_lock_mode_sql(lk->mode), lk->relation,
				     pgs_lock_blocks_text(lk->mode), rewrite ? "rewrites" : "reads all of", heavy));
	} else if (f->not_null_issue && st->online && rp->o->pg_version >= 12) {
		finding(rp, out, st, "verify-not-null-without-check", PGS_SEV_ERROR,
			pfmt(rp, "step %d %s", st->id, f->not_null_issue));
	}
	/* ACCESS EXCLUSIVE waits in the lock queue, and everything after it waits too */
	for (size_t k = 0; k < st->n_locks; k++) {
		const struct effect_lock *l = &st->locks[k];
		if (l->mode != PGS_LOCK_ACCESS_EXCLUSIVE || !existing_for(rp, i, l->relation))
			continue;
		if (st->lock_timeout_ms <= 0 && !f->sets_lock_timeout)
			finding(rp, out, st, "verify-lock-timeout", PGS_SEV_ERROR,
				pfmt(rp, "step %d takes ACCESS EXCLUSIVE on \"%s\" with no lock_timeout: "
				     "while it waits behind a long query, every query on the table "
				     "queues behind it", st->id, l->relation));
		break;
	}
}

static void check_transaction(struct replay *rp, struct verify_result *out, size_t i)
{
	const struct plan *p = rp->p;
	const struct plan_step *st = p->steps[i];
	const struct facts *f = &rp->facts[i];
	const char *txn = plan_txn_name(&rp->p->arena, st);
	if (f->needs_no_txn && st->txn != PLAN_TXN_NONE)
		finding(rp, out, st, "verify-concurrently-in-transaction", PGS_SEV_ERROR,
			pfmt(rp, "step %d runs %s, which refuses a transaction block, in transaction "
			     "\"%s\"; it needs \"transaction\": \"none\"", st->id, f->no_txn_what, txn));
	else if (f->do_commits && st->txn != PLAN_TXN_NONE)
		finding(rp, out, st, "verify-concurrently-in-transaction", PGS_SEV_ERROR,
			pfmt(rp, "step %d is a DO block that COMMITs, which PostgreSQL refuses inside a "
			     "transaction block (transaction \"%s\"); it needs \"transaction\": \"none\"",
			     st->id, txn));
	else if (f->needs_no_txn && f->statements > 1)
		finding(rp, out, st, "verify-concurrently-in-transaction", PGS_SEV_ERROR,
			pfmt(rp, "step %d sends %s with other statements in one string, which PostgreSQL "
			     "runs as one implicit transaction: give it a step of its own", st->id,
			     f->no_txn_what));
	if (st->kind != PLAN_STEP_CHECKPOINT && !st->sql)
		finding(rp, out, st, "verify-transaction", PGS_SEV_ERROR,
			pfmt(rp, "step %d has no SQL", st->id));
	/* a group must be one stretch of consecutive steps */
	if (st->txn == PLAN_TXN_GROUP && i > 0 && !same_group(p->steps[i - 1], st))
		for (size_t k = 0; k + 1 < i; k++)
			if (same_group(p->steps[k], st)) {
				finding(rp, out, st, "verify-transaction", PGS_SEV_ERROR,
					pfmt(rp, "step %d belongs to transaction \"%s\", but step %d of the "
					     "same transaction comes earlier with other steps between",
					     st->id, txn, p->steps[k]->id));
				break;
			}
}

static void check_backfill(struct replay *rp, struct verify_result *out, size_t i)
{
	const struct plan *p = rp->p;
	const struct plan_step *st = p->steps[i];
	const struct facts *f = &rp->facts[i];
	if (f->bulk_dml && !f->batched && st->online)
		finding(rp, out, st, "verify-backfill-not-batched", PGS_SEV_ERROR,
			pfmt(rp, "step %d changes every matching row of \"%s\" in one transaction: its row "
			     "locks and its WAL grow with the table; loop over batches that each commit",
			     st->id, f->bulk_table));
	if (!(f->bulk_dml || f->batched))
		return;
	bool ddl = f->ddl;
	for (size_t k = 0; k < p->n_steps && !ddl; k++)
		if (k != i && same_group(p->steps[k], st) && rp->facts[k].ddl)
			ddl = true;
	if (ddl)
		finding(rp, out, st, "verify-backfill-in-ddl-transaction", PGS_SEV_ERROR,
			pfmt(rp, "step %d backfills \"%s\" in the same transaction as DDL, which holds the "
			     "DDL's locks for the whole backfill", st->id,
			     f->bulk_table ? f->bulk_table : "a table"));
}

static bool col_eq(const struct colref *a, const struct colref *b)
{
	return !strcmp(a->table, b->table) && !strcmp(a->column, b->column);
}

static void check_order(struct replay *rp, struct verify_result *out, size_t i)
{
	const struct plan *p = rp->p;
	const struct plan_step *st = p->steps[i];
	const struct facts *f = &rp->facts[i];
	int file = file_number(rp, st);
	for (size_t v = 0; v < f->n_validated; v++) {
		const struct colref *c = &f->validated[v];
		bool reported = false;
		/* a table this migration created holds only what it put there */
		if (!existing_for(rp, i, c->table))
			continue;
		/* a later migration file may change rows the constraint already checks */
		for (size_t j = i + 1; j < p->n_steps && !reported; j++)
			for (size_t k = 0; file_number(rp, p->steps[j]) == file &&
			     k < rp->facts[j].n_filled && !reported; k++)
				if (col_eq(c, &rp->facts[j].filled[k])) {
					finding(rp, out, st, "verify-validate-before-backfill", PGS_SEV_ERROR,
						pfmt(rp, "step %d validates column \"%s\" of \"%s\" before step "
						     "%d backfills it", st->id, c->column, c->table,
						     p->steps[j]->id));
					reported = true;
				}
		if (reported || !c->not_null)
			continue;
		/* a column added empty, proved NOT NULL with no backfill in between */
		for (size_t j = 0; j < i && !reported; j++)
			for (size_t k = 0; k < rp->facts[j].n_empty && !reported; k++) {
				if (!col_eq(c, &rp->facts[j].empty[k]))
					continue;
				bool filled = false;
				for (size_t m = j + 1; m < i && !filled; m++)
					for (size_t x = 0; x < rp->facts[m].n_filled; x++)
						if (col_eq(c, &rp->facts[m].filled[x]))
							filled = true;
				/* no backfill at all: the plan fails on rows rather than blocking them */
				if (!filled) {
					finding(rp, out, st, "verify-validate-before-backfill", PGS_SEV_WARNING,
						pfmt(rp, "step %d requires column \"%s\" of \"%s\" to be NOT NULL, "
						     "but step %d added it without a value and no step "
						     "between them fills it", st->id, c->column, c->table,
						     p->steps[j]->id));
					reported = true;
				}
			}
	}
}

static void check_depends(struct replay *rp, struct verify_result *out, size_t i)
{
	const struct plan *p = rp->p;
	const struct plan_step *st = p->steps[i];
	for (size_t d = 0; d < st->n_depends_on; d++) {
		int dep = st->depends_on[d];
		long at = -1;
		for (size_t k = 0; k < p->n_steps && at < 0; k++)
			if (p->steps[k]->id == dep)
				at = (long)k;
		if (at < 0)
			finding(rp, out, st, "verify-depends-on", PGS_SEV_ERROR,
				pfmt(rp, "step %d depends on step %d, which does not exist", st->id, dep));
		else if (at == (long)i)
			finding(rp, out, st, "verify-depends-on", PGS_SEV_ERROR,
				pfmt(rp, "step %d depends on itself", st->id));
		else if (at > (long)i)
			finding(rp, out, st, "verify-depends-on", PGS_SEV_ERROR,
				pfmt(rp, "step %d depends on step %d, which comes after it (the order does "
				     "not respect the dependency%s)", st->id, dep,
				     "; a dependency cycle shows up this way too"));
	}
	for (size_t k = 0; k < i; k++)
		if (p->steps[k]->id == st->id)
			finding(rp, out, st, "verify-depends-on", PGS_SEV_ERROR,
				pfmt(rp, "step id %d is used twice", st->id));
}

int plan_verify(struct plan *p, const struct verify_options *o, struct verify_result *out)
{
	memset(out, 0, sizeof(*out));
	struct replay rp = { .p = p, .o = o, .s = o->seed };
	int rc = replay_all(&rp);
	if (rc)
		return rc;
	for (size_t i = 0; i < p->n_steps && !rp.nomem; i++) {
		const struct plan_step *st = p->steps[i];
		check_depends(&rp, out, i);
		if (st->kind == PLAN_STEP_CHECKPOINT)
			continue;
		check_transaction(&rp, out, i);
		check_locks(&rp, out, i);
		check_backfill(&rp, out, i);
		check_order(&rp, out, i);
		if (!st->online)
			finding(&rp, out, st, "verify-not-online", PGS_SEV_WARNING,
				pfmt(&rp, "step %d is not online: %s%s%s", st->id,
				     st->reason ? st->reason : "no reason given",
				     st->needs ? "; it needs " : "", st->needs ? st->needs : ""));
		if (!st->modeled)
			finding(&rp, out, st, "verify-not-modeled", PGS_SEV_WARNING,
				pfmt(&rp, "step %d: pgsafe cannot derive its effects (%s)", st->id,
				     st->unmodeled_reason ? st->unmodeled_reason : "not modeled"));
	}
	return rp.nomem || p->arena.failed ? PGS_ERR_NOMEM : PGS_OK;
}
