// The page: holds the outline, saves each edit at once with the version it was based on, keeps the
// undo history, and listens to the server for changes on disk, problems and builds.

import * as M from "./model.js";
import { renderTree, selectPath, initTree } from "./tree.js";
import { renderDetails, renderCover } from "./edit.js";
import { openPicker, uploadFiles, initPicker } from "./files.js";
import { startBuild, onProgress, onBuilt, onFailed, showEarlier } from "./build.js";

const $ = (id) => document.getElementById(id);

export const state = {
  doc: null,
  version: "",
  selected: null,
  undo: [],
  redo: [],
  check: null,
  buildProblems: [],
  saving: false,
  pending: false,
  conflict: null,
  tab: Math.random().toString(36).slice(2),
  msgs: {},
};

export function t(key, args) {
  let s = state.msgs[key] || key;
  for (const [k, v] of Object.entries(args || {})) s = s.split("{" + k + "}").join(String(v));
  return s;
}

function saveState(key) {
  $("save-state").textContent = key ? t(key) : "";
}

/// Apply an edit: the new document replaces the old, which goes on the undo stack, and is saved.
export function edit(newDoc, select) {
  if (!state.doc || JSON.stringify(newDoc) === JSON.stringify(state.doc)) return;
  state.undo.push(state.doc);
  if (state.undo.length > 200) state.undo.shift();
  state.redo = [];
  state.doc = newDoc;
  if (select) state.selected = select;
  refresh();
  save();
}

function undoRedo(from, to) {
  if (!from.length || !state.doc) return;
  to.push(state.doc);
  state.doc = from.pop();
  refresh();
  save();
}

/// Saves run one at a time; edits made meanwhile go out together in the next one.
export async function save() {
  if (state.saving) {
    state.pending = true;
    return;
  }
  if (state.conflict) return;
  state.saving = true;
  saveState("serve.saving");
  try {
    const r = await fetch("/api/dossier", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ base: state.version, doc: state.doc, tab: state.tab }),
    });
    const body = await r.json();
    if (r.ok) {
      state.version = body.version;
      saveState("serve.saved");
    } else if (r.status === 409) {
      state.conflict = body;
      state.pending = false;
      saveState("serve.save_error");
      showConflict();
    } else {
      saveState("serve.save_error");
      banner(body.message || "", []);
    }
  } catch (e) {
    saveState("serve.save_error");
    banner(t("serve.connection_lost"), []);
  } finally {
    state.saving = false;
  }
  if (state.pending && !state.conflict) {
    state.pending = false;
    save();
  }
}

export function banner(text, choices) {
  const b = $("banner");
  b.replaceChildren();
  if (!text) {
    b.hidden = true;
    return;
  }
  const p = document.createElement("span");
  p.textContent = text;
  b.append(p);
  for (const [label, act] of choices) {
    const btn = document.createElement("button");
    btn.type = "button";
    btn.textContent = label;
    btn.addEventListener("click", act);
    b.append(" ", btn);
  }
  b.hidden = false;
}

/// Someone else saved first: both versions stay, and the clerk chooses.
function showConflict() {
  const choices = [[t("serve.keep_mine"), () => keepMine()]];
  if (state.conflict.doc) choices.unshift([t("serve.take_theirs"), () => takeTheirs()]);
  banner(t("serve.changed_on_disk"), choices);
  const first = $("banner").querySelector("button");
  if (first) first.focus();
}

function takeTheirs() {
  const c = state.conflict;
  state.conflict = null;
  banner("");
  if (c.doc) {
    state.undo.push(state.doc);
    state.doc = c.doc;
  }
  state.version = c.version;
  saveState("");
  refresh();
}

function keepMine() {
  const c = state.conflict;
  state.conflict = null;
  banner("");
  state.version = c.version;
  save();
}

async function reload(notice) {
  const r = await fetch("/api/dossier");
  const body = await r.json();
  if (!body.doc) {
    // The version stays the last good one: an edit now meets the broken file as a conflict, and
    // the clerk decides, instead of the page writing over what someone is typing in an editor.
    banner(t("serve.broken_file", { error: body.error || "" }), []);
    return;
  }
  if (state.doc && notice) {
    state.undo.push(state.doc);
    banner(t("serve.reloaded"), []);
    setTimeout(() => {
      if ($("banner").textContent === t("serve.reloaded")) banner("");
    }, 4000);
  } else if (notice === false) {
    banner("");
  }
  state.doc = body.doc;
  state.version = body.version;
  refresh();
}

export function refresh() {
  if (!state.doc) return;
  $("doc-title").textContent = state.doc.title || t("serve.untitled");
  document.title = (state.doc.title || "") + " · " + t("serve.page_title");
  $("undo").disabled = !state.undo.length;
  $("redo").disabled = !state.redo.length;
  renderCover();
  renderTree();
  renderDetails();
  renderProblems();
  // When the outline first stood on screen, for bench/serve.py.
  if (!window.dossierTreeAt && document.querySelector("[role=treeitem]")) window.dossierTreeAt = performance.now();
}

/// The problems of the last check (and of a failed build), listed and marked on their entries.
export function problems() {
  const list = (state.check && state.check.problems) || [];
  const id = (p) => [(p.entry || []).join("\u0000"), p.file || "", p.message].join("\u0001");
  const seen = new Set(list.map(id));
  return list.concat(state.buildProblems.filter((p) => !seen.has(id(p))));
}

function renderProblems() {
  const ul = $("problems");
  ul.replaceChildren();
  const all = problems();
  const figures = $("figures");
  figures.replaceChildren();
  const st = state.check && state.check.status;
  if (st && st.figures && st.figures.parts) {
    for (const p of st.figures.parts) {
      const div = document.createElement("p");
      div.className = "figure";
      div.textContent = t("serve.figures", {
        title: p.title, done: p.tasks_done, total: p.tasks_total, rate: p.completion_rate_text,
      });
      figures.append(div);
    }
  }
  if (!state.check) {
    ul.append(Object.assign(document.createElement("li"), { textContent: t("serve.checking") }));
    return;
  }
  if (!all.length) {
    ul.append(Object.assign(document.createElement("li"), { textContent: t("serve.no_problems"), className: "ok" }));
    return;
  }
  for (const p of all) {
    const li = document.createElement("li");
    li.className = p.severity === "warning" ? "warning" : "error";
    const b = document.createElement("button");
    b.type = "button";
    b.className = "link";
    b.textContent = (p.entry && p.entry.length ? p.entry.join(" › ") : t("serve.other_problems"));
    b.addEventListener("click", () => selectPath(findEntry(p.entry || [])));
    const msg = document.createElement("div");
    msg.textContent = p.message + (p.file ? " — " + p.file : "");
    li.append(b, msg);
    if (p.hint) li.append(Object.assign(document.createElement("div"), { className: "hint", textContent: p.hint }));
    ul.append(li);
  }
}

/// The tree path of the entry a problem names by its titles.
export function findEntry(entry) {
  let found = null;
  M.walk(state.doc, (path) => {
    if (found || M.kindOf(path) === "file") return;
    const e = M.entryOf(state.doc, path);
    if (e.length === entry.length && e.every((x, i) => x === entry[i])) found = path;
  });
  return found;
}

function listen() {
  const es = new EventSource("/api/events");
  es.addEventListener("changed", (ev) => {
    const d = JSON.parse(ev.data);
    if (d.by === state.tab || d.version === state.version) return;
    // An edit on its way out will meet the new version and ask; otherwise show the file as it is.
    if (state.saving || state.pending || state.conflict) return;
    reload(true);
  });
  es.addEventListener("check", (ev) => {
    state.check = JSON.parse(ev.data);
    // A failed build's problems hold until the outline changes; the check then tells what is left.
    if (state.check.version !== state.buildVersion) state.buildProblems = [];
    refresh();
  });
  es.addEventListener("progress", (ev) => onProgress(JSON.parse(ev.data)));
  es.addEventListener("built", (ev) => onBuilt(JSON.parse(ev.data)));
  es.addEventListener("failed", (ev) => onFailed(JSON.parse(ev.data)));
  es.addEventListener("open", () => {
    if ($("banner").textContent === t("serve.connection_lost")) banner("");
  });
  es.onerror = () => {
    if (es.readyState !== EventSource.OPEN) banner(t("serve.connection_lost"), []);
  };
}

function keys(ev) {
  if (!(ev.ctrlKey || ev.metaKey)) return;
  const tag = (ev.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea") return;
  const k = ev.key.toLowerCase();
  if (k === "z" && !ev.shiftKey) {
    ev.preventDefault();
    undoRedo(state.undo, state.redo);
  } else if (k === "y" || (k === "z" && ev.shiftKey)) {
    ev.preventDefault();
    undoRedo(state.redo, state.undo);
  }
}

async function main() {
  state.msgs = await (await fetch("/i18n.json")).json();
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  $("undo").addEventListener("click", () => undoRedo(state.undo, state.redo));
  $("redo").addEventListener("click", () => undoRedo(state.redo, state.undo));
  $("build").addEventListener("click", startBuild);
  $("add-part").addEventListener("click", () => {
    const [d, p] = M.append(state.doc, [], "parts", { title: t("serve.new_part") });
    edit(d, p);
  });
  document.addEventListener("keydown", keys);
  initTree();
  initPicker();
  window.dossierPage = { state, openPicker, uploadFiles };
  listen();
  await reload();
  // Not after the check, which may convert Word files for a while.
  showEarlier();
  const c = await fetch("/api/check");
  if (c.status === 200) state.check = await c.json();
  refresh();
  document.body.dataset.ready = "1";
}

main();
