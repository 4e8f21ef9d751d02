//! Reports for bug tickets and CI: every format, real parsers, annotations, gating flags.

use crate::support::*;

/// Masks what changes from run to run: ports, times, durations, request ids.
fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let starts = |i: usize, p: &str| chars[i..].iter().take(p.chars().count()).copied().eq(p.chars());
    while i < chars.len() {
        let digits_after = |from: usize| chars[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        if starts(i, "127.0.0.1:") {
            out.push_str("127.0.0.1:PORT");
            i += 10 + digits_after(i + 10);
        } else if starts(i, "fake-") && digits_after(i + 5) > 0 {
            out.push_str("fake-ID");
            i += 5 + digits_after(i + 5);
        } else if starts(i, "\"elapsed_ms\": ") && digits_after(i + 14) > 0 {
            out.push_str("\"elapsed_ms\": MS");
            i += 14 + digits_after(i + 14);
        } else if i + 19 <= chars.len() && is_timestamp(&chars[i..i + 19]) {
            out.push_str("TIME");
            i += 19;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out.replace("TIMEZ", "TIME")
}

fn is_timestamp(c: &[char]) -> bool {
    let pattern = "dddd-dd-ddTdd:dd:dd";
    pattern.chars().zip(c).all(|(p, c)| if p == 'd' { c.is_ascii_digit() } else { p == *c })
}

fn demo(scenario: &str, args: &[&str]) -> (String, i32) {
    let out = TestEnv::offline().cmd().args(["demo", scenario]).args(args).output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

#[test]
fn every_format_is_snapshotted_on_four_scenarios() {
    for scenario in ["token-shadows-key", "all-good", "no-credentials", "rules-not-accepted"] {
        for format in ["text", "json", "markdown", "junit"] {
            let (text, _) = demo(scenario, &["--format", format, "--jobs", "1"]);
            if format == "json" {
                validate(&serde_json::from_str(&text).unwrap());
            }
            insta::assert_snapshot!(format!("{scenario}.{format}"), mask(&text));
        }
    }
}

#[test]
fn markdown_parses_as_commonmark_with_a_table_a_fix_block_and_collapsed_json() {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
    // The JSON report is opt-in (-v): a ticket stays short.
    let (short, _) = demo("token-shadows-key", &["--format", "markdown"]);
    assert!(!short.contains("<details>") && short.len() < 10_000, "{} bytes", short.len());
    let (text, _) = demo("token-shadows-key", &["--format", "markdown", "-v"]);
    let (mut tables, mut headings, mut html, mut sh_blocks, mut json_blocks) = (0, 0, 0, 0, 0);
    for event in Parser::new_ext(&text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::Heading { .. }) => headings += 1,
            Event::Html(h) | Event::InlineHtml(h) if h.contains("<details>") => html += 1,
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if &*lang == "sh" => sh_blocks += 1,
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if &*lang == "json" => json_blocks += 1,
            _ => {}
        }
    }
    assert_eq!(tables, 3, "environment, sources and matrix tables");
    assert!(headings >= 4);
    assert_eq!((html, json_blocks), (1, 1), "the JSON report sits in one <details> block");
    assert!(sh_blocks >= 1, "fixes are sh code blocks");
    assert!(text.starts_with("## ❌ kaggle-auth-doctor: FAIL"));
}

#[test]
fn markdown_escapes_untrusted_text() {
    let mut env = TestEnv::new();
    env.env("KAGGLE_API_TOKEN", "<script>alert(1)</script>");
    let out = env.cmd().args(["--format", "markdown"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let outside_json = text.split("<details>").next().unwrap();
    assert!(!outside_json.contains("<script>"));
}

#[test]
fn junit_parses_as_xml_and_counts_its_failures() {
    let (text, code) = demo("token-shadows-key", &["--format", "junit"]);
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    let failed = cases.iter().filter(|c| c.children().any(|n| n.has_tag_name("failure"))).count();
    let suite = doc.descendants().find(|n| n.has_tag_name("testsuite")).unwrap();
    assert_eq!(suite.attribute("tests"), Some(cases.len().to_string().as_str()));
    assert_eq!(suite.attribute("failures"), Some(failed.to_string().as_str()));
    let names: Vec<&str> = cases.iter().filter_map(|c| c.attribute("name")).collect();
    assert!(names.contains(&"env:KAGGLE_API_TOKEN × competitions.submissions"));
    assert!(names.contains(&"token-shadows-working-key"));
    let (passing, code) = demo("all-good", &["--format", "junit"]);
    assert_eq!(code, 0);
    assert!(!roxmltree::Document::parse(&passing).unwrap().descendants().any(|n| n.has_tag_name("failure")));
}

#[test]
fn github_actions_gets_annotations_on_stderr_and_a_step_summary() {
    let mut env = TestEnv::offline();
    let summary = env.path("~/summary.md");
    env.env("GITHUB_ACTIONS", "true").env("GITHUB_STEP_SUMMARY", &summary);
    let out = env.cmd().args(["demo", "--format", "json", "--step-summary"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("::error title=kaggle-auth-doctor token-shadows-working-key::"), "{stderr}");
    assert!(stderr.contains("fix: unset KAGGLE_API_TOKEN"), "{stderr}");
    let report = valid_report(&out.stdout);
    assert_eq!(report["exit_code"], 1);
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("## ❌ kaggle-auth-doctor: FAIL"));
}

#[test]
fn no_annotations_outside_github_actions() {
    let out = TestEnv::offline().cmd().arg("demo").output().unwrap();
    assert!(!String::from_utf8(out.stderr).unwrap().contains("::error"));
}

#[test]
fn output_file_gets_the_report_and_the_terminal_the_summary() {
    let env = TestEnv::offline();
    let file = env.path("~/report.json");
    let out = env.cmd().args(["demo", "--format", "json", "--output"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    validate(&report);
    assert!(String::from_utf8(out.stdout).unwrap().contains("FAIL env:KAGGLE_API_TOKEN"));
}

#[test]
fn require_decides_which_endpoints_the_exit_code_judges() {
    assert_eq!(demo("token-shadows-key", &["--require", "whoami,datasets.list"]).1, 0);
    assert_eq!(demo("token-shadows-key", &["--require", "whoami,competitions.submissions"]).1, 1);
    assert_eq!(demo("token-shadows-key", &["--require", "nope"]).1, 2);
}

#[test]
fn effective_only_probes_just_the_credential_on_the_wire() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_API_TOKEN", SCOPED_TOKEN);
    let (report, code) = env.json(&["--competition", "santa-2025", "--effective-only"]);
    assert_eq!(code, 1);
    assert_eq!(report["effective"]["source"], "env:KAGGLE_API_TOKEN");
    assert_eq!(outcome(&report, "file:kaggle.json", "whoami"), "not_probed");
    assert_eq!(outcome(&report, "env:KAGGLE_API_TOKEN", "competitions.submissions"), "unauthorized");
    assert_eq!(env.fake.as_ref().unwrap().hits().len(), 11, "one introspection, then the token's other 10 cells");
    let good = TestEnv::new();
    good.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    assert_eq!(good.json(&["--effective-only"]).1, 0);
}

#[test]
fn quiet_prints_only_errors() {
    assert_eq!(demo("all-good", &["-q"]), (String::new(), 0));
    let (text, code) = demo("token-shadows-key", &["-q"]);
    assert_eq!(code, 1);
    assert!(text.starts_with("  error[token-shadows-working-key]"), "{text}");
    assert!(!text.contains("Matrix") && !text.contains("warning["));
}

#[test]
fn strict_redaction_hides_users_and_host() {
    for format in ["text", "json", "markdown", "junit"] {
        let (text, _) = demo("token-shadows-key", &["--redact", "strict", "--format", format]);
        assert!(!text.contains("alice"), "{format}: {text}");
        assert!(!text.contains("sandbox-host"), "{format}: the host name");
    }
    let (text, _) = demo("token-shadows-key", &["--redact", "strict"]);
    assert!(text.contains("user1"));
}

#[test]
fn fail_on_moves_the_threshold() {
    let env = TestEnv::new();
    let path = env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    assert_eq!(env.json(&[]).1, 0);
    assert_eq!(env.json(&["--fail-on", "warning"]).1, 1);
    assert_eq!(demo("token-shadows-key", &["--fail-on", "never"]).1, 0);
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = TestEnv::offline().cmd().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).contains("effective-only"), "{shell}");
    }
    let man = TestEnv::offline().cmd().arg("man").output().unwrap();
    let text = String::from_utf8(man.stdout).unwrap();
    assert!(text.starts_with(".ie") || text.contains(".TH"), "{text}");
    assert!(text.contains("kaggle\\-auth\\-doctor"));
}
