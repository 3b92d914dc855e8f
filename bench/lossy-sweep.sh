#!/usr/bin/env bash
# The lossy-link rekey sweep: StressScenarios.Random_rekeys_on_a_lossy_link_leave_no_stale_sa_behind (5% loss, 2%
# duplication, 0-30 ms jitter, eight random forced rekeys under traffic, 120 s lifetimes) over a range of seeds, in the
# simulation. A seed fails when a second SA for one selector (or a second IKE SA) outlives the 30 s rekey-settle time,
# or the two ends do not settle on one shared SA at the end. ./test.sh runs the same test on a fast subset of seeds.
#
#   bench/lossy-sweep.sh               seeds 1-500
#   bench/lossy-sweep.sh 1-60,220,350  the given seeds (ranges and lists)
#   JOBS=2 bench/lossy-sweep.sh        split the seeds over parallel test processes (default 1)
#
# Prints one line per seed (pass/FAIL and the longest time two SAs coexisted) and a summary; exit status 1 when any
# seed failed. Each seed takes about 2 s of CPU.
set -uo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
readonly root
readonly project="$root/tests/SharpSwan.Simulation.Tests"
readonly filter="FullyQualifiedName~StressScenarios.Random_rekeys_on_a_lossy_link_leave_no_stale_sa_behind"
readonly seeds="${1:-1-500}"
readonly jobs="${JOBS:-1}"

die() { printf 'lossy-sweep: %s\n' "$*" >&2; exit 2; }
command -v dotnet >/dev/null || die "dotnet is not installed"
command -v python3 >/dev/null || die "python3 is needed to read the test results"

work="$(mktemp -d /tmp/sharpswan-lossy-sweep.XXXXXX)"
readonly work
trap 'rm -rf "$work"' EXIT

# Expands "1-10,220" into one seed per line.
expand() {
    local part
    IFS=',' read -ra parts <<<"$1"
    for part in "${parts[@]}"; do
        if [[ $part =~ ^([0-9]+)-([0-9]+)$ ]]; then seq "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
        elif [[ $part =~ ^[0-9]+$ ]]; then echo "$part"
        else die "not a seed or range: '$part'"
        fi
    done
}
mapfile -t all < <(expand "$seeds")
(( ${#all[@]} > 0 )) || die "no seeds"

dotnet build "$project" -c Release --nologo -v q >"$work/build.log" 2>&1 || { cat "$work/build.log"; die "build failed"; }

started=$SECONDS
pids=()
for (( j = 0; j < jobs; j++ )); do
    share=()
    for (( i = j; i < ${#all[@]}; i += jobs )); do share+=("${all[i]}"); done
    (( ${#share[@]} > 0 )) || continue
    list="$(IFS=','; echo "${share[*]}")"
    SHARPSWAN_LOSSY_SEEDS="$list" dotnet test "$project" --no-build -c Release --nologo --filter "$filter" \
        --logger "trx;LogFileName=part$j.trx" --results-directory "$work" >"$work/part$j.log" 2>&1 &
    pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

python3 - "$work" "${#all[@]}" "$(( SECONDS - started ))" "$seeds" <<'PY'
import glob, html, re, sys
work, expected, seconds, spec = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
results = {}
for trx in glob.glob(f"{work}/*.trx"):
    text = open(trx, encoding="utf-8").read()
    for m in re.finditer(r'<UnitTestResult [^>]*?testName="([^"]*)"[^>]*?outcome="(\w+)"[^>]*?>(.*?)</UnitTestResult>', text, re.S):
        name, outcome, body = html.unescape(m.group(1)), m.group(2), html.unescape(m.group(3))
        seed = int(re.search(r"seed: (\d+)", name).group(1))
        longest = re.search(r"longest redundant SA ([0-9.]+) s", body)
        if longest:
            detail = f"longest redundant SA {float(longest.group(1)):7.3f} s"
        else:
            spans = [float(s) for s in re.findall(r"\(([0-9.]+) s, settle time", body)]
            first = re.search(r"<Message>(.*?)</Message>", body, re.S)
            reason = first.group(1).strip().splitlines()[-1].strip() if first else "no message"
            detail = f"longest redundant SA {max(spans):7.3f} s (over the settle time)" if spans else reason[:160]
        results[seed] = (outcome, detail)
for seed in sorted(results):
    outcome, detail = results[seed]
    print(f"seed {seed:5d}  {'pass' if outcome == 'Passed' else 'FAIL'}  {detail}")
failed = sorted(s for s, (o, _) in results.items() if o != "Passed")
durations = [float(re.search(r"([0-9.]+) s", d).group(1)) for _, d in results.values() if re.search(r"([0-9.]+) s", d)]
print(f"lossy-sweep {spec}: {len(results)} of {expected} seeds ran, {len(results) - len(failed)} passed, {len(failed)} failed"
      + (f" ({', '.join(map(str, failed))})" if failed else "")
      + (f"; longest redundant SA {max(durations):.3f} s, median {sorted(durations)[len(durations) // 2]:.3f} s" if durations else "")
      + f"; {seconds} s")
sys.exit(0 if not failed and len(results) == expected else 1)
PY
