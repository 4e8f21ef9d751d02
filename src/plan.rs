//! Plan: which (source, endpoint) pairs to probe, and which cells are decided without a
//! request (`skipped`, `not_probed`). Pure.

use crate::discover::{Kind, Source, SourceId};
use crate::endpoints::{Body, EndpointId};
use crate::matrix::Outcome;
use crate::secret::Credential;

/// One cell of the matrix, before probing.
#[derive(Clone, Debug)]
pub struct PlannedCell {
    /// Row.
    pub source: SourceId,
    /// Column.
    pub endpoint: EndpointId,
    /// What to do with it.
    pub action: Action,
}

/// Whether a cell is probed, and with what.
#[derive(Clone, Debug)]
pub enum Action {
    /// Send the request with this credential (`None`: anonymously).
    Probe(Option<Credential>),
    /// Ask IntrospectToken about `token` with another credential in the Authorization
    /// header, as a client whose configured credential is `header` (of `header_from`)
    /// sends it (docs/client-behaviour.md).
    IntrospectAs {
        /// The token asked about (the request's body).
        token: crate::secret::Secret,
        /// Where the header's credential comes from.
        header_from: crate::discover::SourceId,
        /// The credential in the Authorization header.
        header: Credential,
    },
    /// Decided without a request, with a short reason.
    Decided(Outcome, &'static str),
}

impl Action {
    /// True when the cell needs a request.
    pub fn sends(&self) -> bool {
        !matches!(self, Action::Decided(..))
    }
}

/// Every source × every endpoint, in row then column order. With `offline`, nothing is
/// probed.
pub fn plan(sources: &[Source], endpoints: &[EndpointId], offline: bool) -> Vec<PlannedCell> {
    let mut cells = Vec::with_capacity(sources.len() * endpoints.len());
    for source in sources {
        for &endpoint in endpoints {
            cells.push(PlannedCell { source: source.id, endpoint, action: action(source, endpoint, offline) });
        }
    }
    cells
}

fn action(source: &Source, endpoint: EndpointId, offline: bool) -> Action {
    if !source.is_usable() {
        return Action::Decided(Outcome::NotProbed, "source unusable");
    }
    let is_token = matches!(source.kind, Kind::Token | Kind::Oauth);
    if endpoint.endpoint().body == Body::Token && !is_token {
        return Action::Decided(Outcome::Skipped, "introspection applies to tokens only");
    }
    if offline {
        return Action::Decided(Outcome::NotProbed, "offline");
    }
    Action::Probe(source.credential.clone())
}

/// Number of cells that need a request.
pub fn probe_count(cells: &[PlannedCell]) -> usize {
    cells.iter().filter(|c| c.action.sends()).count()
}

/// The plan with only the probes `keep` accepts; every other probe becomes `not_probed`
/// (`--effective-only`).
pub fn restrict(plan: &[PlannedCell], keep: impl Fn(&PlannedCell) -> bool) -> Vec<PlannedCell> {
    plan.iter()
        .map(|c| {
            if c.action.sends() && !keep(c) {
                PlannedCell {
                    action: Action::Decided(Outcome::NotProbed, "not probed (--effective-only)"),
                    ..c.clone()
                }
            } else {
                c.clone()
            }
        })
        .collect()
}
