/*
 * report.c - the table of output formats (report.h). A new format is a
 * report_<name>.c file and one line here.
 */
#include "report.h"

#include <string.h>

static const struct reporter reporters[] = {
	{ "text", "people: code frames, what each lock blocks, a help line", report_text },
	{ "json", "tools: diagnostics, every statement's effects, the summary", report_json },
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
