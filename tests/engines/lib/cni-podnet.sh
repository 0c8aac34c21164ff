#!/bin/bash
# cni-podnet.sh - a CNI plugin (spec 0.4.0) for the CRI suite: gives a pod's network namespace an interface with
# an address, made entirely inside that namespace (a veth pair whose both ends stay there).
# Must never create, change or delete anything in the host's network namespace; it has no route out.
#
# The network config names the first three octets ("subnet": "10.213.0"); addresses are handed out in order
# from a counter file beside the config (the "state" key), under flock.  DEL removes the pair if the namespace
# is still there; a deleted namespace takes it along anyway.
set -euo pipefail

conf=$(cat)
field() { printf '%s' "$conf" | jq -r "$1"; }

case "${CNI_COMMAND:-}" in
VERSION)
	echo '{"cniVersion": "0.4.0", "supportedVersions": ["0.3.0", "0.3.1", "0.4.0"]}'
	exit 0
	;;
ADD) ;;
DEL)
	[ -n "${CNI_NETNS:-}" ] && [ -e "$CNI_NETNS" ] && nsenter --net="$CNI_NETNS" ip link del "$CNI_IFNAME" 2>/dev/null
	exit 0
	;;
CHECK) exit 0 ;;
*)
	echo "{\"cniVersion\": \"0.4.0\", \"code\": 4, \"msg\": \"unknown CNI_COMMAND '${CNI_COMMAND:-}'\"}"
	exit 1
	;;
esac

subnet=$(field .subnet)
state=$(field .state)
n=$(
	exec 9>>"$state.lock"
	flock -w 10 9
	n=$(($(cat "$state" 2>/dev/null || echo 1) + 1))
	echo "$n" >"$state"
	echo "$n"
)
addr=$subnet.$n
if ! out=$(nsenter --net="$CNI_NETNS" sh -c "
	ip link add '$CNI_IFNAME' type veth peer name '$CNI_IFNAME-peer' &&
	ip addr add '$addr/24' dev '$CNI_IFNAME' &&
	ip link set '$CNI_IFNAME-peer' up && ip link set '$CNI_IFNAME' up &&
	cat '/sys/class/net/$CNI_IFNAME/address'" 2>&1); then
	jq -n -c --arg m "$out" '{cniVersion: "0.4.0", code: 11, msg: "cni-podnet: setting up the pod interface failed", details: $m}'
	exit 1
fi
jq -n -c --arg ifname "$CNI_IFNAME" --arg mac "$out" --arg ns "$CNI_NETNS" --arg a "$addr/24" \
	'{cniVersion: "0.4.0", interfaces: [{name: $ifname, mac: $mac, sandbox: $ns}], ips: [{version: "4", address: $a, interface: 0}], dns: {}}'
