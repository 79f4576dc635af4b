/*
 * arena.h - region allocator.
 *
 * An arena hands out memory that lives until the arena is reset or
 * released; single objects are never freed. pgsafe uses two: the run arena
 * (config, registry, diagnostics, cross-file state) and the file arena
 * (source text, parse tree, scratch), reset after each file.
 *
 * Allocation failure is reported by a NULL return and by arena->failed,
 * which stays set until the arena is released, so callers may check once
 * after a batch of allocations.
 */
#ifndef PGS_ARENA_H
#define PGS_ARENA_H

#include <protobuf-c/protobuf-c.h>
#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t total;     /* bytes handed out since the last reset */
	size_t limit;     /* 0: no limit; else allocations beyond fail */
	int failed;
};

void arena_init(struct arena *a);
/* Frees every chunk; the arena can be used again. */
void arena_release(struct arena *a);
/* Keeps the first chunk for reuse, frees the rest. */
void arena_reset(struct arena *a);

/* Zeroed memory, aligned for any type; NULL on failure. */
void *arena_alloc(struct arena *a, size_t size);
/* Grows an array allocated from @a: copies the old contents. */
void *arena_grow(struct arena *a, void *old, size_t old_size, size_t new_size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/*
 * A protobuf-c allocator that allocates from @a; its free is a no-op, so
 * an unpacked tree lives exactly as long as the arena.
 */
void arena_protobuf_allocator(struct arena *a, ProtobufCAllocator *out);

/*
 * A growable array in an arena: ARRAY_PUSH(arena, items, n, cap, value).
 * Evaluates to 0 on success, -1 on allocation failure.
 */
int arena_array_reserve(struct arena *a, void **items, size_t elem, size_t *cap, size_t need);
#define ARENA_PUSH(arena, items, n, cap, value) \
	(arena_array_reserve((arena), (void **)&(items), sizeof(*(items)), &(cap), (n) + 1) \
		? -1 : ((items)[(n)++] = (value), 0))

#endif
