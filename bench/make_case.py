#!/usr/bin/env python3
"""Generate a benchmark case for `dossier build`.

    make_case.py OUT_DIR --scale seed|large [--seed N] [--jobs N]

Writes OUT_DIR/dossier.json, OUT_DIR/evidence/... and OUT_DIR/expected.json (the same ground-truth format as
shared/cases/tiny: every source page carries the text SRC-<fileid>-P<k>, every photo shows a red square in its
visual top-left corner and a blue one in its visual bottom-right corner).

Evidence files come from real producers:
  - LibreOffice (soffice --convert-to pdf) for born-digital PDFs, from python-docx sources, some with embedded
    photos or an A3 landscape section, post-processed by qpdf (object streams, owner password AES-256,
    /Rotate 90 on one page, linearization) or re-distilled by Ghostscript;
  - Ghostscript from PostScript for US Letter letters;
  - scans: JPEG pages (150/200/300 dpi, paper noise, skew, red stamps) wrapped by img2pdf or by Ghostscript
    (viewjpeg.ps; ImageMagick's PDF writer is disabled by the usual Debian security policy), with
    an invisible OCR-like text layer added by PyMuPDF;
  - phone photos (libjpeg through Pillow, EXIF orientations 1-8, a few CMYK or progressive), a PNG
    screenshot with alpha, G4 TIFF scans (libtiff through Pillow), python-docx DOCX files.

Everything derives from --seed: the same seed gives the same dossier.json and expected.json and byte-identical
photos, PNG, TIFF, DOCX and img2pdf scans; PDFs written by LibreOffice or Ghostscript differ only in the
timestamps and /ID those producers stamp in.
"""
import argparse, io, json, math, os, random, shutil, subprocess, sys, tempfile, time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SERIF_B = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SANS_B = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SC = 2  # Simplified Chinese face in the Noto CJK collections

# ------------------------------------------------------------------ scales
SCALES = {
    # counts of source files by kind; *_pages: total pages of that kind (distributed over the files)
    "seed": dict(photos=15, cmyk=1, png=1, tiff=1, docx=3, scans=20, scan_pages=262, gs_scans=2,
                 lo=16, lo_pages=112, lo_with_photos=4, objstm=3, enc=1, rot=1, a3=1, linear=0,
                 gs_ps=1, gs_re=1, p1_refs=8, p2_selectors=2),
    "large": dict(photos=120, cmyk=4, png=6, tiff=4, docx=20, scans=150, scan_pages=2150, gs_scans=8,
                  lo=170, lo_pages=1270, lo_with_photos=30, objstm=20, enc=3, rot=5, a3=5, linear=4,
                  gs_ps=10, gs_re=10, p1_refs=24, p2_selectors=10),
}
YEARS = [2021, 2022, 2023, 2024]
CN_NUM = "一二三四五六七八九十"

# ------------------------------------------------------------------ vocabulary
THEMES = [
    dict(title="9.2 搭建香港职业教育合作交流平台", chapter="9.提升国际及粤港澳台交流合作水平",
         tasks=[("建立与香港相关职业学校合作办学领导工作小组及教学团队", "合作办学领导工作小组"),
                ("制定与香港相关职业学校合作方案", "粤港合作办学"),
                ("邀请香港相关职业教育专家到校开展专题讲座", "香港职业教育专家专题讲座"),
                ("组织教师赴港参加技能菁英研修培训", "教师赴港研修培训"),
                ("与香港职业训练局开展深度交流合作", "与香港职业训练局交流"),
                ("开展粤港澳大湾区学生技能交流活动", "大湾区学生技能交流"),
                ("推进“1+X”书证融通合作项目", "“1+X”书证融通"),
                ("建设粤港合作交流成果展示平台", "合作交流成果展示")]),
    dict(title="4.3 建设高水平“双师型”教师队伍", chapter="4.打造高水平师资队伍",
         tasks=[("完善教师培养培训制度体系", "教师培养培训制度"),
                ("实施青年教师“青蓝工程”结对培养", "青年教师青蓝工程"),
                ("建设市级以上名师工作室", "名师工作室"),
                ("组织专业教师参加企业实践锻炼", "教师企业实践"),
                ("开展教师教学能力比赛", "教师教学能力比赛"),
                ("引进企业技术骨干担任兼职教师", "兼职教师聘任"),
                ("开展“双师型”教师认定工作", "双师型教师认定"),
                ("组织专业带头人国内外访学研修", "专业带头人访学")]),
    dict(title="2.1 深化产教融合校企合作", chapter="2.提升校企合作水平",
         tasks=[("成立校企合作理事会并完善运行机制", "校企合作理事会"),
                ("校企共建校内生产性实训基地", "生产性实训基地"),
                ("开展现代学徒制人才培养试点", "现代学徒制试点"),
                ("校企共同开发校本教材与课程资源", "校本教材开发"),
                ("联合龙头企业建设产业学院", "产业学院建设"),
                ("开展订单班人才培养", "订单班人才培养"),
                ("组织学生参加企业岗位实习", "学生岗位实习"),
                ("开展面向企业员工的社会培训", "企业员工社会培训")]),
]
SCHOOLS = ["深圳市龙岗职业技术学校", "佛山市南海区信息技术学校", "东莞市电子科技学校", "中山市第一职业技术学校"]
SENTENCES = [
    "学校高度重视{a}工作，成立专项工作小组，明确责任分工，确保各项任务落到实处。",
    "围绕{a}，学校制定了详细的实施方案和时间进度表，定期召开推进会议。",
    "本次活动共有{n}名教师和{m}名学生参加，活动取得了预期成效。",
    "通过{a}，进一步开阔了师生的视野，提升了专业建设水平和人才培养质量。",
    "各专业部结合自身实际，认真组织落实，形成了可复制、可推广的经验做法。",
    "会议强调，要以粤港澳大湾区建设为契机，深化合作交流，拓宽师生成长通道。",
    "学校与合作单位签订了合作协议，明确双方在师资、课程、实训等方面的权利和义务。",
    "活动结束后，各部门认真总结经验，针对存在的问题提出了具体的整改措施。",
    "项目实施以来，累计开展培训{n}场次，覆盖教职工{m}人次，满意度达到{p}%。",
    "请各部门于本周五前将参会人员名单报送教务处，逾期视为放弃。",
    "培训内容包括课程开发、教学设计、信息化教学能力提升和企业岗位实践等模块。",
    "学校将{a}纳入年度重点工作，统筹安排专项经费{n}万元，保障工作顺利开展。",
    "专家组对学校在{a}方面取得的成绩给予了充分肯定，并提出了进一步改进的意见。",
    "为贯彻落实上级文件精神，推动学校高质量发展，经研究决定开展{a}相关工作。",
    "全体参与人员严格遵守活动纪律，按时签到，认真记录，确保活动有序进行。",
    "下一步，学校将持续完善工作机制，扩大合作范围，不断提升{a}的质量和水平。",
    "本年度共完成建设任务{n}项，任务完成率{p}%，各项指标均达到或超过预期目标。",
    "与会人员围绕课程体系建设、实训基地共建、教师互派交流等议题进行了深入研讨。",
    "学生在各级各类技能大赛中获得一等奖{n}项、二等奖{m}项，育人成效显著。",
    "相关资料已整理归档，包括通知文件、签到表、活动照片、新闻报道和总结材料。",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟谭陆汪范金廖夏韦方邹熊秦江"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍建文辉力斌燕宇浩凯晓云振宏海鹏丹琳雪梅婷俊峰志红"
DEPTS = ["教务处", "学生处", "国际交流处", "机电部", "汽车部", "信息技术部", "财经商贸部", "艺术设计部", "招生就业处", "校企合作办"]


def cn_name(r):
    return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))


def sentence(r, act):
    return r.choice(SENTENCES).format(a=act, n=r.randrange(8, 120), m=r.randrange(20, 600), p=r.randrange(92, 101))


def paragraph(r, act, k=None):
    return "".join(sentence(r, act) for _ in range(k or r.randrange(2, 5)))


# ------------------------------------------------------------------ small helpers
_fonts = {}


def font(path, px):
    key = (path, px)
    if key not in _fonts:
        _fonts[key] = ImageFont.truetype(path, px, index=SC)
    return _fonts[key]


def file_id(prefix, seed, idx):
    return "%s%07x" % (prefix, (seed * 7919 + idx * 104729 + 0x1234567) & 0xFFFFFFF)


def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if p.returncode not in (0, 3):  # qpdf: 3 = warnings
        raise RuntimeError("%s failed (%d): %s" % (cmd[0], p.returncode, p.stderr.decode(errors="replace")[-800:]))
    return p


# per-process integer noise fields (sigma 3 and 4), cropped at random offsets: cheap and deterministic
_noise = {}


def noise_tile(sigma):
    if sigma not in _noise:
        g = np.random.default_rng(20240600 + sigma)
        _noise[sigma] = np.rint(g.standard_normal((4100, 4100), dtype=np.float32) * sigma).astype(np.int16)
    return _noise[sigma]


def noise_crop(r, h, w, sigma):
    t = noise_tile(sigma)
    oy, ox = r.randrange(0, t.shape[0] - h + 1), r.randrange(0, t.shape[1] - w + 1)
    return t[oy:oy + h, ox:ox + w]


def tint(im, rgb_gain, offset):
    """Paper tone: a per-channel linear map through a lookup table."""
    if im.mode == "RGB":
        lut = [min(255, int(v * g + offset)) for g in rgb_gain for v in range(256)]
    else:
        lut = [min(255, int(v * rgb_gain[0] + offset)) for v in range(256)]
    return im.point(lut)


def wrap_chars(text, per_line):
    return [text[i:i + per_line] for i in range(0, len(text), per_line)] or [""]


# ------------------------------------------------------------------ scans
RED = (205, 30, 35)


def stamp(d, cx, cy, R, color, lw, label, r):
    d.ellipse((cx - R, cy - R, cx + R, cy + R), outline=color, width=lw)
    # five-pointed star
    pts = []
    for i in range(10):
        ang = -math.pi / 2 + i * math.pi / 5
        rr = R * (0.28 if i % 2 == 0 else 0.11)
        pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
    d.polygon(pts, fill=color)
    # label around the upper arc, one character at a time
    f = font(SANS_B, max(8, int(R * 0.22)))
    n = len(label)
    for i, ch in enumerate(label):
        ang = math.pi + math.pi * (0.12 + 0.76 * i / max(1, n - 1))
        x, y = cx + R * 0.74 * math.cos(ang), cy + R * 0.74 * math.sin(ang)
        d.text((x, y), ch, font=f, fill=color, anchor="mm")
    d.text((cx, cy + R * 0.5), "专用章", font=font(SANS_B, max(8, int(R * 0.16))), fill=color, anchor="mm")


def scan_page(spec, k, r):
    """Draw page k (1-based) of a scanned document; returns a PIL image ready for noise."""
    dpi, color = spec["dpi"], spec["color"]
    landscape = spec["doc"] == "cert"
    a4w, a4h = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    W, H = (a4h, a4w) if landscape else (a4w, a4h)
    s = dpi / 72.0
    mode = "RGB" if color else "L"
    ink = (25, 25, 30) if color else 28
    red = RED if color else 95
    im = Image.new(mode, (W, H), (255, 255, 255) if color else 255)
    d = ImageDraw.Draw(im)
    d.text((int(30 * s), int(18 * s)), "%s-P%d" % (spec["marker"], k), font=font(SANS, int(8 * s)), fill=ink)
    ml, mt = int(72 * s), int(72 * s)
    cw = W - 2 * ml
    body_px = int(12 * s)
    per_line = max(10, cw // body_px)
    y = mt
    title, act, doc = spec["title"], spec["act"], spec["doc"]
    last = k == spec["pages"]
    if doc == "cert":
        d.rectangle((int(30 * s), int(30 * s), W - int(30 * s), H - int(30 * s)), outline=(170, 130, 40) if color else 120, width=int(6 * s))
        d.rectangle((int(42 * s), int(42 * s), W - int(42 * s), H - int(42 * s)), outline=(170, 130, 40) if color else 120, width=int(2 * s))
        d.text((W // 2, int(120 * s)), "荣 誉 证 书" if k == 1 else "证 书", font=font(SERIF_B, int(44 * s)), fill=red, anchor="mm")
        y = int(200 * s)
        d.text((int(110 * s), y), cn_name(r) + "  同志：", font=font(SERIF, int(20 * s)), fill=ink)
        y += int(50 * s)
        for ln in wrap_chars("\u3000\u3000" + sentence(r, act) + "特发此证，以资鼓励。", int((W - 220 * s) // (20 * s))):
            d.text((int(110 * s), y), ln, font=font(SERIF, int(20 * s)), fill=ink)
            y += int(34 * s)
        stamp(d, int(W - 200 * s), int(H - 140 * s), int(62 * s), red, int(4 * s), spec["org"], r)
        d.text((int(W - 330 * s), int(H - 100 * s)), "%d年%d月%d日" % (spec["year"], r.randrange(1, 13), r.randrange(1, 29)),
               font=font(SERIF, int(16 * s)), fill=ink)
        return im
    if k == 1:
        if doc == "notice":
            d.text((W // 2, y + int(20 * s)), spec["org"] + "文件", font=font(SERIF_B, int(30 * s)), fill=red, anchor="mm")
            y += int(60 * s)
            d.text((W // 2, y), "%s〔%d〕%d 号" % (spec["org"][:2] + "职", spec["year"], r.randrange(3, 90)),
                   font=font(SERIF, int(12 * s)), fill=ink, anchor="mm")
            y += int(14 * s)
            d.line((ml, y, W - ml, y), fill=red, width=int(2.5 * s))
            y += int(26 * s)
        for ln in wrap_chars(title, max(8, cw // int(18 * s))):
            d.text((W // 2, y), ln, font=font(SANS_B, int(18 * s)), fill=ink, anchor="ma")
            y += int(28 * s)
        y += int(10 * s)
    if doc == "sign":
        cols = [0.08, 0.28, 0.52, 0.76, 1.0]
        rh = int(26 * s)
        hdr = ["序号", "姓名", "部门", "签名"]
        rows = (H - mt - y) // rh - 3
        for i in range(rows):
            yy = y + i * rh
            xs = [ml + int(cw * c) for c in [0] + cols]
            d.line((ml, yy, W - ml, yy), fill=ink, width=max(1, int(s * 0.8)))
            for j in range(4):
                t = hdr[j] if i == 0 else (str((k - 1) * (rows - 1) + i), cn_name(r), r.choice(DEPTS), None)[j]
                if t:
                    d.text((xs[j] + int(6 * s), yy + int(6 * s)), t, font=font(SERIF, int(11 * s)), fill=ink)
                elif i:
                    x0 = xs[j] + int(10 * s)
                    pts = [(x0 + q * int(7 * s), yy + int(rh * (0.3 + 0.4 * r.random()))) for q in range(r.randrange(5, 11))]
                    d.line(pts, fill=(20, 30, 110) if color else 40, width=max(1, int(1.5 * s)))
        yy = y + rows * rh
        d.line((ml, yy, W - ml, yy), fill=ink, width=max(1, int(s * 0.8)))
        for c in [0] + cols:
            x = ml + int(cw * c)
            d.line((x, y, x, yy), fill=ink, width=max(1, int(s * 0.8)))
    else:
        while y < H - int(130 * s):
            if r.random() < 0.15:
                d.text((ml, y), "%s、%s" % (CN_NUM[r.randrange(0, 8)], r.choice(("工作目标", "主要内容", "组织机构", "实施步骤", "保障措施", "工作要求"))),
                       font=font(SANS_B, int(13 * s)), fill=ink)
                y += int(24 * s)
            for ln in wrap_chars("\u3000\u3000" + paragraph(r, act), per_line):
                if y > H - int(110 * s):
                    break
                d.text((ml, y), ln, font=font(SERIF, body_px), fill=ink)
                y += int(21 * s)
            y += int(6 * s)
    if last:
        d.text((int(W - ml - 170 * s), int(H - 120 * s)), spec["org"], font=font(SERIF, int(12 * s)), fill=ink)
        d.text((int(W - ml - 150 * s), int(H - 100 * s)), "%d年%d月%d日" % (spec["year"], r.randrange(1, 13), r.randrange(1, 29)),
               font=font(SERIF, int(12 * s)), fill=ink)
        stamp(d, int(W - ml - 90 * s), int(H - 120 * s), int(48 * s), red, int(3 * s), spec["org"], r)
    d.text((W // 2, H - int(40 * s)), "- %d -" % k, font=font(SERIF, int(10 * s)), fill=ink, anchor="mm")
    return im


def scan_jpeg(spec, k):
    r = random.Random("%s/%d" % (spec["marker"], k))
    im = scan_page(spec, k, r)
    if r.random() < 0.35:  # a slightly skewed sheet
        im = im.rotate(r.uniform(-0.8, 0.8), resample=Image.BILINEAR, fillcolor=(250, 250, 248) if im.mode == "RGB" else 250)
    im = tint(im, (0.975, 0.965, 0.93) if im.mode == "RGB" else (0.96,), 4)
    a = np.asarray(im).astype(np.int16)
    n = noise_crop(r, a.shape[0], a.shape[1], spec["sigma"])
    a += n[:, :, None] if a.ndim == 3 else n
    np.clip(a, 0, 255, out=a)
    out = Image.fromarray(a.astype(np.uint8), "RGB" if a.ndim == 3 else "L")
    b = io.BytesIO()
    out.save(b, "JPEG", quality=spec["quality"], dpi=(spec["dpi"], spec["dpi"]), optimize=False)
    return b.getvalue()


def add_text_layer(pdf_bytes, marker, dst):
    import pymupdf
    doc = pymupdf.open("pdf", pdf_bytes)
    for i, pg in enumerate(doc):
        pg.insert_text((30, 26), "%s-P%d" % (marker, i + 1), fontsize=8, fontname="helv", render_mode=3)
    doc.save(dst, garbage=0, deflate=True, no_new_id=True)


def gen_scan(spec, dst, work):
    pages = [scan_jpeg(spec, k) for k in range(1, spec["pages"] + 1)]
    if spec["wrapper"] == "ghostscript":
        # Ghostscript's viewjpeg.ps: the JPEG data pass through pdfwrite unchanged, the page is sized to the scan
        tmp = Path(work) / ("gs-" + spec["marker"])
        tmp.mkdir(parents=True, exist_ok=True)
        ps = []
        for i, b in enumerate(pages):
            p = tmp / ("p%03d.jpg" % i)
            p.write_bytes(b)
            with Image.open(p) as im:
                w, h = im.size
            ps.append("(%s) << /PageSize [%.2f %.2f] >> setpagedevice viewJPEG showpage"
                      % (p, w * 72.0 / spec["dpi"], h * 72.0 / spec["dpi"]))
        out = tmp / "out.pdf"
        (tmp / "pages.ps").write_text("\n".join(ps) + "\n", encoding="ascii")
        viewjpeg = next(Path("/usr/share/ghostscript").glob("*/lib/viewjpeg.ps"))
        run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "--permit-file-read=%s/" % tmp, "-sDEVICE=pdfwrite",
             "-sOutputFile=" + str(out), str(viewjpeg), str(tmp / "pages.ps")])
        data = out.read_bytes()
        shutil.rmtree(tmp)
    else:
        import img2pdf
        data = img2pdf.convert(pages, nodate=True, engine=img2pdf.Engine.internal)
    add_text_layer(data, spec["marker"], dst)


# ------------------------------------------------------------------ photos
ORIENT_INV = {1: None, 2: Image.FLIP_LEFT_RIGHT, 3: Image.ROTATE_180, 4: Image.FLIP_TOP_BOTTOM,
              5: Image.TRANSPOSE, 6: Image.ROTATE_90, 7: Image.TRANSVERSE, 8: Image.ROTATE_270}


def scene(r, W, H, act, kind):
    w, h = W // 4, H // 4
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    top = (r.randrange(150, 230), r.randrange(170, 230), r.randrange(200, 255))
    bot = tuple(r.randrange(70, 170) for _ in range(3))
    for y in range(h):
        f = y / h
        d.line([(0, y), (w, y)], fill=tuple(int(top[i] * (1 - f) + bot[i] * f) for i in range(3)))
    if kind == "outdoor":
        for _ in range(r.randrange(6, 14)):
            x, y, R = r.randrange(0, w), r.randrange(0, h // 2), r.randrange(h // 12, h // 4)
            d.ellipse((x - R, y - R, x + R, y + R), fill=(r.randrange(30, 90), r.randrange(100, 170), r.randrange(30, 80)))
        d.rectangle((0, int(h * 0.62), w, h), fill=(r.randrange(120, 170), r.randrange(110, 150), r.randrange(90, 130)))
    else:
        d.rectangle((0, int(h * 0.12), w, int(h * 0.58)), fill=(r.randrange(180, 240), r.randrange(170, 230), r.randrange(150, 210)))
        for _ in range(r.randrange(2, 6)):
            x = r.randrange(0, w)
            d.rectangle((x, int(h * 0.55), x + r.randrange(w // 10, w // 4), int(h * 0.68)), fill=(r.randrange(80, 140), 60, 40))
    bw = int(w * 0.8)
    d.rectangle(((w - bw) // 2, int(h * 0.16), (w + bw) // 2, int(h * 0.28)), fill=(190, 20, 30))
    label = "热烈欢迎参加" + act
    fs = max(8, min(int(h * 0.07), int(bw / (len(label) + 1))))
    d.text((w // 2, int(h * 0.22)), label, font=font(SANS_B, fs), fill=(255, 230, 120), anchor="mm")
    for _ in range(r.randrange(12, 40)):
        x, y, sz = r.randrange(0, w), r.randrange(int(h * 0.45), h), r.randrange(h // 20, h // 8)
        c = tuple(r.randrange(20, 230) for _ in range(3))
        d.ellipse((x - sz // 3, y - sz, x + sz // 3, y - sz // 3), fill=(230, 190, 160))
        d.ellipse((x - sz // 3, y - sz - sz // 8, x + sz // 3, y - sz // 2 - sz // 8), fill=(30, 25, 25))
        d.rectangle((x - sz // 2, y - sz // 3, x + sz // 2, y + sz), fill=c)
    return im.resize((W, H), Image.BICUBIC)


def corner_marks(im):
    W, H = im.size
    # As large as tiny's squares: the binder checker samples the outer 15% of the short side and wants
    # a quarter of that window in the square's colour.
    q = max(24, min(W, H) // 5)
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, q - 1, q - 1), fill=(230, 0, 0))
    d.rectangle((W - q, H - q, W - 1, H - 1), fill=(0, 0, 230))


def add_noise(im, r, sigma):
    """Sensor noise: luminance (sigma 3 or 4) plus a weaker chroma component."""
    a = np.asarray(im).astype(np.int16)
    h, w = a.shape[:2]
    a += noise_crop(r, h, w, sigma)[:, :, None]
    m = noise_crop(r, h, w, 3) >> 1
    a[:, :, 0] += m
    a[:, :, 2] -= m
    np.clip(a, 0, 255, out=a)
    return Image.fromarray(a.astype(np.uint8))


def gen_photo(spec, dst, work):
    r = random.Random(spec["marker"])
    vw, vh = spec["visual"]
    im = scene(r, vw, vh, spec["act"], r.choice(("indoor", "indoor", "outdoor")))
    im = add_noise(im, r, spec["sigma"])
    corner_marks(im)
    if ORIENT_INV[spec["orientation"]] is not None:
        im = im.transpose(ORIENT_INV[spec["orientation"]])
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = spec["make"]
    exif[0x0112] = spec["orientation"]
    exif[0x0132] = "%d:%02d:%02d %02d:%02d:%02d" % (spec["year"], r.randrange(1, 13), r.randrange(1, 29),
                                                 r.randrange(8, 18), r.randrange(60), r.randrange(60))
    if spec.get("cmyk"):
        im = im.convert("CMYK")
    im.save(dst, "JPEG", quality=spec["quality"], exif=exif, progressive=spec.get("progressive", False))


def gen_small_photo(marker, act, path):
    """A 1200x900 photo to embed in a LibreOffice document."""
    r = random.Random(marker)
    im = add_noise(scene(r, 1200, 900, act, r.choice(("indoor", "outdoor"))), r, 3)
    im.save(path, "JPEG", quality=85)


def gen_png(spec, dst, work):
    r = random.Random(spec["marker"])
    W, H = spec["visual"]
    im = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, W, 90), fill=(237, 237, 237))
    d.text((W // 2, 45), "9:41", font=font(SANS_B, 34), fill=(0, 0, 0), anchor="mm")
    d.rectangle((0, 90, W, 210), fill=(247, 247, 247))
    d.text((W // 2, 150), spec["org"], font=font(SANS, 38), fill=(20, 20, 20), anchor="mm")
    y = 260
    for ln in wrap_chars(spec["title"], 20):
        d.text((50, y), ln, font=font(SANS_B, 50), fill=(20, 20, 20))
        y += 72
    d.text((50, y + 10), "%s  %d-%02d-%02d" % (spec["org"][:6], spec["year"], r.randrange(1, 13), r.randrange(1, 29)),
           font=font(SANS, 30), fill=(87, 107, 149))
    y += 90
    ph = int(W * 0.66)
    pic = add_noise(scene(r, W - 100, ph, spec["act"], "indoor"), r, 4)
    im.paste(pic, (50, y))
    y += ph + 40
    while y < H - 120:
        for ln in wrap_chars("\u3000\u3000" + paragraph(r, spec["act"], 3), 22):
            if y > H - 120:
                break
            d.text((50, y), ln, font=font(SANS, 40), fill=(50, 50, 50))
            y += 64
        y += 30
    corner_marks(im)
    a = Image.new("L", (W, H), 255)
    ImageDraw.Draw(a).rectangle((W // 4, H - 110, W * 3 // 4, H - 40), fill=150)  # a translucent toolbar
    im.putalpha(a)
    im.save(dst, "PNG", compress_level=6)


def gen_tiff(spec, dst, work):
    frames = []
    for k in range(1, spec["pages"] + 1):
        r = random.Random("%s/%d" % (spec["marker"], k))
        im = scan_page(dict(spec, color=False, doc="text"), k, r)
        frames.append(im.point(lambda v: 255 if v > 150 else 0).convert("1"))
    frames[0].save(dst, "TIFF", compression="group4", dpi=(spec["dpi"], spec["dpi"]), save_all=True, append_images=frames[1:])


# ------------------------------------------------------------------ Ghostscript from PostScript
def ps_string(s):
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


LETTER_LINES = [
    "We are pleased to confirm our continued partnership with your school in vocational education.",
    "Our teaching staff will share curriculum frameworks, assessment practice and industry attachment schemes.",
    "Participants will visit campuses, training centres and partner enterprises during the programme.",
    "We look forward to further collaboration on articulation pathways and joint training programmes.",
    "Please confirm the list of participants and the travel arrangements no later than the end of the month.",
    "The exchange covers teacher development, student competitions and the recognition of qualifications.",
]


def gen_ps_letter(spec, dst, work):
    r = random.Random(spec["marker"])
    ps = ["%!PS-Adobe-3.0", "%%Pages: %d" % spec["pages"], "%%EndComments",
          "/F { findfont exch scalefont setfont } def"]
    for k in range(1, spec["pages"] + 1):
        ps += ["%%%%Page: %d %d" % (k, k), "<< /PageSize [612 792] >> setpagedevice",
               "8 /Helvetica F 54 760 moveto %s show" % ps_string("%s-P%d" % (spec["marker"], k)),
               "0 0.3 0.6 setrgbcolor 54 700 504 36 rectfill 1 setgray",
               "16 /Helvetica-Bold F 66 712 moveto %s show 0 setgray" % ps_string(spec["org_en"].upper())]
        y = 660
        if k == 1:
            ps.append("11 /Helvetica F 54 %d moveto %s show" % (y, ps_string("Date: %d-%02d-%02d" % (spec["year"], r.randrange(1, 13), r.randrange(1, 29)))))
            y -= 30
            ps.append("11 /Helvetica F 54 %d moveto %s show" % (y, ps_string("Dear Principal,")))
            y -= 24
        while y > 120:
            ps.append("11 /Times-Roman F 54 %d moveto %s show" % (y, ps_string(r.choice(LETTER_LINES))))
            y -= 18 if r.random() < 0.8 else 30
        if k == spec["pages"]:
            ps.append("11 /Helvetica-Oblique F 360 90 moveto %s show" % ps_string("Yours sincerely, %s" % spec["signer"]))
        ps.append("showpage")
    ps.append("%%EOF")
    src = Path(work) / ("%s.ps" % spec["marker"])
    src.write_text("\n".join(ps) + "\n", encoding="ascii")
    run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-sOutputFile=" + str(dst), str(src)])


GENERATORS = {"scan": gen_scan, "photo": gen_photo, "png": gen_png, "tiff": gen_tiff, "gs-ps": gen_ps_letter}


def worker(task):
    spec, dst, work = task
    t = time.time()
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    GENERATORS[spec["kind"]](spec, dst, work)
    return spec["marker"], time.time() - t


# ------------------------------------------------------------------ LibreOffice sources (python-docx)
def docx_doc(spec, path, photo_paths=()):
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    r = random.Random("docx/" + spec["marker"])
    d = docx.Document()
    st = d.styles["Normal"]
    st.font.name, st.font.size = "Noto Serif CJK SC", Pt(12)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    for hs in ("Heading 1", "Heading 2", "Title"):
        h = d.styles[hs]
        h.font.name = "Noto Sans CJK SC"
        h.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Sans CJK SC")
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(25)
    sec.top_margin = sec.bottom_margin = Mm(25)
    hp = sec.header.paragraphs[0]
    run_ = hp.add_run(spec["marker"] + "-P")
    run_.font.size = Pt(8)
    for kind, txt in (("begin", None), ("instr", " PAGE "), ("separate", None), ("t", "1"), ("end", None)):
        rr = hp.add_run()
        rr.font.size = Pt(8)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = txt
        elif kind == "t":
            el = OxmlElement("w:t")
            el.text = txt
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        rr._r.append(el)
    import datetime
    cp = d.core_properties
    cp.title, cp.author = spec["title"], cn_name(r)
    cp.created = cp.modified = datetime.datetime(spec["year"], r.randrange(1, 13), r.randrange(1, 29), 9, 30)
    cp.revision = r.randrange(1, 9)

    act, doc = spec["act"], spec["doc"]
    a3 = spec.get("a3_page")
    photos = list(photo_paths)
    for k in range(1, spec["pages"] + 1):
        if k > 1:
            if k == a3:
                ns = d.add_section(WD_SECTION.NEW_PAGE)
                ns.orientation = WD_ORIENT.LANDSCAPE
                ns.page_width, ns.page_height = Mm(420), Mm(297)
            elif k - 1 == a3:
                ns = d.add_section(WD_SECTION.NEW_PAGE)
                ns.orientation = WD_ORIENT.PORTRAIT
                ns.page_width, ns.page_height = Mm(210), Mm(297)
            else:
                d.add_page_break()
        if k == a3:
            d.add_heading("%s统计汇总表（%d年）" % (act, spec["year"]), 2)
            t = d.add_table(rows=14, cols=10)
            t.style = "Table Grid"
            for i, row in enumerate(t.rows):
                for j, c in enumerate(row.cells):
                    c.text = (["序号", "项目名称", "负责部门", "负责人", "开始时间", "完成时间", "参与人数", "经费（万元）", "完成情况", "备注"][j]
                              if i == 0 else [str(i), act[:8], r.choice(DEPTS), cn_name(r), "%d.%d" % (spec["year"], r.randrange(1, 7)),
                                              "%d.%d" % (spec["year"], r.randrange(7, 13)), str(r.randrange(5, 300)),
                                              "%.1f" % r.uniform(0.5, 40), "已完成", ""][j])
            continue
        if k == 1:
            if doc == "notice":
                p = d.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                rr = p.add_run(spec["org"] + "文件")
                rr.font.size, rr.font.bold, rr.font.color.rgb = Pt(26), True, RGBColor(0xCC, 0, 0)
                p = d.add_paragraph("%s〔%d〕%d 号" % (spec["org"][:2] + "职", spec["year"], r.randrange(3, 90)))
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            h = d.add_heading(spec["title"], 1)
            h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if doc == "list" and k <= 2:
            d.add_paragraph("%s成员名单如下：" % act)
            t = d.add_table(rows=12, cols=5)
            t.style = "Table Grid"
            for i, row in enumerate(t.rows):
                vals = ["序号", "姓名", "部门", "职务/职称", "分工"] if i == 0 else \
                    [str(i), cn_name(r), r.choice(DEPTS), r.choice(("组长", "副组长", "成员", "高级讲师", "讲师")), r.choice(("统筹协调", "方案制定", "材料整理", "组织实施", "宣传报道"))]
                for c, v in zip(row.cells, vals):
                    c.text = v
            continue
        if photos and k <= 2:
            d.add_paragraph("\u3000\u3000" + paragraph(r, act, 3))
            d.add_picture(photos.pop(0), width=Mm(140))
            d.add_paragraph("图 %d  %s现场" % (k, act)).alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        if k > 1 and r.random() < 0.6:
            d.add_heading("%s、%s" % (CN_NUM[(k - 2) % 10], r.choice(("工作目标", "主要内容", "组织机构", "实施步骤", "保障措施", "工作成效"))), 2)
        for _ in range(4 if k > 1 else 3):
            d.add_paragraph("\u3000\u3000" + "".join(sentence(r, act) for _ in range(r.randrange(2, 4))))
    if doc in ("notice", "report"):
        p = d.add_paragraph(spec["org"] + "\n%d年%d月%d日" % (spec["year"], r.randrange(1, 13), r.randrange(1, 29)))
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(path)
    # python-docx stamps zip members with the current time: pin them so a seed gives the same bytes
    import zipfile
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i, data in members:
            z.writestr(zipfile.ZipInfo(i.filename, date_time=(spec["year"], 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


# ------------------------------------------------------------------ planning
def split_total(r, n, total, lo, hi, heavy=0.1):
    """n page counts in [lo, hi[i]] summing to total (hi: a number or one bound per file)."""
    his = hi if isinstance(hi, list) else [hi] * n
    assert n * lo <= total <= sum(his)
    xs = [min(h, r.randrange(lo, min(h, lo + 10) + 1) if r.random() > heavy else r.randrange(lo, h + 1)) for h in his]
    while sum(xs) != total:
        i = r.randrange(n)
        if sum(xs) < total and xs[i] < his[i]:
            xs[i] += 1
        elif sum(xs) > total and xs[i] > lo:
            xs[i] -= 1
    return xs


LO_DOCS = [("notice", "关于开展{a}工作的通知"), ("report", "{y}年{a}工作总结"), ("plan", "{a}实施方案"),
           ("plan", "{a}管理办法（试行）"), ("report", "{a}会议纪要"), ("news", "{a}新闻报道"),
           ("plan", "{a}课程标准"), ("report", "{a}成效分析报告"), ("list", "{a}工作小组成员名单")]
SCAN_DOCS = [("notice", "关于{a}的通知（盖章扫描件）"), ("sign", "{a}签到表"), ("cert", "{a}获奖证书"),
             ("text", "{a}合作协议书（盖章版）"), ("text", "{a}验收报告（签字版）"), ("text", "{a}会议记录"),
             ("sign", "{a}参训人员名单（扫描件）"), ("notice", "{a}立项批复文件")]
DOCX_DOCS = [("list", "{a}团队名单"), ("report", "{a}工作简报"), ("list", "{a}任务分工表")]


def plan(scale, seed):
    cfg = SCALES[scale]
    r = random.Random("plan/%s/%d" % (scale, seed))
    theme = THEMES[seed % len(THEMES)]
    org = SCHOOLS[(seed // len(THEMES)) % len(SCHOOLS)]
    prefix = scale[0]
    specs = []

    def add(kind, **kw):
        sp = dict(kind=kind, org=org, marker="SRC-" + file_id(prefix, seed, len(specs)), year=r.choice(YEARS), task=r.randrange(8), **kw)
        sp["act"] = theme["tasks"][sp["task"]][1]
        specs.append(sp)
        return sp

    # scans: the bulk of the bytes
    scan_docs = [r.choice(SCAN_DOCS) for _ in range(cfg["scans"])]
    sp_pages = split_total(r, cfg["scans"], cfg["scan_pages"], 1, [2 if d == "cert" else 40 for d, _ in scan_docs], heavy=0.25)
    gs_idx = set(r.sample(range(cfg["scans"]), cfg["gs_scans"]))
    for i, n in enumerate(sp_pages):
        doc, tmpl = scan_docs[i]
        dpi = r.choices((150, 200, 300), weights=(30, 55, 15))[0]
        add("scan", pages=n, doc=doc, tmpl=tmpl, dpi=dpi, color=r.random() < 0.7, quality=r.randrange(72, 87),
            sigma=r.choice((3, 4)), wrapper="ghostscript" if i in gs_idx else "img2pdf")
    # LibreOffice PDFs and their post-processing
    lo_pages = split_total(r, cfg["lo"], cfg["lo_pages"], 2, 24, heavy=0.2)
    posts = (["objstm"] * cfg["objstm"] + ["owner_encrypt"] * cfg["enc"] + ["rotate"] * cfg["rot"] +
             ["linearize"] * cfg["linear"] + [None] * (cfg["lo"] - cfg["objstm"] - cfg["enc"] - cfg["rot"] - cfg["linear"]))
    r.shuffle(posts)
    a3_idx = set(r.sample([i for i in range(cfg["lo"]) if lo_pages[i] >= 3], cfg["a3"]))
    ph_idx = set(r.sample(range(cfg["lo"]), cfg["lo_with_photos"]))
    for i, n in enumerate(lo_pages):
        doc, tmpl = r.choice(LO_DOCS)
        if i in ph_idx:
            doc, tmpl = "news", "{a}新闻报道"
        sp = add("lo", pages=n, doc=doc, tmpl=tmpl, post=posts[i], photos=2 if i in ph_idx else 0,
                 a3_page=(r.randrange(2, n) if i in a3_idx else None))
        if sp["post"] == "rotate":
            sp["rotate_page"] = r.randrange(1, n + 1)
    for _ in range(cfg["gs_re"]):
        doc, tmpl = r.choice(LO_DOCS[:5])
        add("gs-re", pages=r.randrange(2, 7), doc=doc, tmpl=tmpl, post=None, photos=0, a3_page=None)
    for _ in range(cfg["gs_ps"]):
        add("gs-ps", pages=r.randrange(1, 4), org_en=r.choice(("Vocational Training Council", "Hong Kong Institute of Vocational Education",
                                                                "Pearl River Delta Skills Alliance")), signer=r.choice(("Dr. K. Chan", "Ms. W. Leung", "Mr. T. Wong")))
    for _ in range(cfg["docx"]):
        doc, tmpl = r.choice(DOCX_DOCS)
        add("docx", pages=r.randrange(2, 5), doc=doc, tmpl=tmpl, post=None, photos=0, a3_page=None)
    # photos: phone sizes, all eight EXIF orientations, a few CMYK / progressive
    cmyk_idx = set(r.sample(range(cfg["photos"]), cfg["cmyk"]))
    makes = [("HUAWEI", "ELS-AN00"), ("Xiaomi", "M2102K1C"), ("OPPO", "PEEM00"), ("vivo", "V2148A"), ("Apple", "iPhone 13")]
    for i in range(cfg["photos"]):
        o = i % 8 + 1 if i < 8 else r.choices(range(1, 9), weights=(40, 2, 6, 2, 2, 30, 2, 8))[0]
        vw, vh = r.choice(((3000, 2250), (3000, 2250), (3264, 2448), (2560, 1920), (4000, 3000)))
        if r.random() < 0.3:
            vw, vh = vh, vw
        add("photo", pages=1, visual=(vw, vh), orientation=o, cmyk=i in cmyk_idx, progressive=r.random() < 0.15,
            quality=r.randrange(86, 93), sigma=r.choice((3, 4, 4)), make=r.choice(makes))
    for _ in range(cfg["png"]):
        add("png", pages=1, visual=r.choice(((1080, 2340), (1170, 2532), (1080, 2400))))
    for _ in range(cfg["tiff"]):
        add("tiff", pages=r.randrange(1, 4), dpi=200, doc="text")

    # titles and file names
    used = set()
    for sp in specs:
        a, y = sp["act"], sp["year"]
        if sp["kind"] in ("scan", "lo", "gs-re", "docx"):
            sp["title"] = sp["tmpl"].format(a=a, y=y)
        elif sp["kind"] == "gs-ps":
            sp["title"] = "%s来函（%s）" % (a, sp["org_en"])
        elif sp["kind"] == "photo":
            sp["title"] = "%s活动照片" % a
        elif sp["kind"] == "png":
            sp["title"] = "%s公众号报道截图" % a
        else:
            sp["title"] = "%s结业证书（扫描件）" % a
        ext = {"scan": ".pdf", "lo": ".pdf", "gs-re": ".pdf", "gs-ps": ".pdf", "docx": ".docx", "png": ".png", "tiff": ".tif"}.get(sp["kind"])
        if sp["kind"] == "photo":
            base = "%d/照片/%s_%d%02d%02d_%02d%02d%02d" % (y, r.choice(("IMG", "IMG", "IMG", "微信图片")), y, r.randrange(1, 13), r.randrange(1, 29),
                                                       r.randrange(8, 19), r.randrange(60), r.randrange(60))
            ext = r.choice((".jpg", ".jpg", ".jpg", ".JPG", ".jpeg"))
        else:
            stem = sp["title"].replace("（", " ").replace("）", "").replace("“", "").replace("”", "")
            if r.random() < 0.3:
                stem = "%d-%02d %s" % (y, r.randrange(1, 13), stem)
            base = "%d/%s" % (y, stem.strip())
        rel, n = "evidence/%s%s" % (base, ext), 2
        while rel.lower() in used:
            rel = "evidence/%s（%d）%s" % (base, n, ext)
            n += 1
        used.add(rel.lower())
        sp["rel"] = rel
    return theme, org, specs


# ------------------------------------------------------------------ outline
def outline(r, theme, org, specs, cfg):
    """Part one: the eight task points, each citing pages of part-two files; part two: years > numbered tasks >
    evidence items (photos grouped, some files bundled)."""
    items_by_year = {y: {t: [] for t in range(8)} for y in YEARS}
    by = {}
    for sp in specs:
        by.setdefault((sp["year"], sp["task"]), []).append(sp)
    for (y, t), group in by.items():
        photos = [s for s in group if s["kind"] == "photo"]
        rest = [s for s in group if s["kind"] != "photo"]
        r.shuffle(rest)
        while photos:
            k = min(len(photos), r.randrange(2, 7))
            chunk, photos = photos[:k], photos[k:]
            extra = [s for s in rest if s["kind"] == "png"][:1]
            for s in extra:
                rest.remove(s)
            items_by_year[y][t].append(dict(title=chunk[0]["title"], files=[{"spec": s} for s in extra + chunk]))
        while rest:
            k = 1 if r.random() < 0.75 else min(len(rest), r.randrange(2, 4))
            chunk, rest = rest[:k], rest[k:]
            items_by_year[y][t].append(dict(title=chunk[0]["title"], files=[{"spec": s} for s in chunk]))
    # a few part-two references take only some pages (like "1-3,5-8")
    long_refs = [f for y in YEARS for t in range(8) for it in items_by_year[y][t] for f in it["files"]
                 if f["spec"]["kind"] in ("scan", "lo") and f["spec"]["pages"] >= 6]
    for f in r.sample(long_refs, min(cfg["p2_selectors"], len(long_refs))):
        n = f["spec"]["pages"]
        f["pages"] = "1-3,5-%d" % n
    part2 = dict(title="第二部分 分年度建设完成情况", sections=[])
    for yi, y in enumerate(YEARS):
        ysec = dict(title="%s、%d 年%s" % (CN_NUM[yi], y, "度" if yi % 2 else ""),
                    text=[paragraph(r, theme["tasks"][r.randrange(8)][1], 3)], sections=[])
        num = 0
        for t in range(8):
            items = items_by_year[y][t]
            if not items:
                continue
            # a big year is split into several numbered tasks for the same task point
            step = max(2, min(6, len(items)))
            for j in range(0, len(items), step):
                num += 1
                title = theme["tasks"][t][0] if j == 0 else "%s（第%s批）" % (theme["tasks"][t][0], CN_NUM[j // step])
                evs, seen = [], {}
                for it in items[j:j + step]:  # the same kind of material twice in one task: number it
                    seen[it["title"]] = seen.get(it["title"], 0) + 1
                    n = seen[it["title"]]
                    evs.append(dict(it, title=it["title"] if n == 1 else "%s（%s）" % (it["title"], CN_NUM[n - 1])))
                ysec["sections"].append(dict(title="%d.%s" % (num, title), evidence=evs))
        part2["sections"].append(ysec)
    # part one: each task point cites the first pages of some of its PDF evidence
    part1 = dict(title="第一部分 四年建设概况及成效",
                 text=["“%s”方面共有 8个任务要点，截止 2024 年年底，共完成 8 个建设任务点，任务完成率 100%%。" % theme["title"].split(" ", 1)[1],
                       paragraph(r, theme["tasks"][0][1], 4), paragraph(r, theme["tasks"][3][1], 3)],
                 sections=[])
    per = max(1, cfg["p1_refs"] // 8)
    for t in range(8):
        cands = [it for y in YEARS for it in items_by_year[y][t]
                 if it["files"][0]["spec"]["kind"] in ("scan", "lo", "gs-re", "docx", "photo")]
        ev = []
        for it in cands[:per]:
            sp = it["files"][0]["spec"]
            f = {"spec": sp}
            if sp["kind"] in ("scan", "lo", "gs-re") and sp["pages"] >= 3:
                f["pages"] = r.choice(("1-2", "1", "1-3"))
            ev.append(dict(title=it["title"], files=[f]))
        part1["sections"].append(dict(title="%s、%s" % (CN_NUM[t], theme["tasks"][t][0]),
                                      text=[paragraph(r, theme["tasks"][t][1], 2)], evidence=ev))
    return [part1, part2]


def parse_sel(sel, n):
    out = []
    for part in sel.split(","):
        a, _, b = part.partition("-")
        a, b = int(a), int(b or a)
        assert 1 <= a <= b <= n, (sel, n)
        out.extend(range(a, b + 1))
    return out


# ------------------------------------------------------------------ main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--scale", choices=sorted(SCALES), default="seed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    t0 = time.time()
    out = Path(a.out_dir).resolve()
    if out.exists() and any(out.iterdir()):
        sys.exit("make_case.py: %s exists and is not empty" % out)
    (out / "evidence").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="dossier-case-"))
    cfg = SCALES[a.scale]
    theme, org, specs = plan(a.scale, a.seed)
    print("planning %d files (%s, seed %d) in %s" % (len(specs), a.scale, a.seed, out), file=sys.stderr)

    try:
        # 1. image-based files in a worker pool (largest first)
        tasks = [(sp, str(out / sp["rel"]), str(work)) for sp in specs if sp["kind"] in GENERATORS]
        tasks.sort(key=lambda t: -(t[0]["pages"] * (t[0].get("dpi", 200) ** 2) if t[0]["kind"] == "scan" else 40000 * 3))
        pool = Pool(a.jobs)
        pending = pool.imap_unordered(worker, tasks, chunksize=1)

        # 2. LibreOffice sources, converted in one soffice call
        src = work / "lo-src"
        src.mkdir()
        pics = work / "pics"
        pics.mkdir()
        docs = [sp for sp in specs if sp["kind"] in ("lo", "gs-re", "docx")]
        for sp in docs:
            photos = []
            for k in range(sp.get("photos", 0)):
                p = pics / ("%s-%d.jpg" % (sp["marker"], k))
                gen_small_photo("%s/%d" % (sp["marker"], k), sp["act"], p)
                photos.append(str(p))
            docx_doc(sp, src / (sp["marker"] + ".docx"), photos)
            if sp["kind"] == "docx":
                dst = out / sp["rel"]
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src / (sp["marker"] + ".docx"), dst)
        t_lo = time.time()
        profile = work / "lo-profile"
        run(["soffice", "-env:UserInstallation=" + profile.as_uri(), "--headless", "--norestore", "--convert-to", "pdf",
             "--outdir", str(work / "lo-pdf")] + sorted(str(p) for p in src.glob("*.docx")))
        print("soffice: %d documents in %.1fs" % (len(docs), time.time() - t_lo), file=sys.stderr)

        # 3. post-processing (qpdf, Ghostscript) while the pool keeps working
        import pymupdf
        for sp in docs:
            pdf = work / "lo-pdf" / (sp["marker"] + ".pdf")
            if not pdf.exists():
                raise RuntimeError("soffice did not convert %s (%s)" % (sp["marker"], sp["title"]))
            n = pymupdf.open(pdf).page_count
            if n != sp["pages"]:
                print("note: %s has %d pages (planned %d)" % (sp["marker"], n, sp["pages"]), file=sys.stderr)
                sp["pages"] = n
                if sp.get("rotate_page", 0) > n:
                    sp["rotate_page"] = n
            if sp["kind"] == "docx":
                continue
            dst = out / sp["rel"]
            dst.parent.mkdir(parents=True, exist_ok=True)
            post = sp.get("post")
            if sp["kind"] == "gs-re":
                run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-sOutputFile=" + str(dst), str(pdf)])
            elif post == "objstm":
                run(["qpdf", "--object-streams=generate", str(pdf), str(dst)])
            elif post == "owner_encrypt":
                run(["qpdf", "--encrypt", "", "owner", "256", "--extract=n", "--modify=none", "--", str(pdf), str(dst)])
            elif post == "rotate":
                run(["qpdf", str(pdf), str(dst), "--rotate=+90:%d" % sp["rotate_page"]])
            elif post == "linearize":
                run(["qpdf", "--linearize", str(pdf), str(dst)])
            else:
                shutil.copyfile(pdf, dst)

        done = 0
        for marker, dt in pending:
            done += 1
            if done % 50 == 0:
                print("  %d/%d image-based files (%.0fs)" % (done, len(tasks), time.time() - t0), file=sys.stderr)
        pool.close()
        pool.join()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    # 4. outline, dossier.json, expected.json
    r = random.Random("outline/%s/%d" % (a.scale, a.seed))
    parts = outline(r, theme, org, specs, cfg)
    dossier = {"title": theme["title"],
               "cover": {"project": "广东省高水平中职学校建设项目", "chapter": theme["chapter"], "subtitle": "佐证材料",
                         "organization": org, "date": "2025年1月"},
               "output": "build/%s-佐证材料.pdf" % theme["title"].split(" ")[0],
               "parts": []}
    items, nodes = [], []

    def page_entries(sp, sel):
        n = sp["pages"]
        ks = parse_sel(sel, n) if sel else list(range(1, n + 1))
        res = []
        for k in ks:
            base = {"src_page": k, "src": sp["rel"]}
            kind = sp["kind"]
            if kind == "photo":
                vw, vh = sp["visual"]
                res.append(dict(kind="photo", orientation=sp["orientation"], visual_w=vw, visual_h=vh, jpeg=True,
                                progressive=sp["progressive"], cmyk=sp["cmyk"], **base))
            elif kind == "png":
                vw, vh = sp["visual"]
                res.append(dict(kind="photo", orientation=1, visual_w=vw, visual_h=vh, jpeg=False, alpha=True, **base))
            elif kind == "tiff":
                res.append(dict(kind="image", format="tiff-g4", frame=k, visual_w=round(210 / 25.4 * sp["dpi"]), visual_h=round(297 / 25.4 * sp["dpi"]),
                                marker_rendered_only="%s-P%d" % (sp["marker"], k), **base))
            else:
                e = dict(kind="pdf", marker="%s-P%d" % (sp["marker"], k))
                if kind == "scan":
                    e.update(producer=sp["wrapper"] + "-scan", scan=True, dpi=sp["dpi"])
                elif kind == "lo":
                    e["producer"] = "libreoffice"
                    if sp.get("post"):
                        e["post"] = sp["post"]
                    if sp.get("a3_page") == k:
                        e["size"] = "a3-landscape"
                    if sp.get("post") == "rotate" and sp["rotate_page"] == k:
                        e["rotate"] = 90
                elif kind == "gs-re":
                    e["producer"] = "ghostscript"
                elif kind == "gs-ps":
                    e.update(producer="ghostscript-ps", size="letter")
                elif kind == "docx":
                    e["producer"] = "docx"
                e.update(base)
                res.append(e)
        return res

    def emit(sec, path):
        p = path + [sec["title"]]
        nodes.append({"outline_path": p, "kind": "part" if len(p) == 1 else "section"})
        o = {"title": sec["title"]}
        if sec.get("text"):
            o["text"] = sec["text"]
        if sec.get("evidence"):
            o["evidence"] = []
            for ev in sec["evidence"]:
                files, pages = [], []
                for f in ev["files"]:
                    sp = f["spec"]
                    files.append({"path": sp["rel"], "pages": f["pages"]} if f.get("pages") else sp["rel"])
                    pages += page_entries(sp, f.get("pages"))
                o["evidence"].append({"title": ev["title"], "files": files})
                nodes.append({"outline_path": p + [ev["title"]], "kind": "evidence"})
                items.append({"outline_path": p + [ev["title"]], "pages": pages})
        if sec.get("sections"):
            o["sections"] = [emit(c, p) for c in sec["sections"]]
        return o

    dossier["parts"] = [emit(p, []) for p in parts]
    body = sum(len(it["pages"]) for it in items)
    (out / "dossier.json").write_text(json.dumps(dossier, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "expected.json").write_text(json.dumps({"items": items, "nodes": nodes, "body_pages_min": body, "scale": a.scale,
                                                   "seed": a.seed, "source_files": len(specs)}, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    size = sum(os.path.getsize(out / sp["rel"]) for sp in specs)
    uniq_pages = sum(sp["pages"] for sp in specs)
    by_kind = {}
    for sp in specs:
        k = by_kind.setdefault(sp["kind"], [0, 0, 0])
        k[0] += 1
        k[1] += sp["pages"]
        k[2] += os.path.getsize(out / sp["rel"])
    for k, (n, pg, b) in sorted(by_kind.items()):
        print("  %-6s %4d files %5d pages %8.1f MB" % (k, n, pg, b / 1e6), file=sys.stderr)
    print("%s: %d files, %.1f MB, %d source pages, %d body pages referenced (%d evidence items), %.0fs"
          % (out, len(specs), size / 1e6, uniq_pages, body, len(items), time.time() - t0))


if __name__ == "__main__":
    main()
