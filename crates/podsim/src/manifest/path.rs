//! Field paths, in the two spellings the module needs: the one Kubernetes prints
//! (`spec.containers[0].resources.limits[cpu]`) and the one the location index stores, where
//! every map key is a `.`-separated segment (`spec.containers[0].resources.limits.cpu`).

/// One step of a path: a map key (or struct field) or a list index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// Formats segments the way the location index and kubectl's unknown-field warnings do:
/// `spec.containers[0].imagePullPolcy`.
pub(crate) fn format(segs: &[Seg]) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Parses a Kubernetes field path. `[3]` is an index, `[cpu]` a map key, `a.b` two keys.
pub(crate) fn parse(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut cur)));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut cur)));
                }
                let mut inner = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    inner.push(d);
                }
                if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
                    match inner.parse::<usize>() {
                        Ok(i) => segs.push(Seg::Index(i)),
                        Err(_) => segs.push(Seg::Key(inner)),
                    }
                } else {
                    segs.push(Seg::Key(inner));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        segs.push(Seg::Key(cur));
    }
    segs
}

/// The location-index spelling of a Kubernetes path.
pub(crate) fn index_key(path: &str) -> String {
    format(&parse(path))
}

/// `base.name` (or `name` at the root).
pub(crate) fn child(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

/// `base[i]`.
pub(crate) fn index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// `base[key]`, the way Kubernetes paths address map entries (`resources.limits[cpu]`).
pub(crate) fn key(base: &str, key: &str) -> String {
    format!("{base}[{key}]")
}

/// The parent path in index spelling, `None` at the root.
pub(crate) fn parent(index_path: &str) -> Option<String> {
    let segs = parse(index_path);
    if segs.is_empty() {
        return None;
    }
    Some(format(&segs[..segs.len() - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_index_paths() {
        let p = "spec.containers[0].ports[12].containerPort";
        assert_eq!(format(&parse(p)), p);
        assert_eq!(parse("a[3]"), vec![Seg::Key("a".into()), Seg::Index(3)]);
    }

    #[test]
    fn map_keys_in_brackets_become_segments() {
        assert_eq!(index_key("spec.containers[0].resources.limits[cpu]"), "spec.containers[0].resources.limits.cpu");
        assert_eq!(index_key("data[app.conf]"), "data.app.conf");
    }

    #[test]
    fn parents_walk_up() {
        assert_eq!(parent("spec.containers[0].image").as_deref(), Some("spec.containers[0]"));
        assert_eq!(parent("spec.containers[0]").as_deref(), Some("spec.containers"));
        assert_eq!(parent("spec").as_deref(), Some(""));
        assert_eq!(parent(""), None);
    }

    #[test]
    fn builders_spell_kubernetes_paths() {
        assert_eq!(key(&child(&index("spec.containers", 1), "resources.limits"), "cpu"), "spec.containers[1].resources.limits[cpu]");
        assert_eq!(child("", "metadata"), "metadata");
    }

    #[test]
    fn odd_input_does_not_panic() {
        for p in ["", "[", "]", "a[", "a[]", "..", "[99999999999999999999999]", "a.[b].c]"] {
            let _ = format(&parse(p));
        }
    }
}
