// 生成: the same build as the command line, its progress as the server reports it, then the binder's
// pages drawn in the page (PDF.js, vendored), a link to open it, and what changed since last time.

import { state, t, refresh } from "./app.js";

const $ = (id) => document.getElementById(id);
let pdfjs = null;

export async function startBuild() {
  $("build").disabled = true;
  $("progress").hidden = false;
  $("progress-label").textContent = t("serve.building");
  $("build-line").textContent = "";
  $("changes-line").textContent = "";
  const r = await fetch("/api/build", { method: "POST" });
  if (!r.ok && r.status !== 409) {
    $("build").disabled = false;
    $("progress").hidden = true;
  }
}

export function onProgress(p) {
  $("build").disabled = true;
  $("progress").hidden = false;
  const bar = $("progress-bar");
  if (p.total) {
    bar.max = p.total;
    bar.value = p.done;
    $("progress-label").textContent = `${p.label} ${p.done}/${p.total}`;
  } else {
    bar.removeAttribute("value");
    $("progress-label").textContent = p.label;
  }
}

export async function onBuilt(b) {
  $("build").disabled = false;
  $("progress").hidden = true;
  $("build-line").textContent = b.line;
  $("changes-line").textContent = b.changes || "";
  state.buildProblems = [];
  const link = $("open-pdf");
  link.href = "/binder.pdf?build=" + b.build;
  link.hidden = false;
  await printedPages(b);
  refresh();
  preview("/binder.pdf?build=" + b.build);
}

/// What was built before the page opened: the last 生成 of this session (the page was reloaded), or
/// a binder built earlier (on the command line, or before the page was last opened), shown until
/// the next build.
export async function showEarlier() {
  const r = await fetch("/api/build");
  if (!r.ok) return;
  const { building, last, earlier } = await r.json();
  if (building) return;
  if (last && last.ok) return onBuilt(last);
  if (earlier) return onBuilt({ output: earlier.output, line: t("serve.earlier_binder"), build: "at" + earlier.modified });
}

export function onFailed(f) {
  $("build").disabled = false;
  $("progress").hidden = true;
  $("build-line").textContent = t("serve.build_failed") + (f.problems && f.problems.length ? "" : " " + f.message);
  state.buildProblems = f.problems || [];
  state.buildVersion = state.version;
  refresh();
}

/// Each file's printed pages, from the manifest the build leaves beside the binder.
async function printedPages(b) {
  if (!b.output || b.volumes) return;
  const manifest = b.output.replace(/\.pdf$/i, "") + ".manifest.json";
  try {
    const r = await fetch("/files/" + manifest.split("/").map(encodeURIComponent).join("/"));
    if (!r.ok) return;
    const m = await r.json();
    const rows = Array.isArray(m) ? m : m.pages || [];
    // A file used twice shows where it first appears.
    const printed = {};
    let prev = null;
    for (const row of rows) {
      const p = row.file && printed[row.file];
      if (!row.file) prev = null;
      else if (!p) printed[row.file] = { from: row.printed, to: row.printed };
      else if (prev === row.file && !p.closed) p.to = row.printed;
      else p.closed = true;
      prev = row.file || null;
    }
    state.printed = printed;
  } catch (e) {
    state.printed = null;
  }
}

/// The binder's pages as small pictures, drawn when they scroll into view.
async function preview(url) {
  const box = $("preview");
  box.replaceChildren();
  if (!pdfjs) {
    pdfjs = await import("/assets/vendor/pdfjs/pdf.min.mjs");
    pdfjs.GlobalWorkerOptions.workerSrc = "/assets/vendor/pdfjs/pdf.worker.min.mjs";
  }
  const pdf = await pdfjs.getDocument({ url, isEvalSupported: false }).promise;
  const draw = async (fig) => {
    if (fig.dataset.drawn) return;
    fig.dataset.drawn = "1";
    const page = await pdf.getPage(Number(fig.dataset.page));
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: 160 / base.width });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(viewport.width);
    canvas.height = Math.round(viewport.height);
    await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
    fig.querySelector(".sheet").replaceWith(canvas);
    fig.dataset.rendered = "1";
  };
  const seen = new IntersectionObserver((entries) => {
    for (const e of entries) if (e.isIntersecting) draw(e.target);
  }, { root: box, rootMargin: "200px" });
  for (let n = 1; n <= pdf.numPages; n++) {
    const fig = document.createElement("figure");
    fig.dataset.page = String(n);
    fig.setAttribute("role", "img");
    fig.setAttribute("aria-label", t("serve.preview_page", { n }));
    const sheet = document.createElement("div");
    sheet.className = "sheet";
    const cap = document.createElement("figcaption");
    cap.textContent = String(n);
    fig.append(sheet, cap);
    box.append(fig);
    seen.observe(fig);
  }
  box.dataset.pages = String(pdf.numPages);
}
