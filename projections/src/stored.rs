//! A domain value kept in a text column by its name: [`Stored`] is how the query macros
//! decode it (`status AS "status: Stored<LessonStatus>"`), by the value's own `FromStr`,
//! as `#[sqlx(try_from = "String")]` does for `FromRow`. The domain knows no SQL; this is
//! the one place where its names meet a column.

use std::str::FromStr;

use domain::{ContentRequestStatus, LessonStatus};
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::{Decode, Postgres, Type};

/// A `T` read from a text column.
pub(crate) struct Stored<T>(T);

impl<T> Type<Postgres> for Stored<T> {
    fn type_info() -> PgTypeInfo {
        <String as Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <String as Type<Postgres>>::compatible(ty)
    }
}

impl<'r, T> Decode<'r, Postgres> for Stored<T>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    fn decode(value: PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let name = <&str as Decode<Postgres>>::decode(value)?;
        Ok(Self(name.parse()?))
    }
}

impl From<Stored<LessonStatus>> for LessonStatus {
    fn from(stored: Stored<LessonStatus>) -> Self {
        stored.0
    }
}

impl From<Stored<ContentRequestStatus>> for ContentRequestStatus {
    fn from(stored: Stored<ContentRequestStatus>) -> Self {
        stored.0
    }
}
