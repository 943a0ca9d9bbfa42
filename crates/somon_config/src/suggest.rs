//! "Did you mean …?" for unknown keys: the closest known key by edit
//! distance (optimal string alignment, so `traget` is one step from
//! `target`).

/// Edit distance counting insertions, deletions, substitutions and
/// transpositions of adjacent characters, each as one step.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // Rows i-2, i-1 and i of the dynamic-programming table.
    let mut prev2 = vec![0usize; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur = vec![0usize; width];
    for (i, ca) in a.iter().enumerate() {
        let i = i + 1;
        if let Some(first) = cur.first_mut() {
            *first = i;
        }
        for (j, cb) in b.iter().enumerate() {
            let j = j + 1;
            let cost = usize::from(ca != cb);
            let get = |row: &[usize], k: usize| row.get(k).copied().unwrap_or(usize::MAX / 2);
            let mut best = (get(&prev, j) + 1)
                .min(get(&cur, j - 1) + 1)
                .min(get(&prev, j - 1) + cost);
            if i > 1 && j > 1 {
                let a_prev = a.get(i - 2);
                let b_prev = b.get(j - 2);
                if a_prev == Some(cb) && b_prev == Some(ca) {
                    best = best.min(get(&prev2, j - 2) + 1);
                }
            }
            if let Some(slot) = cur.get_mut(j) {
                *slot = best;
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.get(b.len()).copied().unwrap_or(0)
}

/// The candidate closest to `name`: a case-insensitive match first, else the
/// smallest edit distance within a third of the name's length (at least one
/// step); ties go to the earlier candidate.
pub fn closest<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let lower = name.to_lowercase();
    if let Some(c) = candidates.iter().find(|c| c.to_lowercase() == lower) {
        return Some(c);
    }
    let limit = (name.chars().count().max(3)) / 3;
    let mut best: Option<(usize, &'c str)> = None;
    for c in candidates {
        let d = edit_distance(&lower, &c.to_lowercase());
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("traget", "target"), 1);
        assert_eq!(edit_distance("compilerOption", "compilerOptions"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("ҷамъ", "ҷамь"), 1);
    }

    #[test]
    fn closest_keys() {
        let keys = ["target", "module", "minify", "sourceMap", "typeCheck"];
        assert_eq!(closest("traget", &keys), Some("target"));
        assert_eq!(closest("SourceMap", &keys), Some("sourceMap"));
        assert_eq!(closest("minfy", &keys), Some("minify"));
        assert_eq!(closest("zzzzzz", &keys), None);
        assert_eq!(closest("x", &keys), None);
    }
}
