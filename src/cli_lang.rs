//! The command line's own words in the clerk's language: clap's help and usage mistakes.
//!
//! clap writes its help and errors in English and has no catalogue of its own. Rather than a second
//! set of texts beside each argument, every subcommand and argument of the built `Command` is
//! walked and its words are looked up in the shared catalogues by its name: `cli.<command>.about`,
//! `cli.<command>.<argument>` (or `cli.<argument>` for one that means the same everywhere, like
//! `--quiet`), `cli.value.<name>` for the `<VALUE>` it takes. An argument added later without
//! words fails the unit test below. clap's template words (Usage, Options, [default: …]) are
//! replaced here too, and its usage errors are told afresh in Chinese from their context, since
//! clap renders them only in English.

use clap::Command;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use dossier::error::Lang;
use std::ffi::OsString;
use std::sync::OnceLock;

/// The language of the parse under way, for value parsers that explain a refusal.
static PARSE_LANG: OnceLock<Lang> = OnceLock::new();

pub fn parse_lang() -> Lang {
    PARSE_LANG.get().copied().unwrap_or_default()
}

/// `--lang` as written on the command line, read before clap parses it, because clap's help and
/// errors must already be in that language.
pub fn requested(args: &[OsString]) -> Option<Lang> {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next().map(|v| v.into_owned()),
            Some(rest) if rest.starts_with('=') => Some(rest[1..].to_string()),
            _ => continue,
        };
        match value.as_deref() {
            Some("zh") => return Some(Lang::Zh),
            Some("en") => return Some(Lang::En),
            _ => return None,
        }
    }
    None
}

/// Whether the technical detail of a refusal is wanted (`-v`, `--verbose`), read from the raw
/// arguments since the parse failed.
fn verbose(args: &[OsString]) -> bool {
    args.iter()
        .map(|a| a.to_string_lossy())
        .any(|a| a == "--verbose" || (a.starts_with('-') && !a.starts_with("--") && a.contains('v')))
}

/// The text of `key` in `lang`, or of the command-independent `shared` key.
fn word(lang: Lang, key: &str, shared: Option<&str>, missing: &mut Vec<String>) -> &'static str {
    if let Some(s) = lang.get(key) {
        return s;
    }
    if let Some(s) = shared.and_then(|k| lang.get(k)) {
        return s;
    }
    missing.push(key.to_string());
    ""
}

/// `cmd`, built, with every word from the catalogue of `lang`; `missing` gathers the keys the
/// catalogue lacks.
pub fn localise_with(mut cmd: Command, lang: Lang, missing: &mut Vec<String>) -> Command {
    // Building adds clap's own --help, --version and `help` subcommand, which need words too,
    // and hands each subcommand its copy of the global arguments.
    cmd.build();
    let cmd = words_of(cmd, lang, true, missing);
    usage_of(cmd, lang)
}

pub fn localise(cmd: Command, lang: Lang) -> Command {
    localise_with(cmd, lang, &mut Vec::new())
}

fn words_of(cmd: Command, lang: Lang, root: bool, missing: &mut Vec<String>) -> Command {
    let name = cmd.get_name().to_string();
    let scope = if root { "cli".to_string() } else { format!("cli.{name}") };
    let about = word(lang, &format!("{scope}.about"), None, missing);
    let template =
        format!("{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}", lang.t("cli.heading.usage"));
    let (options, arguments) = (lang.t("cli.heading.options"), lang.t("cli.heading.arguments"));
    let sep = lang.t("cli.list_sep");
    let mut cmd = cmd
        .about(about)
        .help_template(template)
        .subcommand_help_heading(lang.t("cli.heading.commands"))
        .subcommand_value_name(lang.t("cli.value.command"));
    let mut lacking = Vec::new();
    cmd = cmd.mut_args(|a| {
        let id = a.get_id().as_str().to_string();
        let mut help = word(lang, &format!("{scope}.{id}"), Some(&format!("cli.{id}")), &mut lacking).to_string();
        let takes_value = a.get_num_args().is_some_and(|n| n.takes_values());
        let defaults: Vec<String> = a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
        if takes_value && !defaults.is_empty() {
            help.push_str(&lang.fmt("cli.default", &[("value", &defaults.join(sep))]));
        }
        let values: Vec<String> =
            a.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_string()).collect();
        if takes_value && !values.is_empty() {
            help.push_str(&lang.fmt("cli.possible", &[("values", &values.join(sep))]));
        }
        let heading = if a.is_positional() { arguments } else { options };
        let mut a = a.help(help).hide_default_value(true).hide_possible_values(true).help_heading(heading);
        if takes_value {
            let names: Vec<String> = match a.get_value_names() {
                Some(n) if !n.is_empty() => n.iter().map(|s| s.as_str().to_lowercase()).collect(),
                _ => vec![id.clone()],
            };
            let named: Vec<&'static str> =
                names.iter().map(|n| word(lang, &format!("cli.value.{n}"), None, &mut lacking)).collect();
            a = a.value_names(named);
        }
        a
    });
    missing.append(&mut lacking);
    cmd.mut_subcommands(|s| words_of(s, lang, false, missing))
}

/// clap's usage line says `[OPTIONS]` in English whatever the words; write it with the catalogue's.
fn usage_of(mut cmd: Command, lang: Lang) -> Command {
    let usage = plain_usage(&cmd.render_usage().to_string(), lang);
    let options = lang.t("cli.usage.options");
    cmd = cmd.override_usage(usage.replace("[OPTIONS]", options));
    cmd.mut_subcommands(|s| usage_of(s, lang))
}

/// A usage line without its heading.
fn plain_usage(s: &str, lang: Lang) -> String {
    let s = s.trim();
    let s = s.strip_prefix("Usage:").or_else(|| s.strip_prefix(lang.t("cli.heading.usage").trim())).unwrap_or(s);
    s.trim().to_string()
}

/// Parse the command line with `cmd` localised to `lang`; usage mistakes and help end the
/// process here, as clap's own `parse` would, but in `lang`.
pub fn matches(cmd: Command, lang: Lang) -> clap::ArgMatches {
    let _ = PARSE_LANG.set(lang);
    let args: Vec<OsString> = std::env::args_os().collect();
    let mut cmd = localise(cmd, lang);
    match cmd.try_get_matches_from_mut(&args) {
        Ok(m) => m,
        Err(e) => {
            // Value parsers' refusals carry no usage: the subcommand named on the line gives it.
            let named = args.iter().skip(1).find_map(|a| {
                let a = a.to_string_lossy();
                cmd.get_subcommands().any(|s| s.get_name() == a).then(|| a.into_owned())
            });
            let usage = match named.and_then(|n| cmd.find_subcommand_mut(&n)) {
                Some(sub) => sub.render_usage().to_string(),
                None => cmd.render_usage().to_string(),
            };
            exit_with(&e, &plain_usage(&usage, lang), lang, verbose(&args))
        }
    }
}

/// A usage mistake clap cannot see (two options that do not go together for a reason of ours):
/// said like clap's own, exit code 2.
pub fn refuse(cmd: Command, lang: Lang, subcommand: &str, kind: ErrorKind, message: &str) -> ! {
    let mut cmd = localise(cmd, lang);
    let usage = match cmd.find_subcommand_mut(subcommand) {
        Some(sub) => sub.render_usage().to_string(),
        None => cmd.render_usage().to_string(),
    };
    if lang == Lang::En {
        cmd.error(kind, message).exit();
    }
    eprintln!("{}", told(lang, message, &plain_usage(&usage, lang)));
    std::process::exit(2);
}

fn told(lang: Lang, message: &str, usage: &str) -> String {
    // The command's own help: the usage's words up to its first placeholder.
    let command: Vec<&str> = usage.split_whitespace().take_while(|w| !w.starts_with(['[', '<', '-'])).collect();
    let help = format!("{} --help", command.join(" "));
    format!(
        "{}{message}\n\n{}{usage}\n\n{}",
        lang.t("cli.error.prefix"),
        lang.t("cli.heading.usage"),
        lang.fmt("cli.error.more", &[("help", &help)])
    )
}

fn exit_with(e: &clap::Error, fallback_usage: &str, lang: Lang, verbose: bool) -> ! {
    let shown_by_clap = matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if lang == Lang::En || shown_by_clap {
        e.exit();
    }
    let usage = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(s)) => plain_usage(&s.to_string(), lang),
        _ => fallback_usage.to_string(),
    };
    eprintln!("{}", told(lang, &message(e, lang, verbose), &usage));
    std::process::exit(2);
}

fn strings(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
        Some(ContextValue::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// What clap refused, in `lang`, from the error's context rather than its English text.
pub fn message(e: &clap::Error, lang: Lang, verbose: bool) -> String {
    let sep = lang.t("cli.list_sep");
    let one = |k| strings(e, k).join(sep);
    let quoted = |v: Vec<String>| v.iter().map(|s| format!("“{s}”")).collect::<Vec<_>>().join(sep);
    let (arg, value) = (one(ContextKind::InvalidArg), one(ContextKind::InvalidValue));
    let suggestion = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand, ContextKind::SuggestedValue]
        .into_iter()
        .flat_map(|k| strings(e, k))
        .collect::<Vec<_>>();
    let mut out = match e.kind() {
        ErrorKind::UnknownArgument => lang.fmt("cli.error.unknown_argument", &[("arg", &arg)]),
        ErrorKind::InvalidSubcommand => {
            let mut s = lang.fmt("cli.error.invalid_subcommand", &[("cmd", &one(ContextKind::InvalidSubcommand))]);
            let valid = strings(e, ContextKind::ValidSubcommand);
            if suggestion.is_empty() && !valid.is_empty() {
                s = format!("{s}；{}", lang.fmt("cli.error.commands", &[("cmds", &valid.join(sep))]));
            }
            s
        }
        ErrorKind::InvalidValue if value.is_empty() => lang.fmt("cli.error.no_value", &[("arg", &arg)]),
        ErrorKind::InvalidValue => {
            let mut s = lang.fmt("cli.error.invalid_value", &[("arg", &arg), ("value", &value)]);
            let valid = strings(e, ContextKind::ValidValue);
            if !valid.is_empty() {
                s = format!("{s}；{}", lang.fmt("cli.error.possible", &[("values", &valid.join(sep))]));
            }
            s
        }
        ErrorKind::ValueValidation => {
            let source = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            let why = why_refused(&source, lang, verbose);
            lang.fmt("cli.error.value_validation", &[("arg", &arg), ("value", &value), ("why", &why)])
        }
        ErrorKind::ArgumentConflict => {
            let other = quoted(strings(e, ContextKind::PriorArg));
            let other = other.trim_matches(['“', '”']).to_string();
            lang.fmt("cli.error.conflict", &[("arg", &arg), ("other", &other)])
        }
        ErrorKind::MissingRequiredArgument => lang.fmt("cli.error.missing", &[("args", &arg)]),
        ErrorKind::MissingSubcommand => {
            let cmds = strings(e, ContextKind::ValidSubcommand).join(sep);
            lang.fmt("cli.error.missing_subcommand", &[("cmd", &one(ContextKind::InvalidSubcommand)), ("cmds", &cmds)])
        }
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            lang.fmt("cli.error.no_value", &[("arg", &arg)])
        }
        ErrorKind::TooManyValues => lang.fmt("cli.error.too_many", &[("arg", &arg), ("value", &value)]),
        ErrorKind::InvalidUtf8 => lang.t("cli.error.invalid_utf8").to_string(),
        _ => lang.t("cli.error.other").to_string(),
    };
    if !suggestion.is_empty() {
        out = format!("{out}；{}", lang.fmt("cli.error.did_you_mean", &[("what", &quoted(suggestion))]));
    }
    if verbose && !matches!(e.kind(), ErrorKind::ValueValidation) {
        let detail = e.render().to_string();
        let first = detail.lines().next().unwrap_or_default().trim_start_matches("error: ");
        out = format!("{out}\n  {}{first}", lang.t("out.detail"));
    }
    out
}

/// Why a value parser refused a value: the parsers' English told again in `lang` where its form is
/// known (ranges, whole numbers); otherwise plain words, the English kept for `-v`.
fn why_refused(source: &str, lang: Lang, verbose: bool) -> String {
    if let Some((_, bounds)) = source.split_once(" is not in ")
        && let Some((min, max)) = bounds.split_once("..=")
    {
        return lang.fmt("cli.error.range", &[("min", &min.trim()), ("max", &max.trim())]);
    }
    if source.contains("invalid digit") || source.contains("cannot parse integer") {
        return lang.t("cli.error.not_a_number").to_string();
    }
    // Our own value parsers answer in the language of the parse already.
    if lang == Lang::En || !source.is_ascii() {
        return source.to_string();
    }
    let plain = lang.t("cli.error.bad_value");
    if verbose { format!("{plain}（{}{source}）", lang.t("out.detail")) } else { plain.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_command_and_argument_has_words_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let mut missing = Vec::new();
            let cmd = localise_with(crate::Cli::command(), lang, &mut missing);
            missing.sort();
            missing.dedup();
            assert!(missing.is_empty(), "the {} catalogue lacks {missing:?}", lang.code());
            // Nothing of clap's English is left in the Chinese help.
            if lang == Lang::Zh {
                let mut cmd = cmd;
                let mut helps = vec![cmd.render_long_help().to_string()];
                for s in cmd.get_subcommands_mut() {
                    helps.push(s.render_long_help().to_string());
                }
                for h in helps {
                    for english in ["Usage", "Options", "Arguments", "Commands", "[default", "[possible", "OPTIONS"] {
                        assert!(!h.contains(english), "“{english}” in:\n{h}");
                    }
                }
            }
        }
    }

    #[test]
    fn lang_is_read_before_the_parse() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(requested(&args(&["dossier", "--lang", "zh", "build"])), Some(Lang::Zh));
        assert_eq!(requested(&args(&["dossier", "build", "--lang=en"])), Some(Lang::En));
        assert_eq!(requested(&args(&["dossier", "build"])), None);
        assert_eq!(requested(&args(&["dossier", "--", "--lang", "zh"])), None);
        assert!(verbose(&args(&["dossier", "build", "-qv"])) && !verbose(&args(&["d", "build", "-q"])));
    }

    #[test]
    fn usage_mistakes_are_told_in_chinese() {
        let cmd = localise(crate::Cli::command(), Lang::Zh);
        let said = |argv: &[&str]| {
            let e = cmd.clone().try_get_matches_from(argv).expect_err("a usage mistake");
            message(&e, Lang::Zh, false)
        };
        assert_eq!(said(&["dossier", "build", "--bogus"]), "无法识别的参数 “--bogus”");
        assert!(said(&["dossier", "bild"]).starts_with("没有 “bild” 这个命令；是否想写 “build”"));
        assert_eq!(
            said(&["dossier", "build", "--photo-dpi", "7"]),
            "“--photo-dpi <分辨率>” 不能取 “7”：应在 50 到 1200 之间"
        );
        assert!(said(&["dossier", "diff", "a.json"]).starts_with("缺少必需的参数："));
        assert!(said(&["dossier", "--lang", "fr", "build"]).contains("可选：zh、en"));
    }
}
