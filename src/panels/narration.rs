//! Narration: the one-sentence *why* of the step at the cursor (`Why::sentence`), shown under the
//! transport and announced to screen readers through an ARIA live region. While playing, the live
//! region is quiet (steps go by faster than anyone can listen); it speaks when playback pauses
//! and on every manual step.

use leptos::prelude::*;
use podsim::time::clock;

use crate::i18n::t;
use crate::state::sim::use_sim_state;

/// The sentence, its time and its actor, for the step at `steps - 1` (`None` before the first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Narrated {
    pub at: String,
    pub actor: String,
    pub sentence: String,
}

/// The narration (`data-testid="narration"`).
#[component]
pub fn Narration() -> impl IntoView {
    let sim = use_sim_state();
    let t = t();
    let taken = Memo::new(move |_| (sim.revision.get(), sim.playback.with(|p| p.cursor.steps)));
    let playing = Memo::new(move |_| sim.playback.with(|p| p.playing));
    let narrated = Memo::new(move |_| {
        let (_, steps) = taken.get();
        let index = steps.checked_sub(1)?;
        sim.session.with(|s| {
            let step = s.as_ref()?.timeline.steps.get(index)?;
            Some(Narrated { at: clock(step.time_ms), actor: step.actor.label(), sentence: step.why.sentence() })
        })
    });
    let ready = Memo::new(move |_| sim.session.with(Option::is_some));
    view! {
        <p
            class="narration"
            data-testid="narration"
            role="status"
            aria-live=move || if playing.get() { "off" } else { "polite" }
            aria-atomic="true"
        >
            {move || match narrated.get() {
                Some(n) => view! {
                    <span class="narration__meta">
                        <span class="narration__time">{n.at}</span>
                        <span class="narration__actor">{n.actor}</span>
                    </span>
                    <span class="narration__sentence" data-testid="narration-sentence">{n.sentence}</span>
                }
                .into_any(),
                None => view! {
                    <span class="narration__sentence narration__sentence--idle" data-testid="narration-sentence">
                        {if ready.get() { t.narration_at_start } else { t.narration_before_apply }}
                    </span>
                }
                .into_any(),
            }}
        </p>
    }
}
