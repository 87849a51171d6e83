//! The repository's own sample binder, built from dossier.json and the files in samples/, read back
//! as a reviewer would: contents, numbers, labels, bookmarks, links, fonts.

mod common;
use common::*;

#[test]
fn sample_binder_meets_the_contract() {
    let dir = scratch("sample");
    let out = dir.join("binder.pdf");
    let o = dossier(&["build", "dossier.json", "-o", out.to_str().unwrap()], &repo());
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("dossier.json")).unwrap()).unwrap();
    let b = Binder::open(&out);
    let texts = page_texts(&out);
    assert_eq!(texts.len(), b.pages.len());

    // Labels: cover, contents in roman numerals, body from 1; and every page after the cover
    // prints the same number in its foot.
    let (labels, body_start) = assert_labels(&b);
    for (i, want) in labels.iter().enumerate().skip(1) {
        let foot = texts[i].lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
        assert!(no_space(foot).contains(&format!("—{want}—")), "page {} prints {foot:?}, label {want}", i + 1);
    }
    // Source pages keep their text: the body holds several times what our own pages hold.
    let body_chars: usize = texts[body_start..].iter().map(|t| no_space(t).chars().count()).sum();
    assert!(body_chars > 12_000, "body text too short: {body_chars} chars");

    // Cover and metadata.
    let cover = no_space(&texts[0]);
    {
        let k = "title";
        assert!(cover.contains(&no_space(json[k].as_str().unwrap())));
    }
    for (_, v) in json["cover"].as_object().unwrap() {
        assert!(cover.contains(&no_space(v.as_str().unwrap())), "cover lacks {v}");
    }
    let info = b.doc.trailer.get(b"Info").and_then(|i| b.doc.dereference(i)).unwrap().1.as_dict().unwrap().clone();
    assert_eq!(text_string(info.get(b"Title").unwrap()), json["title"].as_str().unwrap());

    // Bookmarks: 目录, then the outline's tree, each at a page whose label the contents quotes.
    let marks = b.bookmarks();
    let outline = outline_of(&json);
    assert_eq!(marks[0].1, "目录");
    assert_eq!(marks[0].2, 1);
    let tree: Vec<(usize, String)> = marks[1..].iter().map(|(d, t, _)| (*d, t.clone())).collect();
    assert_eq!(tree, outline, "bookmark tree differs from the outline");

    // The contents lists every node, in order, with the label of its bookmark's page.
    // Lines kept apart: a number ends its line, a title may wrap over several.
    let contents: Vec<char> = texts[1..body_start]
        .iter()
        .flat_map(|t| t.lines())
        .map(no_space)
        .collect::<Vec<_>>()
        .join("\n")
        .chars()
        .collect();
    let mut at = 0;
    for (_, title, page) in &marks[1..] {
        let t: Vec<char> = no_space(title).chars().collect();
        let end = find_wrapped(&contents, &t, at).unwrap_or_else(|| panic!("contents lacks {title}"));
        let num: String =
            contents[end..].iter().skip_while(|c| **c == '.').take_while(|c| c.is_ascii_digit()).collect();
        assert_eq!(num, labels[*page], "contents number for {title}");
        at = end;
    }
    // Every contents line links to the same page as its bookmark.
    let links: Vec<usize> = (1..body_start).flat_map(|p| b.links(p)).map(|(_, page)| page).collect();
    let targets: Vec<usize> = marks[1..].iter().map(|m| m.2).collect();
    assert_eq!(links, targets, "contents links");

    // Headings of parts and sections are typeset on the page their bookmark opens.
    for (depth, title, page) in &marks[1..] {
        let is_node = outline.iter().any(|(d, t)| d == depth && t == title) && json_is_section(&json, title);
        if is_node {
            let head: String = no_space(title).chars().take(12).collect();
            assert!(no_space(&texts[*page]).contains(&head), "{title} not on page {}", page + 1);
        }
    }

    // Our fonts: embedded, subset, with ToUnicode.
    let fonts = tool("pdffonts", &[out.to_str().unwrap()]);
    let ours: Vec<&str> = fonts.lines().filter(|l| l.contains("NotoSerifCJKsc-Regular")).collect();
    assert!(!ours.is_empty(), "our CJK font is not used:\n{fonts}");
    for l in ours {
        let cols: Vec<&str> = l.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "emb/sub/uni: {l}");
        assert!(l.contains("CID"), "not a CID font: {l}");
    }
}

/// End of the first match of `needle` in `hay` at or after `from`, line breaks in `hay` ignored.
fn find_wrapped(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    (from..hay.len()).find_map(|start| {
        let mut i = start;
        for &c in needle {
            while hay.get(i) == Some(&'\n') && i > start {
                i += 1;
            }
            if hay.get(i) != Some(&c) {
                return None;
            }
            i += 1;
        }
        Some(i)
    })
}

fn json_is_section(json: &serde_json::Value, title: &str) -> bool {
    fn walk(n: &serde_json::Value, title: &str) -> bool {
        n["title"] == title || n["sections"].as_array().into_iter().flatten().any(|s| walk(s, title))
    }
    json["parts"].as_array().unwrap().iter().any(|p| walk(p, title))
}

#[test]
fn rebuild_is_byte_identical() {
    let dir = scratch("reproducible");
    let a = dir.join("a.pdf");
    let b = dir.join("b.pdf");
    for p in [&a, &b] {
        let o = dossier(&["build", "dossier.json", "-o", p.to_str().unwrap()], &repo());
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(), "two builds differ");
}
