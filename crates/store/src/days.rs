//! Workshop days: dates and months to be set, venues, date polls, agenda parts and their
//! groups, registrations, attendance with stand-ins, check-in links, calendar feeds and the
//! lease of background jobs.
//!
//! The rules that involve stored data are checked inside the transaction that writes, so that
//! two organisers working at once cannot both book a room or record a stand-in for a present
//! delegate.

use crate::history::Change;
use crate::row::{RowExt as _, stored};
use crate::{Actor, Store, StoreError, StoreResult, error::internal, now_text, timestamp_text};
use domain::{
    AttendanceRecord, AttendanceStatus, CalendarDate, ClockTime, Day, DayDate, DayDelegate, DayInput,
    DayPart, DayPartInput, DayVenue, Id, Invalid, Name, OutgoingMail, PartFormat, PartGroup, PollAnswer,
    PollOption, PollState, PollVote, Registration,
};
use serde_json::json;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A day's date poll: its state, candidate dates with counts, and every answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayPoll {
    /// Open or closed.
    pub state: PollState,
    /// Candidate dates in date order.
    pub options: Vec<PollOption>,
    /// Every answer.
    pub votes: Vec<PollVote>,
}

/// A secret calendar address: a session's feed or a person's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFeed {
    /// Identifier.
    pub id: Id,
    /// The session of a session feed.
    pub cohort_id: Option<Id>,
    /// The person of a personal feed.
    pub person_id: Option<Id>,
    /// When it was created.
    pub created_at: String,
    /// True once revoked: the address then answers 410.
    pub revoked: bool,
}

const DAY_COLUMNS: &str = "d.id, d.cohort_id, d.title, d.held_on, d.starts_at, d.ends_at, d.venue_id,
    d.host_territory_id, d.sequence, v.name AS venue_name, v.city AS venue_city, t.name AS host_name,
    p.closed_at AS poll_closed_at, p.opened_at AS poll_opened_at";

const DAY_FROM: &str = "FROM days d LEFT JOIN venues v ON v.id = d.venue_id
    LEFT JOIN territories t ON t.id = d.host_territory_id LEFT JOIN day_polls p ON p.day_id = d.id";

fn day_from_row(row: &AnyRow, number: u32) -> anyhow::Result<Day> {
    let place = match (row.opt_text("venue_name")?, row.opt_text("venue_city")?, row.opt_text("host_name")?) {
        (Some(name), Some(city), _) => Some(format!("{name}, {city}")),
        (_, _, Some(host)) => Some(host),
        _ => None,
    };
    let poll = match (row.opt_text("poll_opened_at")?, row.opt_text("poll_closed_at")?) {
        (Some(_), None) => Some(PollState::Open),
        (Some(_), Some(_)) => Some(PollState::Closed),
        _ => None,
    };
    Ok(Day {
        id: row.int("id")?,
        cohort_id: row.int("cohort_id")?,
        number,
        title: row.text("title")?,
        date: stored(&row.text("held_on")?, "day date", DayDate::parse)?,
        starts_at: stored(&row.text("starts_at")?, "start time", ClockTime::parse)?,
        ends_at: stored(&row.text("ends_at")?, "end time", ClockTime::parse)?,
        venue_id: row.opt_int("venue_id")?,
        host_territory_id: row.opt_int("host_territory_id")?,
        place,
        sequence: row.int("sequence")?,
        poll,
    })
}

fn part_from_row(row: &AnyRow) -> anyhow::Result<DayPart> {
    Ok(DayPart {
        id: row.int("id")?,
        day_id: row.int("day_id")?,
        starts_at: stored(&row.text("starts_at")?, "start time", ClockTime::parse)?,
        ends_at: stored(&row.text("ends_at")?, "end time", ClockTime::parse)?,
        title: row.text("title")?,
        format: stored(&row.text("format")?, "part format", PartFormat::parse)?,
        room: row.text("room")?,
        facilitators: row.text("facilitators")?,
        resource_people: row.text("resource_people")?,
        group_size: row.opt_int("group_size")?.map(|n| n as u32),
    })
}

/// The most check-ins written in one transaction: their history lines take 8 parameters each,
/// well within SQLite's 32,766 per statement.
const MARKS_PER_BATCH: usize = 500;

/// One check-in to write.
struct Mark {
    actor: Actor,
    day_id: Id,
    delegate_id: Id,
    status: AttendanceStatus,
    self_checked: bool,
}

/// One attendance row to write.
struct AttendanceWrite<'a> {
    day_id: Id,
    delegate_id: Id,
    status: AttendanceStatus,
    self_checked: bool,
    recorded_by: &'a str,
}

/// A check-in queued for the next batch, with the way to answer its caller.
pub(crate) struct PendingMark {
    mark: Mark,
    reply: tokio::sync::oneshot::Sender<StoreResult<AttendanceStatus>>,
}

/// The seat an account holds in a session: the delegate whose person is the account's, or
/// shares its e-mail; `cohort` and `user` are the statement's placeholders for their ids.
pub(crate) fn seat_of_user_sql(cohort: &str, user: &str) -> String {
    format!(
        "SELECT d.id FROM delegates d JOIN users u ON u.id = {user} JOIN people p ON p.id = d.person_id
         WHERE d.cohort_id = {cohort} AND (d.person_id = u.person_id OR p.email = u.email) ORDER BY d.id LIMIT 1"
    )
}

fn refused(field: &str, invalid: Invalid) -> StoreError {
    StoreError::Invalid((field, invalid).into())
}

impl Store {
    // ------------------------------------------------------------ days

    /// The days of a session in date order (months to be set before the dates within them),
    /// numbered from 1.
    pub async fn days_of(&self, cohort_id: Id) -> StoreResult<Vec<Day>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_days(&mut conn, cohort_id).await
    }

    async fn load_days(&self, conn: &mut AnyConnection, cohort_id: Id) -> StoreResult<Vec<Day>> {
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {DAY_COLUMNS} {DAY_FROM} WHERE d.cohort_id = $1 ORDER BY d.held_on, d.id"
        ))
        .bind(cohort_id)
        .fetch_all(conn)
        .await
        .map_err(internal(format!("loading the days of session {cohort_id}")))?;
        let mut days = rows
            .iter()
            .enumerate()
            .map(|(i, row)| day_from_row(row, i as u32 + 1))
            .collect::<anyhow::Result<Vec<_>>>()?;
        days.sort_by_key(|d| (d.date, d.id));
        for (i, day) in days.iter_mut().enumerate() {
            day.number = i as u32 + 1;
        }
        Ok(days)
    }

    async fn load_day(&self, conn: &mut AnyConnection, id: Id) -> StoreResult<Day> {
        self.count();
        let cohort: Option<i64> = sqlx::query_scalar("SELECT cohort_id FROM days WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(internal(format!("finding day {id}")))?;
        let cohort = cohort.ok_or(StoreError::NotFound)?;
        self.load_days(conn, cohort).await?.into_iter().find(|d| d.id == id).ok_or(StoreError::NotFound)
    }

    /// One day, numbered within its session.
    pub async fn day(&self, id: Id) -> StoreResult<Day> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_day(&mut conn, id).await
    }

    /// Checks that a chosen venue or host territory belongs to the session.
    async fn check_venue(&self, conn: &mut AnyConnection, cohort_id: Id, venue: DayVenue) -> StoreResult<()> {
        let (sql, id) = match venue {
            DayVenue::Undecided => return Ok(()),
            DayVenue::Venue(id) => ("SELECT COUNT(*) FROM venues WHERE id = $1 AND cohort_id = $2", id),
            DayVenue::Territory(id) => {
                ("SELECT COUNT(*) FROM cohort_territories WHERE territory_id = $1 AND cohort_id = $2", id)
            }
        };
        self.count();
        let n: i64 = sqlx::query_scalar(sql)
            .bind(id)
            .bind(cohort_id)
            .fetch_one(conn)
            .await
            .map_err(internal("checking a day's venue"))?;
        if n == 0 {
            return Err(refused("venue", Invalid::new("error-choice-invalid")));
        }
        Ok(())
    }

    /// Adds a day to a session.
    pub async fn create_day(&self, actor: &Actor, cohort_id: Id, input: &DayInput) -> StoreResult<Day> {
        let mut tx = self.begin().await?;
        self.check_venue(&mut tx, cohort_id, input.venue).await?;
        let (venue_id, host) = venue_columns(input.venue);
        self.count();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO days (cohort_id, title, held_on, starts_at, ends_at, venue_id, host_territory_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(cohort_id)
        .bind(&input.title)
        .bind(input.date.code())
        .bind(input.starts_at.to_string())
        .bind(input.ends_at.to_string())
        .bind(venue_id)
        .bind(host)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| crate::error::classify(e, "creating a day", None, Some("venue")))?;
        let day = self.load_day(&mut tx, id).await?;
        self.record(&mut tx, actor, "day", id, "create", None::<&()>, Some(&day)).await?;
        tx.commit().await.map_err(internal("committing a day"))?;
        Ok(day)
    }

    /// Changes a day. Its iCalendar SEQUENCE goes up when the date, times or venue change, so
    /// that calendar apps replace the event they hold. A day with attendance recorded keeps
    /// its date.
    pub async fn update_day(&self, actor: &Actor, id: Id, input: &DayInput) -> StoreResult<Day> {
        let mut tx = self.begin().await?;
        let before = self.load_day(&mut tx, id).await?;
        self.check_venue(&mut tx, before.cohort_id, input.venue).await?;
        if before.date != input.date && self.attendance_count(&mut tx, id).await? > 0 {
            return Err(refused("held_on", Invalid::new("error-day-has-attendance")));
        }
        let moved = before.date != input.date
            || before.starts_at != input.starts_at
            || before.ends_at != input.ends_at
            || before.venue() != input.venue;
        let (venue_id, host) = venue_columns(input.venue);
        self.count();
        sqlx::query(
            "UPDATE days SET title = $1, held_on = $2, starts_at = $3, ends_at = $4, venue_id = $5,
                 host_territory_id = $6, sequence = sequence + $7 WHERE id = $8",
        )
        .bind(&input.title)
        .bind(input.date.code())
        .bind(input.starts_at.to_string())
        .bind(input.ends_at.to_string())
        .bind(venue_id)
        .bind(host)
        .bind(i64::from(moved))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal(format!("updating day {id}")))?;
        let after = self.load_day(&mut tx, id).await?;
        self.record(&mut tx, actor, "day", id, "update", Some(&before), Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a day"))?;
        Ok(after)
    }

    /// Removes a day that has no attendance recorded.
    pub async fn delete_day(&self, actor: &Actor, id: Id) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let before = self.load_day(&mut tx, id).await?;
        if self.attendance_count(&mut tx, id).await? > 0 {
            return Err(refused("day", Invalid::new("error-day-has-attendance")));
        }
        self.count();
        sqlx::query("DELETE FROM days WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal(format!("deleting day {id}")))?;
        self.record(&mut tx, actor, "day", id, "delete", Some(&before), None::<&()>).await?;
        tx.commit().await.map_err(internal("committing a day's removal"))?;
        Ok(())
    }

    async fn attendance_count(&self, conn: &mut AnyConnection, day_id: Id) -> StoreResult<i64> {
        self.count();
        sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM attendance WHERE day_id = $1) + (SELECT COUNT(*) FROM stand_ins WHERE day_id = $1)",
        )
        .bind(day_id)
        .fetch_one(conn)
        .await
        .map_err(internal(format!("counting attendance of day {day_id}")))
    }

    /// How many days before each day of a session its reminder goes out.
    pub async fn reminder_days(&self, cohort_id: Id) -> StoreResult<u32> {
        self.count();
        let days: Option<i64> = sqlx::query_scalar("SELECT reminder_days FROM cohorts WHERE id = $1")
            .bind(cohort_id)
            .fetch_optional(self.pool())
            .await
            .map_err(internal("reading a session's reminder delay"))?;
        days.map(|d| u32::try_from(d).unwrap_or(0)).ok_or(StoreError::NotFound)
    }

    /// Sets how many days before each day of a session its reminder goes out (already checked
    /// by `domain::parse_reminder_days`).
    pub async fn set_reminder_days(&self, actor: &Actor, cohort_id: Id, days: u32) -> StoreResult<()> {
        let before = self.reminder_days(cohort_id).await?;
        let mut tx = self.begin().await?;
        self.count();
        sqlx::query("UPDATE cohorts SET reminder_days = $1 WHERE id = $2")
            .bind(i64::from(days))
            .bind(cohort_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("setting a session's reminder delay"))?;
        self.record(
            &mut tx,
            actor,
            "cohort",
            cohort_id,
            "update",
            Some(&json!({ "reminder_days": before })),
            Some(&json!({ "reminder_days": days })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a reminder delay"))?;
        Ok(())
    }

    // ------------------------------------------------------------ polls

    /// Opens a date poll for a day to be set, with its candidate dates (already checked to lie
    /// in the day's month).
    pub async fn open_poll(&self, actor: &Actor, day_id: Id, dates: &[CalendarDate]) -> StoreResult<DayPoll> {
        let mut tx = self.begin().await?;
        let day = self.load_day(&mut tx, day_id).await?;
        if day.is_set() {
            return Err(refused("dates", Invalid::new("error-poll-day-set")));
        }
        if day.poll.is_some() {
            return Err(refused("dates", Invalid::new("error-poll-exists")));
        }
        self.count();
        sqlx::query("INSERT INTO day_polls (day_id, opened_at) VALUES ($1, $2)")
            .bind(day_id)
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(internal("opening a poll"))?;
        for date in dates {
            self.count();
            sqlx::query("INSERT INTO day_poll_options (day_id, proposed_on) VALUES ($1, $2)")
                .bind(day_id)
                .bind(date.iso())
                .execute(&mut *tx)
                .await
                .map_err(internal("adding a poll date"))?;
        }
        let poll = self.load_poll(&mut tx, day_id).await?.ok_or(StoreError::NotFound)?;
        let dates: Vec<String> = dates.iter().map(|d| d.iso()).collect();
        self.record(
            &mut tx,
            actor,
            "day",
            day_id,
            "open-poll",
            None::<&()>,
            Some(&json!({ "dates": dates })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a poll"))?;
        Ok(poll)
    }

    async fn load_poll(&self, conn: &mut AnyConnection, day_id: Id) -> StoreResult<Option<DayPoll>> {
        self.count();
        let state = sqlx::query("SELECT closed_at FROM day_polls WHERE day_id = $1")
            .bind(day_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(internal("loading a poll"))?;
        let Some(state) = state else { return Ok(None) };
        let state = if state.opt_text("closed_at")?.is_some() { PollState::Closed } else { PollState::Open };
        self.count();
        let rows = sqlx::query(
            "SELECT o.id, o.proposed_on, a.delegate_id, a.answer FROM day_poll_options o
             LEFT JOIN day_poll_answers a ON a.option_id = o.id WHERE o.day_id = $1 ORDER BY o.proposed_on, a.delegate_id",
        )
        .bind(day_id)
        .fetch_all(conn)
        .await
        .map_err(internal("loading a poll's answers"))?;
        let mut options: Vec<PollOption> = Vec::new();
        let mut votes = Vec::new();
        for row in &rows {
            let id = row.int("id")?;
            if options.last().is_none_or(|o| o.id != id) {
                options.push(PollOption {
                    id,
                    proposed_on: stored(&row.text("proposed_on")?, "poll date", CalendarDate::parse)?,
                    yes: 0,
                    if_needed: 0,
                    no: 0,
                });
            }
            if let (Some(delegate_id), Some(answer)) = (row.opt_int("delegate_id")?, row.opt_text("answer")?)
            {
                let answer = stored(&answer, "poll answer", PollAnswer::parse)?;
                if let Some(option) = options.last_mut() {
                    match answer {
                        PollAnswer::Yes => option.yes += 1,
                        PollAnswer::IfNeeded => option.if_needed += 1,
                        PollAnswer::No => option.no += 1,
                    }
                }
                votes.push(PollVote { option_id: id, delegate_id, answer });
            }
        }
        Ok(Some(DayPoll { state, options, votes }))
    }

    /// A day's poll, if it has one.
    pub async fn poll(&self, day_id: Id) -> StoreResult<Option<DayPoll>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_poll(&mut conn, day_id).await
    }

    /// Records a delegate's answers (replacing earlier ones) while the poll is open. Every
    /// option must belong to the day's poll and the delegate to the day's session.
    pub async fn answer_poll(
        &self,
        actor: &Actor,
        day_id: Id,
        delegate_id: Id,
        answers: &[(Id, PollAnswer)],
    ) -> StoreResult<DayPoll> {
        let mut tx = self.begin().await?;
        let day = self.load_day(&mut tx, day_id).await?;
        let poll = self.load_poll(&mut tx, day_id).await?.ok_or(StoreError::NotFound)?;
        if poll.state == PollState::Closed {
            return Err(refused("answers", Invalid::new("error-poll-closed")));
        }
        self.check_delegate(&mut tx, day.cohort_id, delegate_id).await?;
        for (option, answer) in answers {
            if !poll.options.iter().any(|o| o.id == *option) {
                return Err(refused("answers", Invalid::new("error-choice-invalid")));
            }
            self.count();
            sqlx::query(
                "INSERT INTO day_poll_answers (option_id, delegate_id, answer, answered_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (option_id, delegate_id) DO UPDATE SET answer = excluded.answer,
                     answered_at = excluded.answered_at",
            )
            .bind(option)
            .bind(delegate_id)
            .bind(answer.code())
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(internal("recording a poll answer"))?;
        }
        let after = self.load_poll(&mut tx, day_id).await?.ok_or(StoreError::NotFound)?;
        let recorded: Vec<(Id, &str)> = answers.iter().map(|(o, a)| (*o, a.code())).collect();
        self.record(
            &mut tx,
            actor,
            "day",
            day_id,
            "answer-poll",
            None::<&()>,
            Some(&json!({ "delegate_id": delegate_id, "answers": recorded })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing poll answers"))?;
        Ok(after)
    }

    /// Closes a poll on one of its dates: the day is set to it (SEQUENCE raised) and the
    /// messages announcing it are enqueued, all or nothing.
    pub async fn close_poll(
        &self,
        actor: &Actor,
        day_id: Id,
        option_id: Id,
        messages: &[OutgoingMail],
    ) -> StoreResult<Day> {
        let mut tx = self.begin().await?;
        let before = self.load_day(&mut tx, day_id).await?;
        let poll = self.load_poll(&mut tx, day_id).await?.ok_or(StoreError::NotFound)?;
        if poll.state == PollState::Closed {
            return Err(refused("option", Invalid::new("error-poll-closed")));
        }
        let option = poll
            .options
            .iter()
            .find(|o| o.id == option_id)
            .ok_or_else(|| refused("option", Invalid::new("error-choice-invalid")))?;
        self.count();
        sqlx::query("UPDATE day_polls SET closed_at = $1 WHERE day_id = $2")
            .bind(now_text())
            .bind(day_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("closing a poll"))?;
        self.count();
        sqlx::query("UPDATE days SET held_on = $1, sequence = sequence + 1 WHERE id = $2")
            .bind(option.proposed_on.iso())
            .bind(day_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("setting a day's date"))?;
        for mail in messages {
            crate::outbox::enqueue(&mut tx, mail).await?;
        }
        let after = self.load_day(&mut tx, day_id).await?;
        self.record(&mut tx, actor, "day", day_id, "close-poll", Some(&before), Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a poll's closing"))?;
        Ok(after)
    }

    // ------------------------------------------------------------ delegates

    /// The delegates of a session, by territory then name: who rosters, registrations and
    /// attendance are about.
    pub async fn day_delegates(&self, cohort_id: Id) -> StoreResult<Vec<DayDelegate>> {
        self.delegates_where(cohort_id, None).await
    }

    /// One delegate of a session, as [`Store::day_delegates`] lists them.
    pub async fn day_delegate(&self, cohort_id: Id, delegate_id: Id) -> StoreResult<DayDelegate> {
        self.delegates_where(cohort_id, Some(delegate_id)).await?.pop().ok_or(StoreError::NotFound)
    }

    async fn delegates_where(&self, cohort_id: Id, delegate_id: Option<Id>) -> StoreResult<Vec<DayDelegate>> {
        self.count();
        let rows = sqlx::query(
            "SELECT d.id, d.person_id, p.full_name, p.sort_key, d.territory_id, t.name AS territory, d.category_id
             FROM delegates d JOIN people p ON p.id = d.person_id JOIN territories t ON t.id = d.territory_id
             JOIN categories c ON c.id = d.category_id
             WHERE d.cohort_id = $1 AND ($2 IS NULL OR d.id = $2)
             ORDER BY t.sort_key, t.id, c.position, p.sort_key, d.id",
        )
        .bind(cohort_id)
        .bind(delegate_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal(format!("loading the delegates of session {cohort_id}")))?;
        rows.iter()
            .map(|row| {
                Ok(DayDelegate {
                    delegate_id: row.int("id")?,
                    person_id: row.int("person_id")?,
                    full_name: row.text("full_name")?,
                    sort_key: row.text("sort_key")?,
                    territory_id: row.int("territory_id")?,
                    territory: row.text("territory")?,
                    category_id: row.int("category_id")?,
                })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(StoreError::from)
    }

    /// The delegate seats of a session, to check many delegates with one query.
    async fn seats_of(&self, conn: &mut AnyConnection, cohort_id: Id) -> StoreResult<Vec<Id>> {
        self.count();
        sqlx::query_scalar("SELECT id FROM delegates WHERE cohort_id = $1")
            .bind(cohort_id)
            .fetch_all(conn)
            .await
            .map_err(internal("listing a session's seats"))
    }

    async fn check_delegate(
        &self,
        conn: &mut AnyConnection,
        cohort_id: Id,
        delegate_id: Id,
    ) -> StoreResult<()> {
        self.count();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM delegates WHERE id = $1 AND cohort_id = $2")
            .bind(delegate_id)
            .bind(cohort_id)
            .fetch_one(conn)
            .await
            .map_err(internal("checking a delegate"))?;
        if n == 0 {
            return Err(refused("delegate", Invalid::new("error-not-a-delegate")));
        }
        Ok(())
    }

    /// The delegate seat a person holds in a session, if any.
    pub async fn delegate_of_person(&self, cohort_id: Id, person_id: Id) -> StoreResult<Option<Id>> {
        self.count();
        sqlx::query_scalar("SELECT id FROM delegates WHERE cohort_id = $1 AND person_id = $2")
            .bind(cohort_id)
            .bind(person_id)
            .fetch_optional(self.pool())
            .await
            .map_err(internal("finding a person's seat"))
    }

    /// The seat an account holds in a session: the delegate whose person is the account's
    /// (an accepted invitation links them), or whose e-mail is the account's.
    pub async fn seat_of_user(&self, cohort_id: Id, user_id: Id) -> StoreResult<Option<Id>> {
        self.count();
        sqlx::query_scalar(&seat_of_user_sql("$1", "$2"))
            .bind(cohort_id)
            .bind(user_id)
            .fetch_optional(self.pool())
            .await
            .map_err(internal("finding an account's seat"))
    }

    /// The person an account stands for: linked by an accepted invitation, or sharing its
    /// e-mail.
    pub async fn person_of_user(&self, user_id: Id) -> StoreResult<Option<Id>> {
        self.count();
        sqlx::query_scalar(
            "SELECT p.id FROM users u JOIN people p ON p.id = u.person_id OR p.email = u.email
             WHERE u.id = $1 ORDER BY (p.id = u.person_id) DESC, p.id LIMIT 1",
        )
        .bind(user_id)
        .fetch_optional(self.pool())
        .await
        .map_err(internal("finding an account's person"))
    }

    // ------------------------------------------------------------ agenda

    /// A day's parts in time order.
    pub async fn parts_of(&self, day_id: Id) -> StoreResult<Vec<DayPart>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_parts(&mut conn, day_id).await
    }

    async fn load_parts(&self, conn: &mut AnyConnection, day_id: Id) -> StoreResult<Vec<DayPart>> {
        self.count();
        let rows = sqlx::query(
            "SELECT id, day_id, starts_at, ends_at, title, format, room, facilitators, resource_people, group_size
             FROM day_parts WHERE day_id = $1 ORDER BY starts_at, id",
        )
        .bind(day_id)
        .fetch_all(conn)
        .await
        .map_err(internal(format!("loading the agenda of day {day_id}")))?;
        rows.iter().map(part_from_row).collect::<anyhow::Result<_>>().map_err(StoreError::from)
    }

    /// Adds a part to a day's agenda (or changes part `existing`); a room holds one part at a
    /// time, checked in the transaction.
    pub async fn save_part(
        &self,
        actor: &Actor,
        day_id: Id,
        existing: Option<Id>,
        input: &DayPartInput,
    ) -> StoreResult<DayPart> {
        let mut tx = self.begin().await?;
        self.load_day(&mut tx, day_id).await?;
        let parts = self.load_parts(&mut tx, day_id).await?;
        let before = match existing {
            Some(id) => Some(parts.iter().find(|p| p.id == id).cloned().ok_or(StoreError::NotFound)?),
            None => None,
        };
        if let Some(clash) = domain::room_clash(&parts, input, existing) {
            return Err(refused(
                "room",
                Invalid::new("error-room-taken")
                    .with("title", Shown(&clash.title))
                    .with("from", clash.starts_at)
                    .with("to", clash.ends_at),
            ));
        }
        let size = input.group_size.map(i64::from);
        let id = match existing {
            Some(id) => {
                self.count();
                sqlx::query(
                    "UPDATE day_parts SET starts_at = $1, ends_at = $2, title = $3, format = $4, room = $5,
                         facilitators = $6, resource_people = $7, group_size = $8 WHERE id = $9",
                )
                .bind(input.starts_at.to_string())
                .bind(input.ends_at.to_string())
                .bind(input.title.as_str())
                .bind(input.format.code())
                .bind(&input.room)
                .bind(&input.facilitators)
                .bind(&input.resource_people)
                .bind(size)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(internal(format!("updating part {id}")))?;
                if before
                    .as_ref()
                    .is_some_and(|b| b.format != input.format || b.group_size != input.group_size)
                {
                    self.count();
                    sqlx::query("DELETE FROM part_groups WHERE part_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(internal("clearing a part's groups"))?;
                }
                id
            }
            None => {
                self.count();
                sqlx::query_scalar(
                    "INSERT INTO day_parts (day_id, starts_at, ends_at, title, format, room, facilitators,
                         resource_people, group_size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(day_id)
                .bind(input.starts_at.to_string())
                .bind(input.ends_at.to_string())
                .bind(input.title.as_str())
                .bind(input.format.code())
                .bind(&input.room)
                .bind(&input.facilitators)
                .bind(&input.resource_people)
                .bind(size)
                .fetch_one(&mut *tx)
                .await
                .map_err(internal("adding a part"))?
            }
        };
        let after = self
            .load_parts(&mut tx, day_id)
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(StoreError::NotFound)?;
        let action = if before.is_some() { "update" } else { "create" };
        self.record(&mut tx, actor, "day-part", id, action, before.as_ref(), Some(&after)).await?;
        tx.commit().await.map_err(internal("committing a part"))?;
        Ok(after)
    }

    /// Removes a part and its groups.
    pub async fn delete_part(&self, actor: &Actor, day_id: Id, part_id: Id) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let parts = self.load_parts(&mut tx, day_id).await?;
        let before = parts.iter().find(|p| p.id == part_id).ok_or(StoreError::NotFound)?;
        self.count();
        sqlx::query("DELETE FROM day_parts WHERE id = $1")
            .bind(part_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("removing a part"))?;
        self.record(&mut tx, actor, "day-part", part_id, "delete", Some(before), None::<&()>).await?;
        tx.commit().await.map_err(internal("committing a part's removal"))?;
        Ok(())
    }

    /// The groups of a part, in order, with their members.
    pub async fn groups_of(&self, part_id: Id) -> StoreResult<Vec<PartGroup>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        self.load_groups(&mut conn, part_id).await
    }

    /// The groups of every part of a day, by part, in one query (an agenda shows them all).
    pub async fn groups_of_day(&self, day_id: Id) -> StoreResult<HashMap<Id, Vec<PartGroup>>> {
        let mut conn = self.pool().acquire().await.map_err(internal("acquiring a connection"))?;
        let mut by_part: HashMap<Id, Vec<PartGroup>> = HashMap::new();
        let rows = self
            .groups_where(&mut conn, "g.part_id IN (SELECT id FROM day_parts WHERE day_id = $1)", day_id)
            .await?;
        for (part, group) in rows {
            by_part.entry(part).or_default().push(group);
        }
        Ok(by_part)
    }

    async fn load_groups(&self, conn: &mut AnyConnection, part_id: Id) -> StoreResult<Vec<PartGroup>> {
        let rows = self.groups_where(conn, "g.part_id = $1", part_id).await?;
        Ok(rows.into_iter().map(|(_, group)| group).collect())
    }

    /// Groups with their members (part id, group), in part then group order, for `filter` on
    /// `g` with `$1` bound to `id`.
    async fn groups_where(
        &self,
        conn: &mut AnyConnection,
        filter: &str,
        id: Id,
    ) -> StoreResult<Vec<(Id, PartGroup)>> {
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT g.part_id, g.id, g.label, m.delegate_id FROM part_groups g
             LEFT JOIN part_group_members m ON m.group_id = g.id
             LEFT JOIN delegates d ON d.id = m.delegate_id LEFT JOIN people p ON p.id = d.person_id
             WHERE {filter} ORDER BY g.part_id, g.position, g.id, p.sort_key, m.delegate_id"
        ))
        .bind(id)
        .fetch_all(conn)
        .await
        .map_err(internal("loading groups"))?;
        let mut groups: Vec<(Id, PartGroup)> = Vec::new();
        for row in &rows {
            let id = row.int("id")?;
            if groups.last().is_none_or(|(_, g)| g.id != id) {
                let group = PartGroup { id, label: row.text("label")?, members: Vec::new() };
                groups.push((row.int("part_id")?, group));
            }
            if let (Some(member), Some((_, group))) = (row.opt_int("delegate_id")?, groups.last_mut()) {
                group.members.push(member);
            }
        }
        Ok(groups)
    }

    /// Replaces a part's groups with `groups` (label, delegate ids), all or nothing. Every
    /// delegate must belong to the day's session and appear once.
    pub async fn set_groups(
        &self,
        actor: &Actor,
        day_id: Id,
        part_id: Id,
        groups: &[(String, Vec<Id>)],
    ) -> StoreResult<Vec<PartGroup>> {
        let mut tx = self.begin().await?;
        let day = self.load_day(&mut tx, day_id).await?;
        if !self.load_parts(&mut tx, day_id).await?.iter().any(|p| p.id == part_id) {
            return Err(StoreError::NotFound);
        }
        let before = self.load_groups(&mut tx, part_id).await?;
        let seats = self.seats_of(&mut tx, day.cohort_id).await?;
        self.count();
        sqlx::query("DELETE FROM part_groups WHERE part_id = $1")
            .bind(part_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("clearing a part's groups"))?;
        for (position, (label, members)) in groups.iter().enumerate() {
            self.count();
            let group_id: i64 = sqlx::query_scalar(
                "INSERT INTO part_groups (part_id, position, label) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(part_id)
            .bind(position as i64)
            .bind(label)
            .fetch_one(&mut *tx)
            .await
            .map_err(internal("adding a group"))?;
            for member in members {
                if !seats.contains(member) {
                    return Err(refused("delegate", Invalid::new("error-not-a-delegate")));
                }
                self.count();
                sqlx::query(
                    "INSERT INTO part_group_members (part_id, delegate_id, group_id) VALUES ($1, $2, $3)",
                )
                .bind(part_id)
                .bind(member)
                .bind(group_id)
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    crate::error::classify(
                        e,
                        "placing a delegate",
                        Some(("delegate", "error-placed-twice")),
                        None,
                    )
                })?;
            }
        }
        let after = self.load_groups(&mut tx, part_id).await?;
        self.record(&mut tx, actor, "day-part", part_id, "groups", Some(&before), Some(&after)).await?;
        tx.commit().await.map_err(internal("committing groups"))?;
        Ok(after)
    }

    /// Moves one delegate of a part to another of its groups (the organiser's hand).
    pub async fn move_to_group(
        &self,
        actor: &Actor,
        day_id: Id,
        part_id: Id,
        delegate_id: Id,
        group_id: Id,
    ) -> StoreResult<Vec<PartGroup>> {
        let groups = self.groups_of(part_id).await?;
        if !groups.iter().any(|g| g.id == group_id) {
            return Err(refused("group", Invalid::new("error-choice-invalid")));
        }
        if !groups.iter().any(|g| g.members.contains(&delegate_id)) {
            return Err(refused("delegate", Invalid::new("error-not-a-delegate")));
        }
        let moved: Vec<(String, Vec<Id>)> = groups
            .iter()
            .map(|g| {
                let mut members: Vec<Id> = g.members.iter().copied().filter(|m| *m != delegate_id).collect();
                if g.id == group_id {
                    members.push(delegate_id);
                }
                (g.label.clone(), members)
            })
            .collect();
        self.set_groups(actor, day_id, part_id, &moved).await
    }

    // ------------------------------------------------------------ registration and attendance

    /// Records a delegate's answer about coming to a day.
    pub async fn register(
        &self,
        actor: &Actor,
        day_id: Id,
        delegate_id: Id,
        answer: Registration,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let day = self.load_day(&mut tx, day_id).await?;
        self.check_delegate(&mut tx, day.cohort_id, delegate_id).await?;
        self.count();
        sqlx::query(
            "INSERT INTO day_registrations (day_id, delegate_id, answer, answered_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (day_id, delegate_id) DO UPDATE SET answer = excluded.answer,
                 answered_at = excluded.answered_at",
        )
        .bind(day_id)
        .bind(delegate_id)
        .bind(answer.code())
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .map_err(internal("recording a registration"))?;
        self.record(
            &mut tx,
            actor,
            "day",
            day_id,
            "register",
            None::<&()>,
            Some(&json!({ "delegate_id": delegate_id, "answer": answer.code() })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a registration"))?;
        Ok(())
    }

    /// Every delegate's record for the days of a session, keyed by (day, delegate).
    pub async fn attendance_of(&self, cohort_id: Id) -> StoreResult<HashMap<(Id, Id), AttendanceRecord>> {
        self.attendance_where(cohort_id, None).await
    }

    /// One delegate's record for one day of a session, if anything is recorded.
    pub async fn attendance_record(
        &self,
        cohort_id: Id,
        day_id: Id,
        delegate_id: Id,
    ) -> StoreResult<Option<AttendanceRecord>> {
        Ok(self.attendance_where(cohort_id, Some((day_id, delegate_id))).await?.into_values().next())
    }

    async fn attendance_where(
        &self,
        cohort_id: Id,
        one: Option<(Id, Id)>,
    ) -> StoreResult<HashMap<(Id, Id), AttendanceRecord>> {
        self.count();
        let rows = sqlx::query(
            "SELECT x.day_id, x.delegate_id, r.answer, a.status, a.self_checked, s.full_name AS stand_in
             FROM (SELECT day_id, delegate_id FROM day_registrations
                     WHERE day_id IN (SELECT id FROM days WHERE cohort_id = $1)
                   UNION SELECT day_id, delegate_id FROM attendance
                     WHERE day_id IN (SELECT id FROM days WHERE cohort_id = $1)
                   UNION SELECT day_id, delegate_id FROM stand_ins
                     WHERE day_id IN (SELECT id FROM days WHERE cohort_id = $1)) x
             JOIN days d ON d.id = x.day_id
             LEFT JOIN day_registrations r ON r.day_id = x.day_id AND r.delegate_id = x.delegate_id
             LEFT JOIN attendance a ON a.day_id = x.day_id AND a.delegate_id = x.delegate_id
             LEFT JOIN stand_ins s ON s.day_id = x.day_id AND s.delegate_id = x.delegate_id
             WHERE d.cohort_id = $1 AND ($2 IS NULL OR (x.day_id = $2 AND x.delegate_id = $3))",
        )
        .bind(cohort_id)
        .bind(one.map(|(day, _)| day))
        .bind(one.map(|(_, delegate)| delegate))
        .fetch_all(self.pool())
        .await
        .map_err(internal(format!("loading the attendance of session {cohort_id}")))?;
        let mut out = HashMap::with_capacity(rows.len());
        for row in &rows {
            let delegate_id = row.int("delegate_id")?;
            let status = row.opt_text("status")?;
            let record = AttendanceRecord {
                delegate_id,
                registration: row
                    .opt_text("answer")?
                    .map(|a| stored(&a, "registration", Registration::parse))
                    .transpose()?,
                status: status
                    .as_deref()
                    .map(|s| stored(s, "attendance", AttendanceStatus::parse))
                    .transpose()?,
                self_checked: status.is_some() && row.flag("self_checked")?,
                stand_in: row.opt_text("stand_in")?,
            };
            out.insert((row.int("day_id")?, delegate_id), record);
        }
        Ok(out)
    }

    /// Records a delegate's attendance on a set day. `self_checked` when the delegate checks
    /// themselves in. Refused for a day without a date, for someone who is not a delegate of
    /// the session, and "present" for a delegate someone stood in for.
    ///
    /// Check-ins that arrive while another batch of them is being written are written
    /// together: the next one to get the writers' turn writes every waiting check-in in one
    /// transaction, each with its own checks and history line, and answers each caller after
    /// the commit. A morning's check-in at the door then costs one disk sync and a few
    /// statements per batch instead of per person. A refused check-in writes nothing and does
    /// not affect the others.
    pub async fn record_attendance(
        &self,
        actor: &Actor,
        day_id: Id,
        delegate_id: Id,
        status: AttendanceStatus,
        self_checked: bool,
    ) -> StoreResult<AttendanceStatus> {
        let mark = Mark { actor: actor.clone(), day_id, delegate_id, status, self_checked };
        let (reply, mut answer) = tokio::sync::oneshot::channel();
        self.waiting_marks().push(PendingMark { mark, reply });
        let unanswered = || StoreError::Internal(anyhow::anyhow!("a check-in was left unanswered"));
        loop {
            // Either a batch written meanwhile answers, and this call leaves the writers' queue
            // at once, or it gets the turn and writes the oldest queued check-ins, its own among
            // them unless more than a batch were waiting ahead of it.
            let turn = tokio::select! {
                biased;
                result = &mut answer => return result.map_err(|_| unanswered())?,
                turn = self.writers.clone().lock_owned() => turn,
            };
            let batch: Vec<PendingMark> = {
                let mut queue = self.waiting_marks();
                let size = queue.len().min(MARKS_PER_BATCH);
                queue.drain(..size).collect()
            };
            if batch.is_empty() {
                // Already written: the batch that took it answered before giving the turn back.
                continue;
            }
            // Written by a task of its own, so that a caller who goes away mid-write does not
            // leave the others of the batch unanswered.
            let store = self.clone();
            tokio::spawn(async move { store.write_marks(turn, batch).await });
        }
    }

    fn waiting_marks(&self) -> std::sync::MutexGuard<'_, Vec<PendingMark>> {
        // A poisoned queue still holds valid check-ins: nothing panics while holding it.
        self.marks.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes a batch of check-ins in one transaction, then answers each. A refused one is
    /// answered with its refusal and writes nothing; if the database fails, none is written
    /// and every caller gets the error.
    async fn write_marks(&self, turn: tokio::sync::OwnedMutexGuard<()>, batch: Vec<PendingMark>) {
        let outcome = async {
            let mut tx = self.begin_in_turn(turn).await?;
            let marks: Vec<&Mark> = batch.iter().map(|p| &p.mark).collect();
            let results = self.write_marks_in(&mut tx, &marks).await?;
            tx.commit().await.map_err(internal("committing attendance"))?;
            Ok::<_, StoreError>(results)
        }
        .await;
        match outcome {
            Ok(results) => {
                for (pending, result) in batch.into_iter().zip(results) {
                    let _ = pending.reply.send(result.map(|()| pending.mark.status));
                }
            }
            Err(error) => {
                let message = error.to_string();
                for pending in batch {
                    let _ = pending.reply.send(Err(StoreError::Internal(anyhow::anyhow!(
                        "recording a batch of check-ins: {message}"
                    ))));
                }
            }
        }
    }

    /// Checks and writes check-ins inside a transaction, in their order, in three statements
    /// whatever their number: one reads each one's day, seat, stand-in and the status it
    /// replaces; one writes the last status of each delegate and day; one writes a history line
    /// per check-in. Each gets its own answer, and a refused one writes nothing. Only a failing
    /// database makes the whole call fail.
    async fn write_marks_in(
        &self,
        conn: &mut AnyConnection,
        marks: &[&Mark],
    ) -> StoreResult<Vec<StoreResult<()>>> {
        let pairs: BTreeSet<(Id, Id)> = marks.iter().map(|m| (m.day_id, m.delegate_id)).collect();
        let delegates: BTreeSet<Id> = pairs.iter().map(|(_, delegate)| *delegate).collect();
        self.lock_delegates(conn, &delegates).await?;
        let values: Vec<String> =
            (0..pairs.len()).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
        let sql = format!(
            "WITH m (day_id, delegate_id) AS (VALUES {})
             SELECT m.day_id, m.delegate_id, d.held_on,
                 (SELECT COUNT(*) FROM delegates s WHERE s.id = m.delegate_id AND s.cohort_id = d.cohort_id) AS seats,
                 (SELECT full_name FROM stand_ins s WHERE s.day_id = m.day_id AND s.delegate_id = m.delegate_id)
                     AS stand_in,
                 (SELECT status FROM attendance a WHERE a.day_id = m.day_id AND a.delegate_id = m.delegate_id)
                     AS before
             FROM m LEFT JOIN days d ON d.id = m.day_id",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (day_id, delegate_id) in &pairs {
            query = query.bind(*day_id).bind(*delegate_id);
        }
        self.count();
        let rows = query.fetch_all(&mut *conn).await.map_err(internal("checking check-ins"))?;
        // What each (day, delegate) is now, brought up to date as the marks are taken in order.
        struct Now {
            set: Option<bool>,
            seat: bool,
            stand_in: bool,
            status: Option<String>,
        }
        let mut now = HashMap::with_capacity(rows.len());
        for row in &rows {
            let set = row
                .opt_text("held_on")?
                .map(|held_on| stored(&held_on, "day date", DayDate::parse).map(|d| d.date().is_some()))
                .transpose()?;
            let state = Now {
                set,
                seat: row.int("seats")? > 0,
                stand_in: row.opt_text("stand_in")?.is_some(),
                status: row.opt_text("before")?,
            };
            now.insert((row.int("day_id")?, row.int("delegate_id")?), state);
        }
        let mut results = Vec::with_capacity(marks.len());
        let mut changes = Vec::with_capacity(marks.len());
        let mut last: BTreeMap<(Id, Id), AttendanceWrite<'_>> = BTreeMap::new();
        for mark in marks {
            let key = (mark.day_id, mark.delegate_id);
            let state =
                now.get_mut(&key).ok_or_else(|| anyhow::anyhow!("check-in {key:?} was not read back"))?;
            let result = match state.set {
                None => Err(StoreError::NotFound),
                Some(false) => Err(refused("day", Invalid::new("error-day-not-set"))),
                Some(true) if !state.seat => Err(refused("delegate", Invalid::new("error-not-a-delegate"))),
                Some(true) if mark.status == AttendanceStatus::Present && state.stand_in => {
                    Err(refused("status", Invalid::new("error-present-has-stand-in")))
                }
                Some(true) => Ok(()),
            };
            if result.is_ok() {
                let before = state.status.replace(mark.status.code().to_owned());
                changes.push(Change::new(
                    &mark.actor,
                    "attendance",
                    mark.day_id,
                    if mark.self_checked { "self-check-in" } else { "record" },
                    before.map(|s| json!({ "delegate_id": mark.delegate_id, "status": s })).as_ref(),
                    Some(&json!({ "delegate_id": mark.delegate_id, "status": mark.status.code() })),
                )?);
                last.insert(
                    key,
                    AttendanceWrite {
                        day_id: mark.day_id,
                        delegate_id: mark.delegate_id,
                        status: mark.status,
                        self_checked: mark.self_checked,
                        recorded_by: &mark.actor.name,
                    },
                );
            }
            results.push(result);
        }
        let writes: Vec<AttendanceWrite<'_>> = last.into_values().collect();
        self.write_attendance(conn, &writes).await?;
        self.record_all(conn, &changes).await?;
        Ok(results)
    }

    /// Records the attendance of many delegates of one set day at once (a day's sheet typed
    /// in after the fact, generated data), in one transaction and one history line. The same
    /// rules as [`Store::record_attendance`]: a set day, delegates of its session, never
    /// "present" for someone a stand-in came for.
    pub async fn record_attendance_sheet(
        &self,
        actor: &Actor,
        day_id: Id,
        marks: &[(Id, AttendanceStatus)],
    ) -> StoreResult<usize> {
        let mut tx = self.begin().await?;
        let day = self.load_day(&mut tx, day_id).await?;
        if !day.is_set() {
            return Err(refused("day", Invalid::new("error-day-not-set")));
        }
        let seats = self.seats_of(&mut tx, day.cohort_id).await?;
        self.count();
        let stood_in: Vec<i64> = sqlx::query_scalar("SELECT delegate_id FROM stand_ins WHERE day_id = $1")
            .bind(day_id)
            .fetch_all(&mut *tx)
            .await
            .map_err(internal("listing a day's stand-ins"))?;
        // The last mark of a delegate named twice is the one kept.
        let mut rows = BTreeMap::new();
        for (delegate, status) in marks {
            if !seats.contains(delegate) {
                return Err(refused("delegate", Invalid::new("error-not-a-delegate")));
            }
            if *status == AttendanceStatus::Present && stood_in.contains(delegate) {
                return Err(refused("status", Invalid::new("error-present-has-stand-in")));
            }
            let row = AttendanceWrite {
                day_id,
                delegate_id: *delegate,
                status: *status,
                self_checked: false,
                recorded_by: &actor.name,
            };
            rows.insert(*delegate, row);
        }
        self.write_attendance(&mut tx, &rows.into_values().collect::<Vec<_>>()).await?;
        let recorded: Vec<(Id, &str)> = marks.iter().map(|(d, s)| (*d, s.code())).collect();
        self.record(
            &mut tx,
            actor,
            "attendance",
            day_id,
            "record",
            None::<&()>,
            Some(&json!({ "sheet": recorded })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing an attendance sheet"))?;
        Ok(marks.len())
    }

    /// On PostgreSQL, where writers run side by side (another instance's check-ins, a stand-in
    /// recorded meanwhile), locks the delegates' rows until the transaction ends, so that the
    /// writes about one person wait for each other and read what the previous one wrote. On
    /// SQLite, writers already take turns.
    async fn lock_delegates(&self, conn: &mut AnyConnection, delegates: &BTreeSet<Id>) -> StoreResult<()> {
        if self.backend != crate::Backend::Postgres || delegates.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "SELECT id FROM delegates WHERE id IN ({}) ORDER BY id FOR UPDATE",
            crate::territories::placeholders(1, delegates.len())
        );
        let mut lock = sqlx::query(&sql);
        for delegate in delegates {
            lock = lock.bind(*delegate);
        }
        self.count();
        lock.execute(conn).await.map_err(internal("locking delegates"))?;
        Ok(())
    }

    /// Writes attendance rows, one per day and delegate, in one statement; the caller has
    /// checked the rules. One statement that inserts or replaces, so that two people checking
    /// the same delegate in at once both succeed (the last one wins) instead of one hitting
    /// the key.
    async fn write_attendance(
        &self,
        conn: &mut AnyConnection,
        rows: &[AttendanceWrite<'_>],
    ) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let values: Vec<String> = (0..rows.len())
            .map(|i| format!("({})", crate::territories::placeholders(i * 6 + 1, 6)))
            .collect();
        let sql = format!(
            "INSERT INTO attendance (day_id, delegate_id, status, self_checked, recorded_at, recorded_by)
             VALUES {}
             ON CONFLICT (day_id, delegate_id) DO UPDATE SET status = excluded.status,
                 self_checked = excluded.self_checked, recorded_at = excluded.recorded_at,
                 recorded_by = excluded.recorded_by",
            values.join(", ")
        );
        let at = now_text();
        let mut query = sqlx::query(&sql);
        for row in rows {
            query = query
                .bind(row.day_id)
                .bind(row.delegate_id)
                .bind(row.status.code())
                .bind(row.self_checked)
                .bind(at.clone())
                .bind(row.recorded_by);
        }
        self.count();
        query.execute(conn).await.map_err(internal("recording attendance"))?;
        Ok(())
    }

    /// Records someone who came in a delegate's place. The delegate is then recorded absent
    /// unless excused: a stand-in is never the delegate's presence. Refused when the delegate
    /// is recorded present.
    pub async fn record_stand_in(
        &self,
        actor: &Actor,
        day_id: Id,
        delegate_id: Id,
        name: &Name,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let day = self.load_day(&mut tx, day_id).await?;
        if !day.is_set() {
            return Err(refused("day", Invalid::new("error-day-not-set")));
        }
        self.check_delegate(&mut tx, day.cohort_id, delegate_id).await?;
        self.lock_delegates(&mut tx, &BTreeSet::from([delegate_id])).await?;
        self.count();
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM attendance WHERE day_id = $1 AND delegate_id = $2")
                .bind(day_id)
                .bind(delegate_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal("reading attendance"))?;
        if status.as_deref() == Some("present") {
            return Err(refused("stand_in", Invalid::new("error-stand-in-present")));
        }
        self.count();
        sqlx::query(
            "INSERT INTO stand_ins (day_id, delegate_id, full_name, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (day_id, delegate_id) DO UPDATE SET full_name = excluded.full_name,
                 recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
        )
        .bind(day_id)
        .bind(delegate_id)
        .bind(name.as_str())
        .bind(now_text())
        .bind(&actor.name)
        .execute(&mut *tx)
        .await
        .map_err(internal("recording a stand-in"))?;
        if status.is_none() {
            let absent = AttendanceWrite {
                day_id,
                delegate_id,
                status: AttendanceStatus::Absent,
                self_checked: false,
                recorded_by: &actor.name,
            };
            self.write_attendance(&mut tx, &[absent]).await?;
        }
        self.record(
            &mut tx,
            actor,
            "attendance",
            day_id,
            "stand-in",
            None::<&()>,
            Some(&json!({ "delegate_id": delegate_id, "stand_in": name.as_str() })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a stand-in"))?;
        Ok(())
    }

    /// A page of the attendance report: one line per delegate and set day, in (day, delegate)
    /// order after `after`, for one session or for all. Read page by page so that a report of
    /// any size streams in constant memory.
    pub async fn attendance_report_page(
        &self,
        cohort_id: Option<Id>,
        after: (Id, Id),
        limit: i64,
    ) -> StoreResult<Vec<domain::AttendanceLine>> {
        self.count();
        let rows = sqlx::query(
            "SELECT d.id AS day_id, g.id AS delegate_id, pr.name AS programme, c.name AS session, d.held_on,
                    t.name AS territory, p.full_name, cat.label_fr, cat.label_en, a.status, s.full_name AS stand_in
             FROM days d JOIN cohorts c ON c.id = d.cohort_id JOIN programmes pr ON pr.id = c.programme_id
             JOIN delegates g ON g.cohort_id = d.cohort_id JOIN people p ON p.id = g.person_id
             JOIN territories t ON t.id = g.territory_id JOIN categories cat ON cat.id = g.category_id
             LEFT JOIN attendance a ON a.day_id = d.id AND a.delegate_id = g.id
             LEFT JOIN stand_ins s ON s.day_id = d.id AND s.delegate_id = g.id
             WHERE length(d.held_on) = 10 AND ($1 IS NULL OR d.cohort_id = $1)
               AND (d.id > $2 OR (d.id = $2 AND g.id > $3))
             ORDER BY d.id, g.id LIMIT $4",
        )
        .bind(cohort_id)
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(internal("reading a page of the attendance report"))?;
        rows.iter()
            .map(|row| {
                Ok(domain::AttendanceLine {
                    day_id: row.int("day_id")?,
                    delegate_id: row.int("delegate_id")?,
                    programme: row.text("programme")?,
                    session: row.text("session")?,
                    held_on: stored(&row.text("held_on")?, "day date", CalendarDate::parse)?,
                    territory: row.text("territory")?,
                    person: row.text("full_name")?,
                    category_fr: row.text("label_fr")?,
                    category_en: row.text("label_en")?,
                    status: row
                        .opt_text("status")?
                        .map(|s| stored(&s, "attendance", AttendanceStatus::parse))
                        .transpose()?,
                    stand_in: row.opt_text("stand_in")?,
                })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(StoreError::from)
    }

    // ------------------------------------------------------------ check-in links

    /// Sets a delegate's personal check-in link (by the hash of its token), replacing any
    /// earlier one.
    pub async fn set_check_in_token(
        &self,
        actor: &Actor,
        delegate_id: Id,
        token_hash: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        sqlx::query("DELETE FROM check_in_tokens WHERE delegate_id = $1")
            .bind(delegate_id)
            .execute(&mut *tx)
            .await
            .map_err(internal("replacing a check-in link"))?;
        self.count();
        sqlx::query("INSERT INTO check_in_tokens (delegate_id, token_hash) VALUES ($1, $2)")
            .bind(delegate_id)
            .bind(token_hash)
            .execute(&mut *tx)
            .await
            .map_err(|e| crate::error::classify(e, "creating a check-in link", None, Some("delegate")))?;
        self.record(&mut tx, actor, "delegate", delegate_id, "check-in-link", None::<&()>, None::<&()>)
            .await?;
        tx.commit().await.map_err(internal("committing a check-in link"))?;
        Ok(())
    }

    /// The delegate seat (id, session) a check-in token opens.
    pub async fn check_in_delegate(&self, token_hash: &str) -> StoreResult<Option<(Id, Id)>> {
        self.count();
        let row = sqlx::query(
            "SELECT d.id, d.cohort_id FROM check_in_tokens c JOIN delegates d ON d.id = c.delegate_id
             WHERE c.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await
        .map_err(internal("reading a check-in link"))?;
        row.map(|r| Ok((r.int("id")?, r.int("cohort_id")?))).transpose().map_err(StoreError::Internal)
    }

    // ------------------------------------------------------------ calendar feeds

    /// Creates a secret calendar address for a session or a person (exactly one of them).
    pub async fn create_feed(
        &self,
        actor: &Actor,
        cohort_id: Option<Id>,
        person_id: Option<Id>,
        token_hash: &str,
    ) -> StoreResult<Id> {
        let mut tx = self.begin().await?;
        self.count();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calendar_feeds (token_hash, cohort_id, person_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(token_hash)
        .bind(cohort_id)
        .bind(person_id)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| crate::error::classify(e, "creating a calendar feed", None, Some("feed")))?;
        self.record(
            &mut tx,
            actor,
            "calendar-feed",
            id,
            "create",
            None::<&()>,
            Some(&json!({ "cohort_id": cohort_id, "person_id": person_id })),
        )
        .await?;
        tx.commit().await.map_err(internal("committing a calendar feed"))?;
        Ok(id)
    }

    /// The feed a secret address opens, revoked or not.
    pub async fn feed_by_token(&self, token_hash: &str) -> StoreResult<Option<CalendarFeed>> {
        self.count();
        let row = sqlx::query(
            "SELECT id, cohort_id, person_id, created_at, revoked_at FROM calendar_feeds WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await
        .map_err(internal("reading a calendar feed"))?;
        row.as_ref().map(feed_from_row).transpose().map_err(StoreError::Internal)
    }

    /// One feed, by its identifier.
    pub async fn feed(&self, id: Id) -> StoreResult<CalendarFeed> {
        self.count();
        let row = sqlx::query(
            "SELECT id, cohort_id, person_id, created_at, revoked_at FROM calendar_feeds WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await
        .map_err(internal("reading a calendar feed"))?;
        feed_from_row(&row.ok_or(StoreError::NotFound)?).map_err(StoreError::Internal)
    }

    /// The feeds of a session or of a person, newest first.
    pub async fn feeds_of(
        &self,
        cohort_id: Option<Id>,
        person_id: Option<Id>,
    ) -> StoreResult<Vec<CalendarFeed>> {
        self.count();
        let rows = sqlx::query(
            "SELECT id, cohort_id, person_id, created_at, revoked_at FROM calendar_feeds
             WHERE (cohort_id = $1 OR person_id = $2) ORDER BY id DESC",
        )
        .bind(cohort_id)
        .bind(person_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing calendar feeds"))?;
        rows.iter().map(feed_from_row).collect::<anyhow::Result<_>>().map_err(StoreError::Internal)
    }

    /// Revokes a feed for good.
    pub async fn revoke_feed(&self, actor: &Actor, id: Id) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let done =
            sqlx::query("UPDATE calendar_feeds SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now_text())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(internal("revoking a calendar feed"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.record(&mut tx, actor, "calendar-feed", id, "revoke", None::<&()>, None::<&()>).await?;
        tx.commit().await.map_err(internal("committing a revocation"))?;
        Ok(())
    }

    /// The sessions a person is a delegate of, for their personal feed.
    pub async fn sessions_of_person(&self, person_id: Id) -> StoreResult<Vec<Id>> {
        self.count();
        sqlx::query_scalar("SELECT cohort_id FROM delegates WHERE person_id = $1 ORDER BY cohort_id")
            .bind(person_id)
            .fetch_all(self.pool())
            .await
            .map_err(internal("listing a person's sessions"))
    }

    // ------------------------------------------------------------ reminders and job leases

    /// Takes (or renews) the lease of the background job `name` for `owner` until `now +
    /// lease`. True when this owner holds it: one conditional statement, so that two instances
    /// asking at once cannot both win.
    pub async fn take_job_lease(
        &self,
        name: &str,
        owner: &str,
        lease: jiff::SignedDuration,
    ) -> StoreResult<bool> {
        let now = jiff::Timestamp::now();
        let until = timestamp_text(now + lease);
        self.count();
        sqlx::query("INSERT INTO job_leases (name, owner, lease_until) VALUES ($1, '', '') ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .execute(self.pool())
            .await
            .map_err(internal("creating a job lease"))?;
        self.count();
        let done = sqlx::query(
            "UPDATE job_leases SET owner = $1, lease_until = $2 WHERE name = $3 AND (owner = $1 OR lease_until < $4)",
        )
        .bind(owner)
        .bind(until)
        .bind(name)
        .bind(timestamp_text(now))
        .execute(self.pool())
        .await
        .map_err(internal("taking a job lease"))?;
        Ok(done.rows_affected() == 1)
    }

    /// The (day, delegate) pairs whose reminder is due on `today`: set days of the sessions,
    /// between today and `reminder_days` ahead, with no reminder enqueued yet for that date, for
    /// delegates who have not excused themselves.
    pub async fn due_reminders(&self, today: CalendarDate) -> StoreResult<Vec<(Day, DayDelegate)>> {
        self.count();
        let rows = sqlx::query(
            "SELECT d.id AS day_id, d.cohort_id, g.id AS delegate_id, c.reminder_days, d.held_on
             FROM days d JOIN cohorts c ON c.id = d.cohort_id JOIN delegates g ON g.cohort_id = d.cohort_id
             WHERE length(d.held_on) = 10 AND d.held_on >= $1
               AND NOT EXISTS (SELECT 1 FROM day_reminders r WHERE r.day_id = d.id AND r.delegate_id = g.id AND r.held_on = d.held_on)
               AND NOT EXISTS (SELECT 1 FROM day_registrations x WHERE x.day_id = d.id AND x.delegate_id = g.id AND x.answer = 'excused')
             ORDER BY d.held_on, d.id, g.id",
        )
        .bind(today.iso())
        .fetch_all(self.pool())
        .await
        .map_err(internal("finding due reminders"))?;
        let mut out = Vec::new();
        let mut cache: HashMap<Id, (Vec<Day>, Vec<DayDelegate>)> = HashMap::new();
        for row in &rows {
            let held_on = stored(&row.text("held_on")?, "day date", CalendarDate::parse)?;
            let ahead = row.int("reminder_days")?;
            if today.date().checked_add(jiff::Span::new().days(ahead)).map_err(anyhow::Error::from)?
                < held_on.date()
            {
                continue;
            }
            let day_id = row.int("day_id")?;
            let delegate_id = row.int("delegate_id")?;
            let cohort = row.int("cohort_id")?;
            if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(cohort) {
                slot.insert((self.days_of(cohort).await?, self.day_delegates(cohort).await?));
            }
            let (days, delegates) = &cache[&cohort];
            if let (Some(day), Some(delegate)) = (
                days.iter().find(|d| d.id == day_id),
                delegates.iter().find(|d| d.delegate_id == delegate_id),
            ) {
                out.push((day.clone(), delegate.clone()));
            }
        }
        Ok(out)
    }

    /// Enqueues a day's reminder to a delegate, once: the key (day, delegate, date) makes a
    /// second enqueue a no-op, even from another instance. True when this call enqueued it.
    pub async fn enqueue_reminder(
        &self,
        day: &Day,
        delegate_id: Id,
        mail: &OutgoingMail,
    ) -> StoreResult<bool> {
        let Some(date) = day.date.date() else { return Ok(false) };
        let mut tx = self.begin().await?;
        self.count();
        let inserted = sqlx::query(
            "INSERT INTO day_reminders (day_id, delegate_id, held_on, enqueued_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
        )
        .bind(day.id)
        .bind(delegate_id)
        .bind(date.iso())
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .map_err(internal("claiming a reminder"))?;
        if inserted.rows_affected() == 0 {
            return Ok(false);
        }
        let outbox_id = crate::outbox::enqueue(&mut tx, mail).await?;
        self.count();
        sqlx::query(
            "UPDATE day_reminders SET outbox_id = $1 WHERE day_id = $2 AND delegate_id = $3 AND held_on = $4",
        )
        .bind(outbox_id)
        .bind(day.id)
        .bind(delegate_id)
        .bind(date.iso())
        .execute(&mut *tx)
        .await
        .map_err(internal("linking a reminder to its message"))?;
        tx.commit().await.map_err(internal("committing a reminder"))?;
        Ok(true)
    }
}

fn feed_from_row(row: &AnyRow) -> anyhow::Result<CalendarFeed> {
    Ok(CalendarFeed {
        id: row.int("id")?,
        cohort_id: row.opt_int("cohort_id")?,
        person_id: row.opt_int("person_id")?,
        created_at: row.text("created_at")?,
        revoked: row.opt_text("revoked_at")?.is_some(),
    })
}

fn venue_columns(venue: DayVenue) -> (Option<Id>, Option<Id>) {
    match venue {
        DayVenue::Undecided => (None, None),
        DayVenue::Venue(id) => (Some(id), None),
        DayVenue::Territory(id) => (None, Some(id)),
    }
}

/// A title quoted in a message, shortened.
#[derive(Clone, Copy)]
struct Shown<'a>(&'a str);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s: String = self.0.chars().take(60).collect();
        f.write_str(&s)
    }
}

impl Store {
    /// The delegates of a session who have an e-mail address (delegate id, name, e-mail), by
    /// seat: whom a day's date is announced to.
    pub async fn delegate_emails(&self, cohort_id: Id) -> StoreResult<Vec<(Id, String, String)>> {
        self.count();
        let rows = sqlx::query(
            "SELECT d.id, p.full_name, p.email FROM delegates d JOIN people p ON p.id = d.person_id
             WHERE d.cohort_id = $1 AND p.email IS NOT NULL AND p.email <> '' ORDER BY d.id",
        )
        .bind(cohort_id)
        .fetch_all(self.pool())
        .await
        .map_err(internal(format!("loading the e-mails of the delegates of session {cohort_id}")))?;
        rows.iter()
            .map(|row| Ok((row.int("id")?, row.text("full_name")?, row.text("email")?)))
            .collect::<anyhow::Result<_>>()
            .map_err(StoreError::from)
    }
}
