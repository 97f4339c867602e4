//! What a territory's delegation still misses, category by category.

use crate::{Category, Delegate};
use serde::Serialize;

/// How far one category of a delegation is from its quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryGap {
    /// The category.
    pub category: Category,
    /// People named in it.
    pub named: usize,
    /// People still missing (0 when the quota is met).
    pub missing: usize,
    /// People beyond the quota (a delegation may be larger; the page says so).
    pub extra: usize,
}

/// The state of a whole delegation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelegationStatus {
    /// One line per category, in the programme's order.
    pub categories: Vec<CategoryGap>,
}

impl DelegationStatus {
    /// People missing across all categories.
    pub fn missing(&self) -> usize {
        self.categories.iter().map(|c| c.missing).sum()
    }

    /// True when every quota is met.
    pub fn is_complete(&self) -> bool {
        self.missing() == 0
    }
}

/// Compares a delegation with the programme's quotas.
pub fn delegation_status(categories: &[Category], delegates: &[Delegate]) -> DelegationStatus {
    DelegationStatus {
        categories: categories
            .iter()
            .map(|category| {
                let named = delegates.iter().filter(|d| d.category_id == category.id).count();
                let quota = usize::from(category.quota.get());
                CategoryGap {
                    category: category.clone(),
                    named,
                    missing: quota.saturating_sub(named),
                    extra: named.saturating_sub(quota),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Quota;

    fn category(id: i64, quota: i64) -> Category {
        Category {
            id,
            code: format!("c{id}"),
            label_fr: String::new(),
            label_en: String::new(),
            quota: Quota::try_from(quota).unwrap(),
        }
    }

    fn delegate(id: i64, category_id: i64) -> Delegate {
        Delegate { id, person_id: id, full_name: String::new(), category_id }
    }

    #[test]
    fn triptych_with_one_elected_and_three_citizens() {
        let cats = [category(1, 2), category(2, 2), category(3, 2)];
        let status =
            delegation_status(&cats, &[delegate(1, 1), delegate(2, 3), delegate(3, 3), delegate(4, 3)]);
        let missing: Vec<_> = status.categories.iter().map(|c| (c.missing, c.extra)).collect();
        assert_eq!(missing, vec![(1, 0), (2, 0), (0, 1)]);
        assert_eq!(status.missing(), 3);
        assert!(!status.is_complete());
    }
}
