//! The fixed catalog of read-only endpoints (DESIGN.md). Nothing here writes, submits,
//! generates or revokes anything.

use serde::Serialize;

/// Stable endpoint ids: a public contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum EndpointId {
    /// Identity: works for Bearer and Basic.
    #[serde(rename = "whoami")]
    Whoami,
    /// Token introspection: active, username, scope, expiry (tokens only).
    #[serde(rename = "introspect")]
    Introspect,
    /// Does the competition slug exist.
    #[serde(rename = "competitions.get")]
    CompetitionsGet,
    /// Public competitions list.
    #[serde(rename = "competitions.list")]
    CompetitionsList,
    /// The user's submissions to the competition.
    #[serde(rename = "competitions.submissions")]
    CompetitionsSubmissions,
    /// The competition leaderboard.
    #[serde(rename = "competitions.leaderboard")]
    CompetitionsLeaderboard,
    /// The competition's data files (needs accepted rules).
    #[serde(rename = "competitions.files")]
    CompetitionsFiles,
    /// Public datasets list.
    #[serde(rename = "datasets.list")]
    DatasetsList,
    /// Public notebooks list.
    #[serde(rename = "kernels.list")]
    KernelsList,
    /// Public models list.
    #[serde(rename = "models.list")]
    ModelsList,
}

/// What an endpoint's request body needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// `{}`.
    Empty,
    /// `{"token": T}`: the token being probed.
    Token,
    /// `{"competitionName": C}`.
    Competition,
}

/// One endpoint of the catalog.
#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    /// Stable id.
    pub id: EndpointId,
    /// RPC service, e.g. `competitions.CompetitionApiService`.
    pub service: &'static str,
    /// RPC method, e.g. `ListSubmissions`.
    pub method: &'static str,
    /// Request body shape.
    pub body: Body,
}

impl Endpoint {
    /// True for the endpoints that take the competition slug.
    pub fn is_competition_specific(&self) -> bool {
        self.body == Body::Competition
    }
}

/// The catalog, in column order.
pub const CATALOG: [Endpoint; 10] = [
    ep(EndpointId::Whoami, "api.v1.DiagnosticsService", "Hello", Body::Empty),
    ep(EndpointId::Introspect, "security.OAuthService", "IntrospectToken", Body::Token),
    ep(EndpointId::CompetitionsGet, "competitions.CompetitionApiService", "GetCompetition", Body::Competition),
    ep(EndpointId::CompetitionsList, "competitions.CompetitionApiService", "ListCompetitions", Body::Empty),
    ep(EndpointId::CompetitionsSubmissions, "competitions.CompetitionApiService", "ListSubmissions", Body::Competition),
    ep(EndpointId::CompetitionsLeaderboard, "competitions.CompetitionApiService", "GetLeaderboard", Body::Competition),
    ep(EndpointId::CompetitionsFiles, "competitions.CompetitionApiService", "ListDataFiles", Body::Competition),
    ep(EndpointId::DatasetsList, "datasets.DatasetApiService", "ListDatasets", Body::Empty),
    ep(EndpointId::KernelsList, "kernels.KernelsApiService", "ListKernels", Body::Empty),
    ep(EndpointId::ModelsList, "models.ModelApiService", "ListModels", Body::Empty),
];

const fn ep(id: EndpointId, service: &'static str, method: &'static str, body: Body) -> Endpoint {
    Endpoint { id, service, method, body }
}

impl EndpointId {
    /// The id as printed everywhere.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointId::Whoami => "whoami",
            EndpointId::Introspect => "introspect",
            EndpointId::CompetitionsGet => "competitions.get",
            EndpointId::CompetitionsList => "competitions.list",
            EndpointId::CompetitionsSubmissions => "competitions.submissions",
            EndpointId::CompetitionsLeaderboard => "competitions.leaderboard",
            EndpointId::CompetitionsFiles => "competitions.files",
            EndpointId::DatasetsList => "datasets.list",
            EndpointId::KernelsList => "kernels.list",
            EndpointId::ModelsList => "models.list",
        }
    }

    /// The catalog entry.
    pub fn endpoint(self) -> &'static Endpoint {
        CATALOG.iter().find(|e| e.id == self).expect("every id is in the catalog")
    }

    /// Parses an id as given on the command line.
    pub fn parse(text: &str) -> Option<EndpointId> {
        CATALOG.iter().map(|e| e.id).find(|id| id.as_str() == text)
    }

    /// The endpoint with `service/method`, as the fake API routes it.
    pub fn from_rpc(service: &str, method: &str) -> Option<EndpointId> {
        CATALOG.iter().find(|e| e.service == service && e.method == method).map(|e| e.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        for e in CATALOG {
            assert_eq!(EndpointId::parse(e.id.as_str()), Some(e.id));
            assert_eq!(EndpointId::from_rpc(e.service, e.method), Some(e.id));
            assert_eq!(serde_json::to_value(e.id).unwrap(), e.id.as_str());
        }
    }
}
