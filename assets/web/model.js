// The outline as dossier.json holds it, and the edits the page makes to it. A place in the outline
// is a path of keys and indexes: ["parts", 0, "sections", 2, "evidence", 1]. Edits work on a copy,
// so the previous document stays whole for undo; key order is kept, so the saved file differs only
// where the clerk changed something.

export function clone(doc) {
  return JSON.parse(JSON.stringify(doc));
}

export function get(doc, path) {
  let v = doc;
  for (const k of path) {
    if (v == null) return undefined;
    v = v[k];
  }
  return v;
}

export function same(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/// "part", "section", "evidence" or "file", from where the path ends.
export function kindOf(path) {
  const key = path[path.length - 2];
  if (key === "parts") return "part";
  if (key === "sections") return "section";
  if (key === "evidence") return "evidence";
  if (key === "files") return "file";
  return "dossier";
}

export function fileOf(v) {
  return typeof v === "string" ? v : (v && v.path) || "";
}

export function titleOf(v, kind) {
  if (kind === "file") return fileOf(v);
  return (v && typeof v.title === "string") ? v.title : "";
}

/// The path of the part or section an item belongs to (itself if it is one).
export function sectionOf(path) {
  let p = path.slice();
  while (p.length && !["part", "section"].includes(kindOf(p))) p = p.slice(0, -2);
  return p;
}

/// The titles from the part down to the item, as the build names an entry in its problems.
export function entryOf(doc, path) {
  const titles = [];
  for (let i = 2; i <= path.length; i += 2) {
    const p = path.slice(0, i);
    const k = kindOf(p);
    if (k === "file") break;
    titles.push(titleOf(get(doc, p), k));
  }
  return titles;
}

/// Every item in reading order, with its level (1 for parts), for the tree.
export function walk(doc, visit) {
  const node = (v, path, level) => {
    visit(path, level);
    for (const key of ["evidence", "sections"]) {
      const list = v && v[key];
      if (!Array.isArray(list)) continue;
      list.forEach((child, i) => {
        const p = path.concat([key, i]);
        if (key === "evidence") {
          visit(p, level + 1);
          (Array.isArray(child.files) ? child.files : []).forEach((_, j) => visit(p.concat(["files", j]), level + 2));
        } else {
          node(child, p, level + 1);
        }
      });
    }
  };
  (doc.parts || []).forEach((part, i) => node(part, ["parts", i], 1));
}

function parentList(doc, path) {
  return get(doc, path.slice(0, -1));
}

export function setTitle(doc, path, title) {
  const d = clone(doc);
  const kind = kindOf(path);
  if (kind === "file") {
    const list = parentList(d, path);
    const i = path[path.length - 1];
    if (typeof list[i] === "string") list[i] = title;
    else list[i].path = title;
  } else if (kind === "dossier") {
    d.title = title;
  } else {
    get(d, path).title = title;
  }
  return d;
}

export function setField(doc, path, key, value) {
  const d = clone(doc);
  const obj = path.length ? get(d, path) : d;
  if (value === "" || value == null) delete obj[key];
  else obj[key] = value;
  return d;
}

export function setCover(doc, key, value) {
  const d = clone(doc);
  if (!d.cover || typeof d.cover !== "object") d.cover = {};
  if (value === "") delete d.cover[key];
  else d.cover[key] = value;
  return d;
}

/// A file reference's page selector: a string when there is none, `{path, pages}` when there is.
export function setPages(doc, path, pages) {
  const d = clone(doc);
  const list = parentList(d, path);
  const i = path[path.length - 1];
  const file = fileOf(list[i]);
  list[i] = pages ? Object.assign(typeof list[i] === "object" ? list[i] : { path: file }, { pages }) : file;
  return d;
}

export function setText(doc, path, texts) {
  const d = clone(doc);
  const node = get(d, path);
  if (texts.length) node.text = texts;
  else delete node.text;
  return d;
}

/// Append `item` to the list `key` of the node at `path` (creating the list); the new item's path.
export function append(doc, path, key, item) {
  const d = clone(doc);
  const node = path.length ? get(d, path) : d;
  if (!Array.isArray(node[key])) node[key] = [];
  node[key].push(item);
  return [d, path.concat([key, node[key].length - 1])];
}

export function remove(doc, path) {
  const d = clone(doc);
  const list = parentList(d, path);
  list.splice(path[path.length - 1], 1);
  const owner = get(d, path.slice(0, -2));
  const key = path[path.length - 2];
  if (owner && Array.isArray(owner[key]) && owner[key].length === 0 && key !== "parts") delete owner[key];
  return d;
}

/// Move an item one place up (-1) or down (+1) among its siblings; its new path, or null.
export function step(doc, path, by) {
  const list = parentList(doc, path);
  const i = path[path.length - 1];
  const j = i + by;
  if (!Array.isArray(list) || j < 0 || j >= list.length) return null;
  const d = clone(doc);
  const l = parentList(d, path);
  [l[i], l[j]] = [l[j], l[i]];
  return [d, path.slice(0, -1).concat([j])];
}

function isWithin(path, ancestor) {
  return path.length >= ancestor.length && ancestor.every((x, i) => path[i] === x);
}

/// Where a dragged item lands when dropped on `target`: before or after it when they are of the
/// same kind (parts with parts, sections with sections, evidence with evidence, files with files),
/// into it when it can hold the dragged kind. Null when it cannot go there.
export function dropPlace(doc, from, target, upperHalf) {
  const k = kindOf(from);
  const t = kindOf(target);
  if (isWithin(target, from)) return null;
  const sectionLike = (x) => x === "part" || x === "section";
  if (k === t || (k === "section" && t === "section") || (k === "part" && t === "part")) {
    const at = target[target.length - 1] + (upperHalf ? 0 : 1);
    return { list: target.slice(0, -1), index: at };
  }
  if (k === "section" && t === "part") return { list: target.concat(["sections"]), index: null };
  if (k === "evidence" && sectionLike(t)) return { list: target.concat(["evidence"]), index: null };
  if (k === "file" && t === "evidence") return { list: target.concat(["files"]), index: null };
  return null;
}

/// Take the item at `from` out and put it at `place` (from `dropPlace`); the new path.
export function move(doc, from, place) {
  const d = clone(doc);
  const src = parentList(d, from);
  const i = from[from.length - 1];
  const [item] = src.splice(i, 1);
  // Removing the item shifts later siblings in the same list, the target among them.
  const listPath = place.list.slice();
  const fromList = from.slice(0, -1);
  if (listPath.length > fromList.length && same(listPath.slice(0, fromList.length), fromList)) {
    const k = fromList.length;
    if (listPath[k] > i) listPath[k] -= 1;
  }
  let index = place.index;
  if (same(listPath, fromList) && index != null && index > i) index -= 1;
  const ownerPath = listPath.slice(0, -1);
  const key = listPath[listPath.length - 1];
  const owner = ownerPath.length ? get(d, ownerPath) : d;
  if (!Array.isArray(owner[key])) owner[key] = [];
  const list = owner[key];
  if (index == null || index > list.length) index = list.length;
  list.splice(index, 0, item);
  const owner0 = get(d, fromList.slice(0, -1));
  const key0 = fromList[fromList.length - 1];
  if (owner0 && Array.isArray(owner0[key0]) && owner0[key0].length === 0 && key0 !== "parts") delete owner0[key0];
  return [d, listPath.concat([index])];
}

/// An evidence item for a file: titled by its name without the extension, as `init` does.
export function evidenceFor(path) {
  const name = path.split("/").pop();
  const dot = name.lastIndexOf(".");
  return { title: dot > 0 ? name.slice(0, dot) : name, files: [path] };
}
