# expect: kernel.hostile_canary
.linux.sysctl = {"kernel.hostile_canary": "1"}
