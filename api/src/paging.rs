//! What the list queries share: the `limit` of a page, and the checks of the common
//! filters, with the same 400 problems everywhere.

use crate::ApiError;

/// Rows per page when the client does not say.
pub const DEFAULT_LIMIT: i64 = 50;
/// The most rows a page holds.
pub const MAX_LIMIT: i64 = 500;

/// The `limit` of a page: [`DEFAULT_LIMIT`] when absent, 400 outside 1–[`MAX_LIMIT`].
pub fn limit(requested: Option<i64>) -> Result<i64, ApiError> {
    limit_within(requested, DEFAULT_LIMIT, MAX_LIMIT)
}

/// The `limit` of a page of another size: `default` when absent, 400 outside 1–`max`.
pub fn limit_within(requested: Option<i64>, default: i64, max: i64) -> Result<i64, ApiError> {
    let limit = requested.unwrap_or(default);
    if (1..=max).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::invalid_field(
            "limit",
            format!("limit must be 1–{max} (got {limit})"),
        ))
    }
}

/// A `grade` filter: 400 outside 1–12.
pub fn grade(requested: Option<i32>) -> Result<Option<i32>, ApiError> {
    match requested {
        Some(grade) if !(1..=12).contains(&grade) => Err(ApiError::invalid_field(
            "grade",
            format!("grade must be 1–12 (got {grade})"),
        )),
        other => Ok(other),
    }
}

/// A `status` filter: 400 for the status of a thing never created (the status types'
/// `Default`: `none`, `not_started`), which no row has; `allowed` lists the others for
/// the message.
pub fn status<S: PartialEq + Default>(
    requested: Option<S>,
    allowed: &str,
) -> Result<Option<S>, ApiError> {
    match requested {
        Some(status) if status == S::default() => Err(ApiError::invalid_field(
            "status",
            format!("status must be one of {allowed}"),
        )),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_fifty_by_default_and_one_to_five_hundred() {
        assert_eq!(limit(None).unwrap(), 50);
        assert_eq!(limit(Some(500)).unwrap(), 500);
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(501)).is_err());
    }

    #[test]
    fn a_grade_is_one_to_twelve_and_status_none_is_refused() {
        assert_eq!(grade(Some(12)).unwrap(), Some(12));
        assert!(grade(Some(13)).is_err());
        assert!(status(Some(domain::ClassStatus::None), "active, archived").is_err());
        let active = status(Some(domain::ClassStatus::Active), "active, archived");
        assert_eq!(active.unwrap(), Some(domain::ClassStatus::Active));
    }
}
