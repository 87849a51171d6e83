#!/usr/bin/env bash
# Regenerates samples/evidence/ (the files that dossier.json refers to).
# Run from the repository root:  bash samples/make.sh
# Needs: soffice (LibreOffice), ImageMagick convert, exiftool, qpdf,
#        gs (Ghostscript), img2pdf, python3 with python-docx and Pillow.
set -euo pipefail

cd "$(dirname "$0")"
for t in soffice convert exiftool qpdf gs img2pdf python3; do
  command -v "$t" >/dev/null || { echo "make.sh: '$t' is needed but not installed" >&2; exit 1; }
done
python3 -c 'import docx, PIL' || { echo "make.sh: python-docx and Pillow are needed" >&2; exit 1; }

OUT=evidence
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT"/{2021,2022,2023,2024}/photos "$TMP/pdf"

# 1. Pictures: photos, screenshots, certificate and scan pages.
python3 make_samples.py images "$TMP" "$OUT"

# 2. Word documents: .docx evidence files, and the sources of the PDFs below.
python3 make_samples.py docs "$TMP" "$OUT"

# 3. LibreOffice exports the documents to PDF.
soffice --headless -env:UserInstallation="file://$TMP/lo-profile" \
  --convert-to pdf --outdir "$TMP/pdf" "$TMP"/docx/*.docx >/dev/null
while IFS=$'\t' read -r key dest; do
  mv "$TMP/pdf/$key.pdf" "$OUT/$dest"
done < "$TMP/lo.tsv"

# 3a. The course table: its landscape page 2 printed onto portrait A4 by
#     Ghostscript (content turned sideways), then turned back for viewing
#     with /Rotate 90 on that page.
f="$OUT/2024/“1+X”书证融通课程对照表.pdf"
gs -q -o "$TMP/fit.pdf" -sDEVICE=pdfwrite -dAutoRotatePages=/None \
  -sPAPERSIZE=a4 -dFIXEDMEDIA -dPDFFitPage "$f"
qpdf "$TMP/fit.pdf" --rotate=+90:2 "$f"

# 3b. The summary report rewritten with object streams (PDF 1.5 xref stream).
f="$OUT/2024/与香港职业训练局合作经验总结报告.pdf"
qpdf --object-streams=generate "$f" "$TMP/objstm.pdf"
mv "$TMP/objstm.pdf" "$f"

# 4. Phone photos: EXIF written by exiftool (pixels were stored turned).
photo() {  # file orientation date
  exiftool -q -overwrite_original -n -Orientation="$2" -Make=HUAWEI -Model=ELS-AN00 \
    -DateTimeOriginal="$3" -CreateDate="$3" "$1"
}
photo "$OUT/2021/photos/IMG_20210412_103522.jpg"        1 "2021:04:12 10:35:22"
photo "$OUT/2022/photos/IMG_20221109_143015.jpg"        6 "2022:11:09 14:30:15"
photo "$OUT/2022/photos/IMG_20221109_151240.jpg"        8 "2022:11:09 15:12:40"
photo "$OUT/2022/photos/IMG_20221216 交流研讨会.jpg"    1 "2022:12:16 10:08:31"
photo "$OUT/2023/photos/IMG_20230710_091844.jpg"        1 "2023:07:10 09:18:44"
photo "$OUT/2023/photos/IMG_20230713_青衣分校参观.jpg"  6 "2023:07:13 10:26:03"
# (the 2024 photo keeps no EXIF at all, as after a chat app re-save)

# 5. Certificates: a multi-page bilevel TIFF with CCITT Group 4 compression.
convert "$TMP"/img/cert-{1,2,3,4,5,6}.png -threshold 60% -monochrome \
  -compress Group4 -units PixelsPerInch -density 200 "$OUT/2023/研修结业证书 扫描.tif"

# 6. Scans: image-only PDFs made from JPEG pages by img2pdf.
img2pdf -o "$OUT/2021/扫描件 领导小组成立会议签到表及纪要.pdf" \
  "$TMP/img/signin-1.jpg" "$TMP/img/signin-2.jpg"
img2pdf -o "$TMP/schedule.pdf" "$TMP/img/schedule-1.jpg" "$TMP/img/schedule-2.jpg"
# page 1 was fed sideways: the viewer turns it upright by /Rotate 90
qpdf "$TMP/schedule.pdf" --rotate=+90:1 "$OUT/2023/香港研修培训官方课程 扫描.pdf"
img2pdf -o "$OUT/2023/赴香港交流进修 录取通知书 扫描.pdf" "$TMP/img/offer-1.jpg"

echo "samples/evidence: $(find "$OUT" -type f | wc -l) files, $(du -sh "$OUT" | cut -f1)"
