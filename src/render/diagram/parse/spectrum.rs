//! `kind: spectrum`: one trade-off per line, `Left ↔ Right ~ left examples | right examples`.

use super::arrows::find_h_arrows;
use super::{Band, Flow, err};
use crate::render::diagram::DiagramError;

pub(crate) fn parse_spectrum(content: &[(usize, &str)]) -> Result<Vec<Band>, DiagramError> {
    let mut bands = Vec::new();
    for &(n, l) in content {
        let arrow = find_h_arrows(l)
            .into_iter()
            .find(|(_, _, flow, _)| *flow == Flow::Both);
        let Some((start, end, _, _)) = arrow else {
            return Err(err(
                n,
                "spectrum line without `↔` (or `<->`); write `Consistency ↔ Availability ~ banking | social feeds`",
            ));
        };
        let left = l[..start].trim();
        let rest = l[end..].trim();
        let (right, examples) = match rest.split_once(" ~ ") {
            Some((r, e)) => (r.trim(), Some(e.trim())),
            None => (rest.strip_suffix(" ~").unwrap_or(rest).trim(), None),
        };
        if left.is_empty() || right.is_empty() {
            return Err(err(
                n,
                "spectrum line needs a label at both ends, as in `Consistency ↔ Availability`",
            ));
        }
        let (le, re) = match examples {
            Some(e) => match e.split_once('|') {
                Some((a, b)) => (a.trim(), b.trim()),
                None => (e, ""),
            },
            None => ("", ""),
        };
        let some = |s: &str| Some(s.to_string()).filter(|x| !x.is_empty());
        bands.push(Band {
            left: left.to_string(),
            right: right.to_string(),
            left_examples: some(le),
            right_examples: some(re),
        });
    }
    Ok(bands)
}
