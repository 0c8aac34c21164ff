/* dl.c - optional libraries opened on first use, their symbols resolved into a table of the caller's.
 * Must never keep a half-filled table: every symbol resolves, or the library is closed again. */
#include <dlfcn.h>
#include <string.h>

#include "util/dl.h"

int dl_load(const char *soname, const struct dl_symbol *syms, size_t n, void *table, void **handle,
	    const char *what, const char *hint, hull_err *err)
{
	if (*handle)
		return 0;
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL)
		return hull_fail(err, "%s: cannot load %s%s: %s", what, soname, hint, dlerror());
	for (size_t i = 0; i < n; i++) {
		void *sym = dlsym(lib, syms[i].name);
		if (sym == NULL) {
			dlclose(lib);
			return hull_fail(err, "%s: %s lacks %s", what, soname, syms[i].name);
		}
		memcpy((char *)table + syms[i].offset, &sym, sizeof(sym));
	}
	*handle = lib;
	return 0;
}
