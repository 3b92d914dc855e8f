#!/usr/bin/env bash
# Issue 14 item 6: N static IKEv2 tunnels in one SharpSwan gateway against one strongSwan (kernel-libipsec) with N
# connections, the same command run against a baseline build. Prints, per build: the time from starting the gateway until
# strongSwan lists all N CHILD_SAs INSTALLED, the gateway's thread count and RSS once idle (and RSS per tunnel), and pings
# across a sample of 20 tunnels. States the load average, since the machine is shared.
#
#   bench/many-tunnels.sh                       1,000 tunnels, this tree only
#   TUNNELS=200 bench/many-tunnels.sh
#   BENCH_BASELINE_ROOT=DIR bench/many-tunnels.sh   also a second checkout (e.g. `git archive main` in /tmp), built with
#                                                   SHARPSWAN_BUILD_ONLY=1 DIR/sharpswan, as the "baseline" column
#   UP_TIMEOUT=900                              seconds to wait for all tunnels before giving up on a column
#   IDLE_SECONDS=15                             wait after all are up before thread and RSS are read
#
# Layout (namespaces ssm-<id>-a and -b, a veth between them):
#   A (SharpSwan): wan0 172.16.0.1/24, LAN address 10.1.0.1/32 on lo; phase1-interface tI, remote-gw 172.17.X.Y,
#     phase 2 10.1.0.1/32 <-> 10.3.X.Y/32, a static route 10.3.X.Y/32 through tI.
#   B (strongSwan): wan0 172.16.0.2/24 plus 172.17.X.Y/32 per tunnel (one IKE peer address per connection, so charon
#     picks connection I by the address SharpSwan sends to), 10.3.X.Y/32 on lo (libipsec wants the local selector local).
#   IKE AES-128-GCM/PRF-SHA256/ECP-256 PSK, ESP AES-128-GCM in UDP 4500, no PFS; SharpSwan initiates every tunnel at
#   start (phase 1 auto-negotiate). Needs root, strongSwan with kernel-libipsec, python3. Not part of ./test.sh.
set -uo pipefail

BENCH_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
BENCH_RUN_ID="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
BENCH_WORK="$(mktemp -d /tmp/sharpswan-tunnels.XXXXXX)"
readonly BENCH_ROOT BENCH_RUN_ID BENCH_WORK
readonly TUNNELS=${TUNNELS:-1000} UP_TIMEOUT=${UP_TIMEOUT:-900} IDLE_SECONDS=${IDLE_SECONDS:-15} SAMPLE=20
readonly PSK=benchmark-only-psk-0123456789
readonly NS_A="ssm-${BENCH_RUN_ID}-a" NS_B="ssm-${BENCH_RUN_ID}-b"
(( TUNNELS >= 1 && TUNNELS <= 60000 )) || { echo "TUNNELS must be 1..60000" >&2; exit 2; }

PIDS=()
stop_all() {
    local pid
    for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null; done
    sleep 2
    for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && kill -KILL -- "-$pid" 2>/dev/null; done
    PIDS=()
}
namespaces_down() {
    local ns pid
    for ns in "$NS_A" "$NS_B"; do
        ip netns list 2>/dev/null | grep -q "^$ns\b" || continue
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
        ip netns del "$ns" 2>/dev/null
    done
}
cleanup() { stop_all; namespaces_down; rm -rf "$BENCH_WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '  %s\n' "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
wait_for() { # seconds command...
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do (( SECONDS >= deadline )) && return 1; sleep 0.5; done
}
# Tunnel I (1-based): its strongSwan address and its far-side LAN address.
peer_address() { local i=$(($1 - 1)); echo "172.17.$((i / 250)).$((i % 250 + 1))"; }
far_address() { local i=$(($1 - 1)); echo "10.3.$((i / 250)).$((i % 250 + 1))"; }

# Writes one file from an awk program run once per tunnel, with i, peer and far set (a subshell per tunnel is far too
# slow on a loaded machine). HEAD and TAIL are printed before and after.
per_tunnel() { # FILE HEAD AWK_PRINTF TAIL
    awk -v n="$TUNNELS" -v head="$2" -v tail="$4" -v psk="$PSK" "BEGIN {
        if (head != \"\") print head
        for (i = 1; i <= n; i++) {
            peer = sprintf(\"172.17.%d.%d\", int((i - 1) / 250), (i - 1) % 250 + 1)
            far = sprintf(\"10.3.%d.%d\", int((i - 1) / 250), (i - 1) % 250 + 1)
            $3
        }
        if (tail != \"\") print tail
    }" >"$1"
}

namespaces_up() {
    local batch="$BENCH_WORK/addresses.batch"
    ip netns add "$NS_A" && ip netns add "$NS_B" || return 1
    ip -n "$NS_A" link set lo up && ip -n "$NS_B" link set lo up &&
    ip -n "$NS_A" link add wan0 type veth peer name wan0 netns "$NS_B" &&
    ip -n "$NS_A" addr add 172.16.0.1/24 dev wan0 && ip -n "$NS_A" link set wan0 up &&
    ip -n "$NS_B" addr add 172.16.0.2/24 dev wan0 && ip -n "$NS_B" link set wan0 up &&
    ip -n "$NS_A" addr add 10.1.0.1/32 dev lo &&
    ip -n "$NS_A" route add 172.17.0.0/16 via 172.16.0.2 || return 1
    per_tunnel "$batch" "" 'printf "addr add %s/32 dev wan0\naddr add %s/32 dev lo\n", peer, far' ""
    ip -n "$NS_B" -batch "$batch"
}

strongswan_up() {
    local dir="$BENCH_WORK/charon"
    rm -rf "$dir" && mkdir -p "$dir"
    # No cookies however many IKE_SA_INITs arrive at once, and an SA table sized for the tunnels.
    cat >"$dir/strongswan.conf" <<EOC
charon {
  load_modular = yes
  cookie_threshold = 1000000
  ikesa_table_size = 1024
  ikesa_table_segments = 16
  plugins {
    include /etc/strongswan.d/charon/*.conf
    kernel-libipsec { load = yes }
    vici { socket = unix://$dir/charon.vici }
  }
  filelog { f { path = $dir/charon.log
    default = 0 } }
  syslog { daemon { default = -1 } auth { default = -1 } }
}
EOC
    per_tunnel "$dir/swanctl.conf" "connections {" \
        'printf "t%d { version = 2\n local_addrs = %s\n remote_addrs = 172.16.0.1\n encap = yes\n proposals = aes128gcm16-prfsha256-ecp256\n local { auth = psk\n id = %s }\n remote { auth = psk\n id = 172.16.0.1 }\n children { c { local_ts = %s/32\n remote_ts = 10.1.0.1/32\n esp_proposals = aes128gcm16 } } }\n", i, peer, peer, far' \
        "}
secrets { ike-1 { secret = \"$PSK\" } }"
    setsid ip netns exec "$NS_B" unshare -m --propagation private sh -c \
        "mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF=$dir/strongswan.conf /usr/lib/ipsec/charon" \
        >"$dir/stdout.log" 2>&1 </dev/null &
    PIDS+=($!)
    VICI="unix://$dir/charon.vici"
    wait_for 30 swanctl --stats --uri "$VICI" || { log "charon did not start"; return 1; }
    swanctl --load-all --noprompt --file "$dir/swanctl.conf" --uri "$VICI" >"$dir/load.log" 2>&1 || { tail -5 "$dir/load.log" >&2; return 1; }
}

sharpswan_config() { # FILE
    per_tunnel "$1.phase1" "config vpn ipsec phase1-interface" \
        'printf "    edit \"t%d\"\n        set interface \"wan0\"\n        set ike-version 2\n        set remote-gw %s\n        set proposal aes128gcm-prfsha256\n        set dhgrp 19\n        set psksecret \"%s\"\n        set nattraversal forced\n        set auto-negotiate enable\n    next\n", i, peer, psk' "end"
    per_tunnel "$1.phase2" "config vpn ipsec phase2-interface" \
        'printf "    edit \"t%d-p2\"\n        set phase1name \"t%d\"\n        set proposal aes128gcm\n        set pfs disable\n        set src-subnet 10.1.0.1 255.255.255.255\n        set dst-subnet %s 255.255.255.255\n    next\n", i, i, far' "end"
    per_tunnel "$1.routes" "config router static" \
        'printf "    edit %d\n        set dst %s 255.255.255.255\n        set device \"t%d\"\n    next\n", i, far, i' "end"
    cat "$1.phase1" "$1.phase2" "$1.routes" >"$1" && rm -f "$1.phase1" "$1.phase2" "$1.routes"
}

installed_children() { swanctl --list-sas --uri "$VICI" 2>/dev/null | grep -c 'INSTALLED'; }

# Runs one column: prints "seconds-to-all-up threads rss-kib pings-ok load" (n/a where it did not get there).
measure() { # LAUNCHER LABEL
    local launcher=$1 label=$2 dir="$BENCH_WORK/$2" start up=n/a pid threads=n/a rss=n/a ok=0 i k children=0
    mkdir -p "$dir"
    namespaces_up || { log "$label: namespaces failed"; echo "n/a n/a n/a n/a $(load | cut -d' ' -f1)"; return; }
    strongswan_up || { log "$label: strongSwan failed"; namespaces_down; echo "n/a n/a n/a n/a $(load | cut -d' ' -f1)"; return; }
    sharpswan_config "$dir/sharpswan.conf"
    log "$label: starting the gateway with $TUNNELS tunnels (load $(load))"
    start=$SECONDS
    SHARPSWAN_NO_BUILD=1 setsid ip netns exec "$NS_A" "$launcher" run --config "$dir/sharpswan.conf" \
        --control "$dir/control.sock" --log-level 0 >"$dir/gateway.log" 2>&1 </dev/null &
    pid=$!
    PIDS+=("$pid")
    while (( SECONDS - start < UP_TIMEOUT )); do
        children=$(installed_children)
        (( children >= TUNNELS )) && { up=$((SECONDS - start)); break; }
        kill -0 "$pid" 2>/dev/null || { log "$label: the gateway exited; see $dir/gateway.log"; tail -5 "$dir/gateway.log" >&2; break; }
        # Listing every SA costs charon too: look less often when there are many.
        sleep $((TUNNELS > 300 ? 5 : 2))
    done
    log "$label: $children of $TUNNELS CHILD_SAs installed after $((SECONDS - start)) s (load $(load))"
    sleep "$IDLE_SECONDS"
    if [[ -r /proc/$pid/status ]]; then
        threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
    fi
    for ((k = 0; k < SAMPLE; k++)); do
        i=$((1 + k * TUNNELS / SAMPLE))
        ip netns exec "$NS_A" ping -c 2 -i 0.3 -W 2 -I 10.1.0.1 "$(far_address "$i")" >/dev/null 2>&1 && ok=$((ok + 1))
    done
    echo "$up $threads $rss $ok $(load | cut -d' ' -f1)"
    stop_all
    namespaces_down
}

columns=("sharpswan|$BENCH_ROOT/sharpswan")
[[ -n ${BENCH_BASELINE_ROOT:-} ]] && columns+=("baseline|$BENCH_BASELINE_ROOT/sharpswan")
printf '== building\n' >&2
for column in "${columns[@]}"; do
    SHARPSWAN_BUILD_ONLY=1 "${column#*|}" >/dev/null || { echo "build of ${column#*|} failed" >&2; exit 2; }
done

declare -A FIG
for column in "${columns[@]}"; do
    FIG[${column%%|*}]="$(measure "${column#*|}" "${column%%|*}")"
done

printf '\n%s static IKEv2 tunnels, one SharpSwan gateway vs one strongSwan (charon, kernel-libipsec), %s, %s\n' \
    "$TUNNELS" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc) CPUs"
printf '%-34s' "measurement"; for column in "${columns[@]}"; do printf '%14s' "${column%%|*}"; done; echo
row() { # TITLE FIELD [per-tunnel]
    local column fields value
    printf '%-34s' "$1"
    for column in "${columns[@]}"; do
        read -r -a fields <<<"${FIG[${column%%|*}]}"
        value=${fields[$2]:-n/a}
        [[ ${3:-} == per-tunnel && $value != n/a ]] && value=$(awk -v r="$value" -v n="$TUNNELS" 'BEGIN { printf "%.1f", r / n }')
        [[ ${3:-} == mib && $value != n/a ]] && value=$(awk -v r="$value" 'BEGIN { printf "%.0f", r / 1024 }')
        printf '%14s' "$value"
    done
    echo
}
row "time to all CHILD_SAs up, s" 0
row "gateway threads (idle)" 1
row "gateway RSS, MiB (idle)" 2 mib
row "RSS per tunnel, KiB" 2 per-tunnel
row "pings ok, of $SAMPLE tunnels" 3
row "load average (1 min) at the end" 4
