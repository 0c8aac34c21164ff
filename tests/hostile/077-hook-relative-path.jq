# expect: hooks.createRuntime[0].path
.hooks = {"createRuntime": [{"path": "../../../bin/true"}]}
