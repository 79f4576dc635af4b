/*
 * test_arena.c - the region allocator (arena.h): alignment, zeroing, large
 * requests, reset and release, ARENA_PUSH growth, the size limit and the
 * protobuf-c allocator adapter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "pgsafe.h"

static void test_alignment_and_zeroing(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (size_t size = 1; size < 100; size += 7) {
		unsigned char *p = arena_alloc(&a, size);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t i = 0; i < size; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xab, size);
	}
	/* two allocations do not overlap */
	char *x = arena_alloc(&a, 10), *y = arena_alloc(&a, 10);
	assert_true(y >= x + 10 || x >= y + 10);
	assert_int_equal(a.failed, 0);
	arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
}

static void test_large_allocations(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	char *small = arena_alloc(&a, 32);
	assert_non_null(small);
	strcpy(small, "kept");
	/* bigger than the default 64 KiB chunk */
	size_t big = 1024 * 1024;
	unsigned char *p = arena_alloc(&a, big);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	assert_int_equal(p[0], 0);
	assert_int_equal(p[big - 1], 0);
	memset(p, 0x5a, big);
	/* the small chunk keeps filling after the big one */
	char *after = arena_alloc(&a, 32);
	assert_non_null(after);
	assert_true(after < (char *)p || after >= (char *)p + big);
	assert_string_equal(small, "kept");
	assert_true(a.total >= big + 64);
	arena_release(&a);
}

static void test_overflowing_size_fails(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_null(arena_alloc(&a, SIZE_MAX - 3));
	assert_int_equal(a.failed, 1);
	arena_release(&a);
	assert_int_equal(a.failed, 0);
}

static void test_limit(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	a.limit = 1000;
	assert_non_null(arena_alloc(&a, 512));
	assert_int_equal(a.failed, 0);
	assert_null(arena_alloc(&a, 512));
	assert_int_equal(a.failed, 1);
	arena_release(&a);
}

static void test_reset_keeps_working(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 100; i++) {
			char *p = arena_alloc(&a, 4000);   /* several chunks */
			assert_non_null(p);
			p[0] = (char)i;
		}
		assert_non_null(arena_alloc(&a, 200000));
		assert_true(a.total >= 400000);
		arena_reset(&a);
		assert_int_equal(a.total, 0);
		assert_int_equal(a.failed, 0);
		/* memory after a reset is zeroed again */
		unsigned char *q = arena_alloc(&a, 64);
		assert_non_null(q);
		for (int i = 0; i < 64; i++)
			assert_int_equal(q[i], 0);
	}
	arena_release(&a);
}

static void test_strings(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(arena_strdup(&a, "hello"), "hello");
	assert_null(arena_strdup(&a, NULL));
	assert_string_equal(arena_strndup(&a, "hello world", 5), "hello");
	assert_string_equal(arena_printf(&a, "%s=%d", "x", 42), "x=42");
	char *grown = arena_grow(&a, arena_strdup(&a, "abc"), 4, 100);
	assert_string_equal(grown, "abc");
	arena_release(&a);
}

static void test_push_growth(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	int *items = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 10000; i++)
		assert_int_equal(ARENA_PUSH(&a, items, n, cap, i * 3), 0);
	assert_int_equal(n, 10000);
	assert_true(cap >= 10000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(items[i], i * 3);

	/* with a limit, the push that cannot grow reports -1 and keeps the items */
	struct arena b;
	arena_init(&b);
	b.limit = 4096;
	long *v = NULL;
	size_t vn = 0, vcap = 0;
	int rc = 0;
	while (rc == 0 && vn < 100000) {
		long value = (long)vn;
		rc = ARENA_PUSH(&b, v, vn, vcap, value);
	}
	assert_int_equal(rc, -1);
	assert_true(vn > 0 && vn < 100000);
	assert_int_equal(vn, vcap);
	for (size_t i = 0; i < vn; i++)
		assert_int_equal(v[i], (long)i);
	arena_release(&b);
	arena_release(&a);
}

static void test_protobuf_allocator(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	ProtobufCAllocator alloc;
	arena_protobuf_allocator(&a, &alloc);
	assert_ptr_equal(alloc.allocator_data, &a);
	void *p = alloc.alloc(alloc.allocator_data, 100);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	assert_true(a.total >= 100);
	alloc.free(alloc.allocator_data, p);   /* a no-op: the arena owns it */
	memset(p, 1, 100);                    /* still usable (valgrind checks) */
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment_and_zeroing),
		cmocka_unit_test(test_large_allocations),
		cmocka_unit_test(test_overflowing_size_fails),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_reset_keeps_working),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_push_growth),
		cmocka_unit_test(test_protobuf_allocator),
	};
	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
