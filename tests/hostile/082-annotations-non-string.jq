# expect: annotations
.annotations = {"org.hostile": 1}
