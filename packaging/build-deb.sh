#!/usr/bin/env bash
# Builds the Debian package: dotnet publish (self-contained, linux-x64) and dpkg-deb. Needs the .NET SDK of
# global.json, dpkg-deb and network access to NuGet only (the runtime packs); nothing else is downloaded.
#
#   packaging/build-deb.sh [OUTPUT_DIR]      default: artifacts/package
#
# Prints the path of the .deb on its last line. SHARPSWAN_VERSION overrides the version (default: the project's
# <Version> for a tagged commit v<Version>, else <Version>~git<date>.<commit>). SHARPSWAN_DEB_COMPRESSION picks
# dpkg-deb's compressor (default xz; the tests use gzip, several times faster on a loaded machine, same contents).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="$(mkdir -p "${1:-$root/artifacts/package}" && cd "${1:-$root/artifacts/package}" && pwd)"
project="$root/src/SharpSwan/SharpSwan.csproj"

die() { printf 'build-deb.sh: %s\n' "$*" >&2; exit 1; }
command -v dotnet >/dev/null || die "dotnet is not installed (the .NET 10 SDK is needed; see README, Prerequisites)"
command -v dpkg-deb >/dev/null || die "dpkg-deb is not installed (apt-get install dpkg)"

version() {
    local base described
    base="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$project" | head -n 1)"
    [[ -n $base ]] || die "no <Version> in $project"
    if described="$(git -C "$root" describe --tags --exact-match 2>/dev/null)" && [[ $described == "v$base" ]]; then
        printf '%s\n' "$base"
    elif described="$(git -C "$root" log -1 --format='%cd.%h' --date=format:%Y%m%d 2>/dev/null)"; then
        printf '%s~git%s\n' "$base" "$described"
    else
        printf '%s\n' "$base"
    fi
}

readonly VERSION="${SHARPSWAN_VERSION:-$(version)}"
stage="$(mktemp -d "${TMPDIR:-/tmp}/sharpswan-deb.XXXXXX")"
chmod 0755 "$stage"
trap 'rm -rf "$stage"' EXIT

# Its own artifacts path: the package build never touches the obj/bin of a checkout build or a running test.
dotnet publish "$project" -c Release -r linux-x64 --self-contained true --nologo -v q \
    --artifacts-path "$root/artifacts/package-build" \
    -p:SharpSwanPackageVersion="$VERSION" -p:DebugType=none \
    -o "$stage/usr/lib/sharpswan" >&2

install -d -m 0755 "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/usr/share/doc/sharpswan" "$stage/DEBIAN"
install -d -m 0750 "$stage/etc/sharpswan" "$stage/var/lib/sharpswan"
ln -s ../lib/sharpswan/sharpswan "$stage/usr/bin/sharpswan"
install -m 0600 "$root/packaging/sharpswan.conf" "$stage/etc/sharpswan/sharpswan.conf"
install -m 0644 "$root/packaging/sharpswan.service" "$stage/lib/systemd/system/sharpswan.service"
install -m 0644 "$root/README.md" "$stage/usr/share/doc/sharpswan/README.md"
find "$stage/usr/lib/sharpswan" -type d -exec chmod 0755 {} +
find "$stage/usr/lib/sharpswan" -type f -exec chmod 0644 {} +
chmod 0755 "$stage/usr/lib/sharpswan/sharpswan"
for script in postinst prerm postrm; do
    install -m 0755 "$root/packaging/debian/$script" "$stage/DEBIAN/$script"
done
install -m 0644 "$root/packaging/debian/conffiles" "$stage/DEBIAN/conffiles"
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@INSTALLED_SIZE@/$size/" "$root/packaging/debian/control.in" > "$stage/DEBIAN/control"

deb="$out/sharpswan_${VERSION}_amd64.deb"
# Built under a temporary name, so an interrupted build never leaves a truncated package behind.
dpkg-deb --root-owner-group -Z"${SHARPSWAN_DEB_COMPRESSION:-xz}" --build "$stage" "$deb.partial" >&2
mv -f "$deb.partial" "$deb"
printf '%s\n' "$deb"
