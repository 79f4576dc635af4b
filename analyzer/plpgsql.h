/*
 * plpgsql.h - the statements a DO block runs.
 *
 * Part of the parse stage: a DO block's body is PL/pgSQL, which
 * libpg_query parses only inside a CREATE FUNCTION, and returns as JSON.
 * plpgsql_expand() wraps the body in a function, parses it, walks the
 * JSON (read with jansson) for every SQL statement the block can run,
 * in its blocks, IF branches, loops and exception handlers, parses each
 * with libpg_query and locates it in the file, so the rest of the
 * pipeline analyzes them like statements written at the top level.
 * EXECUTE of dynamic SQL cannot be seen: it comes out as a statement of
 * its own that says so, never as nothing.
 *
 * Everything lives in the arena passed in (the file arena).
 */
#ifndef PGS_PLPGSQL_H
#define PGS_PLPGSQL_H

#include "arena.h"
#include "parse.h"
#include "source.h"

enum do_stmt_kind {
	DO_STMT_SQL,       /* a static statement: parsed */
	DO_STMT_DYNAMIC,   /* EXECUTE, FOR ... IN EXECUTE, OPEN ... FOR EXECUTE */
};

/* One statement a DO block runs. */
struct do_stmt {
	enum do_stmt_kind kind;
	struct stmt st;     /* source span; DO_STMT_SQL: parse tree (or syntax error) and loc_base */
	const char *what;   /* DO_STMT_DYNAMIC: "EXECUTE", ... */
};

struct do_block {
	bool expanded;      /* false: @reason says why the body is not analyzed */
	const char *reason;
	struct do_stmt *stmts;
	size_t n, cap;
};

/* Whether @st is a DO statement. */
bool plpgsql_is_do(const struct stmt *st);

/* Where a statement of an expanded file comes from. */
enum stmt_origin_kind {
	ORIGIN_TOP,        /* written at the top level */
	ORIGIN_DO,         /* a DO statement (its own statements follow it when expanded) */
	ORIGIN_IN_DO,      /* a statement a DO block runs */
	ORIGIN_DYNAMIC,    /* EXECUTE of dynamic SQL in a DO block: not modeled */
};

struct stmt_origin {
	enum stmt_origin_kind kind;
	const struct stmt *do_block;  /* ORIGIN_IN_DO, ORIGIN_DYNAMIC: the DO statement */
	bool last_in_do;              /* the DO block's last statement (or the DO, when it runs none) */
	const char *unexpanded;       /* ORIGIN_DO: why its body is not analyzed, or NULL */
	const char *what;             /* ORIGIN_DYNAMIC: "EXECUTE", ... */
};

/*
 * The statements of @in with each DO block's statements after it. @out
 * and *@origins (one per statement of @out) live in @a; without DO blocks
 * @out has @in's statements. Returns PGS_OK or PGS_ERR_NOMEM.
 */
int plpgsql_expand_file(const struct source *src, const struct parsed_file *in, struct arena *a,
			struct parsed_file *out, struct stmt_origin **origins);

/*
 * Expands the DO statement @st of @src into @out. A body in another
 * language, a body that does not parse, or one pgsafe cannot locate in
 * the file leaves out->expanded false with a reason. Returns PGS_OK or
 * PGS_ERR_NOMEM.
 */
int plpgsql_expand(const struct source *src, const struct stmt *st, struct arena *a,
		   struct do_block *out);

#endif
