//! `zcurate evaluate` on run folders built from the fetched real photos in each trainer's
//! sample layout (naming cited in `crates/zcurate_evaluate/src/layout/`): the subject's
//! photos stand in for samples of trigger prompts once the LoRA has learned, other people
//! for samples before that and for neutral prompts, until a bleeding checkpoint shows the
//! subject there too. Then the bad inputs: no samples, no faces, prompts that do not match,
//! no manifest, no opt-in to the identity model.

use std::collections::BTreeMap;
use std::process::Output;

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;
use zcurate_dev::sample_run::{Photos, Stage, record_prompts, write_dataset, write_samples};

use crate::common::{pattern, run_ok};
use crate::export::Workspace;

/// Samples are stood in for at 512 px (trainers sample at 1024): the faces stay large and
/// the tests fast.
const SIDE: u32 = 512;

/// Not learned at 250, learned at 500, bleeding at 750.
const SCHEDULE: [(u64, Stage); 3] = [
    (250, Stage::Unlearned),
    (500, Stage::Learned),
    (750, Stage::Bleeding),
];

/// A workspace with the subject's dataset (`data`, six shots of one man) scanned.
fn dataset() -> Workspace {
    let ws = Workspace::new("data");
    std::fs::remove_dir(&ws.data).unwrap();
    write_dataset(&ws.data, &Photos::load().unwrap(), 6).unwrap();
    run_ok(ws.command().args(["scan", "data"]));
    ws
}

/// Exports `data` for `trainer` into `out` (forced: six images are fewer than a face set
/// wants, which is not what these tests are about).
fn export(ws: &Workspace, trainer: &str, out: &str) {
    run_ok(ws.command().args([
        "export",
        "data",
        "--trainer",
        trainer,
        "--model",
        "z-image-turbo",
        "--out",
        out,
        "--trigger",
        "ohwx",
        "--class-word",
        "man",
        "--force",
    ]));
}

fn samples(ws: &Workspace, out: &str, layout: &str, schedule: &[(u64, Stage)]) -> usize {
    let run = ws.path(out);
    let prompts = record_prompts(&run).unwrap();
    write_samples(&run, layout, &prompts, schedule, SIDE).unwrap()
}

fn evaluate(ws: &Workspace, args: &[&str]) -> Output {
    ws.command().arg("evaluate").args(args).output().unwrap()
}

/// `zcurate evaluate --format json`: exit code, report, stderr.
fn evaluate_json(ws: &Workspace, args: &[&str]) -> (i32, Value, String) {
    let out = ws
        .command()
        .args(["evaluate", "--identity", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), report, stderr)
}

/// The checkpoints of a report by step.
fn steps(report: &Value) -> BTreeMap<u64, &Value> {
    report["checkpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["checkpoint"]["step"].as_u64().unwrap(), c))
        .collect()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn every_trainer_layout_flags_the_bleeding_step_and_recommends_the_learned_one() {
    let ws = dataset();
    let mut first: Option<Value> = None;
    for (trainer, layout) in [
        ("ai-toolkit", "ai-toolkit"),
        ("musubi-tuner", "musubi-tuner"),
        ("simpletuner", "simpletuner"),
        ("onetrainer", "onetrainer"),
    ] {
        let out = format!("run-{trainer}");
        export(&ws, trainer, &out);
        // Five prompts (three with the trigger, a neutral portrait, a neutral group) at
        // three checkpoints.
        assert_eq!(samples(&ws, &out, layout, &SCHEDULE), 15);
        let (code, report, stderr) = evaluate_json(&ws, &[&out]);
        assert_eq!(code, 0, "{trainer}: {stderr}");
        assert_eq!(report["layout"], layout, "{trainer}");
        assert_eq!(report["samples"].as_array().unwrap().len(), 15, "{trainer}");
        let by = steps(&report);
        assert_eq!(by.keys().copied().collect::<Vec<_>>(), [250, 500, 750]);

        // 250: other people on the trigger prompts: not learned.
        let c = by[&250];
        assert_eq!(f(&c["activation"]), 0.0, "{trainer}: {c:#}");
        assert!(f(&c["likeness"]) < 0.3, "{trainer}: {c:#}");
        assert_eq!(c["flags"], serde_json::json!(["not-learned"]), "{trainer}");
        // 500: the subject on the trigger prompts, other people on the neutral ones.
        let c = by[&500];
        assert_eq!(f(&c["activation"]), 1.0, "{trainer}: {c:#}");
        assert!(f(&c["likeness"]) > 0.6, "{trainer}: {c:#}");
        assert_eq!(f(&c["bleed"]), 0.0, "{trainer}: {c:#}");
        assert!(f(&c["bleed_similarity"]) < 0.3, "{trainer}: {c:#}");
        // The portrait's face and the group's three.
        assert_eq!(c["neutral_faces"], 4, "{trainer}: {c:#}");
        assert_eq!(c["qualifies"], true, "{trainer}");
        // 750: the subject on the neutral prompts too: bleeding.
        let c = by[&750];
        assert_eq!(f(&c["bleed"]), 1.0, "{trainer}: {c:#}");
        assert!(f(&c["bleed_similarity"]) > 0.6, "{trainer}: {c:#}");
        assert_eq!(c["flags"], serde_json::json!(["bleeding"]), "{trainer}");
        for c in by.values() {
            assert_eq!(c["no_face"], 0, "{trainer}: {c:#}");
        }

        assert_eq!(
            report["recommended"]["checkpoint"]["step"], 500,
            "{trainer}"
        );
        let reason = report["recommended"]["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("step 500: the earliest checkpoint"),
            "{reason}"
        );
        // The same pictures give the same verdicts whichever trainer named them (the
        // similarities differ in the third decimal: some trainers save JPEG, others PNG).
        let verdicts: Vec<Value> = by
            .values()
            .map(|c| {
                serde_json::json!([
                    c["activation"],
                    c["bleed"],
                    c["trigger_faces"],
                    c["neutral_faces"],
                    c["flags"],
                    c["qualifies"]
                ])
            })
            .collect();
        match &first {
            None => first = Some(Value::Array(verdicts)),
            Some(v) => assert_eq!(&Value::Array(verdicts), v, "{trainer}"),
        }
    }

    // The table for people, and the page.
    let out = evaluate(
        &ws,
        &["run-ai-toolkit", "--identity", "--html", "eval.html"],
    );
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    let row = |step: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("step {step} ")))
            .unwrap_or_else(|| panic!("no row for {step}:\n{table}"))
            .to_owned()
    };
    assert!(row("250").ends_with("not learned"), "{table}");
    assert!(
        row("500").contains("0% 0/4") && row("500").ends_with("<- recommended"),
        "{table}"
    );
    assert!(
        row("750").contains("100% 4/4") && row("750").ends_with("bleeding"),
        "{table}"
    );
    assert!(
        table.contains("recommended: step 500: the earliest checkpoint"),
        "{table}"
    );
    let page = std::fs::read_to_string(ws.path("eval.html")).unwrap();
    assert!(page.contains("Keep step 500"));
    assert!(page.contains("<polyline"));
    // A thumbnail per sample, made from the decode that was scored.
    assert_eq!(page.matches("data:image/jpeg;base64,").count(), 15);
}

#[test]
fn no_qualifying_checkpoint_fails_the_gate() {
    let ws = dataset();
    export(&ws, "ai-toolkit", "run");
    samples(
        &ws,
        "run",
        "ai-toolkit",
        &[(250, Stage::Unlearned), (500, Stage::Bleeding)],
    );
    let out = evaluate(&ws, &["run", "--identity"]);
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("no checkpoint meets the thresholds: step 250 not learned (fewer than 50% of trigger samples show the subject); step 500 bleeding (more than 20% of neutral faces pass as the subject)"),
        "{table}"
    );
    // A looser bleed threshold lets the bleeding checkpoint through.
    let (code, report, _) = evaluate_json(&ws, &["run", "--max-bleed", "1"]);
    assert_eq!(code, 0);
    assert_eq!(report["recommended"]["checkpoint"]["step"], 500);
}

#[test]
fn diffusion_pipe_samples_nothing_and_hand_made_samples_are_read_with_their_prompts() {
    let ws = dataset();
    export(&ws, "diffusion-pipe", "dp");
    let out = evaluate(&ws, &["dp", "--identity"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("diffusion-pipe samples no images during training"),
        "{stderr}"
    );

    // Images generated by hand with each saved LoRA, one folder per checkpoint, and the
    // prompts as a kohya text file: the trigger word tells trigger prompts from neutral ones.
    let prompts = record_prompts(&ws.path("dp")).unwrap();
    let mut text = "# mine\n".to_owned();
    for p in &prompts {
        text += &p.text;
        text += " --d 42\n";
    }
    std::fs::write(ws.path("prompts.txt"), text).unwrap();
    write_samples(&ws.path("by-hand"), "folders", &prompts, &SCHEDULE, SIDE).unwrap();
    let (code, report, stderr) = evaluate_json(
        &ws,
        &[
            "by-hand",
            "--dataset",
            "data",
            "--prompts",
            "prompts.txt",
            "--trigger",
            "ohwx",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["layout"], "folders");
    let with: Vec<bool> = report["prompts"]["prompts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["with_trigger"].as_bool().unwrap())
        .collect();
    assert_eq!(with, [true, true, true, false, false]);
    assert_eq!(report["recommended"]["checkpoint"]["step"], 500);
}

#[test]
fn samples_without_faces_or_matching_prompts_cannot_be_scored() {
    let ws = dataset();
    export(&ws, "ai-toolkit", "run");
    let samples_dir = ws.path("run/output/zq/samples");
    std::fs::create_dir_all(&samples_dir).unwrap();
    // No face in any sample (a LoRA that broke the model).
    for i in 0..5 {
        pattern(256, 256, i)
            .save(samples_dir.join(format!("1767225600000__000000250_{i}.png")))
            .unwrap();
    }
    let out = evaluate(&ws, &["run", "--identity"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nothing could be scored: no face found in any of the 5 sample images"),
        "{stderr}"
    );

    // Prompt indices past the record's five prompts: the run sampled other prompts.
    std::fs::remove_dir_all(&samples_dir).unwrap();
    std::fs::create_dir_all(&samples_dir).unwrap();
    for i in 7..9 {
        std::fs::write(
            samples_dir.join(format!("1767225600000__000000250_{i}.jpg")),
            b"not decoded",
        )
        .unwrap();
    }
    let out = evaluate(&ws, &["run", "--identity"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 ai-toolkit samples match no prompt (their prompt index is past the 5 prompts of zcurate-export.json)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("none of the 2 sample images matches a prompt"),
        "{stderr}"
    );
}

#[test]
fn unmatched_samples_are_listed_and_the_rest_scored() {
    let ws = dataset();
    export(&ws, "ai-toolkit", "run");
    samples(&ws, "run", "ai-toolkit", &SCHEDULE[1..2]);
    let stray = ws.path("run/output/zcurate_run/samples/1767225600000__000000500_9.jpg");
    std::fs::write(&stray, b"x").unwrap();
    let (code, report, stderr) = evaluate_json(&ws, &["run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: 1 ai-toolkit samples match no prompt"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1767225600000__000000500_9.jpg"),
        "{stderr}"
    );
    assert_eq!(report["samples"].as_array().unwrap().len(), 5);
    assert_eq!(report["notes"][0]["level"], "warning");
}

#[test]
fn train_prints_the_evaluation_of_the_samples_it_left() {
    let ws = dataset();
    // A trainer stand-in that "samples": it copies prepared sample images into the run.
    export(&ws, "ai-toolkit", "prepared");
    samples(&ws, "prepared", "ai-toolkit", &SCHEDULE);
    let script = ws.path("trainer.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nmkdir -p \"$ZCURATE_TRAIN_OUT/output\" && cp -r prepared/output/zcurate_run \"$ZCURATE_TRAIN_OUT/output/\"\n",
    )
    .unwrap();
    let train = |mut cmd: std::process::Command, extra: &[&str]| {
        cmd.args([
            "train",
            "data",
            "--trainer",
            "ai-toolkit",
            "--model",
            "z-image-turbo",
        ])
        .args([
            "--out",
            "trained",
            "--trigger",
            "ohwx",
            "--class-word",
            "man",
            "--force",
        ])
        .args(extra)
        .args(["--", "sh"])
        .arg(&script)
        .output()
        .unwrap()
    };
    let out = train(ws.command(), &[]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Samples: 15 sample images in")
            && stderr.contains("--dataset data --identity`"),
        "{stderr}"
    );
    // `--identity` also gates on identity, from the embeddings the scan stores.
    crate::common::run_ok(ws.command().args(["scan", "data", "--identity"]));
    let out = train(ws.command(), &["--identity"]);
    // The trainer's exit status, whatever the evaluation says.
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("recommended: step 500"), "{stdout}");

    // The samples are judged by train's own --profile: one that counts a face as the subject
    // only at a similarity of 0.99 finds no checkpoint that learned him.
    ws.write_config("[profile.strict]\nextends = \"face\"\nmin-identity-similarity = 0.99\n");
    let out = train(
        ws.command_with_config(),
        &["--identity", "--profile", "strict"],
    );
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("no checkpoint meets the thresholds")
            && !stdout.contains("recommended: step"),
        "{stdout}"
    );
}

#[test]
fn bad_runs_are_errors_that_say_what_to_do() {
    let ws = Workspace::new("data");
    let filters = ws.filters();
    let snap = |name: &str, args: &[&str]| {
        let mut cmd = ws.command();
        cmd.arg("evaluate").args(args);
        insta::with_settings!({ filters => filters.iter().map(|(a, b)| (a.as_str(), b.as_str())) }, {
            assert_cmd_snapshot!(name, cmd);
        });
    };
    // No manifest for the dataset.
    std::fs::create_dir_all(ws.path("run/samples")).unwrap();
    pattern(64, 64, 1)
        .save(ws.path("run/samples/1767225600000__000000250_0.png"))
        .unwrap();
    snap(
        "evaluate_no_manifest",
        &["run", "--dataset", "data", "--identity"],
    );
    // No export record and no prompts.
    pattern(64, 64, 2).save(ws.data.join("a.png")).unwrap();
    run_ok(ws.command().args(["scan", "data", "--no-faces"]));
    snap(
        "evaluate_no_prompts",
        &["run", "--dataset", "data", "--identity"],
    );
    // A folder without samples.
    std::fs::create_dir_all(ws.path("empty")).unwrap();
    snap(
        "evaluate_no_samples",
        &["empty", "--dataset", "data", "--identity"],
    );
    // Without the opt-in to the identity model.
    std::fs::write(ws.path("p.txt"), "ohwx man\na man\n").unwrap();
    snap(
        "evaluate_no_identity",
        &[
            "run",
            "--dataset",
            "data",
            "--prompts",
            "p.txt",
            "--trigger",
            "ohwx",
        ],
    );
}
