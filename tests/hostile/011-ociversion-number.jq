# expect: ociVersion
.ociVersion = 1.1
