# expect: memory
.linux.resources.memory = {"limit": "lots"}
