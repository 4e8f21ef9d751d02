//! Every built-in scenario reaches the conclusion the table below expects, both through
//! `demo` and through a plain `check` of the same setup laid out in a temp HOME. (The
//! expectations live here, not in the scenario files: those ship inside the binary.)

use kaggle_auth_doctor::fake_kaggle::scenario::BUILTIN;

use crate::support::*;

/// Per built-in scenario: exit code, findings that must appear, the effective source
/// (`none` when nothing is sent).
const EXPECTED: &[(&str, i32, &[&str], Option<&str>)] = &[
    ("token-shadows-key", 1, &["token-shadows-working-key"], Some("env:KAGGLE_API_TOKEN")),
    ("all-good", 0, &[], Some("file:kaggle.json")),
    ("no-credentials", 1, &["no-credential-found"], None),
    ("expired-token", 1, &["every-source-rejected"], Some("none")),
    ("rules-not-accepted", 1, &["competition-rules-not-accepted"], Some("file:kaggle.json")),
    ("every-source-rejected", 1, &["every-source-rejected"], Some("file:access_token")),
    ("every-source", 0, &["dotenv-not-loaded"], Some("notebook:KAGGLE_API_V1_TOKEN")),
    ("gated-model", 1, &["model-consent-required"], Some("file:kaggle.json")),
    ("typo-slug", 1, &["competition-not-found"], Some("file:kaggle.json")),
    ("rules-on-download", 1, &["competition-rules-not-accepted"], Some("file:kaggle.json")),
];

fn assert_expected(name: &str, report: &serde_json::Value, code: i32) {
    let expected = EXPECTED.iter().find(|e| e.0 == name);
    let &(_, exit_code, findings, effective) =
        expected.unwrap_or_else(|| panic!("{name}: add the built-in scenario to EXPECTED in tests/scenarios.rs"));
    assert_eq!(code, exit_code, "{name}: exit code");
    let codes = finding_codes(report);
    for f in findings {
        assert!(codes.iter().any(|c| c == f), "{name}: finding {f} missing from {codes:?}");
    }
    match effective {
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
        let report = valid_report(&out.stdout);
        assert_expected(name, &report, out.status.code().unwrap());
    }
}

#[test]
fn every_scenario_through_check_in_a_temp_home() {
    for (name, _) in BUILTIN {
        let env = TestEnv::from_scenario(name);
        let args = Fixture::load(name).args();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (report, code) = env.json(&args);
        assert_expected(name, &report, code);
    }
}
