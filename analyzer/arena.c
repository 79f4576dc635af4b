/*
 * arena.c - region allocator (see arena.h).
 *
 * Chunks are linked newest first. Large requests get a chunk of their own
 * so that a big source file does not waste a default-size chunk.
 */
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_DEFAULT (64 * 1024)
#define ALIGN 16

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	_Alignas(ALIGN) unsigned char data[];
};

void arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
	a->failed = 0;
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *c, *keep = NULL;
	for (c = a->head; c; ) {
		struct arena_chunk *next = c->next;
		if (!next) {
			keep = c;
			break;
		}
		free(c);
		c = next;
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->total = 0;
	a->failed = 0;
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need < size || (a->limit && a->total + need > a->limit)) {
		a->failed = 1;
		return NULL;
	}
	if (!c || c->size - c->used < need) {
		size_t csize = need > CHUNK_DEFAULT / 4 ? need : CHUNK_DEFAULT;
		struct arena_chunk *n = malloc(sizeof(*n) + csize);
		if (!n) {
			a->failed = 1;
			return NULL;
		}
		n->size = csize;
		n->used = 0;
		if (c && need > CHUNK_DEFAULT / 4 && c->size - c->used >= ALIGN) {
			/* keep filling the current chunk; put the big one behind it */
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		c = n;
	}
	void *p = c->data + c->used;
	c->used += need;
	a->total += need;
	memset(p, 0, size);
	return p;
}

void *arena_grow(struct arena *a, void *old, size_t old_size, size_t new_size)
{
	void *p = arena_alloc(a, new_size);
	if (p && old && old_size)
		memcpy(p, old, old_size < new_size ? old_size : new_size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		a->failed = 1;
		return NULL;
	}
	char *p = arena_alloc(a, (size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

static void *pb_alloc(void *data, size_t size)
{
	return arena_alloc(data, size);
}

static void pb_free(void *data, void *ptr)
{
	(void)data;
	(void)ptr;
}

void arena_protobuf_allocator(struct arena *a, ProtobufCAllocator *out)
{
	out->alloc = pb_alloc;
	out->free = pb_free;
	out->allocator_data = a;
}

int arena_array_reserve(struct arena *a, void **items, size_t elem, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	void *p = arena_grow(a, *items, *cap * elem, ncap * elem);
	if (!p)
		return -1;
	*items = p;
	*cap = ncap;
	return 0;
}
