//! The parser against real texts (fixtures/pasted-errors.json: what users pasted in
//! public bug reports, with the source of each) and against hostile input.

use serde_json::Value;

use super::*;

const REAL: &str = include_str!("../../fixtures/pasted-errors.json");

/// `expect` keys that are present must match; `null` means "must not be found".
#[test]
fn real_texts_are_understood() {
    let cases: Vec<Value> = serde_json::from_str(REAL).expect("fixture parses");
    assert!(cases.len() >= 15, "at least 15 real texts");
    let mut failures = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        let u = parse(case["text"].as_str().unwrap());
        let got = serde_json::to_value(&u).unwrap();
        for (key, want) in case["expect"].as_object().unwrap() {
            let have = &got[key.as_str()];
            let ok = match (key.as_str(), want) {
                ("message", Value::String(w)) => have.as_str().is_some_and(|h| h.contains(w.as_str())),
                _ => have == want,
            };
            if !ok {
                failures.push(format!("{id}: {key}: want {want}, got {have}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_client_shape_is_covered_by_a_real_text() {
    let cases: Vec<Value> = serde_json::from_str(REAL).unwrap();
    for shape in ["kaggle_swagger", "kaggle_requests", "kagglehub", "keras_hub", "client_side"] {
        assert!(cases.iter().any(|c| c["expect"]["client"] == shape), "no real text of {shape}");
    }
}

#[test]
fn the_command_line_names_the_resource_an_rpc_url_does_not() {
    let u = parse(
        "$ kaggle competitions download -c titanic\n401 Client Error: Unauthorized for url: https://api.kaggle.com/v1/competitions.CompetitionApiService/DownloadDataFiles",
    );
    assert_eq!(u.resource.as_deref(), Some("titanic"));
    assert_eq!(u.operation.as_deref(), Some("competitions.download"));
    let u =
        parse(">>> kagglehub.model_download('keras/gemma/keras/gemma_2b_en/3')\nKaggleApiHTTPError: 403 Client Error.");
    assert_eq!(u.resource.as_deref(), Some("keras/gemma/keras/gemma_2b_en/3"));
    let u = parse("kaggle kernels pull alice/my-notebook\n403 - Forbidden - Permission 'kernels.get' was denied");
    assert_eq!(u.resource.as_deref(), Some("alice/my-notebook"));
    assert_eq!(u.permission.as_deref(), Some("kernels.get"));
}

#[test]
fn legacy_paths_of_every_kind_are_read() {
    let cases = [
        ("https://www.kaggle.com/api/v1/datasets/download/o/s/f.csv", "datasets.download", "o/s"),
        ("https://www.kaggle.com/api/v1/datasets/view/o/s", "datasets.get", "o/s"),
        ("https://www.kaggle.com/api/v1/models/o/m/keras/v/get", "models.get", "o/m/keras/v"),
        ("https://www.kaggle.com/api/v1/kernels/pull/o/k", "kernels.get", "o/k"),
        ("https://www.kaggle.com/api/v1/kernels/status?userName=o&kernelSlug=k", "kernels.status", "o/k"),
        ("https://www.kaggle.com/api/v1/competitions/submissions/list/c1", "competitions.submissions", "c1"),
        ("https://www.kaggle.com/api/v1/competitions/c2/leaderboard/view", "competitions.leaderboard", "c2"),
    ];
    for (url, op, resource) in cases {
        let u = parse(&format!("403 Client Error: Forbidden for url: {url}"));
        assert_eq!(u.operation.as_deref(), Some(op), "{url}");
        assert_eq!(u.resource.as_deref(), Some(resource), "{url}");
        assert_eq!(u.api, Some(Api::Legacy), "{url}");
    }
}

#[test]
fn hostile_and_garbage_texts_yield_nothing_or_validated_parts() {
    for text in [
        "",
        "   ",
        "hello world",
        "\u{0}\u{1}\u{2}\u{fffd}",
        "404",
        "Error 999 nothing",
        "http://",
        "https://www.kaggle.com/",
    ] {
        let u = parse(text);
        assert!(u.parsed.is_none(), "{text:?}: {u:?}");
    }
    assert!(parse("hello world").is_empty());
    // Huge input: cut, no panic, still finds what is in the first part.
    let huge = format!(
        "403 Client Error: Forbidden for url: https://www.kaggle.com/api/v1/datasets/view/o/s\n{}",
        "x".repeat(10 * 1024 * 1024)
    );
    assert_eq!(parse(&huge).resource.as_deref(), Some("o/s"));
    let late = format!(
        "{}403 Client Error: Forbidden for url: https://www.kaggle.com/api/v1/datasets/view/o/s",
        "é".repeat(MAX_TEXT_BYTES)
    );
    assert_eq!(parse(&late).parsed, None);
    // Path traversal, foreign hosts, escapes: never a resource.
    for text in [
        "403 Client Error: Forbidden for url: https://www.kaggle.com/api/v1/datasets/view/../etc",
        "403 Client Error: Forbidden for url: https://evil.example/api/v1/datasets/view/o/s",
        "Resource not found at URL: https://www.kaggle.com/datasets/o/s\u{1b}[2J",
        "kaggle datasets download -d 'o/s; rm -rf ~'",
    ] {
        let u = parse(text);
        assert!(u.parsed.is_none(), "{text:?}: {u:?}");
    }
    // Control characters never survive into the message.
    let u = parse("403 - Forbidden - Permission 'x' was denied\u{1b}]0;pwned\u{7}");
    assert!(u.message.unwrap().chars().all(|c| !c.is_control()));
}

#[test]
fn the_envelope_code_is_a_grpc_code() {
    let u = parse(
        r#"{"errors":["Permission 'models.get' was denied"],"error":{"code":7,"details":[]},"wasSuccessful":false}"#,
    );
    assert_eq!(u.status, Some(403));
    let u = parse(r#"{"errors":["x"],"error":{"code":13,"details":[]},"wasSuccessful":false}"#);
    assert_eq!(u.status, Some(500));
}

#[test]
fn credentials_pasted_with_the_error_never_reach_the_message() {
    let key = "a11ce0key0123456789abcdef0123456";
    let token = "KGAT_0123456789abcdef0123456789abcdef";
    for text in [
        format!("401 - Unauthorized - Unauthenticated {key}"),
        format!("403 - Forbidden - Permission 'datasets.get' was denied for Bearer {token}"),
        format!("HTTP response body: {{\"code\":401,\"message\":\"bad key {key}\"}}"),
    ] {
        let u = parse(&text);
        let shown = serde_json::to_string(&u).unwrap();
        assert!(!shown.contains(key) && !shown.contains(token), "{shown}");
    }
    let u = parse("403 - Forbidden - Permission 'competitions.participate' was denied");
    assert_eq!(u.message.as_deref(), Some("Permission 'competitions.participate' was denied"));
}
