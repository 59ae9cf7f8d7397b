//! Every text the page shows, in one place per language.
//!
//! A language is a [`Lang`]; its texts are one [`Strings`] table: a `&'static str` per fixed text
//! (labels, titles, tooltips, aria-labels, empty states, legends, placeholders) and a plain
//! function per text with parameters (`restarts_in(name, left)`, `cluster_summary(nodes, pods)`),
//! because plurals and word order differ between languages. Panels never build a sentence out of
//! pieces: they call the table.
//!
//! What the simulator prints is not the page's text and is not translated: kubectl's columns and
//! output, Kubernetes' words (phases, STATUS values, reasons, condition types, event types and
//! messages, plugin names) and the core's narration (`podsim::explain`).
//!
//! Components read the table once when they are built (`let t = t();`) and pass it to the pure
//! view-model helpers (`chip_of(cs, t)`), so those stay testable natively with any language. The
//! language lives in a signal ([`LangState`], in context, English by default); the app sets
//! `<html lang>` from it. Texts are not re-rendered in place when it changes: rebuilding every
//! view in place would put that code in the wasm for a rare action. A language picker (with the
//! second language) stores the choice and reloads the page, or rebuilds the shell under a keyed
//! `<For>` on the language (measured: about 8 KB more wasm, gzip).
//!
//! ## Adding a language (e.g. Simplified Chinese)
//!
//! 1. Copy `en.rs` to `zh_hans.rs` and translate it (`pub static ZH_HANS: Strings = …`). The
//!    compiler lists every text that is still missing: a table must fill every field.
//! 2. Declare it here (`mod zh_hans;`), add `Lang::ZhHans` with its code (`"zh-Hans"`) in
//!    [`Lang::ALL`], [`Lang::code`] and [`Lang::strings`].
//! 3. Add it to the test below (`every_table_is_complete`).

mod en;

use std::sync::atomic::{AtomicU8, Ordering};

use leptos::prelude::*;

pub use en::EN;

/// A language the page can be shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
}

impl Lang {
    /// Every language, in the order a picker would list them.
    pub const ALL: &'static [Lang] = &[Lang::En];

    /// The BCP 47 code (`<html lang>`): `en`, later `zh-Hans`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
        }
    }

    /// Parses a BCP 47 code (case-insensitive); anything unknown is `None`.
    #[must_use]
    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim();
        Lang::ALL.iter().copied().find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// The language's texts.
    #[must_use]
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &EN,
        }
    }
}

/// The page's language as shared state (`provide_lang`).
#[derive(Clone, Copy, Debug)]
pub struct LangState {
    pub lang: RwSignal<Lang>,
}

/// Makes the language available to every component below the caller, starting with `initial`.
pub fn provide_lang(initial: Lang) -> LangState {
    let state = LangState { lang: RwSignal::new(initial) };
    set_current(initial);
    provide_context(state);
    state
}

/// The texts of the page's language: from the context when there is one (components, at build
/// time), else [`current`] (event handlers, timers, native tests: English). Untracked: views read
/// the table when they are built (see the module docs).
#[must_use]
pub fn t() -> &'static Strings {
    use_context::<LangState>().map_or_else(current, |s| s.lang.get_untracked()).strings()
}

/// The language last set by the app, for code outside the reactive tree (the panic banner).
static CURRENT: AtomicU8 = AtomicU8::new(Lang::En as u8);

/// Records the page's language for [`current`] (the app does this whenever it changes).
pub fn set_current(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language last recorded by [`set_current`] (English before that).
#[must_use]
pub fn current() -> Lang {
    let stored = CURRENT.load(Ordering::Relaxed);
    Lang::ALL.iter().copied().find(|l| *l as u8 == stored).unwrap_or_default()
}

/// Declares [`Strings`]: every fixed text as a `&'static str` field, every text with parameters
/// as a function field, plus the lists the tests walk through.
macro_rules! strings {
    (
        texts { $( $(#[doc = $tdoc:literal])* $text:ident, )* }
        functions { $( $(#[doc = $fdoc:literal])* $func:ident: fn($($arg:ty),*), )* }
    ) => {
        /// One language's texts (see the module docs). Every field must be filled, so a table
        /// that misses a text does not compile.
        pub struct Strings {
            $( $(#[doc = $tdoc])* pub $text: &'static str, )*
            $( $(#[doc = $fdoc])* pub $func: fn($($arg),*) -> String, )*
        }

        impl Strings {
            /// The names of the function fields.
            pub const FUNCTIONS: &'static [&'static str] = &[$(stringify!($func)),*];

            /// Every fixed text with its field name.
            #[must_use]
            pub fn texts(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($text), self.$text)),*]
            }
        }
    };
}

strings! {
    texts {
        // The shell.
        /// The product's name (the page heading).
        app_title,
        app_tagline,
        app_footer,
        skip_to_editor,
        /// The theme switch's label.
        theme_dark,
        theme_to_dark,
        theme_to_light,
        // The editor.
        manifest,
        editor_ready,
        editor_plain,
        editor_loading,
        editor_textarea_label,
        /// The Apply button (also the highlighted word in the cluster's empty state).
        apply,
        apply_title,
        /// The keyboard hint on the Apply button.
        apply_hint,
        // Problems.
        problems,
        problems_none,
        problem_reveal_title,
        /// Visually hidden before an error's text (a screen reader says it instead of the icon).
        severity_error,
        severity_warning,
        severity_info,
        // Scenarios.
        scenario,
        scenario_choose,
        scenario_reset,
        scenario_reset_title,
        family_restart_policy,
        family_init_containers,
        family_probes,
        family_other,
        // Transport.
        playback,
        playback_controls,
        jump_start,
        jump_start_title,
        step_back,
        step_back_title,
        play,
        play_title,
        pause,
        pause_title,
        step_forward,
        step_forward_title,
        jump_end,
        jump_end_title,
        speed,
        speed_title,
        virtual_time,
        scrubber_marks,
        mark_scheduling,
        mark_pulls,
        mark_starts,
        mark_probe_failures,
        mark_kills,
        // Narration.
        narration_before_apply,
        narration_at_start,
        // Cluster view.
        cluster,
        cluster_simulated,
        /// The cluster's empty state, before and after the highlighted Apply.
        cluster_empty_before,
        cluster_empty_after,
        cluster_no_pods,
        station_apiserver,
        station_apiserver_hint,
        station_queue,
        station_queue_hint,
        taints,
        taint_title,
        /// Before each taint (`taint key=value:Effect`).
        taint_label,
        pod_select_title,
        pod_ready_title,
        /// Visually hidden before a restart count (after the restart icon).
        restarts_hidden,
        containers,
        backoff_label,
        chip_not_created,
        chip_running_ready,
        chip_running_starting,
        chip_running_not_ready,
        /// Before an init container's name on its chip.
        chip_init,
        // Detail panels.
        details,
        details_tabs,
        details_toggles,
        hide,
        all_panels_hidden,
        pod_picker,
        tab_scheduler,
        tab_scheduler_about,
        tab_kubelet,
        tab_kubelet_about,
        tab_lifecycle,
        tab_lifecycle_about,
        tab_timeline,
        tab_timeline_about,
        tab_events,
        tab_events_about,
        tab_terminal,
        tab_terminal_about,
        tab_yaml,
        tab_yaml_about,
        nothing_runs,
        no_pod,
        /// A value that is not there (an empty QoS class).
        none_dash,
        /// A plugin that did not run, a score not computed.
        not_run,
        ready,
        not_ready,
        jump_to_step,
        end_of_run,
        // Scheduler.
        queue_empty,
        queue_active,
        attempts_none,
        attempts_pick,
        verdict_pass,
        chosen,
        scores_heading,
        filters_heading,
        col_node,
        col_total,
        preemption_victims,
        // Kubelet.
        kubelet_routine,
        kubelet_no_steps,
        backoff_timers,
        no_retry,
        kind_watch,
        kind_sandbox,
        kind_image,
        kind_create,
        kind_start,
        kind_exit,
        kind_restart,
        kind_probe,
        kind_hook,
        kind_stop,
        kind_process,
        kind_status,
        role_init,
        role_sidecar,
        role_app,
        // Lifecycle.
        pod_phase,
        conditions,
        phase_pending_about,
        phase_running_about,
        phase_succeeded_about,
        phase_failed_about,
        phase_unknown_about,
        /// Between the two end phases of the diagram (Succeeded or Failed).
        phase_or,
        qos_class,
        col_condition,
        col_status,
        col_reason,
        col_message,
        col_last_transition,
        /// A condition the pod does not have.
        not_set,
        no_state_yet,
        no_status_yet,
        init_container,
        sidecar_container,
        app_container,
        // Timeline.
        zoom,
        zoom_in,
        zoom_out,
        zoom_fit,
        all_pods,
        lanes_none,
        lanes_label,
        axis_title,
        lane_container,
        lane_init_container,
        seg_running_ready,
        seg_running_not_ready,
        tick_kill,
        legend,
        legend_backoff,
        legend_exited_0,
        legend_failed,
        legend_hook,
        legend_ticks,
        // Events.
        events_note,
        events_selected_only,
        events_none,
        // Terminal.
        terminal_greeting,
        terminal_help,
        terminal_output,
        terminal_input,
        terminal_placeholder,
        terminal_nothing_runs,
        // YAML.
        yaml_label,
        // The crash banner.
        crash_title,
        /// The banner's sentence before the reload link.
        crash_text_before,
        crash_reload,
        /// The banner's sentence after the reload link.
        crash_text_after,
        crash_details,
    }
    functions {
        // Transport.
        /// `step 3 of 42`.
        step_of: fn(usize, usize),
        /// ` / 10m0s` after the clock.
        clock_end: fn(&str),
        /// A scrubber mark's tooltip: (kind, time, how many more marks it stands for).
        mark_title: fn(&str, &str, usize),
        // Problems.
        /// ` · 1 error · 2 warnings · 0 notes`.
        problem_counts: fn(usize, usize, usize),
        // Cluster view.
        /// `3 nodes · 1 pod`.
        cluster_summary: fn(usize, usize),
        /// The count after a station's title.
        station_count: fn(usize),
        /// A node's tooltip: (name, its labels one per line).
        node_title: fn(&str, &str),
        /// An allocation bar: (`350m / 4`, percent).
        bar_usage: fn(&str, u32),
        /// (container, time left).
        restarts_in: fn(&str, &str),
        /// (probe kind).
        probe_passed: fn(&str),
        probe_failed: fn(&str),
        /// A chip's tooltip: (name, state).
        container_title: fn(&str, &str),
        init_container_title: fn(&str, &str),
        /// A terminated state: (reason, exit code).
        exited_with: fn(&str, i32),
        // Detail panels.
        /// The close button of a panel: (panel label).
        hide_panel: fn(&str),
        /// (`pod/name`).
        pod_gone: fn(&str),
        // Scheduler.
        queue_unschedulable_since: fn(&str),
        queue_backing_off_until: fn(&str),
        /// (priority, failed attempts, queue state).
        queue_row: fn(i32, u32, &str),
        /// (`pod/name`).
        attempts_for: fn(&str),
        /// An attempt's button: (number, time).
        attempt_at: fn(usize, &str),
        /// (time, step number).
        attempt_recorded: fn(&str, usize),
        /// A score plugin's weight.
        score_weight: fn(i64),
        // Kubelet.
        kubelet_pod_gone: fn(&str),
        kubelet_pod_unbound: fn(&str),
        /// (`pod/name`, node).
        kubelet_pod_on: fn(&str, &str),
        kubelet_steps_for: fn(&str),
        /// After a container's name: its role.
        with_role: fn(&str),
        /// After a step's sentence: who acted.
        by_actor: fn(&str),
        /// (back-off, time left).
        backoff_next_try: fn(&str, &str),
        /// (back-off).
        backoff_no_retry: fn(&str),
        /// (time left).
        next_try_in: fn(&str),
        // Lifecycle.
        /// (RFC 3339 time, grace period in seconds).
        terminating_since: fn(&str, i64),
        /// (time, age).
        at_ago: fn(&str, &str),
        /// (restart count), followed by the readiness.
        restarts_count: fn(i32),
        container_state_of: fn(&str),
        /// (reason, exit code).
        exit_code: fn(&str, i32),
        last_exit_code: fn(&str, i32),
        // Timeline.
        /// (zoom factor, span).
        zoom_span: fn(u32, &str),
        /// Before a lane's role when lanes of several pods are shown: (pod).
        lane_of_pod: fn(&str),
        /// A segment's label: (container, state, from, until, duration, restart count).
        segment_label: fn(&str, &str, &str, &str, &str, i32),
        /// (probe kind).
        probe_named: fn(&str),
        /// (hook name).
        hook_named: fn(&str),
        /// A tick's label: (container, what, time).
        tick_label: fn(&str, &str, &str),
        tick_passed: fn(&str, &str, &str),
        tick_failed: fn(&str, &str, &str),
        // Events.
        /// (count, over how long).
        event_count_over: fn(u32, &str),
        /// (first seen, source).
        event_jump_title: fn(&str, &str),
        // Terminal.
        /// (time).
        fork_at: fn(&str),
        /// (end of the run).
        fork_after_end: fn(&str),
        /// (path).
        terminal_no_such_path: fn(&str),
        // YAML.
        /// (`pod/name`).
        yaml_of: fn(&str),
        /// (`pod/name`, time).
        yaml_created_at: fn(&str, &str),
        /// (`pod/name`, changed lines, time).
        yaml_changed_at: fn(&str, usize, &str),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distinct values for every parameter type, so each can be found in the output.
    const S1: &str = "⟨first⟩";
    const S2: &str = "⟨second⟩";
    const S3: &str = "⟨third⟩";
    const S4: &str = "⟨fourth⟩";
    const S5: &str = "⟨fifth⟩";

    /// Calls every function of `t` with distinct arguments (plural forms included): (name,
    /// output, the arguments as text).
    fn calls(t: &Strings) -> Vec<(&'static str, String, Vec<String>)> {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_string()).collect::<Vec<_>>();
        let mut out = vec![
            ("step_of", (t.step_of)(3, 42), s(&["3", "42"])),
            ("clock_end", (t.clock_end)(S1), s(&[S1])),
            ("mark_title", (t.mark_title)(S1, S2, 7), s(&[S1, S2, "7"])),
            ("problem_counts", (t.problem_counts)(1, 2, 3), s(&["1", "2", "3"])),
            ("problem_counts", (t.problem_counts)(4, 5, 6), s(&["4", "5", "6"])),
            ("cluster_summary", (t.cluster_summary)(1, 1), s(&["1"])),
            ("cluster_summary", (t.cluster_summary)(3, 17), s(&["3", "17"])),
            ("station_count", (t.station_count)(9), s(&["9"])),
            ("node_title", (t.node_title)(S1, S2), s(&[S1, S2])),
            ("bar_usage", (t.bar_usage)(S1, 87), s(&[S1, "87"])),
            ("restarts_in", (t.restarts_in)(S1, S2), s(&[S1, S2])),
            ("probe_passed", (t.probe_passed)(S1), s(&[S1])),
            ("probe_failed", (t.probe_failed)(S1), s(&[S1])),
            ("container_title", (t.container_title)(S1, S2), s(&[S1, S2])),
            ("init_container_title", (t.init_container_title)(S1, S2), s(&[S1, S2])),
            ("exited_with", (t.exited_with)(S1, 137), s(&[S1, "137"])),
            ("hide_panel", (t.hide_panel)(S1), s(&[S1])),
            ("pod_gone", (t.pod_gone)(S1), s(&[S1])),
            ("queue_unschedulable_since", (t.queue_unschedulable_since)(S1), s(&[S1])),
            ("queue_backing_off_until", (t.queue_backing_off_until)(S1), s(&[S1])),
            ("queue_row", (t.queue_row)(-5, 1, S1), s(&["-5", "1", S1])),
            ("queue_row", (t.queue_row)(1000, 12, S1), s(&["1000", "12", S1])),
            ("attempts_for", (t.attempts_for)(S1), s(&[S1])),
            ("attempt_at", (t.attempt_at)(4, S1), s(&["4", S1])),
            ("attempt_recorded", (t.attempt_recorded)(S1, 58), s(&[S1, "58"])),
            ("score_weight", (t.score_weight)(3), s(&["3"])),
            ("kubelet_pod_gone", (t.kubelet_pod_gone)(S1), s(&[S1])),
            ("kubelet_pod_unbound", (t.kubelet_pod_unbound)(S1), s(&[S1])),
            ("kubelet_pod_on", (t.kubelet_pod_on)(S1, S2), s(&[S1, S2])),
            ("kubelet_steps_for", (t.kubelet_steps_for)(S1), s(&[S1])),
            ("with_role", (t.with_role)(S1), s(&[S1])),
            ("by_actor", (t.by_actor)(S1), s(&[S1])),
            ("backoff_next_try", (t.backoff_next_try)(S1, S2), s(&[S1, S2])),
            ("backoff_no_retry", (t.backoff_no_retry)(S1), s(&[S1])),
            ("next_try_in", (t.next_try_in)(S1), s(&[S1])),
            ("terminating_since", (t.terminating_since)(S1, 30), s(&[S1, "30"])),
            ("at_ago", (t.at_ago)(S1, S2), s(&[S1, S2])),
            ("restarts_count", (t.restarts_count)(1), s(&["1"])),
            ("restarts_count", (t.restarts_count)(6), s(&["6"])),
            ("container_state_of", (t.container_state_of)(S1), s(&[S1])),
            ("exit_code", (t.exit_code)(S1, 2), s(&[S1, "2"])),
            ("last_exit_code", (t.last_exit_code)(S1, 143), s(&[S1, "143"])),
            ("zoom_span", (t.zoom_span)(16, S1), s(&["16", S1])),
            ("lane_of_pod", (t.lane_of_pod)(S1), s(&[S1])),
            ("segment_label", (t.segment_label)(S1, S2, S3, S4, S5, 11), s(&[S1, S2, S3, S4, S5, "11"])),
            ("probe_named", (t.probe_named)(S1), s(&[S1])),
            ("hook_named", (t.hook_named)(S1), s(&[S1])),
            ("tick_label", (t.tick_label)(S1, S2, S3), s(&[S1, S2, S3])),
            ("tick_passed", (t.tick_passed)(S1, S2, S3), s(&[S1, S2, S3])),
            ("tick_failed", (t.tick_failed)(S1, S2, S3), s(&[S1, S2, S3])),
            ("event_count_over", (t.event_count_over)(5, S1), s(&["5", S1])),
            ("event_jump_title", (t.event_jump_title)(S1, S2), s(&[S1, S2])),
            ("fork_at", (t.fork_at)(S1), s(&[S1])),
            ("fork_after_end", (t.fork_after_end)(S1), s(&[S1])),
            ("terminal_no_such_path", (t.terminal_no_such_path)(S1), s(&[S1])),
            ("yaml_of", (t.yaml_of)(S1), s(&[S1])),
            ("yaml_created_at", (t.yaml_created_at)(S1, S2), s(&[S1, S2])),
            ("yaml_changed_at", (t.yaml_changed_at)(S1, 1, S2), s(&[S1, "1", S2])),
            ("yaml_changed_at", (t.yaml_changed_at)(S1, 23, S2), s(&[S1, "23", S2])),
        ];
        out.sort_by_key(|(name, _, _)| *name);
        out
    }

    fn check_table(lang: Lang) {
        let t = lang.strings();
        let texts = t.texts();
        assert!(texts.len() > 100, "{lang:?}: every fixed text is listed");
        for (name, text) in &texts {
            assert!(!text.trim().is_empty(), "{lang:?}: `{name}` is empty");
        }
        let calls = calls(t);
        for (name, output, args) in &calls {
            assert!(!output.trim().is_empty(), "{lang:?}: `{name}` gives an empty text");
            for arg in args {
                assert!(output.contains(arg.as_str()), "{lang:?}: `{name}` leaves out {arg}: {output:?}");
            }
        }
        let mut called: Vec<&str> = calls.iter().map(|(name, _, _)| *name).collect();
        called.dedup();
        let mut declared = Strings::FUNCTIONS.to_vec();
        declared.sort_unstable();
        assert_eq!(called, declared, "{lang:?}: the test calls every function of the table");
    }

    #[test]
    fn every_table_is_complete() {
        for lang in Lang::ALL {
            check_table(*lang);
        }
    }

    #[test]
    fn english_reads_as_before() {
        let t = Lang::En.strings();
        assert_eq!((t.cluster_summary)(1, 1), "1 node · 1 pod");
        assert_eq!((t.cluster_summary)(3, 2), "3 nodes · 2 pods");
        assert_eq!((t.problem_counts)(1, 2, 0), " · 1 error · 2 warnings · 0 notes");
        assert_eq!((t.step_of)(0, 12), "step 0 of 12");
        assert_eq!((t.mark_title)("Starts", "5s", 0), "Starts at 5s");
        assert_eq!((t.mark_title)("Starts", "5s", 2), "Starts at 5s (+2 nearby)");
        assert_eq!((t.exited_with)("Error", 1), "Error (exit 1)");
        assert_eq!((t.yaml_changed_at)("pod/web", 1, "2.0s"), "kubectl get pod/web -o yaml · 1 line changed at 2.0s");
        assert!(t.terminal_help.contains("exec POD [-c CONTAINER] -- CMD"));
        assert_eq!(t.apply, "Apply");
    }

    #[test]
    fn languages_have_codes_and_a_default() {
        assert_eq!(Lang::default(), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(*lang));
        }
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("xx"), None);
        assert_eq!(current(), Lang::En);
        // Outside any reactive owner, `t()` gives the current language's table.
        assert!(std::ptr::eq(t(), Lang::En.strings()));
    }
}
