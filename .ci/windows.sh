#!/usr/bin/env bash
# The Windows build: cross-compile dossier.exe and run a smoke suite under Wine. Each assertion
# prints one line; the last line is "N passed, M failed", and the exit status is non-zero when
# any failed. Needs gcc-mingw-w64-x86-64, wine64 and the Rust target x86_64-pc-windows-gnu.
#
# The Windows build's files stay in target/x86_64-pc-windows-gnu (and the Wine prefix in
# target/wine), so a second run rebuilds only what changed.
set -uo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
triple=x86_64-pc-windows-gnu

export WINEDEBUG=-all
export WINEPREFIX="$repo/target/wine/prefix"
# No Mono or Gecko installer dialogs on the first start; nothing here needs them.
export WINEDLLOVERRIDES="mscoree,mshtml="
# Wine takes file names' encoding from the locale: without UTF-8, Chinese names are lost.
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset DISPLAY WAYLAND_DISPLAY DOSSIER_LANG
wine="$(command -v wine || command -v wine64 || echo /usr/lib/wine/wine64)"
wineserver="$(command -v wineserver || echo /usr/lib/wine/wineserver)"

started=$SECONDS
# DOSSIER_EXE runs the suite on another dossier.exe (a release candidate, an older build).
if [ -z "${DOSSIER_EXE:-}" ]; then
  echo "== cross-building dossier.exe"
  cargo build --release --target "$triple" -q || exit 1
fi
cargo build --release -q || exit 1
build_secs=$((SECONDS - started))
exe="$(realpath "${DOSSIER_EXE:-$repo/target/$triple/release/dossier.exe}")"
linux="$repo/target/release/dossier"

helpers="$repo/target/wine/helpers"
mkdir -p "$helpers"
for h in holdfile hang viewer; do
  x86_64-w64-mingw32-gcc -O2 -municode -o "$helpers/$h.exe" ".ci/wine/$h.c" || exit 1
done
x86_64-w64-mingw32-gcc -shared -O2 -o "$helpers/bcryptprimitives.dll" \
  .ci/wine/bcryptprimitives.c .ci/wine/bcryptprimitives.def || exit 1

smoke_started=$SECONDS
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "== making the Wine prefix"
  mkdir -p "$WINEPREFIX"
  timeout 300 "$wine" wineboot -i >/dev/null 2>&1 || { echo "wineboot failed or took over 5 minutes"; exit 1; }
  timeout 60 "$wineserver" -w || true
fi
windows="$WINEPREFIX/drive_c/windows"
# Rust programs import ProcessPrng, which Wine 8.0 lacks (rust-lang/rust#121337); Windows 10 and
# 11 have it. The stand-in answers it from RtlGenRandom.
cp "$helpers/bcryptprimitives.dll" "$windows/system32/"
rm -f "$windows"/Fonts/{simfang,simkai,simhei,FZFSK}.ttf "$windows"/Fonts/{FZFSK,FZKTK,FZHTK}.TTF

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok    $1"; }
bad() {
  failed=$((failed + 1))
  echo "FAIL  $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 15 | sed 's/^/      /'
  return 0
}
check() { # check NAME DETAIL COMMAND...: passes when COMMAND succeeds
  local name="$1" detail="$2"
  shift 2
  if "$@"; then ok "$name"; else bad "$name" "$detail"; fi
}
win() { "$wine" "$exe" "$@"; }
contains() { grep -qF -- "$2" <<<"$1"; }
no_leftovers() { [ -z "$(find "$1" -maxdepth 1 \( -name '*.partial' -o -name '*.old' \))" ]; }
sums() { sha256sum "$@" 2>&1; }

work="$repo/target/wine/smoke"
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

# --version
out="$(win --version 2>&1)"
check "--version prints the version" "$out" contains "$out" "dossier $(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -1)"

# init: a tree with Chinese names and spaces, named with backslashes, gives the same dossier.json
# as on Linux.
for side in linux win; do
  t="$work/$side/2024 佐证材料"
  mkdir -p "$t/第一部分 建设概况/一、领导小组" "$t/第一部分 建设概况/二、合作方案" "$t/第二部分 成效"
  cp "$repo/samples/evidence/2021/关于成立外事工作领导小组及办公室的通知.pdf" "$t/第一部分 建设概况/一、领导小组/"
  cp "$repo/samples/evidence/2022/香港职业教育专家讲座方案.pdf" "$t/第一部分 建设概况/二、合作方案/工作 方案.pdf"
  cp "$repo/samples/evidence/2022/photos/IMG_20221109_143015.jpg" "$t/第二部分 成效/讲座 照片.jpg"
done
(cd linux && "$linux" init "2024 佐证材料" >/dev/null 2>&1)
out="$(cd win && win init '.\2024 佐证材料' 2>&1)"
check "init on a folder named with backslashes writes dossier.json" "$out" test -f "win/2024 佐证材料/dossier.json"
check "init writes the same dossier.json as on Linux" \
  "$(diff "linux/2024 佐证材料/dossier.json" "win/2024 佐证材料/dossier.json" 2>&1)" \
  cmp -s "linux/2024 佐证材料/dossier.json" "win/2024 佐证材料/dossier.json"

# check, in Chinese, through a pipe
out="$(cd win && win check --lang zh '2024 佐证材料\dossier.json' 2>&1)"
check "check passes and says so in Chinese" "$out" contains "$out" "检查通过"

# The sample without its Word files builds the same binder, byte for byte, as on Linux. Fonts are
# named so neither side picks up an installed one.
mkdir -p sample
cp -r "$repo/samples" sample/
cp /usr/share/fonts/truetype/arphic/ukai.ttc sample/kai.ttc
python3 - "$repo/dossier.json" sample/dossier.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
def strip(node):
    for e in node.get("evidence", []):
        e["files"] = [f for f in e["files"] if not (f if isinstance(f, str) else f["path"]).endswith(".docx")]
    node["evidence"] = [e for e in node.get("evidence", []) if e["files"]]
    for s in node.get("sections", []):
        strip(s)
for p in d["parts"]:
    strip(p)
d.setdefault("style", {}).update({"font": "宋体", "kai_font": "kai.ttc"})
d["output"] = "build/binder.pdf"
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False, indent=2)
EOF
(cd sample && "$linux" build -q -o linux/binder.pdf >/dev/null 2>&1)
out="$(cd sample && win build -q 2>&1)"
check "build of the sample succeeds" "$out" test -f sample/build/binder.pdf
check "the binder is byte for byte the Linux one" "$(cmp sample/linux/binder.pdf sample/build/binder.pdf 2>&1)" \
  cmp -s sample/linux/binder.pdf sample/build/binder.pdf
check "the manifests are the Linux ones" "$(diff sample/linux/binder.manifest.csv sample/build/binder.manifest.csv 2>&1)" \
  cmp -s sample/linux/binder.manifest.csv sample/build/binder.manifest.csv

# status
out="$(cd sample && win status --lang zh 2>&1)"
want="$(cd sample && "$linux" status --lang zh 2>&1)"
check "status says what it says on Linux" "$(diff <(echo "$want") <(echo "$out"))" test "$out" = "$want"

# A second build keeps the first manifest as the previous one; then the files are locked.
(cd sample && win build -q >/dev/null 2>&1)
files=(sample/build/binder.pdf sample/build/binder.manifest.json sample/build/binder.manifest.csv sample/build/binder.manifest.previous.json)
before="$(sums "${files[@]}")"
sed -i 's/"9.2 搭建香港职业教育合作交流平台"/"9.2 搭建香港职业教育合作交流平台（修订）"/' sample/dossier.json
hold() { # hold FILE: a program holds FILE open with no sharing until release is called
  rm -f "$work/held"
  "$wine" "$helpers/holdfile.exe" "$1" "$work/held" &
  holder=$!
  for _ in $(seq 100); do [ -f "$work/held" ] && return 0; sleep 0.1; done
  return 1
}
release() { rm -f "$work/held"; wait "$holder" 2>/dev/null; }

for locked in pdf csv; do
  case $locked in
    pdf) target=sample/build/binder.pdf want_hint="PDF 阅读器" ;;
    csv) target=sample/build/binder.manifest.csv want_hint="Excel" ;;
  esac
  if ! hold "$target"; then
    bad "a program holds the $locked open" "holdfile did not start"
    continue
  fi
  out="$(cd sample && win build --lang zh 2>&1)"
  code=$?
  json="$(cd sample && win build --json --lang zh 2>/dev/null)"
  release
  said="$(python3 -c 'import json,sys; d=json.load(sys.stdin)["diagnostics"][0]; print(d["file"], d["hint"])' <<<"$json" 2>&1)"
  check "a locked $locked: --json names it and gives the hint" "$said" \
    bash -c 'grep -qF "$2" <<<"$1" && grep -qF "$3" <<<"$1"' _ "$said" "build/$(basename "$target")" "$want_hint"
  check "a locked $locked: the build fails" "$out" test "$code" = 1
  check "a locked $locked: the message names it" "$out" contains "$out" "$(basename "$target")"
  check "a locked $locked: the hint is in Chinese and says what to close" "$out" contains "$out" "$want_hint"
  check "a locked $locked: every previous file is intact" "$(diff <(echo "$before") <(sums "${files[@]}"))" \
    test "$before" = "$(sums "${files[@]}")"
  check "a locked $locked: nothing partial is left" "$(ls -a sample/build)" no_leftovers sample/build
done
out="$(cd sample && win build -q 2>&1)"
check "once closed, the build goes through" "$out" test "$(sums "${files[0]}")" != "$(echo "$before" | head -1)"

# A converter that hangs: after DOSSIER_CONVERT_TIMEOUT it and the process it started are gone.
mkdir -p hang/beats
cp "$repo/samples/evidence/2021/合作办学教学团队 名单.docx" hang/名单.docx
echo '{"title":"转换超时","parts":[{"title":"第一部分","evidence":[{"title":"名单","files":["名单.docx"]}]}]}' >hang/dossier.json
# Into a file, not a pipe: a surviving child would hold a pipe open and stall the suite.
(cd hang && DOSSIER_SOFFICE="$helpers/hang.exe" DOSSIER_CONVERT_TIMEOUT=3 HANG_DIR=beats \
  timeout 120 "$wine" "$exe" build --no-cache >out.txt 2>&1)
out="$(cat hang/out.txt)"
check "a hanging converter: the build fails saying so" "$out" contains "$out" "did not finish within 3 s"
beat() { cat "hang/beats/hang-$1.beat" 2>/dev/null; }
check "a hanging converter: its child had started" "$(ls hang/beats)" test -n "$(beat child)"
b1="$(beat parent) $(beat child)"
sleep 2
b2="$(beat parent) $(beat child)"
check "a hanging converter: it and its child are gone" "heartbeats went on: $b1 -> $b2" test "$b1" = "$b2"
# What survived (only when that failed) goes with this prefix's Wine server.
[ "$b1" = "$b2" ] || "$wineserver" -k 2>/dev/null

# Messages in Chinese, and --json paths in one form.
mkdir -p msgs/sub
echo '{"title":"缺文件","parts":[{"title":"第一部分","evidence":[{"title":"通知","files":["evidence\\缺少的 通知.pdf"]}]}]}' \
  >msgs/sub/dossier.json
out="$(cd msgs && win check --lang zh 'sub\dossier.json' 2>&1)"
check "--lang zh: the problem and its hint are in Chinese" "$out" \
  bash -c 'grep -qF "文件不存在" <<<"$1" && grep -qF "处理办法" <<<"$1" && grep -qF "缺少的 通知.pdf" <<<"$1"' _ "$out"
out="$(cd msgs && win check --json 'sub\dossier.json' 2>/dev/null)"
file="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["diagnostics"][0]["file"])' <<<"$out" 2>&1)"
check "--json gives paths with forward slashes" "$file" test "$file" = "sub/evidence/缺少的 通知.pdf"

# Fonts from C:\Windows\Fonts (Linux fonts under Windows' names): 仿宋 for the body, 楷体 for
# second-level headings, 黑体 when named; a 方正 font installed for the user beats simfang.
fonts_of() { pdffonts "$1" 2>/dev/null | awk 'NR > 2 { print $1 }'; }
mkdir -p fonts
cat >fonts/dossier.json <<'EOF'
{"title":"字体","style":{"heading_font":"黑体"},"parts":[{"title":"第一部分","sections":[{"title":"一、第一级",
 "sections":[{"title":"1.第二级","text":["正文段落。"]}]}]}]}
EOF
cp /usr/share/fonts/truetype/arphic/ukai.ttc "$windows/Fonts/simfang.ttf"
cp /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc "$windows/Fonts/simkai.ttf"
cp /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc "$windows/Fonts/simhei.ttf"
out="$(cd fonts && win build -q -o a.pdf 2>&1)"
used="$(fonts_of fonts/a.pdf)"
check "fonts: simfang.ttf sets the body" "$out$used" contains "$used" "UKaiCN"
check "fonts: simkai.ttf sets second-level headings" "$used" contains "$used" "NotoSansCJKjp-Regular"
check "fonts: \"黑体\" is simhei.ttf" "$used" contains "$used" "NotoSansCJKjp-Bold"
local_appdata="$(find "$WINEPREFIX/drive_c/users" -mindepth 3 -maxdepth 3 -path '*/AppData/Local' ! -path '*/Public/*' | head -1)"
userfonts="$local_appdata/Microsoft/Windows/Fonts"
mkdir -p "$userfonts"
cp /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc "$userfonts/FZFSK.TTF"
out="$(cd fonts && win build -q -o b.pdf 2>&1)"
used="$(fonts_of fonts/b.pdf)"
check "fonts: a 方正仿宋 installed for the user comes before simfang" "$out$used" contains "$used" "NotoSerifCJKjp-Regular"
rm -f "$userfonts/FZFSK.TTF" "$windows"/Fonts/{simfang,simkai,simhei}.ttf

# A double-click: no arguments. Without dossier.json it asks and makes one on Enter; with one it
# opens the editing page in the browser (the stand-in writes the address to viewer.txt) and
# serves it until the window closes; when nothing can be opened it waits for Enter.
# The page as a browser fetches it: the token is traded for a cookie on a redirect.
fetch_page() {
  python3 - "$1" <<'PY'
import sys, urllib.request, http.cookiejar
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
try:
    with opener.open(sys.argv[1], timeout=20) as r:
        print(r.status, r.read().decode("utf-8", "replace")[:200])
except Exception as e:
    print("error", e)
PY
}
# Starts dossier.exe with no arguments in click/, Enter typed when $1 is "enter"; waits for the
# browser to be asked (or the program to end), fetches the page, stops the program.
double_click() {
  rm -f click/viewer.txt "$work/console.txt"
  local input=/dev/null
  [ "$1" = enter ] && input="$work/enter.txt" && printf '\n' >"$input"
  (cd click && DOSSIER_LANG=zh DOSSIER_BROWSER="$helpers/viewer.exe" timeout 120 "$wine" "$exe" \
    <"$input" >"$work/console.txt" 2>&1) &
  local pid=$!
  for _ in $(seq 1 600); do
    [ -s click/viewer.txt ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  # The stand-in writes UTF-8 with a byte order mark, as Windows programs do.
  page="$( [ -s click/viewer.txt ] && fetch_page "$(head -1 click/viewer.txt | sed 's/^\xEF\xBB\xBF//' | tr -d '\r')")"
  # The server runs until its window closes: end every Wine process, as closing the window does.
  "$wineserver" -k 2>/dev/null; wait "$pid" 2>/dev/null
  out="$(cat "$work/console.txt")"
}
mkdir -p click
cp -r "win/2024 佐证材料/第一部分 建设概况" click/
double_click closed
check "double-click without dossier.json: asks in Chinese, writes nothing without Enter" "$out" \
  bash -c 'grep -qF "还没有 dossier.json" <<<"$1" && ! test -f click/dossier.json' _ "$out"
double_click enter
check "double-click: makes dossier.json on Enter" "$out" test -f click/dossier.json
check "double-click: then opens the editing page in the browser" "$out$page" \
  bash -c 'grep -q "^200 " <<<"$1" && grep -qF "编辑页面" <<<"$2"' _ "$page" "$out"
double_click closed
check "double-click with dossier.json: opens the editing page, saying how to stop" "$out$page" \
  bash -c 'grep -q "^200 " <<<"$1" && grep -qF "Ctrl+C" <<<"$2" && grep -qF "关闭这个窗口" <<<"$2"' _ "$page" "$out"
mkdir -p empty
out="$(cd empty && printf '\n' | DOSSIER_LANG=zh timeout 120 "$wine" "$exe" 2>&1)"
code=$?
check "double-click with nothing to open: says why and waits for Enter" "$out" \
  bash -c 'test "$2" = 1 && grep -qF "没有找到文件夹" <<<"$1" && grep -qF "按回车键关闭" <<<"$1"' _ "$out" "$code"

cd "$repo" || exit 1
"$wineserver" -k 2>/dev/null
echo "cross-build: ${build_secs} s; Wine smoke suite: $((SECONDS - smoke_started)) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
