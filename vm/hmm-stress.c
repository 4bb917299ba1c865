// SPDX-License-Identifier: GPL-2.0
/*
 * hmm-stress: mixed-order migrate/free cycles on one test_hmm device from
 * several threads at once, then a check that every device page came back.
 *
 * Each thread repeats, in a 2 MB block of its address space that nothing
 * else shares: map anonymous memory of 1, 16 or 512 pages (the last one a
 * THP), fill it, migrate it to the device, check the copy on
 * the device, fault its first page back and read it all through the
 * device's mirror again, and give the device folios back in one of two
 * ways: a CPU read that faults them back to system memory (checked byte
 * for byte), or an unmap with the data still on the device.  With -r any
 * (the default) the device reuses freed pages at any order
 * (HMM_DMIRROR_REUSE_ANY_ORDER), so the threads keep splitting and
 * rebuilding each other's folios; with -r same, a device-private device
 * keeps freed THPs whole for the next THP.  With -e US, one more thread
 * opens and closes the device every US microseconds meanwhile: test_hmm
 * evicts all of the device's pages back to system memory when a file is
 * released, under the other threads.  Then KILLS child processes, one
 * after the other, are killed in the middle of their migrations.
 *
 * Usage: hmm-stress [-e US] [-r any|same] DEVICE THREADS CYCLES KILLS.
 * DEVICE is device-private or device-coherent.  Prints TAP: one result per
 * thread, one for the evictions (skipped without -e), one for the killed
 * processes and one for the device's accounting at the end: every device
 * page free, both orders freed and, with -r any, pages reused at another
 * order.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_hmm_uapi.h"

#define PAGE		4096UL
#define PMD_PAGES	512UL
#define PMD_SIZE	(PMD_PAGES * PAGE)
#define MIGRATE_TRIES	50	/* over about 1.3 s */

static const char *device;
static unsigned long cycles;
static unsigned long evict_us;
static unsigned long reuse_policy = HMM_DMIRROR_REUSE_ANY_ORDER;
static volatile bool workers_done;

struct worker {
	pthread_t thread;
	unsigned int id;
	int fd;
	unsigned long done;
	unsigned long faulted_back;
	unsigned long retried;
	char error[224];
};

static int dmirror(int fd, unsigned long request, void *addr, void *mirror,
		   unsigned long npages, unsigned long *cpages)
{
	struct hmm_dmirror_cmd cmd = {
		.addr = (uintptr_t)addr,
		.ptr = (uintptr_t)mirror,
		.npages = npages,
	};

	while (ioctl(fd, request, &cmd)) {
		if (errno != EINTR)
			return -errno;
	}
	*cpages = cmd.cpages;
	return 0;
}

/*
 * Each thread works in a 2 MB block of its own, between two more it keeps
 * reserved (PROT_NONE), so that nothing else is ever mapped in it.  The
 * kernel may invalidate a whole PMD's range for a change of any mapping in
 * it (splitting a VMA there does), and test_hmm then drops its mirror
 * entries for every page in that range: a buffer next to another thread's
 * would lose them between a migration and its read-back.
 */
static char *reserve_block(void)
{
	char *area = mmap(NULL, 4 * PMD_SIZE, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (area == MAP_FAILED)
		return NULL;
	return (char *)(((uintptr_t)area + 2 * PMD_SIZE - 1) & ~(PMD_SIZE - 1));
}

/* Anonymous memory of @npages at the start of @block; a THP for a PMD. */
static char *map_pages(char *block, unsigned long npages)
{
	char *p = mmap(block, npages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (npages == PMD_PAGES && madvise(p, PMD_SIZE, MADV_HUGEPAGE))
		return NULL;
	return p;
}

/*
 * Unmap the buffer (the device folios still mapped are freed) and keep
 * its place reserved; 0 or -1.
 */
static int unmap_pages(char *p, unsigned long npages)
{
	void *q = mmap(p, npages * PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);

	return q == MAP_FAILED ? -1 : 0;
}

/*
 * Migration is best effort: a page that another thread holds for a moment
 * (in a per-CPU LRU batch, say) stays where it is, and test_hmm reports
 * -ENOENT for it.  Try again after a growing pause, as a driver would;
 * count the cycles that had to.
 */
static int migrate_to_device(struct worker *w, int fd, char *p, char *mirror,
			     unsigned long npages, unsigned long *cpages)
{
	int tries, ret;

	for (tries = 0; tries < MIGRATE_TRIES; tries++) {
		ret = dmirror(fd, HMM_DMIRROR_MIGRATE_TO_DEV, p, mirror, npages, cpages);
		if (ret != -ENOENT && (ret || *cpages == npages))
			break;
		usleep(1000 * (tries + 1));
	}
	if (tries)
		w->retried++;
	return ret;
}

/*
 * What the CPU page table holds for the pages that did not migrate, from
 * test_hmm's snapshot (HMM_DMIRROR_PROT_* of lib/test_hmm_uapi.h):
 * "page 0: 0x20, 512 of 512 alike", say.  The failure message needs it to
 * tell a page still in system memory from one already on a device.
 */
static void describe_pages(int fd, char *p, unsigned long npages,
			   unsigned char *snap, char *out, size_t size)
{
	unsigned long cpages, alike = 0, i;
	int ret;

	ret = dmirror(fd, HMM_DMIRROR_SNAPSHOT, p, snap, npages, &cpages);
	if (ret) {
		snprintf(out, size, "no snapshot: %s", strerror(-ret));
		return;
	}
	for (i = 0; i < npages; i++)
		alike += snap[i] == snap[0];
	snprintf(out, size, "page 0: %#x, %lu of %lu alike", snap[0], alike, npages);
}

/* The cycle's pattern: the first byte of every 64 of its buffer. */
static char pattern(unsigned char seed, unsigned long i)
{
	return (char)(seed + i / 64);
}

/* 0 if @buf holds the pattern, or a message in w->error naming @what. */
static int check_pattern(struct worker *w, const char *buf, unsigned long npages,
			 unsigned char seed, unsigned long n, const char *what)
{
	unsigned long i;

	for (i = 0; i < npages * PAGE; i += 64) {
		if (buf[i] != pattern(seed, i)) {
			snprintf(w->error, sizeof(w->error),
				 "cycle %lu: byte %lu of %lu pages %s %#x, expected %#x",
				 n, i, npages, what, (unsigned char)buf[i],
				 (unsigned char)pattern(seed, i));
			return -1;
		}
	}
	return 0;
}

/*
 * One cycle in @block; 0, or a message in w->error.  The data is checked
 * twice: as test_hmm copied it to the device, and as the CPU reads it
 * back from system memory.
 */
static int cycle(struct worker *w, char *block, char *mirror, unsigned long n)
{
	static const unsigned long sizes[] = { 1, 16, PMD_PAGES };
	unsigned long npages = sizes[n % 3], cpages = 0, i;
	unsigned char seed = (unsigned char)(w->id * 31 + n);
	bool fault_back = (n / 3) % 2 == 0;
	char *p;
	int ret;

	p = map_pages(block, npages);
	if (!p) {
		snprintf(w->error, sizeof(w->error), "cycle %lu: mmap/madvise: %s",
			 n, strerror(errno));
		return -1;
	}
	for (i = 0; i < npages * PAGE; i += 64)
		p[i] = pattern(seed, i);

	ret = migrate_to_device(w, w->fd, p, mirror, npages, &cpages);
	if (ret || cpages != npages) {
		char state[64];

		describe_pages(w->fd, p, npages, (unsigned char *)mirror, state, sizeof(state));
		snprintf(w->error, sizeof(w->error),
			 "cycle %lu: migrate %lu pages to the device: %s, %lu migrated; %s",
			 n, npages, ret ? strerror(-ret) : "ok", cpages, state);
		ret = -1;
		goto out;
	}
	ret = check_pattern(w, mirror, npages, seed, n, "on the device is");
	if (ret)
		goto out;
	/*
	 * Fault its first page back to system memory, then read it all through
	 * the device's mirror once more: the device reads a range partly in
	 * system memory and partly on the device, as an eviction since the
	 * migration may also leave it, and must read the data wherever each
	 * page is now.
	 */
	if (p[0] != pattern(seed, 0)) {
		snprintf(w->error, sizeof(w->error),
			 "cycle %lu: byte 0 of %lu pages read back %#x, expected %#x",
			 n, npages, (unsigned char)p[0], (unsigned char)pattern(seed, 0));
		ret = -1;
		goto out;
	}
	memset(mirror, 0, npages * PAGE);
	ret = dmirror(w->fd, HMM_DMIRROR_READ, p, mirror, npages, &cpages);
	if (ret || cpages != npages) {
		snprintf(w->error, sizeof(w->error),
			 "cycle %lu: read %lu pages through the device: %s, %lu read",
			 n, npages, ret ? strerror(-ret) : "ok", cpages);
		ret = -1;
		goto out;
	}
	ret = check_pattern(w, mirror, npages, seed, n, "read by the device is");
	if (ret || !fault_back)
		goto out;
	ret = check_pattern(w, p, npages, seed, n, "read back");
	w->faulted_back += !ret;
out:
	if (unmap_pages(p, npages) && !ret) {
		snprintf(w->error, sizeof(w->error), "cycle %lu: unmap: %s",
			 n, strerror(errno));
		ret = -1;
	}
	return ret;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	char *mirror = malloc(PMD_SIZE);
	char *block = reserve_block();
	unsigned long n;

	if (!mirror || !block) {
		snprintf(w->error, sizeof(w->error), "no memory for the mirror or the buffer");
		free(mirror);
		return NULL;
	}
	for (n = 0; n < cycles; n++) {
		if (cycle(w, block, mirror, n))
			break;
		w->done++;
	}
	free(mirror);
	return NULL;
}

/*
 * The evicting thread opens and closes the device until the workers are
 * done; each release evicts every device page, whoever's it is.
 */
struct evictor {
	pthread_t thread;
	unsigned long evictions;
	char error[160];
};

static void *evict(void *arg)
{
	struct evictor *e = arg;

	while (!workers_done) {
		int fd = open(device, O_RDWR);

		if (fd < 0) {
			snprintf(e->error, sizeof(e->error), "open %s: %s",
				 device, strerror(errno));
			break;
		}
		close(fd);
		e->evictions++;
		usleep(evict_us);
	}
	return NULL;
}

/*
 * A process killed in the middle of migrations must give every device page
 * back when it exits: a child moves a buffer of @thps PMDs to the device
 * and back until the parent kills it, after 1 to 256 ms.  Every other
 * buffer starts a page after a PMD boundary, so that it holds partly
 * mapped THPs too.
 */
static void migrate_until_killed(unsigned long thps, unsigned long round)
{
	unsigned long npages = thps * PMD_PAGES, cpages, i;
	char *mirror = malloc(npages * PAGE);
	size_t len = (thps + 1) * PMD_SIZE;
	char *base, *p;
	int fd = open(device, O_RDWR);

	base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || !mirror || base == MAP_FAILED)
		_exit(1);
	p = (char *)(((uintptr_t)base + PMD_SIZE - 1) & ~(PMD_SIZE - 1));
	madvise(p, thps * PMD_SIZE, MADV_HUGEPAGE);
	if (round % 2)
		p += PAGE;
	for (i = 0; i < npages * PAGE; i += PAGE)
		p[i] = 1;
	for (;;) {
		dmirror(fd, HMM_DMIRROR_MIGRATE_TO_DEV, p, mirror, npages, &cpages);
		dmirror(fd, HMM_DMIRROR_MIGRATE_TO_SYS, p, mirror, npages, &cpages);
	}
}

static int kill_rounds(unsigned long rounds, char *why, size_t len)
{
	unsigned long r;
	int status;
	pid_t pid;

	srand(1);
	for (r = 0; r < rounds; r++) {
		pid = fork();
		if (pid < 0) {
			snprintf(why, len, "fork: %s", strerror(errno));
			return -1;
		}
		if (!pid)
			migrate_until_killed(16, r);
		usleep(1000 * (1 + rand() % 256));
		kill(pid, SIGKILL);
		if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status)) {
			snprintf(why, len, "round %lu: the child ended on its own (status %#x)",
				 r, status);
			return -1;
		}
	}
	return 0;
}

/* The device's accounting after all threads are done. */
static int check_stats(char *why, size_t len)
{
	struct hmm_dmirror_stats st;
	int fd = open(device, O_RDWR);

	if (fd < 0 || ioctl(fd, HMM_DMIRROR_STATS, &st)) {
		snprintf(why, len, "stats of %s: %s", device, strerror(errno));
		return -1;
	}
	close(fd);
	printf("# frees: order 0 %llu, order 9 %llu; reused at another order %llu\n",
	       (unsigned long long)st.frees[0], (unsigned long long)st.frees[9],
	       (unsigned long long)st.reused_other_order);
	printf("# device pages: %llu total, %llu free, %llu in use\n",
	       (unsigned long long)st.pages_total, (unsigned long long)st.pages_free,
	       (unsigned long long)st.pages_used);
	if (st.pages_used || st.pages_free != st.pages_total)
		snprintf(why, len, "%llu device pages leaked",
			 (unsigned long long)st.pages_used);
	else if (!st.frees[0] || !st.frees[9] ||
		 (reuse_policy == HMM_DMIRROR_REUSE_ANY_ORDER && !st.reused_other_order))
		snprintf(why, len, "no mixed orders: order-0 frees %llu, order-9 frees %llu, reused %llu",
			 (unsigned long long)st.frees[0],
			 (unsigned long long)st.frees[9],
			 (unsigned long long)st.reused_other_order);
	else
		return 0;
	return -1;
}

int main(int argc, char **argv)
{
	unsigned long kills;
	unsigned int nthreads, i;
	struct evictor evictor = { 0 };
	struct worker *workers;
	int fd, opt, failed = 0;
	char why[160];

	while ((opt = getopt(argc, argv, "e:r:")) != -1) {
		if (opt == 'e' && strtoul(optarg, NULL, 0)) {
			evict_us = strtoul(optarg, NULL, 0);
		} else if (opt == 'r' && !strcmp(optarg, "any")) {
			reuse_policy = HMM_DMIRROR_REUSE_ANY_ORDER;
		} else if (opt == 'r' && !strcmp(optarg, "same")) {
			reuse_policy = HMM_DMIRROR_REUSE_SAME_ORDER;
		} else {
			fprintf(stderr, "%s: -e takes microseconds (more than 0), -r any or same\n",
				argv[0]);
			return 2;
		}
	}
	if (argc - optind != 4) {
		fprintf(stderr, "usage: %s [-e US] [-r any|same] DEVICE THREADS CYCLES KILLS\n",
			argv[0]);
		return 2;
	}
	device = argv[optind];
	nthreads = strtoul(argv[optind + 1], NULL, 0);
	cycles = strtoul(argv[optind + 2], NULL, 0);
	kills = strtoul(argv[optind + 3], NULL, 0);
	workers = calloc(nthreads, sizeof(*workers));
	if (!nthreads || !cycles || !workers) {
		fprintf(stderr, "%s: THREADS and CYCLES must be positive\n", argv[0]);
		return 2;
	}

	printf("TAP version 13\n1..%u\n", nthreads + 3);
	fd = open(device, O_RDWR);
	if (fd < 0 || ioctl(fd, HMM_DMIRROR_REUSE_ORDER, reuse_policy)) {
		printf("Bail out! reuse policy of %s: %s\n", device, strerror(errno));
		return 1;
	}
	close(fd);

	/*
	 * Every thread's file stays open until all threads are done: a thread
	 * whose file is released loses its mirror.  Evictions come from the
	 * evicting thread's files instead.
	 */
	for (i = 0; i < nthreads; i++) {
		workers[i].id = i;
		workers[i].fd = open(device, O_RDWR);
		if (workers[i].fd < 0) {
			printf("Bail out! open %s: %s\n", device, strerror(errno));
			return 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&workers[i].thread, NULL, work, &workers[i])) {
			printf("Bail out! cannot start thread %u\n", i);
			return 1;
		}
	}
	if (evict_us && pthread_create(&evictor.thread, NULL, evict, &evictor)) {
		printf("Bail out! cannot start the evicting thread\n");
		return 1;
	}
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &workers[i];

		pthread_join(w->thread, NULL);
		failed |= w->done != cycles;
		printf("%s %u thread_%u_cycles # %lu of %lu cycles, %lu read back, %lu retried%s%s\n",
		       w->done == cycles ? "ok" : "not ok", i + 1, i, w->done,
		       cycles, w->faulted_back, w->retried,
		       w->error[0] ? ": " : "", w->error);
	}
	workers_done = true;
	if (evict_us)
		pthread_join(evictor.thread, NULL);
	if (!evict_us) {
		printf("ok %u evictions # SKIP no evicting thread (no -e)\n",
		       nthreads + 1);
	} else if (evictor.error[0] || !evictor.evictions) {
		/* None would mean the threads never raced an eviction. */
		printf("not ok %u evictions # %lu evictions%s%s\n", nthreads + 1,
		       evictor.evictions, evictor.error[0] ? ": " : "", evictor.error);
		failed = 1;
	} else {
		printf("ok %u evictions # %lu evictions\n", nthreads + 1,
		       evictor.evictions);
	}
	for (i = 0; i < nthreads; i++)
		close(workers[i].fd);
	if (kill_rounds(kills, why, sizeof(why))) {
		printf("not ok %u killed_during_migration # %s\n", nthreads + 2, why);
		failed = 1;
	} else {
		printf("ok %u killed_during_migration # %lu processes killed\n",
		       nthreads + 2, kills);
	}
	if (check_stats(why, sizeof(why))) {
		printf("not ok %u device_pages_all_back # %s\n", nthreads + 3, why);
		failed = 1;
	} else {
		printf("ok %u device_pages_all_back\n", nthreads + 3);
	}
	return failed;
}
