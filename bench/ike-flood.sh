#!/usr/bin/env bash
# IKE_SA_INIT flood against the SharpSwan dial-up hub, for real (issue 11, item 3). Runs the interop scenario
# IkeFloodInteropTests (namespaces: hub, router, two strongSwan road warriors, a flooder) with a longer flood:
# bench/ike-flood.py sends RATE IKE_SA_INIT/s for SECONDS from spoofed sources in 198.18.16.0/20 (RFC 2544's
# benchmarking range, routed back to the flooder) while
#   (a) road warrior 1's tunnel carries pings (4/s) and completes a child rekey,
#   (b) road warrior 2 establishes (bound: 10 s),
#   (c) the hub's RSS is sampled before, during and after.
# Prints the figures side by side with the no-flood baseline of the same run (client1's ping before the flood).
#
#   bench/ike-flood.sh                 12000/s for 60 s
#   RATE=20000 FLOOD_SECONDS=120 bench/ike-flood.sh
#
# Needs root, strongswan-swanctl/charon + kernel-libipsec plugin, python3, openssl. Everything it creates is removed
# by the test harness, even on failure.
set -uo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
readonly ROOT
readonly RATE=${RATE:-12000}
readonly DURATION=${FLOOD_SECONDS:-60}
FIGURES="$(mktemp /tmp/sharpswan-ike-flood.XXXXXX)"
readonly FIGURES
trap 'rm -f "$FIGURES"' EXIT

cd "$ROOT" || exit 2
printf '== building the gateway and the interop tests\n' >&2
SHARPSWAN_BUILD_ONLY=1 ./sharpswan >/dev/null || { echo "gateway build failed" >&2; exit 2; }
dotnet build tests/SharpSwan.Interop.Tests -v q >/dev/null || { echo "interop test build failed" >&2; exit 2; }

printf '== flooding %s IKE_SA_INIT/s for %s s\n' "$RATE" "$DURATION" >&2
SHARPSWAN_NO_BUILD=1 SHARPSWAN_FLOOD_RATE="$RATE" SHARPSWAN_FLOOD_SECONDS="$DURATION" SHARPSWAN_FLOOD_FIGURES="$FIGURES" \
    dotnet test tests/SharpSwan.Interop.Tests --no-build --filter "FullyQualifiedName~IkeFloodInteropTests" \
    >"$FIGURES.log" 2>&1
status=$?
if [[ -s $FIGURES ]]; then
    cat "$FIGURES"
else
    tail -40 "$FIGURES.log"
fi
rm -f "$FIGURES.log"
(( status == 0 )) && echo "outcome: all assertions held" || echo "outcome: FAILED (see .test-output/interop/UnderAnIkeSaInitFlood*)"
exit "$status"
