use serde::{Deserialize, Serialize};

use super::ValueError;

/// An email address: trimmed, lowercased, at most 254 characters, with a pragmatic
/// syntax check (exactly one `@`, a non-empty local part, a domain with a dot between
/// non-empty labels, no whitespace or control characters).
///
/// Not a full RFC 5322 parser: whether an address works is only known by mailing it.
/// Lowercasing the whole address (the local part is case-sensitive in theory, never in
/// practice) makes it its own normalised form for the store's uniqueness reservation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(raw: impl AsRef<str>) -> Result<Self, ValueError> {
        let email = raw.as_ref().trim().to_lowercase();
        let chars = email.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(ValueError::EmailTooLong { chars });
        }
        let malformed = |reason| Err(ValueError::EmailMalformed { reason });
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return malformed("it contains whitespace");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return malformed("it has no `@`");
        };
        if domain.contains('@') {
            return malformed("it has more than one `@`");
        }
        if local.is_empty() {
            return malformed("nothing comes before the `@`");
        }
        if !domain.contains('.') || domain.split('.').any(str::is_empty) {
            return malformed("the domain must be like `example.org`");
        }
        Ok(Self(email))
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        // `parse` guarantees exactly one `@`.
        self.0.split_once('@').map_or("", |(_, domain)| domain)
    }
}

text_value!(Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_address_is_accepted() {
        let email = Email::parse("ada@example.org").unwrap();
        assert_eq!(email.as_str(), "ada@example.org");
        assert_eq!(email.domain(), "example.org");
    }

    #[test]
    fn an_address_is_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Ada.Lovelace+Notes@Example.ORG \n")
                .unwrap()
                .as_str(),
            "ada.lovelace+notes@example.org"
        );
    }

    #[test]
    fn an_address_of_254_characters_is_accepted() {
        let raw = format!("{}@example.org", "a".repeat(254 - "@example.org".len()));
        assert_eq!(raw.len(), 254);
        assert_eq!(Email::parse(&raw).unwrap().as_str(), raw);
    }

    #[test]
    fn an_address_of_255_characters_is_rejected() {
        let raw = format!("{}@example.org", "a".repeat(255 - "@example.org".len()));
        assert_eq!(
            Email::parse(raw),
            Err(ValueError::EmailTooLong { chars: 255 })
        );
    }

    #[test]
    fn malformed_addresses_are_rejected_with_a_reason() {
        for (raw, reason) in [
            ("", "it has no `@`"),
            ("ada.example.org", "it has no `@`"),
            ("ada@@example.org", "it has more than one `@`"),
            ("a@b@example.org", "it has more than one `@`"),
            ("@example.org", "nothing comes before the `@`"),
            ("ada@localhost", "the domain must be like `example.org`"),
            ("ada@", "the domain must be like `example.org`"),
            ("ada@.org", "the domain must be like `example.org`"),
            ("ada@example.", "the domain must be like `example.org`"),
            ("ada@example..org", "the domain must be like `example.org`"),
            ("ada lovelace@example.org", "it contains whitespace"),
            ("ada@exam\tple.org", "it contains whitespace"),
        ] {
            assert_eq!(
                Email::parse(raw),
                Err(ValueError::EmailMalformed { reason }),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn an_email_error_names_the_field() {
        let error = Email::parse("nope").unwrap_err();
        assert_eq!(error.field(), "email");
        assert_eq!(
            error.to_string(),
            "email must be an address like `name@example.org`: it has no `@`"
        );
    }

    #[test]
    fn an_email_deserializes_through_parse() {
        assert!(serde_json::from_value::<Email>(serde_json::json!("nope")).is_err());
        let email: Email = serde_json::from_value(serde_json::json!("A@B.CO")).unwrap();
        assert_eq!(serde_json::to_value(email).unwrap(), "a@b.co");
    }
}
