//! A private world for each test: a temp HOME and working dir, an empty environment,
//! and a fake Kaggle API on 127.0.0.1. Nothing of the real user's setup leaks in.

pub mod raw;

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

pub mod fake_server;
pub mod fixture;
pub mod mitm;
pub mod sandbox;

pub use fake_server::FakeServer;
pub use fixture::Fixture;
pub use mitm::MitmProxy;
pub use sandbox::Sandbox;

/// Secrets the standard world knows. Each is unique so a leak test can search for it.
pub const ALICE_KEY: &str = "a11ce0key0123456789abcdef0123456";
pub const BOB_KEY: &str = "b0b0key00123456789abcdef01234567";
pub const ALICE_TOKEN: &str = "KGAT_alice0full0scope0token0000000001";
pub const SCOPED_TOKEN: &str = "KGAT_alice0scoped0token000000000000002";
pub const REVOKED_TOKEN: &str = "KGAT_revoked0token000000000000000000003";
pub const BOB_TOKEN: &str = "KGAT_bob0full0scope0token0000000000004";
/// What GenerateAccessToken mints from the refresh token `r3fr3sh0000`.
pub const MINTED_TOKEN: &str = "KGAT_minted0by0oauth0refresh0000000005";

/// The server side shared by most tests.
pub const WORLD: &str = r#"{
  "name": "world", "description": "test world",
  "server": {
    "accounts": [
      { "username": "alice", "key": "a11ce0key0123456789abcdef0123456" },
      { "username": "bob", "key": "b0b0key00123456789abcdef01234567" }
    ],
    "tokens": [
      { "token": "KGAT_alice0full0scope0token0000000001", "username": "alice" },
      { "token": "KGAT_alice0scoped0token000000000000002", "username": "alice",
        "scopes": ["competitions:read", "datasets:read", "kernels:read", "models:read"] },
      { "token": "KGAT_revoked0token000000000000000000003", "username": "alice", "active": false },
      { "token": "KGAT_bob0full0scope0token0000000000004", "username": "bob" },
      { "token": "KGAT_minted0by0oauth0refresh0000000005", "username": "bob" }
    ],
    "refresh_tokens": [
      { "refresh_token": "r3fr3sh0000", "token": "KGAT_minted0by0oauth0refresh0000000005" }
    ],
    "competitions": [
      { "slug": "santa-2025", "rules_accepted_by": ["alice"] }
    ]
  }
}"#;

pub struct TestEnv {
    sandbox: Sandbox,
    pub home: PathBuf,
    pub cwd: PathBuf,
    vars: Vec<(String, std::ffi::OsString)>,
    pub fake: Option<FakeServer>,
    /// An API root to use instead of the fake's.
    pub endpoint: Option<String>,
    /// No `--endpoint` at all: the doctor keeps the production roots (only behind a proxy
    /// on loopback, e.g. [`mitm::MitmProxy`], so that nothing leaves the machine).
    pub production_roots: bool,
}

impl TestEnv {
    /// A sandbox with the standard world's fake API running.
    pub fn new() -> TestEnv {
        TestEnv::with_world(WORLD)
    }

    /// A sandbox whose fake API serves `world` (fixture JSON).
    pub fn with_world(world: &str) -> TestEnv {
        let fixture = Fixture::parse(world);
        let mut env = TestEnv::offline();
        env.fake = Some(FakeServer::start(&fixture.scenario.server, fixture.extras));
        env
    }

    /// A sandbox with no fake API (for --offline and usage tests).
    pub fn offline() -> TestEnv {
        let sandbox = Sandbox::new();
        let (home, cwd) = (sandbox.home.clone(), sandbox.cwd.clone());
        TestEnv { sandbox, home, cwd, vars: Vec::new(), fake: None, endpoint: None, production_roots: false }
    }

    /// A sandbox laid out from a fixture file (or a built-in scenario), with its fake API.
    /// `$FAKE_PORT` in env values and the fixture's endpoint is the fake's port.
    pub fn from_scenario(name_or_path: &str) -> TestEnv {
        let fixture = Fixture::load(name_or_path);
        let mut env = TestEnv::offline();
        let fake = FakeServer::start(&fixture.scenario.server, fixture.extras);
        let port = fake.port().to_string();
        for (k, v) in env.sandbox.lay_out(&fixture.scenario.local) {
            env.vars.push((k, v.replace("$FAKE_PORT", &port).into()));
        }
        env.endpoint = fixture.test.endpoint.as_ref().map(|e| e.replace("$FAKE_PORT", &port));
        env.fake = Some(fake);
        env
    }

    /// Writes a file under HOME (`~/…`) or the working dir (`./…`), creating parents.
    pub fn file(&self, path: &str, content: &str) -> PathBuf {
        let target = self.path(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, content).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        target
    }

    /// `~/…` or `./…` as an absolute path in the sandbox.
    pub fn path(&self, path: &str) -> PathBuf {
        match (path.strip_prefix("~/"), path.strip_prefix("./")) {
            (Some(rest), _) => self.home.join(rest),
            (_, Some(rest)) => self.cwd.join(rest),
            _ => PathBuf::from(path),
        }
    }

    /// kaggle.json with a username and key at `path`.
    pub fn kaggle_json(&self, path: &str, username: &str, key: &str) -> PathBuf {
        self.file(path, &format!(r#"{{"username": "{username}", "key": "{key}"}}"#))
    }

    /// Sets an environment variable for the doctor's process.
    pub fn env(&mut self, name: &str, value: impl AsRef<std::ffi::OsStr>) -> &mut Self {
        self.vars.push((name.into(), value.as_ref().to_os_string()));
        self
    }

    /// The doctor, with only this sandbox's environment, pointed at the fake API. Output
    /// is not a terminal, so colour is off unless a test asks for it.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// [`TestEnv::cmd`] as a plain `std::process::Command` (for `pre_exec` and the like).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("kaggle-auth-doctor"));
        cmd.env_clear().env("HOME", &self.home).current_dir(&self.cwd);
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        match (&self.endpoint, &self.fake) {
            _ if self.production_roots => {}
            (Some(root), _) => drop(cmd.arg("--endpoint").arg(root)),
            (None, Some(fake)) => drop(cmd.arg("--endpoint").arg(fake.root())),
            (None, None) => {}
        }
        cmd
    }

    /// Runs `check --format json` with extra args; returns the report and exit code.
    pub fn json(&self, args: &[&str]) -> (Value, i32) {
        let out = self.cmd().args(["--format", "json"]).args(args).output().expect("runs");
        let code = out.status.code().expect("exit code");
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert_eq!(report["exit_code"], code, "exit_code field matches the process exit code");
        validate(&report);
        (report, code)
    }
}

/// The source entry with `id`.
pub fn source<'a>(report: &'a Value, id: &str) -> Option<&'a Value> {
    report["sources"].as_array()?.iter().find(|s| s["id"] == id)
}

/// Ids of every listed source.
pub fn source_ids(report: &Value) -> Vec<String> {
    report["sources"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()).collect()
}

/// The outcome of one matrix cell.
pub fn outcome(report: &Value, source: &str, endpoint: &str) -> String {
    report["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["source"] == source && c["endpoint"] == endpoint)
        .map(|c| c["outcome"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no cell {source} × {endpoint}"))
}

/// Codes of the error findings (info findings depend on the host, e.g. a container).
pub fn error_codes(report: &Value) -> Vec<String> {
    let findings = report["findings"].as_array().unwrap().iter();
    findings.filter(|f| f["severity"] == "error").map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

/// Every fix line of every finding, in order.
pub fn fix_lines(report: &Value) -> Vec<String> {
    let findings = report["findings"].as_array().unwrap();
    findings.iter().flat_map(|f| f["fix"].as_array().unwrap()).map(|l| l.as_str().unwrap().to_string()).collect()
}

/// Codes of every finding.
pub fn finding_codes(report: &Value) -> Vec<String> {
    report["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

/// An API root on loopback where nothing listens, so every connection is refused.
///
/// Port 9 (discard) lies below the kernel's ephemeral range: no test server, which all bind
/// port 0, can be handed it while tests run in parallel. Binding port 0 and dropping the
/// listener is not enough: the port goes back to the pool and another test's server can get
/// it before the doctor connects (it happened in CI: the "unreachable" Kaggle answered PASS).
pub fn refused_endpoint() -> String {
    const DISCARD: u16 = 9;
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", DISCARD)).is_err(),
        "something listens on 127.0.0.1:{DISCARD}; the refused-connection tests need it closed"
    );
    format!("http://127.0.0.1:{DISCARD}/v1")
}

/// `seconds` from now as an ISO-8601 UTC timestamp (`2026-11-28T03:00:00Z`).
pub fn iso_in(seconds: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    kaggle_auth_doctor::timestamp::rfc3339(now + seconds)
}

/// Parses a JSON report (stdout or a report file) and fails the test unless it validates.
pub fn valid_report(bytes: impl AsRef<[u8]>) -> Value {
    let bytes = bytes.as_ref();
    let report: Value = serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not a JSON report ({e}): {}", String::from_utf8_lossy(bytes)));
    validate(&report);
    report
}

/// Fails the test unless `report` validates against schema/report.schema.json.
pub fn validate(report: &Value) {
    let schema: Value =
        serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schema/report.schema.json"))).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("urn:kaggle-auth-doctor:report-schema:1", schema).expect("schema loads");
    let index = compiler.compile("urn:kaggle-auth-doctor:report-schema:1", &mut schemas).expect("schema compiles");
    if let Err(e) = schemas.validate(report, index) {
        panic!("the report does not match schema/report.schema.json: {e:#}");
    }
}
