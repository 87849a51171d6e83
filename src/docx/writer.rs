//! The document's body, part by part: the cover, the filled-in contents, headings with their
//! bookmarks, the narrative, and the evidence as pictures or as a list; pictures and the contents
//! are written as XML by hand (see `Binder::write`).

use super::*;

pub(super) struct Writer<'a> {
    style: &'a Style,
    faces: Faces,
    plan: &'a Plan,
    sources: &'a Sources,
    opts: &'a Options,
    pictures: &'a HashMap<PictureKey, Picture>,
    pub(super) body: Vec<Paragraph>,
    pub(super) raws: Vec<String>,
    pub(super) media: Vec<Media>,
    media_of: HashMap<PathBuf, usize>,
    pub(super) placed: usize,
    /// The last thing written was a picture, which fills its page.
    after_picture: bool,
}

impl<'a> Writer<'a> {
    pub(super) fn new(
        style: &'a Style,
        faces: Faces,
        plan: &'a Plan,
        sources: &'a Sources,
        opts: &'a Options,
        pictures: &'a HashMap<PictureKey, Picture>,
    ) -> Self {
        Writer {
            style,
            faces,
            plan,
            sources,
            opts,
            pictures,
            body: Vec::new(),
            raws: Vec::new(),
            media: Vec::new(),
            media_of: HashMap::new(),
            placed: 0,
            after_picture: false,
        }
    }

    pub(super) fn margins(&self) -> PageMargin {
        let s = self.style;
        PageMargin::new()
            .top(twips(s.top))
            .left(twips(s.left))
            .right(twips(s.page.0 - s.left - s.text_width))
            .bottom(twips(s.page.1 - s.top - s.text_height))
            .header(twips(15.0 * crate::typeset::MM))
            // The number's top sits `number_gap` below the type area, as in the PDF.
            .footer(twips(s.page.1 - s.top - s.text_height - s.number_gap - FOOTER_LINE * s.number_size))
            .gutter(0)
    }

    pub(super) fn raw(&mut self, xml: String) -> Paragraph {
        let p = Paragraph::new().add_run(Run::new().add_text(marker(self.raws.len())));
        self.raws.push(xml);
        p
    }

    /// The PDF binder's printed number of the page where node `node` starts.
    pub(super) fn page_of(&self, node: usize) -> usize {
        self.plan.nodes.get(node).map(|n| self.plan.number(n.start)).unwrap_or(1)
    }

    /// The cover, laid out as the PDF's: project and chapter in the upper third, the title and
    /// subtitle in 黑体 a little above the middle, organization and date at the foot, all centred.
    pub(super) fn cover(&mut self, d: &Dossier) -> Vec<Paragraph> {
        let s = self.style;
        let ph = s.page.1;
        let c = &d.cover;
        let text = |t: &Option<String>| t.as_deref().map(clean).filter(|t| !t.trim().is_empty());
        // (text, size, heading face) per group, and the gap between blocks of the group.
        let head: Vec<(String, f32, bool)> = [(text(&c.project), 22.0), (text(&c.chapter), 18.0)]
            .into_iter()
            .filter_map(|(t, z)| Some((t?, z, false)))
            .collect();
        let mut middle = vec![(clean(&d.title), 28.0, true)];
        middle.extend(text(&c.subtitle).map(|t| (t, 36.0, true)));
        let foot: Vec<(String, f32, bool)> = [(text(&c.organization), 20.0), (text(&c.date), 18.0)]
            .into_iter()
            .filter_map(|(t, z)| Some((t?, z, false)))
            .collect();
        let height = |g: &[(String, f32, bool)], gap: f32| -> f32 {
            g.iter().map(|(t, z, _)| lines(t, *z, s.text_width) * z * 1.5).sum::<f32>()
                + gap * g.len().saturating_sub(1) as f32
        };
        let (mh, fh) = (height(&middle, 36.0), height(&foot, 14.0));
        let mut out = Vec::new();
        // y: where the next line starts, in points from the top of the page.
        let mut y = s.top;
        for (group, top, gap) in
            [(head, ph * 0.13, 12.0), (middle, ph * 0.42 - mh / 2.0, 36.0), (foot, ph * 0.80 - fh, 14.0)]
        {
            for (i, (t, size, heading)) in group.iter().enumerate() {
                let at = if i == 0 { top.max(y) } else { y + gap };
                let line = size * 1.5;
                out.push(
                    Paragraph::new()
                        .align(AlignmentType::Center)
                        .line_spacing(exact(line).before(twips(at - y) as u32))
                        .add_run(run(t, *size, if *heading { self.faces.heading } else { self.faces.body }, false)),
                );
                y = at + lines(t, *size, s.text_width) * line;
            }
        }
        out
    }

    /// 目录 and the table of contents field with one entry per outline node, each linking to its
    /// heading and showing the page of the PDF binder where the node starts.
    ///
    /// Written by hand: docx-rs can prefill a TOC field, but with a tab stop of its own choosing
    /// far outside the page, no fonts on the runs and page numbers as PAGEREF fields, which
    /// Word and LibreOffice recompute to their own pagination instead of the binder's pages.
    pub(super) fn contents(&mut self) -> Vec<Paragraph> {
        let title = Paragraph::new()
            .align(AlignmentType::Center)
            // The first entry starts where the PDF's does, two and a half lines down.
            .line_spacing(exact(2.5 * CONTENTS_PITCH))
            .add_run(run(crate::typeset::contents::TITLE, PART_SIZE, self.faces.heading, false));
        let tab = twips(self.style.text_width);
        let rfonts = fonts_xml(self.faces.body);
        let size = half_points(CONTENTS_SIZE);
        let mut xml = String::new();
        let n = self.plan.nodes.len();
        for (i, node) in self.plan.nodes.iter().enumerate() {
            let level = (node.level + 1).min(4);
            let indent = twips(node.level.min(8) as f32 * CONTENTS_SIZE * 1.5);
            let bold = if node.level == 0 { "<w:b/><w:bCs/>" } else { "" };
            let rpr = format!("<w:rPr>{rfonts}{bold}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr>");
            xml.push_str(&format!(
                "<w:p><w:pPr><w:pStyle w:val=\"TOC{level}\"/><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"{tab}\"/></w:tabs><w:ind w:left=\"{indent}\"/>{rpr}</w:pPr>"
            ));
            if i == 0 {
                xml.push_str(&format!(
                    "<w:r>{rpr}<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>{rpr}<w:instrText xml:space=\"preserve\"> TOC \\o \"1-4\" \\h \\z \\u </w:instrText></w:r><w:r>{rpr}<w:fldChar w:fldCharType=\"separate\"/></w:r>"
                ));
            }
            xml.push_str(&format!(
                "<w:hyperlink w:anchor=\"{}\" w:history=\"1\"><w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r><w:r>{rpr}<w:tab/></w:r><w:r>{rpr}<w:t>{}</w:t></w:r></w:hyperlink>",
                bookmark(i),
                esc(&clean(&node.title)),
                self.plan.number(node.start)
            ));
            if i + 1 == n {
                xml.push_str(&format!("<w:r>{rpr}<w:fldChar w:fldCharType=\"end\"/></w:r>"));
            }
            xml.push_str("</w:p>");
        }
        if n == 0 {
            return vec![title];
        }
        vec![title, self.raw(xml)]
    }

    /// A heading. Pages break where the PDF's do, so that with page images the document keeps
    /// the binder's pagination and its contents' numbers hold in Word too: before each part
    /// (after a blank page where a double-sided binder has one), before each evidence item, and
    /// after the last page of an item.
    pub(super) fn heading(&mut self, node: usize, level: usize, title: &str, evidence: bool) -> f32 {
        let s = self.style;
        let word_level = (level + 1).min(4);
        let images = self.opts.evidence == EvidenceMode::Images;
        let (height, page_break) = if level == 0 {
            let h = lines(title, PART_SIZE, s.text_width) * 2.0 * s.line_pitch;
            // The first part follows the section break.
            (h, !self.body.is_empty())
        } else {
            let h = lines(title, s.heading_sizes[word_level - 1], s.text_width - 2.0 * s.body_size) * s.line_pitch;
            (h, self.after_picture || (images && evidence))
        };
        if level == 0 && page_break && self.blank_before(node) {
            self.body.push(Paragraph::new().page_break_before(true).line_spacing(exact(s.line_pitch)));
        }
        self.after_picture = false;
        let name = bookmark(node);
        let (face, bold) = self.faces.heading(level);
        let p = Paragraph::new()
            .style(&format!("Heading{word_level}"))
            .keep_next(true)
            .page_break_before(page_break)
            .add_bookmark_start(node, name)
            .add_run(run(title, if level == 0 { PART_SIZE } else { s.heading_sizes[word_level - 1] }, face, bold))
            .add_bookmark_end(node);
        self.body.push(p);
        height
    }

    /// Whether the PDF binder leaves a blank page before node `node` (a part of a double-sided
    /// binder opening on a right-hand page).
    pub(super) fn blank_before(&self, node: usize) -> bool {
        let Some(start) = self.plan.nodes.get(node).map(|n| n.start) else { return false };
        match start.checked_sub(1).and_then(|b| self.plan.body.get(b)) {
            Some(crate::plan::BodyPage::Own(k)) => self.plan.narrative.get(*k).is_some_and(|p| p.lines.is_empty()),
            _ => false,
        }
    }

    pub(super) fn para(&mut self, text: &str) {
        let s = self.style;
        self.after_picture = false;
        // The PDF sets body text on a grid of so many characters a line: the same spacing here,
        // rounded down so that the last character of a full line still fits.
        let tracking = (s.tracking() * 20.0).floor() as i32;
        let mut r = run(text, s.body_size, self.faces.body, false);
        if tracking != 0 {
            r = r.character_spacing(tracking);
        }
        self.body.push(
            Paragraph::new()
                .align(AlignmentType::Both)
                .line_spacing(exact(s.line_pitch))
                .indent(None, Some(SpecialIndentType::FirstLine(twips(2.0 * (s.body_size + s.tracking())))), None, None)
                .first_line_chars(200)
                .add_run(r),
        );
    }

    pub(super) fn evidence(&mut self, node: usize, level: usize, ev: &Evidence) {
        let height = self.heading(node, level, &ev.title, true);
        match self.opts.evidence {
            EvidenceMode::Images => self.evidence_pictures(ev, height),
            EvidenceMode::List => self.evidence_list(node, ev),
        }
    }

    /// Each document of the item with the pages it takes in the PDF binder.
    pub(super) fn evidence_list(&mut self, node: usize, ev: &Evidence) {
        let s = self.style;
        let mut first = self.page_of(node);
        for f in &ev.files {
            let count = self.sources.get(&f.path).map(|src| pages_of(f, src.pages).len()).unwrap_or(0);
            let name = Path::new(&f.written).file_name().map(|n| n.to_string_lossy().into_owned());
            let name = name.unwrap_or_else(|| f.written.clone());
            let pages = match count {
                0 => String::new(),
                1 => format!("第 {first} 页　"),
                n => format!("第 {first}—{} 页　", first + n - 1),
            };
            first += count;
            // The pages lead, so a long name wraps without splitting them.
            self.body.push(
                Paragraph::new()
                    .line_spacing(exact(CONTENTS_PITCH))
                    .indent(Some(twips(4.0 * s.body_size)), None, None, None)
                    .add_run(run(&format!("{pages}{name}"), CONTENTS_SIZE, self.faces.body, false)),
            );
        }
        self.after_picture = false;
    }

    /// Every page of the item as a picture, one per page, fitted inside the margins; the first
    /// under the item's heading, `heading` points high.
    pub(super) fn evidence_pictures(&mut self, ev: &Evidence, heading: f32) {
        let mut first = true;
        let mut page_no = 0;
        for f in &ev.files {
            let Some(src) = self.sources.get(&f.path) else { continue };
            let keys: Vec<PictureKey> = match (&src.kind, &src.pdf) {
                (Kind::Pdf | Kind::Docx, Some(pdf)) => {
                    pages_of(f, src.pages).into_iter().map(|p| (pdf.clone(), p)).collect()
                }
                (Kind::Tiff(_), _) => pages_of(f, src.pages).into_iter().map(|p| (f.path.clone(), p)).collect(),
                (Kind::Jpeg(_) | Kind::Png(_), _) => vec![(f.path.clone(), 0)],
                (Kind::Pdf | Kind::Docx, None) => Vec::new(),
            };
            for key in keys {
                let Some(pic) = self.pictures.get(&key) else { continue };
                page_no += 1;
                let (page_break, reserve) = if first { (false, heading) } else { (true, 0.0) };
                let descr = format!("{}（第 {page_no} 页）", clean(&ev.title));
                let xml = self.picture(pic, page_break, reserve, &descr);
                let p = self.raw(xml);
                self.body.push(p);
                first = false;
                self.after_picture = true;
            }
        }
    }

    /// A picture paragraph, centred, the picture as large as fits the type area less `reserve`.
    ///
    /// Written by hand: docx-rs gives every picture the same drawing id (Word wants them unique)
    /// and cannot flip a picture. A photo flipped or upside down by its EXIF orientation keeps
    /// its bytes and is shown upright by the drawing's rotation and flip (quarter turns were
    /// made upright in `gather_pictures`, see `raster::upright_jpeg`).
    pub(super) fn picture(&mut self, pic: &Picture, page_break: bool, reserve: f32, descr: &str) -> String {
        let s = self.style;
        let id = match self.media_of.get(&pic.path) {
            Some(&i) => i,
            None => {
                let i = self.media.len();
                self.media.push(Media {
                    name: format!("image{}.{}", i + 1, pic.format.extension()),
                    rel: format!("rIdDossierPic{}", i + 1),
                    path: pic.path.clone(),
                });
                self.media_of.insert(pic.path.clone(), i);
                i
            }
        };
        self.placed += 1;
        let n = self.placed;
        let (rot, flip_h, flip_v) = orientation_transform(pic.orientation);
        let (w, h) = (pic.width.max(1) as f32, pic.height.max(1) as f32);
        let box_h = (s.text_height - reserve - PICTURE_SLACK).max(s.text_height * 0.3);
        let scale = (s.text_width / w).min(box_h / h);
        let cx = (w * scale * EMU_PER_PT).round() as i64;
        let cy = (h * scale * EMU_PER_PT).round() as i64;
        let media = &self.media[id];
        let mut xfrm = String::new();
        if rot != 0 {
            xfrm.push_str(&format!(" rot=\"{}\"", rot * 60000));
        }
        if flip_h {
            xfrm.push_str(" flipH=\"1\"");
        }
        if flip_v {
            xfrm.push_str(" flipV=\"1\"");
        }
        let brk = if page_break { "<w:pageBreakBefore/>" } else { "" };
        let rfonts = fonts_xml(self.faces.body);
        format!(
            concat!(
                "<w:p><w:pPr>{brk}<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
                "<w:ind w:left=\"0\" w:right=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:rPr>{rfonts}</w:rPr></w:pPr>",
                "<w:r><w:rPr>{rfonts}<w:noProof/></w:rPr><w:drawing>",
                "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>",
                "<wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>",
                "<wp:docPr id=\"{n}\" name=\"图片 {n}\" descr=\"{descr}\"/>",
                "<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>",
                "<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">",
                "<pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">",
                "<pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"{name}\"/><pic:cNvPicPr><a:picLocks noChangeAspect=\"1\" noChangeArrowheads=\"1\"/></pic:cNvPicPr></pic:nvPicPr>",
                "<pic:blipFill><a:blip r:embed=\"{rel}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>",
                "<pic:spPr bwMode=\"auto\"><a:xfrm{xfrm}><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>",
                "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
            ),
            brk = brk,
            rfonts = rfonts,
            cx = cx,
            cy = cy,
            n = n,
            descr = esc(descr),
            name = esc(&media.name),
            rel = media.rel,
            xfrm = xfrm,
        )
    }
}

/// The bookmark on the heading of outline node `node`, where its contents entry links.
fn bookmark(node: usize) -> String {
    format!("_Toc{:08}", node + 1)
}

/// EXIF orientations that keep the picture's box (flips and the half turn) as DrawingML's
/// rotation in degrees and flips.
fn orientation_transform(orientation: u8) -> (u32, bool, bool) {
    match orientation {
        2 => (0, true, false),
        3 => (180, false, false),
        4 => (0, false, true),
        _ => (0, false, false),
    }
}
