//! Workshops, projects, committee decisions and roadmaps over the API. The public reads
//! published roadmaps; signed-in callers read workshops and projects; organisers create
//! projects; a project's carriers and shaper move it; the committee's members record decisions
//! in their meetings.

use super::{ApiError, ApiId, ApiJson, ApiUser, Problem};
use crate::{AppState, Ctx};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::{
    Carrier, CarrierKind, CommitteeRule, DecisionForm, DecisionRecord, Origin, PartnerRole, Project,
    ProjectForm, RoadmapDecision, RoadmapDoc, RoadmapLine, RoadmapPhaseLine, RoadmapVersion, RuleKind, Stage,
    StageForm, StageMove, Vote, Workshop,
};
use serde::Serialize;
use store::Actor;
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(list_workshops, list_projects, create_project, get_project, move_project, decide, get_roadmap),
    components(schemas(
        Workshop,
        CommitteeRule,
        RuleKind,
        Project,
        Origin,
        Carrier,
        CarrierKind,
        PartnerRole,
        Stage,
        StageMove,
        ProjectForm,
        StageForm,
        ProjectJson,
        DecisionForm,
        DecisionRecord,
        Vote,
        RoadmapJson,
        RoadmapVersion,
        RoadmapDoc,
        RoadmapLine,
        RoadmapDecision,
        RoadmapPhaseLine
    ))
)]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/workshops", get(list_workshops))
        .route("/workshops/{slug}/projects", get(list_projects).post(create_project))
        .route("/projects/{id}", get(get_project))
        .route("/projects/{id}/move", post(move_project))
        .route("/meetings/{id}/decisions", post(decide))
        .route("/workshops/{slug}/roadmap/{version}", get(get_roadmap))
}

/// Workshops: every one for signed-in callers, those with a published roadmap for the public.
#[utoipa::path(get, path = "/workshops", tag = "workshops", responses((status = 200, body = [Workshop])))]
async fn list_workshops(
    State(state): State<AppState>,
    user: Option<ApiUser>,
) -> Result<Json<Vec<Workshop>>, ApiError> {
    let mut all = state.store.workshops().await?;
    if user.is_none() {
        all.retain(|w| w.roadmap_version > 0);
    }
    Ok(Json(all))
}

/// A workshop's projects (signed-in callers).
#[utoipa::path(get, path = "/workshops/{slug}/projects", tag = "workshops", params(("slug" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = [Project]), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn list_projects(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Vec<Project>>, ApiError> {
    let w = state.store.workshop_by_slug(&slug).await?;
    Ok(Json(state.store.projects_of(w.id).await?))
}

/// Creates a project at the idea stage from a production, a contribution or an idea
/// (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/projects", tag = "workshops", params(("slug" = String, Path)),
    request_body = ProjectForm, security(("bearer" = [])),
    responses((status = 201, body = Project), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_project(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ProjectForm>,
) -> Result<(StatusCode, Json<Project>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = state.store.workshop_by_slug(&slug).await?;
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let project =
        state.store.create_project(&actor, w.id, &input).await.map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(project)))
}

/// A project with the moves it went through.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProjectJson {
    /// The project.
    project: Project,
    /// Its moves, oldest first.
    moves: Vec<StageMove>,
}

/// One project and its moves (signed-in callers).
#[utoipa::path(get, path = "/projects/{id}", tag = "workshops", params(("id" = i64, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = ProjectJson), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_project(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ProjectJson>, ApiError> {
    let project = state.store.project(id).await?;
    let moves = state.store.project_moves(id).await?;
    Ok(Json(ProjectJson { project, moves }))
}

/// Moves a project by hand (organisers, its carriers, its shaper); the committee's stages are
/// refused here.
#[utoipa::path(post, path = "/projects/{id}/move", tag = "workshops", params(("id" = i64, Path)),
    request_body = StageForm, security(("bearer" = [])),
    responses((status = 200, body = Project), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn move_project(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<StageForm>,
) -> Result<Json<Project>, ApiError> {
    let project = state.store.project(id).await?;
    let roles = state.store.project_roles(&project, user.0.id).await?;
    if !(user.0.role.manages() || roles.carrier || roles.shaper) {
        return Err(ApiError::Forbidden);
    }
    let (to, reason) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let moved = state
        .store
        .move_project(&Actor::user(&user.0), id, to, &reason)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok(Json(moved))
}

/// Records a decision on a project of the meeting's agenda under the committee's rule
/// (members of the committee, organisers). The members present are the meeting's attendance.
#[utoipa::path(post, path = "/meetings/{id}/decisions", tag = "workshops", params(("id" = i64, Path)),
    request_body = DecisionForm, security(("bearer" = [])),
    responses((status = 201, body = DecisionRecord), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<DecisionForm>,
) -> Result<(StatusCode, Json<DecisionRecord>), ApiError> {
    let meeting = state.store.meeting(id).await?;
    if !(user.0.role.manages() || state.store.sits_on_committee(meeting.workshop_id, user.0.id).await?) {
        return Err(ApiError::Forbidden);
    }
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let record = state
        .store
        .record_decision(&Actor::user(&user.0), id, &input)
        .await
        .map_err(|e| ApiError::from_store(&ctx, e))?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// A published roadmap: its version and its content as published.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RoadmapJson {
    /// The version.
    version: RoadmapVersion,
    /// Its content.
    roadmap: RoadmapDoc,
}

/// A published version of a workshop's roadmap (public).
#[utoipa::path(get, path = "/workshops/{slug}/roadmap/{version}", tag = "workshops",
    params(("slug" = String, Path), ("version" = i64, Path)),
    responses((status = 200, body = RoadmapJson), (status = 404, body = Problem)))]
async fn get_roadmap(
    State(state): State<AppState>,
    Path((slug, version)): Path<(String, String)>,
) -> Result<Json<RoadmapJson>, ApiError> {
    let (_, version, roadmap) =
        crate::workshops::published(&state, &slug, &version).await.map_err(|e| match e {
            crate::AppError::NotFound => ApiError::NotFound,
            crate::AppError::Internal(e) => ApiError::Internal(e),
            _ => ApiError::NotFound,
        })?;
    Ok(Json(RoadmapJson { version, roadmap }))
}
