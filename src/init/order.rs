//! Natural Chinese order: how an office files names (一、 二、 … 十一、, 第一部分, （三）, 1. … 10.).

use std::cmp::Ordering;

// Chinese numerals are parsed here rather than with a crate: the one on crates.io that reads them
// (chinese-number) parses a whole string as a number and brings three dependencies, while what is
// needed is the ordinal at the head of a name ("十一、…", "第二部分", "（三）"), which has to be
// found here anyway; the numeral itself takes twenty lines.

/// Compare two names in the order an office files them: by a leading ordinal first (一、 二、 … 十、
/// 十一、, 第一部分, （三）, 1. 2. … 10., 2021 年), then by the rest of the name; names without an
/// ordinal after those with one. Digits inside the rest compare by value (照片2 before 照片10).
pub fn compare_names(a: &str, b: &str) -> Ordering {
    let by_ordinal = match (leading_ordinal(a), leading_ordinal(b)) {
        (Some((x, ra)), Some((y, rb))) => x.cmp(&y).then_with(|| natural_cmp(ra, rb)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => natural_cmp(a, b),
    };
    by_ordinal.then_with(|| a.cmp(b))
}

/// The ordinal at the head of a name and the rest after it: "十一、xx" → (11, "xx"),
/// "第二部分 xx" → (2, "部分 xx"), "（三）xx" → (3, "xx"), "10.xx" → (10, "xx"), "2021 年" → (2021, "年").
pub fn leading_ordinal(name: &str) -> Option<(u64, &str)> {
    let s = name.trim_start();
    if let Some(rest) = s.strip_prefix('第') {
        let (n, after, _) = number_prefix(rest)?;
        return Some((n, after.trim_start()));
    }
    if let Some(rest) = s.strip_prefix(['（', '(']) {
        let (n, after, _) = number_prefix(rest)?;
        let after = after.trim_start().strip_prefix(['）', ')'])?;
        return Some((n, after.trim_start()));
    }
    let (n, after, chinese) = number_prefix(s)?;
    let sep = after.chars().next();
    let is_sep = |c: char| "、.．,，:： \u{3000})）".contains(c);
    if chinese {
        // "十大工程" or "三年建设" start with a numeral but are no ordinals: a Chinese ordinal is
        // followed by a separator (一、), except a year written out (二〇二一年).
        let run = &s[..s.len() - after.len()];
        let written_year = sep == Some('年') && run.chars().count() >= 2 && !run.contains(['十', '百', '千']);
        if !(sep.is_none() || sep.is_some_and(is_sep) || written_year) {
            return None;
        }
    }
    let after = match sep {
        Some(c) if is_sep(c) => &after[c.len_utf8()..],
        _ => after,
    };
    Some((n, after.trim_start()))
}

/// A number at the head of `s`, arabic (also full-width) or Chinese: its value, the rest, and
/// whether it was written in Chinese.
fn number_prefix(s: &str) -> Option<(u64, &str, bool)> {
    let digits: usize = s.chars().take_while(|c| ascii_digit(*c).is_some()).map(char::len_utf8).sum();
    if digits > 0 {
        let n =
            s[..digits].chars().filter_map(ascii_digit).fold(0u64, |acc, d| acc.saturating_mul(10).saturating_add(d));
        return Some((n, &s[digits..], false));
    }
    let len: usize =
        s.chars().take_while(|c| chinese_digit(*c).is_some() || "十百千".contains(*c)).map(char::len_utf8).sum();
    if len == 0 {
        return None;
    }
    Some((chinese_number(&s[..len])?, &s[len..], true))
}

fn ascii_digit(c: char) -> Option<u64> {
    match c {
        '0'..='9' => Some(c as u64 - '0' as u64),
        '０'..='９' => Some(c as u64 - '０' as u64),
        _ => None,
    }
}

fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// 一 … 九十九 (and on to 九千九百九十九), 两 as 2, 〇/零 as a place holder; digits without units read
/// place by place (二〇二一 = 2021). None for what is no well-formed numeral (十十, 一二十).
pub fn chinese_number(s: &str) -> Option<u64> {
    if !s.contains(['十', '百', '千']) {
        return s.chars().try_fold(0u64, |acc, c| Some(acc.checked_mul(10)? + chinese_digit(c)?));
    }
    let (mut total, mut digit, mut last_unit) = (0u64, None::<u64>, u64::MAX);
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '〇' | '零' if digit.is_none() => continue,
            c => {
                if digit.is_some() {
                    return None;
                }
                digit = Some(chinese_digit(c)?);
                continue;
            }
        };
        if unit >= last_unit {
            return None;
        }
        // 十一: a bare 十 is one ten.
        total += digit.take().unwrap_or(1) * unit;
        last_unit = unit;
    }
    Some(total + digit.unwrap_or(0))
}

/// Compare with digit runs by value and letters without case: 照片2 < 照片10, a.pdf = A.pdf.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Tok {
        // Numbers before other characters, as in Explorer.
        Num(usize, String),
        Ch(char),
    }
    fn toks(s: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if let Some(d) = ascii_digit(c) {
                let mut n = d.to_string();
                while let Some(d) = chars.peek().and_then(|c| ascii_digit(*c)) {
                    n.push(char::from(b'0' + d as u8));
                    chars.next();
                }
                let n = n.trim_start_matches('0').to_string();
                out.push(Tok::Num(n.len(), n));
            } else {
                out.extend(c.to_lowercase().map(Tok::Ch));
            }
        }
        out
    }
    toks(a).cmp(&toks(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare_names(a, b));
        v
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            ("一", 1),
            ("二", 2),
            ("两", 2),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十一", 21),
            ("九十九", 99),
            ("一百零一", 101),
            ("一百一十", 110),
            ("〇", 0),
            ("零", 0),
            ("二〇二一", 2021),
        ];
        for (s, n) in cases {
            assert_eq!(chinese_number(s), Some(n), "{s}");
        }
        for bad in ["十十", "一二十", "百十百"] {
            assert_eq!(chinese_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn ordinals() {
        assert_eq!(leading_ordinal("十一、建立…"), Some((11, "建立…")));
        assert_eq!(leading_ordinal("第二部分 分年度建设完成情况"), Some((2, "部分 分年度建设完成情况")));
        assert_eq!(leading_ordinal("（三）学生交流"), Some((3, "学生交流")));
        assert_eq!(leading_ordinal("10.开展活动"), Some((10, "开展活动")));
        assert_eq!(leading_ordinal("１０．全角"), Some((10, "全角")));
        assert_eq!(leading_ordinal("2021 年"), Some((2021, "年")));
        assert_eq!(leading_ordinal("二〇二一年度"), Some((2021, "年度")));
        assert_eq!(leading_ordinal("十大工程"), None);
        assert_eq!(leading_ordinal("三年建设"), None);
        assert_eq!(leading_ordinal("通知"), None);
    }

    #[test]
    fn natural_chinese_order() {
        assert_eq!(
            sorted(&["二十、x", "十一、x", "二、x", "十、x", "一、x"]),
            ["一、x", "二、x", "十、x", "十一、x", "二十、x"]
        );
        assert_eq!(sorted(&["10.c", "2.b", "1.a"]), ["1.a", "2.b", "10.c"]);
        assert_eq!(
            sorted(&["第二部分 分年度建设完成情况", "第一部分 四年建设概况及成效"]),
            ["第一部分 四年建设概况及成效", "第二部分 分年度建设完成情况"]
        );
        assert_eq!(sorted(&["2022 年", "2021 年"]), ["2021 年", "2022 年"]);
        assert_eq!(
            sorted(&["三、2023 年", "一、2021 年", "二、2022 年"]),
            ["一、2021 年", "二、2022 年", "三、2023 年"]
        );
        // Names without an ordinal come after, in their plain order, numbers by value.
        assert_eq!(sorted(&["照片10", "通知", "1.方案", "照片2"]), ["1.方案", "照片2", "照片10", "通知"]);
    }
}
