# expect: consoleSize
.process.consoleSize = {"height": -1, "width": 80}
