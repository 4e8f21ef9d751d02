//! The fixed catalog of read-only endpoints (docs/json.md lists the ids). Nothing here writes, submits,
//! generates or revokes anything.

use crate::table::names;

/// What an endpoint's request body needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// `{}`.
    Empty,
    /// `{"token": T}`: the token being probed.
    Token,
    /// `{"competitionName": C}`.
    Competition,
    /// `{"ownerSlug", "datasetSlug"}` (+ `datasetVersionNumber` for the download).
    Dataset,
    /// `{"ownerSlug", "modelSlug", "framework", "instanceSlug"}` (+ `versionNumber` for
    /// the download).
    Model,
    /// `{"userName", "kernelSlug"}`.
    Kernel,
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

    /// True for the endpoints that need a named dataset, model or kernel: they are
    /// columns only when one is named.
    pub fn needs_named_resource(&self) -> bool {
        matches!(self.body, Body::Dataset | Body::Model | Body::Kernel)
    }

    /// True for downloads: Kaggle answers with a redirect to the file host, which the
    /// doctor reads as "allowed" and never follows (docs/json.md, `endpoints[]`).
    pub fn is_download(&self) -> bool {
        matches!(self.id, EndpointId::CompetitionsDownload | EndpointId::DatasetsDownload | EndpointId::ModelsDownload)
    }
}

/// Declares [`EndpointId`] and [`CATALOG`] from one line per endpoint:
/// `Variant = "id" => ("rpc service", "rpc method", body)`.
macro_rules! catalog {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $id:literal => ($service:literal, $method:literal, $body:ident), )+) => {
        names! {
            /// Stable endpoint ids: a public contract (docs/json.md). Declaration order is
            /// column order.
            pub enum EndpointId {
                $( $(#[doc = $doc])+ $variant = $id, )+
            }
        }

        /// The catalog, in column order.
        pub const CATALOG: [Endpoint; EndpointId::ALL.len()] =
            [$( Endpoint { id: EndpointId::$variant, service: $service, method: $method, body: Body::$body }, )+];
    };
}

// To add an endpoint: one line here (read-only methods only), and the fake API's answer
// for it (src/fake_kaggle).
catalog! {
    /// Identity: works for Bearer and Basic.
    Whoami = "whoami" => ("api.v1.DiagnosticsService", "Hello", Empty),
    /// Token introspection: active, username, scope, expiry (tokens only).
    Introspect = "introspect" => ("security.OAuthService", "IntrospectToken", Token),
    /// Does the competition slug exist.
    CompetitionsGet = "competitions.get" => ("competitions.CompetitionApiService", "GetCompetition", Competition),
    /// Public competitions list.
    CompetitionsList = "competitions.list" => ("competitions.CompetitionApiService", "ListCompetitions", Empty),
    /// The user's submissions to the competition.
    CompetitionsSubmissions = "competitions.submissions" => ("competitions.CompetitionApiService", "ListSubmissions", Competition),
    /// The competition leaderboard.
    CompetitionsLeaderboard = "competitions.leaderboard" => ("competitions.CompetitionApiService", "GetLeaderboard", Competition),
    /// The competition's data files listed (works without accepted rules).
    CompetitionsFiles = "competitions.files" => ("competitions.CompetitionApiService", "ListDataFiles", Competition),
    /// The competition's data download: where Kaggle checks the rules. Never followed.
    CompetitionsDownload = "competitions.download" => ("competitions.CompetitionApiService", "DownloadDataFiles", Competition),
    /// Public datasets list.
    DatasetsList = "datasets.list" => ("datasets.DatasetApiService", "ListDatasets", Empty),
    /// The named dataset (`--dataset`).
    DatasetsGet = "datasets.get" => ("datasets.DatasetApiService", "GetDataset", Dataset),
    /// The named dataset's download (`--dataset`). Never followed.
    DatasetsDownload = "datasets.download" => ("datasets.DatasetApiService", "DownloadDataset", Dataset),
    /// Public notebooks list.
    KernelsList = "kernels.list" => ("kernels.KernelsApiService", "ListKernels", Empty),
    /// The named kernel (`--kernel`).
    KernelsGet = "kernels.get" => ("kernels.KernelsApiService", "GetKernel", Kernel),
    /// Public models list.
    ModelsList = "models.list" => ("models.ModelApiService", "ListModels", Empty),
    /// The named model instance (`--model`).
    ModelsGet = "models.get" => ("models.ModelApiService", "GetModelInstance", Model),
    /// The named model instance version's download (`--model`): where gated models ask
    /// for consent. Never followed.
    ModelsDownload = "models.download" => ("models.ModelApiService", "DownloadModelInstanceVersion", Model),
}

impl EndpointId {
    /// The catalog entry (the catalog is in declaration order).
    pub fn endpoint(self) -> &'static Endpoint {
        &CATALOG[self as usize]
    }

    /// The legacy REST request kaggle 1.5–1.7 send for this endpoint (docs/client-behaviour.md):
    /// `GET` of this path, relative to the legacy root (`…/api/v1`). `None` for the
    /// endpoints those clients never call (whoami, introspect, competitions.get), and for the
    /// named-resource endpoints, which are probed in their RPC form whatever the client.
    pub fn legacy_path(self, competition: &str) -> Option<String> {
        let c = competition;
        Some(match self {
            EndpointId::Whoami | EndpointId::Introspect | EndpointId::CompetitionsGet => return None,
            EndpointId::CompetitionsDownload
            | EndpointId::DatasetsGet
            | EndpointId::DatasetsDownload
            | EndpointId::KernelsGet
            | EndpointId::ModelsGet
            | EndpointId::ModelsDownload => return None,
            EndpointId::CompetitionsList => "/competitions/list?page=1".into(),
            EndpointId::CompetitionsSubmissions => format!("/competitions/submissions/list/{c}"),
            EndpointId::CompetitionsLeaderboard => format!("/competitions/{c}/leaderboard/view"),
            EndpointId::CompetitionsFiles => format!("/competitions/data/list/{c}?pageToken=None&pageSize=20"),
            EndpointId::DatasetsList => "/datasets/list?group=public&sortBy=hottest&size=None&filetype=all&license=all&page=1&maxSize=None&minSize=None".into(),
            EndpointId::KernelsList => "/kernels/list?page=1&pageSize=20&group=everyone&language=all&kernelType=all&outputType=all&sortBy=hotness".into(),
            EndpointId::ModelsList => "/models/list?sortBy=hotness&pageSize=20&pageToken=None".into(),
        })
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
        for (e, id) in CATALOG.iter().zip(EndpointId::ALL) {
            assert_eq!(e.id, id);
            assert_eq!(id.endpoint().id, id);
            assert_eq!(EndpointId::parse(e.id.as_str()), Some(e.id));
            assert_eq!(EndpointId::from_rpc(e.service, e.method), Some(e.id));
            assert_eq!(serde_json::to_value(e.id).unwrap(), e.id.as_str());
        }
    }
}
