/*
 * report_junit.c - JUnit XML, the test report CI systems render (Jenkins,
 * GitLab's artifacts:reports:junit, Azure Pipelines, ...)
 * (docs/formats/junit.md).
 *
 * One testsuite "pgsafe"; one testcase per input file, named by its path;
 * one <failure> per finding in that file (type: the rule id). The suite's
 * tests and failures count test cases, as JUnit does. The coverage line
 * is the suite's <system-out>. Suppressed findings are left out.
 *
 * XML 1.0 cannot carry most control characters even as character
 * references (XML 1.0 section 2.2, Char), so they are written as visible
 * \uXXXX text, as are U+FFFE and U+FFFF; bytes that are not UTF-8 (a file
 * name can hold any) become U+FFFD. In attribute values, tab, line feed
 * and carriage return are written as character references, which survive
 * attribute-value normalization (section 3.3.3).
 */
#include "report.h"
#include "report_util.h"

#include <string.h>

static void put_xml(FILE *out, struct arena *a, const char *raw, bool attribute)
{
	const char *s = report_utf8_clean(a, raw ? raw : "");
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); continue;
		case '<': fputs("&lt;", out); continue;
		case '>': fputs("&gt;", out); continue;
		case '"': fputs("&quot;", out); continue;
		case '\'': fputs("&apos;", out); continue;
		case '\t': fputs(attribute ? "&#9;" : "\t", out); continue;
		case '\n': fputs(attribute ? "&#10;" : "\n", out); continue;
		case '\r': fputs("&#13;", out); continue;
		default: break;
		}
		if (*p < 0x20) {
			fprintf(out, "\\u%04X", *p);
		} else if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
			/* U+FFFE, U+FFFF: valid UTF-8, not XML characters */
			fprintf(out, "\\u%s", p[2] == 0xbe ? "FFFE" : "FFFF");
			p += 2;
		} else {
			fputc(*p, out);
		}
	}
}

/* Whether @d belongs to the test case of @file and is reported. */
static bool counts(const struct diag *d, const char *file)
{
	return !d->suppressed && !strcmp(d->file, file);
}

static void failure(FILE *out, struct arena *a, const struct diag *d)
{
	const char *sev = pgs_severity_name(d->severity);
	const char *where = d->start.line ? arena_printf(a, "%s:%u:%u", d->file, d->start.line,
							 d->start.column) : d->file;
	fputs("      <failure message=\"", out);
	put_xml(out, a, d->message, true);
	fputs("\" type=\"", out);
	put_xml(out, a, d->rule, true);
	fputs("\">", out);
	put_xml(out, a, arena_printf(a, "%s: %s[%s]: %s", where ? where : "", sev, d->rule, d->message),
		false);
	const char *lock = report_lock_text(a, d);
	if (lock)
		put_xml(out, a, arena_printf(a, "\nlock: %s", lock), false);
	if (d->help)
		put_xml(out, a, arena_printf(a, "\nhelp: %s", d->help), false);
	fputs("</failure>\n", out);
}

int report_junit(FILE *out, const struct lint_run *r, const struct report_options *o)
{
	(void)o;
	struct arena a;
	arena_init(&a);
	/* the inputs, then any file a finding names that is not one (defensive) */
	const char **files = arena_alloc(&a, (r->n_inputs + r->diags.n + 1) * sizeof(*files));
	if (!files) {
		arena_release(&a);
		return PGS_ERR_NOMEM;
	}
	size_t n_files = 0;
	for (size_t i = 0; i < r->n_inputs + r->diags.n; i++) {
		const char *f = i < r->n_inputs ? r->inputs[i] : r->diags.items[i - r->n_inputs].file;
		size_t k = 0;
		while (k < n_files && strcmp(files[k], f))
			k++;
		if (k == n_files)
			files[n_files++] = f;
	}
	size_t failed = 0;
	for (size_t k = 0; k < n_files; k++)
		for (size_t i = 0; i < r->diags.n; i++)
			if (counts(&r->diags.items[i], files[k])) {
				failed++;
				break;
			}

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"pgsafe\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		n_files, failed);
	fprintf(out, "  <testsuite name=\"pgsafe\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
		n_files, failed);
	fprintf(out, "    <properties>\n      <property name=\"pg_version\" value=\"%d\"/>\n"
		"      <property name=\"pgsafe_version\" value=\"%s\"/>\n    </properties>\n",
		r->opts.pg_version, PGSAFE_VERSION);
	for (size_t k = 0; k < n_files; k++) {
		fputs("    <testcase name=\"", out);
		put_xml(out, &a, files[k], true);
		fputs("\" classname=\"pgsafe\" file=\"", out);
		put_xml(out, &a, files[k], true);
		bool any = false;
		for (size_t i = 0; i < r->diags.n; i++) {
			const struct diag *d = &r->diags.items[i];
			if (!counts(d, files[k]))
				continue;
			if (!any)
				fputs("\">\n", out);
			any = true;
			failure(out, &a, d);
		}
		fputs(any ? "    </testcase>\n" : "\"/>\n", out);
	}
	char coverage[256];
	report_coverage_line(coverage, sizeof(coverage), &r->summary);
	fputs("    <system-out>pgsafe: ", out);
	put_xml(out, &a, coverage, false);
	fputs("</system-out>\n  </testsuite>\n</testsuites>\n", out);
	int rc = a.failed ? PGS_ERR_NOMEM : ferror(out) ? PGS_ERR_IO : PGS_OK;
	arena_release(&a);
	return rc;
}
