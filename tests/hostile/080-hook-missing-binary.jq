# expect: /no/such/hostile/hook
.hooks = {"createRuntime": [{"path": "/no/such/hostile/hook"}]}
