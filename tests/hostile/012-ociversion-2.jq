# expect: ociVersion
.ociVersion = "2.0.0"
