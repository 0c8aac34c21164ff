# expect: ociVersion
del(.ociVersion)
