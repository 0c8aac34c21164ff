# expect: root.path
del(.root.path)
