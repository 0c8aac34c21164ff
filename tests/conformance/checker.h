/* checker.h - what the parts of hull-conformance-checker share: TAP reporting, config.json and host-facts access, small /proc readers.
 * Must never hold runtime-specific knowledge: every expectation comes from the OCI runtime-spec, config.json or the runner's host facts. */
#pragma once

/* before any system header: uts.domainname, strtok_r and friends, also when built without meson (gcc -std=gnu17) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

/* Spec versions that introduced a checked field; a check of an older field passes NULL. */
#define SINCE_1_0_2 "1.0.2"
#define SINCE_1_1_0 "1.1.0"
#define SINCE_1_3_0 "1.3.0"

/* One TAP result. The name is "<spec file>#<section>: <what>"; expected and got are shown only on failure. */
void tap_check(bool passed, const char *since, const char *expected, const char *got, const char *name_fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A check that could not be performed here: printed as "ok N - name # SKIP reason", never counted as passed. */
void tap_skip(const char *reason, const char *name_fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shorthands comparing strings and integers; they build expected/got texts. */
void tap_expect_str(const char *since, const char *expected, const char *got, const char *name_fmt, ...)
	__attribute__((format(printf, 4, 5)));
void tap_expect_int(const char *since, long long expected, long long got, const char *name_fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* config.json access by dotted path ("process.user.uid"); NULL / false when absent or of another type. */
json_object *cfg_get(json_object *obj, const char *dotted_path);
const char *cfg_str(json_object *obj, const char *dotted_path);
bool cfg_int(json_object *obj, const char *dotted_path, long long *out);
bool cfg_bool(json_object *obj, const char *dotted_path, bool *out);

/* Host facts written by run.sh: "ns TYPE INODE", "nspath PATH INODE", "stat PATH DEV INO", "value KEY NUMBER". */
bool facts_load(const char *path);
bool facts_ns(const char *type, unsigned long long *inode);
bool facts_nspath(const char *path, unsigned long long *inode);
bool facts_stat(const char *path, unsigned long long *dev, unsigned long long *ino);
bool facts_value(const char *key, long long *out);

/* Whole small file as a NUL-terminated string (malloc'd), NULL with errno set on failure. */
char *read_text_file(const char *path);
/* Strip leading/trailing whitespace in place and squeeze inner whitespace runs to one space. */
void normalize_space(char *s);
/* Value of "Key:" in /proc/self/status, whitespace-normalized; false if missing. */
bool proc_status_field(const char *key, char *out, size_t out_len);

/* The check groups, one per source file. */
void check_inherited_fds(const int *open_fds, int n_open_fds);
void check_process(json_object *config, int argc, char **argv);
void check_capabilities(json_object *config);
void check_linux_process(json_object *config);
void check_namespaces(json_object *config);
void check_uts_sysctl_ids(json_object *config);
void check_root_and_mounts(json_object *config);
void check_masked_readonly(json_object *config);
void check_devices(json_object *config);
void check_cgroups(json_object *config);
void check_seccomp(json_object *config);
