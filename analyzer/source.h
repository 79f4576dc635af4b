/*
 * source.h - one input's bytes and the map from byte offsets to positions.
 *
 * First stage of the pipeline: reads a file or stdin under a size cap,
 * rejects NUL bytes and invalid UTF-8 (with the position of the first bad
 * byte), and indexes line starts. Everything lives in the arena passed in
 * (the file arena).
 */
#ifndef PGS_SOURCE_H
#define PGS_SOURCE_H

#include "arena.h"
#include "pgsafe.h"

#define PGS_MAX_FILE_BYTES_DEFAULT (64u * 1024 * 1024)

struct source {
	const char *path;    /* as shown to people; lives in the run arena */
	const char *text;    /* NUL-terminated copy of the bytes */
	size_t len;
	size_t *line_starts; /* byte offset of each line's first byte */
	size_t n_lines;
};

/* A position, as people and editors count it. */
struct source_pos {
	unsigned line;       /* 1-based */
	unsigned column;     /* 1-based, in Unicode code points */
	unsigned utf16;      /* 0-based, in UTF-16 code units (LSP) */
	unsigned byte_col;   /* 1-based, in bytes (reviewdog) */
};

/* Why an input could not be used; filled by the readers below. */
struct source_error {
	const char *id;      /* "input-unreadable", "input-not-utf8", ... */
	unsigned line;       /* 0 when the problem has no line */
	unsigned column;
	size_t offset;       /* byte offset of the bad byte, when there is a line */
	char message[256];
};

/*
 * Reads @path (or stdin when @path is "-") into @src. Returns PGS_OK, or
 * PGS_ERR_IO / PGS_ERR_INPUT with @err filled. @display is the name used
 * in messages; @max_bytes caps the size (0: the default).
 */
int source_read(struct source *src, struct arena *a, const char *path,
		const char *display, size_t max_bytes, struct source_error *err);

/* Wraps text already in memory (validated like a file). */
int source_from_buffer(struct source *src, struct arena *a, const char *display,
		       const char *text, size_t len, struct source_error *err);

/* Converts a byte offset (clamped to the text) to a position. */
void source_position(const struct source *src, size_t offset, struct source_pos *out);

/* The byte offset where 1-based @line starts (the end of text past the last). */
size_t source_line_start(const struct source *src, unsigned line);
/* The byte offset of the end of @line, before its newline. */
size_t source_line_end(const struct source *src, unsigned line);

/*
 * Converts a 0-based character (code point) index, as PostgreSQL's error
 * cursor counts, measured from byte @base, into a byte offset.
 */
size_t source_char_to_byte(const char *text, size_t len, size_t base, size_t chars);

/* Length of the valid UTF-8 sequence at @s (1..4), or 0 if invalid. */
size_t utf8_sequence_length(const unsigned char *s, size_t avail);

#endif
