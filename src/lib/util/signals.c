/* signals.c - the table of signal names.
 * Must never depend on the calling process's signal state. */
#include <ctype.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cleanup.h"
#include "util/signals.h"

static const struct {
	const char *name;
	int sig;
} signal_table[] = {
	{ "SIGHUP", SIGHUP },	    { "SIGINT", SIGINT },	{ "SIGQUIT", SIGQUIT }, { "SIGILL", SIGILL },
	{ "SIGTRAP", SIGTRAP },	    { "SIGABRT", SIGABRT },	{ "SIGIOT", SIGIOT },	{ "SIGBUS", SIGBUS },
	{ "SIGFPE", SIGFPE },	    { "SIGKILL", SIGKILL },	{ "SIGUSR1", SIGUSR1 }, { "SIGSEGV", SIGSEGV },
	{ "SIGUSR2", SIGUSR2 },	    { "SIGPIPE", SIGPIPE },	{ "SIGALRM", SIGALRM }, { "SIGTERM", SIGTERM },
	{ "SIGSTKFLT", SIGSTKFLT }, { "SIGCHLD", SIGCHLD },	{ "SIGCLD", SIGCHLD },	{ "SIGCONT", SIGCONT },
	{ "SIGSTOP", SIGSTOP },	    { "SIGTSTP", SIGTSTP },	{ "SIGTTIN", SIGTTIN }, { "SIGTTOU", SIGTTOU },
	{ "SIGURG", SIGURG },	    { "SIGXCPU", SIGXCPU },	{ "SIGXFSZ", SIGXFSZ }, { "SIGVTALRM", SIGVTALRM },
	{ "SIGPROF", SIGPROF },	    { "SIGWINCH", SIGWINCH }, { "SIGIO", SIGIO },	{ "SIGPOLL", SIGPOLL },
	{ "SIGPWR", SIGPWR },	    { "SIGSYS", SIGSYS },
};

static int parse_number(const char *s)
{
	if (*s == '\0')
		return -1;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	long n = strtol(s, NULL, 10);
	/* 0 too: runc takes `kill ID 0` (a check that the processes exist) */
	return n >= 0 && n <= SIGRTMAX ? (int)n : -1;
}

int signal_parse(const char *s)
{
	if (s == NULL || *s == '\0')
		return -1;
	int n = parse_number(s);
	if (n > 0 || isdigit((unsigned char)*s))
		return n;
	const char *name = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
	for (size_t i = 0; i < ARRAY_SIZE(signal_table); i++)
		if (strcasecmp(signal_table[i].name + 3, name) == 0)
			return signal_table[i].sig;
	if (strncasecmp(name, "RTMIN", 5) == 0 || strncasecmp(name, "RTMAX", 5) == 0) {
		bool min = strncasecmp(name, "RTMIN", 5) == 0;
		const char *rest = name + 5;
		int off = 0;
		if (*rest) {
			if ((min && *rest != '+') || (!min && *rest != '-'))
				return -1;
			off = parse_number(rest + 1);
			if (off < 0)
				return -1;
		}
		int sig = min ? SIGRTMIN + off : SIGRTMAX - off;
		return sig >= SIGRTMIN && sig <= SIGRTMAX ? sig : -1;
	}
	return -1;
}

const char *signal_name(int sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(signal_table); i++)
		if (signal_table[i].sig == sig)
			return signal_table[i].name;
	return NULL;
}
