//! Opening source PDFs. lopdf reads whole files; it opens owner-password PDFs (decrypting them) and
//! repairs broken cross-reference tables, but answers Ok with no pages for a PDF that needs a user
//! password or has lost its page tree, so every load is checked here.

use crate::error::Problem;
use lopdf::Document;
use std::path::Path;

/// Load a PDF and make sure it has pages we can reach.
pub fn open(path: &Path) -> Result<Document, Problem> {
    let bytes = std::fs::read(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    open_bytes(&bytes)
}

pub fn open_bytes(bytes: &[u8]) -> Result<Document, Problem> {
    // A hostile or badly damaged file must not take the whole build down with it.
    let loaded = std::panic::catch_unwind(|| Document::load_mem(bytes));
    let doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(lopdf::Error::Decryption(_))) | Ok(Err(lopdf::Error::InvalidPassword)) => {
            return Err(Problem::Encrypted);
        }
        Ok(Err(e)) => return Err(Problem::DamagedPdf(plain(&e))),
        Err(_) => return Err(Problem::DamagedPdf("its structure could not be read".into())),
    };
    if doc.is_encrypted() {
        return Err(Problem::Encrypted);
    }
    if doc.get_pages().is_empty() {
        return Err(Problem::DamagedPdf("no pages could be found in it".into()));
    }
    Ok(doc)
}

/// lopdf's messages are for programmers; keep the gist.
fn plain(e: &lopdf::Error) -> String {
    let s = e.to_string();
    if s.is_empty() { "it could not be parsed".into() } else { s }
}

/// Page count, for planning. lopdf's metadata reader skips parsing the content, which halves the
/// cost; any doubt (an error, no pages, encryption) goes to the full load for a precise answer.
pub fn page_count(path: &Path) -> Result<u32, Problem> {
    let bytes = std::fs::read(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    let quick = std::panic::catch_unwind(|| Document::load_metadata_mem(&bytes));
    if let Ok(Ok(m)) = quick {
        // The page tree of an encrypted file can be readable without its password.
        if m.page_count > 0 && memchr::memmem::find(&bytes, b"/Encrypt").is_none() {
            return Ok(m.page_count);
        }
    }
    Ok(open_bytes(&bytes)?.get_pages().len() as u32)
}
