/*
 * quote.c - quoting and checked deparsing (quote.h).
 *
 * Facts carried over from PostgreSQL 15: quote_identifier() in
 * src/backend/utils/adt/ruleutils.c (which names stay bare),
 * quote_literal() in quote.c (the E'' form for backslashes), NAMEDATALEN
 * (64) in pg_config_manual.h, and the dollar-quote rules of scan.l.
 * The keyword categories come from libpg_query's scanner (pg_query_scan),
 * which carries PostgreSQL's kwlist.h.
 */
#include "quote.h"

#include "parse.h"

#include <pg_query.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Names and strings
 * ------------------------------------------------------------------- */

/* Whether the scanner reads @word as a keyword that a bare name may not be. */
static bool is_quoting_keyword(const char *word)
{
	PgQueryScanResult r = pg_query_scan(word);
	bool quote = true;
	if (!r.error) {
		PgQuery__ScanResult *sr = pg_query__scan_result__unpack(NULL, r.pbuf.len,
									 (const uint8_t *)r.pbuf.data);
		if (sr && sr->n_tokens == 1) {
			PgQuery__KeywordKind k = sr->tokens[0]->keyword_kind;
			quote = k != PG_QUERY__KEYWORD_KIND__NO_KEYWORD &&
				k != PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD;
		}
		if (sr)
			pg_query__scan_result__free_unpacked(sr, NULL);
	}
	pg_query_free_scan_result(r);
	return quote;
}

const char *quote_ident(struct arena *a, const char *name)
{
	bool safe = name[0] && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
	size_t quotes = 0;
	for (const char *p = name; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			safe = false;
		if (*p == '"')
			quotes++;
	}
	if (safe && !is_quoting_keyword(name))
		return arena_strdup(a, name);
	size_t len = strlen(name);
	char *out = arena_alloc(a, len + quotes + 3);
	if (!out)
		return NULL;
	char *w = out;
	*w++ = '"';
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			*w++ = '"';
		*w++ = *p;
	}
	*w++ = '"';
	*w = '\0';
	return out;
}

/*
 * The catalog keeps "schema.rel" unquoted; the schema is everything before
 * the first dot (a schema whose name holds a dot is not told apart).
 */
const char *quote_relname(const char *qname)
{
	const char *dot = strchr(qname, '.');
	return dot ? dot + 1 : qname;
}

const char *quote_schemaname(struct arena *a, const char *qname)
{
	const char *dot = strchr(qname, '.');
	return dot ? arena_strndup(a, qname, (size_t)(dot - qname)) : "public";
}

const char *quote_qualified(struct arena *a, const char *qname)
{
	const char *s = quote_ident(a, quote_schemaname(a, qname));
	const char *r = quote_ident(a, quote_relname(qname));
	return s && r ? arena_printf(a, "%s.%s", s, r) : NULL;
}

const char *quote_literal(struct arena *a, const char *s)
{
	size_t len = strlen(s), extra = 0;
	bool backslash = false;
	for (const char *p = s; *p; p++) {
		if (*p == '\'' || *p == '\\')
			extra++;
		if (*p == '\\')
			backslash = true;
	}
	char *out = arena_alloc(a, len + extra + 4);
	if (!out)
		return NULL;
	char *w = out;
	if (backslash)
		*w++ = 'E';
	*w++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'' || *p == '\\')
			*w++ = *p;
		*w++ = *p;
	}
	*w++ = '\'';
	*w = '\0';
	return out;
}

const char *dollar_quote(struct arena *a, const char *body)
{
	/*
	 * The body must not contain the tag without its closing dollar either:
	 * "...$pgsafe" followed by "$pgsafe$" would end the string early.
	 */
	for (int n = 0; n < 1000; n++) {
		char open[32];
		if (n)
			snprintf(open, sizeof(open), "$pgsafe_%d", n);
		else
			snprintf(open, sizeof(open), "$pgsafe");
		if (!strstr(body, open))
			return arena_printf(a, "%s$%s%s$", open, body, open);
	}
	return NULL;
}

const char *quote_truncate_name(struct arena *a, const char *name)
{
	size_t len = strlen(name);
	if (len <= 63)
		return arena_strdup(a, name);
	len = 63;
	/* back off to the start of a UTF-8 character */
	while (len > 0 && ((unsigned char)name[len] & 0xC0) == 0x80)
		len--;
	return arena_strndup(a, name, len);
}

/* ---------------------------------------------------------------------
 * Tree equality, locations aside
 * ------------------------------------------------------------------- */

static bool ignored_field(const char *name)
{
	return !strcmp(name, "location") || !strcmp(name, "stmt_location") ||
	       !strcmp(name, "stmt_len");
}

static size_t scalar_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	default:
		return 4;
	}
}

static bool same_string(const char *x, const char *y)
{
	return !strcmp(x ? x : "", y ? y : "");
}

static bool same_msg(const ProtobufCMessage *x, const ProtobufCMessage *y, int depth);

static bool same_value(const ProtobufCFieldDescriptor *f, const void *px, const void *py, int depth)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		return same_string(*(char *const *)px, *(char *const *)py);
	case PROTOBUF_C_TYPE_BYTES: {
		const ProtobufCBinaryData *bx = px, *by = py;
		return bx->len == by->len && (!bx->len || !memcmp(bx->data, by->data, bx->len));
	}
	case PROTOBUF_C_TYPE_MESSAGE:
		return same_msg(*(ProtobufCMessage *const *)px, *(ProtobufCMessage *const *)py, depth + 1);
	default:
		return !memcmp(px, py, scalar_size(f->type));
	}
}

static size_t elem_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		return sizeof(char *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(ProtobufCMessage *);
	default:
		return scalar_size(f->type);
	}
}

static bool same_msg(const ProtobufCMessage *x, const ProtobufCMessage *y, int depth)
{
	if (!x || !y)
		return x == y;
	if (x->descriptor != y->descriptor || depth > 2000)
		return false;
	const ProtobufCMessageDescriptor *d = x->descriptor;
	const char *bx = (const char *)x, *by = (const char *)y;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (ignored_field(f->name))
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t nx = *(const size_t *)(bx + f->quantifier_offset);
			size_t ny = *(const size_t *)(by + f->quantifier_offset);
			if (nx != ny)
				return false;
			const char *ax = *(const char *const *)(bx + f->offset);
			const char *ay = *(const char *const *)(by + f->offset);
			size_t es = elem_size(f);
			for (size_t k = 0; k < nx; k++)
				if (!same_value(f, ax + k * es, ay + k * es, depth))
					return false;
			continue;
		}
		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			uint32_t cx = *(const uint32_t *)(bx + f->quantifier_offset);
			uint32_t cy = *(const uint32_t *)(by + f->quantifier_offset);
			if (cx != cy)
				return false;
			if (cx != f->id)
				continue;
		} else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset &&
			   f->type != PROTOBUF_C_TYPE_MESSAGE && f->type != PROTOBUF_C_TYPE_STRING) {
			protobuf_c_boolean hx = *(const protobuf_c_boolean *)(bx + f->quantifier_offset);
			protobuf_c_boolean hy = *(const protobuf_c_boolean *)(by + f->quantifier_offset);
			if (hx != hy)
				return false;
			if (!hx)
				continue;
		}
		if (!same_value(f, bx + f->offset, by + f->offset, depth))
			return false;
	}
	return true;
}

bool quote_same_tree(const ProtobufCMessage *x, const ProtobufCMessage *y)
{
	return same_msg(x, y, 0);
}

/* ---------------------------------------------------------------------
 * Checked deparsing
 * ------------------------------------------------------------------- */

/* Deparses one statement node with libpg_query; NULL when it refuses. */
static const char *deparse_raw(struct arena *a, const PgQuery__Node *stmt)
{
	PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
	raw.stmt = (PgQuery__Node *)stmt;
	PgQuery__RawStmt *raws[1] = { &raw };
	PgQuery__ParseResult pr = PG_QUERY__PARSE_RESULT__INIT;
	pr.version = PG_VERSION_NUM;
	pr.n_stmts = 1;
	pr.stmts = raws;
	size_t len = pg_query__parse_result__get_packed_size(&pr);
	uint8_t *buf = arena_alloc(a, len ? len : 1);
	if (!buf)
		return NULL;
	pg_query__parse_result__pack(&pr, buf);
	PgQueryProtobuf pb = { .len = len, .data = (char *)buf };
	PgQueryDeparseResult d = pg_query_deparse_protobuf(pb);
	const char *out = d.error || !d.query ? NULL : arena_strdup(a, d.query);
	pg_query_free_deparse_result(d);
	return out;
}

/* Parses @sql, which must be exactly one statement; NULL otherwise. */
static const PgQuery__Node *parse_one(struct arena *a, const char *sql)
{
	struct parsed_file pf;
	if (parse_sql(sql, a, &pf) || pf.n != 1 || pf.stmts[0].status != STMT_PARSED)
		return NULL;
	return pf.stmts[0].node;
}

/* The first target of "SELECT <x>" parsed from @sql, or NULL. */
static PgQuery__ResTarget *select_target(const PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
	    n->select_stmt->n_target_list != 1 ||
	    n->select_stmt->target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET)
		return NULL;
	return n->select_stmt->target_list[0]->res_target;
}

const char *deparse_expr(struct arena *a, const PgQuery__Node *expr)
{
	static const char prefix[] = "SELECT ";
	const PgQuery__Node *tmpl = parse_one(a, "SELECT NULL");
	PgQuery__ResTarget *rt = select_target(tmpl);
	if (!rt || !expr)
		return NULL;
	rt->val = (PgQuery__Node *)expr;
	const char *sql = deparse_raw(a, tmpl);
	if (!sql || strncmp(sql, prefix, sizeof(prefix) - 1))
		return NULL;
	PgQuery__ResTarget *back = select_target(parse_one(a, sql));
	if (!back || (back->name && *back->name) ||
	    !quote_same_tree((const ProtobufCMessage *)back->val, (const ProtobufCMessage *)expr))
		return NULL;
	return sql + sizeof(prefix) - 1;
}

const char *deparse_type(struct arena *a, const PgQuery__TypeName *tn)
{
	static const char prefix[] = "SELECT NULL::";
	const PgQuery__Node *tmpl = parse_one(a, "SELECT NULL::int");
	PgQuery__ResTarget *rt = select_target(tmpl);
	if (!rt || !tn || !rt->val || rt->val->node_case != PG_QUERY__NODE__NODE_TYPE_CAST)
		return NULL;
	rt->val->type_cast->type_name = (PgQuery__TypeName *)tn;
	const char *sql = deparse_raw(a, tmpl);
	if (!sql || strncmp(sql, prefix, sizeof(prefix) - 1))
		return NULL;
	PgQuery__ResTarget *back = select_target(parse_one(a, sql));
	if (!back || !back->val || back->val->node_case != PG_QUERY__NODE__NODE_TYPE_CAST ||
	    !quote_same_tree((const ProtobufCMessage *)back->val->type_cast->type_name,
			     (const ProtobufCMessage *)tn))
		return NULL;
	return sql + sizeof(prefix) - 1;
}

const char *deparse_stmt(struct arena *a, const PgQuery__Node *stmt)
{
	const char *sql = deparse_raw(a, stmt);
	if (!sql)
		return NULL;
	const PgQuery__Node *back = parse_one(a, sql);
	if (!back || !quote_same_tree((const ProtobufCMessage *)back, (const ProtobufCMessage *)stmt))
		return NULL;
	return sql;
}

/* Replaces each whole-word @from in @text with @to. */
static const char *replace_word(struct arena *a, const char *text, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	for (const char *p = strstr(text, from); p; p = strstr(p + fl, from))
		n++;
	char *out = arena_alloc(a, strlen(text) + n * (tl + 1) + 1);
	if (!out)
		return NULL;
	char *w = out;
	const char *p = text;
	for (const char *hit = strstr(p, from); hit; hit = strstr(p, from)) {
		memcpy(w, p, (size_t)(hit - p));
		w += hit - p;
		memcpy(w, to, tl);
		w += tl;
		p = hit + fl;
	}
	strcpy(w, p);
	return out;
}

const char *deparse_stmt_names(struct arena *a, const PgQuery__Node *stmt, char **const *slots,
			       size_t n)
{
	const char *direct = deparse_stmt(a, stmt);
	if (direct || n > 16)
		return direct;
	char *real[16];
	char ph[16][24];
	for (size_t i = 0; i < n; i++) {
		real[i] = *slots[i];
		snprintf(ph[i], sizeof(ph[i]), "pgsafe_name_%zu_", i);
		*slots[i] = ph[i];
	}
	const char *sql = deparse_raw(a, stmt);
	for (size_t i = 0; i < n; i++)
		*slots[i] = real[i];
	for (size_t i = 0; sql && i < n; i++) {
		/* the placeholder must appear as a bare word, exactly as written */
		const char *q = quote_ident(a, real[i] ? real[i] : "");
		sql = q ? replace_word(a, sql, ph[i], q) : NULL;
	}
	if (!sql)
		return NULL;
	const PgQuery__Node *back = parse_one(a, sql);
	if (!back || !quote_same_tree((const ProtobufCMessage *)back, (const ProtobufCMessage *)stmt))
		return NULL;
	return sql;
}
