/*
 * protected_tables.c - an example pgsafe plugin: tables that must never
 * wait behind a migration.
 *
 * Some tables are too hot for any lock that blocks the application: the
 * accounts table every request reads, the events table every request
 * writes. This plugin holds a list of such tables and flags every
 * statement that takes a lock stronger than SHARE UPDATE EXCLUSIVE on one
 * of them. SHARE UPDATE EXCLUSIVE is the strongest mode that blocks
 * neither reads nor writes (it conflicts only with schema changes, VACUUM
 * and index builds): CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT and
 * ANALYZE stay allowed; CREATE INDEX (SHARE, blocks writes), ADD FOREIGN
 * KEY (SHARE ROW EXCLUSIVE) and any ACCESS EXCLUSIVE ALTER TABLE do not
 * (PostgreSQL docs, "Explicit Locking", table 13.2).
 *
 * The plugin never decides a lock itself: it reads the locks pgsafe's lock
 * model computed for the statement (api->lock_count, lock_relation,
 * lock_mode). A table created earlier in the same migration is new and
 * empty, and nothing waits on it: it is exempt.
 *
 * The list: `--plugin-option protected-tables.tables=LIST`, or, when that
 * is not given, the environment variable PGSAFE_PROTECTED_TABLES. LIST is
 * comma-separated; an entry with a schema ("billing.accounts") matches that
 * table, an entry without one ("accounts") matches the table in any schema.
 * A run with the plugin loaded and no list stops with exit code 4 rather
 * than protect nothing in silence.
 */
#include <pgsafe_plugin.h>

#include <stdlib.h>
#include <string.h>

#define LIST_MAX_BYTES 8192

/* The configured list, or NULL. */
static const char *table_list(struct pgsafe_ctx *ctx)
{
	const char *list = ctx->api->option(ctx, "tables");
	if (!list)
		list = getenv("PGSAFE_PROTECTED_TABLES");
	return list;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Whether @relation ("schema.table", as pgsafe names relations) is on
 * @list. Entries are compared as written: PostgreSQL folds unquoted names
 * to lower case, and so should the list.
 */
static bool is_protected(const char *list, const char *relation)
{
	const char *dot = strchr(relation, '.');
	const char *bare = dot ? dot + 1 : relation;
	for (const char *p = list; *p; ) {
		while (is_space(*p) || *p == ',')
			p++;
		size_t l = strcspn(p, ",");
		size_t e = l;
		while (e && is_space(p[e - 1]))
			e--;
		if (e) {
			bool qualified = memchr(p, '.', e) != NULL;
			const char *against = qualified ? relation : bare;
			if (strlen(against) == e && !memcmp(against, p, e))
				return true;
		}
		p += l;
	}
	return false;
}

/* Whether @list has at least one entry, and no entry with more than one '.'. */
static bool list_is_valid(const char *list)
{
	bool any = false;
	for (const char *p = list; *p; ) {
		size_t l = strcspn(p, ",");
		int dots = 0;
		bool text = false;
		for (size_t i = 0; i < l; i++) {
			dots += p[i] == '.';
			text |= !is_space(p[i]);
		}
		if (dots > 1)
			return false;
		any |= text;
		p += l + (p[l] == ',');
	}
	return any;
}

static int check(struct pgsafe_ctx *ctx)
{
	const struct pgsafe_api *api = ctx->api;
	const char *list = table_list(ctx);
	if (!list)
		return api->fail(ctx, "no protected tables are configured: give --plugin-option protected-tables.tables=TABLE,... or set PGSAFE_PROTECTED_TABLES");
	if (strlen(list) > LIST_MAX_BYTES || !list_is_valid(list))
		return api->fail(ctx, "the protected table list is not a comma-separated list of tables (schema.table or table)");

	for (size_t i = 0; i < api->lock_count(ctx); i++) {
		const char *rel = api->lock_relation(ctx, i);
		enum pgsafe_lock_mode mode = api->lock_mode(ctx, i);
		if (mode <= PGSAFE_LOCK_SHARE_UPDATE_EXCLUSIVE || !is_protected(list, rel) ||
		    api->table_is_new(ctx, rel))
			continue;
		struct pgsafe_finding f = PGSAFE_FINDING_INIT;
		f.message = api->format(ctx,
			"statement locks protected table \"%s\" in %s mode, which blocks %s; protected tables allow at most SHARE UPDATE EXCLUSIVE",
			rel, api->lock_mode_sql(mode), api->lock_blocks(mode));
		f.help = "use a form that takes SHARE UPDATE EXCLUSIVE or weaker (CREATE INDEX "
			 "CONCURRENTLY, VALIDATE CONSTRAINT); a change that has none needs a window "
			 "agreed with the table's owners and an ignore comment that says so";
		f.relation = rel;
		f.lock = mode;
		if (!f.message)
			return PGSAFE_ERR_NOMEM;
		int rc = api->report(ctx, &f);
		if (rc)
			return rc;
	}
	return PGSAFE_OK;
}

static const struct pgsafe_rule lock_too_strong = {
	.id = "protected-tables/lock-too-strong",
	.summary = "a lock stronger than SHARE UPDATE EXCLUSIVE on a protected table",
	.rationale =
		"Protected tables are the ones the application cannot do without for even a few "
		"seconds. Any mode stronger than SHARE UPDATE EXCLUSIVE blocks writes (SHARE, SHARE "
		"ROW EXCLUSIVE, EXCLUSIVE) or reads and writes (ACCESS EXCLUSIVE), and while the "
		"statement waits for its lock, every later query on the table queues behind it. "
		"The lock modes are those pgsafe's lock model computes for the target PostgreSQL "
		"version.",
	.safe_alternative =
		"CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);\n"
		"ALTER TABLE accounts VALIDATE CONSTRAINT accounts_plan_id_fkey;\n"
		"-- ADD COLUMN and ADD CONSTRAINT (even NOT VALID) have no weaker form: agree on\n"
		"-- a window with the table's owners, then say so above the statement:\n"
		"-- pgsafe:ignore protected-tables/lock-too-strong agreed with the billing team for 2024-06-01",
	.bad_example = "CREATE INDEX accounts_email_idx ON accounts (email);",
	.good_example = "CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);",
	.default_severity = PGSAFE_SEV_ERROR,
	.check = check,
};

static const struct pgsafe_rule *const rules[] = { &lock_too_strong };

static const struct pgsafe_option options[] = {
	{ "tables", "comma-separated tables (schema.table, or table in any schema) to protect; default: $PGSAFE_PROTECTED_TABLES" },
};

static const struct pgsafe_plugin manifest = {
	PGSAFE_PLUGIN_VERSIONS,
	.name = "protected-tables",
	.version = "1.0.0",
	.summary = "tables that must never take a lock stronger than SHARE UPDATE EXCLUSIVE",
	.rules = rules,
	.n_rules = sizeof(rules) / sizeof(rules[0]),
	.options = options,
	.n_options = sizeof(options) / sizeof(options[0]),
};

const struct pgsafe_plugin *pgsafe_plugin_manifest(void)
{
	return &manifest;
}
