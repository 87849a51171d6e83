//! The binder's interactive form. Widgets are copied with their pages; the fields they belong to
//! come along through /Parent, renamed per run of pages (see `Copier::rename`), and the binder's
//! /AcroForm lists them so viewers fill and print them. Appearance streams are kept, so no viewer
//! has to draw them anew; for the viewer that does (after an edit, or because a source asked with
//! /NeedAppearances), every font a field's /DA names is in the binder's /DR, and means there what
//! it meant in the field's own file.

use super::copy::{Copier, resolve};
use crate::write::PdfWriter;
use lopdf::{Dictionary, Document, Object};
use std::collections::BTreeSet;
use std::io::Write;

#[derive(Default)]
pub struct Form {
    fields: Vec<u32>,
    /// Default resources, merged over all sources: fonts by name, renamed on a clash; other kinds
    /// first wins.
    dr: Dictionary,
    /// The /BaseFont of each font in `dr`, to tell a clash from the same font twice.
    base_fonts: Vec<(Vec<u8>, Vec<u8>)>,
    da: Option<Object>,
    need_appearances: bool,
    /// Fonts the copied fields' /DA strings name.
    used: BTreeSet<Vec<u8>>,
}

fn acroform(doc: &Document) -> Dictionary {
    doc.catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .map(|a| resolve(doc, a))
        .and_then(|a| a.as_dict().ok())
        .cloned()
        .unwrap_or_default()
}

impl Form {
    /// Before a run of pages with widgets is copied: the source's form resources join the
    /// binder's. A font name the binder already uses for another font gets a new name, and the
    /// copier renames it in the /DA of the fields it copies.
    pub fn begin_run<W: Write>(
        &mut self,
        doc: &mut Document,
        copier: &mut Copier,
        w: &mut PdfWriter<W>,
    ) -> std::io::Result<()> {
        let form = acroform(doc);
        if self.da.is_none() {
            self.da = form.get(b"DA").ok().cloned();
        }
        self.need_appearances |= matches!(form.get(b"NeedAppearances"), Ok(Object::Boolean(true)));
        let Ok(dr) = form.get(b"DR").map(|d| resolve(doc, d).clone()) else { return Ok(()) };
        let Object::Dictionary(dr) = dr else { return Ok(()) };
        for (kind, entries) in dr.into_iter() {
            let Ok(entries) = resolve(doc, &entries).as_dict().cloned() else { continue };
            let mut merged = match self.dr.get(&kind) {
                Ok(Object::Dictionary(d)) => d.clone(),
                _ => Dictionary::new(),
            };
            for (name, v) in entries.into_iter() {
                if kind != b"Font" {
                    if !merged.has(&name) {
                        merged.set(name, copier.rewrite(doc, w, v)?);
                    }
                    continue;
                }
                let base = base_font(doc, &v);
                let known = |n: &[u8]| self.base_fonts.iter().find(|(m, _)| m == n).map(|(_, b)| b.clone());
                match known(&name) {
                    Some(b) if b == base => {}
                    None => {
                        merged.set(name.clone(), copier.rewrite(doc, w, v)?);
                        self.base_fonts.push((name, base));
                    }
                    Some(_) => {
                        let new = (2..)
                            .map(|k| [&name[..], format!("_{k}").as_bytes()].concat())
                            .find(|n| known(n).is_none_or(|b| b == base))
                            .unwrap_or_default();
                        if known(&new).is_none() {
                            merged.set(new.clone(), copier.rewrite(doc, w, v)?);
                            self.base_fonts.push((new.clone(), base));
                        }
                        copier.da_renames.insert(name, new);
                    }
                }
            }
            self.dr.set(kind, Object::Dictionary(merged));
        }
        Ok(())
    }

    /// After a run of pages: the top-level fields it copied, and the fonts their /DA name.
    pub fn take_fields(&mut self, copier: &mut Copier) {
        self.fields.append(&mut copier.top_fields);
        self.used.append(&mut copier.da_fonts);
    }

    /// The catalog's /AcroForm, when any page brought a field.
    pub fn finish<W: Write>(mut self, w: &mut PdfWriter<W>) -> std::io::Result<Option<Object>> {
        if self.fields.is_empty() {
            return Ok(None);
        }
        let da = self.da.take().unwrap_or_else(|| Object::string_literal("/Helv 0 Tf 0 g"));
        if let Object::String(s, _) = &da
            && let Some(name) = da_font(s)
        {
            self.used.insert(name);
        }
        // A /DA naming a font no /DR holds (PyMuPDF and others write "/Helv 0 Tf" with no /DR):
        // the standard font the name stands for by Acrobat's convention, else Helvetica.
        let mut fonts = match self.dr.get(b"Font") {
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        for name in &self.used {
            if !fonts.has(name) {
                let base: &[u8] = match name.as_slice() {
                    b"ZaDb" => b"ZapfDingbats",
                    b"TiRo" => b"Times-Roman",
                    b"Cour" => b"Courier",
                    _ => b"Helvetica",
                };
                let mut f = Dictionary::new();
                f.set("Type", Object::Name(b"Font".to_vec()));
                f.set("Subtype", Object::Name(b"Type1".to_vec()));
                f.set("BaseFont", Object::Name(base.to_vec()));
                if base != b"ZapfDingbats" {
                    f.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
                }
                let id = w.alloc();
                w.write(id, &Object::Dictionary(f))?;
                fonts.set(name.clone(), Object::Reference((id, 0)));
            }
        }
        if !fonts.is_empty() {
            self.dr.set("Font", Object::Dictionary(fonts));
        }
        let mut d = Dictionary::new();
        d.set("Fields", Object::Array(self.fields.into_iter().map(|n| Object::Reference((n, 0))).collect()));
        if !self.dr.is_empty() {
            d.set("DR", Object::Dictionary(self.dr));
        }
        d.set("DA", da);
        if self.need_appearances {
            d.set("NeedAppearances", Object::Boolean(true));
        }
        Ok(Some(Object::Dictionary(d)))
    }
}

fn base_font(doc: &Document, font: &Object) -> Vec<u8> {
    resolve(doc, font)
        .as_dict()
        .ok()
        .and_then(|d| d.get(b"BaseFont").ok())
        .and_then(|b| b.as_name().ok())
        .map(<[u8]>::to_vec)
        .unwrap_or_default()
}

/// The font a default-appearance string sets: `/Helv 12 Tf 0 g` → `Helv`.
pub fn da_font(da: &[u8]) -> Option<Vec<u8>> {
    let tokens: Vec<&[u8]> = da.split(|b| b.is_ascii_whitespace()).filter(|t| !t.is_empty()).collect();
    tokens.windows(3).find(|t| t[2] == b"Tf" && t[0].starts_with(b"/")).map(|t| t[0][1..].to_vec())
}

/// The string with the font it sets renamed to `new`.
pub fn da_renamed(da: &[u8], new: &[u8]) -> Vec<u8> {
    let tokens: Vec<&[u8]> = da.split(|b| b.is_ascii_whitespace()).filter(|t| !t.is_empty()).collect();
    let at = tokens.windows(3).position(|t| t[2] == b"Tf" && t[0].starts_with(b"/"));
    let name = [b"/", new].concat();
    let out: Vec<&[u8]> =
        tokens.iter().enumerate().map(|(i, t)| if Some(i) == at { name.as_slice() } else { *t }).collect();
    out.join(&b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_of_a_default_appearance_is_found_and_renamed() {
        assert_eq!(da_font(b"0 0 0 rg /Helv 0 Tf"), Some(b"Helv".to_vec()));
        assert_eq!(da_font(b"/F1  12 Tf\n0 g"), Some(b"F1".to_vec()));
        assert_eq!(da_font(b"0 g"), None);
        assert_eq!(da_renamed(b"/F1 12 Tf 0 g", b"F1_2"), b"/F1_2 12 Tf 0 g".to_vec());
        assert_eq!(da_renamed(b"0 0 1 rg /F1 9 Tf", b"F1_2"), b"0 0 1 rg /F1_2 9 Tf".to_vec());
    }
}
