//! The référentiel's search index as the application keeps it: one in-memory index per process,
//! filled from the database at start and brought up to date, programme by programme, whenever
//! the programme's `ref_generation` in the database differs from the one indexed (another
//! instance, or this one, wrote since). A search costs one small query to compare the numbers;
//! a rebuild happens once per write, in a blocking thread, one at a time.

use domain::{EntryVersion, Id, Territory, markdown_text};
use search::{Doc, DocKind, Hit, Search, SearchError, SearchIndex};
use std::collections::{HashMap, HashSet};
use store::{SearchSource, Store, StoreError};

/// Why a search gave no results list.
#[derive(Debug)]
pub(crate) enum SearchFailure {
    /// The words typed cannot be searched (empty, too long, nothing left after analysis).
    Query(SearchError),
    /// The database or the index failed.
    Internal(anyhow::Error),
}

impl From<StoreError> for SearchFailure {
    fn from(e: StoreError) -> Self {
        Self::Internal(anyhow::anyhow!("{e}"))
    }
}

/// The message id telling a person why their words cannot be searched.
pub(crate) fn query_message(error: &SearchError) -> &'static str {
    match error {
        SearchError::Empty => "error-search-empty",
        SearchError::TooLong => "error-search-too-long",
        SearchError::NoWords => "error-search-no-words",
        SearchError::Index(_) => "error-page-internal",
    }
}

/// The process's search index.
#[derive(Debug)]
pub struct SearchService {
    index: std::sync::Arc<SearchIndex>,
    rebuilding: tokio::sync::Mutex<()>,
}

fn doc(programme_id: Id, source: SearchSource) -> Doc {
    Doc {
        slug: source.slug,
        doc_kind: if source.contribution { DocKind::Contribution } else { DocKind::Entry },
        programme: programme_id.unsigned_abs(),
        edition: source.edition.unsigned_abs(),
        kind: source.kind,
        section: source.section_id.unsigned_abs(),
        title: source.title,
        summary: source.summary,
        body: markdown_text(&source.body),
        key: source.key,
    }
}

impl SearchService {
    /// An empty index.
    pub fn new() -> anyhow::Result<Self> {
        Ok(Self { index: std::sync::Arc::new(SearchIndex::new()?), rebuilding: tokio::sync::Mutex::new(()) })
    }

    /// Indexes every programme (at start), so that the first search does not wait.
    pub async fn warm(&self, store: &Store) -> anyhow::Result<usize> {
        let mut count = 0;
        for (programme_id, _) in store.referentiel_generations().await.map_err(|e| anyhow::anyhow!("{e}"))? {
            self.refresh(store, programme_id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            count += 1;
        }
        Ok(count)
    }

    /// Brings a programme's documents up to date with the database.
    pub(crate) async fn refresh(&self, store: &Store, programme_id: Id) -> Result<(), SearchFailure> {
        let programme = programme_id.unsigned_abs();
        let current = store.referentiel_generation(programme_id).await?;
        if self.index.generation(programme) == Some(current) {
            return Ok(());
        }
        let _turn = self.rebuilding.lock().await;
        let current = store.referentiel_generation(programme_id).await?;
        if self.index.generation(programme) == Some(current) {
            return Ok(());
        }
        let (generation, sources) = store.search_sources(programme_id).await?;
        let docs: Vec<Doc> = sources.into_iter().map(|s| doc(programme_id, s)).collect();
        let index = self.index.clone();
        let documents = docs.len();
        tokio::task::spawn_blocking(move || index.replace_programme(programme, generation, &docs))
            .await
            .map_err(|e| SearchFailure::Internal(anyhow::anyhow!("{e}")))?
            .map_err(|e| SearchFailure::Internal(anyhow::anyhow!("{e}")))?;
        tracing::debug!(programme_id, generation, documents, "search index rebuilt");
        Ok(())
    }

    /// Runs a search over a programme, after bringing it up to date.
    pub(crate) async fn search(&self, store: &Store, search: &Search<'_>) -> Result<Vec<Hit>, SearchFailure> {
        search::check_query(search.text).map_err(SearchFailure::Query)?;
        self.refresh(store, i64::try_from(search.programme).unwrap_or_default()).await?;
        self.index.search(search).map_err(|e| match e {
            SearchError::Index(_) => SearchFailure::Internal(anyhow::anyhow!("{e}")),
            other => SearchFailure::Query(other),
        })
    }
}

// ---------------------------------------------------------------- territories like mine

/// A peer territory close to the one asked about, with why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct PeerMatch {
    /// The peer.
    pub territory_id: Id,
    /// Its name.
    pub name: String,
    /// How close: 2 per shared theme, 1 for the same kind, the same experience, the same carrier.
    pub score: u32,
    /// Themes in common (labels in the reader's language).
    pub shared_themes: Vec<String>,
    /// Same kind of territory.
    pub same_kind: bool,
    /// Same length of engagement.
    pub same_experience: bool,
    /// Carried by the same kind of actor.
    pub same_carrier: bool,
}

/// An entry relevant to the territory, with why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct EntryMatch {
    /// The entry's address part.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Peers whose experience it tells.
    pub peers: Vec<String>,
    /// The territory's themes it speaks of.
    pub themes: Vec<String>,
}

/// How close `other` is to `mine`.
pub(crate) fn peer_match(
    mine: &Territory,
    other: &Territory,
    label: impl Fn(&domain::Theme) -> String,
) -> PeerMatch {
    let my_themes: HashSet<&str> = mine.themes.iter().map(|t| t.code.as_str()).collect();
    let shared_themes: Vec<String> =
        other.themes.iter().filter(|t| my_themes.contains(t.code.as_str())).map(&label).collect();
    let same_kind = mine.kind == other.kind;
    let same_experience = mine.experience.is_some() && mine.experience == other.experience;
    let same_carrier = mine.carried_by.is_some() && mine.carried_by == other.carried_by;
    let score = 2 * u32::try_from(shared_themes.len()).unwrap_or(u32::MAX / 4)
        + u32::from(same_kind)
        + u32::from(same_experience)
        + u32::from(same_carrier);
    PeerMatch {
        territory_id: other.id,
        name: other.name.to_string(),
        score,
        shared_themes,
        same_kind,
        same_experience,
        same_carrier,
    }
}

/// The peers closest to `mine` (at most `limit`, score above zero), best first then by name.
pub(crate) fn closest_peers(
    mine: &Territory,
    others: &[Territory],
    limit: usize,
    label: impl Fn(&domain::Theme) -> String + Copy,
) -> Vec<PeerMatch> {
    let mut peers: Vec<PeerMatch> = others
        .iter()
        .filter(|o| o.id != mine.id)
        .map(|o| peer_match(mine, o, label))
        .filter(|p| p.score > 0)
        .collect();
    peers.sort_by(|a, b| {
        b.score.cmp(&a.score).then_with(|| domain::sort_key(&a.name).cmp(&domain::sort_key(&b.name)))
    });
    peers.truncate(limit);
    peers
}

/// The entries most relevant to a territory: those telling a close peer's experience (3 points
/// per peer) or the territory's own (3), and those the search finds for each of its themes
/// (2 per theme). `theme_hits` maps a theme label to the slugs its search found.
pub(crate) fn relevant_entries(
    mine: &Territory,
    peers: &[PeerMatch],
    entries: &[EntryVersion],
    theme_hits: &[(String, Vec<String>)],
    limit: usize,
) -> Vec<EntryMatch> {
    let peer_ids: HashMap<Id, &str> = peers.iter().map(|p| (p.territory_id, p.name.as_str())).collect();
    let mut scored: Vec<(u32, usize, EntryMatch)> = Vec::new();
    for (position, entry) in entries.iter().enumerate() {
        let mut names: Vec<String> = Vec::new();
        for x in &entry.experiences {
            let close = x.territory_id == mine.id || peer_ids.contains_key(&x.territory_id);
            if close && !names.contains(&x.territory_name) {
                names.push(x.territory_name.clone());
            }
        }
        let themes: Vec<String> = theme_hits
            .iter()
            .filter(|(_, slugs)| slugs.contains(&entry.slug))
            .map(|(label, _)| label.clone())
            .collect();
        let score = 3 * names.len() + 2 * themes.len();
        if score > 0 {
            let score = u32::try_from(score).unwrap_or(u32::MAX);
            scored.push((
                score,
                position,
                EntryMatch { slug: entry.slug.clone(), title: entry.title.clone(), peers: names, themes },
            ));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, _, m)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{CarriedBy, Experience, LongText, Name, TerritoryKind, Theme};

    fn theme(code: &str) -> Theme {
        Theme { id: 1, code: code.into(), label_fr: code.to_uppercase(), label_en: code.into() }
    }

    fn territory(id: Id, name: &str, themes: &[&str], experience: Option<Experience>) -> Territory {
        Territory {
            id,
            name: Name::parse(name).expect("name"),
            kind: TerritoryKind::Commune,
            official_code: None,
            experience,
            carried_by: Some(CarriedBy::LocalAuthority),
            trajectory: LongText::default(),
            themes: themes.iter().map(|t| theme(t)).collect(),
            milestones: Vec::new(),
        }
    }

    #[test]
    fn peers_are_ranked_by_shared_themes_then_profile_with_reasons() {
        let mine = territory(1, "Ma commune", &["energy", "food"], Some(Experience::NewlyEngaged));
        let others = [
            territory(2, "Malaunay", &["energy"], Some(Experience::Experienced)),
            territory(3, "Le Mené", &["energy", "food"], Some(Experience::Pioneer)),
            territory(4, "Grande-Synthe", &[], Some(Experience::NewlyEngaged)),
            mine.clone(),
        ];
        let peers = closest_peers(&mine, &others, 5, |t| t.label_fr.clone());
        let names: Vec<&str> = peers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Le Mené", "Malaunay", "Grande-Synthe"]);
        assert_eq!(peers[0].shared_themes, ["ENERGY", "FOOD"]);
        assert_eq!(peers[0].score, 4 + 1 + 1);
        assert!(peers[2].same_experience && peers[2].shared_themes.is_empty());
    }
}
