/* signals.h - signal names <-> numbers, as kill(1) and runc accept them.
 * Must never accept a number outside 1..SIGRTMAX. */
#ifndef HULL_SIGNALS_H
#define HULL_SIGNALS_H

/* "KILL", "SIGKILL", "9", "RTMIN+2", "SIGRTMAX-1" -> the number; -1 when unknown. */
int signal_parse(const char *s);
/* "SIGKILL" for 9; NULL for realtime or unknown numbers. */
const char *signal_name(int sig);

#endif
