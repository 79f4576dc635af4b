/*
 * split.c - the statement splitter (split.h).
 *
 * The lexer follows PostgreSQL's scan.l where it matters for boundaries:
 * '' doubles a quote, E'' strings take backslash escapes, "" doubles a
 * quote in identifiers, $tag$ opens a dollar quote only where an
 * identifier cannot continue, and block comments nest. psql meta-commands
 * follow psqlscan.l: a backslash outside quotes starts one, and it runs to
 * the end of the line.
 */
#include "split.h"

#include "pgsafe.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int is_ident_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static int is_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Length of a dollar-quote delimiter at t[i] ('$' ... '$'), or 0. */
static size_t dollar_tag(const char *t, size_t len, size_t i)
{
	size_t j = i + 1;
	if (j < len && t[j] == '$')
		return 2;
	if (j >= len || !is_ident_start((unsigned char)t[j]))
		return 0;
	while (j < len && (isalnum((unsigned char)t[j]) || t[j] == '_' || (unsigned char)t[j] >= 0x80))
		j++;
	if (j < len && t[j] == '$')
		return j - i + 1;
	return 0;
}

/* Skips a block comment starting at t[i] ("/" "*"); comments nest. */
static size_t skip_block_comment(const char *t, size_t len, size_t i, int *closed)
{
	int depth = 1;
	i += 2;
	while (i < len && depth > 0) {
		if (i + 1 < len && t[i] == '/' && t[i + 1] == '*') {
			depth++;
			i += 2;
		} else if (i + 1 < len && t[i] == '*' && t[i + 1] == '/') {
			depth--;
			i += 2;
		} else {
			i++;
		}
	}
	*closed = depth == 0;
	return i;
}

size_t split_skip_space(const char *t, size_t len, size_t i)
{
	for (;;) {
		while (i < len && isspace((unsigned char)t[i]))
			i++;
		if (i + 1 < len && t[i] == '-' && t[i + 1] == '-') {
			while (i < len && t[i] != '\n')
				i++;
			continue;
		}
		if (i + 1 < len && t[i] == '/' && t[i + 1] == '*') {
			int closed;
			i = skip_block_comment(t, len, i, &closed);
			continue;
		}
		return i;
	}
}

/*
 * The comment finder for inline directives (ignore.c). It steps over what
 * the splitter steps over, by the same rules: string constants ('' and
 * E''), quoted names, dollar quotes opened where a name cannot continue,
 * whole names (so "a$b$" opens nothing), and psql meta-command lines.
 */
int split_next_comment(const char *t, size_t len, size_t i, size_t *start, size_t *end)
{
	while (i < len) {
		unsigned char c = (unsigned char)t[i];
		if (c == '-' && i + 1 < len && t[i + 1] == '-') {
			*start = i;
			while (i < len && t[i] != '\n')
				i++;
			*end = i;
			return 1;
		}
		if (c == '/' && i + 1 < len && t[i + 1] == '*') {
			int closed;
			*start = i;
			*end = skip_block_comment(t, len, i, &closed);
			return 1;
		}
		int after_name = i > 0 && is_ident_char((unsigned char)t[i - 1]);
		if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < len && t[i + 1] == '\'' && !after_name)) {
			int backslash = c != '\'';
			i += backslash ? 2 : 1;
			while (i < len) {
				if (backslash && t[i] == '\\' && i + 1 < len) {
					i += 2;
				} else if (t[i] == '\'') {
					i++;
					if (i >= len || t[i] != '\'')
						break;
					i++;
				} else {
					i++;
				}
			}
		} else if (c == '"') {
			for (i++; i < len; i++)
				if (t[i] == '"') {
					if (i + 1 < len && t[i + 1] == '"')
						i++;
					else
						break;
				}
			i++;
		} else if (c == '$' && !after_name && dollar_tag(t, len, i)) {
			size_t tl = dollar_tag(t, len, i);
			const char *tag = t + i;
			for (i += tl; i < len; i++)
				if (t[i] == '$' && i + tl <= len && !memcmp(t + i, tag, tl))
					break;
			i += tl;
		} else if (c == '\\') {
			while (i < len && t[i] != '\n')
				i++;
		} else if (is_ident_start(c)) {
			while (i < len && is_ident_char((unsigned char)t[i]))
				i++;
		} else {
			i++;
		}
	}
	return 0;
}

struct lexer {
	const char *t;
	size_t len;
	struct arena *a;
	struct split_result *out;
	size_t cap;
	/* the statement being collected */
	size_t stmt_start;  /* (size_t)-1: none yet */
	size_t last_token_end;
	int paren;
	int atomic_depth;   /* >0 inside BEGIN ATOMIC ... END */
	int words;          /* keywords seen in this statement */
	char first_words[3][16];
	char prev_word[16];
	int copy_from_stdin;
};

static int push(struct lexer *lx, enum segment_kind kind, size_t start, size_t end, int term)
{
	struct segment s = { kind, start, end, term };
	return ARENA_PUSH(lx->a, lx->out->segs, lx->out->n, lx->cap, s);
}

static int end_statement(struct lexer *lx, int terminated)
{
	int rc = 0;
	if (lx->stmt_start != (size_t)-1)
		rc = push(lx, SEG_SQL, lx->stmt_start, lx->last_token_end, terminated);
	int copy = lx->copy_from_stdin;
	lx->stmt_start = (size_t)-1;
	lx->paren = 0;
	lx->atomic_depth = 0;
	lx->words = 0;
	lx->prev_word[0] = '\0';
	lx->copy_from_stdin = 0;
	return rc ? rc : (copy ? 1 : 0);
}

static void note_token(struct lexer *lx, size_t start, size_t end)
{
	if (lx->stmt_start == (size_t)-1)
		lx->stmt_start = start;
	lx->last_token_end = end;
}

/* Tracks the keywords that change how ';' is read. */
static void note_word(struct lexer *lx, const char *w, size_t n)
{
	char word[16];
	if (n >= sizeof(word))
		n = sizeof(word) - 1;
	for (size_t i = 0; i < n; i++)
		word[i] = (char)toupper((unsigned char)w[i]);
	word[n] = '\0';
	if (lx->words < 3)
		strcpy(lx->first_words[lx->words], word);
	lx->words++;

	if (lx->atomic_depth > 0) {
		if (!strcmp(word, "BEGIN") || !strcmp(word, "CASE"))
			lx->atomic_depth++;
		else if (!strcmp(word, "END"))
			lx->atomic_depth--;
	} else if (!strcmp(word, "ATOMIC") && !strcmp(lx->prev_word, "BEGIN") &&
		   !strcmp(lx->first_words[0], "CREATE")) {
		lx->atomic_depth = 1;
	}
	/* COPY ... FROM STDIN: data lines follow the statement */
	if (!strcmp(word, "STDIN") && !strcmp(lx->prev_word, "FROM") &&
	    !strcmp(lx->first_words[0], "COPY"))
		lx->copy_from_stdin = 1;
	strcpy(lx->prev_word, word);
}

/* Skips COPY data lines after @i, through the "\." line. */
static size_t skip_copy_data(struct lexer *lx, size_t i)
{
	const char *t = lx->t;
	size_t len = lx->len;
	while (i < len && t[i] != '\n')
		i++;            /* rest of the COPY line */
	if (i < len)
		i++;
	size_t start = i;
	while (i < len) {
		size_t eol = i;
		while (eol < len && t[eol] != '\n')
			eol++;
		size_t l = eol - i;
		if (l >= 2 && t[i] == '\\' && t[i + 1] == '.' &&
		    (l == 2 || (l == 3 && t[i + 2] == '\r'))) {
			push(lx, SEG_COPY_DATA, start, eol, 1);
			return eol;
		}
		i = eol < len ? eol + 1 : eol;
	}
	if (i > start)
		push(lx, SEG_COPY_DATA, start, i, 0);
	return i;
}

int split_statements(const char *t, size_t len, struct arena *a, struct split_result *out)
{
	struct lexer lx = { .t = t, .len = len, .a = a, .out = out, .stmt_start = (size_t)-1 };
	size_t i = 0;
	memset(out, 0, sizeof(*out));

	while (i < len) {
		unsigned char c = (unsigned char)t[i];
		size_t start = i;
		if (isspace(c)) {
			i++;
		} else if (c == '-' && i + 1 < len && t[i + 1] == '-') {
			while (i < len && t[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && t[i + 1] == '*') {
			int closed;
			i = skip_block_comment(t, len, i, &closed);
			if (!closed) {
				out->unterminated_quote = 1;
				out->unterminated_at = start;
			}
		} else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < len && t[i + 1] == '\'' &&
					 (i == 0 || !is_ident_char((unsigned char)t[i - 1])))) {
			int backslash = c != '\'';
			i += backslash ? 2 : 1;
			int closed = 0;
			while (i < len) {
				if (backslash && t[i] == '\\' && i + 1 < len) {
					i += 2;
				} else if (t[i] == '\'') {
					if (i + 1 < len && t[i + 1] == '\'') {
						i += 2;
					} else {
						i++;
						closed = 1;
						break;
					}
				} else {
					i++;
				}
			}
			if (!closed) {
				out->unterminated_quote = 1;
				out->unterminated_at = start;
			}
			note_token(&lx, start, i);
		} else if (c == '"') {
			i++;
			int closed = 0;
			while (i < len) {
				if (t[i] == '"') {
					if (i + 1 < len && t[i + 1] == '"') {
						i += 2;
						continue;
					}
					i++;
					closed = 1;
					break;
				}
				i++;
			}
			if (!closed) {
				out->unterminated_quote = 1;
				out->unterminated_at = start;
			}
			note_token(&lx, start, i);
		} else if (c == '$' && (i == 0 || !is_ident_char((unsigned char)t[i - 1])) &&
			   dollar_tag(t, len, i)) {
			size_t tl = dollar_tag(t, len, i);
			const char *tag = t + i;
			i += tl;
			int closed = 0;
			while (i < len) {
				if (t[i] == '$' && i + tl <= len && !memcmp(t + i, tag, tl)) {
					i += tl;
					closed = 1;
					break;
				}
				i++;
			}
			if (!closed) {
				out->unterminated_quote = 1;
				out->unterminated_at = start;
			}
			note_token(&lx, start, i);
		} else if (c == '\\' && i + 1 < len && t[i + 1] == ';') {
			/* psql's \; separates statements sent together */
			if (end_statement(&lx, 1) < 0)
				return PGS_ERR_NOMEM;
			i += 2;
		} else if (c == '\\') {
			/*
			 * psql meta-command: to the end of the line. One after the start
			 * of a statement ends it (\g, \gset, \crosstabview send it), so no
			 * statement ever spans a meta-command.
			 */
			size_t eol = i;
			while (eol < len && t[eol] != '\n')
				eol++;
			if (lx.stmt_start != (size_t)-1) {
				int copy = end_statement(&lx, 1);
				if (copy < 0)
					return PGS_ERR_NOMEM;
			}
			if (push(&lx, SEG_META, i, eol, 1))
				return PGS_ERR_NOMEM;
			i = eol;
		} else if (c == ';') {
			if (lx.paren > 0 || lx.atomic_depth > 0) {
				note_token(&lx, start, i + 1);
				i++;
				continue;
			}
			int copy = end_statement(&lx, 1);
			if (copy < 0)
				return PGS_ERR_NOMEM;
			i++;
			if (copy)
				i = skip_copy_data(&lx, i);
		} else if (c == '(' || c == '[') {
			lx.paren++;
			note_token(&lx, start, ++i);
		} else if (c == ')' || c == ']') {
			if (lx.paren > 0)
				lx.paren--;
			note_token(&lx, start, ++i);
		} else if (is_ident_start(c)) {
			while (i < len && is_ident_char((unsigned char)t[i]))
				i++;
			note_word(&lx, t + start, i - start);
			note_token(&lx, start, i);
		} else {
			i++;
			note_token(&lx, start, i);
		}
	}
	if (end_statement(&lx, 0) < 0)
		return PGS_ERR_NOMEM;
	return a->failed ? PGS_ERR_NOMEM : PGS_OK;
}
