//! Workshops, projects, committee decisions and roadmaps over the API. The public reads
//! published roadmaps; signed-in callers read workshops and projects; organisers create
//! projects; a project's carriers and shaper move it; the committee's members record decisions
//! in their meetings.

use super::{ApiError, ApiId, ApiJson, ApiUser, Problem};
use crate::{AppState, Ctx};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use domain::{
    Carrier, CarrierForm, CarrierKind, CommitteeMember, CommitteeRule, Decision, DecisionForm,
    DecisionRecord, EntryLink, EntryRefForm, GroupForm, GroupMeeting, GroupMeetingForm, Id, Meeting,
    MeetingForm, MeetingKind, MemberForm, MemberRole, MinutesForm, Origin, PartnerForm, PartnerRole, Phase,
    PhaseForm, PlanMilestone, PlanMilestoneForm, Production, ProductionForm, ProductionKind, Project,
    ProjectForm, ReportForm, RoadmapDecision, RoadmapDoc, RoadmapForm, RoadmapLine, RoadmapPhaseLine,
    RoadmapVersion, RuleKind, Stage, StageForm, StageMove, Team, TeamForm, Vote, WorkingGroup, Workshop,
    WorkshopForm,
};
use serde::Serialize;
use store::Actor;
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_workshops,
        create_workshop,
        get_workshop,
        add_team,
        add_production,
        set_partner,
        set_report,
        list_projects,
        create_project,
        get_project,
        update_project,
        move_project,
        add_carrier,
        add_project_partner,
        add_entry,
        get_committee,
        add_member,
        create_meeting,
        get_meeting,
        add_to_agenda,
        set_minutes,
        convene,
        decide,
        get_plan,
        add_phase,
        add_milestone,
        get_groups,
        create_group,
        add_group_meeting,
        list_roadmaps,
        publish_roadmap,
        get_roadmap
    ),
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
        RoadmapPhaseLine,
        domain::BudgetSummary,
        WorkshopForm,
        WorkshopJson,
        Team,
        TeamForm,
        Production,
        ProductionForm,
        ProductionKind,
        PartnerForm,
        ReportForm,
        CarrierForm,
        EntryRefForm,
        EntryLink,
        CommitteeJson,
        CommitteeMember,
        MemberRole,
        MemberForm,
        Meeting,
        MeetingKind,
        MeetingForm,
        AgendaJson,
        MinutesForm,
        Convened,
        Phase,
        PlanMilestone,
        PhaseForm,
        PlanMilestoneForm,
        WorkingGroup,
        GroupMeeting,
        GroupForm,
        GroupMeetingForm,
        RoadmapForm,
        Decision,
        Created
    ))
)]
pub(super) struct Api;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/workshops", get(list_workshops).post(create_workshop))
        .route("/workshops/{slug}", get(get_workshop))
        .route("/workshops/{slug}/teams", post(add_team))
        .route("/workshops/{slug}/productions", post(add_production))
        .route("/workshops/{slug}/partners", post(set_partner))
        .route("/workshops/{slug}/report", put(set_report))
        .route("/workshops/{slug}/projects", get(list_projects).post(create_project))
        .route("/projects/{id}", get(get_project).put(update_project))
        .route("/projects/{id}/move", post(move_project))
        .route("/projects/{id}/carriers", post(add_carrier))
        .route("/projects/{id}/partners", post(add_project_partner))
        .route("/projects/{id}/entries", post(add_entry))
        .route("/workshops/{slug}/committee", get(get_committee).post(add_member))
        .route("/workshops/{slug}/meetings", post(create_meeting))
        .route("/meetings/{id}", get(get_meeting))
        .route("/meetings/{id}/agenda", post(add_to_agenda))
        .route("/meetings/{id}/minutes", put(set_minutes))
        .route("/meetings/{id}/convene", post(convene))
        .route("/meetings/{id}/decisions", post(decide))
        .route("/workshops/{slug}/plan", get(get_plan))
        .route("/workshops/{slug}/phases", post(add_phase))
        .route("/workshops/{slug}/milestones", post(add_milestone))
        .route("/workshops/{slug}/groups", get(get_groups).post(create_group))
        .route("/workshops/{slug}/groups/{id}/meetings", post(add_group_meeting))
        .route("/workshops/{slug}/roadmap", get(list_roadmaps).post(publish_roadmap))
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
    let actor = project_editor(&state, &user, id).await?;
    let (to, reason) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(state.store.move_project(&actor, id, to, &reason).await.map_err(store_err(&ctx))?))
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

// ---------------------------------------------------------------- helpers

/// The identifier of a record just created.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Created {
    /// Its identifier.
    id: Id,
}

async fn workshop_of(state: &AppState, slug: &str) -> Result<Workshop, ApiError> {
    Ok(state.store.workshop_by_slug(slug).await?)
}

/// The account, when it may edit the project: organisers, its carriers, its shaper.
async fn project_editor(state: &AppState, user: &ApiUser, id: Id) -> Result<Actor, ApiError> {
    let project = state.store.project(id).await?;
    let roles = state.store.project_roles(&project, user.0.id).await?;
    if user.0.role.manages() || roles.carrier || roles.shaper {
        Ok(Actor::user(&user.0))
    } else {
        Err(ApiError::Forbidden)
    }
}

fn store_err(ctx: &Ctx) -> impl Fn(store::StoreError) -> ApiError + '_ {
    move |e| ApiError::from_store(ctx, e)
}

// ---------------------------------------------------------------- workshops

/// Creates a workshop (organisers).
#[utoipa::path(post, path = "/workshops", tag = "workshops", request_body = WorkshopForm, security(("bearer" = [])),
    responses((status = 201, body = Workshop), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_workshop(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiJson(form): ApiJson<WorkshopForm>,
) -> Result<(StatusCode, Json<Workshop>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let w = state.store.create_workshop(&actor, &input).await.map_err(store_err(&ctx))?;
    Ok((StatusCode::CREATED, Json(w)))
}

/// A workshop with its teams, productions and partners.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WorkshopJson {
    /// The workshop.
    workshop: Workshop,
    /// Its teams.
    teams: Vec<Team>,
    /// Its productions.
    productions: Vec<Production>,
    /// Its partners.
    partners: Vec<PartnerRole>,
}

/// A workshop, its teams, productions and partners (signed-in callers).
#[utoipa::path(get, path = "/workshops/{slug}", tag = "workshops", params(("slug" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = WorkshopJson), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_workshop(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<WorkshopJson>, ApiError> {
    let workshop = workshop_of(&state, &slug).await?;
    let teams = state.store.teams_of(workshop.id).await?;
    let productions = state.store.productions_of(workshop.id).await?;
    let partners = state.store.workshop_partners(workshop.id).await?;
    Ok(Json(WorkshopJson { workshop, teams, productions, partners }))
}

/// Adds a team with its members (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/teams", tag = "workshops", params(("slug" = String, Path)),
    request_body = TeamForm, security(("bearer" = [])),
    responses((status = 201, body = Team), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_team(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<TeamForm>,
) -> Result<(StatusCode, Json<Team>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let (name, members) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let team = state.store.add_team(&actor, w.id, &name, &members).await.map_err(store_err(&ctx))?;
    Ok((StatusCode::CREATED, Json(team)))
}

/// Adds a production (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/productions", tag = "workshops", params(("slug" = String, Path)),
    request_body = ProductionForm, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_production(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ProductionForm>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let id = state.store.add_production(&actor, w.id, &input).await.map_err(store_err(&ctx))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Adds a partner of the workshop, or changes its role (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/partners", tag = "workshops", params(("slug" = String, Path)),
    request_body = PartnerForm, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn set_partner(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<PartnerForm>,
) -> Result<StatusCode, ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let (org, role) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    state.store.set_workshop_partner(&actor, w.id, org, &role).await.map_err(store_err(&ctx))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets the editorial text of the report for elected officials (organisers).
#[utoipa::path(put, path = "/workshops/{slug}/report", tag = "workshops", params(("slug" = String, Path)),
    request_body = ReportForm, security(("bearer" = [])),
    responses((status = 200, body = Workshop), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn set_report(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<ReportForm>,
) -> Result<Json<Workshop>, ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let (intro, conclusion) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(state.store.set_report_text(&actor, w.id, &intro, &conclusion).await.map_err(store_err(&ctx))?))
}

// ---------------------------------------------------------------- projects

/// Edits a project's description; its origin and stage stay (organisers, carriers, shaper).
#[utoipa::path(put, path = "/projects/{id}", tag = "workshops", params(("id" = i64, Path)),
    request_body = ProjectForm, security(("bearer" = [])),
    responses((status = 200, body = Project), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn update_project(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<ProjectForm>,
) -> Result<Json<Project>, ApiError> {
    let actor = project_editor(&state, &user, id).await?;
    let input = form.parse_description().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(state.store.update_project(&actor, id, &input).await.map_err(store_err(&ctx))?))
}

/// Adds a carrier, a person or an organisation (organisers, carriers, shaper).
#[utoipa::path(post, path = "/projects/{id}/carriers", tag = "workshops", params(("id" = i64, Path)),
    request_body = CarrierForm, security(("bearer" = [])),
    responses((status = 200, body = Project), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_carrier(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<CarrierForm>,
) -> Result<Json<Project>, ApiError> {
    let actor = project_editor(&state, &user, id).await?;
    let (kind, who) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(state.store.add_carrier(&actor, id, kind, who).await.map_err(store_err(&ctx))?))
}

/// Adds a partner organisation of the project, or changes its role.
#[utoipa::path(post, path = "/projects/{id}/partners", tag = "workshops", params(("id" = i64, Path)),
    request_body = PartnerForm, security(("bearer" = [])),
    responses((status = 200, body = Project), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_project_partner(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<PartnerForm>,
) -> Result<Json<Project>, ApiError> {
    let actor = project_editor(&state, &user, id).await?;
    let (org, role) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(state.store.set_project_partner(&actor, id, org, &role).await.map_err(store_err(&ctx))?))
}

/// Relates the project to a référentiel entry, named by its page's address or `programme/entry`.
#[utoipa::path(post, path = "/projects/{id}/entries", tag = "workshops", params(("id" = i64, Path)),
    request_body = EntryRefForm, security(("bearer" = [])),
    responses((status = 200, body = Project), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<EntryRefForm>,
) -> Result<Json<Project>, ApiError> {
    let actor = project_editor(&state, &user, id).await?;
    let (programme, entry) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let project = state
        .store
        .add_project_entry(&actor, id, programme.as_str(), entry.as_str())
        .await
        .map_err(store_err(&ctx))?;
    Ok(Json(project))
}

// ---------------------------------------------------------------- the committee

/// The steering committee: members, meetings and decisions.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CommitteeJson {
    /// The rule.
    rule: CommitteeRule,
    /// Members.
    members: Vec<CommitteeMember>,
    /// Meetings by date.
    meetings: Vec<Meeting>,
    /// Decisions in order.
    decisions: Vec<DecisionRecord>,
}

/// The steering committee (signed-in callers).
#[utoipa::path(get, path = "/workshops/{slug}/committee", tag = "workshops", params(("slug" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = CommitteeJson), (status = 401, body = Problem)))]
async fn get_committee(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<CommitteeJson>, ApiError> {
    let w = workshop_of(&state, &slug).await?;
    Ok(Json(CommitteeJson {
        rule: w.rule,
        members: state.store.committee_of(w.id).await?,
        meetings: state.store.meetings_of(w.id).await?,
        decisions: state.store.decisions_of(w.id).await?,
    }))
}

/// Adds a member to the committee (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/committee", tag = "workshops", params(("slug" = String, Path)),
    request_body = MemberForm, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<MemberForm>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let (person, org, role) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let id = state.store.add_member(&actor, w.id, person, org, role).await.map_err(store_err(&ctx))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Schedules a meeting of the committee (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/meetings", tag = "workshops", params(("slug" = String, Path)),
    request_body = MeetingForm, security(("bearer" = [])),
    responses((status = 201, body = Meeting), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<MeetingForm>,
) -> Result<(StatusCode, Json<Meeting>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let m = state.store.create_meeting(&actor, w.id, &input).await.map_err(store_err(&ctx))?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// A meeting with its agenda and attendance (signed-in callers).
#[utoipa::path(get, path = "/meetings/{id}", tag = "workshops", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Meeting), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_meeting(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<Meeting>, ApiError> {
    Ok(Json(state.store.meeting(id).await?))
}

/// A project to put on an agenda.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub(crate) struct AgendaJson {
    /// The project's id.
    project: Id,
}

/// Puts a project of the workshop on the meeting's agenda (organisers).
#[utoipa::path(post, path = "/meetings/{id}/agenda", tag = "workshops", params(("id" = i64, Path)),
    request_body = AgendaJson, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_to_agenda(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<AgendaJson>,
) -> Result<StatusCode, ApiError> {
    let actor = Actor::user(user.manager()?);
    state.store.add_to_agenda(&actor, id, body.project).await.map_err(store_err(&ctx))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records the minutes and the members present (organisers).
#[utoipa::path(put, path = "/meetings/{id}/minutes", tag = "workshops", params(("id" = i64, Path)),
    request_body = MinutesForm, security(("bearer" = [])),
    responses((status = 200, body = Meeting), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn set_minutes(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
    ApiJson(form): ApiJson<MinutesForm>,
) -> Result<Json<Meeting>, ApiError> {
    let actor = Actor::user(user.manager()?);
    let (minutes, present) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    Ok(Json(state.store.record_minutes(&actor, id, &minutes, &present).await.map_err(store_err(&ctx))?))
}

/// How many convocations were queued.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Convened {
    /// Messages queued in the outbox.
    queued: usize,
}

/// Sends the convocation by e-mail, with the meeting's iCalendar invitation (organisers).
#[utoipa::path(post, path = "/meetings/{id}/convene", tag = "workshops", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Convened), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn convene(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<Convened>, ApiError> {
    let actor = Actor::user(user.manager()?);
    let m = state.store.meeting(id).await?;
    let w = state.store.workshop(m.workshop_id).await?;
    let write = crate::workshops::convocation(&state, &ctx, &w, &m);
    let queued = state.store.convene(&actor, id, write).await.map_err(store_err(&ctx))?;
    Ok(Json(Convened { queued }))
}

// ---------------------------------------------------------------- plan and groups

/// The plan: phases and their milestones (signed-in callers).
#[utoipa::path(get, path = "/workshops/{slug}/plan", tag = "workshops", params(("slug" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = [Phase]), (status = 401, body = Problem)))]
async fn get_plan(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Vec<Phase>>, ApiError> {
    let w = workshop_of(&state, &slug).await?;
    Ok(Json(state.store.plan_of(w.id).await?))
}

/// Adds a phase at the end of the plan (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/phases", tag = "workshops", params(("slug" = String, Path)),
    request_body = PhaseForm, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_phase(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<PhaseForm>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let (title, starts, ends) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let id = state.store.add_phase(&actor, w.id, &title, starts, ends).await.map_err(store_err(&ctx))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Adds a milestone inside one of the plan's phases (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/milestones", tag = "workshops", params(("slug" = String, Path)),
    request_body = PlanMilestoneForm, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_milestone(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<PlanMilestoneForm>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let id = state.store.add_plan_milestone(&actor, w.id, &input).await.map_err(store_err(&ctx))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The working groups (signed-in callers).
#[utoipa::path(get, path = "/workshops/{slug}/groups", tag = "workshops", params(("slug" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = [WorkingGroup]), (status = 401, body = Problem)))]
async fn get_groups(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Vec<WorkingGroup>>, ApiError> {
    let w = workshop_of(&state, &slug).await?;
    Ok(Json(state.store.working_groups_of(w.id).await?))
}

/// Creates a working group (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/groups", tag = "workshops", params(("slug" = String, Path)),
    request_body = GroupForm, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_group(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<GroupForm>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let input = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let id = state.store.create_group(&actor, w.id, &input).await.map_err(store_err(&ctx))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Notes a working group's meeting (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/groups/{id}/meetings", tag = "workshops",
    params(("slug" = String, Path), ("id" = i64, Path)), request_body = GroupMeetingForm, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add_group_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path((slug, group)): Path<(String, String)>,
    ApiJson(form): ApiJson<GroupMeetingForm>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let group = group.parse::<Id>().map_err(|_| ApiError::NotFound)?;
    if state.store.group_workshop(group).await? != w.id {
        return Err(ApiError::NotFound);
    }
    let (date, notes) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let id = state.store.add_group_meeting(&actor, group, date, &notes).await.map_err(store_err(&ctx))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

// ---------------------------------------------------------------- roadmap

/// The published versions of a workshop's roadmap, newest first (public).
#[utoipa::path(get, path = "/workshops/{slug}/roadmap", tag = "workshops", params(("slug" = String, Path)),
    responses((status = 200, body = [RoadmapVersion]), (status = 404, body = Problem)))]
async fn list_roadmaps(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Vec<RoadmapVersion>>, ApiError> {
    let w = workshop_of(&state, &slug).await?;
    Ok(Json(state.store.roadmaps_of(w.id).await?))
}

/// Publishes the next version from the validated and launched projects (organisers).
#[utoipa::path(post, path = "/workshops/{slug}/roadmap", tag = "workshops", params(("slug" = String, Path)),
    request_body = RoadmapForm, security(("bearer" = [])),
    responses((status = 201, body = RoadmapJson), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn publish_roadmap(
    State(state): State<AppState>,
    ctx: Ctx,
    user: ApiUser,
    Path(slug): Path<String>,
    ApiJson(form): ApiJson<RoadmapForm>,
) -> Result<(StatusCode, Json<RoadmapJson>), ApiError> {
    let actor = Actor::user(user.manager()?);
    let w = workshop_of(&state, &slug).await?;
    let (title, note) = form.parse().map_err(|e| ApiError::invalid(&ctx, e))?;
    let roadmap = state.store.roadmap_content(w.id).await?;
    let value = serde_json::to_value(&roadmap).map_err(|e| ApiError::Internal(e.into()))?;
    let number =
        state.store.publish_roadmap(&actor, w.id, &title, &note, &value).await.map_err(store_err(&ctx))?;
    let (version, _) = state.store.roadmap(w.id, number).await?;
    Ok((StatusCode::CREATED, Json(RoadmapJson { version, roadmap })))
}
