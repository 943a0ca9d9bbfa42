/// The language of user-facing texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    /// Tajik (`tj`, or its ISO code `tg`).
    Tg,
    Ru,
}

impl Lang {
    /// Parses an explicit choice such as `--lang tj`.
    pub fn parse(value: &str) -> Option<Lang> {
        match value.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "tj" | "tg" | "tajik" | "тоҷикӣ" => Some(Lang::Tg),
            "ru" | "russian" | "русский" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// Reads a locale value such as `tg_TJ.UTF-8` or `ru_RU`.
    pub fn from_locale(value: &str) -> Option<Lang> {
        let lower = value.trim().to_ascii_lowercase();
        if lower.is_empty() {
            return None;
        }
        let prefix: String = lower
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        match prefix.as_str() {
            "tg" | "tj" => Some(Lang::Tg),
            "ru" => Some(Lang::Ru),
            _ => Some(Lang::En),
        }
    }

    /// The language chosen by the environment: `LC_ALL`, then `LC_MESSAGES`,
    /// then `LANG` (the first one that is set and not empty), else English.
    pub fn from_env_values(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.trim().is_empty())
            .and_then(Lang::from_locale)
            .unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Tg => "tj",
            Lang::Ru => "ru",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_precedence_follows_posix() {
        assert_eq!(
            Lang::from_env_values(Some("ru_RU.UTF-8"), Some("tg_TJ"), Some("en_US")),
            Lang::Ru
        );
        assert_eq!(
            Lang::from_env_values(None, Some("tg_TJ"), Some("ru_RU")),
            Lang::Tg
        );
        assert_eq!(
            Lang::from_env_values(Some(""), None, Some("tg_TJ.UTF-8")),
            Lang::Tg
        );
        assert_eq!(Lang::from_env_values(None, None, Some("C.UTF-8")), Lang::En);
        assert_eq!(Lang::from_env_values(None, None, None), Lang::En);
    }

    #[test]
    fn explicit_choices() {
        assert_eq!(Lang::parse("tj"), Some(Lang::Tg));
        assert_eq!(Lang::parse("TG"), Some(Lang::Tg));
        assert_eq!(Lang::parse("ru"), Some(Lang::Ru));
        assert_eq!(Lang::parse("de"), None);
    }
}
