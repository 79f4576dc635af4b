/*
 * stats.c - table sizes and the severity they give findings (stats.h).
 *
 * The file is read whole (under PGS_STATS_MAX_BYTES) and parsed with
 * jansson or libyaml's document API; both front ends feed the same
 * checks. The walk is three levels deep at most, so a YAML alias cannot
 * make it do more work than the document's own size.
 */
#include "stats.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

void stats_init(struct stats *st)
{
	memset(st, 0, sizeof(*st));
	st->small_rows = PGS_STATS_SMALL_ROWS;
	st->small_bytes = PGS_STATS_SMALL_BYTES;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return PGS_ERR_USAGE;
}

/* Which file a JSON value is in, for messages (jansson keeps no lines for values). */
struct where {
	const char *display;
};

#define AT(w) (w)->display
#define AT_FMT "%s: "

static int add_table(struct stats *st, struct arena *a, const char *name, int64_t rows,
		     int64_t bytes)
{
	const char *q = strchr(name, '.') ? arena_strdup(a, name) : arena_printf(a, "public.%s", name);
	struct table_size t = { q, rows, bytes };
	for (size_t i = 0; i < st->n; i++)
		if (q && !strcmp(st->tables[i].name, q)) {
			st->tables[i] = t;
			return a->failed ? PGS_ERR_NOMEM : PGS_OK;
		}
	if (!q || ARENA_PUSH(a, st->tables, st->n, st->cap, t))
		return PGS_ERR_NOMEM;
	return PGS_OK;
}

/* A non-negative integer from text ("12", not "1e3" nor "-1"). */
static bool parse_count(const char *s, size_t len, int64_t *out)
{
	char buf[32];
	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (buf[i] < '0' || buf[i] > '9')
			return false;
	errno = 0;
	char *end;
	long long v = strtoll(buf, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* ---------------------------------------------------------------------
 * JSON
 * ------------------------------------------------------------------- */

static int json_count(json_t *v, const char *what, const struct where *w, int64_t *out,
		      char *err, size_t errlen)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return fail(err, errlen, AT_FMT "%s is not a non-negative integer", AT(w), what);
	*out = json_integer_value(v);
	return PGS_OK;
}

static int json_size_pair(json_t *obj, const char *what, const struct where *w, int64_t *rows,
			  int64_t *bytes, char *err, size_t errlen)
{
	const char *k;
	json_t *v;
	int rc;
	bool have_rows = false, have_bytes = false;
	if (!json_is_object(obj))
		return fail(err, errlen, AT_FMT "%s is not an object with \"rows\" and \"bytes\"", AT(w), what);
	json_object_foreach(obj, k, v) {
		if (!strcmp(k, "rows")) {
			if ((rc = json_count(v, "\"rows\"", w, rows, err, errlen)))
				return rc;
			have_rows = true;
		} else if (!strcmp(k, "bytes")) {
			if ((rc = json_count(v, "\"bytes\"", w, bytes, err, errlen)))
				return rc;
			have_bytes = true;
		} else {
			return fail(err, errlen, AT_FMT "unknown key \"%s\" in %s (rows, bytes)", AT(w), k, what);
		}
	}
	if (!have_rows || !have_bytes)
		return fail(err, errlen, AT_FMT "%s needs both \"rows\" and \"bytes\"", AT(w), what);
	return PGS_OK;
}

static int parse_json(struct stats *st, struct arena *a, const char *display, const char *text,
		      size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	struct where w = { display };
	int rc = PGS_OK;
	if (!root)
		return fail(err, errlen, "%s:%d:%d: %s", display, je.line, je.column, je.text);
	const char *k;
	json_t *v;
	bool have_tables = false;
	if (!json_is_object(root)) {
		rc = fail(err, errlen, AT_FMT "the top level is not an object", AT(&w));
		goto out_decref;
	}
	json_object_foreach(root, k, v) {
		if (!strcmp(k, "tables")) {
			const char *name;
			json_t *t;
			have_tables = true;
			if (!json_is_object(v)) {
				rc = fail(err, errlen, AT_FMT "\"tables\" is not an object", AT(&w));
				goto out_decref;
			}
			json_object_foreach(v, name, t) {
				int64_t rows = 0, bytes = 0;
				const char *what = arena_printf(a, "table \"%s\"", name);
				if ((rc = json_size_pair(t, what ? what : name, &w, &rows, &bytes, err, errlen)) ||
				    (rc = add_table(st, a, name, rows, bytes)))
					goto out_decref;
			}
		} else if (!strcmp(k, "small_table")) {
			if ((rc = json_size_pair(v, "\"small_table\"", &w, &st->small_rows, &st->small_bytes,
						 err, errlen)))
				goto out_decref;
		} else {
			rc = fail(err, errlen, AT_FMT "unknown key \"%s\" (tables, small_table)", AT(&w), k);
			goto out_decref;
		}
	}
	if (!have_tables)
		rc = fail(err, errlen, AT_FMT "no \"tables\" object", AT(&w));
out_decref:
	json_decref(root);
	return rc;
}

/* ---------------------------------------------------------------------
 * YAML
 * ------------------------------------------------------------------- */

struct ydoc {
	yaml_document_t doc;
	const char *display;
	char *err;
	size_t errlen;
};

static yaml_node_t *ynode(struct ydoc *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

static const char *yscalar(struct arena *a, yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return arena_strndup(a, (const char *)n->data.scalar.value, n->data.scalar.length);
}

static int yfail(struct ydoc *y, yaml_node_t *n, const char *fmt, const char *arg)
{
	char msg[200];
	snprintf(msg, sizeof(msg), fmt, arg);
	return fail(y->err, y->errlen, "%s:%zu: %s", y->display, n ? n->start_mark.line + 1 : 0, msg);
}

static int ycount(struct ydoc *y, yaml_node_t *n, const char *what, int64_t *out)
{
	if (!n || n->type != YAML_SCALAR_NODE ||
	    !parse_count((const char *)n->data.scalar.value, n->data.scalar.length, out))
		return yfail(y, n, "%s is not a non-negative integer", what);
	return PGS_OK;
}

static int ysize_pair(struct ydoc *y, struct arena *a, yaml_node_t *n, const char *what,
		      int64_t *rows, int64_t *bytes)
{
	bool have_rows = false, have_bytes = false;
	int rc;
	if (!n || n->type != YAML_MAPPING_NODE)
		return yfail(y, n, "%s is not a mapping with rows and bytes", what);
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = ynode(y, p->key), *vn = ynode(y, p->value);
		const char *k = yscalar(a, kn);
		if (!k)
			return yfail(y, kn, "a key in %s is not a name", what);
		if (!strcmp(k, "rows")) {
			if ((rc = ycount(y, vn, "rows", rows)))
				return rc;
			have_rows = true;
		} else if (!strcmp(k, "bytes")) {
			if ((rc = ycount(y, vn, "bytes", bytes)))
				return rc;
			have_bytes = true;
		} else {
			return yfail(y, kn, "unknown key \"%s\" (rows, bytes)", k);
		}
	}
	if (!have_rows || !have_bytes)
		return yfail(y, n, "%s needs both rows and bytes", what);
	return PGS_OK;
}

static int parse_yaml(struct stats *st, struct arena *a, const char *display, const char *text,
		      size_t len, char *err, size_t errlen)
{
	yaml_parser_t parser;
	struct ydoc y = { .display = display, .err = err, .errlen = errlen };
	int rc = PGS_OK;
	if (!yaml_parser_initialize(&parser))
		return PGS_ERR_NOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &y.doc)) {
		rc = fail(err, errlen, "%s:%zu:%zu: %s", display, parser.problem_mark.line + 1,
			  parser.problem_mark.column + 1, parser.problem ? parser.problem : "not YAML");
		yaml_parser_delete(&parser);
		return rc;
	}
	yaml_node_t *root = yaml_document_get_root_node(&y.doc);
	bool have_tables = false;
	if (!root || root->type != YAML_MAPPING_NODE) {
		rc = fail(err, errlen, "%s: the top level is not a mapping", display);
		goto out_delete;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = ynode(&y, p->key), *vn = ynode(&y, p->value);
		const char *k = yscalar(a, kn);
		if (k && !strcmp(k, "tables")) {
			have_tables = true;
			if (!vn || vn->type != YAML_MAPPING_NODE) {
				rc = yfail(&y, vn, "%s is not a mapping", "tables");
				goto out_delete;
			}
			for (yaml_node_pair_t *t = vn->data.mapping.pairs.start;
			     t < vn->data.mapping.pairs.top; t++) {
				yaml_node_t *tn = ynode(&y, t->key);
				const char *name = yscalar(a, tn);
				int64_t rows = 0, bytes = 0;
				if (!name) {
					rc = yfail(&y, tn, "%s", "a table name is not a scalar");
					goto out_delete;
				}
				if ((rc = ysize_pair(&y, a, ynode(&y, t->value),
						     arena_printf(a, "table \"%s\"", name), &rows, &bytes)) ||
				    (rc = add_table(st, a, name, rows, bytes)))
					goto out_delete;
			}
		} else if (k && !strcmp(k, "small_table")) {
			if ((rc = ysize_pair(&y, a, vn, "small_table", &st->small_rows, &st->small_bytes)))
				goto out_delete;
		} else {
			rc = yfail(&y, kn, "unknown key \"%s\" (tables, small_table)", k ? k : "?");
			goto out_delete;
		}
	}
	if (!have_tables)
		rc = fail(err, errlen, "%s: no tables mapping", display);
out_delete:
	yaml_document_delete(&y.doc);
	yaml_parser_delete(&parser);
	if (!rc && a->failed)
		rc = PGS_ERR_NOMEM;
	return rc;
}

/* ---------------------------------------------------------------------
 * Loading and using
 * ------------------------------------------------------------------- */

int stats_parse(struct stats *st, struct arena *a, const char *display, const char *text,
		size_t len, char *err, size_t errlen)
{
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	if (i < len && text[i] == '{')
		return parse_json(st, a, display, text, len, err, errlen);
	return parse_yaml(st, a, display, text, len, err, errlen);
}

int stats_load(struct stats *st, struct arena *a, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return PGS_ERR_IO;
	}
	/* read in growing steps: the file may be a pipe (--stats <(psql ...)) */
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int rc = PGS_OK;
	for (;;) {
		if (len == cap) {
			/* room for one byte past the cap, to tell "too large" */
			size_t ncap = cap ? cap * 2 : 65536;
			if (ncap > (size_t)PGS_STATS_MAX_BYTES + 1)
				ncap = (size_t)PGS_STATS_MAX_BYTES + 1;
			if (ncap == cap)
				break;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				rc = PGS_ERR_NOMEM;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f))
				rc = fail(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			break;
		}
	}
	if (!rc && len > PGS_STATS_MAX_BYTES)
		rc = fail(err, errlen, "%s: larger than %d bytes", path, PGS_STATS_MAX_BYTES);
	if (!rc)
		rc = stats_parse(st, a, path, buf, len, err, errlen);
	free(buf);
	fclose(f);
	return rc;
}

const struct table_size *stats_find(const struct stats *st, const char *qname)
{
	for (size_t i = 0; st && qname && i < st->n; i++)
		if (!strcmp(st->tables[i].name, qname))
			return &st->tables[i];
	return NULL;
}

bool stats_is_small(const struct stats *st, const char *qname)
{
	const struct table_size *t = stats_find(st, qname);
	return t && t->rows < st->small_rows && t->bytes < st->small_bytes;
}

/* pg_size_pretty's units: bytes, kB, MB, GB, TB (1024-based). */
static const char *pretty_bytes(struct arena *a, int64_t b)
{
	static const char *const unit[] = { "bytes", "kB", "MB", "GB", "TB" };
	size_t u = 0;
	double v = (double)b;
	while (v >= 10 * 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024;
		u++;
	}
	return u ? arena_printf(a, "%.0f %s", v, unit[u]) : arena_printf(a, "%" PRId64 " bytes", b);
}

void stats_adjust(const struct stats *st, struct arena *a, struct diag *d, const struct effects *fx)
{
	/*
	 * Only errors: the warnings about a rewritten or scanned table
	 * (missing lock_timeout, ...) are about the wait in the lock queue,
	 * which a small table does not shorten.
	 */
	if (!st || !d || !fx || !d->relation || d->severity != PGS_SEV_ERROR)
		return;
	if (!effects_rewrites(fx, d->relation) && !effects_scans(fx, d->relation))
		return;
	const struct table_size *t = stats_find(st, d->relation);
	if (!t || t->rows >= st->small_rows || t->bytes >= st->small_bytes)
		return;
	for (size_t i = 0; i < fx->n_notes; i++)
		if (fx->notes[i].cause == CAUSE_ADD_NOT_NULL_COLUMN && t->rows > 0 &&
		    fx->notes[i].relation && !strcmp(fx->notes[i].relation, d->relation))
			return;
	const char *m = arena_printf(a, "%s; a hint only: table \"%s\" is small (%" PRId64 " rows, %s in the --stats file)",
				     d->message, d->relation, t->rows, pretty_bytes(a, t->bytes));
	if (m) {
		d->message = m;
		d->severity = PGS_SEV_HINT;
	}
}
