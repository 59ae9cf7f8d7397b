//! Every built-in scenario parses without errors, has its texts, and runs to its horizon.

#[test]
fn every_builtin_scenario_is_valid_and_runs() {
    assert!(podsim::gallery::ALL.len() >= 14);
    for s in podsim::gallery::ALL {
        assert!(!s.title().is_empty() && !s.about().is_empty() && !s.family().is_empty(), "{} lacks a header", s.id);
        let parsed = podsim::manifest::parse(s.text);
        assert!(!parsed.has_errors(), "{}: {:?}", s.id, parsed.diagnostics);
        let objects: Vec<_> = parsed.objects.into_iter().map(|o| o.object).collect();
        assert!(!objects.is_empty(), "{} has no objects", s.id);
        let t = podsim::Timeline::run(podsim::Scenario::new(objects), podsim::Limits::default());
        assert!(t.steps.len() > 10, "{} did almost nothing", s.id);
        assert!(t.last.world.pods.values().all(|p| !p.spec.node_name.is_empty()), "{}: a pod was never scheduled", s.id);
    }
}
