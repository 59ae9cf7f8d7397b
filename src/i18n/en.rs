//! English, the page's first language. Every text is the page's own: kubectl's output and
//! Kubernetes' words are not here (see the module docs of `i18n`).

use super::Strings;

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The English table.
pub static EN: Strings = Strings {
    // The shell.
    app_title: "Pod Playground",
    app_tagline: "A Kubernetes Pod's life, simulated in your browser",
    app_footer: "Simulates Kubernetes v1.34 with its default feature gates. Everything runs in this page: nothing you type leaves your browser.",
    skip_to_editor: "Skip to the editor",
    theme_dark: "Dark theme",
    theme_to_dark: "Switch to the dark theme",
    theme_to_light: "Switch to the light theme",
    // The editor.
    manifest: "Manifest",
    editor_ready: "YAML",
    editor_plain: "YAML · plain editor",
    editor_loading: "YAML · loading editor…",
    editor_textarea_label: "Pod manifest (YAML)",
    apply: "Apply",
    apply_title: "Apply the manifest (Ctrl+Enter or ⌘+Enter)",
    apply_hint: "Ctrl+↵",
    // Problems.
    problems: "Problems",
    problems_none: " · none",
    problem_reveal_title: "Show this line in the editor",
    severity_error: "error: ",
    severity_warning: "warning: ",
    severity_info: "info: ",
    // Scenarios.
    scenario: "Scenario",
    scenario_choose: "Choose a built-in scenario…",
    scenario_reset: "Reset to scenario",
    scenario_reset_title: "Put the scenario's original text back in the editor and apply it",
    family_restart_policy: "restartPolicy and exit codes",
    family_init_containers: "Init containers",
    family_probes: "Probes",
    family_other: "Other",
    // Transport.
    playback: "Playback",
    playback_controls: "Playback controls",
    jump_start: "Jump to the start",
    jump_start_title: "Jump to the start (Home)",
    step_back: "Step back one event (Shift: one instant)",
    step_back_title: "Step back one event (←); Shift: one instant (Shift+←)",
    play: "Play",
    play_title: "Play (Space)",
    pause: "Pause",
    pause_title: "Pause (Space)",
    step_forward: "Step forward one event (Shift: one instant)",
    step_forward_title: "Step forward one event (→); Shift: one instant (Shift+→)",
    jump_end: "Jump to the end",
    jump_end_title: "Jump to the end (End)",
    speed: "Speed",
    speed_title: "Playback speed",
    virtual_time: "Virtual time",
    scrubber_marks: "Scrubber marks",
    mark_scheduling: "Scheduling",
    mark_pulls: "Image pulls",
    mark_starts: "Starts",
    mark_probe_failures: "Probe failures",
    mark_kills: "Exits and kills",
    // Narration.
    narration_before_apply: "Press Apply to send the manifest to the simulated cluster; each step is explained here.",
    narration_at_start: "Nothing has happened yet. Press play, or step forward (→) to watch kubectl send the manifest.",
    // Cluster view.
    cluster: "Cluster",
    cluster_simulated: "Kubernetes v1.34 · simulated",
    cluster_empty_before: "Nothing is running yet. Edit the manifest and press ",
    cluster_empty_after: " to watch the API server, the scheduler and the kubelet bring the Pod to life.",
    cluster_no_pods: "No pods exist at this moment.",
    station_apiserver: "API server",
    station_apiserver_hint: "stored in etcd, not yet seen by the scheduler",
    station_queue: "Scheduling queue",
    station_queue_hint: "waiting for a node",
    taints: "Taints",
    taint_title: "Taint: only pods that tolerate it are scheduled here",
    taint_label: "taint ",
    pod_select_title: "Show this pod in the panels",
    pod_ready_title: "READY: ready containers / containers",
    restarts_hidden: "Restarts: ",
    containers: "Containers",
    backoff_label: "Back-off: ",
    chip_not_created: "Not created",
    chip_running_ready: "Running, ready",
    chip_running_starting: "Running, starting",
    chip_running_not_ready: "Running, not ready",
    chip_init: "init ",
    // Detail panels.
    details: "Details",
    details_tabs: "Detail panels",
    details_toggles: "Show or hide detail panels",
    hide: "Hide",
    all_panels_hidden: "Every panel is hidden. Switch one on above.",
    pod_picker: "Pod",
    tab_scheduler: "Scheduler",
    tab_scheduler_about: "The scheduling queue, every node's filter verdicts and scores, and the final decision.",
    tab_kubelet: "Kubelet",
    tab_kubelet_about: "The kubelet's sync steps for the selected pod: sandbox, image pulls, init containers, probes.",
    tab_lifecycle: "Lifecycle",
    tab_lifecycle_about: "The pod phase and container state machines, the conditions, and the restart back-off.",
    tab_timeline: "Timeline",
    tab_timeline_about: "One lane per container: waiting, running, terminated, restarts and probe results.",
    tab_events: "Events",
    tab_events_about: "The events, as kubectl get events prints them.",
    tab_terminal: "Terminal",
    tab_terminal_about: "A kubectl prompt: get, describe, logs, exec, delete, apply and more.",
    tab_yaml: "YAML",
    tab_yaml_about: "The live object, as kubectl get -o yaml shows it.",
    nothing_runs: "Nothing runs yet. Press Apply to simulate the manifest; this panel follows the playback.",
    no_pod: "No pod is selected. Pick one in the cluster view or in the pod picker above.",
    none_dash: "—",
    not_run: "—",
    ready: "ready",
    not_ready: "not ready",
    jump_to_step: "Jump to this step",
    end_of_run: "the end of the run",
    // Scheduler.
    queue_empty: "The queue is empty: no pod waits for a node.",
    queue_active: "active: next in line",
    attempts_none: "No scheduling attempt for this pod yet (it may not be created yet, be gated, or have spec.nodeName set).",
    attempts_pick: "Pick an attempt",
    verdict_pass: "pass",
    chosen: "chosen",
    scores_heading: "Scores of feasible nodes (0–100 per plugin, times its weight)",
    filters_heading: "Filters (nodes × plugins)",
    col_node: "Node",
    col_total: "Total",
    preemption_victims: "Preemption victims: ",
    // Kubelet.
    kubelet_routine: "Routine steps",
    kubelet_no_steps: "No kubelet step for this pod yet.",
    backoff_timers: "Back-off timers",
    no_retry: "no retry before the end of the run",
    kind_watch: "watch",
    kind_sandbox: "sandbox",
    kind_image: "image",
    kind_create: "create",
    kind_start: "start",
    kind_exit: "exit",
    kind_restart: "restart",
    kind_probe: "probe",
    kind_hook: "hook",
    kind_stop: "stop",
    kind_process: "process",
    kind_status: "status",
    role_init: "init",
    role_sidecar: "sidecar",
    role_app: "app",
    // Lifecycle.
    pod_phase: "Pod phase",
    conditions: "Conditions",
    phase_pending_about: "Accepted; waiting to be scheduled, for the sandbox, pulls or init containers.",
    phase_running_about: "Bound to a node; at least one container is running or restarting.",
    phase_succeeded_about: "Every container exited 0 and will not restart.",
    phase_failed_about: "Every container stopped and at least one failed (or the pod was stopped).",
    phase_unknown_about: "The pod's state cannot be obtained (its node stopped reporting).",
    phase_or: "or",
    qos_class: "QoS class",
    col_condition: "Condition",
    col_status: "Status",
    col_reason: "Reason",
    col_message: "Message",
    col_last_transition: "Last transition",
    not_set: "not set",
    no_state_yet: "no state yet",
    no_status_yet: "no status yet",
    init_container: "init container",
    sidecar_container: "sidecar (init, restartPolicy Always)",
    app_container: "app container",
    // Timeline.
    zoom: "Zoom",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    zoom_fit: "Fit",
    all_pods: "All pods",
    lanes_none: "No container has a status yet for the pods shown.",
    lanes_label: "Lanes over virtual time (scroll sideways when zoomed)",
    axis_title: "Click to jump to that time",
    lane_container: "container",
    lane_init_container: "init container",
    seg_running_ready: "Running · ready",
    seg_running_not_ready: "Running · not ready",
    tick_kill: "kill",
    legend: "Legend",
    legend_backoff: "Back-off",
    legend_exited_0: "Exited 0",
    legend_failed: "Failed",
    legend_hook: "hook",
    legend_ticks: "filled = passed, hollow = failed",
    // Events.
    events_note: "As kubectl get events lists them, newest last. Click a row to jump to the step that emitted it.",
    events_selected_only: "Selected pod only",
    events_none: "No events yet.",
    // Terminal.
    terminal_greeting: "Type a kubectl command, or help. Try: kubectl get pods\n",
    terminal_help: "\
Commands run on the simulated cluster at the current moment. Queries
answer at once; changes fork the timeline here (the past stays, the
future is recomputed). Type them with or without `kubectl`.

  get pods|nodes|events|svc|ns [NAME] [-o wide|yaml|json]
      [-l KEY=VALUE] [--show-labels] [-n NS | -A]
  describe pod|node NAME
  logs POD [-c CONTAINER] [--previous]
  exec POD [-c CONTAINER] -- CMD [ARGS...]   e.g. exec web -- echo hi
  delete pod NAME [--grace-period=N] [--force]
  apply -f -             applies the editor's last applied text
  run NAME --image=IMAGE [--restart=Never] [-- CMD...]
  label pod|node NAME KEY=VALUE [KEY-] [--overwrite]
  cordon|uncordon|drain NODE
  taint nodes NODE KEY=VALUE:NoSchedule[-]
  create namespace NAME
  config set-context --current --namespace=NAME
  node fail|recover NODE     a node stops (or resumes) reporting
  container kill|oom POD/CONTAINER [--signal=TERM]

Up/Down: history. Tab: complete. clear: empty the screen.
",
    terminal_output: "Terminal output",
    terminal_input: "kubectl command",
    terminal_placeholder: "kubectl get pods",
    terminal_nothing_runs: "error: nothing is running yet — press Apply first\n",
    // YAML.
    yaml_label: "The pod as YAML",
    // The crash banner.
    crash_title: "Pod Playground stopped because of an internal error.",
    crash_text_before: "Your manifest is safe: it was saved in this browser and is still in the editor. Edits made from now on are not saved, so copy anything new, then ",
    crash_reload: "reload the page",
    crash_text_after: ".",
    crash_details: "Technical details",

    // Transport.
    step_of: |n, total| format!("step {n} of {total}"),
    clock_end: |end| format!(" / {end}"),
    mark_title: |kind, at, nearby| if nearby > 0 { format!("{kind} at {at} (+{nearby} nearby)") } else { format!("{kind} at {at}") },
    // Problems.
    problem_counts: |e, w, i| format!(" · {} · {} · {}", plural(e, "error", "errors"), plural(w, "warning", "warnings"), plural(i, "note", "notes")),
    // Cluster view.
    cluster_summary: |nodes, pods| format!("{} · {}", plural(nodes, "node", "nodes"), plural(pods, "pod", "pods")),
    station_count: |n| format!(" · {n}"),
    node_title: |name, labels| format!("{name}\nLabels:\n{labels}"),
    bar_usage: |text, percent| format!("{text} ({percent}%)"),
    restarts_in: |name, left| format!("{name} restarts in {left}"),
    probe_passed: |probe| format!("{probe} probe passed"),
    probe_failed: |probe| format!("{probe} probe failed"),
    container_title: |name, state| format!("container {name}: {state}"),
    init_container_title: |name, state| format!("init container {name}: {state}"),
    exited_with: |reason, code| format!("{reason} (exit {code})"),
    // Detail panels.
    hide_panel: |label| format!("Hide the {label} panel"),
    pod_gone: |pod| format!("{pod} does not exist at this moment: it is not created yet, or it was deleted."),
    // Scheduler.
    queue_unschedulable_since: |at| format!("unschedulable since {at}: waits for a cluster change"),
    queue_backing_off_until: |at| format!("backing off until {at}"),
    queue_row: |priority, attempts, state| {
        format!("priority {priority} · {} · {state}", plural(attempts as usize, "failed attempt", "failed attempts"))
    },
    attempts_for: |pod| format!("Attempts for {pod}"),
    attempt_at: |n, at| format!("#{n} at {at}"),
    attempt_recorded: |at, step| format!("Attempt recorded at {at} (step {step})."),
    score_weight: |w| format!("×{w}"),
    // Kubelet.
    kubelet_pod_gone: |pod| format!("{pod} does not exist at this moment (not created yet, or deleted). Its kubelet's steps so far:"),
    kubelet_pod_unbound: |pod| format!("{pod} is not bound to a node yet: no kubelet works on it."),
    kubelet_pod_on: |pod, node| format!("{pod} on {node}: what its kubelet and container runtime did, oldest first."),
    kubelet_steps_for: |pod| format!("Kubelet steps for {pod}"),
    with_role: |role| format!(" · {role}"),
    by_actor: |actor| format!(" — {actor}"),
    backoff_next_try: |delay, left| format!("back-off {delay} · next try in {left}"),
    backoff_no_retry: |delay| format!("back-off {delay} · no retry before the end of the run"),
    next_try_in: |left| format!("next try in {left}"),
    // Lifecycle.
    terminating_since: |at, grace| format!("Terminating: deletionTimestamp {at} (grace period {grace}s)"),
    at_ago: |at, ago| format!("{at} ({ago} ago)"),
    restarts_count: |n| format!("restarts {n} · "),
    container_state_of: |name| format!("State of container {name}"),
    exit_code: |reason, code| format!("{reason} · exit code {code}"),
    last_exit_code: |reason, code| format!("last: {reason} · exit code {code}"),
    // Timeline.
    zoom_span: |zoom, span| format!("{zoom}× · 0–{span}"),
    lane_of_pod: |pod| format!("{pod} · "),
    segment_label: |container, state, from, until, duration, restart| {
        format!("{container}: {state} from {from} to {until} ({duration}), restart {restart}. Jump there.")
    },
    probe_named: |kind| format!("{kind} probe"),
    hook_named: |hook| format!("{hook} hook"),
    tick_label: |container, what, at| format!("{container}: {what} at {at}"),
    tick_passed: |container, what, at| format!("{container}: {what} passed at {at}"),
    tick_failed: |container, what, at| format!("{container}: {what} failed at {at}"),
    // Events.
    event_count_over: |count, over| format!("{count} (over {over})"),
    event_jump_title: |first_seen, source| format!("Jump to this event (first seen {first_seen} ago, from {source})"),
    // Terminal.
    fork_at: |at| format!("Timeline forked at {at}: the past stays, the future is recomputed."),
    fork_after_end: |end| {
        format!("The run ends at {end}: nothing happens after it, so this change has no future to act on. Step back and try it earlier.")
    },
    terminal_no_such_path: |path| format!("error: the path \"{path}\" does not exist (use apply -f - to apply the editor's text)\n"),
    // YAML.
    yaml_of: |pod| format!("kubectl get {pod} -o yaml"),
    yaml_created_at: |pod, at| format!("kubectl get {pod} -o yaml · created at {at}"),
    yaml_changed_at: |pod, count, at| format!("kubectl get {pod} -o yaml · {} changed at {at}", plural(count, "line", "lines")),
};
