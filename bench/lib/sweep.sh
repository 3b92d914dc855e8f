# shellcheck shell=bash
# run.sh's `sweep` part: UDP 1372 B from A's LAN to B's LAN offered at a series of paced rates and then unpaced (-b 0),
# the delivered packet rate at each, per column. It shows where each tunnel's delivered rate peaks and how much of
# that peak the unpaced flood (the dataplane table's "saturating" row) keeps: on this 2-vCPU machine the iperf3 sender,
# both gateways and the iperf3 receiver share the two vCPUs, so an unpaced sender takes CPU from the receiver.
# Information for issue 14's "UDP 1372 B at saturation" figure; the dataplane table's definition is not changed.
# Callers provide DURATION, overload_iperf (bench/lib/overload.sh), log, load.

# Offered rates in thousands of datagrams per second; 0 is unpaced (-b 0).
read -ra SWEEP_KPPS <<<"${BENCH_SWEEP_KPPS:-10 20 40 60 80 100 0}"
readonly SWEEP_KPPS

# Fills SWEEP[column,kpps] with "offered delivered loss" for each offered rate.
measure_sweep() { # COLUMN CLIENT_ADDR SERVER_ADDR
    local column=$1 kpps bits result
    for kpps in "${SWEEP_KPPS[@]}"; do
        bits=$((kpps * 1000 * 1372 * 8))
        result="$(overload_iperf "$column-sweep-$kpps" "$bits")"
        log "$column: offered ${kpps} kpps (0: unpaced): offered/delivered kpps, loss %: $result (load $(load))"
        SWEEP[$column,$kpps]=$result
    done
}

# Delivered kpps per offered rate, side by side, then each column's peak and what the unpaced run kept of it.
print_sweep() { # COLUMNS...
    local column kpps
    echo
    echo "Sweep: UDP 1372 B, A's LAN -> B's LAN, ${DURATION} s per offered rate; delivered kpps (loss %)"
    printf '%-28s' "offered kpps"
    for column in "$@"; do printf ' %18s' "$column"; done
    echo
    for kpps in "${SWEEP_KPPS[@]}"; do
        printf '%-28s' "$([[ $kpps == 0 ]] && echo "unpaced (-b 0)" || echo "$kpps")"
        for column in "$@"; do
            printf ' %18s' "$(awk '{ if (NF == 3) printf "%s (%s%%)", $2, $3; else print "n/a" }' <<<"${SWEEP[$column,$kpps]:-n/a}")"
        done
        echo
    done
    declare -A peak=()
    printf '%-28s' "peak delivered kpps"
    for column in "$@"; do
        peak[$column]="$(for kpps in "${SWEEP_KPPS[@]}"; do awk '{ if (NF == 3) print $2 }' <<<"${SWEEP[$column,$kpps]:-}"; done | sort -g | tail -1)"
        printf ' %18s' "${peak[$column]:-n/a}"
    done
    echo
    printf '%-28s' "unpaced / peak"
    for column in "$@"; do
        printf ' %18s' "$(awk -v u="$(awk '{ print $2 }' <<<"${SWEEP[$column,0]:-n/a}")" -v p="${peak[$column]:-0}" \
            'BEGIN { if (u ~ /^[0-9.]+$/ && p > 0) printf "%.2f", u / p; else print "n/a" }')"
    done
    echo
    if [[ $# -ge 2 ]]; then
        printf '%-28s' "peak ratio $1/$2"
        printf ' %18s\n' "$(awk -v a="${peak[$1]:-0}" -v b="${peak[$2]:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "n/a" }')"
    fi
}
