/*
 * lsp.c - the Language Server (lsp.h).
 *
 * Sits beside the reporters at the end of the pipeline: each open document
 * goes through lint_buffer() as a file of its own, and the finished run is
 * turned into LSP messages instead of a report. Layout: the framing reader,
 * the writer, position arithmetic, the document store, diagnostics, hover,
 * code actions, and the dispatcher with the session's lifecycle.
 *
 * Ownership: the server owns its documents (malloc), each document owns its
 * text and its latest struct lint_run. Every JSON value built here has one
 * owner, the message it goes into, and each message one json_decref; each
 * message read has one json_decref too.
 */
#include "lsp.h"

#include "config.h"
#include "registry.h"
#include "report_util.h"
#include "source.h"

#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LSP_HEADER_LINE_MAX 1024   /* longer header lines are skipped */
#define LSP_MAX_DOCS 4096          /* open documents */
#define LSP_HOVER_LIST_MAX 40      /* locks, findings, ... listed in one hover */
#define LSP_TEXT_MAX 768           /* a diagnostic message built here */
#define LSP_CONFIG_ERROR_ID "config-error"   /* the document's .pgsafe.yaml is malformed */

/* JSON-RPC 2.0 and LSP error codes. */
enum rpc_error {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_INTERNAL_ERROR = -32603,
	RPC_SERVER_NOT_INITIALIZED = -32002,
};

struct lsp_doc {
	char *uri;
	char *path;               /* the file path of a file: URI, else the URI */
	char *text;               /* the editor's text, NUL-terminated */
	size_t len;
	json_int_t version;
	bool has_version;
	bool has_run;             /* run and configs hold the analysis of text */
	struct lint_run run;      /* never moves: its arenas point into it */
	struct config_set configs;   /* the .pgsafe.yaml found for this analysis */
};

struct lsp_server {
	struct lsp_options opts;
	char *docs_url;           /* from initializationOptions; overrides opts.docs_url */
	FILE *in, *out, *log;
	bool initialized, shutdown, exited;
	int status;               /* the first failure: PGS_ERR_IO or PGS_ERR_NOMEM */
	struct lsp_doc **docs;
	size_t n_docs, cap_docs;
};

size_t lsp_default_max_message(size_t max_file_bytes)
{
	if (!max_file_bytes)
		max_file_bytes = PGS_MAX_FILE_BYTES_DEFAULT;
	if (max_file_bytes > (SIZE_MAX - 65536) / 2)
		return SIZE_MAX;
	return 2 * max_file_bytes + 65536;
}

static void log_line(struct lsp_server *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void log_line(struct lsp_server *s, const char *fmt, ...)
{
	va_list ap;
	if (!s->log)
		return;
	va_start(ap, fmt);
	fputs("pgsafe lsp: ", s->log);
	vfprintf(s->log, fmt, ap);
	fputc('\n', s->log);
	fflush(s->log);
	va_end(ap);
}

/* ---------------------------------------------------------------------
 * Reading: Content-Length framing
 *
 * A message is a block of "Name: value" header lines ended by an empty
 * line, then exactly Content-Length bytes of JSON. Header names are
 * case-insensitive; lines end in "\r\n" (a bare "\n" is accepted);
 * Content-Type and unknown headers are ignored. A client that miscounts a
 * body leaves its tail in front of the next header: a header line with
 * "Content-Length:" inside it resynchronizes there.
 * ------------------------------------------------------------------- */

/*
 * Reads one header line into @buf without its line end. Returns its length,
 * or -1 at the end of input. Sets *@too_long when the line did not fit (the
 * rest of it is dropped).
 */
static long read_header_line(FILE *in, char *buf, size_t size, bool *too_long)
{
	size_t n = 0;
	bool any = false;
	int c;
	*too_long = false;
	while ((c = getc(in)) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = (char)c;
		else
			*too_long = true;
	}
	if (!any)
		return -1;
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return (long)n;
}

/* The value of header @name in @line ("Name: value"), or NULL. */
static const char *header_value(const char *line, const char *name)
{
	const char *colon = strchr(line, ':');
	if (!colon)
		return NULL;
	size_t n = (size_t)(colon - line);
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (n != strlen(name) || strncasecmp(line, name, n))
		return NULL;
	return colon + 1;
}

/* Where @needle (lower case) occurs in @hay, ignoring case, or NULL. */
static const char *find_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return hay;
	return NULL;
}

/* Parses a Content-Length value; too large a number saturates. */
static bool parse_length(const char *v, size_t *out)
{
	size_t n = 0;
	while (*v == ' ' || *v == '\t')
		v++;
	if (!isdigit((unsigned char)*v))
		return false;
	for (; isdigit((unsigned char)*v); v++) {
		size_t d = (size_t)(*v - '0');
		n = n > (SIZE_MAX - d) / 10 ? SIZE_MAX : n * 10 + d;
	}
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v)
		return false;
	*out = n;
	return true;
}

/* Reads and drops @n bytes; false when the input ends first. */
static bool discard(FILE *in, size_t n)
{
	char buf[4096];
	while (n) {
		size_t want = n < sizeof(buf) ? n : sizeof(buf);
		size_t got = fread(buf, 1, want, in);
		if (!got)
			return false;
		n -= got;
	}
	return true;
}

/*
 * Reads the next message. Returns 1 with its bytes in *@body (caller owns;
 * release with free()), 0 when the input has ended, PGS_ERR_NOMEM.
 * Malformed framing is logged and skipped.
 */
static int read_message(struct lsp_server *s, char **body, size_t *len)
{
	char line[LSP_HEADER_LINE_MAX];
	for (;;) {
		bool seen = false, have_length = false, too_long;
		size_t length = 0;
		for (;;) {
			long n = read_header_line(s->in, line, sizeof(line), &too_long);
			if (n < 0) {
				if (seen)
					log_line(s, "input ended inside a message header");
				return 0;
			}
			if (n == 0) {
				if (seen)
					break;
				continue;  /* blank lines between messages */
			}
			seen = true;
			if (too_long) {
				log_line(s, "header line longer than %d bytes skipped", LSP_HEADER_LINE_MAX - 1);
				continue;
			}
			const char *value = header_value(line, "content-length");
			if (!value) {
				const char *at = find_nocase(line, "content-length:");
				if (at) {
					log_line(s, "%zu stray bytes before a Content-Length header skipped",
						 (size_t)(at - line));
					value = at + strlen("content-length:");
				}
			}
			if (!value) {
				if (!strchr(line, ':'))
					log_line(s, "malformed header line of %ld bytes skipped", n);
				continue;  /* Content-Type and other headers */
			}
			have_length = parse_length(value, &length);
			if (!have_length)
				log_line(s, "invalid Content-Length value");
		}
		if (!have_length) {
			log_line(s, "message without a valid Content-Length header skipped");
			continue;
		}
		if (length > s->opts.max_message_bytes) {
			log_line(s, "message of %zu bytes skipped: the limit is %zu bytes", length,
				 s->opts.max_message_bytes);
			if (!discard(s->in, length)) {
				log_line(s, "input ended inside a message body");
				return 0;
			}
			continue;
		}
		char *b = malloc(length + 1);
		if (!b)
			return PGS_ERR_NOMEM;
		size_t got = length ? fread(b, 1, length, s->in) : 0;
		if (got < length) {
			log_line(s, "input ended inside a message body (%zu of %zu bytes)", got, length);
			free(b);
			return 0;
		}
		b[length] = '\0';
		*body = b;
		*len = length;
		return 1;
	}
}

/* ---------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------- */

/* Sends @msg (stolen; NULL means building it failed). */
static int send_message(struct lsp_server *s, json_t *msg)
{
	if (s->status) {
		json_decref(msg);
		return s->status;
	}
	char *body = msg ? json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(msg);
	if (!body)
		return s->status = PGS_ERR_NOMEM;
	size_t n = strlen(body);
	if (fprintf(s->out, "Content-Length: %zu\r\n\r\n", n) < 0 || fwrite(body, 1, n, s->out) != n ||
	    fflush(s->out))
		s->status = PGS_ERR_IO;
	free(body);
	return s->status;
}

/* Answers request @id (borrowed) with @result (stolen). */
static int respond(struct lsp_server *s, json_t *id, json_t *result)
{
	return send_message(s, json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", id,
					 "result", result));
}

static int respond_error(struct lsp_server *s, json_t *id, int code, const char *message)
{
	return send_message(s, json_pack("{s:s,s:O,s:{s:i,s:s}}", "jsonrpc", "2.0", "id",
					 id ? id : json_null(), "error", "code", code,
					 "message", message));
}

static int notify(struct lsp_server *s, const char *method, json_t *params)
{
	return send_message(s, json_pack("{s:s,s:s,s:o}", "jsonrpc", "2.0", "method", method,
					 "params", params));
}

/* ---------------------------------------------------------------------
 * Positions: LSP lines and UTF-16 code units
 * ------------------------------------------------------------------- */

static size_t seq_len(const char *text, size_t len, size_t i)
{
	size_t n = utf8_sequence_length((const unsigned char *)text + i, len - i);
	return n ? n : 1;
}

size_t lsp_offset_of(const char *text, size_t len, unsigned line, unsigned character)
{
	size_t i = 0;
	for (unsigned l = 0; l < line; l++) {
		const char *nl = memchr(text + i, '\n', len - i);
		if (!nl)
			return len;
		i = (size_t)(nl - text) + 1;
	}
	unsigned u = 0;
	while (i < len && text[i] != '\n' && !(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')) {
		size_t n = seq_len(text, len, i);
		unsigned w = n == 4 ? 2 : 1;
		if (u + w > character)
			break;
		u += w;
		i += n;
	}
	return i;
}

void lsp_position_of(const char *text, size_t len, size_t from, unsigned line, unsigned character,
		     size_t offset, unsigned *out_line, unsigned *out_character)
{
	if (offset > len)
		offset = len;
	for (size_t i = from; i < offset; ) {
		if (text[i] == '\n') {
			line++;
			character = 0;
			i++;
			continue;
		}
		size_t n = seq_len(text, len, i);
		character += n == 4 ? 2 : 1;
		i += n;
	}
	*out_line = line;
	*out_character = character;
}

/* A position as LSP writes it; pgsafe's lines count from 1 (0: no position). */
static unsigned pos_line(const struct source_pos *p)
{
	return p->line ? p->line - 1 : 0;
}

static json_t *pos_json(unsigned line, unsigned character)
{
	return json_pack("{s:I,s:I}", "line", (json_int_t)line, "character", (json_int_t)character);
}

static json_t *range_json(const struct source_pos *a, const struct source_pos *b)
{
	return json_pack("{s:o,s:o}", "start", pos_json(pos_line(a), a->utf16),
			 "end", pos_json(pos_line(b), b->utf16));
}

/* Orders (line, character) pairs. */
static int pos_cmp(unsigned l1, unsigned c1, unsigned l2, unsigned c2)
{
	if (l1 != l2)
		return l1 < l2 ? -1 : 1;
	return c1 < c2 ? -1 : c1 > c2;
}

static int source_pos_cmp(const struct source_pos *p, unsigned line, unsigned character)
{
	return pos_cmp(pos_line(p), p->utf16, line, character);
}

/* Reads {"line": n, "character": n}. */
static bool parse_position(const json_t *o, unsigned *line, unsigned *character)
{
	json_t *l = json_object_get(o, "line"), *c = json_object_get(o, "character");
	if (!json_is_integer(l) || !json_is_integer(c))
		return false;
	json_int_t lv = json_integer_value(l), cv = json_integer_value(c);
	if (lv < 0 || cv < 0 || lv > UINT_MAX || cv > UINT_MAX)
		return false;
	*line = (unsigned)lv;
	*character = (unsigned)cv;
	return true;
}

static bool parse_range(const json_t *o, unsigned pos[4])
{
	return json_is_object(o) && parse_position(json_object_get(o, "start"), &pos[0], &pos[1]) &&
	       parse_position(json_object_get(o, "end"), &pos[2], &pos[3]);
}

/* ---------------------------------------------------------------------
 * Documents
 * ------------------------------------------------------------------- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The file path of a file: URI ("file:///srv/db/0042.sql", percent-escapes
 * decoded), or a copy of the URI itself for any other scheme. Caller owns.
 */
static char *uri_to_path(const char *uri)
{
	const char *p = NULL;
	if (!strncasecmp(uri, "file://", 7)) {
		p = uri + 7;
		if (!strncasecmp(p, "localhost/", 10))
			p += 9;
		if (*p != '/')
			p = NULL;  /* a remote host: not a local path */
	}
	if (!p)
		return strdup(uri);
	char *out = malloc(strlen(p) + 1), *o = out;
	if (!out)
		return NULL;
	for (; *p; p++) {
		int hi, lo;
		if (*p == '%' && (hi = hex_digit(p[1])) >= 0 && (lo = hex_digit(p[2])) >= 0 &&
		    (hi || lo)) {
			*o++ = (char)(hi * 16 + lo);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static struct lsp_doc *doc_find(struct lsp_server *s, const char *uri, size_t *index)
{
	for (size_t i = 0; i < s->n_docs; i++)
		if (!strcmp(s->docs[i]->uri, uri)) {
			if (index)
				*index = i;
			return s->docs[i];
		}
	return NULL;
}

static void doc_drop_run(struct lsp_doc *d)
{
	if (d->has_run) {
		lint_release(&d->run);
		config_set_release(&d->configs);
	}
	d->has_run = false;
}

static void doc_free(struct lsp_doc *d)
{
	doc_drop_run(d);
	free(d->uri);
	free(d->path);
	free(d->text);
	free(d);
}

/* Replaces the document's text with a copy of @text. */
static int doc_set_text(struct lsp_doc *d, const char *text, size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return PGS_ERR_NOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	free(d->text);
	d->text = copy;
	d->len = len;
	return PGS_OK;
}

/* The document's URI and the document, from params.textDocument.uri. */
static struct lsp_doc *doc_of(struct lsp_server *s, const json_t *params, const char **uri)
{
	const char *u = json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
	if (uri)
		*uri = u;
	return u ? doc_find(s, u, NULL) : NULL;
}

/* ---------------------------------------------------------------------
 * Diagnostics
 * ------------------------------------------------------------------- */

static const char *docs_url(const struct lsp_server *s)
{
	return s->docs_url ? s->docs_url : s->opts.docs_url;
}

/* Whether a diagnostic is shown in the editor. */
static bool diag_shown(const struct diag *d)
{
	/* an empty buffer is where every new migration starts, not an input error */
	return !d->suppressed && strcmp(d->rule, "input-empty");
}

/*
 * An LSP Diagnostic: the message, then the lock and the help line as the
 * text reporter shows them, since editors show only the message. NULL on
 * allocation failure.
 */
static json_t *diag_json(const struct lsp_server *s, const struct diag *d)
{
	struct arena a;
	arena_init(&a);
	const char *lock = report_lock_text(&a, d);
	const char *base = docs_url(s);
	const char *href = base && registry_find(d->rule) ? report_rule_url(&a, base, d->rule) : NULL;
	json_t *o = NULL;
	if (!a.failed) {
		json_t *msg = json_sprintf("%s%s%s%s%s", d->message, lock ? "\nlock: " : "", lock ? lock : "",
					   d->help ? "\nhelp: " : "", d->help ? d->help : "");
		o = json_pack("{s:o,s:i,s:s,s:s,s:o}", "range", range_json(&d->start, &d->end),
			      "severity", report_severity(d->severity)->lsp, "code", d->rule,
			      "source", "pgsafe", "message", msg);
		if (o && href && json_object_set_new(o, "codeDescription", json_pack("{s:s}", "href", href))) {
			json_decref(o);
			o = NULL;
		}
	}
	arena_release(&a);
	return o;
}

static int publish(struct lsp_server *s, const char *uri, const struct lsp_doc *d)
{
	json_t *list = json_array();
	bool failed = !list;
	if (d && d->has_run)
		for (size_t i = 0; i < d->run.diags.n && !failed; i++)
			if (diag_shown(&d->run.diags.items[i]))
				failed = json_array_append_new(list, diag_json(s, &d->run.diags.items[i])) != 0;
	if (failed) {
		json_decref(list);
		return s->status = PGS_ERR_NOMEM;
	}
	json_t *params = json_pack("{s:s,s:o}", "uri", uri, "diagnostics", list);
	if (params && d && d->has_version)
		json_object_set_new(params, "version", json_integer(d->version));
	return notify(s, "textDocument/publishDiagnostics", params);
}

/*
 * Replaces the analysis with one diagnostic at the top of the document:
 * its configuration is malformed, so, as `pgsafe lint` would, pgsafe does
 * not analyze it with settings it cannot read.
 */
static int config_problem(struct lsp_server *s, struct lsp_doc *d)
{
	const struct config_error *e = &d->run.config_error;
	const char *path = e->path ? e->path : PGS_CONFIG_NAME;
	char msg[LSP_TEXT_MAX];
	if (e->line)
		snprintf(msg, sizeof(msg), "configuration \"%s\" line %u, column %u: %s: the document was not analyzed",
			 path, e->line, e->column, e->message);
	else
		snprintf(msg, sizeof(msg), "configuration \"%s\": %s: the document was not analyzed", path,
			 e->message);
	log_line(s, "%s: %s", d->uri, msg);
	d->run.diags.n = 0;
	if (!diag_add(&d->run.diags, NULL, d->path, LSP_CONFIG_ERROR_ID, PGS_SEV_ERROR, 0, 0, msg,
		      "fix the configuration file; the document is analyzed again on its next change or save"))
		return PGS_ERR_NOMEM;
	return PGS_OK;
}

/*
 * Lints the document's text with a fresh run and a fresh look for its
 * .pgsafe.yaml (the previous ones are released, so an edited configuration
 * applies from the next change or save) and publishes the findings.
 */
static int doc_analyze(struct lsp_server *s, struct lsp_doc *d)
{
	int rc;
	doc_drop_run(d);
	struct lint_options lo = s->opts.lint;
	/* only a file has a directory to look for .pgsafe.yaml from */
	config_set_init(&d->configs, s->opts.config_path, !s->opts.no_config && d->path[0] == '/');
	lo.configs = &d->configs;
	lint_init(&d->run, &lo);
	d->has_run = true;
	size_t cap = s->opts.lint.max_file_bytes ? s->opts.lint.max_file_bytes :
		PGS_MAX_FILE_BYTES_DEFAULT;
	if (d->len > cap) {
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "document is larger than the limit of %zu bytes (--max-file-size): not analyzed", cap);
		if (!diag_add(&d->run.diags, NULL, d->path, "input-too-large", PGS_SEV_ERROR, 0, 0, msg, NULL))
			goto out_nomem;
	} else if ((rc = lint_buffer(&d->run, d->path, d->text, d->len))) {
		if (rc == PGS_ERR_NOMEM || (rc == PGS_ERR_USAGE && config_problem(s, d)))
			goto out_nomem;
		if (rc != PGS_ERR_USAGE)  /* no other failure is expected: say so, keep serving */
			log_line(s, "analysis of %s failed with status %d", d->uri, rc);
	}
	lint_finish(&d->run);
	/*
	 * What hovers and code actions read (statements, diagnostics) is in
	 * the run arena; the parse tree and scratch are not needed again.
	 */
	arena_reset(&d->run.file);
	return publish(s, d->uri, d);
out_nomem:
	doc_drop_run(d);
	log_line(s, "out of memory while analyzing %s", d->uri);
	return s->status = PGS_ERR_NOMEM;
}

/* ---------------------------------------------------------------------
 * Hover: a statement's effects, as Markdown
 * ------------------------------------------------------------------- */

/* Text with Markdown's punctuation escaped. */
static void md_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>#|~!{}", *s))
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

/* An inline code span holding @s, whatever backticks it contains. */
static void md_code(FILE *f, const char *s)
{
	int run = 0, longest = 0;
	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	bool pad = *s == '`' || (*s && s[strlen(s) - 1] == '`');
	for (int i = 0; i <= longest; i++)
		fputc('`', f);
	fputs(pad ? " " : "", f);
	for (const char *p = s; *p; p++)
		fputc(*p == '\n' ? ' ' : *p, f);
	fputs(pad ? " " : "", f);
	for (int i = 0; i <= longest; i++)
		fputc('`', f);
}

static const char *relkind_name(char k)
{
	switch (k) {
	case 'r': return "table";
	case 'p': return "partitioned table";
	case 'i': return "index";
	case 'v': return "view";
	case 'm': return "materialized view";
	case 'S': return "sequence";
	case 'f': return "foreign table";
	case 'e': return "relation (if it exists)";
	default: return "relation";
	}
}

static bool names_contain(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

/* How long a lock on @rel blocks: the statement's work, then the transaction. */
static const char *lock_duration(const struct stmt_summary *st, const char *rel)
{
	bool txn = st->txn_kind != TXN_NONE;
	if (names_contain(st->rewrites, st->n_rewrites, rel))
		return txn ? "for a rewrite of the whole table, then until the transaction ends" :
			"for a rewrite of the whole table";
	if (names_contain(st->scans, st->n_scans, rel))
		return txn ? "for a full scan of the table, then until the transaction ends" :
			"for a full scan of the table";
	return txn ? "briefly, then until the transaction ends" : "briefly";
}

static void hover_locks(FILE *f, const struct stmt_summary *st)
{
	size_t shown = 0;
	for (size_t i = 0; i < st->n_locks; i++) {
		const struct effect_lock *l = &st->locks[i];
		if (l->mode == PGS_LOCK_NONE)
			continue;
		if (shown++ == LSP_HOVER_LIST_MAX) {
			fprintf(f, "- and %zu more\n", st->n_locks - i);
			break;
		}
		fputs("- ", f);
		md_code(f, pgs_lock_mode_sql(l->mode));
		fprintf(f, " on %s ", relkind_name(l->relkind));
		md_code(f, l->relation);
		fprintf(f, ": blocks **%s**, %s\n", pgs_lock_blocks_text(l->mode),
			lock_duration(st, l->relation));
	}
	if (!shown && st->modeled)
		fputs("- takes no lock on a table\n", f);
	for (size_t i = 0; i < st->n_rewrites && i < LSP_HOVER_LIST_MAX; i++) {
		fputs("- **rewrites** ", f);
		md_code(f, st->rewrites[i]);
		fputs(": a new copy of the table, every index rebuilt\n", f);
	}
	for (size_t i = 0; i < st->n_scans && i < LSP_HOVER_LIST_MAX; i++) {
		if (names_contain(st->rewrites, st->n_rewrites, st->scans[i]))
			continue;
		fputs("- **scans** ", f);
		md_code(f, st->scans[i]);
		fputs(" in full\n", f);
	}
	if (st->needs_no_transaction)
		fputs("- **cannot run inside a transaction block**\n", f);
}

/* A lock the enclosing transaction holds: its strongest mode so far, and where it was taken. */
struct held {
	const char *relation;
	enum pgs_lock_mode mode;
	unsigned line;
};

/* The transaction the statement runs in, and what it already holds. */
static int hover_transaction(FILE *f, const struct lint_run *r, size_t index)
{
	const struct stmt_summary *st = &r->stmts[index];
	if (st->txn_kind == TXN_NONE) {
		fputs("**Transaction:** its own (autocommit): its locks are released when it ends\n", f);
		return PGS_OK;
	}
	size_t first = index;
	while (first > 0 && r->stmts[first - 1].txn_id == st->txn_id &&
	       !strcmp(r->stmts[first - 1].file, st->file))
		first--;
	if (st->txn_kind == TXN_EXPLICIT)
		fprintf(f, "**Transaction:** the block opened on line %u: every lock is held until it ends\n",
			r->stmts[first].start.line);
	else
		fputs("**Transaction:** the one the migration tool wraps around the file: "
		      "every lock is held until it ends\n", f);

	/* the strongest lock per relation taken by the block's earlier statements */
	struct held *held = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = first; i < index; i++) {
		for (size_t k = 0; k < r->stmts[i].n_locks; k++) {
			const struct effect_lock *l = &r->stmts[i].locks[k];
			size_t j = 0;
			while (j < n && strcmp(held[j].relation, l->relation))
				j++;
			if (j == n) {
				if (n == cap) {
					struct held *h = realloc(held, (cap = cap ? 2 * cap : 16) * sizeof(*h));
					if (!h) {
						free(held);
						return PGS_ERR_NOMEM;
					}
					held = h;
				}
				held[n++] = (struct held){ l->relation, PGS_LOCK_NONE, 0 };
			}
			if (l->mode > held[j].mode) {
				held[j].mode = l->mode;
				held[j].line = r->stmts[i].start.line;
			}
		}
	}
	size_t listed = 0;
	for (size_t j = 0; j < n; j++) {
		if (held[j].mode == PGS_LOCK_NONE)
			continue;
		if (!listed)
			fputs("\nAlready held by this transaction:\n", f);
		if (listed++ == LSP_HOVER_LIST_MAX) {
			fputs("- and more\n", f);
			break;
		}
		fputs("- ", f);
		md_code(f, pgs_lock_mode_sql(held[j].mode));
		fputs(" on ", f);
		md_code(f, held[j].relation);
		fprintf(f, " (line %u): blocks **%s**\n", held[j].line, pgs_lock_blocks_text(held[j].mode));
	}
	free(held);
	return PGS_OK;
}

static void hover_findings(FILE *f, const struct lint_run *r, const struct stmt_summary *st)
{
	size_t listed = 0;
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct diag *d = &r->diags.items[i];
		if (!diag_shown(d) || d->start_byte < st->start_byte || d->start_byte > st->end_byte ||
		    !d->start.line)
			continue;
		if (!listed)
			fputs("\nFindings:\n", f);
		if (listed++ == LSP_HOVER_LIST_MAX) {
			fputs("- and more\n", f);
			return;
		}
		fprintf(f, "- %s ", pgs_severity_name(d->severity));
		md_code(f, d->rule);
		fputs(": ", f);
		md_text(f, d->message);
		fputc('\n', f);
	}
}

/* The statement whose span holds the position, or -1. */
static long stmt_at(const struct lint_run *r, unsigned line, unsigned character)
{
	for (size_t i = 0; i < r->n_stmts; i++) {
		const struct stmt_summary *st = &r->stmts[i];
		if (source_pos_cmp(&st->start, line, character) <= 0 &&
		    source_pos_cmp(&st->end, line, character) >= 0)
			return (long)i;
	}
	return -1;
}

static int on_hover(struct lsp_server *s, json_t *id, json_t *params)
{
	unsigned line, character;
	struct lsp_doc *d = doc_of(s, params, NULL);
	if (!parse_position(json_object_get(params, "position"), &line, &character))
		return respond_error(s, id, RPC_INVALID_PARAMS, "hover needs textDocument.uri and position");
	if (!d || !d->has_run)
		return respond(s, id, json_null());
	long at = stmt_at(&d->run, line, character);
	if (at < 0)
		return respond(s, id, json_null());
	const struct stmt_summary *st = &d->run.stmts[at];

	char *md = NULL;
	size_t md_len = 0;
	FILE *f = open_memstream(&md, &md_len);
	if (!f)
		return s->status = PGS_ERR_NOMEM;
	fputs("**", f);
	md_code(f, st->kind);
	if (st->end.line > st->start.line)
		fprintf(f, "** lines %u to %u\n\n", st->start.line, st->end.line);
	else
		fprintf(f, "** line %u\n\n", st->start.line);
	if (!st->modeled) {
		fputs("**Not modeled:** ", f);
		md_text(f, st->unmodeled_reason ? st->unmodeled_reason : "unknown");
		fputs(". pgsafe does not know what this statement locks: review it by hand.\n\n", f);
	}
	hover_locks(f, st);
	fputc('\n', f);
	int rc = hover_transaction(f, &d->run, (size_t)at);
	hover_findings(f, &d->run, st);
	bool failed = rc || ferror(f) != 0;
	if (fclose(f) || failed || !md) {
		free(md);
		return s->status = PGS_ERR_NOMEM;
	}
	json_t *result = json_pack("{s:{s:s,s:s%},s:o}", "contents", "kind", "markdown", "value", md,
				   md_len, "range", range_json(&st->start, &st->end));
	free(md);
	if (!result)
		return s->status = PGS_ERR_NOMEM;
	return respond(s, id, result);
}

/* ---------------------------------------------------------------------
 * Code actions
 *
 * Edits are computed from the statement's tokens as PostgreSQL's own
 * scanner sees them (pg_query_scan), so a keyword inside a string, a
 * quoted name or a comment is never taken for the real one.
 * ------------------------------------------------------------------- */

struct tokens {
	PgQuery__ScanResult *res;
	const PgQuery__ScanToken **t;   /* the tokens, comments left out */
	size_t n;
};

static void tokens_release(struct tokens *tk)
{
	free(tk->t);
	if (tk->res)
		pg_query__scan_result__free_unpacked(tk->res, NULL);
	memset(tk, 0, sizeof(*tk));
}

/* Scans @len bytes of @text. Offsets in the tokens are relative to @text. */
static bool tokens_scan(struct tokens *tk, const char *text, size_t len)
{
	memset(tk, 0, sizeof(*tk));
	char *copy = malloc(len + 1);
	if (!copy)
		return false;
	memcpy(copy, text, len);
	copy[len] = '\0';
	PgQueryScanResult raw = pg_query_scan(copy);
	free(copy);
	if (!raw.error)
		tk->res = pg_query__scan_result__unpack(NULL, raw.pbuf.len, (const uint8_t *)raw.pbuf.data);
	pg_query_free_scan_result(raw);
	if (!tk->res)
		return false;
	tk->t = malloc((tk->res->n_tokens ? tk->res->n_tokens : 1) * sizeof(*tk->t));
	if (!tk->t) {
		tokens_release(tk);
		return false;
	}
	for (size_t i = 0; i < tk->res->n_tokens; i++) {
		const PgQuery__ScanToken *t = tk->res->tokens[i];
		if (t->token != PG_QUERY__TOKEN__SQL_COMMENT && t->token != PG_QUERY__TOKEN__C_COMMENT)
			tk->t[tk->n++] = t;
	}
	return true;
}

static bool tok_is(const struct tokens *tk, size_t i, PgQuery__Token kind)
{
	return i < tk->n && tk->t[i]->token == kind;
}

/* A mechanical fix: insert @text at byte @at of the document. */
struct fix {
	size_t at;
	const char *text;
	const char *title;
};

/* Whether the statement locks a partitioned table (no CONCURRENTLY there). */
static bool locks_partitioned(const struct stmt_summary *st)
{
	for (size_t i = 0; i < st->n_locks; i++)
		if (st->locks[i].relkind == 'p')
			return true;
	return false;
}

/* CREATE [UNIQUE] INDEX ... and DROP INDEX ...: CONCURRENTLY goes after INDEX. */
static bool fix_concurrently(const struct tokens *tk, const struct stmt_summary *st, bool create,
			     struct fix *fx)
{
	size_t i = 1;
	if (locks_partitioned(st))
		return false;  /* not supported on partitioned tables and indexes */
	if (!tok_is(tk, 0, create ? PG_QUERY__TOKEN__CREATE : PG_QUERY__TOKEN__DROP))
		return false;
	if (create && tok_is(tk, i, PG_QUERY__TOKEN__UNIQUE))
		i++;
	if (!tok_is(tk, i, PG_QUERY__TOKEN__INDEX) || tok_is(tk, i + 1, PG_QUERY__TOKEN__CONCURRENTLY))
		return false;
	if (!create) {
		/* DROP INDEX CONCURRENTLY drops one index, without CASCADE */
		for (size_t k = i + 1; k < tk->n; k++)
			if (tok_is(tk, k, PG_QUERY__TOKEN__ASCII_44) || tok_is(tk, k, PG_QUERY__TOKEN__CASCADE))
				return false;
	}
	fx->at = st->start_byte + (size_t)tk->t[i]->end;
	fx->text = " CONCURRENTLY";
	fx->title = st->txn_kind == TXN_NONE ? "Add CONCURRENTLY" :
		"Add CONCURRENTLY (then move the statement out of its transaction block)";
	return true;
}

/*
 * ALTER TABLE ... ADD [CONSTRAINT name] CHECK (...) / FOREIGN KEY ...: NOT
 * VALID goes at the end of the constraint, which runs from where the
 * finding points to the next comma outside parentheses. A constraint
 * written in a column definition cannot be NOT VALID: it is not preceded
 * by ADD.
 */
static bool fix_not_valid(const struct tokens *tk, const struct stmt_summary *st,
			  const struct diag *d, struct fix *fx)
{
	size_t rel = d->start_byte - st->start_byte, k = 0;
	while (k < tk->n && (size_t)tk->t[k]->start < rel)
		k++;
	if (k == 0 || k >= tk->n || (size_t)tk->t[k]->start != rel ||
	    !tok_is(tk, k - 1, PG_QUERY__TOKEN__ADD_P))
		return false;
	int depth = 0;
	size_t last = k;
	for (size_t j = k; j < tk->n; j++) {
		PgQuery__Token t = tk->t[j]->token;
		if (t == PG_QUERY__TOKEN__ASCII_40)
			depth++;
		else if (t == PG_QUERY__TOKEN__ASCII_41)
			depth--;
		else if (depth == 0 && (t == PG_QUERY__TOKEN__ASCII_44 || t == PG_QUERY__TOKEN__ASCII_59))
			break;
		else if (depth == 0 && t == PG_QUERY__TOKEN__NOT && tok_is(tk, j + 1, PG_QUERY__TOKEN__VALID))
			return false;
		last = j;
	}
	fx->at = st->start_byte + (size_t)tk->t[last]->end;
	fx->text = " NOT VALID";
	fx->title = "Add NOT VALID (then VALIDATE CONSTRAINT in a separate transaction)";
	return true;
}

static bool find_fix(const struct lsp_doc *doc, const struct stmt_summary *st, const struct diag *d,
		     struct fix *fx)
{
	bool create = !strcmp(d->rule, "require-concurrent-index");
	bool drop = !strcmp(d->rule, "drop-index-without-concurrently");
	bool not_valid = !strcmp(d->rule, "check-constraint-without-not-valid") ||
		!strcmp(d->rule, "foreign-key-without-not-valid");
	if (!create && !drop && !not_valid)
		return false;
	if (st->end_byte > doc->len || st->start_byte > st->end_byte)
		return false;
	struct tokens tk;
	if (!tokens_scan(&tk, doc->text + st->start_byte, st->end_byte - st->start_byte))
		return false;
	bool ok = not_valid ? fix_not_valid(&tk, st, d, fx) : fix_concurrently(&tk, st, create, fx);
	tokens_release(&tk);
	return ok;
}

/* {"changes": {uri: [{range, newText}]}}: @text (stolen) replaces the range. */
static json_t *replace_edit(const char *uri, unsigned l1, unsigned c1, unsigned l2, unsigned c2,
			    json_t *text)
{
	json_t *range = json_pack("{s:o,s:o}", "start", pos_json(l1, c1), "end", pos_json(l2, c2));
	json_t *edits = json_pack("[{s:o,s:o}]", "range", range, "newText", text);
	json_t *changes = json_object();
	if (changes && edits)
		json_object_set_new(changes, uri, edits);
	else
		json_decref(edits);
	return json_pack("{s:o}", "changes", changes);
}

/* An insertion of @text (stolen) at (@line, @character). */
static json_t *insert_edit(const char *uri, unsigned line, unsigned character, json_t *text)
{
	return replace_edit(uri, line, character, line, character, text);
}

static json_t *action_json(const char *title, const struct lsp_server *s, const struct diag *d,
			   bool preferred, json_t *edit)
{
	return json_pack("{s:s,s:s,s:[o],s:b,s:o}", "title", title, "kind", "quickfix",
			 "diagnostics", diag_json(s, d), "isPreferred", preferred, "edit", edit);
}

/*
 * "-- pgsafe:ignore RULE ..." on its own line above the statement,
 * indented like it. A comment binds to the statement that follows it, but
 * not from the line where the previous statement ended (ignore.h): when
 * the statement shares its line with an earlier one, it moves to a line
 * of its own below the comment.
 */
static json_t *ignore_action(const struct lsp_server *s, const struct lsp_doc *doc,
			     const struct stmt_summary *st, const struct diag *d)
{
	const char *t = doc->text;
	size_t line_start = st->start_byte;
	while (line_start > 0 && t[line_start - 1] != '\n')
		line_start--;
	size_t indent = 0;
	while (line_start + indent < doc->len && (t[line_start + indent] == ' ' || t[line_start + indent] == '\t'))
		indent++;
	const char *nl = memchr(t + line_start, '\n', doc->len - line_start);
	const char *eol = nl && nl > t + line_start && nl[-1] == '\r' ? "\r\n" : "\n";
	unsigned line = pos_line(&st->start);
	json_t *edit;
	if (line_start + indent >= st->start_byte) {
		edit = insert_edit(doc->uri, line, 0,
				   json_sprintf("%.*s-- pgsafe:ignore %s TODO: why this is safe here%s",
						(int)indent, t + line_start, d->rule, eol));
	} else {
		/* the blanks before the statement become the line break, comment, line break */
		size_t ws = st->start_byte;
		while (ws > line_start && (t[ws - 1] == ' ' || t[ws - 1] == '\t'))
			ws--;
		unsigned from = st->start.utf16 - (unsigned)(st->start_byte - ws);  /* one unit per blank */
		edit = replace_edit(doc->uri, line, from, line, st->start.utf16,
				    json_sprintf("%s%.*s-- pgsafe:ignore %s TODO: why this is safe here%s%.*s", eol,
						 (int)indent, t + line_start, d->rule, eol, (int)indent,
						 t + line_start));
	}
	json_t *title = json_sprintf("Ignore %s for this statement (-- pgsafe:ignore)", d->rule);
	json_t *a = NULL;
	if (title)
		a = action_json(json_string_value(title), s, d, false, edit);
	else
		json_decref(edit);
	json_decref(title);
	return a;
}

/* The statement a diagnostic belongs to, or NULL. */
static const struct stmt_summary *stmt_of(const struct lint_run *r, const struct diag *d)
{
	for (size_t i = 0; i < r->n_stmts; i++)
		if (r->stmts[i].start_byte <= d->start_byte && d->start_byte <= r->stmts[i].end_byte)
			return &r->stmts[i];
	return NULL;
}

/* Whether context.only lets quick fixes through. */
static bool wants_quickfix(const json_t *params)
{
	json_t *only = json_object_get(json_object_get(params, "context"), "only");
	if (!json_is_array(only))
		return true;
	size_t i;
	json_t *k;
	json_array_foreach(only, i, k) {
		const char *kind = json_string_value(k);
		if (kind && (!*kind || !strcmp(kind, "quickfix")))
			return true;
	}
	return false;
}

static int on_code_action(struct lsp_server *s, json_t *id, json_t *params)
{
	unsigned r[4];
	struct lsp_doc *doc = doc_of(s, params, NULL);
	if (!parse_range(json_object_get(params, "range"), r))
		return respond_error(s, id, RPC_INVALID_PARAMS, "codeAction needs textDocument.uri and range");
	json_t *actions = json_array();
	bool failed = !actions;
	if (!doc || !doc->has_run || !wants_quickfix(params))
		return respond(s, id, actions);
	for (size_t i = 0; i < doc->run.diags.n && !failed; i++) {
		const struct diag *d = &doc->run.diags.items[i];
		if (!diag_shown(d) || !d->start.line)
			continue;
		/* the diagnostic's range meets the requested one */
		if (source_pos_cmp(&d->start, r[2], r[3]) > 0 || source_pos_cmp(&d->end, r[0], r[1]) < 0)
			continue;
		const struct stmt_summary *st = stmt_of(&doc->run, d);
		if (!st)
			continue;
		struct fix fx;
		if (find_fix(doc, st, d, &fx)) {
			unsigned line, character;
			lsp_position_of(doc->text, doc->len, st->start_byte, pos_line(&st->start),
					st->start.utf16, fx.at, &line, &character);
			failed = json_array_append_new(actions, action_json(fx.title, s, d, true,
					insert_edit(doc->uri, line, character, json_string(fx.text)))) != 0;
		}
		/* pgsafe's own ids (syntax-error, ...) are not rules an ignore comment can name */
		if (registry_find(d->rule) && !failed)
			failed = json_array_append_new(actions, ignore_action(s, doc, st, d)) != 0;
	}
	if (failed) {
		json_decref(actions);
		return s->status = PGS_ERR_NOMEM;
	}
	return respond(s, id, actions);
}

/* ---------------------------------------------------------------------
 * Lifecycle and document notifications
 * ------------------------------------------------------------------- */

static void read_init_options(struct lsp_server *s, const json_t *o)
{
	if (!json_is_object(o))
		return;
	json_t *v;
	if ((v = json_object_get(o, "pgVersion"))) {
		json_int_t n = json_integer_value(v);
		if (json_is_integer(v) && n >= PGS_PG_MIN && n <= PGS_PG_MAX) {
			s->opts.lint.pg_version = (int)n;
			s->opts.lint.given |= LINT_GIVEN_PG_VERSION;  /* over .pgsafe.yaml, as the command line */
		} else
			log_line(s, "initializationOptions.pgVersion is not a major version from %d to %d: ignored",
				 PGS_PG_MIN, PGS_PG_MAX);
	}
	if ((v = json_object_get(o, "assumeInTransaction"))) {
		if (json_is_boolean(v)) {
			s->opts.lint.assume_in_transaction = json_is_true(v);
			s->opts.lint.given |= LINT_GIVEN_ASSUME_IN_TRANSACTION;
		} else
			log_line(s, "initializationOptions.assumeInTransaction is not a boolean: ignored");
	}
	if ((v = json_object_get(o, "docsBaseUrl"))) {
		if (report_url_is_absolute(json_string_value(v))) {
			free(s->docs_url);
			s->docs_url = strdup(json_string_value(v));
		} else {
			log_line(s, "initializationOptions.docsBaseUrl is not an absolute URL: ignored");
		}
	}
}

static int on_initialize(struct lsp_server *s, json_t *id, json_t *params)
{
	if (s->initialized)
		return respond_error(s, id, RPC_INVALID_REQUEST, "initialize was already received");
	read_init_options(s, json_object_get(params, "initializationOptions"));
	s->initialized = true;
	json_t *caps = json_pack(
		"{s:s,s:{s:b,s:i,s:{s:b}},s:b,s:{s:[s]}}",
		"positionEncoding", "utf-16",
		"textDocumentSync", "openClose", 1, "change", 1 /* full */, "save", "includeText", 1,
		"hoverProvider", 1,
		"codeActionProvider", "codeActionKinds", "quickfix");
	return respond(s, id, json_pack("{s:o,s:{s:s,s:s}}", "capabilities", caps,
					"serverInfo", "name", "pgsafe", "version", PGSAFE_VERSION));
}

static int on_shutdown(struct lsp_server *s, json_t *id, json_t *params)
{
	(void)params;
	s->shutdown = true;
	return respond(s, id, json_null());
}


/* A new, empty document for @uri, added to the store; NULL on failure. */
static struct lsp_doc *doc_add(struct lsp_server *s, const char *uri)
{
	if (s->n_docs == s->cap_docs) {
		size_t cap = s->cap_docs ? 2 * s->cap_docs : 16;
		struct lsp_doc **docs = realloc(s->docs, cap * sizeof(*docs));
		if (!docs)
			return NULL;
		s->docs = docs;
		s->cap_docs = cap;
	}
	struct lsp_doc *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->uri = strdup(uri);
	d->path = uri_to_path(uri);
	d->text = strdup("");
	if (!d->uri || !d->path || !d->text) {
		doc_free(d);
		return NULL;
	}
	s->docs[s->n_docs++] = d;
	return d;
}

static void doc_set_version(struct lsp_doc *d, const json_t *td)
{
	json_t *v = json_object_get(td, "version");
	d->has_version = json_is_integer(v);
	d->version = d->has_version ? json_integer_value(v) : 0;
}

static int on_did_open(struct lsp_server *s, json_t *params)
{
	json_t *td = json_object_get(params, "textDocument");
	const char *uri = json_string_value(json_object_get(td, "uri"));
	json_t *text = json_object_get(td, "text");
	if (!uri || !json_is_string(text)) {
		log_line(s, "didOpen without textDocument.uri and text ignored");
		return PGS_OK;
	}
	struct lsp_doc *d = doc_find(s, uri, NULL);
	if (!d && s->n_docs == LSP_MAX_DOCS) {
		log_line(s, "more than %d open documents: %s not analyzed", LSP_MAX_DOCS, uri);
		return PGS_OK;
	}
	if (!d && !(d = doc_add(s, uri)))
		return s->status = PGS_ERR_NOMEM;
	if (doc_set_text(d, json_string_value(text), json_string_length(text)))
		return s->status = PGS_ERR_NOMEM;
	doc_set_version(d, td);
	return doc_analyze(s, d);
}

/* Applies one ranged change (a client that sends them despite full sync). */
static int apply_range_change(struct lsp_server *s, struct lsp_doc *d, const unsigned r[4],
			      const char *text, size_t len)
{
	size_t a = lsp_offset_of(d->text, d->len, r[0], r[1]);
	size_t b = lsp_offset_of(d->text, d->len, r[2], r[3]);
	if (b < a)
		b = a;
	if (len > s->opts.max_message_bytes || d->len - (b - a) > s->opts.max_message_bytes - len) {
		log_line(s, "change to %s would make it larger than %zu bytes: ignored", d->uri,
			 s->opts.max_message_bytes);
		return PGS_OK;
	}
	size_t n = d->len - (b - a) + len;
	char *t = malloc(n + 1);
	if (!t)
		return s->status = PGS_ERR_NOMEM;
	memcpy(t, d->text, a);
	memcpy(t + a, text, len);
	memcpy(t + a + len, d->text + b, d->len - b);
	t[n] = '\0';
	free(d->text);
	d->text = t;
	d->len = n;
	return PGS_OK;
}

static int on_did_change(struct lsp_server *s, json_t *params)
{
	const char *uri;
	struct lsp_doc *d = doc_of(s, params, &uri);
	json_t *changes = json_object_get(params, "contentChanges");
	if (!d || !json_is_array(changes)) {
		log_line(s, "didChange for a document that is not open, or without contentChanges: ignored");
		return PGS_OK;
	}
	size_t i;
	json_t *c;
	json_array_foreach(changes, i, c) {
		json_t *text = json_object_get(c, "text");
		json_t *range = json_object_get(c, "range");
		unsigned r[4];
		if (!json_is_string(text)) {
			log_line(s, "didChange entry without text ignored");
			continue;
		}
		int rc;
		if (!range)
			rc = doc_set_text(d, json_string_value(text), json_string_length(text));
		else if (parse_range(range, r))
			rc = apply_range_change(s, d, r, json_string_value(text), json_string_length(text));
		else {
			log_line(s, "didChange entry with an invalid range ignored");
			continue;
		}
		if (rc)
			return s->status = PGS_ERR_NOMEM;
	}
	doc_set_version(d, json_object_get(params, "textDocument"));
	return doc_analyze(s, d);
}

static int on_did_save(struct lsp_server *s, json_t *params)
{
	struct lsp_doc *d = doc_of(s, params, NULL);
	json_t *text = json_object_get(params, "text");
	if (!d) {
		log_line(s, "didSave for a document that is not open ignored");
		return PGS_OK;
	}
	if (json_is_string(text) && doc_set_text(d, json_string_value(text), json_string_length(text)))
		return s->status = PGS_ERR_NOMEM;
	return doc_analyze(s, d);
}

static int on_did_close(struct lsp_server *s, json_t *params)
{
	const char *uri;
	size_t index;
	doc_of(s, params, &uri);
	if (!uri) {
		log_line(s, "didClose without textDocument.uri ignored");
		return PGS_OK;
	}
	struct lsp_doc *d = doc_find(s, uri, &index);
	if (d) {
		doc_free(d);
		s->docs[index] = s->docs[--s->n_docs];
	}
	/* the editor keeps showing published diagnostics until they are replaced */
	return publish(s, uri, NULL);
}

static int on_initialized(struct lsp_server *s, json_t *params)
{
	(void)s;
	(void)params;
	return PGS_OK;
}

static int on_exit_request(struct lsp_server *s, json_t *params)
{
	(void)params;
	s->exited = true;
	return PGS_OK;
}

/* ---------------------------------------------------------------------
 * Dispatch
 * ------------------------------------------------------------------- */

struct method {
	const char *name;
	int (*request)(struct lsp_server *s, json_t *id, json_t *params);
	int (*notification)(struct lsp_server *s, json_t *params);
};

static const struct method methods[] = {
	{ "initialize", on_initialize, NULL },
	{ "initialized", NULL, on_initialized },
	{ "shutdown", on_shutdown, NULL },
	{ "exit", NULL, on_exit_request },
	{ "textDocument/didOpen", NULL, on_did_open },
	{ "textDocument/didChange", NULL, on_did_change },
	{ "textDocument/didSave", NULL, on_did_save },
	{ "textDocument/didClose", NULL, on_did_close },
	{ "textDocument/hover", on_hover, NULL },
	{ "textDocument/codeAction", on_code_action, NULL },
};

static const struct method *method_find(const char *name)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (!strcmp(methods[i].name, name))
			return &methods[i];
	return NULL;
}

static int on_request(struct lsp_server *s, const char *name, json_t *id, json_t *params)
{
	const struct method *m = method_find(name);
	if (!s->initialized && strcmp(name, "initialize"))
		return respond_error(s, id, RPC_SERVER_NOT_INITIALIZED, "the server is not initialized yet");
	if (s->shutdown)
		return respond_error(s, id, RPC_INVALID_REQUEST, "the server is shutting down");
	if (!m || !m->request) {
		char msg[160];
		snprintf(msg, sizeof(msg), "method \"%.100s\" is not supported", name);
		return respond_error(s, id, RPC_METHOD_NOT_FOUND, msg);
	}
	if (params && !json_is_object(params) && !json_is_array(params))
		return respond_error(s, id, RPC_INVALID_PARAMS, "params must be an object");
	return m->request(s, id, params);
}

static int on_notification(struct lsp_server *s, const char *name, json_t *params)
{
	const struct method *m = method_find(name);
	if (!m || !m->notification)
		return PGS_OK;  /* $/cancelRequest, $/setTrace, workspace/..., unknown: ignored */
	if (strcmp(name, "exit") && (!s->initialized || s->shutdown))
		return PGS_OK;
	return m->notification(s, params);
}

static int handle_message(struct lsp_server *s, const char *body, size_t len)
{
	json_error_t err;
	json_t *msg = json_loadb(body, len, 0, &err);
	int rc;
	if (!msg) {
		log_line(s, "invalid JSON at byte %d of a %zu-byte message: %s", err.position, len, err.text);
		return respond_error(s, NULL, RPC_PARSE_ERROR, "invalid JSON");
	}
	json_t *id = json_object_get(msg, "id");
	json_t *method = json_object_get(msg, "method");
	json_t *params = json_object_get(msg, "params");
	if (!json_is_object(msg)) {
		log_line(s, "a message that is not a JSON object ignored");
		rc = respond_error(s, NULL, RPC_INVALID_REQUEST, "a message must be a JSON object");
	} else if (id && !json_is_string(id) && !json_is_number(id) && !json_is_null(id)) {
		rc = respond_error(s, NULL, RPC_INVALID_REQUEST, "id must be a number or a string");
	} else if (!method) {
		rc = PGS_OK;  /* a response: this server sends no requests */
	} else if (!json_is_string(method)) {
		rc = id ? respond_error(s, id, RPC_INVALID_REQUEST, "method must be a string") : PGS_OK;
	} else if (id) {
		rc = on_request(s, json_string_value(method), id, params);
	} else {
		rc = on_notification(s, json_string_value(method), params);
	}
	json_decref(msg);
	return rc;
}

int lsp_serve(const struct lsp_options *opts, FILE *in, FILE *out, FILE *log, bool *clean_exit)
{
	struct lsp_server s = { .opts = *opts, .in = in, .out = out, .log = log };
	if (!s.opts.max_message_bytes)
		s.opts.max_message_bytes = lsp_default_max_message(s.opts.lint.max_file_bytes);
	while (!s.exited && !s.status) {
		char *body = NULL;
		size_t len = 0;
		int rc = read_message(&s, &body, &len);
		if (rc < 0) {
			s.status = rc;
			break;
		}
		if (rc == 0) {
			if (!s.shutdown)
				log_line(&s, "input ended before shutdown and exit");
			break;
		}
		handle_message(&s, body, len);
		free(body);
	}
	*clean_exit = s.shutdown;
	for (size_t i = 0; i < s.n_docs; i++)
		doc_free(s.docs[i]);
	free(s.docs);
	free(s.docs_url);
	return s.status;
}
