/*
 * test_source.c - reading inputs and mapping byte offsets to positions
 * (source.h): UTF-8 validation with the position of the first bad byte,
 * NUL bytes, empty input, columns in code points / UTF-16 units / bytes,
 * and PostgreSQL's character cursor converted to a byte offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "source.h"

static int setup_arena(void **state)
{
	struct arena *a = malloc(sizeof(*a));
	if (!a)
		return -1;
	arena_init(a);
	*state = a;
	return 0;
}

static int teardown_arena(void **state)
{
	arena_release(*state);
	free(*state);
	return 0;
}

/* Validates @len bytes of @text; returns the status and fills @err. */
static int load(void **state, struct source *src, const char *text, size_t len,
		struct source_error *err)
{
	memset(err, 0, sizeof(*err));
	return source_from_buffer(src, *state, "mem.sql", text, len, err);
}

#define LOAD(state, src, lit, err) load((state), (src), (lit), sizeof(lit) - 1, (err))

static void test_valid_multibyte(void **state)
{
	struct source src;
	struct source_error err;
	/* 2-, 3- and 4-byte sequences, and the highest code point U+10FFFF */
	static const char text[] = "select 'é€😀', '\xf4\x8f\xbf\xbf';\n-- ok\n";
	assert_int_equal(LOAD(state, &src, text, &err), PGS_OK);
	assert_int_equal(src.len, sizeof(text) - 1);
	assert_string_equal(src.text, text);
	assert_string_equal(src.path, "mem.sql");
	assert_int_equal(src.n_lines, 3);   /* the text after the last newline is a line */
	assert_int_equal(src.line_starts[0], 0);
	assert_int_equal(src.line_starts[1], strchr(text, '\n') - text + 1);
}

static void test_sequence_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_sequence_length((const unsigned char *)"a", 1), 1);
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xc3\xa9", 2), 2);
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xe2\x82\xac", 3), 3);
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
	/* overlong forms of '/' and of U+0000 */
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xc0\xaf", 2), 0);
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xe0\x80\xaf", 3), 0);
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xf0\x80\x80\xaf", 4), 0);
	/* surrogates U+D800 and U+DFFF */
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xed\xa0\x80", 3), 0);
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xed\xbf\xbf", 3), 0);
	/* beyond U+10FFFF */
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
	/* truncated: not enough bytes available, or a non-continuation byte */
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xe2\x82", 2), 0);
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xe2\x82x", 3), 0);
	/* bytes that never start a sequence */
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\xff", 1), 0);
	assert_int_equal(utf8_sequence_length((const unsigned char *)"\x80", 1), 0);
}

/* The first bad byte is reported at line:column, the column in code points. */
static void expect_not_utf8(void **state, const char *text, size_t len, unsigned line,
			    unsigned column, const char *byte)
{
	struct source src;
	struct source_error err;
	assert_int_equal(load(state, &src, text, len, &err), PGS_ERR_INPUT);
	assert_string_equal(err.id, "input-not-utf8");
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
	assert_non_null(strstr(err.message, byte));
}

static void test_overlong(void **state)
{
	static const char t[] = "select 1;\nselect '\xc0\xaf';\n";
	expect_not_utf8(state, t, sizeof(t) - 1, 2, 9, "0xc0");
	static const char t3[] = "é \xe0\x80\xaf";
	expect_not_utf8(state, t3, sizeof(t3) - 1, 1, 3, "0xe0");
}

static void test_surrogate(void **state)
{
	static const char t[] = "-- ü\nselect 'x\xed\xa0\x80';";
	expect_not_utf8(state, t, sizeof(t) - 1, 2, 10, "0xed");
}

static void test_truncated_sequence(void **state)
{
	/* at the very end of the input */
	static const char end[] = "select '€'; -- \xe2\x82";
	expect_not_utf8(state, end, sizeof(end) - 1, 1, 16, "0xe2");
	/* followed by an ASCII byte */
	static const char mid[] = "ab\n\xe2\x82x\n";
	expect_not_utf8(state, mid, sizeof(mid) - 1, 2, 1, "0xe2");
}

static void test_byte_ff(void **state)
{
	static const char t[] = "select 1;\n\n  é\xff";
	expect_not_utf8(state, t, sizeof(t) - 1, 3, 4, "0xff");
}

static void test_nul_byte(void **state)
{
	struct source src;
	struct source_error err;
	static const char t[] = "select 1;\nselect 'ж'\0;\n";
	assert_int_equal(load(state, &src, t, sizeof(t) - 1, &err), PGS_ERR_INPUT);
	assert_string_equal(err.id, "input-nul-byte");
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 11);
	assert_non_null(strstr(err.message, "NUL"));
}

static void test_empty_text(void **state)
{
	struct source src;
	struct source_error err;
	assert_int_equal(load(state, &src, "", 0, &err), PGS_OK);
	assert_int_equal(src.len, 0);
	assert_string_equal(src.text, "");
	assert_int_equal(src.n_lines, 1);
	struct source_pos p;
	source_position(&src, 0, &p);
	assert_int_equal(p.line, 1);
	assert_int_equal(p.column, 1);
	assert_int_equal(p.utf16, 0);
	assert_int_equal(p.byte_col, 1);
	/* offsets past the end are clamped */
	source_position(&src, 100, &p);
	assert_int_equal(p.line, 1);
	assert_int_equal(p.column, 1);
}

static void test_position_columns(void **state)
{
	struct source src;
	struct source_error err;
	/* line 2: "x😀é€y" - 😀 is 4 bytes / 2 UTF-16 units, é 2 bytes, € 3 bytes */
	static const char t[] = "select 1;\nx😀é€y;\n";
	assert_int_equal(LOAD(state, &src, t, &err), PGS_OK);
	size_t y = (size_t)(strchr(t, 'y') - t);
	assert_int_equal(y, 10 + 1 + 4 + 2 + 3);
	struct source_pos p;
	source_position(&src, y, &p);
	assert_int_equal(p.line, 2);
	assert_int_equal(p.column, 5);     /* x, 😀, é, € before it */
	assert_int_equal(p.utf16, 5);      /* x=1, 😀=2, é=1, €=1 */
	assert_int_equal(p.byte_col, 11);  /* 10 bytes before it on the line */

	/* the astral character itself, and the character right after it */
	source_position(&src, 11, &p);
	assert_int_equal(p.column, 2);
	assert_int_equal(p.utf16, 1);
	source_position(&src, 15, &p);
	assert_int_equal(p.column, 3);
	assert_int_equal(p.utf16, 3);
	assert_int_equal(p.byte_col, 6);

	/* a newline byte belongs to the line it ends; the next byte starts line 3 */
	source_position(&src, 9, &p);
	assert_int_equal(p.line, 1);
	assert_int_equal(p.column, 10);
	source_position(&src, sizeof(t) - 1, &p);
	assert_int_equal(p.line, 3);
	assert_int_equal(p.column, 1);
}

static void test_line_start_end(void **state)
{
	struct source src;
	struct source_error err;
	static const char t[] = "ab\r\ncdé\n\nlast";
	assert_int_equal(LOAD(state, &src, t, &err), PGS_OK);
	assert_int_equal(src.n_lines, 4);
	assert_int_equal(source_line_start(&src, 1), 0);
	assert_int_equal(source_line_end(&src, 1), 2);      /* before "\r\n" */
	assert_int_equal(source_line_start(&src, 2), 4);
	assert_int_equal(source_line_end(&src, 2), 8);
	assert_int_equal(source_line_start(&src, 3), 9);
	assert_int_equal(source_line_end(&src, 3), 9);      /* empty line */
	assert_int_equal(source_line_start(&src, 4), 10);
	assert_int_equal(source_line_end(&src, 4), 14);
	assert_int_equal(source_line_start(&src, 5), 14);   /* past the last line */
}

static void test_char_to_byte(void **state)
{
	(void)state;
	static const char t[] = "select 'héllo wörld', 'привет' x;";
	size_t len = sizeof(t) - 1;
	assert_int_equal(source_char_to_byte(t, len, 0, 0), 0);
	assert_int_equal(source_char_to_byte(t, len, 0, 9), 9);      /* "select 'h" */
	assert_int_equal(source_char_to_byte(t, len, 0, 10), 11);    /* past "é" */
	/* 'x' is character 31 but byte 39: é, ö and six Cyrillic letters */
	size_t x = (size_t)(strrchr(t, 'x') - t);
	assert_int_equal(x, 39);
	assert_int_equal(source_char_to_byte(t, len, 0, 31), 39);
	/* counting from a base: the Cyrillic word starts at byte 25 */
	assert_int_equal(source_char_to_byte(t, len, 25, 1), 27);
	assert_int_equal(source_char_to_byte(t, len, 25, 3), 31);
	/* an astral character is one character */
	static const char e[] = "😀x";
	assert_int_equal(source_char_to_byte(e, sizeof(e) - 1, 0, 1), 4);
	/* clamped at the end */
	assert_int_equal(source_char_to_byte(t, len, 0, 1000), len);
}

static void test_read_file(void **state)
{
	char dir[] = "/tmp/pgsafe-unit-src-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/m.sql", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("select 'ü';\n", f);
	fclose(f);

	struct source src;
	struct source_error err;
	memset(&err, 0, sizeof(err));
	assert_int_equal(source_read(&src, *state, path, "m.sql", 0, &err), PGS_OK);
	assert_int_equal(src.len, 13);
	assert_string_equal(src.text, "select 'ü';\n");
	assert_string_equal(src.path, "m.sql");

	/* the size cap */
	assert_int_equal(source_read(&src, *state, path, "m.sql", 5, &err), PGS_ERR_INPUT);
	assert_string_equal(err.id, "input-too-large");

	/* a directory and a missing file are unreadable */
	assert_int_equal(source_read(&src, *state, dir, "d", 0, &err), PGS_ERR_IO);
	assert_string_equal(err.id, "input-unreadable");
	unlink(path);
	assert_int_equal(source_read(&src, *state, path, "m.sql", 0, &err), PGS_ERR_IO);
	assert_string_equal(err.id, "input-unreadable");
	rmdir(dir);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_arena, teardown_arena)
	const struct CMUnitTest tests[] = {
		T(test_valid_multibyte),
		T(test_sequence_length),
		T(test_overlong),
		T(test_surrogate),
		T(test_truncated_sequence),
		T(test_byte_ff),
		T(test_nul_byte),
		T(test_empty_text),
		T(test_position_columns),
		T(test_line_start_end),
		T(test_char_to_byte),
		T(test_read_file),
	};
	return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
