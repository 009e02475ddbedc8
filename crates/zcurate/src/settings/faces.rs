//! `zcurate scan` and the face step of every command that scans: flags over `[scan]`,
//! `[faces]` and `[framing]` over defaults.

use std::path::PathBuf;

use anyhow::Result;
use zcurate_scan::{FaceStepSettings, ScanConfig};

use super::source::Flag;
use super::{Config, share};
use crate::args::FaceArgs;
use crate::commands::scan::ScanArgs;
use crate::env;

const DET_SIZE: Flag = Flag::new("det_size", "--det-size").with_env(env::ZCURATE_DET_SIZE);
const DETECTOR: Flag = Flag::new("detector", "--detector");
const BACKEND: Flag = Flag::new("backend", "--backend");
const SCORE_THRESHOLD: Flag = Flag::new("score_threshold", "--score-threshold");
const JOBS: Flag = Flag::new("jobs", "--jobs");

/// Where a manifest goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ManifestTarget {
    File(PathBuf),
    Stdout,
}

/// Fully resolved settings of `zcurate scan`.
#[derive(Debug)]
pub(crate) struct ScanSettings {
    pub(crate) root: PathBuf,
    pub(crate) manifest: ManifestTarget,
    pub(crate) config: ScanConfig,
    pub(crate) strict: bool,
    pub(crate) no_cache: bool,
    /// Face detection settings, or `None` with `--no-faces`.
    pub(crate) faces: Option<FaceStepSettings>,
}

/// Face settings: flags over `[faces]` and `[framing]` in zcurate.toml over defaults.
pub(crate) fn resolve_faces(args: &FaceArgs, config: &Config) -> Result<Option<FaceStepSettings>> {
    if args.no_faces {
        return Ok(None);
    }
    let layers = config.layers();
    let file = config.options.faces.clone().unwrap_or_default();
    let kind = layers
        .pick(
            (args.detector, DETECTOR),
            (file.detector, "[faces] detector"),
            zcurate_face::DetectorKind::default(),
        )
        .value;
    // Unset: ONNX Runtime, else tract with a note (the face step decides).
    let backend = layers
        .pick_opt((args.backend, BACKEND), (file.backend, "[faces] backend"))
        .map(|b| b.value);
    let framing = config.options.framing.unwrap_or_default();
    framing.validate().map_err(|e| match &config.path {
        Some(p) => anyhow::anyhow!("[framing] in {}: {e}", super::source::shown_path(p)),
        None => anyhow::anyhow!("invalid [framing] thresholds: {e}"),
    })?;
    let det_size = layers
        .pick(
            (args.det_size, DET_SIZE),
            (file.det_size, "[faces] det-size"),
            zcurate_face::DEFAULT_DET_SIZE,
        )
        .check(|&px| zcurate_face::check_input_size(px))?;
    let defaults = zcurate_face::AdaptiveConfig::default();
    let adaptive = zcurate_face::AdaptiveConfig {
        enabled: file.adaptive.unwrap_or(defaults.enabled),
        first_pass: layers
            .file_or(file.first_pass, "[faces] first-pass", defaults.first_pass)
            .check(|&px| zcurate_face::check_input_size(px))?,
        retry_below_face_ratio: layers
            .file_or(
                file.retry_below_face_ratio,
                "[faces] retry-below-face-ratio",
                defaults.retry_below_face_ratio,
            )
            .check(|&r| share(r))?,
    };
    let score_threshold = layers
        .pick_opt(
            (args.score_threshold, SCORE_THRESHOLD),
            (file.score_threshold, "[faces] score-threshold"),
        )
        .map(|s| s.check(|&v| share(v)))
        .transpose()?;
    let nms_iou = layers
        .file(file.nms_iou, "[faces] nms-iou")
        .map(|s| s.check(|&v| share(v)))
        .transpose()?;
    Ok(Some(FaceStepSettings {
        kind,
        model: args.model.clone().or(file.model),
        det_size,
        score_threshold,
        nms_iou,
        adaptive,
        backend,
        offline: args.offline,
        pose: zcurate_face::pose::PoseThresholds::default(),
        framing,
        identity: false,
        expression: !args.no_expression && file.expression.unwrap_or(true),
    }))
}

impl ScanSettings {
    pub(crate) fn resolve(args: &ScanArgs, config: &Config) -> Result<Self> {
        let mut faces = resolve_faces(&args.faces, config)?;
        if let Some(f) = &mut faces {
            f.identity = args.identity;
        }
        let file = config.options.scan.clone().unwrap_or_default();
        let jobs = jobs(args.jobs, config)?;
        let mut scan = ScanConfig {
            recursive: args.recursive || file.recursive.unwrap_or(false),
            caption_ext: caption_ext(args.caption_ext.as_deref(), file.caption_ext.as_deref()),
            jobs,
            save_every: args.save_every.map_or(
                zcurate_scan::DEFAULT_SAVE_EVERY,
                std::time::Duration::from_secs,
            ),
            ..ScanConfig::default()
        };
        let layers = config.layers();
        let a = &mut scan.analysis;
        // Each is a luma level, a channel spread or a share: 0 to 1.
        for (value, key, slot) in [
            (
                file.clip_dark_max,
                "[scan] clip-dark-max",
                &mut a.clip_dark_max,
            ),
            (
                file.clip_bright_min,
                "[scan] clip-bright-min",
                &mut a.clip_bright_min,
            ),
            (
                file.grey_chroma_tolerance,
                "[scan] grey-chroma-tolerance",
                &mut a.grey_chroma_tolerance,
            ),
            (
                file.grey_max_chromatic_share,
                "[scan] grey-max-chromatic-share",
                &mut a.grey_max_chromatic_share,
            ),
        ] {
            if let Some(v) = layers.file(value, key) {
                *slot = v.check(|&v| share(v))?;
            }
        }
        if a.clip_dark_max >= a.clip_bright_min {
            // The two values as set, or the default with its value.
            let shown = |v: Option<f64>, key: &str, value: f64| match v {
                Some(_) => format!("{key} = {value}"),
                None => format!("{key} = {value:.3} (default)"),
            };
            anyhow::bail!(
                "{} must be below {} in {}: a pixel cannot be crushed black and blown white at once",
                shown(file.clip_dark_max, "[scan] clip-dark-max", a.clip_dark_max),
                shown(file.clip_bright_min, "clip-bright-min", a.clip_bright_min),
                config
                    .path
                    .as_deref()
                    .map_or_else(|| "the config".to_owned(), super::source::shown_path),
            );
        }
        let manifest = match &args.manifest {
            Some(p) if p.as_os_str() == "-" => ManifestTarget::Stdout,
            Some(p) => ManifestTarget::File(p.clone()),
            None => ManifestTarget::File(zcurate_manifest::default_manifest_path(&args.dir)),
        };
        Ok(Self {
            root: args.dir.clone(),
            manifest,
            config: scan,
            strict: args.strict,
            no_cache: args.no_cache,
            faces,
        })
    }

    /// The manifest file, for the commands that read it after the scan (`--manifest -` is
    /// for `zcurate scan` alone).
    pub(crate) fn manifest_file(&self, command: &str) -> Result<PathBuf> {
        match &self.manifest {
            ManifestTarget::File(p) => Ok(p.clone()),
            ManifestTarget::Stdout => anyhow::bail!(
                "`zcurate {command}` needs a manifest file; `--manifest -` is for `zcurate scan`"
            ),
        }
    }
}

/// Worker threads: `--jobs` over `[scan] jobs`; `None` is one per core.
pub(crate) fn jobs(flag: Option<usize>, config: &Config) -> Result<Option<usize>> {
    let file = config.options.scan.as_ref().and_then(|s| s.jobs);
    config
        .layers()
        .pick_opt((flag, JOBS), (file, "[scan] jobs"))
        .map(|j| {
            j.check(|&n| {
                if n == 0 {
                    Err("must be at least 1")
                } else {
                    Ok(n)
                }
            })
        })
        .transpose()
}

/// The caption sidecar extension: flag over `[scan] caption-ext` over `txt`, without a dot.
pub(crate) fn caption_ext(flag: Option<&str>, file: Option<&str>) -> String {
    flag.or(file)
        .unwrap_or("txt")
        .trim_start_matches('.')
        .to_owned()
}
