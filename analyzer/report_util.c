/*
 * report_util.c - helpers shared by the machine-readable reporters
 * (report_util.h).
 */
#include "report_util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint.h"
#include "source.h"

static const struct report_severity_names severities[] = {
	[PGS_SEV_NONE] = { "none", "notice", "info", "INFO", "note", 4 },
	[PGS_SEV_HINT] = { "note", "notice", "info", "INFO", "note", 4 },
	[PGS_SEV_WARNING] = { "warning", "warning", "major", "WARNING", "warning", 2 },
	[PGS_SEV_ERROR] = { "error", "error", "critical", "ERROR", "error", 1 },
};

const struct report_severity_names *report_severity(enum pgs_severity sev)
{
	if ((unsigned)sev >= sizeof(severities) / sizeof(severities[0]))
		sev = PGS_SEV_ERROR;
	return &severities[sev];
}

bool report_url_is_absolute(const char *url)
{
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 3.1) */
	if (!url || !isalpha((unsigned char)url[0]))
		return false;
	const char *p = url + 1;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (strncmp(p, "://", 3) || !p[3])
		return false;
	for (p += 3; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

char *report_rule_url(struct arena *a, const char *base, const char *rule)
{
	if (!base)
		return NULL;
	size_t n = strlen(base);
	return arena_printf(a, "%s%s%s", base, n && base[n - 1] == '/' ? "" : "/", rule);
}

char *report_lock_text(struct arena *a, const struct diag *d)
{
	if (!d->relation)
		return NULL;
	const char *dur = d->duration ? d->duration : "the statement";
	/* "for a full scan", but "until the transaction ends" (report_text.c) */
	return arena_printf(a, "%s on %s blocks %s %s%s", pgs_lock_mode_sql(d->lock), d->relation,
			    pgs_lock_blocks_text(d->lock), strncmp(dur, "until", 5) ? "for " : "", dur);
}

const char *report_reserved_summary(const char *id)
{
	static const struct {
		const char *id, *text;
	} reserved[] = {
		{ "syntax-error", "the statement is not valid PostgreSQL syntax" },
		{ "unsupported-syntax", "the statement uses syntax newer than the grammar pgsafe parses with" },
		{ "psql-meta-command", "a psql meta-command, which pgsafe skips" },
		{ "input-unreadable", "the input could not be read" },
		{ "input-not-utf8", "the input is not valid UTF-8" },
		{ "input-nul-byte", "the input contains a NUL byte" },
		{ "input-empty", "the input has no SQL" },
		{ "input-too-large", "the input is larger than --max-file-size" },
		{ "unknown-rule-in-ignore", "a pgsafe:ignore comment names no known rule" },
		{ "unused-ignore", "a pgsafe:ignore comment silences nothing" },
		{ "ignore-without-reason", "a pgsafe:ignore comment gives no reason" },
	};
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(reserved[i].id, id))
			return reserved[i].text;
	return NULL;
}

char *report_utf8_clean(struct arena *a, const char *s)
{
	size_t len = strlen(s), bad = 0;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence_length((const unsigned char *)s + i, len - i);
		if (!n) {
			bad++;
			n = 1;
		}
		i += n;
	}
	if (!bad)
		return arena_strndup(a, s, len);
	/* each bad byte (1) becomes EF BF BD (3) */
	char *out = arena_alloc(a, len + 2 * bad + 1);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence_length((const unsigned char *)s + i, len - i);
		if (!n) {
			memcpy(out + k, "\xef\xbf\xbd", 3);
			k += 3;
			i++;
		} else {
			memcpy(out + k, s + i, n);
			k += n;
			i += n;
		}
	}
	out[k] = '\0';
	return out;
}

/* ---------------------------------------------------------------------
 * Fingerprints
 * ------------------------------------------------------------------- */

struct fp_slot {
	uint64_t base;
	size_t index;
};

/* Folds @v in little-endian order, so fingerprints agree across machines. */
static uint64_t fold_u64(uint64_t h, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return fnv1a64(h, b, sizeof(b));
}

static int fp_cmp(const void *pa, const void *pb)
{
	const struct fp_slot *a = pa, *b = pb;
	if (a->base != b->base)
		return a->base < b->base ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

uint64_t *report_fingerprints(struct arena *a, const struct diag_list *l)
{
	uint64_t *fps = arena_alloc(a, (l->n ? l->n : 1) * sizeof(*fps));
	struct fp_slot *slots = arena_alloc(a, (l->n ? l->n : 1) * sizeof(*slots));
	if (!fps || !slots)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		const struct diag *d = &l->items[i];
		uint64_t h = FNV1A64_INIT;
		h = fnv1a64(h, d->rule, strlen(d->rule) + 1);
		h = fnv1a64(h, d->file, strlen(d->file) + 1);
		h = fold_u64(h, d->stmt_hash);
		slots[i].base = h;
		slots[i].index = i;
	}
	/* the n-th finding with the same base, in report order, gets occurrence n */
	if (l->n > 1)
		qsort(slots, l->n, sizeof(*slots), fp_cmp);
	uint64_t occurrence = 0;
	for (size_t k = 0; k < l->n; k++) {
		occurrence = k && slots[k].base == slots[k - 1].base ? occurrence + 1 : 0;
		fps[slots[k].index] = fold_u64(slots[k].base, occurrence);
	}
	return fps;
}

void report_fingerprint_hex(uint64_t fp, char buf[17])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 15; i >= 0; i--) {
		buf[i] = hex[fp & 0xf];
		fp >>= 4;
	}
	buf[16] = '\0';
}

json_t *report_json_string(struct arena *a, const char *s)
{
	const char *clean = report_utf8_clean(a, s ? s : "");
	return clean ? json_string(clean) : NULL;
}
