//! Named Kaggle resources: a competition, a dataset, a model instance or a kernel, as
//! given by `--competition`, `--dataset`, `--model`, `--kernel` or found in a pasted
//! error text.
//!
//! Each flag takes the identifier the official client takes (`OWNER/SLUG`…) or the
//! kaggle.com page URL users copy from their browser. Every part is validated before it
//! goes into a request body: Kaggle slugs are short runs of letters, digits, `-`, `_` and
//! `.`, so anything else (a space, a path traversal, a control character, an empty part)
//! is a usage error with a message that says which part is wrong — never a probe that
//! would be answered with a misleading 403 (docs/findings.md, `resource-not-found`).

use std::fmt;

use anyhow::{Result, bail};
use serde::Serialize;

/// Longest accepted part (Kaggle's own slugs are far shorter).
const MAX_PART: usize = 100;

/// A dataset: `OWNER/SLUG[/VERSION]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
    /// The owner's user (or organisation) slug.
    pub owner: String,
    /// The dataset slug.
    pub slug: String,
    /// A version number, if one was named.
    pub version: Option<u32>,
}

/// A model instance: `OWNER/MODEL/FRAMEWORK/VARIATION[/VERSION]`. Framework and
/// variation are optional only when the model came from a pasted text; the model
/// endpoints are probed only when both are known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    /// The owner slug (`keras`, `google`, …).
    pub owner: String,
    /// The model slug (`gemma`).
    pub model: String,
    /// The framework as the client takes it (`keras`, `pyTorch`, `transformers`…).
    pub framework: Option<String>,
    /// The variation (instance) slug (`gemma_2b_en`).
    pub variation: Option<String>,
    /// A version number, if one was named.
    pub version: Option<u32>,
}

/// A kernel (notebook): `OWNER/SLUG`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kernel {
    /// The owner's user slug.
    pub owner: String,
    /// The kernel slug.
    pub slug: String,
}

/// Any named resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resource {
    /// A competition slug.
    Competition(String),
    /// A dataset.
    Dataset(Dataset),
    /// A model (instance).
    Model(Model),
    /// A kernel.
    Kernel(Kernel),
}

/// The kind of a resource, as printed and in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A competition.
    Competition,
    /// A dataset.
    Dataset,
    /// A model.
    Model,
    /// A kernel (notebook).
    Kernel,
}

impl Kind {
    /// The kind as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Competition => "competition",
            Kind::Dataset => "dataset",
            Kind::Model => "model",
            Kind::Kernel => "kernel",
        }
    }
}

impl Resource {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Resource::Competition(_) => Kind::Competition,
            Resource::Dataset(_) => Kind::Dataset,
            Resource::Model(_) => Kind::Model,
            Resource::Kernel(_) => Kind::Kernel,
        }
    }

    /// The kaggle.com page of the resource (where rules and licences are accepted).
    pub fn page(&self) -> String {
        match self {
            Resource::Competition(c) => format!("https://www.kaggle.com/competitions/{c}"),
            Resource::Dataset(d) => format!("https://www.kaggle.com/datasets/{}/{}", d.owner, d.slug),
            Resource::Model(m) => format!("https://www.kaggle.com/models/{}/{}", m.owner, m.model),
            Resource::Kernel(k) => format!("https://www.kaggle.com/code/{}/{}", k.owner, k.slug),
        }
    }

    /// The owner's slug, for resources that have one.
    pub fn owner(&self) -> Option<&str> {
        match self {
            Resource::Competition(_) => None,
            Resource::Dataset(d) => Some(&d.owner),
            Resource::Model(m) => Some(&m.owner),
            Resource::Kernel(k) => Some(&k.owner),
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Competition(c) => write!(f, "{c}"),
            Resource::Dataset(d) => {
                write!(f, "{}/{}", d.owner, d.slug)?;
                d.version.map_or(Ok(()), |v| write!(f, "/{v}"))
            }
            Resource::Model(m) => {
                write!(f, "{}/{}", m.owner, m.model)?;
                for part in [&m.framework, &m.variation].into_iter().flatten() {
                    write!(f, "/{part}")?;
                }
                m.version.map_or(Ok(()), |v| write!(f, "/{v}"))
            }
            Resource::Kernel(k) => write!(f, "{}/{}", k.owner, k.slug),
        }
    }
}

impl Model {
    /// True when framework and variation are known, so the model endpoints can be probed.
    pub fn is_instance(&self) -> bool {
        self.framework.is_some() && self.variation.is_some()
    }

    /// The framework as the API's enum names it: the client matches the name against
    /// the enum ignoring case and underscores (`pyTorch` → `MODEL_FRAMEWORK_PY_TORCH`).
    pub fn framework_enum(&self) -> String {
        let given = self.framework.as_deref().unwrap_or("");
        let squashed: String = given.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
        FRAMEWORKS
            .iter()
            .find(|f| f.replace('_', "") == squashed)
            .map_or_else(|| format!("MODEL_FRAMEWORK_{squashed}"), |f| format!("MODEL_FRAMEWORK_{f}"))
    }
}

/// The framework names of the API's enum (without the `MODEL_FRAMEWORK_` prefix).
const FRAMEWORKS: &[&str] = &[
    "TENSOR_FLOW_1",
    "TENSOR_FLOW_2",
    "TF_LITE",
    "TF_JS",
    "PY_TORCH",
    "JAX",
    "FLAX",
    "PAX",
    "MAX_TEXT",
    "GEMMA_CPP",
    "GGML",
    "GGUF",
    "CORAL",
    "SCIKIT_LEARN",
    "MXNET",
    "ONNX",
    "KERAS",
    "TRANSFORMERS",
    "API",
    "OTHER",
    "TENSOR_RT_LLM",
    "TRITON",
    "VLLM",
];

/// The dataset, model and kernel a run probes (each optional).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Named {
    /// `--dataset`.
    pub dataset: Option<Dataset>,
    /// `--model` (a full instance).
    pub model: Option<Model>,
    /// `--kernel`.
    pub kernel: Option<Kernel>,
}

impl Named {
    /// Sets the resource of its kind (a competition is not held here).
    pub fn set(&mut self, resource: Resource) {
        match resource {
            Resource::Dataset(d) => self.dataset = Some(d),
            Resource::Model(m) if m.is_instance() => self.model = Some(m),
            Resource::Kernel(k) => self.kernel = Some(k),
            Resource::Competition(_) | Resource::Model(_) => {}
        }
    }

    /// Every named resource.
    pub fn all(&self) -> Vec<Resource> {
        let d = self.dataset.clone().map(Resource::Dataset);
        let m = self.model.clone().map(Resource::Model);
        let k = self.kernel.clone().map(Resource::Kernel);
        [d, m, k].into_iter().flatten().collect()
    }

    /// The resource an endpoint probes, if it probes one of these.
    pub fn for_endpoint(&self, endpoint: crate::endpoints::EndpointId) -> Option<Resource> {
        use crate::endpoints::EndpointId as E;
        match endpoint {
            E::DatasetsGet | E::DatasetsDownload => self.dataset.clone().map(Resource::Dataset),
            E::ModelsGet | E::ModelsDownload => self.model.clone().map(Resource::Model),
            E::KernelsGet => self.kernel.clone().map(Resource::Kernel),
            _ => None,
        }
    }
}

/// A value that names a resource, and whether it was a page URL (the report says what it
/// took from it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The resource.
    pub resource: Resource,
    /// True when the value was a kaggle.com URL.
    pub from_url: bool,
}

/// `--competition`: a slug, or a competition page URL.
pub fn competition(value: &str) -> Result<Parsed> {
    parse_flag(value, Kind::Competition, "--competition", "SLUG or https://www.kaggle.com/competitions/SLUG")
}

/// `--dataset OWNER/SLUG[/VERSION]` or its page URL.
pub fn dataset(value: &str) -> Result<Parsed> {
    parse_flag(value, Kind::Dataset, "--dataset", "OWNER/SLUG[/VERSION] or https://www.kaggle.com/datasets/OWNER/SLUG")
}

/// `--model OWNER/MODEL/FRAMEWORK/VARIATION[/VERSION]` or its page URL.
pub fn model(value: &str) -> Result<Parsed> {
    let parsed = parse_flag(
        value,
        Kind::Model,
        "--model",
        "OWNER/MODEL/FRAMEWORK/VARIATION[/VERSION] or https://www.kaggle.com/models/OWNER/MODEL/FRAMEWORK/VARIATION",
    )?;
    match &parsed.resource {
        Resource::Model(m) if !m.is_instance() => bail!(
            "--model '{}': name the framework and variation too (OWNER/MODEL/FRAMEWORK/VARIATION[/VERSION], e.g. keras/gemma/keras/gemma_2b_en/3): the API checks access per variation",
            shown(value)
        ),
        _ => Ok(parsed),
    }
}

/// `--kernel OWNER/SLUG` or its page URL.
pub fn kernel(value: &str) -> Result<Parsed> {
    parse_flag(value, Kind::Kernel, "--kernel", "OWNER/SLUG or https://www.kaggle.com/code/OWNER/SLUG")
}

fn parse_flag(value: &str, kind: Kind, flag: &str, form: &str) -> Result<Parsed> {
    let value = value.trim();
    if value.is_empty() {
        bail!("{flag} is empty: give {form}");
    }
    if let Some(path) = page_path(value) {
        let path = path.map_err(|why| anyhow::anyhow!("{flag} '{}': {why}", shown(value)))?;
        let resource = match from_page(&path) {
            Some(Ok(r)) => r,
            Some(Err(why)) => bail!("{flag} '{}': {why}", shown(value)),
            None => bail!("{flag} '{}' is not a {} page URL: give {form}", shown(value), kind.as_str()),
        };
        if resource.kind() != kind {
            let other = match resource.kind() {
                Kind::Competition => "--competition",
                Kind::Dataset => "--dataset",
                Kind::Model => "--model",
                Kind::Kernel => "--kernel",
            };
            bail!("{flag} '{}' is a {} URL: use {other}", shown(value), resource.kind().as_str());
        }
        return Ok(Parsed { resource, from_url: true });
    }
    let parts: Vec<&str> = value.split('/').collect();
    let resource =
        from_parts(kind, &parts).map_err(|why| anyhow::anyhow!("{flag} '{}': {why}; give {form}", shown(value)))?;
    Ok(Parsed { resource, from_url: false })
}

/// The user's value as quoted back in an error: control characters escaped, cut short.
fn shown(value: &str) -> String {
    let escaped: String = value.chars().flat_map(char::escape_debug).collect();
    if escaped.chars().count() > 120 {
        format!("{}…", escaped.chars().take(120).collect::<String>())
    } else {
        escaped
    }
}

/// The resource named by identifier parts (`OWNER/SLUG`…), validated.
fn from_parts(kind: Kind, parts: &[&str]) -> Result<Resource, String> {
    let version = |p: Option<&&str>| -> Result<Option<u32>, String> { p.map(|v| version(v)).transpose() };
    match (kind, parts.len()) {
        (Kind::Competition, 1) => Ok(Resource::Competition(part(parts[0], "the slug")?)),
        (Kind::Competition, _) => Err("a competition slug has no '/'".into()),
        (Kind::Dataset, 2 | 3) => Ok(Resource::Dataset(Dataset {
            owner: part(parts[0], "the owner")?,
            slug: part(parts[1], "the dataset slug")?,
            version: version(parts.get(2))?,
        })),
        (Kind::Model, 2 | 4 | 5) => Ok(Resource::Model(Model {
            owner: part(parts[0], "the owner")?,
            model: part(parts[1], "the model slug")?,
            framework: parts.get(2).map(|p| part(p, "the framework")).transpose()?,
            variation: parts.get(3).map(|p| part(p, "the variation")).transpose()?,
            version: version(parts.get(4))?,
        })),
        (Kind::Kernel, 2) => Ok(Resource::Kernel(Kernel {
            owner: part(parts[0], "the owner")?,
            slug: part(parts[1], "the kernel slug")?,
        })),
        (_, n) => {
            parts.iter().try_for_each(|p| part(p, "a part").map(drop))?;
            Err(format!("{n} part(s) separated by '/' is not the expected shape"))
        }
    }
}

/// One validated identifier part.
fn part(text: &str, what: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err(format!("{what} is empty"));
    }
    if text.chars().count() > MAX_PART {
        return Err(format!("{what} is longer than {MAX_PART} characters"));
    }
    if text.starts_with('.') {
        return Err(format!("{what} '{}' starts with '.'", shown(text)));
    }
    if let Some(bad) = text.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        let name = if bad.is_whitespace() { "a space".to_string() } else { format!("'{}'", bad.escape_debug()) };
        return Err(format!("{what} '{}' contains {name} (only letters, digits, '-', '_' and '.')", shown(text)));
    }
    Ok(text.to_string())
}

fn version(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(v) if v > 0 && text.chars().all(|c| c.is_ascii_digit()) => Ok(v),
        _ => Err(format!("the version '{}' is not a positive number", shown(text))),
    }
}

/// When `value` is a kaggle.com URL (with or without scheme), its path segments; an error
/// for a URL of another host. `None` when it is not a URL at all.
fn page_path(value: &str) -> Option<Result<Vec<String>, String>> {
    let lower = value.to_ascii_lowercase();
    let has_scheme = lower.starts_with("https://") || lower.starts_with("http://");
    let bare_host = lower.starts_with("www.kaggle.com/") || lower.starts_with("kaggle.com/");
    if !has_scheme && !bare_host {
        return None;
    }
    let full = if has_scheme { value.to_string() } else { format!("https://{value}") };
    let Ok(url) = reqwest::Url::parse(&full) else { return Some(Err("not a valid URL".into())) };
    match url.host_str() {
        Some("www.kaggle.com" | "kaggle.com") => {}
        Some(other) => return Some(Err(format!("'{other}' is not kaggle.com"))),
        None => return Some(Err("the URL has no host".into())),
    }
    let segments = url.path_segments().map(|s| s.filter(|p| !p.is_empty()).map(decode).collect()).unwrap_or_default();
    Some(Ok(segments))
}

/// Percent-decoding of one path segment (so `%2e%2e` cannot smuggle `..` past validation).
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The resource a kaggle.com page path names (`competitions/titanic/data`,
/// `datasets/o/s/versions/3`, `models/o/m/keras/v/3`, the site's
/// `models/o/m/frameworks/keras/variations/v/versions/3`, `code/o/s`). `None` when the
/// path is not a resource page.
pub fn from_page(segments: &[String]) -> Option<Result<Resource, String>> {
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let versions = |rest: &[&str]| -> Result<Option<u32>, String> {
        match rest {
            ["versions", v, ..] => version(v).map(Some),
            _ => Ok(None),
        }
    };
    let found = match s.as_slice() {
        ["competitions" | "c", slug, ..] => part(slug, "the slug").map(Resource::Competition),
        ["datasets", owner, slug, rest @ ..] => (|| {
            Ok(Resource::Dataset(Dataset {
                owner: part(owner, "the owner")?,
                slug: part(slug, "the dataset slug")?,
                version: versions(rest)?,
            }))
        })(),
        ["models", owner, model, rest @ ..] => model_page(owner, model, rest),
        ["code" | "kernels", owner, slug, ..] => {
            (|| Ok(Resource::Kernel(Kernel { owner: part(owner, "the owner")?, slug: part(slug, "the kernel slug")? })))(
            )
        }
        _ => return None,
    };
    Some(found)
}

fn model_page(owner: &str, model: &str, rest: &[&str]) -> Result<Resource, String> {
    // The site spells the path with keywords; kagglehub's URLs leave them out.
    let rest: Vec<&str> = match *rest {
        ["frameworks", f, "variations", v, "versions", n, ..] => vec![f, v, n],
        ["frameworks", f, "variations", v, ..] => vec![f, v],
        ["frameworks", f, ..] => vec![f],
        _ => rest.iter().copied().take(3).collect(),
    };
    let known = |p: &&str| !matches!(*p, "data" | "code" | "discussion" | "settings" | "versions");
    let framework = rest.first().copied().filter(known);
    let variation = framework.and(rest.get(1).copied());
    Ok(Resource::Model(Model {
        owner: part(owner, "the owner")?,
        model: part(model, "the model slug")?,
        framework: framework.map(|f| part(f, "the framework")).transpose()?,
        variation: variation.map(|v| part(v, "the variation")).transpose()?,
        version: variation.and(rest.get(2)).map(|v| version(v)).transpose()?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(r: Result<Parsed>) -> String {
        r.map(|p| p.resource.to_string()).unwrap_or_else(|e| panic!("{e:#}"))
    }

    #[test]
    fn identifiers_and_page_urls_name_the_same_resource() {
        assert_eq!(ok(dataset("kemical/kickstarter-projects")), "kemical/kickstarter-projects");
        assert_eq!(
            ok(dataset("https://www.kaggle.com/datasets/kemical/kickstarter-projects/versions/7")),
            "kemical/kickstarter-projects/7"
        );
        assert_eq!(ok(dataset("kaggle.com/datasets/o/s/data?select=a.csv")), "o/s");
        assert_eq!(ok(model("keras/gemma/keras/gemma_2b_en/3")), "keras/gemma/keras/gemma_2b_en/3");
        assert_eq!(
            ok(model("https://www.kaggle.com/models/keras/gemma/keras/gemma_2b_en/3")),
            "keras/gemma/keras/gemma_2b_en/3"
        );
        assert_eq!(
            ok(model(
                "https://www.kaggle.com/models/google/gemma/frameworks/keras/variations/gemma_1.1_instruct_2b_en/versions/4"
            )),
            "google/gemma/keras/gemma_1.1_instruct_2b_en/4"
        );
        assert_eq!(ok(kernel("https://www.kaggle.com/code/jugal/sherpa-ollama-server")), "jugal/sherpa-ollama-server");
        assert_eq!(ok(competition("https://www.kaggle.com/competitions/titanic/data")), "titanic");
        assert_eq!(ok(competition("https://www.kaggle.com/c/dogs-vs-cats")), "dogs-vs-cats");
        assert!(competition("https://www.kaggle.com/c/dogs-vs-cats").unwrap().from_url);
        assert!(!competition("titanic").unwrap().from_url);
    }

    #[test]
    fn hostile_values_are_usage_errors_that_say_what_is_wrong() {
        let err = |r: Result<Parsed>| format!("{:#}", r.expect_err("must be refused"));
        assert!(err(dataset("../../etc/passwd")).contains("starts with '.'"));
        assert!(err(dataset("alice/..")).contains("starts with '.'"));
        assert!(err(dataset("https://www.kaggle.com/datasets/a/%2e%2e")).contains("not a dataset page"));
        assert!(err(dataset("https://www.kaggle.com/datasets/a/b%20c")).contains("a space"));
        assert!(err(dataset("alice/my data")).contains("a space"));
        assert!(err(dataset("alice/")).contains("empty"));
        assert!(err(dataset("")).contains("empty"));
        assert!(err(dataset("alice")).contains("expected shape"));
        assert!(err(dataset("alice/s/0")).contains("positive number"));
        assert!(err(dataset("alice/s/-1")).contains("positive number"));
        assert!(err(kernel("alice/naïve")).contains("'ï'"));
        assert!(err(kernel("alice/a\u{1b}[2J")).contains("\\u{1b}"));
        assert!(err(competition("tit anic")).contains("a space"));
        assert!(err(competition(&"x".repeat(5000))).contains("longer than"));
        assert!(err(dataset("https://evil.example/datasets/a/b")).contains("not kaggle.com"));
        assert!(err(dataset("https://www.kaggle.com/models/a/b/keras/c")).contains("use --model"));
        assert!(err(model("keras/gemma")).contains("framework and variation"));
        assert!(err(model("https://www.kaggle.com/models/keras/gemma")).contains("framework and variation"));
        assert!(err(kernel("https://www.kaggle.com/settings")).contains("not a kernel page"));
    }

    #[test]
    fn frameworks_map_to_the_api_enum_like_the_client() {
        let m = |f: &str| Model {
            owner: "o".into(),
            model: "m".into(),
            framework: Some(f.into()),
            variation: Some("v".into()),
            version: None,
        };
        assert_eq!(m("keras").framework_enum(), "MODEL_FRAMEWORK_KERAS");
        assert_eq!(m("pyTorch").framework_enum(), "MODEL_FRAMEWORK_PY_TORCH");
        assert_eq!(m("PyTorch").framework_enum(), "MODEL_FRAMEWORK_PY_TORCH");
        assert_eq!(m("tensorFlow2").framework_enum(), "MODEL_FRAMEWORK_TENSOR_FLOW_2");
        assert_eq!(m("transformers").framework_enum(), "MODEL_FRAMEWORK_TRANSFORMERS");
        assert_eq!(m("newThing").framework_enum(), "MODEL_FRAMEWORK_NEWTHING");
    }
}
