/*
 * ignore.h - inline suppressions, the last step of a file's analysis.
 *
 *   -- pgsafe:ignore RULE[,RULE...] reason
 *	on the lines directly above a statement: silences those rules'
 *	findings in that statement;
 *   -- pgsafe:ignore-file RULE[,RULE...] reason
 *	anywhere in the file: silences them in the whole file.
 *
 * Comments are found with the splitter's lexer (split_next_comment), so a
 * directive inside a string, a dollar quote or COPY data is no directive.
 * A comment binds by byte range: comments between the end of one statement
 * and the start of the next belong to the next one, except those on the
 * line where the previous statement ended, which belong to nothing (a
 * trailing `ALTER ...; -- pgsafe:ignore x` must not silence the statement
 * after it). Comments inside a statement or after the last one belong to
 * nothing either.
 *
 * Silenced diagnostics stay in the list with `suppressed` set (SARIF shows
 * them); reporters skip them and they count for nothing. ignore_apply()
 * also reports its own findings: unknown-rule-in-ignore, unused-ignore and
 * ignore-without-reason.
 */
#ifndef PGS_IGNORE_H
#define PGS_IGNORE_H

#include "diag.h"
#include "source.h"

struct stmt;
struct rule;
struct file_settings;

#define IGNORE_ID_UNKNOWN_RULE "unknown-rule-in-ignore"
#define IGNORE_ID_UNUSED "unused-ignore"
#define IGNORE_ID_NO_REASON "ignore-without-reason"

/* Whether @id is one of the three ids above (config accepts them under `rules:`). */
bool ignore_is_own_id(const char *id);

struct ignore_input {
	const struct source *src;
	const struct stmt *stmts;     /* the file's statements in order (parse.h) */
	size_t n_stmts;
	bool require_reason;          /* require_ignore_reason from the config */
	const struct file_settings *settings;   /* severities of the ids above; may be NULL */
	/* Whether @rule ran on this file; an ignore for a rule that did not run is not "unused". */
	bool (*rule_ran)(const void *arg, const struct rule *rule);
	const void *arg;
};

/*
 * Applies the file's directives to diagnostics l->items[first..] (the
 * file's own) and appends ignore's findings to @l. Scratch lives in
 * @scratch (the file arena). Returns PGS_OK or PGS_ERR_NOMEM.
 */
int ignore_apply(struct diag_list *l, size_t first, const struct ignore_input *in,
		 struct arena *scratch);

#endif
