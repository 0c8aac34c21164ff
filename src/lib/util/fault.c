/* fault.c - the kill points of fault.h, for tests that kill hull -9 at each step of a command.
 * Must never be compiled into a build without -Dfault_injection=true (meson leaves it out). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fault.h"

void fault_point(const char *name)
{
	static unsigned passed;
	const char *want = getenv("HULL_FAULT");
	passed++;
	if (want == NULL || *want == '\0')
		return;
	char *end;
	unsigned long n = strtoul(want, &end, 10);
	if ((*end == '\0' && n == passed) || strcmp(want, name) == 0)
		kill(getpid(), SIGKILL);
}
