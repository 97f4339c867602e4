//! The demonstration's référentiel: edition 1, written from the 2019 call's own words (the
//! challenges it names, the ways of working it describes) with the first session's peer towns'
//! experiences, built through the same proposals and reviews an organiser makes; then the
//! contributions of the second session's days, two of which feed a draft edition 2.
//! The text lives in `referentiel.json` beside this file.

use super::fields;
use domain::{ChangeForm, ContributionForm, ExperienceInput, Id, Review, SectionForm, Triage};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use store::{Actor, Store};

#[derive(Deserialize)]
struct Data {
    edition_1: EditionData,
    contributions: Vec<ContributionData>,
}

#[derive(Deserialize)]
struct EditionData {
    note: String,
    parts: Vec<PartData>,
}

#[derive(Deserialize)]
struct PartData {
    title: String,
    sections: Vec<SectionData>,
}

#[derive(Deserialize)]
struct SectionData {
    title: String,
    entries: Vec<EntryData>,
}

#[derive(Deserialize)]
struct EntryData {
    slug: String,
    kind: String,
    title: String,
    summary: String,
    body: String,
    related: Vec<String>,
    experiences: Vec<ExperienceData>,
}

#[derive(Deserialize)]
struct ExperienceData {
    territory: String,
    session: String,
    account: String,
}

#[derive(Deserialize)]
struct ContributionData {
    day: String,
    territory: Option<String>,
    kind: String,
    text: String,
    entries: Vec<String>,
}

/// The demonstration's text, checked by the tests below.
const DATA: &str = include_str!("referentiel.json");

/// Proposes a change as an organiser would, and accepts it.
async fn accepted(store: &Store, actor: &Actor, programme_id: Id, form: &ChangeForm) -> anyhow::Result<()> {
    let change = store.propose_change(actor, programme_id, &form.parse().map_err(|e| fields(&e))?).await?;
    store.review_change(actor, change.id, &Review { accept: true, comment: String::new() }).await?;
    Ok(())
}

/// Loads the référentiel when the programme has no edition yet.
pub(super) async fn load(store: &Store, programme_slug: &str) -> anyhow::Result<()> {
    let actor = Actor::system();
    let programme = store.programme_by_slug(programme_slug).await?;
    if !store.editions_of(programme.id).await?.is_empty() {
        return Ok(());
    }
    let data: Data = serde_json::from_str(DATA)?;
    let mut sessions: HashMap<String, Id> = HashMap::new();
    let mut territories: HashMap<String, Id> = HashMap::new();
    for cohort in store.list_cohorts(Some(programme.id)).await? {
        sessions.insert(cohort.slug.as_str().to_owned(), cohort.id);
        for t in store.cohort_overview(cohort.id).await?.territories {
            territories.insert(t.name.clone(), t.territory_id);
        }
    }
    let territory =
        |name: &str| territories.get(name).copied().ok_or_else(|| anyhow::anyhow!("no territory {name}"));

    // Edition 1: the sections, then each entry proposed and accepted. An entry is linked to
    // those before it (a link reads both ways), so that every link of the text is kept.
    let mut placed: HashSet<&str> = HashSet::new();
    let related_of: HashMap<&str, &Vec<String>> = data
        .edition_1
        .parts
        .iter()
        .flat_map(|p| &p.sections)
        .flat_map(|s| &s.entries)
        .map(|e| (e.slug.as_str(), &e.related))
        .collect();
    for (p, part) in data.edition_1.parts.iter().enumerate() {
        for (s, section) in part.sections.iter().enumerate() {
            let form = SectionForm {
                part_position: (p + 1).to_string(),
                part_title: part.title.clone(),
                position: (s + 1).to_string(),
                title: section.title.clone(),
            };
            let section_id =
                store.create_section(&actor, programme.id, &form.parse().map_err(|e| fields(&e))?).await?.id;
            for entry in &section.entries {
                let related: Vec<String> = placed
                    .iter()
                    .filter(|other| {
                        entry.related.iter().any(|r| r == *other)
                            || related_of.get(*other).is_some_and(|list| list.contains(&entry.slug))
                    })
                    .map(|other| (*other).to_owned())
                    .collect();
                let mut experiences = Vec::new();
                for x in &entry.experiences {
                    experiences.push(ExperienceInput {
                        territory_id: territory(&x.territory)?,
                        cohort_id: sessions.get(&x.session).copied(),
                        account: x.account.clone(),
                    });
                }
                let form = ChangeForm {
                    action: "new".into(),
                    slug: entry.slug.clone(),
                    section: section_id.to_string(),
                    kind: entry.kind.clone(),
                    title: entry.title.clone(),
                    summary: entry.summary.clone(),
                    body: entry.body.clone(),
                    related: Some(related),
                    experiences,
                    rationale: "Première session de l'atelier".into(),
                    ..Default::default()
                };
                accepted(store, &actor, programme.id, &form).await?;
                placed.insert(entry.slug.as_str());
            }
        }
    }
    store.publish_draft(&actor, programme.id, &data.edition_1.note).await?;

    // The second session's contributions, on its dated days.
    let second = store.cohort_by_slugs(programme_slug, "seconde-session").await?;
    let days: HashMap<String, Id> = store
        .days_of(second.id)
        .await?
        .into_iter()
        .filter_map(|d| match d.date {
            domain::DayDate::Set(date) => Some((date.iso(), d.id)),
            domain::DayDate::ToBeSet(..) => None,
        })
        .collect();
    let mut recorded = Vec::new();
    for c in &data.contributions {
        let day = days.get(&c.day).ok_or_else(|| anyhow::anyhow!("no day on {}", c.day))?;
        let form = ContributionForm {
            day: day.to_string(),
            territory: c
                .territory
                .as_deref()
                .map(territory)
                .transpose()?
                .map(|t| t.to_string())
                .unwrap_or_default(),
            kind: c.kind.clone(),
            text: c.text.clone(),
            entries: c.entries.clone(),
        };
        let input = form.parse().map_err(|e| fields(&e))?;
        recorded.push((store.create_contribution(&actor, programme.id, &input).await?, c));
    }

    // Draft edition 2: the first contribution enriches the entries it names; the one asking
    // for a new entry on the energy sobriety of public buildings becomes that entry.
    let edition_one = store.editions_of(programme.id).await?.remove(0);
    let entries = store.edition_entries(edition_one.id).await?;
    if let Some((first, data)) = recorded.iter().find(|(_, d)| !d.entries.is_empty())
        && let Some(entry) = entries.iter().find(|e| data.entries.first() == Some(&e.slug))
    {
        store.triage_contribution(&actor, first.id, Triage::Keep).await?;
        let form = ChangeForm {
            action: "edit".into(),
            entry: entry.slug.clone(),
            kind: entry.kind.code().into(),
            title: entry.title.clone(),
            summary: entry.summary.clone(),
            body: format!("{}\n\n{}", entry.body, data.text),
            contribution: first.id.to_string(),
            rationale: "D'après la contribution de la première journée".into(),
            ..Default::default()
        };
        accepted(store, &actor, programme.id, &form).await?;
    }
    if let Some((asking, data)) = recorded.iter().find(|(_, d)| d.text.contains("bâtiments publics"))
        && let Some(section) = store.sections_of(programme.id).await?.first()
    {
        store.triage_contribution(&actor, asking.id, Triage::Keep).await?;
        let form = ChangeForm {
            action: "new".into(),
            section: section.id.to_string(),
            kind: "method".into(),
            title: "La sobriété énergétique des bâtiments publics".into(),
            summary: "Commencer par les bâtiments de la collectivité : mesurer, réduire, puis produire."
                .into(),
            body: data.text.clone(),
            experience_territory: asking.territory_id.map(|t| t.to_string()).unwrap_or_default(),
            experience_session: second.id.to_string(),
            experience_account: data.text.clone(),
            contribution: asking.id.to_string(),
            rationale: "Une délégation demande une entrée sur ce sujet".into(),
            ..Default::default()
        };
        accepted(store, &actor, programme.id, &form).await?;
    }
    Ok(())
}

/// A published edition of `entries` generated entries (French words of the demonstration's
/// text, mixed deterministically) in 3 parts of 4 sections, for the benchmarks; skipped when
/// the programme exists.
pub(crate) async fn bench_edition(store: &Store, slug: &str, entries: usize) -> anyhow::Result<()> {
    if store.programme_by_slug(slug).await.is_ok() {
        return Ok(());
    }
    let actor = Actor::system();
    let form = domain::ProgrammeForm {
        name: format!("Référentiel d'essai ({entries} entrées)"),
        slug: slug.into(),
        description: String::new(),
    };
    let programme = store
        .create_programme(&actor, &form.parse().map_err(|e| fields(&e))?, &domain::default_triptych())
        .await?;
    let data: Data = serde_json::from_str(DATA)?;
    let mut words: Vec<String> = Vec::new();
    for e in data.edition_1.parts.iter().flat_map(|p| &p.sections).flat_map(|s| &s.entries) {
        for w in format!("{} {} {}", e.title, e.summary, e.body).split(|c: char| !c.is_alphabetic()) {
            if w.chars().count() >= 4 && !words.iter().any(|x| x == w) {
                words.push(w.to_lowercase());
            }
        }
    }
    let mut seed: u64 = 0x5EED_2019;
    let mut next = move |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap_or(0) % n
    };
    let mut sentence = |count: usize| -> String {
        let mut text: Vec<&str> = Vec::with_capacity(count);
        for _ in 0..count {
            text.push(&words[next(words.len())]);
        }
        let mut s = text.join(" ");
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + &s[1..];
        }
        s + "."
    };
    let kinds = domain::EntryKind::ALL;
    let mut sections = Vec::new();
    let mut n = 0usize;
    for part in 1..=3i64 {
        for position in 1..=4i64 {
            let share = entries / 12 + usize::from(((part - 1) * 4 + position - 1) < (entries % 12) as i64);
            let mut list = Vec::with_capacity(share);
            for _ in 0..share {
                list.push(store::ImportedEntry {
                    slug: domain::Slug::parse(&format!("entree-{n:05}"))
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                    kind: kinds[n % kinds.len()],
                    title: sentence(5).trim_end_matches('.').to_owned(),
                    summary: sentence(18),
                    body: format!("{}\n\n{}\n\n{}", sentence(40), sentence(40), sentence(30)),
                });
                n += 1;
            }
            sections.push(store::ImportedSection {
                section: domain::SectionInput {
                    part_position: part,
                    part_title: format!("Partie {part}"),
                    position,
                    title: format!("Section {part}.{position}"),
                },
                entries: list,
            });
        }
    }
    store.import_edition(&actor, programme.id, &sections, "Données d'essai").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::Backend;
    use store::testing::TestDatabase;

    #[derive(Deserialize)]
    struct Golden {
        query: String,
        top: String,
    }

    /// The fixed French queries of `referentiel-queries.json` over the demonstration's edition 1,
    /// through the API of a real server: each finds its expected entry first, on either backend.
    async fn golden_queries_find_their_entry_first(backend: Backend) {
        let (_db, store) = TestDatabase::store(backend).await.expect("store");
        crate::demo::load(&store).await.expect("demo");
        let state =
            web::AppState::new(store.clone(), web::Settings { public_url: "http://127.0.0.1".into() })
                .expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!(
            "http://{}/api/v1/programmes/villes-pairs/referentiel",
            listener.local_addr().expect("address")
        );
        tokio::spawn(async move {
            let app = web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
            let _ = axum::serve(listener, app).await;
        });
        let client = reqwest::Client::new();
        let golden: Vec<Golden> = serde_json::from_str(include_str!("referentiel-queries.json"))
            .expect("referentiel-queries.json reads");
        // The answer's edition and result addresses, in order.
        let search = |q: String| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let answer: serde_json::Value = client
                    .get(format!("{base}/search"))
                    .query(&[("q", q)])
                    .send()
                    .await
                    .expect("search")
                    .json()
                    .await
                    .expect("JSON");
                let slugs: Vec<String> = answer["results"]
                    .as_array()
                    .expect("results")
                    .iter()
                    .filter_map(|r| r["slug"].as_str().map(str::to_owned))
                    .collect();
                (answer["edition"].clone(), slugs)
            }
        };
        let mut failures = Vec::new();
        for g in &golden {
            let (edition, slugs) = search(g.query.clone()).await;
            assert_eq!(edition, 1);
            if slugs.first() != Some(&g.top) {
                failures.push(format!(
                    "{:?} → {:?} (expected {} first)",
                    g.query,
                    &slugs[..slugs.len().min(3)],
                    g.top
                ));
            }
        }
        assert!(failures.is_empty(), "golden queries on {}:\n{}", backend.name(), failures.join("\n"));
        // Accents do not matter: the same list, in the same order.
        assert_eq!(search("énergie économie".into()).await, search("ENERGIE economie".into()).await);
        // The draft edition 2 is the organisers' until published.
        let draft = client
            .get(format!("{base}/search"))
            .query(&[("q", "sobriété"), ("edition", "2")])
            .send()
            .await
            .expect("search");
        assert_eq!(draft.status().as_u16(), 422);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn golden_queries_on_sqlite() {
        golden_queries_find_their_entry_first(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn golden_queries_on_postgres() {
        golden_queries_find_their_entry_first(Backend::Postgres).await;
    }

    #[test]
    fn the_text_is_complete_and_its_links_resolve() {
        let data: Data = serde_json::from_str(DATA).expect("referentiel.json reads");
        let entries: Vec<&EntryData> =
            data.edition_1.parts.iter().flat_map(|p| &p.sections).flat_map(|s| &s.entries).collect();
        let slugs: HashSet<&str> = entries.iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(slugs.len(), entries.len(), "slugs are unique");
        assert!(entries.len() >= 18, "{} entries", entries.len());
        for kind in domain::EntryKind::ALL {
            assert!(entries.iter().filter(|e| e.kind == kind.code()).count() >= 2, "{kind}");
        }
        for e in &entries {
            for r in &e.related {
                assert!(slugs.contains(r.as_str()), "{} links to unknown {r}", e.slug);
            }
        }
        for c in &data.contributions {
            for r in &c.entries {
                assert!(slugs.contains(r.as_str()), "a contribution names unknown {r}");
            }
        }
        assert!(data.contributions.iter().any(|c| c.text.contains("bâtiments publics")));
    }
}
