//! The Word package: the rendered document with the parts written by hand put in place, the
//! relationships of the pictures, the document's properties, and the zip, pictures streamed from
//! their files.

use super::*;

impl Binder {
    /// Render the document, put the hand-written parts in place and write the package.
    pub fn write<W: Write + Seek>(self, out: W) -> std::io::Result<W> {
        let xml = self.docx.build();
        let bad = |what: &str| std::io::Error::other(format!("the Word document could not be assembled: {what}"));
        let document = String::from_utf8(xml.document).map_err(|_| bad("document.xml is not UTF-8"))?;
        let document = replace_raws(&document, &self.raws).ok_or_else(|| bad("a part went missing"))?;
        let document = share_even_footer(&fix_page_numbers(&document));
        let rels = String::from_utf8(xml.document_rels).map_err(|_| bad("the relationships are not UTF-8"))?;
        let mut extra = String::new();
        for m in &self.media {
            extra.push_str(&format!(
                r#"<Relationship Id="{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/{}" />"#,
                m.rel, m.name
            ));
        }
        let at = rels.rfind("</Relationships>").ok_or_else(|| bad("no relationships"))?;
        let rels = format!("{}{extra}{}", &rels[..at], &rels[at..]);

        use zip::write::SimpleFileOptions;
        let mut zip = zip::ZipWriter::new(out);
        let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        // JPEG and PNG are compressed already.
        let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let mut part = |name: &str, data: &[u8]| -> std::io::Result<()> {
            zip.start_file(name, deflated).map_err(std::io::Error::other)?;
            zip.write_all(data)
        };
        part("[Content_Types].xml", &xml.content_type)?;
        part("_rels/.rels", &xml.rels)?;
        part("docProps/app.xml", &xml.doc_props.app)?;
        // docx-rs has no way to set the title; the author would be "unknown".
        let author = esc(self.author.as_deref().unwrap_or(&self.title));
        let core = String::from_utf8_lossy(&xml.doc_props.core)
            .replacen(
                "<dc:creator>unknown</dc:creator>",
                &format!("<dc:title>{}</dc:title><dc:creator>{author}</dc:creator>", esc(&self.title)),
                1,
            )
            .replacen(
                "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
                &format!("<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"),
                1,
            );
        part("docProps/core.xml", core.as_bytes())?;
        part("docProps/custom.xml", &xml.doc_props.custom)?;
        part("word/_rels/document.xml.rels", rels.as_bytes())?;
        part("word/document.xml", document.as_bytes())?;
        part("word/styles.xml", &xml.styles)?;
        part("word/settings.xml", &xml.settings)?;
        part("word/fontTable.xml", &xml.font_table)?;
        part("word/comments.xml", &xml.comments)?;
        part("word/numbering.xml", &xml.numberings)?;
        part("word/commentsExtended.xml", &xml.comments_extended)?;
        part("word/footnotes.xml", &xml.footnotes)?;
        // Headers and footers are numbered as docx-rs numbered their relationships.
        for (i, h) in xml.headers.iter().enumerate() {
            part(&format!("word/header{}.xml", i + 1), h)?;
            if let Some(r) = xml.header_rels.get(i) {
                part(&format!("word/_rels/header{}.xml.rels", i + 1), r)?;
            }
        }
        for (i, f) in xml.footers.iter().enumerate() {
            part(&format!("word/footer{}.xml", i + 1), f)?;
            if let Some(r) = xml.footer_rels.get(i) {
                part(&format!("word/_rels/footer{}.xml.rels", i + 1), r)?;
            }
        }
        for m in &self.media {
            zip.start_file(format!("word/media/{}", m.name), stored).map_err(std::io::Error::other)?;
            let mut f = std::fs::File::open(&m.path)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", m.path.display())))?;
            std::io::copy(&mut f, &mut zip)?;
        }
        zip.finish().map_err(std::io::Error::other)
    }
}

/// Replace each marker paragraph with its XML. Markers come in document order.
fn replace_raws(document: &str, raws: &[String]) -> Option<String> {
    let mut out = String::with_capacity(document.len() + raws.iter().map(String::len).sum::<usize>());
    let mut rest = document;
    for (n, xml) in raws.iter().enumerate() {
        let at = rest.find(&marker(n))?;
        let start = rest[..at].rfind("<w:p ").or_else(|| rest[..at].rfind("<w:p>"))?;
        let end = at + rest[at..].find("</w:p>")? + "</w:p>".len();
        out.push_str(&rest[..start]);
        out.push_str(xml);
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
}

/// The contents section counts i, ii, … like the PDF's. docx-rs writes no number format, so the
/// first section that restarts numbering, the contents', gets it here.
fn fix_page_numbers(document: &str) -> String {
    document.replacen("<w:pgNumType w:start=\"1\" />", "<w:pgNumType w:fmt=\"lowerRoman\" w:start=\"1\" />", 1)
}

/// docx-rs keeps only the first footer given to a section of its own (the contents'), so the
/// contents' even pages get the body's even-page footer here: the same text, "— N —" on the left.
fn share_even_footer(document: &str) -> String {
    let even = "<w:footerReference w:type=\"even\" r:id=\"";
    let default = "<w:footerReference w:type=\"default\" r:id=\"";
    let patched = (|| {
        let at = document.rfind(even)? + even.len();
        let id = &document[at..at + document[at..].find('"')?];
        let first = document.find(default)?;
        let section_end = first + document[first..].find("</w:sectPr>")?;
        if document[first..section_end].contains(even) {
            return None;
        }
        let tag_end = first + document[first..].find("/>")? + 2;
        Some(format!("{}{even}{id}\" />{}", &document[..tag_end], &document[tag_end..]))
    })();
    patched.unwrap_or_else(|| document.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_replaced_in_order() {
        let doc = format!(
            "<w:body><w:p w14:paraId=\"1\"><w:r><w:t>a</w:t></w:r></w:p><w:p w14:paraId=\"2\"><w:pPr/><w:r><w:t>{}</w:t></w:r></w:p><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body>",
            marker(0),
            marker(1)
        );
        let out = replace_raws(&doc, &["<X/>".into(), "<Y/>".into()]).expect("replaced");
        assert_eq!(out, "<w:body><w:p w14:paraId=\"1\"><w:r><w:t>a</w:t></w:r></w:p><X/><Y/></w:body>");
        assert!(replace_raws(&doc, &["<X/>".into(), "<Y/>".into(), "<Z/>".into()]).is_none());
    }

    #[test]
    fn clean_text() {
        assert_eq!(clean(" a\u{7}b\u{F8FF}c "), " a bc ");
    }
}
