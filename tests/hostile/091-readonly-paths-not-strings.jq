# expect: linux.readonlyPaths
.linux.readonlyPaths = [{"path": "/proc"}]
