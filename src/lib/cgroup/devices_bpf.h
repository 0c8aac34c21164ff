/* devices_bpf.h - cgroup v2 device access rules as an eBPF program (BPF_CGROUP_DEVICE).
 * Must never be used on v1: there, devices.allow/deny carry the same rules. */
#ifndef HULL_DEVICES_BPF_H
#define HULL_DEVICES_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct device_rule {
	bool allow;
	char type;        /* 'a', 'c' or 'b' */
	int64_t major;    /* -1: any */
	int64_t minor;    /* -1: any */
	const char *access;  /* some of "rwm" */
};

/* Build the program for rules (the last matching rule decides, unmatched is denied) and attach it. */
int devices_bpf_attach(const char *cgroup_dir, const struct device_rule *rules, size_t n, hull_err *err);

#endif
