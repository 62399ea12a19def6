//! Pagination for every list.

use serde::{Deserialize, Serialize};

pub const DEFAULT_PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// 1-based page number.
    pub page: u64,
    pub per_page: u64,
}

impl Default for Page {
    fn default() -> Self {
        Page { page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

impl Page {
    /// Clamps what a request asked for into a valid page.
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Page {
        Page { page: page.unwrap_or(1).max(1), per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE) }
    }
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

impl<T> Paged<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            items: self.items.into_iter().map(f).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_clamped() {
        assert_eq!(Page::new(Some(0), Some(10_000)), Page { page: 1, per_page: MAX_PER_PAGE });
        assert_eq!(Page::new(Some(3), Some(20)).offset(), 40);
        let p: Paged<u8> = Paged { items: vec![], page: 1, per_page: 20, total: 41 };
        assert_eq!(p.pages(), 3);
    }
}
