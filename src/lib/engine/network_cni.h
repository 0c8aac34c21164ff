/* network_cni.h - hull's CNI network: the conflist as a typed value, and ADD/DEL through the plugins as the CNI spec
 * (1.0.0) invokes them. Must never touch an interface or rule itself: only the plugins do, in the order the list says.
 */
#ifndef HULL_ENGINE_NETWORK_CNI_H
#define HULL_ENGINE_NETWORK_CNI_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "engine/network.h"
#include "util/error.h"

#define CNI_NAME_MAX 64
#define CNI_CONFLIST_FILE "hull.conflist"
#define CNI_NETWORK_NAME "hull"
#define CNI_BRIDGE_NAME "hull0"
#define CNI_SUBNET "10.89.0.0/24"
#define CNI_GATEWAY "10.89.0.1"
#define CNI_IFNAME "eth0"
#define CNI_PATH_DEFAULT "/usr/lib/cni"

struct cni_plugin {
	char type[CNI_NAME_MAX];  /* the executable's name in the CNI path */
	bool port_mappings;       /* capabilities.portMappings: gets runtimeConfig.portMappings */
	json_object *conf;        /* the plugin's object, borrowed from the list's root */
};

struct cni_conflist {
	char version[16];         /* cniVersion */
	char name[CNI_NAME_MAX];
	struct cni_plugin *plugins;
	size_t n_plugins;
	json_object *root;        /* owned */
};

/* The default list, for state_dir (host-local keeps its leases in state_dir/ipam). malloc'd. */
char *cni_conflist_default(const char *state_dir);
/* Parse and validate a conflist's text (src names it in errors). */
int cni_conflist_parse(const char *text, const char *src, struct cni_conflist *out, hull_err *err);
void cni_conflist_clear(struct cni_conflist *l);
/* state_dir/hull.conflist, written from cni_conflist_default first when it is missing. */
int cni_conflist_load(const char *state_dir, struct cni_conflist *out, hull_err *err);

/* The container's address and gateway in a result (1.0.0 or 0.4.0): the first IPv4 entry of "ips", else the first;
 * address without its prefix length. "" when the result has none. */
void cni_result_address(json_object *result, char *ip, size_t ip_len, char *gw, size_t gw_len);

/* ADD through the list for the container (netns: the namespace file). The final result is kept in
 * state_dir/results/ID.json before it is returned, so that a DEL in another process has it. On a plugin's error,
 * DEL through the whole list undoes what the others made. *result: a reference the caller puts. */
int cni_add(const struct cni_conflist *l, const struct net_opts *o, const char *netns, json_object **result,
	    hull_err *err);
/* DEL in reverse order, with the kept result as prevResult when there is one (none after a crash before it was
 * kept: DEL goes on without), then the result file is removed. netns may be "" when the namespace is gone. */
int cni_del(const struct cni_conflist *l, const struct net_opts *o, const char *netns, hull_err *err);

#endif
