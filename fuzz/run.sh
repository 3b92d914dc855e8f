#!/usr/bin/env bash
# Runs one SharpFuzz harness under AFL++ for a while and reports what it did.
#
#   fuzz/run.sh TARGET SECONDS     TARGET: ike ike-sk ikev1 esp config cli rest cert (fuzz/run.sh list)
#
# Builds fuzz/SharpSwan.Fuzz (Release), copies it to fuzz/.out/bin and instruments the SharpSwan assemblies there with
# SharpFuzz (the dotnet tool of fuzz/dotnet-tools.json) once per build, then runs afl-fuzz (Debian's afl++) from the
# harness's generated seeds plus the committed ones in fuzz/seeds/TARGET. Findings go to $SHARPSWAN_FUZZ_FINDINGS (default fuzz/.out/findings/TARGET;
# an existing directory is resumed). Ends with one line "TARGET: execs=N paths=N crashes=N hangs=N seconds=N" and
# exits 1 when AFL++ saved a crash or a hang (their files are listed), 2 when it could not run.
#   SHARPSWAN_FUZZ_NO_BUILD=1   use fuzz/.out/build as it is
#   SHARPSWAN_FUZZ_TIMEOUT_MS   per-input time limit before AFL++ calls it a hang (default 5000)
set -euo pipefail

FUZZ="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
OUT="$FUZZ/.out"
die() { printf 'fuzz/run.sh: %s\n' "$*" >&2; exit 2; }

[[ $# -ge 1 ]] || die "usage: fuzz/run.sh TARGET SECONDS | list"
command -v dotnet >/dev/null || die "dotnet is not installed"

build_and_instrument() {
    mkdir -p "$OUT"
    exec 9>"$OUT/.lock"
    flock 9   # one build and instrumentation at a time (./test.sh may start several targets)
    if [[ -z ${SHARPSWAN_FUZZ_NO_BUILD:-} ]]; then
        dotnet build "$FUZZ/SharpSwan.Fuzz/SharpSwan.Fuzz.csproj" -c Release -o "$OUT/build" --nologo -v q >"$OUT/build.log" 2>&1 \
            || { cat "$OUT/build.log" >&2; die "the harness did not build"; }
    fi
    [[ -f $OUT/build/sharpswan-fuzz.dll ]] || die "no harness in $OUT/build"
    local stamp
    stamp="$(cat "$OUT"/build/*.dll | sha256sum | cut -d' ' -f1)"
    if [[ "$(cat "$OUT/bin/.instrumented" 2>/dev/null)" != "$stamp" ]]; then
        rm -rf "$OUT/bin" && cp -a "$OUT/build" "$OUT/bin"
        (cd "$FUZZ" && dotnet tool restore >/dev/null) || die "dotnet tool restore (SharpFuzz.CommandLine) failed"
        local dll
        for dll in "$OUT"/bin/SharpSwan.*.dll; do
            (cd "$FUZZ" && dotnet tool run sharpfuzz "$dll" >/dev/null) || die "sharpfuzz could not instrument $dll"
        done
        echo "$stamp" >"$OUT/bin/.instrumented"
    fi
    flock -u 9
}

if [[ $1 == list ]]; then
    build_and_instrument
    exec dotnet "$OUT/bin/sharpswan-fuzz.dll" list
fi
[[ $# -eq 2 && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || die "usage: fuzz/run.sh TARGET SECONDS"
TARGET=$1 DURATION=$2
[[ -d $FUZZ/seeds/$TARGET ]] || die "unknown target '$TARGET' (no fuzz/seeds/$TARGET)"
command -v afl-fuzz >/dev/null || die "afl-fuzz is missing: apt-get install afl++"
build_and_instrument

# Seeds: what the harness generates (the config target reads the test corpus in place rather than keeping a copy), then
# the committed ones (regressions, hand-made inputs) over them.
SEEDS="$(mktemp -d "${TMPDIR:-/tmp}/sharpswan-seeds-$TARGET.XXXXXX")"
trap 'rm -rf "$SEEDS"' EXIT
dotnet "$OUT/build/sharpswan-fuzz.dll" seeds "$SEEDS/all" >/dev/null || die "the harness could not write its seeds"
mv "$SEEDS/all/$TARGET" "$SEEDS/in" && rm -rf "$SEEDS/all"
cp "$FUZZ/seeds/$TARGET"/* "$SEEDS/in"/

FINDINGS="${SHARPSWAN_FUZZ_FINDINGS:-$OUT/findings/$TARGET}"
mkdir -p "$(dirname "$FINDINGS")"
# dotnet is not an AFL-instrumented binary (SharpFuzz instruments the managed code); no CPU pinning on a shared machine;
# a core_pattern that pipes to a handler would otherwise make afl-fuzz refuse to start.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_AUTORESUME=1 \
       AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
started=$SECONDS
status=0
afl-fuzz -i "$SEEDS/in" -o "$FINDINGS" -V "$DURATION" -t "${SHARPSWAN_FUZZ_TIMEOUT_MS:-5000}" -m none \
    -- dotnet "$OUT/bin/sharpswan-fuzz.dll" "$TARGET" >"$FINDINGS.log" 2>&1 || status=$?

stats="$FINDINGS/default/fuzzer_stats"
if [[ ! -f $stats ]]; then
    tail -n 30 "$FINDINGS.log" >&2
    die "afl-fuzz did not run (exit $status; log $FINDINGS.log)"
fi
stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes="$(stat saved_crashes)" hangs="$(stat saved_hangs)"
echo "$TARGET: execs=$(stat execs_done) paths=$(stat corpus_count) crashes=${crashes:-0} hangs=${hangs:-0} seconds=$(( SECONDS - started ))"
if (( ${crashes:-0} > 0 || ${hangs:-0} > 0 )); then
    ls -1 "$FINDINGS"/default/crashes/id* "$FINDINGS"/default/hangs/id* 2>/dev/null
    exit 1
fi
