//! Fonts found on the machine. GB/T 9704 sets body text in 仿宋 and second-level headings in 楷体;
//! no open font of either kind ships with dossier, but Windows and many Linux desktops have them.
//! A dossier asks for them by name ("仿宋", "楷体", "黑体") and second-level headings use a 楷体
//! when one is installed.
//!
//! On Windows the fonts a school installed for official documents (方正仿宋_GBK, 仿宋_GB2312, …,
//! the faces GB/T 9704 names) come before Windows' own simfang/simkai/simhei: whoever installed
//! them wants them used. Fonts installed "for this user only" live in the user's own folder.

use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Fangsong,
    Kaiti,
    Heiti,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Fangsong => "仿宋",
            Kind::Kaiti => "楷体",
            Kind::Heiti => "黑体",
        }
    }

    /// The kind a dossier's font name asks for, if it is a name rather than a path.
    pub fn from_name(name: &str) -> Option<Kind> {
        match name.trim().to_lowercase().as_str() {
            "仿宋" | "仿宋体" | "仿宋_gb2312" | "fangsong" | "simfang" => Some(Kind::Fangsong),
            "楷体" | "楷体_gb2312" | "kaiti" | "simkai" => Some(Kind::Kaiti),
            "黑体" | "heiti" | "simhei" => Some(Kind::Heiti),
            _ => None,
        }
    }
}

/// Windows' font folders: the system's, then the user's own (fonts installed for one user only).
fn windows_dirs() -> Vec<PathBuf> {
    let system = std::env::var_os("WINDIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(r"C:\Windows"));
    let mut dirs = vec![system.join("Fonts")];
    if let Some(local) = std::env::var_os("LOCALAPPDATA") {
        dirs.push(PathBuf::from(local).join(r"Microsoft\Windows\Fonts"));
    }
    dirs
}

/// The file names each kind goes by on Windows, the school's installed 方正 and GB2312 fonts first.
const WINDOWS_NAMES: [(Kind, &[&str]); 3] = [
    (Kind::Fangsong, &["FZFSK.TTF", "FZFSJW.TTF", "仿宋_GB2312.ttf", "simfang.ttf"]),
    (Kind::Kaiti, &["FZKTK.TTF", "FZKTJW.TTF", "楷体_GB2312.ttf", "simkai.ttf"]),
    (Kind::Heiti, &["FZHTK.TTF", "FZHTJW.TTF", "simhei.ttf"]),
];

/// Where the usual fonts of each kind live (Windows, macOS, Debian/Ubuntu packages).
fn candidates(kind: Kind) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let names = WINDOWS_NAMES.iter().find(|(k, _)| *k == kind).map_or(&[][..], |(_, n)| n);
    // By name first: a 方正 font installed for one user beats Windows' own simfang.
    let dirs = windows_dirs();
    for n in names {
        out.extend(dirs.iter().map(|d| d.join(n)));
    }
    let names: &[&str] = match kind {
        Kind::Fangsong => &["STFANGSO.TTF", "FandolFang-Regular.otf"],
        Kind::Kaiti => &["STKAITI.TTF", "Kaiti.ttc", "ukai.ttc", "gkai00mp.ttf", "FandolKai-Regular.otf"],
        Kind::Heiti => &["STHeiti Medium.ttc", "FandolHei-Regular.otf"],
    };
    let dirs = [
        PathBuf::from("/System/Library/Fonts/Supplemental"),
        PathBuf::from("/System/Library/Fonts"),
        PathBuf::from("/Library/Fonts"),
        PathBuf::from("/usr/share/fonts/truetype/arphic"),
        PathBuf::from("/usr/share/fonts/truetype/arphic-gkai00mp"),
        PathBuf::from("/usr/share/texmf/fonts/opentype/public/fandol"),
        PathBuf::from("/usr/share/fonts/opentype/fandol"),
    ];
    out.extend(dirs.iter().flat_map(|d| names.iter().map(move |n| d.join(n))));
    out
}

/// The first installed font of `kind`, with the face index to use.
pub fn find(kind: Kind) -> Option<(PathBuf, u32)> {
    candidates(kind).into_iter().find(|p| p.is_file()).map(|p| (p, 0))
}
