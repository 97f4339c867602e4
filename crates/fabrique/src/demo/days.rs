//! The demonstration's workshop days of the second session, as the 2019 call announces them:
//! Wednesday 19 June, Tuesday 17 September and Wednesday 9 October 2019 in Paris, and two days
//! still to be set in November and December. The peer towns' delegations are fictional people;
//! the first day has an agenda with peer groups and its attendance, with one stand-in.

use super::{fields, person};
use anyhow::anyhow;
use domain::{AttendanceStatus, DayForm, DayPartForm, Name, Registration};
use store::{Actor, Store};

const FIRST: &[&str] = &["Alix", "Basile", "Claire", "Denis", "Élodie", "Fanny", "Gaël", "Hugo"];
const LAST: &[&str] = &["Arnaud", "Besson", "Colin", "Delmas", "Étienne", "Fournier", "Garnier", "Huet"];

/// Loads the days (and the delegations they need) when the session has no day yet.
pub(super) async fn load(store: &Store, programme_slug: &str, cohort_slug: &str) -> anyhow::Result<()> {
    let actor = Actor::system();
    let overview = {
        let cohort = store.cohort_by_slugs(programme_slug, cohort_slug).await?;
        store.cohort_overview(cohort.id).await?
    };
    let cohort = &overview.cohort;
    if !store.days_of(cohort.id).await?.is_empty() {
        return Ok(());
    }

    // Each peer town sends its triptych: two people of each category; Loos-en-Gohelle has
    // not named its second elected official nor its second citizen yet, so that missing seats
    // show.
    let mut n = 0usize;
    for territory in &overview.territories {
        for (c, category) in overview.programme.categories.iter().enumerate() {
            let seats = if territory.name == "Loos-en-Gohelle" && c != 1 { 1 } else { 2 };
            for _ in 0..seats {
                let (first, last) = (FIRST[n % FIRST.len()], LAST[(n * 5 + n / 8) % LAST.len()]);
                let name = format!("{first} {last}");
                let email = format!(
                    "{}.{}.{n}@exemple.fr",
                    domain::sort_key(first).replace(' ', "-"),
                    domain::sort_key(last).replace(' ', "-")
                );
                let id = person(store, &actor, &name, &email, None, "").await?;
                store.add_delegate(&actor, cohort.id, territory.territory_id, id, category.id).await?;
                n += 1;
            }
        }
    }

    let paris = overview.venues.first().map(|v| format!("venue-{}", v.id)).unwrap_or_default();
    let mut days = Vec::new();
    for (held_on, title) in [
        ("2019-06-19", "Lancement : nos trajectoires"),
        ("2019-09-17", ""),
        ("2019-10-09", ""),
        ("2019-11", ""),
        ("2019-12", ""),
    ] {
        let form = DayForm {
            title: title.into(),
            held_on: held_on.into(),
            venue: if held_on.len() == 10 { paris.clone() } else { String::new() },
            ..DayForm::default()
        };
        days.push(store.create_day(&actor, cohort.id, &form.parse().map_err(|e| fields(&e))?).await?);
    }

    // The first day's agenda: plenary, peers among themselves, mixed groups, plenary.
    let first_day = &days[0];
    let team = "Équipe d'animation (ATEMIS, Institut)";
    let peers = "Représentants de territoires du premier groupe ; réseaux thématiques";
    for (from, to, title, format, size, resource) in [
        ("09:30", "10:45", "Accueil et tour des trajectoires", "plenary", "", ""),
        (
            "11:00",
            "12:30",
            "Entre pairs : les élus entre eux, les services, les acteurs",
            "by_category",
            "",
            peers,
        ),
        ("14:00", "16:00", "Bien vivre alimentaire, énergie, mobilité : nos enjeux", "mixed", "6", peers),
        ("16:15", "17:00", "Mise en commun", "plenary", "", ""),
    ] {
        let form = DayPartForm {
            starts_at: from.into(),
            ends_at: to.into(),
            title: title.into(),
            format: format.into(),
            room: "Grande salle".into(),
            facilitators: team.into(),
            resource_people: resource.into(),
            group_size: size.into(),
        };
        let part =
            store.save_part(&actor, first_day.id, None, &form.parse().map_err(|e| fields(&e))?).await?;
        if format != "plenary" {
            let delegates = store.day_delegates(cohort.id).await?;
            let groups = roster(&part, &delegates, &overview.programme.categories)?;
            store.set_groups(&actor, first_day.id, part.id, &groups).await?;
        }
    }

    // Attendance of the days held: everyone came on 19 June but one, excused, who sent a
    // stand-in; on 17 September one elected official was absent.
    let delegates = store.day_delegates(cohort.id).await?;
    for (i, d) in delegates.iter().enumerate() {
        for (day_index, day) in days.iter().take(3).enumerate() {
            let status = match (day_index, i) {
                (0, 3) => AttendanceStatus::Excused,
                (1, 0) => AttendanceStatus::Absent,
                _ => AttendanceStatus::Present,
            };
            let answer = if status == AttendanceStatus::Excused {
                Registration::Excused
            } else {
                Registration::Confirmed
            };
            store.register(&actor, day.id, d.delegate_id, answer).await?;
            if status == AttendanceStatus::Excused {
                let stand_in = Name::parse("Inès Remplaçante").map_err(|e| anyhow!("{e}"))?;
                store.record_stand_in(&actor, day.id, d.delegate_id, &stand_in).await?;
            }
            store.record_attendance(&actor, day.id, d.delegate_id, status, false).await?;
        }
    }
    Ok(())
}

/// The groups of a peer-group part, as the organisers' page forms them.
fn roster(
    part: &domain::DayPart,
    delegates: &[domain::DayDelegate],
    categories: &[domain::Category],
) -> anyhow::Result<Vec<(String, Vec<domain::Id>)>> {
    let people: Vec<domain::RosterPerson> = delegates
        .iter()
        .map(|d| domain::RosterPerson {
            person_id: d.delegate_id,
            territory_id: d.territory_id,
            category_id: d.category_id,
        })
        .collect();
    let order: Vec<domain::Id> = categories.iter().map(|c| c.id).collect();
    let groups = match part.format {
        domain::PartFormat::ByCategory => domain::groups_by_category(&people, &order)
            .map_err(|e| anyhow!("{e}"))?
            .into_iter()
            .map(|g| {
                let label = categories
                    .iter()
                    .find(|c| Some(c.id) == g.category_id)
                    .map(|c| c.label_fr.clone())
                    .unwrap_or_default();
                (label, g.person_ids)
            })
            .collect(),
        _ => domain::mixed_groups(&people, &order, part.group_size.unwrap_or(6) as usize)
            .map_err(|e| anyhow!("{e}"))?
            .into_iter()
            .enumerate()
            .map(|(i, g)| (format!("Groupe {}", i + 1), g.person_ids))
            .collect(),
    };
    Ok(groups)
}
