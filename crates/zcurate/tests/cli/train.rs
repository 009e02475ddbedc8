//! `zcurate train`: export, gate, run a stand-in trainer, pass on its exit status, write the
//! run record.

use std::path::PathBuf;

use crate::export::{Workspace, face_set};

/// A trainer stand-in: checks that its config exists and parses as YAML with the job keys
/// (with the same checks a trainer's loader would fail on), then exits 3.
const STAND_IN: &str = r#"#!/bin/sh
config="$1"
[ -f "$config" ] || { echo "no config at $config" >&2; exit 10; }
[ "$config" = "$ZCURATE_TRAIN_CONFIG" ] || { echo "env and argument differ" >&2; exit 11; }
grep -q '^job: "extension"' "$config" || { echo "not a job config" >&2; exit 12; }
grep -q 'trigger_word: "zq"' "$config" || { echo "no trigger" >&2; exit 13; }
echo "stand-in trainer read $config"
exit 3
"#;

fn stand_in(ws: &Workspace) -> PathBuf {
    let path = ws.path("fake-trainer.sh");
    std::fs::write(&path, STAND_IN).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

#[test]
fn runs_the_trainer_returns_its_status_and_records_the_run() {
    let ws = Workspace::new("faces");
    face_set(&ws, 20, &[]);
    let script = stand_in(&ws);
    let out = ws
        .command()
        .args([
            "train",
            "faces",
            "--trainer",
            "ai-toolkit",
            "--model",
            "z-image-turbo",
            "--out",
            "run out",
            "--",
        ])
        .arg(&script)
        .arg("{config}")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    // The child's output streams through.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("stand-in trainer read"), "{stdout}");

    let runs: Vec<_> = std::fs::read_dir(ws.path("run out/runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(runs.len(), 1);
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&runs[0]).unwrap()).unwrap();
    assert_eq!(r["exit_code"], 3);
    assert_eq!(r["exit_status"], 3);
    assert!(r["signal"].is_null());
    assert_eq!(r["trainer"], "ai-toolkit");
    assert_eq!(r["model"], "z-image-turbo");
    assert_eq!(r["forced"], false);
    let config = ws.path("run out/config.yaml");
    assert_eq!(r["main_config"], config.display().to_string());
    assert_eq!(
        r["command"][1],
        config.display().to_string(),
        "{{config}} replaced"
    );
    for key in ["config_sha256", "dataset_manifest_sha256"] {
        let h = r[key].as_str().unwrap();
        assert_eq!(h.len(), 64, "{key}");
        assert!(h.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
    }
    // The dataset manifest hash is the hash of the manifest file the export read.
    let export: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ws.path("run out/zcurate-export.json")).unwrap())
            .unwrap();
    assert_eq!(
        r["dataset_manifest_sha256"],
        export["dataset_manifest_sha256"]
    );
    for key in ["started_at", "ended_at"] {
        let t = r[key].as_str().unwrap();
        assert!(t.ends_with('Z') && t.len() == 24, "{key}: {t}");
    }
    assert!(r["started_at"].as_str() <= r["ended_at"].as_str());
}

#[test]
fn a_failing_set_is_not_trained() {
    let ws = Workspace::new("faces");
    face_set(&ws, 20, &[1, 2, 3]);
    let script = stand_in(&ws);
    let out = ws
        .command()
        .args([
            "train",
            "faces",
            "--trainer",
            "ai-toolkit",
            "--model",
            "z-image",
            "--out",
            "o",
            "--",
        ])
        .arg(&script)
        .arg("{config}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the gate, not the trainer");
    assert!(!ws.path("o").exists());
}

/// A SIGINT sent to zcurate alone (not through the terminal, which signals the whole
/// process group) is passed on to the trainer; zcurate outlives it, returns the trainer's
/// status and still records the run.
#[cfg(unix)]
#[test]
fn an_interrupt_reaches_the_trainer_and_zcurate_outlives_it() {
    signal_reaches_the_trainer("INT");
}

/// So does a hang-up (an SSH session that ends): zcurate used to die of it with 129, leaving
/// the trainer running and no run record.
#[cfg(unix)]
#[test]
fn a_hangup_reaches_the_trainer_and_the_run_is_recorded() {
    signal_reaches_the_trainer("HUP");
}

#[cfg(unix)]
fn signal_reaches_the_trainer(signal: &str) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let ws = Workspace::new("faces");
    face_set(&ws, 20, &[]);
    let script = ws.path("slow-trainer.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ntrap 'echo interrupted; exit 42' {signal}\necho ready\nwhile :; do sleep 0.1; done\n"
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut child = ws
        .command()
        .args([
            "train",
            "faces",
            "--trainer",
            "ai-toolkit",
            "--model",
            "z-image",
            "--out",
            "o",
            "--",
        ])
        .arg(&script)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // The export prints the config path, then the trainer says it is ready.
    loop {
        let line = lines.next().expect("the trainer starts").unwrap();
        if line == "ready" {
            break;
        }
    }
    let kill = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert_eq!(rest, vec!["interrupted"]);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(42));
    let runs: Vec<_> = std::fs::read_dir(ws.path("o/runs")).unwrap().collect();
    assert_eq!(runs.len(), 1);
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(runs[0].as_ref().unwrap().path()).unwrap()).unwrap();
    assert_eq!(r["exit_code"], 42);
}
