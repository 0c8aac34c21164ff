# expect: linux.personality.domain
.linux.personality = {"domain": "HOSTILE"}
