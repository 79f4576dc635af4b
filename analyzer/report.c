/*
 * report.c - the table of output formats (report.h). A new format is a
 * report_<name>.c file and one line here.
 */
#include "report.h"

#include <string.h>

static const struct reporter reporters[] = {
	{ "text", "people: code frames, what each lock blocks, a help line", report_text },
	{ "json", "tools: diagnostics, every statement's effects, the summary", report_json },
	{ "sarif", "SARIF 2.1.0 for code scanning (GitHub, IDE viewers)", report_sarif },
	{ "github", "GitHub Actions annotations, plus $GITHUB_STEP_SUMMARY", report_github },
	{ "gitlab", "GitLab Code Quality report (JSON array)", report_gitlab },
	{ "rdjson", "reviewdog Diagnostic Format (JSON)", report_rdjson },
	{ "junit", "JUnit XML: a test case per file, a failure per finding", report_junit },
	{ "gcc", "file:line:col: severity: message [rule], for editors and make", report_gcc },
};

const struct reporter *report_list(size_t *n)
{
	*n = sizeof(reporters) / sizeof(reporters[0]);
	return reporters;
}

const struct reporter *report_find(const char *name)
{
	for (size_t i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++)
		if (!strcmp(reporters[i].name, name))
			return &reporters[i];
	return NULL;
}
