# shellcheck shell=bash
# Issue 14 item 8, overload keeps its shape: run.sh's `overload` part. For each column (a tunnel already up between A
# and B, set up by run.sh's column functions with MEASURE=measure_overload):
#   1. saturation: UDP 1372 B at -b 0 for DURATION s; its delivered packet rate S is the saturation rate;
#   2. flood: the same datagrams offered at 2 x S (iperf3 -b, paced) for DURATION s; delivered rate F;
#   F / S is what the tunnel keeps of its saturation throughput under twice the load it can carry (the issue asks
#   >= 0.95). Both gateways' RSS is read with the tunnel up and idle, after the saturation run and after the flood,
#   and sampled every half second during the flood (peak): bounded queues keep it flat. For SharpSwan the data plane's
#   drop counters (`diagnose vpn tunnel stat`) of both gateways after the flood go to the log.
# Callers provide DURATION, BENCH_WORK, ns_a/ns_b, LAN_A/LAN_B, log, load, summarise, stop_iperf3_server, wait_for.

readonly OVERLOAD_FACTOR=${BENCH_OVERLOAD_FACTOR:-2}

# Packets per second the sender offered and the receiver got: "offered-kpps delivered-kpps loss-percent", or n/a.
overload_rates() { # JSON_FILE
    python3 - "$1" <<'EOF'
import json, sys
try:
    end = json.load(open(sys.argv[1]))["end"]
    sent, got = end["sum_sent"], end.get("sum_received", end["sum"])
    delivered = (got["packets"] - got["lost_packets"]) / got["seconds"]
    print(f'{sent["packets"] / sent["seconds"] / 1e3:.1f} {delivered / 1e3:.1f} {got["lost_percent"]:.0f}')
except Exception:
    print("n/a")
EOF
}

# The gateways' processes in A and B (SharpSwan or charon), as "pid-in-A pid-in-B".
overload_gateways() {
    local ns pid found
    for ns in "$(ns_a)" "$(ns_b)"; do
        found=0
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            # SharpSwan re-executes itself to drop privileges (its comm is then "exe"): match the program file.
            case $(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)") in
                sharpswan | charon) printf '%s ' "$pid"; found=1; break ;;
            esac
        done
        ((found)) || printf '0 '
    done
}

# UDP datagrams the kernel dropped in NS because a socket's receive buffer was full (there: the iperf3 server's).
overload_rcvbuf_errors() { # NS
    ip netns exec "$1" awk '/^Udp:/ { if (!n++) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i } else print $c }' /proc/net/snmp 2>/dev/null
}

overload_rss_mib() { # PID
    awk '/^VmRSS:/ { printf "%.0f", $2 / 1024; found = 1 } END { if (!found) print "n/a" }' "/proc/$1/status" 2>/dev/null || echo n/a
}

# One UDP 1372 B iperf3 run from A's LAN to B's LAN at RATE (0: as fast as the sender can); prints overload_rates.
overload_iperf() { # LABEL RATE
    local json="$BENCH_WORK/overload-$1.json" b
    b="$(ns_b)"
    ip netns exec "$b" iperf3 -s -1 -D -B "$LAN_B" >/dev/null 2>&1
    wait_for 10 sh -c "ip netns exec $b ss -Hln 'sport = :5201' | grep -q 5201" || { log "iperf3 server did not start"; echo n/a; return; }
    timeout $((DURATION + 30)) ip netns exec "$(ns_a)" iperf3 -c "$LAN_B" -B "$LAN_A" -t "$DURATION" -u -l 1372 -b "$2" \
        -J --connect-timeout 5000 >"$json" 2>/dev/null
    stop_iperf3_server "$b"
    overload_rates "$json"
}

# Samples both gateways' RSS every half second into FILE until the file STOP exists; the peak is read afterwards.
overload_sample_rss() { # FILE STOP PID_A PID_B
    while [[ ! -e $2 ]]; do
        echo "$(overload_rss_mib "$3") $(overload_rss_mib "$4")" >>"$1"
        sleep 0.5
    done
}

overload_peak() { # FILE COLUMN(1|2)
    awk -v c="$2" '$c ~ /^[0-9]+$/ && $c > peak { peak = $c } END { print (peak ? peak : "n/a") }' "$1"
}

# The measurement for one column; fills OVERLOAD[column,key] (run.sh prints the table).
measure_overload() { # COLUMN CLIENT_ADDR SERVER_ADDR
    local column=$1 pid_a pid_b saturation flood rate_bits samples="$BENCH_WORK/overload-$1.rss" sampler
    read -r pid_a pid_b <<<"$(overload_gateways)"
    OVERLOAD[$column,rss_idle]="$(overload_rss_mib "$pid_a")/$(overload_rss_mib "$pid_b")"
    saturation="$(overload_iperf "$column-saturation" 0)"
    log "$column: saturation (-b 0): offered/delivered kpps, loss %: $saturation (load $(load))"
    OVERLOAD[$column,rss_saturated]="$(overload_rss_mib "$pid_a")/$(overload_rss_mib "$pid_b")"
    OVERLOAD[$column,saturation]=$saturation
    [[ $saturation == n/a ]] && return 1
    # Offered 2 x the delivered saturation rate, in bit/s of iperf3 payload (what -b paces).
    rate_bits="$(awk -v k="$(cut -d' ' -f2 <<<"$saturation")" -v f="$OVERLOAD_FACTOR" 'BEGIN { printf "%.0f", k * 1000 * f * 1372 * 8 }')"
    rm -f "$samples" "$samples.stop"
    local rcvbuf
    rcvbuf=$(overload_rcvbuf_errors "$(ns_b)")
    overload_sample_rss "$samples" "$samples.stop" "$pid_a" "$pid_b" &
    sampler=$!
    flood="$(overload_iperf "$column-flood" "$rate_bits")"
    touch "$samples.stop"
    wait "$sampler"
    log "$column: flood at ${OVERLOAD_FACTOR}x ($rate_bits bit/s): offered/delivered kpps, loss %: $flood (load $(load))"
    OVERLOAD[$column,flood]=$flood
    log "$column: datagrams B's iperf3 server socket overflowed during the flood: $(($(overload_rcvbuf_errors "$(ns_b)") - rcvbuf))"
    OVERLOAD[$column,rss_peak]="$(overload_peak "$samples" 1)/$(overload_peak "$samples" 2)"
    sleep 2
    OVERLOAD[$column,rss_after]="$(overload_rss_mib "$pid_a")/$(overload_rss_mib "$pid_b")"
    if [[ $column != strongswan ]]; then
        log "$column: A's data-plane counters after the flood: $(sharpswan_cli "$BENCH_WORK/sharpswan-A/control.sock" "diagnose vpn tunnel stat" | tr '\n' ' ')"
        log "$column: B's data-plane counters after the flood: $(sharpswan_cli "$BENCH_WORK/sharpswan-B/control.sock" "diagnose vpn tunnel stat" | tr '\n' ' ')"
    fi
}

# The columns' results side by side.
print_overload() { # COLUMNS...
    local column header="%-44s" key
    echo
    echo "Overload: UDP 1372 B, A's LAN -> B's LAN, ${DURATION} s at saturation (-b 0), then ${DURATION} s offered at ${OVERLOAD_FACTOR}x the delivered saturation rate"
    printf "$header" "measurement"
    for column in "$@"; do printf ' %14s' "$column"; done
    echo
    overload_row "saturation: offered kpps" saturation 1 "$@"
    overload_row "saturation: delivered kpps (S)" saturation 2 "$@"
    overload_row "flood: offered kpps" flood 1 "$@"
    overload_row "flood: delivered kpps (F)" flood 2 "$@"
    overload_row "flood: loss %" flood 3 "$@"
    printf "$header" "F / S (issue: >= 0.95)"
    for column in "$@"; do
        printf ' %14s' "$(awk -v s="$(cut -d' ' -f2 <<<"${OVERLOAD[$column,saturation]:-n/a}")" -v f="$(cut -d' ' -f2 <<<"${OVERLOAD[$column,flood]:-n/a}")" \
            'BEGIN { if (s ~ /^[0-9.]+$/ && f ~ /^[0-9.]+$/ && s > 0) printf "%.2f", f / s; else print "n/a" }')"
    done
    echo
    for key in rss_idle rss_saturated rss_peak rss_after; do
        printf "$header" "RSS MiB A/B: ${key#rss_}"
        for column in "$@"; do printf ' %14s' "${OVERLOAD[$column,$key]:-n/a}"; done
        echo
    done
    echo "(idle: tunnel up before the runs; saturated: after the -b 0 run; peak: highest sample during the flood; after: 2 s after it)"
}

overload_row() { # NAME KEY FIELD COLUMNS...
    local name=$1 key=$2 field=$3 column
    shift 3
    printf '%-44s' "$name"
    for column in "$@"; do
        printf ' %14s' "$(awk -v f="$field" '{ print (NF >= f ? $f : "n/a") }' <<<"${OVERLOAD[$column,$key]:-n/a}")"
    done
    echo
}
