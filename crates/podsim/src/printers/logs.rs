//! `kubectl logs POD [-c CONTAINER] [--previous]` as kubectl v1.34, the API server and the
//! kubelet answer it:
//!
//! - no `-c`: the container named by the `kubectl.kubernetes.io/default-container` annotation,
//!   else the first container; with more than one container (or any init container) kubectl says
//!   on stderr `Defaulted container "app" out of: app, sidecar, init-db (init)`;
//! - an unknown `-c`: `error: container x is not valid for pod web`;
//! - a pod not bound to a node yet: no output;
//! - the kubelet's `validateContainerLogStatus` errors, e.g. `Error from server (BadRequest):
//!   container "app" in pod "web" is waiting to start: ContainerCreating`, `previous terminated
//!   container "app" in pod "web" not found`;
//! - otherwise the lines of the container instance: the current one, or with `--previous` the one
//!   before (a crash-looping container waiting to restart shows its last run either way).

use super::{not_found, Printed};
use crate::api::{ContainerState, Pod};
use crate::world::{ContainerLog, World};

/// `kubectl logs -n namespace pod [-c container] [--previous]`.
pub fn logs(world: &World, namespace: &str, pod_name: &str, container: Option<&str>, previous: bool) -> Printed {
    let Some(pod) = world.pod(namespace, pod_name) else {
        return not_found("pods", pod_name);
    };
    let mut stderr = String::new();
    let name = match container.filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => match default_container(pod, &mut stderr) {
            Some(c) => c,
            None => return Printed::fail(format!("error: pod {}/{} does not have any containers\n", namespace, pod_name)),
        },
    };
    if !pod.spec.all_containers().any(|c| c.name == name) {
        stderr.push_str(&format!("error: container {name} is not valid for pod {pod_name}\n"));
        return Printed { stdout: String::new(), stderr, success: false };
    }
    if pod.spec.node_name.is_empty() {
        return Printed { stdout: String::new(), stderr, success: true };
    }
    match kubelet_logs(world, pod, &name, previous) {
        Ok(text) => Printed { stdout: text, stderr, success: true },
        Err(e) => {
            stderr.push_str(&format!("Error from server (BadRequest): {e}\n"));
            Printed { stdout: String::new(), stderr, success: false }
        }
    }
}

fn default_container(pod: &Pod, stderr: &mut String) -> Option<String> {
    let first = pod.spec.containers.first()?;
    if let Some(name) = pod.meta.annotations.get("kubectl.kubernetes.io/default-container").filter(|n| !n.is_empty()) {
        if pod.spec.all_containers().any(|c| &c.name == name) {
            return Some(name.clone());
        }
        stderr.push_str(&format!("Default container name \"{name}\" not found in pod {}\n", pod.meta.name));
    }
    if pod.spec.containers.len() > 1 || !pod.spec.init_containers.is_empty() {
        let mut names: Vec<String> = pod.spec.containers.iter().map(|c| c.name.clone()).collect();
        names.extend(pod.spec.init_containers.iter().map(|c| format!("{} (init)", c.name)));
        stderr.push_str(&format!("Defaulted container \"{}\" out of: {}\n", first.name, names.join(", ")));
    }
    Some(first.name.clone())
}

/// The kubelet's choice of container instance, or its error.
fn kubelet_logs(world: &World, pod: &Pod, name: &str, previous: bool) -> Result<String, String> {
    let pod_name = &pod.meta.name;
    let status = pod
        .status
        .container_statuses
        .iter()
        .chain(pod.status.init_container_statuses.iter())
        .find(|s| s.name == name)
        .ok_or_else(|| format!("container \"{name}\" in pod \"{pod_name}\" is not available"))?;
    let runs = world.container_logs(&pod.meta.uid, name);
    let last = status.last_state.terminated();
    // Whether a newer instance than the last terminated one exists (running or finished).
    let newer_exists = matches!(status.state, ContainerState::Running { .. } | ContainerState::Terminated(_));
    let pick = |from_end: usize| -> Option<&ContainerLog> { runs.len().checked_sub(from_end + 1).map(|i| &runs[i]) };
    let run = if previous {
        if last.is_none() {
            return Err(format!("previous terminated container \"{name}\" in pod \"{pod_name}\" not found"));
        }
        pick(if newer_exists { 1 } else { 0 })
    } else {
        match &status.state {
            ContainerState::Running { .. } | ContainerState::Terminated(_) => pick(0),
            _ if last.is_some() => pick(0),
            ContainerState::Waiting { reason, .. } => {
                let why = match reason.as_str() {
                    "ErrImagePull" => "image can't be pulled".to_string(),
                    "ImagePullBackOff" => "trying and failing to pull image".to_string(),
                    r => r.to_string(),
                };
                return Err(format!("container \"{name}\" in pod \"{pod_name}\" is waiting to start: {why}"));
            }
            ContainerState::None => {
                return Err(format!("container \"{name}\" in pod \"{pod_name}\" is waiting to start - no logs yet"))
            }
        }
    };
    let mut out = String::new();
    for (_, line) in run.map_or(&[][..], |r| r.lines.as_slice()) {
        line.write_to(&mut out);
        out.push('\n');
    }
    Ok(out)
}
