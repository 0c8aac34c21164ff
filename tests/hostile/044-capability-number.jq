# expect: process.capabilities.effective[0]
.process.capabilities.effective = [21]
