/*
 * report_gitlab.c - GitLab Code Quality report (docs/formats/gitlab.md):
 * a bare JSON array of issues, the subset of the Code Climate issue format
 * that GitLab reads from an artifacts:reports:codequality file.
 *
 *   [{ "description": "...", "check_name": "add-column-volatile-default",
 *      "fingerprint": "6f1c...", "severity": "critical",
 *      "location": { "path": "db/0042.sql", "lines": { "begin": 3 } } }]
 *
 * GitLab compares the fingerprints in a merge request's report with the
 * target branch's to tell new issues from resolved ones, so a fingerprint
 * must not move with line numbers: it hashes the rule, the path and the
 * statement's normalized text (report_fingerprints()). A bare array has
 * no place for the coverage line that ends every report, so it goes to
 * the log stream (stderr: the job log). Suppressed findings are left out.
 */
#include "report.h"
#include "report_util.h"


int report_gitlab(FILE *out, const struct lint_run *r, const struct report_options *o)
{
	struct arena a;
	arena_init(&a);
	uint64_t *fps = report_fingerprints(&a, &r->diags);
	if (!fps) {
		arena_release(&a);
		return PGS_ERR_NOMEM;
	}
	json_t *issues = json_array();
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct diag *d = &r->diags.items[i];
		if (d->suppressed)
			continue;
		char hex[17];
		report_fingerprint_hex(fps[i], hex);
		json_t *issue = json_object();
		json_object_set_new(issue, "description", report_json_string(&a, d->message));
		json_object_set_new(issue, "check_name", report_json_string(&a, d->rule));
		json_object_set_new(issue, "fingerprint", json_string(hex));
		json_object_set_new(issue, "severity", json_string(report_severity(d->severity)->gitlab));
		/* an input with no text (unreadable, empty) is reported on its line 1 */
		json_object_set_new(issue, "location",
				    json_pack("{s:o,s:{s:I}}", "path", report_json_string(&a, d->file),
					      "lines", "begin", (json_int_t)(d->start.line ? d->start.line : 1)));
		json_array_append_new(issues, issue);
	}
	if (a.failed) {
		json_decref(issues);
		arena_release(&a);
		return PGS_ERR_NOMEM;
	}
	int rc = json_dumpf(issues, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(issues);
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
