/* check_caps.c - checks config.md#linux-process capabilities: the five sets in /proc/self/status against what the configured sets become through execve(2).
 * Must never compare the raw configured sets with the post-exec sets: the kernel transforms them at exec (capabilities(7)), so the expectation models that transform. */
#include "checker.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cap_names[] = {
	"CAP_CHOWN",		"CAP_DAC_OVERRIDE",   "CAP_DAC_READ_SEARCH", "CAP_FOWNER",	   "CAP_FSETID",
	"CAP_KILL",		"CAP_SETGID",	      "CAP_SETUID",	     "CAP_SETPCAP",	   "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",  "CAP_NET_ADMIN",	     "CAP_NET_RAW",	   "CAP_IPC_LOCK",
	"CAP_IPC_OWNER",	"CAP_SYS_MODULE",     "CAP_SYS_RAWIO",	     "CAP_SYS_CHROOT",	   "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",	"CAP_SYS_ADMIN",      "CAP_SYS_BOOT",	     "CAP_SYS_NICE",	   "CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",		"CAP_SYS_TTY_CONFIG", "CAP_MKNOD",	     "CAP_LEASE",	   "CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",	"CAP_SETFCAP",	      "CAP_MAC_OVERRIDE",    "CAP_MAC_ADMIN",	   "CAP_SYSLOG",
	"CAP_WAKE_ALARM",	"CAP_BLOCK_SUSPEND",  "CAP_AUDIT_READ",	     "CAP_PERFMON",	   "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};
#define N_CAP_NAMES (sizeof cap_names / sizeof cap_names[0])

/* Mask of the named capabilities this kernel knows; unknown names are dropped, as the spec lets runtimes only warn about them. */
static uint64_t configured_set(json_object *config, const char *set_name, uint64_t kernel_caps, bool *present)
{
	char path[64];
	json_object *list;
	uint64_t mask = 0;

	snprintf(path, sizeof path, "process.capabilities.%s", set_name);
	list = cfg_get(config, path);
	*present = json_object_is_type(list, json_type_array);
	for (size_t i = 0; *present && i < json_object_array_length(list); i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(list, i));
		for (size_t bit = 0; name && bit < N_CAP_NAMES; bit++)
			if (strcmp(cap_names[bit], name) == 0)
				mask |= 1ULL << bit;
	}
	return mask & kernel_caps;
}

static void describe_mask(uint64_t mask, char *out, size_t out_len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t bit = 0; bit < 64; bit++) {
		if (!(mask & (1ULL << bit)))
			continue;
		used += (size_t)snprintf(out + used, used < out_len ? out_len - used : 0, "%s%s", used ? "," : "",
					 bit < N_CAP_NAMES ? cap_names[bit] + 4 : "?");
		if (used >= out_len)
			break;
	}
	if (!out[0])
		snprintf(out, out_len, "(none)");
}

static bool status_mask(const char *field, uint64_t *out)
{
	char text[64];
	char *end;

	if (!proc_status_field(field, text, sizeof text))
		return false;
	*out = strtoull(text, &end, 16);
	return end != text;
}

struct cap_set_check {
	const char *status_field;
	const char *spec_name;
};

void check_capabilities(json_object *config)
{
	static const struct cap_set_check sets[] = {
		{ "CapBnd", "bounding" }, { "CapEff", "effective" }, { "CapPrm", "permitted" },
		{ "CapInh", "inheritable" }, { "CapAmb", "ambient" },
	};
	bool has_b, has_p, has_i, has_a, nnp = false;
	long long uid = 0;
	char *last_cap_text = read_text_file("/proc/sys/kernel/cap_last_cap");
	int last_cap = last_cap_text ? atoi(last_cap_text) : 40;
	uint64_t kernel_caps = last_cap >= 63 ? ~0ULL : (1ULL << (last_cap + 1)) - 1;

	free(last_cap_text);
	if (!cfg_get(config, "process.capabilities"))
		return;
	uint64_t b = configured_set(config, "bounding", kernel_caps, &has_b);
	uint64_t p = configured_set(config, "permitted", kernel_caps, &has_p);
	uint64_t i = configured_set(config, "inheritable", kernel_caps, &has_i);
	uint64_t a = configured_set(config, "ambient", kernel_caps, &has_a);
	cfg_int(config, "process.user.uid", &uid);
	cfg_bool(config, "process.noNewPrivileges", &nnp);

	/* capabilities(7), "Transformation of capabilities during execve()", for a file without capabilities:
	 * an ambient capability can only be raised when it is both permitted and inheritable; for uid 0 the
	 * file sets count as full, so P' = I | B (then E' = P'), cut down to the old permitted set when
	 * no_new_privs forbids gaining; for any other uid P' = E' = A'. */
	uint64_t amb = a & p & i;
	uint64_t prm = uid == 0 ? ((i | b) & (nnp ? p : ~0ULL)) | amb : amb;
	const uint64_t expected[] = { b, prm, prm, i, amb };
	/* for uid 0 the result depends on the bounding set, so without one there is nothing to expect */
	const bool prm_known = has_p && (uid != 0 || has_b);
	const bool configured[] = { has_b, prm_known, prm_known, has_i, has_a };

	for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
		uint64_t got;
		char want_s[1024], got_s[1024];
		if (!configured[k])
			continue;
		if (!status_mask(sets[k].status_field, &got)) {
			tap_check(false, NULL, "readable", "missing", "config.md#linux-process: %s is readable", sets[k].status_field);
			continue;
		}
		describe_mask(expected[k], want_s, sizeof want_s);
		describe_mask(got, got_s, sizeof got_s);
		tap_check(got == expected[k], NULL, want_s, got_s, "config.md#linux-process: %s capabilities after exec are {%s}",
			  sets[k].spec_name, want_s);
	}
}
