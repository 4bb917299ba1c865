// SPDX-License-Identifier: GPL-2.0
/*
 * tsc-khz: print this machine's TSC frequency in kHz, measured against
 * CLOCK_MONOTONIC_RAW over half a second.
 *
 * make bench gives it to its guests as tsc_early_khz=.  Their kernel has
 * no ACPI, so no HPET or PM timer to calibrate the TSC against, and under
 * TCG its calibration against the PIT fails in most boots; the kernel
 * then marks the TSC unstable and keeps time with jiffies, a clock that
 * loses the ticks a busy TCG vCPU delivers late.  QEMU's guests read the
 * host's TSC (TCG and KVM alike), so its frequency here is theirs.
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	const struct timespec half = { .tv_nsec = 500000000 };
	unsigned long long start_tsc, end_tsc;
	double start, end;

	start = seconds();
	start_tsc = __rdtsc();
	nanosleep(&half, NULL);
	end_tsc = __rdtsc();
	end = seconds();
	printf("%.0f\n", (end_tsc - start_tsc) / (end - start) / 1000);
	return 0;
}
