#!/usr/bin/env bash
# Make dossier-windows-x64.zip, the release a clerk downloads: dossier.exe, 使用说明.txt and the
# sample (dossier.json and samples/), so a first double-click builds the sample binder.
# Cross-builds the .exe (needs gcc-mingw-w64-x86-64 and the Rust target x86_64-pc-windows-gnu).
# Usage: packaging/windows-zip.sh [OUT_DIR]   (default: target/dist)
set -euo pipefail
cd "$(dirname "$0")/.."
triple=x86_64-pc-windows-gnu
out="${1:-target/dist}"
cargo build --release --target "$triple" -q
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/dossier"
mkdir -p "$root"
# Without its line tables the .exe is a fraction of the size; a clerk's crash report needs none.
x86_64-w64-mingw32-strip -o "$root/dossier.exe" "target/$triple/release/dossier.exe"
# Windows' Notepad reads UTF-8 with or without a byte-order mark; older ones need the mark, and
# CRLF line ends.
printf '\xef\xbb\xbf' >"$root/使用说明.txt"
sed 's/$/\r/' packaging/使用说明.txt >>"$root/使用说明.txt"
cp dossier.json "$root/"
mkdir -p "$root/samples"
cp -r samples/evidence "$root/samples/"
mkdir -p "$out"
zip="$(cd "$out" && pwd)/dossier-windows-x64.zip"
rm -f "$zip"
# Python's zipfile marks the Chinese names as UTF-8, which Windows' Explorer honours (Info-ZIP's
# zip is not installed on a clean machine).
(cd "$stage" && python3 - "$zip" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for base, dirs, files in os.walk("dossier"):
        dirs.sort()
        for f in sorted(files):
            z.write(os.path.join(base, f))
PY
)
echo "$zip: $(du -h "$zip" | cut -f1) ($(stat -c %s "$zip") bytes)"
