/*
 * split.h - statement boundaries and psql meta-commands, from the text.
 *
 * A small SQL lexer (strings, quoted identifiers, dollar quotes, nested
 * comments, parentheses, BEGIN ATOMIC bodies) that cuts a file into
 * statements without the parser. pgsafe uses it to find psql
 * meta-commands and COPY data before parsing, to trim comments off
 * statement spans, and, when a file has a syntax error, to parse every
 * other statement on its own so that one error loses no finding.
 */
#ifndef PGS_SPLIT_H
#define PGS_SPLIT_H

#include "arena.h"

enum segment_kind {
	SEG_SQL,        /* one SQL statement, terminator excluded */
	SEG_META,       /* a psql meta-command line such as \set or \connect */
	SEG_COPY_DATA,  /* the data lines after COPY ... FROM stdin, through \. */
};

struct segment {
	enum segment_kind kind;
	size_t start;   /* first byte of the first token */
	size_t end;     /* one past the last byte (before ';' for SQL) */
	int terminated; /* SQL: ended by ';' (or a \g meta-command) */
};

struct split_result {
	struct segment *segs;
	size_t n;
	int unterminated_quote; /* a string, quoted name, comment or $$ never closed */
	size_t unterminated_at; /* where it opened */
};

/* Splits @text; allocations live in @a. Returns 0 or PGS_ERR_NOMEM. */
int split_statements(const char *text, size_t len, struct arena *a, struct split_result *out);

/* Skips white space and comments from @pos; returns the next token's offset. */
size_t split_skip_space(const char *text, size_t len, size_t pos);

/*
 * Finds the first comment at or after @pos that is not inside a string, a
 * quoted name, a dollar quote or a psql meta-command line; @pos must be
 * outside all of these. Sets [*start, *end) to the comment ("--" up to the
 * end of its line, newline excluded, or a whole block comment) and returns
 * 1, or returns 0 when there is none.
 */
int split_next_comment(const char *text, size_t len, size_t pos, size_t *start, size_t *end);

#endif
