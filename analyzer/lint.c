/*
 * lint.c - the pipeline driver (lint.h).
 *
 * Order per statement matters: effects and rules see the catalog as it was
 * before the statement, then the statement is replayed into the catalog
 * and the transaction model. Input problems (unreadable, not UTF-8, NUL
 * bytes, empty, syntax errors) become diagnostics with reserved ids.
 */
#include "lint.h"

#include "fingerprint.h"
#include "framework.h"
#include "ignore.h"
#include "parse.h"
#include "plpgsql.h"
#include "registry.h"
#include "stats.h"
#include "../rules/rule.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lint_init(struct lint_run *r, const struct lint_options *opts)
{
	memset(r, 0, sizeof(*r));
	arena_init(&r->run);
	arena_init(&r->file);
	r->opts = *opts;
	r->base = *opts;
	schema_init(&r->schema, &r->run);
	diag_list_init(&r->diags, &r->run);
	r->rules = registry_rules(&r->n_rules);
}

void lint_release(struct lint_run *r)
{
	schema_release(&r->schema);
	arena_release(&r->file);
	arena_release(&r->run);
}

/* ---------------------------------------------------------------------
 * Rule context services (rule.h)
 * ------------------------------------------------------------------- */

struct host {
	struct lint_run *r;
	const struct source *src;
};

int rule_report(struct rule_ctx *ctx, const struct finding *f)
{
	struct host *h = ctx->host;
	struct lint_run *r = h->r;
	const struct analyzed_stmt *s = ctx->stmt;
	size_t start = f->start, end = f->end;
	if (!start && !end && s) {
		start = s->st->start;
		end = s->st->end;
	}
	/* the severity this file's configuration gives the rule (config.h) */
	struct diag *d = diag_add(&r->diags, h->src, h->src->path, ctx->rule->id,
				  config_rule_severity(&r->settings, ctx->rule), start, end,
				  f->message, f->help);
	if (!d)
		return PGS_ERR_NOMEM;
	if (s) {
		const char *rel = f->relation;
		enum pgs_lock_mode mode = f->lock;
		if (!rel) {
			for (size_t i = 0; i < s->fx.n_locks; i++)
				if (s->fx.locks[i].mode > mode) {
					mode = s->fx.locks[i].mode;
					rel = s->fx.locks[i].relation;
				}
		} else if (mode == PGS_LOCK_NONE) {
			mode = effects_lock_on(&s->fx, rel);
		}
		if (rel && mode != PGS_LOCK_NONE) {
			d->relation = arena_strdup(&r->run, rel);
			d->lock = mode;
			const char *dur = f->duration;
			if (!dur) {
				if (effects_rewrites(&s->fx, rel))
					dur = "a rewrite of the whole table";
				else if (effects_scans(&s->fx, rel))
					dur = "a full scan of the table";
				else
					dur = "a brief catalog change";
				if (s->txn.kind != TXN_NONE)
					dur = arena_printf(&r->run, "%s, then until the transaction ends", dur);
			}
			d->duration = arena_strdup(&r->run, dur);
		}
	}
	/* table sizes (--stats): a rewrite or scan of a small table is a hint (stats.h) */
	if (s && r->stats)
		stats_adjust(r->stats, &r->run, d, &s->fx);
	return r->run.failed ? PGS_ERR_NOMEM : PGS_OK;
}

/* Whether input number @file_index is part of the change under review. */
static bool file_is_changed(const struct lint_run *r, int file_index)
{
	return file_index >= 0 && (size_t)file_index < r->n_file_flags &&
	       (r->file_flags[file_index] & LINT_FILE_CHANGED);
}

bool rule_table_is_new(const struct rule_ctx *ctx, const char *relation)
{
	if (schema_table_is_new(ctx->schema, relation))
		return true;
	/*
	 * A table created by an earlier file that is itself part of the change
	 * (--changed-since, --with-context) is not deployed yet: new too
	 * (DESIGN.md, "new vs existing").
	 */
	const struct host *h = ctx->host;
	const struct sm_table *t = schema_table(ctx->schema, relation);
	return t && file_is_changed(h->r, t->created_in_file);
}

bool lint_table_is_new(const struct lint_run *r, const char *relation)
{
	const struct sm_table *t = schema_table(&r->schema, relation);
	return schema_table_is_new(&r->schema, relation) ||
	       (t && file_is_changed(r, t->created_in_file));
}

/*
 * Hands the analyzed statement to lint_options.on_stmt (the planner),
 * saying whether its file is read as context only.
 */
static int stmt_hook(struct lint_run *r, const struct source *src,
		     const struct analyzed_stmt *as, size_t index, bool down)
{
	if (!r->opts.on_stmt)
		return PGS_OK;
	struct lint_stmt_event ev = {
		.src = src, .stmt = as, .schema = &r->schema, .index = index,
		.file_index = r->file_index,
		.context = r->file_index >= 0 && (size_t)r->file_index < r->n_file_flags &&
			   (r->file_flags[r->file_index] & LINT_FILE_CONTEXT),
		.down = down,
	};
	return r->opts.on_stmt(r->opts.on_stmt_arg, r, &ev);
}

const char *rule_printf(struct rule_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = arena_vprintf(ctx->arena, fmt, ap);
	va_end(ap);
	return s ? s : "";
}

const char *rule_stmt_text(struct rule_ctx *ctx, const struct analyzed_stmt *s)
{
	struct host *h = ctx->host;
	return arena_strndup(ctx->arena, h->src->text + s->st->start, s->st->end - s->st->start);
}

/* ---------------------------------------------------------------------
 * The file loop
 * ------------------------------------------------------------------- */

static void input_problem(struct lint_run *r, const char *display, const struct source_error *e,
			  const struct source *src)
{
	struct diag *d = diag_add(&r->diags, NULL, display, e->id, PGS_SEV_ERROR, 0, 0, e->message,
				  NULL);
	if (d && src && e->line) {
		/* the text was read: point at the bad byte itself */
		d->start_byte = e->offset;
		d->end_byte = e->offset + 1 <= src->len ? e->offset + 1 : e->offset;
		source_position(src, d->start_byte, &d->start);
		source_position(src, d->end_byte, &d->end);
	}
	r->input_error = true;
	r->summary.files_with_errors++;
}

static bool is_blank(const char *t, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)t[i]))
			return false;
	return true;
}

static bool rule_applies(const struct lint_run *r, const struct rule *rule)
{
	if (rule->min_pg_version && r->opts.pg_version < rule->min_pg_version)
		return false;
	if (rule->max_pg_version && r->opts.pg_version > rule->max_pg_version)
		return false;
	/* off in this file's configuration, or opt-in and not enabled (config.h) */
	return config_rule_severity(&r->settings, rule) != PGS_SEV_NONE;
}

static bool rule_ran(const void *r, const struct rule *rule)
{
	return rule_applies(r, rule);
}

/*
 * The file's inline suppressions (ignore.h), then what its findings mean
 * for the exit status under the file's own fail_on.
 */
static int finish_findings(struct lint_run *r, const struct source *src,
			   const struct parsed_file *pf, size_t first)
{
	struct ignore_input in = {
		.src = src, .stmts = pf->stmts, .n_stmts = pf->n,
		.require_reason = r->opts.require_ignore_reason, .settings = &r->settings,
		.rule_ran = rule_ran, .arg = r,
	};
	int rc = ignore_apply(&r->diags, first, &in, &r->file);
	for (size_t i = first; i < r->diags.n; i++) {
		const struct diag *d = &r->diags.items[i];
		if (!d->suppressed && r->opts.fail_on != PGS_SEV_NONE && d->severity >= r->opts.fail_on)
			r->fails = true;
	}
	return rc;
}

static int summarize(struct lint_run *r, const struct source *src, const struct analyzed_stmt *as)
{
	struct arena *a = &r->run;
	struct stmt_summary s = { 0 };
	s.file = src->path;
	source_position(src, as->st->start, &s.start);
	source_position(src, as->st->end, &s.end);
	s.start_byte = as->st->start;
	s.end_byte = as->st->end;
	s.kind = arena_strdup(a, as->kind);
	s.txn_id = as->txn.id;
	s.txn_kind = as->txn.kind;
	s.modeled = as->fx.modeled;
	s.unmodeled_reason = as->fx.unmodeled_reason ? arena_strdup(a, as->fx.unmodeled_reason) : NULL;
	s.needs_no_transaction = as->fx.needs_no_transaction;
	if (as->fx.n_locks) {
		s.locks = arena_alloc(a, as->fx.n_locks * sizeof(*s.locks));
		for (size_t i = 0; s.locks && i < as->fx.n_locks; i++) {
			s.locks[i] = as->fx.locks[i];
			s.locks[i].relation = arena_strdup(a, as->fx.locks[i].relation);
		}
		s.n_locks = as->fx.n_locks;
	}
	if (as->fx.n_rewrites) {
		s.rewrites = arena_alloc(a, as->fx.n_rewrites * sizeof(char *));
		for (size_t i = 0; s.rewrites && i < as->fx.n_rewrites; i++)
			s.rewrites[i] = arena_strdup(a, as->fx.rewrites[i]);
		s.n_rewrites = as->fx.n_rewrites;
	}
	if (as->fx.n_scans) {
		s.scans = arena_alloc(a, as->fx.n_scans * sizeof(char *));
		for (size_t i = 0; s.scans && i < as->fx.n_scans; i++)
			s.scans[i] = arena_strdup(a, as->fx.scans[i]);
		s.n_scans = as->fx.n_scans;
	}
	if (a->failed || ARENA_PUSH(a, r->stmts, r->n_stmts, r->cap_stmts, s))
		return PGS_ERR_NOMEM;
	r->summary.statements++;
	if (!s.modeled)
		r->summary.not_modeled++;
	return PGS_OK;
}

static int report_syntax(struct lint_run *r, const struct source *src, const struct stmt *st)
{
	size_t at = st->error_offset;
	size_t end = at;
	/* underline the token at the error */
	while (end < st->end && end < src->len && !isspace((unsigned char)src->text[end]) &&
	       src->text[end] != ';')
		end++;
	if (end == at && at < src->len)
		end = at + 1;
	struct diag *d;
	if (st->newer_feature) {
		char msg[512], help[512];
		snprintf(msg, sizeof(msg),
			 "statement uses %s, which needs PostgreSQL %d; pgsafe parses with the PostgreSQL %d grammar (%s)",
			 st->newer_feature, st->newer_version, PGS_GRAMMAR_PG_MAJOR, st->error);
		snprintf(help, sizeof(help),
			 "pgsafe cannot analyze this statement; review its locks by hand, or keep it in a file of its own");
		d = diag_add(&r->diags, src, src->path, "unsupported-syntax", PGS_SEV_WARNING, at, end, msg, help);
	} else {
		char msg[512];
		size_t k = 0;
		/* PostgreSQL quotes the text at the error, line breaks and all: keep one line */
		for (const char *p = st->error; *p && k + 3 < sizeof(msg); p++) {
			if (*p == '\n' || *p == '\r') {
				msg[k++] = '\\';
				msg[k++] = *p == '\n' ? 'n' : 'r';
			} else {
				msg[k++] = *p;
			}
		}
		msg[k] = '\0';
		d = diag_add(&r->diags, src, src->path, "syntax-error", PGS_SEV_ERROR, at, end, msg,
			     "fix the syntax error; every other statement of the file was still analyzed");
	}
	return d ? PGS_OK : PGS_ERR_NOMEM;
}

static int run_rules(struct lint_run *r, const struct source *src, struct analyzed_stmt *all,
		     size_t index, size_t n, bool finish)
{
	struct host h = { r, src };
	for (size_t k = 0; k < r->n_rules; k++) {
		const struct rule *rule = r->rules[k];
		if (!rule_applies(r, rule))
			continue;
		if (finish ? !rule->finish : !rule->check)
			continue;
		struct rule_ctx ctx = {
			.rule = rule, .src = src, .stmt = finish ? NULL : &all[index], .stmts = all,
			.index = index, .n_stmts = n, .schema = &r->schema, .opts = &r->opts,
			.pg_version = r->opts.pg_version, .arena = &r->file, .host = &h,
		};
		int rc = finish ? rule->finish(&ctx) : rule->check(&ctx);
		if (rc)
			return rc;
	}
	return PGS_OK;
}

/*
 * Gives every diagnostic added since @first the hash of the statement it
 * points into, for fingerprints that survive lines added above it
 * (fingerprint.h). Statements are in source order: binary search.
 */
static void stamp_statement_hashes(struct lint_run *r, const struct source *src,
				   const struct parsed_file *pf, size_t first)
{
	for (size_t k = first; k < r->diags.n; k++) {
		struct diag *d = &r->diags.items[k];
		size_t lo = 0, hi = pf->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (pf->stmts[mid].start <= d->start_byte)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0)
			continue;
		const struct stmt *st = &pf->stmts[lo - 1];
		if (d->start_byte <= st->end && st->end <= src->len)
			d->stmt_hash = fingerprint_sql(src->text + st->start, st->end - st->start);
	}
}

/*
 * Analyzes one part of a file that its migration tool runs as a whole
 * (framework.h): @src is the file with everything outside the part
 * blanked, so positions are the file's own. A down part is checked
 * against the catalog as the up parts left it, and not replayed.
 */
static int lint_unit(struct lint_run *r, const struct source *src, const struct fw_unit *u)
{
	struct parsed_file pf;
	struct txmodel tx;
	int rc;

	if ((rc = parse_source(src, &r->file, &pf)))
		return rc;
	/*
	 * DO blocks: the statements each one runs follow it in @ex and are
	 * analyzed like any other, in one transaction (plpgsql.h). Suppression
	 * and statement hashes keep working on the statements as written (pf).
	 */
	struct parsed_file ex;
	struct stmt_origin *origin;
	if ((rc = plpgsql_expand_file(src, &pf, &r->file, &ex, &origin)))
		return rc;
	schema_begin_file(&r->schema, r->file_index);
	/* precedence: a directive, the command line, the configuration, the tool (framework.h) */
	bool cli_assume = r->opts.assume_in_transaction && (r->opts.given & LINT_GIVEN_ASSUME_IN_TRANSACTION);
	enum fw_txn configured = r->opts.configured_assume == 2 ? FW_TXN_WRAPPED :
		r->opts.configured_assume == 1 ? FW_TXN_NONE : FW_TXN_DEFAULT;
	txmodel_begin_file(&tx, &r->file,
			   framework_unit_wrapped(r->framework, u, cli_assume, configured, &pf,
						  r->opts.pg_version));

	struct analyzed_stmt *all = arena_alloc(&r->file, (ex.n ? ex.n : 1) * sizeof(*all));
	if (!all)
		return PGS_ERR_NOMEM;
	size_t first_diag = r->diags.n;
	for (size_t i = 0; i < ex.n; i++) {
		const struct stmt *st = &ex.stmts[i];
		const struct stmt_origin *o = &origin[i];
		struct analyzed_stmt *as = &all[i];
		as->st = st;
		as->do_block = o->do_block;
		txmodel_view(&tx, i, &as->txn);
		if (st->status == STMT_META) {
			as->kind = "psql meta-command";
			as->fx.modeled = false;
			as->fx.unmodeled_reason = "psql meta-commands are not SQL";
			size_t e = st->start;
			while (e < st->end && !isspace((unsigned char)src->text[e]))
				e++;
			char msg[160];
			snprintf(msg, sizeof(msg), "psql meta-command \"%.*s\" is skipped: pgsafe analyzes SQL only",
				 (int)(e - st->start > 40 ? 40 : e - st->start), src->text + st->start);
			if (!diag_add(&r->diags, src, src->path, "psql-meta-command", PGS_SEV_HINT,
				      st->start, e, msg, "it is counted as not modeled in the summary"))
				return PGS_ERR_NOMEM;
		} else if (st->status == STMT_SYNTAX_ERROR) {
			as->kind = st->newer_feature ? "unsupported syntax" : "syntax error";
			as->fx.modeled = false;
			as->fx.unmodeled_reason = st->newer_feature ? "syntax newer than PostgreSQL 15" :
				"syntax error";
			if ((rc = report_syntax(r, src, st)))
				return rc;
		} else if (o->kind == ORIGIN_DYNAMIC) {
			/* EXECUTE in a DO block: the SQL is built at run time */
			as->kind = o->what;
			as->fx.modeled = false;
			as->fx.unmodeled_reason = "EXECUTE in a DO block runs SQL built at run time, which pgsafe cannot see";
			if ((rc = run_rules(r, src, all, i, i + 1, false)) ||
			    (rc = txmodel_apply(&tx, NULL, &as->fx, i)) || (rc = stmt_hook(r, src, as, i, u->down)))
				return rc;
		} else {
			as->kind = parse_node_kind(st->node);
			struct effects_input in = {
				.schema = &r->schema, .pg_version = r->opts.pg_version,
				.loc_base = st->loc_base, .stmt_start = st->start,
			};
			bool do_expanded = o->kind == ORIGIN_DO && !o->unexpanded;
			if (do_expanded)
				as->fx.modeled = true;  /* the DO itself: its statements follow */
			else if ((rc = effects_compute(&in, &r->file, st->node, &as->fx)))
				return rc;
			if (o->kind == ORIGIN_DO && o->unexpanded)
				as->fx.unmodeled_reason = o->unexpanded;
			if ((rc = run_rules(r, src, all, i, i + 1, false)))
				return rc;
			if (do_expanded) {
				/* its statements run in one transaction, which the DO belongs to */
				txmodel_begin_do(&tx, i);
				as->txn.kind = tx.kind;
				as->txn.block_start = i;
			} else if ((rc = txmodel_apply(&tx, st->node, &as->fx, i))) {
				return rc;
			}
			/* BEGIN opens the block it belongs to */
			if (as->txn.kind == TXN_NONE && tx.kind == TXN_EXPLICIT)
				as->txn.kind = TXN_EXPLICIT;
			/* the planner sees the catalog as it was before the statement */
			if ((rc = stmt_hook(r, src, as, i, u->down)))
				return rc;
			struct source_pos at;
			source_position(src, st->start, &at);
			if (!u->down && (rc = schema_apply(&r->schema, st->node, at.line)))
				return rc;
		}
		/* a statement PostgreSQL would reject still ends an autocommit transaction */
		if (st->status != STMT_PARSED && (rc = txmodel_apply(&tx, NULL, NULL, i)))
			return rc;
		if (st->status != STMT_PARSED && (rc = stmt_hook(r, src, as, i, u->down)))
			return rc;
		if ((rc = summarize(r, src, as)))
			return rc;
		if (o->last_in_do)
			txmodel_end_do(&tx);
	}
	if ((rc = run_rules(r, src, all, ex.n, ex.n, true)))
		return rc;
	stamp_statement_hashes(r, src, &pf, first_diag);
	txmodel_end_file(&tx);
	return finish_findings(r, src, &pf, first_diag);
}

static int lint_source(struct lint_run *r, const struct source *src)
{
	struct fw_split parts;
	int rc;

	r->summary.files++;
	if (is_blank(src->text, src->len)) {
		struct source_error e = { .id = "input-empty", .line = 0, .column = 0 };
		snprintf(e.message, sizeof(e.message), "file is empty: there is no migration to check");
		input_problem(r, src->path, &e, NULL);
		return PGS_OK;
	}
	/* the up and down parts the migration tool runs (framework.h) */
	if ((rc = framework_split(r->framework, src, r->opts.include_down, &r->file, &parts)))
		return rc;
	for (size_t i = 0; i < parts.n; i++) {
		struct source part = *src;
		part.text = parts.units[i].text;
		if ((rc = lint_unit(r, &part, &parts.units[i])))
			return rc;
	}
	return PGS_OK;
}

/* Records @flags for the input about to be analyzed (index r->file_index). */
static int note_file_flags(struct lint_run *r, unsigned flags)
{
	while (r->n_file_flags < (size_t)r->file_index)
		if (ARENA_PUSH(&r->run, r->file_flags, r->n_file_flags, r->cap_file_flags, 0))
			return PGS_ERR_NOMEM;
	if (ARENA_PUSH(&r->run, r->file_flags, r->n_file_flags, r->cap_file_flags,
		       (unsigned char)flags))
		return PGS_ERR_NOMEM;
	return PGS_OK;
}

int lint_file_as(struct lint_run *r, const char *path, const char *display, unsigned flags)
{
	if (note_file_flags(r, flags))
		return PGS_ERR_NOMEM;
	if (!(flags & LINT_FILE_CONTEXT))
		return lint_file(r, path, display);
	/*
	 * Context: the file feeds the catalog, and everything it would add to
	 * the report (findings, statements, counts, input problems) is dropped.
	 */
	size_t n_diags = r->diags.n, n_stmts = r->n_stmts, n_inputs = r->n_inputs;
	struct lint_summary summary = r->summary;
	bool input_error = r->input_error, fails = r->fails;
	int rc = lint_file(r, path, display);
	r->diags.n = n_diags;
	r->n_stmts = n_stmts;
	r->n_inputs = n_inputs;
	r->summary = summary;
	r->input_error = input_error;
	r->fails = fails;
	return rc;
}

/*
 * The settings of the input at @where from its .pgsafe.yaml (config.h):
 * opts become the options as given with the configuration applied, and
 * r->settings keeps its rule severities for run_rules() and rule_report().
 * Sets *skip when the configuration excludes the input.
 */
static int begin_file(struct lint_run *r, const char *where, bool *skip)
{
	int rc = config_set_lookup(r->base.configs, where, &r->file, &r->settings, &r->config_error);
	if (rc)
		return rc;
	r->opts = r->base;
	config_apply(&r->settings, &r->opts);
	*skip = r->settings.excluded;
	if (*skip) {
		r->summary.excluded++;
		r->file_index++;
	}
	return PGS_OK;
}

/*
 * One input: its configuration, then its text from @path (a file, or "-")
 * or, when @text is not NULL, from memory, then the pipeline. Input
 * problems become diagnostics; only failures are returned.
 */
static int lint_input(struct lint_run *r, const char *path, const char *display,
		      const char *text, size_t len)
{
	struct source src;
	struct source_error err = { 0 };
	bool skip;
	int rc;

	arena_reset(&r->file);
	if ((rc = begin_file(r, text || !strcmp(path, "-") ? display : path, &skip)) || skip)
		return rc;
	r->diags.file_order = r->file_index;
	const char *shown = arena_strdup(&r->run, display);
	if (!shown || ARENA_PUSH(&r->run, r->inputs, r->n_inputs, r->cap_inputs, shown))
		return PGS_ERR_NOMEM;
	rc = text ? source_from_buffer(&src, &r->file, shown, text, len, &err) :
		source_read(&src, &r->file, path, shown, r->opts.max_file_bytes, &err);
	if (rc == PGS_ERR_IO || rc == PGS_ERR_INPUT) {
		r->summary.files++;
		input_problem(r, shown, &err, src.text ? &src : NULL);
		r->file_index++;
		return PGS_OK;
	}
	if (rc)
		return rc;
	rc = lint_source(r, &src);
	r->file_index++;
	return rc;
}

int lint_file(struct lint_run *r, const char *path, const char *display)
{
	return lint_input(r, path, display, NULL, 0);
}

int lint_buffer(struct lint_run *r, const char *display, const char *text, size_t len)
{
	return lint_input(r, NULL, display, text, len);
}

void lint_finish(struct lint_run *r)
{
	diag_sort(&r->diags);
	r->summary.errors = diag_count(&r->diags, PGS_SEV_ERROR);
	r->summary.warnings = diag_count(&r->diags, PGS_SEV_WARNING);
	r->summary.hints = diag_count(&r->diags, PGS_SEV_HINT);
	r->summary.suppressed = 0;
	for (size_t i = 0; i < r->diags.n; i++)
		if (r->diags.items[i].suppressed)
			r->summary.suppressed++;
}
