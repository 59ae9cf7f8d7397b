//! The built-in scenario gallery: data files under `scenarios/`, compiled in. Each file starts
//! with `# title:`, `# family:` and `# about:` lines, then the manifests.

/// One built-in scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltIn {
    pub id: &'static str,
    /// The whole file: header comments and manifests (what the editor shows).
    pub text: &'static str,
}

impl BuiltIn {
    fn header(&self, key: &str) -> &'static str {
        let prefix = format!("# {key}: ");
        self.text.lines().find_map(|l| l.strip_prefix(prefix.as_str())).unwrap_or("")
    }

    pub fn title(&self) -> &'static str {
        self.header("title")
    }

    /// `restartPolicy`, `initContainers` or `probes`.
    pub fn family(&self) -> &'static str {
        self.header("family")
    }

    /// What to watch, in two sentences.
    pub fn about(&self) -> &'static str {
        self.header("about")
    }
}

/// Every built-in scenario, in gallery order.
pub const ALL: &[BuiltIn] = &[
    BuiltIn { id: "restart-always-exit0", text: include_str!("../scenarios/restart-always-exit0.yaml") },
    BuiltIn { id: "restart-always-exit1", text: include_str!("../scenarios/restart-always-exit1.yaml") },
    BuiltIn { id: "restart-onfailure-exit0", text: include_str!("../scenarios/restart-onfailure-exit0.yaml") },
    BuiltIn { id: "restart-onfailure-exit1", text: include_str!("../scenarios/restart-onfailure-exit1.yaml") },
    BuiltIn { id: "restart-never-exit0", text: include_str!("../scenarios/restart-never-exit0.yaml") },
    BuiltIn { id: "restart-never-exit1", text: include_str!("../scenarios/restart-never-exit1.yaml") },
    BuiltIn { id: "restart-two-containers", text: include_str!("../scenarios/restart-two-containers.yaml") },
    BuiltIn { id: "init-in-order", text: include_str!("../scenarios/init-in-order.yaml") },
    BuiltIn { id: "init-fails-always", text: include_str!("../scenarios/init-fails-always.yaml") },
    BuiltIn { id: "init-fails-never", text: include_str!("../scenarios/init-fails-never.yaml") },
    BuiltIn { id: "init-waits-for-service", text: include_str!("../scenarios/init-waits-for-service.yaml") },
    BuiltIn { id: "probe-liveness-exec", text: include_str!("../scenarios/probe-liveness-exec.yaml") },
    BuiltIn { id: "probe-readiness-nginx", text: include_str!("../scenarios/probe-readiness-nginx.yaml") },
    BuiltIn { id: "probe-startup-slow-app", text: include_str!("../scenarios/probe-startup-slow-app.yaml") },
];

/// Finds a scenario by id.
pub fn get(id: &str) -> Option<&'static BuiltIn> {
    ALL.iter().find(|s| s.id == id)
}
