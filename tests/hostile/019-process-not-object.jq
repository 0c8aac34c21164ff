# expect: process
.process = ["sh"]
