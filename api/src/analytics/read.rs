//! The analytics queries.
//!
//! Who sees what: `read:read_models` (analysts, admins) every row of every model. A
//! teacher (`manage:classes`) reads the class dashboard only, filtered to the classes
//! they teach (the dashboard's own `teacher_id`, from `ClassCreated`); naming another
//! teacher is 403. Any other role (students, parents) is 403 everywhere.

use axum::extract::State;
use chrono::{Days, NaiveDate};
use domain::Permission;
use projections::Projection;
use projections::analytics::agent_performance::{self, AgentPerformance, AgentPerformanceFilter};
use projections::analytics::class_dashboard::{self, ClassDashboard, ClassDashboardFilter};
use projections::analytics::daily_activity::{self, DailyActivity, DailyActivityFilter};
use projections::analytics::lesson_funnel::{self, LessonFunnel, LessonFunnelFilter};

use super::dto::{
    ActivityList, AgentList, AgentPerformanceView, ClassDashboardList, ClassDashboardView,
    DailyActivityView, LessonFunnelList, LessonFunnelView, ListAgentPerformance,
    ListClassDashboard, ListDailyActivity, ListLessonFunnel, ListSubjectGradeFunnel,
    SubjectGradeFunnelList, SubjectGradeFunnelView,
};
use crate::auth::Authenticated;
use crate::consistency::{self, Consistency, ReadPosition};
use crate::extract::{Json, Query};
use crate::openapi::QueryErrors;
use crate::{ApiError, AppState, paging};

/// Per lesson: how many students started and completed it, their average completion and
/// XP; a page at a time, by lesson id.
///
/// Analysts and admins.
#[utoipa::path(
    get, path = "/v1/analytics/lesson-funnel", tag = "analytics",
    params(ListLessonFunnel),
    responses(
        (status = OK, description = "A page of lesson funnels", body = LessonFunnelList,
         headers(("Lectern-Position" = i64, description = "How far the lesson funnel had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn lesson_funnel(
    State(state): State<AppState>,
    user: Authenticated,
    Query(query): Query<ListLessonFunnel>,
) -> Result<(ReadPosition, Json<LessonFunnelList>), ApiError> {
    reads_read_models(&user, "the lesson funnel")?;
    let filter = LessonFunnelFilter {
        subject: query.subject,
        grade_level: paging::grade(query.grade)?,
        after: query.cursor,
        limit: paging::limit(query.limit)?,
    };
    let position = read_position(&state, &LessonFunnel, query.after).await?;
    let rows = lesson_funnel::lessons(&state.pool, &filter).await?;
    let next_cursor = next_cursor(&rows, filter.limit, |row| row.lesson_id);
    Ok((
        position,
        Json(LessonFunnelList {
            lessons: rows.into_iter().map(LessonFunnelView::from).collect(),
            next_cursor,
        }),
    ))
}

/// The lesson funnels rolled up per subject and grade (all of them: there are few).
///
/// Analysts and admins.
#[utoipa::path(
    get, path = "/v1/analytics/lesson-funnel/by-subject-grade", tag = "analytics",
    params(ListSubjectGradeFunnel),
    responses(
        (status = OK, description = "The funnels per subject and grade", body = SubjectGradeFunnelList,
         headers(("Lectern-Position" = i64, description = "How far the lesson funnel had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn lesson_funnel_by_subject_grade(
    State(state): State<AppState>,
    user: Authenticated,
    Query(query): Query<ListSubjectGradeFunnel>,
) -> Result<(ReadPosition, Json<SubjectGradeFunnelList>), ApiError> {
    reads_read_models(&user, "the lesson funnel")?;
    let filter = LessonFunnelFilter {
        subject: query.subject,
        grade_level: paging::grade(query.grade)?,
        after: None,
        limit: paging::MAX_LIMIT,
    };
    let position = read_position(&state, &LessonFunnel, query.after).await?;
    let rows = lesson_funnel::by_subject_grade(&state.pool, &filter).await?;
    Ok((
        position,
        Json(SubjectGradeFunnelList {
            groups: rows.into_iter().map(SubjectGradeFunnelView::from).collect(),
        }),
    ))
}

/// Per class: students enrolled, lessons started, average completion, XP and the last
/// activity; a page at a time, by class id.
///
/// Analysts and admins (every class); a teacher (their own classes only).
#[utoipa::path(
    get, path = "/v1/analytics/class-dashboard", tag = "analytics",
    params(ListClassDashboard),
    responses(
        (status = OK, description = "A page of class dashboards", body = ClassDashboardList,
         headers(("Lectern-Position" = i64, description = "How far the class dashboard had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn class_dashboard(
    State(state): State<AppState>,
    user: Authenticated,
    Query(query): Query<ListClassDashboard>,
) -> Result<(ReadPosition, Json<ClassDashboardList>), ApiError> {
    let filter = ClassDashboardFilter {
        class_id: query.class_id,
        teacher_id: dashboard_teacher(&user, query.teacher_id)?,
        subject: query.subject,
        grade_level: paging::grade(query.grade)?,
        after: query.cursor,
        limit: paging::limit(query.limit)?,
    };
    let position = read_position(&state, &ClassDashboard, query.after).await?;
    let rows = class_dashboard::list(&state.pool, &filter).await?;
    let next_cursor = next_cursor(&rows, filter.limit, |row| row.class_id);
    Ok((
        position,
        Json(ClassDashboardList {
            classes: rows.into_iter().map(ClassDashboardView::from).collect(),
            next_cursor,
        }),
    ))
}

/// How many events of each type were recorded per UTC day, subject and grade.
///
/// Analysts and admins.
#[utoipa::path(
    get, path = "/v1/analytics/daily-activity", tag = "analytics",
    params(ListDailyActivity),
    responses(
        (status = OK, description = "The daily counts", body = ActivityList,
         headers(("Lectern-Position" = i64, description = "How far the daily activity had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn daily_activity(
    State(state): State<AppState>,
    user: Authenticated,
    Query(query): Query<ListDailyActivity>,
) -> Result<(ReadPosition, Json<ActivityList>), ApiError> {
    reads_read_models(&user, "the daily activity")?;
    let (from, to) = date_range(query.from.as_deref(), query.to.as_deref())?;
    let filter = DailyActivityFilter {
        from,
        to,
        subject: query.subject,
        grade_level: paging::grade(query.grade)?,
        event_type: query.event_type,
    };
    let position = read_position(&state, &DailyActivity, query.after).await?;
    let rows = daily_activity::list(&state.pool, &filter).await?;
    Ok((
        position,
        Json(ActivityList {
            activity: rows.into_iter().map(DailyActivityView::from).collect(),
        }),
    ))
}

/// Per agent kind: runs, successes, failures and p50/p95 durations of the steps recorded
/// in the days given.
///
/// Analysts and admins.
#[utoipa::path(
    get, path = "/v1/analytics/agent-performance", tag = "analytics",
    params(ListAgentPerformance),
    responses(
        (status = OK, description = "Per agent kind", body = AgentList,
         headers(("Lectern-Position" = i64, description = "How far the agent performance had applied the log"))),
        QueryErrors,
    ),
    security(("bearer" = [])),
)]
pub async fn agent_performance(
    State(state): State<AppState>,
    user: Authenticated,
    Query(query): Query<ListAgentPerformance>,
) -> Result<(ReadPosition, Json<AgentList>), ApiError> {
    reads_read_models(&user, "the agent performance")?;
    let (from, to) = date_range(query.from.as_deref(), query.to.as_deref())?;
    let filter = AgentPerformanceFilter {
        from: from.map(|day| day.and_time(chrono::NaiveTime::MIN).and_utc()),
        // `to` is inclusive; the model's bound is exclusive: the start of the next day.
        to: to
            .and_then(|day| day.checked_add_days(Days::new(1)))
            .map(|day| day.and_time(chrono::NaiveTime::MIN).and_utc()),
        agent: query.agent,
    };
    let position = read_position(&state, &AgentPerformance, query.after).await?;
    let rows = agent_performance::by_agent(&state.pool, &filter).await?;
    Ok((
        position,
        Json(AgentList {
            agents: rows.into_iter().map(AgentPerformanceView::from).collect(),
        }),
    ))
}

async fn read_position<P: Projection>(
    state: &AppState,
    model: &P,
    after: Option<i64>,
) -> Result<ReadPosition, ApiError> {
    let wait = state.config.consistency_wait();
    consistency::read_position(&state.pool, model, Consistency { after }, wait).await
}

/// 403 unless `user` may query read models.
fn reads_read_models(user: &Authenticated, what: &str) -> Result<(), ApiError> {
    if user.can(Permission::ReadReadModels) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "the role `{}` may not read {what} (`{}` is needed)",
            user.role,
            Permission::ReadReadModels
        )))
    }
}

/// The `teacher_id` filter of the class dashboard: as asked for those who read every read
/// model; the caller themself for a teacher (403 when they name another teacher); 403 for
/// anyone else.
fn dashboard_teacher(
    user: &Authenticated,
    requested: Option<uuid::Uuid>,
) -> Result<Option<uuid::Uuid>, ApiError> {
    if user.can(Permission::ReadReadModels) {
        return Ok(requested);
    }
    if !user.can(Permission::ManageClasses) {
        return Err(ApiError::Forbidden(format!(
            "the role `{}` may not read the class dashboard (`{}` or `{}` is needed)",
            user.role,
            Permission::ManageClasses,
            Permission::ReadReadModels
        )));
    }
    match requested {
        Some(other) if other != user.user_id => Err(ApiError::Forbidden(
            "a teacher reads only their own classes' dashboards".into(),
        )),
        _ => Ok(Some(user.user_id)),
    }
}

/// `from` and `to` as days (`YYYY-MM-DD`): 400 naming the one that is not a date, or `to`
/// when it is before `from`.
fn date_range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ApiError> {
    let from = from.map(|raw| date("from", raw)).transpose()?;
    let to = to.map(|raw| date("to", raw)).transpose()?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(ApiError::invalid_field(
            "to",
            format!("to ({to}) must not be before from ({from})"),
        ));
    }
    Ok((from, to))
}

fn date(name: &str, raw: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        ApiError::invalid_field(
            name,
            format!("{name} must be a date, YYYY-MM-DD (got `{raw}`)"),
        )
    })
}

/// The cursor of the next page: the last row's id when the page is full.
fn next_cursor<T>(rows: &[T], limit: i64, id: impl Fn(&T) -> uuid::Uuid) -> Option<uuid::Uuid> {
    let full = i64::try_from(rows.len()).is_ok_and(|len| len >= limit);
    if full { rows.last().map(id) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(result: Result<(Option<NaiveDate>, Option<NaiveDate>), ApiError>) -> String {
        match result {
            Err(ApiError::InvalidField { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dates_are_yyyy_mm_dd_and_to_is_not_before_from() {
        let (from, to) = date_range(Some("2026-01-31"), Some("2026-02-01")).unwrap();
        assert_eq!(from, NaiveDate::from_ymd_opt(2026, 1, 31));
        assert_eq!(to, NaiveDate::from_ymd_opt(2026, 2, 1));
        assert_eq!(field(date_range(Some("yesterday"), None)), "from");
        assert_eq!(field(date_range(None, Some("2026-02-30"))), "to");
        assert_eq!(
            field(date_range(Some("2026-02-02"), Some("2026-02-01"))),
            "to"
        );
    }

    #[test]
    fn a_full_page_has_a_next_cursor() {
        let ids = [uuid::Uuid::now_v7(), uuid::Uuid::now_v7()];
        assert_eq!(next_cursor(&ids, 2, |id| *id), Some(ids[1]));
        assert_eq!(next_cursor(&ids, 3, |id| *id), None);
    }
}
