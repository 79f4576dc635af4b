/*
 * schema.c - the catalog replay (schema.h).
 *
 * Only what the effects model and rules need is modeled; everything else a
 * statement does is ignored here (and the effects model says whether it
 * understood the statement). Names are stored schema-qualified and
 * unquoted, as pg_namespace.nspname || '.' || pg_class.relname.
 */
#include "schema.h"

#include "walk.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define NODE(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

const char *node_string(const PgQuery__Node *n)
{
	if (NODE(n, STRING))
		return n->string->sval;
	return NULL;
}

const char *node_constant(const PgQuery__Node *n)
{
	static char buf[4][32];
	static int next;
	while (NODE(n, TYPE_CAST))
		n = n->type_cast->arg;
	if (!NODE(n, A_CONST) || n->a_const->isnull)
		return NULL;
	const PgQuery__AConst *c = n->a_const;
	switch (c->val_case) {
	case PG_QUERY__A__CONST__VAL_SVAL:
		return c->sval->sval;
	case PG_QUERY__A__CONST__VAL_FVAL:
		return c->fval->fval;
	case PG_QUERY__A__CONST__VAL_IVAL: {
		char *b = buf[next++ & 3];
		snprintf(b, sizeof(buf[0]), "%d", c->ival ? c->ival->ival : 0);
		return b;
	}
	default:
		return NULL;
	}
}

const PgQuery__Constraint *column_constraint(const PgQuery__ColumnDef *cd, PgQuery__ConstrType type)
{
	for (size_t i = 0; cd && i < cd->n_constraints; i++)
		if (NODE(cd->constraints[i], CONSTRAINT) && cd->constraints[i]->constraint->contype == type)
			return cd->constraints[i]->constraint;
	return NULL;
}

bool node_is_null_const(const PgQuery__Node *n)
{
	while (NODE(n, TYPE_CAST))
		n = n->type_cast->arg;
	return NODE(n, A_CONST) && n->a_const->isnull;
}

bool type_is_serial(const char *t)
{
	return t && (!strcmp(t, "serial") || !strcmp(t, "bigserial") || !strcmp(t, "smallserial") ||
		     !strcmp(t, "serial2") || !strcmp(t, "serial4") || !strcmp(t, "serial8"));
}

void schema_init(struct schema *s, struct arena *run_arena)
{
	memset(s, 0, sizeof(*s));
	s->a = run_arena;
	s->search_path[0] = "public";
	s->n_search_path = 1;
	s->timezone_utc = true;
}

void schema_begin_file(struct schema *s, int file_index)
{
	s->current_file = file_index;
	/* each migration runs in a new session */
	s->search_path[0] = "public";
	s->n_search_path = 1;
	s->timezone_utc = true;
}

/* ---------------------------------------------------------------------
 * Lookups
 * ------------------------------------------------------------------- */

/* ---------------------------------------------------------------------
 * Name maps (see struct name_map)
 * ------------------------------------------------------------------- */

static uint64_t hash_name(const char *p)
{
	uint64_t h = 1469598103934665603ull;       /* FNV-1a */
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

static const char *table_key(const struct schema *s, size_t i)
{
	return s->tables[i]->name;
}

static const char *index_key(const struct schema *s, size_t i)
{
	return s->indexes[i].name;
}

static void map_insert(struct name_map *m, const char *key, size_t pos)
{
	size_t mask = m->cap - 1;
	for (size_t i = hash_name(key) & mask;; i = (i + 1) & mask) {
		if (!m->slots[i]) {
			m->slots[i] = (uint32_t)pos + 1;
			return;
		}
	}
}

/* Makes room for @n entries and re-inserts them all when stale or too full. */
static bool map_fit(const struct schema *s, struct name_map *m, size_t n,
		    const char *(*key)(const struct schema *, size_t), bool force)
{
	size_t want = m->cap ? m->cap : 64;
	while (want < 2 * (n + 1))
		want *= 2;
	if (want == m->cap && !m->stale && !force)
		return true;
	if (want != m->cap) {
		/* capacity doubles, so the arena holds at most twice the final map */
		uint32_t *ns = arena_alloc(s->a, want * sizeof(*ns));
		if (!ns)
			return false;
		m->slots = ns;
		m->cap = want;
	}
	memset(m->slots, 0, m->cap * sizeof(*m->slots));
	for (size_t i = 0; i < n; i++)
		map_insert(m, key(s, i), i);
	m->stale = false;
	return true;
}

static long map_find(const struct schema *cs, struct name_map *m, size_t n,
		     const char *(*key)(const struct schema *, size_t), const char *name)
{
	if (n == 0)
		return -1;
	if ((m->stale || !m->cap || m->cap < 2 * (n + 1)) && !map_fit(cs, m, n, key, true)) {
		for (size_t i = 0; i < n; i++)      /* out of memory: the slow way */
			if (!strcmp(key(cs, i), name))
				return (long)i;
		return -1;
	}
	size_t mask = m->cap - 1;
	for (size_t i = hash_name(name) & mask; m->slots[i]; i = (i + 1) & mask) {
		size_t pos = m->slots[i] - 1;
		if (pos < n && !strcmp(key(cs, pos), name))
			return (long)pos;
	}
	return -1;
}

void schema_names_changed(struct schema *s)
{
	s->table_map.stale = true;
	s->index_map.stale = true;
}

void schema_release(struct schema *s)
{
	/* the maps live in the run arena too: nothing to free on its own */
	memset(&s->table_map, 0, sizeof(s->table_map));
	memset(&s->index_map, 0, sizeof(s->index_map));
}

/* Appends keep the maps current; a full map is rebuilt larger on lookup. */
static void note_appended_table(struct schema *s)
{
	struct name_map *m = &s->table_map;
	if (!m->stale && m->cap >= 2 * (s->n_tables + 1))
		map_insert(m, table_key(s, s->n_tables - 1), s->n_tables - 1);
	else
		m->stale = true;
}

static void note_appended_index(struct schema *s)
{
	struct name_map *m = &s->index_map;
	if (!m->stale && m->cap >= 2 * (s->n_indexes + 1))
		map_insert(m, index_key(s, s->n_indexes - 1), s->n_indexes - 1);
	else
		m->stale = true;
}

struct sm_table *schema_table(const struct schema *s, const char *qname)
{
	if (!qname)
		return NULL;
	/* the maps are a cache: lookups may refresh them */
	struct schema *ms = (struct schema *)s;
	long i = map_find(s, &ms->table_map, s->n_tables, table_key, qname);
	return i < 0 ? NULL : s->tables[i];
}

struct sm_index *schema_index(const struct schema *s, const char *qname)
{
	if (!qname)
		return NULL;
	struct schema *ms = (struct schema *)s;
	long i = map_find(s, &ms->index_map, s->n_indexes, index_key, qname);
	return i < 0 ? NULL : &s->indexes[i];
}

struct sm_domain *schema_domain(const struct schema *s, const char *qname)
{
	if (!qname)
		return NULL;
	for (size_t i = 0; i < s->n_domains; i++)
		if (!strcmp(s->domains[i].name, qname))
			return &s->domains[i];
	return NULL;
}

struct sm_column *schema_column(const struct sm_table *t, const char *name)
{
	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->n_columns; i++)
		if (!strcmp(t->columns[i].name, name))
			return &t->columns[i];
	return NULL;
}

bool schema_table_is_new(const struct schema *s, const char *qname)
{
	struct sm_table *t = schema_table(s, qname);
	return t && t->created_in_file == s->current_file;
}

struct sm_table *schema_default_partition(const struct schema *s, const char *parent)
{
	for (size_t i = 0; i < s->n_tables; i++) {
		struct sm_table *t = s->tables[i];
		if (t->is_default_partition && !t->inherits && t->parent && !strcmp(t->parent, parent))
			return t;
	}
	return NULL;
}

bool schema_column_has_index(const struct schema *s, const char *table, const char *column)
{
	for (size_t i = 0; i < s->n_indexes; i++)
		if (!strcmp(s->indexes[i].table, table) && s->indexes[i].n_columns &&
		    !strcmp(s->indexes[i].columns[0], column))
			return true;
	return false;
}

bool schema_table_has_index(const struct schema *s, const char *table)
{
	for (size_t i = 0; i < s->n_indexes; i++)
		if (!strcmp(s->indexes[i].table, table))
			return true;
	return false;
}

bool schema_has_validated_not_null_check(const struct sm_table *t, const char *column)
{
	if (!t)
		return false;
	for (size_t i = 0; i < t->n_constraints; i++) {
		const struct sm_constraint *c = &t->constraints[i];
		if (c->kind == SM_CON_CHECK && c->validated && c->not_null_column &&
		    !strcmp(c->not_null_column, column))
			return true;
	}
	return false;
}

/* "schema.name" into @buf; false when it does not fit (no PostgreSQL name is that long). */
static bool join_name(char *buf, size_t size, const char *schema_name, const char *name)
{
	size_t ls = strlen(schema_name), ln = strlen(name);
	if (ls + 1 + ln + 1 > size)
		return false;
	memcpy(buf, schema_name, ls);
	buf[ls] = '.';
	memcpy(buf + ls + 1, name, ln + 1);
	return true;
}

/* Whether a lookup of @name in @schema_name would find something. */
static bool exists_in(const struct schema *s, const char *schema_name, const char *name)
{
	char q[512];
	if (!join_name(q, sizeof(q), schema_name, name))
		return false;
	if (schema_table(s, q) || schema_index(s, q))
		return true;
	for (size_t i = 0; i < s->n_domains; i++)
		if (!strcmp(s->domains[i].name, q))
			return true;
	return false;
}

static const char *qualified(struct arena *a, const char *schema_name, const char *name)
{
	size_t ls = strlen(schema_name), ln = strlen(name);
	char *q = arena_alloc(a, ls + ln + 2);
	if (q)
		join_name(q, ls + ln + 2, schema_name, name);
	return q;
}

static const char *qualify(const struct schema *s, struct arena *a, const char *schema_name,
			   const char *name)
{
	if (schema_name && *schema_name)
		return qualified(a, schema_name, name);
	/* the session's temporary tables come before the search path */
	if (exists_in(s, "pg_temp", name))
		return qualified(a, "pg_temp", name);
	/* a single-schema path needs no search */
	if (s->n_search_path <= 1)
		return qualified(a, s->n_search_path ? s->search_path[0] : "public", name);
	for (size_t i = 0; i < s->n_search_path; i++)
		if (exists_in(s, s->search_path[i], name))
			return qualified(a, s->search_path[i], name);
	/* creation goes to the first schema of the path */
	return qualified(a, s->search_path[0], name);
}

const char *schema_qualify(const struct schema *s, struct arena *a, const PgQuery__RangeVar *rv)
{
	if (!rv)
		return NULL;
	if (rv->relpersistence && rv->relpersistence[0] == 't' && !(rv->schemaname && *rv->schemaname))
		return arena_printf(a, "pg_temp.%s", rv->relname);
	return qualify(s, a, rv->schemaname, rv->relname);
}

const char *schema_qualify_list(const struct schema *s, struct arena *a,
				PgQuery__Node **names, size_t n)
{
	if (n == 0)
		return NULL;
	const char *last = node_string(names[n - 1]);
	if (!last)
		return NULL;
	const char *sch = n >= 2 ? node_string(names[n - 2]) : NULL;
	return qualify(s, a, sch, last);
}

/* ---------------------------------------------------------------------
 * Types
 * ------------------------------------------------------------------- */

static const char *canonical_type(const char *name)
{
	static const char *const alias[][2] = {
		{ "int", "int4" }, { "integer", "int4" }, { "smallint", "int2" },
		{ "bigint", "int8" }, { "boolean", "bool" }, { "real", "float4" },
		{ "float", "float8" }, { "decimal", "numeric" }, { "character", "bpchar" },
		{ "char", "bpchar" }, { "character varying", "varchar" },
		{ "timestamp with time zone", "timestamptz" },
		{ "timestamp without time zone", "timestamp" },
		{ "time with time zone", "timetz" }, { "time without time zone", "time" },
		{ "double precision", "float8" },
	};
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (!strcasecmp(name, alias[i][0]))
			return alias[i][1];
	return name;
}

static bool const_int(const PgQuery__Node *n, int32_t *out)
{
	if (NODE(n, A_CONST) && n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
		*out = n->a_const->ival ? n->a_const->ival->ival : 0;
		return true;
	}
	if (NODE(n, INTEGER)) {
		*out = n->integer->ival;
		return true;
	}
	return false;
}

void schema_type_from_node(const struct schema *s, struct arena *a,
			   const PgQuery__TypeName *tn, struct sm_type *out)
{
	memset(out, 0, sizeof(*out));
	if (!tn || tn->n_names == 0) {
		out->name = "unknown";
		return;
	}
	const char *last = node_string(tn->names[tn->n_names - 1]);
	const char *first = tn->n_names >= 2 ? node_string(tn->names[tn->n_names - 2]) : NULL;
	out->name = arena_strdup(a, canonical_type(last ? last : "unknown"));
	if (first && strcmp(first, "pg_catalog"))
		out->schema = arena_strdup(a, first);
	else if (!first && !schema_domain(s, NULL))
		out->schema = NULL;
	out->n_typmods = 0;
	for (size_t i = 0; i < tn->n_typmods && i < 2; i++) {
		int32_t v;
		if (!const_int(tn->typmods[i], &v)) {
			out->n_typmods = -1;
			break;
		}
		out->typmods[i] = v;
		out->n_typmods++;
	}
	out->array_dims = (int)tn->n_array_bounds;
}

/* ---------------------------------------------------------------------
 * Building the catalog
 * ------------------------------------------------------------------- */

static struct sm_table *add_table(struct schema *s, const char *qname, char relkind, unsigned line)
{
	struct sm_table *t = arena_alloc(s->a, sizeof(*t));
	if (!t)
		return NULL;
	t->name = arena_strdup(s->a, qname);
	t->relkind = relkind;
	t->created_in_file = s->current_file;
	t->created_line = line;
	/* CREATE over an existing name (IF NOT EXISTS, or replay of a dump): replace */
	long at = map_find(s, &s->table_map, s->n_tables, table_key, qname);
	if (at >= 0) {
		s->tables[at] = t;
		return t;
	}
	if (ARENA_PUSH(s->a, s->tables, s->n_tables, s->cap_tables, t))
		return NULL;
	note_appended_table(s);
	return t;
}

static void remove_table(struct schema *s, const char *qname)
{
	size_t w = 0;
	for (size_t i = 0; i < s->n_tables; i++)
		if (strcmp(s->tables[i]->name, qname))
			s->tables[w++] = s->tables[i];
	s->n_tables = w;
	w = 0;
	for (size_t i = 0; i < s->n_indexes; i++)
		if (strcmp(s->indexes[i].table, qname))
			s->indexes[w++] = s->indexes[i];
	s->n_indexes = w;
	schema_names_changed(s);
}

static struct sm_column *add_column(struct schema *s, struct sm_table *t, const char *name)
{
	struct sm_column c = { .name = arena_strdup(s->a, name) };
	if (ARENA_PUSH(s->a, t->columns, t->n_columns, t->cap_columns, c))
		return NULL;
	return &t->columns[t->n_columns - 1];
}

static const char **names_of(struct schema *s, PgQuery__Node **nodes, size_t n)
{
	const char **out = arena_alloc(s->a, (n ? n : 1) * sizeof(char *));
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *v = node_string(nodes[i]);
		if (NODE(nodes[i], INDEX_ELEM))
			v = nodes[i]->index_elem->name;
		out[i] = arena_strdup(s->a, v && *v ? v : "?");
	}
	return out;
}

const char *check_is_not_null_column(const PgQuery__Node *expr)
{
	if (!NODE(expr, NULL_TEST))
		return NULL;
	const PgQuery__NullTest *nt = expr->null_test;
	if (nt->nulltesttype != PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL || nt->argisrow)
		return NULL;
	if (!NODE(nt->arg, COLUMN_REF) || nt->arg->column_ref->n_fields != 1)
		return NULL;
	return node_string(nt->arg->column_ref->fields[0]);
}

struct colref_walk {
	struct arena *a;
	char *acc;
};

static bool colref_visit(const PgQuery__Node *n, void *p)
{
	struct colref_walk *w = p;
	if (NODE(n, COLUMN_REF) && n->column_ref->n_fields) {
		const char *name = node_string(n->column_ref->fields[n->column_ref->n_fields - 1]);
		if (name)
			w->acc = arena_printf(w->a, "%s%s ", w->acc ? w->acc : " ", name);
	}
	return true;
}

/* " a b ": the columns tested IS NOT NULL at the top of an AND chain. */
static const char *not_null_tests(struct arena *a, const PgQuery__Node *e, const char *acc)
{
	if (NODE(e, BOOL_EXPR) && e->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
		for (size_t i = 0; i < e->bool_expr->n_args; i++)
			acc = not_null_tests(a, e->bool_expr->args[i], acc);
		return acc;
	}
	const char *col = check_is_not_null_column(e);
	return col ? arena_printf(a, "%s%s ", acc ? acc : " ", col) : acc;
}

/* " a b ": the columns a CHECK expression names, for whole-word search. */
static const char *columns_named(struct arena *a, const PgQuery__Node *expr)
{
	struct colref_walk w = { a, NULL };
	if (expr)
		WALK_NODE(expr, colref_visit, &w);
	return w.acc;
}

static void set_not_null(struct sm_table *t, const char *col)
{
	struct sm_column *c = schema_column(t, col);
	if (c)
		c->not_null = true;
}

static int add_constraint(struct schema *s, struct sm_table *t, const PgQuery__Constraint *con,
			  const char *column)
{
	struct sm_constraint c = { 0 };
	switch (con->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		c.kind = SM_CON_CHECK;
		c.not_null_column = check_is_not_null_column(con->raw_expr);
		if (c.not_null_column)
			c.not_null_column = arena_strdup(s->a, c.not_null_column);
		c.check_columns = columns_named(s->a, con->raw_expr);
		c.check_not_null = not_null_tests(s->a, con->raw_expr, NULL);
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		c.kind = SM_CON_FOREIGN;
		c.ref_table = arena_strdup(s->a, schema_qualify(s, s->a, con->pktable));
		c.ref_columns = names_of(s, con->pk_attrs, con->n_pk_attrs);
		c.n_ref_columns = con->n_pk_attrs;
		c.on_delete = con->fk_del_action && *con->fk_del_action ? con->fk_del_action[0] : 'a';
		c.on_update = con->fk_upd_action && *con->fk_upd_action ? con->fk_upd_action[0] : 'a';
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		c.kind = SM_CON_PRIMARY;
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		c.kind = SM_CON_UNIQUE;
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
		c.kind = SM_CON_EXCLUSION;
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
		if (column)
			set_not_null(t, column);
		return 0;
	default:
		return 0;
	}
	c.validated = !con->skip_validation;
	c.name = con->conname && *con->conname ? arena_strdup(s->a, con->conname) : NULL;
	if (column) {
		c.columns = arena_alloc(s->a, sizeof(char *));
		if (!c.columns)
			return PGS_ERR_NOMEM;
		c.columns[0] = arena_strdup(s->a, column);
		c.n_columns = 1;
	} else {
		PgQuery__Node **keys = con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN ?
			con->fk_attrs : con->keys;
		size_t nk = con->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN ?
			con->n_fk_attrs : con->n_keys;
		c.columns = names_of(s, keys, nk);
		c.n_columns = nk;
	}
	if (!c.name) {
		/* PostgreSQL's default names, enough to find the constraint again */
		const char *suffix = c.kind == SM_CON_PRIMARY ? "pkey" :
			c.kind == SM_CON_FOREIGN ? "fkey" : c.kind == SM_CON_UNIQUE ? "key" :
			c.kind == SM_CON_EXCLUSION ? "excl" : "check";
		const char *dot = strchr(t->name, '.');
		const char *rel = dot ? dot + 1 : t->name;
		if (c.kind == SM_CON_PRIMARY || !c.n_columns)
			c.name = arena_printf(s->a, "%s_%s", rel, suffix);
		else
			c.name = arena_printf(s->a, "%s_%s_%s", rel, c.columns[0], suffix);
	}
	if (c.kind == SM_CON_PRIMARY)
		for (size_t i = 0; i < c.n_columns; i++)
			set_not_null(t, c.columns[i]);
	if (c.kind == SM_CON_PRIMARY || c.kind == SM_CON_UNIQUE || c.kind == SM_CON_EXCLUSION) {
		/* the constraint's index carries the constraint's name */
		const char *dot = strchr(t->name, '.');
		const char *sch = dot ? arena_strndup(s->a, t->name, (size_t)(dot - t->name)) : "public";
		const char *iname = arena_printf(s->a, "%s.%s", sch, c.name);
		struct sm_index *existing = NULL;
		if (con->indexname && *con->indexname) {
			/* USING INDEX renames the index to the constraint's name */
			existing = schema_index(s, arena_printf(s->a, "%s.%s", sch, con->indexname));
			if (existing) {
				existing->name = iname;
				schema_names_changed(s);
			}
		}
		if (!existing) {
			struct sm_index ix = { .name = iname, .table = t->name,
					       .unique = c.kind != SM_CON_EXCLUSION,
					       .columns = c.columns, .n_columns = c.n_columns };
			if (ARENA_PUSH(s->a, s->indexes, s->n_indexes, s->cap_indexes, ix))
				return PGS_ERR_NOMEM;
			note_appended_index(s);
		}
	}
	return ARENA_PUSH(s->a, t->constraints, t->n_constraints, t->cap_constraints, c);
}

static int apply_column_def(struct schema *s, struct sm_table *t, const PgQuery__ColumnDef *cd)
{
	struct sm_column *c = add_column(s, t, cd->colname);
	if (!c)
		return PGS_ERR_NOMEM;
	schema_type_from_node(s, s->a, cd->type_name, &c->type);
	const char *tq = schema_qualify_list(s, s->a, cd->type_name ? cd->type_name->names : NULL,
					     cd->type_name ? cd->type_name->n_names : 0);
	if (tq && schema_domain(s, tq))
		c->domain = arena_strdup(s->a, tq);
	c->not_null = cd->is_not_null;
	c->has_default = cd->raw_default != NULL;
	if (type_is_serial(c->type.name)) {
		c->not_null = true;
		c->has_default = true;
		/*
		 * serial is no type: the column is an integer of its width with a
		 * nextval() default, as the catalog (and pg_dump) has it, so a
		 * later type change reads the same after migrations and after a
		 * schema dump (tests/dump.sh).
		 */
		c->type.name = !strcmp(c->type.name, "bigserial") || !strcmp(c->type.name, "serial8") ? "int8" :
			!strcmp(c->type.name, "smallserial") || !strcmp(c->type.name, "serial2") ? "int2" : "int4";
	}
	for (size_t i = 0; i < cd->n_constraints; i++) {
		const PgQuery__Node *n = cd->constraints[i];
		if (!NODE(n, CONSTRAINT))
			continue;
		const PgQuery__Constraint *con = n->constraint;
		switch (con->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
			c->has_default = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
			c->identity = true;
			c->not_null = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
			c->generated = true;
			break;
		default:
			if (add_constraint(s, t, con, cd->colname))
				return PGS_ERR_NOMEM;
		}
	}
	return 0;
}

/*
 * LIKE copies the columns with their types and NOT NULL (always), and
 * CHECK constraints with INCLUDING CONSTRAINTS (parse_utilcmd.c).
 */
#define LIKE_CONSTRAINTS (1u << 2)
#define LIKE_INDEXES (1u << 6)

static int apply_like(struct schema *s, struct sm_table *t, const PgQuery__TableLikeClause *like)
{
	const struct sm_table *src = schema_table(s, schema_qualify(s, s->a, like->relation));
	if (!src)
		return 0;
	for (size_t i = 0; i < src->n_columns; i++) {
		struct sm_column *c = add_column(s, t, src->columns[i].name);
		if (!c)
			return PGS_ERR_NOMEM;
		const char *nm = c->name;
		*c = src->columns[i];
		c->name = nm;
		c->has_default = c->has_default && (like->options & (1u << 3));
	}
	if (like->options & LIKE_CONSTRAINTS) {
		for (size_t i = 0; i < src->n_constraints; i++) {
			if (src->constraints[i].kind != SM_CON_CHECK)
				continue;
			struct sm_constraint c = src->constraints[i];
			if (ARENA_PUSH(s->a, t->constraints, t->n_constraints, t->cap_constraints, c))
				return PGS_ERR_NOMEM;
		}
	}
	return 0;
}

/* Keeps a partition's bound when it is made of constants of a one-column key. */
static int record_bound(struct schema *s, struct sm_table *t, const PgQuery__PartitionBoundSpec *b)
{
	t->bound_known = false;
	t->bound_lower = t->bound_upper = NULL;
	t->n_bound_list = 0;
	if (!b || b->is_default)
		return 0;
	if (b->strategy && b->strategy[0] == 'r' && b->n_lowerdatums == 1 && b->n_upperdatums == 1) {
		const char *lo = node_constant(b->lowerdatums[0]);
		const char *hi = node_constant(b->upperdatums[0]);
		/* MINVALUE / MAXVALUE are column references */
		bool lo_open = NODE(b->lowerdatums[0], COLUMN_REF), hi_open = NODE(b->upperdatums[0], COLUMN_REF);
		if ((lo || lo_open) && (hi || hi_open)) {
			t->bound_lower = lo ? arena_strdup(s->a, lo) : NULL;
			t->bound_upper = hi ? arena_strdup(s->a, hi) : NULL;
			t->bound_known = true;
		}
	} else if (b->strategy && b->strategy[0] == 'l' && b->n_listdatums) {
		t->bound_list = arena_alloc(s->a, b->n_listdatums * sizeof(char *));
		if (!t->bound_list)
			return PGS_ERR_NOMEM;
		for (size_t i = 0; i < b->n_listdatums; i++) {
			const char *v = node_constant(b->listdatums[i]);
			if (!v)
				return 0;
			t->bound_list[t->n_bound_list++] = arena_strdup(s->a, v);
		}
		t->bound_known = true;
	}
	return 0;
}

static int apply_create(struct schema *s, const PgQuery__CreateStmt *cs, unsigned line)
{
	const char *q = schema_qualify(s, s->a, cs->relation);
	if (cs->if_not_exists && schema_table(s, q))
		return 0;
	struct sm_table *t = add_table(s, q, cs->partspec ? 'p' : 'r', line);
	if (!t)
		return PGS_ERR_NOMEM;
	if (cs->tablespacename && *cs->tablespacename && strcmp(cs->tablespacename, "pg_default"))
		t->tablespace = arena_strdup(s->a, cs->tablespacename);
	if (cs->partspec) {
		t->part_strategy = cs->partspec->strategy ? cs->partspec->strategy[0] : '?';
		t->part_keys = arena_alloc(s->a, (cs->partspec->n_part_params + 1) * sizeof(char *));
		if (!t->part_keys)
			return PGS_ERR_NOMEM;
		for (size_t i = 0; i < cs->partspec->n_part_params; i++) {
			const PgQuery__Node *pe = cs->partspec->part_params[i];
			if (NODE(pe, PARTITION_ELEM) && pe->partition_elem->name && *pe->partition_elem->name)
				t->part_keys[t->n_part_keys++] = arena_strdup(s->a, pe->partition_elem->name);
		}
	}
	if (cs->partbound && cs->n_inh_relations == 1 && NODE(cs->inh_relations[0], RANGE_VAR)) {
		t->parent = arena_strdup(s->a, schema_qualify(s, s->a, cs->inh_relations[0]->range_var));
		t->is_default_partition = cs->partbound->is_default;
		if (record_bound(s, t, cs->partbound))
			return PGS_ERR_NOMEM;
		/* a partition has its parent's columns */
		struct sm_table *p = schema_table(s, t->parent);
		for (size_t i = 0; p && i < p->n_columns; i++) {
			struct sm_column *c = add_column(s, t, p->columns[i].name);
			if (!c)
				return PGS_ERR_NOMEM;
			const char *nm = c->name;
			*c = p->columns[i];
			c->name = nm;
		}
	}
	if (!cs->partbound && cs->n_inh_relations && NODE(cs->inh_relations[0], RANGE_VAR)) {
		t->parent = arena_strdup(s->a, schema_qualify(s, s->a, cs->inh_relations[0]->range_var));
		t->inherits = true;
	}
	if (cs->access_method && *cs->access_method && strcmp(cs->access_method, "heap"))
		t->access_method = arena_strdup(s->a, cs->access_method);
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		const PgQuery__Node *e = cs->table_elts[i];
		int rc = 0;
		if (NODE(e, COLUMN_DEF))
			rc = apply_column_def(s, t, e->column_def);
		else if (NODE(e, CONSTRAINT))
			rc = add_constraint(s, t, e->constraint, NULL);
		else if (NODE(e, TABLE_LIKE_CLAUSE))
			rc = apply_like(s, t, e->table_like_clause);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < cs->n_constraints; i++)
		if (NODE(cs->constraints[i], CONSTRAINT) &&
		    add_constraint(s, t, cs->constraints[i]->constraint, NULL))
			return PGS_ERR_NOMEM;
	return 0;
}

static struct sm_constraint *find_constraint(struct sm_table *t, const char *name)
{
	for (size_t i = 0; t && name && i < t->n_constraints; i++)
		if (t->constraints[i].name && !strcmp(t->constraints[i].name, name))
			return &t->constraints[i];
	return NULL;
}

static void drop_constraint(struct schema *s, struct sm_table *t, const char *name)
{
	size_t w = 0;
	const char *dot = strchr(t->name, '.');
	const char *iname = arena_printf(s->a, "%.*s.%s", dot ? (int)(dot - t->name) : 6,
					 dot ? t->name : "public", name);
	for (size_t i = 0; iname && i < s->n_indexes; i++)
		if (!strcmp(s->indexes[i].name, iname) && !strcmp(s->indexes[i].table, t->name))
			s->indexes[i--] = s->indexes[--s->n_indexes];
	schema_names_changed(s);
	for (size_t i = 0; i < t->n_constraints; i++)
		if (!t->constraints[i].name || strcmp(t->constraints[i].name, name))
			t->constraints[w++] = t->constraints[i];
	t->n_constraints = w;
}

static int apply_alter_table(struct schema *s, const PgQuery__AlterTableStmt *as)
{
	const char *q = schema_qualify(s, s->a, as->relation);
	struct sm_table *t = schema_table(s, q);
	if (!t && as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
		/*
		 * A table this run never saw created existed before it: remember
		 * it, so that what this migration adds to it (columns, validated
		 * checks, foreign keys) is known to later statements.
		 */
		if (!(t = add_table(s, q, 'r', 0)))
			return PGS_ERR_NOMEM;
		t->created_in_file = -1;
		t->stub = true;
	}
	for (size_t i = 0; i < as->n_cmds; i++) {
		if (!NODE(as->cmds[i], ALTER_TABLE_CMD))
			continue;
		const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
		if (as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
			continue;
		}
		if (!t)
			continue;
		struct sm_column *col = schema_column(t, cmd->name);
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			if (NODE(cmd->def, COLUMN_DEF) &&
			    !(cmd->missing_ok && schema_column(t, cmd->def->column_def->colname)) &&
			    apply_column_def(s, t, cmd->def->column_def))
				return PGS_ERR_NOMEM;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
			if (col) {
				size_t w = 0;
				for (size_t k = 0; k < t->n_columns; k++)
					if (&t->columns[k] != col)
						t->columns[w++] = t->columns[k];
				t->n_columns = w;
			}
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
			if (col && NODE(cmd->def, COLUMN_DEF)) {
				schema_type_from_node(s, s->a, cmd->def->column_def->type_name, &col->type);
				const PgQuery__TypeName *tn = cmd->def->column_def->type_name;
				const char *tq = schema_qualify_list(s, s->a, tn ? tn->names : NULL,
								     tn ? tn->n_names : 0);
				col->domain = tq && schema_domain(s, tq) ? arena_strdup(s->a, tq) : NULL;
			}
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
			if (col)
				col->not_null = true;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
			if (col)
				col->not_null = false;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
			if (col)
				col->has_default = cmd->def != NULL;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
			if (col)
				col->identity = true;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
			t->tablespace = cmd->name && strcmp(cmd->name, "pg_default") ?
				arena_strdup(s->a, cmd->name) : NULL;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
			t->access_method = cmd->name && strcmp(cmd->name, "heap") ?
				arena_strdup(s->a, cmd->name) : NULL;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit:
			if (NODE(cmd->def, RANGE_VAR)) {
				t->parent = arena_strdup(s->a, schema_qualify(s, s->a, cmd->def->range_var));
				t->inherits = true;
			}
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit:
			if (t->inherits) {
				t->parent = NULL;
				t->inherits = false;
			}
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity:
			if (col)
				col->identity = false;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropExpression:
			if (col)
				col->generated = false;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
			if (NODE(cmd->def, CONSTRAINT) && add_constraint(s, t, cmd->def->constraint, NULL))
				return PGS_ERR_NOMEM;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint: {
			struct sm_constraint *c = find_constraint(t, cmd->name);
			if (c)
				c->validated = true;
			break;
		}
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
			drop_constraint(s, t, cmd->name);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
			if (NODE(cmd->def, PARTITION_CMD)) {
				const PgQuery__PartitionCmd *pc = cmd->def->partition_cmd;
				struct sm_table *part = schema_table(s, schema_qualify(s, s->a, pc->name));
				if (part && part != t) {
					part->parent = t->name;
					part->inherits = false;
					part->is_default_partition = pc->bound && pc->bound->is_default;
					if (record_bound(s, part, pc->bound))
						return PGS_ERR_NOMEM;
				}
			}
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
			if (NODE(cmd->def, PARTITION_CMD)) {
				const PgQuery__PartitionCmd *pc = cmd->def->partition_cmd;
				struct sm_table *part = schema_table(s, schema_qualify(s, s->a, pc->name));
				if (part) {
					part->parent = NULL;
					part->is_default_partition = false;
				}
			}
			break;
		default:
			break;
		}
	}
	return 0;
}

static void rename_table(struct schema *s, const char *from, const char *to)
{
	struct sm_table *t = schema_table(s, from);
	if (!t)
		return;
	t->name = to;
	schema_names_changed(s);
	for (size_t i = 0; i < s->n_tables; i++) {
		struct sm_table *o = s->tables[i];
		if (o->parent && !strcmp(o->parent, from))
			o->parent = to;
		for (size_t k = 0; k < o->n_constraints; k++)
			if (o->constraints[k].ref_table && !strcmp(o->constraints[k].ref_table, from))
				o->constraints[k].ref_table = to;
	}
	for (size_t i = 0; i < s->n_indexes; i++)
		if (!strcmp(s->indexes[i].table, from))
			s->indexes[i].table = to;
}

static const char *with_schema_of(struct schema *s, const char *qname, const char *newname)
{
	const char *dot = strchr(qname, '.');
	size_t l = dot ? (size_t)(dot - qname) : 0;
	return arena_printf(s->a, "%.*s.%s", (int)l, qname, newname);
}

static int apply_rename(struct schema *s, const PgQuery__RenameStmt *rs)
{
	switch (rs->rename_type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE: {
		const char *from = schema_qualify(s, s->a, rs->relation);
		rename_table(s, from, with_schema_of(s, from, rs->newname));
		break;
	}
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: {
		struct sm_index *ix = schema_index(s, schema_qualify(s, s->a, rs->relation));
		if (ix)
			ix->name = with_schema_of(s, ix->name, rs->newname);
		schema_names_changed(s);
		break;
	}
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: {
		struct sm_table *t = schema_table(s, schema_qualify(s, s->a, rs->relation));
		struct sm_column *c = schema_column(t, rs->subname);
		if (!c)
			break;
		const char *old = c->name, *nw = arena_strdup(s->a, rs->newname);
		c->name = nw;
		for (size_t k = 0; k < t->n_constraints; k++) {
			struct sm_constraint *con = &t->constraints[k];
			if (con->not_null_column && !strcmp(con->not_null_column, old))
				con->not_null_column = nw;
			for (size_t j = 0; j < con->n_columns; j++)
				if (!strcmp(con->columns[j], old))
					con->columns[j] = nw;
		}
		for (size_t i = 0; i < s->n_indexes; i++) {
			if (strcmp(s->indexes[i].table, t->name))
				continue;
			for (size_t j = 0; j < s->indexes[i].n_columns; j++)
				if (!strcmp(s->indexes[i].columns[j], old))
					s->indexes[i].columns[j] = nw;
		}
		break;
	}
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT: {
		struct sm_table *t = schema_table(s, schema_qualify(s, s->a, rs->relation));
		struct sm_constraint *c = find_constraint(t, rs->subname);
		if (c)
			c->name = arena_strdup(s->a, rs->newname);
		break;
	}
	default:
		break;
	}
	return s->a->failed ? PGS_ERR_NOMEM : 0;
}

static int apply_drop(struct schema *s, const PgQuery__DropStmt *ds)
{
	for (size_t i = 0; i < ds->n_objects; i++) {
		const PgQuery__Node *o = ds->objects[i];
		if (!NODE(o, LIST))
			continue;
		const char *q = schema_qualify_list(s, s->a, o->list->items, o->list->n_items);
		switch (ds->remove_type) {
		case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
			if (q) {
				/* partitions go with their parent */
				for (size_t k = 0; k < s->n_tables; k++)
					if (s->tables[k]->parent && !strcmp(s->tables[k]->parent, q))
						remove_table(s, s->tables[k--]->name);
				remove_table(s, q);
			}
			break;
		case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: {
			size_t w = 0;
			for (size_t k = 0; q && k < s->n_indexes; k++)
				if (strcmp(s->indexes[k].name, q))
					s->indexes[w++] = s->indexes[k];
			if (q) {
				s->n_indexes = w;
				schema_names_changed(s);
			}
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

static int apply_index(struct schema *s, const PgQuery__IndexStmt *is)
{
	struct sm_index ix = { 0 };
	ix.table = arena_strdup(s->a, schema_qualify(s, s->a, is->relation));
	ix.unique = is->unique;
	ix.only_parent = is->relation && !is->relation->inh;
	ix.columns = arena_alloc(s->a, (is->n_index_params ? is->n_index_params : 1) * sizeof(char *));
	if (!ix.columns || !ix.table)
		return PGS_ERR_NOMEM;
	for (size_t i = 0; i < is->n_index_params; i++) {
		const PgQuery__Node *p = is->index_params[i];
		if (NODE(p, INDEX_ELEM) && p->index_elem->name && *p->index_elem->name)
			ix.columns[ix.n_columns++] = arena_strdup(s->a, p->index_elem->name);
		else
			ix.has_expressions = true;
	}
	const char *dot = strchr(ix.table, '.');
	const char *sch = dot ? arena_strndup(s->a, ix.table, (size_t)(dot - ix.table)) : "public";
	if (is->idxname && *is->idxname) {
		ix.name = arena_printf(s->a, "%s.%s", sch, is->idxname);
	} else {
		/*
		 * PostgreSQL's ChooseIndexName: the table, every key and INCLUDE
		 * column ("expr" for an expression), then "idx", joined with "_"
		 * (indexcmds.c ChooseIndexColumnNames). The 63-byte cut and the
		 * number added when the name is taken are not modeled.
		 */
		const char *rel = dot ? dot + 1 : ix.table;
		const char *name = arena_strdup(s->a, rel);
		for (size_t i = 0; name && i < is->n_index_params; i++) {
			const PgQuery__Node *p = is->index_params[i];
			const char *col = NODE(p, INDEX_ELEM) && p->index_elem->name && *p->index_elem->name ?
				p->index_elem->name : "expr";
			name = arena_printf(s->a, "%s_%s", name, col);
		}
		for (size_t i = 0; name && i < is->n_index_including_params; i++) {
			const PgQuery__Node *p = is->index_including_params[i];
			if (NODE(p, INDEX_ELEM) && p->index_elem->name && *p->index_elem->name)
				name = arena_printf(s->a, "%s_%s", name, p->index_elem->name);
		}
		ix.name = name ? arena_printf(s->a, "%s.%s_idx", sch, name) : NULL;
		if (!ix.name)
			return PGS_ERR_NOMEM;
	}
	if (is->if_not_exists && schema_index(s, ix.name))
		return 0;
	if (ARENA_PUSH(s->a, s->indexes, s->n_indexes, s->cap_indexes, ix))
		return PGS_ERR_NOMEM;
	note_appended_index(s);
	return 0;
}

static int apply_set(struct schema *s, const PgQuery__VariableSetStmt *vs)
{
	if (!vs->name)
		return 0;
	if (!strcasecmp(vs->name, "search_path") && vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE) {
		s->n_search_path = 0;
		for (size_t i = 0; i < vs->n_args && s->n_search_path < 8; i++) {
			const PgQuery__Node *a = vs->args[i];
			const char *v = NULL;
			if (NODE(a, A_CONST) && a->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
				v = a->a_const->sval->sval;
			if (v && strcmp(v, "$user") && strcmp(v, "pg_catalog"))
				s->search_path[s->n_search_path++] = arena_strdup(s->a, v);
		}
		if (!s->n_search_path)
			s->search_path[s->n_search_path++] = "public";
	} else if (!strcasecmp(vs->name, "timezone")) {
		const char *v = NULL;
		if (vs->n_args && NODE(vs->args[0], A_CONST) &&
		    vs->args[0]->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
			v = vs->args[0]->a_const->sval->sval;
		s->timezone_utc = !v || !strcasecmp(v, "UTC") || !strcasecmp(v, "Etc/UTC") ||
			!strcasecmp(v, "GMT") || !strcasecmp(v, "Z");
	}
	return 0;
}

struct depends_walk {
	struct schema *s;
	struct sm_table *t;
	size_t cap;
	int rc;
	const char *ctes[32];
	size_t n_ctes;
};

static bool cte_names(const PgQuery__Node *n, void *p)
{
	struct depends_walk *w = p;
	if (NODE(n, COMMON_TABLE_EXPR) && w->n_ctes < 32)
		w->ctes[w->n_ctes++] = n->common_table_expr->ctename;
	return true;
}

static bool depends_visit(const PgQuery__Node *n, void *p)
{
	struct depends_walk *w = p;
	if (!NODE(n, RANGE_VAR))
		return true;
	const PgQuery__RangeVar *rv = n->range_var;
	for (size_t i = 0; !(rv->schemaname && *rv->schemaname) && i < w->n_ctes; i++)
		if (!strcmp(w->ctes[i], rv->relname))
			return true;
	const char *q = schema_qualify(w->s, w->s->a, rv);
	for (size_t i = 0; i < w->t->n_depends; i++)
		if (!strcmp(w->t->depends[i], q))
			return true;
	if (ARENA_PUSH(w->s->a, w->t->depends, w->t->n_depends, w->cap, q))
		w->rc = PGS_ERR_NOMEM;
	return true;
}

/* Remembers the tables a view or materialized view reads. */
static int record_depends(struct schema *s, struct sm_table *t, const PgQuery__Node *query)
{
	struct depends_walk w = { .s = s, .t = t };
	t->depends = NULL;
	t->n_depends = 0;
	if (!query)
		return 0;
	WALK_NODE(query, cte_names, &w);
	WALK_NODE(query, depends_visit, &w);
	return w.rc;
}

int schema_apply(struct schema *s, const PgQuery__Node *n, unsigned line)
{
	int rc = 0;
	if (!n)
		return 0;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		rc = apply_create(s, n->create_stmt, line);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
		const PgQuery__CreateTableAsStmt *c = n->create_table_as_stmt;
		if (c->into && c->into->rel) {
			const char *q = schema_qualify(s, s->a, c->into->rel);
			struct sm_table *t = NULL;
			if (!(c->if_not_exists && schema_table(s, q)) &&
			    !(t = add_table(s, q, c->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW ? 'm' : 'r', line)))
				rc = PGS_ERR_NOMEM;
			if (t)
				rc = record_depends(s, t, c->query);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_VIEW_STMT: {
		const char *q = schema_qualify(s, s->a, n->view_stmt->view);
		struct sm_table *t = schema_table(s, q);
		if (!t && !(t = add_table(s, q, 'v', line)))
			rc = PGS_ERR_NOMEM;
		if (t)
			rc = record_depends(s, t, n->view_stmt->query);
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		rc = apply_alter_table(s, n->alter_table_stmt);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		rc = apply_rename(s, n->rename_stmt);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		rc = apply_drop(s, n->drop_stmt);
		break;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		rc = apply_index(s, n->index_stmt);
		break;
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
		rc = apply_set(s, n->variable_set_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT: {
		const PgQuery__CreateDomainStmt *d = n->create_domain_stmt;
		struct sm_domain dom = { 0 };
		dom.name = schema_qualify_list(s, s->a, d->domainname, d->n_domainname);
		if (!dom.name)
			break;
		schema_type_from_node(s, s->a, d->type_name, &dom.base);
		for (size_t i = 0; i < d->n_constraints; i++)
			if (NODE(d->constraints[i], CONSTRAINT) &&
			    (d->constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK ||
			     d->constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL))
				dom.has_constraints = true;
		rc = ARENA_PUSH(s->a, s->domains, s->n_domains, s->cap_domains, dom);
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT: {
		const PgQuery__AlterDomainStmt *d = n->alter_domain_stmt;
		struct sm_domain *dom = schema_domain(s, schema_qualify_list(s, s->a, d->type_name, d->n_type_name));
		if (dom && d->subtype && (d->subtype[0] == 'C' || d->subtype[0] == 'O'))
			dom->has_constraints = true;
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_OBJECT_SCHEMA_STMT: {
		const PgQuery__AlterObjectSchemaStmt *a = n->alter_object_schema_stmt;
		if (a->relation && (a->object_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
				    a->object_type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW ||
				    a->object_type == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW)) {
			const char *from = schema_qualify(s, s->a, a->relation);
			rename_table(s, from, arena_printf(s->a, "%s.%s", a->newschema, a->relation->relname));
		}
		break;
	}
	default:
		break;
	}
	if (!rc && s->a->failed)
		rc = PGS_ERR_NOMEM;
	return rc;
}
