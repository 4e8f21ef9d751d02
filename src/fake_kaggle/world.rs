//! The fake Kaggle API's rules, without any I/O: a [`World`] built from a scenario's
//! [`Server`] answers one request at a time ([`World::answer`]). The demo serves it over
//! HTTP (`super::FakeKaggle`); the test suite serves the same rules from its own server,
//! which adds what only tests need (faults, request recording: tests/support/fake_server.rs).
//!
//! Its rules (a model, not the real service; docs/client-behaviour.md):
//! * a bad credential (unknown or wrong key, unknown/inactive/expired token) gets 401 on
//!   every endpoint except IntrospectToken, which answers from its body alone;
//! * no credential: 401 on whoami and the competition's submissions/leaderboard/files;
//!   public lists and GetCompetition answer;
//! * a token lacking the scope an endpoint needs gets 401 (see [`required_scope`]);
//! * as real Kaggle does (docs/findings.md), a competition slug it will not confirm gets
//!   403 `Permission 'competitions.get' was denied`; rules not accepted get 403 on
//!   submissions and the data download (listing the files works); an allowed download is
//!   a 302 to the file host; datasets, models and kernels answer as `super::resources` says.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};

use super::resources;
use super::scenario::Server;
use crate::endpoints::EndpointId;

/// One HTTP request, as the rules need it.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// `GET`, `POST`…
    pub method: &'a str,
    /// The request target as received (path, or proxy-form URL).
    pub target: &'a str,
    /// The Authorization header, if any.
    pub authorization: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

/// The answer to one request, and what the rules made of it.
#[derive(Clone, Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Response headers besides `Content-Type: application/json`.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body.
    pub body: String,
    /// The endpoint, if the target was one of the catalog.
    pub endpoint: Option<EndpointId>,
    /// The user the credential belongs to, if valid.
    pub user: Option<String>,
}

/// What the fake API knows, and the count of answers given.
pub struct World {
    server: Server,
    next_id: AtomicU64,
}

/// Who a request authenticates as.
enum Caller {
    Anonymous,
    User {
        name: String,
        scopes: Vec<String>,
    },
    Rejected(&'static str),
    /// An expired OAuth access token, answered with 403 as Kaggle was seen doing.
    ExpiredAs403,
}

/// The scope a token needs for an endpoint (the fake's own names; `*` grants all).
fn required_scope(endpoint: EndpointId) -> Option<&'static str> {
    match endpoint {
        EndpointId::Whoami | EndpointId::Introspect => None,
        EndpointId::CompetitionsGet
        | EndpointId::CompetitionsList
        | EndpointId::CompetitionsFiles
        | EndpointId::CompetitionsDownload => Some("competitions:read"),
        EndpointId::CompetitionsSubmissions | EndpointId::CompetitionsLeaderboard => {
            Some("competitions.submissions:read")
        }
        EndpointId::DatasetsList | EndpointId::DatasetsGet | EndpointId::DatasetsDownload => Some("datasets:read"),
        EndpointId::KernelsList | EndpointId::KernelsGet => Some("kernels:read"),
        EndpointId::ModelsList | EndpointId::ModelsGet | EndpointId::ModelsDownload => Some("models:read"),
    }
}

pub(super) type Answer = (u16, Value);

pub(super) fn error(code: u16, message: &str) -> Answer {
    (code, json!({ "code": code, "message": message }))
}

impl World {
    /// A world serving `server`.
    pub fn new(server: Server) -> World {
        World { server, next_id: AtomicU64::new(1) }
    }

    /// Answers one request.
    pub fn answer(&self, request: &Request<'_>) -> Reply {
        let target = request.target;
        let (endpoint, legacy) = match (request.method, route(target)) {
            ("POST", Some(e)) => (Some(e), None),
            ("GET", None) => match legacy_route(target) {
                Some((e, body)) => (Some(e), Some(body)),
                None => (None, None),
            },
            _ => (None, None),
        };
        let is_post = request.method == "POST" || legacy.is_some();
        let body: Value = match &legacy {
            Some(body) => body.clone(),
            None => serde_json::from_slice(request.body).unwrap_or(Value::Null),
        };
        let caller = self.caller(request.authorization);
        let user = match &caller {
            Caller::User { name, .. } => Some(name.clone()),
            _ => None,
        };
        let refresh = request_is_refresh(target) && request.method == "POST";
        let attach = request_is_attach(target) && request.method == "POST";
        let (status, value) = match (is_post, endpoint) {
            _ if refresh => self.generate_access_token(&body),
            _ if attach => attach_datasource(&body),
            (true, Some(_)) if self.server.rate_limited.is_some() => error(429, "Too many requests"),
            (true, Some(_)) if self.server.fail_with.is_some() => {
                let status = self.server.fail_with.unwrap_or(500);
                error(status, "The service is unavailable")
            }
            (true, Some(endpoint)) => {
                let (status, value) = self.handle(endpoint, &caller, &body);
                // kaggle 1.6 expects bare arrays from the legacy list endpoints.
                match (&legacy, status) {
                    (Some(_), 200) => (200, legacy_shape(endpoint, target, value)),
                    _ => (status, value),
                }
            }
            (true, None) => error(404, "Not found"),
            (false, _) => error(405, "Method not allowed"),
        };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut headers = vec![("X-Kaggle-RequestId", format!("fake-{id:06}"))];
        if let (429, Some(after)) = (status, &self.server.rate_limited) {
            headers.push(("Retry-After", after.clone()));
        }
        if let Some(skew) = self.server.clock_skew_secs {
            headers.push(("Date", http_date_in(skew)));
        }
        if let (300..=399, Some(location)) = (status, value.get("url").and_then(Value::as_str)) {
            // A download: Kaggle redirects to the file host (the doctor never follows).
            headers.push(("Location", location.to_string()));
            return Reply { status, headers, body: String::new(), endpoint, user };
        }
        Reply { status, headers, body: value.to_string(), endpoint, user }
    }

    fn caller(&self, authorization: Option<&str>) -> Caller {
        let Some(value) = authorization else { return Caller::Anonymous };
        if let Some(token) = value.strip_prefix("Bearer ") {
            return match self.server.tokens.iter().find(|t| t.token == token) {
                Some(t) if !t.active => Caller::Rejected("Token revoked"),
                Some(t) if t.expired && t.expired_answers_403 => Caller::ExpiredAs403,
                Some(t) if t.expired => Caller::Rejected("Token expired"),
                Some(t) => Caller::User { name: t.username.clone(), scopes: t.scopes.clone() },
                None => Caller::Rejected("Unauthenticated"),
            };
        }
        if let Some(encoded) = value.strip_prefix("Basic ") {
            let pair = decode_base64(encoded).map(|b| String::from_utf8_lossy(&b).into_owned());
            let pair = pair.as_deref().and_then(|p| p.split_once(':'));
            let account = self.server.accounts.iter().find(|a| pair == Some((a.username.as_str(), a.key.as_str())));
            return match account {
                Some(a) => Caller::User { name: a.username.clone(), scopes: vec!["*".into()] },
                None => Caller::Rejected("Unauthenticated"),
            };
        }
        Caller::Rejected("Unsupported authorization scheme")
    }

    fn handle(&self, endpoint: EndpointId, caller: &Caller, body: &Value) -> Answer {
        if endpoint == EndpointId::Introspect {
            if let (true, Caller::Rejected(why)) = (self.server.introspect_requires_auth, caller) {
                return error(401, why);
            }
            return self.introspect(body);
        }
        if self.server.outage.iter().any(|id| id == endpoint.as_str()) {
            return error(500, "Internal error");
        }
        let user = match caller {
            Caller::Rejected(why) => return error(401, why),
            Caller::ExpiredAs403 if endpoint == EndpointId::Whoami => return error(401, "Unauthenticated"),
            Caller::ExpiredAs403 => return resources::denied(endpoint),
            Caller::Anonymous => None,
            Caller::User { name, scopes } => {
                let allowed = required_scope(endpoint)
                    .is_none_or(|need| scopes.iter().any(|s| s == "*" || s == "resources.admin:*" || s == need));
                if !allowed {
                    return error(401, "The access token's scope does not allow this operation");
                }
                Some(name.as_str())
            }
        };
        let slug = body.get("competitionName").and_then(Value::as_str).unwrap_or("");
        match endpoint {
            EndpointId::Whoami => match user {
                Some(name) => (200, json!({ "userName": name })),
                None => error(401, "Unauthenticated"),
            },
            EndpointId::CompetitionsList => {
                (200, json!({ "competitions": self.competition_refs(), "nextPageToken": "" }))
            }
            EndpointId::DatasetsList => (200, json!({ "datasets": resources::listed(&self.server.datasets) })),
            EndpointId::KernelsList => (200, json!({ "kernels": resources::listed(&self.server.kernels) })),
            EndpointId::ModelsList => {
                (200, json!({ "models": resources::listed_models(&self.server), "totalResults": 0 }))
            }
            EndpointId::CompetitionsGet => match self.competition(slug) {
                Some(_) => (200, json!({ "ref": slug, "title": slug })),
                // Kaggle does not confirm names it will not show: a typo is a 403.
                None => resources::denied(endpoint),
            },
            EndpointId::DatasetsGet | EndpointId::DatasetsDownload => {
                resources::dataset(&self.server, endpoint, user, body)
            }
            EndpointId::ModelsGet | EndpointId::ModelsDownload => resources::model(&self.server, endpoint, user, body),
            EndpointId::KernelsGet => resources::kernel(&self.server, user, body),
            _ => self.competition_endpoint(endpoint, user, slug),
        }
    }

    fn competition_endpoint(&self, endpoint: EndpointId, user: Option<&str>, slug: &str) -> Answer {
        let Some(user) = user else { return error(401, "Unauthenticated") };
        let Some((accepted, closed)) = self.competition(slug) else { return resources::denied(endpoint) };
        // Listing files works without the rules; downloading them does not.
        let gated = matches!(endpoint, EndpointId::CompetitionsSubmissions | EndpointId::CompetitionsDownload);
        let joined = accepted.iter().any(|u| u == user);
        if gated && !joined && closed {
            return error(403, "This competition has closed to new entrants.");
        }
        if gated && !joined {
            return error(403, "You must accept this competition's rules before you'll be able to download files.");
        }
        let unverified = self.server.accounts.iter().any(|a| a.username == user && !a.verified);
        if endpoint == EndpointId::CompetitionsDownload && unverified {
            return error(403, "Your account must be phone verified to download competition data.");
        }
        match endpoint {
            EndpointId::CompetitionsFiles => (200, json!({ "files": [] })),
            EndpointId::CompetitionsDownload => resources::redirect(&format!("competitions/{slug}")),
            _ => (200, json!({ "submissions": [] })),
        }
    }

    /// Users who accepted the rules of `slug`, and whether it is closed, if it exists.
    /// `titanic` always exists and everyone has accepted it, unless the scenario lists it.
    fn competition(&self, slug: &str) -> Option<(Vec<String>, bool)> {
        if let Some(c) = self.server.competitions.iter().find(|c| c.slug == slug) {
            return Some((c.rules_accepted_by.clone(), c.closed));
        }
        (slug == "titanic").then(|| (self.everyone(), false))
    }

    fn competition_refs(&self) -> Vec<Value> {
        let listed = self.server.competitions.iter().map(|c| c.slug.clone());
        std::iter::once("titanic".to_string()).chain(listed).map(|slug| json!({ "ref": slug })).collect()
    }

    fn everyone(&self) -> Vec<String> {
        let tokens = self.server.tokens.iter().map(|t| t.username.clone());
        self.server.accounts.iter().map(|a| a.username.clone()).chain(tokens).collect()
    }

    /// GenerateAccessToken: the OAuth refresh (the answer kagglesdk parses: `token`,
    /// `expiresIn`, `userName`, `userId`); an unknown refresh token gets 401.
    fn generate_access_token(&self, body: &Value) -> Answer {
        let refresh = body.get("refreshToken").and_then(Value::as_str).unwrap_or("");
        let minted = self.server.refresh_tokens.iter().find(|r| r.refresh_token == refresh);
        match minted.and_then(|m| self.server.tokens.iter().find(|t| t.token == m.token)) {
            Some(t) => (200, json!({ "token": t.token, "expiresIn": 43_200, "userName": t.username, "userId": 1 })),
            None => error(401, "Invalid refresh token"),
        }
    }

    fn introspect(&self, body: &Value) -> Answer {
        let token = body.get("token").and_then(Value::as_str).unwrap_or("");
        match self.server.tokens.iter().find(|t| t.token == token) {
            Some(t) => (
                200,
                json!({
                    "active": t.active && !t.expired,
                    "username": if t.active && !t.expired { t.username.as_str() } else { "" },
                    "scope": t.scopes.join(" "),
                    "clientId": "kaggle-cli",
                    "exp": if t.expired { 1_700_000_000u64 } else { 4_102_444_800u64 },
                }),
            ),
            None => (200, json!({ "active": false })),
        }
    }
}

/// The notebook data proxy's `AttachDatasourceUsingJwtRequest`, which kagglehub sends for
/// every download inside a Kaggle notebook (docs/client-behaviour.md), mounted or not.
fn request_is_attach(target: &str) -> bool {
    target.split('?').next().is_some_and(|p| p.ends_with("/kaggle-jwt-handler/AttachDatasourceUsingJwtRequest"))
}

/// The data proxy's answer: the folder under the mount root where the resource appears
/// (the dataset's, model's or competition's slug). kagglehub then waits for that folder.
fn attach_datasource(body: &Value) -> Answer {
    let slug = ["datasetRef", "modelRef", "competitionRef"]
        .iter()
        .filter_map(|r| body.get(r))
        .find_map(|r| ["DatasetSlug", "ModelSlug", "CompetitionSlug"].iter().find_map(|f| r.get(f)?.as_str()));
    match slug {
        Some(slug) => (200, json!({ "wasSuccessful": true, "result": { "mountSlug": slug } })),
        None => (200, json!({ "wasSuccessful": false, "errors": ["Unknown data source"] })),
    }
}

/// The OAuth refresh RPC, which is not a matrix endpoint.
fn request_is_refresh(target: &str) -> bool {
    target.split('?').next().is_some_and(|p| p.ends_with("/users.AccountService/GenerateAccessToken"))
}

/// `POST /v1/{service}/{method}`, `/api/v1/…`, or the proxy form `http://host/api/v1/…`.
fn route(target: &str) -> Option<EndpointId> {
    let path = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    let path = path.split('?').next().unwrap_or(path);
    let rest = path.strip_prefix("/api/v1/").or_else(|| path.strip_prefix("/v1/"))?;
    let (service, method) = rest.split_once('/')?;
    EndpointId::from_rpc(service, method)
}

/// `GET /api/v1/…` legacy REST paths, with the request body they stand for.
fn legacy_route(target: &str) -> Option<(EndpointId, Value)> {
    let path = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    // Each client spells query names its own way (`userName`, `username`, `user_name`):
    // read them as a lenient server does, ignoring case and underscores.
    let squash = |name: &str| name.chars().filter(|c| *c != '_').collect::<String>().to_lowercase();
    let arg = |name: &str| {
        let wanted = squash(name);
        query.split('&').find_map(|kv| kv.split_once('=').filter(|(k, _)| squash(k) == wanted)).map_or("", |kv| kv.1)
    };
    let rest = path.strip_prefix("/api/v1/").or_else(|| path.strip_prefix("/v1/"))?;
    let parts: Vec<&str> = rest.split('/').collect();
    let comp = |e: EndpointId, slug: &str| Some((e, json!({ "competitionName": slug })));
    let dataset = |e: EndpointId, o: &str, s: &str| {
        let mut body = json!({ "ownerSlug": o, "datasetSlug": s });
        if let Ok(version) = arg("datasetVersionNumber").parse::<u32>() {
            body["datasetVersionNumber"] = json!(version);
        }
        Some((e, body))
    };
    let model = |e: EndpointId, p: &[&str], n: &str| {
        let body = json!({
            "ownerSlug": p[0], "modelSlug": p[1], "framework": resources::framework_enum(p[2]),
            "instanceSlug": p[3], "versionNumber": n.parse::<u32>().unwrap_or(0),
        });
        Some((e, body))
    };
    match parts.as_slice() {
        ["hello"] => Some((EndpointId::Whoami, json!({}))),
        ["competitions", "list"] => comp(EndpointId::CompetitionsList, ""),
        ["competitions", "submissions", "list", slug] => comp(EndpointId::CompetitionsSubmissions, slug),
        ["competitions", slug, "leaderboard", "view"] => comp(EndpointId::CompetitionsLeaderboard, slug),
        ["competitions", "data", "list", slug] => comp(EndpointId::CompetitionsFiles, slug),
        ["competitions", "data", "download-all", slug] => comp(EndpointId::CompetitionsDownload, slug),
        ["datasets", "list"] => comp(EndpointId::DatasetsList, ""),
        ["datasets", "view" | "metadata", o, s] => dataset(EndpointId::DatasetsGet, o, s),
        ["datasets", "download", o, s, ..] => dataset(EndpointId::DatasetsDownload, o, s),
        ["kernels", "list"] => comp(EndpointId::KernelsList, ""),
        ["kernels", "pull"] => {
            Some((EndpointId::KernelsGet, json!({ "userName": arg("userName"), "kernelSlug": arg("kernelSlug") })))
        }
        ["models", "list"] => comp(EndpointId::ModelsList, ""),
        ["models", o, m, f, v, "get"] => model(EndpointId::ModelsGet, &[o, m, f, v], "0"),
        ["models", o, m, f, v, n, "download", ..] => model(EndpointId::ModelsDownload, &[o, m, f, v], n),
        _ => None,
    }
}

/// The legacy REST answer: a bare array where kaggle 1.6 expects one; a dataset's
/// metadata (what kaggle 1.6/1.7 read before a dataset download) under `info`.
fn legacy_shape(endpoint: EndpointId, target: &str, value: Value) -> Value {
    if endpoint == EndpointId::DatasetsGet && target.contains("/datasets/metadata/") {
        let reference = value.get("ref").and_then(Value::as_str).unwrap_or("");
        let (owner, slug) = reference.split_once('/').unwrap_or(("", reference));
        let licenses = json!([{ "name": "CC0-1.0" }]);
        return json!({ "info": { "ownerUser": owner, "datasetSlug": slug, "licenses": licenses } });
    }
    let field = match endpoint {
        EndpointId::CompetitionsList => "competitions",
        EndpointId::CompetitionsSubmissions => "submissions",
        EndpointId::DatasetsList => "datasets",
        EndpointId::KernelsList => "kernels",
        _ => return value,
    };
    value.get(field).cloned().unwrap_or_else(|| json!([]))
}

/// Base64 as a lenient server reads it: padding optional.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    LENIENT.decode(text).ok()
}

/// An HTTP `Date` header `secs` seconds from now (negative: in the past).
fn http_date_in(secs: i64) -> String {
    let now = std::time::SystemTime::now();
    let shift = Duration::from_secs(secs.unsigned_abs());
    let then = if secs >= 0 { now.checked_add(shift) } else { now.checked_sub(shift) };
    httpdate::fmt_http_date(then.unwrap_or(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_every_root_form() {
        let id = Some(EndpointId::Whoami);
        assert_eq!(route("/v1/api.v1.DiagnosticsService/Hello"), id);
        assert_eq!(route("/api/v1/api.v1.DiagnosticsService/Hello"), id);
        assert_eq!(route("http://localhost/api/v1/api.v1.DiagnosticsService/Hello"), id);
        assert_eq!(route("/v1/nope/Nope"), None);
    }

    #[test]
    fn routes_legacy_rest_paths() {
        let list = legacy_route("http://localhost/api/v1/competitions/list?page=1");
        assert_eq!(list, Some((EndpointId::CompetitionsList, json!({ "competitionName": "" }))));
        let subs = legacy_route("/api/v1/competitions/submissions/list/titanic");
        assert_eq!(subs, Some((EndpointId::CompetitionsSubmissions, json!({ "competitionName": "titanic" }))));
        let pulled = json!({ "userName": "alice", "kernelSlug": "nb" });
        for query in ["userName=alice&kernelSlug=nb", "username=alice&kernelslug=nb", "user_name=alice&kernel_slug=nb"]
        {
            let pull = legacy_route(&format!("/api/v1/kernels/pull?{query}"));
            assert_eq!(pull, Some((EndpointId::KernelsGet, pulled.clone())), "{query}");
        }
        let versioned = json!({ "ownerSlug": "alice", "datasetSlug": "ds", "datasetVersionNumber": 2 });
        for query in ["datasetVersionNumber=2", "datasetversionnumber=2&raw=false", "dataset_version_number=2"] {
            let download = legacy_route(&format!("/api/v1/datasets/download/alice/ds?{query}"));
            assert_eq!(download, Some((EndpointId::DatasetsDownload, versioned.clone())), "{query}");
        }
        let latest = legacy_route("/api/v1/datasets/download/alice/ds?datasetVersionNumber=None").unwrap();
        assert_eq!(latest.1, json!({ "ownerSlug": "alice", "datasetSlug": "ds" }));
        let metadata = legacy_route("/api/v1/datasets/metadata/alice/ds").map(|r| r.0);
        assert_eq!(metadata, Some(EndpointId::DatasetsGet));
        let model = legacy_route("/api/v1/models/keras/gemma/keras/gemma_2b_en/3/download/config.json").unwrap();
        assert_eq!((model.0, &model.1["framework"]), (EndpointId::ModelsDownload, &json!("MODEL_FRAMEWORK_KERAS")));
        assert_eq!(legacy_route("http://127.0.0.1:9/api/v1/hello"), Some((EndpointId::Whoami, json!({}))));
        let list = legacy_route("/v1/competitions/list");
        assert_eq!(list, Some((EndpointId::CompetitionsList, json!({ "competitionName": "" }))));
        assert_eq!(legacy_route("/api/v1/unknown"), None);
    }

    #[test]
    fn routes_the_oauth_refresh_apart_from_the_matrix() {
        assert!(request_is_refresh("http://localhost/api/v1/users.AccountService/GenerateAccessToken"));
        assert!(request_is_refresh("/v1/users.AccountService/GenerateAccessToken"));
        assert!(!request_is_refresh("/v1/users.AccountService/GenerateAccessTokenX"));
        assert_eq!(route("/v1/users.AccountService/GenerateAccessToken"), None);
    }
}
