#!/usr/bin/env python3
"""Writes the sources of the sample evidence files.

Called by samples/make.sh as `python3 make_samples.py STAGE TMP OUT`:
  images  photos (pixels stored as the phone would store them), screenshots,
          certificate pages for the TIFF, scan pages for the image-only PDFs
  docs    Word documents: the .docx evidence files go straight to OUT, the
          documents to be exported by LibreOffice go to TMP/docx with a
          manifest TMP/lo.tsv (source name, destination path)
Random choices use fixed seeds.
"""
import math
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FONTDIR = "/usr/share/fonts/opentype/noto/"
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
SCHOOL = "深圳市龙岗职业技术学校"


def pil_font(size, sans=False, bold=False):
    name = ("NotoSansCJK-" if sans else "NotoSerifCJK-") + ("Bold" if bold else "Regular") + ".ttc"
    return ImageFont.truetype(FONTDIR + name, size, index=2)  # index 2 = SC


# ---------------------------------------------------------------- drawing ---

def text_center(draw, cx, y, text, font, fill):
    w = draw.textlength(text, font=font)
    draw.text((cx - w / 2, y), text, font=font, fill=fill)


def draw_seal(img, cx, cy, r, text, color=(205, 30, 35), alpha=200, label=""):
    """A round red office seal: ring, star, the name around the top arc."""
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    c = color + (alpha,)
    w = max(3, r // 18)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=c, width=w)
    # five-pointed star
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r * 0.26 if i % 2 == 0 else r * 0.105
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=c)
    # characters along the arc
    fsize = int(r * 0.26)
    font = pil_font(fsize, sans=True, bold=True)
    n = len(text)
    span = math.radians(min(250, 22 * n))
    for i, ch in enumerate(text):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        tile = Image.new("RGBA", (fsize * 2, fsize * 2), (0, 0, 0, 0))
        td = ImageDraw.Draw(tile)
        td.text((fsize / 2, fsize / 2 - fsize * 0.1), ch, font=font, fill=c)
        tile = tile.rotate(-math.degrees(a + math.pi / 2), resample=Image.BICUBIC)
        px = cx + r * 0.72 * math.cos(a) - fsize
        py = cy + r * 0.72 * math.sin(a) - fsize
        layer.alpha_composite(tile, (int(px), int(py)))
    if label:
        lf = pil_font(int(r * 0.17), sans=True, bold=True)
        tw = d.textlength(label, font=lf)
        d.text((cx - tw / 2, cy + r * 0.42), label, font=lf, fill=c)
    layer = layer.filter(ImageFilter.GaussianBlur(0.8))
    base = img.convert("RGBA")
    base.alpha_composite(layer)
    return base.convert("RGB")


def scribble(draw, x, y, w, h, rnd, color=(30, 40, 120), width=3):
    """A handwritten-looking signature."""
    pts = []
    n = rnd.randint(14, 22)
    for i in range(n):
        px = x + w * i / (n - 1) + rnd.uniform(-w * 0.04, w * 0.04)
        py = y + h / 2 + math.sin(i * rnd.uniform(1.2, 2.4)) * h * 0.35 + rnd.uniform(-h * 0.12, h * 0.12)
        pts.append((px, py))
    draw.line(pts, fill=color, width=width, joint="curve")
    draw.line([(x + w * 0.1, y + h * 0.8), (x + w * 0.9, y + h * 0.55)], fill=color, width=max(1, width - 1))


def person(d, x, y, s, shirt, rnd):
    """A person seen from the front: head and shoulders, s = head radius."""
    skin = rnd.choice([(224, 186, 160), (210, 170, 140), (232, 196, 170)])
    hair = rnd.choice([(30, 26, 24), (45, 35, 30), (20, 20, 22)])
    d.rounded_rectangle((x - s * 1.9, y + s * 1.05, x + s * 1.9, y + s * 4.2), radius=int(s * 0.9), fill=shirt)
    d.rectangle((x - s * 0.35, y + s * 0.7, x + s * 0.35, y + s * 1.2), fill=skin)
    d.ellipse((x - s, y - s * 1.1, x + s, y + s * 1.05), fill=skin)
    d.chord((x - s * 1.05, y - s * 1.2, x + s * 1.05, y + s * 0.6), 180, 360, fill=hair)


def person_back(d, x, y, s, shirt, rnd):
    """An audience member seen from behind."""
    hair = rnd.choice([(30, 26, 24), (45, 35, 30), (20, 20, 22), (60, 45, 35)])
    d.rounded_rectangle((x - s * 1.8, y + s * 0.9, x + s * 1.8, y + s * 4), radius=int(s * 0.8), fill=shirt)
    d.ellipse((x - s, y - s * 1.1, x + s, y + s * 1.0), fill=hair)


SHIRTS = [(40, 60, 110), (230, 230, 232), (70, 70, 78), (150, 30, 40), (245, 245, 240), (30, 90, 120), (120, 120, 130)]


def photo_finish(img, rnd, blur=0.7, noise=5):
    """Soft focus, vignetting and sensor noise, so it reads as a photo."""
    w, h = img.size
    img = img.filter(ImageFilter.GaussianBlur(blur))
    vig = Image.radial_gradient("L").resize((w, h))  # 0 centre .. 255 edge
    vig = vig.point(lambda v: int(v * 0.35))
    dark = Image.new("RGB", (w, h), (0, 0, 0))
    img = Image.composite(dark, img, vig)
    if noise:
        nz = Image.effect_noise((w // 2, h // 2), noise * 6).resize((w, h)).convert("RGB")
        img = Image.blend(img, nz, 0.035)
    return img


def caption_bar(img, text, sub=""):
    """The caption strip at the visual top of a photo (the upright cue)."""
    d = ImageDraw.Draw(img, "RGBA")
    w = img.size[0]
    f = pil_font(max(22, w // 34), sans=True, bold=True)
    fh = f.size
    d.rectangle((0, 0, w, int(fh * 1.9)), fill=(0, 0, 0, 150))
    d.text((fh * 0.6, fh * 0.4), text, font=f, fill=(255, 255, 255))
    if sub:
        sf = pil_font(max(16, w // 52), sans=True)
        tw = d.textlength(sub, font=sf)
        d.text((w - tw - fh * 0.6, fh * 0.62), sub, font=sf, fill=(255, 230, 120))
    return img


def scene_meeting(w, h, banner, caption, stamp, seed):
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h), (214, 206, 190))
    d = ImageDraw.Draw(img)
    for i in range(h // 2):  # wall shading
        v = 222 - i * 30 // (h // 2)
        d.line([(0, i), (w, i)], fill=(v, v - 8, v - 22))
    d.rectangle((0, int(h * 0.62), w, h), fill=(120, 92, 70))  # floor
    # red banner with white text
    bx0, by0, bx1, by1 = w * 0.1, h * 0.14, w * 0.9, h * 0.28
    d.rectangle((bx0, by0, bx1, by1), fill=(178, 24, 30))
    f = pil_font(int((by1 - by0) * 0.42), sans=True, bold=True)
    while d.textlength(banner, font=f) > (bx1 - bx0) * 0.92:
        f = pil_font(f.size - 2, sans=True, bold=True)
    text_center(d, w / 2, by0 + (by1 - by0 - f.size) / 2 - f.size * 0.12, banner, f, (255, 236, 180))
    # people seated behind the long table
    n = rnd.randint(6, 8)
    for i in range(n):
        x = w * (0.12 + 0.76 * i / (n - 1))
        person(d, x, h * 0.43, h * 0.045, rnd.choice(SHIRTS), rnd)
    d.polygon([(w * 0.02, h * 0.58), (w * 0.98, h * 0.58), (w, h * 0.74), (0, h * 0.74)], fill=(92, 60, 40))
    d.rectangle((0, h * 0.74, w, h * 0.77), fill=(70, 44, 30))
    for i in range(n):  # name cards and cups
        x = w * (0.12 + 0.76 * i / (n - 1))
        d.polygon([(x - 26, h * 0.63), (x + 26, h * 0.63), (x + 30, h * 0.665), (x - 30, h * 0.665)], fill=(245, 245, 245))
        d.rectangle((x + 42, h * 0.605, x + 54, h * 0.635), fill=(250, 250, 250))
    # front row seen from behind
    for i in range(5):
        x = w * (0.1 + 0.2 * i) + rnd.uniform(-15, 15)
        person_back(d, x, h * 0.86, h * 0.06, rnd.choice(SHIRTS), rnd)
    img = photo_finish(img, rnd)
    return caption_bar(img, caption, stamp)


def scene_lecture(w, h, screen, caption, stamp, seed, speaker=True):
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h), (200, 200, 205))
    d = ImageDraw.Draw(img)
    for i in range(h):
        v = 210 - int(60 * i / h)
        d.line([(0, i), (w, i)], fill=(v, v, v + 6))
    for k in range(4):  # ceiling lights
        x = w * (0.15 + 0.23 * k)
        d.rectangle((x - w * 0.06, h * 0.09, x + w * 0.06, h * 0.11), fill=(255, 255, 246))
    # projection screen with the lecture title
    sw = min(w * 0.76, h * 0.42 / 0.56)
    sx0, sy0 = (w - sw) / 2, h * 0.16
    sx1, sy1 = sx0 + sw, sy0 + sw * 0.56
    d.rectangle((sx0 - 6, sy0 - 6, sx1 + 6, sy1 + 6), fill=(60, 60, 64))
    d.rectangle((sx0, sy0, sx1, sy1), fill=(24, 70, 140))
    d.rectangle((sx0, sy0, sx1, sy0 + (sy1 - sy0) * 0.16), fill=(200, 40, 40))
    lines = screen.split("\n")
    f = pil_font(int((sx1 - sx0) / 17), sans=True, bold=True)
    for ln in lines:
        while d.textlength(ln, font=f) > (sx1 - sx0) * 0.9:
            f = pil_font(f.size - 2, sans=True, bold=True)
    y = sy0 + (sy1 - sy0) * 0.3
    for ln in lines:
        text_center(d, (sx0 + sx1) / 2, y, ln, f, (255, 255, 255))
        y += f.size * 1.5
    if speaker:  # podium and speaker at the right
        px = sx1 - (sx1 - sx0) * 0.12
        person(d, px, sy1 + h * 0.06, h * 0.028, (40, 40, 48), rnd)
        d.polygon([(px - w * 0.08, sy1 + h * 0.1), (px + w * 0.08, sy1 + h * 0.1),
                   (px + w * 0.07, sy1 + h * 0.2), (px - w * 0.07, sy1 + h * 0.2)], fill=(120, 70, 40))
    # audience rows from behind, larger towards the camera
    top = sy1 + h * 0.16
    rows = 4
    for r in range(rows):
        yy = top + (h - top) * (0.05 + 0.27 * r)
        s = h * (0.022 + 0.012 * r)
        cnt = 7 - r
        for i in range(cnt):
            x = w * (0.06 + 0.88 * (i + 0.5 * (r % 2)) / cnt) + rnd.uniform(-8, 8)
            person_back(d, x, yy, s, rnd.choice(SHIRTS), rnd)
    img = photo_finish(img, rnd)
    return caption_bar(img, caption, stamp)


def scene_group(w, h, banner, caption, stamp, seed, building=True):
    """Group photo outdoors in front of a building with a banner."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h), (150, 190, 230))
    d = ImageDraw.Draw(img)
    for i in range(int(h * 0.45)):
        v = int(170 + 60 * i / (h * 0.45))
        d.line([(0, i), (w, i)], fill=(v - 40, v - 10, 240))
    if building:
        d.rectangle((w * 0.05, h * 0.16, w * 0.95, h * 0.62), fill=(228, 226, 220))
        for r in range(3):
            for c in range(10):
                x = w * (0.08 + 0.085 * c)
                y = h * (0.2 + 0.11 * r)
                d.rectangle((x, y, x + w * 0.055, y + h * 0.07), fill=(110, 150, 180))
    d.rectangle((0, h * 0.62, w, h), fill=(150, 150, 146))
    bx0, by0, bx1, by1 = w * 0.14, h * 0.46, w * 0.86, h * 0.55
    d.rectangle((bx0, by0, bx1, by1), fill=(178, 24, 30))
    f = pil_font(int((by1 - by0) * 0.5), sans=True, bold=True)
    while d.textlength(banner, font=f) > (bx1 - bx0) * 0.94:
        f = pil_font(f.size - 2, sans=True, bold=True)
    text_center(d, w / 2, by0 + (by1 - by0 - f.size) / 2 - f.size * 0.12, banner, f, (255, 236, 180))
    for row, (yy, s, n) in enumerate([(h * 0.62, h * 0.032, 9), (h * 0.72, h * 0.036, 8)]):
        for i in range(n):
            x = w * (0.1 + 0.8 * (i + 0.5 * row) / n) + rnd.uniform(-6, 6)
            person(d, x, yy, s, rnd.choice(SHIRTS), rnd)
    img = photo_finish(img, rnd, noise=4)
    return caption_bar(img, caption, stamp)


def scene_workshop(w, h, board, caption, stamp, seed):
    """Training room: whiteboard with text, benches with equipment, people."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h), (225, 228, 226))
    d = ImageDraw.Draw(img)
    d.rectangle((0, h * 0.6, w, h), fill=(170, 172, 168))
    bx0, by0, bx1, by1 = w * 0.2, h * 0.14, w * 0.8, h * 0.42
    d.rectangle((bx0 - 8, by0 - 8, bx1 + 8, by1 + 8), fill=(150, 150, 155))
    d.rectangle((bx0, by0, bx1, by1), fill=(250, 250, 250))
    f = pil_font(int((by1 - by0) / 7), sans=True, bold=True)
    y = by0 + (by1 - by0) * 0.12
    for ln in board.split("\n"):
        while d.textlength(ln, font=f) > (bx1 - bx0) * 0.9:
            f = pil_font(f.size - 2, sans=True, bold=True)
        text_center(d, w / 2, y, ln, f, (20, 60, 150))
        y += f.size * 1.55
    for i in range(3):  # benches with panels
        x0 = w * (0.04 + 0.33 * i)
        d.rectangle((x0, h * 0.5, x0 + w * 0.26, h * 0.58), fill=(70, 110, 160))
        for k in range(4):
            d.ellipse((x0 + 20 + k * w * 0.06, h * 0.515, x0 + 40 + k * w * 0.06, h * 0.535), fill=(240, 200, 40))
        d.rectangle((x0, h * 0.58, x0 + w * 0.26, h * 0.62), fill=(90, 90, 96))
    for i in range(6):
        x = w * (0.1 + 0.16 * i) + rnd.uniform(-10, 10)
        person_back(d, x, h * 0.72, h * 0.05, rnd.choice(SHIRTS), rnd)
    img = photo_finish(img, rnd)
    return caption_bar(img, caption, stamp)


def save_photo(img, path, orientation):
    """Store the pixels as a phone does for the given EXIF orientation
    (the tag itself is written by exiftool in make.sh)."""
    if orientation == 6:  # viewer turns 90° clockwise, so store 90° counter-clockwise
        img = img.transpose(Image.ROTATE_90)
    elif orientation == 8:  # viewer turns 90° counter-clockwise
        img = img.transpose(Image.ROTATE_270)
    img.save(path, "JPEG", quality=75, optimize=True)


# ----------------------------------------------------- paper (scans etc.) ---

class Paper:
    """A page drawn with PIL at a given dpi, in millimetres."""

    def __init__(self, wmm=210, hmm=297, dpi=150, bg=(255, 255, 255)):
        self.k = dpi / 25.4
        self.img = Image.new("RGB", (int(wmm * self.k), int(hmm * self.k)), bg)
        self.d = ImageDraw.Draw(self.img)
        self.w = wmm

    def f(self, pt, sans=False, bold=False):
        return pil_font(int(pt / 72 * 25.4 * self.k), sans, bold)

    def text(self, xmm, ymm, s, pt=12, sans=False, bold=False, fill=(20, 20, 20), align="left"):
        font = self.f(pt, sans, bold)
        x = xmm * self.k
        if align == "center":
            x -= self.d.textlength(s, font=font) / 2
        elif align == "right":
            x -= self.d.textlength(s, font=font)
        self.d.text((x, ymm * self.k), s, font=font, fill=fill)

    def line(self, x0, y0, x1, y1, width=0.3, fill=(20, 20, 20)):
        self.d.line([(x0 * self.k, y0 * self.k), (x1 * self.k, y1 * self.k)], fill=fill,
                    width=max(1, int(width * self.k)))

    def table(self, x, y, widths, rowh, rows, pt=10.5, header_bold=True):
        total = sum(widths)
        for r, row in enumerate(rows):
            yy = y + r * rowh
            self.line(x, yy, x + total, yy)
            xx = x
            for c, cell in enumerate(row):
                if cell:
                    self.text(xx + widths[c] / 2, yy + rowh / 2 - pt * 0.22, cell, pt,
                              sans=(r == 0 and header_bold), bold=(r == 0 and header_bold), align="center")
                xx += widths[c]
        self.line(x, y + len(rows) * rowh, x + total, y + len(rows) * rowh)
        xx = x
        for wdt in widths + [0]:
            self.line(xx, y, xx, y + len(rows) * rowh)
            xx += wdt
        return [x + sum(widths[:i]) for i in range(len(widths))]

    def seal(self, xmm, ymm, rmm, text, label="", color=(205, 30, 35), alpha=200):
        self.img = draw_seal(self.img, int(xmm * self.k), int(ymm * self.k), int(rmm * self.k), text,
                             color=color, alpha=alpha, label=label)
        self.d = ImageDraw.Draw(self.img)

    def sign(self, xmm, ymm, wmm, hmm, rnd):
        scribble(self.d, xmm * self.k, ymm * self.k, wmm * self.k, hmm * self.k, rnd, width=max(2, int(0.45 * self.k)))


def scanify(img, rnd, angle=0.35, tint=(246, 243, 234), quality=None):
    """Make a clean page look like an office scanner's output."""
    img = img.convert("RGB")
    w, h = img.size
    paper = Image.new("RGB", (w, h), tint)
    img = Image.composite(img, paper, img.convert("L").point(lambda v: 255 - v))
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=(200, 200, 198))
    img = img.filter(ImageFilter.GaussianBlur(0.55))
    nz = Image.effect_noise((w, h), 18).convert("RGB")
    img = Image.blend(img, nz, 0.05)
    d = ImageDraw.Draw(img)
    for _ in range(40):  # dust
        x, y = rnd.randint(0, w), rnd.randint(0, h)
        r = rnd.choice([1, 1, 2])
        d.ellipse((x, y, x + r, y + r), fill=(110, 110, 110))
    d.rectangle((0, 0, w, 5), fill=(120, 120, 118))  # scanner lid edge
    return img


def save_scan(img, path):
    img.save(path, "JPEG", quality=55, optimize=True, dpi=(150, 150))


# ------------------------------------------------------------ images stage ---

def make_images(tmp, out):
    os.makedirs(os.path.join(tmp, "img"), exist_ok=True)
    P = lambda *a: os.path.join(out, *a)
    T = lambda *a: os.path.join(tmp, "img", *a)

    # photos ---------------------------------------------------------------
    img = scene_meeting(1200, 900, "国（境）外合作办学教学领导工作小组成立会议",
                        "合作办学教学领导工作小组成立会议", "2021.04.12 10:35", 11)
    save_photo(img, P("2021", "photos", "IMG_20210412_103522.jpg"), 1)

    lec = scene_lecture(900, 1200, "职业教育多元共治与\n粤港澳大湾区职业发展\n—— 香港职业教育专家专题讲座",
                        "香港职业教育专家专题讲座现场", "2022.11.09 14:30", 21)
    save_photo(lec, P("2022", "photos", "IMG_20221109_143015.jpg"), 6)
    lec.resize((600, 800)).save(T("lecture_small.jpg"), quality=70)
    img = scene_lecture(900, 1200, "互动交流环节\n香港职业教育升学与就业路径", "教师代表与香港专家互动交流",
                        "2022.11.09 15:12", 22, speaker=False)
    save_photo(img, P("2022", "photos", "IMG_20221109_151240.jpg"), 8)
    img = scene_lecture(1200, 800, "深圳市龙岗职业技术学校 香港职业训练局\n合作协议云签约仪式", "深港职业教育合作协议云签约仪式",
                        "2022.12.16 10:08", 23, speaker=False)
    save_photo(img, P("2022", "photos", "IMG_20221216 交流研讨会.jpg"), 1)

    img = scene_group(1200, 800, "2023年深圳市技能菁英香港研修培训班开班合影", "技能菁英香港研修培训班开班合影",
                      "2023.07.10 09:18", 31)
    save_photo(img, P("2023", "photos", "IMG_20230710_091844.jpg"), 1)
    img = scene_workshop(900, 1200, "香港专业教育学院（青衣）\n工程实训中心\n参观学习", "参观香港专业教育学院青衣分校实训中心",
                         "2023.07.13 10:26", 32)
    save_photo(img, P("2023", "photos", "IMG_20230713_青衣分校参观.jpg"), 6)

    img = scene_workshop(1200, 900, "“1+X”书证融通研讨会\n工业机器人应用编程\n课证对照与课程重构", "“1+X”书证融通专题研讨会",
                         "2024.05.21 16:02", 41)
    save_photo(img, P("2024", "photos", "IMG_20240521_160205.jpg"), 1)

    # screenshots ----------------------------------------------------------
    phone_screenshot(P("2021", "宣传资料 中港交流 公众号推文截图.png"), T("lecture_small.jpg"))

    # certificates for the Group 4 TIFF (200 dpi, bilevel after convert) -----
    for i, (name, no) in enumerate([("周丽华", "030"), ("谢明辉", "031"), ("许晓东", "032"),
                                    ("杨　帆", "033"), ("赵　敏", "034"), ("吴晓云", "035")]):
        certificate(name, no, i).save(T("cert-%d.png" % (i + 1)))

    # scan pages -------------------------------------------------------------
    scan_signin(T("signin-1.jpg"), T("signin-2.jpg"))
    scan_schedule(T("schedule-1.jpg"), T("schedule-2.jpg"))
    scan_offer(T("offer-1.jpg"))


def phone_screenshot(path, photo):
    w, h = 720, 1440
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    sf = pil_font(24, sans=True)
    d.text((28, 14), "14:52", font=pil_font(26, sans=True, bold=True), fill=(0, 0, 0))
    d.text((w - 150, 16), "5G  86%", font=sf, fill=(0, 0, 0))
    d.text((28, 70), "×", font=pil_font(40, sans=True), fill=(20, 20, 20))
    d.text((w - 96, 72), "···", font=pil_font(34, sans=True, bold=True), fill=(20, 20, 20))
    d.line([(0, 132), (w, 132)], fill=(230, 230, 230), width=2)
    tf = pil_font(40, sans=True, bold=True)
    title = ["香港职业教育专家走进龙职", "共话大湾区职业教育发展"]
    y = 168
    for ln in title:
        d.text((36, y), ln, font=tf, fill=(20, 20, 20))
        y += 60
    d.text((36, y + 14), "原创  龙岗职校国际交流", font=pil_font(24, sans=True), fill=(120, 120, 120))
    d.text((36 + 262, y + 14), "龙职发布", font=pil_font(24, sans=True), fill=(87, 107, 149))
    d.text((36, y + 50), "2022年11月10日 18:30  广东", font=pil_font(24, sans=True), fill=(150, 150, 150))
    y += 110
    pic = Image.open(photo).convert("RGB")
    pic = pic.resize((648, int(648 * pic.size[1] / pic.size[0])))
    pic = pic.crop((0, 80, 648, 80 + 430))
    img.paste(pic, (36, y))
    y += 450
    bf = pil_font(29, sans=False)
    body = ("11月9日下午，香港职业训练局专家梁国华博士应邀到我校，以“职业教育多元共治与粤港澳大湾区职业发展”"
            "为题开展专题讲座。学校领导、各专业部负责人及骨干教师共80余人参加。讲座介绍了香港“职专教育”"
            "的办学体系、资历架构以及升学就业路径，并就两地师生交流、课程衔接等问题与我校教师进行了深入交流。")
    line = ""
    for ch in body:
        if d.textlength(line + ch, font=bf) > w - 72:
            d.text((36, y), line, font=bf, fill=(40, 40, 40))
            y += 50
            line = ""
        line += ch
    d.text((36, y), line, font=bf, fill=(40, 40, 40))
    d.rectangle((0, h - 96, w, h), fill=(247, 247, 247))
    d.line([(0, h - 96), (w, h - 96)], fill=(225, 225, 225), width=2)
    for i, lab in enumerate(["分享", "收藏", "赞 126", "在看 38"]):
        d.text((60 + i * 170, h - 66), lab, font=pil_font(26, sans=True), fill=(90, 90, 90))
    img = img.quantize(128, method=Image.Quantize.MEDIANCUT)
    img.save(path, optimize=True)


def certificate(name, no, i):
    rnd = random.Random(100 + i)
    pg = Paper(210, 297, dpi=200)
    d = pg.d
    k = pg.k
    d.rectangle((12 * k, 12 * k, 198 * k, 285 * k), outline=(0, 0, 0), width=int(1.6 * k))
    d.rectangle((16 * k, 16 * k, 194 * k, 281 * k), outline=(0, 0, 0), width=int(0.4 * k))
    for cx, cy in [(16, 16), (194, 16), (16, 281), (194, 281)]:
        d.ellipse(((cx - 3) * k, (cy - 3) * k, (cx + 3) * k, (cy + 3) * k), fill=(0, 0, 0))
    pg.text(105, 48, "结 业 证 书", 40, sans=True, bold=True, align="center")
    pg.text(105, 72, "CERTIFICATE OF COMPLETION", 14, align="center")
    pg.text(150, 92, "编号：VTC-SZ2023-%s" % no, 11)
    body = ("%s 同志：" % name,
            "　　于二〇二三年七月十日至七月二十一日参加",
            "“2023年深圳市技能菁英香港研修培训班”，",
            "完成课程开发与教学设计、以能力为本的评核、",
            "实训基地建设与管理等全部研修课程，考核合格，",
            "准予结业。",
            "　　特发此证。")
    y = 112
    for ln in body:
        pg.text(30, y, ln, 17)
        y += 14
    pg.text(30, 220, "香港职业训练局", 15, bold=True)
    pg.text(30, 230, "Vocational Training Council", 12)
    pg.text(125, 220, "深圳市技能菁英香港研修培训班", 13, bold=True)
    pg.text(125, 230, "二〇二三年七月二十一日", 13)
    pg.seal(160, 222, 19, "深圳市技能菁英香港研修", label="培训专用章", color=(70, 20, 20), alpha=235)
    img = scanify(pg.img, rnd, angle=0.25 * (1 if i % 2 else -1), tint=(255, 255, 255))
    return img.convert("L")


def scan_signin(p1, p2):
    rnd = random.Random(7)
    pg = Paper(dpi=150)
    pg.text(105, 22, "国（境）外合作办学教学领导工作小组", 16, sans=True, bold=True, align="center")
    pg.text(105, 31, "成立会议签到表", 16, sans=True, bold=True, align="center")
    pg.text(22, 44, "时间：2021年4月12日 10:00", 11)
    pg.text(118, 44, "地点：行政楼三楼第一会议室", 11)
    people = [("陈志明", "校长办公室", "校长"), ("刘海涛", "校长办公室", "副校长"), ("黄丽萍", "校长办公室", "副校长"),
              ("李文静", "国际交流处", "主任"), ("张伟强", "教务处", "主任"), ("何思远", "学生处", "主任"),
              ("罗秀英", "办公室", "主任"), ("邓志坚", "财务室", "主任"), ("周丽华", "机电部", "部长"),
              ("黄俊杰", "汽车部", "部长"), ("林晓燕", "商贸部", "部长"), ("郑国栋", "信息技术部", "部长"),
              ("吴晓云", "国际交流处", "英语教研组长"), ("梁嘉欣", "国际交流处", "干事")]
    rows = [("序号", "姓名", "部门", "职务", "签名")] + [(str(i + 1), n, dpt, job, "") for i, (n, dpt, job) in enumerate(people)]
    xs = pg.table(20, 52, [14, 28, 44, 40, 44], 12, rows, pt=11)
    for i in range(len(people)):
        pg.sign(xs[4] + 6 + rnd.uniform(0, 5), 52 + 12 * (i + 1) + 2, 28 + rnd.uniform(-4, 4), 8, rnd)
    pg.text(22, 243, "应到 14 人，实到 14 人。", 11)
    pg.text(150, 262, "国际交流处（代章）", 11, align="center")
    pg.seal(150, 262, 19, SCHOOL, label="国际交流处")
    save_scan(scanify(pg.img, rnd, angle=0.4), p1)

    pg = Paper(dpi=150)
    pg.text(105, 22, "会 议 纪 要", 18, sans=True, bold=True, align="center")
    pg.text(105, 33, "（2021年第3期）", 11, align="center")
    lines = [
        "　　2021年4月12日上午，学校在行政楼三楼第一会议室召开国（境）外",
        "合作办学教学领导工作小组成立会议。会议由副校长刘海涛主持，领导",
        "小组全体成员参加。现将会议议定事项纪要如下：",
        "　　一、宣读《关于成立国（境）外合作办学教学领导工作小组的通知》，",
        "明确领导小组组长、副组长及成员分工。领导小组办公室设在国际交流",
        "处，由李文静同志兼任办公室主任。",
        "　　二、审议通过合作办学教学团队组建方案。教学团队由机电、汽车、",
        "信息技术、商贸四个专业部的专业带头人和骨干教师组成，共15人。",
        "　　三、会议要求国际交流处牵头，在5月底前完成《与香港合作办学管理",
        "办法（试行）》起草工作，并着手与香港职业训练局建立联系渠道。",
        "　　四、会议强调，各成员要提高认识，主动作为，把与香港职业教育的合",
        "作交流作为学校高水平建设的重要抓手，按年度任务分解表推进落实。",
    ]
    y = 48
    for ln in lines:
        pg.text(22, y, ln, 12)
        y += 9.5
    pg.text(22, y + 10, "出席：陈志明、刘海涛、黄丽萍、李文静、张伟强、何思远、罗秀英、", 11)
    pg.text(22, y + 19, "　　　邓志坚、周丽华、黄俊杰、林晓燕、郑国栋、吴晓云、梁嘉欣", 11)
    pg.text(22, y + 28, "记录：梁嘉欣", 11)
    pg.text(150, 250, "深圳市龙岗职业技术学校办公室", 11, align="center")
    pg.text(150, 259, "2021年4月13日", 11, align="center")
    pg.seal(148, 252, 19, SCHOOL, label="办公室")
    save_scan(scanify(pg.img, rnd, angle=-0.3), p2)


def scan_schedule(p1, p2):
    """Page 1 is a landscape table fed into the scanner sideways: the stored
    image is portrait with the content turned 90° counter-clockwise (make.sh
    then sets /Rotate 90 on that page)."""
    rnd = random.Random(9)
    pg = Paper(297, 210, dpi=150)
    pg.text(148, 14, "2023年深港学生交流活动日程安排表", 17, sans=True, bold=True, align="center")
    pg.text(20, 27, "活动时间：2023年10月25日—10月27日", 11)
    pg.text(200, 27, "带队：何思远、林晓燕、吴晓云", 11)
    rows = [("日期", "时间", "活动内容", "地点", "参加人员", "负责人"),
            ("10月25日", "09:00-10:00", "开营仪式、双方学校介绍", "学校报告厅", "两地师生", "何思远"),
            ("", "10:30-12:00", "校园参观、专业实训室体验", "实训楼", "两地学生", "周丽华"),
            ("", "14:30-17:00", "工业机器人编程体验课", "机电实训中心", "两地学生", "谢明辉"),
            ("10月26日", "09:00-11:30", "汽车检测与维修技能交流", "汽车实训中心", "两地学生", "黄俊杰"),
            ("", "14:00-16:00", "跨境电商直播实践与分享", "商贸实训室", "两地学生", "林晓燕"),
            ("", "16:00-17:00", "主题班会：我眼中的大湾区", "教学楼301", "两地学生", "吴晓云"),
            ("10月27日", "09:00-11:00", "岭南文化体验（醒狮、书法）", "艺术楼", "两地师生", "何思远"),
            ("", "11:00-12:00", "交流总结会、颁发纪念证书", "学校报告厅", "两地师生", "李文静")]
    pg.table(14, 36, [26, 30, 82, 36, 38, 30], 15, rows, pt=11)
    pg.text(14, 176, "备注：1. 香港学生由香港专业教育学院（IVE）老师带队，食宿由我校统一安排；2. 活动期间注意安全，", 10)
    pg.text(14, 184, "准时集合。", 10)
    pg.text(250, 192, "学生处  2023年10月18日", 11, align="center")
    pg.seal(250, 190, 17, SCHOOL, label="学生处")
    img = scanify(pg.img, rnd, angle=0.5).transpose(Image.ROTATE_90)
    save_scan(img, p1)

    pg = Paper(dpi=150)
    pg.text(105, 22, "2023年深港学生交流活动我校参加学生名单", 15, sans=True, bold=True, align="center")
    names = ["陈俊宇", "李思琪", "王梓涵", "张浩然", "刘欣怡", "黄嘉豪", "周雨彤", "吴子轩", "徐诗雨", "孙一鸣",
             "马晓彤", "朱家乐", "胡晨曦", "郭子豪", "林雅婷", "何俊熙"]
    classes = ["21机电1班", "21汽修2班", "21计网1班", "21电商1班"]
    rows = [("序号", "姓名", "班级", "专业", "联系电话")]
    majors = {"21机电1班": "机电技术应用", "21汽修2班": "汽车运用与维修", "21计网1班": "计算机网络技术",
              "21电商1班": "电子商务"}
    for i, n in enumerate(names):
        c = classes[i % 4]
        rows.append((str(i + 1), n, c, majors[c], "1%d%d****%04d" % (3 + i % 6, i % 10, 1000 + i * 337 % 9000)))
    pg.table(18, 34, [14, 26, 34, 46, 54], 11, rows, pt=11)
    pg.text(22, 230, "带队教师：何思远（学生处）、林晓燕（商贸部）、吴晓云（国际交流处）", 11)
    pg.text(150, 250, "学生处", 11, align="center")
    pg.text(150, 259, "2023年10月18日", 11, align="center")
    pg.seal(150, 252, 18, SCHOOL, label="学生处")
    save_scan(scanify(pg.img, rnd, angle=-0.35), p2)


def scan_offer(p1):
    rnd = random.Random(13)
    pg = Paper(dpi=150)
    d, k = pg.d, pg.k
    d.ellipse((22 * k, 16 * k, 42 * k, 36 * k), outline=(20, 60, 110), width=int(0.8 * k))
    pg.text(32, 22.5, "GS", 12, sans=True, bold=True, fill=(20, 60, 110), align="center")
    pg.text(48, 18, "GRADUATE SCHOOL", 15, sans=True, bold=True, fill=(20, 60, 110))
    pg.text(48, 26, "Faculty of Humanities  ·  Admissions Office", 10, fill=(20, 60, 110))
    pg.line(20, 40, 190, 40, 0.5, (20, 60, 110))
    lines = [
        ("Ref: GS/TPG/2024/0715", 10.5), ("", 0), ("16 June 2024", 10.5), ("", 0),
        ("Ms WU Xiaoyun", 10.5), ("Shenzhen Longgang Vocational and Technical School", 10.5),
        ("Longgang District, Shenzhen, Guangdong, China", 10.5), ("", 0),
        ("Dear Ms Wu,", 10.5), ("", 0),
        ("Offer of Admission — Master of Arts in English Language Teaching and", 11.5),
        ("Assessment (MA-ELTA), Part-time Mode, 2024/25 Intake", 11.5), ("", 0),
        ("I am pleased to inform you that you have been offered a place in the above", 10.5),
        ("programme commencing in September 2024. The normal duration of study is two", 10.5),
        ("years in part-time mode. Classes are held on weekday evenings and Saturdays.", 10.5), ("", 0),
        ("Please confirm your acceptance of this offer by completing the enclosed reply", 10.5),
        ("slip and paying the deposit on or before 5 July 2024. The offer will lapse if", 10.5),
        ("acceptance is not received by the above date.", 10.5), ("", 0),
        ("We look forward to welcoming you to the programme.", 10.5), ("", 0),
        ("Yours sincerely,", 10.5),
    ]
    y = 50
    for s, pt in lines:
        if s:
            pg.text(24, y, s, pt, bold=(pt > 11))
        y += 7.2
    pg.sign(26, y + 2, 40, 10, rnd)
    pg.text(24, y + 16, "Dr Helen CHEUNG", 10.5)
    pg.text(24, y + 23, "Programme Leader, MA-ELTA", 10.5)
    pg.text(24, 268, "Enclosures: Reply slip; Notes on registration", 9)
    img = scanify(pg.img, rnd, angle=0.3)
    d = ImageDraw.Draw(img)
    d.rectangle((0, img.size[1] - 40, img.size[0], img.size[1]), fill=(255, 255, 255))
    save_scan(img, p1)


# --------------------------------------------------------------- documents ---

def set_run_font(run, name=SERIF, size=None, bold=None, color=None):
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor(*color)


def border(par, side, color="FF0000", sz=18, space=1):
    ppr = par._p.get_or_add_pPr()
    pbdr = ppr.find(qn("w:pBdr"))
    if pbdr is None:
        pbdr = OxmlElement("w:pBdr")
        ppr.append(pbdr)
    b = OxmlElement("w:" + side)
    b.set(qn("w:val"), "single")
    b.set(qn("w:sz"), str(sz))
    b.set(qn("w:space"), str(space))
    b.set(qn("w:color"), color)
    pbdr.append(b)


def add_page_number(section, style="dash"):
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if style == "dash":
        set_run_font(p.add_run("— "), SERIF, 12)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    if style == "dash":
        set_run_font(p.add_run(" —"), SERIF, 12)


class Doc:
    BODY = 14  # 四号

    def __init__(self, title="", author="国际交流处", landscape=False, pagenum="dash", margins=(37, 35, 28, 26)):
        self.d = Document()
        st = self.d.styles["Normal"]
        st.font.name = SERIF
        st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SERIF)
        st.font.size = Pt(self.BODY)
        st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.space_before = Pt(0)
        st.paragraph_format.line_spacing = Pt(26)
        s = self.d.sections[0]
        if landscape:
            s.orientation = WD_ORIENT.LANDSCAPE
            s.page_width, s.page_height = Mm(297), Mm(210)
            s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(22), Mm(20), Mm(22), Mm(22)
        else:
            s.page_width, s.page_height = Mm(210), Mm(297)
            s.top_margin, s.bottom_margin = Mm(margins[0]), Mm(margins[1])
            s.left_margin, s.right_margin = Mm(margins[2]), Mm(margins[3])
        s.footer_distance = Mm(18)
        if pagenum:
            add_page_number(s, pagenum)
        cp = self.d.core_properties
        cp.title = title
        cp.author = author
        cp.last_modified_by = author
        cp.comments = ""

    def par(self, text="", size=None, bold=False, font=SERIF, align=None, indent=True, color=None,
            before=0, after=0, spacing=None):
        p = self.d.add_paragraph()
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align is None:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt = p.paragraph_format
        if indent and align is None:
            fmt.first_line_indent = Pt((size or self.BODY) * 2)
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        if spacing:
            fmt.line_spacing = Pt(spacing)
        if text:
            set_run_font(p.add_run(text), font, size or self.BODY, bold, color)
        return p

    def p(self, text):
        return self.par(text)

    def h1(self, text):  # 一、 in 黑体
        return self.par(text, font=SANS, bold=False, before=4)

    def h2(self, text):  # （一） bold
        return self.par(text, bold=True)

    def redhead(self, docno, issuer=SCHOOL + "文件"):
        self.par(issuer, size=30, bold=True, color=(230, 0, 18), align="center", spacing=48, before=6)
        self.par("", spacing=20)
        p = self.par(docno, align="center", spacing=26, after=6)
        border(p, "bottom", "E60012", 18, 6)
        self.par("", spacing=18)

    def title(self, text, size=20, after=14):
        for ln in text.split("\n"):
            self.par(ln, size=size, font=SANS, bold=True, align="center", spacing=size * 1.6)
        self.par("", spacing=after)

    def to(self, text):
        return self.par(text, indent=False, align="left")

    def sign(self, org, date, gap=2):
        for _ in range(gap):
            self.par("")
        self.par(org + "　　", align="right")
        self.par(date + "　　　", align="right")

    def cc(self, copy_to, office, date):
        self.par("", spacing=40)
        p = self.par("抄送：" + copy_to, size=12, indent=False, align="left")
        border(p, "top", "000000", 8, 4)
        border(p, "bottom", "000000", 4, 4)
        p = self.par(office + "　" * 6 + date + "印发", size=12, indent=False, align="left")
        border(p, "bottom", "000000", 8, 4)

    def page_break(self):
        self.d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def landscape_section(self):
        s = self.d.add_section(WD_SECTION.NEW_PAGE)
        s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = Mm(297), Mm(210)
        s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(22), Mm(20), Mm(22), Mm(22)

    def table(self, rows, widths_mm, size=12, header=True, align_cols=None, rowh=None):
        t = self.d.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        for c, wmm in enumerate(widths_mm):
            t.columns[c].width = Mm(wmm)
        for r, row in enumerate(rows):
            tr = t.rows[r]
            if rowh:
                tr.height = Mm(rowh)
            for c, val in enumerate(row):
                cell = tr.cells[c]
                cell.width = Mm(widths_mm[c])
                p = cell.paragraphs[0]
                p.paragraph_format.line_spacing = Pt(size * 1.45)
                p.paragraph_format.first_line_indent = Pt(0)
                left = align_cols and c in align_cols and not (header and r == 0)
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
                set_run_font(p.add_run(val), SANS if (header and r == 0) else SERIF, size,
                             bold=(header and r == 0))
        return t

    def image(self, path, width_mm, caption=None):
        p = self.par(align="center", indent=False, before=6, after=4)
        p.paragraph_format.line_spacing = 1.0
        p.add_run().add_picture(path, width=Mm(width_mm))
        if caption:
            self.par(caption, size=11, align="center", color=(80, 80, 80))

    def save(self, path):
        self.d.save(path)


def make_docs(tmp, out):
    dd = os.path.join(tmp, "docx")
    os.makedirs(dd, exist_ok=True)
    manifest = []

    def lo(doc, key, dest):
        doc.save(os.path.join(dd, key + ".docx"))
        manifest.append((key, dest))

    lo(doc_waishi(), "d01", "2021/关于成立外事工作领导小组及办公室的通知.pdf")
    lo(doc_hezuo_group(), "d02", "2021/关于成立国（境）外合作办学教学领导工作小组的通知.pdf")
    doc_team_list().save(os.path.join(out, "2021", "合作办学教学团队 名单.docx"))
    lo(doc_banfa(), "d05", "2021/深圳市龙岗职业技术学校与香港合作办学管理办法（试行）.pdf")
    lo(doc_fangan(), "d06", "2022/香港职业教育专家讲座方案.pdf")
    lo(doc_schedule(), "d08", "2023/香港研修培训课程安排表.pdf")
    lo(doc_lecture_report(os.path.join(tmp, "img", "lecture_small.jpg")), "d09", "2022/香港职业教育专家讲座报道.pdf")
    doc_online_exchange().save(os.path.join(out, "2022", "关于参加《香港职训局高峰学院交流会》活动方案.docx"))
    lo(doc_vtc_letter(), "d16", "2023/VTC 来函.pdf")
    lo(doc_yanxiu_notice(), "d17", "2023/2023年深圳市技能菁英香港研修相关材料（颜广科老师）.pdf")
    lo(doc_yanxiu_report(), "d19", "2023/颜广科 香港职业教育现状.pdf")
    lo(doc_student_report(), "d22", "2022/香港相关学校或机构交流研讨会报道.pdf")
    lo(doc_ma_reply(), "d25", "2023/深圳市人力资源和社会保障局关于商请支持技能菁英参加2020年研修资助项目的函.pdf")
    lo(doc_1x_plan(), "d28", "2024/“1+X”证书制度试点与书证融通实施方案.pdf")
    lo(doc_1x_table(), "d29", "2024/“1+X”书证融通课程对照表.pdf")
    lo(doc_summary(), "d32", "2024/与香港职业训练局合作经验总结报告.pdf")

    with open(os.path.join(tmp, "lo.tsv"), "w", encoding="utf-8") as f:
        for key, dest in manifest:
            f.write("%s\t%s\n" % (key, dest))


# --- 2021 ---------------------------------------------------------------------

def doc_waishi():
    d = Doc("关于成立外事工作领导小组及办公室的通知", author="办公室")
    d.redhead("深龙职〔2021〕12号")
    d.title("关于成立外事工作领导小组及办公室的通知")
    d.to("各处室、各专业部：")
    d.p("为贯彻落实《广东省高水平中职学校建设项目》任务要求，进一步加强学校外事工作的统筹领导，规范因公出国（境）"
        "和对外交流合作管理，积极搭建香港职业教育合作交流平台，经校长办公会研究，决定成立学校外事工作领导小组及办公室。"
        "现将有关事项通知如下：")
    d.h1("一、外事工作领导小组")
    d.p("组　长：陈志明（校长）")
    d.p("副组长：刘海涛（副校长）、黄丽萍（副校长）")
    d.p("成　员：李文静、张伟强、何思远、罗秀英、邓志坚、周丽华、黄俊杰、林晓燕、郑国栋")
    d.h1("二、领导小组职责")
    d.p("（一）贯彻执行国家和省、市有关外事工作的方针政策，研究制定学校对外交流合作发展规划和年度计划；")
    d.p("（二）统筹学校与香港、澳门、台湾地区及国（境）外职业院校、机构的交流合作，审议重大合作项目；")
    d.p("（三）审核师生因公出国（境）培训、研修、交流等事项，监督检查外事纪律执行情况；")
    d.p("（四）协调解决对外交流合作工作中的重大问题，督促各项任务按期完成。")
    d.h1("三、领导小组办公室")
    d.p("领导小组下设办公室，办公室设在国际交流处，李文静同志兼任办公室主任，梁嘉欣同志为办公室联络员。"
        "办公室负责外事日常事务的协调与落实，具体承担对外联络、接待安排、出访审批材料审核、合作项目档案管理及"
        "信息报送等工作。")
    d.h1("四、工作要求")
    d.p("各部门要高度重视对外交流合作工作，明确专人负责，加强协同配合。涉及对外交流合作的事项须按程序报领导小组"
        "审批，严格遵守外事纪律和保密规定。领导小组成员如有变动，由岗位继任者自然接替，不再另行发文。")
    d.sign(SCHOOL, "2021年3月8日")
    d.cc("龙岗区教育局", "深圳市龙岗职业技术学校办公室", "2021年3月8日")
    return d


def doc_hezuo_group():
    d = Doc("关于成立国（境）外合作办学教学领导工作小组的通知", author="办公室")
    d.redhead("深龙职〔2021〕15号")
    d.title("关于成立国（境）外合作办学教学\n领导工作小组的通知")
    d.to("各处室、各专业部：")
    d.p("为扎实推进学校高水平建设“提升国际及粤港澳台交流合作水平”任务，建立与香港相关职业学校合作办学的工作机制，"
        "深化与香港职业教育在师资队伍、教学资源、人才培养、学科建设等方面的交流合作，经研究，决定成立国（境）外"
        "合作办学教学领导工作小组，并组建合作办学教学团队。现将有关事项通知如下：")
    d.h1("一、领导工作小组组成")
    d.p("组　长：刘海涛（副校长）")
    d.p("副组长：黄丽萍（副校长）、李文静（国际交流处主任）")
    d.p("成　员：张伟强（教务处主任）、何思远（学生处主任）、周丽华（机电部部长）、黄俊杰（汽车部部长）、"
        "林晓燕（商贸部部长）、郑国栋（信息技术部部长）、吴晓云（英语教研组长）")
    d.h1("二、主要职责")
    d.p("（一）研究制定与香港相关职业学校合作办学的工作方案和管理制度；")
    d.p("（二）遴选合作院校和合作项目，组织开展合作洽谈和协议签订工作；")
    d.p("（三）统筹合作专业的人才培养方案、课程标准、教学资源的引进与开发；")
    d.p("（四）组织教师赴港研修、专家来校讲学和师生交流等活动，并对实施情况进行检查评估。")
    d.h1("三、合作办学教学团队")
    d.p("合作办学教学团队由机电技术应用、汽车运用与维修、计算机网络技术、电子商务等专业的专业带头人和骨干教师"
        "组成，共15人，由李文静同志任团队负责人，吴晓云同志任团队秘书（名单见附件）。教学团队负责合作项目的教学"
        "实施、课程对接、资源建设和教学研究工作。")
    d.h1("四、工作要求")
    d.p("领导工作小组办公室设在国际交流处。各部门要按照职责分工，主动对接，密切配合，确保合作办学各项工作有序推进。")
    d.par("")
    d.par("附件：合作办学教学团队名单", indent=True)
    d.sign(SCHOOL, "2021年4月12日", gap=1)
    d.cc("龙岗区教育局", "深圳市龙岗职业技术学校办公室", "2021年4月12日")
    return d


TEAM = [("李文静", "女", "国际交流处", "高级讲师", "团队负责人"),
        ("吴晓云", "女", "国际交流处", "高级讲师", "团队秘书、英语教学"),
        ("周丽华", "女", "机电部", "高级讲师", "机电专业带头人"),
        ("谢明辉", "男", "机电部", "讲师", "工业机器人课程"),
        ("蔡俊峰", "男", "机电部", "讲师", "电气控制课程"),
        ("黄俊杰", "男", "汽车部", "高级讲师", "汽修专业带头人"),
        ("许晓东", "男", "汽车部", "讲师", "新能源汽车课程"),
        ("钟伟明", "男", "汽车部", "讲师", "汽车检测课程"),
        ("郑国栋", "男", "信息技术部", "高级讲师", "计网专业带头人"),
        ("杨　帆", "男", "信息技术部", "讲师", "网络安全课程"),
        ("曾宇航", "男", "信息技术部", "助理讲师", "教学资源建设"),
        ("林晓燕", "女", "商贸部", "高级讲师", "电商专业带头人"),
        ("赵　敏", "女", "商贸部", "讲师", "跨境电商课程"),
        ("潘雅婷", "女", "商贸部", "讲师", "商务英语课程"),
        ("吕思琪", "女", "教务处", "讲师", "教学管理与质量监控")]


def doc_team_list():
    d = Doc("合作办学教学团队名单", author="国际交流处", margins=(30, 28, 25, 25))
    d.par("附件", font=SANS, indent=False, align="left")
    d.par("")
    d.title(SCHOOL + "\n与香港合作办学教学团队名单", size=18, after=10)
    rows = [("序号", "姓名", "性别", "部门", "职称", "团队分工")]
    rows += [(str(i + 1),) + t for i, t in enumerate(TEAM)]
    d.table(rows, [14, 22, 14, 32, 26, 50], size=12, rowh=9.5)
    d.par("")
    d.par("说明：教学团队成员如因工作调整发生变动，由国际交流处提出调整意见，报领导工作小组审定。", size=12, spacing=22)
    return d


def doc_banfa():
    d = Doc("深圳市龙岗职业技术学校与香港合作办学管理办法（试行）", author="国际交流处")
    d.redhead("深龙职〔2021〕21号")
    d.title("关于印发《深圳市龙岗职业技术学校与香港\n合作办学管理办法（试行）》的通知")
    d.to("各处室、各专业部：")
    d.p("《深圳市龙岗职业技术学校与香港合作办学管理办法（试行）》已经2021年5月20日校长办公会审议通过，现印发给你们，"
        "请认真遵照执行。执行过程中遇到的问题，请及时向国际交流处反映。")
    d.sign(SCHOOL, "2021年5月24日")
    d.cc("龙岗区教育局", "深圳市龙岗职业技术学校办公室", "2021年5月24日")
    d.page_break()
    d.title("深圳市龙岗职业技术学校与香港合作办学\n管理办法（试行）", size=18, after=8)
    d.par("第一章　总　则", font=SANS, align="center")
    arts = [
        ("第一条", "为规范学校与香港相关职业学校或机构（以下简称“香港合作方”）的合作办学行为，保障合作项目质量，"
                 "依据国家有关中外合作办学和内地与香港教育交流合作的法律法规，结合学校实际，制定本办法。"),
        ("第二条", "本办法所称合作办学，是指学校与香港合作方在师资培训、课程建设、教学资源共享、学生交流、"
                 "职业资格认证和学历提升等方面开展的各类合作项目。"),
        ("第三条", "合作办学坚持公益性原则，坚持以我为主、互利共赢、注重实效，服务粤港澳大湾区产业发展和技术技能人才培养。"),
    ]
    for a, t in arts:
        d.p(a + "　" + t)
    d.par("第二章　组织机构", font=SANS, align="center")
    arts = [
        ("第四条", "学校国（境）外合作办学教学领导工作小组负责合作办学的统筹规划、项目审定和监督检查。"),
        ("第五条", "国际交流处是合作办学的归口管理部门，负责对外联络、项目论证、协议起草、过程管理和档案管理。"
                 "教务处负责合作项目的教学管理和质量监控；各专业部负责项目的具体实施。"),
        ("第六条", "合作办学教学团队负责合作课程的开发与实施、教学资源的引进与转化，以及相关教学研究工作。"),
    ]
    for a, t in arts:
        d.p(a + "　" + t)
    d.par("第三章　项目管理", font=SANS, align="center")
    arts = [
        ("第七条", "合作项目实行立项审批制度。项目负责部门应提交项目申请书，说明合作方资质、合作内容、预期成果和经费预算，"
                 "经国际交流处审核、领导工作小组审定后实施。"),
        ("第八条", "合作项目须签订书面合作协议，明确双方权利义务、合作期限、知识产权归属和争议解决方式。协议文本由国际"
                 "交流处会同相关部门审核，报校长签署。"),
        ("第九条", "项目实施过程中，负责部门每学期向国际交流处报送一次进展情况；项目结束后一个月内提交总结报告及佐证材料。"),
        ("第十条", "学校定期对合作项目进行评估。对达不到预期目标或存在严重问题的项目，责令整改或终止合作。"),
    ]
    for a, t in arts:
        d.p(a + "　" + t)
    d.par("第四章　师生交流管理", font=SANS, align="center")
    arts = [
        ("第十一条", "教师赴港研修、访学或攻读学位，由本人申请、部门推荐、国际交流处审核，报领导工作小组审批。"
                   "研修结束后须提交研修报告，并在校内开展不少于一次的分享交流。"),
        ("第十二条", "组织学生赴港交流，须制定详细的活动方案和安全预案，配备足够的带队教师，并购买相应保险。"),
        ("第十三条", "接待香港专家来校讲学，由邀请部门提出计划，国际交流处统筹安排，讲座资料纳入学校教学资源库。"),
    ]
    for a, t in arts:
        d.p(a + "　" + t)
    d.par("第五章　经费管理", font=SANS, align="center")
    arts = [
        ("第十四条", "合作办学经费主要从学校高水平建设专项资金中列支，实行预算管理，专款专用。"),
        ("第十五条", "经费使用严格执行国家和学校财务管理制度，接受审计和监督检查。"),
    ]
    for a, t in arts:
        d.p(a + "　" + t)
    d.par("第六章　附　则", font=SANS, align="center")
    d.p("第十六条　本办法由国际交流处负责解释。")
    d.p("第十七条　本办法自印发之日起试行。")
    return d


def doc_fangan():
    d = Doc("与香港职业院校合作交流工作方案", author="国际交流处")
    d.title(SCHOOL + "\n与香港职业院校合作交流工作方案")
    d.p("为落实广东省高水平中职学校建设任务，主动融入粤港澳大湾区建设，搭建香港职业教育合作交流平台，"
        "提升学校国际化办学水平，结合学校实际，制定本方案。")
    d.h1("一、指导思想")
    d.p("以服务粤港澳大湾区产业发展为导向，以提升人才培养质量为核心，借鉴香港职业教育在课程开发、能力为本评核、"
        "资历架构衔接等方面的先进经验，构建多层次、宽领域的深港职业教育合作交流机制。")
    d.h1("二、工作目标")
    d.p("到2024年底，与香港职业训练局等机构建立稳定的合作关系，签订合作协议；完成8个任务要点，组织教师赴港研修，"
        "邀请香港专家来校讲学，开展深港学生交流活动，推进“1+X”书证融通，形成具有龙职特色的合作交流模式。")
    d.h1("三、主要任务")
    tasks = ["（一）建立与香港相关职业学校合作办学领导工作小组，组建合作办学教学团队；",
             "（二）制定与香港相关职业学校合作方案及管理制度；",
             "（三）邀请香港相关职业教育专家到校开展专题讲座；",
             "（四）与香港职业训练局（VTC）签订合作协议；",
             "（五）组织教师赴港参加研修培训；",
             "（六）开展深港学生交流活动；",
             "（七）选派教师赴港攻读MA-ELTA课程，提升双语教学能力；",
             "（八）通过中港交流推进“1+X”书证融通。"]
    for t in tasks:
        d.p(t)
    d.h1("四、实施步骤")
    d.p("2021年为启动阶段，完成机构组建、制度建设和方案制定；2022年为推进阶段，开展专家讲座、签订合作协议；"
        "2023年为深化阶段，组织教师赴港研修和学生交流；2024年为提升阶段，推进学历提升和书证融通，总结建设成效。"
        "年度任务分解见附件2。")
    d.h1("五、保障措施")
    d.p("学校国（境）外合作办学教学领导工作小组统筹推进方案实施；经费从高水平建设专项资金中列支；"
        "国际交流处每学期对任务完成情况进行检查通报，确保各项任务按期完成。")
    d.par("附件：1．合作交流项目经费预算明细表", indent=True)
    d.par("　　　2．年度任务分解表", indent=True)
    d.sign(SCHOOL, "2021年6月15日", gap=1)
    d.page_break()
    # page 3: budget (internal; left out of the binder by a page selector)
    d.par("附件1", font=SANS, indent=False, align="left")
    d.title("合作交流项目经费预算明细表", size=18, after=6)
    rows = [("序号", "项目", "2021年", "2022年", "2023年", "2024年", "小计"),
            ("1", "专家讲学", "1.0", "2.0", "2.0", "2.0", "7.0"),
            ("2", "教师赴港研修", "—", "—", "12.0", "6.0", "18.0"),
            ("3", "学生交流活动", "—", "1.5", "6.0", "4.0", "11.5"),
            ("4", "学历提升资助", "—", "—", "—", "5.0", "5.0"),
            ("5", "课程与资源建设", "2.0", "3.0", "3.0", "3.0", "11.0"),
            ("6", "会务与宣传", "0.5", "1.0", "1.0", "1.0", "3.5"),
            ("", "合计", "3.5", "7.5", "24.0", "21.0", "56.0")]
    d.table(rows, [12, 38, 20, 20, 20, 20, 22], size=12, rowh=10)
    d.par("")
    d.par("单位：万元。经费从学校高水平建设专项资金中列支。", size=12, indent=False, align="left")
    d.page_break()
    d.par("附件2", font=SANS, indent=False, align="left")
    d.title("年度任务分解表", size=18, after=6)
    rows = [("年度", "任务", "责任部门"),
            ("2021年", "成立合作办学领导工作小组，组建教学团队", "国际交流处"),
            ("2021年", "制定合作方案和合作办学管理办法", "国际交流处"),
            ("2022年", "邀请香港专家到校开展专题讲座", "国际交流处、教务处"),
            ("2022年", "与香港职业训练局签订合作协议", "国际交流处"),
            ("2023年", "组织教师赴港参加研修培训", "国际交流处、人事处"),
            ("2023年", "开展深港学生交流活动", "学生处、各专业部"),
            ("2024年", "选派教师赴港攻读MA-ELTA课程", "国际交流处"),
            ("2024年", "推进“1+X”书证融通", "教务处、各专业部")]
    d.table(rows, [22, 92, 40], size=12, align_cols={1}, rowh=11)
    return d


def doc_schedule():
    d = Doc("2021-2024年香港合作交流项目进度安排表", landscape=True, pagenum=None)
    d.par("2021—2024年香港职业教育合作交流项目进度安排表", size=18, font=SANS, bold=True, align="center", spacing=30)
    d.par("填报部门：国际交流处　　　　　　　　　　　　　　　　　　　　　　　　　　　　　填报日期：2021年6月15日",
          size=11, indent=False, align="left", spacing=24)
    rows = [("序号", "任务要点", "2021年", "2022年", "2023年", "2024年", "责任部门", "预期成果"),
            ("1", "建立合作办学领导工作小组及教学团队", "●", "", "", "", "国际交流处", "成立文件、团队名单"),
            ("2", "制定与香港相关职业学校合作方案", "●", "", "", "", "国际交流处", "工作方案、管理办法"),
            ("3", "邀请香港专家到校开展专题讲座", "", "●", "○", "○", "国际交流处", "讲座1次以上"),
            ("4", "与香港职业训练局签订合作协议", "", "●", "", "", "国际交流处", "合作协议1份"),
            ("5", "组织教师赴港研修培训", "", "", "●", "○", "人事处", "结业证书、研修报告"),
            ("6", "开展深港学生交流活动", "", "○", "●", "", "学生处", "活动方案、报道"),
            ("7", "选派教师赴港攻读MA-ELTA课程", "", "", "", "●", "国际交流处", "录取通知、学习证明"),
            ("8", "通过中港交流推进“1+X”书证融通", "", "", "○", "●", "教务处", "实施方案、课证对照表")]
    d.table(rows, [14, 78, 20, 20, 20, 20, 30, 48], size=12, align_cols={1, 7}, rowh=14)
    d.par("注：●为重点实施年度，○为持续推进年度。", size=11, indent=False, align="left", before=6)
    return d


# --- 2022 ---------------------------------------------------------------------

def doc_lecture_report(photo):
    d = Doc("香港职业教育专家专题讲座报道", author="国际交流处")
    d.title("香港职业教育专家走进龙职\n共话粤港澳大湾区职业教育发展", size=18, after=6)
    d.par("国际交流处　2022年11月10日", size=12, align="center", color=(90, 90, 90))
    d.par("", spacing=10)
    d.p("为进一步加强与香港职业教育专家的交流与合作，11月9日下午，我校邀请香港职业训练局专家梁国华博士到校，"
        "以“职业教育多元共治与粤港澳大湾区职业发展”为题开展专题讲座。讲座采取线上线下相结合的方式进行，"
        "副校长刘海涛出席并致辞，各专业部负责人、合作办学教学团队成员及骨干教师共80余人参加。")
    d.image(photo, 80, "图1　讲座现场")
    d.p("讲座中，梁国华博士系统介绍了香港职业专才教育的办学体系、资历架构（QF）的等级标准与学分互认机制，"
        "以及香港职业训练局以能力为本的课程开发与评核模式。他结合大量案例，分析了粤港澳大湾区先进制造、"
        "汽车服务、数字经济等产业对技术技能人才的需求，阐述了行业、企业、院校多方共同参与职业教育治理的具体做法。")
    d.p("在互动交流环节，教师代表围绕中职学生赴港升学路径、深港课程衔接、教师赴港研修等问题与梁博士深入交流。"
        "梁博士表示，香港职业训练局愿与龙岗职校在师资培训、学生交流、课程资源共享等方面开展务实合作。")
    d.p("刘海涛副校长在总结时指出，此次讲座为我校学子提供了更加广阔的教育资源和平台，拓宽了升学、留学渠道。"
        "学校将以此为契机，加快推进与香港职业训练局的合作协议签订工作，把专家讲座的成果转化为专业建设和"
        "人才培养的具体举措，进一步提升学校国际化办学水平。")
    return d


def doc_online_exchange():
    d = Doc("深港学生线上交流活动方案", author="学生处")
    d.title("2022年深港学生线上交流活动方案", size=18)
    d.p("为落实学校与香港职业院校合作交流工作方案，在疫情防控常态化条件下保持深港两地学生交流不断线，"
        "经与香港专业教育学院（IVE）协商，学校决定组织开展深港学生线上交流活动。方案如下：")
    d.h1("一、活动主题")
    d.p("“同心湾区·技能筑梦”深港学生线上交流。")
    d.h1("二、活动时间与形式")
    d.p("2022年12月5日至12月9日，每天下午15:00—16:30，通过视频会议平台进行。")
    d.h1("三、参加对象")
    d.p("我校机电技术应用、汽车运用与维修、计算机网络技术、电子商务专业二年级学生代表共40人，香港专业教育学院学生代表约30人。")
    d.h1("四、活动内容")
    rows = [("日期", "主题", "主要内容", "负责人"),
            ("12月5日", "相识湾区", "双方学校介绍、学生自我介绍", "何思远"),
            ("12月6日", "技能展示", "工业机器人编程、汽车检测演示", "周丽华"),
            ("12月7日", "职业规划", "香港升学与就业路径分享", "吴晓云"),
            ("12月8日", "数字商贸", "跨境电商直播案例交流", "林晓燕"),
            ("12月9日", "文化共享", "岭南文化展示、活动总结", "李文静")]
    d.table(rows, [24, 26, 76, 24], size=12, align_cols={2}, rowh=10)
    d.h1("五、工作要求")
    d.p("（一）各专业部做好学生遴选和活动准备，信息技术部负责网络及设备保障；")
    d.p("（二）参加学生须遵守网络文明规范，文明交流，展示龙职学子良好风貌；")
    d.p("（三）活动结束后一周内，学生处汇总活动照片、学生心得，形成活动总结报国际交流处。")
    d.sign("学生处", "2022年11月25日", gap=1)
    return d


# --- 2023 ---------------------------------------------------------------------

def doc_vtc_letter():
    d = Doc("Letter of Invitation", author="VTC", margins=(20, 22, 25, 25), pagenum="plain")
    d.BODY = 11
    st = d.d.styles["Normal"]
    st.font.size = Pt(11)
    st.paragraph_format.line_spacing = Pt(16)
    st.font.name = "Liberation Serif"
    d.par("VOCATIONAL TRAINING COUNCIL", size=18, font="Liberation Sans", bold=True, align="center",
          color=(0, 70, 140), spacing=24)
    d.par("職業訓練局", size=14, font=SANS, bold=True, align="center", color=(0, 70, 140), spacing=22)
    p = d.par("Hong Kong", size=9, align="center", color=(90, 90, 90), spacing=14)
    border(p, "bottom", "00468C", 12, 6)
    d.par("", spacing=14)
    left = lambda s, **kw: d.par(s, indent=False, align="left", font="Liberation Serif", **kw)
    left("Our Ref: VTC/IMC/2023/118")
    left("15 May 2023")
    left("")
    left("Mr CHEN Zhiming")
    left("Principal")
    left("Shenzhen Longgang Vocational and Technical School")
    left("Longgang District, Shenzhen")
    left("")
    left("Dear Principal Chen,")
    left("")
    left("Invitation: 2023 Shenzhen Skills Elite Training Programme in Hong Kong", bold=True)
    paras = [
        "Further to the Cooperation Agreement signed between our two institutions on 16 December 2022, we are "
        "pleased to invite your school to nominate teachers to join the 2023 Shenzhen Skills Elite Training "
        "Programme, to be held in Hong Kong from 10 to 21 July 2023.",
        "The programme covers curriculum development, instructional design, competency-based assessment, the "
        "management of training facilities, and career guidance for students. Participants will visit the Hong Kong "
        "Institute of Vocational Education (IVE) campuses at Tsing Yi and Sha Tin, and industry partners in "
        "engineering, automobile and information technology.",
        "A certificate of completion will be issued to participants who attend not less than 80% of the sessions "
        "and complete the assessment tasks.",
        "Please confirm the list of participants and the travel arrangements no later than two weeks before the "
        "programme. Details of the programme schedule are set out overleaf.",
    ]
    for s in paras:
        d.par(s, indent=False, font="Liberation Serif", after=8)
    left("We look forward to welcoming your colleagues to Hong Kong.")
    left("")
    left("Yours sincerely,")
    left("")
    left("")
    left("Karen LAU")
    left("Senior Manager, International and Mainland Collaboration")
    left("Vocational Training Council")
    d.page_break()
    d.par("Programme Schedule (10–21 July 2023)", size=14, font="Liberation Sans", bold=True, align="center",
          spacing=22, after=10)
    rows = [("Date", "Session", "Venue"),
            ("10 Jul", "Opening; Hong Kong Qualifications Framework", "VTC Tower"),
            ("11 Jul", "Competency-based curriculum development", "IVE (Sha Tin)"),
            ("12 Jul", "Instructional design workshop", "IVE (Sha Tin)"),
            ("13 Jul", "Engineering training centre visit", "IVE (Tsing Yi)"),
            ("14 Jul", "Assessment design and moderation", "IVE (Tsing Yi)"),
            ("17 Jul", "Industry visit: automobile services", "Partner company"),
            ("18 Jul", "Training facility management", "IVE (Chai Wan)"),
            ("19 Jul", "Career guidance and articulation pathways", "VTC Tower"),
            ("20 Jul", "Project presentation", "VTC Tower"),
            ("21 Jul", "Assessment; closing ceremony", "VTC Tower")]
    t = d.table(rows, [24, 92, 40], size=11, align_cols={1}, rowh=9)
    for row in t.rows:
        for cell in row.cells:
            for r in cell.paragraphs[0].runs:
                set_run_font(r, "Liberation Sans" if row is t.rows[0] else "Liberation Serif", 11)
    d.par("", spacing=12)
    left("Contact: Ms Karen LAU, International and Mainland Collaboration Office")
    return d


def doc_yanxiu_notice():
    d = Doc("关于选派教师参加2023年深圳市技能菁英香港研修培训班的通知", author="办公室")
    d.redhead("深龙职〔2023〕38号")
    d.title("关于选派教师参加2023年深圳市技能菁英\n香港研修培训班的通知")
    d.to("各处室、各专业部：")
    d.p("根据我校与香港职业训练局签订的合作协议及香港职业训练局来函，为进一步开阔教师国际视野，"
        "学习借鉴香港职业教育先进经验，经学校研究，决定选派6名教师参加“2023年深圳市技能菁英香港研修培训班”。"
        "现将有关事项通知如下：")
    d.h1("一、研修时间和地点")
    d.p("2023年7月10日至7月21日，香港职业训练局及香港专业教育学院青衣、沙田、柴湾分校。")
    d.h1("二、研修内容")
    d.p("课程开发、教学设计、以能力为本的评核、实训基地建设与管理、学生职业规划指导等。")
    d.h1("三、参训人员")
    rows = [("序号", "姓名", "部门", "职称", "专业方向")]
    for i, (n, dpt, tt, m) in enumerate([("周丽华", "机电部", "高级讲师", "机电技术应用"),
                                          ("谢明辉", "机电部", "讲师", "工业机器人"),
                                          ("许晓东", "汽车部", "讲师", "新能源汽车"),
                                          ("杨　帆", "信息技术部", "讲师", "网络安全"),
                                          ("赵　敏", "商贸部", "讲师", "跨境电商"),
                                          ("吴晓云", "国际交流处", "高级讲师", "英语")]):
        rows.append((str(i + 1), n, dpt, tt, m))
    d.table(rows, [14, 24, 34, 28, 40], size=12, rowh=9)
    d.h1("四、有关要求")
    d.p("（一）参训教师须按规定办理因公赴港审批手续，严格遵守外事纪律，服从培训班统一管理；")
    d.p("（二）研修期间认真学习，按时完成各项学习任务，取得结业证书；")
    d.p("（三）研修结束后两周内提交个人研修报告，由国际交流处汇总形成研修总结报告，并在全校教师会上进行分享；")
    d.p("（四）研修费用从学校高水平建设专项资金中列支。")
    d.sign(SCHOOL, "2023年6月20日", gap=1)
    d.cc("龙岗区教育局", "深圳市龙岗职业技术学校办公室", "2023年6月20日")
    return d


def doc_yanxiu_report():
    d = Doc("2023年深圳市技能菁英香港研修培训班总结报告", author="国际交流处")
    d.title("2023年深圳市技能菁英香港研修培训班\n总结报告", size=18)
    d.p("2023年7月10日至21日，我校周丽华、谢明辉、许晓东、杨帆、赵敏、吴晓云6名教师参加了由香港职业训练局承办的"
        "“2023年深圳市技能菁英香港研修培训班”。研修期间，学员参观了香港专业教育学院青衣分校、沙田分校、柴湾分校"
        "及多家合作企业，全部顺利结业。现将研修情况总结如下。")
    d.h1("一、研修基本情况")
    d.p("本次研修为期12天，采用专题讲授、工作坊、实地考察、项目汇报相结合的方式，共安排专题课程10个，"
        "实地考察5次。培训内容包括香港资历架构、以能力为本的课程开发、教学设计、评核设计与质量保证、"
        "实训基地建设与管理、学生职业规划指导等。")
    d.h1("二、主要收获")
    d.h2("（一）对香港职业教育体系有了系统认识")
    d.p("香港职业专才教育以资历架构为纽带，实现了学历教育与职业培训的贯通。课程以行业能力标准为依据，"
        "学习成果可累积、可认证、可转换，为学生提供了多元的升学与就业路径。")
    d.h2("（二）学习了以能力为本的课程开发方法")
    d.p("香港职业训练局的课程开发由行业咨询委员会深度参与，从岗位工作分析到能力单元划分、再到评核标准制定，"
        "形成了完整规范的工作流程。这对我校推进课程改革、开发校本课程具有重要借鉴意义。")
    d.h2("（三）借鉴了实训基地建设与管理经验")
    d.p("青衣分校工程实训中心按真实生产环境建设，实行企业化管理，设备利用率高，安全管理规范。"
        "其“教、学、做、评”一体化的实训组织方式，值得我校机电、汽车专业实训基地建设参考。")
    d.h2("（四）拓展了深港职业教育合作的新空间")
    d.p("研修期间，学员与香港专业教育学院教师就课程衔接、学生交流、教学资源共享等进行了深入探讨，"
        "初步达成了我校机电部、汽车部相关专业与香港专业教育学院开展专升本提升计划等合作培养意向。")
    d.h1("三、成果转化与下一步工作")
    d.p("一是研修教师已在全校教师大会上进行专题分享，并在各专业部开展二次培训6场，受训教师达120余人次；"
        "二是以能力为本的理念指导修订机电技术应用、汽车运用与维修专业人才培养方案；"
        "三是结合“1+X”证书制度试点，开展课证对照分析，推进书证融通；"
        "四是筹划2023年下半年深港学生交流活动，持续深化与香港职业训练局的合作。")
    d.par("")
    d.par("附：研修教师名单及结业情况", font=SANS, indent=False, align="left")
    rows = [("序号", "姓名", "部门", "结业证书编号", "结业情况")]
    for i, (n, dpt, no) in enumerate([("周丽华", "机电部", "030"), ("谢明辉", "机电部", "031"),
                                       ("许晓东", "汽车部", "032"), ("杨　帆", "信息技术部", "033"),
                                       ("赵　敏", "商贸部", "034"), ("吴晓云", "国际交流处", "035")]):
        rows.append((str(i + 1), n, dpt, "VTC-SZ2023-" + no, "合格"))
    d.table(rows, [14, 24, 32, 50, 26], size=12, rowh=9)
    d.sign("国际交流处", "2023年8月4日", gap=1)
    return d


def doc_student_report():
    d = Doc("深港学生交流活动报道", author="学生处")
    d.title("同心湾区　技能筑梦\n——我校开展2023年深港学生交流活动", size=18, after=6)
    d.par("学生处　2023年10月28日", size=12, align="center", color=(90, 90, 90))
    d.par("", spacing=10)
    d.p("10月25日至27日，香港专业教育学院（IVE）师生一行22人来到我校，与我校16名学生代表开展为期三天的"
        "深港学生交流活动。这是我校与香港职业训练局签订合作协议以来首次开展的线下学生交流活动。")
    d.p("开营仪式上，学生处主任何思远代表学校致欢迎辞，介绍了学校办学历史、专业设置和人才培养特色。"
        "香港专业教育学院带队老师介绍了该校的专业课程和升学路径，并表示希望以此次活动为起点，"
        "推动两校学生常态化交流。")
    d.p("活动期间，两地学生走进机电实训中心、汽车实训中心和商贸实训室，共同体验工业机器人编程、"
        "汽车检测与维修、跨境电商直播等实践项目。在机电实训中心，谢明辉老师带领两地学生分组完成机器人搬运任务，"
        "香港学生对我校实训设备和项目化教学给予高度评价。在“我眼中的大湾区”主题班会上，"
        "两地学生分享了各自的学习生活和职业规划，畅谈对粤港澳大湾区发展的期待。")
    d.p("10月27日上午，两地师生共同体验醒狮、书法等岭南传统文化项目。在交流总结会上，国际交流处主任李文静"
        "为参加活动的学生颁发了纪念证书。她表示，学生交流是深港职业教育合作的重要内容，学校将持续拓展"
        "交流形式和内容，为学生搭建更广阔的成长平台。")
    d.p("参加活动的我校学生纷纷表示，通过三天的交流，不仅结识了香港的新朋友，也更加了解了香港的职业教育和"
        "升学就业路径，开阔了视野，增强了专业学习的动力。")
    return d


# --- 2024 ---------------------------------------------------------------------

def doc_ma_reply():
    d = Doc("关于同意吴晓云老师赴香港攻读MA-ELTA课程的批复", author="办公室")
    d.redhead("深龙职〔2024〕27号")
    d.title("关于同意吴晓云老师赴香港攻读\nMA-ELTA课程的批复")
    d.to("国际交流处：")
    d.p("你处《关于吴晓云老师申请赴香港攻读MA-ELTA课程的请示》收悉。经学校国（境）外合作办学教学领导工作小组"
        "审议，现批复如下：")
    d.p("一、同意吴晓云老师以在职兼读方式赴香港攻读英语教学与评估文学硕士（MA-ELTA）课程，学制两年"
        "（2024年9月至2026年7月）。")
    d.p("二、学习期间，吴晓云老师应妥善处理工作与学习的关系，在完成本职教学工作的前提下参加学习。"
        "学校按照《深圳市龙岗职业技术学校与香港合作办学管理办法（试行）》有关规定给予学费资助。")
    d.p("三、吴晓云老师应每学期向国际交流处报告学习情况，学成后须在校服务不少于五年，"
        "并承担双语教学、国际交流及青年教师英语能力提升等相关工作。")
    d.p("此复。")
    d.sign(SCHOOL, "2024年7月2日", gap=1)
    return d


def doc_1x_plan():
    d = Doc("“1+X”证书制度试点与书证融通实施方案", author="教务处")
    d.title(SCHOOL + "\n“1+X”证书制度试点与书证融通实施方案", size=18)
    d.p("为深入推进“1+X”证书制度试点工作，借鉴香港资历架构和以能力为本的课程开发经验，"
        "通过中港交流推进书证融通，开拓专业建设新发展，结合学校实际，制定本方案。")
    d.h1("一、工作目标")
    d.p("2024年，在机电技术应用、汽车运用与维修、计算机网络技术3个专业开展书证融通改革，完成3个专业的课证对照分析，"
        "重构专业核心课程不少于6门，编制书证融通课程标准6份；参加职业技能等级证书考核的学生通过率达到85%以上。")
    d.h1("二、试点证书与专业")
    rows = [("专业", "职业技能等级证书", "等级", "计划考核人数"),
            ("机电技术应用", "工业机器人应用编程", "初级", "80"),
            ("汽车运用与维修", "汽车运用与维修（含智能新能源汽车）", "初级", "90"),
            ("计算机网络技术", "网络系统建设与运维", "初级", "70")]
    d.table(rows, [36, 70, 16, 30], size=12, rowh=10)
    d.h1("三、主要任务")
    d.h2("（一）开展课证对照分析")
    d.p("以职业技能等级标准为依据，借鉴香港职业训练局能力单元的分析方法，将证书考核要点逐项对应到专业课程，"
        "形成课证对照表，明确“课证共融、以证促课”的改革路径。")
    d.h2("（二）重构专业课程体系")
    d.p("将证书培训内容融入专业核心课程，调整课程内容和学时安排，开发基于真实工作任务的项目化教学资源，"
        "实现证书培训与专业教学同步实施。")
    d.h2("（三）改革考核评价方式")
    d.p("参照香港以能力为本的评核模式，建立过程性评价与证书考核相结合的评价体系，将证书考核结果纳入课程成绩认定。")
    d.h2("（四）加强师资队伍建设")
    d.p("组织赴港研修教师开展二次培训，选派专业教师参加证书培训评价组织的师资培训，"
        "每个试点专业培养不少于3名持证考评员。")
    d.h1("四、实施步骤")
    d.p("2024年3—4月，完成课证对照分析；5—7月，完成课程标准编制和课程重构；9—11月，组织教学实施和证书考核；"
        "12月，总结评估，形成书证融通改革成果。")
    d.h1("五、保障措施")
    d.p("成立由分管教学副校长任组长的“1+X”证书制度试点工作小组，教务处牵头组织实施，各专业部具体落实；"
        "试点经费从高水平建设专项资金中列支；将书证融通工作纳入专业部年度考核。")
    d.sign("教务处", "2024年3月12日", gap=1)
    return d


def doc_1x_table():
    d = Doc("“1+X”书证融通课程对照表", author="教务处")
    d.title("“1+X”书证融通课程对照表\n编制说明", size=18)
    d.p("本表依据《“1+X”证书制度试点与书证融通实施方案》编制，以工业机器人应用编程职业技能等级证书（初级）为例，"
        "对照香港资历架构能力单元的描述方式，将证书工作领域、工作任务和职业技能要求逐项对应到机电技术应用专业课程。")
    d.p("编制过程中，教务处组织机电部专业教师与赴港研修教师共同研讨，对每项技能要求明确对应课程、学时和考核方式。"
        "对照结果显示，证书技能要求已全部覆盖，其中对应现有课程的占75%，需新增或调整教学内容的占25%，"
        "已纳入2024级人才培养方案修订。")
    d.p("其他试点专业的课程对照表由各专业部按同一格式编制，报教务处备案。")
    d.sign("教务处", "2024年5月20日", gap=2)
    d.landscape_section()
    d.par("工业机器人应用编程职业技能等级证书（初级）与专业课程对照表", size=16, font=SANS, bold=True,
          align="center", spacing=28, after=8)
    rows = [("工作领域", "工作任务", "职业技能要求（摘要）", "对应课程", "学时", "考核方式"),
            ("工业机器人参数设置", "机器人系统参数设置", "能设置工业机器人系统语言、时间、运行模式等基本参数", "工业机器人基础", "8", "实操"),
            ("", "工具坐标系标定", "能使用四点法、六点法完成工具坐标系标定", "工业机器人基础", "6", "实操"),
            ("工业机器人操作", "手动操作", "能使用示教器完成单轴、线性、重定位运动操作", "工业机器人操作与编程", "10", "实操"),
            ("", "安全操作", "能识别安全标识，按规范完成急停、复位等操作", "工业机器人操作与编程", "4", "笔试+实操"),
            ("工业机器人编程", "基础编程", "能完成搬运、码垛等典型应用的程序编写与调试", "工业机器人操作与编程", "16", "实操"),
            ("", "I/O 通信", "能配置数字量输入输出信号并与外围设备联调", "电气控制与PLC", "12", "实操"),
            ("工业机器人系统维护", "日常维护", "能按维护手册完成机器人本体及控制柜的日常检查", "工业机器人维护与保养", "8", "实操+报告"),
            ("", "数据备份与恢复", "能完成系统数据的备份与恢复", "工业机器人维护与保养", "4", "实操")]
    d.table(rows, [40, 36, 86, 46, 16, 26], size=11, align_cols={2}, rowh=14)
    return d


def doc_summary():
    d = Doc("搭建香港职业教育合作交流平台建设总结报告", author="国际交流处")
    d.title("“搭建香港职业教育合作交流平台”\n建设总结报告", size=18)
    d.h1("一、建设任务完成情况")
    d.p("“搭建香港职业教育合作交流平台”方面共有8个任务要点，截至2024年年底，共完成8个建设任务点，任务完成率100%。")
    rows = [("序号", "任务要点", "完成时间", "完成情况")]
    for i, (t, y) in enumerate([("建立合作办学领导工作小组及教学团队", "2021年4月"),
                                ("制定与香港相关职业学校合作方案", "2021年6月"),
                                ("邀请香港专家到校开展专题讲座", "2022年11月"),
                                ("与香港职业训练局签订合作协议", "2022年12月"),
                                ("组织教师赴港参加研修培训", "2023年7月"),
                                ("开展深港学生交流活动", "2023年10月"),
                                ("选派教师赴港攻读MA-ELTA课程", "2024年9月"),
                                ("通过中港交流推进“1+X”书证融通", "2024年12月")]):
        rows.append((str(i + 1), t, y, "已完成"))
    d.table(rows, [14, 88, 28, 24], size=12, align_cols={1}, rowh=9)
    d.par("")
    d.h1("二、主要做法与成效")
    d.h2("（一）健全机构制度，夯实合作基础")
    d.p("学校成立外事工作领导小组和办公室、国（境）外合作办学教学领导工作小组，组建由15名专业带头人和骨干教师组成的"
        "合作办学教学团队；制定《与香港合作办学管理办法（试行）》和合作交流工作方案，形成了“领导小组统筹、"
        "国际交流处归口、专业部实施”的工作机制。")
    d.h2("（二）锚定核心伙伴，构建合作网络")
    d.p("2022年12月，学校与香港职业训练局签订合作协议，在师资培训、专家交流、课程与资源、学生交流、证书互认等方面"
        "建立长期合作关系。香港职业教育专家多次来校（线上）讲学，为专业建设和人才培养提供指导。")
    d.h2("（三）深化师资交流，提升教师国际视野")
    d.p("2023年组织6名教师赴港参加深圳市技能菁英香港研修培训班，全部取得结业证书，回校开展二次培训6场；"
        "2024年选派吴晓云老师赴港攻读MA-ELTA课程，提升双语教学和评价能力。")
    d.h2("（四）拓展学生交流，搭建成长平台")
    d.p("2022年开展深港学生线上交流活动，2023年接待香港专业教育学院师生来校交流，两地学生在技能体验、"
        "文化交流中增进了解，拓宽了升学与职业发展视野。")
    d.h2("（五）推进书证融通，开拓专业建设新发展")
    d.p("借鉴香港以能力为本的课程开发和评核经验，在3个专业开展“1+X”书证融通改革，完成课证对照分析，"
        "重构专业核心课程6门，2024年职业技能等级证书考核通过率达89.6%。")
    d.h1("三、存在问题")
    d.p("一是学生赴港交流的规模和频次仍有待提高；二是合作项目的成果转化机制还需进一步完善；"
        "三是与香港院校在学历衔接方面的合作尚处于起步阶段。")
    d.h1("四、下一步工作")
    d.p("学校将继续深耕具有龙职特色的国际化办学，巩固与香港职业训练局的合作关系，拓展与香港其他职业院校和行业机构的合作；"
        "推进职专毕业生赴港升学和留港发展计划；完善教师赴港研修常态化机制；将书证融通改革推广到全部专业，"
        "持续提升深港职业教育合作交流水平。")
    d.sign(SCHOOL, "2024年12月20日", gap=1)
    return d


if __name__ == "__main__":
    stage, tmp, out = sys.argv[1], sys.argv[2], sys.argv[3]
    if stage == "images":
        make_images(tmp, out)
    elif stage == "docs":
        make_docs(tmp, out)
    else:
        sys.exit("unknown stage " + stage)
