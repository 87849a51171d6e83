//! A reading as the cache keeps it (`<cache>/ocr/<key>.ocr`): the engine's reading itself, and
//! beside it everything a build takes from it, made once: whether the page was turned or is
//! blank, whether any legible word was read, and the page's text layer ready to copy into the
//! binder, compressed. A rebuild with nothing new reads these few bytes instead of parsing the
//! reading, sorting out its lines and compressing a layer again for every page.
//!
//! The layer is made again from the reading kept beside it when the code that makes it changes
//! ([`layer::VERSION`]), so changing that code never sends a page back to the engine.

use super::{Recognised, layer, legible};
use crate::cache::sealed::{In, Out, read_used, write_whole};
use std::io::{Read, Write};
use std::path::Path;

const MAGIC: &[u8] = b"dossier ocr reading 1\n";

/// What a build takes from a reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub turn: u16,
    pub blank: bool,
    /// Any legible word (a page with text from OCR).
    pub words: bool,
    /// The text layer's operators, deflated; empty when there is nothing to draw.
    pub layer: Vec<u8>,
}

impl Stored {
    pub fn of(r: &Recognised) -> Stored {
        let lines = legible(r.lines.clone());
        Stored {
            turn: r.turn,
            blank: r.blank,
            words: lines.iter().any(|l| !l.words.is_empty()),
            layer: layer::body(&lines, r.height),
        }
    }
}

fn path(dir: &Path, key: &str) -> std::path::PathBuf {
    dir.join(format!("{key}.ocr"))
}

/// The reading cached under `key`, if there is one whole: made again from the reading it keeps
/// when the layer's code has changed, or from a reading cached by an earlier version as JSON.
pub fn open(dir: &Path, key: &str) -> Option<Stored> {
    let file = path(dir, key);
    if let Some(data) = read_used(&file) {
        match decode(&data) {
            Some(Decoded::Ready(s)) => return Some(s),
            Some(Decoded::Stale(r)) => return Some(store(dir, key, &r)),
            None => {}
        }
    }
    let legacy = dir.join(format!("{key}.json"));
    let r: Recognised = serde_json::from_slice(&std::fs::read(legacy).ok()?).ok()?;
    Some(store(dir, key, &r))
}

/// Keep a reading under `key`; returns what a build takes from it.
pub fn store(dir: &Path, key: &str, r: &Recognised) -> Stored {
    let s = Stored::of(r);
    if let Ok(json) = serde_json::to_vec(r) {
        write_whole(&path(dir, key), &encode(&s, &json));
    }
    s
}

enum Decoded {
    Ready(Stored),
    /// Whole, but its layer made by other code: the reading to make it again from.
    Stale(Box<Recognised>),
}

fn encode(s: &Stored, json: &[u8]) -> Vec<u8> {
    encode_as(layer::VERSION, s, json)
}

/// Two parts, each sealed on its own: what a build takes, checked on every build, and the reading,
/// checked only when a layer is made from it again. A rebuild then checks 3 KB a page, not 8.
fn encode_as(version: u32, s: &Stored, json: &[u8]) -> Vec<u8> {
    let mut taken = Out::new(b"");
    taken.u32(version);
    taken.u16(s.turn);
    taken.u8(s.blank as u8);
    taken.u8(s.words as u8);
    taken.bytes(&s.layer);
    let mut reading = Out::new(b"");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    let _ = z.write_all(json);
    reading.bytes(&z.finish().unwrap_or_default());
    let mut o = Out::new(MAGIC);
    o.bytes(&taken.seal());
    o.bytes(&reading.seal());
    o.unsealed()
}

fn decode(data: &[u8]) -> Option<Decoded> {
    let mut parts = In::unsealed(data, MAGIC)?;
    let (taken, reading) = (parts.bytes()?, parts.bytes()?);
    if !parts.is_empty() {
        return None;
    }
    let mut i = In::open(taken, b"")?;
    let version = i.u32()?;
    let (turn, blank, words) = (i.u16()?, i.u8()? != 0, i.u8()? != 0);
    let layer = i.bytes()?;
    if !i.is_empty() {
        return None;
    }
    if version == layer::VERSION {
        return Some(Decoded::Ready(Stored { turn, blank, words, layer: layer.to_vec() }));
    }
    let mut i = In::open(reading, b"")?;
    let deflated = i.bytes()?;
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(deflated).read_to_end(&mut json).ok()?;
    Some(Decoded::Stale(Box::new(serde_json::from_slice(&json).ok()?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::{Line, Word};

    fn reading() -> Recognised {
        let words = vec![
            Word { text: "关于".into(), x0: 100.0, x1: 180.0, conf: 95.0 },
            Word { text: "Web".into(), x0: 200.0, x1: 260.0, conf: 91.0 },
        ];
        let line = Line { words, top: 50.0, bottom: 90.0, left: 100.0, right: 260.0 };
        let noise = Line {
            words: vec![Word { text: "TAN".into(), x0: 0.0, x1: 9.0, conf: 3.0 }],
            top: 0.0,
            bottom: 9.0,
            left: 0.0,
            right: 9.0,
        };
        Recognised { width: 1000, height: 1400, lines: vec![line, noise], turn: 180, blank: false }
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("dossier-stored-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_reading_kept_comes_back_as_made_and_a_damaged_one_is_not_believed() {
        let dir = scratch("keep");
        let made = store(&dir, "k", &reading());
        assert!(made.words && made.turn == 180 && !made.layer.is_empty());
        assert_eq!(open(&dir, "k"), Some(made.clone()));

        let file = path(&dir, "k");
        let data = std::fs::read(&file).unwrap();
        std::fs::write(&file, &data[..data.len() / 2]).unwrap();
        assert_eq!(open(&dir, "k"), None, "cut short");
        let mut edited = data.clone();
        edited[MAGIC.len() + 8] ^= 0x20;
        std::fs::write(&file, &edited).unwrap();
        assert_eq!(open(&dir, "k"), None, "edited");

        // Kept by an earlier version as JSON: taken over, and kept in the new form.
        std::fs::remove_file(&file).unwrap();
        std::fs::write(dir.join("k.json"), serde_json::to_vec(&reading()).unwrap()).unwrap();
        assert_eq!(open(&dir, "k"), Some(made.clone()));
        std::fs::remove_file(dir.join("k.json")).unwrap();
        assert_eq!(open(&dir, "k"), Some(made.clone()));

        // A layer made by other code is made again from the reading kept beside it...
        let json = serde_json::to_vec(&reading()).unwrap();
        let stale = encode_as(layer::VERSION + 1, &Stored { layer: b"old".to_vec(), ..made.clone() }, &json);
        std::fs::write(&file, &stale).unwrap();
        assert_eq!(open(&dir, "k"), Some(made.clone()));
        assert_eq!(std::fs::read(&file).unwrap(), data, "made again and kept");
        // ...if that reading is whole.
        let mut damaged = stale.clone();
        let at = damaged.len() - 10;
        damaged[at] ^= 1;
        std::fs::write(&file, &damaged).unwrap();
        assert_eq!(open(&dir, "k"), None, "a damaged reading");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
