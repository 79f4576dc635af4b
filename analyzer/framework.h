/*
 * framework.h - migration tools' conventions (docs/frameworks.md).
 *
 * The stage between reading a file and parsing it. For each supported
 * tool it knows which files are migrations and in which order the tool
 * applies them, which part of a file is the up migration (down sections
 * are blanked out, byte for byte, so that positions stay those of the
 * original file), and whether each part runs inside a transaction the
 * tool opens. The tool is detected from the files, or named with
 * --framework.
 *
 * Everything returned lives in the arena passed in. Nothing here prints;
 * the only I/O is reading the files it is asked about and small files the
 * tools keep beside them (sqitch.plan, drizzle's meta/_journal.json,
 * Flyway's V1__x.sql.conf, diesel's metadata.toml).
 */
#ifndef PGS_FRAMEWORK_H
#define PGS_FRAMEWORK_H

#include "arena.h"
#include "inputs.h"
#include "parse.h"
#include "source.h"

enum framework {
	FW_AUTO = 0,            /* not chosen yet: detect */
	FW_PLAIN,               /* plain SQL run with psql -f */
	FW_GOOSE,
	FW_DBMATE,
	FW_GOLANG_MIGRATE,
	FW_FLYWAY,
	FW_SQITCH,
	FW_PRISMA,
	FW_DIESEL,
	FW_DRIZZLE,
	FW_RAILS_STRUCTURE,
	FW_COUNT
};

/* "goose", "golang-migrate", ...; "plain" for FW_AUTO. */
const char *framework_name(enum framework fw);

/* Parses a --framework value ("auto" gives FW_AUTO). Returns 0, or -1 when unknown. */
int framework_parse(const char *name, enum framework *out);

/* Every accepted name, comma-separated, for messages. */
const char *framework_names(void);

/* What a file is to its framework. */
enum fw_role {
	FW_ROLE_OTHER,          /* not named like the framework's migrations: plain SQL */
	FW_ROLE_UP,             /* a migration, or a file with up and down sections */
	FW_ROLE_DOWN,           /* only a down migration (*.down.sql, down.sql, revert/, Flyway U) */
	FW_ROLE_REPEATABLE,     /* Flyway R__: applied after every versioned migration */
	FW_ROLE_SCHEMA,         /* a schema dump that seeds the catalog (Rails structure.sql) */
	FW_ROLE_SKIP,           /* not a migration at all (sqitch verify/) */
};

enum fw_role framework_role(enum framework fw, const char *path);

/*
 * Guesses the framework of a run from its files: names (V1__x.sql,
 * 1_x.up.sql, <ts>_x/migration.sql, <ts>_x/up.sql, deploy/ beside
 * revert/, structure.sql) and markers in the text (-- +goose Up,
 * -- migrate:up, --> statement-breakpoint). The framework most files
 * agree on wins; FW_PLAIN when none.
 */
enum framework framework_detect(const char *const *paths, size_t n);

/*
 * Puts list->paths[from..] (one directory's files) in @fw's apply order:
 * files the framework does not name as migrations first (in the natural
 * order they came in), then migrations in the tool's order, then
 * Flyway's repeatable migrations. Down-only files stay (each after its up
 * migration) only with @include_down, and files the tool never runs go,
 * unless @named (the files were named one by one on the command line).
 * Schema dumps move to @schemas. Strings live in @a. Returns PGS_OK or
 * PGS_ERR_NOMEM.
 */
int framework_order(enum framework fw, struct input_list *list, size_t from, struct arena *a,
		    bool include_down, bool named, struct input_list *schemas);

/* How a part of a file is run. */
enum fw_txn {
	FW_TXN_DEFAULT,         /* nothing said in or beside the file */
	FW_TXN_NONE,            /* autocommit: each statement on its own, as psql -f */
	FW_TXN_WRAPPED,         /* inside one transaction the tool opens */
	FW_TXN_MULTI,           /* sent as one multi-statement query: PostgreSQL runs it as one
				 * implicit transaction when it holds more than one statement,
				 * unless it opens its own with BEGIN */
	FW_TXN_FLYWAY,          /* wrapped, unless a statement Flyway's parser says cannot run in
				 * a transaction (then the whole file runs without one) */
};

/* One part of a file that the tool runs as a whole: an up or a down section. */
struct fw_unit {
	const char *text;       /* the file's text, everything outside the unit blanked (same length) */
	size_t start, end;      /* the unit's bytes */
	bool down;
	bool plain;             /* not one of the framework's migrations: run as plain SQL */
	enum fw_txn directive;  /* what the file (or its .conf, metadata.toml) says, or FW_TXN_DEFAULT */
};

struct fw_split {
	struct fw_unit *units;  /* in source order */
	size_t n, cap;
};

/*
 * Splits @src into the units @fw runs that are to be linted: goose's
 * -- +goose Up / Down, dbmate's -- migrate:up / down (several pairs
 * allowed), anything else as one unit. Down sections are left out unless
 * @include_down; a down-only file (its inputs were chosen already) is one
 * down unit. Statement breaks the tool makes without a ';' (-- +goose
 * StatementEnd, drizzle's --> statement-breakpoint) become a ';' followed
 * by blanks. Returns PGS_OK or PGS_ERR_NOMEM.
 */
int framework_split(enum framework fw, const struct source *src, bool include_down,
		    struct arena *a, struct fw_split *out);

/*
 * Whether @u runs inside one transaction: a directive in or beside the
 * file, then the command line (@assume_in_transaction), then @config
 * (FW_TXN_DEFAULT: nothing configured), then the framework's default.
 * @pf holds the unit's statements (MULTI counts them; Flyway looks for
 * statements it will not wrap).
 */
bool framework_unit_wrapped(enum framework fw, const struct fw_unit *u, bool assume_in_transaction,
			    enum fw_txn config, const struct parsed_file *pf, int pg_version);

/* The framework's own default for an up unit, for documentation and tests. */
enum fw_txn framework_default_txn(enum framework fw);

/*
 * Whether Flyway's PostgreSQL parser runs a migration holding @stmt
 * outside a transaction (PostgreSQLParser.detectCanExecuteInTransaction).
 */
bool framework_flyway_non_transactional(const PgQuery__Node *stmt, int pg_version);

/*
 * Compares two Flyway versions ("1.1", "1_2", "10") part by part as
 * numbers, trailing zero parts ignored (MigrationVersion.compareTo).
 */
int framework_flyway_version_compare(const char *a, const char *b);

#endif
