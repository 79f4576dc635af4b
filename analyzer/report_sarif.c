/*
 * report_sarif.c - SARIF 2.1.0 (OASIS), the format code-scanning services
 * and IDE viewers read (docs/formats/sarif.md).
 *
 * One run. The driver lists a reporting descriptor for every rule that
 * produced a finding (suppressed ones included), from the rule's own
 * descriptor: summary, rationale, safe alternative, default level, and a
 * help URI when --docs-base-url gives one. Regions count columns in code
 * points, which the run declares with columnKind "unicodeCodePoints"
 * (SARIF 3.14.17), matching pgsafe's 1-based columns. Findings silenced by
 * an inline ignore stay in the log with an inSource suppression, as SARIF
 * intends (3.27.23), so viewers can show them as suppressed.
 *
 * Built with jansson's stealing setters: one owner, one json_decref.
 */
#include "report.h"
#include "report_util.h"

#include "registry.h"
#include "../rules/rule.h"

#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"

static json_t *text_message(struct arena *a, const char *s)
{
	json_t *m = json_object();
	json_object_set_new(m, "text", report_json_string(a, s));
	return m;
}

/*
 * A URI reference for a path (RFC 3986): unreserved bytes and '/' as they
 * are, every other byte percent-encoded, so spaces, ':', '%', '#' and
 * non-ASCII names survive any URI parser. Absolute paths become file:
 * URIs; relative ones stay relative, to be resolved against the checkout.
 */
static char *path_uri(struct arena *a, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *out = arena_alloc(a, 3 * n + 8);
	if (!out)
		return NULL;
	size_t k = 0;
	if (path[0] == '/') {
		memcpy(out, "file://", 7);
		k = 7;
	}
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/') {
			out[k++] = (char)*p;
		} else {
			out[k++] = '%';
			out[k++] = hex[*p >> 4];
			out[k++] = hex[*p & 0xf];
		}
	}
	out[k] = '\0';
	return out;
}

static int cmp_str(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* The distinct rule ids of @r's findings, sorted; in @a. */
static const char **fired_rules(struct arena *a, const struct lint_run *r, size_t *n)
{
	const char **ids = arena_alloc(a, (r->diags.n ? r->diags.n : 1) * sizeof(*ids));
	size_t k = 0;
	if (!ids)
		return NULL;
	for (size_t i = 0; i < r->diags.n; i++)
		ids[k++] = r->diags.items[i].rule;
	if (k > 1)
		qsort(ids, k, sizeof(*ids), cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (!u || strcmp(ids[u - 1], ids[i]))
			ids[u++] = ids[i];
	*n = u;
	return ids;
}

/*
 * A reporting descriptor. Ids that are not rules (input problems, syntax
 * errors, the ignore checks) have no descriptor to read a default from:
 * their findings' own severity is their level.
 */
static json_t *rule_descriptor(struct arena *a, const char *id, const struct lint_run *r,
			       const struct report_options *o)
{
	const struct rule *rule = registry_find(id);
	json_t *d = json_object();
	json_object_set_new(d, "id", report_json_string(a, id));
	if (rule) {
		json_object_set_new(d, "shortDescription", text_message(a, rule->summary));
		json_object_set_new(d, "fullDescription", text_message(a, rule->rationale));
		if (rule->safe_alternative) {
			json_t *help = json_object();
			json_object_set_new(help, "text", report_json_string(a, arena_printf(a, "Safe alternative:\n%s",
									    rule->safe_alternative)));
			json_object_set_new(help, "markdown",
					    report_json_string(a, arena_printf(a, "**Safe alternative**\n\n```sql\n%s\n```",
								rule->safe_alternative)));
			json_object_set_new(d, "help", help);
		}
	} else {
		const char *summary = report_reserved_summary(id);
		json_object_set_new(d, "shortDescription", text_message(a, summary ? summary : id));
	}
	const char *url = report_rule_url(a, o->docs_base_url, id);
	if (url)
		json_object_set_new(d, "helpUri", report_json_string(a, url));
	enum pgs_severity sev = PGS_SEV_ERROR;
	if (rule) {
		sev = rule->default_severity;
	} else {
		for (size_t i = 0; i < r->diags.n; i++)
			if (!strcmp(r->diags.items[i].rule, id)) {
				sev = r->diags.items[i].severity;
				break;
			}
	}
	json_object_set_new(d, "defaultConfiguration",
			    json_pack("{s:s}", "level", report_severity(sev)->sarif));
	return d;
}

static json_t *region(const struct diag *d)
{
	json_t *g = json_object();
	json_object_set_new(g, "startLine", json_integer(d->start.line));
	json_object_set_new(g, "startColumn", json_integer(d->start.column));
	/* SARIF's endColumn is the column after the region's last character: ours too */
	json_object_set_new(g, "endLine", json_integer(d->end.line ? d->end.line : d->start.line));
	json_object_set_new(g, "endColumn", json_integer(d->end.line ? d->end.column : d->start.column));
	return g;
}

static json_t *result(struct arena *a, const struct diag *d, size_t rule_index, uint64_t fp)
{
	json_t *res = json_object();
	json_object_set_new(res, "ruleId", report_json_string(a, d->rule));
	json_object_set_new(res, "ruleIndex", json_integer((json_int_t)rule_index));
	json_object_set_new(res, "level", json_string(report_severity(d->severity)->sarif));
	json_object_set_new(res, "message", text_message(a, d->message));

	json_t *phys = json_object();
	json_t *art = json_object();
	const char *uri = path_uri(a, d->file);
	json_object_set_new(art, "uri", report_json_string(a, uri ? uri : ""));
	json_object_set_new(phys, "artifactLocation", art);
	if (d->start.line)
		json_object_set_new(phys, "region", region(d));
	json_t *loc = json_object();
	json_object_set_new(loc, "physicalLocation", phys);
	json_object_set_new(res, "locations", json_pack("[o]", loc));

	char hex[17];
	report_fingerprint_hex(fp, hex);
	json_object_set_new(res, "partialFingerprints", json_pack("{s:s}", "pgsafeFindingHash/v1", hex));
	if (d->suppressed)
		json_object_set_new(res, "suppressions", json_pack("[{s:s}]", "kind", "inSource"));

	json_t *props = json_object();
	if (d->help)
		json_object_set_new(props, "help", report_json_string(a, d->help));
	if (d->relation)
		json_object_set_new(props, "lock",
				    json_pack("{s:o,s:s,s:s,s:o}", "relation", report_json_string(a, d->relation),
					      "mode", pgs_lock_mode_name(d->lock),
					      "blocks", pgs_lock_blocks_text(d->lock),
					      "duration", report_json_string(a, d->duration)));
	if (json_object_size(props))
		json_object_set_new(res, "properties", props);
	else
		json_decref(props);
	return res;
}

int report_sarif(FILE *out, const struct lint_run *r, const struct report_options *o)
{
	struct arena a;
	arena_init(&a);
	size_t n_rules = 0;
	const char **ids = fired_rules(&a, r, &n_rules);
	uint64_t *fps = report_fingerprints(&a, &r->diags);
	if (!ids || !fps) {
		arena_release(&a);
		return PGS_ERR_NOMEM;
	}

	json_t *rules = json_array();
	for (size_t i = 0; i < n_rules; i++)
		json_array_append_new(rules, rule_descriptor(&a, ids[i], r, o));
	json_t *driver = json_object();
	json_object_set_new(driver, "name", json_string("pgsafe"));
	json_object_set_new(driver, "version", json_string(PGSAFE_VERSION));
	json_object_set_new(driver, "semanticVersion", json_string(PGSAFE_VERSION));
	json_object_set_new(driver, "rules", rules);

	json_t *results = json_array();
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct diag *d = &r->diags.items[i];
		const char **hit = bsearch(&d->rule, ids, n_rules, sizeof(*ids), cmp_str);
		json_array_append_new(results, result(&a, d, hit ? (size_t)(hit - ids) : 0, fps[i]));
	}

	char coverage[256];
	report_coverage_line(coverage, sizeof(coverage), &r->summary);
	const struct lint_summary *s = &r->summary;
	json_t *props = json_pack("{s:i,s:s,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I}}",
				  "pgVersion", r->opts.pg_version,
				  "coverage", coverage,
				  "summary",
				  "files", (json_int_t)s->files,
				  "input_errors", (json_int_t)s->files_with_errors,
				  "statements", (json_int_t)s->statements,
				  "not_modeled", (json_int_t)s->not_modeled,
				  "errors", (json_int_t)s->errors,
				  "warnings", (json_int_t)s->warnings,
				  "hints", (json_int_t)s->hints);

	json_t *run = json_object();
	json_object_set_new(run, "tool", json_pack("{s:o}", "driver", driver));
	json_object_set_new(run, "invocations", json_pack("[{s:b}]", "executionSuccessful", 1));
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_object_set_new(run, "results", results);
	json_object_set_new(run, "properties", props);

	json_t *root = json_object();
	json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(root, "runs", json_pack("[o]", run));

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
	return rc ? PGS_ERR_IO : PGS_OK;
}
