/*
 * dump.c - seeding the catalog from a schema dump (dump.h).
 *
 * pg_dump --schema-only writes, in dependency order: SET lines and a
 * SELECT pg_catalog.set_config('search_path', '', false) (so every name is
 * qualified), CREATE TYPE / DOMAIN / FUNCTION, CREATE SEQUENCE with an
 * ALTER SEQUENCE ... OWNED BY, CREATE TABLE with NOT NULL, defaults,
 * generated columns and validated CHECKs inline, partitions as tables of
 * their own then ALTER TABLE ONLY parent ATTACH PARTITION, views and
 * materialized views (WITH NO DATA), ALTER TABLE ... SET DEFAULT
 * nextval(...) and ADD GENERATED ... AS IDENTITY, then ALTER TABLE ONLY
 * ... ADD CONSTRAINT for primary keys, unique and foreign keys and the
 * NOT VALID checks, then CREATE INDEX (ON ONLY a partitioned table, with
 * ALTER INDEX ... ATTACH PARTITION), triggers, COMMENT, GRANT and
 * ... OWNER TO. A Rails structure.sql is such a dump followed by INSERT
 * INTO schema_migrations. The catalog's own replay understands all of it;
 * this file only keeps out what it must not see.
 */
#include "dump.h"

#include "parse.h"
#include "source.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define NODE(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

/* ALTER TABLE that only changes the owner (pg_dump writes one per object). */
static bool owner_only(const PgQuery__AlterTableStmt *as)
{
	for (size_t i = 0; i < as->n_cmds; i++)
		if (!NODE(as->cmds[i], ALTER_TABLE_CMD) ||
		    as->cmds[i]->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner)
			return false;
	return true;
}

static bool names_sequence(const char *const *sequences, size_t n, const char *q)
{
	for (size_t i = 0; q && i < n; i++)
		if (!strcmp(sequences[i], q))
			return true;
	return false;
}

bool dump_statement_applies(const struct schema *s, struct arena *a, const PgQuery__Node *n,
			    const char *const *sequences, size_t n_sequences)
{
	if (!n)
		return false;
	switch (n->node_case) {
	/* data, and statements that read or describe rather than define */
	case PG_QUERY__NODE__NODE_INSERT_STMT:
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
	case PG_QUERY__NODE__NODE_DELETE_STMT:
	case PG_QUERY__NODE__NODE_COPY_STMT:
	case PG_QUERY__NODE__NODE_SELECT_STMT:      /* SELECT pg_catalog.set_config(...) */
	case PG_QUERY__NODE__NODE_COMMENT_STMT:
	case PG_QUERY__NODE__NODE_GRANT_STMT:
	case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
	case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
	case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
	/* sequences are not modeled; their OWNED BY would only name a table */
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
		return false;
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
		/* only the search_path decides how later names resolve */
		return n->variable_set_stmt->name && !strcasecmp(n->variable_set_stmt->name, "search_path");
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
		const PgQuery__AlterTableStmt *as = n->alter_table_stmt;
		if (owner_only(as))
			return false;
		return !names_sequence(sequences, n_sequences, schema_qualify(s, a, as->relation));
	}
	default:
		return true;
	}
}

int dump_seed(struct schema *s, struct arena *scratch, const char *path, size_t max_bytes,
	      struct dump_result *res)
{
	struct source src;
	struct source_error err = { 0 };
	struct parsed_file pf;
	int rc;

	memset(res, 0, sizeof(*res));
	arena_reset(scratch);
	rc = source_read(&src, scratch, path, path, max_bytes, &err);
	if (rc == PGS_ERR_IO || rc == PGS_ERR_INPUT) {
		if (err.line)
			snprintf(res->message, sizeof(res->message), "%s:%u:%u: %s", path, err.line,
				 err.column, err.message);
		else
			snprintf(res->message, sizeof(res->message), "%s: %s", path, err.message);
		return rc;
	}
	if (rc)
		return rc;
	if ((rc = parse_source(&src, scratch, &pf)))
		return rc;

	/* the dump's objects existed before the first file of the run */
	schema_begin_file(s, -1);
	const char **sequences = NULL;
	size_t n_sequences = 0, cap_sequences = 0;
	for (size_t i = 0; i < pf.n; i++) {
		const struct stmt *st = &pf.stmts[i];
		if (st->status == STMT_META)
			continue;
		res->statements++;
		if (st->status == STMT_SYNTAX_ERROR) {
			struct source_pos at;
			source_position(&src, st->error_offset, &at);
			if (!res->errors++)
				res->first_error_line = at.line;
			continue;
		}
		if (NODE(st->node, CREATE_SEQ_STMT) && st->node->create_seq_stmt->sequence &&
		    ARENA_PUSH(scratch, sequences, n_sequences, cap_sequences,
			       schema_qualify(s, scratch, st->node->create_seq_stmt->sequence)))
			return PGS_ERR_NOMEM;
		if (!dump_statement_applies(s, scratch, st->node, sequences, n_sequences))
			continue;
		struct source_pos at;
		source_position(&src, st->start, &at);
		if ((rc = schema_apply(s, st->node, at.line)))
			return rc;
		res->applied++;
	}
	return scratch->failed ? PGS_ERR_NOMEM : PGS_OK;
}
