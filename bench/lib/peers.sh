# shellcheck shell=bash
# Starting strongSwan (kernel-libipsec) and SharpSwan peers inside the benchmark namespaces.
# Every background process is started with setsid and recorded in BENCH_PIDS, so cleanup can stop its group.
# Callers set BENCH_WORK (scratch directory) and BENCH_ROOT (repository root).

# BENCH_ESP_CIPHER picks the ESP cipher on both sides (aes256gcm, the default, or aes128gcm);
# SHARPSWAN_LAUNCHER runs another build of the gateway (run.sh measures a baseline checkout with it).

BENCH_PIDS=()
case ${BENCH_ESP_CIPHER:=aes256gcm} in
    aes128gcm | aes256gcm) ;;
    *) echo "peers.sh: BENCH_ESP_CIPHER must be aes128gcm or aes256gcm, not '$BENCH_ESP_CIPHER'" >&2; exit 2 ;;
esac
readonly IKE_PROPOSAL=aes256gcm16-prfsha384-ecp384 ESP_PROPOSAL=${BENCH_ESP_CIPHER}16-ecp384
readonly BENCH_PSK=benchmark-only-psk-0123456789

stop_background() {
    local pid
    for pid in "${BENCH_PIDS[@]:-}"; do [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null; done
    sleep 1
    for pid in "${BENCH_PIDS[@]:-}"; do [[ -n $pid ]] && kill -KILL -- "-$pid" 2>/dev/null; done
    BENCH_PIDS=()
}

wait_for() { # seconds command...
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do (( SECONDS >= deadline )) && return 1; sleep 0.2; done
}

# strongswan_start LABEL NS ME PEER LOCAL_TS REMOTE_TS -> sets VICI_URI (no subshell: BENCH_PIDS must survive)
strongswan_start() {
    local label=$1 ns=$2 me=$3 peer=$4 lts=$5 rts=$6 dir="$BENCH_WORK/charon-$1"
    rm -rf "$dir" && mkdir -p "$dir"   # a stale socket from an earlier scenario would fake readiness
    cat >"$dir/strongswan.conf" <<EOC
charon {
  load_modular = yes
  plugins {
    include /etc/strongswan.d/charon/*.conf
    kernel-libipsec { load = yes }
    vici { socket = unix://$dir/charon.vici }
  }
  filelog { f { path = $dir/charon.log
    default = 1 } }
  syslog { daemon { default = -1 } auth { default = -1 } }
}
EOC
    cat >"$dir/swanctl.conf" <<EOC
connections { t { version = 2
  local_addrs = $me
  remote_addrs = $peer
  encap = yes
  proposals = $IKE_PROPOSAL
  local { auth = psk
    id = $me }
  remote { auth = psk
    id = $peer }
  children { c { local_ts = $lts
    remote_ts = $rts
    esp_proposals = $ESP_PROPOSAL } } } }
secrets { ike-1 { secret = "$BENCH_PSK" } }
EOC
    setsid ip netns exec "$ns" unshare -m --propagation private sh -c \
        "mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF=$dir/strongswan.conf /usr/lib/ipsec/charon" \
        >"$dir/stdout.log" 2>&1 </dev/null &
    BENCH_PIDS+=($!)
    wait_for 20 swanctl --stats --uri "unix://$dir/charon.vici" || { echo "charon $label did not start" >&2; return 1; }
    # swanctl complains about missing credential directories next to --file; only show that on failure.
    swanctl --load-all --noprompt --file "$dir/swanctl.conf" --uri "unix://$dir/charon.vici" >"$dir/load.log" 2>&1 \
        || { cat "$dir/load.log" >&2; return 1; }
    VICI_URI="unix://$dir/charon.vici"
}

# sharpswan_start LABEL NS NAME REMOTE_GW SRC_SUBNET DST_SUBNET AUTO_NEGOTIATE -> sets CONTROL_SOCK
# Subnets in FortiOS form ("10.1.0.0 255.255.255.0").
sharpswan_start() {
    local label=$1 ns=$2 name=$3 remote=$4 src=$5 dst=$6 auto=$7 dir="$BENCH_WORK/sharpswan-$1"
    rm -rf "$dir" && mkdir -p "$dir"   # a stale socket from an earlier scenario would fake readiness
    cat >"$dir/sharpswan.conf" <<EOC
config vpn ipsec phase1-interface
    edit "$name"
        set interface "wan0"
        set ike-version 2
        set remote-gw $remote
        set proposal aes256gcm-prfsha384
        set dhgrp 20
        set psksecret "$BENCH_PSK"
        set nattraversal ${BENCH_NATT:-enable}
        set auto-negotiate $auto
    next
end
config vpn ipsec phase2-interface
    edit "$name-p2"
        set phase1name "$name"
        set proposal $BENCH_ESP_CIPHER
        set pfs enable
        set dhgrp 20
        set src-subnet $src
        set dst-subnet $dst
    next
end
config router static
    edit 1
        set dst $dst
        set device "$name"
    next
end
EOC
    SHARPSWAN_NO_BUILD=1 setsid ip netns exec "$ns" "${SHARPSWAN_LAUNCHER:-$BENCH_ROOT/sharpswan}" run --config "$dir/sharpswan.conf" \
        --control "$dir/control.sock" --log-level 0 >"$dir/gateway.log" 2>&1 </dev/null &
    BENCH_PIDS+=($!)
    wait_for 30 test -S "$dir/control.sock" -o -e "$dir/control.sock" \
        || { echo "SharpSwan $label did not open its control socket; see $dir/gateway.log" >&2; return 1; }
    CONTROL_SOCK="$dir/control.sock"
}

sharpswan_cli() { # SOCK COMMAND
    SHARPSWAN_NO_BUILD=1 timeout 20 "${SHARPSWAN_LAUNCHER:-$BENCH_ROOT/sharpswan}" cli --control "$1" -c "$2"
}
