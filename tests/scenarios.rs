//! Every built-in scenario reaches the conclusion its file expects, both through `demo`
//! and through a plain `check` of the same setup laid out in a temp HOME.

use kaggle_auth_doctor::fake_kaggle::Scenario;
use kaggle_auth_doctor::fake_kaggle::scenario::BUILTIN;

use crate::support::*;

fn assert_expected(name: &str, report: &serde_json::Value, code: i32) {
    let scenario = Scenario::load(name).unwrap();
    let expect = scenario.expect.expect("built-in scenarios declare what they expect");
    assert_eq!(Some(code), expect.exit_code, "{name}: exit code");
    let codes = finding_codes(report);
    for f in &expect.findings {
        assert!(codes.contains(f), "{name}: finding {f} missing from {codes:?}");
    }
    match expect.effective.as_deref() {
        Some("none") => assert_eq!(report["effective"]["auth"], "none", "{name}: nothing is sent"),
        Some(e) => {
            assert!(kaggle_auth_doctor::is_source_id(e), "{name}: '{e}' is not a source id");
            assert_eq!(report["effective"]["source"], e, "{name}: effective source");
        }
        None => {}
    }
}

#[test]
fn every_scenario_through_demo() {
    for (name, _) in BUILTIN {
        let out = TestEnv::offline().cmd().args(["demo", name, "--format", "json"]).output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_expected(name, &report, out.status.code().unwrap());
    }
}

#[test]
fn every_scenario_through_check_in_a_temp_home() {
    for (name, _) in BUILTIN {
        let env = TestEnv::from_scenario(name);
        let args = TestEnv::scenario_args(&Scenario::load(name).unwrap());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (report, code) = env.json(&args);
        assert_expected(name, &report, code);
    }
}
