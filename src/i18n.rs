//! The words the office reads, one catalogue per language (`assets/i18n/<lang>.json`), shared by
//! the command line and the editing page (which is served the same files). A key is a dotted name
//! (`progress.files`); a text may hold `{name}` placeholders, filled by [`Lang::fmt`].
//!
//! Why not Fluent: the catalogues are flat key → text with named holes, which serde_json already
//! reads, and the page can use the very same file without a second parser.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The language of what is printed and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

pub static ZH_JSON: &str = include_str!("../assets/i18n/zh.json");
pub static EN_JSON: &str = include_str!("../assets/i18n/en.json");

type Catalogue = HashMap<String, String>;

fn parse(json: &str) -> Catalogue {
    // The catalogues are part of the program: a broken one is caught by the tests below.
    serde_json::from_str(json).unwrap_or_default()
}

fn catalogue(lang: Lang) -> &'static Catalogue {
    static ZH: OnceLock<Catalogue> = OnceLock::new();
    static EN: OnceLock<Catalogue> = OnceLock::new();
    match lang {
        Lang::Zh => ZH.get_or_init(|| parse(ZH_JSON)),
        Lang::En => EN.get_or_init(|| parse(EN_JSON)),
    }
}

impl Lang {
    /// Chinese when the system's language is Chinese.
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.to_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// `zh` or `en`, as the catalogue files and the page name them.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The catalogue file's text, for the page.
    pub fn catalogue_json(self) -> &'static str {
        match self {
            Lang::Zh => ZH_JSON,
            Lang::En => EN_JSON,
        }
    }

    /// The text for `key` in this language's catalogue alone.
    pub fn get(self, key: &str) -> Option<&'static str> {
        catalogue(self).get(key).map(String::as_str)
    }

    /// The text for `key`; the key itself if a catalogue lacks it (a test makes sure none does).
    pub fn t(self, key: &str) -> &'static str {
        match catalogue(self).get(key) {
            Some(s) => s.as_str(),
            None => match catalogue(Lang::En).get(key) {
                Some(s) => s.as_str(),
                None => "?",
            },
        }
    }

    /// The text for `key`, if the catalogues have one (for optional texts such as hints).
    pub fn lookup(self, key: &str) -> Option<&'static str> {
        catalogue(self).get(key).or_else(|| catalogue(Lang::En).get(key)).map(String::as_str)
    }

    /// The text for `key` with each `{name}` replaced by its value.
    pub fn fmt(self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut out = self.t(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(json: &str) -> std::collections::BTreeSet<String> {
        let c: Catalogue = serde_json::from_str(json).expect("catalogue is valid JSON");
        c.keys().cloned().collect()
    }

    #[test]
    fn every_key_is_in_every_language() {
        let (zh, en) = (keys(ZH_JSON), keys(EN_JSON));
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(only_zh.is_empty() && only_en.is_empty(), "only in zh: {only_zh:?}; only in en: {only_en:?}");
    }

    #[test]
    fn placeholders_agree_between_languages() {
        let holes = |s: &str| {
            let mut v: Vec<String> =
                s.split('{').skip(1).filter_map(|p| p.split('}').next()).map(String::from).collect();
            v.sort();
            v
        };
        let (zh, en): (Catalogue, Catalogue) =
            (serde_json::from_str(ZH_JSON).unwrap(), serde_json::from_str(EN_JSON).unwrap());
        for (k, z) in &zh {
            assert_eq!(holes(z), holes(&en[k]), "placeholders of {k}");
        }
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(Lang::Zh.fmt("progress.files", &[("n", &3)]), "3 个文件");
        assert_eq!(Lang::En.fmt("progress.files", &[("n", &3)]), "3 file(s)");
    }
}
