/*
 * lsp.h - pgsafe as a Language Server: JSON-RPC 2.0 with Content-Length
 * framing over a pair of streams (LSP 3.17).
 *
 * An editor starts `pgsafe lsp` and sends it its open SQL documents. Each
 * document is linted on its own, from the editor's text (saved or not),
 * with the .pgsafe.yaml found from its path and the same pipeline as
 * `pgsafe lint`: a fresh struct lint_run (and configuration lookup) per
 * analysis, kept by the document until its next analysis or its close, so
 * that hovers and code actions read the very statements the diagnostics
 * came from. The server publishes the findings as diagnostics, explains a
 * statement's locks, rewrites, scans and transaction on hover, and offers
 * quick fixes: an ignore comment, and CONCURRENTLY or NOT VALID where the
 * rule has a mechanical fix. Positions on the wire count UTF-16 code units.
 *
 * Like a reporter, this module writes only to the streams it is given:
 * protocol messages to @out, one line per problem with the client's input
 * to @log. It never exits. Malformed input (bad headers, oversized
 * messages, invalid JSON, unexpected shapes) is logged and skipped or
 * answered with a JSON-RPC error; it never ends the session.
 */
#ifndef PGS_LSP_H
#define PGS_LSP_H

#include <stdbool.h>
#include <stdio.h>

#include "lint.h"

struct lsp_options {
	struct lint_options lint;       /* pg_version, assume_in_transaction, max_file_bytes */
	const char *docs_url;           /* codeDescription.href: this + '/' + rule id; NULL: none */
	size_t max_message_bytes;       /* larger messages are skipped; 0: lsp_default_max_message() */
	const char *config_path;        /* --config: for every document, instead of discovery */
	bool no_config;                 /* --no-config: no .pgsafe.yaml at all */
};

/* The message cap when none is set: twice the file cap, plus room for the JSON around it. */
size_t lsp_default_max_message(size_t max_file_bytes);

/*
 * Serves one client, reading requests from @in and writing responses and
 * notifications to @out (flushed after each message), until the client
 * sends "exit" or @in ends. *@clean_exit tells whether "shutdown" came
 * before "exit", which decides the process's exit status (LSP: 0, else 1).
 *
 * Returns PGS_OK when the session ended, PGS_ERR_IO when @out cannot be
 * written (the client is gone), PGS_ERR_NOMEM. Everything the server
 * allocated is freed before it returns.
 */
int lsp_serve(const struct lsp_options *opts, FILE *in, FILE *out, FILE *log, bool *clean_exit);

/*
 * Position helpers, exported for the unit tests. LSP counts lines from 0
 * (a line ends at "\n") and characters in UTF-16 code units: a code point
 * outside the Basic Multilingual Plane counts 2.
 */

/*
 * The byte offset of (@line, @character) in @text. A character past the
 * end of its line means the line's end; a line past the last means the
 * end of the text; a character inside a surrogate pair rounds down to the
 * code point's first byte.
 */
size_t lsp_offset_of(const char *text, size_t len, unsigned line, unsigned character);

/*
 * The position of byte @offset, counting from byte @from, which is at
 * (@line, @character) (0, 0, 0 to count from the start of the text).
 */
void lsp_position_of(const char *text, size_t len, size_t from, unsigned line, unsigned character,
		     size_t offset, unsigned *out_line, unsigned *out_character);

#endif
