//! Everything `init` says, in one place.
use super::*;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn name(p: &Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

pub fn summary(r: &Report, lang: Lang) -> String {
    if lang == Lang::Zh {
        let counts = format!("{} 个部分、{} 个章节、{} 项佐证材料", r.parts, r.sections, r.evidence);
        let skipped =
            if r.skipped.is_empty() { String::new() } else { format!("；跳过 {} 个文件", r.skipped.len()) };
        let file = name(&r.dossier);
        return match (r.updated, r.written) {
            (false, _) => format!("已写出 {file}：{counts}{skipped}"),
            (true, true) => format!("已更新 {file}：新增 {} 项（现有 {counts}）{skipped}", r.added.len()),
            (true, false) => format!("{file} 已是最新：所有文件都已列入（{counts}）{skipped}"),
        };
    }
    let counts = format!(
        "{}, {}, {}",
        plural(r.parts, "part", "parts"),
        plural(r.sections, "section", "sections"),
        plural(r.evidence, "evidence item", "evidence items")
    );
    let skipped = if r.skipped.is_empty() {
        String::new()
    } else {
        format!("; skipped {}", plural(r.skipped.len(), "file", "files"))
    };
    let file = name(&r.dossier);
    match (r.updated, r.written) {
        (false, _) => format!("wrote {file}: {counts}{skipped}"),
        (true, true) => format!(
            "updated {file}: added {} (now {counts}){skipped}",
            plural(r.added.len(), "evidence item", "evidence items")
        ),
        (true, false) => format!("{file} is up to date: every file is in it already ({counts}){skipped}"),
    }
}

pub fn next_steps(lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        return "下一步：打开 dossier.json，补上封面（\"cover\"：project、chapter、subtitle、organization、date）\
                和需要的说明文字（\"text\"），见 README；然后运行：dossier build";
    }
    "next: open dossier.json to add the cover (\"cover\": project, chapter, subtitle, organization, date) \
     and any narrative (\"text\"), see README; then run: dossier build"
}

pub fn added(a: &Added, lang: Lang) -> String {
    if lang == Lang::Zh {
        return format!("新增：{}（{}）", a.entry.join(" › "), a.file);
    }
    format!("added: {} ({})", a.entry.join(" › "), a.file)
}

pub fn missing(m: &Missing, lang: Lang) -> String {
    if lang == Lang::Zh {
        return format!("找不到：{}（{}）：请放回该文件，或从 dossier.json 中删去", m.file, m.entry.join(" › "));
    }
    format!("not found: {} ({}): put the file back, or remove it from dossier.json", m.file, m.entry.join(" › "))
}

pub fn skipped(s: &Skipped, lang: Lang) -> String {
    if lang == Lang::Zh {
        let why = match &s.why {
            SkipReason::Kind(ext) => match ext.as_str() {
                "doc" | "wps" => "旧版 Word 文件：请另存为 .docx 或 PDF，再运行 dossier init --update".to_string(),
                "xls" | "xlsx" | "et" | "ppt" | "pptx" | "dps" => {
                    "表格或演示文稿：请导出为 PDF，再运行 dossier init --update".to_string()
                }
                _ => "不是 PDF、图片或 Word 文件".to_string(),
            },
            SkipReason::Loose => "不在任何部分的文件夹里：请移入其中，再运行 dossier init --update".to_string(),
            SkipReason::Unreadable(e) => format!("无法读取{}", crate::error::meaning_zh(e)),
        };
        return format!("跳过 {}：{why}", s.file);
    }
    let why = match &s.why {
        SkipReason::Kind(ext) => match ext.as_str() {
            "doc" | "wps" => "an old Word file: save it as .docx or PDF, then run dossier init --update".to_string(),
            "xls" | "xlsx" | "et" | "ppt" | "pptx" | "dps" => {
                "a spreadsheet or slides: export it as PDF, then run dossier init --update".to_string()
            }
            _ => "not a PDF, picture or Word file".to_string(),
        },
        SkipReason::Loose => "it is not in a part folder: move it into one, then run dossier init --update".to_string(),
        SkipReason::Unreadable(e) => format!("it cannot be read ({e})"),
    };
    format!("skipped {}: {why}", s.file)
}

pub fn error(e: &InitError, lang: Lang) -> String {
    if lang == Lang::Zh {
        return match e {
            InitError::NoFolder(p) => format!("没有文件夹 {}", p.display()),
            InitError::Exists { dossier, folder } => {
                let dir = folder.display().to_string();
                let arg = if dir == "." { String::new() } else { format!(" \"{dir}\"") };
                format!(
                    "{} 已经存在，dossier init 不会覆盖它。\n  要加入其中还没有的文件，请运行：dossier init --update{arg}\n  \
                     要重新开始，请先把它改名或删除。",
                    dossier.strip_prefix(".").unwrap_or(dossier).display()
                )
            }
            InitError::Nothing(p) => format!(
                "在 {} 中没有找到文件夹，也没有 PDF、图片或 Word 文件：请把扫描件按部分和章节放进文件夹，再运行 dossier init",
                p.display()
            ),
            InitError::Dossier(d) => {
                format!("dossier.json 中有 {} 个问题；请先改正，再运行 dossier init --update", d.len())
            }
            InitError::Io { path, source } => {
                format!("无法读写 {}：{}", path.display(), crate::error::io_zh(source))
            }
            InitError::Internal(_) => "内部错误（请报告；用 --lang en 可看到技术细节）".into(),
        };
    }
    match e {
        InitError::NoFolder(p) => format!("there is no folder {}", p.display()),
        InitError::Exists { dossier, folder } => {
            let dir = folder.display().to_string();
            let arg = if dir == "." { String::new() } else { format!(" \"{dir}\"") };
            format!(
                "{} already exists, and dossier init never overwrites it.\n  \
                 To add the files that are not in it yet, run: dossier init --update{arg}\n  \
                 To start afresh, rename or delete it first.",
                dossier.strip_prefix(".").unwrap_or(dossier).display()
            )
        }
        InitError::Nothing(p) => format!(
            "no folders and no PDF, picture or Word files were found in {}: \
             put the scans in folders for the parts and sections, then run dossier init again",
            p.display()
        ),
        InitError::Dossier(d) => format!(
            "{} in dossier.json; fix {} first, then run dossier init --update again",
            plural(d.len(), "problem", "problems"),
            if d.len() == 1 { "it" } else { "them" }
        ),
        InitError::Io { path, source } => format!("cannot read or write {}: {source}", path.display()),
        InitError::Internal(m) => format!("internal error (please report it): {m}"),
    }
}
