/*
 * report_json.c - the JSON reporter (docs/json-format.md).
 *
 * Built with jansson's stealing setters, so the whole document has one
 * owner (the root) and one json_decref. Keys are written in insertion
 * order (JSON_PRESERVE_ORDER) so that output diffs cleanly in golden tests.
 */
#include "report.h"

#include "framework.h"
#include "report_util.h"

#include <jansson.h>

#define JSON_FORMAT_VERSION 1

static json_t *lsp_pos(const struct source_pos *p)
{
	unsigned line = p->line ? p->line - 1 : 0;
	return json_pack("{s:I,s:I}", "line", (json_int_t)line, "character", (json_int_t)p->utf16);
}

static json_t *diag_json(struct arena *a, const struct diag *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "rule", json_string(d->rule));
	json_object_set_new(o, "severity", json_string(pgs_severity_name(d->severity)));
	json_object_set_new(o, "message", json_string(d->message));
	json_object_set_new(o, "help", d->help ? json_string(d->help) : json_null());
	/* file names may be any bytes; JSON is UTF-8 */
	json_object_set_new(o, "file", report_json_string(a, d->file));
	json_object_set_new(o, "line", json_integer(d->start.line));
	json_object_set_new(o, "column", json_integer(d->start.column));
	json_object_set_new(o, "end_line", json_integer(d->end.line));
	json_object_set_new(o, "end_column", json_integer(d->end.column));
	json_object_set_new(o, "start_byte", json_integer((json_int_t)d->start_byte));
	json_object_set_new(o, "end_byte", json_integer((json_int_t)d->end_byte));
	json_object_set_new(o, "lsp_range", json_pack("{s:o,s:o}", "start", lsp_pos(&d->start),
						      "end", lsp_pos(&d->end)));
	if (d->relation) {
		json_object_set_new(o, "lock", json_pack("{s:s,s:s,s:s,s:s}",
							 "relation", d->relation,
							 "mode", pgs_lock_mode_name(d->lock),
							 "blocks", pgs_lock_blocks_text(d->lock),
							 "duration", d->duration ? d->duration : ""));
	}
	return o;
}

static json_t *names_json(const char *const *names, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(names[i]));
	return a;
}

static json_t *stmt_json(struct arena *a, const struct stmt_summary *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", report_json_string(a, s->file));
	json_object_set_new(o, "line", json_integer(s->start.line));
	json_object_set_new(o, "column", json_integer(s->start.column));
	json_object_set_new(o, "end_line", json_integer(s->end.line));
	json_object_set_new(o, "end_column", json_integer(s->end.column));
	json_object_set_new(o, "kind", json_string(s->kind));
	json_object_set_new(o, "txn", json_pack("{s:i,s:s}", "id", s->txn_id,
						"kind", txn_kind_name(s->txn_kind)));
	json_t *fx = json_object();
	json_object_set_new(fx, "modeled", json_boolean(s->modeled));
	if (!s->modeled)
		json_object_set_new(fx, "reason", json_string(s->unmodeled_reason ? s->unmodeled_reason : "unknown"));
	/*
	 * "locks": tables, partitioned tables, views, materialized views and
	 * foreign tables, what the application reads and writes. Locks on
	 * indexes and sequences, and on relations named with IF EXISTS that
	 * pgsafe has never seen (locked only if they exist), go to
	 * "other_locks" so they are not lost.
	 */
	json_t *locks = json_array(), *other = json_array();
	for (size_t i = 0; i < s->n_locks; i++) {
		const struct effect_lock *l = &s->locks[i];
		if (l->relkind == 'i' || l->relkind == 'S' || l->relkind == 'e')
			json_array_append_new(other, json_pack("{s:s,s:s,s:s}", "relation", l->relation,
							       "kind", l->relkind == 'i' ? "index" :
							       l->relkind == 'S' ? "sequence" : "if-exists",
							       "mode", pgs_lock_mode_name(l->mode)));
		else
			json_array_append_new(locks, json_pack("{s:s,s:s}", "relation", l->relation,
							       "mode", pgs_lock_mode_name(l->mode)));
	}
	json_object_set_new(fx, "locks", locks);
	json_object_set_new(fx, "rewrites", names_json(s->rewrites, s->n_rewrites));
	json_object_set_new(fx, "scans", names_json(s->scans, s->n_scans));
	json_object_set_new(fx, "needs_no_transaction", json_boolean(s->needs_no_transaction));
	json_object_set_new(fx, "other_locks", other);
	json_object_set_new(o, "effects", fx);
	return o;
}

int report_json(FILE *out, const struct lint_run *r, const struct report_options *opt)
{
	(void)opt;
	struct arena scratch;       /* cleaned-up file names; freed with the document */
	arena_init(&scratch);
	json_t *root = json_object();
	json_object_set_new(root, "version", json_integer(JSON_FORMAT_VERSION));
	json_object_set_new(root, "pg_version", json_integer(r->opts.pg_version));
	/* the migration tool whose conventions applied; absent for plain SQL */
	if (r->framework > FW_PLAIN)
		json_object_set_new(root, "framework", json_string(framework_name(r->framework)));
	json_t *diags = json_array();
	for (size_t i = 0; i < r->diags.n; i++)
		if (!r->diags.items[i].suppressed)
			json_array_append_new(diags, diag_json(&scratch, &r->diags.items[i]));
	json_object_set_new(root, "diagnostics", diags);
	json_t *stmts = json_array();
	for (size_t i = 0; i < r->n_stmts; i++)
		json_array_append_new(stmts, stmt_json(&scratch, &r->stmts[i]));
	json_object_set_new(root, "statements", stmts);
	const struct lint_summary *s = &r->summary;
	json_object_set_new(root, "summary",
			    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
				      "files", (json_int_t)s->files,
				      "input_errors", (json_int_t)s->files_with_errors,
				      "statements", (json_int_t)s->statements,
				      "not_modeled", (json_int_t)s->not_modeled,
				      "errors", (json_int_t)s->errors,
				      "warnings", (json_int_t)s->warnings,
				      "hints", (json_int_t)s->hints));
	/* what was left out, only when anything was (keys absent otherwise) */
	json_t *summary = json_object_get(root, "summary");
	if (summary && s->suppressed)
		json_object_set_new(summary, "suppressed", json_integer((json_int_t)s->suppressed));
	if (summary && s->excluded)
		json_object_set_new(summary, "excluded", json_integer((json_int_t)s->excluded));
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	arena_release(&scratch);
	if (rc == 0 && fputc('\n', out) == EOF)
		rc = -1;
	return rc ? PGS_ERR_IO : PGS_OK;
}
