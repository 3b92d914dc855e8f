#!/usr/bin/env bash
# Issue 14 item 7: IKE as a responder to many peers at once, SharpSwan and charon side by side in one invocation.
#   B (198.51.100.2) is the responder: a SharpSwan dial-up hub (one `type dynamic` phase 1, PSK, the hub's LAN
#     10.2.0.0/24 as phase-2 source), then, for the baseline, charon (kernel-libipsec) with one %any connection.
#   A is the common initiator: one charon (kernel-libipsec) with PEERS connections, each from its own address in
#     10.99.0.0/16 with its own identity and its own LAN (a /32 in 10.98.0.0/16) as selector, all started at once
#     (start_action=start on load; strongSwan's load-tester plugin is not in Debian). IKE aes128gcm16-prfsha256-ecp256,
#     ESP aes128gcm16 (its PFS group ecp256 is only used by rekeys), encap=yes.
# WARMUP (100) peers are set up first and left up, so the baseline RSS already holds the one-time costs (code pages,
# JIT, buffers); only the PEERS after them are counted.
# Per responder: setups/s (load until the initiator counts PEERS IKE SAs established and no half-open one; the
# CHILD_SAs the initiator then holds installed are counted too), the
# responder's and the initiator's CPU seconds over that time, RSS before and after and KiB per tunnel.
# SharpSwan's RSS is read right after a full blocking GC (dotnet-gcdump induces one when it snapshots the heap;
# the snapshot's top types are printed); the runtime's defaults otherwise (workstation, concurrent GC: the
# launcher's build sets neither Server GC nor a heap limit). charon has no GC: its RSS is read as it is.
#
#   bench/ike-scale.sh                 1,000 peers, both responders
#   PEERS=200 bench/ike-scale.sh       fewer peers
#   WARMUP=100                         peers set up before the baseline RSS (not counted)
#   WARMUP_ROUNDS=5                    in this many bursts a second apart (so .NET's tiered JIT has compiled the setup
#                                      path optimised before counting starts: WARMUP_ROUNDS=1 leaves it in the count)
#   SETUP_TIMEOUT=300                  seconds to wait for all PEERS (default 300, or PEERS/10 when that is more)
#   From PEERS=2000 on, both charons get a hashed IKE SA table (ikesa_table_size 4096, 16 segments: the default is one
#   bucket, a list searched on every message) and the initiator retries an unanswered IKE_SA_INIT 8 times instead of 5
#   (the responder may hold thousands of requests back at once); the responder's threads are counted after the run.
#   IKE_SCALE_COLUMNS=sharpswan        one responder only (sharpswan, charon)
#   GCDUMP=/path/to/dotnet-gcdump      the tool (default: on PATH, else ~/.dotnet/tools, else installed into the
#                                      scratch directory with `dotnet tool install dotnet-gcdump`)
#   SHARPSWAN_LAUNCHER=DIR/sharpswan   another build for the sharpswan column
#   BENCH_BASELINE_ROOT=DIR            adds a "baseline" column: DIR/sharpswan (e.g. `git archive main` built with
#                                      SHARPSWAN_BUILD_ONLY=1 DIR/sharpswan), measured the same way
#
# Needs root, strongSwan (charon, swanctl, kernel-libipsec), python3, dotnet. Not part of ./test.sh.
set -uo pipefail

BENCH_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
BENCH_RUN_ID="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
BENCH_WORK="$(mktemp -d /tmp/sharpswan-ike-scale.XXXXXX)"
readonly BENCH_ROOT BENCH_RUN_ID BENCH_WORK
readonly PEERS=${PEERS:-1000} WARMUP=${WARMUP:-100} WARMUP_ROUNDS=${WARMUP_ROUNDS:-5}
readonly SETUP_TIMEOUT=${SETUP_TIMEOUT:-$((PEERS / 10 > 300 ? PEERS / 10 : 300))}
# charon's settings for thousands of IKE SAs (see the header); empty below 2,000 peers, so 1,000-peer runs are unchanged.
CHARON_SCALE=""
((PEERS >= 2000)) && CHARON_SCALE="ikesa_table_size = 4096
  ikesa_table_segments = 16"
readonly CHARON_SCALE
# shellcheck source=lib/topology.sh
source "$BENCH_ROOT/bench/lib/topology.sh"
# shellcheck source=lib/peers.sh
source "$BENCH_ROOT/bench/lib/peers.sh"

cleanup() {
    stop_background
    topology_down
    [[ -n ${KEEP:-} ]] && echo "kept $BENCH_WORK" >&2 || rm -rf "$BENCH_WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '  %s\n' "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The initiators' addresses on A's wan0 and B's route back to them.
add_peer_addresses() {
    local batch="$BENCH_WORK/addresses.batch"
    # Each peer's LAN address goes on lo: kernel-libipsec routes a child only from a local address in its local_ts.
    python3 -c 'import sys
for i in range(int(sys.argv[1]) + int(sys.argv[2])):
    print(f"addr add 10.99.{i // 250}.{i % 250 + 1}/32 dev wan0")
    print(f"addr add 10.98.{i // 250}.{i % 250 + 1}/32 dev lo")' "$PEERS" "$WARMUP" >"$batch"
    ip -n "$(ns_a)" -batch "$batch" && ip -n "$(ns_b)" route add 10.99.0.0/16 via "$WAN_A"
}

# Starts a charon in NS with the strongswan.conf of peers.sh plus EXTRA settings; sets CHARON_URI.
charon_start() { # LABEL NS EXTRA
    local dir="$BENCH_WORK/charon-$1"
    rm -rf "$dir" && mkdir -p "$dir"
    cat >"$dir/strongswan.conf" <<EOC
charon {
  load_modular = yes
  install_routes = no
  $CHARON_SCALE
  $3
  plugins {
    include /etc/strongswan.d/charon/*.conf
    kernel-libipsec { load = yes }
    vici { socket = unix://$dir/charon.vici }
  }
  filelog { f { path = $dir/charon.log
    flush_line = yes
    default = ${CHARON_LOG:-0} } }
  syslog { daemon { default = -1 } auth { default = -1 } }
}
EOC
    setsid ip netns exec "$2" unshare -m --propagation private sh -c \
        "mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF=$dir/strongswan.conf /usr/lib/ipsec/charon" \
        >"$dir/stdout.log" 2>&1 </dev/null &
    BENCH_PIDS+=($!)
    CHARON_URI="unix://$dir/charon.vici"
    wait_for 20 swanctl --stats --uri "$CHARON_URI" || { log "charon $1 did not start"; return 1; }
}

# One connection per peer; written by python (a shell loop forking per line takes minutes on a loaded machine).
initiator_config() { # FILE COUNT
    python3 - "$1" "$2" "$WAN_B" "$SUBNET_B" "$BENCH_PSK" <<'EOF'
import sys
path, peers, responder, subnet, psk = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
with open(path, "w") as out:
    out.write("connections {\n")
    for i in range(peers):
        address, lan = f"10.99.{i // 250}.{i % 250 + 1}", f"10.98.{i // 250}.{i % 250 + 1}/32"
        out.write(f"""  p{i} {{ version = 2
    local_addrs = {address}
    remote_addrs = {responder}
    encap = yes
    proposals = aes128gcm16-prfsha256-ecp256
    local {{ auth = psk
      id = {address} }}
    remote {{ auth = psk }}
    children {{ c {{ local_ts = {lan}
      remote_ts = {subnet}
      esp_proposals = aes128gcm16-ecp256
      start_action = start }} }} }}
""")
    out.write("}\n")
    out.write(f'secrets {{ ike-all {{ secret = "{psk}" }} }}\n')
EOF
}

responder_charon_config() { # FILE
    cat >"$1" <<EOC
connections { hub { version = 2
  local_addrs = $WAN_B
  remote_addrs = %any
  encap = yes
  proposals = aes128gcm16-prfsha256-ecp256
  local { auth = psk
    id = $WAN_B }
  remote { auth = psk }
  children { c { local_ts = $SUBNET_B
    remote_ts = 10.98.0.0/16
    esp_proposals = aes128gcm16-ecp256 } } } }
secrets { ike-all { secret = "$BENCH_PSK" } }
EOC
}

responder_sharpswan_config() { # FILE
    cat >"$1" <<EOC
config vpn ipsec phase1-interface
    edit "hub"
        set type dynamic
        set interface "wan0"
        set ike-version 2
        set peertype any
        set proposal aes128gcm-prfsha256
        set dhgrp 19
        set authmethod psk
        set psksecret "$BENCH_PSK"
        set nattraversal enable
        set add-route enable
    next
end
config vpn ipsec phase2-interface
    edit "hub-p2"
        set phase1name "hub"
        set proposal aes128gcm
        set pfs enable
        set dhgrp 19
        set src-subnet 10.2.0.0 255.255.255.0
    next
end
EOC
}

ticks_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
threads_of() { awk '/^Threads:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
pid_in() { # NS NAME: the process of that name (its comm, or its executable's file name) in the namespace
    local pid exe
    for pid in $(ip netns pids "$1" 2>/dev/null); do
        [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]] && { echo "$pid"; return; }
        # SharpSwan re-executes itself to drop privileges, which leaves its comm as "exe"; its program file is still sharpswan.
        exe="$(readlink "/proc/$pid/exe" 2>/dev/null)"
        [[ ${exe##*/} == "$2" ]] && { echo "$pid"; return; }
    done
}

# IKE SAs the initiator has established (half-open ones not counted).
established() {
    swanctl --stats --uri "$INITIATOR_URI" 2>/dev/null |
        awk '/IKE_SAs:/ { gsub(",", ""); print $2 - $4; found = 1 } END { if (!found) print 0 }'
}

gcdump_tool() {
    local tool=${GCDUMP:-}
    [[ -z $tool ]] && tool="$(command -v dotnet-gcdump)"
    [[ -z $tool && -x $HOME/.dotnet/tools/dotnet-gcdump ]] && tool=$HOME/.dotnet/tools/dotnet-gcdump
    if [[ -z $tool ]]; then
        dotnet tool install --tool-path "$BENCH_WORK/tools" dotnet-gcdump >/dev/null 2>&1 && tool="$BENCH_WORK/tools/dotnet-gcdump"
    fi
    echo "$tool"
}

# A full blocking GC of the gateway (the heap snapshot induces it); keeps the snapshot's top types in FILE.report.
full_gc() { # PID FILE
    local tool
    tool="$(gcdump_tool)"
    [[ -n $tool ]] || { log "no dotnet-gcdump: RSS without a forced GC"; return 1; }
    "$tool" collect -p "$1" -o "$2" >/dev/null 2>&1 || { log "gcdump of $1 failed"; return 1; }
    "$tool" report "$2" >"$2.report" 2>/dev/null
}

# The managed heap's growth by type between two `dotnet-gcdump report`s (their lines give a type's base size per
# object and the count, or the total for the "(Bytes > NK)" lines of large objects; small arrays and strings count
# at their header size only, so the GC heap totals are the figure, the table says which objects there are).
heap_growth() { # BEFORE_REPORT AFTER_REPORT
    python3 - "$1" "$2" <<'EOF'
import collections, re, sys
def load(path):
    total, count, heap = collections.Counter(), collections.Counter(), 0
    for line in open(path):
        if line.strip().endswith("GC Heap bytes"):
            heap = int(line.split()[0].replace(",", ""))
        m = re.match(r"\s*([\d,]+)\s+([\d,]+)\s+(.*?)\s+(\(Bytes > \d+K\)\s+)?\[", line)
        if m:
            size, n = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
            total[m.group(3)] += size if m.group(4) else size * n
            count[m.group(3)] += n
    return total, count, heap
try:
    (b, bc, bheap), (a, ac, aheap) = load(sys.argv[1]), load(sys.argv[2])
except OSError:
    sys.exit(0)
print(f"GC heap {bheap} -> {aheap} bytes (arrays and strings below at header size only)")
print(f'{"bytes":>10} {"objects":>8}  type')
for t in sorted(a, key=lambda t: b.get(t, 0) - a[t])[:25]:
    print(f"{a[t] - b.get(t, 0):>10} {ac[t] - bc.get(t, 0):>8}  {t[:110]}")
EOF
}

# Runs one responder: starts it, the initiator, measures. Prints "setups/s resp-cpu-s init-cpu-s rss0 rss1 kib/tunnel seconds"
measure_responder() { # sharpswan|baseline|charon
    local kind=$1 responder_pid initiator_pid start_ns end_ns t0 t1 i0 i1 rss0 rss1 count=0 launcher
    launcher=${SHARPSWAN_LAUNCHER:-$BENCH_ROOT/sharpswan}
    [[ $kind == baseline ]] && launcher=$BENCH_BASELINE_ROOT/sharpswan
    if [[ $kind != charon ]]; then
        local dir="$BENCH_WORK/$kind-hub"
        mkdir -p "$dir" && responder_sharpswan_config "$dir/sharpswan.conf"
        SHARPSWAN_NO_BUILD=1 setsid ip netns exec "$(ns_b)" "$launcher" run \
            --config "$dir/sharpswan.conf" --control "$dir/control.sock" --log-level "${GATEWAY_LOG:-0}" >"$dir/gateway.log" 2>&1 </dev/null &
        BENCH_PIDS+=($!)
        wait_for 60 test -S "$dir/control.sock" || { log "SharpSwan did not start; $(tail -5 "$dir/gateway.log")"; return 1; }
        responder_pid="$(pid_in "$(ns_b)" sharpswan)"
    else
        charon_start responder "$(ns_b)" "" || return 1
        responder_charon_config "$BENCH_WORK/responder.conf"
        swanctl --load-all --noprompt --file "$BENCH_WORK/responder.conf" --uri "$CHARON_URI" >"$BENCH_WORK/responder-load.log" 2>&1 \
            || { log "responder load failed: $(tail -3 "$BENCH_WORK/responder-load.log")"; return 1; }
        responder_pid="$(pid_in "$(ns_b)" charon)"
    fi
    local retries=""
    ((PEERS >= 2000)) && retries="retransmit_tries = 8"
    charon_start initiator "$(ns_a)" "retransmit_timeout = 8
  $retries" || return 1
    INITIATOR_URI=$CHARON_URI
    initiator_pid="$(pid_in "$(ns_a)" charon)"
    # Warm-up: WARMUP peers first, so the code and the runtime's one-time costs (code pages, JIT, pools) are paid
    # before the baseline RSS; they stay up and are not counted. They come in WARMUP_ROUNDS bursts a second apart: .NET
    # counts calls toward recompiling a method optimised only once a burst of first compilations has settled, and
    # instruments it once more before the final compile, so one burst leaves that work to the measured setups.
    local round warm
    for ((round = 1; round <= WARMUP_ROUNDS; round++)); do
        warm=$((WARMUP * round / WARMUP_ROUNDS))
        initiator_config "$BENCH_WORK/warmup.conf" "$warm"
        swanctl --load-all --noprompt --file "$BENCH_WORK/warmup.conf" --uri "$INITIATOR_URI" >"$BENCH_WORK/warmup-load.log" 2>&1
        wait_for 120 sh -c "[ \$(swanctl --stats --uri $INITIATOR_URI | awk '/IKE_SAs:/ { print \$2 - \$4 }') -ge $warm ]" \
            || log "$kind: the $warm warm-up peers did not all come up"
        sleep 1
    done
    initiator_config "$BENCH_WORK/initiator.conf" "$((WARMUP + PEERS))"
    sleep 2
    [[ $kind != charon ]] && full_gc "$responder_pid" "$BENCH_WORK/$kind-before.gcdump"
    rss0=$(rss_kib "$responder_pid")
    t0=$(ticks_of "$responder_pid") i0=$(ticks_of "$initiator_pid")
    start_ns=$(date +%s%N)
    # Loading the full file adds and starts only the PEERS new connections (the warm-up ones are unchanged).
    swanctl --load-all --noprompt --file "$BENCH_WORK/initiator.conf" --uri "$INITIATOR_URI" >"$BENCH_WORK/initiator-load.log" 2>&1 &
    local loader=$!
    local deadline=$((SECONDS + SETUP_TIMEOUT))
    while ((SECONDS < deadline)); do
        count=$(($(established) - WARMUP))
        ((count >= PEERS)) && break
        sleep 0.1
    done
    end_ns=$(date +%s%N)
    t1=$(ticks_of "$responder_pid") i1=$(ticks_of "$initiator_pid")
    wait "$loader"
    ((count >= PEERS)) || log "$kind: only $count of $PEERS IKE SAs established in $SETUP_TIMEOUT s"
    log "$kind: initiator (charon) RSS $(rss_kib "$initiator_pid") KiB, $(threads_of "$initiator_pid") threads; responder $(threads_of "$responder_pid") threads"
    log "$kind: CHILD_SAs installed at the initiator: $(swanctl --list-sas --uri "$INITIATOR_URI" 2>/dev/null | grep -c INSTALLED) (with the $WARMUP warm-up peers)"
    sleep 2
    [[ $kind != charon ]] && full_gc "$responder_pid" "$BENCH_WORK/$kind-after.gcdump"
    rss1=$(rss_kib "$responder_pid")
    local threads
    threads=$(threads_of "$responder_pid")
    [[ $kind != charon ]] && heap_growth "$BENCH_WORK/$kind-before.gcdump.report" "$BENCH_WORK/$kind-after.gcdump.report" >"$BENCH_WORK/$kind-types.txt"
    python3 - "$count" "$start_ns" "$end_ns" "$((t1 - t0))" "$((i1 - i0))" "$(getconf CLK_TCK)" "$rss0" "$rss1" "${threads:-0}" <<'EOF'
import sys
count, start, end, rticks, iticks, hz, rss0, rss1, threads = (int(a) for a in sys.argv[1:])
seconds = (end - start) / 1e9
print(f"{count / seconds:.0f} {rticks / hz:.2f} {iticks / hz:.2f} {rss0} {rss1} {(rss1 - rss0) / max(count, 1):.1f} {seconds:.1f} {count} {threads}")
EOF
}

run_column() { # KIND -> RESULT[KIND]
    echo "$1: $PEERS initiators at once (load $(load)) ..." >&2
    if topology_up && add_peer_addresses; then
        RESULT[$1]="$(measure_responder "$1")"
        log "$1: ${RESULT[$1]:-failed} (load $(load))"
    else
        log "could not create the namespaces"
    fi
    stop_background
    topology_down
}

[[ $EUID -eq 0 ]] || { echo "ike-scale.sh: needs root (network namespaces)" >&2; exit 2; }
for tool in swanctl ip python3 dotnet; do
    command -v "$tool" >/dev/null || { echo "ike-scale.sh: $tool is missing" >&2; exit 2; }
done
columns=(sharpswan charon)
[[ -n ${BENCH_BASELINE_ROOT:-} ]] && columns=(sharpswan baseline charon)
[[ -n ${IKE_SCALE_COLUMNS:-} ]] && read -ra columns <<<"$IKE_SCALE_COLUMNS"
declare -A RESULT=()
echo "SharpSwan IKE responder at $PEERS peers, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null)"
echo "machine: $(nproc) CPUs, kernel $(uname -r), load at start $(load)"
if [[ " ${columns[*]} " == *" sharpswan "* ]]; then
    log "building the gateway"
    SHARPSWAN_BUILD_ONLY=1 "${SHARPSWAN_LAUNCHER:-$BENCH_ROOT/sharpswan}" >"$BENCH_WORK/build.log" 2>&1 || { cat "$BENCH_WORK/build.log"; exit 1; }
fi
for column in "${columns[@]}"; do run_column "$column"; done

echo
printf '%-10s %9s %9s %12s %14s %10s %10s %12s %9s %8s\n' responder "setups/s" "resp CPU" "CPU ms/setup" "initiator CPU" "RSS0 KiB" "RSS1 KiB" "KiB/tunnel" "seconds" threads
for column in "${columns[@]}"; do
    read -r rate rcpu icpu rss0 rss1 per seconds count threads <<<"${RESULT[$column]:-n/a n/a n/a n/a n/a n/a n/a 0 n/a}"
    per_setup="$(awk -v c="$rcpu" -v n="$count" 'BEGIN { if (n > 0 && c ~ /^[0-9.]+$/) printf "%.2f", c * 1000 / n; else print "n/a" }')"
    printf '%-10s %9s %9s %12s %14s %10s %10s %12s %9s %8s\n' "$column" "$rate" "$rcpu" "$per_setup" "$icpu" "$rss0" "$rss1" "$per" "$seconds" "${threads:-n/a}"
done
if [[ -n ${RESULT[baseline]:-} && -n ${RESULT[sharpswan]:-} ]]; then
    read -r r1 c1 _ _ _ k1 _ n1 <<<"${RESULT[sharpswan]}"
    read -r r2 c2 _ _ _ k2 _ n2 <<<"${RESULT[baseline]}"
    awk -v r1="$r1" -v r2="$r2" -v c1="$c1" -v c2="$c2" -v n1="$n1" -v n2="$n2" -v k1="$k1" -v k2="$k2" 'BEGIN {
        printf "SharpSwan/baseline: setups/s %.2fx, CPU per setup %.2fx, KiB per tunnel %.2fx\n",
            r1 / r2, (c1 / n1) / (c2 / n2), k1 / k2 }'
fi
if [[ -n ${RESULT[sharpswan]:-} && -n ${RESULT[charon]:-} ]]; then
    read -r r1 c1 _ _ _ k1 _ n1 <<<"${RESULT[sharpswan]}"
    read -r r2 c2 _ _ _ k2 _ n2 <<<"${RESULT[charon]}"
    awk -v r1="$r1" -v r2="$r2" -v c1="$c1" -v c2="$c2" -v n1="$n1" -v n2="$n2" -v k1="$k1" -v k2="$k2" 'BEGIN {
        printf "SharpSwan/charon: setups/s %.2fx, CPU per setup %.2fx, KiB per tunnel %.2fx\n",
            r1 / r2, (c1 / n1) / (c2 / n2), k1 / k2 }'
fi
for column in sharpswan baseline; do
    [[ -s $BENCH_WORK/$column-types.txt ]] || continue
    echo
    echo "$column: managed heap, growth from before to after the setups (dotnet-gcdump, each after a full GC):"
    cat "$BENCH_WORK/$column-types.txt"
done
echo "load at end $(load)"
