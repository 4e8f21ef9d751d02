//! The GitHub Action (action.yml → action/run.sh), run as a runner would: a simulated
//! Actions environment (`GITHUB_ACTIONS`, `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`,
//! `RUNNER_TEMP`, inputs as `INPUT_*`), a temp HOME, the fake Kaggle API, and the binary
//! under test in place of the PyPI install (the `binary` input).
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/action/run.sh");
const ACTION_YML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/action.yml"));

/// One run of the Action's step and everything it left behind.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: BTreeMap<String, String>,
    summary: String,
    /// The report file named by the `report` output, if it exists.
    report: Option<String>,
}

impl Run {
    fn output(&self, name: &str) -> &str {
        self.outputs.get(name).map_or_else(|| panic!("no output {name} in {:?}", self.outputs), |v| v.as_str())
    }

    /// Every byte the step produced or left in a file the workflow can read.
    fn everything(&self) -> String {
        let outputs = format!("{:?}", self.outputs);
        [self.stdout.as_str(), &self.stderr, &self.summary, &outputs, self.report.as_deref().unwrap_or("")].join("\n")
    }
}

/// The runner: a sandbox (HOME, fake API) plus the files Actions provides.
struct Runner {
    env: TestEnv,
    temp: PathBuf,
    vars: Vec<(String, String)>,
    binary: PathBuf,
}

impl Runner {
    fn new(env: TestEnv) -> Runner {
        let temp = env.home.parent().unwrap().join("runner-temp");
        std::fs::create_dir_all(&temp).unwrap();
        let binary = assert_cmd::cargo::cargo_bin("kaggle-auth-doctor");
        Runner { env, temp, vars: Vec::new(), binary }
    }

    /// Sets `INPUT_<NAME>` the way the composite step's `env:` does.
    fn input(&mut self, name: &str, value: &str) -> &mut Self {
        let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
        self.vars.push((var, value.to_string()));
        self
    }

    /// A job-level environment variable (the workflow's `env:`, e.g. a secret).
    fn var(&mut self, name: &str, value: &str) -> &mut Self {
        self.vars.push((name.to_string(), value.to_string()));
        self
    }

    fn run(&self) -> Run {
        self.run_with_path("/usr/local/bin:/usr/bin:/bin")
    }

    /// Runs the step with `PATH` (the script needs bash and coreutils; Python only to install).
    fn run_with_path(&self, path: &str) -> Run {
        let output_file = self.temp.join("github-output");
        let summary_file = self.temp.join("step-summary.md");
        // Earlier steps' summaries stay; the verdict must come from this step's part.
        std::fs::write(&summary_file, "## an earlier step: kaggle-auth-doctor: PASS\n").unwrap();
        let _ = std::fs::remove_file(&output_file);
        let endpoint = self.env.fake.as_ref().map(|f| format!("--endpoint {}", f.root())).unwrap_or_default();
        let mut cmd = Command::new("/bin/bash");
        cmd.arg(SCRIPT)
            .env_clear()
            .env("PATH", path)
            .env("HOME", &self.env.home)
            .env("GITHUB_ACTIONS", "true")
            .env("CI", "true")
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", &summary_file)
            .env("RUNNER_TEMP", &self.temp)
            .env("INPUT_BINARY", &self.binary) // the install step, pointed at the binary under test
            .env("INPUT_ARGS", &endpoint)
            .current_dir(&self.env.cwd);
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("bash runs the action script");
        let outputs = read_outputs(&output_file);
        let report = outputs.get("report").and_then(|p| std::fs::read_to_string(p).ok());
        Run {
            code: out.status.code().expect("exit code"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            outputs,
            summary: std::fs::read_to_string(&summary_file).unwrap(),
            report,
        }
    }
}

/// `name=value` lines of `$GITHUB_OUTPUT`; a name written twice is a bug.
fn read_outputs(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut outputs = BTreeMap::new();
    for line in text.lines() {
        let (k, v) = line.split_once('=').unwrap_or_else(|| panic!("malformed output line {line:?}"));
        assert!(outputs.insert(k.to_string(), v.to_string()).is_none(), "output {k} written twice");
    }
    outputs
}

fn assert_no_secret(run: &Run) {
    let all = run.everything();
    for secret in [ALICE_KEY, BOB_KEY, ALICE_TOKEN, SCOPED_TOKEN, REVOKED_TOKEN, BOB_TOKEN] {
        assert!(!all.contains(secret), "a secret leaked into the step's output or files:\n{all}");
    }
}

#[test]
fn a_working_credential_passes_with_a_summary_and_outputs() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let mut runner = Runner::new(env);
    runner.input("competition", "santa-2025").input("effective-only", "true");
    let run = runner.run();
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(run.output("verdict"), "pass");
    assert_eq!(run.output("exit-code"), "0");
    assert!(run.summary.contains("kaggle-auth-doctor: PASS"), "{}", run.summary);
    assert!(run.summary.contains("competitions.submissions") || run.summary.contains("c.subs"), "matrix missing");
    let report: serde_json::Value = serde_json::from_str(run.report.as_deref().expect("report file")).unwrap();
    assert_eq!(report["verdict"]["status"], "pass");
    validate(&report);
    assert!(run.stdout.contains("file:kaggle.json"), "the log shows the text report:\n{}", run.stdout);
    assert_no_secret(&run);
}

#[test]
fn a_failing_credential_fails_the_step_with_annotations_and_no_secret() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let mut runner = Runner::new(env);
    runner.var("KAGGLE_API_TOKEN", SCOPED_TOKEN).input("competition", "santa-2025");
    runner.input("require", "whoami,competitions.submissions");
    let run = runner.run();
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(run.output("verdict"), "fail");
    assert_eq!(run.output("exit-code"), "1");
    assert!(run.stderr.contains("::error title=kaggle-auth-doctor"), "annotations:\n{}", run.stderr);
    assert!(run.summary.contains("kaggle-auth-doctor: FAIL"), "{}", run.summary);
    assert!(run.summary.contains("env:KAGGLE_API_TOKEN"), "the summary's matrix names the source");
    let report = valid_report(run.report.as_deref().unwrap());
    assert_eq!(report["verdict"]["status"], "fail");
    assert_no_secret(&run);
}

#[test]
fn every_source_probed_when_effective_only_is_off() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let mut runner = Runner::new(env);
    runner.var("KAGGLE_API_TOKEN", REVOKED_TOKEN).input("effective-only", "false");
    let run = runner.run();
    assert_eq!(run.output("verdict"), "fail");
    let report = valid_report(run.report.as_deref().unwrap());
    assert_eq!(outcome(&report, "file:kaggle.json", "whoami"), "ok", "the shadowed key was probed too");
    assert_no_secret(&run);
}

#[test]
fn fail_on_never_keeps_the_step_green_but_reports_the_verdict() {
    let env = TestEnv::new();
    let mut runner = Runner::new(env);
    runner.var("KAGGLE_API_TOKEN", REVOKED_TOKEN).input("fail-on", "never");
    let run = runner.run();
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(run.output("exit-code"), "0");
    assert_eq!(run.output("verdict"), "fail");
    assert_no_secret(&run);
}

#[test]
fn an_unreachable_kaggle_is_inconclusive_not_a_failure() {
    let env = TestEnv::offline();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let mut runner = Runner::new(env);
    runner.input("args", &format!("--endpoint {} --timeout 5", refused_endpoint()));
    let run = runner.run();
    assert_eq!(run.code, 3, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert_eq!(run.output("verdict"), "inconclusive");
    assert_eq!(run.output("exit-code"), "3");
    assert_no_secret(&run);
}

#[test]
fn a_usage_error_is_verdict_error_exit_2() {
    let env = TestEnv::new();
    let mut runner = Runner::new(env);
    runner.input("require", "no-such-endpoint");
    let run = runner.run();
    assert_eq!(run.code, 2);
    assert_eq!(run.output("verdict"), "error");
    assert_eq!(run.output("exit-code"), "2");
}

#[test]
fn a_bad_format_input_is_refused_before_anything_runs() {
    let mut runner = Runner::new(TestEnv::offline());
    runner.input("format", "yaml");
    let run = runner.run();
    assert_eq!(run.code, 2);
    assert_eq!(run.output("verdict"), "error");
    assert!(run.stderr.contains("::error title=kaggle-auth-doctor::format must be"), "{}", run.stderr);
}

#[test]
fn the_report_file_has_the_requested_format_and_path() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let mut runner = Runner::new(env);
    let path = runner.env.cwd.join("doctor.xml");
    runner.input("format", "junit").input("report", path.to_str().unwrap());
    let run = runner.run();
    assert_eq!(run.output("report"), path.to_str().unwrap());
    let xml = std::fs::read_to_string(&path).unwrap();
    roxmltree::Document::parse(&xml).expect("the JUnit report parses");
    assert_eq!(run.output("verdict"), "pass");
}

/// A stand-in binary that records its arguments, one per line.
fn recorder(runner: &Runner) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let log = runner.temp.join("argv");
    let script = runner.temp.join("record-args");
    std::fs::write(&script, format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", log.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, log)
}

#[test]
fn inputs_become_flags_only_when_set_and_are_never_shell_code() {
    let mut runner = Runner::new(TestEnv::offline());
    let (script, log) = recorder(&runner);
    runner.binary = script;
    let sneaky = "x$(touch pwned)`touch pwned2`;touch pwned3";
    runner.input("competition", sneaky).input("dataset", "owner/data set").input("model", "");
    runner.input("kernel", "").input("require", "").input("fail-on", "warning");
    let run = runner.run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let argv: Vec<String> = std::fs::read_to_string(&log).unwrap().lines().map(String::from).collect();
    let flag = |name: &str| argv.iter().position(|a| a == name).map(|i| argv[i + 1].as_str());
    assert_eq!(argv[..2], ["check", "--step-summary"]);
    assert_eq!(flag("--competition"), Some(sneaky), "passed as one literal argument");
    assert_eq!(flag("--dataset"), Some("owner/data set"));
    assert_eq!(flag("--fail-on"), Some("warning"));
    assert_eq!(flag("--format"), Some("json"));
    for absent in ["--model", "--kernel", "--require"] {
        assert!(!argv.iter().any(|a| a == absent), "{absent} passed for an empty input: {argv:?}");
    }
    assert!(argv.iter().any(|a| a == "--effective-only"), "effective-only defaults to true");
    for marker in ["pwned", "pwned2", "pwned3"] {
        assert!(!runner.env.cwd.join(marker).exists(), "an input ran as shell code");
    }
    assert_eq!(run.output("verdict"), "error", "no summary from the stand-in: the verdict says so");
}

#[test]
fn extra_args_are_split_on_spaces_and_appended() {
    let mut runner = Runner::new(TestEnv::offline());
    let (script, log) = recorder(&runner);
    runner.binary = script;
    runner.input("args", "--client both  --timeout 7");
    runner.run();
    let argv = std::fs::read_to_string(&log).unwrap();
    assert!(argv.ends_with("--client\nboth\n--timeout\n7\n"), "{argv}");
}

/// `name:` keys directly under `inputs:` in action.yml.
fn declared_inputs() -> Vec<&'static str> {
    let section = ACTION_YML.split("\ninputs:\n").nth(1).unwrap().split("\noutputs:\n").next().unwrap();
    section.lines().filter_map(|l| l.strip_prefix("  ")?.strip_suffix(':')).filter(|k| !k.starts_with(' ')).collect()
}

#[test]
fn every_input_reaches_the_script_as_an_env_var() {
    let inputs = declared_inputs();
    assert!(inputs.len() >= 10, "{inputs:?}");
    let script = std::fs::read_to_string(SCRIPT).unwrap();
    for input in inputs {
        let var = format!("INPUT_{}", input.to_uppercase().replace('-', "_"));
        let mapping = format!("{var}: ${{{{ inputs.{input} }}}}");
        assert!(ACTION_YML.contains(&mapping), "action.yml does not map {input} to {var}");
        let used = script.contains(&var) || script.contains(&format!("{}:{}", input, &var["INPUT_".len()..]));
        assert!(used, "action/run.sh never reads {var}");
    }
    assert!(!ACTION_YML.contains("run: ${{"), "no input is spliced into the script");
}

#[test]
fn the_default_version_is_this_crate_version() {
    let default = ACTION_YML.split("\n  version:\n").nth(1).unwrap();
    let line = default.lines().find(|l| l.trim_start().starts_with("default:")).unwrap();
    assert_eq!(line.trim_start().trim_start_matches("default:").trim().trim_matches('"'), env!("CARGO_PKG_VERSION"));
}

#[test]
fn pinned_install_commands_in_the_docs_name_this_version() {
    let docs = [include_str!("../docs/ci.md"), include_str!("../README.md")];
    let pins: Vec<&str> = docs.iter().flat_map(|d| d.split("kaggle-auth-doctor==").skip(1)).collect();
    assert!(!pins.is_empty(), "docs/ci.md shows a pinned install");
    for pin in pins {
        let version = pin.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.')).next().unwrap();
        assert_eq!(version, env!("CARGO_PKG_VERSION"), "a pinned install in the docs is out of date");
    }
}

#[test]
fn a_failed_install_is_a_runtime_failure_without_a_doctor_run() {
    let mut runner = Runner::new(TestEnv::offline());
    runner.binary = PathBuf::new();
    // A PATH with the script's tools but no Python: the install cannot even start.
    let bin = runner.temp.join("no-python");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["mkdir", "touch", "wc", "tail", "grep", "cat"] {
        let real = ["/bin", "/usr/bin"].iter().map(|d| Path::new(d).join(tool)).find(|p| p.exists()).unwrap();
        std::os::unix::fs::symlink(real, bin.join(tool)).unwrap();
    }
    let run = runner.run_with_path(bin.to_str().unwrap());
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert_eq!(run.output("verdict"), "error");
    assert_eq!(run.output("exit-code"), "4");
    assert!(run.stderr.contains("::error title=kaggle-auth-doctor::Python 3 is needed"), "{}", run.stderr);
}
