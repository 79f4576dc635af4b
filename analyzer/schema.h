/*
 * schema.h - the catalog: what the migration has built so far.
 *
 * Replays statements in apply order and remembers tables (columns with
 * type, nullability and default; constraints and whether they are
 * validated), indexes, domains, partitions and which file created each
 * table. The effects model reads it (is this type change binary
 * coercible? is there a validated IS NOT NULL check? which partition is
 * the default?) and rules read it (is this table new?).
 *
 * Everything lives in the run arena passed to schema_init(): the catalog
 * outlives each file's parse tree, so every string is copied in.
 */
#ifndef PGS_SCHEMA_H
#define PGS_SCHEMA_H

#include <pg_query/pg_query.pb-c.h>

#include "arena.h"
#include "pgsafe.h"

struct sm_type {
	const char *name;     /* canonical: "int4", "varchar", "timestamptz", ... */
	const char *schema;   /* NULL for built-in types */
	int32_t typmods[2];
	int n_typmods;        /* -1: typmods present but not constants */
	int array_dims;
};

struct sm_column {
	const char *name;
	struct sm_type type;
	bool not_null;
	bool has_default;
	bool identity;
	bool generated;
	const char *domain;   /* qualified name when the type is a known domain */
};

enum sm_con_kind {
	SM_CON_CHECK,
	SM_CON_FOREIGN,
	SM_CON_PRIMARY,
	SM_CON_UNIQUE,
	SM_CON_EXCLUSION,
};

struct sm_constraint {
	const char *name;
	enum sm_con_kind kind;
	bool validated;
	const char *not_null_column; /* CHECK (col IS NOT NULL): the column */
	const char *check_columns;   /* CHECK: " a b ", the columns its expression names */
	const char *check_not_null;  /* CHECK: " a ", columns it tests IS NOT NULL (in an AND) */
	const char *ref_table;       /* FOREIGN: the referenced table */
	const char **ref_columns;    /* FOREIGN: referenced columns (empty: its primary key) */
	size_t n_ref_columns;
	char on_delete, on_update;   /* FOREIGN: 'a' no action, 'r' restrict, 'c' cascade, 'n' set null, 'd' set default */
	const char **columns;
	size_t n_columns;
};

struct sm_index {
	const char *name;       /* qualified */
	const char *table;      /* qualified */
	bool unique;
	bool only_parent;       /* CREATE INDEX ON ONLY */
	const char **columns;   /* plain column keys; expressions are skipped */
	size_t n_columns;
	bool has_expressions;
};

struct sm_table {
	const char *name;       /* qualified: "public.t" */
	char relkind;           /* 'r' table, 'p' partitioned, 'v' view, 'm' matview, 'f' foreign */
	int created_in_file;    /* index of the creating file, -1: existed before the run */
	unsigned created_line;
	const char *parent;     /* partition of, or inheritance parent (qualified), or NULL */
	bool inherits;          /* parent is an INHERITS parent, not a partitioned table */
	bool is_default_partition;
	bool stub;              /* only known from ALTERs: its columns and indexes are not */
	const char *access_method; /* NULL: heap */
	const char **part_keys; /* partitioned: the key's plain columns */
	size_t n_part_keys;
	char part_strategy;     /* partitioned: 'r' range, 'l' list, 'h' hash */
	/* a partition's bound, when it is made of constants (single-column keys) */
	const char *bound_lower;  /* range: inclusive; NULL: MINVALUE or unknown */
	const char *bound_upper;  /* range: exclusive; NULL: MAXVALUE or unknown */
	const char **bound_list;  /* list values */
	size_t n_bound_list;
	bool bound_known;
	const char *tablespace; /* NULL: the database default */
	const char **depends;   /* views and materialized views: the tables they read */
	size_t n_depends;
	struct sm_column *columns;
	size_t n_columns, cap_columns;
	struct sm_constraint *constraints;
	size_t n_constraints, cap_constraints;
};

struct sm_domain {
	const char *name;       /* qualified */
	struct sm_type base;
	bool has_constraints;
};

/*
 * Name lookups: open addressing over positions in the tables or indexes
 * array. Appends insert; anything that moves or renames entries marks the
 * map stale and the next lookup rebuilds it, reusing its slots. The slots
 * live in the run arena; a larger map replaces a smaller one.
 */
struct name_map {
	uint32_t *slots;        /* position + 1; 0: empty */
	size_t cap;             /* a power of two, or 0 */
	bool stale;
};

struct schema {
	struct arena *a;
	struct name_map table_map, index_map;
	struct sm_table **tables;
	size_t n_tables, cap_tables;
	struct sm_index *indexes;
	size_t n_indexes, cap_indexes;
	struct sm_domain *domains;
	size_t n_domains, cap_domains;
	const char *search_path[8];
	size_t n_search_path;
	bool timezone_utc;      /* the session's TimeZone is UTC (the usual server setting) */
	int current_file;       /* index of the file being replayed */
};

void schema_init(struct schema *s, struct arena *run_arena);
/* Forgets the lookup maps (all memory belongs to the run arena). */
void schema_release(struct schema *s);
/* Call after renaming or removing tables or indexes in place. */
void schema_names_changed(struct schema *s);

/* Starts replaying file number @file_index (0-based, in apply order). */
void schema_begin_file(struct schema *s, int file_index);

/* The qualified name a RangeVar resolves to ("public.t"); lives in @a. */
const char *schema_qualify(const struct schema *s, struct arena *a, const PgQuery__RangeVar *rv);
/* The same for a qualified-name list (DROP, COMMENT, domains, types). */
const char *schema_qualify_list(const struct schema *s, struct arena *a,
				PgQuery__Node **names, size_t n);

struct sm_table *schema_table(const struct schema *s, const char *qname);
struct sm_index *schema_index(const struct schema *s, const char *qname);
struct sm_domain *schema_domain(const struct schema *s, const char *qname);
struct sm_column *schema_column(const struct sm_table *t, const char *name);

/* A table is new when the file being analyzed created it (DESIGN.md). */
bool schema_table_is_new(const struct schema *s, const char *qname);

/* The default partition of @parent, or NULL. */
struct sm_table *schema_default_partition(const struct schema *s, const char *parent);

/* Whether some index of @table has @column as its first key column. */
bool schema_column_has_index(const struct schema *s, const char *table, const char *column);
/* Whether @table has any index (including constraint-backed ones). */
bool schema_table_has_index(const struct schema *s, const char *table);

/* Whether @t has a validated CHECK (col IS NOT NULL) on @column. */
bool schema_has_validated_not_null_check(const struct sm_table *t, const char *column);

/* Reads a TypeName into @out (strings in @a). */
void schema_type_from_node(const struct schema *s, struct arena *a,
			   const PgQuery__TypeName *tn, struct sm_type *out);

/* Applies the statement's changes to the catalog. Returns 0 or PGS_ERR_NOMEM. */
int schema_apply(struct schema *s, const PgQuery__Node *stmt, unsigned line);

/* The column's first inline constraint of @type (DEFAULT, IDENTITY, CHECK, ...), or NULL. */
const PgQuery__Constraint *column_constraint(const PgQuery__ColumnDef *cd, PgQuery__ConstrType type);
/* Whether @n is the NULL constant, possibly cast (DEFAULT NULL::text). */
bool node_is_null_const(const PgQuery__Node *n);
/* Whether @type names a serial pseudo-type (serial, bigserial, serial8, ...). */
bool type_is_serial(const char *type);

/* A constant's text (A_Const, possibly cast: '2024-01-01'::date), or NULL. */
const char *node_constant(const PgQuery__Node *n);

/* Helpers shared with the effects model and rules. */
const char *node_string(const PgQuery__Node *n);    /* String node's value or NULL */
/* The CHECK expression's column when it is "col IS NOT NULL", else NULL. */
const char *check_is_not_null_column(const PgQuery__Node *expr);

#endif
