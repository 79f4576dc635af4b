/*
 * report_util.h - what the machine-readable reporters share: the one
 * severity table every format maps through, the documentation URL of a
 * rule, descriptions of the reserved ids, and text clean-up for formats
 * that must carry file names exactly.
 *
 * Strings returned here live in the arena the caller passes (a reporter's
 * own scratch arena, released when it returns) or are static.
 */
#ifndef PGS_REPORT_UTIL_H
#define PGS_REPORT_UTIL_H

#include <jansson.h>
#include <stdbool.h>

#include "arena.h"
#include "diag.h"
#include "pgsafe.h"

/*
 * One severity as each format spells it. DESIGN.md: error / warning /
 * hint map to SARIF error / warning / note, GitHub error / warning /
 * notice, GitLab critical / major / info, LSP 1 / 2 / 4; reviewdog's
 * ERROR / WARNING / INFO and gcc's error / warning / note follow suit.
 */
struct report_severity_names {
	const char *sarif;
	const char *github;
	const char *gitlab;
	const char *rdjson;
	const char *gcc;
	int lsp;             /* LSP DiagnosticSeverity */
};

/* The names of @sev (PGS_SEV_NONE: SARIF "none", the others as hint). */
const struct report_severity_names *report_severity(enum pgs_severity sev);

/* Whether @url starts with a URI scheme and "://" (RFC 3986 absolute, with an authority). */
bool report_url_is_absolute(const char *url);

/*
 * The documentation URL of @rule: @base with the rule id appended (after
 * a '/' unless @base ends with one). NULL when @base is NULL or on
 * allocation failure.
 */
char *report_rule_url(struct arena *a, const char *base, const char *rule);

/*
 * What the finding's lock does, as the text format says it: "ACCESS
 * EXCLUSIVE on public.t blocks reads and writes for a rewrite of the whole
 * table" (or "... until the transaction ends"). NULL when @d is not about a
 * lock, or on allocation failure.
 */
char *report_lock_text(struct arena *a, const struct diag *d);

/* One line on an id that is not a rule (syntax-error, input-empty, unused-ignore, ...), or NULL. */
const char *report_reserved_summary(const char *id);

/*
 * Stable fingerprints of every diagnostic of @l, in @a (NULL on allocation
 * failure): FNV-1a of the rule id, the file and the statement's hash
 * (diag.stmt_hash), plus how many earlier diagnostics share those three,
 * so two findings of one rule on one statement stay distinct. Line
 * numbers take no part: adding a migration above leaves them unchanged.
 */
uint64_t *report_fingerprints(struct arena *a, const struct diag_list *l);

/* @fp as 16 lower-case hex digits in @buf. */
void report_fingerprint_hex(uint64_t fp, char buf[17]);

/*
 * A copy of @s in @a in which every byte that is not part of valid UTF-8
 * is replaced by U+FFFD. File names come from the file system and may be
 * any bytes; JSON and XML must be UTF-8. NULL on allocation failure.
 */
char *report_utf8_clean(struct arena *a, const char *s);

/* A new JSON string of report_utf8_clean(@s) ("" for NULL); NULL on failure. */
json_t *report_json_string(struct arena *a, const char *s);

#endif
