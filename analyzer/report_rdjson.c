/*
 * report_rdjson.c - reviewdog Diagnostic Format, JSON (rdjson): one
 * DiagnosticResult document that `reviewdog -f=rdjson` reads and posts as
 * review comments (docs/formats/rdjson.md).
 *
 * Positions are as reviewdog.proto defines them: 1-based lines and
 * 1-based columns counted in UTF-8 bytes (diag's byte_col), with an
 * exclusive end. reviewdog decodes the document with protojson, which
 * rejects members the proto does not define, so the document holds only
 * proto fields and the coverage line goes to the log stream (stderr).
 * Suppressed findings are left out. Suggestions are written for findings
 * that carry a fix; no rule provides one yet, so none appear.
 */
#include "report.h"
#include "report_util.h"

static json_t *position(const struct source_pos *p)
{
	return json_pack("{s:I,s:I}", "line", (json_int_t)p->line, "column", (json_int_t)p->byte_col);
}

static json_t *diagnostic(struct arena *a, const struct diag *d, const struct report_options *o)
{
	json_t *g = json_object();
	const char *text = d->help ? arena_printf(a, "%s\nhelp: %s", d->message, d->help) : d->message;
	json_object_set_new(g, "message", report_json_string(a, text));
	json_t *loc = json_object();
	json_object_set_new(loc, "path", report_json_string(a, d->file));
	if (d->start.line) {
		json_t *range = json_object();
		json_object_set_new(range, "start", position(&d->start));
		json_object_set_new(range, "end", position(d->end.line ? &d->end : &d->start));
		json_object_set_new(loc, "range", range);
	}
	json_object_set_new(g, "location", loc);
	json_object_set_new(g, "severity", json_string(report_severity(d->severity)->rdjson));
	json_t *code = json_object();
	json_object_set_new(code, "value", report_json_string(a, d->rule));
	const char *url = report_rule_url(a, o->docs_base_url, d->rule);
	if (url)
		json_object_set_new(code, "url", report_json_string(a, url));
	json_object_set_new(g, "code", code);
	return g;
}

int report_rdjson(FILE *out, const struct lint_run *r, const struct report_options *o)
{
	struct arena a;
	arena_init(&a);
	json_t *diags = json_array();
	for (size_t i = 0; i < r->diags.n; i++)
		if (!r->diags.items[i].suppressed)
			json_array_append_new(diags, diagnostic(&a, &r->diags.items[i], o));
	json_t *root = json_object();
	json_object_set_new(root, "source", json_pack("{s:s}", "name", "pgsafe"));
	json_object_set_new(root, "diagnostics", diags);
	if (a.failed) {
		json_decref(root);
		arena_release(&a);
		return PGS_ERR_NOMEM;
	}
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	arena_release(&a);
	if (rc == 0 && fputc('\n', out) == EOF)
		rc = -1;
	if (o->log) {
		char coverage[256];
		report_coverage_line(coverage, sizeof(coverage), &r->summary);
		fprintf(o->log, "pgsafe: %s\n", coverage);
	}
	return rc ? PGS_ERR_IO : PGS_OK;
}
