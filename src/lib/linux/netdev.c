/* netdev.c - linux.netDevices over our own rtnetlink: RTM_NEWLINK with IFLA_NET_NS_FD + IFLA_IFNAME moves and
 * renames an interface in one step, RTM_GETADDR/RTM_NEWADDR carry its permanent addresses along.
 * Must never touch an interface the config does not name, nor leave hull in another network namespace. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linux/netdev.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

#define NL_MSG_MAX 1024     /* every request hull sends fits */
#define NL_RECV_MAX 32768   /* one datagram of a dump */
#define ADDR_ATTR_MAX 16    /* an address attribute: an IPv6 address at the most */

struct nl_req {
	struct nlmsghdr h;
	char body[NL_MSG_MAX];
};

static void nl_init(struct nl_req *r, uint16_t type, uint16_t flags, const void *hdr, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = NLM_F_REQUEST | flags;
	r->h.nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	memcpy(NLMSG_DATA(&r->h), hdr, len);
}

static void nl_attr(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));
	a->rta_type = type;
	a->rta_len = (uint16_t)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static int nl_open(hull_err *err)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return hull_fail_sys(err, "linux.netDevices: open an rtnetlink socket");
	return fd;
}

/* A socket is bound to the network namespace it was made in: made there, it talks to that namespace. */
static int nl_open_in(int netns_fd, hull_err *err)
{
	_cleanup_close_ int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (own < 0)
		return hull_fail_sys(err, "linux.netDevices: open /proc/self/ns/net");
	if (setns(netns_fd, CLONE_NEWNET) < 0)
		return hull_fail_sys(err, "linux.netDevices: enter the container's network namespace");
	int fd = nl_open(err);
	if (setns(own, CLONE_NEWNET) < 0)
		abort(); /* hull would go on in the container's network: never */
	return fd;
}

/* Send one request and read what answers it up to its end (the acknowledgement, or a dump's NLMSG_DONE),
 * handing each other message of it to `each`. 0 or -errno. */
static int nl_talk(int fd, struct nl_req *r, void (*each)(struct nlmsghdr *h, void *data), void *data)
{
	static uint32_t seq;
	r->h.nlmsg_seq = ++seq;
	r->h.nlmsg_flags |= NLM_F_ACK;
	if (send(fd, &r->h, r->h.nlmsg_len, 0) < 0)
		return -errno;
	_cleanup_free_ char *buf = xmalloc(NL_RECV_MAX);
	for (;;) {
		ssize_t n = recv(fd, buf, NL_RECV_MAX, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->h.nlmsg_seq)
				continue; /* the late acknowledgement of an earlier request */
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (each)
				each(h, data);
		}
	}
}

static void take_index(struct nlmsghdr *h, void *data)
{
	if (h->nlmsg_type == RTM_NEWLINK)
		*(int *)data = ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index;
}

/* The index of `name` in the namespace of socket fd, or -errno. */
static int link_index(int fd, const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_req r;
	nl_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	nl_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
	int index = -ENODEV;
	int e = nl_talk(fd, &r, take_index, &index);
	return e < 0 ? e : index;
}

static int link_set_up(int fd, int index, bool up)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index, .ifi_change = IFF_UP, .ifi_flags = up ? IFF_UP : 0 };
	struct nl_req r;
	nl_init(&r, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	return nl_talk(fd, &r, NULL, NULL);
}

/* Move (and rename: the kernel applies IFLA_IFNAME in the target namespace) in one message, so that the
 * name is never taken by another interface in between. */
static int link_move(int fd, int index, const char *name, int netns_fd)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index };
	struct nl_req r;
	uint32_t nsfd = (uint32_t)netns_fd;
	nl_init(&r, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	nl_attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
	nl_attr(&r, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
	return nl_talk(fd, &r, NULL, NULL);
}

struct addr_list {
	int index;            /* the interface's, in the runtime's namespace */
	struct nl_req *reqs;  /* RTM_NEWADDR requests, their index still the host's */
	size_t n;
};

/* Which addresses go along, as runc 1.3: permanent ones (set by an administrator, not learnt), and not an
 * IPv6 link-local one, which the kernel makes anew for the interface wherever it is. */
static bool addr_moves(const struct ifaddrmsg *ifa, uint32_t flags)
{
	if (!(flags & IFA_F_PERMANENT))
		return false;
	return !(ifa->ifa_family == AF_INET6 && ifa->ifa_scope == RT_SCOPE_LINK);
}

/* One RTM_NEWADDR of the dump, as the request that makes it again (lifetimes and label left out: the address
 * is permanent, and a label carries the interface's old name). */
static void addr_keep(struct nlmsghdr *h, void *data)
{
	struct addr_list *l = data;
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	if (h->nlmsg_type != RTM_NEWADDR || ifa->ifa_index != (uint32_t)l->index)
		return;
	uint32_t flags = ifa->ifa_flags;
	int len = (int)IFA_PAYLOAD(h);
	for (struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFA_FLAGS && RTA_PAYLOAD(a) >= sizeof(uint32_t))
			memcpy(&flags, RTA_DATA(a), sizeof(flags));
	if (!addr_moves(ifa, flags))
		return;
	l->reqs = xreallocarray(l->reqs, l->n + 1, sizeof(struct nl_req));
	struct nl_req *r = &l->reqs[l->n++];
	nl_init(r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifa, sizeof(*ifa));
	len = (int)IFA_PAYLOAD(h);
	for (struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if ((a->rta_type == IFA_ADDRESS || a->rta_type == IFA_LOCAL || a->rta_type == IFA_BROADCAST ||
		     a->rta_type == IFA_FLAGS) && RTA_PAYLOAD(a) <= ADDR_ATTR_MAX)
			nl_attr(r, a->rta_type, RTA_DATA(a), RTA_PAYLOAD(a));
}

static int addr_dump(int fd, struct addr_list *l)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC };
	struct nl_req r;
	nl_init(&r, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa));
	return nl_talk(fd, &r, addr_keep, l);
}

int netdev_check_present(const struct hull_spec *s, hull_err *err)
{
	for (size_t i = 0; i < s->n_net_devices; i++)
		if (if_nametoindex(s->net_devices[i].host_name) == 0)
			return hull_fail_errno(err, errno,
					       "linux.netDevices.%s: no such interface in the runtime's network namespace",
					       s->net_devices[i].host_name);
	return 0;
}

/* One interface in: down, moved and renamed, its addresses added again, up. */
static int move_one_in(int host, int cont, const struct hull_net_device *d, int netns_fd, hull_err *err)
{
	struct addr_list addrs = { 0 };
	const char *step = "find it";
	int e = link_index(host, d->host_name);
	int index = e;
	if (e >= 0) {
		step = "read its addresses";
		addrs.index = index;
		e = addr_dump(host, &addrs);
	}
	if (e >= 0) {
		step = "set it down";
		e = link_set_up(host, index, false);
	}
	if (e >= 0) {
		step = "move it into the container's network namespace";
		e = link_move(host, index, d->name, netns_fd);
	}
	if (e >= 0) {
		step = "find it in the container's network namespace";
		e = index = link_index(cont, d->name);
	}
	for (size_t i = 0; e >= 0 && i < addrs.n; i++) {
		step = "add its address";
		((struct ifaddrmsg *)NLMSG_DATA(&addrs.reqs[i].h))->ifa_index = (uint32_t)index;
		e = nl_talk(cont, &addrs.reqs[i], NULL, NULL);
	}
	if (e >= 0) {
		step = "set it up";
		e = link_set_up(cont, index, true);
	}
	free(addrs.reqs);
	if (e < 0)
		return hull_fail_errno(err, -e, "linux.netDevices.%s: %s", d->host_name, step);
	return 0;
}

int netdev_move_in(const struct hull_spec *s, int netns_fd, hull_err *err)
{
	if (s->n_net_devices == 0)
		return 0;
	_cleanup_close_ int host = nl_open(err);
	if (host < 0)
		return -1;
	_cleanup_close_ int cont = nl_open_in(netns_fd, err);
	if (cont < 0)
		return -1;
	for (size_t i = 0; i < s->n_net_devices; i++) {
		if (move_one_in(host, cont, &s->net_devices[i], netns_fd, err) < 0) {
			/* the one that failed may be half-way: it is tried too */
			hull_err ignored = NULL;
			netdev_move_out(s, i + 1, netns_fd, &ignored);
			hull_err_free(&ignored);
			return -1;
		}
	}
	return 0;
}

int netdev_move_out(const struct hull_spec *s, size_t n, int netns_fd, hull_err *err)
{
	if (n == 0)
		return 0;
	_cleanup_close_ int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (own < 0)
		return hull_fail_sys(err, "linux.netDevices: open /proc/self/ns/net");
	_cleanup_close_ int cont = nl_open_in(netns_fd, err);
	if (cont < 0)
		return -1;
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		const struct hull_net_device *d = &s->net_devices[i];
		int index = link_index(cont, d->name);
		if (index == -ENODEV)
			continue; /* never moved in, or gone with the container */
		int e = index;
		/* down first: its addresses and routes must not clash with the host's (runc) */
		if (e >= 0)
			e = link_set_up(cont, index, false);
		if (e >= 0)
			e = link_move(cont, index, d->host_name, own);
		if (e < 0 && ret == 0)
			ret = hull_fail_errno(err, -e, "linux.netDevices.%s: move it back from the container's network namespace as %s",
					      d->name, d->host_name);
	}
	return ret;
}
