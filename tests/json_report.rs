//! The JSON report's shape is a contract (DESIGN.md, docs/json.md): these structs deny
//! unknown fields, so any addition or rename shows up here and in review.

use serde::Deserialize;

use crate::support::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Report {
    schema_version: String,
    tool: Tool,
    generated_at: String,
    os: String,
    host: String,
    api_root: String,
    api_root_from: String,
    competition: Competition,
    resources: Vec<serde_json::Value>,
    from_error: Option<serde_json::Value>,
    client: Client,
    sources: Vec<Source>,
    endpoints: Vec<Endpoint>,
    matrix: Vec<Cell>,
    effective: Effective,
    clients: Vec<ClientReport>,
    shadowed: Vec<String>,
    findings: Vec<Finding>,
    verdict: Verdict,
    exit_code: i32,
    offline: bool,
    shell: String,
    fail_on: String,
    looked_in: Vec<String>,
    #[serde(default)]
    demo: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Competition {
    slug: String,
    from: String,
    named: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Client {
    version: String,
    from: String,
    version_from: String,
    model: String,
    in_modelled_range: bool,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Source {
    id: String,
    kind: String,
    origin: String,
    state: String,
    reason: Option<String>,
    username: Option<String>,
    fingerprint: Option<String>,
    token: Option<TokenInfo>,
    #[serde(default)]
    client_note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct TokenInfo {
    state: String,
    scope: Option<String>,
    expires_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Endpoint {
    id: String,
    rpc: String,
    required: bool,
    judged: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Cell {
    source: String,
    endpoint: String,
    outcome: String,
    status: Option<u16>,
    elapsed_ms: Option<u64>,
    message: Option<String>,
    request_id: Option<String>,
    form: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Effective {
    client_version: String,
    client_version_from: String,
    auth: String,
    source: Option<String>,
    username_source: Option<String>,
    key_source: Option<String>,
    fingerprint: Option<String>,
    believed_source: Option<String>,
    reasons: Vec<String>,
    client_stops: bool,
    #[serde(default)]
    oauth_refresh: Option<String>,
    #[serde(default)]
    proxy: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ClientReport {
    client: String,
    version: String,
    from: String,
    version_from: String,
    effective: Effective,
    #[serde(default)]
    chosen: Option<String>,
    #[serde(default)]
    operations: Vec<Operation>,
    model: String,
    in_modelled_range: bool,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Operation {
    operation: String,
    sends: String,
    source: Option<String>,
    fingerprint: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Finding {
    code: String,
    severity: String,
    sources: Vec<String>,
    title: String,
    detail: String,
    fix: Vec<String>,
    related: Vec<String>,
    folded_into: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Verdict {
    status: String,
    summary: String,
    fix: Option<String>,
}

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
    let (value, _) = busy_env().json(&["--competition", "santa-2025", "--client", "both"]);
    let report: Report = serde_json::from_value(value).expect("report matches the contract");
    assert_eq!(report.schema_version, "1.0");
    assert_eq!(report.tool.name, "kaggle-auth-doctor");
    assert_eq!(report.matrix.len(), report.sources.len() * report.endpoints.len());
    assert!(report.matrix.iter().all(|c| OUTCOMES.contains(&c.outcome.as_str())));
    let endpoint_ids: Vec<&str> = report.endpoints.iter().map(|e| e.id.as_str()).collect();
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
    assert!(["pass", "fail", "inconclusive"].contains(&report.verdict.status.as_str()));
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
    assert_eq!(printed, file);
}

#[test]
fn a_report_that_breaks_the_contract_fails_validation() {
    let (mut report, _) = busy_env().json(&[]);
    report["matrix"][0]["outcome"] = "fine".into();
    let result = std::panic::catch_unwind(|| validate(&report));
    assert!(result.is_err(), "an unknown outcome must not validate");
}
