/* network.c - a container's network: -p parsed, the namespace file (a bind mount of a new network namespace with lo
 * up), CNI ADD/DEL around it for the bridge, and the container's /etc/hosts and /etc/resolv.conf. Must never leave the
 * calling thread in another network namespace, nor leave a namespace file or CNI state behind after a teardown. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/network.h"
#include "engine/network_cni.h"
#include "engine/network_slirp.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define PORT_SPEC_MAX 128

static int port_parse(const char *s, size_t len, const char *spec, uint16_t *out, hull_err *err)
{
	unsigned v = 0;
	if (len == 0 || len > 5 || strspn(s, "0123456789") < len)
		return hull_fail_code(err, EINVAL, "invalid port \"%.*s\" in -p %s", (int)len, s, spec);
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	if (v == 0 || v > 65535)
		return hull_fail_code(err, EINVAL, "port %u in -p %s is not between 1 and 65535", v, spec);
	*out = (uint16_t)v;
	return 0;
}

static int host_ip_parse(const char *s, size_t len, const char *spec, struct port_map *m, hull_err *err)
{
	unsigned char addr[sizeof(struct in6_addr)];
	if (len >= sizeof(m->host_ip))
		return hull_fail_code(err, EINVAL, "invalid host address in -p %s", spec);
	memcpy(m->host_ip, s, len);
	m->host_ip[len] = '\0';
	if (inet_pton(AF_INET, m->host_ip, addr) != 1 && inet_pton(AF_INET6, m->host_ip, addr) != 1)
		return hull_fail_code(err, EINVAL, "invalid host address \"%s\" in -p %s", m->host_ip, spec);
	return 0;
}

int port_map_parse(const char *s, struct port_map *out, hull_err *err)
{
	struct port_map m = { 0 };
	size_t len = strlen(s);
	if (len == 0 || len > PORT_SPEC_MAX)
		return hull_fail_code(err, EINVAL, "invalid -p \"%s\": HOSTPORT:CONTAINERPORT is needed", s);
	const char *slash = strrchr(s, '/');
	strcpy(m.proto, "tcp");
	if (slash) {
		if (strcmp(slash + 1, "tcp") != 0 && strcmp(slash + 1, "udp") != 0)
			return hull_fail_code(err, EINVAL, "invalid protocol \"%s\" in -p %s: tcp or udp", slash + 1,
					      s);
		strcpy(m.proto, slash + 1);
		len = (size_t)(slash - s);
	}
	const char *p = s, *end = s + len;
	if (*p == '[') { /* [IPv6]:HOSTPORT:CONTAINERPORT */
		const char *close = memchr(p, ']', len);
		if (close == NULL || close + 1 >= end || close[1] != ':')
			return hull_fail_code(err, EINVAL, "invalid -p %s: [ADDRESS]:HOSTPORT:CONTAINERPORT", s);
		if (host_ip_parse(p + 1, (size_t)(close - p - 1), s, &m, err) < 0)
			return -1;
		p = close + 2;
	}
	const char *c1 = memchr(p, ':', (size_t)(end - p));
	if (c1 == NULL)
		return hull_fail_code(err, EINVAL, "invalid -p %s: a host port is needed (HOSTPORT:CONTAINERPORT)", s);
	const char *c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	if (c2 && p != s)
		return hull_fail_code(err, EINVAL, "invalid -p %s: too many ':'", s);
	if (c2) { /* IPv4:HOSTPORT:CONTAINERPORT */
		if (memchr(c2 + 1, ':', (size_t)(end - c2 - 1)))
			return hull_fail_code(err, EINVAL, "invalid -p %s: an IPv6 host address goes in brackets", s);
		if (host_ip_parse(p, (size_t)(c1 - p), s, &m, err) < 0)
			return -1;
		p = c1 + 1;
		c1 = c2;
	}
	if (port_parse(p, (size_t)(c1 - p), s, &m.host_port, err) < 0 ||
	    port_parse(c1 + 1, (size_t)(end - c1 - 1), s, &m.container_port, err) < 0)
		return -1;
	*out = m;
	return 0;
}

/* ---- the namespace file ---- */

/* Ids and names become file names and /etc/hosts words: letters, digits, '_', '.', '-'. */
static bool word_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	return n > 0 && n < max && s[0] != '.' && s[0] != '-' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}
#define ID_MAX 128

static char *netns_path(const struct net_opts *o)
{
	return xasprintf("%s/netns/%s", o->state_dir, o->id);
}

static int lo_up(hull_err *err)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { .ifr_name = "lo" };
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return hull_fail_sys(err, "read the flags of lo");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return hull_fail_sys(err, "bring lo up");
	return 0;
}

/* Rootless, the thread could not go back to the host's namespace (its owner is the initial user namespace): a child
 * makes it and binds it, in the mount namespace we share; its exit code is the errno of what failed. */
static int netns_make_child(const char *path, hull_err *err)
{
	pid_t pid = fork();
	if (pid < 0)
		return hull_fail_sys(err, "make a network namespace");
	if (pid == 0) {
		_cleanup_err_ hull_err cerr = NULL;
		if (unshare(CLONE_NEWNET) < 0)
			_exit(errno);
		if (lo_up(&cerr) < 0)
			_exit(cerr->errnum ? cerr->errnum : EIO);
		_exit(mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0 ? errno : 0);
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int e = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
	if (e != 0) {
		unlink(path);
		return hull_fail_errno(err, e, "make the network namespace %s", path);
	}
	return 0;
}

/* The new namespace is this thread's for a moment (no fork: this is on the path of every `run`): made, lo up, bound
 * onto path, then the thread goes back to its own. */
static int netns_make(const char *path, bool rootless, hull_err *err)
{
	_cleanup_close_ int own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (own < 0)
		return hull_fail_sys(err, "open /proc/thread-self/ns/net");
	_cleanup_close_ int file = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (file < 0)
		return hull_fail_sys(err, "create the network namespace file %s", path);
	if (rootless)
		return netns_make_child(path, err);
	if (unshare(CLONE_NEWNET) < 0) {
		int saved = errno;
		unlink(path);
		return hull_fail_errno(err, saved, "make a network namespace");
	}
	int ret = lo_up(err);
	if (ret == 0 && mount("/proc/thread-self/ns/net", path, NULL, MS_BIND, NULL) < 0)
		ret = hull_fail_sys(err, "bind the network namespace onto %s", path);
	if (setns(own, CLONE_NEWNET) < 0)
		abort(); /* hull would go on in the container's network: never */
	if (ret < 0)
		unlink(path);
	return ret;
}

static bool netns_mounted(const char *path)
{
	struct statfs s;
	return statfs(path, &s) == 0 && s.f_type == NSFS_MAGIC;
}

static int netns_remove(const char *path, hull_err *err)
{
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return hull_fail_sys(err, "unmount the network namespace %s", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return hull_fail_sys(err, "remove %s", path);
	return 0;
}

static int opts_check(const struct net_opts *o, hull_err *err)
{
	if (o->mode != NET_HOST && (o->state_dir == NULL || o->id == NULL || !word_ok(o->id, ID_MAX)))
		return hull_fail_code(err, EINVAL, "network: invalid container id \"%s\"", o->id ? o->id : "");
	/* the second would only shadow the first in the NAT rules, or fail half way in slirp4netns */
	for (size_t i = 0; i < o->n_ports; i++)
		for (size_t j = 0; j < i; j++)
			if (o->ports[i].host_port == o->ports[j].host_port &&
			    strcmp(o->ports[i].proto, o->ports[j].proto) == 0 &&
			    (strcmp(o->ports[i].host_ip, o->ports[j].host_ip) == 0 || !o->ports[i].host_ip[0] ||
			     !o->ports[j].host_ip[0]))
				return hull_fail_code(err, EINVAL, "-p: host port %u/%s is published twice",
						      o->ports[i].host_port, o->ports[i].proto);
	return 0;
}

static int bridge_add(const struct net_opts *o, struct net_result *out, hull_err *err)
{
	struct cni_conflist l;
	if (cni_conflist_load(o->state_dir, &l, err) < 0)
		return -1;
	json_object *result = NULL;
	int ret = cni_add(&l, o, out->netns, &result, err);
	cni_conflist_clear(&l);
	if (ret < 0)
		return -1;
	cni_result_address(result, out->ip, sizeof(out->ip), out->gateway, sizeof(out->gateway));
	json_object_put(result);
	return 0;
}

int network_setup(const struct net_opts *o, struct net_result *out, hull_err *err)
{
	memset(out, 0, sizeof(*out));
	if (opts_check(o, err) < 0)
		return -1;
	if (o->mode == NET_HOST)
		return 0;
	_cleanup_free_ char *dir = xasprintf("%s/netns", o->state_dir);
	_cleanup_free_ char *path = netns_path(o);
	if (strlen(path) >= sizeof(out->netns))
		return hull_fail_code(err, ENAMETOOLONG, "network namespace path %s is too long", path);
	if (fs_mkdir_p(dir, 0700, err) < 0 || netns_make(path, o->rootless, err) < 0)
		return -1;
	strcpy(out->netns, path);
	int ret = 0;
	if (o->mode == NET_BRIDGE && o->rootless) {
		ret = slirp_start(o, path, &out->helper, err);
		strcpy(out->ip, SLIRP_ADDRESS);
		strcpy(out->gateway, SLIRP_GATEWAY);
	} else if (o->mode == NET_BRIDGE) {
		ret = bridge_add(o, out, err);
	}
	if (ret < 0) {
		_cleanup_err_ hull_err ignored = NULL; /* the ADD's error is the one to tell */
		netns_remove(path, &ignored);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

int network_teardown(const struct net_opts *o, const struct net_result *r, hull_err *err)
{
	if (o->mode == NET_HOST)
		return 0;
	if (o->state_dir == NULL || o->id == NULL || !word_ok(o->id, ID_MAX))
		return hull_fail_code(err, EINVAL, "network: invalid container id \"%s\"", o->id ? o->id : "");
	_cleanup_free_ char *path = r && r->netns[0] ? xstrdup(r->netns) : netns_path(o);
	if (o->mode == NET_BRIDGE && o->rootless) {
		if (slirp_stop(o, r ? r->helper : 0, err) < 0)
			return -1;
	} else if (o->mode == NET_BRIDGE) {
		struct cni_conflist l;
		if (cni_conflist_load(o->state_dir, &l, err) < 0)
			return -1;
		/* a file never bound (a crash before the mount) is no namespace: DEL without one */
		int ret = cni_del(&l, o, netns_mounted(path) ? path : "", err);
		cni_conflist_clear(&l);
		if (ret < 0) /* the namespace stays, for the DEL of the next try */
			return -1;
	}
	return netns_remove(path, err);
}

/* ---- /etc/hosts and /etc/resolv.conf ---- */

#define HOST_HOSTS "/etc/hosts"
#define HOST_RESOLV_CONF "/etc/resolv.conf"
/* systemd-resolved's stub (127.0.0.53) is of no use in the container: the upstream servers it reads */
#define RESOLVED_UPSTREAM "/run/systemd/resolve/resolv.conf"
#define RESOLV_CONF_MAX ((size_t)1 << 20)
#define FALLBACK_NAMESERVERS "nameserver 8.8.8.8\nnameserver 8.8.4.4\n"

static void buf_add(char **buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_add(char **buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *more = xvasprintf(fmt, ap);
	va_end(ap);
	char *joined = xasprintf("%s%s", *buf ? *buf : "", more);
	free(*buf);
	*buf = joined;
}

static char *hosts_text(const struct net_opts *o, const struct net_result *r)
{
	char *t = xstrdup("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
	const char *hostname = o->hostname && *o->hostname ? o->hostname : NULL;
	const char *name = o->name && *o->name && (!hostname || strcmp(o->name, hostname) != 0) ? o->name : NULL;
	const char *addr = r && r->ip[0] ? r->ip : "127.0.0.1";
	if (hostname || name)
		buf_add(&t, "%s\t%s%s%s\n", addr, hostname ? hostname : "", hostname && name ? " " : "",
			name ? name : "");
	if (r && r->gateway[0])
		buf_add(&t, "%s\thost.containers.internal\n", r->gateway);
	return t;
}

static bool nameserver_is_loopback(const char *a)
{
	return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0;
}

/* The host's resolvers as podman hands them on: the last search line, every non-loopback nameserver (after
 * first_server when there is one), the options. */
static char *resolv_conf_text(const char *host, const char *first_server)
{
	char *search = NULL, *servers = NULL, *options = NULL;
	if (first_server)
		buf_add(&servers, "nameserver %s\n", first_server);
	_cleanup_free_ char *copy = xstrdup(host ? host : "");
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *key = line + strspn(line, " \t");
		size_t klen = strcspn(key, " \t");
		char *val = key + klen + strspn(key + klen, " \t");
		val[strcspn(val, "#;")] = '\0';
		for (size_t n = strlen(val); n > 0 && strchr(" \t\r", val[n - 1]); n--)
			val[n - 1] = '\0';
		if (*val == '\0')
			continue;
		if (klen == 6 && strncmp(key, "search", 6) == 0) {
			free(search);
			search = xasprintf("search %s\n", val);
		} else if (klen == 10 && strncmp(key, "nameserver", 10) == 0 && !nameserver_is_loopback(val)) {
			buf_add(&servers, "nameserver %s\n", val);
		} else if (klen == 7 && strncmp(key, "options", 7) == 0) {
			buf_add(&options, "options %s\n", val);
		}
	}
	char *t = xasprintf("%s%s%s", search ? search : "", servers ? servers : FALLBACK_NAMESERVERS,
			    options ? options : "");
	free(search);
	free(servers);
	free(options);
	return t;
}

static int read_host_file(const char *path, char **text, hull_err *err)
{
	size_t len;
	*text = NULL;
	if (fs_read_file_max(AT_FDCWD, path, RESOLV_CONF_MAX, text, &len, err) == 0)
		return 0;
	if ((*err)->errnum != ENOENT)
		return -1;
	hull_err_free(err); /* a host without the file: the container's starts empty */
	*text = xstrdup("");
	return 0;
}

static int write_etc_file(const char *dir, const char *name, const char *text, hull_err *err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, name);
	return fs_write_file_atomic(AT_FDCWD, path, text, strlen(text), 0644, err);
}

int network_write_etc(const struct net_opts *o, const struct net_result *r, const char *dir, hull_err *err)
{
	if ((o->hostname && *o->hostname && !word_ok(o->hostname, HOST_NAME_MAX + 1)) ||
	    (o->name && *o->name && !word_ok(o->name, ID_MAX)))
		return hull_fail_code(err, EINVAL, "network: invalid hostname \"%s\" or name \"%s\" for /etc/hosts",
				      o->hostname ? o->hostname : "", o->name ? o->name : "");
	_cleanup_free_ char *hosts = NULL, *resolv = NULL, *host_resolv = NULL;
	if (o->mode == NET_HOST) {
		if (read_host_file(HOST_HOSTS, &hosts, err) < 0 || read_host_file(HOST_RESOLV_CONF, &resolv, err) < 0)
			return -1;
	} else {
		if (read_host_file(HOST_RESOLV_CONF, &host_resolv, err) < 0)
			return -1;
		if (strstr(host_resolv, "127.0.0.53") && access(RESOLVED_UPSTREAM, R_OK) == 0) {
			free(host_resolv);
			if (read_host_file(RESOLVED_UPSTREAM, &host_resolv, err) < 0)
				return -1;
		}
		hosts = hosts_text(o, r);
		/* rootless: slirp4netns's DNS forwarder first, as podman puts it */
		resolv = resolv_conf_text(host_resolv, o->rootless && o->mode == NET_BRIDGE ? SLIRP_DNS : NULL);
	}
	return write_etc_file(dir, "hosts", hosts, err) < 0 ? -1 : write_etc_file(dir, "resolv.conf", resolv, err);
}
