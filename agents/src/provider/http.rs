//! What the HTTP model providers share: building the reqwest client (rustls with the `ring`
//! crypto provider, platform certificate roots), validating base URLs, and one JSON
//! exchange with a per-call timeout whose failures become [`ProviderError`]s — 429 →
//! `RateLimited` (with `Retry-After`), 5xx and transport errors → `Unavailable`, other
//! statuses → `Refused`, an unreadable envelope → `BadResponse`.
//!
//! It knows no provider's API shape, and never puts an API key into an error: error bodies
//! are shortened and scrubbed of the key before they become messages.

use std::error::Error as _;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, StatusCode, Url};
use serde::de::DeserializeOwned;

use super::ProviderError;
use super::secret::ApiKey;

/// The most of an error body kept in a [`ProviderError`] message, in characters.
const MAX_ERROR_CHARS: usize = 200;

/// Why an HTTP provider could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{provider}: invalid base URL {url:?}: {reason}")]
    InvalidUrl {
        provider: String,
        url: String,
        reason: String,
    },
    #[error("{provider}: the API key holds characters an HTTP header cannot carry")]
    InvalidKey { provider: String },
    #[error("{provider}: cannot build the HTTP client: {source}")]
    Client {
        provider: String,
        source: reqwest::Error,
    },
}

/// Makes rustls' `ring` provider the process default, which reqwest (built with
/// `rustls-no-provider`) needs before any `Client` is built. Idempotent; an already
/// installed default is kept. Call it at startup in any binary that links this crate and
/// builds reqwest clients of its own.
pub fn install_crypto_provider() {
    // Err only when a default is already installed: that one serves as well.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A client for one provider. Connecting is bounded by `timeout` too; the whole exchange is
/// bounded by [`post_json`].
pub(crate) fn client(provider: &str, timeout: Duration) -> Result<reqwest::Client, BuildError> {
    install_crypto_provider();
    reqwest::Client::builder()
        .user_agent(concat!("lectern-agents/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(timeout)
        .build()
        .map_err(|source| BuildError::Client {
            provider: provider.to_owned(),
            source,
        })
}

/// `base` (http or https) with `path` appended, e.g. `http://localhost:11434/v1` +
/// `chat/completions`.
pub(crate) fn endpoint(provider: &str, base: &str, path: &str) -> Result<Url, BuildError> {
    let invalid = |reason: String| BuildError::InvalidUrl {
        provider: provider.to_owned(),
        url: base.to_owned(),
        reason,
    };
    let url = Url::parse(&format!("{}/{path}", base.trim_end_matches('/')))
        .map_err(|e| invalid(e.to_string()))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(invalid(format!("scheme {other:?} is not http or https"))),
    }
}

/// Sends `request` and reads its JSON answer as `T`, all within `timeout`. `secret` is
/// scrubbed from any error body.
pub(crate) async fn post_json<T: DeserializeOwned>(
    provider: &str,
    request: RequestBuilder,
    timeout: Duration,
    secret: Option<&ApiKey>,
) -> Result<T, ProviderError> {
    let exchange = async {
        let response = request
            .send()
            .await
            .map_err(|e| transport_error(provider, timeout, &e))?;
        let status = response.status();
        let retry_after = retry_after(response.headers(), SystemTime::now());
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_error(provider, timeout, &e))?;
        if !status.is_success() {
            return Err(status_error(provider, status, retry_after, &body, secret));
        }
        serde_json::from_slice(&body).map_err(|e| ProviderError::BadResponse {
            provider: provider.to_owned(),
            message: e.to_string(),
        })
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .unwrap_or_else(|_| {
            Err(ProviderError::Timeout {
                provider: provider.to_owned(),
                after: timeout,
            })
        })
}

fn transport_error(provider: &str, timeout: Duration, error: &reqwest::Error) -> ProviderError {
    if error.is_timeout() {
        return ProviderError::Timeout {
            provider: provider.to_owned(),
            after: timeout,
        };
    }
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    ProviderError::Unavailable {
        provider: provider.to_owned(),
        message,
    }
}

/// The error for a non-success `status`.
pub(crate) fn status_error(
    provider: &str,
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
    secret: Option<&ApiKey>,
) -> ProviderError {
    let provider = provider.to_owned();
    if status == StatusCode::TOO_MANY_REQUESTS {
        return ProviderError::RateLimited {
            provider,
            retry_after,
        };
    }
    let message = error_snippet(body, secret);
    if status.is_server_error() {
        ProviderError::Unavailable {
            provider,
            message: format!("{status}: {message}"),
        }
    } else {
        ProviderError::Refused {
            provider,
            status: status.as_u16(),
            message,
        }
    }
}

/// A short, key-free account of an error body: the `error.message` both APIs send when
/// there is one, else the body itself; whitespace collapsed, at most [`MAX_ERROR_CHARS`].
fn error_snippet(body: &[u8], secret: Option<&ApiKey>) -> String {
    let raw = String::from_utf8_lossy(body);
    let text = serde_json::from_str::<serde_json::Value>(&raw)
        .ok()
        .and_then(|v| v.pointer("/error/message")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| raw.into_owned());
    let text = match secret {
        Some(key) => text.replace(key.expose(), "***"),
        None => text,
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX_ERROR_CHARS {
        return text;
    }
    let mut short: String = text.chars().take(MAX_ERROR_CHARS).collect();
    short.push('…');
    short
}

/// How long the server asked us to wait: OpenAI's `retry-after-ms`, else `Retry-After` as
/// seconds or an HTTP-date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| headers.get(name)?.to_str().ok();
    let ms = header("retry-after-ms")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms >= 0.0);
    if let Some(ms) = ms {
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    parse_retry_after(header("retry-after")?, now)
}

/// A `Retry-After` value: delay seconds (`"120"`), or an HTTP-date (`"Wed, 21 Oct 2015
/// 07:28:00 GMT"`; a past date is no delay).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn retry_after_in_seconds() {
        assert_eq!(parse_retry_after("1", at(0)), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", at(0)),
            Some(Duration::from_secs(120))
        );
    }

    #[test]
    fn retry_after_as_http_date() {
        // 2015-10-21 07:28:00 UTC is 1445412480.
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(
            parse_retry_after(date, at(1_445_412_480 - 30)),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after(date, at(1_445_412_480 + 30)),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_garbage_is_none() {
        assert_eq!(parse_retry_after("soon", at(0)), None);
        assert_eq!(parse_retry_after("-1", at(0)), None);
        assert_eq!(parse_retry_after("", at(0)), None);
    }

    #[test]
    fn retry_after_ms_wins() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(retry_after(&headers, at(0)), Some(Duration::from_secs(2)));
        headers.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(
            retry_after(&headers, at(0)),
            Some(Duration::from_millis(250))
        );
        assert_eq!(retry_after(&HeaderMap::new(), at(0)), None);
    }

    #[test]
    fn statuses_map_to_errors() {
        let error = |status: u16| {
            status_error(
                "p",
                StatusCode::from_u16(status).unwrap(),
                Some(Duration::from_secs(3)),
                b"nope",
                None,
            )
        };
        assert!(matches!(
            error(429),
            ProviderError::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(3)
        ));
        assert!(matches!(error(500), ProviderError::Unavailable { .. }));
        assert!(matches!(error(529), ProviderError::Unavailable { .. }));
        assert!(matches!(
            error(401),
            ProviderError::Refused { status: 401, ref message, .. } if message == "nope"
        ));
        assert!(matches!(
            error(404),
            ProviderError::Refused { status: 404, .. }
        ));
    }

    #[test]
    fn error_bodies_are_short_and_keyless() {
        let key = ApiKey::new("sk-secret-123").unwrap();
        let body = br#"{"error":{"message":"Incorrect API key provided: sk-secret-123.","type":"invalid_request_error"}}"#;
        assert_eq!(
            error_snippet(body, Some(&key)),
            "Incorrect API key provided: ***."
        );
        let long = "é".repeat(1000);
        let short = error_snippet(long.as_bytes(), None);
        assert_eq!(short.chars().count(), MAX_ERROR_CHARS + 1);
        assert!(short.ends_with('…'));
    }

    #[test]
    fn endpoints_join_and_validate() {
        let url = endpoint("p", "http://localhost:11434/v1/", "chat/completions").unwrap();
        assert_eq!(url.as_str(), "http://localhost:11434/v1/chat/completions");
        assert!(endpoint("p", "ftp://example.com", "x").is_err());
        assert!(endpoint("p", "not a url", "x").is_err());
    }

    #[tokio::test]
    async fn an_https_client_speaks_tls() {
        use tokio::io::AsyncReadExt;

        let client = client("p", Duration::from_secs(2)).expect("an https-capable client");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = endpoint(
            "p",
            &format!("https://{}/v1", listener.local_addr().unwrap()),
            "chat/completions",
        )
        .unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut hello = [0u8; 3];
            socket.read_exact(&mut hello).await.unwrap();
            hello
        });
        // The fake server hangs up after the client's first bytes: the call itself fails.
        let call = client.post(url).body("{}").send().await;
        assert!(call.is_err());
        // A TLS handshake record (0x16), TLS 1.x (0x03 ..): the client spoke TLS.
        let hello = server.await.unwrap();
        assert_eq!(
            &hello[..2],
            &[0x16, 0x03],
            "not a TLS ClientHello: {hello:?}"
        );
    }
}
