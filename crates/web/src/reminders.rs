//! Reminders of workshop days: a few days before a day (`cohorts.reminder_days`, 7 by
//! default), each delegate who has not excused themselves receives an e-mail with the day's
//! iCalendar invitation attached.
//!
//! The job runs inside every instance of the binary; a lease in the database lets one instance
//! at a time do the work, and the store claims each (day, delegate, date) once, so that a
//! reminder is enqueued exactly once even when two instances overlap.

use crate::i18n::Lang;
use crate::{AppState, Ctx};
use anyhow::Context as _;
use domain::{CalendarDate, Cohort, Day, Email, Id, MailAttachment, OutgoingMail, Programme};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// The name of the reminders' lease in the database.
const REMINDERS_JOB: &str = "day-reminders";

/// How long a pass holds the lease: longer than a pass takes, and short enough that another
/// instance takes over soon after the holder stops.
const REMINDERS_LEASE: jiff::SignedDuration = jiff::SignedDuration::from_mins(5);

/// Why the reminders are sent, as the outbox records it.
const REMINDER_PURPOSE: &str = "day-reminder";

/// Who the invitations come from (`ORGANIZER`): the sender of the e-mails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organizer {
    /// The name calendar applications show.
    pub name: String,
    /// The address replies go to.
    pub email: String,
}

/// A session's records a reminder quotes, loaded once per pass.
struct Session {
    cohort: Cohort,
    programme: Programme,
    /// Delegate id → (name, e-mail), for the delegates who have an address.
    addresses: HashMap<Id, (String, String)>,
}

/// Enqueues the reminders that are due on `today` (a Europe/Paris date), when `owner` holds
/// the lease `day-reminders` (taken or renewed here); returns how many were enqueued, 0 when
/// another instance holds the lease. A delegate without a usable e-mail address is skipped.
pub async fn send_due_reminders(
    state: &AppState,
    owner: &str,
    today: CalendarDate,
    organizer: Option<&Organizer>,
) -> anyhow::Result<usize> {
    let store = &state.store;
    if !store
        .take_job_lease(REMINDERS_JOB, owner, REMINDERS_LEASE)
        .await
        .context("taking the reminders' lease")?
    {
        tracing::debug!(owner, "another instance holds the reminders' lease");
        return Ok(0);
    }
    let due = store
        .due_reminders(today)
        .await
        .with_context(|| format!("finding the reminders due on {}", today.iso()))?;
    let (fr, en) = contexts(state);
    let mut sessions: HashMap<Id, Session> = HashMap::new();
    let mut enqueued = 0;
    for (day, delegate) in &due {
        if let Entry::Vacant(vacant) = sessions.entry(day.cohort_id) {
            vacant.insert(load_session(state, day.cohort_id).await?);
        }
        let session = &sessions[&day.cohort_id];
        let Some((name, address)) = session.addresses.get(&delegate.delegate_id) else { continue };
        let Ok(to) = Email::parse(address) else {
            tracing::warn!(delegate = delegate.delegate_id, "unusable e-mail address, no reminder");
            continue;
        };
        let Some(mail) = reminder(state, [&fr, &en], session, day, to, name, organizer) else { continue };
        if store.enqueue_reminder(day, delegate.delegate_id, &mail).await.with_context(|| {
            format!("enqueuing the reminder of day {} to delegate {}", day.id, delegate.delegate_id)
        })? {
            enqueued += 1;
        }
    }
    Ok(enqueued)
}

async fn load_session(state: &AppState, cohort_id: Id) -> anyhow::Result<Session> {
    let cohort =
        state.store.cohort(cohort_id).await.with_context(|| format!("loading session {cohort_id}"))?;
    let programme = state
        .store
        .programme(cohort.programme_id)
        .await
        .with_context(|| format!("loading programme {}", cohort.programme_id))?;
    let addresses = state
        .store
        .delegate_emails(cohort_id)
        .await
        .with_context(|| format!("loading the addresses of the delegates of session {cohort_id}"))?
        .into_iter()
        .map(|(id, name, email)| (id, (name, email)))
        .collect();
    Ok(Session { cohort, programme, addresses })
}

/// Rendering contexts in French and in English, for a job that has no request: the messages,
/// dates and the day's event are written as the pages write them.
pub(crate) fn contexts(state: &AppState) -> (Ctx, Ctx) {
    let (parts, ()) = axum::http::Request::new(()).into_parts();
    let mut fr = Ctx::from_parts(&parts, state);
    fr.lang = Lang::Fr;
    let mut en = fr.clone();
    en.lang = Lang::En;
    (fr, en)
}

/// The reminder of a set day to one delegate, French first then English, with the invitation;
/// `None` for a day whose date is not set.
fn reminder(
    state: &AppState,
    [fr, en]: [&Ctx; 2],
    session: &Session,
    day: &Day,
    to: Email,
    name: &str,
    organizer: Option<&Organizer>,
) -> Option<OutgoingMail> {
    let date = day.date.date()?;
    let public_url = state.settings.public_url.trim_end_matches('/');
    let path = format!(
        "/programmes/{}/sessions/{}/days/{}",
        session.programme.slug.as_str(),
        session.cohort.slug.as_str(),
        day.id
    );
    let args = |ctx: &Ctx| {
        vec![
            ("session", session.cohort.name.as_str().to_owned()),
            ("date", ctx.date(date)),
            (
                "times",
                ctx.t_args(
                    "days-times",
                    &[("from", day.starts_at.to_string()), ("to", day.ends_at.to_string())],
                ),
            ),
            ("place", day.place.clone().unwrap_or_else(|| ctx.t("days-venue-undecided"))),
            ("url", format!("{public_url}{path}")),
        ]
    };
    let (fr_args, en_args) = (args(fr), args(en));
    let mut event = crate::days::day_event(fr, public_url, session.cohort.name.as_str(), &path, day)?;
    event.organizer = organizer.map(|o| (o.name.clone(), o.email.clone()));
    event.attendees = vec![(name.to_owned(), to.as_str().to_owned())];
    let calendar = export::ical::Calendar {
        name: session.cohort.name.as_str().to_owned(),
        method: export::ical::Method::Request,
        events: vec![event],
    };
    Some(OutgoingMail {
        subject: format!(
            "{} / {}",
            fr.t_args("days-mail-reminder-subject", &fr_args),
            en.t_args("days-mail-reminder-subject", &en_args)
        ),
        body: format!(
            "{}\n\n— English —\n\n{}",
            fr.t_args("days-mail-reminder-body", &fr_args),
            en.t_args("days-mail-reminder-body", &en_args)
        ),
        to,
        to_name: name.to_owned(),
        purpose: REMINDER_PURPOSE.to_owned(),
        attachment: Some(MailAttachment {
            filename: format!("journee-{}.ics", day.number),
            content_type: "text/calendar; method=REQUEST; charset=UTF-8".to_owned(),
            content: export::ical::to_ics(&calendar),
        }),
    })
}
