/*
 * inputs.c - directory expansion in apply order (inputs.h).
 */
#include "inputs.h"

#include "pgsafe.h"

#include <ctype.h>
#include <stdbool.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 32

int inputs_natural_compare(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *sa = a, *sb = b;
			while (*sa == '0')
				sa++;
			while (*sb == '0')
				sb++;
			const char *ea = sa, *eb = sb;
			while (isdigit((unsigned char)*ea))
				ea++;
			while (isdigit((unsigned char)*eb))
				eb++;
			if (ea - sa != eb - sb)
				return ea - sa < eb - sb ? -1 : 1;
			int c = strncmp(sa, sb, (size_t)(ea - sa));
			if (c)
				return c;
			/* equal values: fewer leading zeros first, then go on */
			size_t la = (size_t)(ea - a), lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			a = ea;
			b = eb;
			/*
			 * Versions: "1.1" and "1_2" continue a version, so "V1__x"
			 * (version 1) comes before "V1.1__y" and 1.1 before 1_2.
			 */
			bool va = (*a == '.' || *a == '_') && isdigit((unsigned char)a[1]);
			bool vb = (*b == '.' || *b == '_') && isdigit((unsigned char)b[1]);
			if (va != vb)
				return va ? 1 : -1;
			if (va) {
				a++;
				b++;
			}
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int cmp_paths(const void *pa, const void *pb)
{
	return inputs_natural_compare(*(const char *const *)pa, *(const char *const *)pb);
}

static bool has_sql_suffix(const char *name)
{
	size_t l = strlen(name);
	return l > 4 && !strcmp(name + l - 4, ".sql");
}

static int walk_dir(struct input_list *list, struct arena *a, const char *dir, int depth)
{
	if (depth > MAX_DEPTH)
		return PGS_OK;
	DIR *d = opendir(dir);
	if (!d)
		return ARENA_PUSH(a, list->paths, list->n, list->cap, arena_strdup(a, dir));
	size_t first = list->n;
	struct dirent *e;
	const char **subdirs = NULL;
	size_t nsub = 0, capsub = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		const char *p = arena_printf(a, "%s/%s", dir, e->d_name);
		struct stat st;
		if (!p || stat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (ARENA_PUSH(a, subdirs, nsub, capsub, p))
				goto out_nomem;
		} else if (has_sql_suffix(e->d_name)) {
			if (ARENA_PUSH(a, list->paths, list->n, list->cap, p))
				goto out_nomem;
		}
	}
	closedir(d);
	for (size_t i = 0; i < nsub; i++)
		if (walk_dir(list, a, subdirs[i], depth + 1))
			return PGS_ERR_NOMEM;
	/* one order for the whole tree below this directory */
	if (list->n > first)
		qsort(list->paths + first, list->n - first, sizeof(char *), cmp_paths);
	return PGS_OK;
out_nomem:
	closedir(d);
	return PGS_ERR_NOMEM;
}

int inputs_add(struct input_list *list, struct arena *a, const char *path)
{
	struct stat st;
	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t l = strlen(path);
		while (l > 1 && path[l - 1] == '/')
			l--;
		return walk_dir(list, a, arena_strndup(a, path, l), 0);
	}
	return ARENA_PUSH(a, list->paths, list->n, list->cap, arena_strdup(a, path));
}
