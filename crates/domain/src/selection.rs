//! The proposed cohort of a session: among the applications weighed, the set of
//! `min(seats, applications)` that best meets, in this strict order,
//!
//! 1. the profile targets: the size of a maximum assignment of the chosen to target seats (a
//!    target of count k has k seats; an application fills at most one seat, of a target whose
//!    every attribute it has);
//! 2. theme coverage: how many distinct themes the chosen bring;
//! 3. geographic spread: how many distinct régions;
//! 4. delegation completeness: the sum of filled delegation seats;
//! 5. submission order: the set whose sorted submission ranks are lexicographically smallest,
//!    then, only when ranks repeat, the set of the earliest applications in a fixed order of
//!    their data, so that the order of the input never matters.
//!
//! Accepted applications (`locked`) are always in. The proposal is exact, not a heuristic. The
//! five keys order all sets totally, so exactly one set is best, and every step below either
//! keeps it within reach or proves that a set cannot beat the best one found:
//!
//! - **dominance**: when `x` comes before `y`, matches every target `y` matches, brings every
//!   theme and the région `y` brings (beyond those of the accepted members) and has at least
//!   its delegation, swapping `y` for `x` lowers no criterion and wins the tie-break. So the
//!   best set holds `y` only if it holds `x`: the search never takes `y` after passing over or
//!   ruling out `x`. An application with as many ways to be replaced as there are free seats
//!   (`outclassed`) is dropped at once;
//! - a **depth-first branch and bound** enumerates the rest as combinations of the applications
//!   sorted by submission, and cuts a branch when no completion can beat the best set found:
//!   criterion by criterion, an upper bound below the best set's value cuts, one above it keeps
//!   the branch, and an equal one passes the decision to the next criterion, whose completions
//!   must then bring exactly what the earlier ones need; after the delegation, the earliest
//!   completion must win the tie-break. The profile bound is exact (a maximum assignment is
//!   the rank of a transversal matroid: `min(rank(picks ∪ rest), rank(picks) + room)`); the
//!   others are simple counts, tightened by **Lagrangian relaxations** that price the needs
//!   (missing themes, new régions, target seats) into the items' weights: for any
//!   non-negative prices, the best `room` items at those weights bound every completion, and
//!   subgradient steps move the prices towards a proof;
//! - the best set found starts good (greedy, polished by swaps, then the relaxation's own
//!   choices, polished), and each time it improves, every application with which no set can
//!   beat it is **ruled out** for the rest of the search (probing).
//!
//! Verdicts explain the proposal by real swaps against it, and say which criterion decided.

use crate::{CarriedBy, Experience, Id};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, VecDeque};
use utoipa::ToSchema;

/// One application as the selection sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SelectionCandidate {
    /// The application.
    pub id: Id,
    /// Submission rank: smaller is earlier, and wins ties.
    pub order: i64,
    /// How long the territory has been engaged.
    pub experience: Option<Experience>,
    /// Who carries its transition.
    pub carried_by: Option<CarriedBy>,
    /// Theme codes.
    pub themes: Vec<String>,
    /// INSEE code of its région, when known.
    pub region: Option<String>,
    /// Seats of its proposed delegation that are filled (capped per category by the caller).
    pub delegation_filled: u32,
    /// Seats its delegation should have.
    pub delegation_total: u32,
    /// Already accepted by the organisers: always in.
    pub locked: bool,
}

/// One composition target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SelectionTarget {
    /// Experience wanted, if any.
    pub experience: Option<Experience>,
    /// Carrier wanted, if any.
    pub carried_by: Option<CarriedBy>,
    /// How many territories.
    pub count: u32,
}

impl SelectionTarget {
    /// True when the application has every attribute the target sets.
    pub fn matches(&self, candidate: &SelectionCandidate) -> bool {
        fits((self.experience, self.carried_by), candidate)
    }
}

/// The score of a set, compared field by field in this order (the submission order breaks
/// the remaining ties).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub struct SelectionScore {
    /// Target seats filled.
    pub profile: u32,
    /// Distinct themes.
    pub themes: u32,
    /// Distinct régions.
    pub regions: u32,
    /// Delegation seats filled.
    pub delegation: u32,
}

/// The criterion that decided a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Accepted already by the organisers (or, out, the seats are all taken by accepted ones).
    Locked,
    /// Profile targets.
    Profile,
    /// Theme coverage.
    Themes,
    /// Geographic spread.
    Regions,
    /// Delegation completeness.
    Delegation,
    /// Equal on every criterion: the earlier submission was kept.
    Order,
    /// Every application fits: there are no more than the seats.
    Room,
}

/// What the proposal says of one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Verdict {
    /// The application.
    pub id: Id,
    /// In the proposed cohort.
    pub chosen: bool,
    /// For a chosen one, the target (index in the targets) whose seat it fills in the
    /// assignment.
    pub fills_target: Option<usize>,
    /// Chosen: themes no other member brings. Not chosen: its themes the cohort lacks.
    pub unique_themes: Vec<String>,
    /// Chosen: the only member of its région. Not chosen: its région is absent from the cohort.
    pub unique_region: bool,
    /// Why in or out: the first criterion on which the best alternative (the best replacement
    /// of a member; the best swap bringing a candidate in) does worse than the proposal.
    pub decisive: Criterion,
}

/// The proposed cohort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Proposal {
    /// The applications proposed, in submission order.
    pub chosen: Vec<Id>,
    /// The proposal's score.
    pub score: SelectionScore,
    /// The target seats there are, capped by the seats: the targets are met when the profile
    /// score reaches this.
    pub best_possible_profile: u32,
    /// One verdict per candidate, in the order given.
    pub verdicts: Vec<Verdict>,
}

/// Proposes the cohort of `seats` that best meets the targets, then themes, régions,
/// delegations and submission order (see the module documentation). Deterministic: the input
/// order of the candidates does not matter.
pub fn propose_cohort(
    candidates: &[SelectionCandidate],
    targets: &[SelectionTarget],
    seats: usize,
) -> Proposal {
    let model = Model::new(candidates, targets, seats);
    let free_items: Vec<Item> = model.free.iter().map(|&p| model.all[p].clone()).collect();
    let picks = best_picks(&free_items, &model.profiles, &model.base, model.room);

    let mut members: Vec<usize> = model.locked.iter().map(|&p| model.all[p].index).collect();
    members.extend(picks.iter().map(|&k| free_items[k].index));
    members.sort_by(|&a, &b| compare_candidates(&candidates[a], &candidates[b]));
    explain(candidates, targets, &model, &members, seats)
}

/// The candidates reduced to small numbers, in a canonical order.
struct Model<'a> {
    /// The candidates sorted by [`compare_candidates`].
    all: Vec<Item>,
    profiles: Profiles,
    theme_index: BTreeMap<&'a str, usize>,
    /// An empty set.
    empty: Tally,
    /// The accepted candidates kept (positions in `all`): the earliest, as many as there are
    /// seats; and their tally.
    locked: Vec<usize>,
    base: Tally,
    /// The other candidates (positions in `all`), and how many of them join the accepted ones.
    free: Vec<usize>,
    room: usize,
}

impl<'a> Model<'a> {
    fn new(candidates: &'a [SelectionCandidate], targets: &[SelectionTarget], seats: usize) -> Self {
        let mut canonical: Vec<usize> = (0..candidates.len()).collect();
        canonical.sort_by(|&a, &b| compare_candidates(&candidates[a], &candidates[b]));
        // Themes and régions numbered in the order of their codes.
        let mut theme_index: BTreeMap<&str, usize> =
            candidates.iter().flat_map(|c| c.themes.iter().map(|t| (t.as_str(), 0))).collect();
        let mut region_index: BTreeMap<&str, usize> =
            candidates.iter().filter_map(|c| c.region.as_deref().map(|r| (r, 0))).collect();
        for (k, index) in theme_index.values_mut().enumerate() {
            *index = k;
        }
        for (k, index) in region_index.values_mut().enumerate() {
            *index = k;
        }
        let (profiles, classes) = Profiles::of(candidates, targets, seats.min(candidates.len()));
        let all: Vec<Item> = canonical
            .iter()
            .map(|&index| {
                let c = &candidates[index];
                let mut themes: Vec<usize> = c.themes.iter().map(|t| theme_index[t.as_str()]).collect();
                themes.sort_unstable();
                themes.dedup();
                Item {
                    index,
                    order: c.order,
                    class: classes[index],
                    theme_bits: bits_of(&themes),
                    themes,
                    region: c.region.as_ref().map(|r| region_index[r.as_str()]),
                    delegation: u64::from(c.delegation_filled),
                }
            })
            .collect();
        let empty = Tally::new(profiles.masks.len(), theme_index.len(), region_index.len());
        let locked: Vec<usize> =
            (0..all.len()).filter(|&p| candidates[all[p].index].locked).take(seats).collect();
        let free: Vec<usize> = (0..all.len()).filter(|&p| !candidates[all[p].index].locked).collect();
        let room = seats.saturating_sub(locked.len()).min(free.len());
        let mut base = empty.clone();
        for &p in &locked {
            base.add(&all[p]);
        }
        Self { all, profiles, theme_index, empty, locked, base, free, room }
    }
}

/// A total order on candidates: submission rank, then identifier, then the rest of the data,
/// so that sorting never depends on the order of the input.
fn compare_candidates(a: &SelectionCandidate, b: &SelectionCandidate) -> Ordering {
    (a.order, a.id).cmp(&(b.order, b.id)).then_with(|| {
        (a.experience, a.carried_by, &a.themes, &a.region, a.delegation_filled, a.delegation_total, a.locked)
            .cmp(&(
                b.experience,
                b.carried_by,
                &b.themes,
                &b.region,
                b.delegation_filled,
                b.delegation_total,
                b.locked,
            ))
    })
}

/// What a target asks: an experience, a carrier, or both.
type Profile = (Option<Experience>, Option<CarriedBy>);

/// The profile of a target matches the candidate.
fn fits(profile: Profile, c: &SelectionCandidate) -> bool {
    profile.0.is_none_or(|x| c.experience == Some(x)) && profile.1.is_none_or(|x| c.carried_by == Some(x))
}

// ---------------------------------------------------------------- compact model

/// A candidate reduced to small numbers.
#[derive(Debug, Clone)]
struct Item {
    /// Position in the caller's list.
    index: usize,
    order: i64,
    /// Its class in [`Profiles`].
    class: usize,
    /// Theme indices, sorted, without repeats.
    themes: Vec<usize>,
    /// Bit `t % 64` for each theme `t`: a quick test that a theme is missing.
    theme_bits: u64,
    region: Option<usize>,
    delegation: u64,
}

/// Bit `t % 64` for each of the `themes`.
fn bits_of(themes: &[usize]) -> u64 {
    themes.iter().fold(0, |bits, t| bits | 1 << (t % 64))
}

/// With at most this many distinct targets the profile is a minimum over cuts; beyond, a flow.
const CUT_TARGETS: usize = 6;

/// The targets as the profile criterion needs them. Targets asking the same profile are merged
/// (their seats are interchangeable), and candidates with the same profile form one class.
struct Profiles {
    /// For each class, the merged targets it matches (bit `t` for target `t`).
    masks: Vec<u32>,
    /// Seats of each merged target, capped at the cohort's size.
    caps: Vec<u32>,
    /// With few targets, the seats of every subset of them; empty otherwise.
    subset_caps: Vec<u32>,
}

impl Profiles {
    fn new(masks: Vec<u32>, caps: Vec<u32>, cut: bool) -> Self {
        let subset_caps = if cut {
            (0..1usize << caps.len())
                .map(|y| caps.iter().enumerate().filter(|(t, _)| y & (1 << t) != 0).map(|(_, c)| c).sum())
                .collect()
        } else {
            Vec::new()
        };
        Self { masks, caps, subset_caps }
    }

    /// The model of `targets` for these candidates, and each candidate's class.
    fn of(candidates: &[SelectionCandidate], targets: &[SelectionTarget], size: usize) -> (Self, Vec<usize>) {
        let mut seats: BTreeMap<Profile, u64> = BTreeMap::new();
        for t in targets {
            *seats.entry((t.experience, t.carried_by)).or_default() += u64::from(t.count);
        }
        let cap = u64::try_from(size).unwrap_or(u64::MAX);
        // Targets without seats or without any candidate change no assignment.
        let merged: Vec<(Profile, u32)> = seats
            .into_iter()
            .map(|(profile, n)| (profile, u32::try_from(n.min(cap)).unwrap_or(u32::MAX)))
            .filter(|&(profile, n)| n > 0 && candidates.iter().any(|c| fits(profile, c)))
            .collect();
        let mut class_of_mask: BTreeMap<u32, usize> = BTreeMap::new();
        let classes = candidates
            .iter()
            .map(|c| {
                let mask =
                    merged.iter().enumerate().filter(|(_, (p, _))| fits(*p, c)).map(|(t, _)| 1 << t).sum();
                let next = class_of_mask.len();
                *class_of_mask.entry(mask).or_insert(next)
            })
            .collect();
        let mut masks = vec![0; class_of_mask.len()];
        for (mask, class) in class_of_mask {
            masks[class] = mask;
        }
        let caps: Vec<u32> = merged.iter().map(|(_, n)| *n).collect();
        let cut = caps.len() <= CUT_TARGETS;
        (Self::new(masks, caps, cut), classes)
    }

    /// Seats of all targets (each capped at the cohort's size).
    fn seats(&self) -> u32 {
        self.caps.iter().sum()
    }

    /// The size of a maximum assignment of `counts[c]` candidates of each class `c` to seats.
    fn rank(&self, counts: &[u32]) -> u32 {
        if self.caps.is_empty() {
            return 0;
        }
        if self.subset_caps.is_empty() {
            return self.flow(counts);
        }
        // A maximum flow equals a minimum cut. A cut keeps a set Y of targets on the source side
        // and pays their seats, plus the candidates of every class matching a target outside Y.
        let size = self.subset_caps.len();
        let mut within = [0u32; 1 << CUT_TARGETS];
        let mut total = 0;
        for (&mask, &n) in self.masks.iter().zip(counts) {
            within[mask as usize] += n;
            total += n;
        }
        // within[Y]: candidates whose targets all lie in Y (a sum over subsets).
        for t in 0..self.caps.len() {
            let bit = 1 << t;
            for y in 0..size {
                if y & bit != 0 {
                    within[y] += within[y ^ bit];
                }
            }
        }
        (0..size).map(|y| self.subset_caps[y] + total - within[y]).min().unwrap_or(0)
    }

    /// The same by augmenting paths, class by class, for many targets.
    fn flow(&self, counts: &[u32]) -> u32 {
        let (classes, targets) = (self.masks.len(), self.caps.len());
        // placed[c * targets + t]: candidates of class c on target t.
        let mut placed = vec![0u32; classes * targets];
        let mut free_seats = self.caps.clone();
        let mut left = counts.to_vec();
        let mut total = 0;
        loop {
            // Breadth first from classes with candidates left: a class reaches the targets it
            // matches; a full target reaches the classes placed on it, which may move.
            let mut reached_from = vec![usize::MAX; targets];
            let mut moved_from: Vec<Option<Option<usize>>> = vec![None; classes];
            let mut queue = VecDeque::new();
            for c in 0..classes {
                if left[c] > 0 {
                    moved_from[c] = Some(None);
                    queue.push_back(c);
                }
            }
            let mut end = None;
            'search: while let Some(c) = queue.pop_front() {
                for t in 0..targets {
                    if self.masks[c] & (1 << t) == 0 || reached_from[t] != usize::MAX {
                        continue;
                    }
                    reached_from[t] = c;
                    if free_seats[t] > 0 {
                        end = Some(t);
                        break 'search;
                    }
                    for d in 0..classes {
                        if placed[d * targets + t] > 0 && moved_from[d].is_none() {
                            moved_from[d] = Some(Some(t));
                            queue.push_back(d);
                        }
                    }
                }
            }
            let Some(mut t) = end else { return total };
            free_seats[t] -= 1;
            loop {
                let c = reached_from[t];
                placed[c * targets + t] += 1;
                match moved_from[c] {
                    Some(Some(from)) => {
                        placed[c * targets + from] -= 1;
                        t = from;
                    }
                    _ => {
                        left[c] -= 1;
                        break;
                    }
                }
            }
            total += 1;
        }
    }
}

/// The score with the delegation sum kept wide; see [`SelectionScore`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    profile: u32,
    themes: u32,
    regions: u32,
    delegation: u64,
}

impl Score {
    fn public(self) -> SelectionScore {
        SelectionScore {
            profile: self.profile,
            themes: self.themes,
            regions: self.regions,
            delegation: u32::try_from(self.delegation).unwrap_or(u32::MAX),
        }
    }
}

/// A set's criteria, kept up to date as members come and go.
#[derive(Debug, Clone)]
struct Tally {
    /// Members per class.
    counts: Vec<u32>,
    /// Members per theme, and the themes with at least one.
    theme_holders: Vec<u32>,
    themes: u32,
    /// Members per région, and the régions with at least one.
    region_holders: Vec<u32>,
    regions: u32,
    delegation: u64,
}

impl Tally {
    fn new(classes: usize, themes: usize, regions: usize) -> Self {
        Self {
            counts: vec![0; classes],
            theme_holders: vec![0; themes],
            themes: 0,
            region_holders: vec![0; regions],
            regions: 0,
            delegation: 0,
        }
    }

    fn add(&mut self, item: &Item) {
        self.counts[item.class] += 1;
        for &t in &item.themes {
            self.themes += u32::from(self.theme_holders[t] == 0);
            self.theme_holders[t] += 1;
        }
        if let Some(r) = item.region {
            self.regions += u32::from(self.region_holders[r] == 0);
            self.region_holders[r] += 1;
        }
        self.delegation += item.delegation;
    }

    fn remove(&mut self, item: &Item) {
        self.counts[item.class] -= 1;
        for &t in &item.themes {
            self.theme_holders[t] -= 1;
            self.themes -= u32::from(self.theme_holders[t] == 0);
        }
        if let Some(r) = item.region {
            self.region_holders[r] -= 1;
            self.regions -= u32::from(self.region_holders[r] == 0);
        }
        self.delegation -= item.delegation;
    }

    fn score(&self, profiles: &Profiles) -> Score {
        self.score_with(profiles.rank(&self.counts))
    }

    /// The score, the profile being known.
    fn score_with(&self, profile: u32) -> Score {
        Score { profile, themes: self.themes, regions: self.regions, delegation: self.delegation }
    }
}

/// The profile of a set with one member of a class traded for one of another, computed once
/// per pair of classes: swaps are tried by the thousand, over a handful of classes.
struct SwapRanks {
    counts: Vec<u32>,
    /// rank[(out + 1) * (classes + 1) + (in + 1)], class 0 standing for "none"; MAX unknown.
    ranks: Vec<u32>,
}

impl SwapRanks {
    fn new(counts: &[u32]) -> Self {
        let side = counts.len() + 1;
        Self { counts: counts.to_vec(), ranks: vec![u32::MAX; side * side] }
    }

    fn rank(&mut self, profiles: &Profiles, out: Option<usize>, into: Option<usize>) -> u32 {
        let side = self.counts.len() + 1;
        let at = out.map_or(0, |c| c + 1) * side + into.map_or(0, |c| c + 1);
        if self.ranks[at] == u32::MAX {
            if let Some(c) = out {
                self.counts[c] -= 1;
            }
            if let Some(c) = into {
                self.counts[c] += 1;
            }
            self.ranks[at] = profiles.rank(&self.counts);
            if let Some(c) = into {
                self.counts[c] -= 1;
            }
            if let Some(c) = out {
                self.counts[c] += 1;
            }
        }
        self.ranks[at]
    }
}

/// The tie-break between two picks of the same size, each given as increasing positions in
/// `items` (which are sorted by submission): the sorted submission ranks, then the positions.
/// `Less` means `a` wins. Members common to both sets (the accepted ones) change nothing.
fn tie(items: &[Item], a: &[usize], b: &[usize]) -> Ordering {
    a.iter().map(|&i| items[i].order).cmp(b.iter().map(|&i| items[i].order)).then_with(|| a.cmp(b))
}

/// True when the pick `a` beats the pick `b` in the full order.
fn beats(items: &[Item], a: (Score, &[usize]), b: (Score, &[usize])) -> bool {
    match a.0.cmp(&b.0) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => tie(items, a.1, b.1) == Ordering::Less,
    }
}

// ---------------------------------------------------------------- the search

/// `x` (submitted before `y`) is worth `y` on the targets, the themes (beyond those of the
/// accepted members in `base`, whose bits are `base_bits`) and the delegation.
fn covers(x: &Item, y: &Item, profiles: &Profiles, (base, base_bits): (&Tally, u64)) -> bool {
    x.delegation >= y.delegation
        && profiles.masks[y.class] & !profiles.masks[x.class] == 0
        // A bit of `y` in neither is a theme of `y` in neither.
        && y.theme_bits & !x.theme_bits & !base_bits == 0
        && y.themes.iter().all(|t| base.theme_holders[*t] > 0 || x.themes.binary_search(t).is_ok())
}

/// `y`'s région adds nothing beyond the accepted members'.
fn no_new_region(y: &Item, base: &Tally) -> bool {
    y.region.is_none_or(|r| base.region_holders[r] > 0)
}

/// `x` (submitted before `y`) dominates `y`: swapping `y` for `x` in any set lowers no
/// criterion.
fn dominates(x: &Item, y: &Item, profiles: &Profiles, base: (&Tally, u64)) -> bool {
    covers(x, y, profiles, base) && (no_new_region(y, base.0) || x.region == y.region)
}

/// `y` is in no best set of `room` free items. Each item `x` that covers `y` is a way to
/// replace it: always when it dominates `y`, and, when it brings another new région, as long as
/// no member holds that région. A set holding `y` has `room - 1` other free members, each
/// ruling out at most one of these ways (itself, or the one région it holds), so with `room`
/// ways one is left, and it makes a better set.
fn outclassed(items: &[Item], y: usize, profiles: &Profiles, base: (&Tally, u64), room: usize) -> bool {
    let item = &items[y];
    let anywhere = no_new_region(item, base.0);
    let mut ways = 0;
    let mut regions: Vec<usize> = Vec::new();
    for x in &items[..y] {
        if !covers(x, item, profiles, base) {
            continue;
        }
        if anywhere || x.region == item.region {
            ways += 1;
        } else if let Some(r) = x.region
            && base.0.region_holders[r] == 0
            && !regions.contains(&r)
        {
            regions.push(r);
            ways += 1;
        }
        if ways >= room {
            return true;
        }
    }
    false
}

/// The best `room` of the free `items` (sorted by submission) to join `base`, as increasing
/// positions in `items`.
fn best_picks(items: &[Item], profiles: &Profiles, base: &Tally, room: usize) -> Vec<usize> {
    if room == 0 {
        return Vec::new();
    }
    if room == items.len() {
        return (0..room).collect();
    }
    let held: Vec<usize> = (0..base.theme_holders.len()).filter(|&t| base.theme_holders[t] > 0).collect();
    let with = (base, bits_of(&held));
    let kept: Vec<usize> =
        (0..items.len()).filter(|&y| !outclassed(items, y, profiles, with, room)).collect();
    let reduced: Vec<Item> = kept.iter().map(|&k| items[k].clone()).collect();
    let dominated: Vec<Vec<usize>> = (0..reduced.len())
        .map(|x| {
            (x + 1..reduced.len()).filter(|&y| dominates(&reduced[x], &reduced[y], profiles, with)).collect()
        })
        .collect();
    let mut by_delegation: Vec<usize> = (0..reduced.len()).collect();
    by_delegation.sort_by_key(|&k| (std::cmp::Reverse(reduced[k].delegation), k));

    let (start, start_score) = incumbent(&reduced, profiles, base, room);
    let most_themes = reduced.iter().map(|it| it.themes.len()).max().unwrap_or(0);
    let (themes, regions, targets) =
        (base.theme_holders.len(), base.region_holders.len(), profiles.caps.len());
    let prices = Prices {
        themes: vec![0.0; themes],
        regions: vec![0.0; regions],
        targets: vec![0.0; targets],
        ..Prices::default()
    };
    let mut search = Search {
        items: &reduced,
        dominated: &dominated,
        by_delegation: &by_delegation,
        profiles,
        dead: vec![0; reduced.len()],
        tally: base.clone(),
        picks: Vec::with_capacity(room),
        best: start,
        best_score: start_score,
        improved: false,
        scratch: Scratch {
            theme_seen: vec![0; themes],
            region_seen: vec![0; regions],
            region_best: vec![0; regions],
            region_pick: vec![0; regions],
            gains: vec![0; most_themes + 1],
            theme_cover: vec![0; themes],
            region_cover: vec![0; regions],
            target_cover: vec![0; targets],
            ..Scratch::default()
        },
        prices: [prices.clone(), prices.clone(), prices],
    };
    search.probe_all(room);
    search.dive(room);
    if search.improved {
        search.improved = false;
        search.probe_all(room);
    }
    search.explore(0, room);
    search.best.iter().map(|&k| kept[k]).collect()
}

/// A good first set, so that the search cuts early: greedy, then polished by single swaps.
fn incumbent(items: &[Item], profiles: &Profiles, base: &Tally, room: usize) -> (Vec<usize>, Score) {
    let mut tally = base.clone();
    let mut inside = vec![false; items.len()];
    for _ in 0..room {
        let mut pick: Option<(usize, Score)> = None;
        let mut ranks = SwapRanks::new(&tally.counts);
        for (k, item) in items.iter().enumerate() {
            if inside[k] {
                continue;
            }
            tally.add(item);
            let score = tally.score_with(ranks.rank(profiles, None, Some(item.class)));
            tally.remove(item);
            if pick.is_none_or(|(_, s)| score > s) {
                pick = Some((k, score));
            }
        }
        let Some((k, _)) = pick else { break };
        inside[k] = true;
        tally.add(&items[k]);
    }
    let set: Vec<usize> = (0..items.len()).filter(|&k| inside[k]).collect();
    polish(items, profiles, base, set, |_| true)
}

/// Improves a set by single swaps with the `usable` items, as long as one improves it.
fn polish(
    items: &[Item],
    profiles: &Profiles,
    base: &Tally,
    mut set: Vec<usize>,
    usable: impl Fn(usize) -> bool,
) -> (Vec<usize>, Score) {
    let mut tally = base.clone();
    let mut inside = vec![false; items.len()];
    for &k in &set {
        inside[k] = true;
        tally.add(&items[k]);
    }
    let mut score = tally.score(profiles);
    let mut ranks = SwapRanks::new(&tally.counts);
    // Only the quality of the start depends on the number of rounds, never the result.
    for _ in 0..8 {
        let mut improved = false;
        for slot in &mut set {
            let out = *slot;
            for k in 0..items.len() {
                if inside[k] || !usable(k) {
                    continue;
                }
                tally.remove(&items[out]);
                tally.add(&items[k]);
                let s = tally.score_with(ranks.rank(profiles, Some(items[out].class), Some(items[k].class)));
                // On an equal score, the earlier item wins (items are sorted by submission).
                if s > score || (s == score && k < out) {
                    inside[out] = false;
                    inside[k] = true;
                    *slot = k;
                    score = s;
                    improved = true;
                    ranks = SwapRanks::new(&tally.counts);
                    break;
                }
                tally.remove(&items[k]);
                tally.add(&items[out]);
            }
        }
        if !improved {
            break;
        }
    }
    set.sort_unstable();
    (set, score)
}

/// The depth-first branch and bound over the free items, in submission order.
struct Search<'a> {
    items: &'a [Item],
    /// For each item, the later items it dominates.
    dominated: &'a [Vec<usize>],
    /// Items by decreasing delegation.
    by_delegation: &'a [usize],
    profiles: &'a Profiles,
    /// For each item, how many of its dominators were passed over or ruled out (it may no
    /// longer be taken), plus one if it was ruled out itself.
    dead: Vec<u32>,
    /// The accepted members and the current picks.
    tally: Tally,
    picks: Vec<usize>,
    best: Vec<usize>,
    best_score: Score,
    /// The best set's score rose since the last probe.
    improved: bool,
    scratch: Scratch,
    /// Lagrange multipliers of the relaxations of the themes, régions and delegation levels.
    prices: [Prices; 3],
}

/// Buffers reused by every bound.
#[derive(Default)]
struct Scratch {
    stamp: u32,
    /// The items a completion may take.
    pool: Vec<usize>,
    /// Candidates per class in the picks and the pool.
    classes: Vec<u32>,
    /// Missing themes held in the pool (marked with the stamp), in order of first sight.
    theme_seen: Vec<u32>,
    missing: Vec<usize>,
    /// Régions new to the picks held in the pool (marked with the stamp), and their best
    /// delegation.
    region_seen: Vec<u32>,
    region_best: Vec<u64>,
    opened: Vec<usize>,
    /// Items of the pool per number of missing themes they bring.
    gains: Vec<u32>,
    /// The picks and the earliest items of the pool: the best tie-break of a completion.
    lowest: Vec<usize>,
    /// For each class, whether one more of it would fill one more seat.
    augments: Vec<bool>,
    /// Seats each target still needs when every target must end up full.
    target_needs: Vec<u32>,
    /// The relaxations' weights of the pool, their choice, and what it brings.
    weights: Vec<f64>,
    order: Vec<usize>,
    region_pick: Vec<usize>,
    theme_cover: Vec<u32>,
    region_cover: Vec<u32>,
    target_cover: Vec<u32>,
    class_weights: Vec<f64>,
    theme_slopes: Vec<f64>,
    region_slopes: Vec<f64>,
    target_slopes: Vec<f64>,
    /// When set, the choices of the relaxation, for [`Search::dive`].
    choices: Option<Vec<Vec<usize>>>,
}

/// Lagrange multipliers, carried from node to node: any non-negative values give an upper
/// bound, and neighbouring nodes have similar best values.
#[derive(Debug, Clone, Default)]
struct Prices {
    /// Per theme, per région, per target.
    themes: Vec<f64>,
    regions: Vec<f64>,
    targets: Vec<f64>,
    /// Of the number of new themes, of new régions and of seats filled.
    theme_need: f64,
    region_need: f64,
    profile: f64,
}

/// The criterion a relaxation bounds; the criteria before it are its needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Themes,
    Regions,
    Delegation,
}

/// What a completion must bring to equal the best set on the criteria before a level.
#[derive(Debug, Clone, Copy, Default)]
struct Needs {
    profile: u32,
    themes: u32,
    regions: u32,
    /// Each item must open its own new région.
    distinct_regions: bool,
}

/// Applies the lexicographic order to one criterion: `Some(answer)` when the bound settles
/// the branch, `None` when it only equals the best set's value.
fn settle<T: Ord + Copy>(bound: T, best: T) -> Option<bool> {
    match bound.cmp(&best) {
        Ordering::Less => Some(false),
        Ordering::Greater => Some(true),
        Ordering::Equal => None,
    }
}

/// Counts are whole numbers: a relaxation's bound below `n` by less than this is below `n`.
const SLACK: f64 = 1e-6;

/// The whole part of a relaxation's bound, as a gain on a criterion.
fn whole(bound: f64) -> u64 {
    if bound.is_nan() || bound < 0.0 {
        0
    } else {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "non-negative, and capped"
        )]
        let n = (bound + SLACK).floor().min(1e18) as u64;
        n
    }
}

impl Search<'_> {
    /// Completes the current picks with `room` items from position `from` on.
    fn explore(&mut self, from: usize, room: usize) {
        if room == 0 {
            let score = self.tally.score(self.profiles);
            if beats(self.items, (score, &self.picks), (self.best_score, &self.best)) {
                self.improved |= score > self.best_score;
                self.best.clone_from(&self.picks);
                self.best_score = score;
            }
            return;
        }
        let (items, dominated) = (self.items, self.dominated);
        let mut passed = Vec::new();
        for j in from..items.len() {
            if self.dead[j] > 0 {
                continue;
            }
            // Every completion from here on takes items from j on: if none can win, stop.
            if !self.promising(j, None, room) {
                break;
            }
            self.tally.add(&items[j]);
            self.picks.push(j);
            self.explore(j + 1, room - 1);
            self.picks.pop();
            self.tally.remove(&items[j]);
            // Passing over j: what it dominates may no longer be taken.
            for &y in &dominated[j] {
                self.dead[y] += 1;
            }
            passed.push(j);
            if self.improved && self.picks.is_empty() {
                self.improved = false;
                self.probe_all(room);
            }
        }
        for j in passed {
            for &y in &dominated[j] {
                self.dead[y] -= 1;
            }
        }
    }

    /// Probes while probing pays: each round may rule out more, the pool having shrunk.
    fn probe_all(&mut self, room: usize) {
        for _ in 0..4 {
            let alive = self.dead.iter().filter(|d| **d == 0).count();
            let out = self.probe(room);
            if out * 8 < alive {
                break;
            }
        }
    }

    /// Rules out, for good, every item with which no set can beat the best set found; returns
    /// how many. Only called with no picks.
    fn probe(&mut self, room: usize) -> usize {
        let (items, dominated) = (self.items, self.dominated);
        let mut out = 0;
        for y in 0..items.len() {
            if self.dead[y] > 0 {
                continue;
            }
            self.tally.add(&items[y]);
            self.picks.push(y);
            let keep = self.promising(0, Some(y), room - 1);
            self.picks.pop();
            self.tally.remove(&items[y]);
            if !keep {
                // Not in the best set: neither is what it dominates.
                self.dead[y] += 1;
                for &z in &dominated[y] {
                    self.dead[z] += 1;
                }
                out += 1;
            }
        }
        out
    }

    /// Gathers the pool of a node (the items from `from` on, leaving out `skip`) and what the
    /// bounds need of it.
    fn gather(&mut self, from: usize, skip: Option<usize>) {
        let items = self.items;
        let s = &mut self.scratch;
        s.stamp += 1;
        let stamp = s.stamp;
        s.pool.clear();
        s.missing.clear();
        s.opened.clear();
        s.gains.fill(0);
        s.classes.clone_from(&self.tally.counts);
        for (y, item) in items.iter().enumerate().skip(from) {
            if self.dead[y] > 0 || skip == Some(y) {
                continue;
            }
            s.pool.push(y);
            s.classes[item.class] += 1;
            let mut gain = 0;
            for &t in &item.themes {
                if self.tally.theme_holders[t] == 0 {
                    gain += 1;
                    if s.theme_seen[t] != stamp {
                        s.theme_seen[t] = stamp;
                        s.missing.push(t);
                    }
                }
            }
            s.gains[gain] += 1;
            if let Some(g) = item.region
                && self.tally.region_holders[g] == 0
            {
                if s.region_seen[g] == stamp {
                    s.region_best[g] = s.region_best[g].max(item.delegation);
                } else {
                    s.region_seen[g] = stamp;
                    s.region_best[g] = item.delegation;
                    s.opened.push(g);
                }
            }
        }
    }

    /// Looks for a better set among the choices the delegation relaxation makes at the root,
    /// each polished by swaps: the sooner the best set is good, the more the bounds cut.
    fn dive(&mut self, room: usize) {
        const ROUNDS: usize = 40;
        const POLISHED: usize = 3;
        self.gather(0, None);
        let best = self.best_score;
        let now = self.profiles.rank(&self.tally.counts);
        self.prepare(now, best.profile == self.profiles.seats());
        let needs = Needs {
            profile: best.profile.saturating_sub(now),
            themes: best.themes.saturating_sub(self.tally.themes),
            regions: best.regions.saturating_sub(self.tally.regions),
            distinct_regions: best.regions.saturating_sub(self.tally.regions)
                == u32::try_from(room).unwrap_or(0),
        };
        #[expect(clippy::cast_precision_loss, reason = "delegations are far below 2^52")]
        let goal = (best.delegation.saturating_sub(self.tally.delegation) + 1) as f64;
        self.scratch.choices = Some(Vec::new());
        self.relax_rounds(Level::Delegation, room, needs, goal, ROUNDS);
        let choices = self.scratch.choices.take().unwrap_or_default();
        let mut scored: Vec<(Score, Vec<usize>)> = choices
            .into_iter()
            .filter(|c| c.len() == room)
            .map(|choice| {
                for &k in &choice {
                    self.tally.add(&self.items[k]);
                }
                let score = self.tally.score(self.profiles);
                for &k in &choice {
                    self.tally.remove(&self.items[k]);
                }
                (score, choice)
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        for (_, choice) in scored.into_iter().take(POLISHED) {
            let dead = &self.dead;
            let (set, score) = polish(self.items, self.profiles, &self.tally, choice, |k| dead[k] == 0);
            if beats(self.items, (score, &set), (self.best_score, &self.best)) {
                self.improved |= score > self.best_score;
                self.best = set;
                self.best_score = score;
            }
        }
    }

    /// False when no completion of the picks with `room` items from position `from` on
    /// (leaving out `skip`) can beat the best set found.
    fn promising(&mut self, from: usize, skip: Option<usize>, room: usize) -> bool {
        let items = self.items;
        let best = self.best_score;
        let r = u32::try_from(room).unwrap_or(u32::MAX);
        self.gather(from, skip);
        let s = &mut self.scratch;
        if s.pool.len() < room {
            return false;
        }

        // Profile: the rank of a matroid, exactly.
        let now = self.profiles.rank(&self.tally.counts);
        let profile = now.saturating_add(r).min(self.profiles.rank(&s.classes));
        if let Some(answer) = settle(profile, best.profile) {
            return answer;
        }
        let mut needs = Needs { profile: best.profile - now, ..Needs::default() };
        self.prepare(now, best.profile == self.profiles.seats());

        // Themes: the largest gains, capped by the themes left; then the relaxation.
        let s = &self.scratch;
        let (mut gain, mut take) = (0u32, r);
        for (g, &n) in s.gains.iter().enumerate().skip(1).rev() {
            let k = n.min(take);
            gain += u32::try_from(g).unwrap_or(u32::MAX) * k;
            take -= k;
            if take == 0 {
                break;
            }
        }
        let new_themes = u32::try_from(s.missing.len()).unwrap_or(u32::MAX);
        let mut themes = gain.min(new_themes);
        if let Some(answer) = settle(self.tally.themes + themes, best.themes)
            && (!answer || self.tally.themes >= best.themes)
        {
            return answer;
        }
        needs.themes = best.themes - self.tally.themes;
        // When the simple bound only just reaches the best set, the later relaxations, which
        // price the needed themes, prune as well; when it exceeds it, a relaxation must
        // bring it down for the next criteria to count.
        if themes > needs.themes {
            let relaxed = whole(self.relax(Level::Themes, room, needs, f64::from(needs.themes)));
            themes = themes.min(u32::try_from(relaxed).unwrap_or(u32::MAX));
            if let Some(answer) = settle(self.tally.themes + themes, best.themes) {
                return answer;
            }
        }

        // Régions: one per item, capped by the régions left; then the relaxation.
        let new_regions = u32::try_from(self.scratch.opened.len()).unwrap_or(u32::MAX);
        let mut regions = r.min(new_regions);
        if let Some(answer) = settle(self.tally.regions + regions, best.regions)
            && (!answer || self.tally.regions >= best.regions)
        {
            return answer;
        }
        needs.regions = best.regions - self.tally.regions;
        if regions > needs.regions {
            let relaxed = whole(self.relax(Level::Regions, room, needs, f64::from(needs.regions)));
            regions = regions.min(u32::try_from(relaxed).unwrap_or(u32::MAX));
            if let Some(answer) = settle(self.tally.regions + regions, best.regions) {
                return answer;
            }
        }
        needs.distinct_regions = needs.regions == r;

        // Delegation: at least the best set's, and one more unless the earliest items left
        // (the best tie-break of any completion) would win the tie.
        let s = &mut self.scratch;
        s.lowest.clear();
        s.lowest.extend_from_slice(&self.picks);
        s.lowest.extend(s.pool.iter().take(room));
        s.lowest.sort_unstable();
        let ties_win = tie(items, &s.lowest, &self.best) == Ordering::Less;
        let Some(goal) = best.delegation.checked_add(u64::from(!ties_win)) else { return false };
        let goal = goal.saturating_sub(self.tally.delegation);
        let mut reach = 0;
        let mut take = room;
        for &y in self.by_delegation {
            if take == 0 {
                break;
            }
            if y >= from && self.dead[y] == 0 && skip != Some(y) {
                reach += items[y].delegation;
                take -= 1;
            }
        }
        if reach < goal {
            return false;
        }
        if needs.distinct_regions {
            s.opened.sort_unstable_by(|a, b| s.region_best[*b].cmp(&s.region_best[*a]));
            let reach: u64 = s.opened.iter().take(room).map(|&g| s.region_best[g]).sum();
            if reach < goal {
                return false;
            }
        }
        #[expect(clippy::cast_precision_loss, reason = "delegations are far below 2^52")]
        let goal = goal as f64;
        self.relax(Level::Delegation, room, needs, goal) >= goal - SLACK
    }

    /// Which classes would fill one more seat, and, when every target must end up full, the
    /// seats each still needs beyond the picks.
    fn prepare(&mut self, now: u32, every_target: bool) {
        let profiles = self.profiles;
        let s = &mut self.scratch;
        let counts = &mut s.classes;
        counts.clone_from(&self.tally.counts);
        s.augments.clear();
        for c in 0..counts.len() {
            counts[c] += 1;
            s.augments.push(profiles.rank(counts) > now);
            counts[c] -= 1;
        }
        s.target_needs.clear();
        for (t, cap) in profiles.caps.iter().enumerate() {
            let held: u32 =
                (0..counts.len()).filter(|&c| profiles.masks[c] & (1 << t) != 0).map(|c| counts[c]).sum();
            s.target_needs.push(if every_target { cap.saturating_sub(held) } else { 0 });
        }
    }

    /// A Lagrangian relaxation: an upper bound on what `room` items of the pool can add to the
    /// criterion of `level` while bringing the `needs` of the criteria before it. The needs
    /// (and, for themes and régions, the criterion itself) are priced into the items' weights;
    /// the best `room` items at those weights, corrected by the prices, bound every completion
    /// for any non-negative prices. The prices then move by subgradient steps towards proving
    /// the bound below `goal`. Returns the lowest bound found.
    fn relax(&mut self, level: Level, room: usize, needs: Needs, goal: f64) -> f64 {
        self.relax_rounds(level, room, needs, goal, 4)
    }

    /// The same, with `rounds` rounds at most; with `self.scratch.choices` set, each round's
    /// choice (positions in the items) is kept there.
    fn relax_rounds(&mut self, level: Level, room: usize, needs: Needs, goal: f64, rounds: usize) -> f64 {
        const GIVE_UP: usize = 2;
        let items = self.items;
        let profiles = self.profiles;
        let tally = &self.tally;
        let s = &mut self.scratch;
        let p = &mut self.prices[level as usize];
        let themes_needed = level != Level::Themes;
        let regions_counted = level != Level::Themes && !needs.distinct_regions;
        let regions_needed = level == Level::Delegation && !needs.distinct_regions;
        let mut lowest = f64::INFINITY;
        for round in 0..rounds {
            // The weights of the pool at the current prices: per class first.
            s.class_weights.clear();
            for (c, &mask) in profiles.masks.iter().enumerate() {
                let mut w = if s.augments[c] { p.profile } else { 0.0 };
                for (t, need) in s.target_needs.iter().enumerate() {
                    if *need > 0 && mask & (1 << t) != 0 {
                        w += p.targets[t];
                    }
                }
                s.class_weights.push(w);
            }
            s.weights.clear();
            for &y in &s.pool {
                let item = &items[y];
                #[expect(clippy::cast_precision_loss, reason = "delegations are far below 2^52")]
                let mut w = if level == Level::Delegation { item.delegation as f64 } else { 0.0 };
                for &t in &item.themes {
                    if tally.theme_holders[t] == 0 {
                        w += p.themes[t];
                    }
                }
                if regions_counted
                    && let Some(g) = item.region
                    && tally.region_holders[g] == 0
                {
                    w += p.regions[g];
                }
                s.weights.push(w + s.class_weights[item.class]);
            }
            // The best `room` items at those weights: one per new région when each must open
            // its own.
            s.order.clear();
            if needs.distinct_regions {
                for &g in &s.opened {
                    s.region_pick[g] = usize::MAX;
                }
                for (k, &y) in s.pool.iter().enumerate() {
                    if let Some(g) = items[y].region
                        && tally.region_holders[g] == 0
                    {
                        let j = s.region_pick[g];
                        if j == usize::MAX || s.weights[k] > s.weights[j] {
                            s.region_pick[g] = k;
                        }
                    }
                }
                s.order.extend(s.opened.iter().map(|&g| s.region_pick[g]));
            } else {
                s.order.extend(0..s.pool.len());
            }
            if s.order.len() < room {
                return f64::NEG_INFINITY;
            }
            let weights = &s.weights;
            if room == 0 {
                s.order.clear();
            } else if s.order.len() > room {
                s.order.select_nth_unstable_by(room - 1, |a, b| weights[*b].total_cmp(&weights[*a]));
                s.order.truncate(room);
            }
            let mut bound: f64 = s.order.iter().map(|&k| weights[k]).sum();
            if let Some(choices) = &mut s.choices {
                let mut choice: Vec<usize> = s.order.iter().map(|&k| s.pool[k]).collect();
                choice.sort_unstable();
                if !choices.contains(&choice) {
                    choices.push(choice);
                }
            }
            // What the choice brings.
            let mut augmenting = 0.0;
            for &k in &s.order {
                let item = &items[s.pool[k]];
                for &t in &item.themes {
                    if tally.theme_holders[t] == 0 {
                        s.theme_cover[t] += 1;
                    }
                }
                if let Some(g) = item.region
                    && tally.region_holders[g] == 0
                {
                    s.region_cover[g] += 1;
                }
                let mask = profiles.masks[item.class];
                for (t, n) in s.target_cover.iter_mut().enumerate() {
                    if mask & (1 << t) != 0 {
                        *n += 1;
                    }
                }
                if s.augments[item.class] {
                    augmenting += 1.0;
                }
            }
            // The subgradient of the bound in each price: what the choice brings minus what is
            // counted or needed. Each missing theme (and new région) counts, as the criterion or
            // towards its need, when its price is below what it is worth.
            let mut norm = 0.0;
            let worth = if level == Level::Themes { 1.0 } else { p.theme_need };
            let mut counted = 0.0;
            s.theme_slopes.clear();
            for &t in &s.missing {
                let brought = f64::from(s.theme_cover[t]);
                s.theme_cover[t] = 0;
                let z = if worth > p.themes[t] { 1.0 } else { 0.0 };
                bound += (worth - p.themes[t]).max(0.0);
                counted += z;
                s.theme_slopes.push(brought - z);
                norm += (brought - z) * (brought - z);
            }
            let theme_need_slope = if themes_needed {
                bound -= p.theme_need * f64::from(needs.themes);
                counted - f64::from(needs.themes)
            } else {
                0.0
            };
            let worth = if level == Level::Regions { 1.0 } else { p.region_need };
            let mut opened = 0.0;
            s.region_slopes.clear();
            for &g in &s.opened {
                let brought = f64::from(s.region_cover[g]);
                s.region_cover[g] = 0;
                if regions_counted {
                    let z = if worth > p.regions[g] { 1.0 } else { 0.0 };
                    bound += (worth - p.regions[g]).max(0.0);
                    opened += z;
                    s.region_slopes.push(brought - z);
                    norm += (brought - z) * (brought - z);
                }
            }
            let region_need_slope = if regions_needed {
                bound -= p.region_need * f64::from(needs.regions);
                opened - f64::from(needs.regions)
            } else {
                0.0
            };
            s.target_slopes.clear();
            for (t, need) in s.target_needs.iter().enumerate() {
                let slope = if *need > 0 {
                    bound -= p.targets[t] * f64::from(*need);
                    f64::from(s.target_cover[t]) - f64::from(*need)
                } else {
                    0.0
                };
                s.target_cover[t] = 0;
                s.target_slopes.push(slope);
                norm += slope * slope;
            }
            bound -= p.profile * f64::from(needs.profile);
            let profile_slope = augmenting - f64::from(needs.profile);
            norm += theme_need_slope * theme_need_slope
                + region_need_slope * region_need_slope
                + profile_slope * profile_slope;

            lowest = lowest.min(bound);
            // Stop once proved, or when the bound stays far from the goal.
            let hopeless = round >= GIVE_UP && lowest > goal + 1.5 && s.choices.is_none();
            if lowest < goal - SLACK || norm == 0.0 || hopeless {
                break;
            }
            // A Polyak step, aiming half a unit under the goal.
            let step = (bound - goal + 0.5) / norm;
            let down = |price: &mut f64, slope: f64| *price = (*price - step * slope).max(0.0);
            for (&t, &slope) in s.missing.iter().zip(&s.theme_slopes) {
                down(&mut p.themes[t], slope);
            }
            if regions_counted {
                for (&g, &slope) in s.opened.iter().zip(&s.region_slopes) {
                    down(&mut p.regions[g], slope);
                }
            }
            for (price, &slope) in p.targets.iter_mut().zip(&s.target_slopes) {
                down(price, slope);
            }
            down(&mut p.theme_need, theme_need_slope);
            down(&mut p.region_need, region_need_slope);
            down(&mut p.profile, profile_slope);
        }
        lowest
    }
}

// ---------------------------------------------------------------- the verdicts

/// The proposal for the chosen `members` (caller positions, in canonical order), with the
/// verdicts computed by swaps.
fn explain(
    candidates: &[SelectionCandidate],
    targets: &[SelectionTarget],
    model: &Model<'_>,
    members: &[usize],
    seats: usize,
) -> Proposal {
    let (all, profiles, theme_index) = (&model.all, &model.profiles, &model.theme_index);
    // Caller position → position in `all`.
    let mut at = vec![0; candidates.len()];
    for (p, item) in all.iter().enumerate() {
        at[item.index] = p;
    }
    let mut inside = vec![false; candidates.len()];
    let mut tally = model.empty.clone();
    for &m in members {
        inside[m] = true;
        tally.add(&all[at[m]]);
    }
    let score = tally.score(profiles);
    let mut ranks = SwapRanks::new(&tally.counts);
    let outside: Vec<usize> = (0..candidates.len()).filter(|&i| !inside[i]).collect();
    let swappable: Vec<usize> = members.iter().copied().filter(|&m| !candidates[m].locked).collect();
    let fills = assign(candidates, targets, members);

    let verdicts = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let item = &all[at[i]];
            let chosen = inside[i];
            let decisive = if chosen {
                if c.locked {
                    Criterion::Locked
                } else if outside.is_empty() {
                    Criterion::Room
                } else {
                    // The best replacement of this member.
                    tally.remove(item);
                    let best = outside
                        .iter()
                        .map(|&x| {
                            tally.add(&all[at[x]]);
                            let s = tally.score_with(ranks.rank(
                                profiles,
                                Some(item.class),
                                Some(all[at[x]].class),
                            ));
                            tally.remove(&all[at[x]]);
                            s
                        })
                        .max()
                        .unwrap_or_default();
                    tally.add(item);
                    first_loss(score, best)
                }
            } else if swappable.is_empty() {
                // The seats are all held by accepted applications.
                Criterion::Locked
            } else {
                // The best swap bringing this candidate in.
                tally.add(item);
                let best = swappable
                    .iter()
                    .map(|&m| {
                        tally.remove(&all[at[m]]);
                        let s =
                            tally.score_with(ranks.rank(profiles, Some(all[at[m]].class), Some(item.class)));
                        tally.add(&all[at[m]]);
                        s
                    })
                    .max()
                    .unwrap_or_default();
                tally.remove(item);
                first_loss(score, best)
            };
            // A member holds its themes once; a candidate out holds none.
            let alone = u32::from(chosen);
            let mut unique_themes: Vec<String> = Vec::new();
            for t in &c.themes {
                if tally.theme_holders[theme_index[t.as_str()]] == alone && !unique_themes.contains(t) {
                    unique_themes.push(t.clone());
                }
            }
            Verdict {
                id: c.id,
                chosen,
                fills_target: members.iter().position(|&m| m == i).and_then(|k| fills[k]),
                unique_themes,
                unique_region: item.region.is_some_and(|r| tally.region_holders[r] == alone),
                decisive,
            }
        })
        .collect();
    let best_possible_profile = u32::try_from(
        targets.iter().map(|t| u64::from(t.count)).sum::<u64>().min(u64::try_from(seats).unwrap_or(u64::MAX)),
    )
    .unwrap_or(u32::MAX);
    Proposal {
        chosen: members.iter().map(|&m| candidates[m].id).collect(),
        score: score.public(),
        best_possible_profile,
        verdicts,
    }
}

/// The first criterion on which `other` differs from the proposal (necessarily below it, the
/// proposal being the best), or `Order` when they are equal on all four.
fn first_loss(proposal: Score, other: Score) -> Criterion {
    if other.profile != proposal.profile {
        Criterion::Profile
    } else if other.themes != proposal.themes {
        Criterion::Themes
    } else if other.regions != proposal.regions {
        Criterion::Regions
    } else if other.delegation != proposal.delegation {
        Criterion::Delegation
    } else {
        Criterion::Order
    }
}

/// Which target each member (caller positions, in canonical order) fills in a maximum
/// assignment: members in turn take a seat by augmenting paths, targets tried in the
/// organisers' order, so the result is deterministic.
fn assign(
    candidates: &[SelectionCandidate],
    targets: &[SelectionTarget],
    members: &[usize],
) -> Vec<Option<usize>> {
    struct Seats<'a> {
        candidates: &'a [SelectionCandidate],
        targets: &'a [SelectionTarget],
        members: &'a [usize],
        holders: Vec<Vec<usize>>,
        fills: Vec<Option<usize>>,
    }
    impl Seats<'_> {
        fn place(&mut self, m: usize, seen: &mut [bool]) -> bool {
            for (t, target) in self.targets.iter().enumerate() {
                if seen[t] || !target.matches(&self.candidates[self.members[m]]) {
                    continue;
                }
                seen[t] = true;
                if self.holders[t].len() < usize::try_from(target.count).unwrap_or(usize::MAX) {
                    self.holders[t].push(m);
                    self.fills[m] = Some(t);
                    return true;
                }
                for k in 0..self.holders[t].len() {
                    let other = self.holders[t][k];
                    if self.place(other, seen) {
                        self.holders[t][k] = m;
                        self.fills[m] = Some(t);
                        return true;
                    }
                }
            }
            false
        }
    }
    let mut seats = Seats {
        candidates,
        targets,
        members,
        holders: vec![Vec::new(); targets.len()],
        fills: vec![None; members.len()],
    };
    for m in 0..members.len() {
        let mut seen = vec![false; targets.len()];
        seats.place(m, &mut seen);
    }
    seats.fills
}

/// Realistic applications and targets for benchmarks: `n` candidates over 8 to 12 themes (1 to
/// 4 each, some more popular), 13 to 18 régions, delegations partly filled, and the targets of
/// a call, from a small deterministic generator.
#[doc(hidden)]
pub fn selection_bench_input(n: usize, seed: u64) -> (Vec<SelectionCandidate>, Vec<SelectionTarget>) {
    const THEMES: [&str; 12] = [
        "food",
        "energy",
        "mobility",
        "housing",
        "biodiversity",
        "local_economy",
        "engagement",
        "governance",
        "water",
        "culture",
        "health",
        "education",
    ];
    const REGIONS: [&str; 18] = [
        "01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93",
        "94",
    ];
    let mut state = seed;
    // SplitMix64: a number below `bound`.
    let mut next = move |bound: usize| -> usize {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        usize::try_from(z % u64::try_from(bound.max(1)).unwrap_or(u64::MAX)).unwrap_or(0)
    };
    let themes = 8 + next(5);
    let regions = 13 + next(6);
    let candidates = (0..n)
        .map(|i| {
            let experience = match next(20) {
                0 => None,
                1..=2 => Some(Experience::Pioneer),
                3..=9 => Some(Experience::Experienced),
                _ => Some(Experience::NewlyEngaged),
            };
            let carried_by = match next(10) {
                0..=5 => Some(CarriedBy::LocalAuthority),
                6..=8 => Some(CarriedBy::Citizens),
                _ => Some(CarriedBy::Entrepreneurs),
            };
            // The lower of two draws: the first themes are the popular ones.
            let mut picked: Vec<String> =
                (0..=next(4)).map(|_| THEMES[next(themes).min(next(themes))].to_owned()).collect();
            picked.sort_unstable();
            picked.dedup();
            let delegation_total = 4 + next(5);
            let position = i64::try_from(i).unwrap_or(i64::MAX);
            SelectionCandidate {
                id: position.saturating_add(1),
                order: position,
                experience,
                carried_by,
                themes: picked,
                region: (next(20) > 0).then(|| REGIONS[next(regions)].to_owned()),
                delegation_filled: u32::try_from(next(delegation_total + 1)).unwrap_or(0),
                delegation_total: u32::try_from(delegation_total).unwrap_or(0),
                locked: false,
            }
        })
        .collect();
    let mut targets = vec![
        SelectionTarget {
            experience: Some(Experience::Experienced),
            carried_by: Some(CarriedBy::LocalAuthority),
            count: 2,
        },
        SelectionTarget { experience: Some(Experience::NewlyEngaged), carried_by: None, count: 2 },
        SelectionTarget { experience: None, carried_by: Some(CarriedBy::Citizens), count: 2 },
    ];
    if seed % 2 == 1 {
        targets.push(SelectionTarget { experience: Some(Experience::Pioneer), carried_by: None, count: 1 });
    }
    (candidates, targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn candidate(
        id: Id,
        experience: Experience,
        carried_by: CarriedBy,
        themes: &[&str],
        region: &str,
        filled: u32,
    ) -> SelectionCandidate {
        SelectionCandidate {
            id,
            order: id,
            experience: Some(experience),
            carried_by: Some(carried_by),
            themes: themes.iter().map(|t| (*t).to_owned()).collect(),
            region: Some(region.to_owned()),
            delegation_filled: filled,
            delegation_total: 6,
            locked: false,
        }
    }

    /// "6 seats: 2 experienced local authorities, 2 newly engaged, 2 carried by citizens".
    fn call_targets() -> Vec<SelectionTarget> {
        vec![
            SelectionTarget {
                experience: Some(Experience::Experienced),
                carried_by: Some(CarriedBy::LocalAuthority),
                count: 2,
            },
            SelectionTarget { experience: Some(Experience::NewlyEngaged), carried_by: None, count: 2 },
            SelectionTarget { experience: None, carried_by: Some(CarriedBy::Citizens), count: 2 },
        ]
    }

    fn twelve_applications() -> Vec<SelectionCandidate> {
        use CarriedBy::*;
        use Experience::*;
        vec![
            candidate(1, Experienced, LocalAuthority, &["food", "energy"], "84", 6),
            candidate(2, Experienced, LocalAuthority, &["food"], "84", 6),
            candidate(3, Experienced, LocalAuthority, &["mobility"], "53", 3),
            candidate(4, NewlyEngaged, LocalAuthority, &["housing"], "76", 5),
            candidate(5, NewlyEngaged, Citizens, &["water"], "44", 4),
            candidate(6, NewlyEngaged, LocalAuthority, &["energy"], "84", 6),
            candidate(7, Pioneer, Citizens, &["biodiversity"], "11", 2),
            candidate(8, Experienced, Citizens, &["food"], "93", 6),
            candidate(9, Pioneer, LocalAuthority, &["culture", "governance", "water"], "75", 6),
            candidate(10, NewlyEngaged, Entrepreneurs, &["local_economy"], "28", 0),
            candidate(11, Experienced, LocalAuthority, &["mobility"], "53", 3),
            candidate(12, Pioneer, Citizens, &["governance"], "32", 1),
        ]
    }

    fn verdict(p: &Proposal, id: Id) -> &Verdict {
        p.verdicts.iter().find(|v| v.id == id).unwrap()
    }

    #[test]
    fn six_seats_meet_the_targets_then_themes_then_regions_then_delegations() {
        let p = propose_cohort(&twelve_applications(), &call_targets(), 6);
        // Every target seat is filled; 7 of the 8 themes a target-meeting cohort can reach
        // (four one-theme territories cannot bring five themes); 6 régions; and of the five
        // ways to get there, the one with the fullest delegations (21 seats).
        assert_eq!(p.chosen, vec![1, 3, 4, 5, 7, 12], "{p:#?}");
        assert_eq!(p.score, SelectionScore { profile: 6, themes: 7, regions: 6, delegation: 21 });
        assert_eq!(p.best_possible_profile, 6);

        let first = verdict(&p, 1);
        assert_eq!(first.fills_target, Some(0));
        assert_eq!(first.unique_themes, vec!["food".to_owned(), "energy".to_owned()]);
        assert!(first.unique_region);
        assert_eq!(first.decisive, Criterion::Themes, "its best replacement (2) brings no energy");
        assert_eq!(verdict(&p, 5).fills_target, Some(1), "newly engaged and citizen: either seat");
        assert_eq!(verdict(&p, 12).fills_target, Some(2));
        assert_eq!(
            verdict(&p, 5).decisive,
            Criterion::Delegation,
            "10 would do as well, with fewer delegates"
        );

        // The twin of 3, submitted later: only the order tells them apart.
        assert_eq!(verdict(&p, 3).decisive, Criterion::Order);
        let twin = verdict(&p, 11);
        assert!(!twin.chosen && twin.fills_target.is_none());
        assert_eq!(twin.decisive, Criterion::Order);
        assert!(twin.unique_themes.is_empty() && !twin.unique_region);
        // Three themes and a full delegation, but no target seat for a pioneer local authority.
        let pioneer = verdict(&p, 9);
        assert_eq!(pioneer.decisive, Criterion::Profile);
        assert_eq!(pioneer.unique_themes, vec!["culture".to_owned()]);
        assert!(pioneer.unique_region);
        assert_eq!(verdict(&p, 8).decisive, Criterion::Themes, "food is already there");
        assert_eq!(verdict(&p, 10).decisive, Criterion::Delegation);
    }

    #[test]
    fn accepted_applications_keep_their_seat() {
        let mut applications = twelve_applications();
        applications[8].locked = true; // 9, which fills no target
        let p = propose_cohort(&applications, &call_targets(), 6);
        assert!(p.chosen.contains(&9));
        assert_eq!(verdict(&p, 9).decisive, Criterion::Locked);
        assert_eq!(p.score.profile, 5, "one seat less for the targets");

        // More accepted than seats: the earliest accepted, and nobody else.
        for a in &mut applications[..4] {
            a.locked = true;
        }
        let p = propose_cohort(&applications, &call_targets(), 3);
        assert_eq!(p.chosen, vec![1, 2, 3]);
        assert!(p.verdicts.iter().all(|v| v.decisive == Criterion::Locked), "{p:#?}");
    }

    #[test]
    fn room_for_everyone_is_said() {
        let applications = twelve_applications();
        let p = propose_cohort(&applications[..4], &call_targets(), 6);
        assert_eq!(p.chosen, vec![1, 2, 3, 4]);
        assert!(p.verdicts.iter().all(|v| v.chosen && v.decisive == Criterion::Room));
    }

    #[test]
    fn nothing_to_choose() {
        let p = propose_cohort(&[], &call_targets(), 6);
        assert!(p.chosen.is_empty() && p.verdicts.is_empty());
        assert_eq!(p.score, SelectionScore::default());
        let p = propose_cohort(&twelve_applications(), &[], 0);
        assert!(p.chosen.is_empty());
        assert_eq!(p.best_possible_profile, 0);
        assert!(p.verdicts.iter().all(|v| !v.chosen));
    }

    #[test]
    fn three_hundred_applications_for_twelve_seats() {
        for seed in 0..4 {
            let (candidates, targets) = selection_bench_input(300, seed);
            let p = propose_cohort(&candidates, &targets, 12);
            assert_eq!(p.chosen.len(), 12);
            assert_eq!(p.verdicts.len(), 300);
            assert_eq!(p.score.profile, p.best_possible_profile, "seed {seed}");
            assert_eq!(propose_cohort(&candidates, &targets, 12), p, "deterministic");
        }
    }

    /// Prints the time of the benchmark's cases (300 applications, 6, 9 and 12 seats); run with
    /// `cargo test -p domain --release selection_timings -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing belongs to benchmarks"]
    fn selection_timings() {
        for seats in [6, 9, 12] {
            let mut times: Vec<std::time::Duration> = (0..20)
                .map(|seed| {
                    let (candidates, targets) = selection_bench_input(300, seed);
                    let started = std::time::Instant::now();
                    std::hint::black_box(propose_cohort(&candidates, &targets, seats));
                    started.elapsed()
                })
                .collect();
            times.sort();
            println!(
                "300 × {seats}: median {:?}, slowest {:?}",
                times[times.len() / 2],
                times[times.len() - 1]
            );
        }
    }

    // ------------------------------------------------------------ brute force

    /// The profile by Hall's theorem: the largest subset of the set in which every group of
    /// members matches at least as many target seats as it has members.
    fn naive_profile(members: &[&SelectionCandidate], targets: &[SelectionTarget]) -> u32 {
        let n = members.len();
        let seats_of = |group: u32| -> u64 {
            targets
                .iter()
                .filter(|t| (0..n).any(|m| group & (1 << m) != 0 && t.matches(members[m])))
                .map(|t| u64::from(t.count))
                .sum()
        };
        let hall = |set: u32| -> bool {
            (1..=set).filter(|g| g & !set == 0).all(|g| u64::from(g.count_ones()) <= seats_of(g))
        };
        (0..1u32 << n).filter(|&set| hall(set)).map(u32::count_ones).max().unwrap_or(0)
    }

    fn naive_score(members: &[&SelectionCandidate], targets: &[SelectionTarget]) -> SelectionScore {
        let themes: BTreeSet<&str> =
            members.iter().flat_map(|c| c.themes.iter().map(String::as_str)).collect();
        let regions: BTreeSet<&str> = members.iter().filter_map(|c| c.region.as_deref()).collect();
        SelectionScore {
            profile: naive_profile(members, targets),
            themes: u32::try_from(themes.len()).unwrap(),
            regions: u32::try_from(regions.len()).unwrap(),
            delegation: members.iter().map(|c| c.delegation_filled).sum(),
        }
    }

    fn sorted_orders(members: &[&SelectionCandidate]) -> Vec<i64> {
        let mut orders: Vec<i64> = members.iter().map(|c| c.order).collect();
        orders.sort_unstable();
        orders
    }

    /// Every set of the right size: the best score, the best sorted orders, and the sets
    /// reaching both.
    fn brute_force(
        candidates: &[SelectionCandidate],
        targets: &[SelectionTarget],
        seats: usize,
    ) -> (SelectionScore, Vec<i64>, Vec<BTreeSet<Id>>) {
        let mut locked: Vec<&SelectionCandidate> = candidates.iter().filter(|c| c.locked).collect();
        locked.sort_by_key(|c| (c.order, c.id));
        locked.truncate(seats);
        let free: Vec<&SelectionCandidate> = candidates.iter().filter(|c| !c.locked).collect();
        let size = (seats - locked.len()).min(free.len());
        let mut best: Option<(SelectionScore, Vec<i64>, Vec<BTreeSet<Id>>)> = None;
        for mask in 0u32..1 << free.len() {
            if mask.count_ones() as usize != size {
                continue;
            }
            let mut set = locked.clone();
            set.extend(free.iter().enumerate().filter(|(k, _)| mask & (1 << k) != 0).map(|(_, c)| *c));
            let score = naive_score(&set, targets);
            let orders = sorted_orders(&set);
            let ids: BTreeSet<Id> = set.iter().map(|c| c.id).collect();
            match &mut best {
                Some((s, o, sets)) if (score, std::cmp::Reverse(&orders)) == (*s, std::cmp::Reverse(&*o)) => {
                    sets.push(ids);
                }
                Some((s, o, _)) if (score, std::cmp::Reverse(&orders)) < (*s, std::cmp::Reverse(&*o)) => {}
                _ => best = Some((score, orders, vec![ids])),
            }
        }
        best.unwrap()
    }

    /// The verdict's criterion, recomputed naively from its definition.
    fn naive_decisive(
        candidates: &[SelectionCandidate],
        targets: &[SelectionTarget],
        chosen: &[Id],
        who: &SelectionCandidate,
    ) -> Criterion {
        let by_id = |id: Id| candidates.iter().find(|c| c.id == id).unwrap();
        let members: Vec<&SelectionCandidate> = chosen.iter().map(|&id| by_id(id)).collect();
        let score = naive_score(&members, targets);
        let loss = |other: SelectionScore| {
            if other.profile != score.profile {
                Criterion::Profile
            } else if other.themes != score.themes {
                Criterion::Themes
            } else if other.regions != score.regions {
                Criterion::Regions
            } else if other.delegation != score.delegation {
                Criterion::Delegation
            } else {
                Criterion::Order
            }
        };
        let outside: Vec<&SelectionCandidate> =
            candidates.iter().filter(|c| !chosen.contains(&c.id)).collect();
        if chosen.contains(&who.id) {
            if who.locked {
                return Criterion::Locked;
            }
            let others: Vec<&SelectionCandidate> =
                members.iter().copied().filter(|c| c.id != who.id).collect();
            let best = outside
                .iter()
                .map(|x| {
                    let mut set = others.clone();
                    set.push(x);
                    naive_score(&set, targets)
                })
                .max();
            best.map_or(Criterion::Room, loss)
        } else {
            let best = members
                .iter()
                .filter(|m| !m.locked)
                .map(|out| {
                    let mut set: Vec<&SelectionCandidate> =
                        members.iter().copied().filter(|c| c.id != out.id).collect();
                    set.push(who);
                    naive_score(&set, targets)
                })
                .max();
            best.map_or(Criterion::Locked, loss)
        }
    }

    fn arb_input() -> impl Strategy<Value = (Vec<SelectionCandidate>, Vec<SelectionTarget>, usize, u64)> {
        let experience = prop_oneof![
            Just(Experience::Pioneer),
            Just(Experience::Experienced),
            Just(Experience::NewlyEngaged)
        ];
        let carried = prop_oneof![
            Just(CarriedBy::LocalAuthority),
            Just(CarriedBy::Citizens),
            Just(CarriedBy::Entrepreneurs)
        ];
        let candidate = (
            proptest::option::weighted(0.85, experience.clone()),
            proptest::option::weighted(0.85, carried.clone()),
            proptest::collection::vec(0..5usize, 0..4),
            proptest::option::weighted(0.85, 0..4usize),
            0..4u32,
            proptest::bool::weighted(0.15),
            0..12i64,
        );
        let target = (proptest::option::of(experience), proptest::option::of(carried), 0..3u32);
        (
            proptest::collection::vec(candidate, 0..=10),
            proptest::collection::vec(target, 0..9),
            1..=5usize,
            any::<bool>(),
            any::<u64>(),
        )
            .prop_map(|(cs, ts, seats, distinct, shuffle)| {
                let candidates = cs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (experience, carried_by, themes, region, filled, locked, order))| {
                        let position = i64::try_from(i).unwrap();
                        SelectionCandidate {
                            id: 100 + position,
                            // Orders repeat in half of the cases: the identifier then decides.
                            order: if distinct { 10 - position } else { order },
                            experience,
                            carried_by,
                            themes: themes.into_iter().map(|t| format!("t{t}")).collect(),
                            region: region.map(|r| format!("r{r}")),
                            delegation_filled: filled,
                            delegation_total: 6,
                            locked,
                        }
                    })
                    .collect();
                let targets = ts
                    .into_iter()
                    .map(|(experience, carried_by, count)| SelectionTarget { experience, carried_by, count })
                    .collect();
                (candidates, targets, seats, shuffle)
            })
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

    /// Regression: when the picks already hold more delegation seats than the best set found,
    /// the delegation a completion needs is none, not one; a branch holding the best set was
    /// cut.
    #[test]
    fn picks_ahead_on_delegations_keep_their_branch() {
        let c = |id: Id, themes: &[&str], region: Option<&str>, filled: u32| SelectionCandidate {
            id,
            order: 110 - id,
            experience: None,
            carried_by: None,
            themes: themes.iter().map(|t| (*t).to_owned()).collect(),
            region: region.map(str::to_owned),
            delegation_filled: filled,
            delegation_total: 6,
            locked: false,
        };
        let candidates = vec![
            c(100, &["t0", "t3"], None, 0),
            c(101, &["t1", "t0"], Some("r0"), 2),
            c(102, &["t1", "t2"], Some("r1"), 1),
            c(103, &["t4"], None, 0),
            c(104, &["t2", "t1"], Some("r0"), 0),
            c(105, &["t2"], Some("r1"), 1),
        ];
        let p = propose_cohort(&candidates, &[], 3);
        assert_eq!(p.chosen, vec![103, 102, 100]);
        assert_eq!(p.score, SelectionScore { profile: 0, themes: 5, regions: 1, delegation: 1 });
    }

    /// Every set of the right size, scored by the model: the best one's identifiers.
    fn exhaustive(candidates: &[SelectionCandidate], targets: &[SelectionTarget], seats: usize) -> Vec<Id> {
        fn walk(
            model: &Model<'_>,
            free: &[usize],
            from: usize,
            room: usize,
            tally: &mut Tally,
            picks: &mut Vec<usize>,
            best: &mut Option<(Score, Vec<usize>)>,
        ) {
            if room == 0 {
                let score = tally.score(&model.profiles);
                if best.as_ref().is_none_or(|(s, b)| beats(&model.all, (score, picks), (*s, b))) {
                    *best = Some((score, picks.clone()));
                }
                return;
            }
            for k in from..free.len() {
                if free.len() - k < room {
                    break;
                }
                tally.add(&model.all[free[k]]);
                picks.push(free[k]);
                walk(model, free, k + 1, room - 1, tally, picks, best);
                picks.pop();
                tally.remove(&model.all[free[k]]);
            }
        }
        let model = Model::new(candidates, targets, seats);
        let mut best = None;
        walk(&model, &model.free, 0, model.room, &mut model.base.clone(), &mut Vec::new(), &mut best);
        let mut members: Vec<usize> = model.locked.clone();
        members.extend(best.map(|(_, picks)| picks).unwrap_or_default());
        members.sort_unstable();
        members.iter().map(|&p| candidates[model.all[p].index].id).collect()
    }

    /// Realistic inputs of 14 to 22 applications, where the bounds, the dominance and the
    /// relaxations all come into play, against the exhaustive search.
    #[test]
    fn the_proposal_is_the_exhaustive_optimum_on_realistic_inputs() {
        for seed in 0..60u64 {
            let n = 14 + usize::try_from(seed % 9).unwrap();
            let (mut candidates, mut targets) = selection_bench_input(n, seed);
            for (i, c) in candidates.iter_mut().enumerate() {
                match seed % 7 {
                    1 => c.delegation_filled = 0,
                    2 => c.region = Some(format!("r{}", i % 3)),
                    3 => c.themes.push(format!("x{}", (i * 7) % 9)),
                    4 => c.locked = i % 7 == 2,
                    5 => c.order = i64::try_from(i / 3).unwrap(),
                    6 => c.delegation_filled = u32::try_from((i * 37) % 101).unwrap(),
                    _ => {}
                }
            }
            match (seed / 7) % 4 {
                1 => targets.iter_mut().for_each(|t| t.count = 1),
                2 => targets.clear(),
                3 => {
                    // Seven distinct targets: the profile is computed by a flow.
                    for (experience, carried_by) in [
                        (None, Some(CarriedBy::Entrepreneurs)),
                        (Some(Experience::Pioneer), Some(CarriedBy::Citizens)),
                        (Some(Experience::Experienced), None),
                        (None, Some(CarriedBy::LocalAuthority)),
                    ] {
                        targets.push(SelectionTarget { experience, carried_by, count: 1 });
                    }
                }
                _ => {}
            }
            let seats = 2 + usize::try_from(seed % 6).unwrap();
            let p = propose_cohort(&candidates, &targets, seats);
            assert_eq!(p.chosen, exhaustive(&candidates, &targets, seats), "seed {seed}, {seats} seats");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn the_proposal_is_the_brute_force_optimum((candidates, targets, seats, shuffle) in arb_input()) {
            let p = propose_cohort(&candidates, &targets, seats);
            let members: Vec<&SelectionCandidate> =
                p.chosen.iter().map(|id| candidates.iter().find(|c| c.id == *id).unwrap()).collect();
            prop_assert!(p.chosen.len() <= seats, "never more than the seats");
            prop_assert_eq!(p.chosen.len(), seats.min(candidates.len()));
            let locked = candidates.iter().filter(|c| c.locked).count();
            if locked <= seats {
                for c in candidates.iter().filter(|c| c.locked) {
                    prop_assert!(p.chosen.contains(&c.id), "an accepted application stays in");
                }
            }
            prop_assert!(members.windows(2).all(|w| (w[0].order, w[0].id) < (w[1].order, w[1].id)), "in order");

            let (best, orders, best_sets) = brute_force(&candidates, &targets, seats);
            prop_assert_eq!(p.score, best, "optimal on the four criteria");
            prop_assert_eq!(naive_score(&members, &targets), p.score, "the score is the set's");
            prop_assert_eq!(sorted_orders(&members), orders, "the earliest submissions among the best");
            let ids: BTreeSet<Id> = p.chosen.iter().copied().collect();
            prop_assert!(best_sets.contains(&ids));
            if best.profile == p.best_possible_profile {
                prop_assert_eq!(p.score.profile, p.best_possible_profile, "targets met when they can be");
            }

            prop_assert_eq!(p.verdicts.len(), candidates.len());
            let mut per_target = vec![0u32; targets.len()];
            for (v, c) in p.verdicts.iter().zip(&candidates) {
                prop_assert_eq!(v.id, c.id, "verdicts in input order");
                prop_assert_eq!(v.chosen, p.chosen.contains(&c.id));
                prop_assert_eq!(v.decisive, naive_decisive(&candidates, &targets, &p.chosen, c), "{:?}", c);
                let others: Vec<&&SelectionCandidate> = members.iter().filter(|m| m.id != c.id).collect();
                let unique: Vec<String> = c
                    .themes
                    .iter()
                    .filter(|t| !others.iter().any(|o| o.themes.contains(t)))
                    .fold(Vec::new(), |mut u, t| { if !u.contains(t) { u.push(t.clone()); } u });
                prop_assert_eq!(&v.unique_themes, &unique);
                let unique_region = c.region.as_ref().is_some_and(|r| !others.iter().any(|o| o.region.as_ref() == Some(r)));
                prop_assert_eq!(v.unique_region, unique_region);
                if let Some(t) = v.fills_target {
                    prop_assert!(v.chosen && targets[t].matches(c));
                    per_target[t] += 1;
                }
            }
            prop_assert!(per_target.iter().zip(&targets).all(|(n, t)| *n <= t.count));
            prop_assert_eq!(per_target.iter().sum::<u32>(), p.score.profile, "the assignment shown is maximum");

            // The same applications in another order: the same proposal.
            let again = propose_cohort(&shuffled(&candidates, shuffle), &targets, seats);
            prop_assert_eq!(&again.chosen, &p.chosen);
            prop_assert_eq!(again.score, p.score);
            for v in &again.verdicts {
                prop_assert_eq!(v, verdict(&p, v.id));
            }
        }

        #[test]
        fn the_profile_by_cuts_is_the_profile_by_flow(
            caps in proptest::collection::vec(1..4u32, 0..=CUT_TARGETS),
            classes in proptest::collection::vec((any::<u32>(), 0..5u32), 1..8),
        ) {
            let width = caps.len();
            let masks: Vec<u32> = classes.iter().map(|(m, _)| m & ((1 << width) - 1)).collect();
            let counts: Vec<u32> = classes.iter().map(|(_, n)| *n).collect();
            let by_cut = Profiles::new(masks.clone(), caps.clone(), true);
            let by_flow = Profiles::new(masks, caps, false);
            prop_assert_eq!(by_cut.rank(&counts), by_flow.rank(&counts));
        }
    }
}
