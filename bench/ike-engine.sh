#!/usr/bin/env bash
# Responder IKE engine CPU per setup (issue 14 item 7), without network: bench/SharpSwan.Ike.Bench drives a dial-up hub
# IkeEngine sans-IO with in-process initiator engines (PSK, ECP-256, AES-128-GCM) and times the hub's calls (datagram,
# Tick, NextDeadline, as the gateway's engine loop makes them) for a window of setups at each number of existing SAs.
# The same bench is built against this tree and against a baseline revision's src/ and both run in this invocation.
#
#   bench/ike-engine.sh [--levels 1000,5000,10000] [--window 200]
#   BASELINE=<git revision> (default main; empty: this tree only)
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
baseline=${BASELINE-main}
scratch=$(mktemp -d /tmp/ike-engine-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

build() { dotnet build "$1" -c Release -o "$2" -nologo -v q >"$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; exit 2; }; }

build "$here/bench/SharpSwan.Ike.Bench" "$scratch/this-out"
if [[ -n "$baseline" ]]; then
    mkdir -p "$scratch/base/bench"
    git -C "$here" archive "$baseline" src Directory.Build.props Directory.Packages.props global.json .editorconfig | tar -x -C "$scratch/base"
    cp -r "$here/bench/SharpSwan.Ike.Bench" "$scratch/base/bench/"
    rm -rf "$scratch/base/bench/SharpSwan.Ike.Bench/bin" "$scratch/base/bench/SharpSwan.Ike.Bench/obj"
    build "$scratch/base/bench/SharpSwan.Ike.Bench" "$scratch/base-out"
fi

echo "load before: $(cat /proc/loadavg)"
dotnet "$scratch/this-out/SharpSwan.Ike.Bench.dll" --label this "$@" | tee "$scratch/this.txt"
if [[ -n "$baseline" ]]; then
    dotnet "$scratch/base-out/SharpSwan.Ike.Bench.dll" --label "$baseline" "$@" | tee "$scratch/base.txt"
fi
echo "load after: $(cat /proc/loadavg)"

echo
printf '%12s %18s %18s %10s\n' "existing SAs" "this ms/setup" "${baseline:-baseline} ms/setup" "ratio"
result() { awk -v l="$2" '$1 == "RESULT" && $3 == l { print $4 }' "$1"; }
for level in $(awk '$1 == "RESULT" { print $3 }' "$scratch/this.txt" | sort -n -u); do
    mine=$(result "$scratch/this.txt" "$level")
    base=-
    ratio=-
    if [[ -n "$baseline" ]]; then
        base=$(result "$scratch/base.txt" "$level")
        ratio=$(awk -v b="$base" -v m="$mine" 'BEGIN { printf (m > 0 && b != "") ? sprintf("%.1fx", b / m) : "-" }')
    fi

    printf '%12s %18s %18s %10s\n' "$level" "$mine" "${base:--}" "$ratio"
done
