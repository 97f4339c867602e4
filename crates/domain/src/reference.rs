//! Official territory lists (communes, EPCI, départements, régions) as Fabrique keeps them: to
//! find a territory by name while applying, and to know a territory's région.

use crate::{Invalid, TerritoryKind};
use serde::{Deserialize, Serialize};
use std::cmp::{Ordering, Reverse};
use utoipa::ToSchema;

coded_enum! {
    /// The kind of an official place.
    PlaceKind, "place-kind", "error-choice-invalid" {
        /// A commune (INSEE code).
        Commune = "commune",
        /// An intercommunality (SIREN).
        Epci = "epci",
        /// A département (INSEE code).
        Departement = "departement",
        /// A région (INSEE code).
        Region = "region",
    }
}

impl PlaceKind {
    /// The kind of territory a place becomes when a territory is created from it.
    pub fn territory_kind(self) -> TerritoryKind {
        match self {
            Self::Commune => TerritoryKind::Commune,
            Self::Epci => TerritoryKind::Epci,
            Self::Departement => TerritoryKind::Departement,
            Self::Region => TerritoryKind::Region,
        }
    }

    /// Whether applicants find places of this kind by searching: communes and EPCI apply;
    /// départements and régions are chosen from short lists.
    pub fn is_searched(self) -> bool {
        matches!(self, Self::Commune | Self::Epci)
    }
}

/// A place of the official lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Place {
    /// Its kind.
    pub kind: PlaceKind,
    /// INSEE code (communes, départements, régions) or SIREN (EPCI).
    pub code: String,
    /// Official name.
    pub name: String,
    /// INSEE code of its région (for an EPCI, the région of most of its communes).
    pub region_code: Option<String>,
    /// INSEE code of its département, for communes and départements.
    pub departement_code: Option<String>,
    /// Municipal population, when the lists give it.
    pub population: Option<i64>,
    /// The SIREN of the EPCI a commune belongs to: the EPCI's member communes are those that
    /// name it here.
    pub epci_code: Option<String>,
}

/// One line of the vendored extract, parsed: `kind code name région département population epci`.
pub fn parse_place_line(line: &str) -> Result<Place, Invalid> {
    let fields: Vec<&str> = line.split('\t').collect();
    let bad = || Invalid::new("error-reference-line");
    if fields.len() != 7 {
        return Err(bad());
    }
    let kind = PlaceKind::parse(fields[0]).map_err(|_| bad())?;
    let code = fields[1].trim();
    let name = fields[2].trim();
    if code.is_empty() || name.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    let optional = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let population = match fields[5].trim() {
        "" => None,
        n => Some(n.parse::<i64>().map_err(|_| bad())?),
    };
    Ok(Place {
        kind,
        code: code.to_owned(),
        name: name.to_owned(),
        region_code: optional(fields[3]),
        departement_code: optional(fields[4]),
        population,
        epci_code: optional(fields[6]),
    })
}

/// The key a place is searched by: accents and case folded, anything but letters and digits
/// turned into single spaces (« Saint-Dié-des-Vosges » → « saint die des vosges »).
pub fn place_search_key(text: &str) -> String {
    let folded = crate::sort_key(text);
    let spaced: String = folded.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The keys a place is found by: its whole name, and the name from each later word on, so that
/// « mene » finds « Le Mené » and « die » finds « Saint-Dié-des-Vosges »; a key starting with
/// « saint » or « sainte » is also kept with the usual abbreviation (« st », « ste »), and the
/// other way round, as people and official names write both.
pub fn place_word_keys(name: &str) -> Vec<String> {
    let key = place_search_key(name);
    let mut keys = vec![key.clone()];
    keys.extend(key.match_indices(' ').map(|(at, _)| key[at + 1..].to_owned()));
    let abbreviated: Vec<String> = keys
        .iter()
        .filter_map(|k| {
            [("saint ", "st "), ("sainte ", "ste "), ("st ", "saint "), ("ste ", "sainte ")]
                .iter()
                .find_map(|(long, short)| k.strip_prefix(long).map(|rest| format!("{short}{rest}")))
        })
        .collect();
    for k in abbreviated {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

/// The order search results come in: most populous first (places without a population last),
/// then by folded name, then by code.
pub fn search_order(a: &Place, b: &Place) -> Ordering {
    search_rank(a).cmp(&search_rank(b))
}

fn search_rank(p: &Place) -> (Reverse<i64>, String, &str) {
    (Reverse(p.population.unwrap_or(-1)), place_search_key(&p.name), &p.code)
}

/// A search prefix that starts too many keys to rank its matches at each keystroke: its best
/// places are worked out once, when the lists are imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrowdedPrefix {
    /// The folded prefix, as `place_search_key` writes a query.
    pub prefix: String,
    /// Its best places (indexes into the places given), in `search_order`.
    pub places: Vec<usize>,
}

/// What searching the places reads besides their names, worked out once at import so that a
/// search never ranks more than a handful of matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceSearchIndex {
    /// Each place's position in `search_order` among the searched places (communes and EPCI);
    /// `None` for the others.
    pub ranks: Vec<Option<usize>>,
    /// Every prefix that starts more than `crowded` keys of searched places, with its `top`
    /// best places. Any other prefix starts at most `crowded` keys. Prefixes ending with a space
    /// are left out: a query is trimmed before it is searched.
    pub crowded: Vec<CrowdedPrefix>,
}

impl PlaceSearchIndex {
    /// Ranks `places` and finds their crowded prefixes.
    pub fn build(places: &[Place], crowded: usize, top: usize) -> Self {
        let mut order: Vec<usize> = (0..places.len()).filter(|&i| places[i].kind.is_searched()).collect();
        order.sort_by_cached_key(|&i| search_rank(&places[i]));
        let mut ranks = vec![None; places.len()];
        for (position, &i) in order.iter().enumerate() {
            ranks[i] = Some(position);
        }
        let mut words: Vec<(String, usize)> = order
            .iter()
            .flat_map(|&i| place_word_keys(&places[i].name).into_iter().map(move |k| (k, i)))
            .collect();
        words.sort();

        // Keys sharing a prefix are neighbours once sorted: walk the ranges that share one more
        // character, going deeper only where a range is still crowded.
        let mut found = Vec::new();
        let mut ranges = vec![(0_usize, 0_usize, words.len())];
        while let Some((depth, low, high)) = ranges.pop() {
            let mut start = low;
            while start < high && words[start].0.len() == depth {
                start += 1;
            }
            while start < high {
                let width = words[start].0[depth..].chars().next().map_or(1, char::len_utf8);
                let head = &words[start].0.as_bytes()[..depth + width];
                let mut end = start + 1;
                while end < high && words[end].0.as_bytes().starts_with(head) {
                    end += 1;
                }
                if end - start > crowded {
                    let prefix = &words[start].0[..depth + width];
                    if !prefix.ends_with(' ') {
                        let mut best: Vec<usize> = words[start..end].iter().map(|&(_, i)| i).collect();
                        best.sort_by_key(|&i| ranks[i]);
                        best.dedup();
                        best.truncate(top);
                        found.push(CrowdedPrefix { prefix: prefix.to_owned(), places: best });
                    }
                    ranges.push((depth + width, start, end));
                }
                start = end;
            }
        }
        found.sort_by(|a, b| a.prefix.cmp(&b.prefix));
        Self { ranks, crowded: found }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines_are_read_or_refused() {
        let p = parse_place_line("commune\t2A004\tAjaccio\t94\t2A\t76320\t242010056").expect("a line");
        assert_eq!((p.kind, p.code.as_str(), p.population), (PlaceKind::Commune, "2A004", Some(76_320)));
        assert_eq!(p.epci_code.as_deref(), Some("242010056"));
        let r = parse_place_line("region\t84\tAuvergne-Rhône-Alpes\t84\t\t\t").expect("a région");
        assert_eq!(r.population, None);
        for bad in [
            "",
            "ville\t1\tX\t\t\t\t",
            "commune\t\tX\t\t\t\t",
            "commune\t1\tX\t\t\tbeaucoup\t",
            "commune\t1 2\tX\t\t\t\t",
        ] {
            assert!(parse_place_line(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_are_found_from_any_word() {
        assert_eq!(place_search_key("  Saint-Dié-des-Vosges "), "saint die des vosges");
        assert_eq!(place_word_keys("Le Mené"), vec!["le mene", "mene"]);
        assert_eq!(place_search_key("L'Haÿ-les-Roses"), "l hay les roses");
        assert_eq!(place_search_key("Évry-Courcouronnes"), "evry courcouronnes");
    }

    #[test]
    fn saint_and_st_find_each_other() {
        let keys = place_word_keys("Saint-Dié-des-Vosges");
        assert!(keys.contains(&"st die des vosges".to_owned()), "{keys:?}");
        let keys = place_word_keys("CC du Pays de Pontchâteau St-Gildas-des-Bois");
        assert!(keys.contains(&"saint gildas des bois".to_owned()), "{keys:?}");
        let keys = place_word_keys("Sainte-Menehould");
        assert!(keys.contains(&"ste menehould".to_owned()), "{keys:?}");
        assert!(!keys.contains(&"st menehould".to_owned()), "« sainte » is not « saint »: {keys:?}");
    }

    fn commune(code: &str, name: &str, population: Option<i64>) -> Place {
        Place {
            kind: PlaceKind::Commune,
            code: code.into(),
            name: name.into(),
            region_code: None,
            departement_code: None,
            population,
            epci_code: None,
        }
    }

    #[test]
    fn results_come_most_populous_first() {
        let mut places = [
            commune("3", "Bé", None),
            commune("2", "Ba", Some(10)),
            commune("1", "Bb", Some(10)),
            commune("4", "Bc", Some(500)),
        ];
        places.sort_by(search_order);
        let codes: Vec<&str> = places.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["4", "2", "1", "3"]);
    }

    #[test]
    fn crowded_prefixes_keep_their_best_places() {
        let mut places: Vec<Place> =
            (0..5).map(|n| commune(&format!("0100{n}"), &format!("Saint-Ours {n}"), Some(n))).collect();
        places.push(commune("02000", "Sallèles", Some(100)));
        places.push(Place { kind: PlaceKind::Region, ..commune("84", "Savoie région", Some(1_000)) });
        let found = PlaceSearchIndex::build(&places, 4, 2).crowded;
        let best = |prefix: &str| found.iter().find(|c| c.prefix == prefix).map(|c| c.places.clone());
        // « sa » starts 6 keys (régions are not searched), « saint » 5, « sal » 1.
        assert_eq!(best("s"), Some(vec![5, 4]), "Sallèles, then the most populous Saint-Ours");
        assert_eq!(best("sa"), Some(vec![5, 4]));
        assert_eq!(best("saint"), Some(vec![4, 3]));
        assert_eq!(best("st ours"), Some(vec![4, 3]), "abbreviations are keys too");
        assert_eq!(best("saint "), None, "a query never ends with a space");
        assert_eq!(best("sal"), None);
        assert_eq!(best("saint ours 1"), None);
    }

    fn brute_force(places: &[Place], prefix: &str) -> (usize, Vec<usize>) {
        let mut count = 0;
        let mut matching = Vec::new();
        for (i, p) in places.iter().enumerate().filter(|(_, p)| p.kind.is_searched()) {
            let n = place_word_keys(&p.name).iter().filter(|k| k.starts_with(prefix)).count();
            count += n;
            if n > 0 {
                matching.push(i);
            }
        }
        matching.sort_by(|&a, &b| search_order(&places[a], &places[b]));
        (count, matching)
    }

    proptest! {
        #[test]
        fn any_prefix_is_crowded_and_ranked_or_short(
            names in prop::collection::vec(("[abé -]{1,6}", prop::option::of(0i64..5)), 1..40),
            crowded in 1usize..6,
        ) {
            let places: Vec<Place> = names
                .iter()
                .enumerate()
                .map(|(i, (name, population))| commune(&i.to_string(), name, *population))
                .collect();
            let index = PlaceSearchIndex::build(&places, crowded, 3);
            for (a, b) in (0..places.len()).flat_map(|a| (0..places.len()).map(move |b| (a, b))) {
                prop_assert_eq!(index.ranks[a].cmp(&index.ranks[b]), search_order(&places[a], &places[b]));
            }
            let found = index.crowded;
            let mut prefixes: Vec<String> = places
                .iter()
                .flat_map(|p| place_word_keys(&p.name))
                .flat_map(|k| k.char_indices().map(|(at, c)| k[..at + c.len_utf8()].to_owned()).collect::<Vec<_>>())
                .collect();
            prefixes.sort();
            prefixes.dedup();
            for prefix in prefixes.iter().filter(|p| !p.ends_with(' ')) {
                let (count, best) = brute_force(&places, prefix);
                match found.iter().find(|c| &c.prefix == prefix) {
                    Some(c) => {
                        prop_assert!(count > crowded, "{prefix:?} is not crowded");
                        prop_assert_eq!(&c.places, &best[..best.len().min(3)]);
                    }
                    None => prop_assert!(count <= crowded, "{prefix:?} starts {count} keys"),
                }
            }
        }
    }
}
