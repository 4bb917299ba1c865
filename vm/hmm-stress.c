// SPDX-License-Identifier: GPL-2.0
/*
 * hmm-stress: mixed-order migrate/free cycles on one test_hmm device from
 * several threads at once, then a check that every device page came back.
 *
 * Each thread repeats: map anonymous memory of 1, 16 or 512 pages (the
 * last one a PMD-aligned THP), fill it, migrate it to device-private memory
 * and give the device folios back in one of two ways: a CPU read that
 * faults them back to system memory (checked byte for byte), or munmap()
 * with the data still on the device. The device reuses freed pages at any
 * order (HMM_DMIRROR_REUSE_ANY_ORDER), so the threads keep splitting and
 * rebuilding each other's folios.
 *
 * Usage: hmm-stress DEVICE THREADS CYCLES.  Prints TAP: one result per
 * thread and one for the device's accounting at the end.
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
#include <sys/mman.h>
#include <unistd.h>

#include "test_hmm_uapi.h"

#define PAGE		4096UL
#define PMD_PAGES	512UL
#define PMD_SIZE	(PMD_PAGES * PAGE)

static const char *device;
static unsigned long cycles;

struct worker {
	pthread_t thread;
	unsigned int id;
	unsigned long done;
	unsigned long faulted_back;
	char error[160];
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

/* Anonymous memory of @npages; PMD-aligned and THP-advised for a PMD. */
static char *map_pages(unsigned long npages, void **base, size_t *len)
{
	char *p;

	*len = npages == PMD_PAGES ? 2 * PMD_SIZE : npages * PAGE;
	*base = mmap(NULL, *len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*base == MAP_FAILED)
		return NULL;
	p = *base;
	if (npages == PMD_PAGES) {
		p = (char *)(((uintptr_t)p + PMD_SIZE - 1) & ~(PMD_SIZE - 1));
		if (madvise(p, PMD_SIZE, MADV_HUGEPAGE))
			return NULL;
	}
	return p;
}

/* One cycle; 0, or a message in w->error. */
static int cycle(struct worker *w, int fd, char *mirror, unsigned long n)
{
	static const unsigned long sizes[] = { 1, 16, PMD_PAGES };
	unsigned long npages = sizes[n % 3], cpages = 0, i;
	unsigned char seed = (unsigned char)(w->id * 31 + n);
	bool fault_back = (n / 3) % 2 == 0;
	size_t len;
	void *base;
	char *p;
	int ret;

	p = map_pages(npages, &base, &len);
	if (!p) {
		snprintf(w->error, sizeof(w->error), "cycle %lu: mmap/madvise: %s",
			 n, strerror(errno));
		return -1;
	}
	for (i = 0; i < npages * PAGE; i += 64)
		p[i] = (char)(seed + i / 64);

	ret = dmirror(fd, HMM_DMIRROR_MIGRATE_TO_DEV, p, mirror, npages, &cpages);
	if (ret || cpages != npages) {
		snprintf(w->error, sizeof(w->error),
			 "cycle %lu: migrate %lu pages to the device: %s, %lu migrated",
			 n, npages, ret ? strerror(-ret) : "ok", cpages);
		munmap(base, len);
		return -1;
	}
	if (fault_back) {
		for (i = 0; i < npages * PAGE; i += 64) {
			if (p[i] != (char)(seed + i / 64)) {
				snprintf(w->error, sizeof(w->error),
					 "cycle %lu: byte %lu of %lu pages read back %#x, expected %#x",
					 n, i, npages, (unsigned char)p[i],
					 (unsigned char)(seed + i / 64));
				munmap(base, len);
				return -1;
			}
		}
		w->faulted_back++;
	}
	munmap(base, len);
	return 0;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	char *mirror = malloc(PMD_SIZE);
	unsigned long n;
	int fd;

	fd = open(device, O_RDWR);
	if (fd < 0 || !mirror) {
		snprintf(w->error, sizeof(w->error), "open %s: %s", device,
			 strerror(errno));
		free(mirror);
		return NULL;
	}
	for (n = 0; n < cycles; n++) {
		if (cycle(w, fd, mirror, n))
			break;
		w->done++;
	}
	close(fd);
	free(mirror);
	return NULL;
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
	else if (!st.frees[0] || !st.frees[9] || !st.reused_other_order)
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
	unsigned int nthreads, i;
	struct worker *workers;
	int fd, failed = 0;
	char why[160];

	if (argc != 4) {
		fprintf(stderr, "usage: %s DEVICE THREADS CYCLES\n", argv[0]);
		return 2;
	}
	device = argv[1];
	nthreads = strtoul(argv[2], NULL, 0);
	cycles = strtoul(argv[3], NULL, 0);
	workers = calloc(nthreads, sizeof(*workers));
	if (!nthreads || !cycles || !workers) {
		fprintf(stderr, "%s: THREADS and CYCLES must be positive\n", argv[0]);
		return 2;
	}

	printf("TAP version 13\n1..%u\n", nthreads + 1);
	fd = open(device, O_RDWR);
	if (fd < 0 || ioctl(fd, HMM_DMIRROR_REUSE_ORDER, HMM_DMIRROR_REUSE_ANY_ORDER)) {
		printf("Bail out! reuse policy of %s: %s\n", device, strerror(errno));
		return 1;
	}
	close(fd);

	for (i = 0; i < nthreads; i++) {
		workers[i].id = i;
		if (pthread_create(&workers[i].thread, NULL, work, &workers[i])) {
			printf("Bail out! cannot start thread %u\n", i);
			return 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &workers[i];

		pthread_join(w->thread, NULL);
		failed |= w->done != cycles;
		printf("%s %u thread_%u_cycles # %lu of %lu cycles, %lu read back%s%s\n",
		       w->done == cycles ? "ok" : "not ok", i + 1, i, w->done,
		       cycles, w->faulted_back, w->error[0] ? ": " : "", w->error);
	}
	if (check_stats(why, sizeof(why))) {
		printf("not ok %u device_pages_all_back # %s\n", nthreads + 1, why);
		failed = 1;
	} else {
		printf("ok %u device_pages_all_back\n", nthreads + 1);
	}
	return failed;
}
