/*
 * inputs.h - turning command-line paths into the ordered list of files.
 *
 * A directory contributes its *.sql files, recursively, in natural-sort
 * order of their paths (so 2_x.sql comes before 10_x.sql), which is the
 * plain-SQL apply order. Hidden entries are skipped. The list lives in the
 * arena passed in.
 */
#ifndef PGS_INPUTS_H
#define PGS_INPUTS_H

#include "arena.h"

struct input_list {
	const char **paths;
	size_t n, cap;
};

/*
 * Appends @path (a file, "-", or a directory to expand) to @list.
 * Returns PGS_OK, PGS_ERR_NOMEM; a path that cannot be listed is appended
 * as is, so that reading it reports the problem with its name.
 */
int inputs_add(struct input_list *list, struct arena *a, const char *path);

/* Natural order: digit runs compare as numbers. */
int inputs_natural_compare(const char *a, const char *b);

#endif
