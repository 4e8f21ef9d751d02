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
