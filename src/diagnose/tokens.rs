//! What introspection says about each token, as data: active, inactive or expired, its
//! scope and expiry. The report shows it on the source (`sources[].token`), in the matrix
//! cell of `introspect` and in JUnit, so a revoked token never reads as a green `ok`
//! just because the introspection call itself answered 200.

use serde_json::Value;

use crate::discover::{SourceId, TokenInfo, TokenState};
use crate::endpoints::EndpointId;
use crate::matrix::{Cell, Outcome};

/// The token state of every source whose introspection answered; `now` is Unix seconds.
pub fn token_infos(cells: &[Cell], now: i64) -> Vec<(SourceId, TokenInfo)> {
    cells
        .iter()
        .filter(|c| c.endpoint == EndpointId::Introspect && c.outcome == Outcome::Ok)
        .filter_map(|c| Some((c.source, info(c.answer.as_ref()?, now))))
        .collect()
}

fn info(answer: &Value, now: i64) -> TokenInfo {
    let exp = answer.get("exp").and_then(Value::as_i64);
    let active = answer.get("active").and_then(Value::as_bool) == Some(true)
        && answer.get("username").and_then(Value::as_str).is_some_and(|u| !u.is_empty());
    let state = match (active, exp) {
        (true, _) => TokenState::Active,
        (false, Some(e)) if e < now => TokenState::Expired,
        (false, _) => TokenState::Inactive,
    };
    TokenInfo {
        state,
        scope: answer.get("scope").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string),
        expires_at: exp.filter(|e| *e > 0).map(crate::timestamp::rfc3339),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn states_follow_active_and_expiry() {
        assert_eq!(info(&json!({"active": true, "username": "a"}), 100).state, TokenState::Active);
        assert_eq!(info(&json!({"active": false}), 100).state, TokenState::Inactive);
        assert_eq!(info(&json!({"active": false, "exp": 50}), 100).state, TokenState::Expired);
        assert_eq!(info(&json!({"active": true, "username": ""}), 100).state, TokenState::Inactive);
        let scoped = info(&json!({"active": true, "username": "a", "scope": "x y", "exp": 86400}), 0);
        assert_eq!(scoped.scope.as_deref(), Some("x y"));
        assert_eq!(scoped.expires_at.as_deref(), Some("1970-01-02T00:00:00Z"));
    }
}
