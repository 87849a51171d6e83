//! Fitting a binder under an upload limit (`--max-size`). Photos go to a lower resolution first;
//! when even that is too large, the binder is split into volumes (第一册, 第二册 …) at part or
//! section boundaries. Each volume is an outline of its own — its cover says which volume it is,
//! its 目录 lists what it holds — and its page numbers carry on from the volume before.

use crate::outline::{Dossier, Node, Volume};
use crate::plan::Plan;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Photo resolutions tried in turn: still good on paper, then still readable on screen.
pub const PHOTO_DPI_STEPS: [u32; 4] = [200, 150, 110, 80];

/// "50MB", "50 MB", "1.5GB", "800K", "52428800": a size in bytes (1 MB = 1,000,000 bytes, as
/// upload pages and file managers count).
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim().to_ascii_uppercase().replace(' ', "");
    let t = t.strip_suffix('B').unwrap_or(&t);
    let (num, unit) = match t.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let scale = match unit {
        "" => 1.0,
        "K" | "KI" => 1e3,
        "M" | "MI" => 1e6,
        "G" | "GI" => 1e9,
        _ => return None,
    };
    let v: f64 = num.parse().ok()?;
    (v.is_finite() && v > 0.0).then_some((v * scale) as u64)
}

/// Megabytes for messages, one decimal.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// The file of volume `index` (1-based) beside the binder: `<name>-第2册.pdf`.
pub fn volume_path(output: &Path, index: usize) -> PathBuf {
    let stem = output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "binder".into());
    output.with_file_name(format!("{stem}-第{index}册.pdf"))
}

/// A run of body pages that can open a volume: a node whole, or only its own heading, text and
/// evidence (its sections then being pieces of their own).
#[derive(Debug, Clone)]
struct Piece {
    path: Vec<usize>,
    whole: bool,
    bytes: u64,
}

/// The outline cut into volumes whose estimated size stays under `budget` bytes, numbered from
/// page 1 (the caller sets each volume's first page once the one before it is planned).
/// `body_bytes` is what each body page of `plan` cost in a build of the whole binder. A single
/// piece larger than the budget gets a volume of its own; nothing smaller than an evidence item's
/// section is ever split.
pub fn split(dossier: &Dossier, plan: &Plan, body_bytes: &[u64], budget: u64) -> Vec<Dossier> {
    let mut pieces = Vec::new();
    let mut index = 0;
    let ranges = Ranges { plan, body_bytes };
    for (i, part) in dossier.parts.iter().enumerate() {
        ranges.pieces(part, &mut vec![i], &mut index, budget, &mut pieces);
    }
    let mut groups: Vec<Vec<Piece>> = Vec::new();
    let mut used = 0;
    for p in pieces {
        match groups.last_mut() {
            // A group of headings alone would be a volume with nothing in it: the next piece joins.
            Some(g) if used + p.bytes <= budget || g.iter().all(|q| !q.whole) => {
                used += p.bytes;
                g.push(p);
            }
            _ => {
                // A heading never ends a volume: the heads of the sections to come (a part's
                // or section's own pages) go along with them into the new one.
                let mut group = vec![p];
                if let Some(g) = groups.last_mut() {
                    while g.len() > 1 && g.last().is_some_and(|q| !q.whole) {
                        group.extend(g.pop());
                        group.rotate_right(1);
                    }
                }
                used = group.iter().map(|q| q.bytes).sum();
                groups.push(group);
            }
        }
    }
    let count = groups.len();
    groups
        .iter()
        .enumerate()
        .map(|(k, g)| {
            let whole: HashSet<&[usize]> = g.iter().filter(|p| p.whole).map(|p| p.path.as_slice()).collect();
            let head: HashSet<&[usize]> = g.iter().filter(|p| !p.whole).map(|p| p.path.as_slice()).collect();
            let sel = Selection { whole, head };
            let parts =
                dossier.parts.iter().enumerate().filter_map(|(i, part)| sel.prune(part, &mut vec![i])).collect();
            Dossier { parts, volume: Some(Volume { index: k + 1, count, first_page: 1 }), ..dossier.clone() }
        })
        .collect()
}

struct Ranges<'a> {
    plan: &'a Plan,
    body_bytes: &'a [u64],
}

impl Ranges<'_> {
    /// Body page where plan node `i` starts (the end of the body past the last node).
    fn start(&self, i: usize) -> usize {
        self.plan.nodes.get(i).map_or(self.plan.body.len(), |n| n.start.min(self.plan.body.len()))
    }

    fn bytes(&self, from: usize, to: usize) -> u64 {
        self.body_bytes.get(from..to.max(from)).map_or(0, |b| b.iter().sum())
    }

    /// Plan nodes come in outline order: a node, its evidence items, then its sections' subtrees.
    fn pieces(&self, node: &Node, path: &mut Vec<usize>, index: &mut usize, budget: u64, out: &mut Vec<Piece>) {
        let me = *index;
        let end = me + subtree_len(node);
        let whole = self.bytes(self.start(me), self.start(end));
        if whole <= budget || node.sections.is_empty() {
            out.push(Piece { path: path.clone(), whole: true, bytes: whole });
            *index = end;
            return;
        }
        let first_section = me + 1 + node.evidence.len();
        out.push(Piece {
            path: path.clone(),
            whole: false,
            bytes: self.bytes(self.start(me), self.start(first_section)),
        });
        *index = first_section;
        for (i, s) in node.sections.iter().enumerate() {
            path.push(i);
            self.pieces(s, path, index, budget, out);
            path.pop();
        }
    }
}

/// How many plan nodes a node's subtree takes.
fn subtree_len(n: &Node) -> usize {
    1 + n.evidence.len() + n.sections.iter().map(subtree_len).sum::<usize>()
}

struct Selection<'a> {
    whole: HashSet<&'a [usize]>,
    head: HashSet<&'a [usize]>,
}

impl Selection<'_> {
    /// The part of `node` this volume holds, if any. A node whose own text went into an earlier
    /// volume comes back as "（续）" with only the sections this volume holds, so the reader still
    /// sees where they belong.
    fn prune(&self, node: &Node, path: &mut Vec<usize>) -> Option<Node> {
        if self.whole.contains(path.as_slice()) {
            return Some(node.clone());
        }
        let head = self.head.contains(path.as_slice());
        let mut sections = Vec::new();
        for (i, s) in node.sections.iter().enumerate() {
            path.push(i);
            sections.extend(self.prune(s, path));
            path.pop();
        }
        if !head && sections.is_empty() {
            return None;
        }
        let mut n = Node { sections, ..node.clone() };
        if !head {
            n.title = format!("{}（续）", node.title);
            n.text.clear();
            n.evidence.clear();
        }
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("50MB"), Some(50_000_000));
        assert_eq!(parse_size("50 mb"), Some(50_000_000));
        assert_eq!(parse_size("1.5G"), Some(1_500_000_000));
        assert_eq!(parse_size("800k"), Some(800_000));
        assert_eq!(parse_size("52428800"), Some(52_428_800));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("0MB"), None);
        assert_eq!(parse_size("5 TB"), None);
    }

    #[test]
    fn volume_files() {
        assert_eq!(volume_path(Path::new("out/9.2 平台.pdf"), 2), Path::new("out/9.2 平台-第2册.pdf"));
    }
}
