//! Behaviour tests for the shell, driven through the public API with [`FakeHost`]: the
//! Kubernetes documentation examples, signal semantics, suspension inside every construct, the
//! busybox/bash messages, and a garbage-input run that must never panic.

use std::collections::BTreeMap;

use super::testing::{argv, FakeHost, FakeProgram};
use super::*;

fn spawn(host: &FakeHost, words: &[&str]) -> Process {
    match Process::spawn(&argv(words), &BTreeMap::new(), host) {
        Ok(p) => p,
        Err(e) => panic!("spawn failed: {e}"),
    }
}

fn sh(host: &FakeHost, script: &str) -> Process {
    spawn(host, &["sh", "-c", script])
}

fn at(p: &mut Process, host: &mut FakeHost, t: u64) -> Step {
    host.now_ms = t;
    p.run(host)
}

/// Runs a script that must finish without waiting; returns (code, stdout, stderr).
fn quick(script: &str) -> (i32, String, String) {
    quick_with(FakeHost::busybox(), &["sh", "-c", script])
}

fn quick_with(mut host: FakeHost, words: &[&str]) -> (i32, String, String) {
    let mut p = spawn(&host, words);
    let mut t = host.now_ms;
    for _ in 0..10_000 {
        match p.run(&mut host) {
            Step::Exited { code } => return (code, host.stdout, host.stderr),
            Step::Sleeping { wake_at_ms } => {
                t = wake_at_ms;
                host.now_ms = t;
            }
            other => panic!("script blocked: {other:?}; stdout so far: {:?} stderr: {:?}", host.stdout, host.stderr),
        }
    }
    panic!("script did not finish by {t}");
}

fn out(script: &str) -> String {
    quick(script).1
}

// ------------------------------------------------------------------ the docs' examples

#[test]
fn liveness_exec_example() {
    // https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
    let mut host = FakeHost::busybox();
    let mut p = spawn(&host, &["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]);
    assert_eq!(at(&mut p, &mut host, 0), Step::Sleeping { wake_at_ms: 30_000 });
    assert!(host.files.contains_key("/tmp/healthy"));
    // The probe sees the file while the first sleep runs.
    let probe = run_command(&argv(&["cat", "/tmp/healthy"]), &BTreeMap::new(), &mut host, 1000);
    assert_eq!(probe.status, CompletionStatus::Exited(0));
    // SIGTERM to PID 1 without a trap is ignored.
    host.now_ms = 10_000;
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Sleeping { wake_at_ms: 30_000 });
    assert_eq!(at(&mut p, &mut host, 30_000), Step::Sleeping { wake_at_ms: 630_000 });
    assert!(!host.files.contains_key("/tmp/healthy"));
    let probe = run_command(&argv(&["cat", "/tmp/healthy"]), &BTreeMap::new(), &mut host, 1000);
    assert_eq!(probe.status, CompletionStatus::Exited(1));
    assert_eq!(probe.output, "cat: can't open '/tmp/healthy': No such file or directory\n");
    host.now_ms = 40_000;
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Sleeping { wake_at_ms: 630_000 });
    assert_eq!(p.deliver_signal(Signal::Kill, &mut host), Step::Exited { code: 137 });
    assert_eq!(p.run(&mut host), Step::Exited { code: 137 });
    assert_eq!(host.log, "");
}

#[test]
fn for_loop_with_sleeps_suspends_inside_the_loop() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "for i in 1 2 3; do echo $i; sleep 1; done");
    assert_eq!(at(&mut p, &mut host, 0), Step::Sleeping { wake_at_ms: 1000 });
    assert_eq!(host.stdout, "1\n");
    assert_eq!(at(&mut p, &mut host, 500), Step::Sleeping { wake_at_ms: 1000 });
    assert_eq!(at(&mut p, &mut host, 1000), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(host.stdout, "1\n2\n");
    assert_eq!(at(&mut p, &mut host, 2000), Step::Sleeping { wake_at_ms: 3000 });
    assert_eq!(at(&mut p, &mut host, 3000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "1\n2\n3\n");
}

#[test]
fn init_container_until_nslookup() {
    // https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
    let script = "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done";
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, script);
    assert_eq!(at(&mut p, &mut host, 0), Step::Sleeping { wake_at_ms: 2000 });
    assert!(host.stderr.contains("nslookup: can't resolve 'myservice.default.svc.cluster.local'\n"), "{}", host.stderr);
    assert!(host.stdout.contains("Server:    10.96.0.10\n"));
    assert!(host.stdout.ends_with("waiting for myservice\n"));
    assert_eq!(at(&mut p, &mut host, 2000), Step::Sleeping { wake_at_ms: 4000 });
    host.dns.insert("myservice.default.svc.cluster.local".into(), "10.96.7.7".into());
    assert_eq!(at(&mut p, &mut host, 4000), Step::Exited { code: 0 });
    assert!(host.stdout.contains("Name:      myservice.default.svc.cluster.local\nAddress 1: 10.96.7.7 myservice.default.svc.cluster.local\n"));
}

#[test]
fn emptydir_producer_consumer_with_tail_f() {
    // Seed 003: two containers share /producer_dir ↔ /consumer_dir (one volume here).
    let mut host = FakeHost::busybox().with_programs(&["bash"]);
    host.dirs.insert("/data".into());
    let mut producer = spawn(&host, &["bash", "-c", "for i in {1..3};do echo $i >> /data/hello;sleep 1;done"]);
    assert_eq!(at(&mut producer, &mut host, 0), Step::Sleeping { wake_at_ms: 1000 });
    let producer_log = std::mem::take(&mut host.stdout);
    assert_eq!(producer_log, "");
    let mut consumer = spawn(&host, &["bash", "-c", "tail -f /data/hello"]);
    assert_eq!(consumer.run(&mut host), Step::Blocked);
    assert_eq!(host.stdout, "1\n");
    host.now_ms = 1000;
    producer.run(&mut host);
    assert_eq!(consumer.file_changed("/data/hello", &mut host), Step::Blocked);
    assert_eq!(host.stdout, "1\n2\n");
    host.now_ms = 2000;
    producer.run(&mut host);
    consumer.file_changed("/data/hello", &mut host);
    assert_eq!(host.stdout, "1\n2\n3\n");
    assert_eq!(at(&mut producer, &mut host, 3000), Step::Exited { code: 0 });
    // tail -f never ends by itself; SIGTERM is ignored by PID 1.
    assert_eq!(consumer.deliver_signal(Signal::Term, &mut host), Step::Blocked);
}

#[test]
fn tail_f_of_a_missing_file_fails() {
    let (code, _, err) = quick("tail -f /nope");
    assert_eq!(code, 1);
    assert_eq!(err, "tail: can't open '/nope': No such file or directory\ntail: no files\n");
}

#[test]
fn tail_f_dev_null_keeps_the_container_alive() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "tail -f /dev/null");
    assert_eq!(p.run(&mut host), Step::Blocked);
}

#[test]
fn stress_oom_and_within_limit() {
    // https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/
    let mut host = FakeHost::busybox().with_programs(&["stress"]);
    host.memory_limit = Some(100 << 20);
    let mut p = spawn(&host, &["stress", "--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]);
    assert_eq!(p.run(&mut host), Step::OomKilled);
    assert_eq!(host.stdout, "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n");

    let mut host = FakeHost::busybox().with_programs(&["stress"]);
    host.memory_limit = Some(200 << 20);
    let mut p = spawn(&host, &["stress", "--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]);
    assert_eq!(p.run(&mut host), Step::Blocked);
    assert_eq!(host.memory_used, 150 << 20);

    let mut host = FakeHost::busybox().with_programs(&["stress"]);
    let mut p = spawn(&host, &["stress", "--cpu", "1", "--timeout", "10s"]);
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 10_000 });
    assert_eq!(at(&mut p, &mut host, 10_000), Step::Exited { code: 0 });
    assert!(host.stdout.ends_with("stress: info: [1] successful run completed in 10s\n"));
}

#[test]
fn tail_dev_zero_eats_memory_until_oom() {
    let mut host = FakeHost::busybox();
    host.memory_limit = Some(1 << 30);
    let mut p = sh(&host, "tail /dev/zero");
    let mut t = 0;
    loop {
        match at(&mut p, &mut host, t) {
            Step::Sleeping { wake_at_ms } => t = wake_at_ms,
            Step::OomKilled => break,
            other => panic!("{other:?}"),
        }
        assert!(t < 10_000);
    }
    assert!(t >= 300, "memory grows over time, not at once: {t}");
}

// ------------------------------------------------------------------ signals

#[test]
fn sigterm_without_trap_is_ignored_by_pid1() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "sleep 600");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 600_000 });
    host.now_ms = 1000;
    for sig in [Signal::Term, Signal::Int, Signal::Hup, Signal::Quit] {
        assert_eq!(p.deliver_signal(sig, &mut host), Step::Sleeping { wake_at_ms: 600_000 });
    }
    assert_eq!(p.deliver_signal(Signal::Kill, &mut host), Step::Exited { code: 137 });
}

#[test]
fn trap_is_deferred_until_the_foreground_sleep_ends() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "trap 'echo bye; exit 0' TERM; sleep 600");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 600_000 });
    assert!(p.traps_signal(Signal::Term));
    host.now_ms = 5000;
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Sleeping { wake_at_ms: 600_000 });
    assert_eq!(host.stdout, "");
    assert_eq!(at(&mut p, &mut host, 600_000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "bye\n");
}

#[test]
fn trap_interrupts_wait_at_once() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "trap 'echo bye; exit 0' TERM; sleep 600 & wait");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 600_000 });
    host.now_ms = 5000;
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "bye\n");
}

#[test]
fn trap_without_exit_lets_the_script_continue() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "trap 'echo got TERM' TERM; sleep 600 & wait; echo \"wait returned $?\"; sleep 1; echo end");
    p.run(&mut host);
    host.now_ms = 100;
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Sleeping { wake_at_ms: 1100 });
    assert_eq!(host.stdout, "got TERM\nwait returned 143\n");
    assert_eq!(at(&mut p, &mut host, 1100), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "got TERM\nwait returned 143\nend\n");
}

#[test]
fn bare_exit_in_trap_uses_the_interrupted_status() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "trap exit TERM; sleep 600 & wait");
    p.run(&mut host);
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Exited { code: 143 });
}

#[test]
fn trap_reset_and_sigterm_name_forms() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "trap 'exit 9' SIGTERM; trap - TERM; sleep 600 & wait");
    p.run(&mut host);
    assert!(!p.traps_signal(Signal::Term));
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Sleeping { wake_at_ms: 600_000 });
    let mut p = sh(&host, "trap 'echo t' 15; trap; sleep 1");
    p.run(&mut host);
    assert_eq!(host.stdout, "trap -- 'echo t' TERM\n");
}

#[test]
fn exit_trap_runs_on_exit() {
    assert_eq!(quick("trap 'echo cleanup' EXIT; echo work; exit 4"), (4, "work\ncleanup\n".into(), String::new()));
    assert_eq!(out("trap 'echo cleanup' EXIT; echo work"), "work\ncleanup\n");
}

#[test]
fn trap_function_handler() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "cleanup() { echo \"stopping $1\"; exit 0; }\ntrap 'cleanup now' TERM INT\nwhile true; do sleep 1; done");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 1000 });
    host.now_ms = 500;
    assert_eq!(p.deliver_signal(Signal::Int, &mut host), Step::Sleeping { wake_at_ms: 1000 });
    assert_eq!(at(&mut p, &mut host, 1000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "stopping now\n");
}

#[test]
fn kill_a_background_job() {
    let (code, stdout, _) = quick("sleep 100 & pid=$!; kill $pid; wait $pid; echo \"status $?\"");
    assert_eq!((code, stdout.as_str()), (0, "status 143\n"));
    let (_, stdout, _) = quick("sleep 100 & kill -9 $!; wait $!; echo $?");
    assert_eq!(stdout, "137\n");
    let (_, stdout, _) = quick("(trap 'echo job got it; exit 3' TERM; sleep 5) & sleep 1; kill $!; wait $!; echo $?");
    assert_eq!(stdout, "job got it\n3\n");
    let (code, _, stderr) = quick("kill 4242");
    assert_eq!((code, stderr.as_str()), (1, "sh: can't kill pid 4242: No such process\n"));
    // PID 1 cannot be killed from inside without a handler, not even with SIGKILL.
    assert_eq!(quick("kill -9 $$; echo alive"), (0, "alive\n".into(), String::new()));
}

// ------------------------------------------------------------------ image programs

fn nginx_host() -> FakeHost {
    FakeHost::busybox().with_image_program(
        "nginx",
        FakeProgram { start_log: vec!["nginx started".into()], exit: None, on_term: Some(ProgramExit { after_ms: 100, code: 0 }) },
    )
}

#[test]
fn exec_form_server_is_pid1_and_handles_sigterm() {
    let mut host = nginx_host();
    let mut p = spawn(&host, &["nginx", "-g", "daemon off;"]);
    assert_eq!(p.run(&mut host), Step::Blocked);
    assert_eq!(host.stdout, "nginx started\n");
    assert!(p.pid1_program().is_some());
    host.now_ms = 1000;
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Sleeping { wake_at_ms: 1100 });
    assert_eq!(host.signals, vec![(1, Signal::Term, true)]);
    assert_eq!(at(&mut p, &mut host, 1100), Step::Exited { code: 0 });
}

#[test]
fn sh_execs_a_server_in_tail_position_but_not_with_traps() {
    let mut host = nginx_host();
    let mut p = sh(&host, "echo starting; nginx -g 'daemon off;'");
    assert_eq!(p.run(&mut host), Step::Blocked);
    assert!(p.pid1_program().is_some());
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Sleeping { wake_at_ms: 100 });

    // With a trap the shell stays PID 1, nginx is its child and never sees SIGTERM.
    let mut host = nginx_host();
    let mut p = sh(&host, "trap 'echo bye' TERM; nginx");
    assert_eq!(p.run(&mut host), Step::Blocked);
    assert!(p.pid1_program().is_none());
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Blocked);
    assert_eq!(host.stdout, "nginx started\n");

    // Not the last command: a child too.
    let mut host = nginx_host();
    let mut p = sh(&host, "nginx; echo after");
    assert_eq!(p.run(&mut host), Step::Blocked);
    assert!(p.pid1_program().is_none());

    // `exec` always replaces the shell.
    let mut host = nginx_host();
    let mut p = sh(&host, "trap 'echo bye' TERM; exec nginx");
    p.run(&mut host);
    assert!(p.pid1_program().is_some());
}

#[test]
fn background_server_and_kill() {
    let mut host = nginx_host();
    let mut p = sh(&host, "nginx & sleep 2; kill $!; wait $!; echo \"nginx exited $?\"");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(at(&mut p, &mut host, 2000), Step::Sleeping { wake_at_ms: 2100 });
    assert_eq!(host.signals, vec![(1, Signal::Term, false)]);
    assert_eq!(at(&mut p, &mut host, 2100), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "nginx started\nnginx exited 0\n");
    assert_eq!(host.stopped, vec![1]);
}

#[test]
fn unsimulated_programs_succeed_silently() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "sed -i s/a/b/ /etc/x; echo $?");
    assert_eq!(p.run(&mut host), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "0\n");
    assert_eq!(host.unsimulated, vec![argv(&["sed", "-i", "s/a/b/", "/etc/x"])]);
}

// ------------------------------------------------------------------ spawn and errors

#[test]
fn spawn_errors_use_the_runtime_words() {
    let host = FakeHost::busybox();
    let e = Process::spawn(&argv(&["bash", "-c", "echo hi"]), &BTreeMap::new(), &host).err();
    assert_eq!(e.map(|e| e.to_string()).as_deref(), Some("exec: \"bash\": executable file not found in $PATH"));
    let e = Process::spawn(&argv(&["/bin/bash"]), &BTreeMap::new(), &host).err();
    assert_eq!(e.map(|e| e.to_string()).as_deref(), Some("exec: \"/bin/bash\": stat /bin/bash: no such file or directory"));
    assert_eq!(Process::spawn(&[], &BTreeMap::new(), &host).err(), Some(SpawnError::NoCommand));
    assert!(Process::spawn(&argv(&["cd", "/"]), &BTreeMap::new(), &host).is_err());
}

#[test]
fn bare_sh_without_stdin_exits_zero() {
    assert_eq!(quick_with(FakeHost::busybox(), &["sh"]), (0, String::new(), String::new()));
}

#[test]
fn command_not_found_per_dialect() {
    assert_eq!(quick("foo bar"), (127, String::new(), "sh: foo: not found\n".into()));
    let host = FakeHost::busybox().with_programs(&["bash"]);
    assert_eq!(quick_with(host, &["bash", "-c", "echo a\nfoo"]).2, "bash: line 2: foo: command not found\n");
    let host = FakeHost::busybox().with_programs(&["dash"]);
    assert_eq!(quick_with(host, &["dash", "-c", "foo"]).2, "dash: 1: foo: not found\n");
    // wget is not in the image: not found, even though the simulator knows wget.
    let host = FakeHost::busybox().without_programs(&["wget"]);
    assert_eq!(quick_with(host, &["/bin/sh", "-c", "wget -q -O- http://x"]).2, "/bin/sh: wget: not found\n");
}

#[test]
fn syntax_errors_busybox_and_bash() {
    assert_eq!(quick("if true; then echo x; fi fi"), (2, String::new(), "sh: syntax error: unexpected \"fi\"\n".into()));
    assert_eq!(quick("while true; do echo").2, "sh: syntax error: unexpected end of file (expecting \"done\")\n");
    assert_eq!(quick("if true; echo x; fi").2, "sh: syntax error: unexpected \"fi\" (expecting \"then\")\n");
    assert_eq!(quick("echo 'oops").2, "sh: syntax error: unterminated quoted string\n");
    assert_eq!(quick("echo a; ;").2, "sh: syntax error: unexpected \";\"\n");
    // Line by line: the first line runs before the error on the second.
    assert_eq!(quick("echo first\nfi"), (2, "first\n".into(), "sh: syntax error: unexpected \"fi\"\n".into()));
    let host = FakeHost::busybox().with_programs(&["bash"]);
    let (code, _, err) = quick_with(host, &["bash", "-c", "if true; then echo x; fi fi"]);
    assert_eq!(code, 2);
    assert_eq!(err, "bash: -c: line 1: syntax error near unexpected token `fi'\nbash: -c: line 1: `if true; then echo x; fi fi'\n");
}

#[test]
fn exit_codes() {
    assert_eq!(quick("exit 1").0, 1);
    assert_eq!(quick("exit 256").0, 0);
    assert_eq!(quick("false").0, 1);
    assert_eq!(quick("false; true").0, 0);
    assert_eq!(quick("exit abc"), (2, String::new(), "sh: exit: Illegal number: abc\n".into()));
    assert_eq!(quick("(exit 7); echo $?").1, "7\n");
    assert_eq!(quick("sh -c 'exit 5'; echo $?").1, "5\n");
}

// ------------------------------------------------------------------ the language

#[test]
fn pipelines() {
    assert_eq!(out("echo hello world | wc -w"), "2\n");
    assert_eq!(out("printf 'a\\nb\\nc\\n' | grep b"), "b\n");
    assert_eq!(out("echo abc | tr a-z A-Z | cat"), "ABC\n");
    assert_eq!(out("seq 5 | tail -n 2"), "4\n5\n");
    assert_eq!(out("! false; echo $?"), "0\n");
    assert_eq!(out("false | true; echo $?"), "0\n");
    assert_eq!(out("set -o pipefail; false | true; echo $?"), "1\n");
    assert_eq!(out("echo x | (read a; echo got $a)"), "got x\n");
    assert_eq!(out("printf 'a\\nb\\n' | while read l; do echo \"[$l]\"; done"), "[a]\n[b]\n");
}

#[test]
fn pipeline_last_stage_suspends() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "echo hi | { read x; sleep 2; echo got $x; }; echo done");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(at(&mut p, &mut host, 2000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "got hi\ndone\n");
}

#[test]
fn command_substitution_and_arithmetic() {
    assert_eq!(out("x=$(echo 5); echo $((x * 2 + 1))"), "11\n");
    assert_eq!(out("echo `echo a` $(echo $(echo nested))"), "a nested\n");
    assert_eq!(out("i=0; i=$((i+1)); echo $i $((7 / 2)) $((7 % 3)) $((2 ** 8)) $(( (1+2) * 3 ))"), "1 3 1 256 9\n");
    assert_eq!(out("x=$(false); echo $?"), "1\n");
    assert_eq!(out("for f in $(seq 3); do echo -n $f; done; echo"), "123\n");
    assert_eq!(out("echo \"$(printf 'a\\n\\n')\"x"), "ax\n");
    assert_eq!(quick("echo $((1/0)); echo after"), (2, String::new(), "sh: divide by zero\n".into()));
    // Sleeps inside $(…) take virtual time (see the `subst_*` tests below).
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "x=$(sleep 5; echo slept); echo $x");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 5000 });
    assert_eq!(at(&mut p, &mut host, 5000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "slept\n");
}

// ------------------------------------------------------------------ time inside $(…)

#[test]
fn subst_sleep_takes_virtual_time_before_the_assignment() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "x=$(sleep 5; echo hi); echo \"$x\"");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 5000 });
    assert_eq!(host.stdout, "");
    // Calling early is harmless.
    assert_eq!(at(&mut p, &mut host, 4999), Step::Sleeping { wake_at_ms: 5000 });
    assert_eq!(host.stdout, "");
    assert_eq!(at(&mut p, &mut host, 5000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "hi\n");
    // Backticks too, and later sleeps start after the substitution's end.
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "x=`sleep 2; echo a`; sleep 1; echo $x");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(at(&mut p, &mut host, 2000), Step::Sleeping { wake_at_ms: 3000 });
    assert_eq!(at(&mut p, &mut host, 3000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "a\n");
}

#[test]
fn subst_two_in_one_command_add_their_waits_in_order() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "echo start; echo $(sleep 3; echo a) $(sleep 2; echo b); echo end");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 5000 });
    assert_eq!(host.stdout, "start\n");
    assert_eq!(at(&mut p, &mut host, 3000), Step::Sleeping { wake_at_ms: 5000 });
    assert_eq!(host.stdout, "start\n");
    assert_eq!(at(&mut p, &mut host, 5000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "start\na b\nend\n");
    // The second substitution sees the clock the first one left.
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "echo $(sleep 3; date +%s) $(date +%s)");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 3000 });
    assert_eq!(at(&mut p, &mut host, 3000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "1767225603 1767225603\n");
}

#[test]
fn subst_in_a_loop_advances_one_second_per_iteration() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "while true; do echo $(sleep 1; date); done");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 1000 });
    assert_eq!(host.stdout, "");
    assert_eq!(at(&mut p, &mut host, 1000), Step::Sleeping { wake_at_ms: 2000 });
    // (Unquoted: the date's double space is split away, as in any shell.)
    assert_eq!(host.stdout, "Thu Jan 1 00:00:01 UTC 2026\n");
    assert_eq!(at(&mut p, &mut host, 2000), Step::Sleeping { wake_at_ms: 3000 });
    assert_eq!(at(&mut p, &mut host, 3000), Step::Sleeping { wake_at_ms: 4000 });
    assert_eq!(host.stdout, "Thu Jan 1 00:00:01 UTC 2026\nThu Jan 1 00:00:02 UTC 2026\nThu Jan 1 00:00:03 UTC 2026\n");
    // $SECONDS inside and after the substitution.
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "for i in 1 2 3; do s=$(sleep 1; echo $SECONDS); echo $s $SECONDS; done");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 1000 });
    assert_eq!(at(&mut p, &mut host, 1000), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(at(&mut p, &mut host, 2000), Step::Sleeping { wake_at_ms: 3000 });
    assert_eq!(at(&mut p, &mut host, 3000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "1 1\n2 2\n3 3\n");
}

#[test]
fn subst_side_effects_happen_exactly_once() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "echo \"$(sleep 2; echo once >> /tmp/f; echo v)\" \"$(echo twice >> /tmp/f; sleep 1; echo w)\"; cat /tmp/f");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 3000 });
    assert_eq!(at(&mut p, &mut host, 3000), Step::Exited { code: 0 });
    assert_eq!(host.files.get("/tmp/f").map(String::as_str), Some("once\ntwice\n"));
    assert_eq!(host.stdout, "v w\nonce\ntwice\n");
    // $((…)) side effects of the same command are not repeated either.
    let (code, stdout, _) = quick("n=0; echo $((n+=1)) $(sleep 1; echo x) $((n+=1)); echo $n");
    assert_eq!((code, stdout.as_str()), (0, "1 x 2\n2\n"));
}

#[test]
fn subst_in_other_places_waits_too() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "for i in $(sleep 1; echo a b); do echo $i; done; case $(sleep 1; echo y) in y) echo yes;; esac");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 1000 });
    assert_eq!(host.stdout, "");
    assert_eq!(at(&mut p, &mut host, 1000), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(host.stdout, "a\nb\n");
    assert_eq!(at(&mut p, &mut host, 2000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "a\nb\nyes\n");
    // A here-document, a condition, `set -e` and `exit`.
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "cat <<EOF\n$(sleep 1; echo doc)\nEOF\nif [ \"$(sleep 1; echo ok)\" = ok ]; then echo cond; fi\nset -e; x=$(sleep 1; exit 5); echo never");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 1000 });
    assert_eq!(host.stdout, "");
    assert_eq!(at(&mut p, &mut host, 1000), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(host.stdout, "doc\n");
    assert_eq!(at(&mut p, &mut host, 2000), Step::Sleeping { wake_at_ms: 3000 });
    assert_eq!(host.stdout, "doc\ncond\n");
    assert_eq!(at(&mut p, &mut host, 3000), Step::Exited { code: 5 });
    assert_eq!(host.stdout, "doc\ncond\n");
}

#[test]
fn subst_nested_waits_add_up() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "echo $(echo $(sleep 1; echo in) $(sleep 2; echo mid); sleep 1; echo out)");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 4000 });
    assert_eq!(at(&mut p, &mut host, 4000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "in mid out\n");
    // Recursion through substitutions stays bounded.
    let (code, _, stderr) = quick("f() { sleep 1; echo $(f); }; f; echo end");
    assert_eq!(code, 0);
    assert!(stderr.contains("nested too deeply"), "{stderr}");
}

#[test]
fn subst_log_output_is_logged_at_its_time() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "x=$(echo early >&2; sleep 2; echo late >&2; sleep 1; echo v); echo \"end $x\"");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(host.stderr, "early\n");
    assert_eq!(at(&mut p, &mut host, 2000), Step::Sleeping { wake_at_ms: 3000 });
    assert_eq!(host.stderr, "early\nlate\n");
    assert_eq!(host.stdout, "");
    assert_eq!(at(&mut p, &mut host, 3000), Step::Exited { code: 0 });
    assert_eq!(host.log, "early\nlate\nend v\n");
}

#[test]
fn subst_in_a_background_job_waits_in_the_job() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "(x=$(sleep 2; echo job); echo $x) & echo main; sleep 5; echo done");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(host.stdout, "main\n");
    assert_eq!(at(&mut p, &mut host, 2000), Step::Sleeping { wake_at_ms: 5000 });
    assert_eq!(host.stdout, "main\njob\n");
    assert_eq!(at(&mut p, &mut host, 5000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "main\njob\ndone\n");
}

#[test]
fn subst_trapped_sigterm_runs_after_the_command() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "trap 'echo trapped; exit 7' TERM; echo \"got $(sleep 5; echo hi)\"; echo never");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 5000 });
    host.now_ms = 1000;
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Sleeping { wake_at_ms: 5000 });
    assert_eq!(host.stdout, "");
    assert_eq!(at(&mut p, &mut host, 5000), Step::Exited { code: 7 });
    assert_eq!(host.stdout, "got hi\ntrapped\n");
    // Without a trap PID 1 ignores SIGTERM and carries on.
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "x=$(sleep 5; echo hi); echo $x");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 5000 });
    host.now_ms = 1000;
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Sleeping { wake_at_ms: 5000 });
    assert_eq!(at(&mut p, &mut host, 5000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "hi\n");
}

#[test]
fn subst_sigkill_during_the_wait_gives_137() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "x=$(sleep 5; echo hi >&2); echo $x");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 5000 });
    host.now_ms = 2000;
    assert_eq!(p.deliver_signal(Signal::Kill, &mut host), Step::Exited { code: 137 });
    assert_eq!(at(&mut p, &mut host, 5000), Step::Exited { code: 137 });
    assert_eq!(host.log, "");
}

#[test]
fn subst_time_counts_against_run_to_completion_budget() {
    let mut host = FakeHost::busybox();
    host.now_ms = 10_000;
    let (code, _, _, elapsed, timed_out) = run_to_completion(&argv(&["sh", "-c", "x=$(sleep 5)"]), &BTreeMap::new(), &mut host, 1000);
    assert_eq!((code, elapsed, timed_out), (137, 1000, true));
    let (code, stdout, _, elapsed, timed_out) = run_to_completion(&argv(&["sh", "-c", "echo $(sleep 2; echo a) $(sleep 1; echo b)"]), &BTreeMap::new(), &mut host, 5000);
    assert_eq!((code, stdout.as_str(), elapsed, timed_out), (0, "a b\n", 3000, false));
    assert_eq!(host.now_ms, 10_000);
    assert_eq!(host.log, "");
}

#[test]
fn subst_runaway_loops_stay_bounded() {
    // A busy loop of instant substitutions is still parked by the step budget.
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "while :; do x=$(echo); done");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 1000 });
    // A substitution that would sleep forever is cut by its step budget after a while.
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "x=$(while :; do sleep 1; done); echo end");
    let Step::Sleeping { wake_at_ms } = p.run(&mut host) else { panic!("expected a wait") };
    assert!(wake_at_ms > 1000, "{wake_at_ms}");
    assert_eq!(host.stdout, "");
    assert_eq!(at(&mut p, &mut host, wake_at_ms), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "end\n");
}

#[test]
fn variables_and_quoting() {
    assert_eq!(out("X=1; echo $X ${X} \"$X\" '$X'"), "1 1 1 $X\n");
    assert_eq!(out("a='x  y'; echo $a; echo \"$a\""), "x y\nx  y\n");
    assert_eq!(out("echo ${U:-def} ${U:=set} $U ${#U} ${U:+alt}"), "def set set 3 alt\n");
    assert_eq!(out("f=/a/b/c.tar.gz; echo ${f##*/} ${f%.*} ${f%%.*} ${f#/a/}"), "c.tar.gz /a/b/c.tar /a/b/c b/c.tar.gz\n");
    assert_eq!(out("echo \"a\\\"b\" a\\ b 'it''s'"), "a\"b a b its\n");
    assert_eq!(out("echo $HOSTNAME; hostname"), "pod\npod\n");
    assert_eq!(out("echo $$ $#; set -- a b; echo $# $1 $2 \"$@\""), "1 0\n2 a b a b\n");
    assert_eq!(out("# comment\necho a # trailing\n"), "a\n");
    assert_eq!(out("export A=1; sh -c 'echo $A'; B=2; sh -c 'echo [$B]'"), "1\n[]\n");
    assert_eq!(out("V=x env | grep ^V="), "V=x\n");
    assert_eq!(out("echo ~ ~/x"), "/root /root/x\n");
    assert_eq!(quick("set -u; echo $NOPE").2, "sh: NOPE: parameter not set\n");
}

#[test]
fn environment_from_the_container() {
    let mut host = FakeHost::busybox();
    let mut env = BTreeMap::new();
    env.insert("GREETING".to_string(), "hello".to_string());
    env.insert("PWD".to_string(), "/tmp".to_string());
    let mut p = Process::spawn(&argv(&["sh", "-c", "echo $GREETING from $(pwd)"]), &env, &host).expect("spawn");
    assert_eq!(p.run(&mut host), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "hello from /tmp\n");
}

#[test]
fn control_flow() {
    assert_eq!(out("if false; then echo a; elif true; then echo b; else echo c; fi"), "b\n");
    assert_eq!(out("i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done"), "1\n2\n3\n");
    assert_eq!(out("i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i"), "2\n");
    assert_eq!(out("for i in 1 2 3 4; do [ $i = 3 ] && break; echo $i; done"), "1\n2\n");
    assert_eq!(out("for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done"), "1\n3\n");
    assert_eq!(out("for i in a b; do for j in 1 2; do [ $j = 2 ] && continue 2; echo $i$j; done; done"), "a1\nb1\n");
    assert_eq!(out("true && echo y || echo n; false && echo y || echo n"), "y\nn\n");
    assert_eq!(out("case foo.txt in *.log) echo log;; *.txt|*.md) echo text;; *) echo other;; esac"), "text\n");
    assert_eq!(out("{ echo a; echo b; } | wc -l"), "2\n");
    assert_eq!(out("x=1; (x=2; echo $x); echo $x"), "2\n1\n");
}

#[test]
fn brace_expansion_is_bash_only() {
    let host = FakeHost::busybox().with_programs(&["bash"]);
    assert_eq!(quick_with(host.clone(), &["bash", "-c", "for i in {1..3}; do echo -n $i; done; echo {a,b}x {01..03}"]).1, "123ax bx 01 02 03\n");
    assert_eq!(out("for i in {1..3}; do echo $i; done"), "{1..3}\n");
    assert_eq!(quick_with(host, &["bash", "-c", "for ((i=0; i<3; i++)); do echo -n $i; done; echo"]).1, "012\n");
}

#[test]
fn functions_local_return() {
    assert_eq!(out("f() { local x=$1; echo in $x; return 3; }; x=out; f arg; echo $? $x"), "in arg\n3 out\n");
    assert_eq!(out("function g { echo g $*; }; g 1 2"), "g 1 2\n");
    assert_eq!(out("fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; fact 5"), "120\n");
    // Suspension inside a function.
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "w() { sleep 1; echo woke; }; w; w");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 1000 });
    assert_eq!(at(&mut p, &mut host, 1000), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(at(&mut p, &mut host, 2000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "woke\nwoke\n");
}

#[test]
fn runaway_recursion_is_bounded() {
    let (code, _, err) = quick("f() { f; }; f");
    assert_eq!(code, 2);
    assert!(err.contains("function nesting too deep"), "{err}");
    let (_, _, err) = quick("f() { echo $(f); }; f");
    assert!(err.contains("nested too deeply"), "{err}");
}

#[test]
fn errexit() {
    assert_eq!(quick("set -e; echo a; false; echo b"), (1, "a\n".into(), String::new()));
    // Regression (set -e across script lines): errexit holds between lines, not only after `;`.
    assert_eq!(quick("set -e\necho a\nfalse\necho b"), (1, "a\n".into(), String::new()));
    assert_eq!(quick("set -e\nfalse || echo recovered\necho c"), (0, "recovered\nc\n".into(), String::new()));
    assert_eq!(quick("set -e; if false; then :; fi; false || true; ! true; echo ok"), (0, "ok\n".into(), String::new()));
    let host = FakeHost::busybox();
    assert_eq!(quick_with(host, &["sh", "-ec", "false && true; echo still; false"]), (1, "still\n".into(), String::new()));
}

#[test]
fn redirections_and_files() {
    let (code, stdout, stderr) = quick("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; cat /tmp/nope 2>/dev/null; echo $?; ls /nope 2>&1 | cat");
    assert_eq!(code, 0);
    assert_eq!(stdout, "one\ntwo\n1\nls: /nope: No such file or directory\n");
    assert_eq!(stderr, "");
    assert_eq!(out("echo hidden >/dev/null; echo err 1>&2 2>/dev/null; echo shown"), "shown\n");
    assert_eq!(quick("echo x > /missing/dir/f").2, "sh: can't create /missing/dir/f: No such file or directory\n");
    assert_eq!(out("cat <<EOF\nhello $HOSTNAME\nEOF\ncat <<'EOF'\nraw $HOSTNAME\nEOF"), "hello pod\nraw $HOSTNAME\n");
    assert_eq!(out("echo in > /tmp/i; read v < /tmp/i; echo $v"), "in\n");
    assert_eq!(out("mkdir -p /tmp/a/b && touch /tmp/a/b/x.log /tmp/a/b/y.log && ls /tmp/a/b/*.log"), "/tmp/a/b/x.log\n/tmp/a/b/y.log\n");
    assert_eq!(out("mkdir /tmp/d; cd /tmp/d; pwd; touch f; ls; rm -r /tmp/d; ls /tmp"), "/tmp/d\nf\n");
    assert_eq!(quick("rm /tmp/none").2, "rm: can't remove '/tmp/none': No such file or directory\n");
    assert_eq!(quick("mkdir /tmp").2, "mkdir: can't create directory '/tmp': File exists\n");
    assert_eq!(out("{ echo a; echo b >&2; } > /tmp/both 2>&1; cat /tmp/both"), "a\nb\n");
    assert_eq!(out("while read l; do echo \"<$l>\"; done <<EOF\n1\n2\nEOF"), "<1>\n<2>\n");
}

#[test]
fn test_builtin() {
    assert_eq!(out("touch /tmp/h; [ -f /tmp/h ] && echo f; [ -d /tmp ] && echo d; [ -e /nope ] || echo missing"), "f\nd\nmissing\n");
    assert_eq!(out("[ -z \"\" ] && [ -n x ] && [ a = a ] && [ a != b ] && [ 2 -lt 10 ] && [ ! 1 -eq 2 ] && echo ok"), "ok\n");
    assert_eq!(out("test 3 -ge 3 -a 1 -le 2 && echo ok; [ -s /tmp/empty ] || echo empty"), "ok\nempty\n");
    assert_eq!(quick("[ 1 -eq 1").2, "sh: [: missing ]\n");
    assert_eq!(quick("[ abc -eq 1 ]").0, 2);
}

#[test]
fn echo_printf() {
    assert_eq!(out("echo -n a; echo -e 'b\\tc'; echo 'd\\ne'"), "ab\tc\nd\\ne\n");
    assert_eq!(out("printf '%s=%d\\n' a 1 b 2"), "a=1\nb=2\n");
    assert_eq!(out("printf '%5s|%-3s|%03d|%x\\n' hi x 7 255"), "   hi|x  |007|ff\n");
    assert_eq!(out("printf 'no newline'"), "no newline");
}

#[test]
fn date_hostname_and_time() {
    let mut host = FakeHost::busybox();
    host.now_ms = 5000;
    let mut p = sh(&host, "date; date +%s; date -u +%Y-%m-%dT%H:%M:%SZ");
    assert_eq!(p.run(&mut host), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "Thu Jan  1 00:00:05 UTC 2026\n1767225605\n2026-01-01T00:00:05Z\n");
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "while true; do date; sleep 60; done");
    p.run(&mut host);
    at(&mut p, &mut host, 60_000);
    assert_eq!(host.stdout, "Thu Jan  1 00:00:00 UTC 2026\nThu Jan  1 00:01:00 UTC 2026\n");
}

#[test]
fn sleep_forms() {
    let mut host = FakeHost::busybox();
    for (arg, wake) in [("1.5", 1500), ("10s", 10_000), ("1m", 60_000), ("2h", 7_200_000)] {
        let mut p = spawn(&host, &["sleep", arg]);
        assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: wake }, "{arg}");
    }
    let mut p = spawn(&host, &["sleep", "infinity"]);
    assert_eq!(p.run(&mut host), Step::Blocked);
    assert_eq!(quick("sleep abc"), (1, String::new(), "sleep: invalid number 'abc'\n".into()));
    assert_eq!(quick("sleep 0; echo now").1, "now\n");
}

#[test]
fn network_tools() {
    let mut host = FakeHost::busybox().with_programs(&["curl"]);
    host.dns.insert("web".into(), "10.96.1.1".into());
    host.http.insert("http://web:80/".into(), Ok((200, "<h1>hi</h1>".into())));
    host.http.insert("http://localhost:8080/healthz".into(), Ok((500, "boom".into())));
    host.http.insert("http://10.244.1.5:80/".into(), Err("Connection refused".into()));
    host.open_ports.insert(("127.0.0.1".into(), 6379));
    let run = |host: &FakeHost, script: &str| quick_with(host.clone(), &["sh", "-c", script]);
    assert_eq!(run(&host, "wget -q -O- http://web"), (0, "<h1>hi</h1>".into(), String::new()));
    assert_eq!(run(&host, "wget -q -O- http://10.244.1.5"), (1, String::new(), "wget: can't connect to remote host (10.244.1.5): Connection refused\n".into()));
    assert_eq!(run(&host, "wget -q -O- http://localhost:8080/healthz").2, "wget: server returned error: HTTP/1.1 500 Internal Server Error\n");
    assert_eq!(run(&host, "wget -O- http://nohost").2, "wget: bad address 'nohost'\n");
    let (code, stdout, stderr) = run(&host, "wget -O- http://web");
    assert_eq!((code, stdout.as_str()), (0, "<h1>hi</h1>"));
    assert!(stderr.starts_with("Connecting to web (10.96.1.1:80)\nwriting to stdout\n"), "{stderr}");
    assert_eq!(run(&host, "curl -s http://web; echo; curl -s -o /dev/null -w '%{http_code}' http://localhost:8080/healthz"), (0, "<h1>hi</h1>\n500".into(), String::new()));
    assert_eq!(run(&host, "curl -sf http://localhost:8080/healthz"), (22, String::new(), String::new()));
    assert_eq!(run(&host, "curl -sSf http://localhost:8080/healthz").2, "curl: (22) The requested URL returned error: 500\n");
    assert_eq!(run(&host, "curl -s http://nohost; echo $?").1, "6\n");
    assert_eq!(run(&host, "curl -sS http://10.244.1.5").2, "curl: (7) Failed to connect to 10.244.1.5 port 80 after 0 ms: Couldn't connect to server\n");
    assert_eq!(run(&host, "nc -z localhost 6379 && echo open; nc -z localhost 1 || echo closed").1, "open\nclosed\n");
    // wget without -O saves index.html in the working directory.
    let mut h = host.clone();
    let mut p = sh(&h, "cd /tmp && wget -q http://web && cat index.html");
    assert_eq!(p.run(&mut h), Step::Exited { code: 0 });
    assert_eq!(h.files.get("/tmp/index.html").map(String::as_str), Some("<h1>hi</h1>"));
}

#[test]
fn text_tools() {
    assert_eq!(out("printf 'b\\na\\nb\\n' | sort | uniq -c"), "      1 a\n      2 b\n");
    assert_eq!(out("printf 'x\\ny\\n' > /tmp/t; wc -l /tmp/t; wc -l < /tmp/t"), "      2 /tmp/t\n2\n");
    assert_eq!(out("seq 2 2 6 | tr '\\n' ' '; echo"), "2 4 6 \n");
    assert_eq!(out("expr 3 + 4; expr 10 / 3; expr length hello"), "7\n3\n5\n");
    assert_eq!(out("echo hello | grep -q ell && echo found; echo hello | grep -c xyz"), "found\n0\n");
    assert_eq!(out("printf 'ab\\nac\\nbd\\n' | grep '^a.'"), "ab\nac\n");
    assert_eq!(out("printf 'GET /x\\nPOST /y\\n' | grep -E 'GET|PUT'"), "GET /x\n");
    assert_eq!(out("echo /a/b/c.txt | head -n 1; basename /a/b/c.txt .txt; dirname /a/b/c.txt"), "/a/b/c.txt\nc\n/a/b\n");
    assert_eq!(out("seq 1 20 | head -3"), "1\n2\n3\n");
}

#[test]
fn background_jobs() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "(sleep 1; echo bg) & echo fg; wait; echo done");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 1000 });
    assert_eq!(host.stdout, "fg\n");
    assert_eq!(at(&mut p, &mut host, 1000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "fg\nbg\ndone\n");
    // A job left running does not keep the container alive once PID 1 exits.
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "sleep 100 & echo started");
    assert_eq!(p.run(&mut host), Step::Exited { code: 0 });
    // Two writers interleave by virtual time.
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "for i in 1 2; do echo a$i; sleep 2; done & sleep 1; for i in 1 2; do echo b$i; sleep 2; done; wait");
    let mut t = 0;
    while let Step::Sleeping { wake_at_ms } = at(&mut p, &mut host, t) {
        t = wake_at_ms;
    }
    assert_eq!(host.stdout, "a1\nb1\na2\nb2\n");
}

#[test]
fn busy_loops_cost_virtual_time() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "while true; do :; done");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 1000 });
    assert_eq!(at(&mut p, &mut host, 1000), Step::Sleeping { wake_at_ms: 2000 });
    // Signals still get through at the pause points.
    let mut p = sh(&host, "trap 'exit 3' TERM; while :; do :; done");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 2000 });
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Exited { code: 3 });
}

#[test]
fn run_to_completion_for_probes_and_hooks() {
    let mut host = FakeHost::busybox();
    host.now_ms = 10_000;
    let (code, stdout, stderr, elapsed, timed_out) = run_to_completion(&argv(&["sh", "-c", "echo ok; sleep 2; echo late >&2; exit 3"]), &BTreeMap::new(), &mut host, 5000);
    assert_eq!((code, stdout.as_str(), stderr.as_str(), elapsed, timed_out), (3, "ok\n", "late\n", 2000, false));
    assert_eq!(host.log, "", "exec output does not go to the container log");
    let (code, _, _, elapsed, timed_out) = run_to_completion(&argv(&["sleep", "5"]), &BTreeMap::new(), &mut host, 1000);
    assert_eq!((code, elapsed, timed_out), (137, 1000, true));
    let (_, _, _, _, timed_out) = run_to_completion(&argv(&["sh", "-c", "tail -f /dev/null"]), &BTreeMap::new(), &mut host, 1000);
    assert!(timed_out);
    let (code, _, stderr, _, _) = run_to_completion(&argv(&["bash", "-c", "true"]), &BTreeMap::new(), &mut host, 1000);
    assert_eq!(code, 126);
    assert!(stderr.contains("exec: \"bash\": executable file not found in $PATH"));
    assert_eq!(host.now_ms, 10_000, "the host clock is untouched");
    let c = run_command(&argv(&["sh", "-c", "echo a; echo b >&2; echo c"]), &BTreeMap::new(), &mut host, 1000);
    assert_eq!(c.output, "a\nb\nc\n");
    let c = run_command(&argv(&["sh", "-c", "while :; do :; done"]), &BTreeMap::new(), &mut host, 3000);
    assert_eq!(c.status, CompletionStatus::TimedOut);
}

#[test]
fn script_files_from_configmaps() {
    let mut host = FakeHost::busybox();
    host.put_file("/scripts/start.sh", "#!/bin/sh\necho \"started with $1\"\nexit 4\n");
    let (code, stdout, _) = quick_with(host.clone(), &["/scripts/start.sh", "arg"]);
    assert_eq!((code, stdout.as_str()), (4, "started with arg\n"));
    assert_eq!(quick_with(host.clone(), &["sh", "/scripts/start.sh", "x"]).1, "started with x\n");
    assert_eq!(quick_with(host.clone(), &["sh", "-c", "sh /scripts/start.sh y; echo $?"]).1, "started with y\n4\n");
    assert_eq!(quick_with(host.clone(), &["sh", "-c", ". /scripts/start.sh"]).0, 4);
    assert_eq!(quick_with(host, &["sh", "/nope.sh"]), (2, String::new(), "sh: can't open '/nope.sh': No such file or directory\n".into()));
}

#[test]
fn dash_echo_interprets_escapes() {
    let host = FakeHost::busybox().with_programs(&["dash"]);
    assert_eq!(quick_with(host, &["dash", "-c", "echo 'a\\tb'; echo -e x"]).1, "a\tb\n-e x\n");
}

#[test]
fn deterministic_twice() {
    let script = "for i in 1 2 3; do echo $RANDOM; sleep 1; done & echo $RANDOM; wait";
    let a = quick(script);
    let b = quick(script);
    assert_eq!(a, b);
}

#[test]
fn process_is_clone_and_resumes_identically() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; sleep 1; done");
    p.run(&mut host);
    let mut fork = p.clone();
    let mut host2 = host.clone();
    assert_eq!(at(&mut p, &mut host, 1000), at(&mut fork, &mut host2, 1000));
    assert_eq!(host.stdout, host2.stdout);
}

// ------------------------------------------------------------------ robustness

/// A deterministic generator (xorshift) so the garbage is the same on every run.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "echo", "sleep 1", "sleep 0", "if", "then", "else", "elif", "fi", "while", "until", "do", "done", "for", "in", "case", "esac", ";;", "{", "}", "(", ")", "((", "))", ";", "&", "&&", "||", "|", "!", ">",
    ">>", "<", "<<", "<<EOF", "EOF", "2>&1", ">&2", "$", "$(", "`", "'", "\"", "\\", "${", "${x:-", "${#", "$((", "1+", "/0", "*", "?", "[", "]", "[ -f /tmp/x ]", "x=1", "$x", "$@", "$?", "$!",
    "true", "false", ":", "exit", "exit 3", "trap 'echo t' TERM", "trap - TERM", "wait", "kill $$", "kill $!", "cd /tmp", "cd ..", "read a", "set -e", "set -u", "shift", "return", "break",
    "continue", "f()", "local y", "eval", "exec", "tail -f /tmp/x", "cat /tmp/x", "touch /tmp/x", "rm -rf /tmp", "mkdir -p /tmp/a/b", "ls /", "wget -q -O- http://x", "curl -s x", "nslookup x",
    "seq 3", "expr 1 + 2", "grep -q a", "wc -l", "printf '%s\\n'", "{1..3}", "\n", " ", " ", " ", "a", "b", "#", "~", "=", "-n", "%", "/", ".", "..", "sh -c", "bash -c", "tail /dev/zero",
    "stress --vm 1 --vm-bytes 1G", "nginx", "date +%s", "env", "test", "export A=1", "unset A", "$RANDOM", "${x#*}", "${x/a/b}", "${x:1:2}",
];

#[test]
fn garbage_never_panics() {
    let mut gen = Gen(0x9e37_79b9_7f4a_7c15);
    let base = FakeHost::busybox().with_programs(&["bash", "dash", "curl", "stress"]).with_image_program("nginx", FakeProgram { start_log: vec![], exit: None, on_term: None });
    for round in 0..10_000u32 {
        let mut script = String::new();
        let n = 1 + gen.next() % 24;
        for _ in 0..n {
            if gen.next() % 7 == 0 {
                // Raw bytes, including control characters and non-ASCII.
                let c = char::from_u32((gen.next() % 0x3000) as u32).unwrap_or('?');
                script.push(c);
            } else {
                script.push_str(gen.pick(PIECES));
                script.push(' ');
            }
        }
        let shell = ["sh", "bash", "dash"][(round % 3) as usize];
        let mut host = base.clone();
        host.memory_limit = Some(512 << 20);
        let Ok(mut p) = Process::spawn(&argv(&[shell, "-c", &script]), &BTreeMap::new(), &host) else { continue };
        p.set_step_budget(5_000);
        let mut t = 0;
        for k in 0..6 {
            host.now_ms = t;
            let step = if k == 3 { p.deliver_signal(Signal::Term, &mut host) } else { p.run(&mut host) };
            match step {
                Step::Sleeping { wake_at_ms } => {
                    assert!(wake_at_ms > t, "wake time must move forward: {script:?}");
                    t = wake_at_ms;
                }
                Step::Blocked => t += 1000,
                Step::Exited { .. } | Step::OomKilled => break,
            }
        }
    }
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_crash() {
    for bad in ["$(".repeat(5000), "(".repeat(5000), "{ ".repeat(5000), "if ".repeat(5000), "`".repeat(5001), "$((".repeat(3000), "${x:-".repeat(3000), "\"$(".repeat(3000)] {
        let (code, _, err) = quick(&bad);
        assert_eq!(code, 2, "{}", &bad[..10]);
        assert!(err.starts_with("sh: syntax error"), "{err}");
    }
    assert_eq!(quick(&format!("echo $(({}1{}))", "(".repeat(200), ")".repeat(200))).0, 2);
    // Huge brace ranges and sequences are capped instead of exhausting memory.
    let host = FakeHost::busybox().with_programs(&["bash"]);
    assert_eq!(quick_with(host, &["bash", "-c", "for i in {1..100000000}; do :; done; echo ok"]).1, "ok\n");
    assert_eq!(out("seq 1000000000 | wc -l"), "100000\n");
    assert_eq!(quick("x=a; while true; do x=$x$x; done").0, 2);
}

#[test]
fn trap_of_pid1_waits_for_a_foreground_subshell() {
    let mut host = FakeHost::busybox();
    let mut p = sh(&host, "trap 'echo bye; exit 0' TERM; (sleep 10; echo sub done); echo not reached");
    assert_eq!(p.run(&mut host), Step::Sleeping { wake_at_ms: 10_000 });
    assert!(p.traps_signal(Signal::Term));
    host.now_ms = 1000;
    assert_eq!(p.deliver_signal(Signal::Term, &mut host), Step::Sleeping { wake_at_ms: 10_000 });
    assert_eq!(at(&mut p, &mut host, 10_000), Step::Exited { code: 0 });
    assert_eq!(host.stdout, "sub done\nbye\n");
}

/// Builds a random but mostly well-formed script, so the interpreter (frames, suspension,
/// unwinding, signals) is exercised and not only the parser.
fn gen_script(g: &mut Gen, depth: u32, out: &mut String) {
    const SIMPLE: &[&str] = &[
        "echo $i", "sleep 1", "sleep 0.5", "true", "false", "x=$((x+1))", "[ $x -gt 3 ]", "break", "continue", "return 2", "exit 4", "wait", "kill $!", "kill -9 $!", "kill $$", "trap 'echo t' TERM",
        "trap 'exit 9' TERM", "trap - TERM", "trap 'echo bye' EXIT", "cat /tmp/f", "echo a >> /tmp/f", "rm -f /tmp/f", "tail -n 1 /tmp/f", "local v=1", "set -e", "set +e", "shift", "read l",
        "echo $(echo sub; sleep 1)", "f", "g 1 2", "exec sleep 1", "sh -c 'exit 3'", "(exit 5)", "nginx", "wget -q -O- http://web", "seq 3", "printf '%s\\n' a b", "cd /tmp", "tail -f /tmp/f",
        "stress --vm 1 --vm-bytes 10M", "wait $!", "sleep infinity",
    ];
    let pick = g.next() % if depth == 0 { 1 } else { 9 };
    match pick {
        0 => out.push_str(g.pick(SIMPLE)),
        1 => {
            out.push_str("if ");
            gen_script(g, depth - 1, out);
            out.push_str("; then ");
            gen_script(g, depth - 1, out);
            out.push_str("; else ");
            gen_script(g, depth - 1, out);
            out.push_str("; fi");
        }
        2 => {
            out.push_str("for i in 1 2 3; do ");
            gen_script(g, depth - 1, out);
            out.push_str("; done");
        }
        3 => {
            out.push_str("x=0; while [ $x -lt 3 ]; do x=$((x+1)); ");
            gen_script(g, depth - 1, out);
            out.push_str("; done");
        }
        4 => {
            gen_script(g, depth - 1, out);
            out.push_str(if g.next() % 2 == 0 { " && " } else { " || " });
            gen_script(g, depth - 1, out);
        }
        5 => {
            gen_script(g, depth - 1, out);
            out.push_str(" | ");
            gen_script(g, depth - 1, out);
        }
        6 => {
            out.push_str("( ");
            gen_script(g, depth - 1, out);
            out.push_str(" ) &");
        }
        7 => {
            out.push_str("{ ");
            gen_script(g, depth - 1, out);
            out.push_str("; } > /tmp/o 2>&1");
        }
        _ => {
            gen_script(g, depth - 1, out);
            out.push_str("; ");
            gen_script(g, depth - 1, out);
        }
    }
}

#[test]
fn random_well_formed_scripts_never_panic_and_stay_deterministic() {
    let mut gen = Gen(0x1234_5678_9abc_def1);
    let mut base = FakeHost::busybox().with_image_program("nginx", FakeProgram { start_log: vec!["up".into()], exit: None, on_term: Some(ProgramExit { after_ms: 50, code: 0 }) });
    base.memory_limit = Some(64 << 20);
    base.http.insert("http://web:80/".into(), Ok((200, "ok".into())));
    base.dns.insert("web".into(), "10.0.0.9".into());
    let mut exits = 0;
    for _ in 0..3000 {
        let mut script = String::from("f() { echo in f; sleep 1; return 1; }; g() { local a=$1; echo $a; }; ");
        gen_script(&mut gen, 4, &mut script);
        let run = |host: &mut FakeHost| -> (Vec<Step>, String) {
            let mut p = Process::spawn(&argv(&["sh", "-c", &script]), &BTreeMap::new(), &*host).expect("spawn");
            p.set_step_budget(5_000);
            let mut steps = Vec::new();
            let mut t = 0;
            for k in 0..12 {
                host.now_ms = t;
                let step = match k {
                    4 => p.deliver_signal(Signal::Term, host),
                    8 => p.file_changed("/tmp/f", host),
                    _ => p.run(host),
                };
                steps.push(step);
                match step {
                    Step::Sleeping { wake_at_ms } => {
                        assert!(wake_at_ms > t, "{script}");
                        t = wake_at_ms;
                    }
                    Step::Blocked => t += 700,
                    _ => break,
                }
            }
            (steps, host.log.clone())
        };
        let mut h1 = base.clone();
        let mut h2 = base.clone();
        let a = run(&mut h1);
        let b = run(&mut h2);
        assert_eq!(a, b, "not deterministic: {script}");
        if matches!(a.0.last(), Some(Step::Exited { .. })) {
            exits += 1;
        }
    }
    // The generator must actually reach the end of scripts, not just fail to parse.
    assert!(exits > 1000, "only {exits} scripts ran to completion");
}

#[test]
fn busybox_multicall_and_process_is_send() {
    fn assert_send<T: Send + Sync + Clone>() {}
    assert_send::<Process>();
    let host = FakeHost::busybox().with_programs(&["busybox"]);
    assert_eq!(quick_with(host, &["busybox", "sh", "-c", "busybox echo hi"]).1, "hi\n");
}
