/*
 * dump.h - seeding the catalog from a schema dump (--schema FILE).
 *
 * A `pg_dump --schema-only` file, a Rails db/structure.sql or any SQL that
 * builds the schema the migrations start from is parsed with the same
 * parser as migrations and replayed into the catalog before the first
 * input, as objects that existed before the run (created_in_file -1: they
 * hold data, nothing about them is new). It produces no diagnostics.
 * Statements that cannot change what the catalog models are skipped:
 * data (INSERT, COPY), settings other than search_path, SELECT
 * pg_catalog.set_config(...), COMMENT, GRANT, OWNER TO, sequences.
 *
 * docs/schema-and-stats.md describes the use; tests/dump.sh checks that
 * a migration linted against a real pg_dump gets the findings it gets
 * after the files that built the schema.
 */
#ifndef PGS_DUMP_H
#define PGS_DUMP_H

#include <pg_query/pg_query.pb-c.h>

#include "arena.h"
#include "schema.h"

struct dump_result {
	size_t statements;          /* SQL statements in the file */
	size_t applied;             /* replayed into the catalog */
	size_t errors;              /* statements that did not parse, skipped */
	unsigned first_error_line;  /* the first of them, 1-based */
	char message[320];          /* why the file could not be used */
};

/*
 * Replays the dump @path into @s. The text and parse tree live in
 * @scratch, which is reset first (pass the file arena: the next input
 * resets it again). @max_bytes caps the size (0: the default). Returns
 * PGS_OK; PGS_ERR_IO or PGS_ERR_INPUT with res->message when the file
 * cannot be read or is not UTF-8; PGS_ERR_NOMEM.
 */
int dump_seed(struct schema *s, struct arena *scratch, const char *path, size_t max_bytes,
	      struct dump_result *res);

/*
 * Whether a dump statement is replayed: everything except what cannot
 * change the catalog (see above). @sequences are the qualified names of
 * the sequences seen so far, so that an ALTER TABLE naming a sequence
 * never makes a table.
 */
bool dump_statement_applies(const struct schema *s, struct arena *a, const PgQuery__Node *n,
			    const char *const *sequences, size_t n_sequences);

#endif
