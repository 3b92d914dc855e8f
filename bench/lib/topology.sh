# shellcheck shell=bash
# Two-namespace topology shared by the benchmark scenarios (the same layout as the interop tests):
#   A: wan0 198.51.100.1/24, LAN 10.1.0.1/24 on lan0 (a veth pair: this kernel has no dummy driver)
#   B: wan0 198.51.100.2/24, LAN 10.2.0.1/32 on lo (strongSwan's libipsec wants a local address in local_ts)
# Callers set BENCH_RUN_ID; namespaces are ssb-<id>-a and ssb-<id>-b.

readonly WAN_A=198.51.100.1 WAN_B=198.51.100.2 LAN_A=10.1.0.1 LAN_B=10.2.0.1
readonly SUBNET_A=10.1.0.0/24 SUBNET_B=10.2.0.0/24

ns_a() { echo "ssb-${BENCH_RUN_ID}-a"; }
ns_b() { echo "ssb-${BENCH_RUN_ID}-b"; }

topology_up() {
    local a b
    a="$(ns_a)" b="$(ns_b)"
    ip netns add "$a" && ip netns add "$b" || return 1
    ip -n "$a" link set lo up && ip -n "$b" link set lo up &&
    ip -n "$a" link add wan0 type veth peer name wan0 netns "$b" &&
    ip -n "$a" addr add "$WAN_A/24" dev wan0 && ip -n "$a" link set wan0 up &&
    ip -n "$b" addr add "$WAN_B/24" dev wan0 && ip -n "$b" link set wan0 up &&
    ip -n "$a" link add lan0 type veth peer name lan0-far &&
    ip -n "$a" addr add "$LAN_A/24" dev lan0 &&
    ip -n "$a" link set lan0-far up && ip -n "$a" link set lan0 up &&
    ip -n "$b" addr add "$LAN_B/32" dev lo
}

# Kills everything still running inside the namespaces, then deletes them.
topology_down() {
    local ns pid
    for ns in "$(ns_a)" "$(ns_b)"; do
        ip netns list 2>/dev/null | grep -q "^$ns\b" || continue
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
        ip netns del "$ns" 2>/dev/null
    done
}
