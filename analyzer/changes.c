/*
 * changes.c - the change under review: git, and pre-commit's file lists
 * (changes.h).
 *
 * git runs as a child process (fork, execvp, a pipe for its standard
 * output; no shell, so a ref is never interpreted by one). Its paths are
 * read NUL-separated (-z), exactly as stored, and compared with the inputs
 * through realpath(), so "db/1.sql", "./db/1.sql" and an absolute path
 * name the same file.
 */
#include "changes.h"

#include "lint.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* git's output is a list of paths; more than this is not a migration review */
#define GIT_OUTPUT_MAX (64u * 1024 * 1024)

/*
 * Runs git with @argv (argv[0] = "git") and collects its standard output
 * into @a, NUL-terminated. Returns git's exit status, 127 when it could
 * not be started, or -1 on a local failure (pipe, fork, memory, a read
 * error or too much output).
 */
static int run_git(struct arena *a, char *const argv[], char **out, size_t *len)
{
	int fds[2];
	if (pipe(fds))
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	size_t cap = 4096, n = 0;
	char *buf = arena_alloc(a, cap);
	bool failed = !buf;
	for (;;) {
		if (!failed && n + 1 >= cap) {
			if (cap >= GIT_OUTPUT_MAX) {
				failed = true;
			} else {
				buf = arena_grow(a, buf, cap, cap * 2);
				cap *= 2;
				failed = !buf;
			}
		}
		char sink[4096];
		ssize_t got = failed ? read(fds[0], sink, sizeof(sink)) : read(fds[0], buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			failed = true;
		if (got <= 0)
			break;
		if (!failed)
			n += (size_t)got;
	}
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (failed)
		return -1;
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* @s without trailing line breaks (git's one-line answers). */
static char *chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int cmp_str(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Adds every existing file of git's NUL-separated @list, relative to @top. */
static int add_listed(struct change_set *cs, struct arena *a, const char *top,
		      const char *list, size_t len)
{
	for (size_t i = 0; i < len;) {
		const char *name = list + i;
		size_t l = strlen(name);
		i += l + 1;
		if (!l)
			continue;
		char real[PATH_MAX];
		const char *p = arena_printf(a, "%s/%s", top, name);
		if (!p)
			return PGS_ERR_NOMEM;
		/* a path that no longer exists cannot be an input */
		if (!realpath(p, real))
			continue;
		const char *copy = arena_strdup(a, real);
		if (!copy || ARENA_PUSH(a, cs->paths, cs->n, cs->cap, copy))
			return PGS_ERR_NOMEM;
	}
	return PGS_OK;
}

const char *changes_input_dir(struct arena *a, const char *path)
{
	struct stat st;
	if (!strcmp(path, "-"))
		return ".";
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return path;
	const char *slash = strrchr(path, '/');
	return !slash ? "." : slash == path ? "/" : arena_strndup(a, path, (size_t)(slash - path));
}

int changes_since(struct change_set *cs, struct arena *a, const char *ref, const char *dir,
		  char *err, size_t err_size)
{
	char *out;
	size_t len;
	int st;
	memset(cs, 0, sizeof(*cs));
	if (!*ref || ref[0] == '-') {
		snprintf(err, err_size, "--changed-since \"%s\" is not a git revision", ref);
		return PGS_ERR_USAGE;
	}

	char *top_argv[] = { "git", "-C", (char *)dir, "rev-parse", "--show-toplevel", NULL };
	if ((st = run_git(a, top_argv, &out, &len)))
		goto out_failed;
	char *top = chomp(out);

	char *base_argv[] = { "git", "-C", top, "merge-base", (char *)ref, "HEAD", NULL };
	if ((st = run_git(a, base_argv, &out, &len)))
		goto out_failed;
	char *base = chomp(out);

	/* the merge-base against the working tree: commits, staged and unstaged edits */
	char *diff_argv[] = { "git", "-C", top, "diff", "--name-only", "-z", "--diff-filter=ACMR",
			      base, "--", NULL };
	if ((st = run_git(a, diff_argv, &out, &len)))
		goto out_failed;
	if ((st = add_listed(cs, a, top, out, len)))
		return st;

	/* files not yet added to git are new as well */
	char *others_argv[] = { "git", "-C", top, "ls-files", "--others", "--exclude-standard", "-z", NULL };
	if ((st = run_git(a, others_argv, &out, &len)))
		goto out_failed;
	if ((st = add_listed(cs, a, top, out, len)))
		return st;
	if (cs->n > 1)
		qsort(cs->paths, cs->n, sizeof(*cs->paths), cmp_str);
	return PGS_OK;

out_failed:
	if (st == 127) {
		snprintf(err, err_size, "--changed-since needs git, which could not be run");
		return PGS_ERR_IO;
	}
	if (st < 0) {
		snprintf(err, err_size, "--changed-since: running git failed");
		return a->failed ? PGS_ERR_NOMEM : PGS_ERR_IO;
	}
	snprintf(err, err_size, "--changed-since \"%s\": git could not find the merge-base with HEAD"
		 " (is \"%s\" in a git repository, and \"%s\" a revision in it?)", ref, dir, ref);
	return PGS_ERR_USAGE;
}

bool changes_contains(const struct change_set *cs, const char *path)
{
	char real[PATH_MAX];
	if (!cs->n || !realpath(path, real))
		return false;
	const char *key = real;
	return bsearch(&key, cs->paths, cs->n, sizeof(*cs->paths), cmp_str) != NULL;
}

int changes_flags(const struct change_set *cs, const struct input_list *inputs,
		  struct arena *a, unsigned char **flags)
{
	*flags = arena_alloc(a, inputs->n + 1);
	if (!*flags)
		return PGS_ERR_NOMEM;
	for (size_t i = 0; i < inputs->n; i++) {
		const char *p = inputs->paths[i];
		bool changed = !strcmp(p, "-") || changes_contains(cs, p);
		(*flags)[i] = changed ? LINT_FILE_CHANGED : LINT_FILE_CONTEXT;
	}
	return PGS_OK;
}

/* ---------------------------------------------------------------------
 * --with-context
 * ------------------------------------------------------------------- */

int changes_context_paths(struct arena *a, char **paths, int n, char ***out, int *out_n)
{
	char **dirs = arena_alloc(a, ((size_t)n + 1) * sizeof(*dirs));
	int k = 0;
	if (!dirs)
		return PGS_ERR_NOMEM;
	for (int i = 0; i < n; i++) {
		struct stat st;
		const char *p = paths[i];
		if (strcmp(p, "-") && !stat(p, &st) && S_ISREG(st.st_mode))
			p = changes_input_dir(a, p);
		if (!p)
			return PGS_ERR_NOMEM;
		int j = 0;
		while (j < k && strcmp(dirs[j], p))
			j++;
		if (j == k)
			dirs[k++] = (char *)p;
	}
	*out = dirs;
	*out_n = k;
	return PGS_OK;
}

/* @path's realpath in @a, or @path itself when it has none; NULL: no memory. */
static const char *real_or_same(struct arena *a, const char *path)
{
	char real[PATH_MAX];
	if (strcmp(path, "-") && realpath(path, real))
		return arena_strdup(a, real);
	return path;
}

int changes_named_flags(struct input_list *inputs, char **paths, int n, struct arena *a,
			unsigned char **flags)
{
	/* the named paths, resolved; directories end with '/' to match what is below */
	const char **named = arena_alloc(a, ((size_t)n + 1) * sizeof(*named));
	bool *found = arena_alloc(a, (size_t)n + 1);
	if (!named || !found)
		return PGS_ERR_NOMEM;
	for (int i = 0; i < n; i++) {
		struct stat st;
		const char *r = real_or_same(a, paths[i]);
		if (r && strcmp(paths[i], "-") && !stat(paths[i], &st) && S_ISDIR(st.st_mode))
			r = arena_printf(a, "%s/", r);
		if (!r)
			return PGS_ERR_NOMEM;
		named[i] = r;
	}
	size_t expanded = inputs->n;
	*flags = arena_alloc(a, expanded + (size_t)n + 1);
	if (!*flags)
		return PGS_ERR_NOMEM;
	for (size_t k = 0; k < expanded; k++) {
		const char *r = real_or_same(a, inputs->paths[k]);
		if (!r)
			return PGS_ERR_NOMEM;
		bool hit = false;
		for (int i = 0; i < n && !hit; i++) {
			size_t l = strlen(named[i]);
			if (l && named[i][l - 1] == '/')
				hit = !strncmp(r, named[i], l);
			else if (!strcmp(r, named[i])) {
				hit = found[i] = true;
				/* shown as it was named ("0002.sql", not "./0002.sql") */
				inputs->paths[k] = paths[i];
			}
		}
		(*flags)[k] = hit ? LINT_FILE_CHANGED : LINT_FILE_CONTEXT;
	}
	/* named files the expansion dropped are still what the user asked about */
	for (int i = 0; i < n; i++) {
		size_t l = strlen(named[i]);
		if (found[i] || (l && named[i][l - 1] == '/'))
			continue;
		if (ARENA_PUSH(a, inputs->paths, inputs->n, inputs->cap, paths[i]))
			return PGS_ERR_NOMEM;
		(*flags)[inputs->n - 1] = LINT_FILE_CHANGED;
	}
	return PGS_OK;
}
