/*
 * test_lsp_position.c - LSP positions (lsp.h): (line, UTF-16 character) to
 * byte offsets and back, with astral-plane characters, CRLF line ends,
 * positions past the end of a line or of the text, and a character that
 * falls inside a surrogate pair. Suite lsp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lsp.h"

/* "a😀b\r\n𝄞é\nlast": 😀 and 𝄞 are 4 bytes and 2 UTF-16 units, é 2 bytes and 1 unit. */
static const char text[] = "a\xf0\x9f\x98\x80" "b\r\n" "\xf0\x9d\x84\x9e\xc3\xa9\n" "last";

static size_t off(unsigned line, unsigned character)
{
	return lsp_offset_of(text, strlen(text), line, character);
}

static void test_offset_of(void **state)
{
	(void)state;
	assert_int_equal(off(0, 0), 0);
	assert_int_equal(off(0, 1), 1);       /* before 😀 */
	assert_int_equal(off(0, 3), 5);       /* after 😀: two units */
	assert_int_equal(off(0, 4), 6);       /* after b, before \r\n */
	assert_int_equal(off(1, 0), 8);
	assert_int_equal(off(1, 2), 12);      /* after 𝄞 */
	assert_int_equal(off(1, 3), 14);      /* after é */
	assert_int_equal(off(2, 4), 19);      /* the end of the text */
}

static void test_offset_of_clamps(void **state)
{
	(void)state;
	/* inside the surrogate pair of 😀: the code point's first byte */
	assert_int_equal(off(0, 2), 1);
	/* past the end of a CRLF line: before "\r\n" */
	assert_int_equal(off(0, 99), 6);
	/* past the end of an LF line: before "\n" */
	assert_int_equal(off(1, 99), 14);
	/* past the last line: the end of the text */
	assert_int_equal(off(7, 0), strlen(text));
	assert_int_equal(lsp_offset_of("", 0, 0, 5), 0);
}

static void test_position_of(void **state)
{
	(void)state;
	unsigned line, character;
	size_t len = strlen(text);
	lsp_position_of(text, len, 0, 0, 0, 5, &line, &character);
	assert_int_equal(line, 0);
	assert_int_equal(character, 3);
	lsp_position_of(text, len, 0, 0, 0, 14, &line, &character);
	assert_int_equal(line, 1);
	assert_int_equal(character, 3);
	/* counting on from a known position gives the same answer */
	lsp_position_of(text, len, 8, 1, 0, 19, &line, &character);
	assert_int_equal(line, 2);
	assert_int_equal(character, 4);
	/* past the end: the end of the text */
	lsp_position_of(text, len, 0, 0, 0, len + 10, &line, &character);
	assert_int_equal(line, 2);
	assert_int_equal(character, 4);
}

static void test_round_trip(void **state)
{
	(void)state;
	size_t len = strlen(text);
	/* every code point boundary maps to a position and back to itself */
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = (unsigned char)text[i < len ? i : 0];
		if (i < len && (c & 0xc0) == 0x80)
			continue;
		if (i < len && text[i] == '\n' && i > 0 && text[i - 1] == '\r')
			continue;  /* between \r and \n: not a position LSP can name */
		unsigned line, character;
		lsp_position_of(text, len, 0, 0, 0, i, &line, &character);
		assert_int_equal(lsp_offset_of(text, len, line, character), i);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offset_of),
		cmocka_unit_test(test_offset_of_clamps),
		cmocka_unit_test(test_position_of),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
