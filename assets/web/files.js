// Adding evidence from files: dropped from the desktop onto a section (copied into the dossier's
// folder, in a folder named after the section), or picked from the files already in the folder,
// those no evidence uses yet first.

import * as M from "./model.js";
import { state, t, edit, banner } from "./app.js";

const $ = (id) => document.getElementById(id);

/// Copy the files into the folder, then add one evidence item per file to the section, as one edit.
export async function uploadFiles(section, files) {
  if (!files.length || !section.length) return;
  const dir = M.entryOf(state.doc, section).join("/");
  const added = [];
  for (const f of files) {
    $("save-state").textContent = t("serve.uploading", { name: f.name });
    const url = "/api/upload?dir=" + encodeURIComponent(dir) + "&name=" + encodeURIComponent(f.name);
    try {
      const r = await fetch(url, { method: "POST", body: f });
      const body = await r.json().catch(() => ({}));
      if (!r.ok) {
        banner(body.message || t("serve.upload_failed", { error: r.status }), []);
        continue;
      }
      added.push(body.path);
    } catch (e) {
      banner(t("serve.upload_failed", { error: e }), []);
    }
  }
  $("save-state").textContent = "";
  addEvidence(section, added);
}

function addEvidence(target, paths) {
  if (!paths.length) return;
  let d = state.doc;
  let last = null;
  for (const p of paths) {
    if (M.kindOf(target) === "evidence") {
      [d, last] = M.append(d, target, "files", p);
    } else {
      [d, last] = M.append(d, target, "evidence", M.evidenceFor(p));
    }
  }
  edit(d, last);
}

let pickFor = null;

export async function openPicker(target) {
  pickFor = target;
  const dlg = $("files-dialog");
  const ul = $("files-list");
  ul.replaceChildren();
  const r = await fetch("/api/files");
  const body = await r.json();
  for (const f of body.files || []) {
    const li = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = f.path;
    const name = document.createElement("span");
    name.textContent = f.path;
    const tag = document.createElement("span");
    tag.className = f.used ? "used" : "unused";
    tag.textContent = t(f.used ? "serve.files_used" : "serve.files_unused");
    label.append(box, " ", name, " ", tag);
    li.append(label);
    ul.append(li);
  }
  dlg.showModal();
  const first = ul.querySelector("input");
  if (first) first.focus();
}

export function initPicker() {
  const dlg = $("files-dialog");
  $("files-cancel").addEventListener("click", () => dlg.close());
  $("files-add").addEventListener("click", () => {
    const chosen = [...$("files-list").querySelectorAll("input:checked")].map((b) => b.value);
    dlg.close();
    if (pickFor) addEvidence(pickFor, chosen);
  });
}
