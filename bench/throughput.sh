#!/usr/bin/env bash
# TCP throughput (iperf3, one stream) from A's LAN to B's LAN in one run, side by side:
#   (a) the bare veth between the namespaces (no tunnel)
#   (b) SharpSwan <-> SharpSwan
#   (c) strongSwan <-> strongSwan (kernel-libipsec, ESP in UDP)
#   (d) SharpSwan (A) <-> strongSwan (B)
# Same namespaces layout as the interop tests, same proposals everywhere (IKE AES-GCM-256/PRF-SHA384/ECP-384,
# ESP AES-GCM-256). Prints a table in Mbit/s and the ratios b/c, d/c, b/a.
#
#   bench/throughput.sh            all four scenarios
#   bench/throughput.sh a c        only the given ones
#   BENCH_SECONDS=10               iperf3 duration per scenario
#   BENCH_UDP=1372                 iperf3 UDP instead of TCP: datagrams of that many bytes at saturation (-b 0);
#                                  the table then shows delivered Mbit/s, delivered kpps and the loss
#   BENCH_RATE=1G                  with BENCH_UDP: offer this rate instead of saturating (iperf3 -b)
#   BENCH_NATT=forced              SharpSwan encapsulates ESP in UDP 4500 like strongSwan's encap=yes (the default, enable,
#                                  finds no NAT here and uses raw ESP, which has no UDP segmentation offload)
#   BENCH_BASELINE=/path/to/tree   adds scenario (e): SharpSwan <-> SharpSwan built from another checkout (e.g. main)
#
# Needs root, strongswan-swanctl/charon + kernel-libipsec plugin, iperf3. Cleans up on exit.
set -uo pipefail

BENCH_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
BENCH_RUN_ID="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
BENCH_WORK="$(mktemp -d /tmp/sharpswan-bench.XXXXXX)"
readonly BENCH_ROOT BENCH_RUN_ID BENCH_WORK
readonly DURATION=${BENCH_SECONDS:-10}
readonly UDP_LENGTH=${BENCH_UDP:-}
readonly UDP_RATE=${BENCH_RATE:-0}
# shellcheck source=lib/topology.sh
source "$BENCH_ROOT/bench/lib/topology.sh"
# shellcheck source=lib/peers.sh
source "$BENCH_ROOT/bench/lib/peers.sh"

cleanup() {
    stop_background
    topology_down
    rm -rf "$BENCH_WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '  %s\n' "$*" >&2; }
label() { if [[ -n $UDP_LENGTH ]]; then echo "UDP $UDP_LENGTH B"; else echo TCP; fi; }

# Sets MBPS to what a one-shot iperf3 server on SERVER_ADDR (in B) received from a client on CLIENT_ADDR (in A).
measure_lan_to_lan() { # CLIENT_ADDR SERVER_ADDR
    local a b out
    a="$(ns_a)" b="$(ns_b)"
    ip netns exec "$b" iperf3 -s -1 -D -B "$2" >/dev/null 2>&1
    wait_for 10 sh -c "ip netns exec $b ss -Htln 'sport = :5201' | grep -q 5201" || { log "iperf3 server did not start"; return 1; }
    if [[ -n $UDP_LENGTH ]]; then
        out="$(timeout $((DURATION + 30)) ip netns exec "$a" iperf3 -c "$2" -B "$1" -t "$DURATION" -u -b "$UDP_RATE" -l "$UDP_LENGTH" --connect-timeout 5000 -J 2>"$BENCH_WORK/iperf3.err")"
        # The server's view: what arrived in B. kpps = delivered datagrams per second / 1000.
        MBPS="$(jq -er '.end.sum_received // .end.sum | "\((.bits_per_second / 1e6 * 100 | round) / 100)"' <<<"$out")" \
            || { log "iperf3 failed: $(jq -r '.error // empty' <<<"$out" 2>/dev/null | head -1) $(head -c 300 <<<"$out") $(tail -2 "$BENCH_WORK/iperf3.err")"; return 1; }
        EXTRA="$(jq -er '.end.sum_received // .end.sum | "\((((.packets - .lost_packets) / .seconds / 10) | round) / 100) kpps, \((.lost_percent * 10 | round) / 10)% lost"' <<<"$out")"
        return 0
    fi
    out="$(timeout $((DURATION + 30)) ip netns exec "$a" iperf3 -c "$2" -B "$1" -t "$DURATION" -f m --connect-timeout 5000 2>&1)"
    MBPS="$(awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") { print $(i-1); found = 1 } } END { exit !found }' <<<"$out")" \
        || { log "iperf3 failed: $(tail -2 <<<"$out" | tr '\n' ' ')"; return 1; }
}

tunnel_carries_ping() { ip netns exec "$(ns_a)" ping -c 1 -W 1 -I "$LAN_A" "$LAN_B"; }

ensure_gateway_built() {
    [[ -n ${GATEWAY_BUILD_STATUS:-} ]] && return "$GATEWAY_BUILD_STATUS"
    log "building the gateway (./sharpswan)"
    SHARPSWAN_BUILD_ONLY=1 "$BENCH_ROOT/sharpswan" >"$BENCH_WORK/build.log" 2>&1
    GATEWAY_BUILD_STATUS=$?
    (( GATEWAY_BUILD_STATUS == 0 )) || log "gateway build failed: $(tail -5 "$BENCH_WORK/build.log")"
    return "$GATEWAY_BUILD_STATUS"
}

# Each scenario runs in fresh namespaces and sets MBPS (or fails). They run in this shell, not in $(...),
# so the background pids they record stay visible to the cleanup.
scenario_a() {
    measure_lan_to_lan "$WAN_A" "$WAN_B"
}

scenario_b() {
    ensure_gateway_built || return 1
    sharpswan_pair
}

# The baseline tree's own launcher builds its own gateway (into that tree's artifacts/).
scenario_e() {
    [[ -x ${BENCH_BASELINE:-}/sharpswan ]] || { log "BENCH_BASELINE does not point at a checkout"; return 1; }
    SHARPSWAN_BUILD_ONLY=1 "$BENCH_BASELINE/sharpswan" >"$BENCH_WORK/build-baseline.log" 2>&1 \
        || { log "baseline build failed: $(tail -5 "$BENCH_WORK/build-baseline.log")"; return 1; }
    SHARPSWAN_LAUNCHER="$BENCH_BASELINE/sharpswan" sharpswan_pair
}

sharpswan_pair() {
    sharpswan_start B "$(ns_b)" to-hq "$WAN_A" "10.2.0.0 255.255.255.0" "10.1.0.0 255.255.255.0" disable || return 1
    sharpswan_start A "$(ns_a)" to-branch "$WAN_B" "10.1.0.0 255.255.255.0" "10.2.0.0 255.255.255.0" enable || return 1
    sharpswan_cli "$CONTROL_SOCK" "diagnose vpn tunnel up to-branch-p2 to-branch" >/dev/null
    wait_for 30 tunnel_carries_ping || { log "tunnel did not come up; logs in $BENCH_WORK"; return 1; }
    measure_lan_to_lan "$LAN_A" "$LAN_B"
}

scenario_c() {
    strongswan_start B "$(ns_b)" "$WAN_B" "$WAN_A" "$SUBNET_B" "$SUBNET_A" || return 1
    strongswan_start A "$(ns_a)" "$WAN_A" "$WAN_B" "$SUBNET_A" "$SUBNET_B" || return 1
    swanctl --initiate --child c --timeout 20 --uri "$VICI_URI" >/dev/null || { log "swanctl --initiate failed"; return 1; }
    wait_for 30 tunnel_carries_ping || { log "tunnel did not carry ping"; return 1; }
    measure_lan_to_lan "$LAN_A" "$LAN_B"
}

scenario_d() {
    ensure_gateway_built || return 1
    strongswan_start B "$(ns_b)" "$WAN_B" "$WAN_A" "$SUBNET_B" "$SUBNET_A" || return 1
    sharpswan_start A "$(ns_a)" to-branch "$WAN_B" "10.1.0.0 255.255.255.0" "10.2.0.0 255.255.255.0" enable || return 1
    sharpswan_cli "$CONTROL_SOCK" "diagnose vpn tunnel up to-branch-p2 to-branch" >/dev/null
    wait_for 30 tunnel_carries_ping || { log "tunnel did not come up; logs in $BENCH_WORK"; return 1; }
    measure_lan_to_lan "$LAN_A" "$LAN_B"
}

declare -A title=(
    [a]="(a) bare veth"
    [b]="(b) SharpSwan <-> SharpSwan"
    [c]="(c) strongSwan <-> strongSwan"
    [d]="(d) SharpSwan <-> strongSwan"
    [e]="(e) baseline SharpSwan pair"
)
declare -A mbps=([a]=n/a [b]=n/a [c]=n/a [d]=n/a [e]=n/a)
declare -A extra=([a]="" [b]="" [c]="" [d]="" [e]="")

[[ $EUID -eq 0 ]] || { echo "throughput.sh: needs root (network namespaces)" >&2; exit 2; }
for tool in iperf3 swanctl ip; do
    command -v "$tool" >/dev/null || { echo "throughput.sh: $tool is missing (see ./test.sh for the packages)" >&2; exit 2; }
done

selected=("$@")
[[ ${#selected[@]} -gt 0 ]] || selected=(a b c d)
for s in "${selected[@]}"; do
    [[ -n ${title[$s]:-} ]] || { echo "throughput.sh: unknown scenario '$s' (use a b c d e)" >&2; exit 2; }
    echo "${title[$s]}: ${DURATION} s iperf3 $(label) ..." >&2
    if ! topology_up; then
        log "could not create the namespaces"
    elif MBPS="" EXTRA="" && "scenario_$s"; then
        mbps[$s]="$MBPS"
        extra[$s]="$EXTRA"
    fi
    stop_background
    topology_down
done

ratio() { # numerator denominator
    awk -v n="$1" -v d="$2" 'BEGIN { if (n ~ /^[0-9.]+$/ && d ~ /^[0-9.]+$/ && d > 0) printf "%.3f", n / d; else print "n/a" }'
}

echo
printf '%-32s %12s  %s\n' "scenario" "$(label) Mbit/s" "${UDP_LENGTH:+delivered}"
for s in a b c d e; do printf '%-32s %12s  %s\n' "${title[$s]}" "${mbps[$s]}" "${extra[$s]}"; done
echo
printf 'ratios: b/c = %s   d/c = %s   b/a = %s   b/e = %s\n' \
    "$(ratio "${mbps[b]}" "${mbps[c]}")" "$(ratio "${mbps[d]}" "${mbps[c]}")" "$(ratio "${mbps[b]}" "${mbps[a]}")" \
    "$(ratio "${mbps[b]}" "${mbps[e]}")"
echo "SharpSwan nattraversal: ${BENCH_NATT:-enable}; load: $(uptime)"
