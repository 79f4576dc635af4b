/*
 * pgsafe.c - names and facts for the shared vocabulary in pgsafe.h.
 *
 * The conflict table is PostgreSQL's (lock.c LockConflicts, documented in
 * "Explicit Locking", table 13.2); it is the same in every supported version.
 */
#include "pgsafe.h"

#include <string.h>

const char *pgs_severity_name(enum pgs_severity sev)
{
	switch (sev) {
	case PGS_SEV_HINT: return "hint";
	case PGS_SEV_WARNING: return "warning";
	case PGS_SEV_ERROR: return "error";
	case PGS_SEV_NONE: break;
	}
	return "none";
}

enum pgs_severity pgs_severity_parse(const char *name)
{
	if (!strcmp(name, "hint"))
		return PGS_SEV_HINT;
	if (!strcmp(name, "warning"))
		return PGS_SEV_WARNING;
	if (!strcmp(name, "error"))
		return PGS_SEV_ERROR;
	return PGS_SEV_NONE;
}

const char *pgs_lock_mode_name(enum pgs_lock_mode mode)
{
	static const char *const names[] = {
		"NoLock", "AccessShareLock", "RowShareLock", "RowExclusiveLock",
		"ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
		"ExclusiveLock", "AccessExclusiveLock",
	};
	return names[mode];
}

const char *pgs_lock_mode_sql(enum pgs_lock_mode mode)
{
	static const char *const names[] = {
		"NO LOCK", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE",
		"SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE",
		"EXCLUSIVE", "ACCESS EXCLUSIVE",
	};
	return names[mode];
}

/* Bit i set: conflicts with mode i. */
static const unsigned conflicts[] = {
	[PGS_LOCK_NONE] = 0,
	[PGS_LOCK_ACCESS_SHARE] = 1u << PGS_LOCK_ACCESS_EXCLUSIVE,
	[PGS_LOCK_ROW_SHARE] = 1u << PGS_LOCK_EXCLUSIVE | 1u << PGS_LOCK_ACCESS_EXCLUSIVE,
	[PGS_LOCK_ROW_EXCLUSIVE] = 1u << PGS_LOCK_SHARE | 1u << PGS_LOCK_SHARE_ROW_EXCLUSIVE |
		1u << PGS_LOCK_EXCLUSIVE | 1u << PGS_LOCK_ACCESS_EXCLUSIVE,
	[PGS_LOCK_SHARE_UPDATE_EXCLUSIVE] = 1u << PGS_LOCK_SHARE_UPDATE_EXCLUSIVE |
		1u << PGS_LOCK_SHARE | 1u << PGS_LOCK_SHARE_ROW_EXCLUSIVE |
		1u << PGS_LOCK_EXCLUSIVE | 1u << PGS_LOCK_ACCESS_EXCLUSIVE,
	[PGS_LOCK_SHARE] = 1u << PGS_LOCK_ROW_EXCLUSIVE | 1u << PGS_LOCK_SHARE_UPDATE_EXCLUSIVE |
		1u << PGS_LOCK_SHARE_ROW_EXCLUSIVE | 1u << PGS_LOCK_EXCLUSIVE |
		1u << PGS_LOCK_ACCESS_EXCLUSIVE,
	[PGS_LOCK_SHARE_ROW_EXCLUSIVE] = 1u << PGS_LOCK_ROW_EXCLUSIVE |
		1u << PGS_LOCK_SHARE_UPDATE_EXCLUSIVE | 1u << PGS_LOCK_SHARE |
		1u << PGS_LOCK_SHARE_ROW_EXCLUSIVE | 1u << PGS_LOCK_EXCLUSIVE |
		1u << PGS_LOCK_ACCESS_EXCLUSIVE,
	[PGS_LOCK_EXCLUSIVE] = 1u << PGS_LOCK_ROW_SHARE | 1u << PGS_LOCK_ROW_EXCLUSIVE |
		1u << PGS_LOCK_SHARE_UPDATE_EXCLUSIVE | 1u << PGS_LOCK_SHARE |
		1u << PGS_LOCK_SHARE_ROW_EXCLUSIVE | 1u << PGS_LOCK_EXCLUSIVE |
		1u << PGS_LOCK_ACCESS_EXCLUSIVE,
	[PGS_LOCK_ACCESS_EXCLUSIVE] = 0x1feu,
};

bool pgs_lock_conflicts(enum pgs_lock_mode a, enum pgs_lock_mode b)
{
	return (conflicts[a] >> b) & 1u;
}

/* SELECT takes ACCESS SHARE; INSERT/UPDATE/DELETE take ROW EXCLUSIVE. */
bool pgs_lock_blocks_reads(enum pgs_lock_mode mode)
{
	return pgs_lock_conflicts(mode, PGS_LOCK_ACCESS_SHARE);
}

bool pgs_lock_blocks_writes(enum pgs_lock_mode mode)
{
	return pgs_lock_conflicts(mode, PGS_LOCK_ROW_EXCLUSIVE);
}

const char *pgs_lock_blocks_text(enum pgs_lock_mode mode)
{
	if (pgs_lock_blocks_reads(mode))
		return "reads and writes";
	if (pgs_lock_blocks_writes(mode))
		return "writes";
	if (mode >= PGS_LOCK_SHARE_UPDATE_EXCLUSIVE)
		return "other schema changes, VACUUM and index builds";
	if (mode >= PGS_LOCK_ACCESS_SHARE)
		return "only conflicting schema changes";
	return "nothing";
}
