//! The JSON report's shape is a contract (docs/json.md). Every report a test produces is
//! validated against schema/report.schema.json, which `schema` derives from the Rust
//! types and which closes every object: an added, renamed or removed field fails here
//! and shows up in the schema's diff in review.

use crate::support::*;

const OUTCOMES: [&str; 11] = [
    "ok",
    "unauthorized",
    "forbidden",
    "not_found",
    "rate_limited",
    "server_error",
    "http_error",
    "network",
    "timeout",
    "skipped",
    "not_probed",
];

fn busy_env() -> TestEnv {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.file("~/.kaggle/access_token", REVOKED_TOKEN);
    env.env("KAGGLE_API_TOKEN", SCOPED_TOKEN).env("KAGGLE_KEY", "");
    env
}

#[test]
fn report_matches_the_documented_shape() {
    let (report, _) = busy_env().json(&["--competition", "santa-2025", "--client", "both"]);
    assert_eq!(report["schema_version"], "1.0");
    assert_eq!(report["tool"]["name"], "kaggle-auth-doctor");
    let len = |key: &str| report[key].as_array().unwrap().len();
    assert_eq!(len("matrix"), len("sources") * len("endpoints"));
    let outcomes = report["matrix"].as_array().unwrap().iter().map(|c| c["outcome"].as_str().unwrap());
    assert!(outcomes.into_iter().all(|o| OUTCOMES.contains(&o)));
    let endpoint_ids: Vec<&str> =
        report["endpoints"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(
        endpoint_ids,
        [
            "whoami",
            "introspect",
            "competitions.get",
            "competitions.list",
            "competitions.submissions",
            "competitions.leaderboard",
            "competitions.files",
            "competitions.download",
            "datasets.list",
            "kernels.list",
            "models.list"
        ]
    );
    assert!(["pass", "fail", "inconclusive"].contains(&report["verdict"]["status"].as_str().unwrap()));
}

#[test]
fn fingerprints_are_sha256_of_the_wire_bytes_and_nothing_of_the_secret() {
    let (value, _) = busy_env().json(&[]);
    let token = source(&value, "env:KAGGLE_API_TOKEN").unwrap();
    let expected = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(SCOPED_TOKEN.as_bytes());
        format!("sha256:{}", digest.iter().take(6).map(|b| format!("{b:02x}")).collect::<String>())
    };
    assert_eq!(token["fingerprint"], expected.as_str());
    let text = value.to_string();
    for secret in [SCOPED_TOKEN, REVOKED_TOKEN, ALICE_KEY] {
        assert!(!text.contains(secret), "the report leaks {secret}");
    }
}

#[test]
fn competition_endpoints_count_only_when_a_competition_is_named() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let (report, _) = env.json(&[]);
    let required: Vec<(&str, bool)> = report["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap(), e["required"].as_bool().unwrap()))
        .collect();
    assert!(required.contains(&("competitions.submissions", false)));
    assert!(required.contains(&("whoami", true)));
    assert_eq!(report["competition"]["slug"], "titanic");
    let (named, _) = env.json(&["-c", "santa-2025"]);
    assert!(named["endpoints"].as_array().unwrap().iter().all(|e| e["required"] == true));
}

#[test]
fn the_schema_command_prints_the_schema_the_tests_validate_against() {
    let out = TestEnv::offline().cmd().arg("schema").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file: serde_json::Value =
        serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schema/report.schema.json"))).unwrap();
    assert!(
        printed == file,
        "schema/report.schema.json is not what `schema` derives from the report types: run\n    cargo run -- schema > schema/report.schema.json\nand review the diff (fields are a public contract: add, never rename)"
    );
}

#[test]
fn a_report_that_breaks_the_contract_fails_validation() {
    let (mut report, _) = busy_env().json(&[]);
    report["matrix"][0]["outcome"] = "fine".into();
    let result = std::panic::catch_unwind(|| validate(&report));
    assert!(result.is_err(), "an unknown outcome must not validate");
}

#[test]
fn an_unknown_or_renamed_field_fails_validation() {
    let (report, _) = busy_env().json(&[]);
    let renamed = {
        let mut r = report.clone();
        let source = r["sources"][0].as_object_mut().unwrap();
        let fingerprint = source.remove("fingerprint").unwrap();
        source.insert("fingerprnt".into(), fingerprint);
        r
    };
    let mut added = report.clone();
    added["verdict"]["colour"] = "green".into();
    let mut removed = report;
    removed.as_object_mut().unwrap().remove("effective");
    for (what, bad) in [("a renamed field", renamed), ("an unknown field", added), ("a missing field", removed)] {
        let result = std::panic::catch_unwind(|| validate(&bad));
        assert!(result.is_err(), "{what} must not validate");
    }
}
