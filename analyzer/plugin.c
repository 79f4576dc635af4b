/*
 * plugin.c - the plugin loader and the host's side of the plugin ABI
 * (plugin.h, plugins/pgsafe_plugin.h).
 *
 * Loading is a sequence of checks, each of which reads only what the
 * previous one proved safe to read: the file exists; dlopen() accepts it;
 * it exports pgsafe_plugin_manifest(); the manifest's abi_major is ours
 * (and nothing else is read when it is not); struct_size covers ABI 1.0's
 * manifest; the grammar is ours; then the name, every rule descriptor and
 * every option are validated, strings included (UTF-8, bounded), because
 * they end up in JSON, SARIF and terminals. Any failure closes the file.
 *
 * A loaded plugin rule becomes a `struct plugin_rule`: a built-in `struct
 * rule` (its first member, so the registry and lint.c handle it like any
 * other rule) whose check and finish are the trampolines below. A
 * trampoline builds a struct pgsafe_ctx around lint.c's struct rule_ctx
 * and calls the plugin; the api table's functions translate each question
 * into the analyzer's own (rule.h, lockmodel.h, schema.h).
 */
#include "plugin.h"

#include "registry.h"
#include "source.h"
#include "../plugins/pgsafe_plugin.h"
#include "../rules/rule.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * The built-in descriptor and the public one are one definition
 * (PGSAFE_RULE_FIELDS); the two vocabularies must number alike.
 */
_Static_assert(sizeof(struct rule) == sizeof(struct pgsafe_rule), "rule descriptors differ");
_Static_assert(offsetof(struct rule, check) == offsetof(struct pgsafe_rule, check),
	       "rule descriptors differ");
_Static_assert(offsetof(struct rule, finish) == offsetof(struct pgsafe_rule, finish),
	       "rule descriptors differ");
_Static_assert((int)RULE_OPT_IN == (int)PGSAFE_RULE_OPT_IN, "flags differ");
_Static_assert((int)PGS_SEV_HINT == (int)PGSAFE_SEV_HINT &&
	       (int)PGS_SEV_WARNING == (int)PGSAFE_SEV_WARNING &&
	       (int)PGS_SEV_ERROR == (int)PGSAFE_SEV_ERROR, "severities differ");
_Static_assert((int)PGS_LOCK_ACCESS_SHARE == (int)PGSAFE_LOCK_ACCESS_SHARE &&
	       (int)PGS_LOCK_SHARE_UPDATE_EXCLUSIVE == (int)PGSAFE_LOCK_SHARE_UPDATE_EXCLUSIVE &&
	       (int)PGS_LOCK_ACCESS_EXCLUSIVE == (int)PGSAFE_LOCK_ACCESS_EXCLUSIVE, "lock modes differ");
_Static_assert((int)TXN_NONE == (int)PGSAFE_TXN_NONE && (int)TXN_EXPLICIT == (int)PGSAFE_TXN_EXPLICIT &&
	       (int)TXN_IMPLICIT == (int)PGSAFE_TXN_IMPLICIT, "transaction kinds differ");
_Static_assert(PGSAFE_PG_GRAMMAR == PGS_GRAMMAR_PG_MAJOR, "libpg_query is not the grammar pgsafe expects");

/* The end of the last field each structure had in ABI 1.0: the least a plugin may hand over. */
#define MANIFEST_SIZE_1_0 (offsetof(struct pgsafe_plugin, n_options) + sizeof(size_t))
#define FINDING_SIZE_1_0 (offsetof(struct pgsafe_finding, lock) + sizeof(enum pgsafe_lock_mode))

#define NAME_MAX_BYTES 32
#define RULE_ID_MAX_BYTES 96
#define MAX_ALIASES 16

struct plugin {
	struct plugin_set *set;
	void *handle;
	const char *path;              /* as resolved, for messages */
	const char *real;              /* realpath(), to load each file once */
	const struct pgsafe_plugin *manifest;
	uint32_t minor;                /* the plugin's abi_minor */
	struct plugin_rule *rules;
	size_t n_rules;
};

struct plugin_rule {
	struct rule rule;              /* first: what the registry hands out */
	const struct pgsafe_rule *pub;
	struct plugin *plugin;
};

struct plugin_option_value {
	const char *plugin;            /* points into the argument */
	size_t plugin_len;
	const char *name;
	size_t name_len;
	const char *value;
};

/* One call of a plugin rule: what the api functions reach through ctx->host. */
struct call {
	struct rule_ctx *rc;
	const struct plugin_rule *pr;
	bool misused;                  /* the rule broke the API's contract */
	bool failed;                   /* the rule called api->fail() */
};

static int plugin_rule_check(struct rule_ctx *rc);
static int plugin_rule_finish(struct rule_ctx *rc);

/* ---------------------------------------------------------------------
 * The set
 * ------------------------------------------------------------------- */

void plugin_set_init(struct plugin_set *ps)
{
	memset(ps, 0, sizeof(*ps));
	arena_init(&ps->arena);
}

void plugin_set_release(struct plugin_set *ps)
{
	if (ps->active)
		registry_use(NULL, 0);
	for (size_t i = ps->n; i-- > 0; )
		dlclose(ps->items[i]->handle);
	arena_release(&ps->arena);
	memset(ps, 0, sizeof(*ps));
}

size_t plugin_set_count(const struct plugin_set *ps)
{
	return ps->n;
}

const char *plugin_name(const struct plugin_set *ps, size_t i)
{
	return ps->items[i]->manifest->name;
}

const char *plugin_version(const struct plugin_set *ps, size_t i)
{
	return ps->items[i]->manifest->version;
}

const char *plugin_path(const struct plugin_set *ps, size_t i)
{
	return ps->items[i]->path;
}

static void fail(struct plugin_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct plugin_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------------
 * Finding the file
 * ------------------------------------------------------------------- */

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * The path to hand to dlopen(). It always contains a '/': dlopen() would
 * search the system's library directories for a bare name, and a plugin
 * named in a configuration must never resolve to something installed.
 */
static const char *resolve(struct arena *a, const char *spec, const char *base_dir,
			   struct plugin_error *err)
{
	if (!*spec) {
		fail(err, "plugin path is empty");
		return NULL;
	}
	const char *path;
	if (spec[0] == '/')
		path = spec;
	else if (base_dir)
		path = arena_printf(a, "%s/%s", base_dir, spec);
	else
		path = strchr(spec, '/') ? spec : arena_printf(a, "./%s", spec);
	if (!path || strchr(spec, '/') || is_file(path))
		return path;
	/* a bare name that is no file here: PGSAFE_PLUGIN_PATH, the runner's setting */
	const char *dirs = getenv("PGSAFE_PLUGIN_PATH");
	for (const char *p = dirs; p && *p; ) {
		const char *colon = strchr(p, ':');
		size_t l = colon ? (size_t)(colon - p) : strlen(p);
		if (l) {
			const char *c1 = arena_printf(a, "%.*s/%s", (int)l, p, spec);
			const char *c2 = arena_printf(a, "%.*s/%s.so", (int)l, p, spec);
			if (!c1 || !c2)
				return NULL;
			if (is_file(c1))
				return c1[0] == '/' ? c1 : arena_printf(a, "./%s", c1);
			if (is_file(c2))
				return c2[0] == '/' ? c2 : arena_printf(a, "./%s", c2);
		}
		p = colon ? colon + 1 : p + l;
	}
	fail(err, "cannot find plugin \"%s\": no such file in %s%s", spec,
	     base_dir ? base_dir : "the current directory",
	     dirs && *dirs ? " or in PGSAFE_PLUGIN_PATH" : " (and PGSAFE_PLUGIN_PATH is not set)");
	return NULL;
}

/* ---------------------------------------------------------------------
 * Validating the manifest
 * ------------------------------------------------------------------- */

/* Whether @s is a NUL-terminated UTF-8 string of at most @max bytes, without control characters but newlines. */
static bool is_text(const char *s, size_t max, bool multiline)
{
	if (!s)
		return false;
	size_t len = strnlen(s, max + 1);
	if (len > max)
		return false;
	for (size_t i = 0; i < len; ) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && !(multiline && (c == '\n' || c == '\t')))
			return false;
		size_t n = utf8_sequence_length((const unsigned char *)s + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

static bool is_kebab(const char *s, size_t max)
{
	size_t len = strnlen(s, max + 1);
	if (!len || len > max || s[0] == '-' || s[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
		if (s[i] == '-' && s[i + 1] == '-')
			return false;
	}
	return true;
}

/* Checks one rule descriptor of plugin @p; fills @err and returns false when it is unusable. */
static bool check_rule(const struct plugin *p, size_t i, const struct pgsafe_rule *r,
		       struct plugin_error *err)
{
	const char *name = p->manifest->name;
	size_t nl = strlen(name);
	if (!r) {
		fail(err, "plugin \"%s\" is invalid: rule %zu is NULL", p->path, i);
		return false;
	}
	if (!r->id || !is_text(r->id, RULE_ID_MAX_BYTES, false)) {
		fail(err, "plugin \"%s\" is invalid: rule %zu has no id (or one that is not short text)",
		     p->path, i);
		return false;
	}
	if (strncmp(r->id, name, nl) || r->id[nl] != '/' || !is_kebab(r->id + nl + 1, RULE_ID_MAX_BYTES)) {
		fail(err, "plugin \"%s\" is invalid: rule id \"%s\" is not \"%s/\" followed by a kebab-case name",
		     p->path, r->id, name);
		return false;
	}
	const char *bad = NULL;
	if (!is_text(r->summary, PLUGIN_MAX_MESSAGE, false))
		bad = "summary";
	else if (!is_text(r->rationale, PLUGIN_MAX_TEXT, true))
		bad = "rationale";
	else if (!is_text(r->safe_alternative, PLUGIN_MAX_TEXT, true))
		bad = "safe_alternative";
	else if (r->bad_example && !is_text(r->bad_example, PLUGIN_MAX_TEXT, true))
		bad = "bad_example";
	else if (r->good_example && !is_text(r->good_example, PLUGIN_MAX_TEXT, true))
		bad = "good_example";
	else if (r->peers && !is_text(r->peers, PLUGIN_MAX_MESSAGE, false))
		bad = "peers";
	if (bad) {
		fail(err, "plugin \"%s\" is invalid: rule \"%s\" has no %s, or one that is not UTF-8 text of at most %d bytes",
		     p->path, r->id, bad, !strcmp(bad, "summary") || !strcmp(bad, "peers") ?
		     PLUGIN_MAX_MESSAGE : PLUGIN_MAX_TEXT);
		return false;
	}
	if ((int)r->default_severity < PGSAFE_SEV_HINT || (int)r->default_severity > PGSAFE_SEV_ERROR) {
		fail(err, "plugin \"%s\" is invalid: rule \"%s\" has default_severity %d, not a PGSAFE_SEV_* value",
		     p->path, r->id, (int)r->default_severity);
		return false;
	}
	if (r->min_pg_version < 0 || r->max_pg_version < 0 ||
	    (r->min_pg_version && r->max_pg_version && r->min_pg_version > r->max_pg_version)) {
		fail(err, "plugin \"%s\" is invalid: rule \"%s\" applies to PostgreSQL %d to %d",
		     p->path, r->id, r->min_pg_version, r->max_pg_version);
		return false;
	}
	if (r->flags & ~(unsigned)PGSAFE_RULE_OPT_IN) {
		fail(err, "plugin \"%s\" uses rule flags 0x%x that this pgsafe does not know (plugin ABI %u.%u, pgsafe ABI %d.%d)",
		     p->path, r->flags & ~(unsigned)PGSAFE_RULE_OPT_IN, p->manifest->abi_major, p->minor,
		     PGSAFE_ABI_MAJOR, PGSAFE_ABI_MINOR);
		return false;
	}
	if (r->example_setup && !is_text(r->example_setup, PLUGIN_MAX_TEXT, true)) {
		fail(err, "plugin \"%s\" is invalid: rule \"%s\" has an example_setup that is not UTF-8 text of at most %d bytes",
		     p->path, r->id, PLUGIN_MAX_TEXT);
		return false;
	}
	for (size_t k = 0; r->aliases && r->aliases[k]; k++) {
		const char *al = r->aliases[k];
		if (k >= MAX_ALIASES || strnlen(al, RULE_ID_MAX_BYTES + 1) > RULE_ID_MAX_BYTES ||
		    strncmp(al, name, nl) || al[nl] != '/' || !is_kebab(al + nl + 1, RULE_ID_MAX_BYTES)) {
			fail(err, "plugin \"%s\" is invalid: rule \"%s\" has more than %d aliases, or one that is not \"%s/\" followed by a kebab-case name",
			     p->path, r->id, MAX_ALIASES, name);
			return false;
		}
	}
	if (!r->check && !r->finish) {
		fail(err, "plugin \"%s\" is invalid: rule \"%s\" has neither check nor finish", p->path, r->id);
		return false;
	}
	for (size_t k = 0; k < i; k++)
		if (!strcmp(p->manifest->rules[k]->id, r->id)) {
			fail(err, "plugin \"%s\" is invalid: rule \"%s\" appears twice", p->path, r->id);
			return false;
		}
	return true;
}

/* The checks after the versions: names, rules, options. */
static bool check_manifest(const struct plugin *p, struct plugin_error *err)
{
	const struct pgsafe_plugin *m = p->manifest;
	if (!m->name || !is_text(m->name, NAME_MAX_BYTES, false) || !is_kebab(m->name, NAME_MAX_BYTES) ||
	    !(m->name[0] >= 'a' && m->name[0] <= 'z')) {
		fail(err, "plugin \"%s\" is invalid: its name must be lower-case letters, digits and '-', starting with a letter, at most %d bytes",
		     p->path, NAME_MAX_BYTES);
		return false;
	}
	if (!is_text(m->version, 64, false) || !is_text(m->summary, PLUGIN_MAX_MESSAGE, false)) {
		fail(err, "plugin \"%s\" is invalid: its version and summary must be one-line UTF-8 text",
		     p->path);
		return false;
	}
	if (!m->rules || m->n_rules == 0 || m->n_rules > PLUGIN_MAX_RULES) {
		fail(err, "plugin \"%s\" is invalid: it must have 1 to %d rules, not %zu", p->path,
		     PLUGIN_MAX_RULES, m->rules ? m->n_rules : 0);
		return false;
	}
	for (size_t i = 0; i < m->n_rules; i++)
		if (!check_rule(p, i, m->rules[i], err))
			return false;
	if (m->n_options > PLUGIN_MAX_OPTIONS || (m->n_options && !m->options)) {
		fail(err, "plugin \"%s\" is invalid: its option list is malformed", p->path);
		return false;
	}
	for (size_t i = 0; i < m->n_options; i++) {
		const struct pgsafe_option *o = &m->options[i];
		if (!o->name || !is_kebab(o->name, NAME_MAX_BYTES) ||
		    !is_text(o->summary, PLUGIN_MAX_MESSAGE, false)) {
			fail(err, "plugin \"%s\" is invalid: option %zu needs a kebab-case name and a one-line summary",
			     p->path, i);
			return false;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(m->options[k].name, o->name)) {
				fail(err, "plugin \"%s\" is invalid: option \"%s\" appears twice", p->path, o->name);
				return false;
			}
	}
	return true;
}

/* Wraps the plugin's rules in built-in descriptors (see the file comment). */
static int wrap_rules(struct plugin *p)
{
	const struct pgsafe_plugin *m = p->manifest;
	p->rules = arena_alloc(&p->set->arena, m->n_rules * sizeof(*p->rules));
	if (!p->rules)
		return PGS_ERR_NOMEM;
	for (size_t i = 0; i < m->n_rules; i++) {
		const struct pgsafe_rule *r = m->rules[i];
		struct plugin_rule *w = &p->rules[i];
		w->pub = r;
		w->plugin = p;
		w->rule = (struct rule){
			.id = r->id, .summary = r->summary, .rationale = r->rationale,
			.safe_alternative = r->safe_alternative, .bad_example = r->bad_example,
			.good_example = r->good_example, .peers = r->peers,
			.default_severity = (enum pgs_severity)r->default_severity,
			.min_pg_version = r->min_pg_version, .max_pg_version = r->max_pg_version,
			.flags = r->flags,
			.check = r->check ? plugin_rule_check : NULL,
			.finish = r->finish ? plugin_rule_finish : NULL,
			.aliases = r->aliases, .example_setup = r->example_setup,
		};
	}
	p->n_rules = m->n_rules;
	return PGS_OK;
}

/* ---------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------- */

int plugin_load(struct plugin_set *ps, const char *spec, const char *base_dir,
		struct plugin_error *err)
{
	struct arena *a = &ps->arena;
	const char *path = resolve(a, spec, base_dir, err);
	if (!path)
		return a->failed ? PGS_ERR_NOMEM : PGS_ERR_PLUGIN;
	struct stat st;
	if (stat(path, &st)) {
		fail(err, "cannot load plugin \"%s\": %s", path, strerror(errno));
		return PGS_ERR_PLUGIN;
	}
	if (!S_ISREG(st.st_mode)) {
		fail(err, "cannot load plugin \"%s\": not a regular file", path);
		return PGS_ERR_PLUGIN;
	}
	char real[PATH_MAX];
	if (!realpath(path, real)) {
		fail(err, "cannot load plugin \"%s\": %s", path, strerror(errno));
		return PGS_ERR_PLUGIN;
	}
	for (size_t i = 0; i < ps->n; i++)
		if (!strcmp(ps->items[i]->real, real))
			return PGS_OK;   /* named twice (command line and configuration) */
	if (ps->n >= PLUGIN_MAX) {
		fail(err, "cannot load plugin \"%s\": at most %d plugins can be loaded", path, PLUGIN_MAX);
		return PGS_ERR_PLUGIN;
	}

	struct plugin *p = arena_alloc(a, sizeof(*p));
	if (!p || !(p->path = arena_strdup(a, path)) || !(p->real = arena_strdup(a, real)))
		return PGS_ERR_NOMEM;
	p->set = ps;
	dlerror();
	p->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!p->handle) {
		const char *why = dlerror();
		fail(err, "cannot load plugin \"%s\": %s", path, why ? why : "dlopen failed");
		return PGS_ERR_PLUGIN;
	}
	/*
	 * POSIX makes dlsym()'s result for a function usable as a function
	 * pointer; ISO C does not define that cast, so copy the bytes.
	 */
	void *sym = dlsym(p->handle, "pgsafe_plugin_manifest");
	if (!sym) {
		fail(err, "\"%s\" is not a pgsafe plugin: it does not export pgsafe_plugin_manifest()", path);
		goto out_close;
	}
	pgsafe_manifest_fn get;
	memcpy(&get, &sym, sizeof(get));
	const struct pgsafe_plugin *m = get();
	if (!m) {
		fail(err, "plugin \"%s\" returned no manifest", path);
		goto out_close;
	}
	/* abi_major first, and nothing else unless it is ours */
	if (m->abi_major != PGSAFE_ABI_MAJOR) {
		fail(err, "plugin \"%s\" was built for plugin ABI %u; this pgsafe (%s) loads ABI %d plugins (it provides %d.%d): rebuild the plugin against this pgsafe's pgsafe_plugin.h",
		     path, m->abi_major, PGSAFE_VERSION, PGSAFE_ABI_MAJOR, PGSAFE_ABI_MAJOR, PGSAFE_ABI_MINOR);
		goto out_close;
	}
	if (m->struct_size < MANIFEST_SIZE_1_0) {
		fail(err, "plugin \"%s\" is invalid: its manifest is %u bytes, ABI %d.0's is %zu (plugin ABI %u.%u, pgsafe ABI %d.%d)",
		     path, m->struct_size, PGSAFE_ABI_MAJOR, (size_t)MANIFEST_SIZE_1_0, m->abi_major,
		     m->abi_minor, PGSAFE_ABI_MAJOR, PGSAFE_ABI_MINOR);
		goto out_close;
	}
	if (m->pg_grammar != PGS_GRAMMAR_PG_MAJOR) {
		fail(err, "plugin \"%s\" was built against the PostgreSQL %u grammar (libpg_query %u); this pgsafe parses with the PostgreSQL %d grammar: rebuild it against libpg_query %d",
		     path, m->pg_grammar, m->pg_grammar, PGS_GRAMMAR_PG_MAJOR, PGS_GRAMMAR_PG_MAJOR);
		goto out_close;
	}
	p->manifest = m;
	p->minor = m->abi_minor;
	if (!check_manifest(p, err))
		goto out_close;
	for (size_t i = 0; i < ps->n; i++)
		if (!strcmp(ps->items[i]->manifest->name, m->name)) {
			fail(err, "plugins \"%s\" and \"%s\" are both named \"%s\": rule ids would clash",
			     ps->items[i]->path, path, m->name);
			goto out_close;
		}
	for (size_t i = 0; i < m->n_rules; i++)
		if (registry_find(m->rules[i]->id)) {
			fail(err, "plugin \"%s\" is invalid: rule \"%s\" is already defined", path,
			     m->rules[i]->id);
			goto out_close;
		}
	if (wrap_rules(p) || ARENA_PUSH(a, ps->items, ps->n, ps->cap, p)) {
		dlclose(p->handle);
		return PGS_ERR_NOMEM;
	}
	return PGS_OK;

out_close:
	dlclose(p->handle);
	return PGS_ERR_PLUGIN;
}

/* ---------------------------------------------------------------------
 * Options and activation
 * ------------------------------------------------------------------- */

int plugin_set_option(struct plugin_set *ps, const char *arg, struct plugin_error *err)
{
	const char *dot = strchr(arg, '.');
	const char *eq = strchr(arg, '=');
	if (!dot || !eq || dot > eq || dot == arg || eq == dot + 1) {
		fail(err, "--plugin-option \"%s\" is not PLUGIN.NAME=VALUE", arg);
		return PGS_ERR_USAGE;
	}
	if (ps->n_options >= PLUGIN_MAX_OPTIONS) {
		fail(err, "at most %d --plugin-option values can be given", PLUGIN_MAX_OPTIONS);
		return PGS_ERR_USAGE;
	}
	struct plugin_option_value v = {
		.plugin = arg, .plugin_len = (size_t)(dot - arg),
		.name = dot + 1, .name_len = (size_t)(eq - dot - 1), .value = eq + 1,
	};
	for (size_t i = 0; i < ps->n_options; i++) {
		const struct plugin_option_value *o = &ps->options[i];
		if (o->plugin_len == v.plugin_len && o->name_len == v.name_len &&
		    !memcmp(o->plugin, v.plugin, v.plugin_len) && !memcmp(o->name, v.name, v.name_len)) {
			fail(err, "--plugin-option \"%.*s\" is given twice", (int)(eq - arg), arg);
			return PGS_ERR_USAGE;
		}
	}
	if (ARENA_PUSH(&ps->arena, ps->options, ps->n_options, ps->cap_options, v))
		return PGS_ERR_NOMEM;
	return PGS_OK;
}

static const struct plugin *find_plugin(const struct plugin_set *ps, const char *name, size_t len)
{
	for (size_t i = 0; i < ps->n; i++) {
		const char *n = ps->items[i]->manifest->name;
		if (strlen(n) == len && !memcmp(n, name, len))
			return ps->items[i];
	}
	return NULL;
}

static bool declares(const struct pgsafe_plugin *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->n_options; i++)
		if (strlen(m->options[i].name) == len && !memcmp(m->options[i].name, name, len))
			return true;
	return false;
}

static int cmp_rules(const void *a, const void *b)
{
	return strcmp((*(const struct rule *const *)a)->id, (*(const struct rule *const *)b)->id);
}

int plugin_set_check_options(const struct plugin_set *ps, struct plugin_error *err)
{
	for (size_t i = 0; i < ps->n_options; i++) {
		const struct plugin_option_value *o = &ps->options[i];
		const struct plugin *p = find_plugin(ps, o->plugin, o->plugin_len);
		if (!p) {
			fail(err, "--plugin-option names plugin \"%.*s\", which is not loaded",
			     (int)o->plugin_len, o->plugin);
			return PGS_ERR_USAGE;
		}
		if (!declares(p->manifest, o->name, o->name_len)) {
			fail(err, "plugin \"%s\" has no option \"%.*s\"%s", p->manifest->name,
			     (int)o->name_len, o->name,
			     p->manifest->n_options ? " (see 'pgsafe explain' of its rules)" : "");
			return PGS_ERR_USAGE;
		}
	}
	return PGS_OK;
}

int plugin_set_activate(struct plugin_set *ps)
{
	if (!ps->n)
		return PGS_OK;
	size_t n_builtin, n = 0;
	registry_use(NULL, 0);   /* the built-in table, whatever an earlier call made */
	const struct rule *const *builtin = registry_rules(&n_builtin);
	size_t total = n_builtin;
	for (size_t i = 0; i < ps->n; i++)
		total += ps->items[i]->n_rules;
	const struct rule **table = arena_alloc(&ps->arena, total * sizeof(*table));
	if (!table)
		return PGS_ERR_NOMEM;
	for (size_t i = 0; i < n_builtin; i++)
		table[n++] = builtin[i];
	for (size_t i = 0; i < ps->n; i++)
		for (size_t k = 0; k < ps->items[i]->n_rules; k++)
			table[n++] = &ps->items[i]->rules[k].rule;
	qsort(table, n, sizeof(*table), cmp_rules);
	registry_use(table, n);
	ps->active = true;
	return PGS_OK;
}

/* ---------------------------------------------------------------------
 * For explain
 * ------------------------------------------------------------------- */

static const struct plugin_rule *as_plugin_rule(const struct rule *rule)
{
	if (rule && (rule->check == plugin_rule_check || rule->finish == plugin_rule_finish))
		return (const struct plugin_rule *)rule;
	return NULL;
}

const char *plugin_rule_origin(const struct rule *rule)
{
	const struct plugin_rule *pr = as_plugin_rule(rule);
	return pr ? pr->plugin->path : NULL;
}

size_t plugin_rule_option_count(const struct rule *rule)
{
	const struct plugin_rule *pr = as_plugin_rule(rule);
	return pr ? pr->plugin->manifest->n_options : 0;
}

void plugin_rule_option(const struct rule *rule, size_t i, const char **name, const char **summary)
{
	const struct pgsafe_option *o = &as_plugin_rule(rule)->plugin->manifest->options[i];
	*name = o->name;
	*summary = o->summary;
}

/* ---------------------------------------------------------------------
 * The host API (struct pgsafe_api)
 * ------------------------------------------------------------------- */

static struct call *call_of(struct pgsafe_ctx *ctx)
{
	return ctx->host;
}

static const struct analyzed_stmt *stmt_of(struct pgsafe_ctx *ctx)
{
	return call_of(ctx)->rc->stmt;
}

/* Records the first misuse of the API by the running rule: it stops the run. */
static int misuse(struct pgsafe_ctx *ctx, const char *what)
{
	struct call *c = call_of(ctx);
	struct plugin_set *ps = c->pr->plugin->set;
	if (!c->misused && !c->failed)
		snprintf(ps->failure, sizeof(ps->failure), "plugin rule \"%s\" (%s) %s",
			 c->pr->rule.id, c->pr->plugin->path, what);
	c->misused = true;
	return PGSAFE_ERR_INVALID;
}

static int api_report(struct pgsafe_ctx *ctx, const struct pgsafe_finding *f)
{
	struct rule_ctx *rc = call_of(ctx)->rc;
	if (!f || f->struct_size < FINDING_SIZE_1_0)
		return misuse(ctx, "reported a finding without struct_size (use PGSAFE_FINDING_INIT)");
	if (!f->message)
		return misuse(ctx, "reported a finding without a message");
	if (!is_text(f->message, PLUGIN_MAX_MESSAGE, false))
		return misuse(ctx, "reported a message that is not one line of UTF-8 text of at most 1024 bytes");
	if (f->help && !is_text(f->help, PLUGIN_MAX_TEXT, true))
		return misuse(ctx, "reported a help text that is not UTF-8 text of at most 16384 bytes");
	if (f->relation && !is_text(f->relation, PLUGIN_MAX_MESSAGE, false))
		return misuse(ctx, "reported a relation name that is not UTF-8 text");
	if ((int)f->lock < PGSAFE_LOCK_NONE || (int)f->lock > PGSAFE_LOCK_ACCESS_EXCLUSIVE)
		return misuse(ctx, "reported a lock mode that is not a PGSAFE_LOCK_* value");
	if (f->start > f->end || f->end > rc->src->len)
		return misuse(ctx, "reported a byte span outside the file");
	struct finding fd = {
		.start = f->start, .end = f->end, .message = f->message, .help = f->help,
		.relation = f->relation, .lock = (enum pgs_lock_mode)f->lock,
	};
	return rule_report(rc, &fd) ? PGSAFE_ERR_NOMEM : PGSAFE_OK;
}

static int api_fail(struct pgsafe_ctx *ctx, const char *message)
{
	struct call *c = call_of(ctx);
	struct plugin_set *ps = c->pr->plugin->set;
	if (!message || !is_text(message, PLUGIN_MAX_MESSAGE, false))
		message = "failed (its message is not one line of UTF-8 text)";
	if (!c->failed && !c->misused)
		snprintf(ps->failure, sizeof(ps->failure), "plugin rule \"%s\" (%s): %s",
			 c->pr->rule.id, c->pr->plugin->path, message);
	c->failed = true;
	return PGSAFE_ERR_FAILED;
}

static void *api_alloc(struct pgsafe_ctx *ctx, size_t size)
{
	return arena_alloc(call_of(ctx)->rc->arena, size ? size : 1);
}

static const char *api_format(struct pgsafe_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = arena_vprintf(call_of(ctx)->rc->arena, fmt, ap);
	va_end(ap);
	return s;
}

static const PgQuery__Node *api_stmt_node(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? s->st->node : NULL;
}

static const char *api_stmt_kind(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? s->kind : NULL;
}

static const char *api_stmt_text(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? rule_stmt_text(call_of(ctx)->rc, s) : NULL;
}

static size_t api_stmt_start(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? s->st->start : 0;
}

static size_t api_stmt_end(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? s->st->end : 0;
}

static size_t api_offset(struct pgsafe_ctx *ctx, int32_t location)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	if (!s)
		return 0;
	size_t at = location < 0 ? s->st->start : s->st->loc_base + (size_t)location;
	size_t len = call_of(ctx)->rc->src->len;
	return at > len ? len : at;
}

static const char *api_file_path(struct pgsafe_ctx *ctx)
{
	return call_of(ctx)->rc->src->path;
}

static bool api_modeled(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s && s->fx.modeled;
}

static bool api_needs_no_transaction(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s && s->fx.needs_no_transaction;
}

static size_t api_lock_count(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? s->fx.n_locks : 0;
}

static const char *api_lock_relation(struct pgsafe_ctx *ctx, size_t i)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s && i < s->fx.n_locks ? s->fx.locks[i].relation : NULL;
}

static enum pgsafe_lock_mode api_lock_mode(struct pgsafe_ctx *ctx, size_t i)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s && i < s->fx.n_locks ? (enum pgsafe_lock_mode)s->fx.locks[i].mode : PGSAFE_LOCK_NONE;
}

static enum pgsafe_lock_mode api_lock_on(struct pgsafe_ctx *ctx, const char *relation)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s && relation ? (enum pgsafe_lock_mode)effects_lock_on(&s->fx, relation) : PGSAFE_LOCK_NONE;
}

static size_t api_rewrite_count(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? s->fx.n_rewrites : 0;
}

static const char *api_rewrite_relation(struct pgsafe_ctx *ctx, size_t i)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s && i < s->fx.n_rewrites ? s->fx.rewrites[i] : NULL;
}

static size_t api_scan_count(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? s->fx.n_scans : 0;
}

static const char *api_scan_relation(struct pgsafe_ctx *ctx, size_t i)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s && i < s->fx.n_scans ? s->fx.scans[i] : NULL;
}

static enum pgsafe_txn_kind api_txn_kind(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? (enum pgsafe_txn_kind)s->txn.kind : PGSAFE_TXN_NONE;
}

static long api_lock_timeout_ms(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? s->txn.lock_timeout_ms : -1;
}

static long api_statement_timeout_ms(struct pgsafe_ctx *ctx)
{
	const struct analyzed_stmt *s = stmt_of(ctx);
	return s ? s->txn.statement_timeout_ms : -1;
}

static const char *api_qualify(struct pgsafe_ctx *ctx, const PgQuery__RangeVar *rv)
{
	struct rule_ctx *rc = call_of(ctx)->rc;
	return rv ? schema_qualify(rc->schema, rc->arena, rv) : NULL;
}

static const struct sm_table *table_of(struct pgsafe_ctx *ctx, const char *relation)
{
	return relation ? schema_table(call_of(ctx)->rc->schema, relation) : NULL;
}

static bool api_table_exists(struct pgsafe_ctx *ctx, const char *relation)
{
	return table_of(ctx, relation) != NULL;
}

static bool api_table_is_new(struct pgsafe_ctx *ctx, const char *relation)
{
	return relation && rule_table_is_new(call_of(ctx)->rc, relation);
}

static size_t api_column_count(struct pgsafe_ctx *ctx, const char *relation)
{
	const struct sm_table *t = table_of(ctx, relation);
	return t ? t->n_columns : 0;
}

static const struct sm_column *column_of(struct pgsafe_ctx *ctx, const char *relation, size_t i)
{
	const struct sm_table *t = table_of(ctx, relation);
	return t && i < t->n_columns ? &t->columns[i] : NULL;
}

static const char *api_column_name(struct pgsafe_ctx *ctx, const char *relation, size_t i)
{
	const struct sm_column *c = column_of(ctx, relation, i);
	return c ? c->name : NULL;
}

static const char *api_column_type(struct pgsafe_ctx *ctx, const char *relation, size_t i)
{
	const struct sm_column *c = column_of(ctx, relation, i);
	return c ? c->type.name : NULL;
}

static bool api_column_not_null(struct pgsafe_ctx *ctx, const char *relation, size_t i)
{
	const struct sm_column *c = column_of(ctx, relation, i);
	return c && c->not_null;
}

static const char *api_option(struct pgsafe_ctx *ctx, const char *name)
{
	const struct plugin *p = call_of(ctx)->pr->plugin;
	const struct plugin_set *ps = p->set;
	const char *pname = p->manifest->name;
	if (!name)
		return NULL;
	for (size_t i = 0; i < ps->n_options; i++) {
		const struct plugin_option_value *o = &ps->options[i];
		if (o->plugin_len == strlen(pname) && !memcmp(o->plugin, pname, o->plugin_len) &&
		    o->name_len == strlen(name) && !memcmp(o->name, name, o->name_len))
			return o->value;
	}
	return NULL;
}

static const char *api_lock_mode_sql(enum pgsafe_lock_mode mode)
{
	return pgs_lock_mode_sql((enum pgs_lock_mode)mode);
}

static const char *api_lock_blocks(enum pgsafe_lock_mode mode)
{
	return pgs_lock_blocks_text((enum pgs_lock_mode)mode);
}

static const struct pgsafe_api host_api = {
	.abi_major = PGSAFE_ABI_MAJOR,
	.abi_minor = PGSAFE_ABI_MINOR,
	.struct_size = sizeof(struct pgsafe_api),
	.report = api_report,
	.fail = api_fail,
	.alloc = api_alloc,
	.format = api_format,
	.stmt_node = api_stmt_node,
	.stmt_kind = api_stmt_kind,
	.stmt_text = api_stmt_text,
	.stmt_start = api_stmt_start,
	.stmt_end = api_stmt_end,
	.offset = api_offset,
	.file_path = api_file_path,
	.modeled = api_modeled,
	.needs_no_transaction = api_needs_no_transaction,
	.lock_count = api_lock_count,
	.lock_relation = api_lock_relation,
	.lock_mode = api_lock_mode,
	.lock_on = api_lock_on,
	.rewrite_count = api_rewrite_count,
	.rewrite_relation = api_rewrite_relation,
	.scan_count = api_scan_count,
	.scan_relation = api_scan_relation,
	.txn_kind = api_txn_kind,
	.lock_timeout_ms = api_lock_timeout_ms,
	.statement_timeout_ms = api_statement_timeout_ms,
	.qualify = api_qualify,
	.table_exists = api_table_exists,
	.table_is_new = api_table_is_new,
	.column_count = api_column_count,
	.column_name = api_column_name,
	.column_type = api_column_type,
	.column_not_null = api_column_not_null,
	.option = api_option,
	.lock_mode_sql = api_lock_mode_sql,
	.lock_blocks = api_lock_blocks,
};

/* ---------------------------------------------------------------------
 * The trampolines: lint.c calls these as the plugin rules' check/finish
 * ------------------------------------------------------------------- */

static int call_plugin(struct rule_ctx *rc, bool finish)
{
	const struct plugin_rule *pr = (const struct plugin_rule *)rc->rule;
	struct call c = { .rc = rc, .pr = pr };
	struct pgsafe_ctx ctx = {
		.api = &host_api, .plugin = pr->plugin->manifest, .rule = pr->pub,
		.pg_version = rc->pg_version, .host = &c,
	};
	int rc_plugin = finish ? pr->pub->finish(&ctx) : pr->pub->check(&ctx);
	struct plugin_set *ps = pr->plugin->set;
	if (c.misused || c.failed)
		return PGS_ERR_PLUGIN;
	if (rc_plugin == PGSAFE_OK)
		return rc->arena->failed ? PGS_ERR_NOMEM : PGS_OK;
	snprintf(ps->failure, sizeof(ps->failure), "plugin rule \"%s\" (%s) failed: %s",
		 pr->rule.id, pr->plugin->path,
		 rc_plugin == PGSAFE_ERR_NOMEM ? "out of memory" :
		 rc_plugin == PGSAFE_ERR_INVALID ? "a host function refused an argument" :
		 rc_plugin == PGSAFE_ERR_FAILED ? "the rule reported a failure" :
		 "it returned a status that is not a pgsafe_status");
	return PGS_ERR_PLUGIN;
}

static int plugin_rule_check(struct rule_ctx *rc)
{
	return call_plugin(rc, false);
}

static int plugin_rule_finish(struct rule_ctx *rc)
{
	return call_plugin(rc, true);
}
