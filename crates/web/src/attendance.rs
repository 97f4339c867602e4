//! Attendance as evidence: the report of a session (CSV streamed page by page, XLSX), the
//! report of every session for the instance's managers (streamed, so that its memory stays
//! flat whatever the number of sessions), and the PDF documents: a day's sign-in sheet, the
//! session's report and each person's certificate.

use crate::auth::{require_manager, require_user};
use crate::days::{DayPath, access};
use crate::error::{AppError, PageResult};
use crate::{AppState, Ctx};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use domain::{AttendanceLine, AttendanceStatus, Cohort, Id};
use export::Cell;

/// Lines read from the database per page of a streamed report.
const PAGE: i64 = 2_000;

pub(crate) fn routes() -> Router<AppState> {
    const S: &str = "/programmes/{slug}/sessions/{cslug}";
    Router::new()
        .route(&format!("{S}/attendance.csv"), get(session_report_csv))
        .route(&format!("{S}/attendance.xlsx"), get(session_report_xlsx))
        .route("/attendance.csv", get(instance_report_csv))
        .route(&format!("{S}/attendance.pdf"), get(session_report_pdf))
        .route(&format!("{S}/days/{{day}}/sign-in-sheet.pdf"), get(sign_in_sheet_pdf))
        .route(&format!("{S}/delegates/{{delegate}}/certificate.pdf"), get(certificate_pdf))
}

/// The words a report is written with, prepared once so that the stream owns them.
#[derive(Clone)]
struct Words {
    headers: Vec<String>,
    present: String,
    excused: String,
    absent: String,
    unrecorded: String,
    english: bool,
}

impl Words {
    fn new(ctx: &Ctx) -> Self {
        let headers = [
            "attendance-col-programme",
            "attendance-col-session",
            "attendance-col-date",
            "attendance-col-territory",
            "attendance-col-person",
            "attendance-col-category",
            "attendance-col-status",
            "attendance-col-stand-in",
        ]
        .iter()
        .map(|id| ctx.t(id))
        .collect();
        Self {
            headers,
            present: ctx.t(AttendanceStatus::Present.message_id()),
            excused: ctx.t(AttendanceStatus::Excused.message_id()),
            absent: ctx.t(AttendanceStatus::Absent.message_id()),
            unrecorded: ctx.t("days-attendance-unrecorded"),
            english: ctx.pick("fr", "en") == "en",
        }
    }

    fn row(&self, line: &AttendanceLine) -> Vec<Cell> {
        let status = match line.status {
            Some(AttendanceStatus::Present) => &self.present,
            Some(AttendanceStatus::Excused) => &self.excused,
            Some(AttendanceStatus::Absent) => &self.absent,
            None => &self.unrecorded,
        };
        vec![
            Cell::from(line.programme.as_str()),
            Cell::from(line.session.as_str()),
            Cell::from(line.held_on.iso()),
            Cell::from(line.territory.as_str()),
            Cell::from(line.person.as_str()),
            Cell::from(if self.english { line.category_en.as_str() } else { line.category_fr.as_str() }),
            Cell::from(status.as_str()),
            Cell::from(line.stand_in.clone().unwrap_or_default()),
        ]
    }
}

/// A CSV report streamed page by page: the header, then [`PAGE`] lines at a time read by
/// keyset from the database, so that memory does not grow with the report.
fn stream_csv(state: &AppState, ctx: &Ctx, cohort: Option<Id>, stem: &str) -> axum::response::Response {
    let store = state.store.clone();
    let words = Words::new(ctx);
    // (the last line's key, whether the header is written, whether the report is finished)
    let start = ((0, 0), false, false);
    let stream = futures_util::stream::try_unfold(start, move |(after, started, done)| {
        let store = store.clone();
        let words = words.clone();
        async move {
            if done {
                return Ok::<_, anyhow::Error>(None);
            }
            let lines =
                store.attendance_report_page(cohort, after, PAGE).await.map_err(anyhow::Error::from)?;
            let rows: Vec<Vec<Cell>> = lines.iter().map(|l| words.row(l)).collect();
            let headers = (!started).then_some(words.headers.as_slice());
            let bytes = export::csv_lines(headers, &rows)?;
            let next = lines.last().map_or(after, |l| (l.day_id, l.delegate_id));
            let finished = (lines.len() as i64) < PAGE;
            Ok(Some((axum::body::Bytes::from(bytes), (next, true, finished))))
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}.csv\"")),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// The session, if the user may read its attendance (managers of its programme and
/// facilitators).
async fn readable_session(state: &AppState, ctx: &Ctx, p: &DayPath) -> Result<Cohort, AppError> {
    let cohort = state.store.cohort_by_slugs(p.slug(), p.cslug()).await?;
    require_user(ctx)?;
    if !access(state, ctx.user.as_ref(), &cohort).await?.takes_attendance {
        return Err(AppError::Forbidden);
    }
    Ok(cohort)
}

async fn session_report_csv(State(state): State<AppState>, ctx: Ctx, Path(p): Path<DayPath>) -> PageResult {
    let cohort = readable_session(&state, &ctx, &p).await?;
    let stem = format!("{}-{}", ctx.t("attendance-file"), cohort.slug.as_str());
    Ok(stream_csv(&state, &ctx, Some(cohort.id), &stem))
}

async fn instance_report_csv(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    require_manager(&ctx)?;
    Ok(stream_csv(&state, &ctx, None, &ctx.t("attendance-file")))
}

async fn session_report_xlsx(State(state): State<AppState>, ctx: Ctx, Path(p): Path<DayPath>) -> PageResult {
    let cohort = readable_session(&state, &ctx, &p).await?;
    let words = Words::new(&ctx);
    let mut rows = Vec::new();
    let mut after = (0, 0);
    loop {
        let lines = state.store.attendance_report_page(Some(cohort.id), after, PAGE).await?;
        rows.extend(lines.iter().map(|l| words.row(l)));
        match lines.last() {
            Some(last) if lines.len() as i64 == PAGE => after = (last.day_id, last.delegate_id),
            _ => break,
        }
    }
    let table = export::Table { title: ctx.t("days-report"), headers: words.headers, rows };
    let stem = format!("{}-{}", ctx.t("attendance-file"), cohort.slug.as_str());
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}.xlsx\"")),
        ],
        table.to_xlsx()?,
    )
        .into_response())
}

// ---------------------------------------------------------------- PDF documents

/// Renders a PDF off the async workers (typesetting is CPU work) and answers it inline.
async fn pdf_response(
    stem: String,
    render: impl FnOnce() -> Result<Vec<u8>, pdf::PdfError> + Send + 'static,
) -> PageResult {
    let bytes = tokio::task::spawn_blocking(render)
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("rendering a PDF")))?
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("rendering a PDF")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{stem}.pdf\"")),
        ],
        bytes,
    )
        .into_response())
}

fn lang(ctx: &Ctx) -> String {
    ctx.pick("fr", "en").to_owned()
}

fn place_text(ctx: &Ctx, day: &domain::Day) -> String {
    day.place.clone().unwrap_or_else(|| ctx.t("days-venue-undecided"))
}

async fn sign_in_sheet_pdf(State(state): State<AppState>, ctx: Ctx, Path(p): Path<DayPath>) -> PageResult {
    let cohort = readable_session(&state, &ctx, &p).await?;
    let day = state.store.day(p.day_id()?).await?;
    if day.cohort_id != cohort.id {
        return Err(AppError::NotFound);
    }
    let Some(date) = day.date.date() else { return Err(AppError::BadRequest("error-day-not-set")) };
    let overview = state.store.cohort_overview(cohort.id).await?;
    let categories = &overview.programme.categories;
    let people = state
        .store
        .day_delegates(cohort.id)
        .await?
        .iter()
        .map(|d| pdf::SignInRow {
            territory: d.territory.clone(),
            name: d.full_name.clone(),
            category: crate::days::category_label(&ctx, categories, d.category_id),
        })
        .collect();
    let sheet = pdf::SignInSheet {
        lang: lang(&ctx),
        title: ctx.t("pdf-sign-in-title"),
        programme: overview.programme.name.as_str().to_owned(),
        session: cohort.name.as_str().to_owned(),
        date: ctx.date(date),
        venue: place_text(&ctx, &day),
        people,
        blank_rows: 4,
        empty: ctx.t("days-no-delegates"),
        labels: pdf::SignInSheetLabels {
            session: ctx.t("pdf-session"),
            date: ctx.t("pdf-date"),
            venue: ctx.t("days-field-venue"),
            territory: ctx.t("attendance-col-territory"),
            person: ctx.t("attendance-col-person"),
            category: ctx.t("attendance-col-category"),
            signature: ctx.t("pdf-signature"),
            page: ctx.t("pdf-page"),
        },
    };
    let stem = format!("{}-{}", ctx.t("pdf-sign-in-file"), date.iso());
    pdf_response(stem, move || pdf::sign_in_sheet(&sheet)).await
}

/// A person's mark for a day: P, E, A, or R (name) when someone stood in.
fn mark(ctx: &Ctx, record: Option<&domain::AttendanceRecord>) -> String {
    let status = record.and_then(|r| r.status);
    let base = match status {
        Some(AttendanceStatus::Present) => ctx.t("pdf-mark-present"),
        Some(AttendanceStatus::Excused) => ctx.t("pdf-mark-excused"),
        Some(AttendanceStatus::Absent) => ctx.t("pdf-mark-absent"),
        None => String::new(),
    };
    match record.and_then(|r| r.stand_in.as_deref()) {
        Some(name) => format!("{base} · {} ({name})", ctx.t("pdf-mark-stand-in")),
        None => base,
    }
}

async fn session_report_pdf(State(state): State<AppState>, ctx: Ctx, Path(p): Path<DayPath>) -> PageResult {
    let cohort = readable_session(&state, &ctx, &p).await?;
    let overview = state.store.cohort_overview(cohort.id).await?;
    let categories = &overview.programme.categories;
    let days: Vec<domain::Day> =
        state.store.days_of(cohort.id).await?.into_iter().filter(|d| d.is_set()).collect();
    let delegates = state.store.day_delegates(cohort.id).await?;
    let records = state.store.attendance_of(cohort.id).await?;
    let regularity = domain::regularity(&crate::days::held_days(&days), &delegates, &records);
    let percent = |share: Option<&domain::Share>| {
        share.and_then(|s| s.percent()).map_or_else(|| "—".to_owned(), |p| format!("{p} %"))
    };
    let report_days = days
        .iter()
        .map(|d| pdf::ReportDay {
            label: ctx.t_args("pdf-day-label", &[("number", d.number.to_string())]),
            date: d.date.date().map(|x| ctx.date(x)).unwrap_or_default(),
            venue: place_text(&ctx, d),
        })
        .collect();
    let people = delegates
        .iter()
        .map(|d| pdf::ReportRow {
            territory: d.territory.clone(),
            name: d.full_name.clone(),
            category: crate::days::category_label(&ctx, categories, d.category_id),
            marks: days.iter().map(|day| mark(&ctx, records.get(&(day.id, d.delegate_id)))).collect(),
            rate: percent(regularity.by_delegate.get(&d.delegate_id)),
        })
        .collect();
    let mut territories: Vec<pdf::SummaryRow> = Vec::new();
    for d in &delegates {
        if !territories.iter().any(|t| t.name == d.territory) {
            territories.push(pdf::SummaryRow {
                name: d.territory.clone(),
                value: percent(regularity.by_territory.get(&d.territory_id)),
            });
        }
    }
    let by_category = categories
        .iter()
        .map(|c| pdf::SummaryRow {
            name: ctx.pick(&c.label_fr, &c.label_en).to_owned(),
            value: percent(regularity.by_category.get(&c.id)),
        })
        .collect();
    let legend = [
        ("pdf-mark-present", AttendanceStatus::Present.message_id()),
        ("pdf-mark-excused", AttendanceStatus::Excused.message_id()),
        ("pdf-mark-absent", AttendanceStatus::Absent.message_id()),
        ("pdf-mark-stand-in", "pdf-stand-in-meaning"),
    ]
    .iter()
    .map(|(mark, meaning)| pdf::LegendEntry { mark: ctx.t(mark), meaning: ctx.t(meaning) })
    .collect();
    let organiser = ctx.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default();
    let report = pdf::AttendanceReport {
        lang: lang(&ctx),
        title: ctx.t("days-report"),
        programme: overview.programme.name.as_str().to_owned(),
        session: cohort.name.as_str().to_owned(),
        period: crate::cohorts::period_text(&ctx, &cohort),
        organiser,
        generated_on: ctx.instant(jiff::Timestamp::now()),
        days: report_days,
        people,
        legend,
        summaries: vec![
            pdf::Summary { title: ctx.t("days-by-territory"), rows: territories },
            pdf::Summary { title: ctx.t("days-by-category"), rows: by_category },
        ],
        statement: ctx.t_args(
            "pdf-report-statement",
            &[("days", regularity.held_days.to_string()), ("standins", regularity.stand_ins.to_string())],
        ),
        labels: pdf::AttendanceReportLabels {
            programme: ctx.t("attendance-col-programme"),
            session: ctx.t("pdf-session"),
            period: ctx.t("pdf-period"),
            organiser: ctx.t("pdf-organiser"),
            generated_on: ctx.t("pdf-generated-on"),
            days: ctx.t("days-title"),
            attendance: ctx.t("days-attendance"),
            legend: ctx.t("pdf-legend"),
            date: ctx.t("pdf-date"),
            venue: ctx.t("days-field-venue"),
            territory: ctx.t("attendance-col-territory"),
            person: ctx.t("attendance-col-person"),
            category: ctx.t("attendance-col-category"),
            rate: ctx.t("days-col-share"),
            signature: ctx.t("pdf-signature"),
            page: ctx.t("pdf-page"),
        },
    };
    let stem = format!("{}-{}", ctx.t("attendance-file"), cohort.slug.as_str());
    pdf_response(stem, move || pdf::attendance_report(&report)).await
}

async fn certificate_pdf(State(state): State<AppState>, ctx: Ctx, Path(p): Path<DayPath>) -> PageResult {
    let cohort = state.store.cohort_by_slugs(p.slug(), p.cslug()).await?;
    require_user(&ctx)?;
    let delegate_id = p.delegate_id()?;
    let rights = access(&state, ctx.user.as_ref(), &cohort).await?;
    if !rights.takes_attendance && rights.seat != Some(delegate_id) {
        return Err(AppError::Forbidden);
    }
    let overview = state.store.cohort_overview(cohort.id).await?;
    let delegate = state
        .store
        .day_delegates(cohort.id)
        .await?
        .into_iter()
        .find(|d| d.delegate_id == delegate_id)
        .ok_or(AppError::NotFound)?;
    let records = state.store.attendance_of(cohort.id).await?;
    let days: Vec<pdf::CertificateDay> = state
        .store
        .days_of(cohort.id)
        .await?
        .iter()
        .filter(|d| {
            records.get(&(d.id, delegate_id)).and_then(|r| r.status) == Some(AttendanceStatus::Present)
        })
        .filter_map(|d| {
            d.date.date().map(|date| pdf::CertificateDay { date: ctx.date(date), venue: place_text(&ctx, d) })
        })
        .collect();
    let signatory = ctx.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default();
    let certificate = pdf::Certificate {
        lang: lang(&ctx),
        title: ctx.t("pdf-certificate-title"),
        organiser: overview.programme.name.as_str().to_owned(),
        statement: ctx.t_args(
            "pdf-certificate-statement",
            &[("name", delegate.full_name.clone()), ("count", days.len().to_string())],
        ),
        person: delegate.full_name.clone(),
        territory: delegate.territory.clone(),
        category: crate::days::category_label(&ctx, &overview.programme.categories, delegate.category_id),
        programme: overview.programme.name.as_str().to_owned(),
        session: cohort.name.as_str().to_owned(),
        days,
        issued: ctx.t_args("pdf-issued", &[("date", ctx.date(crate::recruitment::today_in_paris()))]),
        signatory,
        signatory_role: ctx.t("pdf-signatory-role"),
        labels: pdf::CertificateLabels {
            person: ctx.t("attendance-col-person"),
            territory: ctx.t("attendance-col-territory"),
            category: ctx.t("attendance-col-category"),
            programme: ctx.t("attendance-col-programme"),
            session: ctx.t("pdf-session"),
            days: ctx.t("pdf-days-attended"),
            date: ctx.t("pdf-date"),
            venue: ctx.t("days-field-venue"),
            page: ctx.t("pdf-page"),
        },
    };
    let stem = format!(
        "{}-{}",
        ctx.t("pdf-certificate-file"),
        domain::sort_key(&delegate.full_name).replace(' ', "-")
    );
    pdf_response(stem, move || pdf::certificate(&certificate)).await
}
