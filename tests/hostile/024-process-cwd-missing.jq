# expect: process.cwd
del(.process.cwd)
