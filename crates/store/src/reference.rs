//! The official territory lists: loaded in one transaction by `fabrique reference import`,
//! searched by folded name prefixes (an index range on both backends), read by kind and code.

use crate::row::{RowExt as _, stored};
use crate::{Actor, Store, StoreResult, error::internal};
use domain::{Place, PlaceKind, PlaceSearchIndex, place_search_key, place_word_keys};
use serde_json::json;
use sqlx::any::AnyRow;

/// How many places of each kind an import loaded (or the lists hold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Communes.
    pub communes: usize,
    /// Intercommunalities.
    pub epci: usize,
    /// Départements.
    pub departements: usize,
    /// Régions.
    pub regions: usize,
}

/// Rows per multi-row INSERT: few round trips, well under the bind limits of both backends.
const BATCH: usize = 500;

/// A prefix starting more keys than this has its best places written at import; any other
/// prefix ranks at most this many keys at each keystroke.
const CROWDED: usize = 100;

/// Most places a search returns (and places kept per crowded prefix).
pub const MAX_PLACE_RESULTS: usize = 20;

const COLUMNS: &str = "kind, code, name, region_code, departement_code, population, epci_code";

fn place_from_row(row: &AnyRow) -> StoreResult<Place> {
    Ok(Place {
        kind: stored(&row.text("kind")?, "place kind", PlaceKind::parse)?,
        code: row.text("code")?,
        name: row.text("name")?,
        region_code: row.opt_text("region_code")?,
        departement_code: row.opt_text("departement_code")?,
        population: row.opt_int("population")?,
        epci_code: row.opt_text("epci_code")?,
    })
}

/// `($1, $2), ($3, $4)…`: the VALUES of `rows` rows of `width` columns.
fn values(rows: usize, width: usize) -> String {
    let row = |r: usize| {
        let cells: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
        format!("({})", cells.join(", "))
    };
    (0..rows).map(row).collect::<Vec<_>>().join(", ")
}

/// The first key after every key that starts with `prefix`, in byte order.
fn after_prefix(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

impl Store {
    /// Replaces the official lists with those of `edition`, all or nothing; `progress` is told
    /// how many places are written out of how many. Running it twice gives the same lists.
    pub async fn import_reference(
        &self,
        edition: &str,
        places: &[Place],
        mut progress: impl FnMut(usize, usize),
    ) -> StoreResult<ImportSummary> {
        let index = PlaceSearchIndex::build(places, CROWDED, MAX_PLACE_RESULTS);
        let rank = |i: usize| index.ranks[i].map(i64::try_from).transpose().map_err(anyhow::Error::from);
        let mut tx = self.begin().await?;
        for table in ["reference_prefixes", "reference_words", "reference_places"] {
            self.count();
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await
                .map_err(internal("clearing the official lists"))?;
        }
        let mut summary = ImportSummary::default();
        let numbered: Vec<(usize, &Place)> = places.iter().enumerate().collect();
        for chunk in numbered.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO reference_places ({COLUMNS}, sort_key, search_rank, edition) VALUES {}",
                values(chunk.len(), 10)
            );
            let mut query = sqlx::query(&sql);
            for &(i, p) in chunk {
                query = query
                    .bind(p.kind.code())
                    .bind(p.code.clone())
                    .bind(p.name.clone())
                    .bind(p.region_code.clone())
                    .bind(p.departement_code.clone())
                    .bind(p.population)
                    .bind(p.epci_code.clone())
                    .bind(place_search_key(&p.name))
                    .bind(rank(i)?)
                    .bind(edition.to_owned());
            }
            self.count();
            query.execute(&mut *tx).await.map_err(internal("writing official places"))?;

            let mut words = Vec::new();
            for &(i, p) in chunk {
                if let Some(rank) = rank(i)? {
                    words.extend(place_word_keys(&p.name).into_iter().map(|key| (key, rank, p)));
                }
            }
            for words in words.chunks(BATCH) {
                let sql = format!(
                    "INSERT INTO reference_words (word_key, place_rank, kind, code) VALUES {}",
                    values(words.len(), 4)
                );
                let mut query = sqlx::query(&sql);
                for (key, rank, p) in words {
                    query = query.bind(key.clone()).bind(*rank).bind(p.kind.code()).bind(p.code.clone());
                }
                self.count();
                query.execute(&mut *tx).await.map_err(internal("writing search keys"))?;
            }
            for (_, p) in chunk {
                match p.kind {
                    PlaceKind::Commune => summary.communes += 1,
                    PlaceKind::Epci => summary.epci += 1,
                    PlaceKind::Departement => summary.departements += 1,
                    PlaceKind::Region => summary.regions += 1,
                }
            }
            progress(summary.communes + summary.epci + summary.departements + summary.regions, places.len());
        }

        let mut best = Vec::new();
        for crowded in &index.crowded {
            for &i in &crowded.places {
                best.push((crowded.prefix.as_str(), rank(i)?, &places[i]));
            }
        }
        for rows in best.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO reference_prefixes (prefix, place_rank, kind, code) VALUES {}",
                values(rows.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for &(prefix, rank, p) in rows {
                query = query.bind(prefix.to_owned()).bind(rank).bind(p.kind.code()).bind(p.code.clone());
            }
            self.count();
            query.execute(&mut *tx).await.map_err(internal("writing the best places of prefixes"))?;
        }

        let after = json!({
            "edition": edition, "communes": summary.communes, "epci": summary.epci,
            "departements": summary.departements, "regions": summary.regions,
        });
        self.record(&mut tx, &Actor::system(), "reference", 0, "import", None::<&()>, Some(&after)).await?;
        tx.commit().await.map_err(internal("committing the official lists"))?;
        Ok(summary)
    }

    /// Communes and EPCI with a name word starting with `query` (accents and case ignored), or
    /// whose code is `query`, most populous first; at most `limit`, and never more than
    /// `MAX_PLACE_RESULTS`. A prefix that starts many names reads the best places kept for it at
    /// import; any other ranks its few matches: either way one short index read.
    pub async fn search_places(&self, query: &str, limit: usize) -> StoreResult<Vec<Place>> {
        let key = place_search_key(query);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let limit = i64::try_from(limit.clamp(1, MAX_PLACE_RESULTS)).map_err(anyhow::Error::from)?;
        self.count();
        // The few matches are ranked first, then each place is read by its key (CROSS JOIN keeps
        // SQLite in that order; the LIMIT tells PostgreSQL how few they are).
        let rows = sqlx::query(&format!(
            "SELECT {} FROM (
                 SELECT place_rank, kind, code FROM reference_prefixes WHERE prefix = $1
                 UNION
                 SELECT place_rank, kind, code FROM reference_words
                  WHERE word_key >= $1 AND word_key < $2
                    AND NOT EXISTS (SELECT 1 FROM reference_prefixes WHERE prefix = $1)
                 UNION
                 SELECT search_rank AS place_rank, kind, code FROM reference_places
                  WHERE code = $3 AND search_rank IS NOT NULL
                 ORDER BY place_rank LIMIT $4
             ) m CROSS JOIN reference_places p
             WHERE p.kind = m.kind AND p.code = m.code
             ORDER BY m.place_rank",
            COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
        ))
        .bind(&key)
        .bind(after_prefix(&key))
        .bind(query.trim().to_uppercase())
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(internal("searching official places"))?;
        rows.iter().map(place_from_row).collect()
    }

    /// One place of the official lists.
    pub async fn place(&self, kind: PlaceKind, code: &str) -> StoreResult<Option<Place>> {
        self.count();
        let row =
            sqlx::query(&format!("SELECT {COLUMNS} FROM reference_places WHERE kind = $1 AND code = $2"))
                .bind(kind.code())
                .bind(code.trim().to_uppercase())
                .fetch_optional(self.pool())
                .await
                .map_err(internal("loading an official place"))?;
        row.as_ref().map(place_from_row).transpose()
    }

    /// The member communes of an EPCI (by its SIREN), by name.
    pub async fn epci_members(&self, epci_code: &str) -> StoreResult<Vec<Place>> {
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM reference_places
             WHERE epci_code = $1 AND kind = 'commune' ORDER BY sort_key, code"
        ))
        .bind(epci_code.trim())
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing the communes of an EPCI"))?;
        rows.iter().map(place_from_row).collect()
    }

    /// The régions (two-digit codes), by name. The overseas collectivities that the lists give
    /// beside them (975 Saint-Pierre-et-Miquelon… 989 Clipperton, three digits) are not régions.
    pub async fn regions(&self) -> StoreResult<Vec<Place>> {
        self.count();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM reference_places
             WHERE kind = 'region' AND LENGTH(code) = 2 ORDER BY sort_key"
        ))
        .fetch_all(self.pool())
        .await
        .map_err(internal("listing régions"))?;
        rows.iter().map(place_from_row).collect()
    }

    /// How many places of each kind are loaded: communes, EPCI, départements, régions.
    pub async fn reference_counts(&self) -> StoreResult<ImportSummary> {
        self.count();
        let rows = sqlx::query("SELECT kind, COUNT(*) AS n FROM reference_places GROUP BY kind")
            .fetch_all(self.pool())
            .await
            .map_err(internal("counting official places"))?;
        let mut summary = ImportSummary::default();
        for row in &rows {
            let n = usize::try_from(row.int("n")?).unwrap_or(0);
            match stored(&row.text("kind")?, "place kind", PlaceKind::parse)? {
                PlaceKind::Commune => summary.communes = n,
                PlaceKind::Epci => summary.epci = n,
                PlaceKind::Departement => summary.departements = n,
                PlaceKind::Region => summary.regions = n,
            }
        }
        Ok(summary)
    }
}
