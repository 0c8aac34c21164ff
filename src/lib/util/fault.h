/* fault.h - kill points for the fault tests: hull SIGKILLs itself at the named step (test builds only).
 * Must never do anything unless built with -Dfault_injection=true. */
#ifndef HULL_FAULT_H
#define HULL_FAULT_H

#ifdef HULL_FAULT_INJECTION
/* Raise SIGKILL when $HULL_FAULT is `name`, or a number N and this is the Nth point this process
 * passed. Only on the parent's side of a step: never in the init or an exec'd process. */
void fault_point(const char *name);
#else
#define fault_point(name) ((void)0)
#endif

#endif
