/* SPDX-License-Identifier: MIT */
#include "devwait.h"

#include <errno.h>
#include <time.h>

#include "rawsys.h"
#include "resolve.h"

void sleep_ms(uint32_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};

	while (sys_nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Polling, not a uevent netlink socket: events sent before the socket is
 * bound are lost, so a waiter must scan /sys/class/block anyway, and
 * resolve() makes a repeated scan cost a few sysfs reads a device while
 * nothing changed.
 * Sleeping 5 ms (dm-init's period), doubling up to 50 ms, keeps a
 * device's latency under 50 ms for at most 20 wake-ups a second, without
 * a second code path for events. The budget counts the time slept, not
 * the time scanning: no clock (musl's clock_gettime brings its vDSO
 * lookup, 850 bytes), and a timeout is never cut short. */
#define WAIT_FIRST_MS 5
#define WAIT_MAX_MS 50

int dev_wait(struct resolver *rs, const char *spec, uint32_t *budget_ms,
	     char *path, size_t len)
{
	uint32_t step = WAIT_FIRST_MS;

	rs->valid = 0;
	for (;;) {
		int r = resolve(rs, spec, path, len);

		if (r != -ENOENT)
			return r;
		if (budget_ms) {
			if (!*budget_ms)
				return -ETIMEDOUT;
			if (step > *budget_ms)
				step = *budget_ms;
			*budget_ms -= step;
		}
		sleep_ms(step);
		step = step * 2 > WAIT_MAX_MS ? WAIT_MAX_MS : step * 2;
	}
}
