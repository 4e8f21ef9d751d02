//! `kaggle-auth-doctor explain CODE`: the long explanation of a finding, taken from
//! docs/findings.md (compiled in), so the docs and the tool never disagree.

use anyhow::{Result, bail};

use super::Code;

const FINDINGS_MD: &str = include_str!("../../docs/findings.md");

/// The section of docs/findings.md for `code`, or the list of codes without one.
pub fn explain(code: Option<&str>) -> Result<String> {
    let Some(code) = code else { return Ok(list()) };
    let Some(found) = Code::ALL.iter().find(|c| c.as_str() == code) else {
        bail!("unknown finding code '{code}'; `kaggle-auth-doctor explain` lists them");
    };
    let heading = format!("## `{}`", found.as_str());
    let section: Vec<&str> =
        FINDINGS_MD.lines().skip_while(|l| *l != heading).skip(1).take_while(|l| !l.starts_with("## ")).collect();
    Ok(format!("{}\n\n{}\n", found.as_str(), section.join("\n").trim()))
}

fn list() -> String {
    let width = Code::ALL.iter().map(|c| c.as_str().len()).max().unwrap_or(0);
    let mut out = String::new();
    for code in Code::ALL {
        out.push_str(&format!("{:width$}  {}\n", code.as_str(), code.description()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_non_empty_explanation() {
        for code in Code::ALL {
            let text = explain(Some(code.as_str())).unwrap();
            assert!(text.lines().count() > 2, "{}: {text}", code.as_str());
        }
        assert!(explain(Some("no-such-code")).is_err());
        assert_eq!(explain(None).unwrap().lines().count(), Code::ALL.len());
    }
}
