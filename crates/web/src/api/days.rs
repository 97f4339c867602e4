//! Workshop days over the API: a session's days, their agenda and peer groups, date polls,
//! registrations, attendance and regularity. Dates, times and places are public; names and
//! answers are not: delegates see their own session and their own records, organisers of the
//! programme see and change everything, facilitators record anyone's attendance.

use super::{ApiError, ApiId, ApiJson, ApiUser, Problem};
use crate::recruitment::today_in_paris;
use crate::{AppState, Ctx};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use domain::{
    AttendanceRecord, AttendanceStatus, Cohort, Day, DayForm, DayPart, DayPartForm, FieldErrors, Id, Invalid,
    MissingCategory, Name, PartFormat, PartGroup, PollAnswer, PollOption, PollState, PollVote, Registration,
    Regularity, Share, User, parse_poll_dates, rank_poll_options, regularity,
};
use serde::{Deserialize, Serialize};
use store::{Actor, DayPoll, StoreError};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_days,
        create_day,
        get_day,
        update_day,
        delete_day,
        list_parts,
        add_part,
        update_part,
        delete_part,
        generate_groups,
        move_to_group,
        get_poll,
        open_poll,
        answer_poll,
        close_poll,
        register,
        list_attendance,
        record_attendance,
        record_stand_in,
        get_regularity
    ),
    components(schemas(
        Day,
        DayForm,
        PollState,
        DayPart,
        DayPartForm,
        PartFormat,
        PartGroup,
        AgendaPart,
        GroupMoveBody,
        PollJson,
        PollOption,
        PollVote,
        PollAnswer,
        PollDatesBody,
        PollAnswersBody,
        PollAnswerItem,
        ClosePollBody,
        RegistrationBody,
        Registration,
        AttendanceRecord,
        AttendanceStatus,
        AttendanceBody,
        StandInBody,
        Regularity,
        Share,
        MissingCategory
    ))
)]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions/{id}/days", get(list_days).post(create_day))
        .route("/sessions/{id}/regularity", get(get_regularity))
        .route("/days/{id}", get(get_day).put(update_day).delete(delete_day))
        .route("/days/{id}/parts", get(list_parts).post(add_part))
        .route("/days/{id}/parts/{part}", put(update_part).delete(delete_part))
        .route("/days/{id}/parts/{part}/groups", post(generate_groups))
        .route("/days/{id}/parts/{part}/moves", post(move_to_group))
        .route("/days/{id}/poll", get(get_poll).post(open_poll))
        .route("/days/{id}/poll/answers", post(answer_poll))
        .route("/days/{id}/poll/close", post(close_poll))
        .route("/days/{id}/registrations/{delegate}", put(register))
        .route("/days/{id}/attendance", get(list_attendance))
        .route("/days/{id}/attendance/{delegate}", put(record_attendance))
        .route("/days/{id}/stand-ins", post(record_stand_in))
}

// ---------------------------------------------------------------- bodies and answers

/// A part of a day's agenda, with its groups for those who may see who sits where.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AgendaPart {
    /// The part.
    part: DayPart,
    /// Its groups with their members (delegate ids); left out for the public.
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<PartGroup>>,
}

/// A delegate moved by hand to another group of the same part.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct GroupMoveBody {
    /// The delegate (seat) to move.
    delegate_id: Id,
    /// The group of the part they go to.
    group_id: Id,
}

/// A day's date poll as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PollJson {
    /// Open or closed.
    state: PollState,
    /// Candidate dates in date order, with their answers counted.
    options: Vec<PollOption>,
    /// Option ids, best first: most "yes", then most "yes" + "if needed", then fewest "no",
    /// then the earliest date.
    ranking: Vec<Id>,
    /// Every answer for organisers; a delegate's own answers for a delegate.
    votes: Vec<PollVote>,
}

impl PollJson {
    /// The poll, with only the votes `keep` lets through.
    fn new(poll: DayPoll, keep: impl Fn(&PollVote) -> bool) -> Self {
        let ranking = rank_poll_options(&poll.options).iter().map(|o| o.id).collect();
        Self {
            state: poll.state,
            ranking,
            votes: poll.votes.into_iter().filter(|v| keep(v)).collect(),
            options: poll.options,
        }
    }
}

/// The candidate dates of a new poll.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct PollDatesBody {
    /// Dates in the month the day is to be set in, one per line (or separated by commas or
    /// semicolons): `2019-11-19\n2019-11-21`.
    #[serde(default)]
    dates: String,
}

/// One answer to a candidate date.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct PollAnswerItem {
    /// The candidate date.
    option_id: Id,
    /// `yes`, `if_needed` or `no`.
    answer: String,
}

/// A delegate's answers to a poll; earlier answers to the same dates are replaced.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct PollAnswersBody {
    /// The answers.
    answers: Vec<PollAnswerItem>,
}

/// The date a poll is closed on.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ClosePollBody {
    /// The chosen candidate date.
    option_id: Id,
}

/// A delegate's answer about coming to a day.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct RegistrationBody {
    /// `confirmed` or `excused`.
    #[serde(default)]
    answer: String,
}

/// A delegate's attendance on a day.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AttendanceBody {
    /// `present`, `excused` or `absent`.
    #[serde(default)]
    status: String,
}

/// Someone who came in a delegate's place.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct StandInBody {
    /// The delegate (seat) they stood in for.
    delegate_id: Id,
    /// Their name.
    #[serde(default)]
    full_name: String,
}

// ---------------------------------------------------------------- who the caller is

/// Two ids of a path (`/days/{id}/parts/{part}`); one that is not a number is a 404.
struct ApiIds(Id, Id);

impl FromRequestParts<AppState> for ApiIds {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        match (a.parse(), b.parse()) {
            (Ok(a), Ok(b)) => Ok(Self(a, b)),
            _ => Err(ApiError::NotFound),
        }
    }
}

/// What the caller is to a session: whoever runs its programme, a facilitator, one of its
/// delegates (by seat), or nobody in particular.
enum Standing {
    Manager,
    Facilitator,
    Delegate(Id),
    Other,
}

impl Standing {
    /// The caller's standing; running the programme comes first, then the role, then a seat.
    async fn of(state: &AppState, user: &User, cohort: &Cohort) -> Result<Self, ApiError> {
        let access = crate::days::access(state, Some(user), cohort).await?;
        Ok(if access.manages {
            Self::Manager
        } else if access.takes_attendance {
            Self::Facilitator
        } else {
            access.seat.map_or(Self::Other, Self::Delegate)
        })
    }

    /// Organisers of the programme and facilitators run the day itself.
    fn runs_days(&self) -> bool {
        matches!(self, Self::Manager | Self::Facilitator)
    }
}

/// A day and its session.
async fn day_and_session(state: &AppState, id: Id) -> Result<(Day, Cohort), ApiError> {
    let day = state.store.day(id).await?;
    let cohort = state.store.cohort(day.cohort_id).await?;
    Ok((day, cohort))
}

/// A day and its session, when the caller runs the session's programme.
async fn managed_day(state: &AppState, user: &ApiUser, id: Id) -> Result<(Day, Cohort, Actor), ApiError> {
    let (day, cohort) = day_and_session(state, id).await?;
    let actor = Actor::user(user.programme_manager(state, cohort.programme_id).await?);
    Ok((day, cohort, actor))
}

/// A store failure, its refused fields named as the request body names them.
fn store_error(ctx: &Ctx, err: StoreError, renames: &[(&str, &str)]) -> ApiError {
    match err {
        StoreError::Invalid(errors) => ApiError::invalid(
            ctx,
            FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|(field, invalid)| {
                        let field = renames
                            .iter()
                            .find(|(from, _)| *from == field)
                            .map_or(field, |(_, to)| (*to).to_owned());
                        (field, invalid)
                    })
                    .collect(),
            ),
        ),
        other => other.into(),
    }
}

/// One refused field of the request body.
fn refused(ctx: &Ctx, field: &str, invalid: Invalid) -> ApiError {
    ApiError::invalid(ctx, FieldErrors::from((field, invalid)))
}

// ---------------------------------------------------------------- days

/// The days of a session in date order (public: dates, times, place and poll state).
#[utoipa::path(get, path = "/sessions/{id}/days", tag = "days", params(("id" = i64, Path)),
    responses((status = 200, body = [Day]), (status = 404, body = Problem)))]
async fn list_days(State(state): State<AppState>, ApiId(id): ApiId) -> Result<Json<Vec<Day>>, ApiError> {
    let cohort = state.store.cohort(id).await?;
    Ok(Json(state.store.days_of(cohort.id).await?))
}

/// Adds a day to a session: a date, or a month when the day is to be set (organisers).
#[utoipa::path(post, path = "/sessions/{id}/days", tag = "days", params(("id" = i64, Path)),
    request_body = DayForm, security(("bearer" = [])),
    responses((status = 201, body = Day), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_day(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<DayForm>,
) -> Result<(StatusCode, Json<Day>), ApiError> {
    let cohort = state.store.cohort(id).await?;
    let actor = Actor::user(user.programme_manager(&state, cohort.programme_id).await?);
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let day =
        state.store.create_day(&actor, cohort.id, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(day)))
}

/// One day (public).
#[utoipa::path(get, path = "/days/{id}", tag = "days", params(("id" = i64, Path)),
    responses((status = 200, body = Day), (status = 404, body = Problem)))]
async fn get_day(State(state): State<AppState>, ApiId(id): ApiId) -> Result<Json<Day>, ApiError> {
    Ok(Json(state.store.day(id).await?))
}

/// Replaces a day's fields (organisers). A day with attendance recorded keeps its date
/// (`error-day-has-attendance` on `held_on`).
#[utoipa::path(put, path = "/days/{id}", tag = "days", params(("id" = i64, Path)), request_body = DayForm,
    security(("bearer" = [])),
    responses((status = 200, body = Day), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_day(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<DayForm>,
) -> Result<Json<Day>, ApiError> {
    let (day, _, actor) = managed_day(&state, &user, id).await?;
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(state.store.update_day(&actor, day.id, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?))
}

/// Removes a day without attendance (organisers; `error-day-has-attendance` on `day` otherwise).
#[utoipa::path(delete, path = "/days/{id}", tag = "days", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn delete_day(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    let (day, _, actor) = managed_day(&state, &user, id).await?;
    state.store.delete_day(&actor, day.id).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- agenda

/// A day's agenda in time order. Groups and their members come only to organisers of the
/// programme, facilitators and the session's delegates.
#[utoipa::path(get, path = "/days/{id}/parts", tag = "days", params(("id" = i64, Path)),
    responses((status = 200, body = [AgendaPart]), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn list_parts(
    State(state): State<AppState>,
    user: Option<ApiUser>,
    ApiId(id): ApiId,
) -> Result<Json<Vec<AgendaPart>>, ApiError> {
    let (day, cohort) = day_and_session(&state, id).await?;
    let insider = match &user {
        Some(user) => !matches!(Standing::of(&state, &user.0, &cohort).await?, Standing::Other),
        None => false,
    };
    let mut groups = if insider { Some(state.store.groups_of_day(day.id).await?) } else { None };
    let agenda = state
        .store
        .parts_of(day.id)
        .await?
        .into_iter()
        .map(|part| {
            let groups = groups.as_mut().map(|g| g.remove(&part.id).unwrap_or_default());
            AgendaPart { part, groups }
        })
        .collect();
    Ok(Json(agenda))
}

/// Adds a part to a day's agenda (organisers). A room holds one part at a time
/// (`error-room-taken` on `room`).
#[utoipa::path(post, path = "/days/{id}/parts", tag = "days", params(("id" = i64, Path)),
    request_body = DayPartForm, security(("bearer" = [])),
    responses((status = 201, body = DayPart), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_part(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<DayPartForm>,
) -> Result<(StatusCode, Json<DayPart>), ApiError> {
    let (day, _, actor) = managed_day(&state, &user, id).await?;
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let part = state
        .store
        .save_part(&actor, day.id, None, &input)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(part)))
}

/// Replaces a part of a day's agenda (organisers); a new format or group size clears its
/// groups.
#[utoipa::path(put, path = "/days/{id}/parts/{part}", tag = "days",
    params(("id" = i64, Path), ("part" = i64, Path)), request_body = DayPartForm, security(("bearer" = [])),
    responses((status = 200, body = DayPart), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_part(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiIds(id, part_id): ApiIds,
    ApiJson(body): ApiJson<DayPartForm>,
) -> Result<Json<DayPart>, ApiError> {
    let (day, _, actor) = managed_day(&state, &user, id).await?;
    let input = body.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let part = state
        .store
        .save_part(&actor, day.id, Some(part_id), &input)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(Json(part))
}

/// Removes a part and its groups (organisers).
#[utoipa::path(delete, path = "/days/{id}/parts/{part}", tag = "days",
    params(("id" = i64, Path), ("part" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn delete_part(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id, part_id): ApiIds,
) -> Result<StatusCode, ApiError> {
    let (day, _, actor) = managed_day(&state, &user, id).await?;
    state.store.delete_part(&actor, day.id, part_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Generates a part's groups from the session's delegations by the part's format, replacing
/// any earlier ones (organisers).
#[utoipa::path(post, path = "/days/{id}/parts/{part}/groups", tag = "days",
    params(("id" = i64, Path), ("part" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [PartGroup]), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn generate_groups(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiIds(id, part_id): ApiIds,
) -> Result<Json<Vec<PartGroup>>, ApiError> {
    let (day, cohort, actor) = managed_day(&state, &user, id).await?;
    let part = state
        .store
        .parts_of(day.id)
        .await?
        .into_iter()
        .find(|p| p.id == part_id)
        .ok_or(ApiError::NotFound)?;
    let delegates = state.store.day_delegates(cohort.id).await?;
    let programme = state.store.programme(cohort.programme_id).await?;
    let groups = crate::days::roster_for(&ctx, &part, &delegates, &programme.categories)
        .map_err(|e| ApiError::invalid(&ctx, e))?;
    let saved = state
        .store
        .set_groups(&actor, day.id, part.id, &groups)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(Json(saved))
}

/// Moves a delegate to another group of the part (organisers).
#[utoipa::path(post, path = "/days/{id}/parts/{part}/moves", tag = "days",
    params(("id" = i64, Path), ("part" = i64, Path)), request_body = GroupMoveBody, security(("bearer" = [])),
    responses((status = 200, body = [PartGroup]), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn move_to_group(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiIds(id, part_id): ApiIds,
    ApiJson(body): ApiJson<GroupMoveBody>,
) -> Result<Json<Vec<PartGroup>>, ApiError> {
    let (day, _, actor) = managed_day(&state, &user, id).await?;
    let groups = state
        .store
        .move_to_group(&actor, day.id, part_id, body.delegate_id, body.group_id)
        .await
        .map_err(|e| store_error(&ctx, e, &[("delegate", "delegate_id"), ("group", "group_id")]))?;
    Ok(Json(groups))
}

// ---------------------------------------------------------------- date polls

/// A day's date poll: organisers see every answer, a delegate of the session their own.
#[utoipa::path(get, path = "/days/{id}/poll", tag = "days", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = PollJson), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_poll(
    State(state): State<AppState>,
    user: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<PollJson>, ApiError> {
    let (day, cohort) = day_and_session(&state, id).await?;
    let standing = Standing::of(&state, &user.0, &cohort).await?;
    let poll = state.store.poll(day.id).await?.ok_or(ApiError::NotFound)?;
    match standing {
        Standing::Manager => Ok(Json(PollJson::new(poll, |_| true))),
        Standing::Delegate(seat) => Ok(Json(PollJson::new(poll, |v| v.delegate_id == seat))),
        Standing::Facilitator | Standing::Other => Err(ApiError::Forbidden),
    }
}

/// Opens a date poll for a day to be set, on candidate dates within its month (organisers).
#[utoipa::path(post, path = "/days/{id}/poll", tag = "days", params(("id" = i64, Path)),
    request_body = PollDatesBody, security(("bearer" = [])),
    responses((status = 201, body = PollJson), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn open_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<PollDatesBody>,
) -> Result<(StatusCode, Json<PollJson>), ApiError> {
    let (day, _, actor) = managed_day(&state, &user, id).await?;
    let dates = parse_poll_dates(&body.dates, day.date.month()).map_err(|i| refused(&ctx, "dates", i))?;
    let poll =
        state.store.open_poll(&actor, day.id, &dates).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(PollJson::new(poll, |_| true))))
}

/// Answers a day's poll for the caller's own seat (delegates of the session), while it is
/// open (`error-poll-closed` on `answers` after).
#[utoipa::path(post, path = "/days/{id}/poll/answers", tag = "days", params(("id" = i64, Path)),
    request_body = PollAnswersBody, security(("bearer" = [])),
    responses((status = 200, body = PollJson), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn answer_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<PollAnswersBody>,
) -> Result<Json<PollJson>, ApiError> {
    let (day, cohort) = day_and_session(&state, id).await?;
    let seat = state.store.seat_of_user(cohort.id, user.0.id).await?.ok_or(ApiError::Forbidden)?;
    let answers = body
        .answers
        .iter()
        .map(|a| Ok((a.option_id, PollAnswer::parse(&a.answer)?)))
        .collect::<Result<Vec<_>, Invalid>>()
        .map_err(|i| refused(&ctx, "answers", i))?;
    let poll = state
        .store
        .answer_poll(&Actor::user(&user.0), day.id, seat, &answers)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(Json(PollJson::new(poll, |v| v.delegate_id == seat)))
}

/// Closes a day's poll on one of its dates: the day takes that date and every delegate with
/// an e-mail address is told (organisers).
#[utoipa::path(post, path = "/days/{id}/poll/close", tag = "days", params(("id" = i64, Path)),
    request_body = ClosePollBody, security(("bearer" = [])),
    responses((status = 200, body = Day), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn close_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<ClosePollBody>,
) -> Result<Json<Day>, ApiError> {
    let (day, cohort, actor) = managed_day(&state, &user, id).await?;
    let poll = state.store.poll(day.id).await?.ok_or(ApiError::NotFound)?;
    // An unknown option is refused by the store, which then sends nothing.
    let messages = match poll.options.iter().find(|o| o.id == body.option_id) {
        Some(option) => crate::days::date_set_messages(&state, &cohort, &day, option.proposed_on).await?,
        None => Vec::new(),
    };
    let set = state
        .store
        .close_poll(&actor, day.id, body.option_id, &messages)
        .await
        .map_err(|e| store_error(&ctx, e, &[("option", "option_id")]))?;
    Ok(Json(set))
}

// ---------------------------------------------------------------- registration and attendance

/// Records whether a delegate comes to a day: the delegate themselves or an organiser of the
/// programme.
#[utoipa::path(put, path = "/days/{id}/registrations/{delegate}", tag = "days",
    params(("id" = i64, Path), ("delegate" = i64, Path)), request_body = RegistrationBody, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiIds(id, delegate_id): ApiIds,
    ApiJson(body): ApiJson<RegistrationBody>,
) -> Result<StatusCode, ApiError> {
    let (day, cohort) = day_and_session(&state, id).await?;
    match Standing::of(&state, &user.0, &cohort).await? {
        Standing::Manager => {}
        Standing::Delegate(seat) if seat == delegate_id => {}
        _ => return Err(ApiError::Forbidden),
    }
    let answer = Registration::parse(&body.answer).map_err(|i| refused(&ctx, "answer", i))?;
    state
        .store
        .register(&Actor::user(&user.0), day.id, delegate_id, answer)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A day's records (registration, attendance, stand-in): every delegate's for organisers of
/// the programme and facilitators, their own for a delegate.
#[utoipa::path(get, path = "/days/{id}/attendance", tag = "days", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = [AttendanceRecord]), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn list_attendance(
    State(state): State<AppState>,
    user: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<Vec<AttendanceRecord>>, ApiError> {
    let (day, cohort) = day_and_session(&state, id).await?;
    let standing = Standing::of(&state, &user.0, &cohort).await?;
    let mine = match standing {
        Standing::Manager | Standing::Facilitator => None,
        Standing::Delegate(seat) => Some(seat),
        Standing::Other => return Err(ApiError::Forbidden),
    };
    let mut records: Vec<AttendanceRecord> = state
        .store
        .attendance_of(cohort.id)
        .await?
        .into_iter()
        .filter(|((day_id, delegate_id), _)| {
            *day_id == day.id && mine.is_none_or(|seat| seat == *delegate_id)
        })
        .map(|(_, record)| record)
        .collect();
    records.sort_by_key(|r| r.delegate_id);
    Ok(Json(records))
}

/// Records a delegate's attendance on a set day: organisers of the programme and facilitators
/// record anyone; a delegate only checks themselves in as present.
#[utoipa::path(put, path = "/days/{id}/attendance/{delegate}", tag = "days",
    params(("id" = i64, Path), ("delegate" = i64, Path)), request_body = AttendanceBody, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiIds(id, delegate_id): ApiIds,
    ApiJson(body): ApiJson<AttendanceBody>,
) -> Result<StatusCode, ApiError> {
    // The store checks the day itself (its date, the seat, a stand-in) in the write.
    let cohort = state.store.cohort_of_day(id).await?;
    let standing = Standing::of(&state, &user.0, &cohort).await?;
    let status = AttendanceStatus::parse(&body.status).map_err(|i| refused(&ctx, "status", i))?;
    let self_checked = match standing {
        s if s.runs_days() => false,
        Standing::Delegate(seat) if seat == delegate_id && status == AttendanceStatus::Present => true,
        _ => return Err(ApiError::Forbidden),
    };
    state
        .store
        .record_attendance(&Actor::user(&user.0), id, delegate_id, status, self_checked)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records someone who came in a delegate's place; the delegate is then absent unless
/// excused, never present (organisers of the programme and facilitators).
#[utoipa::path(post, path = "/days/{id}/stand-ins", tag = "days", params(("id" = i64, Path)),
    request_body = StandInBody, security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_stand_in(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<StandInBody>,
) -> Result<StatusCode, ApiError> {
    let (day, cohort) = day_and_session(&state, id).await?;
    if !Standing::of(&state, &user.0, &cohort).await?.runs_days() {
        return Err(ApiError::Forbidden);
    }
    let name = Name::parse(&body.full_name).map_err(|i| refused(&ctx, "full_name", i))?;
    state
        .store
        .record_stand_in(&Actor::user(&user.0), day.id, body.delegate_id, &name)
        .await
        .map_err(|e| store_error(&ctx, e, &[("delegate", "delegate_id")]))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Regularity of a session over its held days (set, on or before today in Paris): shares of
/// presence per delegate, territory, category and day; stand-ins never count (organisers of
/// the programme and facilitators).
#[utoipa::path(get, path = "/sessions/{id}/regularity", tag = "days", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Regularity), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn get_regularity(
    State(state): State<AppState>,
    user: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<Regularity>, ApiError> {
    let cohort = state.store.cohort(id).await?;
    if !Standing::of(&state, &user.0, &cohort).await?.runs_days() {
        return Err(ApiError::Forbidden);
    }
    let today = today_in_paris();
    let held: Vec<Id> = state
        .store
        .days_of(cohort.id)
        .await?
        .iter()
        .filter(|d| d.date.date().is_some_and(|date| date <= today))
        .map(|d| d.id)
        .collect();
    let delegates = state.store.day_delegates(cohort.id).await?;
    let records = state.store.attendance_of(cohort.id).await?;
    Ok(Json(regularity(&held, &delegates, &records)))
}
