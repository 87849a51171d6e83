//! Fonts found on the machine. GB/T 9704 sets body text in 仿宋 and second-level headings in 楷体;
//! no open font of either kind ships with dossier, but Windows and many Linux desktops have them.
//! A dossier asks for them by name ("仿宋", "楷体") and second-level headings use a 楷体 when one
//! is installed.

use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Fangsong,
    Kaiti,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Fangsong => "仿宋",
            Kind::Kaiti => "楷体",
        }
    }

    /// The kind a dossier's font name asks for, if it is a name rather than a path.
    pub fn from_name(name: &str) -> Option<Kind> {
        match name.trim().to_lowercase().as_str() {
            "仿宋" | "仿宋体" | "仿宋_gb2312" | "fangsong" | "simfang" => Some(Kind::Fangsong),
            "楷体" | "楷体_gb2312" | "kaiti" | "simkai" => Some(Kind::Kaiti),
            _ => None,
        }
    }
}

/// Where the usual fonts of each kind live (Windows, macOS, Debian/Ubuntu packages).
fn candidates(kind: Kind) -> Vec<PathBuf> {
    let windows =
        std::env::var_os("WINDIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(r"C:\Windows")).join("Fonts");
    let names: &[&str] = match kind {
        Kind::Fangsong => &["simfang.ttf", "STFANGSO.TTF", "FandolFang-Regular.otf"],
        Kind::Kaiti => &["simkai.ttf", "STKAITI.TTF", "Kaiti.ttc", "ukai.ttc", "gkai00mp.ttf", "FandolKai-Regular.otf"],
    };
    let dirs = [
        windows,
        PathBuf::from("/System/Library/Fonts/Supplemental"),
        PathBuf::from("/Library/Fonts"),
        PathBuf::from("/usr/share/fonts/truetype/arphic"),
        PathBuf::from("/usr/share/fonts/truetype/arphic-gkai00mp"),
        PathBuf::from("/usr/share/texmf/fonts/opentype/public/fandol"),
        PathBuf::from("/usr/share/fonts/opentype/fandol"),
    ];
    dirs.iter().flat_map(|d| names.iter().map(move |n| d.join(n))).collect()
}

/// The first installed font of `kind`, with the face index to use.
pub fn find(kind: Kind) -> Option<(PathBuf, u32)> {
    candidates(kind).into_iter().find(|p| p.is_file()).map(|p| (p, 0))
}
