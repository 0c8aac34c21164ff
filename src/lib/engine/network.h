/* network.h - a container's network: none, the host's, or a CNI bridge (Debian's containernetworking-plugins:
 * bridge, host-local, loopback, portmap) in a network namespace the engine makes and keeps as a file; rootless:
 * slirp4netns or pasta. Must never change a host interface, route or firewall rule other than those the CNI
 * plugins make for hull's own network, and must undo what it made. */
#ifndef HULL_ENGINE_NETWORK_H
#define HULL_ENGINE_NETWORK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"

enum net_mode { NET_NONE, NET_HOST, NET_BRIDGE };

/* -p [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|udp] */
struct port_map {
	char host_ip[64];  /* "" for every address */
	uint16_t host_port, container_port;
	char proto[4];     /* "tcp" or "udp" */
};
int port_map_parse(const char *s, struct port_map *out, hull_err *err);

struct net_opts {
	enum net_mode mode;
	const char *state_dir;   /* the engine's root/network: hull.conflist (written on first use), the CNI plugins'
	                            IPAM data, netns/ID files */
	const char *id;          /* the container id (CNI_CONTAINERID) */
	const char *name;        /* the container name, for /etc/hosts */
	const char *hostname;
	const struct port_map *ports;  /* NET_BRIDGE only: ignored otherwise, as Docker ignores -p with host */
	size_t n_ports;
	bool rootless;
};

/* What setup made: the namespace file to put in the config (netns[0] == '\0' for NET_HOST), the container's
 * address on the bridge ("" otherwise), and the slirp4netns/pasta helper's pid (0 when none). */
struct net_result {
	char netns[4096];
	char ip[64];
	char gateway[64];
	pid_t helper;
};

/* NET_NONE: a new namespace file with only lo (up). NET_BRIDGE: the namespace plus CNI ADD (lo + eth0 on the bridge,
 * ports through portmap); rootless: slirp4netns or pasta for the namespace instead. NET_HOST: nothing. On error,
 * whatever was made is undone. */
int network_setup(const struct net_opts *o, struct net_result *out, hull_err *err);
/* CNI DEL, stop the helper, unmount and remove the namespace file. Idempotent: a second call, or a call after a
 * setup that failed half way, does what is left. r may be NULL (another process, after a crash): the namespace file
 * is state_dir/netns/ID, the ADD's result state_dir/results/ID.json, the helper's pid state_dir/slirp/ID.pid. o must
 * carry the mode, rootless and ports setup had. A DEL that fails keeps the namespace, for the next try. */
int network_teardown(const struct net_opts *o, const struct net_result *r, hull_err *err);

/* /etc/hosts and /etc/resolv.conf for the container, written into dir/hosts and dir/resolv.conf (as podman writes
 * them: localhost lines, the container's address with its hostname and name; the host's resolvers, minus loopback
 * ones, falling back to public resolvers only when none is left). NET_HOST: copies of the host's. */
int network_write_etc(const struct net_opts *o, const struct net_result *r, const char *dir, hull_err *err);

#endif
