/*
 * diag.c - diagnostic list (diag.h).
 */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *l, struct arena *a)
{
	memset(l, 0, sizeof(*l));
	l->a = a;
}

struct diag *diag_add(struct diag_list *l, const struct source *src, const char *path,
		      const char *rule, enum pgs_severity sev, size_t start, size_t end,
		      const char *message, const char *help)
{
	struct diag d = { 0 };
	d.file_order = l->file_order;
	d.rule = arena_strdup(l->a, rule);
	d.severity = sev;
	d.message = arena_strdup(l->a, message);
	d.help = help ? arena_strdup(l->a, help) : NULL;
	d.file = arena_strdup(l->a, path);
	if (src) {
		if (end < start)
			end = start;
		if (end > src->len)
			end = src->len;
		if (start > end)
			start = end;
		d.start_byte = start;
		d.end_byte = end;
		source_position(src, start, &d.start);
		source_position(src, end, &d.end);
		size_t ls = source_line_start(src, d.start.line);
		size_t le = source_line_end(src, d.start.line);
		d.frame_line = arena_strndup(l->a, src->text + ls, le - ls);
	} else {
		d.start.line = d.end.line = 0;
	}
	if (l->a->failed || ARENA_PUSH(l->a, l->items, l->n, l->cap, d))
		return NULL;
	return &l->items[l->n - 1];
}

static int cmp(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	if (a->file_order != b->file_order)
		return a->file_order < b->file_order ? -1 : 1;
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->start.line != b->start.line)
		return a->start.line < b->start.line ? -1 : 1;
	if (a->start.column != b->start.column)
		return a->start.column < b->start.column ? -1 : 1;
	c = strcmp(a->rule, b->rule);
	if (c)
		return c;
	return strcmp(a->message, b->message);
}

void diag_sort(struct diag_list *l)
{
	if (l->n > 1)
		qsort(l->items, l->n, sizeof(l->items[0]), cmp);
}

size_t diag_count(const struct diag_list *l, enum pgs_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (!l->items[i].suppressed && l->items[i].severity == sev)
			n++;
	return n;
}
