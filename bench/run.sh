#!/usr/bin/env bash
# bench/run.sh [seed|large|tiny|all]   (default: seed)
#   Builds the release binary, generates the case into a cache folder if it is not there yet, and runs the
#   side-by-side benchmark (../shared/bench/bench.sh) against the PyMuPDF peer and the two floors.
#   Env:
#     RUNS, WARMUP, SKIP_PEER, PEER_CACHE  passed through to bench.sh
#     BENCH_CACHE   where generated cases live (default /tmp/dossier-bench)
#     SEED          generator seed (default 1; other seeds are cached as <scale>-s<SEED>)
#     NO_BUILD=1    skip `cargo build --release`
#     COLD=1        measure cold builds: every run converts Word files afresh (build --no-cache)
#     DOSSIER_CMD   replace the measured command template (default:
#                   "./target/release/dossier build {dossier} -o {out}"; "none" = peer and floors only)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="$ROOT/../shared"
CACHE="${BENCH_CACHE:-/tmp/dossier-bench}"
SEED="${SEED:-1}"
DEFAULT_CMD='./target/release/dossier build {dossier} -o {out}'
[ "${COLD:-}" = 1 ] && DEFAULT_CMD='./target/release/dossier build --no-cache {dossier} -o {out}'
CMD="${DOSSIER_CMD:-$DEFAULT_CMD}"

case "${1:-seed}" in
  seed|large|tiny) SCALES=("${1:-seed}") ;;
  all) SCALES=(tiny seed large) ;;
  *) echo "usage: bench/run.sh [seed|large|tiny|all]" >&2; exit 2 ;;
esac

cd "$ROOT"
if [ "${NO_BUILD:-}" != 1 ] && [ "$CMD" != none ]; then
  cargo build --release
fi

case_dir() { # scale -> case folder (generated on first use)
  local scale="$1" dir
  if [ "$scale" = tiny ]; then echo "$SHARED/cases/tiny"; return; fi
  dir="$CACHE/$scale"; [ "$SEED" = 1 ] || dir="$CACHE/$scale-s$SEED"
  if [ ! -f "$dir/dossier.json" ]; then
    mkdir -p "$CACHE"
    rm -rf "$dir.part"
    echo "generating $scale case (seed $SEED) into $dir ..." >&2
    python3 "$ROOT/bench/make_case.py" "$dir.part" --scale "$scale" --seed "$SEED" >&2
    rm -rf "$dir"
    mv "$dir.part" "$dir"
    # dossier.json names paths relative to itself: the move keeps them valid
  fi
  echo "$dir"
}

for scale in "${SCALES[@]}"; do
  dir="$(case_dir "$scale")"
  echo "== $scale: $dir"
  # shellcheck disable=SC2086  # CMD is a command template, split on purpose
  bash "$SHARED/bench/bench.sh" "$dir" $CMD
  echo
done
