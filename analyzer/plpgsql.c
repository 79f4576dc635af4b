/*
 * plpgsql.c - the statements a DO block runs (plpgsql.h).
 *
 * libpg_query parses PL/pgSQL only as the body of CREATE FUNCTION, and
 * hands back JSON in which every statement carries the line it starts on,
 * counted from the body's first line, and SQL statements carry their text
 * as written (PL/pgSQL cuts it out of the body). So: find the body in the
 * file (a map from body bytes to file bytes, for dollar- and
 * single-quoted bodies), wrap it in a function, parse, walk the JSON in
 * source order, and look each statement's text up from the start of its
 * line. A DO block is atomic: lint.c runs its statements as one
 * transaction.
 */
#include "plpgsql.h"

#include <ctype.h>
#include <jansson.h>
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NODE(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

/* Deeper JSON than this is not walked (a body nested this deep is not a migration). */
#define MAX_DEPTH 200
/* More statements than this in one block are not analyzed one by one. */
#define MAX_STMTS 10000

bool plpgsql_is_do(const struct stmt *st)
{
	return st->status == STMT_PARSED && NODE(st->node, DO_STMT);
}

/* ---------------------------------------------------------------------
 * Where the body is in the file
 * ------------------------------------------------------------------- */

struct body {
	const char *text;     /* the body, as PostgreSQL sees it */
	size_t len;
	size_t *map;          /* body byte i is file byte map[i]; map[len] is one past the end */
};

/* The body as written between dollar quotes: the same bytes, so one offset. */
static bool map_verbatim(struct body *b, const struct source *src, const struct stmt *st,
			 struct arena *a)
{
	if (!b->len)
		return false;
	for (size_t i = st->start; i + b->len <= st->end; i++) {
		if (memcmp(src->text + i, b->text, b->len))
			continue;
		b->map = arena_alloc(a, (b->len + 1) * sizeof(*b->map));
		if (!b->map)
			return false;
		for (size_t k = 0; k <= b->len; k++)
			b->map[k] = i + k;
		return true;
	}
	return false;
}

/* The body as a '...' literal, where '' stands for one quote. */
static bool map_quoted(struct body *b, const struct source *src, const struct stmt *st,
		       struct arena *a)
{
	for (size_t q = st->start; q < st->end; q++) {
		if (src->text[q] != '\'')
			continue;
		/* E'...' strings have backslash escapes: not mapped */
		if (q > st->start && (src->text[q - 1] == 'E' || src->text[q - 1] == 'e'))
			return false;
		b->map = arena_alloc(a, (b->len + 1) * sizeof(*b->map));
		if (!b->map)
			return false;
		size_t i = q + 1, k = 0;
		while (k < b->len && i < st->end) {
			if (src->text[i] == '\'') {
				if (i + 1 >= st->end || src->text[i + 1] != '\'')
					return false;
				i++;     /* a doubled quote: the second one is the character */
			}
			if (src->text[i] != b->text[k])
				return false;
			b->map[k++] = i++;
		}
		if (k != b->len || i >= st->end || src->text[i] != '\'')
			return false;
		b->map[k] = i;
		return true;
	}
	return false;
}

/* ---------------------------------------------------------------------
 * Walking the JSON
 * ------------------------------------------------------------------- */

struct found {
	int line;             /* in the body, from 1 */
	enum do_stmt_kind kind;
	const char *query;    /* DO_STMT_SQL: the statement's text (jansson's; copied later) */
	const char *keyword;  /* where to look on the line when the text is not verbatim */
	const char *what;     /* DO_STMT_DYNAMIC */
	size_t order;
};

struct walk {
	struct found *items;
	size_t n, cap;
	int last_line;
	bool too_many;
};

static const char *expr_query(json_t *stmt, const char *field)
{
	json_t *e = json_object_get(json_object_get(stmt, field), "PLpgSQL_expr");
	return json_string_value(json_object_get(e, "query"));
}

static void push(struct walk *w, json_t *stmt, enum do_stmt_kind kind, const char *query,
		 const char *keyword, const char *what)
{
	if (w->n >= MAX_STMTS) {
		w->too_many = true;
		return;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct found *items = realloc(w->items, cap * sizeof(*items));
		if (!items) {
			w->too_many = true;
			return;
		}
		w->items = items;
		w->cap = cap;
	}
	json_t *ln = json_object_get(stmt, "lineno");
	int line = json_is_integer(ln) ? (int)json_integer_value(ln) : w->last_line;
	if (line < 1)
		line = 1;
	w->last_line = line;
	w->items[w->n] = (struct found){ line, kind, query, keyword, what, w->n };
	w->n++;
}

/* One PL/pgSQL statement (the value under its "PLpgSQL_stmt_..." key). */
static void visit_stmt(struct walk *w, const char *type, json_t *v)
{
	if (!strcmp(type, "PLpgSQL_stmt_execsql"))
		push(w, v, DO_STMT_SQL, expr_query(v, "sqlstmt"), NULL, NULL);
	else if (!strcmp(type, "PLpgSQL_stmt_perform"))
		push(w, v, DO_STMT_SQL, expr_query(v, "expr"), "PERFORM", NULL);
	else if (!strcmp(type, "PLpgSQL_stmt_call"))
		push(w, v, DO_STMT_SQL, expr_query(v, "expr"), NULL, NULL);
	else if (!strcmp(type, "PLpgSQL_stmt_commit"))
		push(w, v, DO_STMT_SQL, "COMMIT", "COMMIT", NULL);
	else if (!strcmp(type, "PLpgSQL_stmt_rollback"))
		push(w, v, DO_STMT_SQL, "ROLLBACK", "ROLLBACK", NULL);
	else if (!strcmp(type, "PLpgSQL_stmt_dynexecute"))
		push(w, v, DO_STMT_DYNAMIC, NULL, "EXECUTE", "EXECUTE");
	else if (!strcmp(type, "PLpgSQL_stmt_dynfors"))
		push(w, v, DO_STMT_DYNAMIC, NULL, "EXECUTE", "FOR ... IN EXECUTE");
	else if (json_object_get(v, "dynquery"))
		push(w, v, DO_STMT_DYNAMIC, NULL, "EXECUTE",
		     !strcmp(type, "PLpgSQL_stmt_open") ? "OPEN ... FOR EXECUTE" : "RETURN QUERY EXECUTE");
}

static void walk_json(struct walk *w, json_t *j, int depth)
{
	if (depth > MAX_DEPTH || w->too_many)
		return;
	if (json_is_array(j)) {
		size_t i;
		json_t *x;
		json_array_foreach(j, i, x)
			walk_json(w, x, depth + 1);
	} else if (json_is_object(j)) {
		const char *k;
		json_t *x;
		json_object_foreach(j, k, x) {
			if (!strncmp(k, "PLpgSQL_stmt_", 13))
				visit_stmt(w, k, x);
			walk_json(w, x, depth + 1);
		}
	}
}

static int by_line(const void *pa, const void *pb)
{
	const struct found *a = pa, *b = pb;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* ---------------------------------------------------------------------
 * Placing each statement in the file
 * ------------------------------------------------------------------- */

/* Body offset of the start of 1-based @line. */
static size_t line_offset(const struct body *b, int line)
{
	size_t off = 0;
	for (int l = 1; l < line && off < b->len; off++)
		if (b->text[off] == '\n')
			l++;
	return off;
}

static size_t find(const struct body *b, size_t from, const char *needle, bool nocase)
{
	size_t l = strlen(needle);
	for (size_t i = from; l && i + l <= b->len; i++)
		if (nocase ? !strncasecmp(b->text + i, needle, l) : !memcmp(b->text + i, needle, l))
			return i;
	return (size_t)-1;
}

/* Body offset just past the statement starting at @from: its ';', or the line's end. */
static size_t statement_end(const struct body *b, size_t from)
{
	size_t i = from;
	while (i < b->len && b->text[i] != ';' && b->text[i] != '\n')
		i++;
	while (i > from && isspace((unsigned char)b->text[i - 1]))
		i--;
	return i;
}

static int place(const struct body *b, const struct found *f, size_t *cursor, struct arena *a,
		 struct do_stmt *out)
{
	size_t line = line_offset(b, f->line);
	size_t from = *cursor > line ? *cursor : line;
	size_t at = f->query && !f->keyword ? find(b, from, f->query, false) : (size_t)-1;
	size_t end, base;
	if (at != (size_t)-1) {
		end = at + strlen(f->query);
		base = at;
	} else {
		/* not verbatim (PERFORM, COMMIT, EXECUTE, SELECT ... INTO): find the keyword */
		at = f->keyword ? find(b, from, f->keyword, true) : (size_t)-1;
		if (at == (size_t)-1) {
			at = line;
			while (at < b->len && isspace((unsigned char)b->text[at]))
				at++;
		}
		end = statement_end(b, at);
		if (end <= at)
			end = at < b->len ? at + 1 : at;
		/* "SELECT x" stands for "PERFORM x": one byte shorter */
		base = f->keyword && !strcmp(f->keyword, "PERFORM") ? at + 1 : at;
	}
	*cursor = end;
	out->kind = f->kind;
	out->what = f->what;
	out->st.start = b->map[at];
	out->st.end = b->map[end];
	/*
	 * EXECUTE's SQL is built at run time: the statement stands in as an
	 * EXECUTE of a prepared statement, which no rule mistakes for DDL,
	 * and lint.c reports it as not modeled.
	 */
	char *sql = arena_strdup(a, f->kind == DO_STMT_DYNAMIC ? "EXECUTE pgsafe_dynamic_sql" :
				 f->query ? f->query : "");
	struct parsed_file pf;
	if (!sql)
		return PGS_ERR_NOMEM;
	int rc = parse_sql(sql, a, &pf);
	if (rc)
		return rc;
	if (!pf.n) {
		out->st.status = STMT_SYNTAX_ERROR;
		out->st.error = "the statement is empty";
		out->st.error_offset = out->st.start;
		return PGS_OK;
	}
	const struct stmt *p = &pf.stmts[0];
	out->st.status = p->status;
	out->st.node = p->node;
	out->st.loc_base = b->map[base] + p->loc_base;
	out->st.error = p->error;
	out->st.error_offset = out->st.start + (p->error_offset < end - at ? p->error_offset : 0);
	out->st.newer_feature = p->newer_feature;
	out->st.newer_version = p->newer_version;
	return PGS_OK;
}

/* ---------------------------------------------------------------------
 * The entry point
 * ------------------------------------------------------------------- */

static int not_expanded(struct do_block *out, const char *why)
{
	out->expanded = false;
	out->reason = why;
	return PGS_OK;
}

int plpgsql_expand(const struct source *src, const struct stmt *st, struct arena *a,
		   struct do_block *out)
{
	memset(out, 0, sizeof(*out));
	struct body b = { 0 };
	const char *language = NULL;
	const PgQuery__DoStmt *d = st->node->do_stmt;
	for (size_t i = 0; i < d->n_args; i++) {
		if (!NODE(d->args[i], DEF_ELEM) || !NODE(d->args[i]->def_elem->arg, STRING))
			continue;
		const PgQuery__DefElem *e = d->args[i]->def_elem;
		if (!strcmp(e->defname, "as"))
			b.text = e->arg->string->sval;
		else if (!strcmp(e->defname, "language"))
			language = e->arg->string->sval;
	}
	if (language && strcasecmp(language, "plpgsql"))
		return not_expanded(out, arena_printf(a, "a DO block in LANGUAGE %s: pgsafe reads PL/pgSQL only", language));
	if (!b.text)
		return not_expanded(out, "a DO block without a body");
	b.len = strlen(b.text);
	if (!map_verbatim(&b, src, st, a) && !map_quoted(&b, src, st, a))
		return not_expanded(out, a->failed ? "out of memory" :
				    "pgsafe cannot place the DO block's body in the file (an escaped string)");

	/* a dollar-quote tag the body does not contain */
	char tag[32];
	for (int k = 0;; k++) {
		snprintf(tag, sizeof(tag), k ? "$pgsafe_do%d$" : "$pgsafe_do$", k);
		if (!strstr(b.text, tag))
			break;
	}
	char *wrapped = arena_printf(a, "CREATE FUNCTION pgsafe_do() RETURNS void LANGUAGE plpgsql AS %s%s%s;",
				     tag, b.text, tag);
	if (!wrapped)
		return PGS_ERR_NOMEM;
	PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(wrapped);
	if (r.error) {
		const char *why = arena_printf(a, "the DO block's body does not parse as PL/pgSQL: %s",
					       r.error->message ? r.error->message : "syntax error");
		pg_query_free_plpgsql_parse_result(r);
		return why ? not_expanded(out, why) : PGS_ERR_NOMEM;
	}
	json_t *root = json_loads(r.plpgsql_funcs ? r.plpgsql_funcs : "[]", 0, NULL);
	pg_query_free_plpgsql_parse_result(r);
	if (!root)
		return not_expanded(out, "libpg_query's PL/pgSQL tree could not be read");

	struct walk w = { 0 };
	walk_json(&w, root, 0);
	int rc = PGS_OK;
	if (w.too_many) {
		rc = not_expanded(out, "the DO block runs more statements than pgsafe analyzes one by one");
		goto out_free;
	}
	if (w.n)
		qsort(w.items, w.n, sizeof(*w.items), by_line);
	out->stmts = arena_alloc(a, (w.n ? w.n : 1) * sizeof(*out->stmts));
	if (!out->stmts) {
		rc = PGS_ERR_NOMEM;
		goto out_free;
	}
	size_t cursor = 0;
	for (size_t i = 0; i < w.n && !rc; i++) {
		struct do_stmt *ds = &out->stmts[out->n];
		memset(ds, 0, sizeof(*ds));
		if (w.items[i].kind == DO_STMT_SQL && !w.items[i].query)
			continue;
		rc = place(&b, &w.items[i], &cursor, a, ds);
		if (!rc)
			out->n++;
	}
	out->cap = out->n;
	out->expanded = rc == PGS_OK;
out_free:
	free(w.items);
	json_decref(root);
	return rc;
}

int plpgsql_expand_file(const struct source *src, const struct parsed_file *in, struct arena *a,
			struct parsed_file *out, struct stmt_origin **origins)
{
	struct do_block *blocks = NULL;
	size_t total = in->n, n_do = 0;
	for (size_t i = 0; i < in->n; i++)
		n_do += plpgsql_is_do(&in->stmts[i]);
	if (n_do) {
		blocks = arena_alloc(a, in->n * sizeof(*blocks));
		if (!blocks)
			return PGS_ERR_NOMEM;
		for (size_t i = 0; i < in->n; i++) {
			if (!plpgsql_is_do(&in->stmts[i]))
				continue;
			int rc = plpgsql_expand(src, &in->stmts[i], a, &blocks[i]);
			if (rc)
				return rc;
			total += blocks[i].n;
		}
	}
	memset(out, 0, sizeof(*out));
	out->stmts = arena_alloc(a, (total ? total : 1) * sizeof(*out->stmts));
	*origins = arena_alloc(a, (total ? total : 1) * sizeof(**origins));
	if (!out->stmts || !*origins)
		return PGS_ERR_NOMEM;
	struct stmt_origin *o = *origins;
	for (size_t i = 0; i < in->n; i++) {
		const struct stmt *st = &in->stmts[i];
		size_t k = out->n++;
		out->stmts[k] = *st;
		o[k] = (struct stmt_origin){ ORIGIN_TOP, NULL, false, NULL, NULL };
		if (!blocks || !plpgsql_is_do(st))
			continue;
		const struct do_block *b = &blocks[i];
		o[k].kind = ORIGIN_DO;
		o[k].unexpanded = b->expanded ? NULL : b->reason;
		o[k].last_in_do = b->expanded && !b->n;
		for (size_t j = 0; b->expanded && j < b->n; j++) {
			size_t m = out->n++;
			out->stmts[m] = b->stmts[j].st;
			o[m] = (struct stmt_origin){
				b->stmts[j].kind == DO_STMT_DYNAMIC ? ORIGIN_DYNAMIC : ORIGIN_IN_DO,
				&in->stmts[i], j + 1 == b->n, NULL, b->stmts[j].what,
			};
		}
	}
	out->cap = out->n;
	return PGS_OK;
}
