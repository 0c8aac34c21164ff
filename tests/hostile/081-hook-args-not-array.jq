# expect: args
.hooks = {"createRuntime": [{"path": "/bin/true", "args": "/bin/true"}]}
