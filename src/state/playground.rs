//! The playground's source of truth: the manifest text the learner edits and what was last applied.
//!
//! Later work adds the parse result, the simulated timeline and the playback cursor here; panels
//! only read this state and call its intents (`apply`, …).

use leptos::prelude::*;

/// localStorage key of the autosaved editor text. Bump the suffix if the stored format changes.
pub const EDITOR_TEXT_KEY: &str = "pod-playground:editor-text:v1";

/// The text shown on a first visit: a small, valid Pod that logs once and keeps running.
pub const DEFAULT_MANIFEST: &str = "\
# Edit this Pod, then press Apply (Ctrl+Enter).
apiVersion: v1
kind: Pod
metadata:
  name: hello
  labels:
    app: hello
spec:
  restartPolicy: Always
  containers:
    - name: app
      image: busybox:1.36
      command: [\"sh\", \"-c\", \"echo hello; sleep 3600\"]
      resources:
        requests:
          cpu: 100m
          memory: 64Mi
";

/// What the Apply button last took from the editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// Counts the applies since the page loaded, starting at 1.
    pub revision: u32,
    /// The applied text, verbatim.
    pub text: String,
    /// Non-empty YAML documents in `text` (see [`count_documents`]).
    pub documents: usize,
}

/// The playground's state, shared through context (`provide_playground_context`).
#[derive(Clone, Copy, Debug)]
pub struct Playground {
    /// The editor's text; autosaved to localStorage on every change.
    pub text: RwSignal<String>,
    /// The last applied snapshot of `text`, if any.
    pub applied: RwSignal<Option<Applied>>,
}

impl Playground {
    /// Creates the state with `saved` text if there is some, else [`DEFAULT_MANIFEST`].
    #[must_use]
    pub fn new(saved: Option<String>) -> Self {
        Playground {
            text: RwSignal::new(saved.unwrap_or_else(|| DEFAULT_MANIFEST.to_owned())),
            applied: RwSignal::new(None),
        }
    }

    /// Takes the current text as the cluster's desired state. (The simulator is wired in later; for
    /// now this records the snapshot so the cluster area can acknowledge it.)
    pub fn apply(&self) {
        let text = self.text.get_untracked();
        let revision = self.applied.with_untracked(|a| a.as_ref().map_or(1, |a| a.revision + 1));
        let documents = count_documents(&text);
        self.applied.set(Some(Applied {
            revision,
            text,
            documents,
        }));
    }

    /// Restores the default manifest (a recovery path if the saved text is unusable).
    pub fn reset_text(&self) {
        self.text.set(DEFAULT_MANIFEST.to_owned());
    }
}

/// Counts the YAML documents that hold something other than comments and blank lines, splitting
/// on `---` lines the way `kubectl apply -f` does.
#[must_use]
pub fn count_documents(text: &str) -> usize {
    let mut documents = 0;
    let mut current_has_content = false;
    for line in text.lines() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") || trimmed == "..." {
            documents += usize::from(current_has_content);
            current_has_content = false;
        } else {
            let content = trimmed.trim_start();
            if !content.is_empty() && !content.starts_with('#') {
                current_has_content = true;
            }
        }
    }
    documents + usize::from(current_has_content)
}

/// Makes `playground` available to every component below the caller.
pub fn provide_playground_context(playground: Playground) {
    provide_context(playground);
}

/// The playground state provided by [`provide_playground_context`].
///
/// # Panics
/// If no ancestor provided it (a programming error).
#[must_use]
pub fn use_playground() -> Playground {
    expect_context::<Playground>()
}
