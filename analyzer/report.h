/*
 * report.h - reporters: the last stage, diagnostics to bytes.
 *
 * Each reporter reads the finished run (diagnostics sorted, summary
 * counted) and writes one format to a stream. They never change the run.
 */
#ifndef PGS_REPORT_H
#define PGS_REPORT_H

#include <stdio.h>

#include "lint.h"

struct report_options {
	bool color;
	bool show_statements;      /* text: list every statement's effects */
	const char *docs_base_url; /* absolute URL a rule id is appended to, or NULL (--docs-base-url) */
	FILE *step_summary;        /* github: $GITHUB_STEP_SUMMARY opened for appending, or NULL */
	FILE *log;                 /* formats whose document cannot hold the coverage line
				      (gitlab, rdjson) write it here (stderr), or nowhere if NULL */
};

/* The JSON format (docs/json-format.md, schemas/lint.schema.json). */
int report_json(FILE *out, const struct lint_run *r, const struct report_options *o);

/* Human-readable text with code frames and a closing coverage line. */
int report_text(FILE *out, const struct lint_run *r, const struct report_options *o);

/* Formats for other tools, one file each (docs/formats/<name>.md). */
int report_sarif(FILE *out, const struct lint_run *r, const struct report_options *o);
int report_github(FILE *out, const struct lint_run *r, const struct report_options *o);
int report_gitlab(FILE *out, const struct lint_run *r, const struct report_options *o);
int report_rdjson(FILE *out, const struct lint_run *r, const struct report_options *o);
int report_junit(FILE *out, const struct lint_run *r, const struct report_options *o);
int report_gcc(FILE *out, const struct lint_run *r, const struct report_options *o);

typedef int (*report_fn)(FILE *out, const struct lint_run *r, const struct report_options *o);

struct reporter {
	const char *name;         /* the --format value */
	const char *summary;      /* one line for --help */
	report_fn write;
};

/* The reporter for --format @name, or NULL. */
const struct reporter *report_find(const char *name);
/* All reporters, in --help order. */
const struct reporter *report_list(size_t *n);

/* The coverage line every format ends with, in words. */
void report_coverage_line(char *buf, size_t size, const struct lint_summary *s);

#endif
