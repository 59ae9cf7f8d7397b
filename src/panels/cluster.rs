//! The cluster view: nodes as boxes, pods moving onto them. For now an empty stage that
//! acknowledges Apply; the simulator core fills it in later.

use leptos::prelude::*;

use crate::state::playground::use_playground;

/// The cluster area (`data-testid="cluster"`).
#[component]
pub fn ClusterPanel() -> impl IntoView {
    let playground = use_playground();
    view! {
        <section class="panel cluster-panel" data-testid="cluster" aria-labelledby="cluster-title">
            <header class="panel__header">
                <h2 id="cluster-title" class="panel__title">"Cluster"</h2>
                <span class="panel__meta">"Kubernetes v1.34 · simulated"</span>
            </header>
            <div class="cluster" aria-live="polite">
                <div class="cluster__nodes" aria-hidden="true">
                    <div class="node-placeholder">"control-plane"</div>
                    <div class="node-placeholder">"worker-1"</div>
                    <div class="node-placeholder">"worker-2"</div>
                </div>
                {move || match playground.applied.get() {
                    None => view! {
                        <p class="empty-state" data-testid="cluster-empty">
                            "Nothing is running yet. Edit the manifest and press "
                            <strong>"Apply"</strong>
                            " to watch the API server, the scheduler and the kubelet bring the Pod to life."
                        </p>
                    }
                    .into_any(),
                    Some(applied) => view! {
                        <p class="empty-state" data-testid="cluster-applied">
                            {format!(
                                "Revision {}: {} document{} received. ",
                                applied.revision,
                                applied.documents,
                                if applied.documents == 1 { "" } else { "s" },
                            )}
                            "The simulator is not connected to the page yet, so nothing runs."
                        </p>
                    }
                    .into_any(),
                }}
            </div>
        </section>
    }
}
