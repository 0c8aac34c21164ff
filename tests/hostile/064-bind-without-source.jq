# expect: source
.mounts += [{"destination": "/mnt", "type": "bind", "options": ["rbind"]}]
