/*
 * changes.h - which inputs are under review, and which are only context.
 *
 * A migration is judged against everything that runs before it, but only
 * the migrations being added are worth reporting: the others are deployed
 * already. Two ways to say which ones are new:
 *
 *   --changed-since REF   the files git reports as added or modified since
 *                         the merge-base of REF and HEAD (committed,
 *                         staged, unstaged or untracked);
 *   --with-context        the files named on the command line (as
 *                         pre-commit passes them), read with the other
 *                         migrations of their directories as context, in
 *                         the migration tool's order.
 *
 * The result is one enum lint_file_flags per input (lint.h): the files
 * under review are LINT_FILE_CHANGED, the others LINT_FILE_CONTEXT.
 * Everything lives in the arena the caller passes. Nothing here prints;
 * git's own messages go to the inherited standard error.
 */
#ifndef PGS_CHANGES_H
#define PGS_CHANGES_H

#include <stdbool.h>

#include "arena.h"
#include "inputs.h"

/* The files of a change, as canonical absolute paths (realpath). */
struct change_set {
	const char **paths;   /* sorted with strcmp */
	size_t n, cap;
};

/*
 * Fills @cs with the files added, copied, modified or renamed since the
 * merge-base of @ref and HEAD, in the working tree, plus untracked files,
 * by running git (fork and exec, no shell) in the repository that holds
 * directory @dir.
 * Returns PGS_OK; PGS_ERR_USAGE when git fails (not a repository, an
 * unknown ref: git says why on stderr) with @err describing the step;
 * PGS_ERR_IO when git cannot be run; PGS_ERR_NOMEM.
 */
int changes_since(struct change_set *cs, struct arena *a, const char *ref, const char *dir,
		  char *err, size_t err_size);

/* The directory holding input @path ("." for standard input), in @a. */
const char *changes_input_dir(struct arena *a, const char *path);

/* Whether the file at @path (any spelling) is in @cs. */
bool changes_contains(const struct change_set *cs, const char *path);

/*
 * Flags for each of @inputs under --changed-since: files in @cs (and
 * standard input, which git cannot know) are reported and changed, the
 * rest context. *@flags is allocated in @a. Returns PGS_OK or
 * PGS_ERR_NOMEM.
 */
int changes_flags(const struct change_set *cs, const struct input_list *inputs,
		  struct arena *a, unsigned char **flags);

/*
 * --with-context, first step: the paths to expand instead of @paths: each
 * named file's directory (once), named directories and anything else as
 * given, so that the directories go through the framework's ordering like
 * any other (cmd_lint.c, order_inputs). *@out lives in @a. Returns PGS_OK
 * or PGS_ERR_NOMEM.
 */
int changes_context_paths(struct arena *a, char **paths, int n, char ***out, int *out_n);

/*
 * --with-context, second step: flags for each of @inputs (expanded from
 * changes_context_paths()): the files named in @paths, and those below a
 * named directory, are reported and changed; the rest are context. A named
 * file the expansion left out (a down migration, say) is appended to
 * @inputs, reported. *@flags is allocated in @a. Returns PGS_OK or
 * PGS_ERR_NOMEM.
 */
int changes_named_flags(struct input_list *inputs, char **paths, int n, struct arena *a,
			unsigned char **flags);

#endif
