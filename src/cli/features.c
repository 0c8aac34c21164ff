/* features.c - `hull features`: what this build supports, as runtime-spec features.md describes.
 * Must never claim a feature that hull does not implement. */
#include "cli/cli.h"
#include "seccomp/profile.h"
#include "config.h"
#include "linux/caps.h"
#include "linux/mounts.h"
#include "spec.h"

static json_object *enabled(bool on)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "enabled", json_object_new_boolean(on));
	return o;
}

int cmd_features(struct cli_globals *g, int argc, char **argv)
{
	(void)g;
	const struct cli_command *cmd = cli_command_get("features");
	int ind = cli_parse(cmd, argc, argv, "", NULL, cli_no_flags, NULL);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 0, 0) < 0)
		return 1;
	json_object *f = json_object_new_object();
	json_object_object_add(f, "ociVersionMin", json_object_new_string("1.0.0"));
	json_object_object_add(f, "ociVersionMax", json_object_new_string(HULL_OCI_VERSION));
	json_object *hooks = json_object_new_array();
	for (int k = 0; k < HOOK_KIND_COUNT; k++)
		json_object_array_add(hooks, json_object_new_string(hull_hook_names[k]));
	json_object_object_add(f, "hooks", hooks);
	json_object *opts = json_object_new_array();
	for (const char *const *o = mount_known_options; *o; o++)
		json_object_array_add(opts, json_object_new_string(*o));
	json_object_object_add(f, "mountOptions", opts);

	json_object *lx = json_object_new_object();
	json_object *nss = json_object_new_array();
	for (int k = 0; k < NS_COUNT; k++)
		json_object_array_add(nss, json_object_new_string(hull_ns_names[k]));
	json_object_object_add(lx, "namespaces", nss);
	json_object *caps = json_object_new_array();
	for (int c = 0; c < caps_known_count(); c++)
		json_object_array_add(caps, json_object_new_string(caps_name(c)));
	json_object_object_add(lx, "capabilities", caps);
	json_object *cg = json_object_new_object();
	json_object_object_add(cg, "v1", json_object_new_boolean(1));
	json_object_object_add(cg, "v2", json_object_new_boolean(1));
	json_object_object_add(cg, "systemd", json_object_new_boolean(1));
	json_object_object_add(cg, "systemdUser", json_object_new_boolean(1)); /* rootless: the user manager (systemd.c) */
	json_object_object_add(cg, "rdma", json_object_new_boolean(1)); /* linux.resources.rdma: rdma.max (resources.c) */
	json_object_object_add(lx, "cgroup", cg);
	json_object_object_add(lx, "seccomp", seccomp_features());
	/* compiled in, whatever the host has (features-linux.md): AppArmor's exec profile is (linux/lsm.c); SELinux's
	 * process label is too, but not linux.mountLabel on mounts, so SELinux is not claimed */
	json_object_object_add(lx, "apparmor", enabled(true));
	json_object_object_add(lx, "selinux", enabled(false));
	/* compiled in, whatever the host has (linux/intelrdt.c, linux/netdev.c; docs/netdevices-intelrdt.md) */
	json_object *rdt = enabled(true);
	json_object_object_add(rdt, "schemata", json_object_new_boolean(1));
	json_object_object_add(rdt, "monitoring", json_object_new_boolean(1));
	json_object_object_add(lx, "intelRdt", rdt);
	json_object_object_add(lx, "netDevices", enabled(true));
	/* features-linux.md: what hull implements, "irrespective of the availability of the features on the host" */
	json_object *ext = json_object_new_object();
	json_object_object_add(ext, "idmap", enabled(true));
	json_object_object_add(lx, "mountExtensions", ext);
	json_object *mp = json_object_new_object(), *modes = json_object_new_array(), *flags = json_object_new_array();
	for (size_t i = 0; spec_mempolicy_mode_name(i); i++)
		json_object_array_add(modes, json_object_new_string(spec_mempolicy_mode_name(i)));
	for (size_t i = 0; spec_mempolicy_flag_name(i); i++)
		json_object_array_add(flags, json_object_new_string(spec_mempolicy_flag_name(i)));
	json_object_object_add(mp, "modes", modes);
	json_object_object_add(mp, "flags", flags);
	json_object_object_add(lx, "memoryPolicy", mp);
	json_object_object_add(f, "linux", lx);
	json_object *ann = json_object_new_object();
	json_object_object_add(ann, "org.hull.version", json_object_new_string(HULL_VERSION));
	json_object_object_add(ann, "org.hull.commit", json_object_new_string(HULL_COMMIT));
	/* as runc's org.opencontainers.runc.checkpoint.enabled: the commands are there (criu runs them) */
	json_object_object_add(ann, "org.hull.checkpoint.enabled", json_object_new_string("true"));
	json_object_object_add(f, "annotations", ann);
	int ret = cli_print_json(f, true);
	json_object_put(f);
	return ret;
}
