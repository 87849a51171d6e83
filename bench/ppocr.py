#!/usr/bin/env python3
"""PP-OCR (the models inside the PyPI wheel `rapidocr`, run by onnxruntime) against Tesseract on the
scans the OCR tests make (tests/ocr.rs: a notice drawn with the Noto CJK fonts, noise, 0.6° skew; as
grey JPEG and as 1-bit G4 TIFF) and on a denser page like bench/ocr.sh's: CER with whitespace removed
against the text drawn, and seconds a page (wall time, each engine on one thread, one page at a time).

Usage: bench/ppocr.py   (needs ImageMagick, tesseract with chi_sim, pip install rapidocr onnxruntime)
"""
import os
import re
import subprocess
import sys
import tempfile
import time

os.environ["OMP_THREAD_LIMIT"] = "1"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERIF = os.path.join(REPO, "assets/fonts/NotoSerifCJKsc-Regular.otf")
SANS = os.path.join(REPO, "assets/fonts/NotoSansCJKsc-Bold.otf")
TITLE = "关于开展粤港职业教育师资交流活动的通知"
BODY = ["各系部、各科室：", "为落实学校2023年工作计划，经研究，决定开展Web课程", "与1+X证书培训交流活动，联系电话13800138000。"]
DENSE = ["为落实学校2023年工作计划，经研究，决定开展粤港职业教育师资交流活动",
         "各系部、各科室要高度重视，按照通知要求认真组织，确保活动取得实效",
         "活动时间：2023年11月9日至11月10日，地点：学校图书馆报告厅（Web直播）",
         "联系人：王老师，联系电话13800138000，电子邮箱 office@example.edu.cn"]


def cer(expected, got):
    a, b = re.sub(r"\s+", "", expected), re.sub(r"\s+", "", got)
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            cur = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
            prev = cur
    return row[len(b)] / max(1, len(a))


def make(d):
    """(name, image path, text drawn)"""
    out = []
    notice = os.path.join(d, "notice.jpg")
    subprocess.run(["convert", "-size", "1240x1754", "xc:white", "-fill", "black",
                    "-font", SANS, "-pointsize", "40", "-annotate", "+180+250", TITLE,
                    "-font", SERIF, "-pointsize", "28", "-annotate", "+150+400", BODY[0],
                    "-annotate", "+150+460", BODY[1], "-annotate", "+150+520", BODY[2],
                    "-seed", "7", "-attenuate", "0.3", "+noise", "Gaussian", "-rotate", "0.6", "-gravity", "center",
                    "-extent", "1240x1754", "-colorspace", "Gray", "-quality", "80", notice], check=True)
    out.append(("notice, grey JPEG 150 dpi", notice, TITLE + "".join(BODY)))
    fax = os.path.join(d, "notice.tif")
    subprocess.run(["convert", notice, "-threshold", "55%", "-density", "150", "-compress", "Group4", fax], check=True)
    out.append(("notice, G4 TIFF 150 dpi", fax, TITLE + "".join(BODY)))
    dense = os.path.join(d, "dense.jpg")
    args = ["convert", "-size", "1654x2339", "xc:white", "-fill", "black", "-font", SANS, "-pointsize", "52",
            "-annotate", "+200+300", "关于开展第3期粤港职业教育师资交流活动的通知", "-font", SERIF, "-pointsize", "36"]
    text = "关于开展第3期粤港职业教育师资交流活动的通知"
    for k in range(14):
        args += ["-annotate", f"+180+{480 + k * 110}", DENSE[k % 4]]
        text += DENSE[k % 4]
    subprocess.run(args + ["-attenuate", "0.3", "+noise", "Gaussian", "-rotate", "0.5", "-gravity", "center",
                           "-extent", "1654x2339", "-colorspace", "Gray", "-quality", "80", dense], check=True)
    out.append(("dense page, grey JPEG 200 dpi", dense, text))
    return out


def tesseract(path):
    r = subprocess.run(["tesseract", path, "-", "-l", "chi_sim", "--psm", "3"], capture_output=True, text=True)
    return r.stdout


def main():
    try:
        import onnxruntime
        from rapidocr import RapidOCR
    except ImportError:
        sys.exit("pip install rapidocr onnxruntime")
    print(f"onnxruntime {onnxruntime.__version__}")
    engine = RapidOCR(params={"EngineConfig.onnxruntime.intra_op_num_threads": 1,
                              "EngineConfig.onnxruntime.inter_op_num_threads": 1})
    with tempfile.TemporaryDirectory() as d:
        pages = make(d)
        # PNG for PP-OCR: it reads what OpenCV/Pillow read; G4 TIFF as 8-bit grey.
        warm = os.path.join(d, "warm.png")
        subprocess.run(["convert", pages[0][1], warm], check=True)
        engine(warm)   # loads the models outside the timing
        print(f"{'page':32} {'Tesseract CER':>13} {'s':>6}   {'PP-OCR CER':>10} {'s':>6}")
        for name, path, text in pages:
            png = os.path.join(d, os.path.basename(path) + ".png")
            subprocess.run(["convert", path, "-depth", "8", png], check=True)
            r0 = time.perf_counter()
            tess = tesseract(path)
            t_tess = time.perf_counter() - r0
            r1 = time.perf_counter()
            res = engine(png)
            t_pp = time.perf_counter() - r1
            pp = "".join(res.txts or ()) if res is not None else ""
            print(f"{name:32} {cer(text, tess) * 100:12.2f}% {t_tess:6.2f}   {cer(text, pp) * 100:9.2f}% {t_pp:6.2f}")


if __name__ == "__main__":
    main()
