//! Datasets, models and kernels in the fake API, answered the way real Kaggle answers
//! them (docs/findings.md describes each answer with the finding it leads to):
//!
//! * a name Kaggle will not show — a typo, or private to someone else — is a 403
//!   `Permission '<service>.get' was denied`, not a 404: Kaggle does not let callers
//!   probe its namespace;
//! * a dataset without any credential is refused the same way (403, not 401);
//! * a resource created a moment ago is refused for a while (403 on get, 404 on download);
//! * a gated model lists and reads fine, and refuses the *download* with
//!   `User has not consented to terms of use.` until the licence is accepted;
//! * an allowed download is a 302 to the file host.

use serde_json::{Value, json};

use super::scenario::{ModelSpec, Server, Shared};
use super::world::{Answer, error};
use crate::endpoints::EndpointId;

/// The 403 Kaggle gives for a name it will not confirm.
pub(super) fn denied(endpoint: EndpointId) -> Answer {
    let permission = match endpoint {
        EndpointId::CompetitionsSubmissions => "competitions.participate",
        EndpointId::DatasetsGet | EndpointId::DatasetsDownload | EndpointId::DatasetsList => "datasets.get",
        EndpointId::ModelsGet | EndpointId::ModelsDownload | EndpointId::ModelsList => "models.get",
        EndpointId::KernelsGet | EndpointId::KernelsList => "kernels.get",
        _ => "competitions.get",
    };
    error(403, &format!("Permission '{permission}' was denied"))
}

/// A download allowed: a redirect to the file host (the body's `url` becomes `Location`).
pub(super) fn redirect(path: &str) -> Answer {
    (302, json!({ "url": format!("https://storage.googleapis.com/kaggle-data-sets/{path}?X-Goog-Signature=fake") }))
}

/// The API enum name of a framework as the client spells it (`keras` → `MODEL_FRAMEWORK_KERAS`).
pub(super) fn framework_enum(framework: &str) -> String {
    crate::resource::Model {
        owner: String::new(),
        model: String::new(),
        framework: Some(framework.to_string()),
        variation: Some(String::new()),
        version: None,
    }
    .framework_enum()
}

fn text<'a>(body: &'a Value, field: &str) -> &'a str {
    body.get(field).and_then(Value::as_str).unwrap_or("")
}

fn number(body: &Value, field: &str) -> Option<u64> {
    body.get(field).and_then(Value::as_u64).filter(|n| *n > 0)
}

/// True when `user` may see a resource of `owner`.
fn visible(owner: &str, private: bool, shared_with: &[String], user: Option<&str>) -> bool {
    !private || user.is_some_and(|u| u == owner || shared_with.iter().any(|s| s == u))
}

/// `datasets.get` / `datasets.download`.
pub(super) fn dataset(server: &Server, endpoint: EndpointId, user: Option<&str>, body: &Value) -> Answer {
    let wanted = format!("{}/{}", text(body, "ownerSlug"), text(body, "datasetSlug"));
    if user.is_none() {
        // Without a credential Kaggle refuses dataset calls with 403, not 401.
        return denied(endpoint);
    }
    let Some(d) = server.datasets.iter().find(|d| d.reference == wanted) else { return denied(endpoint) };
    let owner = wanted.split('/').next().unwrap_or("");
    if !visible(owner, d.private, &d.shared_with, user) {
        return denied(endpoint);
    }
    if d.just_created {
        return match endpoint {
            EndpointId::DatasetsDownload => error(404, "Not Found"),
            _ => denied(endpoint),
        };
    }
    if number(body, "datasetVersionNumber").is_some_and(|v| v > u64::from(d.versions)) {
        return error(404, "Dataset not found");
    }
    match endpoint {
        EndpointId::DatasetsDownload => redirect(&wanted),
        _ => (200, json!({ "ref": wanted, "isPrivate": d.private, "currentVersionNumber": d.versions })),
    }
}

/// `models.get` / `models.download`.
pub(super) fn model(server: &Server, endpoint: EndpointId, user: Option<&str>, body: &Value) -> Answer {
    let (owner, slug) = (text(body, "ownerSlug"), text(body, "modelSlug"));
    let (framework, instance) = (text(body, "framework"), text(body, "instanceSlug"));
    let same_model = |m: &&ModelSpec| m.reference.split('/').take(2).eq([owner, slug]);
    let known: Vec<&ModelSpec> = server.models.iter().filter(same_model).collect();
    let visible_to = |m: &ModelSpec| visible(owner, m.private, &m.shared_with, user);
    if !known.iter().any(|m| visible_to(m)) {
        return denied(endpoint);
    }
    let instance_of = |m: &&&ModelSpec| {
        let parts: Vec<&str> = m.reference.split('/').collect();
        parts.len() == 4 && framework_enum(parts[2]) == framework && parts[3] == instance
    };
    // A model that exists but not in this framework or variation: a plain 404.
    let Some(m) = known.iter().find(instance_of) else { return error(404, "Not found") };
    let version = number(body, "versionNumber");
    if version.is_some_and(|v| v > u64::from(m.versions)) {
        return error(404, "Not found");
    }
    match endpoint {
        EndpointId::ModelsDownload if m.gated && !user.is_some_and(|u| m.consented_by.iter().any(|c| c == u)) => {
            error(403, "User has not consented to terms of use.")
        }
        EndpointId::ModelsDownload => redirect(&m.reference),
        _ => (
            200,
            json!({ "slug": instance, "versionNumber": m.versions, "licenseName": if m.gated { "Gemma" } else { "Apache 2.0" } }),
        ),
    }
}

/// `kernels.get`.
pub(super) fn kernel(server: &Server, user: Option<&str>, body: &Value) -> Answer {
    let wanted = format!("{}/{}", text(body, "userName"), text(body, "kernelSlug"));
    let owner = text(body, "userName");
    match server.kernels.iter().find(|k| k.reference == wanted) {
        Some(k) if visible(owner, k.private, &k.shared_with, user) && !k.just_created => {
            (200, json!({ "metadata": { "ref": wanted, "isPrivate": k.private } }))
        }
        _ => denied(EndpointId::KernelsGet),
    }
}

/// Public datasets or kernels, as the list endpoints answer them.
pub(super) fn listed(items: &[Shared]) -> Vec<Value> {
    items.iter().filter(|i| !i.private).map(|i| json!({ "ref": i.reference })).collect()
}

/// Public models (`owner/model`), as ListModels answers them.
pub(super) fn listed_models(server: &Server) -> Vec<Value> {
    let mut refs: Vec<String> = server
        .models
        .iter()
        .filter(|m| !m.private)
        .map(|m| m.reference.split('/').take(2).collect::<Vec<_>>().join("/"))
        .collect();
    refs.dedup();
    refs.into_iter().map(|r| json!({ "ref": r })).collect()
}
