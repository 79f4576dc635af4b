/*
 * report_gcc.c - one line per finding in the form GCC prints and editors,
 * make and errorformat-based tools parse (docs/formats/gcc.md):
 *
 *   db/0042.sql:3:46: error: adding column "public_id" ... [add-column-volatile-default]
 *
 * Severities are GCC's: error, warning, and note for hints. Columns are
 * 1-based code points, like the text format. An input problem without a
 * position is "file: error: message [rule]". Each finding must stay on
 * one line, so control characters in file names and messages (a newline
 * in a file name, say) are written as \n, \r, \t or \xHH. The coverage
 * line comes last, as "pgsafe: ..." with no line number.
 * Suppressed findings are left out.
 */
#include "report.h"
#include "report_util.h"

static void put_line_safe(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\r')
			fputs("\\r", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02X", *p);
		else
			fputc(*p, out);
	}
}

int report_gcc(FILE *out, const struct lint_run *r, const struct report_options *o)
{
	(void)o;
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct diag *d = &r->diags.items[i];
		if (d->suppressed)
			continue;
		put_line_safe(out, d->file);
		if (d->start.line)
			fprintf(out, ":%u:%u", d->start.line, d->start.column);
		fprintf(out, ": %s: ", report_severity(d->severity)->gcc);
		put_line_safe(out, d->message);
		fputs(" [", out);
		put_line_safe(out, d->rule);
		fputs("]\n", out);
	}
	char coverage[256];
	report_coverage_line(coverage, sizeof(coverage), &r->summary);
	fprintf(out, "pgsafe: %s\n", coverage);
	return ferror(out) ? PGS_ERR_IO : PGS_OK;
}
