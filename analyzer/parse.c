/*
 * parse.c - libpg_query parsing into the file arena (parse.h).
 *
 * Two traps shape this file. libpg_query's error cursor counts characters
 * from 1 while statement locations count bytes, so every cursor goes
 * through source_char_to_byte(). And a parse error aborts the whole
 * string, so on failure each statement found by split.c is parsed alone.
 */
#include "parse.h"

#include "pgsafe.h"
#include "split.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

const char *parse_node_kind(const PgQuery__Node *node)
{
	if (!node || node->node_case == PG_QUERY__NODE__NODE__NOT_SET)
		return "Unknown";
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor,
							(unsigned)node->node_case);
	if (!f || !f->descriptor)
		return "Unknown";
	return ((const ProtobufCMessageDescriptor *)f->descriptor)->short_name;
}

/* ---------------------------------------------------------------------
 * Syntax newer than the PostgreSQL 15 grammar
 * ------------------------------------------------------------------- */

struct word {
	char text[24];
	size_t start;
};

/* Upper-cased words and numbers of @text, strings and comments skipped. */
static size_t words_of(const char *t, size_t len, struct word *w, size_t max)
{
	size_t n = 0, i = 0;
	while (i < len && n < max) {
		i = split_skip_space(t, len, i);
		if (i >= len)
			break;
		unsigned char c = (unsigned char)t[i];
		size_t s = i;
		if (c == '\'' || c == '"') {
			i++;
			while (i < len && (unsigned char)t[i] != c)
				i++;
			i++;
			continue;
		}
		if (isalnum(c) || c == '_') {
			while (i < len && (isalnum((unsigned char)t[i]) || t[i] == '_'))
				i++;
			size_t l = i - s < sizeof(w->text) - 1 ? i - s : sizeof(w->text) - 1;
			for (size_t k = 0; k < l; k++)
				w[n].text[k] = (char)toupper((unsigned char)t[s + k]);
			w[n].text[l] = '\0';
			w[n].start = s;
			n++;
			continue;
		}
		if (c >= 0x80) {
			i++;
			continue;
		}
		w[n].text[0] = (char)c;
		w[n].text[1] = '\0';
		w[n].start = s;
		n++;
		i++;
	}
	return n;
}

static int is_word(const struct word *w, size_t n, size_t i, const char *s)
{
	return i < n && !strcmp(w[i].text, s);
}

const char *parse_detect_newer_syntax(const char *text, size_t len, int *version)
{
	enum { MAXW = 4096 };
	static const struct { const char *word; const char *feature; int version; } fn[] = {
		{ "JSON_TABLE", "JSON_TABLE", 17 },
		{ "JSON_EXISTS", "SQL/JSON query functions (JSON_EXISTS)", 17 },
		{ "JSON_QUERY", "SQL/JSON query functions (JSON_QUERY)", 17 },
		{ "JSON_VALUE", "SQL/JSON query functions (JSON_VALUE)", 17 },
		{ "JSON_SCALAR", "SQL/JSON constructors (JSON_SCALAR)", 17 },
		{ "JSON_SERIALIZE", "SQL/JSON constructors (JSON_SERIALIZE)", 17 },
		{ "JSON_ARRAY", "SQL/JSON constructors (JSON_ARRAY)", 16 },
		{ "JSON_OBJECTAGG", "SQL/JSON aggregates (JSON_OBJECTAGG)", 16 },
		{ "JSON_ARRAYAGG", "SQL/JSON aggregates (JSON_ARRAYAGG)", 16 },
		{ "SYSTEM_USER", "SYSTEM_USER", 16 },
	};
	struct word *w;
	struct word buf[MAXW];
	size_t n;
	w = buf;
	n = words_of(text, len, w, MAXW);
	for (size_t i = 0; i < n; i++) {
		const char *x = w[i].text;
		for (size_t k = 0; k < sizeof(fn) / sizeof(fn[0]); k++) {
			if (!strcmp(x, fn[k].word)) {
				*version = fn[k].version;
				return fn[k].feature;
			}
		}
		/* 0x1F, 0o17, 0b101 and 1_000 literals */
		if (isdigit((unsigned char)x[0])) {
			if (x[0] == '0' && (x[1] == 'X' || x[1] == 'O' || x[1] == 'B') && x[2]) {
				*version = 16;
				return "non-decimal integer literals";
			}
			if (strchr(x, '_')) {
				*version = 16;
				return "underscores in numeric literals";
			}
		}
		/*
		 * json_object(text[]) exists since 9.4; JSON_OBJECT('k' VALUE v),
		 * JSON_OBJECT('k': v) and its ABSENT/RETURNING clauses are 16's.
		 */
		if (!strcmp(x, "JSON_OBJECT") && is_word(w, n, i + 1, "(")) {
			int depth = 0;
			for (size_t k = i + 1; k < n; k++) {
				const char *y = w[k].text;
				if (!strcmp(y, "("))
					depth++;
				else if (!strcmp(y, ")") && --depth == 0)
					break;
				if (depth == 1 && (!strcmp(y, "VALUE") || !strcmp(y, ":") || !strcmp(y, "ABSENT") ||
						   !strcmp(y, "RETURNING") || !strcmp(y, "FORMAT") ||
						   (!strcmp(y, "NULL") && is_word(w, n, k + 1, "ON")))) {
					*version = 16;
					return "SQL/JSON constructors (JSON_OBJECT)";
				}
			}
		}
		if (!strcmp(x, "IS") && is_word(w, n, i + 1, "JSON")) {
			*version = 16;
			return "IS JSON predicates";
		}
		if (!strcmp(x, "IS") && is_word(w, n, i + 1, "NOT") && is_word(w, n, i + 2, "JSON")) {
			*version = 16;
			return "IS JSON predicates";
		}
		if (!strcmp(x, "MERGE") && i == 0) {
			for (size_t k = i + 1; k < n; k++)
				if (!strcmp(w[k].text, "RETURNING")) {
					*version = 17;
					return "MERGE ... RETURNING";
				}
		}
		if (!strcmp(x, "SET") && is_word(w, n, i + 1, "EXPRESSION") && is_word(w, n, i + 2, "AS")) {
			*version = 17;
			return "ALTER COLUMN ... SET EXPRESSION";
		}
		if (!strcmp(x, "WITHOUT") && is_word(w, n, i + 1, "OVERLAPS")) {
			*version = 18;
			return "WITHOUT OVERLAPS constraints";
		}
		if (!strcmp(x, "NOT") && is_word(w, n, i + 1, "ENFORCED")) {
			*version = 18;
			return "NOT ENFORCED constraints";
		}
		if (!strcmp(x, "VIRTUAL") && i > 0 && is_word(w, n, i - 1, ")")) {
			*version = 18;
			return "virtual generated columns";
		}
		if (!strcmp(x, "CONSTRAINT") && i + 3 < n && is_word(w, n, i + 2, "NOT") &&
		    is_word(w, n, i + 3, "NULL") && i + 4 < n &&
		    (isalpha((unsigned char)w[i + 4].text[0]) || w[i + 4].text[0] == '_')) {
			*version = 18;
			return "named NOT NULL table constraints (CONSTRAINT name NOT NULL column)";
		}
		if (!strcmp(x, "WITH") && (is_word(w, n, i + 1, "INHERIT") || is_word(w, n, i + 1, "SET")) &&
		    i > 0 && is_word(w, n, 0, "GRANT")) {
			*version = 16;
			return "GRANT ... WITH INHERIT/SET options";
		}
		if (!strcmp(x, "MAINTAIN") && i > 0 && (is_word(w, n, 0, "GRANT") || is_word(w, n, 0, "REVOKE"))) {
			*version = 17;
			return "the MAINTAIN privilege";
		}
		if (!strcmp(x, "RETURNING") && is_word(w, n, i + 1, "WITH") && is_word(w, n, i + 2, "(") &&
		    (is_word(w, n, i + 3, "OLD") || is_word(w, n, i + 3, "NEW"))) {
			*version = 18;
			return "RETURNING WITH (OLD/NEW ...)";
		}
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------- */

static int add_stmt(struct arena *a, struct parsed_file *out, struct stmt s)
{
	return ARENA_PUSH(a, out->stmts, out->n, out->cap, s);
}

/* Unpacks a protobuf parse result into @a; NULL on failure. */
static PgQuery__ParseResult *unpack(struct arena *a, PgQueryProtobuf pb)
{
	ProtobufCAllocator alloc;
	arena_protobuf_allocator(a, &alloc);
	return pg_query__parse_result__unpack(&alloc, pb.len, (const uint8_t *)pb.data);
}

/*
 * The statement's own span: leading white space and comments trimmed,
 * the terminator and trailing white space excluded.
 */
static void trim_span(const char *t, size_t len, size_t *start, size_t *end)
{
	size_t s = split_skip_space(t, *end < len ? *end : len, *start);
	size_t e = *end;
	while (e > s && isspace((unsigned char)t[e - 1]))
		e--;
	*start = s;
	*end = e;
}

static void record_error(struct stmt *st, struct arena *a, const char *text, size_t base,
			 size_t seg_len, const char *full, size_t full_len, PgQueryError *err)
{
	st->status = STMT_SYNTAX_ERROR;
	st->error = arena_strdup(a, err->message);
	/* cursorpos is 1-based and counts characters (0: unknown) */
	size_t chars = err->cursorpos > 0 ? (size_t)err->cursorpos - 1 : 0;
	st->error_offset = source_char_to_byte(full, full_len, base, chars);
	if (st->error_offset > base + seg_len)
		st->error_offset = base + seg_len;
	int version = 0;
	const char *feat = parse_detect_newer_syntax(text + base, seg_len, &version);
	if (!feat && strstr(err->message, "subquery in FROM must have an alias")) {
		feat = "subquery in FROM without an alias";
		version = 16;
	}
	st->newer_feature = feat;
	st->newer_version = version;
}

/* Parses the SQL text of one segment; appends one stmt per RawStmt. */
static int parse_segment(const char *work, size_t len, const struct segment *seg,
			 struct arena *a, struct parsed_file *out)
{
	size_t seg_len = seg->end - seg->start;
	char *piece = arena_strndup(a, work + seg->start, seg_len);
	if (!piece)
		return PGS_ERR_NOMEM;
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(piece);
	int rc = PGS_OK;
	if (r.error) {
		struct stmt st = { .start = seg->start, .end = seg->end };
		record_error(&st, a, work, seg->start, seg_len, work, len, r.error);
		rc = add_stmt(a, out, st);
		goto out_free;
	}
	PgQuery__ParseResult *pr = unpack(a, r.parse_tree);
	if (!pr) {
		rc = PGS_ERR_NOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < pr->n_stmts; i++) {
		PgQuery__RawStmt *raw = pr->stmts[i];
		size_t s = seg->start + (size_t)raw->stmt_location;
		size_t e = raw->stmt_len ? s + (size_t)raw->stmt_len : seg->end;
		trim_span(work, len, &s, &e);
		struct stmt st = { .status = STMT_PARSED, .start = s, .end = e, .node = raw->stmt,
				   .loc_base = seg->start };
		if ((rc = add_stmt(a, out, st)))
			break;
	}
out_free:
	pg_query_free_protobuf_parse_result(r);
	return rc;
}

static bool inside_sql_segment(const struct split_result *sp, size_t at)
{
	for (size_t i = 0; i < sp->n; i++)
		if (sp->segs[i].kind == SEG_SQL && sp->segs[i].start <= at && at < sp->segs[i].end + 1)
			return true;
	return false;
}

/* Whether a meta-command or COPY data lies inside a statement the parser found. */
static bool meta_inside_statement(const char *work, size_t len, const struct split_result *sp,
				  struct arena *a, PgQueryProtobuf pb)
{
	bool found = false;
	bool any_meta = false;
	for (size_t m = 0; m < sp->n; m++)
		if (sp->segs[m].kind != SEG_SQL)
			any_meta = true;
	if (!any_meta)
		return false;
	PgQuery__ParseResult *pr = unpack(a, pb);
	for (size_t i = 0; pr && i < pr->n_stmts && !found; i++) {
		size_t s = (size_t)pr->stmts[i]->stmt_location;
		size_t e = pr->stmts[i]->stmt_len ? s + (size_t)pr->stmts[i]->stmt_len : len;
		trim_span(work, len, &s, &e);
		for (size_t m = 0; m < sp->n; m++)
			if (sp->segs[m].kind != SEG_SQL && sp->segs[m].start > s && sp->segs[m].start < e)
				found = true;
	}
	return found;
}

static int parse_text(const char *text, size_t len, struct arena *a, struct parsed_file *out)
{
	struct split_result sp;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = split_statements(text, len, a, &sp)))
		return rc;

	/* the working copy: meta-commands and COPY data blanked, offsets kept */
	char *work = arena_strndup(a, text, len);
	if (!work)
		return PGS_ERR_NOMEM;
	/* a UTF-8 byte order mark is not part of the first statement */
	if (len >= 3 && !memcmp(work, "\xef\xbb\xbf", 3))
		memset(work, ' ', 3);
	int blanked = 0;
	for (size_t i = 0; i < sp.n; i++) {
		if (sp.segs[i].kind == SEG_SQL)
			continue;
		blanked = 1;
		for (size_t k = sp.segs[i].start; k < sp.segs[i].end; k++)
			if (work[k] != '\n')
				work[k] = ' ';
	}
	(void)blanked;

	PgQueryProtobufParseResult r = pg_query_parse_protobuf(work);
	if (!r.error && meta_inside_statement(work, len, &sp, a, r.parse_tree)) {
		/* the parser's statements would span a meta-command: use the splitter's */
		pg_query_free_protobuf_parse_result(r);
		r = (PgQueryProtobufParseResult){ .error = (PgQueryError *)1 };
		goto by_segment;
	}
	if (!r.error) {
		PgQuery__ParseResult *pr = unpack(a, r.parse_tree);
		if (!pr) {
			pg_query_free_protobuf_parse_result(r);
			return PGS_ERR_NOMEM;
		}
		/* merge parsed statements and meta segments in text order */
		size_t m = 0;
		for (size_t i = 0; i < pr->n_stmts && !rc; i++) {
			PgQuery__RawStmt *raw = pr->stmts[i];
			size_t s = (size_t)raw->stmt_location;
			size_t e = raw->stmt_len ? s + (size_t)raw->stmt_len : len;
			trim_span(work, len, &s, &e);
			for (; m < sp.n && sp.segs[m].start < s && !rc; m++) {
				if (sp.segs[m].kind == SEG_META) {
					struct stmt st = { .status = STMT_META, .start = sp.segs[m].start,
							   .end = sp.segs[m].end };
					rc = add_stmt(a, out, st);
				}
			}
			struct stmt st = { .status = STMT_PARSED, .start = s, .end = e, .node = raw->stmt };
			if (!rc)
				rc = add_stmt(a, out, st);
		}
		for (; m < sp.n && !rc; m++) {
			if (sp.segs[m].kind == SEG_META) {
				struct stmt st = { .status = STMT_META, .start = sp.segs[m].start,
						   .end = sp.segs[m].end };
				rc = add_stmt(a, out, st);
			}
		}
		pg_query_free_protobuf_parse_result(r);
		return rc;
	}
	pg_query_free_protobuf_parse_result(r);
by_segment:
	/* one statement at a time, so one error loses nothing else */
	for (size_t i = 0; i < sp.n && !rc; i++) {
		const struct segment *seg = &sp.segs[i];
		if (seg->kind == SEG_META) {
			struct stmt st = { .status = STMT_META, .start = seg->start, .end = seg->end };
			rc = add_stmt(a, out, st);
		} else if (seg->kind == SEG_SQL) {
			rc = parse_segment(work, len, seg, a, out);
		}
	}
	/* a comment or quote left open after the last statement is an error too */
	if (!rc && sp.unterminated_quote && !inside_sql_segment(&sp, sp.unterminated_at)) {
		struct stmt st = { .status = STMT_SYNTAX_ERROR, .start = sp.unterminated_at, .end = len,
				   .error_offset = sp.unterminated_at,
				   .error = "unterminated comment or quoted text: it runs to the end of the file" };
		rc = add_stmt(a, out, st);
	}
	return rc;
}

int parse_source(const struct source *src, struct arena *a, struct parsed_file *out)
{
	return parse_text(src->text, src->len, a, out);
}

int parse_sql(const char *sql, struct arena *a, struct parsed_file *out)
{
	return parse_text(sql, strlen(sql), a, out);
}
