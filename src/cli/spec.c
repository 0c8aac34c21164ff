/* spec.c - `hull spec`: write runc's default config.json (or its rootless variant) into the bundle.
 * Must never overwrite an existing config.json. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "spec_default.h"
#include "util/cleanup.h"
#include "util/xalloc.h"
#include "config.h"

struct spec_flags {
	const char *bundle;
	bool rootless;
};

static int spec_flag(int opt, const char *arg, void *data)
{
	struct spec_flags *f = data;
	if (opt == 'b') {
		f->bundle = arg;
		return 0;
	}
	if (opt == 1) {
		f->rootless = true;
		return 0;
	}
	return -1;
}

int cmd_spec(struct cli_globals *g, int argc, char **argv)
{
	(void)g;
	static const struct option longopts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 1 },
		{ NULL, 0, NULL, 0 },
	};
	const struct cli_command *cmd = cli_command_get("spec");
	struct spec_flags f = { .bundle = "." };
	int ind = cli_parse(cmd, argc, argv, "b:", longopts, spec_flag, &f);
	if (ind < 0)
		return ind == -2 ? 0 : 1;
	if (cli_want_args(cmd, argc, ind, 0, 0) < 0)
		return 1;
	/* config.json in the bundle directory, opened from it: BUNDLE/config.json may be longer than PATH_MAX
	 * while BUNDLE is not (runc changes into the bundle); the path is for messages only, never cut */
	_cleanup_free_ char *path = xasprintf("%s/config.json", f.bundle);
	_cleanup_close_ int dirfd = open(f.bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return cli_failf("open %s: %s", f.bundle, hull_errtext(errno));
	int fd = openat(dirfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			return cli_failf("File %s exists. Remove it first", path);
		return cli_failf("create %s: %s", path, hull_errtext(errno));
	}
	json_object *s = spec_default(f.rootless);
	const char *text = json_object_to_json_string_ext(s, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_OUT_FLAGS);
	int ret = 0;
	if (dprintf(fd, "%s\n", text) < 0) {
		cli_failf("write %s: %s", path, hull_errtext(errno));
		ret = 1;
	}
	close(fd);
	json_object_put(s);
	return ret;
}
