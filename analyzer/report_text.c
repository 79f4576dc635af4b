/*
 * report_text.c - the text reporter: what a person reads in a terminal.
 *
 *   file:line:column: severity[rule]: message
 *      |
 *    3 | ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();
 *      |                                            ^^^^^^^^^^^^^^^^^^^^^^^^^^
 *      = lock: ACCESS EXCLUSIVE on public.accounts blocks reads and writes for ...
 *      = help: ...
 *
 * Colour only when asked (the caller decides from isatty and NO_COLOR).
 */
#include "report.h"

#include <string.h>

#define RESET "\033[0m"
#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define CYAN "\033[1;36m"
#define BLUE "\033[1;34m"

static const char *sev_color(enum pgs_severity s)
{
	switch (s) {
	case PGS_SEV_ERROR: return RED;
	case PGS_SEV_WARNING: return YELLOW;
	default: return CYAN;
	}
}

void report_coverage_line(char *buf, size_t size, const struct lint_summary *s)
{
	int n = snprintf(buf, size,
			 "%zu file%s, %zu statement%s analyzed, %zu not modeled; %zu error%s, %zu warning%s, %zu hint%s",
			 s->files, s->files == 1 ? "" : "s", s->statements, s->statements == 1 ? "" : "s",
			 s->not_modeled, s->errors, s->errors == 1 ? "" : "s", s->warnings,
			 s->warnings == 1 ? "" : "s", s->hints, s->hints == 1 ? "" : "s");
	/* nothing is silently green: say what was left out, when anything was */
	if (n > 0 && (size_t)n < size && s->suppressed)
		n += snprintf(buf + n, size - (size_t)n, "; %zu suppressed by ignore comments", s->suppressed);
	if (n > 0 && (size_t)n < size && s->excluded)
		snprintf(buf + n, size - (size_t)n, "; %zu file%s excluded by configuration", s->excluded,
			 s->excluded == 1 ? "" : "s");
}

/* Writes the line with tabs as spaces, so the caret row lines up. */
static void put_line(FILE *out, const char *line)
{
	for (const char *p = line; *p; p++)
		fputc(*p == '\t' ? ' ' : *p, out);
}

static void frame(FILE *out, const struct diag *d, bool color)
{
	if (!d->frame_line || !d->start.line)
		return;
	char num[16];
	int w = snprintf(num, sizeof(num), "%u", d->start.line);
	const char *bl = color ? BLUE : "", *rs = color ? RESET : "";
	fprintf(out, "%*s %s|%s\n", w, "", bl, rs);
	fprintf(out, "%s%s |%s ", bl, num, rs);
	put_line(out, d->frame_line);
	fputc('\n', out);
	/* caret under the span on this line, in code points */
	unsigned from = d->start.column;
	unsigned to = d->end.line == d->start.line ? d->end.column : 0;
	unsigned line_cps = 0;
	for (const unsigned char *p = (const unsigned char *)d->frame_line; *p; p++)
		if ((*p & 0xc0) != 0x80)
			line_cps++;
	if (!to || to > line_cps + 1)
		to = line_cps + 1;
	if (to <= from)
		to = from + 1;
	fprintf(out, "%*s %s|%s ", w, "", bl, rs);
	for (unsigned i = 1; i < from; i++)
		fputc(' ', out);
	fputs(color ? sev_color(d->severity) : "", out);
	for (unsigned i = from; i < to; i++)
		fputc('^', out);
	fprintf(out, "%s\n", rs);
}

int report_text(FILE *out, const struct lint_run *r, const struct report_options *o)
{
	bool color = o && o->color;
	const char *b = color ? BOLD : "", *rs = color ? RESET : "";
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct diag *d = &r->diags.items[i];
		if (d->suppressed)
			continue;
		if (d->start.line)
			fprintf(out, "%s%s:%u:%u:%s ", b, d->file, d->start.line, d->start.column, rs);
		else
			fprintf(out, "%s%s:%s ", b, d->file, rs);
		fprintf(out, "%s%s[%s]%s: %s%s%s\n", color ? sev_color(d->severity) : "",
			pgs_severity_name(d->severity), d->rule, rs, b, d->message, rs);
		frame(out, d, color);
		if (d->relation) {
			const char *dur = d->duration ? d->duration : "the statement";
			/* "for a full scan", but "until the transaction ends" */
			fprintf(out, "   = lock: %s on %s blocks %s %s%s\n", pgs_lock_mode_sql(d->lock),
				d->relation, pgs_lock_blocks_text(d->lock),
				strncmp(dur, "until", 5) ? "for " : "", dur);
		}
		if (d->help)
			fprintf(out, "   = help: %s\n", d->help);
		fputc('\n', out);
	}
	if (o && o->show_statements) {
		for (size_t i = 0; i < r->n_stmts; i++) {
			const struct stmt_summary *s = &r->stmts[i];
			fprintf(out, "%s:%u:%u: %s", s->file, s->start.line, s->start.column, s->kind);
			if (!s->modeled)
				fprintf(out, " (not modeled: %s)", s->unmodeled_reason ? s->unmodeled_reason : "unknown");
			fputc('\n', out);
			for (size_t k = 0; k < s->n_locks; k++)
				fprintf(out, "    %s on %s: blocks %s\n", pgs_lock_mode_name(s->locks[k].mode),
					s->locks[k].relation, pgs_lock_blocks_text(s->locks[k].mode));
			for (size_t k = 0; k < s->n_rewrites; k++)
				fprintf(out, "    rewrites %s\n", s->rewrites[k]);
			for (size_t k = 0; k < s->n_scans; k++)
				fprintf(out, "    scans %s\n", s->scans[k]);
			if (s->needs_no_transaction)
				fprintf(out, "    cannot run inside a transaction block\n");
		}
	}
	char line[256];
	report_coverage_line(line, sizeof(line), &r->summary);
	fprintf(out, "pgsafe: %s\n", line);
	return ferror(out) ? PGS_ERR_IO : PGS_OK;
}
