//! The YAML panel: the selected pod as `kubectl get pod -o yaml` prints it at the cursor, with the
//! lines changed by the pod's latest change highlighted (a line diff against the pod as it was
//! right before the last step, up to the cursor, that touched it; so the highlight stays until
//! the next change).

use leptos::html;
use leptos::prelude::*;
use podsim::api::ObjectKey;
use podsim::printers::{pod_to_json, to_yaml};

use super::common::{fmt_ms, pod_label, step_key};
use crate::i18n::t;
use crate::state::sim::use_sim_state;

/// The height of one YAML line in pixels (`.yaml__text` in panels.css sets the same).
const LINE_PX: i32 = 19;

/// Which lines of `new` are changed relative to `old`: every line not in a longest common
/// subsequence of the two line lists (so a `status: "True"` that moved is caught even when the
/// same text appears elsewhere).
pub fn changed_lines(old: &str, new: &str) -> Vec<bool> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    // Big inputs: fall back to a multiset comparison rather than an O(n·m) table.
    if n.saturating_mul(m) > 4_000_000 {
        let mut pool: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for l in &a {
            *pool.entry(l).or_default() += 1;
        }
        return b
            .iter()
            .map(|l| match pool.get_mut(l) {
                Some(c) if *c > 0 => {
                    *c -= 1;
                    false
                }
                _ => true,
            })
            .collect();
    }
    // lcs[i][j] = LCS length of a[i..] and b[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i] == b[j] { lcs[at(i + 1, j + 1)] + 1 } else { lcs[at(i + 1, j)].max(lcs[at(i, j + 1)]) };
        }
    }
    let mut changed = vec![true; m];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            changed[j] = false;
            i += 1;
            j += 1;
        } else if lcs[at(i + 1, j)] >= lcs[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    changed
}

/// The panel's content at one step.
#[derive(Clone, Debug, PartialEq)]
struct YamlView {
    lines: Vec<(String, bool)>,
    /// When the pod last changed (virtual ms) and whether it was its creation.
    changed_at: Option<(u64, bool)>,
}

fn yaml_view(sim: crate::state::sim::SimState, key: &ObjectKey, taken: usize) -> Option<YamlView> {
    let session = sim.session.with_untracked(|s| s.clone())?;
    let world = sim.snapshot.with_untracked(|s| s.as_ref().map(|s| s.world.clone()))?;
    let pod = world.pods.get(key)?;
    let text = to_yaml(&pod_to_json(pod, world.epoch_unix_ms));
    let steps = &session.timeline.steps;
    let last_change = steps.iter().take(taken).rposition(|s| s.changes.iter().any(|c| c.kind == "Pod" && &c.key == key));
    let (marks, changed_at) = match last_change {
        Some(j) => {
            let before = session.timeline.world_after(j);
            let at = steps.get(j).map_or(0, |s| s.time_ms);
            match before.pods.get(key) {
                Some(old) => (changed_lines(&to_yaml(&pod_to_json(old, before.epoch_unix_ms)), &text), Some((at, false))),
                None => (vec![false; text.lines().count()], Some((at, true))),
            }
        }
        None => (vec![false; text.lines().count()], None),
    };
    Some(YamlView { lines: text.lines().map(str::to_string).zip(marks.into_iter().chain(std::iter::repeat(false))).collect(), changed_at })
}

/// The YAML panel's body.
#[component]
pub fn YamlPanel() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    let key = step_key(sim);
    let view_model = Memo::new(move |_| {
        let (_, taken) = key.get()?;
        let sel = sim.selected.get()?;
        yaml_view(sim, &sel, taken)
    });
    // Bring the first changed line (other than the ever-changing resourceVersion) into view when
    // it is out of sight. The <pre> stays the same element across steps, so the reader's scroll
    // position is kept otherwise.
    let pre = NodeRef::<html::Pre>::new();
    Effect::new(move |_| {
        let first = view_model.with(|v| v.as_ref().and_then(|v| first_notable_change(&v.lines)));
        if let (Some(i), Some(el)) = (first, pre.get()) {
            let y = i32::try_from(i).unwrap_or(i32::MAX / 2).saturating_mul(LINE_PX);
            let (top, height) = (el.scroll_top(), el.client_height());
            if y < top || y + LINE_PX > top + height {
                el.set_scroll_top((y - height / 3).max(0));
            }
        }
    });
    let note = move || {
        let sel = sim.selected.get();
        view_model.with(|v| match (v, sel) {
            (_, _) if key.get().is_none() => t.nothing_runs.to_string(),
            (_, None) => t.no_pod.to_string(),
            (None, Some(sel)) => (t.pod_gone)(&pod_label(&sel)),
            (Some(v), Some(sel)) => {
                let count = v.lines.iter().filter(|(_, c)| *c).count();
                match v.changed_at {
                    Some((at, true)) => (t.yaml_created_at)(&pod_label(&sel), &fmt_ms(at)),
                    Some((at, false)) => (t.yaml_changed_at)(&pod_label(&sel), count, &fmt_ms(at)),
                    None => (t.yaml_of)(&pod_label(&sel)),
                }
            }
        })
    };
    view! {
        <div class="detail yaml">
            <p class="detail__note" class:mono=move || view_model.with(Option::is_some)>{note}</p>
            <pre
                class="yaml__text"
                class:is-hidden=move || view_model.with(Option::is_none)
                node_ref=pre
                tabindex="0"
                aria-label=t.yaml_label
                data-testid="yaml-text"
                data-changed=move || view_model.with(|v| v.as_ref().map_or(0, |v| v.lines.iter().filter(|(_, c)| *c).count())).to_string()
            >
                {move || {
                    view_model.get().map(|v| {
                        v.lines
                            .into_iter()
                            .map(|(line, changed)| {
                                // <mark>: the highlight is in the markup too, not only in the colour.
                                if changed {
                                    view! { <mark class="yaml__line is-changed">{line}</mark>"\n" }.into_any()
                                } else {
                                    view! { <span class="yaml__line">{line}</span>"\n" }.into_any()
                                }
                            })
                            .collect_view()
                    })
                }}
            </pre>
        </div>
    }
}

/// The first changed line worth scrolling to: not `resourceVersion`, which every write bumps.
pub fn first_notable_change(lines: &[(String, bool)]) -> Option<usize> {
    lines.iter().position(|(l, c)| *c && !l.trim_start().starts_with("resourceVersion:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_only_the_changed_lines() {
        let old = "status:\n  conditions:\n  - status: \"False\"\n    type: Ready\n  - status: \"True\"\n    type: PodScheduled\n  phase: Pending\n";
        let new = "status:\n  conditions:\n  - status: \"True\"\n    type: Ready\n  - status: \"True\"\n    type: PodScheduled\n  phase: Running\n  podIP: 10.244.1.2\n";
        let marks = changed_lines(old, new);
        let changed: Vec<&str> = new.lines().zip(&marks).filter(|(_, c)| **c).map(|(l, _)| l).collect();
        assert_eq!(changed, vec!["  - status: \"True\"", "  phase: Running", "  podIP: 10.244.1.2"]);
        // Exactly one of the two `status: "True"` lines is new.
        assert_eq!(marks.iter().filter(|c| **c).count(), 3);
    }

    #[test]
    fn identical_texts_have_no_changes_and_empty_is_fine() {
        assert!(changed_lines("a\nb\n", "a\nb\n").iter().all(|c| !c));
        assert_eq!(changed_lines("", "a\n"), vec![true]);
        assert!(changed_lines("a\n", "").is_empty());
        let lines = vec![("  resourceVersion: \"9\"".to_string(), true), ("  phase: Running".to_string(), true)];
        assert_eq!(first_notable_change(&lines), Some(1));
        assert_eq!(first_notable_change(&lines[..1]), None);
    }
}
