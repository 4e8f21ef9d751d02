//! Documentation that must follow the code.

use kaggle_auth_doctor::diagnose::Code;

#[test]
fn every_finding_code_has_exactly_one_heading_in_docs_findings() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/findings.md")).unwrap();
    let headings: Vec<&str> =
        doc.lines().filter_map(|l| l.strip_prefix("## `")).map(|l| l.trim_end_matches('`')).collect();
    assert_eq!(headings.len(), Code::ALL.len(), "one heading per code, no more");
    for code in Code::ALL {
        let n = headings.iter().filter(|h| **h == code.as_str()).count();
        assert_eq!(n, 1, "docs/findings.md must have exactly one heading for {}", code.as_str());
    }
    for h in &headings {
        assert!(Code::ALL.iter().any(|c| c.as_str() == *h), "docs/findings.md documents unknown code {h}");
    }
}

#[test]
fn every_source_id_is_documented_in_docs_json() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md")).unwrap();
    for id in [
        "notebook:KAGGLE_API_V1_TOKEN",
        "env:KAGGLE_API_TOKEN",
        "file:access_token",
        "file:access_token.txt",
        "env:KAGGLE_USERNAME+KAGGLE_KEY",
        "file:kaggle.json",
        "env:KAGGLE_TOKEN",
        "file:kaggle.json#token",
        "file:credentials.json",
        "dotenv:.env",
        "merged:kaggle.json+env",
        "anonymous",
    ] {
        assert!(kaggle_auth_doctor::is_source_id(id));
        assert!(doc.contains(&format!("| `{id}` |")), "docs/json.md lacks a row for {id}");
    }
}

#[test]
fn every_report_field_is_documented_in_docs_json() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md")).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schema/report.schema.json"))).unwrap();
    let defs = schema["$defs"].as_object().unwrap().values();
    let mut missing = Vec::new();
    for object in std::iter::once(&schema).chain(defs) {
        for field in object["properties"].as_object().into_iter().flat_map(|p| p.keys()) {
            if !doc.contains(&format!("`{field}`")) {
                missing.push(field.clone());
            }
        }
    }
    assert!(missing.is_empty(), "docs/json.md does not mention the report fields {missing:?}");
}

#[test]
fn every_endpoint_id_is_documented_in_docs_json() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md")).unwrap();
    for id in kaggle_auth_doctor::endpoints::EndpointId::ALL.map(|e| e.as_str()) {
        assert!(doc.contains(&format!("`{id}`")), "docs/json.md does not list the endpoint id {id}");
    }
}

/// Names of notes kept outside this repository: a maintainer with the repository alone
/// cannot follow a reference to them. Comments point at docs/ instead.
const OUTSIDE_NOTES: [&str; 7] =
    ["DESIGN.md", "STYLE.md", "kaggle-client-spec", "kagglehub-spec", "failure-modes", "real-answers.md", "shared/"];

/// True when `text` cites an outside note: by name, by a section sign, or by one of their
/// numbering schemes (client behaviours: B and a number; kagglehub's: K and a number;
/// failure modes: FM, a dash and a number).
fn cites_outside_notes(text: &str) -> bool {
    let numbered = |w: &str, prefix: &str| {
        w.strip_prefix(prefix).is_some_and(|n| (1..=2).contains(&n.len()) && n.chars().all(|c| c.is_ascii_digit()))
    };
    let failure_mode = text.match_indices("FM-").any(|(i, _)| text[i + 3..].starts_with(|c: char| c.is_ascii_digit()));
    OUTSIDE_NOTES.iter().any(|n| text.contains(n))
        || text.contains('§')
        || failure_mode
        || text.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| numbered(w, "B") || numbered(w, "K"))
}

/// The comment part of a line: after `//` in Rust, after a `#` that starts a word elsewhere.
fn comment(path: &std::path::Path, line: &str) -> Option<String> {
    let rust = path.extension().is_some_and(|e| e == "rs");
    let word_start = |&(i, _): &(usize, &str)| i == 0 || line[..i].ends_with([' ', '\t']);
    let at = if rust { line.find("//") } else { line.match_indices('#').find(word_start).map(|(i, _)| i) };
    at.map(|i| line[i..].to_string())
}

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if !path.to_string_lossy().contains("/snapshots/") {
            out.push(path);
        }
    }
}

#[test]
fn comments_cite_the_repository_docs_not_notes_outside_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "scripts", ".ci"] {
        files_under(&root.join(dir), &mut files);
    }
    let mut found = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for (n, line) in text.lines().enumerate() {
            if comment(&path, line).is_some_and(|c| cites_outside_notes(&c)) {
                found.push(format!("{}:{}: {}", path.strip_prefix(root).unwrap().display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "comments citing notes outside the repository (point at docs/ instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn docs_fixtures_and_schema_cite_nothing_outside_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for dir in ["docs", "fixtures", "schema"] {
        files_under(&root.join(dir), &mut files);
    }
    let mut found = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for (n, line) in text.lines().enumerate().filter(|(_, l)| cites_outside_notes(l)) {
            found.push(format!("{}:{}: {}", path.strip_prefix(root).unwrap().display(), n + 1, line.trim()));
        }
    }
    assert!(found.is_empty(), "references to notes outside the repository:\n{}", found.join("\n"));
}

#[test]
fn the_citation_check_sees_what_it_must() {
    for cited in ["(spec B11)", "see DESIGN.md", "§3.1", "K7", "FM-08", "shared/notes"] {
        assert!(cites_outside_notes(cited), "{cited}");
    }
    for fine in ["docs/findings.md `config-token-overrides-key`", "base64", "B2B", "KGAT_x", "http://x/K"] {
        assert!(!cites_outside_notes(fine), "{fine}");
    }
    // Built, so that this file's own lines hold no citation.
    let rust_line = format!("let x = 1; {} B{}", "//", 1);
    assert!(comment(std::path::Path::new("a.rs"), &rust_line).is_some_and(|c| cites_outside_notes(&c)));
    let shell_line = format!("echo \"#B{0}\" {1} why", 1, '#');
    assert_eq!(comment(std::path::Path::new("a.sh"), &shell_line).as_deref(), Some("# why"));
}
