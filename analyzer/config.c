/*
 * config.c - .pgsafe.yaml (config.h).
 *
 * The reader walks libyaml's event stream with one function per key's
 * type, so the shape of the file is checked as it is read and the first
 * problem stops it, at the position libyaml gives for the offending key or
 * value. Nothing nests deeper than the schema allows (an override's rule
 * map is the deepest, at three levels), so a hostile file cannot make the
 * reader recurse. Aliases are refused outright: pgsafe's settings are
 * small, and refusing them rules out "billion laughs" expansion.
 */
#include "config.h"

#include "framework.h"

#include "ignore.h"
#include "lint.h"
#include "registry.h"
#include "../rules/rule.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define GLOB_MAX_BYTES 1024

/* ---------------------------------------------------------------------
 * Reading events
 * ------------------------------------------------------------------- */

struct reader {
	yaml_parser_t parser;
	yaml_event_t ev;
	bool have_event;
	struct arena *a;
	struct config *c;
	struct config_error *err;
	const char *text;
	size_t len;
};

static int fail_at(struct reader *rd, yaml_mark_t mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct reader *rd, yaml_mark_t mark, const char *fmt, ...)
{
	va_list ap;
	rd->err->line = (unsigned)mark.line + 1;
	rd->err->column = (unsigned)mark.column + 1;
	va_start(ap, fmt);
	vsnprintf(rd->err->message, sizeof(rd->err->message), fmt, ap);
	va_end(ap);
	return PGS_ERR_USAGE;
}

/* A position from a byte offset, for libyaml's reader errors, which carry none. */
static yaml_mark_t mark_at_offset(const char *text, size_t len, size_t offset)
{
	yaml_mark_t m = { 0 };
	for (size_t i = 0; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			m.line++;
			m.column = 0;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			m.column++;
		}
	}
	m.index = offset;
	return m;
}

/* Moves to the next event; the previous one is freed. */
static int next(struct reader *rd)
{
	if (rd->have_event)
		yaml_event_delete(&rd->ev);
	rd->have_event = false;
	if (!yaml_parser_parse(&rd->parser, &rd->ev)) {
		yaml_parser_t *p = &rd->parser;
		if (p->error == YAML_MEMORY_ERROR)
			return PGS_ERR_NOMEM;
		yaml_mark_t mark = p->problem_mark;
		if (p->error == YAML_READER_ERROR)
			mark = mark_at_offset(rd->text, rd->len, p->problem_offset);
		return fail_at(rd, mark, "invalid YAML: %s", p->problem ? p->problem : "syntax error");
	}
	rd->have_event = true;
	if (rd->ev.type == YAML_ALIAS_EVENT)
		return fail_at(rd, rd->ev.start_mark, "aliases (*%s) are not allowed",
			       (const char *)rd->ev.data.alias.anchor);
	return PGS_OK;
}

static yaml_mark_t here(const struct reader *rd)
{
	return rd->ev.start_mark;
}

static bool is_scalar(const struct reader *rd)
{
	return rd->ev.type == YAML_SCALAR_EVENT;
}

static const char *scalar(const struct reader *rd)
{
	return (const char *)rd->ev.data.scalar.value;
}

/* A plain, untagged scalar: one YAML reads as a number, boolean or null. */
static bool is_plain(const struct reader *rd)
{
	return is_scalar(rd) && rd->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       !rd->ev.data.scalar.tag;
}

static bool is_null(const struct reader *rd)
{
	if (!is_plain(rd))
		return false;
	const char *v = scalar(rd);
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

/* What the current event is, for "must be a list, not a mapping". */
static const char *what(const struct reader *rd)
{
	switch (rd->ev.type) {
	case YAML_MAPPING_START_EVENT:
		return "a mapping";
	case YAML_SEQUENCE_START_EVENT:
		return "a list";
	case YAML_SCALAR_EVENT:
		if (is_null(rd))
			return "empty";
		return rd->ev.data.scalar.length > 60 ? "a long string" :
		       arena_printf(rd->a, "\"%s\"", scalar(rd));
	default:
		return "something else";
	}
}

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------- */

static int read_bool(struct reader *rd, const char *key, bool *out)
{
	if (is_plain(rd)) {
		const char *v = scalar(rd);
		if (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "TRUE")) {
			*out = true;
			return PGS_OK;
		}
		if (!strcmp(v, "false") || !strcmp(v, "False") || !strcmp(v, "FALSE")) {
			*out = false;
			return PGS_OK;
		}
	}
	return fail_at(rd, here(rd), "\"%s\" must be true or false, not %s", key, what(rd));
}

static int read_pg_version(struct reader *rd, const char *key, int *out)
{
	if (is_plain(rd)) {
		const char *v = scalar(rd);
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		/* digits only, no leading zero: YAML 1.1 reads 015 as octal */
		if (*v >= '1' && *v <= '9' && !*end && !errno && n >= PGS_PG_MIN && n <= PGS_PG_MAX) {
			*out = (int)n;
			return PGS_OK;
		}
	}
	return fail_at(rd, here(rd), "\"%s\" must be a major version from %d to %d, not %s", key,
		       PGS_PG_MIN, PGS_PG_MAX, what(rd));
}

/* error | warning | hint, and "off" when @off_ok (as PGS_SEV_NONE). */
static int read_severity(struct reader *rd, const char *subject, const char *choices, bool never_ok,
			 bool off_ok, enum pgs_severity *out)
{
	if (is_scalar(rd)) {
		const char *v = scalar(rd);
		enum pgs_severity s = pgs_severity_parse(v);
		if (s != PGS_SEV_NONE) {
			*out = s;
			return PGS_OK;
		}
		if ((never_ok && !strcmp(v, "never")) || (off_ok && !strcmp(v, "off"))) {
			*out = PGS_SEV_NONE;
			return PGS_OK;
		}
	}
	return fail_at(rd, here(rd), "%s must be %s, not %s", subject, choices, what(rd));
}

/*
 * A plugin rule's id ("plugin/rule") is accepted here and checked once the
 * plugins are loaded (cli_plugins.c): a configuration may name the plugin
 * whose rules it configures, and it is read before that plugin is loaded.
 */
static bool is_plugin_rule_id(const char *id)
{
	/* "<plugin>/<rule>": both parts present, one slash */
	const char *slash = strchr(id, '/');
	return slash && slash != id && slash[1] && !strchr(slash + 1, '/');
}

static bool is_known_rule(const char *id)
{
	return registry_find(id) || ignore_is_own_id(id) || is_plugin_rule_id(id);
}

enum string_kind { STR_ANY, STR_GLOB, STR_RULE_ID };

/* A list of strings; an empty value is an empty list. */
static int read_strings(struct reader *rd, const char *key, enum string_kind kind,
			const char ***items, size_t *n)
{
	size_t cap = 0;
	int rc;
	*items = NULL;
	*n = 0;
	if (is_null(rd))
		return PGS_OK;
	if (rd->ev.type != YAML_SEQUENCE_START_EVENT)
		return fail_at(rd, here(rd), "\"%s\" must be a list, not %s", key, what(rd));
	for (;;) {
		if ((rc = next(rd)))
			return rc;
		if (rd->ev.type == YAML_SEQUENCE_END_EVENT)
			return PGS_OK;
		if (!is_scalar(rd) || is_null(rd))
			return fail_at(rd, here(rd), "items of \"%s\" must be strings, not %s", key,
				       what(rd));
		if (kind == STR_GLOB && (!rd->ev.data.scalar.length ||
					 rd->ev.data.scalar.length > GLOB_MAX_BYTES))
			return fail_at(rd, here(rd), "globs in \"%s\" must be 1 to %d bytes long", key,
				       GLOB_MAX_BYTES);
		if (kind == STR_RULE_ID && !registry_find(scalar(rd)) && !is_plugin_rule_id(scalar(rd)))
			return fail_at(rd, here(rd), "\"%s\" names unknown rule \"%s\" (see 'pgsafe rules')",
				       key, scalar(rd));
		const char *s = arena_strdup(rd->a, scalar(rd));
		if (!s || ARENA_PUSH(rd->a, *items, *n, cap, s))
			return PGS_ERR_NOMEM;
	}
}

/* `rules:` - rule id -> error | warning | hint | off. */
static int read_rules(struct reader *rd, const char *key, struct config_layer *layer)
{
	size_t cap = 0;
	int rc;
	if (is_null(rd))
		return PGS_OK;
	if (rd->ev.type != YAML_MAPPING_START_EVENT)
		return fail_at(rd, here(rd), "\"%s\" must be a mapping of rule ids to severities, not %s",
			       key, what(rd));
	for (;;) {
		if ((rc = next(rd)))
			return rc;
		if (rd->ev.type == YAML_MAPPING_END_EVENT)
			return PGS_OK;
		if (!is_scalar(rd))
			return fail_at(rd, here(rd), "keys of \"%s\" must be rule ids, not %s", key, what(rd));
		const char *id = arena_strdup(rd->a, scalar(rd));
		if (!id)
			return PGS_ERR_NOMEM;
		if (!is_known_rule(id))
			return fail_at(rd, here(rd), "unknown rule \"%s\" (see 'pgsafe rules')", id);
		for (size_t i = 0; i < layer->n_rules; i++)
			if (!strcmp(layer->rules[i].id, id))
				return fail_at(rd, here(rd), "rule \"%s\" is set twice", id);
		if ((rc = next(rd)))
			return rc;
		struct config_rule r = { .id = id };
		const char *subject = arena_printf(rd->a, "rule \"%s\"", id);
		if (!subject)
			return PGS_ERR_NOMEM;
		if ((rc = read_severity(rd, subject, "error, warning, hint or off", false, true,
					&r.severity)))
			return rc;
		if (ARENA_PUSH(rd->a, layer->rules, layer->n_rules, cap, r))
			return PGS_ERR_NOMEM;
	}
}

/* ---------------------------------------------------------------------
 * Mappings
 * ------------------------------------------------------------------- */

enum top_key {
	K_PG_VERSION, K_ASSUME, K_FAIL_ON, K_RULES, K_ENABLE, K_EXCLUDE, K_OVERRIDES,
	K_MAX_LOCK_TIMEOUT, K_REQUIRE_REASON, K_PLUGINS, K_PATHS, K_SCHEMA, K_FRAMEWORK, K_COUNT,
};

static const char *const key_names[K_COUNT] = {
	[K_PG_VERSION] = "pg_version",
	[K_ASSUME] = "assume_in_transaction",
	[K_FAIL_ON] = "fail_on",
	[K_RULES] = "rules",
	[K_ENABLE] = "enable",
	[K_EXCLUDE] = "exclude",
	[K_OVERRIDES] = "overrides",
	[K_MAX_LOCK_TIMEOUT] = "max_lock_timeout",
	[K_REQUIRE_REASON] = "require_ignore_reason",
	[K_PLUGINS] = "plugins",
	[K_PATHS] = "paths",
	[K_SCHEMA] = "schema",
	[K_FRAMEWORK] = "framework",
};

/* Whether key @k belongs at the top level, or in an entry of `overrides:`. */
static bool key_allowed(enum top_key k, bool in_override)
{
	if (in_override)
		return k == K_PATHS || k == K_RULES || k == K_PG_VERSION || k == K_ASSUME;
	return k != K_PATHS;
}

/*
 * Reads the next key of a mapping: sets *key, or returns with *done at the
 * mapping's end. Unknown and repeated keys are errors.
 */
static int read_key(struct reader *rd, bool in_override, unsigned *seen, enum top_key *key,
		    bool *done)
{
	int rc;
	*done = false;
	if ((rc = next(rd)))
		return rc;
	if (rd->ev.type == YAML_MAPPING_END_EVENT) {
		*done = true;
		return PGS_OK;
	}
	if (!is_scalar(rd))
		return fail_at(rd, here(rd), "keys must be names, not %s", what(rd));
	const char *name = scalar(rd);
	for (int k = 0; k < K_COUNT; k++) {
		if (strcmp(name, key_names[k]))
			continue;
		if (!key_allowed((enum top_key)k, in_override))
			break;
		if (*seen & (1u << k))
			return fail_at(rd, here(rd), "key \"%s\" is set twice", name);
		*seen |= 1u << k;
		*key = (enum top_key)k;
		return next(rd);
	}
	if (in_override)
		return fail_at(rd, here(rd),
			       "unknown key \"%s\" in an override (it takes paths, rules, pg_version and assume_in_transaction)",
			       name);
	return fail_at(rd, here(rd), "unknown key \"%s\"", name);
}

static int read_override(struct reader *rd, struct config_layer *o)
{
	unsigned seen = 0;
	enum top_key k;
	bool done;
	int rc;
	yaml_mark_t start = here(rd);
	o->assume_in_transaction = -1;
	if (rd->ev.type != YAML_MAPPING_START_EVENT)
		return fail_at(rd, here(rd), "items of \"overrides\" must be mappings, not %s", what(rd));
	for (;;) {
		if ((rc = read_key(rd, true, &seen, &k, &done)))
			return rc;
		if (done)
			break;
		bool b;
		switch (k) {
		case K_PATHS:
			if ((rc = read_strings(rd, "paths", STR_GLOB, &o->paths, &o->n_paths)))
				return rc;
			break;
		case K_RULES:
			if ((rc = read_rules(rd, "rules", o)))
				return rc;
			break;
		case K_PG_VERSION:
			if ((rc = read_pg_version(rd, "pg_version", &o->pg_version)))
				return rc;
			break;
		case K_ASSUME:
			if ((rc = read_bool(rd, "assume_in_transaction", &b)))
				return rc;
			o->assume_in_transaction = b;
			break;
		default:
			return PGS_ERR_INTERNAL;
		}
	}
	if (!o->n_paths)
		return fail_at(rd, start, "an override needs \"paths\", a list of globs it applies to");
	return PGS_OK;
}

static int read_overrides(struct reader *rd, struct config *c)
{
	size_t cap = 0;
	int rc;
	if (is_null(rd))
		return PGS_OK;
	if (rd->ev.type != YAML_SEQUENCE_START_EVENT)
		return fail_at(rd, here(rd), "\"overrides\" must be a list, not %s", what(rd));
	for (;;) {
		if ((rc = next(rd)))
			return rc;
		if (rd->ev.type == YAML_SEQUENCE_END_EVENT)
			return PGS_OK;
		struct config_layer o = { 0 };
		if ((rc = read_override(rd, &o)))
			return rc;
		if (ARENA_PUSH(rd->a, c->overrides, c->n_overrides, cap, o))
			return PGS_ERR_NOMEM;
	}
}

static int read_max_lock_timeout(struct reader *rd, struct config *c)
{
	long ms = is_scalar(rd) && !is_null(rd) ? config_parse_duration_ms(scalar(rd)) : -1;
	if (ms <= 0)
		return fail_at(rd, here(rd),
			       "\"max_lock_timeout\" must be a duration above zero such as \"5s\" or \"500ms\", not %s",
			       what(rd));
	c->max_lock_timeout_ms = ms;
	return PGS_OK;
}

static int read_top(struct reader *rd, struct config *c)
{
	unsigned seen = 0;
	enum top_key k;
	bool done;
	int rc;
	for (;;) {
		if ((rc = read_key(rd, false, &seen, &k, &done)))
			return rc;
		if (done)
			return PGS_OK;
		bool b;
		switch (k) {
		case K_PG_VERSION:
			rc = read_pg_version(rd, "pg_version", &c->top.pg_version);
			break;
		case K_ASSUME:
			if (!(rc = read_bool(rd, "assume_in_transaction", &b)))
				c->top.assume_in_transaction = b;
			break;
		case K_FAIL_ON:
			rc = read_severity(rd, "\"fail_on\"", "error, warning, hint or never", true, false,
					   &c->fail_on);
			c->has_fail_on = true;
			break;
		case K_RULES:
			rc = read_rules(rd, "rules", &c->top);
			break;
		case K_ENABLE:
			rc = read_strings(rd, "enable", STR_RULE_ID, &c->enable, &c->n_enable);
			break;
		case K_EXCLUDE:
			rc = read_strings(rd, "exclude", STR_GLOB, &c->exclude, &c->n_exclude);
			break;
		case K_OVERRIDES:
			rc = read_overrides(rd, c);
			break;
		case K_MAX_LOCK_TIMEOUT:
			rc = read_max_lock_timeout(rd, c);
			break;
		case K_REQUIRE_REASON:
			rc = read_bool(rd, "require_ignore_reason", &c->require_ignore_reason);
			break;
		case K_PLUGINS:
			rc = read_strings(rd, "plugins", STR_ANY, &c->plugins, &c->n_plugins);
			break;
		case K_SCHEMA:
			/* schema dumps for --schema (dump.h), relative to the configuration */
			rc = read_strings(rd, "schema", STR_ANY, &c->schema, &c->n_schema);
			break;
		case K_FRAMEWORK: {
			/* the migration tool, as --framework names it (framework.h) */
			enum framework fw;
			if (is_scalar(rd) && !framework_parse(scalar(rd), &fw)) {
				c->framework = (int)fw;
				rc = PGS_OK;
			} else {
				rc = fail_at(rd, here(rd), "\"framework\" must be one of %s, not %s",
					     framework_names(), what(rd));
			}
			break;
		}
		default:
			return PGS_ERR_INTERNAL;
		}
		if (rc)
			return rc;
	}
}

/* STREAM-START, at most one document holding a mapping (or nothing), STREAM-END. */
static int read_stream(struct reader *rd)
{
	int rc;
	if ((rc = next(rd)))
		return rc;
	if ((rc = next(rd)))
		return rc;
	if (rd->ev.type == YAML_STREAM_END_EVENT)
		return PGS_OK;
	if ((rc = next(rd)))           /* past DOCUMENT-START */
		return rc;
	if (rd->ev.type == YAML_MAPPING_START_EVENT) {
		if ((rc = read_top(rd, rd->c)))
			return rc;
	} else if (!is_null(rd)) {
		return fail_at(rd, here(rd), "the configuration must be a mapping of keys to values, not %s",
			       what(rd));
	}
	if ((rc = next(rd)))           /* DOCUMENT-END */
		return rc;
	if ((rc = next(rd)))
		return rc;
	if (rd->ev.type != YAML_STREAM_END_EVENT)
		return fail_at(rd, here(rd), "the configuration must be one YAML document");
	return PGS_OK;
}

int config_parse(struct config *c, struct arena *a, const char *display, const char *dir,
		 const char *text, size_t len, struct config_error *err)
{
	struct reader rd = { .a = a, .c = c, .err = err, .text = text, .len = len };
	memset(c, 0, sizeof(*c));
	memset(err, 0, sizeof(*err));
	c->path = arena_strdup(a, display);
	c->dir = arena_strdup(a, dir);
	c->top.assume_in_transaction = -1;
	err->path = c->path;
	if (!c->path || !c->dir)
		return PGS_ERR_NOMEM;
	if (len > PGS_CONFIG_MAX_BYTES) {
		snprintf(err->message, sizeof(err->message), "configuration is larger than %d bytes",
			 PGS_CONFIG_MAX_BYTES);
		return PGS_ERR_USAGE;
	}
	if (!yaml_parser_initialize(&rd.parser))
		return PGS_ERR_NOMEM;
	yaml_parser_set_input_string(&rd.parser, (const unsigned char *)text, len);
	int rc = read_stream(&rd);
	if (rd.have_event)
		yaml_event_delete(&rd.ev);
	yaml_parser_delete(&rd.parser);
	if (!rc && a->failed)
		rc = PGS_ERR_NOMEM;
	return rc;
}

int config_load(struct config *c, struct arena *a, const char *path, const char *display,
		struct config_error *err)
{
	struct stat st;
	char dirbuf[PATH_MAX];
	memset(err, 0, sizeof(*err));
	err->path = arena_strdup(a, display);
	if (!err->path)
		return PGS_ERR_NOMEM;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err->message, sizeof(err->message), "cannot read the configuration: %s",
			 strerror(errno));
		return PGS_ERR_USAGE;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		snprintf(err->message, sizeof(err->message), "the configuration is a directory");
		return PGS_ERR_USAGE;
	}
	char *text = malloc(PGS_CONFIG_MAX_BYTES + 1);
	if (!text) {
		fclose(f);
		return PGS_ERR_NOMEM;
	}
	size_t len = fread(text, 1, PGS_CONFIG_MAX_BYTES + 1, f);
	int read_error = ferror(f);
	fclose(f);
	int rc;
	if (read_error) {
		snprintf(err->message, sizeof(err->message), "cannot read the configuration");
		rc = PGS_ERR_USAGE;
		goto out_free;
	}
	/* globs are relative to the file's own directory */
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dirbuf, sizeof(dirbuf), ".");
	else if (slash == path)
		snprintf(dirbuf, sizeof(dirbuf), "/");
	else
		snprintf(dirbuf, sizeof(dirbuf), "%.*s", (int)(slash - path), path);
	char *absdir = realpath(dirbuf, NULL);
	rc = config_parse(c, a, display, absdir ? absdir : dirbuf, text, len, err);
	free(absdir);
out_free:
	free(text);
	return rc;
}

/* ---------------------------------------------------------------------
 * Durations and globs
 * ------------------------------------------------------------------- */

long config_parse_duration_ms(const char *t)
{
	static const struct { const char *unit; long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "min", 60000 }, { "h", 3600000 }, { "d", 86400000 },
	};
	long long n = 0;
	const char *p = t;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > INT_MAX)
			return -1;
	}
	while (*p == ' ')
		p++;
	long mult = 1;     /* a bare number is milliseconds, as lock_timeout reads it */
	if (*p) {
		mult = 0;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(p, units[i].unit))
				mult = units[i].ms;
		if (!mult)
			return -1;
	}
	/* PostgreSQL's lock_timeout is an int of milliseconds (guc_tables.c) */
	if (n * mult > INT_MAX)
		return -1;
	return (long)(n * mult);
}

/* Splits @s at '/' into @parts (in @buf); drops empty parts and ".". Returns the count or -1. */
static int components(const char *s, char *buf, size_t size, char **parts, int max)
{
	size_t l = strlen(s);
	if (l >= size)
		return -1;
	memcpy(buf, s, l + 1);
	int n = 0;
	for (char *tok = strtok(buf, "/"); tok; tok = strtok(NULL, "/")) {
		if (!strcmp(tok, "."))
			continue;
		if (n == max)
			return -1;
		parts[n++] = tok;
	}
	return n;
}

bool config_glob_match(const char *pattern, const char *relpath)
{
	enum { MAX_PARTS = 128 };
	char pbuf[GLOB_MAX_BYTES + 1], sbuf[PATH_MAX + 1];
	char *pp[MAX_PARTS + 1], *sp[MAX_PARTS];
	if (!relpath)
		return false;
	bool anchored = strchr(pattern, '/') != NULL;
	int np = components(pattern, pbuf, sizeof(pbuf), pp + 1, MAX_PARTS);
	int ns = components(relpath, sbuf, sizeof(sbuf), sp, MAX_PARTS);
	if (np <= 0 || ns < 0)
		return false;
	char **p = pp + 1;
	if (!anchored) {
		/* a bare name matches at any depth: as if it began with a double star */
		static char star2[] = "**";
		pp[0] = star2;
		p = pp;
		np++;
	}
	/*
	 * m[i][j]: pattern parts from i match path parts from j, where a fully
	 * matched pattern may leave path parts over (it matched a directory).
	 * Filled from the end, so each "**" costs O(parts), never exponential.
	 */
	bool m[MAX_PARTS + 2][MAX_PARTS + 1];
	for (int j = ns; j >= 0; j--)
		m[np][j] = true;
	for (int i = np - 1; i >= 0; i--) {
		bool star = !strcmp(p[i], "**");
		for (int j = ns; j >= 0; j--) {
			if (star)
				m[i][j] = m[i + 1][j] || (j < ns && m[i][j + 1]);
			else
				m[i][j] = j < ns && m[i + 1][j + 1] && fnmatch(p[i], sp[j], 0) == 0;
		}
	}
	return m[0][0];
}

/* ---------------------------------------------------------------------
 * The set of a run's configurations
 * ------------------------------------------------------------------- */

struct config_dir {
	const char *dir;               /* absolute */
	const struct config *config;   /* found from it, or NULL */
};

void config_set_init(struct config_set *s, const char *explicit_path, bool discover)
{
	memset(s, 0, sizeof(*s));
	arena_init(&s->arena);
	s->explicit_path = explicit_path;
	s->discover = discover;
	char *cwd = getcwd(NULL, 0);
	s->cwd = arena_strdup(&s->arena, cwd ? cwd : "/");
	free(cwd);
}

void config_set_release(struct config_set *s)
{
	arena_release(&s->arena);
}

/* @abs shown relative to the current directory when it is below it. */
static const char *shown_path(struct config_set *s, const char *abs)
{
	size_t l = strlen(s->cwd);
	if (!strncmp(abs, s->cwd, l) && abs[l] == '/' && l > 1)
		return abs + l + 1;
	return abs;
}

static const struct config *cached(const struct config_set *s, const char *dir, bool *hit)
{
	for (size_t i = 0; i < s->n_dirs; i++)
		if (!strcmp(s->dirs[i].dir, dir)) {
			*hit = true;
			return s->dirs[i].config;
		}
	*hit = false;
	return NULL;
}

static int remember(struct config_set *s, const char *dir, const struct config *c)
{
	struct config_dir d = { arena_strdup(&s->arena, dir), c };
	if (!d.dir || ARENA_PUSH(&s->arena, s->dirs, s->n_dirs, s->cap_dirs, d))
		return PGS_ERR_NOMEM;
	return PGS_OK;
}

/* Walks up from absolute directory @dir; *out is the first configuration found, or NULL. */
static int discover(struct config_set *s, const char *dir, const struct config **out,
		    struct config_error *err)
{
	char cur[PATH_MAX], file[PATH_MAX + sizeof(PGS_CONFIG_NAME) + 1];
	const char *visited[PATH_MAX / 2 + 2];
	size_t n_visited = 0;
	const struct config *found = NULL;
	int rc = PGS_OK;
	bool hit;

	if (strlen(dir) >= sizeof(cur))
		dir = "/";
	snprintf(cur, sizeof(cur), "%s", dir);
	for (;;) {
		found = cached(s, cur, &hit);
		if (hit)
			break;
		if (!(visited[n_visited++] = arena_strdup(&s->arena, cur)))
			return PGS_ERR_NOMEM;
		snprintf(file, sizeof(file), "%s%s%s", cur, strcmp(cur, "/") ? "/" : "",
			 PGS_CONFIG_NAME);
		struct stat st;
		if (stat(file, &st) == 0) {
			struct config *c = arena_alloc(&s->arena, sizeof(*c));
			if (!c)
				return PGS_ERR_NOMEM;
			if ((rc = config_load(c, &s->arena, file, shown_path(s, file), err)))
				return rc;
			found = c;
			break;
		}
		char *slash = strrchr(cur, '/');
		if (!slash || slash == cur) {
			if (!strcmp(cur, "/"))
				break;
			cur[1] = '\0';     /* the root */
			continue;
		}
		*slash = '\0';
	}
	for (size_t i = 0; i < n_visited; i++)
		if ((rc = remember(s, visited[i], found)))
			return rc;
	*out = found;
	return PGS_OK;
}

/* The absolute directory of @path, and @path made absolute. */
static int absolute(struct config_set *s, const char *path, struct arena *a, const char **dir,
		    const char **file)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *d = slash ? arena_strndup(a, path, slash == path ? 1 : (size_t)(slash - path)) :
		arena_strdup(a, ".");
	if (!d)
		return PGS_ERR_NOMEM;
	char *real = realpath(d, NULL);
	if (real)
		*dir = arena_strdup(a, real);
	else if (d[0] == '/')
		*dir = d;
	else
		*dir = arena_printf(a, "%s/%s", s->cwd, d);
	free(real);
	if (!*dir)
		return PGS_ERR_NOMEM;
	*file = arena_printf(a, "%s%s%s", *dir, strcmp(*dir, "/") ? "/" : "", base);
	return *file ? PGS_OK : PGS_ERR_NOMEM;
}

int config_set_lookup(struct config_set *s, const char *path, struct arena *a,
		      struct file_settings *out, struct config_error *err)
{
	const struct config *c = NULL;
	const char *dir, *file;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s || (!s->explicit_path && !s->discover))
		return PGS_OK;
	if ((rc = absolute(s, path, a, &dir, &file)))
		return rc;
	if (s->explicit_path) {
		if (!s->explicit_config) {
			struct config *nc = arena_alloc(&s->arena, sizeof(*nc));
			if (!nc)
				return PGS_ERR_NOMEM;
			if ((rc = config_load(nc, &s->arena, s->explicit_path, s->explicit_path, err)))
				return rc;
			s->explicit_config = nc;
		}
		c = s->explicit_config;
	} else if ((rc = discover(s, dir, &c, err))) {
		return rc;
	}
	if (!c)
		return PGS_OK;

	out->config = c;
	size_t l = strlen(c->dir);
	if (!strcmp(c->dir, "/"))
		out->relpath = file + 1;
	else if (!strncmp(file, c->dir, l) && file[l] == '/')
		out->relpath = file + l + 1;
	for (size_t i = 0; i < c->n_exclude; i++)
		if (config_glob_match(c->exclude[i], out->relpath))
			out->excluded = true;

	out->layers = arena_alloc(a, (1 + c->n_overrides) * sizeof(*out->layers));
	if (!out->layers)
		return PGS_ERR_NOMEM;
	out->layers[out->n_layers++] = &c->top;
	for (size_t i = 0; i < c->n_overrides; i++)
		for (size_t k = 0; k < c->overrides[i].n_paths; k++)
			if (config_glob_match(c->overrides[i].paths[k], out->relpath)) {
				out->layers[out->n_layers++] = &c->overrides[i];
				break;
			}
	return PGS_OK;
}

/* ---------------------------------------------------------------------
 * A file's settings
 * ------------------------------------------------------------------- */

void config_apply(const struct file_settings *fs, struct lint_options *opts)
{
	const struct config *c = fs->config;
	if (!c)
		return;
	for (size_t i = 0; i < fs->n_layers; i++) {
		const struct config_layer *l = fs->layers[i];
		if (l->pg_version && !(opts->given & LINT_GIVEN_PG_VERSION))
			opts->pg_version = l->pg_version;
		if (l->assume_in_transaction >= 0 && !(opts->given & LINT_GIVEN_ASSUME_IN_TRANSACTION)) {
			opts->assume_in_transaction = l->assume_in_transaction;
			opts->configured_assume = l->assume_in_transaction ? 2 : 1;
		}
	}
	if (c->has_fail_on && !(opts->given & LINT_GIVEN_FAIL_ON))
		opts->fail_on = c->fail_on;
	if (c->max_lock_timeout_ms)
		opts->max_lock_timeout_ms = c->max_lock_timeout_ms;
	opts->require_ignore_reason = c->require_ignore_reason;
}

/* The last layer's setting for @id wins. */
static bool find_setting(const struct file_settings *fs, const char *id, enum pgs_severity *out)
{
	for (size_t i = fs->n_layers; i-- > 0;) {
		const struct config_layer *l = fs->layers[i];
		for (size_t k = 0; k < l->n_rules; k++)
			if (!strcmp(l->rules[k].id, id)) {
				*out = l->rules[k].severity;
				return true;
			}
	}
	return false;
}

enum pgs_severity config_rule_severity(const struct file_settings *fs, const struct rule *rule)
{
	enum pgs_severity sev;
	if (fs && find_setting(fs, rule->id, &sev))
		return sev;     /* a severity turns an opt-in rule on, "off" turns any rule off */
	/* settings written for an old id of a split rule still apply to it */
	for (const char *const *a = rule->aliases; fs && a && *a; a++)
		if (find_setting(fs, *a, &sev))
			return sev;
	if (rule->flags & RULE_OPT_IN) {
		for (size_t i = 0; fs && fs->config && i < fs->config->n_enable; i++)
			if (!strcmp(fs->config->enable[i], rule->id))
				return rule->default_severity;
		return PGS_SEV_NONE;
	}
	return rule->default_severity;
}

enum pgs_severity config_id_severity(const struct file_settings *fs, const char *id,
				     enum pgs_severity def)
{
	enum pgs_severity sev;
	if (fs && find_setting(fs, id, &sev))
		return sev;
	return def;
}
