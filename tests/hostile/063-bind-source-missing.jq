# expect: /no/such/hostile/source
.mounts += [{"destination": "/mnt", "type": "bind", "source": "/no/such/hostile/source", "options": ["rbind"]}]
