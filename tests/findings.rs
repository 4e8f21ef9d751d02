//! Every finding code is produced by its fixture (fixtures/findings/<code>.json: a fake
//! API world and a sandbox HOME), and its fix says what the fixture expects.

use kaggle_auth_doctor::diagnose::Code;

use crate::support::*;

/// Codes that no sandbox can produce end to end, with the test that covers them instead.
const ELSEWHERE: [(&str, &str); 1] =
    [("dns-failure", "a lookup would leave the machine; see diagnose::tests::dns_failure_is_reported_as_network")];

#[test]
fn every_code_is_produced_by_its_fixture_with_its_fix() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/findings");
    let mut failures = Vec::new();
    for code in Code::ALL.map(Code::as_str) {
        if ELSEWHERE.iter().any(|(c, _)| *c == code) {
            continue;
        }
        let path = format!("{dir}/{code}.json");
        assert!(std::path::Path::new(&path).is_file(), "no fixture for {code}: add fixtures/findings/{code}.json");
        let fixture = Fixture::load(&path);
        assert_eq!(fixture.scenario.name, code, "{path}: name");
        let env = TestEnv::from_scenario(&path);
        let args = fixture.args();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (report, exit) = env.json(&args);
        failures.extend(internal_references(code, &report));
        let errors = error_codes(&report);
        if errors.len() > 1 {
            failures.push(format!("{code}: one cause, one error; got {errors:?}"));
        }
        let text = env.cmd().args(&args).output().unwrap().stdout;
        failures.extend(too_wide(code, &String::from_utf8_lossy(&text), 80));
        let found = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == code);
        let Some(found) = found else {
            failures.push(format!("{code}: not produced; got {:?}", finding_codes(&report)));
            continue;
        };
        let expect = fixture.test.expect.as_ref().expect("fixtures declare expectations");
        let codes = finding_codes(&report);
        let missing: Vec<&String> = expect.findings.iter().filter(|f| !codes.contains(f)).collect();
        if !missing.is_empty() {
            failures.push(format!("{code}: expected findings {missing:?} missing from {codes:?}"));
        }
        if let Some(exit_code) = expect.exit_code.filter(|c| *c != exit) {
            failures.push(format!("{code}: exit code {exit}, expected {exit_code}"));
        }
        let effective = report["effective"]["source"].as_str().unwrap_or("none");
        if let Some(e) = expect.effective.as_deref().filter(|e| *e != effective) {
            failures.push(format!("{code}: effective {effective}, expected {e}"));
        }
        if let Some(text) = expect.fixes.get(code) {
            let fix = found["fix"].as_array().unwrap().iter().filter_map(|l| l.as_str()).collect::<Vec<_>>().join("\n");
            if !fix.contains(text.as_str()) {
                failures.push(format!("{code}: fix lacks {text:?}:\n{fix}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Words that point at notes a user does not have: failure-mode and spec numbers, the
/// Python client's internals.
const INTERNAL: [&str; 7] = ["FM-", "spec B", "spec §", "authenticate()", "kagglesdk", "IntrospectToken", "-spec"];

/// Internal references in what a user reads of `report`: every finding's title, detail
/// and fix, the reasons for the effective credential, and every source's reason.
fn internal_references(code: &str, report: &serde_json::Value) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    for f in report["findings"].as_array().unwrap() {
        texts.push(f["title"].as_str().unwrap().into());
        texts.push(f["detail"].as_str().unwrap().into());
        texts.extend(f["fix"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()));
    }
    texts.extend(report["effective"]["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()));
    texts.extend(report["sources"].as_array().unwrap().iter().filter_map(|s| s["reason"].as_str().map(String::from)));
    texts
        .iter()
        .filter(|t| INTERNAL.iter().any(|w| t.contains(w)) || numbered_reference(t))
        .map(|t| format!("{code}: internal reference in {t:?}"))
        .collect()
}

/// A behaviour number of the client notes (`B` or `K` and digits): the reader has no table
/// to look it up in.
fn numbered_reference(t: &str) -> bool {
    t.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.len() > 1 && w.starts_with(['B', 'K']) && w[1..].chars().all(|c| c.is_ascii_digit()))
}

/// Lines of a text report wider than `width`, except a command (it must stay copyable)
/// or a single unbreakable word such as a URL.
pub fn too_wide(code: &str, text: &str, width: usize) -> Vec<String> {
    text.lines()
        .filter(|l| l.chars().count() > width)
        .filter(|l| {
            let t = l.trim_start();
            let command = ["$ ", "PS> ", "!", "import "].iter().any(|p| t.starts_with(p));
            !command && t.contains(' ')
        })
        .map(|l| format!("{code}: {} columns: {l}", l.chars().count()))
        .collect()
}

#[test]
fn explain_has_no_internal_references() {
    for code in Code::ALL.map(Code::as_str) {
        let out = TestEnv::offline().cmd().args(["explain", code]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        for word in INTERNAL {
            assert!(!text.contains(word), "explain {code} mentions {word}:\n{text}");
        }
        assert!(!numbered_reference(&text), "explain {code} cites a behaviour number:\n{text}");
    }
}

#[test]
fn fixes_can_be_written_for_powershell() {
    let env = TestEnv::from_scenario(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/findings/token-shadows-working-key.json"
    ));
    let (report, _) = env.json(&["--competition", "santa-2025", "--shell", "powershell"]);
    assert_eq!(report["shell"], "powershell");
    assert_eq!(report["findings"][0]["fix"][0], "Remove-Item Env:KAGGLE_API_TOKEN");
}
