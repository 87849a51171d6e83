// The editing panel for the chosen item (its title, narrative paragraphs, a file's path and page
// selector, its problems) and the cover fields. Each field is saved when it loses focus.

import * as M from "./model.js";
import { state, t, edit, problems } from "./app.js";

const $ = (id) => document.getElementById(id);
const COVER = ["project", "chapter", "subtitle", "organization", "date"];

function field(labelText, value, multiline, onChange) {
  const label = document.createElement("label");
  label.className = "field";
  const span = document.createElement("span");
  span.textContent = labelText;
  const input = document.createElement(multiline ? "textarea" : "input");
  input.value = value || "";
  if (multiline) input.rows = 4;
  input.addEventListener("change", () => onChange(input.value));
  label.append(span, input);
  return label;
}

/// Redrawing while someone types would lose their cursor: a panel with focus is left alone.
function busy(el) {
  return el.contains(document.activeElement) && document.activeElement.matches("input,textarea");
}

export function renderCover() {
  const box = $("cover-fields");
  if (busy(box)) return;
  box.replaceChildren();
  box.append(field(t("serve.title"), state.doc.title, false, (v) => edit(M.setTitle(state.doc, [], v.trim()))));
  const cover = state.doc.cover || {};
  for (const k of COVER) {
    box.append(field(t("serve.cover." + k), cover[k], false, (v) => edit(M.setCover(state.doc, k, v.trim()))));
  }
}

export function renderDetails() {
  const panel = $("details");
  if (busy(panel)) return;
  panel.replaceChildren();
  const p = state.selected;
  const value = p && M.get(state.doc, p);
  if (!p || value === undefined) return;
  const kind = M.kindOf(p);
  const h = document.createElement("h2");
  h.textContent = t("serve.kind." + kind);
  panel.append(h);
  if (kind === "file") {
    panel.append(field(t("serve.file_path"), M.fileOf(value), false, (v) => v.trim() && edit(M.setTitle(state.doc, p, v.trim()), p)));
    const pages = typeof value === "object" ? value.pages || "" : "";
    panel.append(field(t("serve.page_selector"), pages, false, (v) => edit(M.setPages(state.doc, p, v.trim()), p)));
    const a = document.createElement("a");
    a.href = "/files/" + M.fileOf(value).split(/[\\/]/).map(encodeURIComponent).join("/");
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = M.fileOf(value);
    panel.append(a);
  } else {
    panel.append(field(t("serve.title"), value.title, false, (v) => v.trim() && edit(M.setTitle(state.doc, p, v.trim()), p)));
  }
  if (kind === "part" || kind === "section") {
    const texts = Array.isArray(value.text) ? value.text : [];
    const fs = document.createElement("fieldset");
    fs.append(Object.assign(document.createElement("legend"), { textContent: t("serve.text") }));
    texts.forEach((text, i) => {
      const f = field(t("serve.text") + " " + (i + 1), text, true, (v) => {
        const next = texts.slice();
        if (v.trim()) next[i] = v;
        else next.splice(i, 1);
        edit(M.setText(state.doc, p, next), p);
      });
      fs.append(f);
    });
    const add = document.createElement("button");
    add.type = "button";
    add.textContent = t("serve.add_text");
    add.addEventListener("click", () => {
      edit(M.setText(state.doc, p, texts.concat([t("serve.new_text")])), p);
      const all = $("details").querySelectorAll("textarea");
      if (all.length) { all[all.length - 1].focus(); all[all.length - 1].select(); }
    });
    fs.append(add);
    panel.append(fs);
  }
  if (kind !== "file") {
    const entry = M.entryOf(state.doc, p);
    const mine = problems().filter((x) => (x.entry || []).length === entry.length && entry.every((e, i) => x.entry[i] === e));
    if (mine.length) {
      const ul = document.createElement("ul");
      ul.className = "problems";
      for (const x of mine) {
        const li = document.createElement("li");
        li.className = x.severity === "warning" ? "warning" : "error";
        li.textContent = x.message + (x.file ? " — " + x.file : "") + (x.hint ? "（" + x.hint + "）" : "");
        ul.append(li);
      }
      panel.append(ul);
    }
  }
}
