/*
 * test_plugin.c - the plugins the loader tests load, one source for all:
 * meson builds it once per variant (-DVARIANT_<NAME>) as test_<name>.so.
 *
 *   probe           a well-formed plugin whose rule reports what every host
 *                   function answers, so a golden case checks the whole API
 *   future_minor    a newer minor ABI with a longer manifest: must load
 *   bad_major       abi_major + 1, every other field garbage: must be refused
 *                   without reading them
 *   bad_grammar     built "against" the PostgreSQL 16 grammar
 *   small_manifest  struct_size smaller than ABI 1.0's manifest
 *   null_manifest   pgsafe_plugin_manifest() returns NULL
 *   bad_id          a rule id outside the plugin's namespace
 *   clash           a second plugin named "naming"
 *   misuse          reports a message that is not UTF-8
 *   fails           a check that returns PGSAFE_ERR_FAILED without a word
 *   opt_in          a rule off unless a configuration enables it
 */
#include <pgsafe_plugin.h>

#include <string.h>

#if defined(VARIANT_PROBE) || defined(VARIANT_FUTURE_MINOR)

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static const char *txn_name(enum pgsafe_txn_kind k)
{
	return k == PGSAFE_TXN_EXPLICIT ? "explicit" : k == PGSAFE_TXN_IMPLICIT ? "implicit" : "none";
}

/* "a, b, c" of the relations one of the api's lists holds. */
static const char *list(struct pgsafe_ctx *ctx, size_t (*count)(struct pgsafe_ctx *),
			const char *(*item)(struct pgsafe_ctx *, size_t))
{
	const char *s = "";
	for (size_t i = 0; s && i < count(ctx); i++)
		s = ctx->api->format(ctx, "%s%s%s", s, i ? ", " : "", item(ctx, i));
	return s;
}

/* The first table the statement locks, and what the catalog knows of it. */
static const char *catalog(struct pgsafe_ctx *ctx)
{
	const struct pgsafe_api *api = ctx->api;
	if (!api->lock_count(ctx))
		return "no table";
	const char *rel = api->lock_relation(ctx, 0);
	const char *s = api->format(ctx, "%s exists=%s new=%s columns=[", rel,
				    yes(api->table_exists(ctx, rel)), yes(api->table_is_new(ctx, rel)));
	for (size_t i = 0; s && i < api->column_count(ctx, rel); i++)
		s = api->format(ctx, "%s%s%s %s%s", s, i ? ", " : "", api->column_name(ctx, rel, i),
				api->column_type(ctx, rel, i),
				api->column_not_null(ctx, rel, i) ? " not null" : "");
	return s ? api->format(ctx, "%s]", s) : NULL;
}

static int probe_check(struct pgsafe_ctx *ctx)
{
	const struct pgsafe_api *api = ctx->api;
	const char *locks = "";
	for (size_t i = 0; locks && i < api->lock_count(ctx); i++)
		locks = api->format(ctx, "%s%s%s %s", locks, i ? ", " : "", api->lock_relation(ctx, i),
				    api->lock_mode_sql(api->lock_mode(ctx, i)));
	const char *rewrites = list(ctx, api->rewrite_count, api->rewrite_relation);
	const char *scans = list(ctx, api->scan_count, api->scan_relation);
	const char *cat = catalog(ctx);
	const char *text = api->stmt_text(ctx);
	char *copy = api->alloc(ctx, 8);
	if (!locks || !rewrites || !scans || !cat || !text || !copy)
		return PGSAFE_ERR_NOMEM;
	memcpy(copy, "arena", 6);

	struct pgsafe_finding f = PGSAFE_FINDING_INIT;
	f.message = api->format(ctx,
		"kind=%s span=%zu-%zu text_bytes=%zu node=%s modeled=%s no_txn=%s locks=[%s] rewrites=[%s] scans=[%s] txn=%s lock_timeout=%ld statement_timeout=%ld pg=%d file=%s %s host_abi=%u.%u %s",
		api->stmt_kind(ctx), api->stmt_start(ctx), api->stmt_end(ctx), strlen(text),
		api->stmt_node(ctx) ? "yes" : "no", yes(api->modeled(ctx)),
		yes(api->needs_no_transaction(ctx)), locks, rewrites, scans,
		txn_name(api->txn_kind(ctx)), api->lock_timeout_ms(ctx),
		api->statement_timeout_ms(ctx), ctx->pg_version, api->file_path(ctx), cat,
		api->abi_major, api->abi_minor, copy);
	const char *opt = api->option(ctx, "label");
	f.help = opt ? api->format(ctx, "label=%s", opt) : "no label";
	if (!f.message || !f.help)
		return PGSAFE_ERR_NOMEM;
	return api->report(ctx, &f);
}

/* In finish there is no statement: everything statement-bound is empty. */
static int probe_finish(struct pgsafe_ctx *ctx)
{
	const struct pgsafe_api *api = ctx->api;
	struct pgsafe_finding f = PGSAFE_FINDING_INIT;
	f.message = api->format(ctx, "finish: node=%s kind=%s text=%s locks=%zu txn=%s",
				api->stmt_node(ctx) ? "yes" : "no", api->stmt_kind(ctx) ? "yes" : "no",
				api->stmt_text(ctx) ? "yes" : "no", api->lock_count(ctx),
				txn_name(api->txn_kind(ctx)));
	f.help = "finish runs once per file";
	if (!f.message)
		return PGSAFE_ERR_NOMEM;
	return api->report(ctx, &f);
}

static const struct pgsafe_rule probe = {
#if defined(VARIANT_PROBE)
	.id = "probe/api",
#else
	.id = "future/api",
#endif
	.summary = "reports what the host API answers for each statement",
	.rationale = "A test plugin: every host function, once per statement.",
	.safe_alternative = "-- nothing to do",
	.default_severity = PGSAFE_SEV_HINT,
	.min_pg_version = 11,          /* api_probe_pg10.sql: gated like a built-in rule */
	.check = probe_check,
	.finish = probe_finish,
};

static const struct pgsafe_rule *const rules[] = { &probe };

#if defined(VARIANT_PROBE)

static const struct pgsafe_option options[] = {
	{ "label", "a text echoed in the help line" },
};

static const struct pgsafe_plugin manifest = {
	PGSAFE_PLUGIN_VERSIONS,
	.name = "probe",
	.version = "0.0.1",
	.summary = "the host API, echoed",
	.rules = rules,
	.n_rules = 1,
	.options = options,
	.n_options = 1,
};

const struct pgsafe_plugin *pgsafe_plugin_manifest(void)
{
	return &manifest;
}

#else /* VARIANT_FUTURE_MINOR */

/* A manifest of a later minor version: the 1.0 fields, then fields this host does not know. */
static const struct {
	struct pgsafe_plugin m;
	const char *added_later[4];
} manifest = {
	.m = {
		.abi_major = PGSAFE_ABI_MAJOR,
		.abi_minor = PGSAFE_ABI_MINOR + 7,
		.struct_size = sizeof(struct pgsafe_plugin) + 4 * sizeof(const char *),
		.pg_grammar = PGSAFE_PG_GRAMMAR,
		.name = "future",
		.version = "9.9",
		.summary = "built against a newer minor version of the ABI",
		.rules = rules,
		.n_rules = 1,
	},
	.added_later = { "a", "b", "c", "d" },
};

const struct pgsafe_plugin *pgsafe_plugin_manifest(void)
{
	return &manifest.m;
}

#endif

#elif defined(VARIANT_BAD_MAJOR)

/* Only abi_major is meaningful; a host that reads further crashes on these. */
static const struct pgsafe_plugin manifest = {
	.abi_major = PGSAFE_ABI_MAJOR + 1,
	.abi_minor = 0xdeadbeef,
	.struct_size = 3,
	.pg_grammar = 99,
	.name = (const char *)16,
	.version = (const char *)16,
	.summary = (const char *)16,
	.rules = (const struct pgsafe_rule *const *)16,
	.n_rules = (size_t)-1,
};

const struct pgsafe_plugin *pgsafe_plugin_manifest(void)
{
	return &manifest;
}

#else /* the variants that differ in one field of an otherwise good plugin */

static int check(struct pgsafe_ctx *ctx)
{
#if defined(VARIANT_MISUSE)
	struct pgsafe_finding f = PGSAFE_FINDING_INIT;
	f.message = "bad byte \xff here";
	ctx->api->report(ctx, &f);   /* ignoring the status hides nothing */
	return PGSAFE_OK;
#elif defined(VARIANT_FAILS)
	(void)ctx;
	return PGSAFE_ERR_FAILED;
#elif defined(VARIANT_OPT_IN)
	struct pgsafe_finding f = PGSAFE_FINDING_INIT;
	f.message = "the opt-in rule ran";
	return ctx->api->report(ctx, &f);
#else
	(void)ctx;
	return PGSAFE_OK;
#endif
}

static const struct pgsafe_rule rule = {
#if defined(VARIANT_BAD_ID)
	.id = "not-namespaced",
#elif defined(VARIANT_CLASH)
	.id = "naming/index-name",
#else
	.id = "variant/rule",
#endif
	.summary = "a test rule",
	.rationale = "A test plugin.",
	.safe_alternative = "-- nothing",
	.default_severity = PGSAFE_SEV_WARNING,
#if defined(VARIANT_OPT_IN)
	.flags = PGSAFE_RULE_OPT_IN,
#endif
	.check = check,
};

static const struct pgsafe_rule *const rules[] = { &rule };

static const struct pgsafe_plugin manifest = {
	PGSAFE_PLUGIN_VERSIONS,
#if defined(VARIANT_BAD_GRAMMAR)
	.pg_grammar = 16,
#elif defined(VARIANT_SMALL_MANIFEST)
	.struct_size = 8,
#endif
#if defined(VARIANT_CLASH)
	.name = "naming",
#else
	.name = "variant",
#endif
	.version = "1",
	.summary = "a test plugin",
	.rules = rules,
	.n_rules = 1,
};

const struct pgsafe_plugin *pgsafe_plugin_manifest(void)
{
#if defined(VARIANT_NULL_MANIFEST)
	(void)manifest;
	return NULL;
#else
	return &manifest;
#endif
}

#endif
