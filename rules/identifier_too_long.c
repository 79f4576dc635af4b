/*
 * identifier-too-long: a name longer than 63 bytes, which PostgreSQL truncates.
 *
 * Identifiers are stored in 64-byte name fields: a longer table, column,
 * index, constraint or other name is silently cut to 63 bytes (with a
 * NOTICE), so two long names that share their first 63 bytes collide, and
 * tools that compare the name in the migration with the catalog disagree.
 * Enum labels are refused outright. Only names a statement defines are
 * checked; references are truncated the same way and still match. The
 * parser has already cut identifiers to 63 bytes, so a defined name of
 * exactly 63 bytes is looked up in the statement's text to find what was
 * written.
 * (scansup.c truncate_identifier, NAMEDATALEN 64; pg_enum.c "invalid enum
 * label"; docs: "Identifiers and Key Words", 4.1.1.)
 */
#include "rule.h"

#include <string.h>

#define PGS_MAX_IDENT_BYTES 63

struct long_name {
	const char *name;
	const char *what;
	int32_t location;
	const char *text;        /* the statement's text, NUL-terminated */
	struct rule_ctx *ctx;
};

static bool ident_char(char c)
{
	return c == '_' || c == '$' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
		(unsigned char)c >= 0x80;
}

/*
 * The identifier as written in the statement when the parser truncated it
 * to @cut (63 bytes), or NULL when the text has nothing longer.
 */
static const char *as_written(struct long_name *out, const char *cut)
{
	size_t l = strlen(cut);
	for (const char *p = strstr(out->text, cut); p; p = strstr(p + 1, cut)) {
		if (p > out->text && ident_char(p[-1]))
			continue;
		const char *e = p + l;
		if (*e == '"' || !ident_char(*e))
			continue;   /* exactly 63 bytes as written: fine */
		while (ident_char(*e))
			e++;
		return rule_printf(out->ctx, "%.*s", (int)(e - p), p);
	}
	return NULL;
}

/* The first @PGS_MAX_IDENT_BYTES bytes of @s, not splitting a UTF-8 character. */
static const char *truncated(struct rule_ctx *ctx, const char *s)
{
	size_t n = PGS_MAX_IDENT_BYTES;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return rule_printf(ctx, "%.*s", (int)n, s);
}

static void consider(struct long_name *out, const char *name, const char *what, int32_t loc)
{
	if (!out->name && name && strlen(name) == PGS_MAX_IDENT_BYTES && strcmp(what, "enum label"))
		name = as_written(out, name);
	if (!out->name && name && strlen(name) > PGS_MAX_IDENT_BYTES) {
		out->name = name;
		out->what = what;
		out->location = loc;
	}
}

static void column(struct long_name *out, const PgQuery__ColumnDef *cd)
{
	consider(out, cd->colname, "column", cd->location);
	for (size_t k = 0; k < cd->n_constraints; k++)
		if (RULE_NODE(cd->constraints[k], CONSTRAINT))
			consider(out, cd->constraints[k]->constraint->conname, "constraint",
				 cd->constraints[k]->constraint->location);
}

static void find(const PgQuery__Node *n, struct long_name *out)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT: {
		const PgQuery__CreateStmt *cs = n->create_stmt;
		consider(out, cs->relation->relname, "table", cs->relation->location);
		for (size_t i = 0; i < cs->n_table_elts; i++) {
			const PgQuery__Node *e = cs->table_elts[i];
			if (RULE_NODE(e, COLUMN_DEF))
				column(out, e->column_def);
			else if (RULE_NODE(e, CONSTRAINT))
				consider(out, e->constraint->conname, "constraint", e->constraint->location);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		for (size_t i = 0; i < n->alter_table_stmt->n_cmds; i++) {
			const PgQuery__Node *c = n->alter_table_stmt->cmds[i];
			if (!RULE_NODE(c, ALTER_TABLE_CMD))
				continue;
			if (RULE_NODE(c->alter_table_cmd->def, COLUMN_DEF) &&
			    c->alter_table_cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType)
				column(out, c->alter_table_cmd->def->column_def);
			else if (RULE_NODE(c->alter_table_cmd->def, CONSTRAINT))
				consider(out, c->alter_table_cmd->def->constraint->conname, "constraint",
					 c->alter_table_cmd->def->constraint->location);
		}
		break;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		consider(out, n->index_stmt->idxname, "index", -1);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		consider(out, n->rename_stmt->newname, "new name", -1);
		break;
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		consider(out, n->view_stmt->view->relname, "view", n->view_stmt->view->location);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		if (n->create_table_as_stmt->into && n->create_table_as_stmt->into->rel)
			consider(out, n->create_table_as_stmt->into->rel->relname, "table",
				 n->create_table_as_stmt->into->rel->location);
		break;
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		consider(out, n->create_seq_stmt->sequence->relname, "sequence",
			 n->create_seq_stmt->sequence->location);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
		consider(out, n->create_trig_stmt->trigname, "trigger", -1);
		break;
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
		consider(out, n->create_schema_stmt->schemaname, "schema", -1);
		break;
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
		for (size_t i = 0; i < n->create_enum_stmt->n_vals; i++)
			consider(out, node_string(n->create_enum_stmt->vals[i]), "enum label", -1);
		if (n->create_enum_stmt->n_type_name)
			consider(out, node_string(n->create_enum_stmt->type_name[n->create_enum_stmt->n_type_name - 1]),
				 "type", -1);
		break;
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
		consider(out, n->alter_enum_stmt->new_val, "enum label", -1);
		break;
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
		if (n->create_domain_stmt->n_domainname)
			consider(out, node_string(n->create_domain_stmt->domainname[n->create_domain_stmt->n_domainname - 1]),
				 "domain", -1);
		break;
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
		if (n->create_function_stmt->n_funcname)
			consider(out, node_string(n->create_function_stmt->funcname[n->create_function_stmt->n_funcname - 1]),
				 "function", -1);
		break;
	default:
		break;
	}
}

static int check(struct rule_ctx *ctx)
{
	const struct analyzed_stmt *s = ctx->stmt;
	struct long_name ln = { .location = -1, .text = rule_stmt_text(ctx, s), .ctx = ctx };
	find(s->st->node, &ln);
	if (!ln.name)
		return PGS_OK;
	struct finding f = { 0 };
	/* underline the name itself, searched from its node's location or the statement's start */
	size_t from = ln.location >= 0 ? s->st->loc_base + (size_t)ln.location : s->st->start;
	const char *p = strstr(ctx->src->text + from, ln.name);
	if (p && (size_t)(p - ctx->src->text) < s->st->end) {
		f.start = (size_t)(p - ctx->src->text);
		f.end = f.start + strlen(ln.name);
	}
	size_t bytes = strlen(ln.name);
	if (!strcmp(ln.what, "enum label")) {
		f.message = rule_printf(ctx, "enum label \"%s\" is %zu bytes long: PostgreSQL refuses labels longer than 63 bytes",
					ln.name, bytes);
		f.help = "shorten the label to 63 bytes or less";
	} else {
		f.message = rule_printf(ctx, "%s name \"%s\" is %zu bytes long: PostgreSQL truncates it to 63 bytes (\"%s\")",
					ln.what, ln.name, bytes, truncated(ctx, ln.name));
		f.help = "choose a name of at most 63 bytes, so the catalog holds what the migration says";
	}
	return rule_report(ctx, &f);
}

const struct rule rule_identifier_too_long = {
	.id = "identifier-too-long",
	.summary = "a name longer than 63 bytes is silently truncated by PostgreSQL",
	.rationale =
		"PostgreSQL stores identifiers in 64-byte fields: a longer name is cut to 63 bytes with "
		"only a NOTICE. Two long names that share their first 63 bytes then collide (the second "
		"CREATE fails), and tools or later migrations that compare the name as written with the "
		"catalog disagree. Enum labels longer than 63 bytes are refused. Only names a statement "
		"defines are checked. On every version.",
	.safe_alternative = "CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at);",
	.bad_example =
		"CREATE INDEX orders_customer_id_created_at_status_shipping_country_partial_idx\n"
		"  ON orders (customer_id, created_at, status, shipping_country);",
	.good_example = "CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at);",
	.peers = "squawk: identifier-too-long",
	.default_severity = PGS_SEV_WARNING,
	.check = check,
};
