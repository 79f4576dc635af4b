/*
 * fingerprint.h - stable hashes of statements, for reporters that must
 * recognise the same finding across runs (GitLab Code Quality's
 * "fingerprint", SARIF's partialFingerprints).
 *
 * A finding keeps its fingerprint when lines are added above it, or when
 * its statement is re-indented or re-commented; it changes when the
 * statement's SQL changes. So the hash is taken over the statement's text
 * normalized as PostgreSQL's scanner would see it, never over positions.
 * Nothing here allocates.
 */
#ifndef PGS_FINGERPRINT_H
#define PGS_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

/* The 64-bit FNV-1a offset basis; start every hash from it. */
#define FNV1A64_INIT UINT64_C(0xcbf29ce484222325)

/* Folds @len bytes of @data into the FNV-1a hash @h and returns it. */
uint64_t fnv1a64(uint64_t h, const void *data, size_t len);

/*
 * Hashes SQL text after normalizing it: comments dropped, runs of
 * whitespace made one space, leading and trailing space trimmed, and
 * unquoted text folded to lower case (as PostgreSQL folds unquoted
 * identifiers and keywords). Quoted strings, quoted identifiers and
 * dollar-quoted bodies are hashed byte for byte. Never returns 0 for
 * non-blank text; returns 0 for @len 0 or blank text.
 */
uint64_t fingerprint_sql(const char *text, size_t len);

#endif
