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

    /// True for the endpoints a legacy REST client of `dialect` sends as a legacy request;
    /// the others, which that client never calls, are probed in their RPC form. kaggle
    /// 1.5–1.7: all but whoami, introspect and competitions.get. kagglehub 0.3: whoami
    /// (`hello`), the resource reads and downloads, and the competition download.
    pub fn has_legacy_form(self, dialect: Dialect) -> bool {
        use EndpointId as E;
        match dialect {
            Dialect::Swagger | Dialect::Sdk => !matches!(self, E::Whoami | E::Introspect | E::CompetitionsGet),
            Dialect::Hub => matches!(
                self,
                E::Whoami
                    | E::CompetitionsDownload
                    | E::DatasetsGet
                    | E::DatasetsDownload
                    | E::KernelsGet
                    | E::ModelsGet
                    | E::ModelsDownload
            ),
        }
    }

    /// The legacy REST request the client of `dialect` sends for this endpoint
    /// (docs/client-behaviour.md, "Legacy REST requests"): `GET` of this path, relative to
    /// the legacy root (`…/api/v1`), for the competition `competition`, the resources of
    /// `named` and, for `models.download`, the model version `version`. `None` when the
    /// endpoint has no legacy form, or names a resource that is not given.
    pub fn legacy_path(
        self,
        dialect: Dialect,
        competition: &str,
        named: &crate::resource::Named,
        version: Option<u32>,
    ) -> Option<String> {
        let c = competition;
        if !self.has_legacy_form(dialect) {
            return None;
        }
        Some(match self {
            EndpointId::Whoami => "/hello".into(),
            EndpointId::Introspect | EndpointId::CompetitionsGet => return None,
            EndpointId::CompetitionsList => "/competitions/list?page=1".into(),
            EndpointId::CompetitionsSubmissions => format!("/competitions/submissions/list/{c}"),
            EndpointId::CompetitionsLeaderboard => format!("/competitions/{c}/leaderboard/view"),
            EndpointId::CompetitionsFiles => format!("/competitions/data/list/{c}?pageToken=None&pageSize=20"),
            EndpointId::CompetitionsDownload => format!("/competitions/data/download-all/{c}"),
            EndpointId::DatasetsList => "/datasets/list?group=public&sortBy=hottest&size=None&filetype=all&license=all&page=1&maxSize=None&minSize=None".into(),
            EndpointId::KernelsList => "/kernels/list?page=1&pageSize=20&group=everyone&language=all&kernelType=all&outputType=all&sortBy=hotness".into(),
            EndpointId::ModelsList => "/models/list?sortBy=hotness&pageSize=20&pageToken=None".into(),
            EndpointId::DatasetsGet => {
                let d = named.dataset.as_ref()?;
                let verb = if dialect == Dialect::Hub { "view" } else { "metadata" };
                format!("/datasets/{verb}/{}/{}", d.owner, d.slug)
            }
            EndpointId::DatasetsDownload => {
                let d = named.dataset.as_ref()?;
                let query = match (dialect, d.version) {
                    (Dialect::Swagger, Some(v)) => format!("datasetVersionNumber={v}"),
                    (Dialect::Swagger, None) => "datasetVersionNumber=None".into(),
                    (Dialect::Sdk, Some(v)) => format!("datasetversionnumber={v}&raw=false"),
                    (Dialect::Sdk, None) => "raw=false".into(),
                    // kagglehub asks for the current version first: `version` is that answer.
                    (Dialect::Hub, _) => format!("dataset_version_number={}", d.version.or(version)?),
                };
                format!("/datasets/download/{}/{}?{query}", d.owner, d.slug)
            }
            EndpointId::KernelsGet => {
                let k = named.kernel.as_ref()?;
                match dialect {
                    Dialect::Swagger => format!("/kernels/pull?userName={}&kernelSlug={}", k.owner, k.slug),
                    Dialect::Sdk => format!("/kernels/pull?username={}&kernelslug={}", k.owner, k.slug),
                    Dialect::Hub => format!("/kernels/pull?user_name={}&kernel_slug={}", k.owner, k.slug),
                }
            }
            EndpointId::ModelsGet | EndpointId::ModelsDownload => {
                let m = named.model.as_ref()?;
                let framework = match dialect {
                    Dialect::Swagger | Dialect::Hub => m.framework.clone().unwrap_or_default(),
                    Dialect::Sdk => {
                        let name = m.framework_enum();
                        name.strip_prefix("MODEL_FRAMEWORK_").unwrap_or(&name).to_lowercase()
                    }
                };
                let instance = format!("/models/{}/{}/{framework}/{}", m.owner, m.model, m.variation.as_deref()?);
                match self {
                    EndpointId::ModelsGet => format!("{instance}/get"),
                    _ => format!("{instance}/{}/download", version.or(m.version)?),
                }
            }
        })
    }

    /// The endpoint with `service/method`, as the fake API routes it.
    pub fn from_rpc(service: &str, method: &str) -> Option<EndpointId> {
        CATALOG.iter().find(|e| e.service == service && e.method == method).map(|e| e.id)
    }
}

/// How a legacy REST client spells its requests (docs/client-behaviour.md, "Legacy REST
/// requests"): the paths are the same, the query strings are not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// kaggle 1.5/1.6, a swagger-generated client: camelCase query names, an absent
    /// value sent as the text `None`, the model framework as the user typed it.
    Swagger,
    /// kaggle 1.7, the REST binding of kagglesdk: query names lower-cased, `raw=false`
    /// on dataset downloads, the model framework as its enum name in lower case.
    Sdk,
    /// kagglehub 0.3, its own REST client: snake_case query names, whoami as `hello`, a
    /// dataset's metadata as `view`, and a dataset download always of a version number
    /// (the current one, asked first, when none is given).
    Hub,
}

/// A legacy REST root (`…/api/v1`, no trailing slash) and the spelling of the client
/// that sends to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyRoot {
    /// The root URL.
    pub url: String,
    /// Whose requests.
    pub dialect: Dialect,
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

    /// A dataset, a kernel and a pyTorch model named, the model at `model_version`.
    fn named(model_version: Option<u32>) -> crate::resource::Named {
        use crate::resource::{Dataset, Kernel, Model, Named};
        Named {
            dataset: Some(Dataset { owner: "alice".into(), slug: "ds".into(), version: None }),
            model: Some(Model {
                owner: "keras".into(),
                model: "gemma".into(),
                framework: Some("pyTorch".into()),
                variation: Some("v1".into()),
                version: model_version,
            }),
            kernel: Some(Kernel { owner: "alice".into(), slug: "my-notebook".into() }),
        }
    }

    /// The requests kaggle 1.6.17 (swagger) and 1.7.4.5 (kagglesdk's REST binding) were
    /// seen sending for the named-resource commands (the oracle checks them end to end).
    #[test]
    fn legacy_paths_are_spelled_as_each_client_spells_them() {
        use crate::resource::Named;
        let named = named(None);
        let path = |id: EndpointId, dialect: Dialect, version| id.legacy_path(dialect, "titanic", &named, version);
        let both = |id: EndpointId| (path(id, Dialect::Swagger, Some(3)), path(id, Dialect::Sdk, Some(3)));
        let same = |p: &str| (Some(p.to_string()), Some(p.to_string()));
        assert_eq!(both(EndpointId::CompetitionsDownload), same("/competitions/data/download-all/titanic"));
        assert_eq!(both(EndpointId::DatasetsGet), same("/datasets/metadata/alice/ds"));
        let download = both(EndpointId::DatasetsDownload);
        assert_eq!(download.0.as_deref(), Some("/datasets/download/alice/ds?datasetVersionNumber=None"));
        assert_eq!(download.1.as_deref(), Some("/datasets/download/alice/ds?raw=false"));
        let pull = both(EndpointId::KernelsGet);
        assert_eq!(pull.0.as_deref(), Some("/kernels/pull?userName=alice&kernelSlug=my-notebook"));
        assert_eq!(pull.1.as_deref(), Some("/kernels/pull?username=alice&kernelslug=my-notebook"));
        let get = both(EndpointId::ModelsGet);
        assert_eq!(get.0.as_deref(), Some("/models/keras/gemma/pyTorch/v1/get"));
        assert_eq!(get.1.as_deref(), Some("/models/keras/gemma/py_torch/v1/get"));
        let model = both(EndpointId::ModelsDownload);
        assert_eq!(model.1.as_deref(), Some("/models/keras/gemma/py_torch/v1/3/download"));
        assert_eq!(path(EndpointId::ModelsDownload, Dialect::Sdk, None), None, "no version, no request");
        let mut versioned = named.clone();
        versioned.dataset.as_mut().unwrap().version = Some(2);
        let download = |d| EndpointId::DatasetsDownload.legacy_path(d, "titanic", &versioned, None);
        assert_eq!(download(Dialect::Swagger).as_deref(), Some("/datasets/download/alice/ds?datasetVersionNumber=2"));
        assert_eq!(
            download(Dialect::Sdk).as_deref(),
            Some("/datasets/download/alice/ds?datasetversionnumber=2&raw=false")
        );
        for id in [EndpointId::Whoami, EndpointId::Introspect, EndpointId::CompetitionsGet] {
            assert!(!id.has_legacy_form(Dialect::Swagger) && path(id, Dialect::Swagger, None).is_none(), "{id:?}");
        }
        let unnamed = EndpointId::KernelsGet.legacy_path(Dialect::Sdk, "titanic", &Named::default(), None);
        assert_eq!(unnamed, None, "a resource endpoint needs its resource");
    }

    /// kagglehub 0.3.13's requests, as its released code builds them (the oracle checks
    /// them end to end).
    #[test]
    fn kagglehub_0_3_spells_its_own_requests_and_calls_only_a_few() {
        let named = named(Some(2));
        let path = |id: EndpointId, version| id.legacy_path(Dialect::Hub, "titanic", &named, version);
        assert_eq!(path(EndpointId::Whoami, None).as_deref(), Some("/hello"));
        assert_eq!(path(EndpointId::DatasetsGet, None).as_deref(), Some("/datasets/view/alice/ds"));
        assert_eq!(path(EndpointId::DatasetsDownload, None), None, "the current version is asked first");
        assert_eq!(
            path(EndpointId::DatasetsDownload, Some(4)).as_deref(),
            Some("/datasets/download/alice/ds?dataset_version_number=4")
        );
        assert_eq!(
            path(EndpointId::KernelsGet, None).as_deref(),
            Some("/kernels/pull?user_name=alice&kernel_slug=my-notebook")
        );
        assert_eq!(path(EndpointId::ModelsGet, None).as_deref(), Some("/models/keras/gemma/pyTorch/v1/get"));
        assert_eq!(
            path(EndpointId::ModelsDownload, None).as_deref(),
            Some("/models/keras/gemma/pyTorch/v1/2/download")
        );
        assert_eq!(
            path(EndpointId::CompetitionsDownload, None).as_deref(),
            Some("/competitions/data/download-all/titanic")
        );
        for id in [
            EndpointId::Introspect,
            EndpointId::CompetitionsList,
            EndpointId::CompetitionsSubmissions,
            EndpointId::DatasetsList,
        ] {
            assert!(!id.has_legacy_form(Dialect::Hub) && path(id, None).is_none(), "{id:?}: kagglehub never calls it");
        }
    }
}
