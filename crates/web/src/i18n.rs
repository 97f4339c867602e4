//! French first, English too: every visible string comes from the Fluent files under
//! `locales/<lang>/*.ftl`, embedded in the binary.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::Arc;

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// French, the default.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 code, for `lang` attributes and the language cookie.
    pub fn code(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::En => "en",
        }
    }

    /// Reads a code; anything else than `en` is French.
    pub fn from_code(code: &str) -> Self {
        if code.trim().eq_ignore_ascii_case("en") { Self::En } else { Self::Fr }
    }

    /// The preferred language of an `Accept-Language` header, French unless English comes
    /// first.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, Self)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                .unwrap_or(1.0);
            let lang = if tag.starts_with("fr") {
                Self::Fr
            } else if tag.starts_with("en") {
                Self::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Self::Fr, |(_, lang)| lang)
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Self {
        match self {
            Self::Fr => Self::En,
            Self::En => Self::Fr,
        }
    }
}

macro_rules! ftl_files {
    ($lang:literal: $($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../locales/", $lang, "/", $name, ".ftl")))),+]
    };
}

/// Every message file, per language. A file added here must exist in both languages.
pub const FR_FILES: &[(&str, &str)] = ftl_files!("fr": "common", "errors", "accounts", "organisations", "territories", "people", "programmes", "cohorts", "history", "recruitment", "selection", "outbox", "reference", "days", "referentiel", "workshops", "budgets");
/// English message files, the same names as French.
pub const EN_FILES: &[(&str, &str)] = ftl_files!("en": "common", "errors", "accounts", "organisations", "territories", "people", "programmes", "cohorts", "history", "recruitment", "selection", "outbox", "reference", "days", "referentiel", "workshops", "budgets");

/// The two message bundles.
pub struct Messages {
    fr: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Messages")
    }
}

fn bundle(lang: &str, files: &[(&str, &str)]) -> anyhow::Result<FluentBundle<FluentResource>> {
    let id: unic_langid::LanguageIdentifier = lang.parse()?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks would end up inside attributes and test assertions; our
    // arguments are names and numbers, which need no bidi isolation.
    bundle.set_use_isolating(false);
    for (name, text) in files {
        let resource = FluentResource::try_new((*text).to_owned())
            .map_err(|(_, errors)| anyhow::anyhow!("{lang}/{name}.ftl does not parse: {errors:?}"))?;
        bundle
            .add_resource(resource)
            .map_err(|errors| anyhow::anyhow!("{lang}/{name}.ftl repeats a message: {errors:?}"))?;
    }
    Ok(bundle)
}

impl Messages {
    /// Loads the embedded files; fails when one does not parse or repeats an id.
    pub fn load() -> anyhow::Result<Arc<Self>> {
        Ok(Arc::new(Self { fr: bundle("fr", FR_FILES)?, en: bundle("en", EN_FILES)? }))
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// True when the language has this message.
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang).has_message(id)
    }

    /// A message with arguments; a missing id shows itself (and a test keeps that from
    /// happening).
    pub fn format(&self, lang: Lang, id: &str, args: &[(&str, String)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, lang = lang.code(), "missing message");
            return id.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            // Whole numbers go in as numbers, so that messages can choose their plural form.
            match value.parse::<i64>() {
                Ok(n) => fluent_args.set(*name, n),
                Err(_) => fluent_args.set(*name, value.clone()),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(
            pattern,
            if args.is_empty() { None } else { Some(&fluent_args) },
            &mut errors,
        );
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_french_unless_english_comes_first() {
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9,fr;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"), Lang::Fr);
        assert_eq!(Lang::from_accept_language("de-DE"), Lang::Fr);
        assert_eq!(Lang::from_accept_language(""), Lang::Fr);
    }

    #[test]
    fn numbers_choose_the_plural_form() {
        let messages = Messages::load().expect("messages");
        let line = |lang, count: &str| {
            messages.format(lang, "cohorts-target-line", &[("profile", "P".into()), ("count", count.into())])
        };
        assert_eq!(line(Lang::Fr, "1"), "P : 1 territoire");
        assert_eq!(line(Lang::Fr, "2"), "P : 2 territoires");
        assert_eq!(line(Lang::En, "1"), "P: 1 territory");
        assert_eq!(line(Lang::En, "2"), "P: 2 territories");
    }

    #[test]
    fn both_languages_have_the_same_files() {
        fn names<'a>(files: &[(&'a str, &str)]) -> Vec<&'a str> {
            files.iter().map(|(n, _)| *n).collect()
        }
        assert_eq!(names(FR_FILES), names(EN_FILES));
        Messages::load().expect("message files parse");
    }
}
