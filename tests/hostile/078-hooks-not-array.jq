# expect: hooks.prestart
.hooks = {"prestart": {"path": "/bin/true"}}
