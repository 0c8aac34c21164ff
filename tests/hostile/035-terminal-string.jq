# expect: process.terminal
.process.terminal = "false"
