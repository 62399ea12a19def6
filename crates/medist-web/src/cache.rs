//! Caches of computed figures, keyed by the data version (see `medist_db::version`).
//!
//! An entry is used only by a request whose version is not newer than the entry's: the version is read after the
//! request arrived, and every commit moves it, so no request is answered with figures older than a change committed
//! before it came — whichever process committed it. Entries of a version that has moved on are replaced on their
//! next use. Each cache is bounded (entries, and an estimated size for the big ones), and a key's value is computed
//! once however many requests ask for it at the same time.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use medist_db::version::DataVersion;
use tokio::sync::OnceCell;

struct Slot<V> {
    version: DataVersion,
    cell: Arc<OnceCell<V>>,
    born: Instant,
    used: u64,
    weight: usize,
}

struct Inner<K, V> {
    map: HashMap<K, Slot<V>>,
    clock: u64,
    weight: usize,
}

/// One bounded cache.
pub struct VersionedCache<K, V> {
    max_entries: usize,
    max_weight: usize,
    /// Entries older than this are computed again even when the version has not moved (for what is not versioned,
    /// such as an API token's last use).
    max_age: Option<Duration>,
    weigh: fn(&V) -> usize,
    inner: Mutex<Inner<K, V>>,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
}

impl<K: Eq + Hash + Clone, V: Clone> VersionedCache<K, V> {
    pub fn new(max_entries: usize, max_weight: usize, max_age: Option<Duration>, weigh: fn(&V) -> usize) -> Self {
        VersionedCache {
            max_entries: max_entries.max(1),
            max_weight,
            max_age,
            weigh,
            inner: Mutex::new(Inner { map: HashMap::new(), clock: 0, weight: 0 }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<K, V>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value of `key` at `version` or later, computed by `f` when there is none. An error is returned and not
    /// kept.
    pub async fn get_or_try<E, F, Fut>(&self, key: K, version: DataVersion, f: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V, E>>,
    {
        let cell = {
            let mut g = self.lock();
            g.clock += 1;
            let now = g.clock;
            let fresh = |s: &Slot<V>| s.version >= version && self.max_age.is_none_or(|a| s.born.elapsed() < a);
            match g.map.get_mut(&key) {
                Some(s) if fresh(s) => {
                    s.used = now;
                    s.cell.clone()
                }
                _ => {
                    if let Some(old) = g.map.remove(&key) {
                        g.weight -= old.weight;
                    }
                    let cell = Arc::new(OnceCell::new());
                    g.map.insert(
                        key.clone(),
                        Slot { version, cell: cell.clone(), born: Instant::now(), used: now, weight: 0 },
                    );
                    cell
                }
            }
        };
        if let Some(v) = cell.get() {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(v.clone());
        }
        let mut computed = false;
        let r = cell
            .get_or_try_init(|| {
                computed = true;
                f()
            })
            .await
            .cloned();
        if computed {
            self.misses.fetch_add(1, Ordering::Relaxed);
        } else {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        let mut guard = self.lock();
        let g = &mut *guard;
        match &r {
            Ok(v) if computed => {
                let w = (self.weigh)(v);
                if let Some(s) = g.map.get_mut(&key).filter(|s| Arc::ptr_eq(&s.cell, &cell)) {
                    s.weight = w;
                    g.weight += w;
                }
                self.evict(g);
            }
            // Forget the empty slot, unless someone else filled or replaced it meanwhile.
            Err(_) if g.map.get(&key).is_some_and(|s| Arc::ptr_eq(&s.cell, &cell) && s.cell.get().is_none()) => {
                g.map.remove(&key);
            }
            _ => {}
        }
        r
    }

    /// Drops the least recently used entries until the cache is within its bounds.
    fn evict(&self, g: &mut Inner<K, V>) {
        while g.map.len() > self.max_entries || (g.weight > self.max_weight && g.map.len() > 1) {
            let Some(k) = g.map.iter().min_by_key(|(_, s)| s.used).map(|(k, _)| k.clone()) else { break };
            if let Some(s) = g.map.remove(&k) {
                g.weight -= s.weight;
            }
        }
    }

    /// Forgets one key (e.g. an expired session found in the cache).
    pub fn forget(&self, key: &K) {
        let mut g = self.lock();
        if let Some(s) = g.map.remove(key) {
            g.weight -= s.weight;
        }
    }

    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Who a session cookie or an API token stands for, as found in the database.
#[derive(Clone)]
pub struct CachedAuth {
    pub info: crate::auth::AuthInfo,
    /// The session's CSRF token (sessions only).
    pub csrf: Option<String>,
    /// When the session or token stops being valid.
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The dashboard of one consortium, year, institution filter, language and day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DashboardKey {
    pub consortium_id: i64,
    pub year: Option<i32>,
    pub institution: Option<i64>,
    pub korean: bool,
    pub today: chrono::NaiveDate,
}

/// Every cache of the server, with the gate that reads the data version.
pub struct Caches {
    pub gate: medist_db::version::VersionReader,
    /// (`true` for a token, the SHA-256 of the cookie or token) → the account. Refreshed at least every minute,
    /// which also records a token's last use as before.
    pub auth: VersionedCache<(bool, String), CachedAuth>,
    /// (account, write scope) → the consortium the account works in.
    pub home: VersionedCache<(i64, bool), Option<i64>>,
    pub dashboard: VersionedCache<DashboardKey, Arc<crate::pages::DashboardModel>>,
    /// KPI id → its value with every record counted; weighed by the records counted.
    pub kpi: VersionedCache<i64, Arc<medist_db::kpi::KpiResult>>,
    /// (KPI id, page, Korean, the caller sees single patent families) → labels and links of that page's records.
    pub kpi_page: VersionedCache<(i64, u64, bool, bool), Arc<crate::pages::KpiPageLabels>>,
}

/// Records counted across all cached KPI results (100–200 bytes each): bounds that cache to about 20–30 MiB.
pub const MAX_CACHED_KPI_RECORDS: usize = 150_000;

impl Caches {
    pub fn new(db: medist_db::Db) -> Caches {
        Caches {
            gate: medist_db::version::VersionReader::new(db),
            auth: VersionedCache::new(10_000, usize::MAX, Some(Duration::from_secs(60)), |_| 1),
            home: VersionedCache::new(10_000, usize::MAX, None, |_| 1),
            dashboard: VersionedCache::new(256, usize::MAX, None, |_| 1),
            kpi: VersionedCache::new(512, MAX_CACHED_KPI_RECORDS, None, |r| {
                1 + r.value.as_ref().map(|v| v.counted.len() + v.undated.len()).unwrap_or(0)
            }),
            kpi_page: VersionedCache::new(1_024, usize::MAX, None, |_| 1),
        }
    }

    /// (hits, misses) of every cache, for `/metrics`.
    pub fn stats(&self) -> Vec<(&'static str, u64, u64)> {
        let s = |name, h: &AtomicU64, m: &AtomicU64| (name, h.load(Ordering::Relaxed), m.load(Ordering::Relaxed));
        vec![
            s("auth", &self.auth.hits, &self.auth.misses),
            s("home", &self.home.hits, &self.home.misses),
            s("dashboard", &self.dashboard.hits, &self.dashboard.misses),
            s("kpi", &self.kpi.hits, &self.kpi.misses),
            s("kpi_page", &self.kpi_page.hits, &self.kpi_page.misses),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(seq: i64) -> DataVersion {
        DataVersion { seq, tag: 0 }
    }

    #[tokio::test]
    async fn a_newer_version_computes_again_and_an_older_one_uses_the_newer_value() {
        let c: VersionedCache<&str, i64> = VersionedCache::new(10, usize::MAX, None, |_| 1);
        let ok = |x: i64| async move { Ok::<i64, ()>(x) };
        assert_eq!(c.get_or_try("k", v(1), || ok(1)).await, Ok(1));
        assert_eq!(c.get_or_try("k", v(1), || ok(99)).await, Ok(1), "same version: cached");
        assert_eq!(c.get_or_try("k", v(2), || ok(2)).await, Ok(2), "version moved: computed again");
        assert_eq!(c.get_or_try("k", v(1), || ok(99)).await, Ok(2), "an older reader may get newer figures");
        assert_eq!(c.hits.load(Ordering::Relaxed), 2);
    }

    #[tokio::test]
    async fn errors_are_not_kept() {
        let c: VersionedCache<&str, i64> = VersionedCache::new(10, usize::MAX, None, |_| 1);
        assert_eq!(c.get_or_try("k", v(1), || async { Err::<i64, &str>("down") }).await, Err("down"));
        assert!(c.is_empty());
        assert_eq!(c.get_or_try("k", v(1), || async { Ok::<i64, &str>(5) }).await, Ok(5));
    }

    #[tokio::test]
    async fn bounds_hold_by_entries_and_by_weight() {
        let c: VersionedCache<i64, i64> = VersionedCache::new(3, 100, None, |x| *x as usize);
        for k in 0..10 {
            c.get_or_try(k, v(1), || async { Ok::<i64, ()>(10) }).await.unwrap();
        }
        assert_eq!(c.len(), 3);
        c.get_or_try(100, v(1), || async { Ok::<i64, ()>(95) }).await.unwrap();
        assert!(c.lock().weight <= 100, "weight {}", c.lock().weight);
    }

    #[tokio::test]
    async fn concurrent_askers_share_one_computation() {
        let c: Arc<VersionedCache<&str, i64>> = Arc::new(VersionedCache::new(10, usize::MAX, None, |_| 1));
        let runs = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (c, runs) = (c.clone(), runs.clone());
            tasks.push(tokio::spawn(async move {
                c.get_or_try("k", v(1), || async {
                    runs.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Ok::<i64, ()>(7)
                })
                .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), Ok(7));
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }
}
