//! Peer-group rosters of a workshop day: who sits with whom in the agenda parts held "in peer
//! groups".
//!
//! Two ways to form them from the session's delegations:
//!
//! - [`groups_by_category`]: one group per category (elected officials together, technical
//!   staff together…), so that peers in the same role compare notes across territories;
//! - [`mixed_groups`]: groups of a chosen size that mix territories first (nobody meets a
//!   colleague from home when that can be avoided) and categories second.
//!
//! Both are pure and deterministic: the same people, in any order, give the same roster. The
//! organiser then adjusts it by hand, one [`move_person`] at a time.

use crate::{Id, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// One person of the session's delegations, as roster generation sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RosterPerson {
    /// The person; a person belongs to one delegation, so appears once.
    pub person_id: Id,
    /// The territory whose delegation they belong to.
    pub territory_id: Id,
    /// Their delegation category (elected officials, technical staff…).
    pub category_id: Id,
}

/// One group of a roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RosterGroup {
    /// The category the group gathers, for groups by category; `None` for mixed groups.
    pub category_id: Option<Id>,
    /// The people of the group, ordered by territory then person (the caller may re-sort by
    /// name for display).
    pub person_ids: Vec<Id>,
}

/// Groups by category: one group per category that has people, in the order of
/// `category_order`, then categories missing from that order by identifier, so that nobody is
/// left out. People are ordered by territory then person.
pub fn groups_by_category(
    people: &[RosterPerson],
    category_order: &[Id],
) -> Result<Vec<RosterGroup>, Invalid> {
    check_unique(people)?;
    let mut by_category: BTreeMap<(usize, Id), Vec<&RosterPerson>> = BTreeMap::new();
    for person in people {
        by_category.entry(category_rank(category_order, person.category_id)).or_default().push(person);
    }
    Ok(by_category
        .into_iter()
        .map(|((_, category_id), members)| RosterGroup {
            category_id: Some(category_id),
            person_ids: ordered_ids(members),
        })
        .collect())
}

/// Mixed groups of about `size` people: `ceil(n / size)` groups whose sizes differ by one at
/// most, where
///
/// 1. each territory is spread as evenly as possible: no two people of a territory share a
///    group when the largest delegation has no more people than there are groups, and
///    otherwise no group holds more than `ceil(count / groups)` of a territory's `count`
///    people (which is what makes same-territory pairs fewest);
/// 2. then categories are spread across groups as evenly as the first rule allows.
///
/// Refuses a size of 0 or larger than the number of people (`error-group-size`, argument
/// `max`), and a person listed twice (`error-roster-duplicate-person`, argument `person`).
pub fn mixed_groups(
    people: &[RosterPerson],
    category_order: &[Id],
    size: usize,
) -> Result<Vec<RosterGroup>, Invalid> {
    let n = people.len();
    if size == 0 || size > n {
        return Err(Invalid::new("error-group-size").with("max", n));
    }
    check_unique(people)?;
    let group_count = n.div_ceil(size);

    // The dealing order: by territory, then category, then person. Person identifiers are
    // unique, so this order is total and depends on the set of people only: everything below
    // depends on it alone, hence the determinism. Which territory comes first does not matter
    // for the spread below (each territory only needs its people to be consecutive), so plain
    // identifier order does rather than, say, the largest delegations first.
    let mut people = people.to_vec();
    people.sort_by_key(|p| (p.territory_id, category_rank(category_order, p.category_id), p.person_id));
    let territories = dense_indices(people.iter().map(|p| p.territory_id));
    let categories = dense_indices(people.iter().map(|p| category_rank(category_order, p.category_id)));
    let dealt: Vec<Dealt> = people
        .iter()
        .map(|p| Dealt {
            territory: territories[&p.territory_id],
            category: categories[&category_rank(category_order, p.category_id)],
        })
        .collect();

    // Deal round-robin: the i-th person goes to group i mod g. Sizes: the first n mod g groups
    // get one more. Territories: a territory's people are consecutive in the order, so any g
    // of them land in g different groups, and a territory of c people puts floor(c/g) or
    // ceil(c/g) people in each group; that is at most one when c ≤ g, and otherwise the most
    // even spread, which minimises same-territory pairs since x(x-1)/2 is convex.
    let mut state = Deal::new(&dealt, group_count, territories.len(), categories.len());
    state.balance_categories();

    let mut groups: Vec<Vec<&RosterPerson>> = vec![Vec::new(); group_count];
    for (person, &group) in people.iter().zip(&state.group_of) {
        groups[group].push(person);
    }
    Ok(groups
        .into_iter()
        .map(|members| RosterGroup { category_id: None, person_ids: ordered_ids(members) })
        .collect())
}

/// The roster after moving one person to the group at index `to_group`, where they come last.
/// Groups keep their indices, even when one empties. Refuses a person in no group
/// (`error-roster-unknown-person`, argument `person`) and a group index out of range
/// (`error-roster-unknown-group`, argument `max`, the last valid index plus one).
pub fn move_person(
    groups: &[RosterGroup],
    person_id: Id,
    to_group: usize,
) -> Result<Vec<RosterGroup>, Invalid> {
    if to_group >= groups.len() {
        return Err(Invalid::new("error-roster-unknown-group").with("max", groups.len()));
    }
    let Some(from_group) = groups.iter().position(|g| g.person_ids.contains(&person_id)) else {
        return Err(Invalid::new("error-roster-unknown-person").with("person", person_id));
    };
    let mut groups = groups.to_vec();
    if from_group != to_group {
        groups[from_group].person_ids.retain(|&id| id != person_id);
        groups[to_group].person_ids.push(person_id);
    }
    Ok(groups)
}

/// A person in the dealing, by dense territory and category indices.
#[derive(Debug, Clone, Copy)]
struct Dealt {
    territory: usize,
    category: usize,
}

/// The dealing being balanced: who is in which group, and the counts that the rules read.
struct Deal<'a> {
    people: &'a [Dealt],
    group_of: Vec<usize>,
    /// `by_territory[group][territory]`: people of a territory in a group.
    by_territory: Vec<Vec<usize>>,
    /// `by_category[group][category]`: people of a category in a group.
    by_category: Vec<Vec<usize>>,
    /// Per territory, the fewest and most people a group may hold: `floor(c/g)`, `ceil(c/g)`.
    territory_bounds: Vec<(usize, usize)>,
}

impl<'a> Deal<'a> {
    /// The round-robin dealing of people, already in dealing order.
    fn new(people: &'a [Dealt], group_count: usize, territory_count: usize, category_count: usize) -> Self {
        let group_of: Vec<usize> = (0..people.len()).map(|i| i % group_count).collect();
        let mut by_territory = vec![vec![0; territory_count]; group_count];
        let mut by_category = vec![vec![0; category_count]; group_count];
        let mut territory_sizes = vec![0; territory_count];
        for (person, &group) in people.iter().zip(&group_of) {
            by_territory[group][person.territory] += 1;
            by_category[group][person.category] += 1;
            territory_sizes[person.territory] += 1;
        }
        let territory_bounds =
            territory_sizes.iter().map(|&c| (c / group_count, c.div_ceil(group_count))).collect();
        Self { people, group_of, by_territory, by_category, territory_bounds }
    }

    /// Spreads categories by swapping two people of different groups while that makes the
    /// sum, over groups and categories, of the squared counts smaller: with each category's
    /// total fixed, that sum is smallest when counts are as equal as possible. A swap keeps
    /// group sizes, and is taken only when every territory stays within its bounds, so the
    /// territory spread of the dealing holds throughout. Each swap lowers a non-negative
    /// integer, so the loop ends; scanning pairs in dealing order keeps it deterministic.
    fn balance_categories(&mut self) {
        let n = self.people.len();
        let mut swapped = true;
        while swapped {
            swapped = false;
            for i in 0..n {
                for j in i + 1..n {
                    if self.swap_helps(i, j) {
                        self.swap(i, j);
                        swapped = true;
                    }
                }
            }
        }
    }

    /// Whether swapping people `i` and `j` lowers the category sum of squares and keeps every
    /// territory within bounds.
    fn swap_helps(&self, i: usize, j: usize) -> bool {
        let (a, b) = (self.group_of[i], self.group_of[j]);
        let (x, y) = (self.people[i].category, self.people[j].category);
        if a == b || x == y {
            return false;
        }
        // Group a trades an x for a y, group b a y for an x. The sum of squares changes by
        // 2·((a_y − a_x) + (b_x − b_y) + 2): it falls when (a_x − b_x) + (b_y − a_y) ≥ 3.
        let count = |group: usize, category: usize| self.by_category[group][category];
        if count(a, x) + count(b, y) < count(b, x) + count(a, y) + 3 {
            return false;
        }
        let (s, t) = (self.people[i].territory, self.people[j].territory);
        s == t || (self.fits(b, s, 1) && self.fits(a, s, -1) && self.fits(a, t, 1) && self.fits(b, t, -1))
    }

    /// Whether a group keeps the territory within its bounds after gaining (`+1`) or losing
    /// (`-1`) one of its people.
    fn fits(&self, group: usize, territory: usize, change: isize) -> bool {
        let (low, high) = self.territory_bounds[territory];
        self.by_territory[group][territory]
            .checked_add_signed(change)
            .is_some_and(|count| (low..=high).contains(&count))
    }

    fn swap(&mut self, i: usize, j: usize) {
        let (a, b) = (self.group_of[i], self.group_of[j]);
        for (person, from, to) in [(self.people[i], a, b), (self.people[j], b, a)] {
            self.by_territory[from][person.territory] -= 1;
            self.by_territory[to][person.territory] += 1;
            self.by_category[from][person.category] -= 1;
            self.by_category[to][person.category] += 1;
        }
        self.group_of.swap(i, j);
    }
}

/// Where a category sorts: listed categories in the given order, then the others by id.
fn category_rank(category_order: &[Id], category: Id) -> (usize, Id) {
    let position = category_order.iter().position(|&c| c == category).unwrap_or(category_order.len());
    (position, category)
}

/// Numbers distinct keys 0, 1, 2… in their sorted order, so that counts fit in vectors.
fn dense_indices<K: Ord>(keys: impl Iterator<Item = K>) -> BTreeMap<K, usize> {
    let keys: BTreeSet<K> = keys.collect();
    keys.into_iter().enumerate().map(|(index, key)| (key, index)).collect()
}

/// The identifiers of a group's members, by territory then person.
fn ordered_ids(mut members: Vec<&RosterPerson>) -> Vec<Id> {
    members.sort_by_key(|p| (p.territory_id, p.person_id));
    members.into_iter().map(|p| p.person_id).collect()
}

/// A person listed twice would be placed twice, and `move_person` could not tell the copies
/// apart.
fn check_unique(people: &[RosterPerson]) -> Result<(), Invalid> {
    let mut seen = BTreeSet::new();
    match people.iter().find(|p| !seen.insert(p.person_id)) {
        Some(p) => Err(Invalid::new("error-roster-duplicate-person").with("person", p.person_id)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ELECTED: Id = 10;
    const TECHNICAL: Id = 20;
    const SOCIO: Id = 30;
    const CATEGORIES: [Id; 3] = [ELECTED, TECHNICAL, SOCIO];

    /// The usual session: 6 territories each sending 2 elected officials, 2 technical staff and
    /// 2 socio-economic actors. Person ids are `territory * 100 + seat`.
    fn usual_session() -> Vec<RosterPerson> {
        (1..=6)
            .flat_map(|territory| {
                (0..6).map(move |seat| RosterPerson {
                    person_id: territory * 100 + seat,
                    territory_id: territory,
                    category_id: CATEGORIES[usize::try_from(seat / 2).unwrap()],
                })
            })
            .collect()
    }

    fn person(people: &[RosterPerson], id: Id) -> RosterPerson {
        *people.iter().find(|p| p.person_id == id).unwrap()
    }

    /// `counts[group][key]` for a key of the people.
    fn counts(
        people: &[RosterPerson],
        groups: &[RosterGroup],
        key: impl Fn(&RosterPerson) -> Id,
    ) -> Vec<BTreeMap<Id, usize>> {
        groups
            .iter()
            .map(|g| {
                let mut counts = BTreeMap::new();
                for &id in &g.person_ids {
                    *counts.entry(key(&person(people, id))).or_insert(0) += 1;
                }
                counts
            })
            .collect()
    }

    fn total(people: &[RosterPerson], key: impl Fn(&RosterPerson) -> Id, value: Id) -> usize {
        people.iter().filter(|p| key(p) == value).count()
    }

    #[test]
    fn the_usual_session_in_six_groups_of_six_is_one_per_territory_and_two_per_category() {
        let people = usual_session();
        let groups = mixed_groups(&people, &CATEGORIES, 6).unwrap();
        assert_eq!(groups.len(), 6);
        for (g, by_category) in counts(&people, &groups, |p| p.category_id).iter().enumerate() {
            assert_eq!(groups[g].person_ids.len(), 6);
            assert_eq!(by_category.values().copied().collect::<Vec<_>>(), [2, 2, 2], "group {g}");
        }
        for by_territory in counts(&people, &groups, |p| p.territory_id) {
            assert!(by_territory.values().all(|&c| c == 1));
        }
    }

    /// In the usual session, every group size gives each group `floor` or `ceil` of each
    /// category's share, on top of the territory spread.
    #[test]
    fn the_usual_session_spreads_categories_evenly_at_every_size() {
        let people = usual_session();
        for size in 1..=people.len() {
            let groups = mixed_groups(&people, &CATEGORIES, size).unwrap();
            let g = groups.len();
            for by_category in counts(&people, &groups, |p| p.category_id) {
                for category in CATEGORIES {
                    let c = total(&people, |p| p.category_id, category);
                    let here = by_category.get(&category).copied().unwrap_or(0);
                    assert!((c / g..=c.div_ceil(g)).contains(&here), "size {size}: {groups:?}");
                }
            }
        }
    }

    #[test]
    fn mixed_groups_refuse_a_size_of_zero_or_above_the_people() {
        let people = usual_session();
        let expected = Invalid::new("error-group-size").with("max", 36);
        assert_eq!(mixed_groups(&people, &CATEGORIES, 0), Err(expected.clone()));
        assert_eq!(mixed_groups(&people, &CATEGORIES, 37), Err(expected));
        assert_eq!(mixed_groups(&people, &CATEGORIES, 36).unwrap().len(), 1);
        assert_eq!(mixed_groups(&[], &CATEGORIES, 1), Err(Invalid::new("error-group-size").with("max", 0)));
    }

    #[test]
    fn a_person_listed_twice_is_refused() {
        let mut people = usual_session();
        people.push(RosterPerson { person_id: 101, territory_id: 2, category_id: SOCIO });
        let expected = Invalid::new("error-roster-duplicate-person").with("person", 101);
        assert_eq!(mixed_groups(&people, &CATEGORIES, 6), Err(expected.clone()));
        assert_eq!(groups_by_category(&people, &CATEGORIES), Err(expected));
    }

    #[test]
    fn groups_by_category_follow_the_category_order_and_keep_unlisted_categories() {
        let mut people = usual_session();
        people.push(RosterPerson { person_id: 999, territory_id: 1, category_id: 5 });
        let groups = groups_by_category(&people, &[SOCIO, ELECTED, TECHNICAL]).unwrap();
        let labels: Vec<Option<Id>> = groups.iter().map(|g| g.category_id).collect();
        assert_eq!(labels, [Some(SOCIO), Some(ELECTED), Some(TECHNICAL), Some(5)]);
        assert_eq!(groups[1].person_ids, [100, 101, 200, 201, 300, 301, 400, 401, 500, 501, 600, 601]);
        assert_eq!(groups[3].person_ids, [999]);
    }

    #[test]
    fn moving_a_person_changes_their_group_only() {
        let groups = vec![
            RosterGroup { category_id: None, person_ids: vec![1, 2] },
            RosterGroup { category_id: None, person_ids: vec![3] },
        ];
        let moved = move_person(&groups, 2, 1).unwrap();
        assert_eq!(moved[0].person_ids, [1]);
        assert_eq!(moved[1].person_ids, [3, 2]);
        assert_eq!(move_person(&groups, 3, 1).unwrap(), groups, "moving into one's own group");
        let emptied = move_person(&groups, 3, 0).unwrap();
        assert_eq!(emptied.len(), 2, "an emptied group keeps its place");
        assert_eq!(emptied[0].person_ids, [1, 2, 3]);
        assert!(emptied[1].person_ids.is_empty());
        assert_eq!(
            move_person(&groups, 4, 0),
            Err(Invalid::new("error-roster-unknown-person").with("person", 4))
        );
        assert_eq!(
            move_person(&groups, 1, 2),
            Err(Invalid::new("error-roster-unknown-group").with("max", 2))
        );
    }

    fn shuffled<T: Clone>(items: &[T], mut seed: u64) -> Vec<T> {
        let mut out = items.to_vec();
        for i in (1..out.len()).rev() {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let j = usize::try_from((seed >> 33) % (u64::try_from(i).unwrap() + 1)).unwrap();
            out.swap(i, j);
        }
        out
    }

    /// Up to 8 territories of 0 to 7 people each, in up to 4 categories (category 3 is not in
    /// the category order), a group size from 1 to n and a shuffle seed.
    fn arb_session() -> impl Strategy<Value = (Vec<RosterPerson>, usize, u64)> {
        proptest::collection::vec(proptest::collection::vec(0..4i64, 0..=7), 1..=8)
            .prop_filter("somebody", |territories| territories.iter().any(|t| !t.is_empty()))
            .prop_flat_map(|territories| {
                let people: Vec<RosterPerson> = territories
                    .iter()
                    .enumerate()
                    .flat_map(|(t, categories)| {
                        categories.iter().enumerate().map(move |(seat, &category)| {
                            let territory = i64::try_from(t).unwrap();
                            RosterPerson {
                                // Ids interleave territories, so that id order is not territory order.
                                person_id: i64::try_from(seat).unwrap() * 10 + territory,
                                territory_id: 7 - territory,
                                category_id: category,
                            }
                        })
                    })
                    .collect();
                let n = people.len();
                (Just(people), 1..=n, any::<u64>())
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn mixed_groups_keep_their_promises((people, size, seed) in arb_session()) {
            let order = [1, 0, 2];
            let groups = mixed_groups(&people, &order, size).unwrap();
            let n = people.len();
            let g = n.div_ceil(size);
            prop_assert_eq!(groups.len(), g);

            let mut placed: Vec<Id> = groups.iter().flat_map(|g| g.person_ids.iter().copied()).collect();
            placed.sort_unstable();
            let mut everyone: Vec<Id> = people.iter().map(|p| p.person_id).collect();
            everyone.sort_unstable();
            prop_assert_eq!(placed, everyone, "everyone placed exactly once");

            let sizes: Vec<usize> = groups.iter().map(|g| g.person_ids.len()).collect();
            let (smallest, largest) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            prop_assert!(largest - smallest <= 1, "sizes {:?}", sizes);
            prop_assert!(groups.iter().all(|g| g.category_id.is_none()));

            let largest_territory =
                people.iter().map(|p| total(&people, |q| q.territory_id, p.territory_id)).max().unwrap();
            for by_territory in counts(&people, &groups, |p| p.territory_id) {
                for (&territory, &here) in &by_territory {
                    let c = total(&people, |p| p.territory_id, territory);
                    if largest_territory <= g {
                        prop_assert_eq!(here, 1, "two of territory {} together: {:?}", territory, groups);
                    }
                    prop_assert!(here <= c.div_ceil(g), "territory {} crowded: {:?}", territory, groups);
                }
            }

            let reshuffled = mixed_groups(&shuffled(&people, seed), &order, size).unwrap();
            prop_assert_eq!(reshuffled, groups, "the input order does not matter");
        }

        #[test]
        fn groups_by_category_gather_each_category((people, _size, seed) in arb_session()) {
            let order = [2, 0, 1];
            let groups = groups_by_category(&people, &order).unwrap();
            prop_assert_eq!(groups_by_category(&shuffled(&people, seed), &order).unwrap(), groups.clone());
            let mut placed = 0;
            for group in &groups {
                let category = group.category_id.unwrap();
                prop_assert!(!group.person_ids.is_empty());
                prop_assert_eq!(group.person_ids.len(), total(&people, |p| p.category_id, category));
                for &id in &group.person_ids {
                    prop_assert_eq!(person(&people, id).category_id, category);
                }
                let keys: Vec<(Id, Id)> = group.person_ids.iter().map(|&id| (person(&people, id).territory_id, id)).collect();
                prop_assert!(keys.windows(2).all(|w| w[0] < w[1]), "by territory then person");
                placed += group.person_ids.len();
            }
            prop_assert_eq!(placed, people.len());
            let ranks: Vec<(usize, Id)> = groups.iter().map(|g| category_rank(&order, g.category_id.unwrap())).collect();
            prop_assert!(ranks.windows(2).all(|w| w[0] < w[1]), "in the category order, unlisted last");
        }
    }
}
