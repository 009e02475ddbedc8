//! The evaluation for people (a table), for machines (JSON) and as an HTML page.

pub mod html;
mod human;

pub use human::human;

use crate::Evaluation;

/// The evaluation as pretty JSON, with a trailing newline.
pub fn json(e: &Evaluation) -> String {
    let mut s = serde_json::to_string_pretty(e).expect("the evaluation serialises");
    s.push('\n');
    s
}

/// `67%`, or `–` when there is no value.
pub(crate) fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

/// `0.71`, or `–`.
pub(crate) fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}"))
}

/// `1 image`, `3 images`.
pub(crate) fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::layout::{Checkpoint, Layout};
    use crate::metrics::{self, SampleFacts, Thresholds};
    use crate::prompts::{Prompt, PromptSet};
    use crate::{Centre, FaceScore, Note, SampleScore};

    /// An evaluation of three checkpoints (not learned, learned, bleeding), two prompts.
    pub(crate) fn evaluation() -> Evaluation {
        let prompts = PromptSet {
            prompts: vec![
                Prompt {
                    text: "zq man, close-up portrait".into(),
                    with_trigger: true,
                    purpose: None,
                    names: vec![],
                },
                Prompt {
                    text: "a man, <b>portrait</b>".into(),
                    with_trigger: false,
                    purpose: None,
                    names: vec![],
                },
            ],
            source: "zcurate-export.json".into(),
        };
        let mut samples = Vec::new();
        for (step, trig, neutral) in [(250, 0.05, 0.02), (500, 0.71, 0.04), (750, 0.74, 0.69)] {
            for (prompt, sim) in [(0, trig), (1, neutral)] {
                samples.push(SampleScore {
                    path: format!("samples/1__{step:09}_{prompt}.jpg"),
                    checkpoint: Checkpoint::Step(step),
                    prompt,
                    with_trigger: prompt == 0,
                    width: 1024,
                    height: 1024,
                    faces: vec![FaceScore {
                        bbox: [300.0, 200.0, 400.0, 500.0],
                        main: true,
                        similarity: Some(sim),
                    }],
                    error: None,
                });
            }
        }
        let facts: Vec<SampleFacts> = samples
            .iter()
            .map(|s| SampleFacts {
                checkpoint: s.checkpoint,
                with_trigger: s.with_trigger,
                readable: true,
                faces: 1,
                main: s.main_similarity(),
                all: s.faces.iter().filter_map(|f| f.similarity).collect(),
            })
            .collect();
        let thresholds = Thresholds::with_similarity(0.4);
        let checkpoints = metrics::score_checkpoints(&facts, &thresholds);
        let recommended = metrics::recommend(&checkpoints, &thresholds);
        Evaluation {
            run: "zq-lora".into(),
            trainer: Some("ai-toolkit".into()),
            layout: Layout::AiToolkit,
            dataset: "data".into(),
            centre: Centre {
                medoid: "img_03.jpg".into(),
                faces: 6,
                model_sha256: "ab".into(),
                embedding: vec![1.0],
            },
            prompts,
            thresholds,
            checkpoints,
            recommended,
            verdict: None,
            samples,
            notes: vec![Note::warning("config.yaml changed since the export")],
        }
    }

    #[test]
    fn human_table() {
        insta::assert_snapshot!(human(&evaluation()));
    }

    #[test]
    fn human_table_without_a_recommendation() {
        let mut e = evaluation();
        let t = e.thresholds;
        e.checkpoints
            .retain(|c| c.checkpoint != Checkpoint::Step(500));
        e.recommended = metrics::recommend(&e.checkpoints, &t);
        assert!(e.recommended.is_none());
        e.verdict = Some(metrics::no_recommendation(&e.checkpoints, &t));
        let text = human(&e);
        assert!(text.ends_with("no checkpoint meets the thresholds: step 250 not learned (fewer than 50% of trigger samples show the subject); step 750 bleeding (more than 20% of neutral faces pass as the subject)\n"), "{text}");
    }

    #[test]
    fn json_has_every_checkpoint_and_sample() {
        let v: serde_json::Value = serde_json::from_str(&json(&evaluation())).unwrap();
        assert_eq!(v["checkpoints"].as_array().unwrap().len(), 3);
        assert_eq!(v["samples"].as_array().unwrap().len(), 6);
        assert_eq!(v["recommended"]["checkpoint"]["step"], 500);
        assert_eq!(v["checkpoints"][2]["flags"][0], "bleeding");
        assert_eq!(v["layout"], "ai-toolkit");
        // The embedding itself stays out of the report.
        assert!(v["centre"].get("embedding").is_none());
    }

    #[test]
    fn page_holds_the_chart_the_grid_and_escaped_text() {
        let e = evaluation();
        let thumbs: Vec<Option<Vec<u8>>> = (0..e.samples.len())
            .map(|_| Some(vec![0xff, 0xd8]))
            .collect();
        let page = html::render(&e, &thumbs);
        assert!(page.contains("Keep step 500"));
        assert!(page.contains("<polyline"));
        assert_eq!(page.matches("data:image/jpeg;base64,/9g=").count(), 6);
        assert!(page.contains("a man, &lt;b&gt;portrait&lt;/b&gt;"));
        assert!(!page.contains("<b>portrait"));
        // The bleeding checkpoint's neutral face in red, the learned one's trigger face in green.
        assert!(page.contains(r#"<span class="bleed">0.69</span>"#));
        assert!(page.contains(r#"<span class="subject">0.71</span>"#));
        assert!(page.contains("config.yaml changed since the export"));
    }
}
