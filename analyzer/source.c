/*
 * source.c - reading inputs and mapping offsets to positions (source.h).
 */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

size_t utf8_sequence_length(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void set_error(struct source_error *err, const char *id, unsigned line,
		      unsigned column, const char *fmt, const char *arg)
{
	err->id = id;
	err->line = line;
	err->column = column;
	snprintf(err->message, sizeof(err->message), fmt, arg);
}

static int index_lines(struct source *src, struct arena *a)
{
	size_t n = 1, cap = 0;
	for (size_t i = 0; i < src->len; i++)
		if (src->text[i] == '\n')
			n++;
	src->line_starts = arena_alloc(a, n * sizeof(size_t));
	if (!src->line_starts)
		return PGS_ERR_NOMEM;
	(void)cap;
	src->line_starts[0] = 0;
	src->n_lines = 1;
	for (size_t i = 0; i < src->len; i++)
		if (src->text[i] == '\n')
			src->line_starts[src->n_lines++] = i + 1;
	return PGS_OK;
}

static int validate(struct source *src, struct source_error *err)
{
	const unsigned char *t = (const unsigned char *)src->text;
	for (size_t i = 0; i < src->len; ) {
		if (t[i] == 0) {
			struct source_pos p;
			source_position(src, i, &p);
			set_error(err, "input-nul-byte", p.line, p.column,
				  "%s", "contains a NUL byte: a migration must be text");
			err->offset = i;
			return PGS_ERR_INPUT;
		}
		size_t n = utf8_sequence_length(t + i, src->len - i);
		if (!n) {
			struct source_pos p;
			source_position(src, i, &p);
			char hex[8];
			snprintf(hex, sizeof(hex), "0x%02x", t[i]);
			set_error(err, "input-not-utf8", p.line, p.column,
				  "invalid UTF-8 (byte %s); pgsafe reads migrations as UTF-8", hex);
			err->offset = i;
			return PGS_ERR_INPUT;
		}
		i += n;
	}
	return PGS_OK;
}

int source_from_buffer(struct source *src, struct arena *a, const char *display,
		       const char *text, size_t len, struct source_error *err)
{
	memset(src, 0, sizeof(*src));
	src->path = display;
	char *copy = arena_alloc(a, len + 1);
	if (!copy)
		return PGS_ERR_NOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	src->text = copy;
	src->len = len;
	if (index_lines(src, a))
		return PGS_ERR_NOMEM;
	return validate(src, err);
}

int source_read(struct source *src, struct arena *a, const char *path,
		const char *display, size_t max_bytes, struct source_error *err)
{
	FILE *f;
	int from_stdin = !strcmp(path, "-");
	int rc = PGS_OK;
	size_t cap = 0, len = 0;
	char *buf = NULL;

	memset(src, 0, sizeof(*src));
	src->path = display;
	if (!max_bytes)
		max_bytes = PGS_MAX_FILE_BYTES_DEFAULT;

	if (from_stdin) {
		f = stdin;
	} else {
		struct stat st;
		if (stat(path, &st) != 0) {
			set_error(err, "input-unreadable", 0, 0, "cannot read: %s", strerror(errno));
			return PGS_ERR_IO;
		}
		if (S_ISDIR(st.st_mode)) {
			set_error(err, "input-unreadable", 0, 0, "%s", "cannot read: is a directory");
			return PGS_ERR_IO;
		}
		if (st.st_size > 0 && (unsigned long long)st.st_size > max_bytes) {
			char msg[64];
			snprintf(msg, sizeof(msg), "%zu", max_bytes);
			set_error(err, "input-too-large", 0, 0,
				  "file is larger than the limit of %s bytes (--max-file-size)", msg);
			return PGS_ERR_INPUT;
		}
		f = fopen(path, "rb");
		if (!f) {
			set_error(err, "input-unreadable", 0, 0, "cannot read: %s", strerror(errno));
			return PGS_ERR_IO;
		}
		cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	}
	if (!cap)
		cap = 4096;
	buf = arena_alloc(a, cap + 1);
	if (!buf) {
		rc = PGS_ERR_NOMEM;
		goto out_close;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= max_bytes + 1) {
				char msg[64];
				snprintf(msg, sizeof(msg), "%zu", max_bytes);
				set_error(err, "input-too-large", 0, 0,
					  "input is larger than the limit of %s bytes (--max-file-size)", msg);
				rc = PGS_ERR_INPUT;
				goto out_close;
			}
			size_t ncap = cap * 2 > max_bytes + 1 ? max_bytes + 1 : cap * 2;
			char *nb = arena_grow(a, buf, len, ncap + 1);
			if (!nb) {
				rc = PGS_ERR_NOMEM;
				goto out_close;
			}
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				set_error(err, "input-unreadable", 0, 0, "cannot read: %s", strerror(errno));
				rc = PGS_ERR_IO;
				goto out_close;
			}
			break;
		}
	}
	if (len > max_bytes) {
		char msg[64];
		snprintf(msg, sizeof(msg), "%zu", max_bytes);
		set_error(err, "input-too-large", 0, 0,
			  "input is larger than the limit of %s bytes (--max-file-size)", msg);
		rc = PGS_ERR_INPUT;
		goto out_close;
	}
	buf[len] = '\0';
	src->text = buf;
	src->len = len;
	if (index_lines(src, a)) {
		rc = PGS_ERR_NOMEM;
		goto out_close;
	}
	rc = validate(src, err);
out_close:
	if (!from_stdin)
		fclose(f);
	return rc;
}

static unsigned find_line(const struct source *src, size_t offset)
{
	size_t lo = 0, hi = src->n_lines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (src->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return (unsigned)lo;
}

void source_position(const struct source *src, size_t offset, struct source_pos *out)
{
	if (offset > src->len)
		offset = src->len;
	unsigned li = find_line(src, offset);
	size_t start = src->line_starts[li];
	unsigned cps = 0, u16 = 0;
	const unsigned char *t = (const unsigned char *)src->text;
	for (size_t i = start; i < offset; ) {
		size_t n = utf8_sequence_length(t + i, src->len - i);
		if (!n)
			n = 1;
		cps++;
		u16 += n == 4 ? 2 : 1;
		i += n;
	}
	out->line = li + 1;
	out->column = cps + 1;
	out->utf16 = u16;
	out->byte_col = (unsigned)(offset - start) + 1;
}

size_t source_line_start(const struct source *src, unsigned line)
{
	if (line == 0)
		return 0;
	if (line > src->n_lines)
		return src->len;
	return src->line_starts[line - 1];
}

size_t source_line_end(const struct source *src, unsigned line)
{
	size_t end = line < src->n_lines ? src->line_starts[line] : src->len;
	size_t start = source_line_start(src, line);
	while (end > start && (src->text[end - 1] == '\n' || src->text[end - 1] == '\r'))
		end--;
	return end;
}

size_t source_char_to_byte(const char *text, size_t len, size_t base, size_t chars)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = base;
	while (chars > 0 && i < len) {
		size_t n = utf8_sequence_length(t + i, len - i);
		i += n ? n : 1;
		chars--;
	}
	return i;
}
