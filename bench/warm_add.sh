#!/usr/bin/env bash
# The office's everyday rebuild: one new scan added to a dossier that was built before. Times the
# first build after the addition (caches warm for everything else), several times over, each with
# a scan the cache has never seen. Compare with the peer's time for the same case from run.sh.
#
#   bench/warm_add.sh [CASE_DIR]    (default /tmp/dossier-bench/seed, made by run.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
case_dir="${1:-${BENCH_CACHE:-/tmp/dossier-bench}/seed}"
[ -f "$case_dir/dossier.json" ] || { echo "no case at $case_dir: run bench/run.sh seed first" >&2; exit 1; }
[ "${NO_BUILD:-}" = 1 ] || cargo build --release -q
bin="$PWD/target/release/dossier"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Hard links: the case's evidence is not copied, only named again.
cp -al "$case_dir" "$work/case"
cd "$work/case"
# dossier.json is edited below: a copy of its own, not a link to the case's.
rm dossier.json && cp "$case_dir/dossier.json" dossier.json
scan="$(find evidence -name '*.pdf' -size +100k | sort | head -n 1)"
"$bin" build -q -o "$work/out/binder.pdf"   # warm the caches
for i in 1 2 3; do
  # A scan no build has seen: the same pages with different bytes at the end.
  new="evidence/新增扫描件-$i.pdf"
  cp "$scan" "$new"
  printf '\n%% added %s %s\n' "$i" "$RANDOM" >> "$new"
  python3 - "$new" "$i" <<'PY'
import json, sys
d = json.load(open("dossier.json", encoding="utf-8"))
node = d["parts"][-1]
while node.get("sections"):
    node = node["sections"][-1]
node.setdefault("evidence", []).append({"title": f"新增佐证材料 {sys.argv[2]}", "files": [sys.argv[1]]})
json.dump(d, open("dossier.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
PY
  # As bench.sh does before every run of every command: the old binder is removed first. Replacing
  # it in place adds the filesystem's freeing of the old file (~0.05 s for 164 MB on ext4).
  rm -f "$work/out/binder.pdf"
  /usr/bin/time -f "rebuild after adding scan $i: %e s, peak RSS %M KB" "$bin" build -q -o "$work/out/binder.pdf"
done
