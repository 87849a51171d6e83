//! Number labels of outline titles (“一、”, “1.”, “（一）”, “第一部分 ”): a wrapped 目录 entry hangs
//! from the end of its label, as numbered headings do in print.

/// Bytes of the number label a title opens with, spaces after it included: “一、”, “1.”, “1.2 ”,
/// “（一）”, “(1)”, “①”, “第一部分 ”. 0 when it has none, or when nothing follows the label.
/// A wrapped title hangs from the end of its label, as numbered headings do in print.
pub fn number_label(title: &str) -> usize {
    const CN: &str = "〇零一二三四五六七八九十百两";
    let numeral = |c: char| CN.contains(c) || c.is_ascii_digit();
    let run = |s: &str, f: &dyn Fn(char) -> bool| s.char_indices().find(|&(_, c)| !f(c)).map_or(s.len(), |(i, _)| i);
    let after = |s: &str, prefix: &str| s.strip_prefix(prefix).map(|r| s.len() - r.len());
    let label = (|| {
        if let Some(p) = after(title, "第") {
            let n = p + run(&title[p..], &numeral);
            if n > p {
                for unit in ["部分", "章", "节", "篇", "编", "册"] {
                    if let Some(u) = after(&title[n..], unit) {
                        return n + u;
                    }
                }
            }
            return 0;
        }
        for (open, close) in [("（", "）"), ("(", ")"), ("〔", "〕")] {
            if let Some(p) = after(title, open) {
                let n = p + run(&title[p..], &numeral);
                return if n > p { after(&title[n..], close).map_or(0, |c| n + c) } else { 0 };
            }
        }
        if title.starts_with(|c: char| ('①'..='⑳').contains(&c)) {
            return title.chars().next().map_or(0, char::len_utf8);
        }
        let cn = run(title, &|c| CN.contains(c));
        if cn > 0 {
            return after(&title[cn..], "、").map_or(0, |m| cn + m);
        }
        // 1.  1、  1．  1.2.  and a dotted number set off by a space (1.2 标题); not 2023年.
        let mut n = run(title, &|c| c.is_ascii_digit());
        if n == 0 {
            return 0;
        }
        let mut dotted = false;
        while let Some(d) = after(&title[n..], ".") {
            let more = run(&title[n + d..], &|c| c.is_ascii_digit());
            if more == 0 {
                return n + d;
            }
            n += d + more;
            dotted = true;
        }
        if let Some(m) = after(&title[n..], "、").or_else(|| after(&title[n..], "．")) {
            return n + m;
        }
        if dotted && title[n..].starts_with(char::is_whitespace) { n } else { 0 }
    })();
    let end = label + run(&title[label..], &|c| c.is_whitespace());
    if label == 0 || end >= title.len() { 0 } else { end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_labels() {
        let labelled = [
            ("一、建立", "一、"),
            ("十一、推进", "十一、"),
            ("1.建立", "1."),
            ("2、制定", "2、"),
            ("3．引进", "3．"),
            ("9.2 搭建", "9.2 "),
            ("（一）深圳", "（一）"),
            ("(3)函", "(3)"),
            ("①照片", "①"),
            ("第一部分 四年", "第一部分 "),
            ("第二章　总则", "第二章　"),
        ];
        for (title, label) in labelled {
            assert_eq!(&title[..number_label(title)], label, "{title}");
        }
        for title in [
            "2023年深圳市",
            "100%完成",
            "1+X证书",
            "MA-ELTA 课程",
            "一、",
            "第一部分",
            "第三方评价",
            "3.5万元",
            "一二三",
        ] {
            assert_eq!(number_label(title), 0, "{title}");
        }
    }
}
