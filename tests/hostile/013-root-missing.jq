# expect: root
del(.root)
