//! [`ProviderArgs`]: the command-line flags (with environment fallbacks) that choose the
//! agents' providers, and [`ProviderArgs::build`], which turns them into a [`Chain`].
//!
//! API keys are read from the environment only (never flags, which `ps` shows), into
//! [`ApiKey`]s that never print. This module builds; it makes no calls.

use std::time::Duration;

use clap::ArgAction;

use super::anthropic::{Anthropic, AnthropicConfig};
use super::breaker::BreakerPolicy;
use super::chain::Chain;
use super::http::BuildError;
use super::offline::Offline;
use super::openai::{OpenAi, OpenAiConfig};
use super::resilient::Resilient;
use super::retry::RetryPolicy;
use super::secret::ApiKey;

/// The provider names `--providers` knows.
pub const PROVIDER_NAMES: [&str; 3] = ["offline", "openai", "anthropic"];

const OPENAI_KEY_VARS: [&str; 2] = ["LECTERN_OPENAI_API_KEY", "OPENAI_API_KEY"];
const ANTHROPIC_KEY_VARS: [&str; 2] = ["LECTERN_ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY"];

/// Where the agents' text comes from.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Model providers")]
pub struct ProviderArgs {
    /// Providers to ask, in fallback order: offline, openai, anthropic. openai reads its
    /// API key from LECTERN_OPENAI_API_KEY or OPENAI_API_KEY (optional: local servers need
    /// none); anthropic from LECTERN_ANTHROPIC_API_KEY or ANTHROPIC_API_KEY (required).
    #[arg(
        long = "providers",
        env = "LECTERN_AGENT_PROVIDERS",
        value_delimiter = ',',
        default_value = "offline"
    )]
    pub providers: Vec<String>,

    /// OpenAI-compatible API base, up to the version (e.g. http://localhost:11434/v1 for
    /// Ollama).
    #[arg(
        long,
        env = "LECTERN_OPENAI_BASE_URL",
        default_value = "https://api.openai.com/v1"
    )]
    pub openai_base_url: String,

    /// Model of the openai provider.
    #[arg(long, env = "LECTERN_OPENAI_MODEL", default_value = "gpt-4o-mini")]
    pub openai_model: String,

    /// Ask the openai provider for a JSON object (response_format); set to false for
    /// servers that reject it.
    #[arg(
        long,
        env = "LECTERN_OPENAI_JSON_MODE",
        default_value_t = true,
        action = ArgAction::Set
    )]
    pub openai_json_mode: bool,

    /// Anthropic API base, without /v1.
    #[arg(
        long,
        env = "LECTERN_ANTHROPIC_BASE_URL",
        default_value = "https://api.anthropic.com"
    )]
    pub anthropic_base_url: String,

    /// Model of the anthropic provider.
    #[arg(
        long,
        env = "LECTERN_ANTHROPIC_MODEL",
        default_value = "claude-3-5-haiku-latest"
    )]
    pub anthropic_model: String,

    /// Time limit of one provider call, e.g. 60s, 500ms, 2m.
    #[arg(
        long,
        env = "LECTERN_PROVIDER_TIMEOUT",
        default_value = "60s",
        value_parser = parse_duration
    )]
    pub provider_timeout: Duration,

    /// Retries of a failed call (rate limit, outage, timeout) before falling back.
    #[arg(long, env = "LECTERN_PROVIDER_RETRIES", default_value_t = 3)]
    pub provider_retries: u32,

    /// First retry delay; each next one doubles, plus jitter.
    #[arg(
        long,
        env = "LECTERN_PROVIDER_BACKOFF_MIN",
        default_value = "500ms",
        value_parser = parse_duration
    )]
    pub provider_backoff_min: Duration,

    /// Longest retry delay, also for a provider's Retry-After.
    #[arg(
        long,
        env = "LECTERN_PROVIDER_BACKOFF_MAX",
        default_value = "20s",
        value_parser = parse_duration
    )]
    pub provider_backoff_max: Duration,

    /// Consecutive failed attempts after which a provider's circuit opens (it is skipped).
    #[arg(
        long,
        env = "LECTERN_PROVIDER_BREAKER_THRESHOLD",
        default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub provider_breaker_threshold: u32,

    /// How long an open circuit skips its provider before one trial call.
    #[arg(
        long,
        env = "LECTERN_PROVIDER_BREAKER_COOLDOWN",
        default_value = "30s",
        value_parser = parse_duration
    )]
    pub provider_breaker_cooldown: Duration,
}

/// The providers' API keys.
#[derive(Debug, Clone, Default)]
pub struct ProviderKeys {
    pub openai: Option<ApiKey>,
    pub anthropic: Option<ApiKey>,
}

impl ProviderKeys {
    /// `LECTERN_OPENAI_API_KEY`, else `OPENAI_API_KEY`; likewise for anthropic. Blank
    /// values count as unset.
    pub fn from_env() -> Self {
        Self {
            openai: env_key(&OPENAI_KEY_VARS),
            anthropic: env_key(&ANTHROPIC_KEY_VARS),
        }
    }
}

fn env_key(vars: &[&str]) -> Option<ApiKey> {
    vars.iter()
        .find_map(|var| std::env::var(var).ok().and_then(ApiKey::new))
}

/// Why the provider flags do not make a chain.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("--providers lists no provider (known: {known})", known = PROVIDER_NAMES.join(", "))]
    NoProviders,
    #[error("unknown provider {0:?} in --providers (known: {known})", known = PROVIDER_NAMES.join(", "))]
    UnknownProvider(String),
    #[error("provider {0:?} is listed twice in --providers")]
    Duplicate(String),
    #[error("the {provider} provider needs an API key: set {either}", either = vars.join(" or "))]
    MissingKey {
        provider: &'static str,
        vars: &'static [&'static str],
    },
    #[error(transparent)]
    Build(#[from] BuildError),
}

impl ProviderArgs {
    /// The chain, with keys from the environment ([`ProviderKeys::from_env`]).
    pub fn build(&self) -> Result<Chain, ConfigError> {
        self.build_with(&ProviderKeys::from_env())
    }

    /// The chain, with the given keys.
    pub fn build_with(&self, keys: &ProviderKeys) -> Result<Chain, ConfigError> {
        // Early, for any other reqwest client of the process (see the function's doc).
        super::http::install_crypto_provider();
        let mut names: Vec<&str> = Vec::new();
        for name in self
            .providers
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
        {
            if names.contains(&name) {
                return Err(ConfigError::Duplicate(name.to_owned()));
            }
            names.push(name);
        }
        if names.is_empty() {
            return Err(ConfigError::NoProviders);
        }
        let links = names
            .into_iter()
            .map(|name| self.link(name, keys))
            .collect::<Result<_, _>>()?;
        Ok(Chain::new(links))
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            retries: self.provider_retries,
            min_delay: self.provider_backoff_min,
            max_delay: self.provider_backoff_max,
        }
    }

    pub fn breaker_policy(&self) -> BreakerPolicy {
        BreakerPolicy {
            threshold: self.provider_breaker_threshold,
            cooldown: self.provider_breaker_cooldown,
        }
    }

    fn link(&self, name: &str, keys: &ProviderKeys) -> Result<Resilient, ConfigError> {
        let (retry, breaker) = (self.retry_policy(), self.breaker_policy());
        Ok(match name {
            "offline" => Resilient::new(Offline::new(), retry, breaker),
            "openai" => Resilient::new(OpenAi::new(self.openai(keys))?, retry, breaker),
            "anthropic" => Resilient::new(Anthropic::new(self.anthropic(keys)?)?, retry, breaker),
            other => return Err(ConfigError::UnknownProvider(other.to_owned())),
        })
    }

    fn openai(&self, keys: &ProviderKeys) -> OpenAiConfig {
        OpenAiConfig {
            base_url: self.openai_base_url.clone(),
            api_key: keys.openai.clone(),
            json_mode: self.openai_json_mode,
            timeout: self.provider_timeout,
            ..OpenAiConfig::new(&self.openai_model)
        }
    }

    fn anthropic(&self, keys: &ProviderKeys) -> Result<AnthropicConfig, ConfigError> {
        let key = keys.anthropic.clone().ok_or(ConfigError::MissingKey {
            provider: "anthropic",
            vars: &ANTHROPIC_KEY_VARS,
        })?;
        Ok(AnthropicConfig {
            base_url: self.anthropic_base_url.clone(),
            timeout: self.provider_timeout,
            ..AnthropicConfig::new(&self.anthropic_model, key)
        })
    }
}

/// A duration such as `500ms`, `60s`, `2m` or `1h`; a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration such as 500ms, 60s or 2m"))?;
    let seconds = |factor: u64| {
        number
            .checked_mul(factor)
            .map(Duration::from_secs)
            .ok_or_else(|| format!("{text:?} is too long"))
    };
    match unit.trim() {
        "ms" => Ok(Duration::from_millis(number)),
        "" | "s" => seconds(1),
        "m" => seconds(60),
        "h" => seconds(3600),
        other => Err(format!(
            "unknown unit {other:?} in {text:?} (use ms, s, m or h)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::provider::Provider;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        providers: ProviderArgs,
    }

    fn args(flags: &[&str]) -> ProviderArgs {
        let argv = std::iter::once("lectern").chain(flags.iter().copied());
        Cli::try_parse_from(argv).expect("valid flags").providers
    }

    fn anthropic_key() -> ProviderKeys {
        ProviderKeys {
            openai: None,
            anthropic: ApiKey::new("sk-ant-test"),
        }
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("60"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        for bad in ["", "s", "1.5s", "10x", "-1s", "99999999999999999999s"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn help_documents_every_flag() {
        use clap::CommandFactory;
        let help = Cli::command().render_long_help().to_string();
        for needle in [
            "--providers",
            "LECTERN_AGENT_PROVIDERS",
            "--openai-base-url",
            "--anthropic-model",
            "--provider-timeout",
            "--provider-retries",
            "--provider-breaker-threshold",
            "--provider-breaker-cooldown",
            "OPENAI_API_KEY",
            "ANTHROPIC_API_KEY",
        ] {
            assert!(help.contains(needle), "{needle} missing from:\n{help}");
        }
    }

    #[test]
    fn defaults_give_the_offline_provider() {
        let args = args(&[]);
        assert_eq!(args.provider_timeout, Duration::from_secs(60));
        assert_eq!(args.retry_policy().retries, 3);
        assert_eq!(args.breaker_policy(), BreakerPolicy::default());
        let chain = args.build_with(&ProviderKeys::default()).unwrap();
        assert_eq!(chain.name(), "offline");
    }

    #[test]
    fn the_chain_follows_the_listed_order() {
        let args = args(&[
            "--providers",
            "anthropic, openai,offline",
            "--provider-timeout",
            "5s",
        ]);
        let chain = args.build_with(&anthropic_key()).unwrap();
        assert_eq!(chain.name(), "anthropic,openai,offline");
        assert_eq!(
            chain.model(),
            "claude-3-5-haiku-latest,gpt-4o-mini,templates-v1"
        );
    }

    #[test]
    fn openai_needs_no_key() {
        let args = args(&[
            "--providers",
            "openai",
            "--openai-base-url",
            "http://localhost:11434/v1",
        ]);
        assert!(args.build_with(&ProviderKeys::default()).is_ok());
    }

    #[test]
    fn anthropic_without_a_key_is_an_error() {
        let error = args(&["--providers", "anthropic"])
            .build_with(&ProviderKeys::default())
            .unwrap_err();
        assert!(matches!(
            error,
            ConfigError::MissingKey {
                provider: "anthropic",
                ..
            }
        ));
        assert!(error.to_string().contains("ANTHROPIC_API_KEY"), "{error}");
    }

    #[test]
    fn unknown_duplicate_and_empty_lists_are_errors() {
        let build = |list: &str| args(&["--providers", list]).build_with(&anthropic_key());
        assert!(
            matches!(build("offline,gemini"), Err(ConfigError::UnknownProvider(n)) if n == "gemini")
        );
        assert!(matches!(
            build("openai,openai"),
            Err(ConfigError::Duplicate(_))
        ));
        assert!(matches!(build(","), Err(ConfigError::NoProviders)));
    }

    #[test]
    fn a_bad_base_url_is_an_error() {
        let error = args(&[
            "--providers",
            "openai",
            "--openai-base-url",
            "localhost:8080",
        ])
        .build_with(&ProviderKeys::default())
        .unwrap_err();
        assert!(matches!(
            error,
            ConfigError::Build(BuildError::InvalidUrl { .. })
        ));
    }

    #[test]
    fn a_zero_breaker_threshold_is_rejected() {
        let parsed = Cli::try_parse_from(["lectern", "--provider-breaker-threshold", "0"]);
        assert!(parsed.is_err());
    }
}
