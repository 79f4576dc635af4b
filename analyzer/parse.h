/*
 * parse.h - a source file as a list of parsed statements.
 *
 * Second stage: blanks psql meta-commands and COPY data out of a working
 * copy of the text (offsets are kept), parses the whole text once with
 * libpg_query into the typed protobuf tree, and when that fails, parses
 * each statement found by the splitter on its own, so a syntax error is
 * reported at its exact position and every other statement is still
 * analyzed. The tree and all strings live in the file arena.
 */
#ifndef PGS_PARSE_H
#define PGS_PARSE_H

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "arena.h"
#include "source.h"

enum stmt_status {
	STMT_PARSED,
	STMT_SYNTAX_ERROR,
	STMT_META,          /* psql meta-command: skipped, not modeled */
};

struct stmt {
	enum stmt_status status;
	size_t start;        /* first byte of the statement's first token */
	size_t end;          /* one past its last byte, ';' excluded */
	PgQuery__Node *node; /* STMT_PARSED */
	size_t loc_base;     /* add to the tree's locations to get source offsets */
	/* STMT_SYNTAX_ERROR: */
	const char *error;   /* PostgreSQL's message */
	size_t error_offset; /* byte offset of the error in the source */
	const char *newer_feature; /* set when the text uses syntax newer than PG 15 */
	int newer_version;
};

struct parsed_file {
	struct stmt *stmts;
	size_t n;
	size_t cap;
};

/* Parses @src. Allocations live in @a. Returns PGS_OK or PGS_ERR_NOMEM. */
int parse_source(const struct source *src, struct arena *a, struct parsed_file *out);

/*
 * Parses one SQL string (a PL/pgSQL body's statement, a plan step) into
 * @out; offsets are relative to @sql. Used by later stages.
 */
int parse_sql(const char *sql, struct arena *a, struct parsed_file *out);

/*
 * Looks for syntax that PostgreSQL 15 lacks in @text. Returns the feature
 * name and sets @version, or returns NULL.
 */
const char *parse_detect_newer_syntax(const char *text, size_t len, int *version);

/* The node's type name as PostgreSQL spells it ("AlterTableStmt"). */
const char *parse_node_kind(const PgQuery__Node *node);

#endif
