//! Kaggle's real answers (the shapes users pasted in public bug reports, played by the fake
//! API): each read the doctor can make gets the right finding and the right fix, and no
//! credential is blamed — never "create a new API token" for a name, a licence, an
//! account's visibility, a lag or an outage.

use serde_json::Value;

use crate::support::*;

const A: &str = r#"{ "username": "alice", "key": "a11ce0key0123456789abcdef0123456" }"#;
const B: &str = r#"{ "username": "bob", "key": "b0b0key00123456789abcdef01234567" }"#;

/// A world with alice and bob and the given extra server fields.
fn world(extra: &str) -> String {
    format!(r#"{{ "name": "w", "description": "real answers", "server": {{ "accounts": [{A}, {B}] {extra} }} }}"#)
}

/// The fix lines of every finding, joined.
fn all_fixes(report: &Value) -> String {
    fix_lines(report).join("\n")
}

/// The finding `code` is there with `fix` in its fix, and no credential is blamed.
fn assert_diagnosis(report: &Value, code: &str, fix: &str) {
    let finding = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == code);
    let finding = finding.unwrap_or_else(|| panic!("no {code} in {:?}", finding_codes(report)));
    let lines: Vec<&str> = finding["fix"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(lines.join("\n").contains(fix), "{code}: fix lacks {fix:?}: {lines:?}");
    let codes = finding_codes(report);
    for blame in ["effective-credential-fails", "every-source-rejected", "token-shadows-working-key"] {
        assert!(!codes.iter().any(|c| c == blame), "{code}: the credential is blamed: {codes:?}");
    }
    assert!(!all_fixes(report).contains("create a new API token"), "{code}: {}", all_fixes(report));
}

fn alice(world: &str) -> TestEnv {
    let env = TestEnv::with_world(world);
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env
}

#[test]
fn a_typo_in_the_slug_is_a_403_for_everyone_and_the_name_is_blamed() {
    // `403 - Forbidden - Permission 'competitions.participate' was denied` for a typo.
    let mut env = alice(&world(""));
    env.env("KAGGLE_USERNAME", "bob").env("KAGGLE_KEY", BOB_KEY);
    let (report, code) = env.json(&["--competition", "titanik"]);
    assert_eq!(code, 1);
    assert_eq!(outcome(&report, "env:KAGGLE_USERNAME+KAGGLE_KEY", "competitions.get"), "forbidden");
    assert_eq!(outcome(&report, "file:kaggle.json", "competitions.get"), "forbidden");
    assert_diagnosis(&report, "competition-not-found", "kaggle-auth-doctor --competition titanic");
}

#[test]
fn rules_are_checked_on_download_not_on_listing() {
    // `403 You must accept this competition's rules before you'll be able to download files.`
    let env = alice(&world(r#", "competitions": [{ "slug": "dogs-vs-cats" }]"#));
    let (report, code) = env.json(&["-c", "https://www.kaggle.com/competitions/dogs-vs-cats/data"]);
    assert_eq!(code, 1);
    assert_eq!(report["competition"]["slug"], "dogs-vs-cats");
    assert_eq!(report["competition"]["from"], "--competition (page URL)");
    assert_eq!(outcome(&report, "file:kaggle.json", "competitions.files"), "ok");
    assert_eq!(outcome(&report, "file:kaggle.json", "competitions.download"), "forbidden");
    assert_diagnosis(&report, "competition-rules-not-accepted", "competitions/dogs-vs-cats/rules");
}

#[test]
fn an_allowed_download_is_a_redirect_that_is_never_followed() {
    let env = alice(&world(r#", "competitions": [{ "slug": "santa-2025", "rules_accepted_by": ["alice"] }]"#));
    let (report, code) = env.json(&["--competition", "santa-2025", "-v"]);
    assert_eq!(code, 0);
    let cell = report["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["source"] == "file:kaggle.json" && c["endpoint"] == "competitions.download");
    let cell = cell.unwrap();
    assert_eq!(cell["outcome"], "ok");
    assert_eq!(cell["status"], 302);
    assert!(cell["message"].as_str().unwrap().contains("storage.googleapis.com"), "{cell}");
    assert!(!cell["message"].as_str().unwrap().contains("Signature"), "the signed URL is not kept: {cell}");
    let hits = env.fake.as_ref().unwrap().hits();
    assert!(hits.iter().all(|h| !h.target.contains("kaggle-data-sets")), "the redirect was followed");
}

#[test]
fn a_gated_model_asks_for_consent_on_download_and_names_the_account() {
    // `403 … User has not consented to terms of use.` (keras-hub, kagglehub).
    let models = r#", "models": [{ "ref": "keras/gemma/keras/gemma_2b_en", "versions": 3, "gated": true }]"#;
    let env = alice(&world(models));
    let (report, code) = env.json(&["--model", "keras/gemma/keras/gemma_2b_en"]);
    assert_eq!(code, 1);
    assert_eq!(outcome(&report, "file:kaggle.json", "models.get"), "ok");
    assert_eq!(outcome(&report, "file:kaggle.json", "models.download"), "forbidden");
    assert_diagnosis(
        &report,
        "model-consent-required",
        "open https://www.kaggle.com/models/keras/gemma signed in to kaggle.com as alice",
    );
    let hits = env.fake.as_ref().unwrap().hits();
    assert!(hits.iter().any(|h| h.target.ends_with("DownloadModelInstanceVersion")));
}

#[test]
fn a_model_that_does_not_exist_in_that_framework_is_a_name_problem() {
    // `404 Client Error. Resource not found at URL: …/models/google/vila/tensorFlow2/vila-r`
    let models = r#", "models": [{ "ref": "google/vila/jax/vila-r" }]"#;
    let env = alice(&world(models));
    let (report, _) = env.json(&["--model", "google/vila/tensorFlow2/vila-r/1"]);
    assert_eq!(outcome(&report, "file:kaggle.json", "models.get"), "not_found");
    assert_diagnosis(&report, "resource-not-found", "framework and variation are part of the name");
    // A private model nobody here can see: the same 403 as a typo.
    let (report, _) = env.json(&["--model", "someone/private-model/keras/v1/1"]);
    assert_diagnosis(&report, "resource-not-found", "do not create a new token");
}

#[test]
fn a_missing_kernel_and_a_dataset_typo_suggest_the_listed_name() {
    // `Permission 'kernels.get' was denied` for a kernel never pushed; `… 'datasets.get' …` for a typo.
    let items = r#", "datasets": [{ "ref": "kemical/kickstarter-projects" }], "kernels": [{ "ref": "jugal/sherpa-ollama-server" }]"#;
    let env = alice(&world(items));
    let (report, code) = env.json(&["--kernel", "jugal/sherpa-olama-server"]);
    assert_eq!(code, 1);
    assert_eq!(outcome(&report, "file:kaggle.json", "kernels.get"), "forbidden");
    assert_diagnosis(&report, "resource-not-found", "jugal/sherpa-ollama-server");
    let (report, _) = env.json(&["--dataset", "https://www.kaggle.com/datasets/kemical/kickstarter-project"]);
    assert_diagnosis(&report, "resource-not-found", "kemical/kickstarter-projects");
    // A version that does not exist: 404 `Dataset not found`.
    let (report, _) = env.json(&["--dataset", "kemical/kickstarter-projects/7"]);
    assert_eq!(outcome(&report, "file:kaggle.json", "datasets.download"), "not_found");
    assert_diagnosis(&report, "resource-not-found", "do not create a new token");
}

#[test]
fn a_private_dataset_names_the_account_that_sees_it() {
    let env = TestEnv::with_world(&world(r#", "datasets": [{ "ref": "bob/atros-dataset", "private": true }]"#));
    env.kaggle_json("~/.kaggle/kaggle.json", "bob", BOB_KEY);
    let mut env = env;
    env.env("KAGGLE_USERNAME", "alice").env("KAGGLE_KEY", ALICE_KEY);
    let (report, code) = env.json(&["--dataset", "bob/atros-dataset"]);
    assert_eq!(code, 1);
    assert_diagnosis(&report, "resource-private", "unset KAGGLE_USERNAME KAGGLE_KEY");
    let finding = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == "resource-private").unwrap();
    assert!(finding["title"].as_str().unwrap().contains("bob (file:kaggle.json)"), "{finding}");
}

#[test]
fn a_resource_created_a_moment_ago_is_lag_not_a_bad_key() {
    // `403 Permission 'datasets.get' was denied` right after CreateDataset; `404 … DownloadDataset`.
    let env = alice(&world(r#", "datasets": [{ "ref": "alice/fresh", "private": true, "just_created": true }]"#));
    let (report, _) = env.json(&["--dataset", "alice/fresh"]);
    assert_eq!(outcome(&report, "file:kaggle.json", "datasets.get"), "forbidden");
    assert_eq!(outcome(&report, "file:kaggle.json", "datasets.download"), "not_found");
    assert_diagnosis(&report, "resource-not-visible-yet", "wait a few minutes");
}

#[test]
fn no_credential_on_a_dataset_is_403_and_means_sign_in() {
    // `403 Permission 'datasets.get' was denied` without credentials (kagglehub is anonymous).
    let env = TestEnv::with_world(&world(r#", "datasets": [{ "ref": "o/public" }]"#));
    let (report, _) = env.json(&["--client", "kagglehub", "--dataset", "o/public"]);
    assert_eq!(outcome(&report, "anonymous", "datasets.get"), "forbidden");
    let codes = finding_codes(&report);
    assert!(codes.contains(&"anonymous-forbidden".to_string()), "{codes:?}");
    assert!(!codes.contains(&"resource-not-found".to_string()), "a public dataset is not missing: {codes:?}");
}

#[test]
fn an_outage_on_one_method_is_inconclusive_not_the_credential() {
    // `500 Server Error … GetKernelSessionStatus`; `{"code":500,"message":"Internal error"}`.
    let env = alice(&world(r#", "outage": ["kernels.list"]"#));
    let (report, code) = env.json(&[]);
    assert_eq!(code, 3);
    assert_diagnosis(&report, "server-error-on-one-method", "retry later");
}

#[test]
fn pasted_errors_are_understood_and_their_resource_probed() {
    let models = r#", "models": [{ "ref": "keras/gemma/keras/gemma_2b_en", "versions": 3, "gated": true }]"#;
    let env = alice(&world(models));
    let keras = "HTTPError: 403 Client Error: Forbidden for url: https://www.kaggle.com/api/v1/models/keras/gemma/keras/gemma_2b_en/3/download/config.json\n...\nKaggleApiHTTPError: 403 Client Error.\n\nYou don't have permission to access resource at URL: https://www.kaggle.com/models/keras/gemma/keras/gemma_2b_en/3. The server reported the following issues: User has not consented to terms of use.";
    let (report, code) = env.json(&["--from-error", keras]);
    assert_eq!(code, 1);
    let understood = &report["from_error"];
    assert_eq!(understood["recognised"], true);
    assert_eq!(understood["client"], "keras_hub");
    assert_eq!(understood["operation"], "models.download");
    assert_eq!(understood["resource"], "keras/gemma/keras/gemma_2b_en/3");
    assert_eq!(understood["status"], 403);
    assert_eq!(report["resources"][0]["from"], "--from-error");
    assert_diagnosis(&report, "model-consent-required", "signed in to kaggle.com as alice");
    // The same through stdin, as `--from-error -`.
    let out = env.cmd().args(["--format", "json", "--from-error", "-"]).write_stdin(keras).output().unwrap();
    let report = valid_report(&out.stdout);
    assert_eq!(report["from_error"]["resource"], "keras/gemma/keras/gemma_2b_en/3");
}

#[test]
fn a_pasted_submission_refusal_is_explained_without_blaming_the_key() {
    let env = alice(&world(""));
    let text = "400 Client Error: Bad Request for url: https://api.kaggle.com/v1/competitions.CompetitionApiService/CreateSubmission\nAPI response body: Submission not allowed: This competition only accepts Submissions from Notebooks.";
    let (report, code) = env.json(&["--from-error", text]);
    assert_eq!(code, 0, "the credential works");
    assert_diagnosis(&report, "submission-not-allowed", "submit from a Kaggle notebook");
}

#[test]
fn garbage_pasted_text_says_nothing_was_understood_and_runs_the_normal_check() {
    let env = alice(&world(""));
    let mut garbage = String::from("\u{1b}[2J lorem ipsum \u{7}");
    garbage.push_str(&"ж".repeat(20_000));
    for text in ["hello", garbage.as_str()] {
        let (report, code) = env.json(&["--from-error", text]);
        assert_eq!(code, 0);
        assert_eq!(report["from_error"]["recognised"], false);
        assert_eq!(report["resources"].as_array().unwrap().len(), 0);
    }
    let text = env.cmd().args(["--color", "never", "--from-error", "hello"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("nothing recognised in the pasted text"));
    let binary =
        env.cmd().args(["--format", "json", "--from-error", "-"]).write_stdin(vec![0xff_u8, 0xfe, 0, 1, 2]).output();
    assert_eq!(binary.unwrap().status.code(), Some(0));
    // Far more than is read: only the first part counts, the rest is never buffered.
    let huge = format!("kaggle datasets download -d o/s\n{}", "x".repeat(4 * 1024 * 1024));
    let out = env.cmd().args(["--format", "json", "--from-error", "-"]).write_stdin(huge).output().unwrap();
    let report = valid_report(&out.stdout);
    assert_eq!(report["from_error"]["resource"], "o/s");
}

#[test]
fn hostile_resource_names_are_usage_errors() {
    let env = TestEnv::offline();
    for args in [
        ["--dataset", "../../etc/passwd"],
        ["--dataset", "alice/my data"],
        ["--kernel", "alice/"],
        ["--model", "keras/gemma"],
        ["--kernel", "alice/naïve"],
        ["--dataset", "https://evil.example/datasets/a/b"],
        ["--competition", "https://www.kaggle.com/datasets/a/b"],
    ] {
        let out = env.cmd().args(args).arg("--offline").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(args[0]), "{args:?}: the message names the flag: {stderr}");
    }
}
