//! Tesseract's TSV output: one row per page, block, paragraph, line and word, each with its box in
//! pixels of the image it was given (origin top left). Lines keep the engine's reading order.

use super::{Line, Word};

/// The lines of a TSV result, each with its words left to right; empty words are dropped.
pub fn parse(tsv: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut current: Option<(u32, u32, u32)> = None;
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<f32>().unwrap_or(0.0);
        let level = num(0) as u32;
        let key = (num(2) as u32, num(3) as u32, num(4) as u32);
        let (left, top, width, height) = (num(6), num(7), num(8), num(9));
        match level {
            4 => {
                lines.push(Line { words: Vec::new(), top, bottom: top + height, left, right: left + width });
                current = Some(key);
            }
            5 => {
                let text = f[11..].join("\t");
                let text = text.trim();
                if text.is_empty() || current != Some(key) {
                    continue;
                }
                if let Some(line) = lines.last_mut() {
                    line.words.push(Word { text: text.to_string(), x0: left, x1: left + width, conf: num(10) });
                }
            }
            _ => {}
        }
    }
    lines.retain(|l| !l.words.is_empty());
    for l in &mut lines {
        l.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_words_into_lines_in_reading_order() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t1240\t1754\t-1\t\n\
            4\t1\t1\t1\t1\t0\t201\t216\t756\t76\t-1\t\n\
            5\t1\t1\t1\t1\t1\t201\t220\t77\t38\t96.5\t关于\n\
            5\t1\t1\t1\t1\t2\t293\t223\t65\t37\t92.8\t开展\n\
            4\t1\t2\t1\t1\t0\t169\t435\t700\t44\t-1\t\n\
            5\t1\t2\t1\t1\t1\t169\t439\t35\t27\t96.9\t \n\
            5\t1\t2\t1\t1\t2\t772\t448\t52\t23\t92.4\tWeb\n";
        let lines = parse(tsv);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["关于", "开展"]);
        assert_eq!((lines[0].top, lines[0].bottom), (216.0, 292.0));
        assert_eq!(lines[1].words.len(), 1);
        assert_eq!(lines[1].words[0].x1, 824.0);
    }
}
