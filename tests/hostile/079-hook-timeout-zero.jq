# expect: timeout
.hooks = {"createRuntime": [{"path": "/bin/true", "timeout": 0}]}
