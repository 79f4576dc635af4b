/*
 * ignore.c - inline suppressions (ignore.h).
 *
 * Three passes over one file, after its rules have run: find the
 * directives (comments, outside COPY data, that start with pgsafe:ignore
 * or pgsafe:ignore-file) and bind each to its statement; mark the file's
 * findings they silence; report directives that name unknown rules, have
 * no reason when one is required, or silenced nothing.
 */
#include "ignore.h"

#include "config.h"
#include "parse.h"
#include "registry.h"
#include "split.h"
#include "../rules/rule.h"

#include <ctype.h>
#include <string.h>

bool ignore_is_own_id(const char *id)
{
	return !strcmp(id, IGNORE_ID_UNKNOWN_RULE) || !strcmp(id, IGNORE_ID_UNUSED) ||
	       !strcmp(id, IGNORE_ID_NO_REASON);
}

struct named_rule {
	const char *id;
	size_t start, end;         /* the id in the comment */
	const struct rule *rule;   /* NULL: not a rule */
	bool used;
};

struct directive {
	bool file_wide;
	size_t start, end;         /* the comment */
	struct named_rule *rules;
	size_t n_rules, cap_rules;
	bool has_reason;
	size_t stmt;               /* the statement it silences; SIZE_MAX: none */
};

struct directives {
	struct directive *items;
	size_t n, cap;
};

/* ---------------------------------------------------------------------
 * Reading a directive
 * ------------------------------------------------------------------- */

static bool is_id_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '/';
}

static bool starts_word(const char *p, const char *end, const char *word)
{
	size_t l = strlen(word);
	return (size_t)(end - p) >= l && !memcmp(p, word, l) &&
	       (p + l == end || p[l] == ' ' || p[l] == '\t' || p[l] == '\r');
}

/*
 * Reads "-- pgsafe:ignore[-file] ID[, ID...] reason" in [start, end) of
 * @t. Returns 1 with @d filled, 0 when the comment is no directive, or
 * PGS_ERR_NOMEM.
 */
static int read_directive(const char *t, size_t start, size_t end, struct arena *a,
			  struct directive *d)
{
	const char *p = t + start, *e = t + end;
	if (e - p < 2 || p[0] != '-' || p[1] != '-')
		return 0;
	for (p += 2; p < e && (*p == ' ' || *p == '\t'); p++)
		;
	memset(d, 0, sizeof(*d));
	d->start = start;
	d->end = end;
	d->stmt = SIZE_MAX;
	if (starts_word(p, e, "pgsafe:ignore-file")) {
		d->file_wide = true;
		p += strlen("pgsafe:ignore-file");
	} else if (starts_word(p, e, "pgsafe:ignore")) {
		p += strlen("pgsafe:ignore");
	} else {
		return 0;
	}
	for (;;) {
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		const char *id = p;
		while (p < e && is_id_char(*p))
			p++;
		if (p == id)
			break;
		struct named_rule nr = { .start = (size_t)(id - t), .end = (size_t)(p - t) };
		nr.id = arena_strndup(a, id, (size_t)(p - id));
		if (!nr.id || ARENA_PUSH(a, d->rules, d->n_rules, d->cap_rules, nr))
			return PGS_ERR_NOMEM;
		const char *q = p;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (q == e || *q != ',')
			break;
		p = q + 1;
	}
	while (p < e && isspace((unsigned char)*p))
		p++;
	d->has_reason = p < e;
	return 1;
}

/* ---------------------------------------------------------------------
 * Binding
 * ------------------------------------------------------------------- */

/* The first statement starting at or after @at (n when none). */
static size_t first_from(const struct stmt *s, size_t n, size_t at)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s[mid].start < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The statement a comment at [start, end) silences: the next one, when
 * only space and comments lie between and the comment is not on the line
 * where the previous statement ended. SIZE_MAX otherwise.
 */
static size_t bind(const struct ignore_input *in, size_t start, size_t end)
{
	const char *t = in->src->text;
	size_t j = first_from(in->stmts, in->n_stmts, end);
	if (j == in->n_stmts)
		return SIZE_MAX;              /* after the last statement */
	if (j > 0) {
		size_t prev_end = in->stmts[j - 1].end;
		if (start < prev_end)
			return SIZE_MAX;      /* inside the previous statement */
		if (!memchr(t + prev_end, '\n', start - prev_end))
			return SIZE_MAX;      /* trails the previous statement on its line */
	}
	return j;
}

/* The statement whose span holds byte @at, or SIZE_MAX. */
static size_t stmt_at(const struct ignore_input *in, size_t at)
{
	size_t j = first_from(in->stmts, in->n_stmts, at + 1);
	if (j == 0)
		return SIZE_MAX;
	const struct stmt *s = &in->stmts[j - 1];
	return at <= s->end ? j - 1 : SIZE_MAX;
}

/* Finds the directives, stepping over COPY data (not SQL, so no comments). */
static int collect(const struct ignore_input *in, struct arena *a, struct directives *out)
{
	const char *t = in->src->text;
	size_t len = in->src->len;
	struct split_result sr;
	int rc;
	/* most files have no directive: skip the lexer (the text is NUL-terminated, NUL-free) */
	if (!strstr(t, "pgsafe:ignore"))
		return PGS_OK;
	if ((rc = split_statements(t, len, a, &sr)))
		return rc;
	size_t pos = 0, seg = 0;
	while (pos < len) {
		while (seg < sr.n && (sr.segs[seg].kind != SEG_COPY_DATA || sr.segs[seg].end <= pos))
			seg++;
		size_t stop = seg < sr.n ? sr.segs[seg].start : len;
		size_t cs, ce;
		if (pos >= stop || !split_next_comment(t, stop, pos, &cs, &ce)) {
			if (seg == sr.n)
				break;
			pos = sr.segs[seg].end;      /* past the COPY data */
			continue;
		}
		pos = ce;
		struct directive d;
		if ((rc = read_directive(t, cs, ce, a, &d)) < 0)
			return rc;
		if (!rc)
			continue;
		if (!d.file_wide)
			d.stmt = bind(in, cs, ce);
		for (size_t i = 0; i < d.n_rules; i++)
			d.rules[i].rule = registry_find(d.rules[i].id);
		if (ARENA_PUSH(a, out->items, out->n, out->cap, d))
			return PGS_ERR_NOMEM;
	}
	return PGS_OK;
}

/* ---------------------------------------------------------------------
 * Silencing and reporting
 * ------------------------------------------------------------------- */

static bool silences(struct directive *d, const char *rule, size_t stmt)
{
	if (!d->file_wide && (d->stmt == SIZE_MAX || d->stmt != stmt))
		return false;
	bool hit = false;
	/* a rule answers to its old ids too (a split keeps them as aliases) */
	const struct rule *r = registry_find(rule);
	for (size_t i = 0; i < d->n_rules; i++)
		if (d->rules[i].rule && (!strcmp(d->rules[i].id, rule) ||
					 (r && registry_rule_answers_to(r, d->rules[i].id)))) {
			d->rules[i].used = true;
			hit = true;
		}
	return hit;
}

static int report(struct diag_list *l, const struct ignore_input *in, const char *id, size_t start,
		  size_t end, const char *message, const char *help)
{
	enum pgs_severity sev = config_id_severity(in->settings, id, PGS_SEV_WARNING);
	if (sev == PGS_SEV_NONE)
		return PGS_OK;
	return diag_add(l, in->src, in->src->path, id, sev, start, end, message, help) ? PGS_OK :
	       PGS_ERR_NOMEM;
}

static int report_unknown(struct diag_list *l, const struct ignore_input *in, struct arena *a,
			  const char *name, const struct named_rule *nr)
{
	const char *msg, *help;
	if (ignore_is_own_id(nr->id)) {
		msg = arena_printf(a, "\"%s\" cannot be silenced with %s", nr->id, name);
		help = arena_printf(a, "turn it off in .pgsafe.yaml instead (rules: {%s: off})", nr->id);
	} else if (registry_is_reserved_id(nr->id)) {
		msg = arena_printf(a, "\"%s\" is an input problem, not a rule: %s cannot silence it",
				   nr->id, name);
		help = "fix the input instead";
	} else {
		msg = arena_printf(a, "unknown rule \"%s\" in %s", nr->id, name);
		help = "'pgsafe rules' lists the rule ids";
	}
	if (!msg || !help)
		return PGS_ERR_NOMEM;
	return report(l, in, IGNORE_ID_UNKNOWN_RULE, nr->start, nr->end, msg, help);
}

static int report_directive(struct diag_list *l, const struct ignore_input *in, struct arena *a,
			    const struct directive *d)
{
	const char *name = d->file_wide ? "pgsafe:ignore-file" : "pgsafe:ignore";
	int rc;
	if (!d->n_rules) {
		const char *msg = arena_printf(a, "%s names no rule", name);
		const char *help = arena_printf(a, "write the rule ids after it: -- %s RULE[,RULE...] reason",
						name);
		if (!msg || !help)
			return PGS_ERR_NOMEM;
		return report(l, in, IGNORE_ID_UNKNOWN_RULE, d->start, d->end, msg, help);
	}
	for (size_t i = 0; i < d->n_rules; i++)
		if (!d->rules[i].rule && (rc = report_unknown(l, in, a, name, &d->rules[i])))
			return rc;
	if (in->require_reason && !d->has_reason) {
		const char *msg = arena_printf(a, "%s without a reason", name);
		if (!msg)
			return PGS_ERR_NOMEM;
		if ((rc = report(l, in, IGNORE_ID_NO_REASON, d->start, d->end, msg,
				 "say why the finding is safe here, after the rule ids (require_ignore_reason is on in .pgsafe.yaml)")))
			return rc;
	}
	if (!d->file_wide && d->stmt == SIZE_MAX)
		return report(l, in, IGNORE_ID_UNUSED, d->start, d->end,
			      "pgsafe:ignore is not on the lines directly above a statement, so it silences nothing",
			      "move it to the line above the statement; a comment after a statement, on the same line, belongs to no statement");
	/* a statement that did not parse was not checked: nothing to call unused */
	if (!d->file_wide && in->stmts[d->stmt].status != STMT_PARSED)
		return PGS_OK;
	for (size_t i = 0; i < d->n_rules; i++) {
		const struct named_rule *nr = &d->rules[i];
		if (!nr->rule || nr->used || (in->rule_ran && !in->rule_ran(in->arg, nr->rule)))
			continue;
		const char *msg = arena_printf(a, "%s for \"%s\" silenced nothing", name, nr->id);
		const char *help = d->file_wide ?
			arena_printf(a, "the file has no \"%s\" finding: remove it from the comment", nr->id) :
			arena_printf(a, "the statement below has no \"%s\" finding: remove it from the comment",
				     nr->id);
		if (!msg || !help)
			return PGS_ERR_NOMEM;
		if ((rc = report(l, in, IGNORE_ID_UNUSED, nr->start, nr->end, msg, help)))
			return rc;
	}
	return PGS_OK;
}

int ignore_apply(struct diag_list *l, size_t first, const struct ignore_input *in,
		 struct arena *scratch)
{
	struct directives ds = { 0 };
	int rc;
	if ((rc = collect(in, scratch, &ds)))
		return rc;
	if (!ds.n)
		return PGS_OK;
	size_t n = l->n;
	for (size_t i = first; i < n; i++) {
		struct diag *dg = &l->items[i];
		/* only rules' findings: input problems and ignore's own are not silenced */
		if (!registry_find(dg->rule))
			continue;
		size_t stmt = stmt_at(in, dg->start_byte);
		for (size_t k = 0; k < ds.n; k++)
			if (silences(&ds.items[k], dg->rule, stmt))
				dg->suppressed = true;
	}
	for (size_t k = 0; k < ds.n; k++)
		if ((rc = report_directive(l, in, scratch, &ds.items[k])))
			return rc;
	return PGS_OK;
}
