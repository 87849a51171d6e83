//! Stage 3: the binder page by page. Body pages are numbered 1..N in outline order; each outline
//! node knows the body page where it starts, so the 目录, the bookmarks and the links all agree.

use crate::outline::{Dossier, Node};
use crate::sources::{Kind, Sources};
use crate::typeset::contents::{self, ContentsPage, Entry};
use crate::typeset::flow::{self, Block, FlowPage};
use crate::typeset::{Fonts, Style};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Part,
    Section,
    Evidence,
}

#[derive(Debug, Clone)]
pub struct OutlineNode {
    pub title: String,
    pub level: usize,
    pub kind: NodeKind,
    pub parent: Option<usize>,
    /// Index into `Plan::body` of the page where the node starts.
    pub start: usize,
    /// For headings we set ourselves: the y (from the top) of the heading on that page.
    pub y: Option<f32>,
}

#[derive(Debug, Clone)]
pub enum BodyPage {
    /// A narrative page we typeset: index into `Plan::narrative`.
    Own(usize),
    /// Page `page` (0-based) of the PDF `pdf`, which is `source` itself or its conversion.
    Pdf { source: PathBuf, pdf: PathBuf, page: u32 },
    /// A photo, or one frame of a TIFF scan.
    Image { source: PathBuf, frame: u32 },
}

#[derive(Debug)]
pub struct Plan {
    pub body: Vec<BodyPage>,
    pub narrative: Vec<FlowPage>,
    pub nodes: Vec<OutlineNode>,
    pub contents: Vec<ContentsPage>,
    /// The printed number of the first body page: 1, or where the previous volume stopped.
    pub first: usize,
}

impl Plan {
    /// The printed number of body page `b`.
    pub fn number(&self, b: usize) -> usize {
        self.first + b
    }

    /// Pages before the body: the cover and the contents.
    pub fn front_pages(&self) -> usize {
        1 + self.contents.len()
    }
}

struct Planner<'a> {
    style: &'a Style,
    fonts: &'a Fonts,
    sources: &'a Sources,
    body: Vec<BodyPage>,
    narrative: Vec<FlowPage>,
    nodes: Vec<OutlineNode>,
    run: Vec<Block<'a>>,
}

pub fn plan(dossier: &Dossier, sources: &Sources, style: &Style, fonts: &Fonts) -> Plan {
    let first = dossier.volume.map_or(1, |v| v.first_page);
    let mut p =
        Planner { style, fonts, sources, body: Vec::new(), narrative: Vec::new(), nodes: Vec::new(), run: Vec::new() };
    for part in &dossier.parts {
        p.flush();
        // Double-sided: a part opens on a right-hand (odd) page, after a blank page if need be.
        if style.double_sided && (first + p.body.len()).is_multiple_of(2) {
            p.body.push(BodyPage::Own(p.narrative.len()));
            p.narrative.push(FlowPage::default());
        }
        p.node(part, 0, None);
    }
    p.flush();
    let entries: Vec<Entry> = p
        .nodes
        .iter()
        .map(|n| Entry { title: n.title.clone(), level: n.level, number: (first + n.start).to_string() })
        .collect();
    let contents = contents::layout(style, fonts, &entries);
    Plan { body: p.body, narrative: p.narrative, nodes: p.nodes, contents, first }
}

impl<'a> Planner<'a> {
    fn node(&mut self, n: &'a Node, level: usize, parent: Option<usize>) {
        let id = self.nodes.len();
        let kind = if level == 0 { NodeKind::Part } else { NodeKind::Section };
        // start and y are filled in when the run holding the heading is laid out.
        self.nodes.push(OutlineNode { title: n.title.clone(), level, kind, parent, start: usize::MAX, y: None });
        self.run.push(Block::Heading { level, title: &n.title, node: id });
        for t in n.text.iter().filter(|t| !t.trim().is_empty()) {
            self.run.push(Block::Para(t));
        }
        for ev in &n.evidence {
            self.flush();
            let ev_id = self.nodes.len();
            self.nodes.push(OutlineNode {
                title: ev.title.clone(),
                level: level + 1,
                kind: NodeKind::Evidence,
                parent: Some(id),
                start: self.body.len(),
                y: None,
            });
            for f in &ev.files {
                let Some(src) = self.sources.get(&f.path) else { continue };
                let pages: Vec<u32> = match &f.pages {
                    Some(sel) => sel.resolve(src.pages).unwrap_or_default(),
                    None => (0..src.pages).collect(),
                };
                // Pages a damaged file lost are left out; the warning names them.
                for page in pages.into_iter().filter(|p| !src.lost.contains(p)) {
                    self.body.push(match (&src.kind, &src.pdf) {
                        (Kind::Pdf | Kind::Docx, Some(pdf)) => {
                            BodyPage::Pdf { source: f.path.clone(), pdf: pdf.clone(), page }
                        }
                        _ => BodyPage::Image { source: f.path.clone(), frame: page },
                    });
                }
            }
            // An item whose files all failed still needs a target; the build fails anyway.
            if self.nodes[ev_id].start >= self.body.len() {
                self.nodes[ev_id].start = self.body.len().saturating_sub(1);
            }
        }
        for s in &n.sections {
            self.node(s, level + 1, Some(id));
        }
    }

    /// Typeset the pending headings and paragraphs onto fresh pages.
    fn flush(&mut self) {
        if self.run.is_empty() {
            return;
        }
        let pages = flow::flow(self.style, self.fonts, &self.run);
        self.run.clear();
        for page in pages {
            for &(node, y) in &page.anchors {
                self.nodes[node].start = self.body.len();
                self.nodes[node].y = Some(y);
            }
            self.body.push(BodyPage::Own(self.narrative.len()));
            self.narrative.push(page);
        }
    }
}
