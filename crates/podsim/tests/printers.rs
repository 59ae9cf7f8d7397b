//! Golden tests of the kubectl printers: a small cluster built from the model types (the manifest
//! parser is not used here), printed with every printer, and compared with the expected text in
//! `tests/data/printers/<case>.out`. Run with `UPDATE_GOLDEN=1` to rewrite the files after a
//! deliberate change, then review the diff: the files are what kubectl v1.34 prints.

use std::collections::BTreeMap;
use std::path::PathBuf;

use podsim::api::*;
use podsim::event::{EventType, InvolvedObject, KubeEvent};
use podsim::printers::{self, Clock, GetOptions, OutputFormat, PodWatch};
use podsim::quantity::Quantity;
use podsim::time::{SimTime, DEFAULT_EPOCH_UNIX_MS};
use podsim::world::{ContainerLog, LogLine, World};

const S: SimTime = 1_000;
const M: SimTime = 60_000;

fn golden(case: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/printers").join(format!("{case}.out"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden file {}; run with UPDATE_GOLDEN=1", path.display()));
    assert!(expected == actual, "golden mismatch for {case}\n--- expected\n{expected}\n--- actual\n{actual}");
}

/// stdout, then stderr after a `--- stderr` line when there is any.
fn show(p: &printers::Printed) -> String {
    let mut s = p.stdout.clone();
    if !p.stderr.is_empty() {
        s.push_str("--- stderr\n");
        s.push_str(&p.stderr);
    }
    if !p.success {
        s.push_str("--- exit 1\n");
    }
    s
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn q(text: &str) -> Quantity {
    Quantity::parse(text).unwrap()
}

fn meta(ns: &str, name: &str, uid: &str, created: SimTime) -> ObjectMeta {
    ObjectMeta {
        name: name.into(),
        namespace: ns.into(),
        uid: uid.into(),
        resource_version: 1000 + created / S,
        generation: if ns.is_empty() { 0 } else { 1 },
        creation_ms: Some(created),
        ..Default::default()
    }
}

fn node(name: &str, ip: &str, roles: &[&str], created: SimTime) -> Node {
    let mut m = meta("", name, &format!("uid-{name}"), created);
    m.labels = labels(&[
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", name),
        ("kubernetes.io/os", "linux"),
    ]);
    for r in roles {
        m.labels.insert(format!("node-role.kubernetes.io/{r}"), String::new());
    }
    m.annotations = labels(&[
        ("node.alpha.kubernetes.io/ttl", "0"),
        ("volumes.kubernetes.io/controller-managed-attach-detach", "true"),
    ]);
    let caps: BTreeMap<String, Quantity> = [("cpu", "4"), ("ephemeral-storage", "100Gi"), ("memory", "8Gi"), ("pods", "110")]
        .iter()
        .map(|(k, v)| (k.to_string(), q(v)))
        .collect();
    let cond = |kind: &str, status: &str, reason: &str, message: &str| NodeCondition {
        kind: kind.into(),
        status: status.into(),
        reason: reason.into(),
        message: message.into(),
        last_heartbeat_ms: 4 * M + 50 * S,
        last_transition_ms: created + 5 * S,
    };
    Node {
        meta: m,
        spec: NodeSpec {
            unschedulable: false,
            taints: if roles.contains(&"control-plane") {
                vec![Taint {
                    key: "node-role.kubernetes.io/control-plane".into(),
                    value: String::new(),
                    effect: "NoSchedule".into(),
                    time_added_ms: None,
                }]
            } else {
                vec![]
            },
            pod_cidr: format!("10.244.{}.0/24", ip.rsplit('.').next().unwrap().parse::<u32>().unwrap() - 10),
        },
        status: NodeStatus {
            capacity: caps.clone(),
            allocatable: caps,
            conditions: vec![
                cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            internal_ip: ip.into(),
            images: BTreeMap::new(),
            kubelet_version: "v1.34.0".into(),
            os_image: "Debian GNU/Linux 12 (bookworm)".into(),
            container_runtime_version: "containerd://2.1.3".into(),
            kernel_version: "6.8.0-60-generic".into(),
            architecture: "amd64".into(),
        },
    }
}

fn container(name: &str, image: &str) -> Container {
    Container {
        name: name.into(),
        image: image.into(),
        termination_message_path: "/dev/termination-log".into(),
        termination_message_policy: "File".into(),
        volume_mounts: vec![VolumeMount {
            name: "kube-api-access-7x9zq".into(),
            mount_path: "/var/run/secrets/kubernetes.io/serviceaccount".into(),
            read_only: true,
            sub_path: String::new(),
        }],
        ..Default::default()
    }
}

fn default_tolerations() -> Vec<Toleration> {
    ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
        .iter()
        .map(|k| Toleration {
            key: k.to_string(),
            operator: "Exists".into(),
            value: String::new(),
            effect: "NoExecute".into(),
            toleration_seconds: Some(300),
        })
        .collect()
}

fn source_with_projected_volume() -> serde_json::Value {
    serde_json::json!({
        "spec": {
            "volumes": [{
                "name": "kube-api-access-7x9zq",
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                    ]
                }
            }]
        }
    })
}

fn pod(ns: &str, name: &str, uid: &str, created: SimTime, containers: Vec<Container>) -> Pod {
    let mut m = meta(ns, name, uid, created);
    m.labels = labels(&[("run", name)]);
    Pod {
        meta: m,
        spec: PodSpec {
            containers: containers.into(),
            restart_policy: RestartPolicy::Always,
            termination_grace_period_seconds: 30,
            tolerations: default_tolerations().into(),
            scheduler_name: "default-scheduler".into(),
            preemption_policy: "PreemptLowerPriority".into(),
            volumes: vec![Volume { name: "kube-api-access-7x9zq".into(), source: VolumeSource::Other { kind: "projected".into() } }].into(),
            dns_policy: "ClusterFirst".into(),
            service_account_name: "default".into(),
            ..Default::default()
        }
        .into(),
        status: PodStatus { qos_class: "BestEffort".into(), ..Default::default() },
        source: source_with_projected_volume().into(),
    }
}

fn cond(kind: &str, status: bool, at: SimTime) -> PodCondition {
    PodCondition::new(kind, status, "", "", at)
}

fn bind(p: &mut Pod, node: &str, host_ip: &str, pod_ip: &str, at: SimTime) {
    p.spec_mut().node_name = node.into();
    p.status.host_ip = host_ip.into();
    p.status.pod_ip = pod_ip.into();
    p.status.start_ms = Some(at);
}

fn running_status(name: &str, image: &str, id: &str, started: SimTime) -> ContainerStatus {
    ContainerStatus {
        name: name.into(),
        image: format!("docker.io/library/{image}"),
        image_id: format!("docker.io/library/{}@sha256:{}", image.split(':').next().unwrap(), "5f3b".repeat(16)),
        container_id: id.into(),
        state: ContainerState::Running { started_ms: started },
        last_state: ContainerState::None,
        ready: true,
        started: Some(true),
        restart_count: 0,
    }
}

fn healthy_conditions(p: &mut Pod, t: SimTime) {
    p.status.conditions = vec![
        cond("PodReadyToStartContainers", true, t + 2 * S),
        cond("Initialized", true, t),
        cond("Ready", true, t + 5 * S),
        cond("ContainersReady", true, t + 5 * S),
        cond("PodScheduled", true, t),
    ];
}

#[allow(clippy::too_many_arguments)]
fn ev(
    kind: EventType,
    reason: &str,
    message: &str,
    object: (&str, &str, &str, &str),
    component: &str,
    host: &str,
    first: SimTime,
    last: SimTime,
    count: u32,
) -> KubeEvent {
    let (k, ns, name, uid) = object;
    let mut e = KubeEvent::new(
        kind,
        reason,
        message,
        InvolvedObject { kind: k.into(), namespace: ns.into(), name: name.into(), uid: uid.into(), field_path: String::new() },
        component,
        host,
        first,
    );
    e.last_ms = last;
    e.count = count;
    e
}

/// The cluster every case reads, at 5 minutes.
fn world() -> World {
    let mut w = World { epoch_unix_ms: DEFAULT_EPOCH_UNIX_MS, now_ms: 5 * M, current_namespace: "default".into(), ..Default::default() };
    for (name, ip, roles) in [("control-plane", "10.0.0.10", &["control-plane"][..]), ("worker-1", "10.0.0.11", &[][..]), ("worker-2", "10.0.0.12", &[][..])] {
        w.nodes.insert(name.into(), node(name, ip, roles, 0));
    }
    for ns in ["default", "kube-system", "dev"] {
        let created = if ns == "dev" { 30 * S } else { 0 };
        w.namespaces.insert(ns.into(), Namespace { meta: meta("", ns, &format!("uid-ns-{ns}"), created), phase: "Active".into() });
    }
    w.services.insert(
        ObjectKey::new("default", "kubernetes"),
        Service {
            meta: {
                let mut m = meta("default", "kubernetes", "uid-svc-k8s", 0);
                m.labels = labels(&[("component", "apiserver"), ("provider", "kubernetes")]);
                m
            },
            selector: BTreeMap::new(),
            ports: vec![ServicePort { name: "https".into(), port: 443, target_port: PortRef::Number(6443), protocol: "TCP".into(), node_port: 0 }],
            cluster_ip: "10.96.0.1".into(),
            kind: "ClusterIP".into(),
        },
    );
    w.services.insert(
        ObjectKey::new("default", "web"),
        Service {
            meta: meta("default", "web", "uid-svc-web", 20 * S),
            selector: labels(&[("app", "web")]),
            ports: vec![ServicePort { name: String::new(), port: 80, target_port: PortRef::Number(80), protocol: "TCP".into(), node_port: 30080 }],
            cluster_ip: "10.96.112.34".into(),
            kind: "NodePort".into(),
        },
    );

    // web: nginx with a readiness probe, running and ready.
    let mut c = container("nginx", "nginx:1.27");
    c.ports = vec![ContainerPort { name: String::new(), container_port: 80, host_port: 0, protocol: "TCP".into() }];
    c.readiness_probe = Some(Probe {
        handler: Handler::HttpGet { path: "/".into(), port: PortRef::Number(80), host: String::new(), scheme: "HTTP".into(), headers: vec![] },
        initial_delay_seconds: 3,
        timeout_seconds: 1,
        period_seconds: 5,
        success_threshold: 1,
        failure_threshold: 3,
        termination_grace_period_seconds: None,
    });
    c.requests = [("cpu", "100m"), ("memory", "64Mi")].iter().map(|(k, v)| (k.to_string(), q(v))).collect();
    c.limits = [("cpu", "0.5"), ("memory", "128Mi")].iter().map(|(k, v)| (k.to_string(), q(v))).collect();
    c.env = vec![
        EnvVar { name: "GREETING".into(), value: EnvValue::Literal("hello".into()) },
        EnvVar { name: "MY_POD_IP".into(), value: EnvValue::FieldRef("status.podIP".into()) },
        EnvVar { name: "MEM_LIMIT".into(), value: EnvValue::ResourceFieldRef { container: "nginx".into(), resource: "limits.memory".into() } },
    ];
    let mut web = pod("default", "web", "0b6f5a0e-7c1d-4e0a-9a55-3f1c2d4b5e61", 2 * S, vec![c]);
    web.meta.labels = labels(&[("app", "web"), ("tier", "frontend")]);
    web.status.qos_class = "Burstable".into();
    bind(&mut web, "worker-1", "10.0.0.11", "10.244.1.5", 3 * S);
    web.status.phase = Phase::Running;
    web.status.container_statuses = vec![running_status("nginx", "nginx:1.27", "7c4f0d2b9e8a", 10 * S)];
    healthy_conditions(&mut web, 3 * S);
    w.pods.insert(ObjectKey::new("default", "web"), std::sync::Arc::new(web));

    // crash: a container that exits 1, in CrashLoopBackOff.
    let mut c = container("app", "busybox:1.36");
    c.command = vec!["sh".into(), "-c".into(), "echo starting; sleep 2; echo boom >&2; exit 1".into()];
    let mut crash = pod("default", "crash", "6d2e9f41-0c3b-4b7e-8d1a-2c5e7f9a1b3d", 5 * S, vec![c]);
    bind(&mut crash, "worker-2", "10.0.0.12", "10.244.2.7", 6 * S);
    crash.status.phase = Phase::Running;
    let mut st = running_status("app", "busybox:1.36", "a91b5c3e2f70", 0);
    st.state = ContainerState::Waiting {
        reason: "CrashLoopBackOff".into(),
        message: "back-off 40s restarting failed container=app pod=crash_default(6d2e9f41-0c3b-4b7e-8d1a-2c5e7f9a1b3d)".into(),
    };
    st.last_state = ContainerState::Terminated(Terminated {
        exit_code: 1,
        signal: 0,
        reason: "Error".into(),
        message: String::new(),
        started_ms: Some(4 * M + 28 * S),
        finished_ms: 4 * M + 30 * S,
        container_id: "a91b5c3e2f70".into(),
    });
    st.ready = false;
    st.started = Some(false);
    st.restart_count = 3;
    crash.status.container_statuses = vec![st];
    crash.status.conditions = vec![
        cond("PodReadyToStartContainers", true, 8 * S),
        cond("Initialized", true, 6 * S),
        PodCondition::new("Ready", false, "ContainersNotReady", "containers with unready status: [app]", 4 * M + 30 * S),
        PodCondition::new("ContainersReady", false, "ContainersNotReady", "containers with unready status: [app]", 4 * M + 30 * S),
        cond("PodScheduled", true, 6 * S),
    ];
    w.pods.insert(ObjectKey::new("default", "crash"), std::sync::Arc::new(crash));

    // init-demo: waiting for a service, Init:0/2.
    let mut init1 = container("init-myservice", "busybox:1.36");
    init1.command = vec![
        "sh".into(),
        "-c".into(),
        "until nslookup myservice.default.svc.cluster.local; do echo waiting for myservice; sleep 2; done".into(),
    ];
    let mut init2 = container("init-mydb", "busybox:1.36");
    init2.command = vec!["sh".into(), "-c".into(), "until nslookup mydb; do sleep 2; done".into()];
    let mut app = container("myapp-container", "busybox:1.36");
    app.command = vec!["sh".into(), "-c".into(), "echo The app is running! && sleep 3600".into()];
    let mut demo = pod("default", "init-demo", "3c8a1f20-55e4-4d3a-b6c7-8e9f0a1b2c3d", 40 * S, vec![app]);
    demo.meta.labels = labels(&[("app.kubernetes.io/name", "MyApp")]);
    demo.spec_mut().init_containers = vec![init1, init2].into();
    bind(&mut demo, "worker-1", "10.0.0.11", "10.244.1.9", 41 * S);
    demo.status.init_container_statuses = vec![
        running_status("init-myservice", "busybox:1.36", "c0ffee123456", 44 * S),
        ContainerStatus {
            name: "init-mydb".into(),
            image: "busybox:1.36".into(),
            state: ContainerState::Waiting { reason: "PodInitializing".into(), message: String::new() },
            started: Some(false),
            ..Default::default()
        },
    ];
    demo.status.init_container_statuses[0].ready = false;
    demo.status.init_container_statuses[0].started = Some(false);
    demo.status.container_statuses = vec![ContainerStatus {
        name: "myapp-container".into(),
        image: "busybox:1.36".into(),
        state: ContainerState::Waiting { reason: "PodInitializing".into(), message: String::new() },
        started: Some(false),
        ..Default::default()
    }];
    demo.status.conditions = vec![
        cond("PodReadyToStartContainers", true, 43 * S),
        PodCondition::new("Initialized", false, "ContainersNotInitialized", "containers with incomplete status: [init-myservice init-mydb]", 41 * S),
        PodCondition::new("Ready", false, "ContainersNotReady", "containers with unready status: [myapp-container]", 41 * S),
        PodCondition::new("ContainersReady", false, "ContainersNotReady", "containers with unready status: [myapp-container]", 41 * S),
        cond("PodScheduled", true, 41 * S),
    ];
    w.pods.insert(ObjectKey::new("default", "init-demo"), std::sync::Arc::new(demo));

    // pending: too big for any node.
    let mut big = container("hog", "nginx:1.27");
    big.requests = [("cpu", "8")].iter().map(|(k, v)| (k.to_string(), q(v))).collect();
    let mut pending = pod("default", "pending", "9e1d2c3b-4a5f-4e6d-8c7b-1a2b3c4d5e6f", 3 * M, vec![big]);
    pending.status.qos_class = "Burstable".into();
    pending.status.conditions = vec![PodCondition::new(
        "PodScheduled",
        false,
        "Unschedulable",
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
        3 * M,
    )];
    w.pods.insert(ObjectKey::new("default", "pending"), std::sync::Arc::new(pending));

    // done: a completed pod.
    let mut c = container("job", "busybox:1.36");
    c.command = vec!["sh".into(), "-c".into(), "echo done".into()];
    let mut done = pod("default", "done", "1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b", 30 * S, vec![c]);
    done.spec_mut().restart_policy = RestartPolicy::Never;
    bind(&mut done, "worker-2", "10.0.0.12", "10.244.2.3", 31 * S);
    done.status.phase = Phase::Succeeded;
    let mut st = running_status("job", "busybox:1.36", "d00d00d00d00", 0);
    st.state = ContainerState::Terminated(Terminated {
        exit_code: 0,
        signal: 0,
        reason: "Completed".into(),
        message: String::new(),
        started_ms: Some(34 * S),
        finished_ms: 34 * S,
        container_id: "d00d00d00d00".into(),
    });
    st.ready = false;
    st.started = Some(false);
    done.status.container_statuses = vec![st];
    done.status.conditions = vec![
        cond("PodReadyToStartContainers", false, 36 * S),
        PodCondition::new("Initialized", true, "PodCompleted", "", 31 * S),
        PodCondition::new("Ready", false, "PodCompleted", "", 35 * S),
        PodCondition::new("ContainersReady", false, "PodCompleted", "", 35 * S),
        cond("PodScheduled", true, 31 * S),
    ];
    w.pods.insert(ObjectKey::new("default", "done"), std::sync::Arc::new(done));

    // sidecar: app + log shipper (restartPolicy Always init container), both ready.
    let mut shipper = container("log-shipper", "alpine:3.20");
    shipper.restart_policy = Some("Always".into());
    shipper.command = vec!["sh".into(), "-c".into(), "tail -F /opt/logs.txt".into()];
    let mut app = container("app", "alpine:3.20");
    app.command = vec!["sh".into(), "-c".into(), "while true; do echo \"logging\" >> /opt/logs.txt; sleep 1; done".into()];
    let mut sc = pod("default", "sidecar", "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d", 50 * S, vec![app]);
    sc.spec_mut().init_containers = vec![shipper].into();
    bind(&mut sc, "worker-2", "10.0.0.12", "10.244.2.8", 51 * S);
    sc.status.phase = Phase::Running;
    sc.status.init_container_statuses = vec![running_status("log-shipper", "alpine:3.20", "5151515151ab", 55 * S)];
    sc.status.container_statuses = vec![running_status("app", "alpine:3.20", "a0a0a0a0a0a0", 57 * S)];
    healthy_conditions(&mut sc, 51 * S);
    w.pods.insert(ObjectKey::new("default", "sidecar"), std::sync::Arc::new(sc));

    // stopping: deleted 5s ago with a 30s grace period.
    let mut c = container("sleeper", "busybox:1.36");
    c.command = vec!["sh".into(), "-c".into(), "sleep 600".into()];
    let mut stopping = pod("dev", "stopping", "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928", 60 * S, vec![c]);
    bind(&mut stopping, "worker-1", "10.0.0.11", "10.244.1.12", 61 * S);
    stopping.status.phase = Phase::Running;
    stopping.status.container_statuses = vec![running_status("sleeper", "busybox:1.36", "5eeb5eeb5eeb", 63 * S)];
    healthy_conditions(&mut stopping, 61 * S);
    stopping.meta.deletion_ms = Some(5 * M - 5 * S + 30 * S);
    stopping.meta.deletion_grace_seconds = Some(30);
    w.pods.insert(ObjectKey::new("dev", "stopping"), std::sync::Arc::new(stopping));

    // Events.
    let web_ref = ("Pod", "default", "web", "0b6f5a0e-7c1d-4e0a-9a55-3f1c2d4b5e61");
    let crash_ref = ("Pod", "default", "crash", "6d2e9f41-0c3b-4b7e-8d1a-2c5e7f9a1b3d");
    let pending_ref = ("Pod", "default", "pending", "9e1d2c3b-4a5f-4e6d-8c7b-1a2b3c4d5e6f");
    use EventType::{Normal, Warning};
    w.events = vec![
        ev(Normal, "Starting", "", ("Node", "", "worker-1", "worker-1"), "kube-proxy", "", 0, 0, 1),
        ev(Normal, "RegisteredNode", "Node worker-1 event: Registered Node worker-1 in Controller", ("Node", "", "worker-1", "uid-worker-1"), "node-controller", "", S, S, 1),
        ev(Normal, "Scheduled", "Successfully assigned default/web to worker-1", web_ref, "default-scheduler", "", 3 * S, 3 * S, 1),
        ev(Normal, "Pulling", "Pulling image \"nginx:1.27\"", web_ref, "kubelet", "worker-1", 4 * S, 4 * S, 1),
        ev(Normal, "Scheduled", "Successfully assigned default/crash to worker-2", crash_ref, "default-scheduler", "", 6 * S, 6 * S, 1),
        ev(Normal, "Pulled", "Successfully pulled image \"nginx:1.27\" in 5.312s (5.312s including waiting). Image size: 72195292 bytes.", web_ref, "kubelet", "worker-1", 9 * S, 9 * S, 1),
        ev(Normal, "Created", "Created container: nginx", web_ref, "kubelet", "worker-1", 9 * S, 9 * S, 1),
        ev(Normal, "Started", "Started container nginx", web_ref, "kubelet", "worker-1", 10 * S, 10 * S, 1),
        ev(Normal, "Pulled", "Container image \"busybox:1.36\" already present on machine", crash_ref, "kubelet", "worker-2", 7 * S, 4 * M + 28 * S, 4),
        ev(Normal, "Created", "Created container: app", crash_ref, "kubelet", "worker-2", 7 * S, 4 * M + 28 * S, 4),
        ev(Normal, "Started", "Started container app", crash_ref, "kubelet", "worker-2", 8 * S, 4 * M + 28 * S, 4),
        ev(Warning, "BackOff", "Back-off restarting failed container app in pod crash_default(6d2e9f41-0c3b-4b7e-8d1a-2c5e7f9a1b3d)", crash_ref, "kubelet", "worker-2", 12 * S, 4 * M + 55 * S, 9),
        ev(Warning, "FailedScheduling", "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.", pending_ref, "default-scheduler", "", 3 * M, 3 * M + 20 * S, 2),
        ev(Normal, "Killing", "Stopping container sleeper", ("Pod", "dev", "stopping", "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928"), "kubelet", "worker-1", 4 * M + 55 * S, 4 * M + 55 * S, 1),
    ]
    .into_iter()
    .map(std::sync::Arc::new)
    .collect();

    // Logs.
    let log = |lines: &[&str], rc: i32, t: SimTime| ContainerLog { restart_count: rc, lines: lines.iter().map(|l| (t, LogLine::Text(l.to_string()))).collect() };
    w.logs.insert(
        ("0b6f5a0e-7c1d-4e0a-9a55-3f1c2d4b5e61".into(), "nginx".into()),
        vec![log(&["/docker-entrypoint.sh: Configuration complete; ready for start up", "10.244.1.1 - - [01/Jan/2026:00:00:15 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"kube-probe/1.34\" \"-\""], 0, 10 * S)],
    );
    w.logs.insert(
        ("6d2e9f41-0c3b-4b7e-8d1a-2c5e7f9a1b3d".into(), "app".into()),
        (0..4).map(|i| log(&["starting", &format!("boom (run {i})")], i, 8 * S)).collect(),
    );
    w.logs.insert(
        ("5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d".into(), "app".into()),
        vec![log(&[], 0, 57 * S)],
    );
    w
}

fn opts() -> GetOptions {
    GetOptions::default()
}

#[test]
fn get_pods_tables() {
    let w = world();
    let now = w.now_ms;
    golden("get_pods", &show(&printers::get_pods(&w, now, &opts())));
    golden("get_pods_wide", &show(&printers::get_pods(&w, now, &GetOptions { output: OutputFormat::Wide, ..opts() })));
    golden("get_pods_all_namespaces_labels", &show(&printers::get_pods(&w, now, &GetOptions { all_namespaces: true, show_labels: true, ..opts() })));
    golden("get_pods_selector", &show(&printers::get_pods(&w, now, &GetOptions { selector: "app in (web, db),tier!=backend".into(), ..opts() })));
    golden("get_pods_empty_namespace", &show(&printers::get_pods(&w, now, &GetOptions { namespace: Some("kube-system".into()), ..opts() })));
    golden("get_pods_empty_all", &show(&printers::get_pods(&w, now, &GetOptions { all_namespaces: true, selector: "nothing=here".into(), ..opts() })));
    golden("get_pod_not_found", &show(&printers::get_pods(&w, now, &GetOptions { name: Some("nope".into()), ..opts() })));
    golden("get_pods_bad_selector", &show(&printers::get_pods(&w, now, &GetOptions { selector: "app in".into(), ..opts() })));
}

#[test]
fn get_pods_watch() {
    let mut w = world();
    let mut p = std::sync::Arc::unwrap_or_clone(w.pods.remove(&ObjectKey::new("dev", "stopping")).unwrap());
    let mut watch = PodWatch::new(GetOptions { namespace: Some("dev".into()), ..opts() });
    let mut out = watch.start(&w, 0);
    out.push_str("--- (no pods at first: nothing printed until the first event)\n");
    p.meta.deletion_ms = None;
    p.spec_mut().node_name.clear();
    p.status = PodStatus { qos_class: "BestEffort".into(), ..Default::default() };
    let clock = |t: SimTime| Clock::new(DEFAULT_EPOCH_UNIX_MS, DEFAULT_EPOCH_UNIX_MS + t as i64);
    out.push_str(&watch.row(&p, &clock(60 * S)));
    p.spec_mut().node_name = "worker-1".into();
    out.push_str(&watch.row(&p, &clock(61 * S)));
    p.status.container_statuses = vec![ContainerStatus {
        name: "sleeper".into(),
        image: "busybox:1.36".into(),
        state: ContainerState::Waiting { reason: "ContainerCreating".into(), message: String::new() },
        started: Some(false),
        ..Default::default()
    }];
    out.push_str(&watch.row(&p, &clock(61 * S)));
    p.status.phase = Phase::Running;
    p.status.container_statuses[0].state = ContainerState::Running { started_ms: 63 * S };
    p.status.container_statuses[0].ready = true;
    p.status.conditions = vec![cond("Ready", true, 63 * S)];
    out.push_str(&watch.row(&p, &clock(63 * S)));
    // another namespace: filtered out
    out.push_str(&watch.row(&w.pods[&ObjectKey::new("default", "web")], &clock(64 * S)));
    // a pod with a longer name widens the NAME column from here on
    p.meta.name = "stopping-with-a-much-longer-name".into();
    out.push_str(&watch.row(&p, &clock(70 * S)));
    p.meta.name = "stopping".into();
    p.meta.deletion_ms = Some(5 * M);
    out.push_str(&watch.row(&p, &clock(4 * M + 30 * S)));
    golden("get_pods_watch", &out);

    // A watch that starts with pods prints the table first.
    w.now_ms = 5 * M;
    let mut watch = PodWatch::new(GetOptions { output: OutputFormat::Wide, ..opts() });
    let mut out = watch.start(&w, w.now_ms);
    let mut crash = Pod::clone(&w.pods[&ObjectKey::new("default", "crash")]);
    crash.status.container_statuses[0].state = ContainerState::Running { started_ms: 5 * M + 10 * S };
    crash.status.container_statuses[0].restart_count = 4;
    out.push_str(&watch.row(&crash, &clock(5 * M + 10 * S)));
    golden("get_pods_watch_wide", &out);
}

#[test]
fn other_tables() {
    let mut w = world();
    let now = w.now_ms;
    golden("get_nodes", &show(&printers::get_nodes(&w, now, &opts())));
    w.nodes.get_mut("worker-2").unwrap().spec.unschedulable = true;
    w.nodes.get_mut("worker-1").unwrap().status.conditions[3].status = "Unknown".into();
    golden("get_nodes_wide_cordoned", &show(&printers::get_nodes(&w, now, &GetOptions { output: OutputFormat::Wide, ..opts() })));
    let w = world();
    golden("get_events", &show(&printers::get_events(&w, now, &opts())));
    golden("get_events_all_namespaces", &show(&printers::get_events(&w, now, &GetOptions { all_namespaces: true, ..opts() })));
    golden("get_services", &show(&printers::get_services(&w, now, &GetOptions { output: OutputFormat::Wide, ..opts() })));
    golden("get_namespaces", &show(&printers::get_namespaces(&w, now, &opts())));
}

#[test]
fn describe() {
    let w = world();
    let now = w.now_ms;
    for name in ["web", "crash", "init-demo", "pending", "done", "sidecar"] {
        golden(&format!("describe_pod_{}", name.replace('-', "_")), &show(&printers::describe_pod(&w, now, "default", name)));
    }
    golden("describe_pod_stopping", &show(&printers::describe_pod(&w, now, "dev", "stopping")));
    golden("describe_pod_not_found", &show(&printers::describe_pod(&w, now, "default", "ghost")));
    golden("describe_node_worker_1", &show(&printers::describe_node(&w, now, "worker-1")));
    golden("describe_node_control_plane", &show(&printers::describe_node(&w, now, "control-plane")));
}

/// A pod using most describe features: probes, env sources, ports, volumes of several kinds,
/// readiness gates, an owner, a priority class, a nomination, an OOM-killed last state.
fn kitchen_sink() -> Pod {
    let mut c = container("app", "polinux/stress:1.0.4");
    c.command = vec!["stress".into()];
    c.args = vec!["--vm".into(), "1".into(), "--vm-bytes".into(), "250M".into(), "--vm-hang".into(), "1".into()];
    c.ports = vec![
        ContainerPort { name: "http".into(), container_port: 8080, host_port: 0, protocol: "TCP".into() },
        ContainerPort { name: "dns".into(), container_port: 53, host_port: 5353, protocol: "UDP".into() },
    ];
    let probe = |h: Handler, delay| Probe {
        handler: h,
        initial_delay_seconds: delay,
        timeout_seconds: 1,
        period_seconds: 10,
        success_threshold: 1,
        failure_threshold: 3,
        termination_grace_period_seconds: None,
    };
    c.liveness_probe = Some(probe(Handler::Exec { command: vec!["cat".into(), "/tmp/healthy".into()] }, 5));
    c.startup_probe = Some(probe(
        Handler::HttpGet { path: "/healthz".into(), port: PortRef::Name("http".into()), host: String::new(), scheme: "HTTP".into(), headers: vec![] },
        0,
    ));
    c.readiness_probe = Some(probe(Handler::TcpSocket { port: PortRef::Number(8080), host: String::new() }, 0));
    c.limits = [("memory", "100Mi")].iter().map(|(k, v)| (k.to_string(), q(v))).collect();
    c.requests = [("memory", "50Mi"), ("cpu", "0.25")].iter().map(|(k, v)| (k.to_string(), q(v))).collect();
    c.env = vec![
        EnvVar { name: "MODE".into(), value: EnvValue::Literal("line one\nline two".into()) },
        EnvVar { name: "NODE".into(), value: EnvValue::FieldRef("spec.nodeName".into()) },
        EnvVar { name: "CPU".into(), value: EnvValue::ResourceFieldRef { container: "app".into(), resource: "limits.cpu".into() } },
        EnvVar { name: "LEVEL".into(), value: EnvValue::ConfigMapKey { name: "settings".into(), key: "level".into(), optional: false } },
        EnvVar { name: "TOKEN".into(), value: EnvValue::SecretKey { name: "creds".into(), key: "token".into(), optional: true } },
    ];
    c.volume_mounts.push(VolumeMount { name: "cache".into(), mount_path: "/cache".into(), read_only: false, sub_path: String::new() });
    c.volume_mounts.push(VolumeMount { name: "config".into(), mount_path: "/etc/app".into(), read_only: true, sub_path: "app.conf".into() });
    let mut p = pod("dev", "kitchen", "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d", 20 * S, vec![c]);
    p.meta.labels = labels(&[("app", "stress"), ("team", "blue")]);
    p.meta.annotations = labels(&[
        ("note", "short"),
        ("description", &"a long annotation value that keeps going ".repeat(5)),
        ("kubectl.kubernetes.io/last-applied-configuration", "{\"apiVersion\":\"v1\"}\n"),
    ]);
    p.spec_mut().priority = 1000;
    p.spec_mut().priority_class_name = "high".into();
    p.spec_mut().node_selector = labels(&[("disktype", "ssd")]).into();
    p.spec_mut().readiness_gates = vec!["example.com/feature-1".into()];
    p.spec_mut().tolerations.push(Toleration { key: String::new(), operator: "Exists".into(), value: String::new(), effect: String::new(), toleration_seconds: None });
    p.spec_mut().tolerations.push(Toleration { key: "gpu".into(), operator: "Equal".into(), value: "true".into(), effect: "NoSchedule".into(), toleration_seconds: None });
    p.spec_mut().volumes.push(Volume { name: "cache".into(), source: VolumeSource::EmptyDir { medium: "Memory".into() } });
    p.spec_mut().volumes.push(Volume { name: "config".into(), source: VolumeSource::ConfigMap { name: "settings".into(), optional: false } });
    p.spec_mut().volumes.push(Volume { name: "host".into(), source: VolumeSource::HostPath { path: "/var/log".into() } });
    p.spec_mut().volumes.push(Volume { name: "creds".into(), source: VolumeSource::Secret { name: "creds".into(), optional: true } });
    p.spec_mut().volumes.push(Volume { name: "data".into(), source: VolumeSource::Other { kind: "persistentVolumeClaim".into() } });
    std::sync::Arc::make_mut(&mut p.source)["metadata"] = serde_json::json!({"ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "kitchen-5d8f7", "uid": "x", "controller": true}]});
    let vols = std::sync::Arc::make_mut(&mut p.source)["spec"]["volumes"].as_array_mut().unwrap();
    vols.push(serde_json::json!({"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "0.5Gi"}}));
    vols.push(serde_json::json!({"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}}));
    vols.push(serde_json::json!({"name": "data", "persistentVolumeClaim": {"claimName": "data-pvc"}}));
    std::sync::Arc::make_mut(&mut p.source)["spec"]["containers"] = serde_json::json!([{"name": "app", "envFrom": [{"configMapRef": {"name": "settings"}}, {"prefix": "S_", "secretRef": {"name": "creds", "optional": true}}]}]);
    std::sync::Arc::make_mut(&mut p.source)["spec"]["resources"] = serde_json::json!({"limits": {"memory": "1Gi"}});
    bind(&mut p, "worker-2", "10.0.0.12", "10.244.2.20", 21 * S);
    p.status.phase = Phase::Running;
    p.status.nominated_node_name = "worker-1".into();
    p.status.qos_class = "Burstable".into();
    let mut st = running_status("app", "polinux/stress:1.0.4", "0ff1ce0ff1ce", 2 * M);
    st.restart_count = 2;
    st.ready = false;
    st.last_state = ContainerState::Terminated(Terminated {
        exit_code: 137,
        signal: 9,
        reason: "OOMKilled".into(),
        message: String::new(),
        started_ms: Some(M),
        finished_ms: M + 30 * S,
        container_id: "beefbeefbeef".into(),
    });
    p.status.container_statuses = vec![st];
    healthy_conditions(&mut p, 21 * S);
    p.status.conditions.insert(0, PodCondition::new("example.com/feature-1", false, "", "", 21 * S));
    p
}

#[test]
fn describe_kitchen_sink() {
    let mut w = world();
    let p = kitchen_sink();
    let key = ObjectKey::new("dev", "kitchen");
    w.pods.insert(key.clone(), std::sync::Arc::new(p));
    let now = w.now_ms;
    golden("describe_pod_kitchen_sink", &show(&printers::describe_pod(&w, now, "dev", "kitchen")));
    golden(
        "get_pod_kitchen_sink_wide",
        &show(&printers::get_pods(&w, now, &GetOptions { namespace: Some("dev".into()), output: OutputFormat::Wide, show_labels: true, ..opts() })),
    );
    golden("get_pod_kitchen_sink_yaml", &show(&printers::get_pods(&w, now, &GetOptions { namespace: Some("dev".into()), name: Some("kitchen".into()), output: OutputFormat::Yaml, ..opts() })));
}

#[test]
fn objects() {
    let w = world();
    let now = w.now_ms;
    golden("get_pod_web_yaml", &show(&printers::get_pods(&w, now, &GetOptions { name: Some("web".into()), output: OutputFormat::Yaml, ..opts() })));
    golden("get_pod_crash_json", &show(&printers::get_pods(&w, now, &GetOptions { name: Some("crash".into()), output: OutputFormat::Json, ..opts() })));
    golden("get_pod_pending_yaml", &show(&printers::get_pods(&w, now, &GetOptions { name: Some("pending".into()), output: OutputFormat::Yaml, ..opts() })));
    golden("get_pods_list_json", &show(&printers::get_pods(&w, now, &GetOptions { selector: "run in (done, sidecar)".into(), output: OutputFormat::Json, ..opts() })));
    golden("get_pods_list_yaml_empty", &show(&printers::get_pods(&w, now, &GetOptions { namespace: Some("kube-system".into()), output: OutputFormat::Yaml, ..opts() })));
}

#[test]
fn logs() {
    let mut w = world();
    let mut out = String::new();
    let mut case = |title: &str, p: printers::Printed| {
        out.push_str(&format!("=== {title}\n"));
        out.push_str(&show(&p));
    };
    case("logs web", printers::logs(&w, "default", "web", None, false));
    case("logs crash (waiting: last run)", printers::logs(&w, "default", "crash", None, false));
    case("logs crash --previous", printers::logs(&w, "default", "crash", None, true));
    case("logs web --previous", printers::logs(&w, "default", "web", None, true));
    case("logs sidecar (defaulted)", printers::logs(&w, "default", "sidecar", None, false));
    case("logs sidecar -c nope", printers::logs(&w, "default", "sidecar", Some("nope"), false));
    case("logs init-demo (waiting)", printers::logs(&w, "default", "init-demo", Some("myapp-container"), false));
    case("logs pending (unscheduled)", printers::logs(&w, "default", "pending", None, false));
    case("logs ghost", printers::logs(&w, "default", "ghost", None, false));
    w.pods.modify(&ObjectKey::new("default", "crash"), |p| {
        p.status.container_statuses[0].state = ContainerState::Waiting { reason: "ImagePullBackOff".into(), message: String::new() };
        p.status.container_statuses[0].last_state = ContainerState::None;
    });
    case("logs image pull back-off", printers::logs(&w, "default", "crash", None, false));
    golden("logs", &out);
}

#[test]
fn print_pods_without_a_world() {
    let w = world();
    let pods: Vec<Pod> = w.pods.values().map(|p| Pod::clone(p)).collect();
    let clock = Clock::new(DEFAULT_EPOCH_UNIX_MS, DEFAULT_EPOCH_UNIX_MS + (10 * M) as i64);
    golden("print_pods", &show(&printers::print_pods(&pods, &clock, &GetOptions { all_namespaces: true, ..opts() })));
}

#[test]
fn outputs_are_deterministic() {
    let a = world();
    let b = world();
    for (x, y) in [
        (printers::describe_pod(&a, a.now_ms, "default", "crash"), printers::describe_pod(&b, b.now_ms, "default", "crash")),
        (printers::get_events(&a, a.now_ms, &opts()), printers::get_events(&b, b.now_ms, &opts())),
    ] {
        assert_eq!(x, y);
    }
}
