/*
 * lockmodel.c - the effects model (lockmodel.h).
 *
 * Sources, all PostgreSQL 15 unless a version is named:
 *   src/backend/commands/tablecmds.c  AlterTableGetLockLevel, ATExecAddColumn,
 *       ATColumnChangeRequiresRewrite, ATExecSetNotNull / NotNullImpliedByRelConstraints
 *       (PG 12+), ATExecAttachPartition, RemoveRelations, ExecuteTruncate
 *   src/backend/commands/indexcmds.c  DefineIndex, ReindexIndex, ReindexRelationConcurrently
 *   src/backend/catalog/heap.c / pg_constraint.c  RemoveConstraintById
 *   src/backend/commands/typecmds.c   AlterDomainAddConstraint, validateDomainConstraint
 *   src/backend/tcop/utility.c        PreventInTransactionBlock callers
 *   docs: "Explicit Locking" (13.3), ALTER TABLE Notes, CREATE INDEX CONCURRENTLY
 * Every fact here is checked against a running PostgreSQL 15 by
 * tests/pg_effects.c over testdata/effects/.
 */
#include "lockmodel.h"

#include "parse.h"
#include "walk.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NODE(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

struct ctx {
	const struct effects_input *in;
	struct arena *a;
	struct effects *e;
	const struct schema *s;
	int pg;
	const PgQuery__Node *stmt;  /* for CTE names, which any part may reference */
	bool missing_ok;            /* IF EXISTS: an unknown relation may not exist */
};

/* ---------------------------------------------------------------------
 * Recording
 * ------------------------------------------------------------------- */

static char relkind_of(const struct ctx *c, const char *rel)
{
	const struct sm_table *t = schema_table(c->s, rel);
	if (t)
		return t->relkind;
	if (schema_index(c->s, rel))
		return 'i';
	return '?';
}

static void add_lock_kind(struct ctx *c, const char *rel, enum pgs_lock_mode mode, char relkind)
{
	if (!rel || mode == PGS_LOCK_NONE)
		return;
	/* IF EXISTS on a relation the catalog has never seen: locked only if it exists */
	if (c->missing_ok && relkind == '?')
		relkind = 'e';
	for (size_t i = 0; i < c->e->n_locks; i++) {
		if (!strcmp(c->e->locks[i].relation, rel)) {
			if (mode > c->e->locks[i].mode)
				c->e->locks[i].mode = mode;
			return;
		}
	}
	struct effect_lock l = { rel, relkind, mode };
	ARENA_PUSH(c->a, c->e->locks, c->e->n_locks, c->e->cap_locks, l);
}

static void add_lock(struct ctx *c, const char *rel, enum pgs_lock_mode mode)
{
	add_lock_kind(c, rel, mode, relkind_of(c, rel));
}

static void add_name(struct ctx *c, const char ***items, size_t *n, size_t *cap, const char *rel)
{
	if (!rel)
		return;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*items)[i], rel))
			return;
	if (!arena_array_reserve(c->a, (void **)items, sizeof(char *), cap, *n + 1))
		(*items)[(*n)++] = rel;
}

static void note(struct ctx *c, enum effect_cause cause, const char *rel, const char *col,
		 int32_t location, const char *detail)
{
	struct effect_note n = { cause, rel, col, c->in->stmt_start, detail };
	if (location >= 0)
		n.offset = c->in->loc_base + (size_t)location;
	ARENA_PUSH(c->a, c->e->notes, c->e->n_notes, c->e->cap_notes, n);
}

/* A rewrite reads every row, so a rewritten table is scanned too. */
static void rewrite(struct ctx *c, const char *rel, enum effect_cause cause, const char *col,
		    int32_t location, const char *detail)
{
	add_name(c, &c->e->rewrites, &c->e->n_rewrites, &c->e->cap_rewrites, rel);
	add_name(c, &c->e->scans, &c->e->n_scans, &c->e->cap_scans, rel);
	note(c, cause, rel, col, location, detail);
}

static void scan(struct ctx *c, const char *rel, enum effect_cause cause, const char *col,
		 int32_t location, const char *detail)
{
	add_name(c, &c->e->scans, &c->e->n_scans, &c->e->cap_scans, rel);
	note(c, cause, rel, col, location, detail);
}

static void unmodeled(struct ctx *c, const char *why)
{
	c->e->modeled = false;
	if (!c->e->unmodeled_reason)
		c->e->unmodeled_reason = why;
}

static const char *qualify(struct ctx *c, const PgQuery__RangeVar *rv)
{
	return schema_qualify(c->s, c->a, rv);
}

/* PostgreSQL allows no cycles; a migration that tries one fails, so cap the depth. */
#define MAX_PARTITION_DEPTH 32

static void partitions_below(struct ctx *c, const char *parent, enum pgs_lock_mode mode, bool scans,
			     int depth)
{
	if (depth > MAX_PARTITION_DEPTH)
		return;
	for (size_t i = 0; i < c->s->n_tables; i++) {
		const struct sm_table *t = c->s->tables[i];
		if (t->parent && !strcmp(t->parent, parent) && strcmp(t->name, parent)) {
			add_lock(c, t->name, mode);
			if (scans)
				scan(c, t->name, CAUSE_INDEX_BUILD, NULL, -1, NULL);
			partitions_below(c, t->name, mode, scans, depth + 1);
		}
	}
}

static void partitions_of(struct ctx *c, const char *parent, enum pgs_lock_mode mode, bool scans)
{
	partitions_below(c, parent, mode, scans, 0);
}

static bool has_index_up(const struct ctx *c, const char *rel);

/* The leaf partitions below @parent that have an index are read to rebuild it. */
static void scan_indexed_leaves(struct ctx *c, const char *parent, int depth)
{
	for (size_t i = 0; i < c->s->n_tables && depth < MAX_PARTITION_DEPTH; i++) {
		const struct sm_table *t = c->s->tables[i];
		if (!t->parent || t->inherits || strcmp(t->parent, parent) || !strcmp(t->name, parent))
			continue;
		if (t->relkind == 'p')
			scan_indexed_leaves(c, t->name, depth + 1);
		else if (has_index_up(c, t->name))
			scan(c, t->name, CAUSE_INDEX_BUILD, NULL, -1, NULL);
	}
}

static bool is_partitioned(const struct ctx *c, const char *rel)
{
	const struct sm_table *t = schema_table(c->s, rel);
	return t && t->relkind == 'p';
}

/* Whether @rel or a table it is a partition of has an index (they cascade). */
static bool has_index_up(const struct ctx *c, const char *rel)
{
	for (int depth = 0; rel && depth < MAX_PARTITION_DEPTH; depth++) {
		if (schema_table_has_index(c->s, rel))
			return true;
		const struct sm_table *t = schema_table(c->s, rel);
		rel = t && !t->inherits ? t->parent : NULL;
	}
	return false;
}

/* ---------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------- */

enum pgs_lock_mode effects_lock_on(const struct effects *e, const char *rel)
{
	for (size_t i = 0; i < e->n_locks; i++)
		if (!strcmp(e->locks[i].relation, rel))
			return e->locks[i].mode;
	return PGS_LOCK_NONE;
}

enum pgs_lock_mode effects_strongest(const struct effects *e)
{
	enum pgs_lock_mode m = PGS_LOCK_NONE;
	for (size_t i = 0; i < e->n_locks; i++)
		if (e->locks[i].mode > m)
			m = e->locks[i].mode;
	return m;
}

static bool in_list(const char *const *items, size_t n, const char *rel)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(items[i], rel))
			return true;
	return false;
}

bool effects_rewrites(const struct effects *e, const char *rel)
{
	return in_list(e->rewrites, e->n_rewrites, rel);
}

bool effects_scans(const struct effects *e, const char *rel)
{
	return in_list(e->scans, e->n_scans, rel);
}

const struct effect_note *effects_find(const struct effects *e, enum effect_cause cause)
{
	for (size_t i = 0; i < e->n_notes; i++)
		if (e->notes[i].cause == cause)
			return &e->notes[i];
	return NULL;
}

const char *effects_cause_text(enum effect_cause cause)
{
	switch (cause) {
	case CAUSE_VOLATILE_DEFAULT: return "a volatile default";
	case CAUSE_DEFAULT_BEFORE_PG11: return "a default (PostgreSQL 10 rewrites for any default)";
	case CAUSE_GENERATED_STORED: return "a stored generated column";
	case CAUSE_IDENTITY_COLUMN: return "an identity column";
	case CAUSE_SERIAL_COLUMN: return "a serial column";
	case CAUSE_DOMAIN_WITH_CONSTRAINT: return "a domain type with constraints";
	case CAUSE_TYPE_CHANGE: return "a column type change";
	case CAUSE_SET_LOGGED: return "SET LOGGED / UNLOGGED";
	case CAUSE_SET_TABLESPACE: return "SET TABLESPACE";
	case CAUSE_SET_ACCESS_METHOD: return "SET ACCESS METHOD";
	case CAUSE_VACUUM_FULL: return "VACUUM FULL";
	case CAUSE_CLUSTER: return "CLUSTER";
	case CAUSE_SET_NOT_NULL: return "SET NOT NULL checking every row";
	case CAUSE_ADD_NOT_NULL_COLUMN: return "a NOT NULL column without a default";
	case CAUSE_CHECK_VALIDATION: return "validating a CHECK constraint";
	case CAUSE_FK_VALIDATION: return "validating a foreign key";
	case CAUSE_VALIDATE_CONSTRAINT: return "VALIDATE CONSTRAINT";
	case CAUSE_INDEX_BUILD: return "building an index";
	case CAUSE_ATTACH_PARTITION: return "checking the partition's rows against its bound";
	case CAUSE_DEFAULT_PARTITION: return "checking the default partition's rows";
	case CAUSE_DOMAIN_VALIDATION: return "checking every column of the domain";
	case CAUSE_ALL_ROWS: return "touching every row";
	case CAUSE_QUERY_READ: return "reading the table";
	case CAUSE_REFRESH_MATVIEW: return "recomputing the materialized view";
	case CAUSE_INDEX_REBUILD: return "rebuilding the column's indexes";
	case CAUSE_TYPE_CHANGE_UNKNOWN: return "a column type change from an unknown type";
	case CAUSE_FK_REFERENCED: return "the foreign key's referenced table";
	case CAUSE_CASCADE: return "CASCADE";
	}
	return "?";
}

/* ---------------------------------------------------------------------
 * Expression volatility
 * ------------------------------------------------------------------- */

struct volatility_entry {
	const char *name;
	char volatility;
};

static const struct volatility_entry builtin_volatility[] = {
#include "volatility_data.h"
};

/* Functions of common extensions used as column defaults. */
static const struct volatility_entry extension_volatility[] = {
	{ "gen_random_bytes", 'v' },   /* pgcrypto */
	{ "uuid_generate_v1", 'v' },   /* uuid-ossp */
	{ "uuid_generate_v1mc", 'v' },
	{ "uuid_generate_v3", 'i' },
	{ "uuid_generate_v4", 'v' },
	{ "uuid_generate_v5", 'i' },
	{ "uuid_nil", 'i' },
	{ "uuidv4", 'v' },              /* PostgreSQL 18 */
	{ "uuidv7", 'v' },
};

static int cmp_volatility(const void *k, const void *e)
{
	return strcmp(k, ((const struct volatility_entry *)e)->name);
}

static char function_volatility(const char *schema_name, const char *name)
{
	const struct volatility_entry *v;
	if (schema_name && strcmp(schema_name, "pg_catalog"))
		return 'v';
	v = bsearch(name, builtin_volatility, sizeof(builtin_volatility) / sizeof(builtin_volatility[0]),
		    sizeof(builtin_volatility[0]), cmp_volatility);
	if (v)
		return v->volatility;
	for (size_t i = 0; i < sizeof(extension_volatility) / sizeof(extension_volatility[0]); i++)
		if (!strcmp(extension_volatility[i].name, name))
			return extension_volatility[i].volatility;
	return 'v';
}

struct vol_walk {
	char worst;
	const char *culprit;
};

static bool vol_visit(const PgQuery__Node *n, void *p)
{
	struct vol_walk *w = p;
	if (NODE(n, FUNC_CALL)) {
		const PgQuery__FuncCall *f = n->func_call;
		const char *name = f->n_funcname ? node_string(f->funcname[f->n_funcname - 1]) : NULL;
		const char *sch = f->n_funcname >= 2 ? node_string(f->funcname[f->n_funcname - 2]) : NULL;
		if (name) {
			char v = function_volatility(sch, name);
			if ((v == 'v' && w->worst != 'v') || (v == 's' && w->worst == 'i')) {
				w->worst = v;
				w->culprit = name;
			}
		}
	} else if (NODE(n, SUB_LINK)) {
		/* not allowed in defaults; treat as unknown */
		w->worst = 'v';
		w->culprit = "a subquery";
	}
	return true;
}

char effects_expr_volatility(const PgQuery__Node *expr, const char **culprit)
{
	struct vol_walk w = { 'i', NULL };
	if (expr)
		WALK_NODE(expr, vol_visit, &w);
	if (culprit)
		*culprit = w.culprit;
	return w.worst;
}

/* ---------------------------------------------------------------------
 * Type changes (ATColumnChangeRequiresRewrite and the types' support
 * functions: varchar_support, numeric_support, timestamp_support, ...)
 * ------------------------------------------------------------------- */

static bool is_type(const struct sm_type *t, const char *name)
{
	return !t->schema && !strcmp(t->name, name);
}

/* A length/precision change that the type's support function calls a no-op. */
static bool typmod_widening(const struct sm_type *from, const struct sm_type *to)
{
	if (to->n_typmods == 0)
		return true;              /* dropping the limit */
	if (from->n_typmods <= 0 || to->n_typmods < 0)
		return false;
	return to->typmods[0] >= from->typmods[0];
}

enum type_change effects_type_change(const struct sm_type *from, const struct sm_type *to,
				     int pg, bool tz_utc)
{
	if (from->array_dims != to->array_dims)
		return TYPE_CHANGE_REWRITE;
	bool same_name = !strcmp(from->name, to->name) &&
		((!from->schema && !to->schema) || (from->schema && to->schema && !strcmp(from->schema, to->schema)));
	if (same_name) {
		bool same_mods = from->n_typmods == to->n_typmods &&
			(from->n_typmods <= 0 ||
			 !memcmp(from->typmods, to->typmods, sizeof(int32_t) * (size_t)from->n_typmods));
		if (same_mods)
			return TYPE_CHANGE_FREE;
		if (is_type(from, "varchar") || is_type(from, "varbit"))
			return typmod_widening(from, to) ? TYPE_CHANGE_FREE : TYPE_CHANGE_REWRITE;
		if (is_type(from, "numeric")) {
			if (to->n_typmods == 0)
				return TYPE_CHANGE_FREE;
			if (from->n_typmods <= 0 || to->n_typmods < 0)
				return TYPE_CHANGE_REWRITE;
			int32_t fs = from->n_typmods == 2 ? from->typmods[1] : 0;
			int32_t ts = to->n_typmods == 2 ? to->typmods[1] : 0;
			return fs == ts && to->typmods[0] >= from->typmods[0] ? TYPE_CHANGE_FREE :
				TYPE_CHANGE_REWRITE;
		}
		if (is_type(from, "timestamp") || is_type(from, "timestamptz") ||
		    is_type(from, "time") || is_type(from, "timetz") || is_type(from, "interval"))
			return typmod_widening(from, to) ? TYPE_CHANGE_FREE : TYPE_CHANGE_REWRITE;
		return TYPE_CHANGE_REWRITE;
	}
	/* binary-coercible casts (pg_cast.castmethod = 'b') without a length check */
	if ((is_type(from, "varchar") && is_type(to, "text")) ||
	    (is_type(from, "text") && is_type(to, "varchar") && to->n_typmods == 0) ||
	    (is_type(from, "varchar") && is_type(to, "varchar")) ||
	    (is_type(from, "cidr") && is_type(to, "inet")) ||
	    (is_type(from, "xml") && is_type(to, "text")) ||
	    (is_type(from, "xml") && is_type(to, "varchar") && to->n_typmods == 0))
		return TYPE_CHANGE_FREE;
	/*
	 * timestamp <-> timestamptz needs no rewrite from PostgreSQL 12 when the
	 * session time zone is UTC, but the column's indexes are rebuilt.
	 */
	if (pg >= 12 && tz_utc &&
	    ((is_type(from, "timestamp") && is_type(to, "timestamptz")) ||
	     (is_type(from, "timestamptz") && is_type(to, "timestamp"))) &&
	    typmod_widening(from, to))
		return TYPE_CHANGE_FREE_REINDEX;
	return TYPE_CHANGE_REWRITE;
}

static const char *type_text(struct arena *a, const struct sm_type *t)
{
	const char *arr = t->array_dims ? "[]" : "";
	if (t->n_typmods == 1)
		return arena_printf(a, "%s(%d)%s", t->name, t->typmods[0], arr);
	if (t->n_typmods == 2)
		return arena_printf(a, "%s(%d,%d)%s", t->name, t->typmods[0], t->typmods[1], arr);
	return arena_printf(a, "%s%s", t->name, arr);
}

/* ---------------------------------------------------------------------
 * ALTER TABLE: lock level per subcommand (AlterTableGetLockLevel)
 * ------------------------------------------------------------------- */

static enum pgs_lock_mode reloptions_lock(const PgQuery__AlterTableCmd *cmd)
{
	/*
	 * Table storage parameters (reloptions.c lockmode of each option): all
	 * the heap and autovacuum options take SHARE UPDATE EXCLUSIVE; view
	 * options and anything unknown take ACCESS EXCLUSIVE.
	 */
	static const char *const sue[] = {
		"fillfactor", "toast_tuple_target", "parallel_workers", "vacuum_index_cleanup",
		"vacuum_truncate", "log_autovacuum_min_duration", "autovacuum_enabled",
		"autovacuum_vacuum_threshold", "autovacuum_vacuum_insert_threshold",
		"autovacuum_vacuum_scale_factor", "autovacuum_vacuum_insert_scale_factor",
		"autovacuum_analyze_threshold", "autovacuum_analyze_scale_factor",
		"autovacuum_vacuum_cost_delay", "autovacuum_vacuum_cost_limit",
		"autovacuum_freeze_min_age", "autovacuum_freeze_max_age",
		"autovacuum_freeze_table_age", "autovacuum_multixact_freeze_min_age",
		"autovacuum_multixact_freeze_max_age", "autovacuum_multixact_freeze_table_age",
		"deduplicate_items", "buffering", "pages_per_range", "autosummarize",
		"fastupdate", "gin_pending_list_limit",
	};
	if (!NODE(cmd->def, LIST))
		return PGS_LOCK_ACCESS_EXCLUSIVE;
	enum pgs_lock_mode m = PGS_LOCK_NONE;
	const PgQuery__List *l = cmd->def->list;
	for (size_t i = 0; i < l->n_items; i++) {
		if (!NODE(l->items[i], DEF_ELEM))
			return PGS_LOCK_ACCESS_EXCLUSIVE;
		const PgQuery__DefElem *d = l->items[i]->def_elem;
		enum pgs_lock_mode om = PGS_LOCK_ACCESS_EXCLUSIVE;
		if (d->defnamespace && !strcmp(d->defnamespace, "toast")) {
			om = PGS_LOCK_SHARE_UPDATE_EXCLUSIVE;
		} else {
			for (size_t k = 0; k < sizeof(sue) / sizeof(sue[0]); k++)
				if (!strcmp(d->defname, sue[k]))
					om = PGS_LOCK_SHARE_UPDATE_EXCLUSIVE;
		}
		if (om > m)
			m = om;
	}
	return m ? m : PGS_LOCK_SHARE_UPDATE_EXCLUSIVE;
}

enum pgs_lock_mode effects_alter_table_cmd_lock(const PgQuery__AlterTableCmd *cmd, int pg)
{
	switch (cmd->subtype) {
	/* rewrites, or may: the table is rebuilt under the strongest lock */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnGenericOptions:
	/* may add a TOAST table */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStorage:
	/* the planner relies on these */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraintRecurse:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
	/* visible to SELECT */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnToView:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRule:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysRule:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaRule:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRule:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropOids:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_GenericOptions:
	/* could in theory be weaker (they affect writes only) but are not */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_CookedColumnDefault:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIndex:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReAddIndex:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIndexConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReplicaIdentity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_NoForceRowSecurity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropExpression:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetCompression:
	/* inheritance, typed tables, persistence */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddOf:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropOf:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReplaceRelOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReAddConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReAddDomainConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReAddComment:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReAddStatistics:
		return PGS_LOCK_ACCESS_EXCLUSIVE;

	/* triggers are added on both tables of a foreign key */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse:
		if (NODE(cmd->def, CONSTRAINT) &&
		    cmd->def->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
			return PGS_LOCK_SHARE_ROW_EXCLUSIVE;
		return PGS_LOCK_ACCESS_EXCLUSIVE;

	/* trigger firing is decided at executor start-up */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigAll:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigUser:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigAll:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigUser:
		return PGS_LOCK_SHARE_ROW_EXCLUSIVE;

	/* only affect the planner's statistics, storage hints, or validation */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropCluster:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize:
		return PGS_LOCK_SHARE_UPDATE_EXCLUSIVE;

	/* the parent only; the partition itself is handled by the caller */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
		return pg >= 12 ? PGS_LOCK_SHARE_UPDATE_EXCLUSIVE : PGS_LOCK_ACCESS_EXCLUSIVE;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
		if (NODE(cmd->def, PARTITION_CMD) && cmd->def->partition_cmd->concurrent)
			return PGS_LOCK_SHARE_UPDATE_EXCLUSIVE;
		return PGS_LOCK_ACCESS_EXCLUSIVE;

	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions:
		return reloptions_lock(cmd);

	case PG_QUERY__ALTER_TABLE_TYPE__AT_CheckNotNull:
		return PGS_LOCK_ACCESS_SHARE;

	case PG_QUERY__ALTER_TABLE_TYPE__ALTER_TABLE_TYPE_UNDEFINED:
	case _PG_QUERY__ALTER_TABLE_TYPE_IS_INT_SIZE:
		break;
	}
	return PGS_LOCK_ACCESS_EXCLUSIVE;
}

/* ---------------------------------------------------------------------
 * ALTER TABLE: what each subcommand does beyond its lock
 * ------------------------------------------------------------------- */


static void foreign_key(struct ctx *c, const char *table, const PgQuery__Constraint *con,
			bool validate, const char *col)
{
	const char *ref = qualify(c, con->pktable);
	add_lock(c, ref, PGS_LOCK_SHARE_ROW_EXCLUSIVE);
	note(c, CAUSE_FK_REFERENCED, ref, col, con->location, NULL);
	if (validate && !con->skip_validation) {
		scan(c, table, CAUSE_FK_VALIDATION, col, con->location, con->conname);
		/* the check query joins the referenced table in full */
		if (strcmp(ref, table))
			add_name(c, &c->e->scans, &c->e->n_scans, &c->e->cap_scans, ref);
	}
}

static void add_column(struct ctx *c, const char *table, bool table_is_new_empty,
		       const PgQuery__ColumnDef *cd)
{
	const char *col = cd->colname;
	struct sm_type ty;
	schema_type_from_node(c->s, c->a, cd->type_name, &ty);
	const PgQuery__Constraint *def = column_constraint(cd, PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT);
	const PgQuery__Node *defexpr = cd->raw_default ? cd->raw_default : def ? def->raw_expr : NULL;
	if (defexpr && node_is_null_const(defexpr))
		defexpr = NULL;
	const PgQuery__Constraint *ident = column_constraint(cd, PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY);
	const PgQuery__Constraint *gen = column_constraint(cd, PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED);
	bool not_null = cd->is_not_null || column_constraint(cd, PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL) ||
		column_constraint(cd, PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY);
	const char *tq = schema_qualify_list(c->s, c->a, cd->type_name ? cd->type_name->names : NULL,
					     cd->type_name ? cd->type_name->n_names : 0);
	const struct sm_domain *dom = schema_domain(c->s, tq);
	int32_t loc = cd->location;
	bool rewrites = false;
	(void)table_is_new_empty;

	if (gen) {
		if (c->pg < 12)
			unmodeled(c, "generated columns need PostgreSQL 12");
		rewrite(c, table, CAUSE_GENERATED_STORED, col, gen->location, NULL);
		rewrites = true;
	} else if (ident) {
		rewrite(c, table, CAUSE_IDENTITY_COLUMN, col, ident->location, NULL);
		rewrites = true;
	} else if (type_is_serial(ty.name)) {
		rewrite(c, table, CAUSE_SERIAL_COLUMN, col, loc, ty.name);
		rewrites = true;
	} else if (defexpr) {
		const char *culprit = NULL;
		char v = effects_expr_volatility(defexpr, &culprit);
		if (v == 'v') {
			rewrite(c, table, CAUSE_VOLATILE_DEFAULT, col,
				def ? def->location : loc, culprit);
			rewrites = true;
		} else if (c->pg < 11) {
			rewrite(c, table, CAUSE_DEFAULT_BEFORE_PG11, col, def ? def->location : loc, NULL);
			rewrites = true;
		}
	}
	if (!rewrites && dom && dom->has_constraints) {
		rewrite(c, table, CAUSE_DOMAIN_WITH_CONSTRAINT, col, loc, dom->name);
		rewrites = true;
	}
	if (not_null && !defexpr && !gen && !ident && !type_is_serial(ty.name) && !rewrites)
		scan(c, table, CAUSE_ADD_NOT_NULL_COLUMN, col, loc, NULL);

	/* constraints declared with the column */
	for (size_t i = 0; i < cd->n_constraints; i++) {
		if (!NODE(cd->constraints[i], CONSTRAINT))
			continue;
		const PgQuery__Constraint *con = cd->constraints[i]->constraint;
		switch (con->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
			scan(c, table, CAUSE_CHECK_VALIDATION, col, con->location, con->conname);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
			/* a new column without a default is all NULL: nothing to validate */
			foreign_key(c, table, con, defexpr != NULL || gen || ident, col);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
			scan(c, table, CAUSE_INDEX_BUILD, col, con->location, con->conname);
			break;
		default:
			break;
		}
	}
}

static bool name_in(const char *name, const char *const *names, size_t n);
static void referenced_columns(const struct ctx *c, const struct sm_constraint *fk,
			       const char *const **cols, size_t *n);

static void alter_column_type(struct ctx *c, const char *table, const PgQuery__AlterTableCmd *cmd)
{
	const struct sm_table *t = schema_table(c->s, table);
	const struct sm_column *col = schema_column(t, cmd->name);
	const PgQuery__ColumnDef *cd = NODE(cmd->def, COLUMN_DEF) ? cmd->def->column_def : NULL;
	int32_t loc = cd ? cd->location : -1;
	struct sm_type to;
	schema_type_from_node(c->s, c->a, cd ? cd->type_name : NULL, &to);

	if (!col) {
		rewrite(c, table, CAUSE_TYPE_CHANGE_UNKNOWN, cmd->name, loc,
			arena_printf(c->a, "unknown type to %s", type_text(c->a, &to)));
		return;
	}
	enum type_change tc = effects_type_change(&col->type, &to, c->pg, c->s->timezone_utc);
	const char *detail = arena_printf(c->a, "%s to %s", type_text(c->a, &col->type),
					  type_text(c->a, &to));
	/*
	 * A USING expression is evaluated for every row, unless it is only the
	 * column itself (perhaps cast), which PostgreSQL simplifies to the
	 * plain conversion.
	 */
	if (cd && cd->raw_default) {
		const PgQuery__Node *u = cd->raw_default;
		while (NODE(u, TYPE_CAST))
			u = u->type_cast->arg;
		bool same_column = NODE(u, COLUMN_REF) && u->column_ref->n_fields == 1 &&
			node_string(u->column_ref->fields[0]) &&
			!strcmp(node_string(u->column_ref->fields[0]), cmd->name);
		if (!same_column)
			tc = TYPE_CHANGE_REWRITE;
	}
	/*
	 * Foreign keys on the column are dropped and re-created: their other
	 * table loses and regains its triggers under ACCESS EXCLUSIVE, and the
	 * key is validated again when the values change representation.
	 */
	for (size_t i = 0; i < t->n_constraints; i++) {
		const struct sm_constraint *fk = &t->constraints[i];
		if (fk->kind != SM_CON_FOREIGN || !fk->ref_table || strcmp(fk->ref_table, table) == 0)
			continue;
		for (size_t k = 0; k < fk->n_columns; k++) {
			if (strcmp(fk->columns[k], cmd->name))
				continue;
			add_lock(c, fk->ref_table, PGS_LOCK_ACCESS_EXCLUSIVE);
			note(c, CAUSE_FK_REFERENCED, fk->ref_table, cmd->name, loc, fk->name);
			if (tc == TYPE_CHANGE_REWRITE)
				add_name(c, &c->e->scans, &c->e->n_scans, &c->e->cap_scans, fk->ref_table);
		}
	}
	for (size_t k = 0; k < c->s->n_tables; k++) {
		const struct sm_table *o = c->s->tables[k];
		if (o == t)
			continue;
		for (size_t i = 0; i < o->n_constraints; i++) {
			const struct sm_constraint *fk = &o->constraints[i];
			if (fk->kind != SM_CON_FOREIGN || !fk->ref_table || strcmp(fk->ref_table, table))
				continue;
			const char *const *ref;
			size_t n_ref;
			referenced_columns(c, fk, &ref, &n_ref);
			if (!name_in(cmd->name, ref, n_ref))
				continue;
			add_lock(c, o->name, PGS_LOCK_ACCESS_EXCLUSIVE);
			note(c, CAUSE_FK_REFERENCED, o->name, cmd->name, loc, fk->name);
			if (tc == TYPE_CHANGE_REWRITE)
				add_name(c, &c->e->scans, &c->e->n_scans, &c->e->cap_scans, o->name);
		}
	}
	if (tc == TYPE_CHANGE_REWRITE)
		rewrite(c, table, CAUSE_TYPE_CHANGE, cmd->name, loc, detail);
	else if (tc == TYPE_CHANGE_FREE_REINDEX) {
		/* the indexes on the column are rebuilt, which reads the table */
		note(c, CAUSE_INDEX_REBUILD, table, cmd->name, loc, detail);
		for (size_t i = 0; i < c->s->n_indexes; i++) {
			const struct sm_index *ix = &c->s->indexes[i];
			if (strcmp(ix->table, table))
				continue;
			for (size_t k = 0; k < ix->n_columns; k++)
				if (!strcmp(ix->columns[k], cmd->name))
					add_name(c, &c->e->scans, &c->e->n_scans, &c->e->cap_scans, table);
		}
	}
}

static bool column_is_not_null(const struct ctx *c, const char *table, const char *col)
{
	const struct sm_column *sc = schema_column(schema_table(c->s, table), col);
	return sc && sc->not_null;
}

static const struct sm_constraint *find_constraint(const struct sm_table *t, const char *name)
{
	for (size_t i = 0; t && name && i < t->n_constraints; i++)
		if (t->constraints[i].name && !strcmp(t->constraints[i].name, name))
			return &t->constraints[i];
	return NULL;
}

static void add_table_constraint(struct ctx *c, const char *table, const PgQuery__Constraint *con)
{
	switch (con->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		if (!con->skip_validation)
			scan(c, table, CAUSE_CHECK_VALIDATION, NULL, con->location, con->conname);
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		foreign_key(c, table, con, true, NULL);
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		if (con->indexname && *con->indexname) {
			/* USING INDEX: the index exists; a primary key still needs NOT NULL */
			const struct sm_index *ix = NULL;
			const char *dot = strchr(table, '.');
			const char *iq = arena_printf(c->a, "%.*s.%s", dot ? (int)(dot - table) : 6,
						      dot ? table : "public", con->indexname);
			ix = schema_index(c->s, iq);
			/* the index is renamed to the constraint's name */
			add_lock_kind(c, iq, PGS_LOCK_SHARE_UPDATE_EXCLUSIVE, 'i');
			if (con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY && ix) {
				const struct sm_table *t = schema_table(c->s, table);
				for (size_t i = 0; i < ix->n_columns; i++)
					if (!column_is_not_null(c, table, ix->columns[i]) &&
					    !(c->pg >= 12 && schema_has_validated_not_null_check(t, ix->columns[i])))
						scan(c, table, CAUSE_SET_NOT_NULL, ix->columns[i],
						     con->location, NULL);
			} else if (con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY && !ix) {
				scan(c, table, CAUSE_SET_NOT_NULL, NULL, con->location, NULL);
			}
		} else {
			scan(c, table, CAUSE_INDEX_BUILD, NULL, con->location, con->conname);
		}
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
		scan(c, table, CAUSE_INDEX_BUILD, NULL, con->location, con->conname);
		break;
	default:
		break;
	}
}

static void partition_cmd(struct ctx *c, const char *parent, const PgQuery__AlterTableCmd *cmd)
{
	if (!NODE(cmd->def, PARTITION_CMD))
		return;
	const PgQuery__PartitionCmd *pc = cmd->def->partition_cmd;
	const char *part = qualify(c, pc->name);
	const struct sm_table *dflt = schema_default_partition(c->s, parent);

	if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition) {
		add_lock(c, part, PGS_LOCK_ACCESS_EXCLUSIVE);
		/*
		 * The partition is scanned unless its validated constraints imply
		 * the bound; pgsafe cannot prove implication, so it assumes a scan
		 * unless a validated CHECK was added for this purpose.
		 */
		const struct sm_table *pt = schema_table(c->s, part);
		const struct sm_table *parent_t = schema_table(c->s, parent);
		bool implied = pt && parent_t && parent_t->n_part_keys && pc->bound && !pc->bound->is_default;
		/*
		 * The partition constraint includes "key IS NOT NULL": the key
		 * columns must be NOT NULL (or carry a validated IS NOT NULL check),
		 * and a validated CHECK must name every key column.
		 */
		for (size_t k = 0; implied && k < parent_t->n_part_keys; k++) {
			const char *key = parent_t->part_keys[k];
			const struct sm_column *kc = schema_column(pt, key);
			const char *word = arena_printf(c->a, " %s ", key);
			bool not_null = (kc && kc->not_null) || schema_has_validated_not_null_check(pt, key);
			bool checked = false;
			for (size_t i = 0; i < pt->n_constraints; i++) {
				const struct sm_constraint *con = &pt->constraints[i];
				if (con->kind != SM_CON_CHECK || !con->validated || con->not_null_column)
					continue;
				if (con->check_columns && strstr(con->check_columns, word))
					checked = true;
				/* CHECK (k IS NOT NULL AND ...) proves both parts */
				if (con->check_not_null && strstr(con->check_not_null, word))
					not_null = true;
			}
			implied = not_null && checked;
		}
		if (!implied)
			scan(c, part, CAUSE_ATTACH_PARTITION, NULL, pc->name ? pc->name->location : -1, NULL);
		if (dflt && strcmp(dflt->name, part)) {
			add_lock(c, dflt->name, PGS_LOCK_ACCESS_EXCLUSIVE);
			/*
			 * The default partition is not read either when its validated
			 * constraints imply it holds no row of the new bound (partbounds.c
			 * check_default_partition_contents, PG 15). As for the partition,
			 * pgsafe cannot prove implication: it trusts a validated CHECK that
			 * names every key column, which is what the planner adds for this
			 * purpose (key IS NULL OR key < lower OR key >= upper).
			 */
			bool excluded = parent_t && parent_t->n_part_keys;
			for (size_t k = 0; excluded && k < parent_t->n_part_keys; k++) {
				const char *word = arena_printf(c->a, " %s ", parent_t->part_keys[k]);
				bool named = false;
				for (size_t i = 0; i < dflt->n_constraints; i++) {
					const struct sm_constraint *con = &dflt->constraints[i];
					if (con->kind == SM_CON_CHECK && con->validated && !con->not_null_column &&
					    con->check_columns && strstr(con->check_columns, word))
						named = true;
				}
				excluded = named;
			}
			if (!excluded)
				scan(c, dflt->name, CAUSE_DEFAULT_PARTITION, NULL, -1, NULL);
		}
	} else if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition) {
		if (pc->concurrent) {
			add_lock(c, part, PGS_LOCK_ACCESS_EXCLUSIVE);
			c->e->needs_no_transaction = true;
			if (c->pg < 14)
				unmodeled(c, "DETACH PARTITION CONCURRENTLY needs PostgreSQL 14");
			if (dflt)
				unmodeled(c, "PostgreSQL refuses DETACH PARTITION CONCURRENTLY when a default partition exists");
		} else {
			add_lock(c, part, PGS_LOCK_ACCESS_EXCLUSIVE);
		}
		if (dflt && strcmp(dflt->name, part))
			add_lock(c, dflt->name, pc->concurrent ? PGS_LOCK_SHARE_UPDATE_EXCLUSIVE :
				 PGS_LOCK_ACCESS_EXCLUSIVE);
	} else if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize) {
		add_lock(c, part, PGS_LOCK_ACCESS_EXCLUSIVE);
	}
}

static void alter_table_cmd(struct ctx *c, const char *table, const PgQuery__AlterTableCmd *cmd)
{
	const struct sm_table *t = schema_table(c->s, table);
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
		if (NODE(cmd->def, COLUMN_DEF) &&
		    !(cmd->missing_ok && schema_column(t, cmd->def->column_def->colname)))
			add_column(c, table, false, cmd->def->column_def);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
		alter_column_type(c, table, cmd);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
		if (column_is_not_null(c, table, cmd->name))
			break;
		/* PostgreSQL 12+ skips the scan when a validated CHECK proves it */
		if (c->pg >= 12 && schema_has_validated_not_null_check(t, cmd->name))
			break;
		scan(c, table, CAUSE_SET_NOT_NULL, cmd->name, -1, NULL);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse:
		if (NODE(cmd->def, CONSTRAINT))
			add_table_constraint(c, table, cmd->def->constraint);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse: {
		const struct sm_constraint *con = find_constraint(t, cmd->name);
		if (con && con->validated)
			break;          /* already valid: nothing to do */
		scan(c, table, CAUSE_VALIDATE_CONSTRAINT, NULL, -1, cmd->name);
		if (con && con->kind == SM_CON_FOREIGN && con->ref_table) {
			add_lock(c, con->ref_table, PGS_LOCK_ROW_SHARE);
			if (strcmp(con->ref_table, table))
				add_name(c, &c->e->scans, &c->e->n_scans, &c->e->cap_scans, con->ref_table);
		}
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraintRecurse: {
		const struct sm_constraint *con = find_constraint(t, cmd->name);
		if (con && con->kind == SM_CON_FOREIGN && con->ref_table) {
			/* its triggers on the referenced table go too */
			add_lock(c, con->ref_table, PGS_LOCK_ACCESS_EXCLUSIVE);
			note(c, CAUSE_FK_REFERENCED, con->ref_table, NULL, -1, cmd->name);
		}
		if (con && (con->kind == SM_CON_PRIMARY || con->kind == SM_CON_UNIQUE) &&
		    cmd->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE) {
			/* foreign keys that rely on its index are dropped with it */
			for (size_t k = 0; k < c->s->n_tables; k++) {
				const struct sm_table *o = c->s->tables[k];
				for (size_t j = 0; j < o->n_constraints; j++)
					if (o->constraints[j].kind == SM_CON_FOREIGN && o->constraints[j].ref_table &&
					    !strcmp(o->constraints[j].ref_table, table) && o != t) {
						add_lock(c, o->name, PGS_LOCK_ACCESS_EXCLUSIVE);
						note(c, CAUSE_CASCADE, o->name, NULL, -1, o->constraints[j].name);
					}
			}
		}
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
		rewrite(c, table, CAUSE_SET_LOGGED, NULL, -1, NULL);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace: {
		/* moving to the tablespace it is already in does nothing */
		const char *now = t ? (t->tablespace ? t->tablespace : "pg_default") : NULL;
		if (!now || !cmd->name || strcmp(now, cmd->name))
			rewrite(c, table, CAUSE_SET_TABLESPACE, NULL, -1, cmd->name);
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod: {
		if (c->pg < 15)
			unmodeled(c, "SET ACCESS METHOD needs PostgreSQL 15");
		/* to the method it already has: nothing to do */
		const char *now = t && !t->stub ? (t->access_method ? t->access_method : "heap") : NULL;
		if (!now || !cmd->name || strcmp(now, cmd->name))
			rewrite(c, table, CAUSE_SET_ACCESS_METHOD, NULL, -1, cmd->name);
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize:
		partition_cmd(c, table, cmd);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit:
		if (NODE(cmd->def, RANGE_VAR))
			add_lock(c, qualify(c, cmd->def->range_var), PGS_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit:
		if (NODE(cmd->def, RANGE_VAR))
			add_lock(c, qualify(c, cmd->def->range_var), PGS_LOCK_ACCESS_SHARE);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
		break;
	default:
		break;
	}
}

/* A PRIMARY KEY, UNIQUE or EXCLUDE constraint: an index on every partition. */
static bool adds_index(const PgQuery__AlterTableCmd *cmd)
{
	if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint || !NODE(cmd->def, CONSTRAINT))
		return false;
	PgQuery__ConstrType ct = cmd->def->constraint->contype;
	return ct == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY || ct == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE ||
		ct == PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION;
}

/* Whether ALTER TABLE applies @cmd to the partitions too (unless ONLY). */
static bool cmd_recurses(const PgQuery__AlterTableCmd *cmd)
{
	if (adds_index(cmd))
		return false;
	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReplicaIdentity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions:
		return false;
	default:
		return true;
	}
}

static void replace_with_leaves(struct ctx *c, const char ***items, size_t *n, size_t *cap,
				const char *parent, int depth)
{
	for (size_t i = 0; i < c->s->n_tables && depth < MAX_PARTITION_DEPTH; i++) {
		const struct sm_table *t = c->s->tables[i];
		if (!t->parent || strcmp(t->parent, parent) || !strcmp(t->name, parent))
			continue;
		if (t->relkind == 'p')
			replace_with_leaves(c, items, n, cap, t->name, depth + 1);
		else
			add_name(c, items, n, cap, t->name);
	}
}

static void drop_name(const char **items, size_t *n, const char *name)
{
	size_t w = 0;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(items[i], name))
			items[w++] = items[i];
	*n = w;
}

/*
 * ALTER TABLE on a partitioned table takes the same lock on every
 * partition, and the partitions, not the parent (which has no storage),
 * are the ones rewritten or scanned.
 */
static void recurse_to_partitions(struct ctx *c, const char *parent, const PgQuery__AlterTableStmt *as)
{
	enum pgs_lock_mode lock = PGS_LOCK_NONE;
	for (size_t i = 0; i < as->n_cmds; i++) {
		if (!NODE(as->cmds[i], ALTER_TABLE_CMD) || !cmd_recurses(as->cmds[i]->alter_table_cmd))
			continue;
		enum pgs_lock_mode m = effects_alter_table_cmd_lock(as->cmds[i]->alter_table_cmd, c->pg);
		if (m > lock)
			lock = m;
	}
	if (lock != PGS_LOCK_NONE)
		partitions_of(c, parent, lock, false);
	for (size_t i = 0; i < as->n_cmds; i++)
		if (NODE(as->cmds[i], ALTER_TABLE_CMD) && adds_index(as->cmds[i]->alter_table_cmd))
			partitions_of(c, parent, PGS_LOCK_SHARE, false);
	struct effects *e = c->e;
	if (effects_rewrites(e, parent)) {
		drop_name(e->rewrites, &e->n_rewrites, parent);
		replace_with_leaves(c, &e->rewrites, &e->n_rewrites, &e->cap_rewrites, parent, 0);
	}
	if (effects_scans(e, parent)) {
		drop_name(e->scans, &e->n_scans, parent);
		replace_with_leaves(c, &e->scans, &e->n_scans, &e->cap_scans, parent, 0);
	}
}

static void alter_table(struct ctx *c, const PgQuery__AlterTableStmt *as)
{
	const char *rel = qualify(c, as->relation);
	enum pgs_lock_mode lock = PGS_LOCK_NONE;
	char relkind = '?';

	switch (as->objtype) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: relkind = 'i'; break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW: relkind = 'v'; break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: relkind = 'm'; break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: relkind = 'S'; break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE: relkind = 'f'; break;
	default: relkind = relkind_of(c, rel); break;
	}
	for (size_t i = 0; i < as->n_cmds; i++) {
		if (!NODE(as->cmds[i], ALTER_TABLE_CMD))
			continue;
		enum pgs_lock_mode m = effects_alter_table_cmd_lock(as->cmds[i]->alter_table_cmd, c->pg);
		if (m > lock)
			lock = m;
	}
	if (relkind == 'i') {
		/* ALTER INDEX: ATTACH PARTITION locks both indexes; the rest as for tables */
		add_lock_kind(c, rel, lock, 'i');
		for (size_t i = 0; i < as->n_cmds; i++) {
			const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
			if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition &&
			    NODE(cmd->def, PARTITION_CMD)) {
				const char *child = qualify(c, cmd->def->partition_cmd->name);
				add_lock_kind(c, child, PGS_LOCK_ACCESS_EXCLUSIVE, 'i');
				const struct sm_index *pi = schema_index(c->s, rel);
				const struct sm_index *ci = schema_index(c->s, child);
				if (pi)
					add_lock(c, pi->table, PGS_LOCK_ACCESS_SHARE);
				if (ci)
					add_lock(c, ci->table, PGS_LOCK_ACCESS_SHARE);
			}
		}
		return;
	}
	add_lock_kind(c, rel, lock, relkind);
	for (size_t i = 0; i < as->n_cmds; i++)
		if (NODE(as->cmds[i], ALTER_TABLE_CMD))
			alter_table_cmd(c, rel, as->cmds[i]->alter_table_cmd);
	if (relkind == 'p' && as->relation->inh)
		recurse_to_partitions(c, rel, as);
}

/* ---------------------------------------------------------------------
 * Tables referenced by queries (DML, CTAS, views)
 * ------------------------------------------------------------------- */

struct rel_walk {
	struct ctx *c;
	const char *skip_ctes[32];
	size_t n_ctes;
	enum pgs_lock_mode mode;
	bool collect_scans;
	bool all_scanned;      /* the query runs to completion: every table is read */
};

static bool is_cte(const struct rel_walk *w, const PgQuery__RangeVar *rv)
{
	if (rv->schemaname && *rv->schemaname)
		return false;
	for (size_t i = 0; i < w->n_ctes; i++)
		if (!strcmp(w->skip_ctes[i], rv->relname))
			return true;
	return false;
}

static bool cte_visit(const PgQuery__Node *n, void *p)
{
	struct rel_walk *w = p;
	if (NODE(n, COMMON_TABLE_EXPR) && w->n_ctes < 32)
		w->skip_ctes[w->n_ctes++] = n->common_table_expr->ctename;
	return true;
}

/*
 * SELECT ... FOR UPDATE / SHARE locks the rows it returns, which takes
 * ROW SHARE on their tables (the ones named after OF, or all of FROM).
 */
static void locking_clause(struct rel_walk *w, const PgQuery__SelectStmt *sel)
{
	for (size_t k = 0; k < sel->n_locking_clause; k++) {
		if (!NODE(sel->locking_clause[k], LOCKING_CLAUSE))
			continue;
		const PgQuery__LockingClause *lc = sel->locking_clause[k]->locking_clause;
		if (lc->n_locked_rels) {
			for (size_t i = 0; i < lc->n_locked_rels; i++)
				if (NODE(lc->locked_rels[i], RANGE_VAR))
					add_lock(w->c, qualify(w->c, lc->locked_rels[i]->range_var), PGS_LOCK_ROW_SHARE);
			continue;
		}
		for (size_t i = 0; i < sel->n_from_clause; i++)
			if (NODE(sel->from_clause[i], RANGE_VAR) && !is_cte(w, sel->from_clause[i]->range_var))
				add_lock(w->c, qualify(w->c, sel->from_clause[i]->range_var), PGS_LOCK_ROW_SHARE);
	}
}

static bool rel_visit(const PgQuery__Node *n, void *p)
{
	struct rel_walk *w = p;
	if (NODE(n, RANGE_VAR) && !is_cte(w, n->range_var)) {
		const char *rel = qualify(w->c, n->range_var);
		add_lock(w->c, rel, w->mode);
		if (w->all_scanned)
			scan(w->c, rel, CAUSE_QUERY_READ, NULL, n->range_var->location, NULL);
	}
	if (NODE(n, SELECT_STMT))
		locking_clause(w, n->select_stmt);
	/* a data-modifying WITH (WITH u AS (UPDATE t ...) SELECT ...) writes its target */
	const PgQuery__RangeVar *target = NODE(n, INSERT_STMT) ? n->insert_stmt->relation :
		NODE(n, UPDATE_STMT) ? n->update_stmt->relation :
		NODE(n, DELETE_STMT) ? n->delete_stmt->relation :
		NODE(n, MERGE_STMT) ? n->merge_stmt->relation : NULL;
	if (target && !is_cte(w, target))
		add_lock(w->c, qualify(w->c, target), PGS_LOCK_ROW_EXCLUSIVE);
	if (NODE(n, SELECT_STMT) && w->collect_scans && !n->select_stmt->where_clause) {
		const PgQuery__SelectStmt *sel = n->select_stmt;
		for (size_t i = 0; i < sel->n_from_clause; i++)
			if (NODE(sel->from_clause[i], RANGE_VAR) && !is_cte(w, sel->from_clause[i]->range_var))
				scan(w->c, qualify(w->c, sel->from_clause[i]->range_var), CAUSE_QUERY_READ,
				     NULL, sel->from_clause[i]->range_var->location, NULL);
	}
	return true;
}

/* Every table a query reads gets ACCESS SHARE. */
static void read_tables(struct ctx *c, const void *msg, bool scans)
{
	struct rel_walk w = { .c = c, .mode = PGS_LOCK_ACCESS_SHARE, .collect_scans = scans };
	if (!msg)
		return;
	/* CTE names first: a reference to one is no table */
	if (c->stmt)
		WALK_NODE(c->stmt, cte_visit, &w);
	walk_tree(msg, rel_visit, &w);
}

/* A query that is run to the end (CREATE TABLE AS, materialized views). */
static void read_tables_fully(struct ctx *c, const void *msg)
{
	struct rel_walk w = { .c = c, .mode = PGS_LOCK_ACCESS_SHARE, .all_scanned = true };
	if (!msg)
		return;
	if (c->stmt)
		WALK_NODE(c->stmt, cte_visit, &w);
	walk_tree(msg, rel_visit, &w);
}

static void read_tables_list(struct ctx *c, PgQuery__Node **nodes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		read_tables(c, nodes[i], false);
}

/* ---------------------------------------------------------------------
 * Foreign-key checks fired by row changes (ri_triggers.c): a new or
 * changed referencing row locks its referenced row FOR KEY SHARE (ROW
 * SHARE on the referenced table); a deleted or re-keyed referenced row
 * makes PostgreSQL look for referencing rows (ROW SHARE, or ROW EXCLUSIVE
 * when ON DELETE/UPDATE CASCADE, SET NULL or SET DEFAULT changes them),
 * reading the whole referencing table when no index leads with the key.
 * ------------------------------------------------------------------- */

static bool name_in(const char *name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

/* The referenced columns of @fk: its own list, or the referenced table's primary key. */
static void referenced_columns(const struct ctx *c, const struct sm_constraint *fk,
			       const char *const **cols, size_t *n)
{
	*cols = fk->ref_columns;
	*n = fk->n_ref_columns;
	if (*n)
		return;
	const struct sm_table *rt = schema_table(c->s, fk->ref_table);
	for (size_t i = 0; rt && i < rt->n_constraints; i++)
		if (rt->constraints[i].kind == SM_CON_PRIMARY) {
			*cols = rt->constraints[i].columns;
			*n = rt->constraints[i].n_columns;
		}
}

/* @set: the columns an UPDATE assigns (NULL: every column, for INSERT/DELETE). */
static bool touches(const char *const *cols, size_t n, const char *const *set, size_t n_set)
{
	if (!set)
		return true;
	for (size_t i = 0; i < n; i++)
		if (name_in(cols[i], set, n_set))
			return true;
	return n == 0;
}

static void fk_as_child(struct ctx *c, const char *table, const char *const *set, size_t n_set)
{
	const struct sm_table *t = schema_table(c->s, table);
	for (size_t i = 0; t && i < t->n_constraints; i++) {
		const struct sm_constraint *fk = &t->constraints[i];
		if (fk->kind == SM_CON_FOREIGN && fk->ref_table &&
		    touches(fk->columns, fk->n_columns, set, n_set))
			add_lock(c, fk->ref_table, PGS_LOCK_ROW_SHARE);
	}
}

static void fk_as_parent(struct ctx *c, const char *table, bool is_delete, const char *const *set,
			 size_t n_set)
{
	for (size_t k = 0; k < c->s->n_tables; k++) {
		const struct sm_table *o = c->s->tables[k];
		for (size_t i = 0; i < o->n_constraints; i++) {
			const struct sm_constraint *fk = &o->constraints[i];
			if (fk->kind != SM_CON_FOREIGN || !fk->ref_table || strcmp(fk->ref_table, table))
				continue;
			const char *const *ref;
			size_t n_ref;
			referenced_columns(c, fk, &ref, &n_ref);
			if (!is_delete && !touches(ref, n_ref, set, n_set))
				continue;
			char action = is_delete ? fk->on_delete : fk->on_update;
			bool changes = action == 'c' || action == 'n' || action == 'd';
			add_lock(c, o->name, changes ? PGS_LOCK_ROW_EXCLUSIVE : PGS_LOCK_ROW_SHARE);
			if (!(fk->n_columns && schema_column_has_index(c->s, o->name, fk->columns[0])))
				scan(c, o->name, CAUSE_FK_REFERENCED, fk->n_columns ? fk->columns[0] : NULL,
				     -1, fk->name);
		}
	}
}

/*
 * Whether a WHERE clause makes PostgreSQL read the whole table: none of
 * its top-level conditions compares the leading column of an index with a
 * value. Decided only for tables whose indexes the catalog knows fully.
 */
static bool where_uses_index(const struct ctx *c, const char *rel, const PgQuery__Node *e)
{
	if (NODE(e, BOOL_EXPR) && e->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
		for (size_t i = 0; i < e->bool_expr->n_args; i++)
			if (where_uses_index(c, rel, e->bool_expr->args[i]))
				return true;
		return false;
	}
	const PgQuery__Node *col = NULL;
	if (NODE(e, A_EXPR)) {
		const PgQuery__Node *l = e->a_expr->lexpr, *r = e->a_expr->rexpr;
		col = NODE(l, COLUMN_REF) ? l : NODE(r, COLUMN_REF) ? r : NULL;
	} else if (NODE(e, NULL_TEST)) {
		col = e->null_test->arg;
	}
	if (!NODE(col, COLUMN_REF) || !col->column_ref->n_fields)
		return false;
	const char *name = node_string(col->column_ref->fields[col->column_ref->n_fields - 1]);
	/* a partition has the indexes of the partitioned tables above it */
	for (int depth = 0; name && rel && depth < MAX_PARTITION_DEPTH; depth++) {
		if (schema_column_has_index(c->s, rel, name))
			return true;
		const struct sm_table *t = schema_table(c->s, rel);
		rel = t && !t->inherits ? t->parent : NULL;
	}
	return false;
}

static bool where_reads_all(const struct ctx *c, const char *rel, const PgQuery__Node *where)
{
	const struct sm_table *t = schema_table(c->s, rel);
	if (!t || t->stub || t->relkind != 'r')
		return false;   /* its indexes are not known */
	return !where_uses_index(c, rel, where);
}

/* INSERT ... VALUES whose foreign-key columns are all NULL checks nothing. */
static bool inserts_only_null_keys(const struct ctx *c, const char *rel, const PgQuery__InsertStmt *ins)
{
	const struct sm_table *t = schema_table(c->s, rel);
	const PgQuery__Node *sel = ins->select_stmt;
	if (!t || t->stub || !NODE(sel, SELECT_STMT) || !sel->select_stmt->n_values_lists)
		return false;
	for (size_t k = 0; k < t->n_constraints; k++) {
		const struct sm_constraint *fk = &t->constraints[k];
		if (fk->kind != SM_CON_FOREIGN)
			continue;
		for (size_t f = 0; f < fk->n_columns; f++) {
			/* position of the column in the VALUES rows */
			long pos = -1;
			if (ins->n_cols) {
				for (size_t i = 0; i < ins->n_cols; i++)
					if (NODE(ins->cols[i], RES_TARGET) && ins->cols[i]->res_target->name &&
					    !strcmp(ins->cols[i]->res_target->name, fk->columns[f]))
						pos = (long)i;
			} else {
				for (size_t i = 0; i < t->n_columns; i++)
					if (!strcmp(t->columns[i].name, fk->columns[f]))
						pos = (long)i;
			}
			if (pos < 0)
				continue;       /* not given: NULL unless a default says otherwise */
			for (size_t r = 0; r < sel->select_stmt->n_values_lists; r++) {
				const PgQuery__Node *row = sel->select_stmt->values_lists[r];
				if (!NODE(row, LIST) || (size_t)pos >= row->list->n_items)
					return false;
				const PgQuery__Node *v = row->list->items[pos];
				if (!(NODE(v, A_CONST) && v->a_const->isnull))
					return false;
			}
		}
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Partition routing and pruning: which partitions a row change reaches.
 * Decided for one-column RANGE and LIST keys whose bounds and values are
 * constants; otherwise every partition counts (PostgreSQL may lock fewer).
 * ------------------------------------------------------------------- */

static int value_cmp(const char *a, const char *b)
{
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);
	if (*a && *b && !*ea && !*eb)
		return x < y ? -1 : x > y ? 1 : 0;
	return strcmp(a, b);
}

/* What a WHERE clause says about the key: equal to one of @eq, or within [lo, hi]. */
struct key_filter {
	const char *eq[16];
	size_t n_eq;
	bool has_eq;
	const char *lo, *hi;
	bool lo_incl, hi_incl;
	bool any;            /* something was learned */
};

static bool is_key_ref(const PgQuery__Node *n, const char *key)
{
	if (!NODE(n, COLUMN_REF) || !n->column_ref->n_fields)
		return false;
	const char *name = node_string(n->column_ref->fields[n->column_ref->n_fields - 1]);
	return name && !strcmp(name, key);
}

static void learn(struct key_filter *f, const PgQuery__Node *e, const char *key)
{
	if (NODE(e, BOOL_EXPR) && e->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
		for (size_t i = 0; i < e->bool_expr->n_args; i++)
			learn(f, e->bool_expr->args[i], key);
		return;
	}
	if (!NODE(e, A_EXPR))
		return;
	const PgQuery__AExpr *x = e->a_expr;
	const char *op = x->n_name ? node_string(x->name[x->n_name - 1]) : NULL;
	if (x->kind == PG_QUERY__A__EXPR__KIND__AEXPR_IN && is_key_ref(x->lexpr, key) && NODE(x->rexpr, LIST)) {
		f->has_eq = true;
		f->any = true;
		for (size_t i = 0; i < x->rexpr->list->n_items && f->n_eq < 16; i++) {
			const char *v = node_constant(x->rexpr->list->items[i]);
			if (!v) {
				f->any = false;   /* cannot tell: take every partition */
				return;
			}
			f->eq[f->n_eq++] = v;
		}
		return;
	}
	if (x->kind == PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN && is_key_ref(x->lexpr, key) &&
	    NODE(x->rexpr, LIST) && x->rexpr->list->n_items == 2) {
		const char *lo = node_constant(x->rexpr->list->items[0]);
		const char *hi = node_constant(x->rexpr->list->items[1]);
		if (lo && hi) {
			f->lo = lo, f->lo_incl = true;
			f->hi = hi, f->hi_incl = true;
			f->any = true;
		}
		return;
	}
	if (x->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP || !op)
		return;
	const PgQuery__Node *colside = x->lexpr, *valside = x->rexpr;
	bool flipped = false;
	if (!is_key_ref(colside, key)) {
		colside = x->rexpr;
		valside = x->lexpr;
		flipped = true;
	}
	const char *v = node_constant(valside);
	if (!is_key_ref(colside, key) || !v)
		return;
	if (flipped) {
		if (!strcmp(op, "<")) op = ">"; else if (!strcmp(op, ">")) op = "<";
		else if (!strcmp(op, "<=")) op = ">="; else if (!strcmp(op, ">=")) op = "<=";
	}
	if (!strcmp(op, "=")) {
		f->has_eq = true;
		f->eq[0] = v;
		f->n_eq = 1;
		f->any = true;
	} else if (!strcmp(op, ">") || !strcmp(op, ">=")) {
		f->lo = v;
		f->lo_incl = op[1] == '=';
		f->any = true;
	} else if (!strcmp(op, "<") || !strcmp(op, "<=")) {
		f->hi = v;
		f->hi_incl = op[1] == '=';
		f->any = true;
	}
}

/* Whether the non-default partition @t may hold a row the filter accepts. */
static bool partition_matches(const struct sm_table *t, const struct key_filter *f)
{
	if (f->has_eq) {
		for (size_t i = 0; i < f->n_eq; i++) {
			const char *v = f->eq[i];
			if (t->n_bound_list) {
				for (size_t k = 0; k < t->n_bound_list; k++)
					if (!value_cmp(t->bound_list[k], v))
						return true;
			} else if ((!t->bound_lower || value_cmp(t->bound_lower, v) <= 0) &&
				   (!t->bound_upper || value_cmp(v, t->bound_upper) < 0)) {
				return true;
			}
		}
		return false;
	}
	if (t->n_bound_list) {
		for (size_t k = 0; k < t->n_bound_list; k++) {
			const char *v = t->bound_list[k];
			int lo = f->lo ? value_cmp(v, f->lo) : 1, hi = f->hi ? value_cmp(v, f->hi) : -1;
			if ((lo > 0 || (lo == 0 && f->lo_incl)) && (hi < 0 || (hi == 0 && f->hi_incl)))
				return true;
		}
		return false;
	}
	/* ranges [L, U) and the filter's interval overlap */
	if (f->lo && t->bound_upper && value_cmp(f->lo, t->bound_upper) >= 0)
		return false;
	if (f->hi && t->bound_lower) {
		int cmp = value_cmp(f->hi, t->bound_lower);
		if (cmp < 0 || (cmp == 0 && !f->hi_incl))
			return false;
	}
	return true;
}

/* Whether some non-default partition holds every value the filter allows. */
static bool covered_elsewhere(const struct ctx *c, const char *parent, const struct key_filter *f)
{
	if (!f->has_eq)
		return false;
	for (size_t i = 0; i < f->n_eq; i++) {
		struct key_filter one = { .has_eq = true, .n_eq = 1, .any = true };
		one.eq[0] = f->eq[i];
		bool found = false;
		for (size_t k = 0; k < c->s->n_tables && !found; k++) {
			const struct sm_table *t = c->s->tables[k];
			if (t->parent && !t->inherits && !strcmp(t->parent, parent) && !t->is_default_partition &&
			    partition_matches(t, &one))
				found = true;
		}
		if (!found)
			return false;
	}
	return true;
}

/*
 * Locks (and, when @where reads them in full, scans) the partitions of
 * @parent that a row change filtered by @f reaches.
 */
static void touch_partitions(struct ctx *c, const char *parent, const struct key_filter *f,
			     const PgQuery__Node *where, bool scan_all)
{
	const struct sm_table *p = schema_table(c->s, parent);
	bool decidable = f && f->any && p && p->n_part_keys == 1 &&
		(p->part_strategy == 'r' || p->part_strategy == 'l');
	for (size_t k = 0; k < c->s->n_tables; k++) {
		const struct sm_table *t = c->s->tables[k];
		if (!t->parent || t->inherits || strcmp(t->parent, parent) || t == p)
			continue;
		bool hit = true;
		if (decidable) {
			if (t->is_default_partition)
				hit = !covered_elsewhere(c, parent, f);
			else if (t->bound_known)
				hit = partition_matches(t, f);
		}
		if (!hit)
			continue;
		if (t->relkind == 'p') {
			/* deeper levels: take all of them */
			partitions_of(c, t->name, PGS_LOCK_ROW_EXCLUSIVE, false);
			if (scan_all)
				replace_with_leaves(c, &c->e->scans, &c->e->n_scans, &c->e->cap_scans, t->name, 0);
			add_lock(c, t->name, PGS_LOCK_ROW_EXCLUSIVE);
			continue;
		}
		add_lock(c, t->name, PGS_LOCK_ROW_EXCLUSIVE);
		if (scan_all || (where && where_reads_all(c, t->name, where)))
			scan(c, t->name, CAUSE_QUERY_READ, NULL, -1, NULL);
	}
}

/* INSERT ... VALUES into a partitioned table: the partitions the rows go to. */
static void route_insert(struct ctx *c, const char *rel, const PgQuery__InsertStmt *ins)
{
	const struct sm_table *p = schema_table(c->s, rel);
	const PgQuery__Node *sel = ins->select_stmt;
	struct key_filter f = { .has_eq = true };
	if (p && p->n_part_keys == 1 && NODE(sel, SELECT_STMT) && sel->select_stmt->n_values_lists) {
		long pos = -1;
		if (ins->n_cols) {
			for (size_t i = 0; i < ins->n_cols; i++)
				if (NODE(ins->cols[i], RES_TARGET) && ins->cols[i]->res_target->name &&
				    !strcmp(ins->cols[i]->res_target->name, p->part_keys[0]))
					pos = (long)i;
		} else {
			for (size_t i = 0; i < p->n_columns; i++)
				if (!strcmp(p->columns[i].name, p->part_keys[0]))
					pos = (long)i;
		}
		f.any = pos >= 0;
		for (size_t r = 0; f.any && r < sel->select_stmt->n_values_lists; r++) {
			const PgQuery__Node *row = sel->select_stmt->values_lists[r];
			const char *v = NODE(row, LIST) && (size_t)pos < row->list->n_items ?
				node_constant(row->list->items[pos]) : NULL;
			if (!v || f.n_eq == 16)
				f.any = false;
			else
				f.eq[f.n_eq++] = v;
		}
	}
	touch_partitions(c, rel, &f, NULL, false);
}

static void dml(struct ctx *c, const PgQuery__Node *n)
{
	const PgQuery__RangeVar *target = NULL;
	const PgQuery__Node *where = NULL;
	bool is_insert = false, is_delete = false;

	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		target = n->insert_stmt->relation;
		is_insert = true;
		read_tables(c, n->insert_stmt->select_stmt, true);
		read_tables(c, n->insert_stmt->with_clause, false);
		break;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		target = n->update_stmt->relation;
		where = n->update_stmt->where_clause;
		read_tables_list(c, n->update_stmt->from_clause, n->update_stmt->n_from_clause);
		read_tables_list(c, n->update_stmt->target_list, n->update_stmt->n_target_list);
		if (where)
			read_tables(c, where, false);
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		target = n->delete_stmt->relation;
		where = n->delete_stmt->where_clause;
		is_delete = true;
		read_tables_list(c, n->delete_stmt->using_clause, n->delete_stmt->n_using_clause);
		if (where)
			read_tables(c, where, false);
		break;
	default:
		return;
	}
	const char *rel = qualify(c, target);
	add_lock(c, rel, PGS_LOCK_ROW_EXCLUSIVE);
	if (!is_insert && !where) {
		scan(c, rel, CAUSE_ALL_ROWS, NULL, target->location, NULL);
		if (is_partitioned(c, rel)) {
			/* every partition is changed; the parent has no rows of its own */
			partitions_of(c, rel, PGS_LOCK_ROW_EXCLUSIVE, false);
			drop_name(c->e->scans, &c->e->n_scans, rel);
			replace_with_leaves(c, &c->e->scans, &c->e->n_scans, &c->e->cap_scans, rel, 0);
		}
	} else if (!is_insert && is_partitioned(c, rel)) {
		const struct sm_table *p = schema_table(c->s, rel);
		struct key_filter f = { 0 };
		if (p->n_part_keys == 1)
			learn(&f, where, p->part_keys[0]);
		touch_partitions(c, rel, &f, where, false);
	} else if (!is_insert && where_reads_all(c, rel, where)) {
		scan(c, rel, CAUSE_QUERY_READ, NULL, target->location, NULL);
	}
	if (is_insert && is_partitioned(c, rel))
		route_insert(c, rel, n->insert_stmt);
	if (is_insert) {
		if (!inserts_only_null_keys(c, rel, n->insert_stmt))
			fk_as_child(c, rel, NULL, 0);
	} else if (is_delete) {
		fk_as_parent(c, rel, true, NULL, 0);
	} else {
		const PgQuery__UpdateStmt *u = n->update_stmt;
		const char **set = arena_alloc(c->a, (u->n_target_list + 1) * sizeof(char *));
		size_t n_set = 0;
		for (size_t i = 0; set && i < u->n_target_list; i++)
			if (NODE(u->target_list[i], RES_TARGET) && u->target_list[i]->res_target->name)
				set[n_set++] = u->target_list[i]->res_target->name;
		if (set) {
			fk_as_child(c, rel, set, n_set);
			fk_as_parent(c, rel, false, set, n_set);
		}
	}
}

/* ---------------------------------------------------------------------
 * Other statements
 * ------------------------------------------------------------------- */


static void create_index(struct ctx *c, const PgQuery__IndexStmt *is)
{
	const char *rel = qualify(c, is->relation);
	const struct sm_table *t = schema_table(c->s, rel);
	bool only = is->relation && !is->relation->inh;
	enum pgs_lock_mode mode = is->concurrent ? PGS_LOCK_SHARE_UPDATE_EXCLUSIVE : PGS_LOCK_SHARE;

	add_lock(c, rel, mode);
	if (is->concurrent)
		c->e->needs_no_transaction = true;
	if (is->if_not_exists && is->idxname && *is->idxname) {
		const char *dot = strchr(rel, '.');
		const char *iq = arena_printf(c->a, "%.*s.%s", dot ? (int)(dot - rel) : 6,
					      dot ? rel : "public", is->idxname);
		if (schema_index(c->s, iq))
			return;         /* exists: PostgreSQL skips the build, after locking */
	}
	if (t && t->relkind == 'p') {
		/* ON ONLY makes an invalid index on the parent alone; otherwise recurse */
		if (!only)
			partitions_of(c, rel, mode, true);
		return;
	}
	scan(c, rel, CAUSE_INDEX_BUILD, NULL, is->relation ? is->relation->location : -1, is->idxname);
}

/* Views and materialized views that read @rel. */
static void dependent_views(struct ctx *c, const char *rel, enum pgs_lock_mode mode)
{
	for (size_t k = 0; k < c->s->n_tables; k++) {
		const struct sm_table *v = c->s->tables[k];
		for (size_t i = 0; i < v->n_depends; i++)
			if (!strcmp(v->depends[i], rel) && strcmp(v->name, rel))
				add_lock(c, v->name, mode);
	}
}

/* Tables with a column of domain @dom. */
static void domain_users(struct ctx *c, const char *dom, enum pgs_lock_mode mode, bool scans)
{
	for (size_t k = 0; dom && k < c->s->n_tables; k++) {
		const struct sm_table *t = c->s->tables[k];
		for (size_t i = 0; i < t->n_columns; i++) {
			if (t->columns[i].domain && !strcmp(t->columns[i].domain, dom)) {
				add_lock(c, t->name, mode);
				if (scans)
					scan(c, t->name, CAUSE_DOMAIN_VALIDATION, t->columns[i].name, -1, dom);
			}
		}
	}
}

static void drop(struct ctx *c, const PgQuery__DropStmt *ds)
{
	for (size_t i = 0; i < ds->n_objects; i++) {
		const PgQuery__Node *o = ds->objects[i];
		const char *q = NODE(o, LIST) ? schema_qualify_list(c->s, c->a, o->list->items, o->list->n_items) : NULL;
		switch (ds->remove_type) {
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE: {
			const struct sm_table *t = schema_table(c->s, q);
			add_lock(c, q, PGS_LOCK_ACCESS_EXCLUSIVE);
			if (!t)
				break;
			/* a partition is detached from its parent first */
			if (t->parent && !t->inherits)
				add_lock(c, t->parent, PGS_LOCK_ACCESS_EXCLUSIVE);
			if (ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
				dependent_views(c, q, PGS_LOCK_ACCESS_EXCLUSIVE);
			/* dropping its foreign keys removes triggers on the referenced tables */
			for (size_t k = 0; k < t->n_constraints; k++)
				if (t->constraints[k].kind == SM_CON_FOREIGN && t->constraints[k].ref_table &&
				    strcmp(t->constraints[k].ref_table, q)) {
					add_lock(c, t->constraints[k].ref_table, PGS_LOCK_ACCESS_EXCLUSIVE);
					note(c, CAUSE_FK_REFERENCED, t->constraints[k].ref_table, NULL, -1, NULL);
				}
			partitions_of(c, q, PGS_LOCK_ACCESS_EXCLUSIVE, false);
			if (ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE) {
				/* foreign keys pointing here are dropped: their tables are locked */
				for (size_t k = 0; k < c->s->n_tables; k++) {
					const struct sm_table *o2 = c->s->tables[k];
					for (size_t j = 0; j < o2->n_constraints; j++)
						if (o2->constraints[j].kind == SM_CON_FOREIGN &&
						    o2->constraints[j].ref_table &&
						    !strcmp(o2->constraints[j].ref_table, q) && strcmp(o2->name, q)) {
							add_lock(c, o2->name, PGS_LOCK_ACCESS_EXCLUSIVE);
							note(c, CAUSE_CASCADE, o2->name, NULL, -1, NULL);
						}
				}
			}
			break;
		}
		case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: {
			const struct sm_index *ix = schema_index(c->s, q);
			enum pgs_lock_mode m = ds->concurrent ? PGS_LOCK_SHARE_UPDATE_EXCLUSIVE :
				PGS_LOCK_ACCESS_EXCLUSIVE;
			add_lock_kind(c, q, ds->concurrent ? PGS_LOCK_ACCESS_EXCLUSIVE : m, 'i');
			if (ix) {
				add_lock(c, ix->table, m);
				/* a partitioned index goes with the index of every partition */
				if (is_partitioned(c, ix->table))
					partitions_of(c, ix->table, m, false);
			} else if (!ds->missing_ok) {
				unmodeled(c, arena_printf(c->a, "the table of index %s is unknown, so is the lock on it", q));
			}
			if (ds->concurrent)
				c->e->needs_no_transaction = true;
			break;
		}
		case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
			add_lock_kind(c, q, PGS_LOCK_ACCESS_EXCLUSIVE, 'S');
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
		case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
			/* (table, name): the table is locked */
			if (NODE(o, LIST) && o->list->n_items >= 2) {
				const char *tq = schema_qualify_list(c->s, c->a, o->list->items, o->list->n_items - 1);
				add_lock(c, tq, PGS_LOCK_ACCESS_EXCLUSIVE);
			}
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
			if (ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE) {
				const char *sn = node_string(o);
				size_t l = sn ? strlen(sn) : 0;
				for (size_t k = 0; sn && k < c->s->n_tables; k++)
					if (!strncmp(c->s->tables[k]->name, sn, l) && c->s->tables[k]->name[l] == '.')
						add_lock(c, c->s->tables[k]->name, PGS_LOCK_ACCESS_EXCLUSIVE);
			}
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_DATABASE:
			c->e->needs_no_transaction = true;
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
			/* CASCADE drops the columns of that type */
			if (ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE && NODE(o, TYPE_NAME))
				domain_users(c, schema_qualify_list(c->s, c->a, o->type_name->names,
								    o->type_name->n_names),
					     PGS_LOCK_ACCESS_EXCLUSIVE, false);
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
			if (ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
				unmodeled(c, "DROP TYPE ... CASCADE drops columns pgsafe cannot list");
			break;
		default:
			/* functions, extensions, ... take no table lock pgsafe models */
			break;
		}
	}
}

static void create_table(struct ctx *c, const PgQuery__CreateStmt *cs)
{
	const char *rel = qualify(c, cs->relation);
	if (cs->partbound) {
		for (size_t i = 0; i < cs->n_inh_relations; i++) {
			if (!NODE(cs->inh_relations[i], RANGE_VAR))
				continue;
			const char *parent = qualify(c, cs->inh_relations[i]->range_var);
			add_lock(c, parent, PGS_LOCK_ACCESS_EXCLUSIVE);
			const struct sm_table *dflt = schema_default_partition(c->s, parent);
			if (dflt && !cs->partbound->is_default) {
				add_lock(c, dflt->name, PGS_LOCK_ACCESS_EXCLUSIVE);
				scan(c, dflt->name, CAUSE_DEFAULT_PARTITION, NULL, cs->partbound->location, NULL);
			}
		}
	} else {
		for (size_t i = 0; i < cs->n_inh_relations; i++)
			if (NODE(cs->inh_relations[i], RANGE_VAR))
				add_lock(c, qualify(c, cs->inh_relations[i]->range_var),
					 PGS_LOCK_SHARE_UPDATE_EXCLUSIVE);
	}
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		const PgQuery__Node *e = cs->table_elts[i];
		if (NODE(e, CONSTRAINT) && e->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN) {
			add_lock(c, qualify(c, e->constraint->pktable), PGS_LOCK_SHARE_ROW_EXCLUSIVE);
		} else if (NODE(e, COLUMN_DEF)) {
			const PgQuery__ColumnDef *cd = e->column_def;
			for (size_t k = 0; k < cd->n_constraints; k++)
				if (NODE(cd->constraints[k], CONSTRAINT) &&
				    cd->constraints[k]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
					add_lock(c, qualify(c, cd->constraints[k]->constraint->pktable),
						 PGS_LOCK_SHARE_ROW_EXCLUSIVE);
		} else if (NODE(e, TABLE_LIKE_CLAUSE)) {
			add_lock(c, qualify(c, e->table_like_clause->relation), PGS_LOCK_ACCESS_SHARE);
		}
	}
	(void)rel;
}

static void alter_domain(struct ctx *c, const PgQuery__AlterDomainStmt *d)
{
	const char *dom = schema_qualify_list(c->s, c->a, d->type_name, d->n_type_name);
	char sub = d->subtype ? d->subtype[0] : '?';
	bool checks = false;
	if (sub == 'C' && NODE(d->def, CONSTRAINT))
		checks = !d->def->constraint->skip_validation;
	else if (sub == 'V' || sub == 'O')
		checks = true;
	if (!checks && sub != 'C')
		return;         /* SET/DROP DEFAULT, DROP CONSTRAINT, DROP NOT NULL: no table lock */
	if (!checks)
		return;         /* ADD ... NOT VALID checks nothing */
	domain_users(c, dom, PGS_LOCK_SHARE, true);
}

static void vacuum(struct ctx *c, const PgQuery__VacuumStmt *v)
{
	bool full = false, analyze_only = !v->is_vacuumcmd;
	for (size_t i = 0; i < v->n_options; i++) {
		if (!NODE(v->options[i], DEF_ELEM))
			continue;
		const PgQuery__DefElem *d = v->options[i]->def_elem;
		bool on = !d->arg || !(NODE(d->arg, STRING) && !strcasecmp(d->arg->string->sval, "false")) ;
		if (!strcmp(d->defname, "full") && on)
			full = true;
	}
	if (!analyze_only)
		c->e->needs_no_transaction = true;
	enum pgs_lock_mode mode = full ? PGS_LOCK_ACCESS_EXCLUSIVE : PGS_LOCK_SHARE_UPDATE_EXCLUSIVE;
	for (size_t i = 0; i < v->n_rels; i++) {
		const PgQuery__Node *r = v->rels[i];
		if (!NODE(r, VACUUM_RELATION) || !r->vacuum_relation->relation)
			continue;
		const char *rel = qualify(c, r->vacuum_relation->relation);
		add_lock(c, rel, mode);
		/* VACUUM and ANALYZE read the table outside the scan counters */
		if (full && !is_partitioned(c, rel))
			rewrite(c, rel, CAUSE_VACUUM_FULL, NULL, r->vacuum_relation->relation->location, NULL);
		if (is_partitioned(c, rel)) {
			partitions_of(c, rel, mode, false);
			if (full)
				replace_with_leaves(c, &c->e->rewrites, &c->e->n_rewrites, &c->e->cap_rewrites, rel, 0);
		}
	}
	if (!v->n_rels) {
		for (size_t k = 0; k < c->s->n_tables; k++) {
			const struct sm_table *t = c->s->tables[k];
			if (t->relkind != 'r' && t->relkind != 'm')
				continue;
			add_lock(c, t->name, mode);
			if (full)
				rewrite(c, t->name, CAUSE_VACUUM_FULL, NULL, -1, NULL);
		}
	}
}

static void reindex(struct ctx *c, const PgQuery__ReindexStmt *r)
{
	bool concurrently = false;
	for (size_t i = 0; i < r->n_params; i++)
		if (NODE(r->params[i], DEF_ELEM) && !strcmp(r->params[i]->def_elem->defname, "concurrently"))
			concurrently = true;
	if (concurrently) {
		c->e->needs_no_transaction = true;
		if (c->pg < 12)
			unmodeled(c, "REINDEX CONCURRENTLY needs PostgreSQL 12");
	}
	switch (r->kind) {
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX: {
		const char *iq = qualify(c, r->relation);
		const struct sm_index *ix = schema_index(c->s, iq);
		add_lock_kind(c, iq, concurrently ? PGS_LOCK_SHARE_UPDATE_EXCLUSIVE : PGS_LOCK_ACCESS_EXCLUSIVE, 'i');
		if (ix) {
			enum pgs_lock_mode m = concurrently ? PGS_LOCK_SHARE_UPDATE_EXCLUSIVE : PGS_LOCK_SHARE;
			add_lock(c, ix->table, m);
			if (is_partitioned(c, ix->table)) {
				partitions_of(c, ix->table, m, false);
				scan_indexed_leaves(c, ix->table, 0);
				c->e->needs_no_transaction = true;
				break;
			}
			scan(c, ix->table, CAUSE_INDEX_BUILD, NULL, r->relation->location, iq);
		} else {
			unmodeled(c, arena_printf(c->a, "the table of index %s is unknown, so is the lock on it", iq));
		}
		break;
	}
	case PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE: {
		const char *rel = qualify(c, r->relation);
		enum pgs_lock_mode m = concurrently ? PGS_LOCK_SHARE_UPDATE_EXCLUSIVE : PGS_LOCK_SHARE;
		add_lock(c, rel, m);
		if (is_partitioned(c, rel)) {
			/* each partition in a transaction of its own (PostgreSQL 14+) */
			partitions_of(c, rel, m, false);
			scan_indexed_leaves(c, rel, 0);
			c->e->needs_no_transaction = true;
			break;
		}
		scan(c, rel, CAUSE_INDEX_BUILD, NULL, r->relation->location, NULL);
		break;
	}
	default:
		/* SCHEMA, SYSTEM, DATABASE: every table, one transaction each */
		c->e->needs_no_transaction = true;
		break;
	}
}

static void lock_table(struct ctx *c, const PgQuery__LockStmt *l)
{
	enum pgs_lock_mode mode = l->mode >= 1 && l->mode <= 8 ? (enum pgs_lock_mode)l->mode :
		PGS_LOCK_ACCESS_EXCLUSIVE;
	for (size_t i = 0; i < l->n_relations; i++) {
		if (!NODE(l->relations[i], RANGE_VAR))
			continue;
		const char *rel = qualify(c, l->relations[i]->range_var);
		add_lock(c, rel, mode);
		if (l->relations[i]->range_var->inh)
			partitions_of(c, rel, mode, false);
		/* locking a view locks the tables it reads */
		const struct sm_table *v = schema_table(c->s, rel);
		for (size_t k = 0; v && v->relkind == 'v' && k < v->n_depends; k++)
			add_lock(c, v->depends[k], mode);
	}
}

/*
 * TRUNCATE gives the table a new, empty file (a new relfilenode) and
 * rebuilds its indexes on it, which counts as reading the (empty) table.
 */
static void truncated(struct ctx *c, const char *rel)
{
	if (is_partitioned(c, rel)) {
		partitions_of(c, rel, PGS_LOCK_ACCESS_EXCLUSIVE, false);
		for (size_t i = 0; i < c->s->n_tables; i++) {
			const struct sm_table *t = c->s->tables[i];
			if (t->parent && !strcmp(t->parent, rel) && strcmp(t->name, rel))
				truncated(c, t->name);
		}
		return;
	}
	add_name(c, &c->e->rewrites, &c->e->n_rewrites, &c->e->cap_rewrites, rel);
	if (has_index_up(c, rel))
		add_name(c, &c->e->scans, &c->e->n_scans, &c->e->cap_scans, rel);
}

static void truncate_tables(struct ctx *c, const PgQuery__TruncateStmt *t)
{
	for (size_t i = 0; i < t->n_relations; i++) {
		if (!NODE(t->relations[i], RANGE_VAR))
			continue;
		const char *rel = qualify(c, t->relations[i]->range_var);
		add_lock(c, rel, PGS_LOCK_ACCESS_EXCLUSIVE);
		truncated(c, rel);
		partitions_of(c, rel, PGS_LOCK_ACCESS_EXCLUSIVE, false);
		if (t->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE) {
			for (size_t k = 0; k < c->s->n_tables; k++) {
				const struct sm_table *o = c->s->tables[k];
				for (size_t j = 0; j < o->n_constraints; j++)
					if (o->constraints[j].kind == SM_CON_FOREIGN && o->constraints[j].ref_table &&
					    !strcmp(o->constraints[j].ref_table, rel)) {
						add_lock(c, o->name, PGS_LOCK_ACCESS_EXCLUSIVE);
						truncated(c, o->name);
						note(c, CAUSE_CASCADE, o->name, NULL, -1, NULL);
					}
			}
		}
	}
}

static void comment(struct ctx *c, const PgQuery__CommentStmt *cm)
{
	const PgQuery__Node *o = cm->object;
	switch (cm->objtype) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
		if (NODE(o, LIST))
			add_lock(c, schema_qualify_list(c->s, c->a, o->list->items, o->list->n_items),
				 PGS_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		if (NODE(o, LIST) && o->list->n_items >= 2)
			add_lock(c, schema_qualify_list(c->s, c->a, o->list->items, o->list->n_items - 1),
				 PGS_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
	case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
	case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
		if (NODE(o, LIST) && o->list->n_items >= 2)
			add_lock(c, schema_qualify_list(c->s, c->a, o->list->items, o->list->n_items - 1),
				 PGS_LOCK_ACCESS_SHARE);
		break;
	default:
		break;
	}
}

/* CREATE / ALTER SEQUENCE ... OWNED BY t.col reads t's definition. */
static void owned_by(struct ctx *c, PgQuery__Node **opts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!NODE(opts[i], DEF_ELEM) || strcmp(opts[i]->def_elem->defname, "owned_by"))
			continue;
		const PgQuery__Node *arg = opts[i]->def_elem->arg;
		if (NODE(arg, LIST) && arg->list->n_items >= 2)
			add_lock(c, schema_qualify_list(c->s, c->a, arg->list->items, arg->list->n_items - 1),
				 PGS_LOCK_ACCESS_SHARE);
	}
}

/* ---------------------------------------------------------------------
 * Entry point
 * ------------------------------------------------------------------- */

int effects_compute(const struct effects_input *in, struct arena *a,
		    const PgQuery__Node *n, struct effects *out)
{
	struct ctx c = { .in = in, .a = a, .e = out, .s = in->schema, .pg = in->pg_version,
			 .stmt = n };
	memset(out, 0, sizeof(*out));
	out->modeled = true;
	if (!n) {
		unmodeled(&c, "empty statement");
		return PGS_OK;
	}
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		c.missing_ok = n->alter_table_stmt->missing_ok;
		alter_table(&c, n->alter_table_stmt);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT: {
		const PgQuery__RenameStmt *r = n->rename_stmt;
		const char *rel = r->relation ? qualify(&c, r->relation) : NULL;
		c.missing_ok = r->missing_ok;
		switch (r->rename_type) {
		case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
			/* PostgreSQL 12+: SHARE UPDATE EXCLUSIVE for ALTER INDEX RENAME */
			add_lock_kind(&c, rel, c.pg >= 12 ? PGS_LOCK_SHARE_UPDATE_EXCLUSIVE :
				      PGS_LOCK_ACCESS_EXCLUSIVE, 'i');
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
		case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
		case PG_QUERY__OBJECT_TYPE__OBJECT_RULE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_POLICY:
			if (rel)
				add_lock(&c, rel, PGS_LOCK_ACCESS_EXCLUSIVE);
			break;
		default:
			/* schemas, types, functions, ...: no table lock */
			break;
		}
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT:
		if (n->alter_object_schema_stmt->relation)
			add_lock(&c, qualify(&c, n->alter_object_schema_stmt->relation), PGS_LOCK_ACCESS_EXCLUSIVE);
		break;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		create_index(&c, n->index_stmt);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		c.missing_ok = n->drop_stmt->missing_ok;
		drop(&c, n->drop_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		create_table(&c, n->create_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
		const PgQuery__CreateTableAsStmt *ct = n->create_table_as_stmt;
		if (ct->into && ct->into->skip_data)
			read_tables(&c, ct->query, false);
		else
			read_tables_fully(&c, ct->query);
		break;
	}
	case PG_QUERY__NODE__NODE_VIEW_STMT: {
		const PgQuery__ViewStmt *v = n->view_stmt;
		read_tables(&c, v->query, false);
		if (v->replace) {
			const char *vq = qualify(&c, v->view);
			if (schema_table(c.s, vq))
				add_lock(&c, vq, PGS_LOCK_ACCESS_EXCLUSIVE);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT: {
		const PgQuery__RefreshMatViewStmt *r = n->refresh_mat_view_stmt;
		const char *mv = qualify(&c, r->relation);
		const struct sm_table *mt = schema_table(c.s, mv);
		add_lock_kind(&c, mv, r->concurrent ? PGS_LOCK_EXCLUSIVE : PGS_LOCK_ACCESS_EXCLUSIVE, 'm');
		/* the query runs again: its tables are read in full */
		for (size_t i = 0; !r->skip_data && mt && i < mt->n_depends; i++) {
			add_lock(&c, mt->depends[i], PGS_LOCK_ACCESS_SHARE);
			scan(&c, mt->depends[i], CAUSE_REFRESH_MATVIEW, NULL, r->relation->location, NULL);
		}
		if (!r->concurrent) {
			/* a new heap; rebuilding its indexes reads it */
			add_name(&c, &out->rewrites, &out->n_rewrites, &out->cap_rewrites, mv);
			note(&c, CAUSE_REFRESH_MATVIEW, mv, NULL, r->relation->location, NULL);
			if (schema_table_has_index(c.s, mv))
				add_name(&c, &out->scans, &out->n_scans, &out->cap_scans, mv);
		} else {
			/* the new result is compared with the old one */
			scan(&c, mv, CAUSE_REFRESH_MATVIEW, NULL, r->relation->location, NULL);
		}
		if (!mt)
			unmodeled(&c, "the materialized view's query is unknown, so the tables it reads are too");
		break;
	}
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		truncate_tables(&c, n->truncate_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT: {
		const PgQuery__CreateTrigStmt *t = n->create_trig_stmt;
		add_lock(&c, qualify(&c, t->relation), PGS_LOCK_SHARE_ROW_EXCLUSIVE);
		if (t->constrrel)
			add_lock(&c, qualify(&c, t->constrrel), PGS_LOCK_ACCESS_SHARE);
		break;
	}
	case PG_QUERY__NODE__NODE_RULE_STMT: {
		const PgQuery__RuleStmt *rs = n->rule_stmt;
		add_lock(&c, qualify(&c, rs->relation), PGS_LOCK_ACCESS_EXCLUSIVE);
		/* the actions are analyzed now: their tables are opened as they would be run */
		for (size_t i = 0; i < rs->n_actions; i++) {
			const PgQuery__Node *act = rs->actions[i];
			const PgQuery__RangeVar *target = NODE(act, INSERT_STMT) ? act->insert_stmt->relation :
				NODE(act, UPDATE_STMT) ? act->update_stmt->relation :
				NODE(act, DELETE_STMT) ? act->delete_stmt->relation : NULL;
			read_tables(&c, act, false);
			if (target)
				add_lock(&c, qualify(&c, target), PGS_LOCK_ROW_EXCLUSIVE);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
		add_lock(&c, qualify(&c, n->create_policy_stmt->table), PGS_LOCK_ACCESS_EXCLUSIVE);
		break;
	case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT:
		add_lock(&c, qualify(&c, n->alter_policy_stmt->table), PGS_LOCK_ACCESS_EXCLUSIVE);
		break;
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
		/* PostgreSQL 12+ allows ADD VALUE in a transaction block */
		if (!n->alter_enum_stmt->old_val || !*n->alter_enum_stmt->old_val)
			out->needs_no_transaction = c.pg < 12;
		break;
	case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT:
		alter_domain(&c, n->alter_domain_stmt);
		break;
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
		vacuum(&c, n->vacuum_stmt);
		break;
	case PG_QUERY__NODE__NODE_CLUSTER_STMT: {
		const PgQuery__ClusterStmt *cl = n->cluster_stmt;
		if (cl->relation) {
			const char *rel = qualify(&c, cl->relation);
			add_lock(&c, rel, PGS_LOCK_ACCESS_EXCLUSIVE);
			rewrite(&c, rel, CAUSE_CLUSTER, NULL, cl->relation->location, NULL);
		} else {
			out->needs_no_transaction = true;
			unmodeled(&c, "CLUSTER without a table reclusters every clustered table");
		}
		break;
	}
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		reindex(&c, n->reindex_stmt);
		break;
	case PG_QUERY__NODE__NODE_LOCK_STMT:
		lock_table(&c, n->lock_stmt);
		break;
	case PG_QUERY__NODE__NODE_INSERT_STMT:
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		dml(&c, n);
		break;
	case PG_QUERY__NODE__NODE_SELECT_STMT:
		read_tables(&c, n, true);
		break;
	case PG_QUERY__NODE__NODE_COPY_STMT: {
		const PgQuery__CopyStmt *cp = n->copy_stmt;
		if (cp->relation) {
			const char *rel = qualify(&c, cp->relation);
			add_lock(&c, rel, cp->is_from ? PGS_LOCK_ROW_EXCLUSIVE : PGS_LOCK_ACCESS_SHARE);
			if (!cp->is_from)
				scan(&c, rel, CAUSE_QUERY_READ, NULL, cp->relation->location, NULL);
		} else if (cp->query) {
			read_tables(&c, cp->query, true);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_COMMENT_STMT:
		comment(&c, n->comment_stmt);
		break;
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		out->is_transaction_control = true;
		break;
	case PG_QUERY__NODE__NODE_CREATEDB_STMT:
	case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
	case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
	case PG_QUERY__NODE__NODE_DROPDB_STMT:
		out->needs_no_transaction = true;
		break;
	case PG_QUERY__NODE__NODE_CREATE_STATS_STMT:
		if (n->create_stats_stmt->n_relations && NODE(n->create_stats_stmt->relations[0], RANGE_VAR))
			add_lock(&c, qualify(&c, n->create_stats_stmt->relations[0]->range_var),
				 PGS_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
		add_lock_kind(&c, qualify(&c, n->alter_seq_stmt->sequence), PGS_LOCK_SHARE_ROW_EXCLUSIVE, 'S');
		owned_by(&c, n->alter_seq_stmt->options, n->alter_seq_stmt->n_options);
		break;
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		owned_by(&c, n->create_seq_stmt->options, n->create_seq_stmt->n_options);
		break;
	case PG_QUERY__NODE__NODE_MERGE_STMT: {
		const PgQuery__MergeStmt *m = n->merge_stmt;
		const char *target = qualify(&c, m->relation);
		/* the join reads both sides in full unless an index serves it */
		read_tables_fully(&c, m->source_relation);
		add_lock(&c, target, PGS_LOCK_ROW_EXCLUSIVE);
		scan(&c, target, CAUSE_QUERY_READ, NULL, m->relation->location, NULL);
		break;
	}

	/* statements that lock no table (catalog rows only) */
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
	case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
	case PG_QUERY__NODE__NODE_GRANT_STMT:
	case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
	case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
	case PG_QUERY__NODE__NODE_ALTER_FUNCTION_STMT:
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
	case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_RANGE_STMT:
	case PG_QUERY__NODE__NODE_DEFINE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_ROLE_SET_STMT:
	case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
	case PG_QUERY__NODE__NODE_CREATE_CAST_STMT:
	case PG_QUERY__NODE__NODE_NOTIFY_STMT:
	case PG_QUERY__NODE__NODE_LISTEN_STMT:
	case PG_QUERY__NODE__NODE_DISCARD_STMT:
	case PG_QUERY__NODE__NODE_CHECK_POINT_STMT:
	case PG_QUERY__NODE__NODE_ALTER_EXTENSION_STMT:
	case PG_QUERY__NODE__NODE_ALTER_DATABASE_SET_STMT:
	case PG_QUERY__NODE__NODE_CREATE_CONVERSION_STMT:
	case PG_QUERY__NODE__NODE_CREATE_OP_CLASS_STMT:
	case PG_QUERY__NODE__NODE_CREATE_OP_FAMILY_STMT:
	case PG_QUERY__NODE__NODE_CREATE_EVENT_TRIG_STMT:
	case PG_QUERY__NODE__NODE_ALTER_EVENT_TRIG_STMT:
	case PG_QUERY__NODE__NODE_CREATE_PUBLICATION_STMT:
	case PG_QUERY__NODE__NODE_ALTER_PUBLICATION_STMT:
	case PG_QUERY__NODE__NODE_SEC_LABEL_STMT:
	case PG_QUERY__NODE__NODE_DEALLOCATE_STMT:
	case PG_QUERY__NODE__NODE_PREPARE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_TRANSFORM_STMT:
	case PG_QUERY__NODE__NODE_CREATE_FDW_STMT:
	case PG_QUERY__NODE__NODE_CREATE_FOREIGN_SERVER_STMT:
	case PG_QUERY__NODE__NODE_CREATE_USER_MAPPING_STMT:
	case PG_QUERY__NODE__NODE_ALTER_TYPE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_COLLATION_STMT:
	case PG_QUERY__NODE__NODE_ALTER_TSCONFIGURATION_STMT:
	case PG_QUERY__NODE__NODE_ALTER_TSDICTIONARY_STMT:
		break;

	case PG_QUERY__NODE__NODE_DO_STMT:
		unmodeled(&c, "a DO block runs code pgsafe does not analyze yet");
		break;
	case PG_QUERY__NODE__NODE_CALL_STMT:
		unmodeled(&c, "CALL runs a procedure whose body pgsafe does not see");
		break;
	case PG_QUERY__NODE__NODE_EXECUTE_STMT:
		unmodeled(&c, "EXECUTE runs a prepared statement pgsafe does not see");
		break;
	default:
		unmodeled(&c, arena_printf(a, "pgsafe has no model of %s", parse_node_kind(n)));
		break;
	}
	return a->failed ? PGS_ERR_NOMEM : PGS_OK;
}
