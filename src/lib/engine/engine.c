/* engine.c - the engine's rooms under the store (containers/, names/, runtime/, network/, volumes/), and a container's
 * making and unmaking: id and name taken, overlay mounted, runtime config written; everything undone in reverse.
 * Must never remove or unmount anything outside ROOT/containers/ID, nor leave a half-made container behind. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "engine/engine.h"
#include "engine/rootless.h"
#include "engine/runtime.h"
#include "engine/shift.h"
#include "engine/runspec.h"
#include "image/convert.h"
#include "image/image.h"
#include "linux/namespaces.h"
#include "spec.h"
#include "state.h"
#include "util/fault.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define NAME_TRIES 64

int engine_open(struct engine *e, const char *storage, hull_err *err)
{
	*e = (struct engine){ .dirfd = -1 };
	/* the user's store is found as the user; then the user is root of the pause process's namespaces */
	bool rootless = geteuid() != 0;
	_cleanup_free_ char *def = storage ? NULL : store_default_root();
	if (rootless && rootless_enter(storage ? storage : def, err) < 0)
		return -1;
	if (store_open(&e->store, storage ? storage : def, err) < 0)
		return -1;
	e->root = xstrdup(e->store->root);
	e->runtime_root = xasprintf("%s/runtime", e->root);
	e->network_dir = xasprintf("%s/network", e->root);
	e->volumes_dir = xasprintf("%s/volumes", e->root);
	e->rootless = rootless;
	static const char *const rooms[] = { "containers", "names", "runtime", "network", "volumes" };
	for (size_t i = 0; i < sizeof(rooms) / sizeof(rooms[0]); i++)
		if (mkdirat(e->store->dirfd, rooms[i], 0700) < 0 && errno != EEXIST) {
			hull_fail_sys(err, "engine store %s: %s", e->root, rooms[i]);
			engine_close(e);
			return -1;
		}
	e->dirfd = openat(e->store->dirfd, "containers", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (e->dirfd < 0) {
		hull_fail_sys(err, "engine store %s: containers", e->root);
		engine_close(e);
		return -1;
	}
	return 0;
}

void engine_close(struct engine *e)
{
	store_close(&e->store);
	free(e->root);
	free(e->runtime_root);
	free(e->network_dir);
	free(e->volumes_dir);
	if (e->dirfd >= 0)
		close(e->dirfd);
	*e = (struct engine){ .dirfd = -1 };
}

/* --- names --- */

static const char *const adjectives[] = {
	"agile",  "amber",  "brave",   "bright", "calm",   "clever", "cosy",   "crisp",  "daring", "eager",
	"fancy",  "gentle", "golden",  "happy",  "hardy",  "humble", "jolly",  "keen",   "kind",   "lively",
	"lucid",  "merry",  "modest",  "nimble", "noble",  "patient", "plucky", "proud",  "quick",  "quiet",
	"rapid",  "serene", "sharp",   "shiny",  "silent", "steady", "sturdy", "swift",  "tidy",   "vivid",
	"wise",   "witty",  "zealous", "bold",   "cheery", "dapper", "frosty", "stoic",  "sunny",  "upbeat",
};
static const char *const nouns[] = {
	"anchor",  "barge",   "beacon",  "brig",    "buoy",    "cabin",   "canoe",  "cargo",   "clipper", "compass",
	"cutter",  "dinghy",  "dory",    "ferry",   "frigate", "galleon", "harbor", "hawser",  "helm",    "junk",
	"keel",    "ketch",   "launch",  "lighter", "mast",    "pier",    "punt",   "quay",    "raft",    "rudder",
	"sail",    "schooner", "skiff",  "sloop",   "spar",    "tanker",  "tender", "tiller",  "trawler", "tug",
	"wharf",   "yacht",   "yawl",    "lantern", "oar",     "deck",    "bow",    "stern",   "cove",    "reef",
};

static uint32_t random_u32(void)
{
	uint32_t v = 0;
	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	return v;
}

static bool name_taken(struct engine *e, const char *name)
{
	_cleanup_free_ char *link = xasprintf("../names/%s", name);
	return faccessat(e->dirfd, link, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

char *ctr_generate_name(struct engine *e)
{
	const size_t na = sizeof(adjectives) / sizeof(adjectives[0]), nn = sizeof(nouns) / sizeof(nouns[0]);
	for (int i = 0;; i++) {
		uint32_t r = random_u32();
		char *name = i < NAME_TRIES ? xasprintf("%s_%s", adjectives[r % na], nouns[(r / na) % nn])
					    : xasprintf("%s_%s_%u", adjectives[r % na], nouns[(r / na) % nn], r % 10000);
		if (!name_taken(e, name))
			return name;
		free(name);
	}
}

/* --- making --- */

static void new_id(char id[65])
{
	unsigned char b[32];
	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		for (size_t i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)random_u32();
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(id + 2 * i, 3, "%02x", b[i]);
}

/* Take the name: names/NAME -> ID, atomically. */
static int take_name(struct engine *e, const char *name, const char *id, hull_err *err)
{
	_cleanup_free_ char *link = xasprintf("../names/%s", name);
	if (symlinkat(id, e->dirfd, link) == 0)
		return 0;
	if (errno != EEXIST)
		return hull_fail_sys(err, "container name %s", name);
	char other[65] = "";
	ssize_t n = readlinkat(e->dirfd, link, other, sizeof(other) - 1);
	other[n > 0 ? n : 0] = '\0';
	return hull_fail_code(err, EEXIST,
			      "the container name \"%s\" is already in use by %s. You have to remove that container to be "
			      "able to reuse that name: that name is already in use",
			      name, other);
}

static bool mounted(int dirfd, const char *path)
{
	struct stat st, parent;
	return fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && fstatat(dirfd, ".", &parent, 0) == 0 &&
	       st.st_dev != parent.st_dev;
}

/* the kernel's limit of lines in a map */
#define CTR_MAPS_MAX 340

/* The container's own id maps (--uidmap/--gidmap), when it has them. */
struct ctr_maps {
	struct hull_idmap uid[CTR_MAPS_MAX], gid[CTR_MAPS_MAX];
	size_t n_uid, n_gid;
};

/* The host id of a container id through a map (the id itself without a map; unmapped: the overflow id). */
static uint32_t host_id_of(const struct hull_idmap *m, size_t n, uint32_t id)
{
	return ns_map_id(m, n, id, n == 0 ? id : 65534);
}

/* The merged root shows the upper directory's own mode and owner: give it those of the image's top layer root (its
 * owner mapped as the container maps it). */
static int upper_like_image(struct engine *e, struct ctr *c, const struct image *img, const struct ctr_maps *maps,
			    hull_err *err)
{
	if (img->config->n_diff_ids == 0)
		return 0;
	_cleanup_free_ char *top = store_layer_path(e->store, &img->config->diff_ids[img->config->n_diff_ids - 1]);
	struct stat st;
	if (stat(top, &st) < 0)
		return hull_fail_sys(err, "image layer %s", top);
	_cleanup_close_ int fd = openat(c->dirfd, "overlay/upper", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchown(fd, host_id_of(maps->uid, maps->n_uid, st.st_uid), host_id_of(maps->gid, maps->n_gid, st.st_gid)) < 0 ||
	    fchmod(fd, st.st_mode & 07777) < 0)
		return hull_fail_sys(err, "container %s: overlay/upper", c->rec.name);
	return 0;
}

/* A container with maps of its own: its root (an unprivileged id on the host) reaches rootfs through the store (the
 * store and containers/ only traversable by others, the container's directory by its root group alone, as Docker's
 * 0710 root:remapped), and sees the image's files as its own through idmapped layers. */
static int open_to_mapped_root(struct engine *e, struct ctr *c, const struct ctr_maps *maps, hull_err *err)
{
	uint32_t gid = host_id_of(maps->gid, maps->n_gid, 0);
	struct stat st;
	if (fstat(e->store->dirfd, &st) < 0 || ((st.st_mode & 0111) != 0111 && fchmodat(e->store->dirfd, ".", (st.st_mode & 07777) | 0111, 0) < 0) ||
	    fchmodat(e->store->dirfd, "containers", 0711, 0) < 0 ||
	    fchownat(e->dirfd, c->rec.id, 0, gid, AT_SYMLINK_NOFOLLOW) < 0 || fchmodat(e->dirfd, c->rec.id, 0710, 0) < 0)
		return hull_fail_sys(err, "container %s: open the store's path to its mapped root", c->rec.name);
	return 0;
}

static int mount_rootfs(struct engine *e, struct ctr *c, const struct image *img, const struct ctr_maps *maps,
			hull_err *err)
{
	if (upper_like_image(e, c, img, maps, err) < 0)
		return -1;
	_cleanup_close_ int userns = -1;
	/* rootless, the layers cannot be idmapped: ctr_create chowns the files instead */
	if (maps->n_uid && (open_to_mapped_root(e, c, maps, err) < 0 ||
			    (!e->rootless && (userns = ns_userns_fd(maps->uid, maps->n_uid, maps->gid, maps->n_gid, err)) < 0)))
		return -1;
	_cleanup_free_ char *upper = xasprintf("%s/overlay/upper", c->dir), *work = xasprintf("%s/overlay/work", c->dir),
			    *target = xasprintf("%s/rootfs", c->dir);
	/* --rm: the upper goes with the container, so never flush it to the disk (podman's choice too). Mounted again
	 * (after a reboot), the marker of the last volatile mount goes first: what it guards is thrown away anyway. */
	if (c->rec.auto_remove)
		fs_rmtree(c->dirfd, "overlay/work/work/incompat/volatile");
	_cleanup_free_ char *scratch = xasprintf("%s/overlay", c->dir);
	struct image_upper up = { .dir = upper, .work = work, .volatile_ = c->rec.auto_remove, .idmap_userns = userns,
				  .scratch = scratch };
	return image_mount(e->store, img, &up, target, err);
}

/* Rootless with maps of its own: the image's files, copied up into the container's upper, owned by the ids its maps
 * give (idmapped layers need privilege over the store's filesystem). Once, at create: a second pass would shift the
 * shifted ids again, and a create killed half-way is removed whole. */
static int shift_rootfs(struct ctr *c, const struct ctr_maps *maps, hull_err *err)
{
	_cleanup_close_ int rootfd = openat(c->dirfd, "rootfs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct shift_maps m = { .uid = maps->uid, .n_uid = maps->n_uid, .gid = maps->gid, .n_gid = maps->n_gid };
	if (rootfd < 0)
		return hull_fail_sys(err, "container %s: rootfs", c->rec.name);
	if (shift_owners(rootfd, &m, err) < 0)
		return hull_err_prefix(err, "container %s: --uidmap", c->rec.name);
	return 0;
}

/* maps := these (as many as the kernel takes) */
static void maps_set(struct ctr_maps *maps, const struct hull_idmap *u, size_t nu, const struct hull_idmap *g, size_t ng)
{
	maps->n_uid = nu < CTR_MAPS_MAX ? nu : CTR_MAPS_MAX;
	maps->n_gid = ng < CTR_MAPS_MAX ? ng : CTR_MAPS_MAX;
	if (maps->n_uid)
		memcpy(maps->uid, u, maps->n_uid * sizeof(*u));
	if (maps->n_gid)
		memcpy(maps->gid, g, maps->n_gid * sizeof(*g));
}

/* The maps of config.json (linux.uidMappings, gidMappings, parsed as the runtime parses them), for a mount after the
 * create; none from a config that does not parse (the runtime refuses it anyway). */
static void config_maps(struct ctr *c, struct ctr_maps *maps)
{
	*maps = (struct ctr_maps){ 0 };
	struct hull_spec *s = NULL;
	_cleanup_err_ hull_err err = NULL;
	if (spec_load(c->dir, &s, &err) < 0)
		return;
	maps_set(maps, s->uid_mappings, s->n_uid_mappings, s->gid_mappings, s->n_gid_mappings);
	spec_free(s);
}

/* The maps of the run flags (one flag alone maps both, as runspec writes the config). */
static void spec_maps(const struct run_spec *spec, struct ctr_maps *maps)
{
	*maps = (struct ctr_maps){ 0 };
	const struct hull_idmap *u = spec->n_uidmap ? spec->uidmap : spec->gidmap, *g = spec->n_gidmap ? spec->gidmap : spec->uidmap;
	size_t nu = spec->n_uidmap ? spec->n_uidmap : spec->n_gidmap, ng = spec->n_gidmap ? spec->n_gidmap : spec->n_uidmap;
	maps_set(maps, u, nu, g, ng);
}

int ctr_mount(struct engine *e, struct ctr *c, hull_err *err)
{
	if (mounted(c->dirfd, "rootfs"))
		return 0;
	_cleanup_image_ struct image img = { 0 };
	if (image_open(e->store, c->rec.image_id, &img, err) < 0)
		return hull_err_prefix(err, "container %s", c->rec.name);
	struct ctr_maps maps;
	config_maps(c, &maps);
	return mount_rootfs(e, c, &img, &maps, err);
}

static int make_dirs(struct ctr *c, hull_err *err)
{
	static const char *const dirs[] = { "overlay", "overlay/upper", "overlay/work", "rootfs" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mkdirat(c->dirfd, dirs[i], i == 3 ? 0755 : 0700) < 0)
			return hull_fail_sys(err, "container %s: %s", c->rec.name, dirs[i]);
	return 0; /* hosts, resolv.conf and hostname are the monitor's, written before each run */
}

/* The runtime config: the image's, the flags over it, our root. Writes config.json; the command into the record. */
static int write_config(struct engine *e, struct ctr *c, const struct image *img, const struct run_spec *spec,
			hull_err *err)
{
	_cleanup_close_ int rootfd = openat(c->dirfd, "rootfs", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rootfd < 0)
		return hull_fail_sys(err, "container %s: rootfs", c->rec.name);
	json_object *config = NULL;
	/* rootless too the engine is root (of the user's pause namespace): runc's rootless spec is not for it */
	if (image_runtime_config(img->config, rootfd, false, false, &config, err) < 0)
		return -1;
	_cleanup_free_ char *hosts = xasprintf("%s/hosts", c->dir), *resolv = xasprintf("%s/resolv.conf", c->dir),
			    *hostname = xasprintf("%s/hostname", c->dir),
			    *netns = xasprintf("%s/netns/%s", e->network_dir, c->rec.id);
	char short_id[CTR_SHORT + 1];
	memcpy(short_id, c->rec.id, CTR_SHORT);
	short_id[CTR_SHORT] = '\0';
	struct runspec_env env = {
		.hosts = hosts, .resolv_conf = resolv, .hostname_file = hostname, .volumes_dir = e->volumes_dir,
		.netns = c->rec.net == NET_HOST ? NULL : netns, .host_network = c->rec.net == NET_HOST,
		.rootless = e->rootless, .short_id = short_id,
		.image_entrypoint = img->config->entrypoint, .image_cmd = img->config->cmd, .image_volumes = img->config->volumes,
	};
	int ret = -1;
	if (runspec_apply(spec, &env, rootfd, config, err) < 0)
		goto out;
	json_object *root = NULL, *process = NULL, *args = NULL;
	if (!json_object_object_get_ex(config, "root", &root))
		json_object_object_add(config, "root", root = json_object_new_object());
	json_object_object_add(root, "path", json_object_new_string("rootfs"));
	if (!json_object_object_get_ex(config, "process", &process) || !json_object_object_get_ex(process, "args", &args) ||
	    json_object_array_length(args) == 0) {
		hull_fail_code(err, EINVAL, "no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
		goto out;
	}
	size_t n = json_object_array_length(args);
	cleanup_strvp(&c->rec.command);
	c->rec.command = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		c->rec.command[i] = xstrdup(json_object_get_string(json_object_array_get_idx(args, i)));
	const char *text = json_object_to_json_string_ext(config, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	ret = fs_write_file_atomic(c->dirfd, "config.json", text, strlen(text), 0600, err);
out:
	json_object_put(config);
	return ret;
}

int ctr_create(struct engine *e, const char *name, struct ctr_record *rec, const struct image *img,
	       const struct run_spec *spec, struct ctr *out, hull_err *err)
{
	*out = (struct ctr){ .dirfd = -1, .lock = -1 };
	if (name && !ctr_name_valid(name))
		return hull_fail_code(err, EINVAL, "container name \"%s\": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*", name);
	new_id(rec->id);
	rec->name = name ? xstrdup(name) : ctr_generate_name(e);
	rec->created = state_now_rfc3339();
	out->rec = *rec;
	*rec = (struct ctr_record){ 0 };
	out->dir = xasprintf("%s/containers/%s", e->root, out->rec.id);
	int lock = -1;
	if (mkdirat(e->dirfd, out->rec.id, 0700) < 0) {
		hull_fail_sys(err, "container %s", out->rec.name);
		goto fail;
	}
	out->dirfd = openat(e->dirfd, out->rec.id, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (out->dirfd < 0) {
		hull_fail_sys(err, "container %s", out->rec.name);
		goto fail;
	}
	if ((lock = ctr_own(out, false, err)) < 0) {
		if (lock == -EWOULDBLOCK)
			hull_fail_code(err, EBUSY, "container %s: made by another command", out->rec.name);
		lock = -1;
		goto fail;
	}
	fault_point("container.dir_made");
	/* the name after the directory: a name always leads to a directory, which a dead maker's successor repairs */
	if (take_name(e, out->rec.name, out->rec.id, err) < 0)
		goto fail;
	fault_point("container.name_taken");
	struct ctr_maps maps;
	spec_maps(spec, &maps);
	if (make_dirs(out, err) < 0 || mount_rootfs(e, out, img, &maps, err) < 0 ||
	    (e->rootless && maps.n_uid && shift_rootfs(out, &maps, err) < 0))
		goto fail;
	fault_point("container.mounted");
	if (write_config(e, out, img, spec, err) < 0 || ctr_record_write(out, err) < 0)
		goto fail;
	fault_point("container.configured");
	out->status = (struct ctr_status){ .state = CTR_CREATED };
	if (ctr_status_write(out, err) < 0)
		goto fail;
	out->lock = lock;
	return 0;
fail:;
	hull_err rerr = NULL;
	ctr_remove(e, out, true, &rerr);
	hull_err_free(&rerr);
	if (lock >= 0)
		close(lock);
	ctr_clear(out);
	return -1;
}

/* --- unmaking --- */

static void unmount_all(struct ctr *c)
{
	_cleanup_free_ char *target = xasprintf("%s/rootfs", c->dir);
	for (int i = 0; i < 16 && mounted(c->dirfd, "rootfs"); i++)
		if (umount2(target, UMOUNT_NOFOLLOW | MNT_DETACH) < 0)
			break;
}

/* The anonymous volumes runspec made for the container (config.json's hull.anonymous-volumes: 64-hex names). */
static void remove_anonymous_volumes(struct engine *e, struct ctr *c)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	_cleanup_err_ hull_err err = NULL;
	if (c->dirfd < 0 || fs_read_file_max(c->dirfd, "config.json", FS_INPUT_MAX, &text, &len, &err) < 0)
		return;
	json_object *config = json_tokener_parse(text), *ann = NULL, *list = NULL;
	json_object *names = config && json_object_object_get_ex(config, "annotations", &ann) &&
				     json_object_object_get_ex(ann, "hull.anonymous-volumes", &list)
			     ? json_tokener_parse(json_object_get_string(list))
			     : NULL;
	_cleanup_close_ int vfd = open(e->volumes_dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	for (size_t i = 0; vfd >= 0 && json_object_is_type(names, json_type_array) && i < json_object_array_length(names); i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(names, i));
		if (name && strlen(name) == 64 && strspn(name, "0123456789abcdef") == 64)
			fs_rmtree(vfd, name);
	}
	json_object_put(names);
	json_object_put(config);
}

/* The container's name (or, its record unknown, every name that leads to its id): before its directory goes, so that a
 * name never leads nowhere. */
static void release_names(struct engine *e, struct ctr *c)
{
	if (c->rec.name) {
		_cleanup_free_ char *link = xasprintf("../names/%s", c->rec.name);
		char id[65] = "";
		ssize_t n = readlinkat(e->dirfd, link, id, sizeof(id) - 1);
		if (n == 64 && strncmp(id, c->rec.id, 64) == 0)
			unlinkat(e->dirfd, link, 0);
		return;
	}
	int fd = openat(e->dirfd, "../names", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		char id[65] = "";
		ssize_t n = readlinkat(fd, de->d_name, id, sizeof(id) - 1);
		if (n == 64 && strncmp(id, c->rec.id, 64) == 0)
			unlinkat(fd, de->d_name, 0);
	}
	closedir(d);
}

int ctr_unmake(struct engine *e, struct ctr *c, bool volumes, hull_err *err)
{
	if (volumes)
		remove_anonymous_volumes(e, c);
	/* a network is left while its namespace file is: also one a monitor killed before its status was written made
	 * (after a run, the monitor's teardown took it: no second DEL through the plugins) */
	_cleanup_free_ char *netns = xasprintf("%s/netns/%s", e->network_dir, c->rec.id);
	if (c->rec.net != NET_HOST && (c->status.netns[0] || access(netns, F_OK) == 0)) {
		struct net_opts no = { .mode = c->rec.net, .state_dir = e->network_dir, .id = c->rec.id,
				       .name = c->rec.name, .ports = c->rec.ports, .n_ports = c->rec.n_ports,
				       .rootless = e->rootless };
		struct net_result nr = { 0 };
		snprintf(nr.netns, sizeof(nr.netns), "%s", c->status.netns);
		_cleanup_err_ hull_err nerr = NULL;
		network_teardown(&no, &nr, &nerr);
	}
	if (c->rec.id[0])
		ctr_rt_delete(e, c);
	if (c->dirfd >= 0) {
		unmount_all(c);
		if (mounted(c->dirfd, "rootfs"))
			return hull_fail_code(err, EBUSY, "container %s: its root is still mounted", c->rec.name);
	}
	fault_point("container.unmounted");
	if (c->rec.id[0] == '\0')
		return 0;
	release_names(e, c);
	_cleanup_free_ char *gone = xasprintf("%s%s", CTR_REMOVED_PREFIX, c->rec.id);
	if (renameat(e->dirfd, c->rec.id, e->dirfd, gone) < 0 && errno != ENOENT)
		return hull_fail_sys(err, "remove container %s", c->rec.name);
	return 0;
}

int ctr_sweep(struct engine *e, const struct ctr *c, hull_err *err)
{
	fault_point("container.unmade");
	_cleanup_free_ char *gone = xasprintf("%s%s", CTR_REMOVED_PREFIX, c->rec.id);
	int r = c->rec.id[0] ? fs_rmtree(e->dirfd, gone) : 0;
	return r < 0 ? hull_fail_errno(err, -r, "remove container %s: %s/%s", c->rec.name, e->root, gone) : 0;
}

int ctr_remove(struct engine *e, struct ctr *c, bool volumes, hull_err *err)
{
	return ctr_unmake(e, c, volumes, err) < 0 ? -1 : ctr_sweep(e, c, err);
}
