#!/usr/bin/env python3
"""Count the lines a typesetter would not let through in a built binder's 目录 and narrative headings.

    short_lines.py BINDER.pdf [-v]

Reads BINDER.manifest.csv beside the PDF to know which pages are the 目录 and which are narrative pages, then
prints three figures:
  - 目录 lines whose title text holds one or two characters (leaders and page number aside);
  - heading lines on narrative pages holding one or two characters;
  - narrative pages whose last line is a heading (a heading left alone at the foot of a page).
Characters are letters, digits and CJK ideographs: punctuation does not make a line long enough.
Needs PyMuPDF.
"""
import csv, sys
from pathlib import Path

import pymupdf

BODY_FONT = "NotoSerifCJKsc-Regular"


def visual_lines(page):
    """(baseline, x0, text, fonts, size) per visual line, top to bottom, page numbers left out. A line
    set heavier with a stroke (deep headings in the body face) has "+stroke" among its fonts."""
    stroked = [t["bbox"][3] for t in page.get_texttrace() if t["type"] != 0]
    rows = {}
    for b in page.get_text("dict")["blocks"]:
        for l in b.get("lines", []):
            for s in l["spans"]:
                y = round(s["origin"][1], 0)
                rows.setdefault(y, []).append(s)
    out = []
    for y in sorted(rows):
        spans = sorted(rows[y], key=lambda s: s["origin"][0])
        text = "".join(s["text"] for s in spans)
        if text.strip().startswith("—") and text.strip().endswith("—"):
            continue  # the page number
        fonts = {s["font"] for s in spans}
        if any(abs(s["bbox"][3] - b) < 2 for s in spans for b in stroked):
            fonts.add("+stroke")
        out.append((y, spans[0]["origin"][0], text, fonts, max(s["size"] for s in spans)))
    return out


def chars(text):
    return sum(c.isalnum() for c in text)


def main():
    pdf = Path(sys.argv[1])
    verbose = "-v" in sys.argv
    manifest = pdf.with_suffix(".manifest.csv")
    rows = list(csv.DictReader(open(manifest, encoding="utf-8-sig")))
    contents = [int(r["page"]) - 1 for r in rows if r["entry"] == "目录"]
    narrative = [int(r["page"]) - 1 for r in rows if r["entry"] not in ("", "目录") and not r["file"]]
    doc = pymupdf.open(pdf)
    toc_short, head_short, alone, toc_lines, head_lines = [], [], [], 0, 0
    for p in contents:
        for y, x, text, fonts, size in visual_lines(doc[p]):
            if size > 15:
                continue  # the 目录 title
            toc_lines += 1
            title = text.rstrip().rstrip("0123456789").rstrip().rstrip(".").rstrip()
            if chars(title) <= 2:
                toc_short.append((p + 1, text))
    for p in narrative:
        lines = visual_lines(doc[p])
        for y, x, text, fonts, size in lines:
            if fonts != {BODY_FONT} or size > 17:
                head_lines += 1
                if chars(text) <= 2:
                    head_short.append((p + 1, text))
        if lines and (lines[-1][3] != {BODY_FONT} or lines[-1][4] > 17) and p + 1 in narrative:
            alone.append((p + 1, lines[-1][2]))
    print("%s: 目录 %d pages, %d lines, %d of one or two characters; headings %d lines, %d of one or two "
          "characters; %d headings alone at the foot of a page" % (pdf.name, len(contents), toc_lines, len(toc_short),
                                                                   head_lines, len(head_short), len(alone)))
    if verbose:
        for what, items in (("目录", toc_short), ("heading", head_short), ("alone", alone)):
            for p, t in items:
                print("  %s p%d: %s" % (what, p, t))


if __name__ == "__main__":
    main()
