/*
 * report_github.c - GitHub Actions workflow commands, which the runner
 * turns into annotations on the pull request (docs/formats/github.md):
 *
 *   ::error file=db/0042.sql,line=3,endLine=3,col=46,endColumn=70,title=pgsafe add-column-volatile-default::adding column ...
 *
 * The runner reads one command per line, so values are escaped as its
 * toolkit does: in the message '%', CR and LF become %25, %0D and %0A; in
 * properties ':' and ',' also become %3A and %2C, since they delimit
 * properties. GitHub shows at most 10 annotations of each type per step
 * and 50 per job, so when $GITHUB_STEP_SUMMARY is set (cmd_lint.c opens
 * it) every finding is also written there as a Markdown table.
 */
#include "report.h"
#include "report_util.h"

#include <string.h>

/* GitHub's annotation limits (docs: "workflow commands", annotations). */
#define GITHUB_ANNOTATIONS_PER_TYPE 10
/* A step's summary may hold 1 MiB; stop adding rows well before, for the rest */
#define GITHUB_SUMMARY_ROWS_MAX (1000L * 1000)

static void put_escaped(FILE *out, const char *s, bool property)
{
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '%': fputs("%25", out); break;
		case '\r': fputs("%0D", out); break;
		case '\n': fputs("%0A", out); break;
		case ':': fputs(property ? "%3A" : ":", out); break;
		case ',': fputs(property ? "%2C" : ",", out); break;
		default: fputc(*p, out); break;
		}
	}
}

static void annotation(FILE *out, struct arena *a, const struct diag *d)
{
	fprintf(out, "::%s file=", report_severity(d->severity)->github);
	put_escaped(out, d->file, true);
	if (d->start.line) {
		unsigned end_line = d->end.line ? d->end.line : d->start.line;
		fprintf(out, ",line=%u,endLine=%u", d->start.line, end_line);
		/*
		 * Columns only on one line (GitHub ignores them across lines);
		 * endColumn is the last character's column, inclusive.
		 */
		if (end_line == d->start.line) {
			unsigned end_col = d->end.column > d->start.column ? d->end.column - 1 : d->start.column;
			fprintf(out, ",col=%u,endColumn=%u", d->start.column, end_col);
		}
	}
	fputs(",title=", out);
	put_escaped(out, "pgsafe ", true);
	put_escaped(out, d->rule, true);
	fputs("::", out);
	put_escaped(out, d->message, false);
	const char *lock = report_lock_text(a, d);
	if (lock) {
		fputs("%0Alock: ", out);
		put_escaped(out, lock, false);
	}
	if (d->help) {
		fputs("%0Ahelp: ", out);
		put_escaped(out, d->help, false);
	}
	fputc('\n', out);
}

/*
 * Text in a Markdown table cell, shown as is: the characters GitHub's
 * Markdown would act on are backslash-escaped (CommonMark lets any ASCII
 * punctuation be): '|' ends a cell; * _ ` ~ [ ] < > ! # emphasis, code,
 * links, HTML; & entities; $ math; : emoji shortcodes; @ mentions.
 * Line breaks become <br>, other control characters spaces.
 */
static void put_cell(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			fputs("<br>", out);
		else if (*p < 0x20 || *p == 0x7f)
			fputc(' ', out);
		else if (*p < 0x80 && strchr("\\|*_`~[]<>!#&$:@", *p))
			fprintf(out, "\\%c", *p);
		else
			fputc(*p, out);
	}
}

/*
 * The job summary table. GitHub refuses a step's summary file beyond 1 MiB
 * (and then shows none of it), so rows stop short of that; the table then
 * says how many findings it left out, which the log still lists.
 */
static void step_summary(FILE *sum, const struct lint_run *r, const char *coverage)
{
	size_t shown = 0, left_out = 0;
	fputs("### pgsafe\n\n", sum);
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct diag *d = &r->diags.items[i];
		if (d->suppressed)
			continue;
		long at = ftell(sum);
		if (left_out || (at >= 0 && at > GITHUB_SUMMARY_ROWS_MAX)) {
			left_out++;
			continue;
		}
		if (!shown++)
			fputs("| Severity | Location | Rule | Message |\n|---|---|---|---|\n", sum);
		fprintf(sum, "| %s | ", report_severity(d->severity)->github);
		put_cell(sum, d->file);
		if (d->start.line)
			fprintf(sum, "\\:%u\\:%u", d->start.line, d->start.column);
		fputs(" | ", sum);
		put_cell(sum, d->rule);
		fputs(" | ", sum);
		put_cell(sum, d->message);
		if (d->help) {
			fputs("<br>", sum);
			put_cell(sum, "help: ");
			put_cell(sum, d->help);
		}
		fputs(" |\n", sum);
	}
	if (shown)
		fputc('\n', sum);
	if (left_out)
		fprintf(sum, "%zu more finding%s did not fit in the job summary: see the step's log\n\n",
			left_out, left_out == 1 ? "" : "s");
	put_cell(sum, coverage);
	fputs("\n\n", sum);
}

int report_github(FILE *out, const struct lint_run *r, const struct report_options *o)
{
	size_t per_type[4] = { 0 };
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct diag *d = &r->diags.items[i];
		if (d->suppressed)
			continue;
		annotation(out, &a, d);
		per_type[d->severity <= PGS_SEV_HINT ? PGS_SEV_HINT : d->severity]++;
	}
	bool nomem = a.failed;
	arena_release(&a);
	if (nomem)
		return PGS_ERR_NOMEM;
	char coverage[256];
	report_coverage_line(coverage, sizeof(coverage), &r->summary);
	/* plain lines are log output, not commands */
	fprintf(out, "pgsafe: %s\n", coverage);
	bool capped = per_type[PGS_SEV_HINT] > GITHUB_ANNOTATIONS_PER_TYPE ||
		      per_type[PGS_SEV_WARNING] > GITHUB_ANNOTATIONS_PER_TYPE ||
		      per_type[PGS_SEV_ERROR] > GITHUB_ANNOTATIONS_PER_TYPE;
	if (capped)
		fprintf(out, "pgsafe: GitHub shows at most %d annotations of each type per step; %s\n",
			GITHUB_ANNOTATIONS_PER_TYPE,
			o->step_summary ? "every finding is in the job summary" :
			"every finding is in the log above");
	if (o->step_summary) {
		step_summary(o->step_summary, r, coverage);
		if (ferror(o->step_summary))
			return PGS_ERR_IO;
	}
	return ferror(out) ? PGS_ERR_IO : PGS_OK;
}
