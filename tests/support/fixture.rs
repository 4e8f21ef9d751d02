//! Test fixtures (fixtures/findings/*.json, the built-in scenarios, worlds written in
//! tests): a product scenario plus keys only tests know — what the doctor must conclude
//! (`expect`), more arguments (`args`), another API root (`endpoint`), and a misbehaving
//! or slow server (`server.fault`, `server.latency_ms`), or one that holds every answer until
//! `server.barrier` requests have arrived. The test keys are taken out and
//! checked here; the rest must parse as a scenario `demo` would accept.
//!
//! Fixture files share a default world (fixtures/world.json): a file's `server` keys
//! replace the default's keys of the same name, so each fixture states only what
//! differs (`"competitions": []` to have none).

use std::collections::BTreeMap;

use kaggle_auth_doctor::fake_kaggle::Scenario;
use serde::Deserialize;
use serde_json::Value;

use super::fake_server::Extras;
use super::fake_server::faults::Fault;

/// A fixture: the scenario and the test-only keys.
#[derive(Debug)]
pub struct Fixture {
    pub scenario: Scenario,
    pub test: TestKeys,
    pub extras: Extras,
}

/// Top-level keys only tests read.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestKeys {
    /// An API root instead of the fake's; `$FAKE_PORT` is the fake's port.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// More command-line arguments.
    #[serde(default)]
    pub args: Vec<String>,
    /// What the doctor must conclude.
    #[serde(default)]
    pub expect: Option<Expect>,
}

/// What a correct diagnosis looks like.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Exit code.
    #[serde(default)]
    pub exit_code: Option<i32>,
    /// Codes that must be among the findings.
    #[serde(default)]
    pub findings: Vec<String>,
    /// The effective source id, or `none` when nothing is sent.
    #[serde(default)]
    pub effective: Option<String>,
    /// For a finding code, a piece of text its fix must contain.
    #[serde(default)]
    pub fixes: BTreeMap<String, String>,
}

/// `server` keys only the test server reads.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServerKeys {
    #[serde(default)]
    fault: Option<Fault>,
    #[serde(default)]
    latency_ms: u64,
    #[serde(default)]
    barrier: usize,
}

impl Fixture {
    /// Parses fixture JSON.
    pub fn parse(text: &str) -> Fixture {
        let mut value: Value = serde_json::from_str(text).expect("fixture is JSON");
        let object = value.as_object_mut().expect("fixture is an object");
        let test = take(object, &["endpoint", "args", "expect"]);
        let server = object.get_mut("server").and_then(Value::as_object_mut);
        let server =
            server.map(|s| take(s, &["fault", "latency_ms", "barrier"])).unwrap_or(Value::Object(Default::default()));
        let test: TestKeys = serde_json::from_value(test).expect("fixture test keys");
        let server: ServerKeys = serde_json::from_value(server).expect("fixture server test keys");
        let scenario = Scenario::parse(&value.to_string()).expect("fixture is a scenario");
        Fixture {
            scenario,
            test,
            extras: Extras {
                fault: server.fault,
                latency_ms: server.latency_ms,
                barrier: server.barrier,
                ..Extras::default()
            },
        }
    }

    /// A fixture file by path (on the default world), or a built-in scenario by name.
    pub fn load(name_or_path: &str) -> Fixture {
        if name_or_path.ends_with(".json") {
            let text = std::fs::read_to_string(name_or_path).unwrap_or_else(|e| panic!("{name_or_path}: {e}"));
            return Fixture::parse(&on_default_world(&text));
        }
        let builtin = kaggle_auth_doctor::fake_kaggle::scenario::BUILTIN.iter().find(|(n, _)| *n == name_or_path);
        Fixture::parse(builtin.unwrap_or_else(|| panic!("no built-in scenario {name_or_path}")).1)
    }

    /// The command-line arguments it implies (competition, dataset, model, kernel, pasted
    /// error, client version, `args`).
    pub fn args(&self) -> Vec<String> {
        let mut args = self.scenario.flags();
        if let Some(v) = &self.scenario.client_version {
            args.extend(["--client-version".to_string(), v.clone()]);
        }
        args.extend(self.test.args.iter().cloned());
        args
    }
}

/// The fixture text with its `server` laid over the default world's.
fn on_default_world(text: &str) -> String {
    let world = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/world.json"));
    let Value::Object(mut server) = serde_json::from_str(world).expect("fixtures/world.json is JSON") else {
        panic!("fixtures/world.json is an object")
    };
    let mut fixture: Value = serde_json::from_str(text).expect("fixture is JSON");
    if let Some(Value::Object(own)) = fixture.get("server") {
        server.extend(own.clone());
    }
    fixture["server"] = Value::Object(server);
    fixture.to_string()
}

/// Moves `keys` out of `object` into a new object.
fn take(object: &mut serde_json::Map<String, Value>, keys: &[&str]) -> Value {
    let taken = keys.iter().filter_map(|k| object.remove(*k).map(|v| (k.to_string(), v))).collect();
    Value::Object(taken)
}
