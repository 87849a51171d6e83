//! The binder's interactive form. Widgets are copied with their pages; the fields they belong to
//! come along through /Parent, renamed per run of pages (see `Copier::rename`), and the binder's
//! /AcroForm lists them so viewers fill and print them. Appearance streams are kept, so no viewer
//! has to draw them anew.

use super::copy::{Copier, resolve};
use crate::write::PdfWriter;
use lopdf::{Dictionary, Document, Object};
use std::io::Write;

#[derive(Default)]
pub struct Form {
    fields: Vec<u32>,
    /// Default resources: the fonts field appearances name, merged over all sources (first wins).
    dr: Dictionary,
    da: Option<Object>,
}

impl Form {
    /// After a run of pages: the top-level fields it copied, and its source's form resources.
    pub fn take_fields<W: Write>(
        &mut self,
        doc: &mut Document,
        copier: &mut Copier,
        w: &mut PdfWriter<W>,
    ) -> std::io::Result<()> {
        if copier.top_fields.is_empty() {
            return Ok(());
        }
        self.fields.append(&mut copier.top_fields);
        let acroform = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"AcroForm").ok())
            .map(|a| resolve(doc, a))
            .and_then(|a| a.as_dict().ok())
            .cloned()
            .unwrap_or_default();
        if self.da.is_none() {
            self.da = acroform.get(b"DA").ok().cloned();
        }
        if let Ok(dr) = acroform.get(b"DR") {
            let dr = resolve(doc, dr).clone();
            if let Object::Dictionary(dr) = copier.rewrite(doc, w, dr)? {
                for (kind, entries) in dr.into_iter() {
                    let Object::Dictionary(entries) = entries else { continue };
                    let mut merged = match self.dr.get(&kind) {
                        Ok(Object::Dictionary(d)) => d.clone(),
                        _ => Dictionary::new(),
                    };
                    for (name, v) in entries.into_iter() {
                        if !merged.has(&name) {
                            merged.set(name, v);
                        }
                    }
                    self.dr.set(kind, Object::Dictionary(merged));
                }
            }
        }
        Ok(())
    }

    /// The catalog's /AcroForm, when any page brought a field.
    pub fn finish(self) -> Option<Object> {
        if self.fields.is_empty() {
            return None;
        }
        let mut d = Dictionary::new();
        d.set("Fields", Object::Array(self.fields.into_iter().map(|n| Object::Reference((n, 0))).collect()));
        if !self.dr.is_empty() {
            d.set("DR", Object::Dictionary(self.dr));
        }
        d.set("DA", self.da.unwrap_or_else(|| Object::string_literal("/Helv 0 Tf 0 g")));
        Some(Object::Dictionary(d))
    }
}
