#!/usr/bin/env python3
"""Damaged copies of real PDFs, built one at a time: what a bad USB stick, a half-finished
download or a flaky scanner leaves. Each source file gets mutants with flipped bits, a cut end, a
zeroed range and a repeated range (made in a scratch folder, never kept); each is built alone, and
the script counts panics, hangs, clean refusals, and binders written — every written binder must
pass `qpdf --check` unless the build named the damaged file.

    python3 bench/mutants.py [--dossier target/release/dossier] [--per-kind 2] [--seed 7] FILE_OR_DIR...

With no paths: samples/, ../shared/cases/tiny/ and ../shared/realworld/ (PDFs up to 3 MB).
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DIRS = [REPO / "samples", Path("/work/shared/cases/tiny"), Path("/work/shared/realworld")]
TIMEOUT = 120


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    b = bytearray(data)
    n = len(b)
    # Damage lands after the header, where a file's objects are.
    lo = min(n - 1, 16)
    if kind == "flip":
        for _ in range(rng.choice([1, 3, 8])):
            at = rng.randrange(lo, n)
            b[at] ^= 1 << rng.randrange(8)
    elif kind == "cut":
        b = b[: rng.randrange(max(lo, n // 10), n - 1)]
    elif kind == "zero":
        length = rng.choice([16, 256, 4096])
        at = rng.randrange(lo, max(lo + 1, n - length))
        b[at : at + length] = bytes(min(length, n - at))
    elif kind == "repeat":
        length = rng.choice([64, 1024, 8192])
        at = rng.randrange(lo, max(lo + 1, n - length))
        b[at:at] = b[at : at + length]
    return bytes(b)


def qpdf_clean(pdf: Path) -> bool:
    r = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True)
    return r.returncode == 0


def build(dossier: Path, work: Path, name: str, data: bytes):
    """(outcome, named, qpdf_ok) for one file built alone."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / name).write_bytes(data)
    d = {"title": "损坏测试", "parts": [{"title": "第一部分", "evidence": [{"title": "材料", "files": [name]}]}]}
    (work / "dossier.json").write_text(json.dumps(d, ensure_ascii=False))
    try:
        r = subprocess.run(
            [str(dossier), "build", "-o", "out.pdf"],
            cwd=work,
            capture_output=True,
            timeout=TIMEOUT,
            env={"DOSSIER_LANG": "en", "PATH": "/usr/bin:/bin"},
        )
    except subprocess.TimeoutExpired:
        return "hang", False, None
    err = r.stderr.decode("utf-8", "replace")
    named = name in err
    if r.returncode == 101 or "panicked" in err or "internal error" in err:
        return "panic", named, None
    if r.returncode != 0:
        return "refused", named, None
    return "written", named, qpdf_clean(work / "out.pdf")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--dossier", type=Path, default=REPO / "target/release/dossier")
    ap.add_argument("--per-kind", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--max-bytes", type=int, default=3 << 20)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    files = []
    for p in a.paths or DEFAULT_DIRS:
        files += [p] if p.is_file() else sorted(p.rglob("*.pdf"))
    files = [f for f in files if f.stat().st_size <= a.max_bytes]
    scratch = Path(tempfile.mkdtemp(prefix="dossier-mutants-"))
    tally = {}
    bad = []
    originals_unclean = 0
    for f in files:
        data = f.read_bytes()
        # A file qpdf already finds fault with, or that is refused whole, says nothing about damage.
        outcome, _, ok = build(a.dossier, scratch / "w", "original.pdf", data)
        if outcome != "written" or not ok:
            originals_unclean += 1
            continue
        for kind in ["flip", "cut", "zero", "repeat"]:
            for k in range(a.per_kind):
                name = f"mutant-{kind}-{k}.pdf"
                outcome, named, ok = build(a.dossier, scratch / "w", name, mutate(data, kind, rng))
                key = outcome
                if outcome == "written":
                    key = "written, qpdf clean" if ok else ("written, unclean, named" if named else "written, unclean, SILENT")
                    if named and ok:
                        key = "written with a warning, qpdf clean"
                if outcome == "refused":
                    key = "refused, named" if named else "refused, not named"
                tally[key] = tally.get(key, 0) + 1
                if key in ("panic", "hang", "written, unclean, SILENT", "refused, not named"):
                    bad.append((str(f), kind, k, key))
                    keep = scratch / "kept" / f"{len(bad)}-{name}"
                    keep.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(scratch / "w" / name, keep)
    total = sum(tally.values())
    print(f"{len(files)} files ({originals_unclean} skipped: refused or not qpdf-clean as they are), {total} mutants")
    for k, v in sorted(tally.items()):
        print(f"  {k}: {v}")
    for b in bad:
        print("  !", *b)
    if bad:
        print(f"kept in {scratch / 'kept'}")
    else:
        shutil.rmtree(scratch)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
