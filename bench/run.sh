#!/usr/bin/env bash
# Issue 14's benchmark command: everything side by side in one invocation, printed as tables with ratios.
#   Data plane (iperf3, A's LAN -> B's LAN, ESP in UDP 4500, ESP AES-128-GCM both sides unless BENCH_ESP_CIPHER):
#     TCP one stream and 4 streams; UDP 1372 B (a 1400 B IP packet) and 1400 B (fragmented by the 1400 MTU)
#     at saturation (-b 0) and at a fixed 1 Gbit/s (delivered packet rate and loss); a 64 B packet rate (-l 36, -b 0);
#     UDP 1372 B at saturation again with 4 MB socket buffers (-w 4M), and for every UDP row the datagrams B's sockets
#     dropped with a full receive buffer (where a tunnel that outruns the iperf3 server loses them).
#     Columns: SharpSwan<->SharpSwan, strongSwan<->strongSwan (kernel-libipsec), the bare veth, and optionally a
#     baseline SharpSwan build (BENCH_BASELINE_ROOT).
#   Overload (issue 14 item 8, bench/lib/overload.sh): UDP 1372 B at saturation (-b 0), then offered at twice the
#     delivered saturation rate: the share of the saturation rate still delivered, both gateways' RSS idle, after
#     saturation, peak during the flood and after it. Columns: sharpswan, strongswan (and baseline if given).
#   Sweep (bench/lib/sweep.sh, not in the default parts): UDP 1372 B offered at paced rates (BENCH_SWEEP_KPPS, default
#     "10 20 40 60 80 100 0", 0 unpaced), the delivered rate at each per column, each column's peak and what the unpaced
#     run keeps of it. Columns: sharpswan, strongswan (and baseline if given).
#   Crypto: BenchmarkDotNet seal/open per packet (OpenSSL backend and .NET fallback, AES-128-GCM, 64 and 1400 B)
#     next to `openssl speed -evp aes-128-gcm` (streaming) and `openssl speed -aead` (per-packet sequence).
#
#   bench/run.sh                    all of it
#   bench/run.sh dataplane|crypto|overload|sweep   one part
#   BENCH_SECONDS=10                seconds per iperf3 measurement
#   BENCH_BASELINE_ROOT=DIR         a second SharpSwan checkout (e.g. `git archive main` in /tmp), built with
#                                   SHARPSWAN_BUILD_ONLY=1 DIR/sharpswan, measured as the "baseline" column
#   BENCH_ESP_CIPHER=aes128gcm      or aes256gcm
#   BENCH_NATT=forced               SharpSwan's nattraversal; enable would use raw ESP between the SharpSwan pair
#   BENCH_COLUMNS="sharpswan veth"  only these columns (sharpswan, baseline, strongswan, veth)
#   BENCH_ROUNDS=3                  measure the columns this many times, interleaved, and print each cell's median
#                                   (a shared machine's load moves single runs a lot)
#
# 1,000 static tunnels in one gateway: bench/many-tunnels.sh (its own command; it takes minutes per column).
# IKE setups/s and KiB per tunnel at 1,000 peers: bench/ike-scale.sh.
# Needs root, strongSwan with kernel-libipsec, iperf3, python3, openssl.
set -uo pipefail

BENCH_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
BENCH_RUN_ID="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
BENCH_WORK="$(mktemp -d /tmp/sharpswan-bench.XXXXXX)"
readonly BENCH_ROOT BENCH_RUN_ID BENCH_WORK
readonly DURATION=${BENCH_SECONDS:-10} ROUNDS=${BENCH_ROUNDS:-1}
export BENCH_ESP_CIPHER=${BENCH_ESP_CIPHER:-aes128gcm}
# SharpSwan pairs encapsulate ESP in UDP 4500 as strongSwan's encap=yes does (enable finds no NAT: raw ESP).
export BENCH_NATT=${BENCH_NATT:-forced}
# shellcheck source=lib/topology.sh
source "$BENCH_ROOT/bench/lib/topology.sh"
# shellcheck source=lib/peers.sh
source "$BENCH_ROOT/bench/lib/peers.sh"
# shellcheck source=lib/overload.sh
source "$BENCH_ROOT/bench/lib/overload.sh"
# shellcheck source=lib/sweep.sh
source "$BENCH_ROOT/bench/lib/sweep.sh"

cleanup() {
    stop_background
    topology_down
    rm -rf "$BENCH_WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '  %s\n' "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# The measurements, in table order: name|iperf3 arguments|what to report.
readonly MEASUREMENTS=(
    "TCP 1 stream, Mbit/s|-t DURATION|tcp"
    "TCP 4 streams, Mbit/s|-t DURATION -P 4|tcp"
    "UDP 1372 B saturating, kpps (loss)|-t DURATION -u -l 1372 -b 0|udp"
    "UDP 1372 B saturating, 4 MB buffers, kpps (loss)|-t DURATION -u -l 1372 -b 0 -w 4M|udp"
    "UDP 1372 B at 1 Gbit/s, kpps (loss)|-t DURATION -u -l 1372 -b 1G|udp"
    "UDP 1400 B saturating, kpps (loss)|-t DURATION -u -l 1400 -b 0|udp"
    "UDP 1400 B at 1 Gbit/s, kpps (loss)|-t DURATION -u -l 1400 -b 1G|udp"
    "UDP 64 B saturating, kpps (loss)|-t DURATION -u -l 36 -b 0|udp"
)

# Prints one figure for an iperf3 JSON result: Mbit/s received (TCP) or "kpps-delivered loss-percent" (UDP).
summarise() { # KIND JSON_FILE
    python3 - "$1" "$2" <<'EOF'
import json, sys
kind, path = sys.argv[1], sys.argv[2]
try:
    end = json.load(open(path))["end"]
    if kind == "tcp":
        print(f'{end["sum_received"]["bits_per_second"] / 1e6:.0f}')
    else:
        s = end.get("sum_received", end["sum"])  # the receiver's count and the loss it saw
        delivered = (s["packets"] - s["lost_packets"]) / s["seconds"]
        print(f'{delivered / 1e3:.1f} {s["lost_percent"]:.0f}')
except Exception:
    print("n/a")
EOF
}

# CPU clock ticks used so far by everything in both namespaces except iperf3 (the two gateways).
gateway_ticks() {
    local ns pid total=0 fields
    for ns in "$(ns_a)" "$(ns_b)"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            [[ $(cat "/proc/$pid/comm" 2>/dev/null) == iperf3 ]] && continue
            # utime and stime are fields 14 and 15; the command name before them may hold spaces.
            fields="$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null)" || continue
            total=$((total + $(awk '{ print $12 + $13 }' <<<"$fields")))
        done
    done
    echo "$total"
}

# Context switches so far by every thread of everything in both namespaces except iperf3 (the two gateways). On a
# paravirtualised guest (this machine runs under PVM) each switch is a trip through the hypervisor, so a design that
# hands every packet from thread to thread pays for it far more than on bare metal; this row shows how much of that
# each column does.
gateway_switches() {
    local ns pid total=0 task
    for ns in "$(ns_a)" "$(ns_b)"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            [[ $(cat "/proc/$pid/comm" 2>/dev/null) == iperf3 ]] && continue
            for task in /proc/"$pid"/task/*/status; do
                total=$((total + $(awk '/ctxt_switches/ { n += $2 } END { print n + 0 }' "$task" 2>/dev/null || echo 0)))
            done
        done
    done
    echo "$total"
}

# Datagrams B's UDP sockets have dropped so far because their receive buffer was full (RcvbufErrors in B's namespace:
# the iperf3 server's socket and the gateway's own). Where a UDP measurement loses most is a property of the column:
# a tunnel that hands B's stack packets faster than the iperf3 server drains its socket loses them here.
receive_buffer_drops() {
    ip netns exec "$(ns_b)" awk '/^Udp:/ && ++n == 2 { print $6; exit }' /proc/net/snmp 2>/dev/null || echo 0
}

# Gateway context switches per MB received in a TCP measurement, or n/a.
switches_per_mb() { # SWITCHES JSON_FILE
    python3 - "$1" "$2" <<'EOF2'
import json, sys
switches, path = int(sys.argv[1]), sys.argv[2]
try:
    received = json.load(open(path))["end"]["sum_received"]["bytes"]
    print(f"{switches / (received / 1e6):.0f}" if received > 0 and switches > 0 else "n/a")
except Exception:
    print("n/a")
EOF2
}

# Gateway CPU milliseconds per GB received in a TCP measurement (lower is better), or n/a.
cpu_per_gb() { # TICKS JSON_FILE
    python3 - "$1" "$(getconf CLK_TCK)" "$2" <<'EOF2'
import json, sys
ticks, hz, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
try:
    received = json.load(open(path))["end"]["sum_received"]["bytes"]
    print(f"{ticks / hz * 1e3 / (received / 1e9):.0f}" if received > 0 and ticks > 0 else "n/a")
except Exception:
    print("n/a")
EOF2
}

# Runs every measurement from CLIENT_ADDR (in A) to SERVER_ADDR (in B); appends to FIGURES[column,index]
# one "value[ loss]" entry per round, separated by commas.
measure_all() { # COLUMN CLIENT_ADDR SERVER_ADDR
    local column=$1 a b i entry args kind json figure ticks switches drops
    a="$(ns_a)" b="$(ns_b)"
    for i in "${!MEASUREMENTS[@]}"; do
        IFS='|' read -r _ args kind <<<"${MEASUREMENTS[$i]}"
        args=${args//DURATION/$DURATION}
        json="$BENCH_WORK/$column-$i.json"
        ip netns exec "$b" iperf3 -s -1 -D -B "$3" >/dev/null 2>&1
        wait_for 10 sh -c "ip netns exec $b ss -Hln 'sport = :5201' | grep -q 5201" || { log "iperf3 server did not start"; continue; }
        ticks=$(gateway_ticks) switches=$(gateway_switches) drops=$(receive_buffer_drops)
        # shellcheck disable=SC2086 # args is a list of iperf3 options
        timeout $((DURATION + 30)) ip netns exec "$a" iperf3 -c "$3" -B "$2" $args -J --connect-timeout 5000 >"$json" 2>/dev/null
        ticks=$(($(gateway_ticks) - ticks)) switches=$(($(gateway_switches) - switches)) drops=$(($(receive_buffer_drops) - drops))
        figure="$(summarise "$kind" "$json")"
        FIGURES[$column,$i]+="${FIGURES[$column,$i]:+,}$figure"
        if [[ $kind == tcp && $column != veth ]]; then
            CPU[$column,$i]+="${CPU[$column,$i]:+,}$(cpu_per_gb "$ticks" "$json")"
            log "$column: gateways' CPU ms per GB: $(cpu_per_gb "$ticks" "$json")"
            SWITCHES[$column,$i]+="${SWITCHES[$column,$i]:+,}$(switches_per_mb "$switches" "$json")"
        fi
        if [[ $kind == udp ]]; then
            DROPS[$column,$i]+="${DROPS[$column,$i]:+,}$(awk -v d="$drops" -v s="$DURATION" 'BEGIN { printf "%.1f", d / s / 1e3 }')"
        fi
        entry=${MEASUREMENTS[$i]%%|*}
        log "$column: $entry: $figure (load $(load))"
        stop_iperf3_server "$b"
    done
}

# A one-shot server whose client failed is still waiting; stop it before the next measurement.
stop_iperf3_server() { # NS
    local pid
    for pid in $(ip netns pids "$1" 2>/dev/null); do
        [[ $(cat "/proc/$pid/comm" 2>/dev/null) == iperf3 ]] && kill "$pid" 2>/dev/null
    done
    sleep 0.5
}

tunnel_carries_ping() { ip netns exec "$(ns_a)" ping -c 1 -W 1 -I "$LAN_A" "$LAN_B"; }

build_gateway() { # LAUNCHER
    log "building the gateway ($1)"
    SHARPSWAN_BUILD_ONLY=1 "$1" >"$BENCH_WORK/build.log" 2>&1 || { log "build failed: $(tail -5 "$BENCH_WORK/build.log")"; return 1; }
}

column_veth() { measure_all veth "$WAN_A" "$WAN_B"; }

sharpswan_pair() { # COLUMN
    sharpswan_start B "$(ns_b)" to-hq "$WAN_A" "10.2.0.0 255.255.255.0" "10.1.0.0 255.255.255.0" disable || return 1
    sharpswan_start A "$(ns_a)" to-branch "$WAN_B" "10.1.0.0 255.255.255.0" "10.2.0.0 255.255.255.0" enable || return 1
    sharpswan_cli "$CONTROL_SOCK" "diagnose vpn tunnel up to-branch-p2 to-branch" >/dev/null
    wait_for 30 tunnel_carries_ping || { log "tunnel did not come up; logs in $BENCH_WORK"; return 1; }
    "${MEASURE:-measure_all}" "$1" "$LAN_A" "$LAN_B"
}

column_sharpswan() {
    SHARPSWAN_LAUNCHER="$BENCH_ROOT/sharpswan"
    build_gateway "$SHARPSWAN_LAUNCHER" && sharpswan_pair sharpswan
}

column_baseline() {
    SHARPSWAN_LAUNCHER="$BENCH_BASELINE_ROOT/sharpswan"
    build_gateway "$SHARPSWAN_LAUNCHER" && sharpswan_pair baseline
    SHARPSWAN_LAUNCHER="$BENCH_ROOT/sharpswan"
}

column_strongswan() {
    strongswan_start B "$(ns_b)" "$WAN_B" "$WAN_A" "$SUBNET_B" "$SUBNET_A" || return 1
    strongswan_start A "$(ns_a)" "$WAN_A" "$WAN_B" "$SUBNET_A" "$SUBNET_B" || return 1
    swanctl --initiate --child c --timeout 20 --uri "$VICI_URI" >/dev/null || { log "swanctl --initiate failed"; return 1; }
    wait_for 30 tunnel_carries_ping || { log "tunnel did not carry ping"; return 1; }
    "${MEASURE:-measure_all}" strongswan "$LAN_A" "$LAN_B"
}

# The median of a cell's rounds ("63.2 91,60.1 90,n/a" -> "63.2 91"; n/a only when every round failed).
median() {
    tr ',' '\n' <<<"$1" | grep -v '^n/a$' | sort -n | awk '{ v[NR] = $0 } END { print (NR ? v[int((NR + 1) / 2)] : "n/a") }'
}
# A cell as printed: "543" (TCP) or "63.2 (91%)" (UDP).
shown() { awk '{ if (NF == 2) printf "%s (%s%%)", $1, $2; else print $1 }' <<<"$(median "$1")"; }
ratio() { # numerator-cell denominator-cell
    awk -v n="$(median "$1" | cut -d' ' -f1)" -v d="$(median "$2" | cut -d' ' -f1)" \
        'BEGIN { if (n ~ /^[0-9.]+$/ && d ~ /^[0-9.]+$/ && d > 0) printf "%.2fx", n / d; else print "n/a" }'
}

dataplane() {
    local columns=(sharpswan strongswan veth) column i name
    [[ -n ${BENCH_BASELINE_ROOT:-} ]] && columns=(sharpswan baseline strongswan veth)
    [[ -n ${BENCH_COLUMNS:-} ]] && read -ra columns <<<"$BENCH_COLUMNS"
    declare -gA FIGURES=() CPU=() SWITCHES=() DROPS=()
    local round
    for ((round = 1; round <= ROUNDS; round++)); do
        for column in "${columns[@]}"; do
            echo "$column (round $round of $ROUNDS): ${#MEASUREMENTS[@]} iperf3 runs of ${DURATION} s (load $(load)) ..." >&2
            if topology_up; then
                "column_$column" || log "$column: failed"
            else
                log "could not create the namespaces"
            fi
            stop_background
            topology_down
        done
    done

    echo
    echo "Data plane, ESP $BENCH_ESP_CIPHER in UDP 4500, iperf3 ${DURATION} s each, median of $ROUNDS round(s)"
    local header="%-58s" row
    printf "$header" "measurement"
    for column in "${columns[@]}"; do printf ' %14s' "$column"; done
    printf ' %14s' "ours/strongSwan"
    [[ -n ${BENCH_BASELINE_ROOT:-} ]] && printf ' %14s' "ours/baseline"
    echo
    for i in "${!MEASUREMENTS[@]}"; do
        name=${MEASUREMENTS[$i]%%|*}
        printf "$header" "$name"
        for column in "${columns[@]}"; do printf ' %14s' "$(shown "${FIGURES[$column,$i]:-n/a}")"; done
        row="$(ratio "${FIGURES[sharpswan,$i]:-}" "${FIGURES[strongswan,$i]:-}")"
        printf ' %14s' "$row"
        [[ -n ${BENCH_BASELINE_ROOT:-} ]] && printf ' %14s' "$(ratio "${FIGURES[sharpswan,$i]:-}" "${FIGURES[baseline,$i]:-}")"
        echo
    done
    # CPU per unit of work moves less with the machine's load than throughput does.
    for i in "${!MEASUREMENTS[@]}"; do
        [[ -n ${CPU[sharpswan,$i]:-}${CPU[strongswan,$i]:-} ]] || continue
        name=${MEASUREMENTS[$i]%%,*}
        printf "$header" "$name: gateways' CPU ms/GB"
        for column in "${columns[@]}"; do printf ' %14s' "$(shown "${CPU[$column,$i]:-n/a}")"; done
        printf ' %14s' "$(ratio "${CPU[sharpswan,$i]:-}" "${CPU[strongswan,$i]:-}")"
        [[ -n ${BENCH_BASELINE_ROOT:-} ]] && printf ' %14s' "$(ratio "${CPU[sharpswan,$i]:-}" "${CPU[baseline,$i]:-}")"
        echo
    done
    for i in "${!MEASUREMENTS[@]}"; do
        [[ -n ${SWITCHES[sharpswan,$i]:-}${SWITCHES[strongswan,$i]:-} ]] || continue
        name=${MEASUREMENTS[$i]%%,*}
        printf "$header" "$name: context switches/MB"
        for column in "${columns[@]}"; do printf ' %14s' "$(shown "${SWITCHES[$column,$i]:-n/a}")"; done
        printf ' %14s' "$(ratio "${SWITCHES[sharpswan,$i]:-}" "${SWITCHES[strongswan,$i]:-}")"
        [[ -n ${BENCH_BASELINE_ROOT:-} ]] && printf ' %14s' "$(ratio "${SWITCHES[sharpswan,$i]:-}" "${SWITCHES[baseline,$i]:-}")"
        echo
    done
    for i in "${!MEASUREMENTS[@]}"; do
        [[ -n ${DROPS[sharpswan,$i]:-}${DROPS[strongswan,$i]:-} ]] || continue
        name=${MEASUREMENTS[$i]%%, kpps*}
        printf "$header" "$name: B's socket drops, kpps"
        for column in "${columns[@]}"; do printf ' %14s' "$(shown "${DROPS[$column,$i]:-n/a}")"; done
        echo
    done
    echo "(kpps: packets delivered per second, in thousands; CPU ms/GB: both gateways' CPU time per GB received, lower is better;"
    echo " context switches/MB: both gateways' threads' voluntary and involuntary switches per MB received;"
    echo " B's socket drops: datagrams per second B's UDP sockets dropped with a full receive buffer, mostly the iperf3 server's;"
    echo " 4 MB buffers: iperf3 -w 4M, the server's socket holds about 1,800 datagrams of 1372 B instead of 96)"
}

# Runs MEASURE_FN for each tunnel column (sharpswan, baseline when given, strongswan; BENCH_COLUMNS chooses), each in
# namespaces of its own; the columns measured are left in TUNNEL_COLUMNS for the part's table.
each_tunnel_column() { # MEASURE_FN WHAT
    local column
    TUNNEL_COLUMNS=(sharpswan strongswan)
    [[ -n ${BENCH_BASELINE_ROOT:-} ]] && TUNNEL_COLUMNS=(sharpswan baseline strongswan)
    [[ -n ${BENCH_COLUMNS:-} ]] && read -ra TUNNEL_COLUMNS <<<"${BENCH_COLUMNS//veth/}"
    for column in "${TUNNEL_COLUMNS[@]}"; do
        echo "$column: $2 (load $(load)) ..." >&2
        if topology_up; then
            MEASURE=$1 "column_$column" || log "$column: failed"
        else
            log "could not create the namespaces"
        fi
        stop_background
        topology_down
    done
}

# Issue 14 item 8: each tunnel column's saturation rate, then twice that offered (bench/lib/overload.sh).
overload() {
    declare -gA OVERLOAD=()
    each_tunnel_column measure_overload "overload, 2 iperf3 runs of ${DURATION} s"
    print_overload "${TUNNEL_COLUMNS[@]}"
}

# UDP 1372 B offered at a series of rates per tunnel column (bench/lib/sweep.sh).
sweep() {
    declare -gA SWEEP=()
    each_tunnel_column measure_sweep "sweep, ${#SWEEP_KPPS[@]} iperf3 runs of ${DURATION} s"
    print_sweep "${TUNNEL_COLUMNS[@]}"
}

# Nanoseconds per operation from `openssl speed -mr` output on stdin (+R:count:name:seconds lines).
openssl_ns() { awk -F: '/^\+R:/ { if ($2 > 0) printf "%.0f", $4 * 1e9 / $2 }'; }

crypto() {
    local project="$BENCH_ROOT/bench/SharpSwan.Esp.Bench" artifacts="$BENCH_WORK/bdn"
    echo "crypto: building the benchmarks (load $(load)) ..." >&2
    dotnet build "$project" -c Release -v q >"$BENCH_WORK/bench-build.log" 2>&1 || { log "build failed: $(tail -5 "$BENCH_WORK/bench-build.log")"; return 1; }
    echo "crypto: BenchmarkDotNet (in process, short job) and openssl speed (load $(load)) ..." >&2
    SHARPSWAN_BENCH_SUITES=aes128gcm dotnet "$project/bin/Release/net10.0/SharpSwan.Esp.Bench.dll" \
        --filter '*ProtectorBenchmarks*' --job Short --inProcess --exporters json --artifacts "$artifacts" >"$BENCH_WORK/bdn.log" 2>&1 \
        || log "BenchmarkDotNet failed: $(tail -5 "$BENCH_WORK/bdn.log")"
    local size evp aead
    declare -A speed=()
    for size in 64 1400; do
        # -elapsed: wall clock, as BenchmarkDotNet measures, so both carry the same share of a busy machine.
        evp="$(openssl speed -elapsed -seconds 3 -mr -evp aes-128-gcm -bytes "$size" 2>&1 | openssl_ns)"
        aead="$(openssl speed -elapsed -seconds 3 -mr -aead -evp aes-128-gcm -bytes "$size" 2>&1 | openssl_ns)"
        speed[evp,$size]=${evp:-n/a} speed[aead,$size]=${aead:-n/a}
    done
    echo "crypto: done (load $(load))" >&2

    echo
    echo "Crypto per packet, AES-128-GCM, ns (BenchmarkDotNet mean; openssl speed -elapsed, $(openssl version | cut -d' ' -f1-2))"
    python3 - "$artifacts" "${speed[evp,64]}" "${speed[aead,64]}" "${speed[evp,1400]}" "${speed[aead,1400]}" <<'EOF'
import glob, json, sys
artifacts, evp64, aead64, evp1400, aead1400 = sys.argv[1:]
speed = {"64": (evp64, aead64), "1400": (evp1400, aead1400)}
means = {}
for path in glob.glob(f"{artifacts}/results/*.json"):
    for b in json.load(open(path))["Benchmarks"]:
        p = dict(kv.split("=") for kv in b["Parameters"].split("&"))
        if b["Statistics"]:
            means[(b["Method"], p["PacketSize"], p["Backend"])] = b["Statistics"]["Mean"]
def cell(v):
    return f"{v:.0f}" if isinstance(v, float) else "n/a"
def ratio(n, d):
    try:
        return f"{float(n) / float(d):.2f}x"
    except (TypeError, ValueError, ZeroDivisionError):
        return "n/a"
print(f'{"size":>5} {"op":>5} {"openssl backend":>16} {".NET fallback":>14} {"speed -evp":>11} {"speed -aead":>12}'
      f' {"ours/-evp":>10} {"ours/-aead":>11} {".NET/ours":>10}')
for size in ("64", "1400"):
    evp, aead = speed[size]
    for op in ("Seal", "Open"):
        ours, managed = means.get((op, size, "openssl")), means.get((op, size, "dotnet"))
        print(f'{size:>5} {op:>5} {cell(ours):>16} {cell(managed):>14} {evp:>11} {aead:>12}'
              f' {ratio(ours, evp):>10} {ratio(ours, aead):>11} {ratio(managed, ours):>10}')
EOF
}

[[ $EUID -eq 0 ]] || { echo "run.sh: needs root (network namespaces)" >&2; exit 2; }
for tool in iperf3 swanctl ip python3 openssl dotnet; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (see ./test.sh for the packages)" >&2; exit 2; }
done
if [[ -n ${BENCH_BASELINE_ROOT:-} && ! -x ${BENCH_BASELINE_ROOT}/sharpswan ]]; then
    echo "run.sh: BENCH_BASELINE_ROOT=$BENCH_BASELINE_ROOT has no sharpswan launcher" >&2; exit 2
fi
# The hypervisor the kernel found at boot, if any: context switches cost far more under a paravirtualised one.
hypervisor() {
    local found
    found="$(dmesg 2>/dev/null | sed -n 's/.*Hypervisor detected: //p' | head -1)"
    echo "hypervisor ${found:-none found (or dmesg not readable)}"
}

parts=("$@")
[[ ${#parts[@]} -gt 0 ]] || parts=(dataplane overload crypto)
for part in "${parts[@]}"; do
    [[ $part == dataplane || $part == crypto || $part == overload || $part == sweep ]] || { echo "run.sh: unknown part '$part' (dataplane, crypto, overload, sweep)" >&2; exit 2; }
done

echo "SharpSwan benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null)"
echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r), $(hypervisor), load at start $(load)"
for part in "${parts[@]}"; do "$part"; done
echo
echo "load at end $(load)"
