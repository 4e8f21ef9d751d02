//! `kaggle-auth-doctor explain CODE`: the long explanation of a finding, taken from
//! docs/findings.md (compiled in), so the docs and the tool never disagree.

use anyhow::{Result, bail};

use super::Code;

const FINDINGS_MD: &str = include_str!("../../docs/findings.md");

/// The section of docs/findings.md for `code`, or the list of codes without one.
pub fn explain(code: Option<&str>) -> Result<String> {
    let Some(code) = code else { return Ok(list()) };
    let Some(found) = Code::ALL.iter().find(|c| c.as_str() == code) else {
        match did_you_mean(code) {
            Some(near) => {
                bail!("unknown finding code '{code}'; did you mean '{near}'? (`kaggle-auth-doctor explain` lists them)")
            }
            None => bail!("unknown finding code '{code}'; `kaggle-auth-doctor explain` lists them"),
        }
    };
    let heading = format!("## `{}`", found.as_str());
    let section: Vec<&str> =
        FINDINGS_MD.lines().skip_while(|l| *l != heading).skip(1).take_while(|l| !l.starts_with("## ")).collect();
    Ok(format!("{}\n\n{}\n", found.as_str(), section.join("\n").trim()))
}

/// The code nearest to a mistyped one, when it is near enough to be a typo (or the
/// typed text is a part of exactly one code).
fn did_you_mean(typed: &str) -> Option<&'static str> {
    let typed = typed.trim().to_lowercase().replace('_', "-");
    let containing: Vec<&'static str> = Code::ALL.iter().map(|c| c.as_str()).filter(|c| c.contains(&typed)).collect();
    if let [only] = containing[..] {
        return Some(only);
    }
    let (distance, nearest) = Code::ALL.iter().map(|c| (strsim::levenshtein(&typed, c.as_str()), c.as_str())).min()?;
    (distance <= 3.max(typed.len() / 4)).then_some(nearest)
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
    fn a_typo_gets_a_suggestion() {
        assert_eq!(did_you_mean("token-shadow-working-key"), Some("token-shadows-working-key"));
        assert_eq!(did_you_mean("TOKEN_INACTIVE"), Some("token-inactive"));
        assert_eq!(did_you_mean("bearer-prefix"), Some("token-has-bearer-prefix"));
        assert_eq!(did_you_mean("zzzzzzzzzzzzzzzzzzzzzzzzzzzz"), None);
        let err = explain(Some("token-inactiv")).unwrap_err().to_string();
        assert!(err.contains("did you mean 'token-inactive'"), "{err}");
    }

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
