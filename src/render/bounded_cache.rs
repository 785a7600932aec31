//! A map with a memory budget, for the highlighted-block cache: a long `serve` session keeps
//! what the book still uses and forgets blocks that were edited away, instead of growing.
//!
//! Two generations: entries go into the current one; when it holds more than half the budget
//! it becomes the old one and the one before is dropped. A hit in the old generation moves
//! the entry back into the current one, so whatever the book keeps using survives every turn.

use std::collections::HashMap;
use std::hash::Hash;

pub(crate) struct BoundedCache<K, V> {
    current: HashMap<K, (V, usize)>,
    old: HashMap<K, (V, usize)>,
    /// Bytes counted in `current` and `old`.
    current_bytes: usize,
    old_bytes: usize,
    /// Most bytes held in both generations together.
    budget: usize,
}

impl<K: Hash + Eq, V: Clone> BoundedCache<K, V> {
    pub(crate) fn new(budget: usize) -> Self {
        BoundedCache {
            current: HashMap::new(),
            old: HashMap::new(),
            current_bytes: 0,
            old_bytes: 0,
            budget,
        }
    }

    /// The value for `key`, moved into the current generation if it was in the old one.
    pub(crate) fn get(&mut self, key: &K) -> Option<V> {
        if let Some((v, _)) = self.current.get(key) {
            return Some(v.clone());
        }
        let (k, (v, size)) = self.old.remove_entry(key)?;
        self.old_bytes -= size;
        self.put(k, v.clone(), size);
        Some(v)
    }

    /// Keep `value` under `key`, counting it as `size` bytes. A value larger than half the
    /// budget is not kept at all.
    pub(crate) fn insert(&mut self, key: K, value: V, size: usize) {
        if size > self.budget / 2 {
            return;
        }
        if let Some((_, s)) = self.old.remove(&key) {
            self.old_bytes -= s;
        }
        self.put(key, value, size);
    }

    fn put(&mut self, key: K, value: V, size: usize) {
        if self.current_bytes + size > self.budget / 2 {
            self.old = std::mem::take(&mut self.current);
            self.old_bytes = std::mem::replace(&mut self.current_bytes, 0);
        }
        if let Some((_, s)) = self.current.insert(key, (value, size)) {
            self.current_bytes -= s;
        }
        self.current_bytes += size;
    }

    /// Bytes held, as counted by the sizes given to `insert`.
    pub(crate) fn bytes(&self) -> usize {
        self.current_bytes + self.old_bytes
    }

    pub(crate) fn len(&self) -> usize {
        self.current.len() + self.old.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_within_its_budget_and_keeps_what_is_used() {
        let mut c: BoundedCache<u32, u32> = BoundedCache::new(1000);
        // A key used on every round survives any number of new keys.
        for i in 0..10_000 {
            c.insert(i, i, 10);
            assert_eq!(c.get(&7), (i >= 7).then_some(7), "round {i}");
            assert!(c.bytes() <= 1000, "{} bytes after {i}", c.bytes());
        }
        assert!(c.len() <= 100 + 1);
        // Keys not used since two generations are gone.
        assert_eq!(c.get(&100), None);
        assert_eq!(c.get(&9_999), Some(9_999));
    }

    #[test]
    fn replacing_and_oversized_values_keep_the_count_right() {
        let mut c: BoundedCache<&str, u32> = BoundedCache::new(100);
        c.insert("a", 1, 20);
        c.insert("a", 2, 30);
        assert_eq!((c.get(&"a"), c.bytes(), c.len()), (Some(2), 30, 1));
        c.insert("big", 3, 51);
        assert_eq!((c.get(&"big"), c.bytes()), (None, 30));
        for i in 0..3 {
            c.insert(["x", "y", "z"][i], 0, 20);
        }
        // "a" went old when the current generation filled, and comes back on use.
        assert_eq!(c.get(&"a"), Some(2));
        assert!(c.bytes() <= 100);
    }
}
