/*
 * quote.h - SQL text that no name can break out of.
 *
 * The planner writes new statements as text. Names go through
 * quote_ident() (PostgreSQL's quote_identifier rules, with libpg_query's
 * own keyword list), strings through quote_literal(), PL/pgSQL bodies
 * through dollar_quote(). Pieces taken from the migration's parse tree
 * (defaults, CHECK expressions, types, index definitions) are deparsed with
 * pg_query_deparse_protobuf and accepted only when the text parses back to
 * the same tree (quote_same_tree), because the deparser of libpg_query
 * 15-4.0 leaves some names unquoted (an index named "a;b" comes out as
 * a;b).
 *
 * Every result lives in the arena passed in; NULL means out of memory or,
 * for the deparse helpers, that the piece could not be rendered safely.
 */
#ifndef PGS_QUOTE_H
#define PGS_QUOTE_H

#include <pg_query/pg_query.pb-c.h>
#include <stdbool.h>

#include "arena.h"

/*
 * @name as PostgreSQL's quote_identifier writes it: bare when it is
 * lower-case letters, digits and underscores, does not start with a digit
 * and is not a keyword other than an unreserved one; else in double quotes
 * with every double quote doubled.
 */
const char *quote_ident(struct arena *a, const char *name);

/* "schema.rel" (as the catalog stores names) as quoted schema.rel. */
const char *quote_qualified(struct arena *a, const char *qname);

/* The relation part of "schema.rel", and the schema part ("public" when none). */
const char *quote_relname(const char *qname);
const char *quote_schemaname(struct arena *a, const char *qname);

/* A string constant: 'it''s', or E'a\\b' when it holds a backslash. */
const char *quote_literal(struct arena *a, const char *s);

/* @body between dollar quotes whose tag ($pgsafe$, $pgsafe_1$, ...) it does not contain. */
const char *dollar_quote(struct arena *a, const char *body);

/*
 * A name PostgreSQL keeps as given: at most 63 bytes (NAMEDATALEN - 1),
 * cut at a UTF-8 character boundary, so that later references match.
 */
const char *quote_truncate_name(struct arena *a, const char *name);

/* An expression (a default, a CHECK, a USING clause) as SQL text, checked. */
const char *deparse_expr(struct arena *a, const PgQuery__Node *expr);

/* A type name ("numeric(10,2)", "\"My Type\"[]") as SQL text, checked. */
const char *deparse_type(struct arena *a, const PgQuery__TypeName *tn);

/*
 * A whole statement as SQL text (no trailing semicolon), accepted only when
 * it parses back to one statement equal to @stmt.
 */
const char *deparse_stmt(struct arena *a, const PgQuery__Node *stmt);

/*
 * deparse_stmt() for a tree whose names libpg_query's deparser writes
 * unquoted (constraint names, ...): each *@slots[i] (a char * field inside
 * @stmt) is swapped for a placeholder while deparsing, the placeholder is
 * then replaced with the quoted name, and the text must parse back to
 * @stmt with the real names. The fields hold their names again on return.
 */
const char *deparse_stmt_names(struct arena *a, const PgQuery__Node *stmt, char **const *slots,
			       size_t n);

/*
 * Whether two trees are the same, locations aside: every field of every
 * message compared through protobuf-c's descriptors.
 */
bool quote_same_tree(const ProtobufCMessage *x, const ProtobufCMessage *y);

#endif
