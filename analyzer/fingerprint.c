/*
 * fingerprint.c - FNV-1a and the SQL normalization behind stable
 * fingerprints (fingerprint.h).
 *
 * The normalizer is a small scanner in the spirit of PostgreSQL's
 * (scan.l): it knows comments (-- and nested slash-star), quoted strings,
 * quoted identifiers and dollar quotes, which is all it needs to decide
 * where whitespace and case are insignificant. It never fails: on text the
 * real scanner would reject it still produces a deterministic hash.
 */
#include "fingerprint.h"

#include <ctype.h>
#include <stdbool.h>

/* FNV-1a 64-bit prime (Fowler, Noll, Vo; draft-eastlake-fnv) */
#define FNV1A64_PRIME UINT64_C(0x100000001b3)

uint64_t fnv1a64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= FNV1A64_PRIME;
	}
	return h;
}

struct norm {
	uint64_t h;
	bool started;      /* something was hashed */
	bool space;        /* whitespace or a comment is pending */
};

static void put(struct norm *n, unsigned char c)
{
	if (n->space && n->started) {
		unsigned char sp = ' ';
		n->h = fnv1a64(n->h, &sp, 1);
	}
	n->space = false;
	n->started = true;
	n->h = fnv1a64(n->h, &c, 1);
}

static bool is_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Length of a dollar-quote delimiter ($$ or $tag$) at @i, or 0. */
static size_t dollar_tag(const char *t, size_t len, size_t i)
{
	size_t j = i + 1;
	if (j < len && (isalpha((unsigned char)t[j]) || t[j] == '_' || (unsigned char)t[j] >= 0x80))
		while (j < len && (isalnum((unsigned char)t[j]) || t[j] == '_' ||
				   (unsigned char)t[j] >= 0x80))
			j++;
	return j < len && t[j] == '$' ? j + 1 - i : 0;
}

uint64_t fingerprint_sql(const char *text, size_t len)
{
	struct norm n = { FNV1A64_INIT, false, false };
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		if (isspace(c)) {
			n.space = true;
			i++;
		} else if (c == '-' && i + 1 < len && text[i + 1] == '-') {
			while (i < len && text[i] != '\n')
				i++;
			n.space = true;
		} else if (c == '/' && i + 1 < len && text[i + 1] == '*') {
			/* PostgreSQL's block comments nest */
			int depth = 0;
			do {
				if (text[i] == '/' && i + 1 < len && text[i + 1] == '*') {
					depth++;
					i += 2;
				} else if (text[i] == '*' && i + 1 < len && text[i + 1] == '/') {
					depth--;
					i += 2;
				} else {
					i++;
				}
			} while (i < len && depth > 0);
			n.space = true;
		} else if (c == '\'' || c == '"') {
			/* verbatim up to the closing quote; a doubled quote stays inside */
			put(&n, c);
			i++;
			while (i < len) {
				unsigned char q = (unsigned char)text[i++];
				put(&n, q);
				if (q == c) {
					if (i < len && (unsigned char)text[i] == c) {
						put(&n, c);
						i++;
					} else {
						break;
					}
				}
			}
		} else if (c == '$' && (i == 0 || !is_ident_char((unsigned char)text[i - 1])) &&
			   dollar_tag(text, len, i)) {
			size_t tl = dollar_tag(text, len, i);
			const char *tag = text + i;
			for (size_t k = 0; k < tl; k++)
				put(&n, (unsigned char)tag[k]);
			i += tl;
			/* verbatim up to the same tag */
			while (i < len) {
				if (text[i] == '$' && i + tl <= len) {
					size_t k = 0;
					while (k < tl && text[i + k] == tag[k])
						k++;
					if (k == tl) {
						for (k = 0; k < tl; k++)
							put(&n, (unsigned char)tag[k]);
						i += tl;
						break;
					}
				}
				put(&n, (unsigned char)text[i++]);
			}
		} else {
			put(&n, (unsigned char)tolower(c));
			i++;
		}
	}
	return n.started ? (n.h ? n.h : 1) : 0;
}
