// The outline as an ARIA tree: parts, sections, evidence and files, each item named by its title,
// one tab stop with the arrow keys moving inside (as a file manager's tree), renamed in place,
// reordered by dragging or by the move buttons, and a drop target for files from the desktop.

import * as M from "./model.js";
import { state, t, edit, problems } from "./app.js";
import { uploadFiles, openPicker } from "./files.js";
import { renderDetails } from "./edit.js";

const $ = (id) => document.getElementById(id);
const collapsed = new Set();
let dragging = null;
let ids = 0;

const key = (path) => path.join(".");
const itemOf = (path) => path && document.querySelector(`[role=treeitem][data-path="${key(path)}"]`);
const pathOf = (el) => el.dataset.path.split(".").map((x) => (/^\d+$/.test(x) ? Number(x) : x));

function problemsByEntry() {
  const map = new Map();
  for (const p of problems()) {
    const k = (p.entry || []).join("\u0000");
    if (!map.has(k)) map.set(k, []);
    map.get(k).push(p);
  }
  return map;
}

function pagesLabel(value, kind) {
  if (kind !== "file") return "";
  const file = M.fileOf(value);
  const parts = [];
  const c = state.check;
  if (c && c.pages && c.pages[file] != null) parts.push(t("serve.pages", { n: c.pages[file] }));
  const printed = state.printed && state.printed[file];
  // A one-page file is on “第 6 页”, not “第 6–6 页”.
  if (printed) parts.push(t(printed.from === printed.to ? "serve.printed_one" : "serve.printed", printed));
  return parts.join(" · ");
}

export function renderTree() {
  const tree = $("tree");
  // Not under the clerk's hands: a title being typed or an item being dragged stays; the tree is
  // drawn when they finish.
  if (tree.querySelector("input.rename") || dragging) return;
  const hadFocus = tree.contains(document.activeElement);
  const byEntry = problemsByEntry();
  const figures = new Map();
  const st = state.check && state.check.status;
  if (st && st.figures && st.figures.parts) for (const p of st.figures.parts) figures.set(p.title, p);
  tree.replaceChildren();
  const groups = new Map([["", tree]]);
  if (!state.selected || !M.get(state.doc, state.selected)) state.selected = state.doc.parts && state.doc.parts.length ? ["parts", 0] : null;
  M.walk(state.doc, (path, level) => {
    const kind = M.kindOf(path);
    const value = M.get(state.doc, path);
    const li = document.createElement("li");
    li.setAttribute("role", "treeitem");
    li.setAttribute("aria-level", String(level));
    li.dataset.path = key(path);
    li.dataset.kind = kind;
    li.tabIndex = -1;
    li.draggable = true;
    const sel = state.selected && M.same(path, state.selected);
    li.setAttribute("aria-selected", sel ? "true" : "false");
    const row = document.createElement("div");
    row.className = "row";
    const badge = document.createElement("span");
    badge.className = "kind " + kind;
    badge.textContent = t("serve.kind." + kind);
    badge.setAttribute("aria-hidden", "true");
    const title = document.createElement("span");
    title.className = "title";
    title.id = "ti" + ++ids;
    title.textContent = M.titleOf(value, kind) || t("serve.untitled");
    li.setAttribute("aria-labelledby", title.id);
    row.append(badge, title);
    const meta = pagesLabel(value, kind);
    if (meta) row.append(Object.assign(document.createElement("span"), { className: "meta", textContent: meta }));
    if (kind === "part" && figures.has(value.title)) {
      const f = figures.get(value.title);
      row.append(Object.assign(document.createElement("span"), {
        className: "meta", textContent: `${f.tasks_done}/${f.tasks_total}`,
      }));
    }
    let mine = [];
    if (kind === "file") {
      const entry = M.entryOf(state.doc, path).join("\u0000");
      mine = (byEntry.get(entry) || []).filter((p) => p.file && p.file.endsWith(M.fileOf(value)));
    } else if (kind !== "dossier") {
      mine = byEntry.get(M.entryOf(state.doc, path).join("\u0000")) || [];
    }
    if (mine.length) {
      const warn = mine.every((p) => p.severity === "warning");
      const mark = document.createElement("span");
      mark.className = "problem " + (warn ? "warning" : "error");
      mark.textContent = mine[0].message;
      mark.title = mine.map((p) => p.message).join("\n");
      row.append(mark);
      li.classList.add(warn ? "has-warning" : "has-error");
      li.setAttribute("aria-describedby", (mark.id = "pr" + ids));
    }
    li.append(row);
    const hasChildren = ["evidence", "sections", "files"].some((k) => Array.isArray(value && value[k]) && value[k].length);
    const group = document.createElement("ul");
    group.setAttribute("role", "group");
    if (hasChildren) {
      const open = !collapsed.has(key(path));
      li.setAttribute("aria-expanded", open ? "true" : "false");
      group.hidden = !open;
      li.append(group);
    }
    groups.set(key(path), group);
    const parentKey = parentItemKey(path);
    (groups.get(parentKey) || tree).append(li);
  });
  const focus = itemOf(state.selected) || tree.querySelector("[role=treeitem]");
  if (focus) focus.tabIndex = 0;
  if (hadFocus && focus) focus.focus();
  updateToolbar();
}

// The tree is drawn synchronously, so the item can take the focus at once (an animation frame
// may never come in a hidden or background window).
function focusItem(path) {
  const el = itemOf(path);
  if (el) el.focus();
}

function parentItemKey(path) {
  return path.length <= 2 ? "" : key(path.slice(0, -2));
}

function visibleItems() {
  return [...$("tree").querySelectorAll("[role=treeitem]")].filter((el) => !el.closest("[role=group][hidden]"));
}

export function selectPath(path, focus = true) {
  if (!path) return;
  // Show it: open every item above it (only then does the tree need drawing again).
  let opened = false;
  for (let i = 2; i < path.length; i += 2) opened = collapsed.delete(key(path.slice(0, i))) || opened;
  state.selected = path;
  if (opened || !itemOf(path)) {
    renderTree();
  } else {
    for (const el of $("tree").querySelectorAll("[role=treeitem]")) {
      const mine = el.dataset.path === key(path);
      el.setAttribute("aria-selected", mine ? "true" : "false");
      el.tabIndex = mine ? 0 : -1;
    }
    updateToolbar();
  }
  renderDetails();
  const el = itemOf(path);
  if (el && focus) {
    el.focus();
    el.scrollIntoView({ block: "nearest" });
  }
}

function updateToolbar() {
  const p = state.selected;
  const kind = p ? M.kindOf(p) : null;
  for (const b of $("toolbar").querySelectorAll("button")) {
    const act = b.dataset.act;
    let ok = !!p;
    if (act === "up") ok = ok && p[p.length - 1] > 0;
    if (act === "down") ok = ok && p[p.length - 1] < M.get(state.doc, p.slice(0, -1)).length - 1;
    b.disabled = !ok;
  }
  void kind;
}

/// Put an input over an item's title; Enter keeps the new title, Esc or leaving it with no change
/// keeps the old one.
export function rename(path) {
  const li = itemOf(path);
  if (!li) return;
  const span = li.querySelector(".title");
  const kind = M.kindOf(path);
  const old = M.titleOf(M.get(state.doc, path), kind);
  const input = document.createElement("input");
  input.className = "rename";
  input.value = old;
  input.setAttribute("aria-label", t(kind === "file" ? "serve.file_path" : "serve.title"));
  span.replaceWith(input);
  input.focus();
  input.select();
  let done = false;
  // Enter and Esc return to the item; leaving the field by clicking elsewhere goes there.
  const finish = (keep, back) => {
    if (done) return;
    done = true;
    const v = input.value.trim();
    input.remove();
    if (keep && v && v !== old) edit(M.setTitle(state.doc, path, v), path);
    else renderTree();
    if (back) focusItem(path);
  };
  input.addEventListener("keydown", (ev) => {
    ev.stopPropagation();
    if (ev.key === "Enter") { ev.preventDefault(); finish(true, true); }
    if (ev.key === "Escape") { ev.preventDefault(); finish(false, true); }
  });
  input.addEventListener("blur", () => finish(true, false));
  input.addEventListener("click", (ev) => ev.stopPropagation());
  input.addEventListener("dblclick", (ev) => ev.stopPropagation());
}

export function act(what) {
  const p = state.selected;
  if (!p && what !== "add-part") return;
  const kind = p && M.kindOf(p);
  const sec = p && M.sectionOf(p);
  if (what === "up" || what === "down") {
    const r = M.step(state.doc, p, what === "up" ? -1 : 1);
    if (r) edit(r[0], r[1]);
    focusItem(state.selected);
  } else if (what === "add-section") {
    const owner = kind === "part" || kind === "section" ? p : sec;
    const [d, np] = M.append(state.doc, owner, "sections", { title: t("serve.new_section") });
    collapsed.delete(key(owner));
    edit(d, np);
    rename(np);
  } else if (what === "add-evidence") {
    const [d, np] = M.append(state.doc, sec, "evidence", { title: t("serve.new_evidence"), files: [] });
    collapsed.delete(key(sec));
    edit(d, np);
    rename(np);
  } else if (what === "pick") {
    openPicker(kind === "evidence" ? p : sec);
  } else if (what === "remove") {
    const title = M.titleOf(M.get(state.doc, p), kind);
    if (!window.confirm(t("serve.confirm_remove", { title }))) return;
    const d = M.remove(state.doc, p);
    const i = p[p.length - 1];
    const siblings = M.get(d, p.slice(0, -1));
    const next = Array.isArray(siblings) && siblings.length ? p.slice(0, -1).concat([Math.min(i, siblings.length - 1)]) : p.slice(0, -2);
    edit(d, next.length ? next : null);
  }
}

function onKey(ev) {
  const li = ev.target.closest("[role=treeitem]");
  if (!li || ev.target !== li) return;
  const path = pathOf(li);
  const items = visibleItems();
  const i = items.indexOf(li);
  const go = (el) => { if (el) { ev.preventDefault(); selectPath(pathOf(el)); } };
  if (ev.altKey && (ev.key === "ArrowUp" || ev.key === "ArrowDown")) {
    ev.preventDefault();
    state.selected = path;
    act(ev.key === "ArrowUp" ? "up" : "down");
    return;
  }
  switch (ev.key) {
    case "ArrowDown": go(items[i + 1]); break;
    case "ArrowUp": go(items[i - 1]); break;
    case "Home": go(items[0]); break;
    case "End": go(items[items.length - 1]); break;
    case "ArrowRight":
      if (li.getAttribute("aria-expanded") === "false") { ev.preventDefault(); collapsed.delete(key(path)); renderTree(); selectPath(path); }
      else if (li.getAttribute("aria-expanded") === "true") go(items[i + 1]);
      break;
    case "ArrowLeft":
      if (li.getAttribute("aria-expanded") === "true") { ev.preventDefault(); collapsed.add(key(path)); renderTree(); selectPath(path); }
      else if (path.length > 2) go(itemOf(path.slice(0, -2)));
      break;
    case "F2": case "Enter":
      ev.preventDefault(); rename(path); break;
    case "Delete":
      ev.preventDefault(); state.selected = path; act("remove"); break;
  }
}

function onClick(ev) {
  const li = ev.target.closest("[role=treeitem]");
  if (!li) return;
  const path = pathOf(li);
  const wasSelected = state.selected && M.same(path, state.selected);
  // A click on the title of the item already chosen edits it, as in Explorer.
  if (wasSelected && ev.target.classList.contains("title") && ev.target.closest("[role=treeitem]") === li) {
    rename(path);
    return;
  }
  ev.stopPropagation();
  selectPath(path);
}

function dropTarget(ev) {
  const li = ev.target.closest && ev.target.closest("[role=treeitem]");
  if (!li) return null;
  const r = li.querySelector(".row").getBoundingClientRect();
  return { li, path: pathOf(li), upper: ev.clientY < r.top + r.height / 2 };
}

function clearMarks() {
  for (const el of document.querySelectorAll(".drop-before,.drop-after,.drop-into")) {
    el.classList.remove("drop-before", "drop-after", "drop-into");
  }
}

function isFiles(ev) {
  return ev.dataTransfer && [...ev.dataTransfer.types].includes("Files");
}

function onDragOver(ev) {
  const tgt = dropTarget(ev);
  clearMarks();
  if (!tgt) return;
  if (isFiles(ev)) {
    ev.preventDefault();
    ev.dataTransfer.dropEffect = "copy";
    const sec = itemOf(M.sectionOf(tgt.path));
    if (sec) sec.classList.add("drop-into");
    return;
  }
  if (!dragging) return;
  const place = M.dropPlace(state.doc, dragging, tgt.path, tgt.upper);
  if (!place) return;
  ev.preventDefault();
  ev.dataTransfer.dropEffect = "move";
  tgt.li.classList.add(place.index == null ? "drop-into" : tgt.upper ? "drop-before" : "drop-after");
}

function onDrop(ev) {
  const tgt = dropTarget(ev);
  clearMarks();
  if (!tgt) return;
  if (isFiles(ev)) {
    ev.preventDefault();
    uploadFiles(M.sectionOf(tgt.path), [...ev.dataTransfer.files]);
    return;
  }
  const from = dragging || (ev.dataTransfer.getData("application/x-dossier-path") || "").split(".").filter(Boolean)
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  dragging = null;
  if (!from || !from.length) return;
  const place = M.dropPlace(state.doc, from, tgt.path, tgt.upper);
  if (!place) return;
  ev.preventDefault();
  const [d, np] = M.move(state.doc, from, place);
  edit(d, np);
}

export function initTree() {
  const tree = $("tree");
  tree.addEventListener("keydown", onKey);
  tree.addEventListener("click", onClick);
  tree.addEventListener("dblclick", (ev) => {
    const li = ev.target.closest("[role=treeitem]");
    if (li) rename(pathOf(li));
  });
  tree.addEventListener("dragstart", (ev) => {
    const li = ev.target.closest("[role=treeitem]");
    if (!li) return;
    dragging = pathOf(li);
    ev.dataTransfer.effectAllowed = "move";
    ev.dataTransfer.setData("application/x-dossier-path", li.dataset.path);
    ev.stopPropagation();
  });
  tree.addEventListener("dragend", () => {
    const was = dragging;
    dragging = null;
    clearMarks();
    if (was) renderTree();
  });
  tree.addEventListener("dragover", onDragOver);
  tree.addEventListener("dragleave", (ev) => { if (!tree.contains(ev.relatedTarget)) clearMarks(); });
  tree.addEventListener("drop", onDrop);
  $("toolbar").addEventListener("click", (ev) => {
    const b = ev.target.closest("button");
    if (b) act(b.dataset.act);
  });
}
