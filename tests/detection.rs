//! Finding the installed client never runs a file of the user's, never follows a `kaggle`
//! that is not a command, stays inside `--timeout`, and never prints raw metadata text.

use std::path::{Path, PathBuf};

use crate::support::*;

/// Makes `path` an executable file holding `content`.
fn exe(env: &TestEnv, path: &str, content: &str) -> PathBuf {
    let target = env.file(path, content);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755)).unwrap();
    target
}

/// A venv in the sandbox with kaggle installed as `version` (its metadata text verbatim).
fn venv_with(env: &mut TestEnv, version: &str) {
    env.file("~/venv/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.7\n");
    let marker = env.path("~/python-ran");
    let python = exe(env, "~/venv/bin/python3", &format!("#!/bin/sh\ntouch '{}'\n", marker.display()));
    exe(env, "~/venv/bin/kaggle", &format!("#!{}\nfrom kaggle.cli import main\n", python.display()));
    env.file(
        "~/venv/lib/python3.11/site-packages/kaggle-1.7.4.5.dist-info/METADATA",
        &format!("Metadata-Version: 2.1\nName: kaggle\nVersion: {version}\n\n"),
    );
    let path = env.path("~/venv/bin");
    env.env("PATH", format!("{}:/usr/bin:/bin", path.display()));
}

#[test]
fn the_version_is_read_from_the_venv_without_starting_python() {
    let mut env = TestEnv::offline();
    venv_with(&mut env, "1.7.4.5");
    let (report, _) = env.json(&["--offline"]);
    assert_eq!(report["client"]["version"], "1.7.4.5");
    assert_eq!(report["client"]["version_from"], "metadata");
    assert_eq!(report["clients"][0]["version_from"], "metadata");
    let from = report["client"]["from"].as_str().unwrap();
    assert!(from.starts_with("kaggle-1.7.4.5.dist-info in ~/venv/lib/python3.11/site-packages"), "{from}");
    let text = String::from_utf8(env.cmd().arg("--offline").output().unwrap().stdout).unwrap();
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains(&format!("client: kaggle 1.7.4.5 ({from})")), "{text}");
    assert!(!env.path("~/python-ran").exists());

    let (given, _) = env.json(&["--offline", "--client-version", "1.6.17"]);
    assert_eq!(given["client"]["version_from"], "option");
}

#[test]
fn metadata_with_terminal_controls_is_escaped_in_every_format() {
    for hostile in ["1.7.4.5\u{1b}]0;pwned\u{7}", "\u{202e}5.4.7.1", "1.7\u{1b}[2J\u{9b}31m", "2.0\u{61c}\u{2066}"] {
        let mut env = TestEnv::offline();
        venv_with(&mut env, hostile);
        let (report, _) = env.json(&["--offline"]);
        assert_eq!(report["client"]["version_from"], "assumed", "not a version: modelled as the newest");
        let note = report["client"]["note"].as_str().unwrap();
        assert!(note.contains("not a version"), "{note}");
        for format in ["text", "json", "markdown", "junit"] {
            let out = env.cmd().args(["--offline", "--format", format]).output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let bad = text
                .chars()
                .find(|&c| matches!(c, '\u{1b}' | '\u{7}' | '\u{9b}' | '\u{202e}' | '\u{61c}' | '\u{2066}'));
            assert_eq!(bad, None, "{format} output for {hostile:?}: {text}");
        }
    }
}

/// A real interpreter behind a wrapper in a prefix with no layout: the only case where
/// Python starts. Files that `importlib.metadata` would import from the working directory
/// must not run.
#[test]
fn no_file_in_the_working_directory_ever_runs() {
    let Some(python) = ["/usr/bin/python3", "/usr/local/bin/python3"].into_iter().find(|p| Path::new(p).exists())
    else {
        return; // no system interpreter: nothing could run anyway
    };
    for launcher in ["python3", "kaggle"] {
        let mut env = TestEnv::offline();
        exe(&env, "~/odd/bin/python3", &format!("#!/bin/sh\nexec {python} \"$@\"\n"));
        if launcher == "kaggle" {
            exe(&env, "~/odd/bin/kaggle", "#!/usr/bin/env python3\n");
        }
        let marker = env.path("~/user-code-ran");
        for module in
            ["csv.py", "email.py", "zipfile.py", "pathlib.py", "sitecustomize.py", "usercustomize.py", "re.py"]
        {
            env.file(
                &format!("./{module}"),
                &format!("open({:?}, 'a').write({module:?})\n", marker.display().to_string()),
            );
        }
        env.file(
            "./importlib/__init__.py",
            &format!("open({:?}, 'a').write('importlib')\n", marker.display().to_string()),
        );
        let path = env.path("~/odd/bin");
        env.env("PATH", format!("{}:/usr/bin:/bin", path.display()));
        env.env("PYTHONPATH", ".");
        let (report, _) = env.json(&["--offline"]);
        assert!(!marker.exists(), "{launcher}: ran {}", std::fs::read_to_string(&marker).unwrap_or_default());
        assert!(["interpreter", "assumed"].contains(&report["client"]["version_from"].as_str().unwrap()));
    }
}

/// W3: a `kaggle` on PATH that is not a command — not executable, a directory, a FIFO, a
/// dangling symlink, a symlink to a file that is not executable — is never followed: its
/// `#!` interpreter never runs and sets no version.
#[test]
fn a_kaggle_that_is_not_executable_is_never_run() {
    use std::os::unix::fs::PermissionsExt;
    type LayOut = fn(&TestEnv, &str);
    let kinds: [(&str, LayOut); 6] = [
        ("mode 600", |env, shebang| drop(env.file("~/bin/kaggle", shebang))),
        ("mode 644", |env, shebang| {
            let f = env.file("~/bin/kaggle", shebang);
            std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o644)).unwrap();
        }),
        ("a directory", |env, _| std::fs::create_dir_all(env.path("~/bin/kaggle")).unwrap()),
        ("a FIFO", |env, _| {
            std::fs::create_dir_all(env.path("~/bin")).unwrap();
            assert!(std::process::Command::new("mkfifo").arg(env.path("~/bin/kaggle")).status().unwrap().success());
        }),
        ("a dangling symlink", |env, _| {
            std::fs::create_dir_all(env.path("~/bin")).unwrap();
            std::os::unix::fs::symlink("/nonexistent/kaggle", env.path("~/bin/kaggle")).unwrap();
        }),
        ("a symlink to a file that is not executable", |env, shebang| {
            let target = env.file("~/elsewhere/kaggle-script", shebang);
            std::fs::create_dir_all(env.path("~/bin")).unwrap();
            std::os::unix::fs::symlink(target, env.path("~/bin/kaggle")).unwrap();
        }),
    ];
    for (kind, lay_out) in kinds {
        let mut env = TestEnv::offline();
        let marker = env.path("~/interpreter-ran");
        let python =
            exe(&env, "~/fake/python", &format!("#!/bin/sh\ntouch '{}'\necho kaggle 1.6.17\n", marker.display()));
        lay_out(&env, &format!("#!{}\n", python.display()));
        let path = env.path("~/bin");
        env.env("PATH", path.as_os_str());
        let (report, _) = env.json(&["--offline"]);
        assert!(!marker.exists(), "{kind}: the interpreter ran");
        assert_eq!(report["client"]["version_from"], "assumed", "{kind}");
    }
}

/// R2: `--timeout` bounds the whole run, detection included: a python3 that never
/// answers, one that ignores SIGTERM, one that floods its output, and one whose child
/// keeps its output open after it exits are all stopped at the deadline (the report says
/// so, or the version is assumed) and do not outlive the run.
#[test]
fn a_slow_interpreter_is_stopped_at_the_deadline() {
    for (kind, body) in [
        ("never answers", "exec /bin/sleep 300"),
        ("ignores SIGTERM", "trap '' TERM\n/bin/sleep 300\n/bin/sleep 300"),
        ("floods its output", "exec /usr/bin/yes kaggle"),
        ("leaves a child holding its output", "/bin/sleep 300 &\necho $! > \"$0.child\"\necho kaggle"),
    ] {
        let mut env = TestEnv::offline();
        let pid_file = env.path("~/pid");
        let script = format!("#!/bin/sh\necho $$ > '{}'\n{body}\n", pid_file.display());
        let python = exe(&env, "~/slow/bin/python3", &script);
        let path = env.path("~/slow/bin");
        env.env("PATH", path.as_os_str());
        let out = env
            .cmd()
            .args(["--format", "json", "--offline", "--timeout", "1"])
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{kind}: no report ({e})"));
        let note = report["client"]["note"].as_str().unwrap_or("");
        assert!(
            note.contains("did not answer before the deadline") || report["client"]["version_from"] == "assumed",
            "{kind}: {}",
            report["client"]
        );
        let child = python.with_extension("child");
        for pid_file in [pid_file, child].iter().filter(|p| p.exists()) {
            let pid = std::fs::read_to_string(pid_file).unwrap();
            let alive = Path::new("/proc").join(pid.trim());
            let running =
                alive.exists() && !std::fs::read_to_string(alive.join("stat")).is_ok_and(|s| s.contains(") Z "));
            if running && pid_file.extension().is_some_and(|e| e == "child") {
                // The grandchild is the interpreter's own business; stop it for the sandbox.
                let _ = std::process::Command::new("kill").arg(pid.trim()).status();
                continue;
            }
            assert!(!running, "{kind}: still running");
        }
    }
}

/// The benchmark's stage trace (docs/performance.md) is opt-in and never on stdout.
#[test]
fn the_timing_trace_is_opt_in_and_on_stderr_only() {
    let mut env = TestEnv::new();
    let quiet = env.cmd().args(["--format", "json"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("kad-timing"));
    env.env("KAD_TIMINGS", "1");
    let traced = env.cmd().args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&traced.stderr);
    for stage in ["discovery", "version detection", "HTTP client", "probes", "diagnosis", "rendering", "total"] {
        assert!(stderr.contains(&format!("kad-timing {stage}")), "{stage} missing: {stderr}");
    }
    assert!(!String::from_utf8_lossy(&traced.stdout).contains("kad-timing"));
    assert_eq!(quiet.status.code(), traced.status.code());
}

/// Fixes that reinstall the client name the interpreter that runs it, found on disk.
#[test]
fn upgrade_fixes_name_the_detected_interpreter() {
    let mut env = TestEnv::new();
    venv_with(&mut env, "1.8.0");
    env.file("~/.kaggle/access_token", ALICE_TOKEN);
    let (report, _) = env.json(&[]);
    assert_eq!(report["client"]["version"], "1.8.0");
    let f = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == "token-env-deletion-crash").unwrap();
    let python = env.path("~/venv/bin/python3");
    assert_eq!(f["fix"][0], format!("{} -m pip install --upgrade 'kaggle>=1.8.3'", python.display()));
}
