/*
 * framework.c - migration tools' conventions (framework.h).
 *
 * Each fact below names where it comes from; docs/frameworks.md gathers
 * them per tool. The code reads file names, a few marker lines and the
 * small files the tools keep beside migrations; it never runs a tool.
 */
#include "framework.h"

#include "pgsafe.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define NODE(n, kind) ((n) && (n)->node_case == PG_QUERY__NODE__NODE_##kind)

/* Detection reads at most this much of each file. */
#define DETECT_MAX_BYTES (1024 * 1024)
/* Sibling files (plans, journals, .conf) are small; larger ones are ignored. */
#define SIDE_FILE_MAX_BYTES (4 * 1024 * 1024)

static const char *const names[FW_COUNT] = {
	[FW_AUTO] = "auto",
	[FW_PLAIN] = "plain",
	[FW_GOOSE] = "goose",
	[FW_DBMATE] = "dbmate",
	[FW_GOLANG_MIGRATE] = "golang-migrate",
	[FW_FLYWAY] = "flyway",
	[FW_SQITCH] = "sqitch",
	[FW_PRISMA] = "prisma",
	[FW_DIESEL] = "diesel",
	[FW_DRIZZLE] = "drizzle",
	[FW_RAILS_STRUCTURE] = "rails-structure",
};

const char *framework_name(enum framework fw)
{
	if (fw <= FW_AUTO || fw >= FW_COUNT)
		return "plain";
	return names[fw];
}

int framework_parse(const char *name, enum framework *out)
{
	for (int i = 0; i < FW_COUNT; i++) {
		if (!strcasecmp(name, names[i])) {
			*out = (enum framework)i;
			return 0;
		}
	}
	return -1;
}

const char *framework_names(void)
{
	return "auto, plain, goose, dbmate, golang-migrate, flyway, sqitch, prisma, diesel, "
	       "drizzle, rails-structure";
}

/* ---------------------------------------------------------------------
 * Paths and small files
 * ------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The directory part of @path ("." when none), in @a. */
static const char *dir_name(struct arena *a, const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return ".";
	if (s == path)
		return "/";
	return arena_strndup(a, path, (size_t)(s - path));
}

/* The last component of @path's directory, in @a ("" when none). */
static const char *parent_name(struct arena *a, const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return "";
	const char *p = s;
	while (p > path && p[-1] != '/')
		p--;
	return arena_strndup(a, p, (size_t)(s - p));
}

static bool is_dir(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Reads a whole small file into @a (NUL-terminated), or NULL. */
static char *read_small(struct arena *a, const char *path, size_t max, size_t *len_out)
{
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (!f)
		return NULL;
	char *buf = NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		if (n >= 0 && (size_t)n <= max && fseek(f, 0, SEEK_SET) == 0 &&
		    (buf = arena_alloc(a, (size_t)n + 1))) {
			size_t got = fread(buf, 1, (size_t)n, f);
			buf[got] = '\0';
			if (len_out)
				*len_out = got;
		}
	}
	fclose(f);
	return buf;
}

/* The first @max bytes of a file into @a (NUL-terminated), or NULL. */
static char *read_head(struct arena *a, const char *path, size_t max, size_t *len_out)
{
	FILE *f = fopen(path, "rb");
	char *buf = f ? arena_alloc(a, max + 1) : NULL;
	if (buf) {
		size_t got = fread(buf, 1, max, f);
		buf[got] = '\0';
		*len_out = got;
	}
	if (f)
		fclose(f);
	return buf;
}

static bool starts_with_digits_then(const char *s, char c)
{
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == c;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t l = strlen(s), k = strlen(suffix);
	return l >= k && !strcmp(s + l - k, suffix);
}

/* ---------------------------------------------------------------------
 * File names
 * ------------------------------------------------------------------- */

/*
 * Flyway: <prefix><version>__<description>.sql, the version made of digit
 * runs separated by single '.' or '_' (V1, V1.1, V1_2, V2024.01.05).
 * Returns the prefix letter and sets the version span, or 0.
 */
static char flyway_name(const char *base, const char **ver, size_t *ver_len, const char **desc)
{
	if (!ends_with(base, ".sql"))
		return 0;
	if (!strncmp(base, "R__", 3)) {
		*ver = base + 1;
		*ver_len = 0;
		*desc = base + 3;
		return 'R';
	}
	if (base[0] != 'V' && base[0] != 'U')
		return 0;
	const char *p = base + 1;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p) ||
	       ((*p == '.' || *p == '_') && isdigit((unsigned char)p[1])))
		p++;
	if (strncmp(p, "__", 2))
		return 0;
	*ver = base + 1;
	*ver_len = (size_t)(p - (base + 1));
	*desc = p + 2;
	return base[0];
}

/* golang-migrate: <uint>_<title>.(up|down).<ext> (source/parse.go Regex). */
static int golang_migrate_name(const char *base)
{
	if (!starts_with_digits_then(base, '_'))
		return 0;
	if (ends_with(base, ".up.sql"))
		return 1;
	if (ends_with(base, ".down.sql"))
		return -1;
	return 0;
}

enum fw_role framework_role(enum framework fw, const char *path)
{
	const char *base = base_name(path);
	enum fw_role role = FW_ROLE_OTHER;
	/* the directory's own name, cut to what the checks below need */
	char parent[256] = "";
	const char *end = base > path ? base - 1 : path, *start = end;
	while (start > path && start[-1] != '/')
		start--;
	if (end > start && (size_t)(end - start) < sizeof(parent)) {
		memcpy(parent, start, (size_t)(end - start));
		parent[end - start] = '\0';
	}
	const char *ver, *desc;
	size_t vl;
	int gm;

	switch (fw) {
	case FW_GOOSE:
		/* the version is the number before the first '_' (goose's NumericComponent) */
		if (starts_with_digits_then(base, '_') && ends_with(base, ".sql"))
			role = FW_ROLE_UP;
		break;
	case FW_DBMATE:
		/* ^(\d+).*\.sql$ (dbmate pkg/dbmate/db.go migrationFileRegexp) */
		if (isdigit((unsigned char)base[0]) && ends_with(base, ".sql"))
			role = FW_ROLE_UP;
		break;
	case FW_GOLANG_MIGRATE:
		gm = golang_migrate_name(base);
		role = gm > 0 ? FW_ROLE_UP : gm < 0 ? FW_ROLE_DOWN : FW_ROLE_OTHER;
		break;
	case FW_FLYWAY:
		switch (flyway_name(base, &ver, &vl, &desc)) {
		case 'V': role = FW_ROLE_UP; break;
		case 'U': role = FW_ROLE_DOWN; break;      /* undo migrations (Flyway Teams) */
		case 'R': role = FW_ROLE_REPEATABLE; break;
		default: break;
		}
		break;
	case FW_SQITCH:
		if (!strcmp(parent, "deploy"))
			role = FW_ROLE_UP;
		else if (!strcmp(parent, "revert"))
			role = FW_ROLE_DOWN;
		else if (!strcmp(parent, "verify"))
			role = FW_ROLE_SKIP;
		break;
	case FW_PRISMA:
		if (!strcmp(base, "migration.sql") && starts_with_digits_then(parent, '_'))
			role = FW_ROLE_UP;
		break;
	case FW_DIESEL:
		/* <version>_<name>/up.sql and down.sql; the version may hold dashes */
		if (isdigit((unsigned char)parent[0]) && strchr(parent, '_'))
			role = !strcmp(base, "up.sql") ? FW_ROLE_UP :
				!strcmp(base, "down.sql") ? FW_ROLE_DOWN : FW_ROLE_OTHER;
		break;
	case FW_DRIZZLE:
		if (starts_with_digits_then(base, '_') && ends_with(base, ".sql"))
			role = FW_ROLE_UP;
		break;
	case FW_RAILS_STRUCTURE:
		if (!strcmp(base, "structure.sql"))
			role = FW_ROLE_SCHEMA;
		break;
	default:
		break;
	}
	return role;
}

/* ---------------------------------------------------------------------
 * Markers in the text
 * ------------------------------------------------------------------- */

/* Skips spaces and tabs. */
static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Whether [p, end) holds @word (case-insensitive) followed by a blank or the end. */
static bool word_at(const char *p, const char *end, const char *word, const char **after)
{
	size_t l = strlen(word);
	if ((size_t)(end - p) < l || strncasecmp(p, word, l))
		return false;
	p += l;
	if (p < end && !isspace((unsigned char)*p))
		return false;
	if (after)
		*after = p;
	return true;
}

enum goose_cmd { GOOSE_NONE, GOOSE_UP, GOOSE_DOWN, GOOSE_BEGIN, GOOSE_END, GOOSE_NO_TX, GOOSE_OTHER };

/*
 * A goose annotation: a line that starts with "--" (no leading blank),
 * then "+goose" and a command, case-insensitive (goose docs,
 * "Annotations"; internal/sqlparser/parser.go).
 */
static enum goose_cmd goose_annotation(const char *line, const char *end)
{
	if (end - line < 2 || line[0] != '-' || line[1] != '-')
		return GOOSE_NONE;
	const char *p = skip_blank(line + 2, end);
	if (!word_at(p, end, "+goose", &p))
		return GOOSE_NONE;
	p = skip_blank(p, end);
	const char *q;
	if (word_at(p, end, "up", &q) && skip_blank(q, end) == end)
		return GOOSE_UP;
	if (word_at(p, end, "down", &q) && skip_blank(q, end) == end)
		return GOOSE_DOWN;
	if (word_at(p, end, "statementbegin", &q) && skip_blank(q, end) == end)
		return GOOSE_BEGIN;
	if (word_at(p, end, "statementend", &q) && skip_blank(q, end) == end)
		return GOOSE_END;
	if (word_at(p, end, "no", &q)) {
		q = skip_blank(q, end);
		if (word_at(q, end, "transaction", &q) && skip_blank(q, end) == end)
			return GOOSE_NO_TX;
	}
	return GOOSE_OTHER;
}

/*
 * A dbmate section marker: ^--\s*migrate:(up|down)(\s*$|\s+\S+), options
 * such as transaction:false after it on the same line (dbmate
 * pkg/dbmate/migration.go). Returns 1 for up, -1 for down, 0 otherwise;
 * @opts points after the keyword.
 */
static int dbmate_marker(const char *line, const char *end, const char **opts)
{
	if (end - line < 2 || line[0] != '-' || line[1] != '-')
		return 0;
	const char *p = line + 2;
	while (p < end && isspace((unsigned char)*p))
		p++;
	int kind;
	if ((size_t)(end - p) >= 10 && !strncmp(p, "migrate:up", 10))
		kind = 1, p += 10;
	else if ((size_t)(end - p) >= 12 && !strncmp(p, "migrate:down", 12))
		kind = -1, p += 12;
	else
		return 0;
	if (p < end && !isspace((unsigned char)*p))
		return 0;
	*opts = p;
	return kind;
}

/* dbmate's transaction option on a marker line: FW_TXN_DEFAULT when absent. */
static enum fw_txn dbmate_options(const char *p, const char *end)
{
	enum fw_txn t = FW_TXN_DEFAULT;
	while (p < end) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		const char *w = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		size_t l = (size_t)(p - w);
		/*
		 * transaction:false: dbmate then sends the section with one Exec,
		 * a multi-statement query (db.go); anything but "false" keeps
		 * its default, a transaction (migration.go Transaction()).
		 */
		if (l > 12 && !strncmp(w, "transaction:", 12))
			t = (l == 17 && !strncmp(w + 12, "false", 5)) ? FW_TXN_MULTI : FW_TXN_WRAPPED;
	}
	return t;
}

static const char breakpoint[] = "--> statement-breakpoint";

/* The first occurrence of @needle in the @len bytes at @hay, or NULL. */
static const char *find(const char *hay, size_t len, const char *needle)
{
	size_t l = strlen(needle);
	for (const char *p = hay; l <= len && p <= hay + len - l; p++) {
		p = memchr(p, needle[0], (size_t)(hay + len - l - p) + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, needle, l))
			return p;
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Detection
 * ------------------------------------------------------------------- */

struct markers {
	bool goose, dbmate, drizzle;
};

static void scan_markers(const char *text, size_t len, struct markers *m)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *e = le;
		if (e > p && e[-1] == '\r')
			e--;
		if (goose_annotation(p, e) == GOOSE_UP)
			m->goose = true;
		const char *opts;
		if (dbmate_marker(p, e, &opts) == 1)
			m->dbmate = true;
		p = nl ? nl + 1 : end;
	}
	if (find(text, len, breakpoint))
		m->drizzle = true;
}

/* Whether @path sits in a sqitch project: deploy/, revert/ or verify/ beside a plan or each other. */
static bool sqitch_path(struct arena *a, const char *path)
{
	const char *parent = parent_name(a, path);
	if (strcmp(parent, "deploy") && strcmp(parent, "revert") && strcmp(parent, "verify"))
		return false;
	const char *project = dir_name(a, dir_name(a, path));
	if (is_file(arena_printf(a, "%s/sqitch.plan", project)))
		return true;
	return is_dir(arena_printf(a, "%s/deploy", project)) &&
	       is_dir(arena_printf(a, "%s/revert", project));
}

enum framework framework_detect(const char *const *paths, size_t n)
{
	size_t score[FW_COUNT] = { 0 };
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < n; i++) {
		const char *path = paths[i];
		if (!strcmp(path, "-"))
			continue;
		const char *base = base_name(path);
		const char *parent = parent_name(&a, path);
		const char *ver, *desc;
		size_t vl, len = 0;
		char *text = read_head(&a, path, DETECT_MAX_BYTES, &len);
		if (text) {
			struct markers m = { 0 };
			scan_markers(text, len, &m);
			score[FW_GOOSE] += m.goose;
			score[FW_DBMATE] += m.dbmate;
			score[FW_DRIZZLE] += m.drizzle;
		}
		if (golang_migrate_name(base))
			score[FW_GOLANG_MIGRATE]++;
		if (flyway_name(base, &ver, &vl, &desc))
			score[FW_FLYWAY]++;
		if (!strcmp(base, "migration.sql") && starts_with_digits_then(parent, '_'))
			score[FW_PRISMA]++;
		if ((!strcmp(base, "up.sql") || !strcmp(base, "down.sql")) &&
		    isdigit((unsigned char)parent[0]) && strchr(parent, '_'))
			score[FW_DIESEL]++;
		if (sqitch_path(&a, path))
			score[FW_SQITCH]++;
		if (starts_with_digits_then(base, '_') &&
		    is_file(arena_printf(&a, "%s/meta/_journal.json", dir_name(&a, path))))
			score[FW_DRIZZLE]++;
		if (!strcmp(base, "structure.sql"))
			score[FW_RAILS_STRUCTURE]++;
		arena_reset(&a);
	}
	arena_release(&a);
	/* most files win; on a tie, markers in the text before names */
	static const enum framework order[] = {
		FW_GOOSE, FW_DBMATE, FW_DRIZZLE, FW_GOLANG_MIGRATE, FW_FLYWAY, FW_DIESEL,
		FW_PRISMA, FW_SQITCH, FW_RAILS_STRUCTURE,
	};
	enum framework best = FW_PLAIN;
	size_t best_score = 0;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (score[order[i]] > best_score) {
			best = order[i];
			best_score = score[order[i]];
		}
	return best;
}

/* ---------------------------------------------------------------------
 * Apply order
 * ------------------------------------------------------------------- */

int framework_flyway_version_compare(const char *a, const char *b)
{
	/* parts are digit runs; a missing part counts as 0, so 1 == 1.0 */
	for (;;) {
		while (*a && !isdigit((unsigned char)*a))
			a++;
		while (*b && !isdigit((unsigned char)*b))
			b++;
		if (!*a && !*b)
			return 0;
		const char *ea = a, *eb = b;
		while (*a == '0' && isdigit((unsigned char)a[1]))
			a++;
		while (*b == '0' && isdigit((unsigned char)b[1]))
			b++;
		ea = a;
		eb = b;
		while (isdigit((unsigned char)*ea))
			ea++;
		while (isdigit((unsigned char)*eb))
			eb++;
		/* "" (no more parts) is the number 0 */
		size_t la = (size_t)(ea - a), lb = (size_t)(eb - b);
		bool za = la == 0 || (la == 1 && *a == '0');
		bool zb = lb == 0 || (lb == 1 && *b == '0');
		if (!(za && zb)) {
			if (za != zb)
				return za ? -1 : 1;
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = strncmp(a, b, la);
			if (c)
				return c < 0 ? -1 : 1;
		}
		a = ea;
		b = eb;
	}
}

/* Compares two digit strings as numbers of any length. */
static int numeric_compare(const char *a, size_t la, const char *b, size_t lb)
{
	while (la > 1 && *a == '0')
		a++, la--;
	while (lb > 1 && *b == '0')
		b++, lb--;
	if (la != lb)
		return la < lb ? -1 : 1;
	int c = strncmp(a, b, la);
	return c < 0 ? -1 : c > 0;
}

static size_t digits(const char *s)
{
	size_t n = 0;
	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

struct entry {
	const char *path;
	enum framework fw;
	enum fw_role role;
	int cls;                /* 0 other, 1 migration, 2 repeatable */
	const char *group;      /* sqitch: the project; migrations compare within a group first */
	long pos;               /* position in sqitch.plan or drizzle's journal; -1 when absent */
	const char *key;        /* the version or name the tool sorts by */
	size_t orig;
};

static int cmp_entries(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c;
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	if (a->cls == 1) {
		if (a->group && b->group && (c = inputs_natural_compare(a->group, b->group)))
			return c;
		if ((a->pos >= 0) != (b->pos >= 0))
			return a->pos >= 0 ? -1 : 1;       /* planned before unplanned */
		if (a->pos >= 0 && a->pos != b->pos)
			return a->pos < b->pos ? -1 : 1;
		switch (a->fw) {
		case FW_GOOSE:
		case FW_GOLANG_MIGRATE:
		case FW_DRIZZLE:
			c = numeric_compare(a->key, digits(a->key), b->key, digits(b->key));
			break;
		case FW_FLYWAY:
			c = framework_flyway_version_compare(a->key, b->key);
			break;
		case FW_SQITCH: {
			/* without a plan: by name, a reworked X@tag before X */
			size_t la = strcspn(a->key, "@."), lb = strcspn(b->key, "@.");
			c = strncmp(a->key, b->key, la < lb ? la : lb);
			if (!c && la != lb)
				c = la < lb ? -1 : 1;
			if (!c && (a->key[la] == '@') != (b->key[lb] == '@'))
				c = a->key[la] == '@' ? -1 : 1;
			break;
		}
		default:
			c = strcmp(a->key, b->key);
			break;
		}
		if (c)
			return c;
		if (a->role != b->role)
			return a->role == FW_ROLE_UP ? -1 : 1;  /* a down after its up */
	} else if (a->cls == 2 && (c = strcmp(a->key, b->key))) {
		return c;
	}
	if (a->cls == 0 && a->orig != b->orig)
		return a->orig < b->orig ? -1 : 1;      /* other files keep their natural order */
	if ((c = inputs_natural_compare(a->path, b->path)))
		return c;
	return a->orig < b->orig ? -1 : a->orig > b->orig;
}

/* One sqitch plan: the deploy script of each change, in plan order. */
struct plan {
	const char *project;
	const char **scripts;   /* "name" or "name@tag" */
	size_t n, cap;
	bool loaded;
};

/*
 * Reads <project>/sqitch.plan: pragmas (%), comments (#), tags (@name)
 * and changes ("name [deps] timestamp planner <email> # note", a leading
 * '-' reverting one). A change reworked later in the plan deploys its
 * earlier instance from deploy/<name>@<tag>.sql, the first tag between
 * the two instances that has a script (sqitch 0.951 Changes).
 */
static int plan_load(struct plan *pl, struct arena *a)
{
	size_t len = 0;
	char *text = read_small(a, arena_printf(a, "%s/sqitch.plan", pl->project), SIDE_FILE_MAX_BYTES, &len);
	pl->loaded = true;
	if (!text)
		return PGS_OK;
	struct item { const char *name; bool tag; };
	struct item *items = NULL;
	size_t n = 0, cap = 0;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p && *p != '#' && *p != '%') {
			bool tag = *p == '@';
			if (tag || *p == '+')
				p++;
			if (*p != '-') {
				size_t l = strcspn(p, " \t\r[");
				struct item it = { arena_strndup(a, p, l), tag };
				if (l && ARENA_PUSH(a, items, n, cap, it))
					return PGS_ERR_NOMEM;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (items[i].tag)
			continue;
		const char *script = items[i].name;
		size_t next = i + 1;
		while (next < n && (items[next].tag || strcmp(items[next].name, items[i].name)))
			next++;
		if (next < n) {
			/* reworked later: the first tag in between with a script */
			const char *first = NULL;
			for (size_t k = i + 1; k < next; k++) {
				if (!items[k].tag)
					continue;
				const char *cand = arena_printf(a, "%s@%s", items[i].name, items[k].name);
				if (!first)
					first = cand;
				if (is_file(arena_printf(a, "%s/deploy/%s.sql", pl->project, cand))) {
					first = cand;
					break;
				}
			}
			if (first)
				script = first;
		}
		if (ARENA_PUSH(a, pl->scripts, pl->n, pl->cap, script))
			return PGS_ERR_NOMEM;
	}
	return a->failed ? PGS_ERR_NOMEM : PGS_OK;
}

static long plan_position(const struct plan *pl, const char *base)
{
	size_t l = strlen(base);
	if (l < 4)
		return -1;
	for (size_t i = 0; i < pl->n; i++)
		if (strlen(pl->scripts[i]) == l - 4 && !strncmp(pl->scripts[i], base, l - 4))
			return (long)i;
	return -1;
}

/* drizzle's meta/_journal.json: the tag of each entry, in order. */
static int journal_load(struct plan *pl, struct arena *a)
{
	size_t len = 0;
	char *text = read_small(a, arena_printf(a, "%s/meta/_journal.json", pl->project),
				SIDE_FILE_MAX_BYTES, &len);
	pl->loaded = true;
	if (!text)
		return PGS_OK;
	json_t *root = json_loadb(text, len, 0, NULL);
	json_t *entries = json_object_get(root, "entries");
	size_t i;
	json_t *e;
	int rc = PGS_OK;
	json_array_foreach(entries, i, e) {
		const char *tag = json_string_value(json_object_get(e, "tag"));
		if (tag && ARENA_PUSH(a, pl->scripts, pl->n, pl->cap, arena_strdup(a, tag))) {
			rc = PGS_ERR_NOMEM;
			break;
		}
	}
	json_decref(root);
	return rc;
}

static struct plan *plan_for(struct plan **plans, size_t *n, size_t *cap, struct arena *a,
			     const char *project, bool journal, int *rc)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*plans)[i].project, project))
			return &(*plans)[i];
	struct plan pl = { .project = project };
	if (ARENA_PUSH(a, *plans, *n, *cap, pl)) {
		*rc = PGS_ERR_NOMEM;
		return NULL;
	}
	struct plan *p = &(*plans)[*n - 1];
	*rc = journal ? journal_load(p, a) : plan_load(p, a);
	return p;
}

/* The version or name @fw sorts migration @path by. */
static const char *sort_key(struct arena *a, enum framework fw, const char *path)
{
	const char *base = base_name(path);
	const char *ver, *desc;
	size_t vl;
	switch (fw) {
	case FW_FLYWAY:
		if (flyway_name(base, &ver, &vl, &desc) == 'R')
			return arena_strdup(a, desc);
		return flyway_name(base, &ver, &vl, &desc) ? arena_strndup(a, ver, vl) : base;
	case FW_PRISMA:
		/* migration directories sort by name */
		return parent_name(a, path);
	case FW_DIESEL: {
		/* version_from_string: the name up to its first '_', dashes removed */
		const char *dir = parent_name(a, path);
		size_t l = strcspn(dir, "_");
		char *v = arena_alloc(a, l + 1);
		size_t k = 0;
		for (size_t i = 0; v && i < l; i++)
			if (dir[i] != '-')
				v[k++] = dir[i];
		return v ? v : "";
	}
	default:
		/* goose, golang-migrate, drizzle: the leading number; dbmate and sqitch: the name */
		return base;
	}
}

int framework_order(enum framework fw, struct input_list *list, size_t from, struct arena *a,
		    bool include_down, bool named, struct input_list *schemas)
{
	if (fw <= FW_PLAIN || list->n <= from)
		return PGS_OK;
	struct entry *e = arena_alloc(a, (list->n - from) * sizeof(*e));
	struct plan *plans = NULL;
	size_t n_plans = 0, cap_plans = 0, n = 0;
	int rc = PGS_OK;
	if (!e)
		return PGS_ERR_NOMEM;
	for (size_t i = from; i < list->n; i++) {
		const char *path = list->paths[i];
		enum fw_role role = strcmp(path, "-") ? framework_role(fw, path) : FW_ROLE_OTHER;
		if (!named && (role == FW_ROLE_SKIP || (role == FW_ROLE_DOWN && !include_down)))
			continue;
		if (role == FW_ROLE_SCHEMA) {
			if (ARENA_PUSH(a, schemas->paths, schemas->n, schemas->cap, path))
				return PGS_ERR_NOMEM;
			continue;
		}
		struct entry x = { .path = path, .fw = fw, .role = role, .pos = -1, .orig = i };
		x.cls = role == FW_ROLE_OTHER ? 0 : role == FW_ROLE_REPEATABLE ? 2 : 1;
		x.key = sort_key(a, fw, path);
		if (x.cls == 1 && (fw == FW_SQITCH || fw == FW_DRIZZLE)) {
			bool journal = fw == FW_DRIZZLE;
			const char *project = journal ? dir_name(a, path) : dir_name(a, dir_name(a, path));
			struct plan *pl = plan_for(&plans, &n_plans, &cap_plans, a, project, journal, &rc);
			if (rc)
				return rc;
			x.group = fw == FW_SQITCH ? project : NULL;
			x.pos = plan_position(pl, base_name(path));
		}
		e[n++] = x;
	}
	if (a->failed)
		return PGS_ERR_NOMEM;
	if (!named)
		qsort(e, n, sizeof(*e), cmp_entries);
	for (size_t i = 0; i < n; i++)
		list->paths[from + i] = e[i].path;
	list->n = from + n;
	return PGS_OK;
}

/* ---------------------------------------------------------------------
 * Sections
 * ------------------------------------------------------------------- */

struct span {
	size_t start, end;
};

struct splitter {
	struct arena *a;
	const struct source *src;
	struct fw_split *out;
	struct span *breaks;    /* text the tool ends a statement at: becomes ';' and blanks */
	size_t n_breaks, cap_breaks;
};

static int add_unit(struct splitter *sp, size_t start, size_t end, bool down, enum fw_txn t)
{
	struct fw_unit u = { .start = start, .end = end, .down = down, .directive = t };
	return ARENA_PUSH(sp->a, sp->out->units, sp->out->n, sp->out->cap, u);
}

static int add_break(struct splitter *sp, size_t start, size_t end)
{
	struct span s = { start, end };
	return ARENA_PUSH(sp->a, sp->breaks, sp->n_breaks, sp->cap_breaks, s);
}

/*
 * The line at *pos: [*ls, *le) without its line break (and a CR before
 * it); moves *pos past the break. Returns false at the end of the text.
 */
static bool next_line(const char *t, size_t len, size_t *pos, size_t *ls, size_t *le)
{
	if (*pos >= len)
		return false;
	*ls = *pos;
	const char *nl = memchr(t + *pos, '\n', len - *pos);
	size_t e = nl ? (size_t)(nl - t) : len;
	*pos = nl ? e + 1 : len;
	*le = e > *ls && t[e - 1] == '\r' ? e - 1 : e;
	return true;
}

/*
 * goose: one -- +goose Up, an optional -- +goose Down after it; a file
 * without annotations is all up. -- +goose NO TRANSACTION anywhere runs
 * both directions without a transaction. -- +goose StatementBegin /
 * StatementEnd make the text between them one statement, ended by the
 * StatementEnd line even without a ';' (internal/sqlparser/parser.go).
 */
static int split_goose(struct splitter *sp)
{
	const char *t = sp->src->text;
	size_t len = sp->src->len;
	bool no_tx = false, down = false;
	size_t start = 0, pos = 0, ls, le;
	while (next_line(t, len, &pos, &ls, &le)) {
		switch (goose_annotation(t + ls, t + le)) {
		case GOOSE_UP:
			/* whatever precedes the Up annotation (comments, as a rule) goes with it */
			if (down) {
				if (add_unit(sp, start, ls, true, FW_TXN_DEFAULT))
					return PGS_ERR_NOMEM;
				start = ls;
				down = false;
			}
			break;
		case GOOSE_DOWN:
			if (!down) {
				if (add_unit(sp, start, ls, false, FW_TXN_DEFAULT))
					return PGS_ERR_NOMEM;
				start = pos;
				down = true;
			}
			break;
		case GOOSE_END:
			if (add_break(sp, ls, le))
				return PGS_ERR_NOMEM;
			break;
		case GOOSE_NO_TX:
			no_tx = true;
			break;
		default:
			break;
		}
	}
	if (add_unit(sp, start, len, down, FW_TXN_DEFAULT))
		return PGS_ERR_NOMEM;
	for (size_t i = 0; no_tx && i < sp->out->n; i++)
		sp->out->units[i].directive = FW_TXN_NONE;
	return PGS_OK;
}

/*
 * dbmate: each -- migrate:up starts a section that runs on its own (in a
 * transaction unless its marker says transaction:false), up to its
 * -- migrate:down, whose section runs only on rollback. Text before the
 * first marker (dbmate refuses statements there) goes with the first up.
 */
static int split_dbmate(struct splitter *sp)
{
	const char *t = sp->src->text;
	size_t len = sp->src->len;
	bool down = false, first = true;
	size_t start = 0, pos = 0, ls, le;
	enum fw_txn txn = FW_TXN_DEFAULT;
	while (next_line(t, len, &pos, &ls, &le)) {
		const char *opts;
		int kind = dbmate_marker(t + ls, t + le, &opts);
		if (!kind)
			continue;
		if (!(first && kind == 1) && add_unit(sp, start, ls, down, txn))
			return PGS_ERR_NOMEM;
		if (!first || kind != 1)
			start = ls;
		first = false;
		down = kind < 0;
		txn = dbmate_options(opts, t + le);
	}
	return add_unit(sp, start, len, down, txn) ? PGS_ERR_NOMEM : PGS_OK;
}

/* Reads a "key = value" setting from a properties or TOML file: 1 true, 0 false, -1 absent. */
static int side_setting(struct arena *a, const char *path, const char *key)
{
	size_t len = 0;
	char *text = read_small(a, path, SIDE_FILE_MAX_BYTES, &len);
	if (!text)
		return -1;
	size_t kl = strlen(key);
	int value = -1;
	size_t pos = 0, ls, le;
	while (next_line(text, len, &pos, &ls, &le)) {
		const char *p = text + ls, *end = text + le;
		p = skip_blank(p, end);
		if ((size_t)(end - p) <= kl || strncmp(p, key, kl))
			continue;
		p = skip_blank(p + kl, end);
		if (p == end || *p != '=')
			continue;
		p = skip_blank(p + 1, end);
		if (word_at(p, end, "false", NULL))
			value = 0;
		else if (word_at(p, end, "true", NULL))
			value = 1;
	}
	return value;
}

int framework_split(enum framework fw, const struct source *src, bool include_down,
		    struct arena *a, struct fw_split *out)
{
	struct splitter sp = { .a = a, .src = src, .out = out };
	int rc;
	memset(out, 0, sizeof(*out));
	enum fw_role role = framework_role(fw, src->path);

	if (fw == FW_GOOSE)
		rc = split_goose(&sp);
	else if (fw == FW_DBMATE)
		rc = split_dbmate(&sp);
	else
		rc = add_unit(&sp, 0, src->len, role == FW_ROLE_DOWN, FW_TXN_DEFAULT);
	if (rc)
		return rc;

	/* settings kept beside the migration count as directives */
	int side = -1;
	if (fw == FW_FLYWAY)
		/* V1__x.sql.conf: executeInTransaction=false (Flyway 6.1 script configuration) */
		side = side_setting(a, arena_printf(a, "%s.conf", src->path), "executeInTransaction");
	else if (fw == FW_DIESEL && role != FW_ROLE_OTHER)
		/* metadata.toml: run_in_transaction = false; diesel then runs the file with batch_execute */
		side = side_setting(a, arena_printf(a, "%s/metadata.toml", dir_name(a, src->path)),
				    "run_in_transaction");
	for (size_t i = 0; side >= 0 && i < out->n; i++)
		out->units[i].directive = side ? FW_TXN_WRAPPED :
			fw == FW_DIESEL ? FW_TXN_MULTI : FW_TXN_NONE;

	if (fw == FW_DRIZZLE) {
		/* drizzle's migrator splits the file at each breakpoint (migrator.ts readMigrationFiles) */
		const char *p = src->text, *end = src->text + src->len;
		const char *hit;
		while ((hit = find(p, (size_t)(end - p), breakpoint))) {
			size_t at = (size_t)(hit - src->text);
			if (add_break(&sp, at, at + sizeof(breakpoint) - 1))
				return PGS_ERR_NOMEM;
			p = hit + sizeof(breakpoint) - 1;
		}
	}

	/* down sections are linted only when asked; a down-only file was chosen already */
	size_t kept = 0;
	for (size_t i = 0; i < out->n; i++)
		if (!out->units[i].down || include_down || role == FW_ROLE_DOWN)
			out->units[kept++] = out->units[i];
	out->n = kept;
	for (size_t i = 0; role == FW_ROLE_OTHER && i < out->n; i++)
		out->units[i].plain = true;

	for (size_t i = 0; i < out->n; i++) {
		struct fw_unit *u = &out->units[i];
		if (u->start == 0 && u->end == src->len && !sp.n_breaks) {
			u->text = src->text;
			continue;
		}
		char *m = arena_alloc(a, src->len + 1);
		if (!m)
			return PGS_ERR_NOMEM;
		memcpy(m, src->text, src->len);
		/* blank everything outside the unit, keeping line breaks so positions stay */
		for (size_t k = 0; k < src->len; k++)
			if ((k < u->start || k >= u->end) && m[k] != '\n')
				m[k] = ' ';
		for (size_t b = 0; b < sp.n_breaks; b++) {
			const struct span *s = &sp.breaks[b];
			if (s->start < u->start || s->start >= u->end)
				continue;
			m[s->start] = ';';
			for (size_t k = s->start + 1; k < s->end; k++)
				m[k] = ' ';
		}
		u->text = m;
	}
	return PGS_OK;
}

/* ---------------------------------------------------------------------
 * Transactions
 * ------------------------------------------------------------------- */

enum fw_txn framework_default_txn(enum framework fw)
{
	switch (fw) {
	case FW_GOOSE:          /* each file in a transaction (goose docs, NO TRANSACTION) */
	case FW_DBMATE:         /* each section in a transaction (migration.go Transaction()) */
	case FW_DIESEL:         /* each migration in its own transaction (file_based_migrations.rs) */
	case FW_DRIZZLE:        /* all pending migrations in one transaction (pg-core dialect migrate) */
		return FW_TXN_WRAPPED;
	case FW_GOLANG_MIGRATE: /* the file is one Exec (database/postgres Run) */
	case FW_PRISMA:         /* the file is one script, no BEGIN of its own */
		return FW_TXN_MULTI;
	case FW_FLYWAY:
		return FW_TXN_FLYWAY;
	default:                /* plain SQL, sqitch (psql runs the script), rails structure */
		return FW_TXN_NONE;
	}
}

bool framework_flyway_non_transactional(const PgQuery__Node *n, int pg_version)
{
	if (!n)
		return false;
	switch (n->node_case) {
	/* ^(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION), ^ALTER SYSTEM */
	case PG_QUERY__NODE__NODE_CREATEDB_STMT:
	case PG_QUERY__NODE__NODE_DROPDB_STMT:
	case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
	case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT:
	case PG_QUERY__NODE__NODE_DROP_SUBSCRIPTION_STMT:
	case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
		return true;
	/* ^(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY */
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		return n->index_stmt->concurrent;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		return n->drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX &&
		       n->drop_stmt->concurrent;
	/* ^REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM): REINDEX TABLE CONCURRENTLY is not spotted */
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		return n->reindex_stmt->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA ||
		       n->reindex_stmt->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE ||
		       n->reindex_stmt->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM;
	/* ^VACUUM (ANALYZE alone is a different statement) */
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
		return n->vacuum_stmt->is_vacuumcmd;
	/* ^DISCARD ALL */
	case PG_QUERY__NODE__NODE_DISCARD_STMT:
		return n->discard_stmt->target == PG_QUERY__DISCARD_MODE__DISCARD_ALL;
	/* ^ALTER TYPE .* ADD VALUE, only for servers before 12 */
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
		return pg_version < 12 && !(n->alter_enum_stmt->old_val && *n->alter_enum_stmt->old_val);
	default:
		return false;
	}
}

static bool opens_transaction(const PgQuery__Node *n)
{
	return NODE(n, TRANSACTION_STMT) &&
	       (n->transaction_stmt->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN ||
		n->transaction_stmt->kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START);
}

bool framework_unit_wrapped(enum framework fw, const struct fw_unit *u, bool assume_in_transaction,
			    enum fw_txn config, const struct parsed_file *pf, int pg_version)
{
	enum fw_txn t = u->directive;
	if (t == FW_TXN_DEFAULT && assume_in_transaction)
		t = FW_TXN_WRAPPED;
	if (t == FW_TXN_DEFAULT)
		t = config;
	if (t == FW_TXN_DEFAULT)
		t = u->plain ? FW_TXN_NONE : framework_default_txn(fw);
	size_t sql = 0;
	switch (t) {
	case FW_TXN_WRAPPED:
		return true;
	case FW_TXN_MULTI:
		/*
		 * exec_simple_query runs a message of several statements in one
		 * implicit transaction block; a lone statement runs on its own,
		 * and a BEGIN in the text makes the block explicit.
		 */
		for (size_t i = 0; i < pf->n; i++) {
			if (pf->stmts[i].status == STMT_META)
				continue;
			if (pf->stmts[i].status == STMT_PARSED && opens_transaction(pf->stmts[i].node))
				return false;
			sql++;
		}
		return sql > 1;
	case FW_TXN_FLYWAY:
		for (size_t i = 0; i < pf->n; i++)
			if (pf->stmts[i].status == STMT_PARSED &&
			    framework_flyway_non_transactional(pf->stmts[i].node, pg_version))
				return false;
		return true;
	default:
		return false;
	}
}
