//! Settings resolved once, before a command runs: flags over environment over
//! `zcurate.toml` over built-in defaults. Commands see only these resolved values.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use zcurate_config::Options;
use zcurate_scan::{FaceStepSettings, ScanConfig};

use crate::args::{FaceArgs, GlobalArgs, ScanArgs};

/// The config file for a dataset folder, with where it came from.
pub(crate) fn load_options(
    global: &GlobalArgs,
    dataset: &Path,
) -> Result<(Options, Option<PathBuf>)> {
    if global.isolated {
        return Ok((Options::default(), None));
    }
    zcurate_config::load_discovered(global.config.as_deref(), dataset)
        .context("cannot load configuration")
}

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
    pub(crate) config_file: Option<PathBuf>,
    /// Face detection settings, or `None` with `--no-faces`.
    pub(crate) faces: Option<FaceStepSettings>,
}

/// Face settings: flags over `[faces]` and `[framing]` in zcurate.toml over defaults.
pub(crate) fn resolve_faces(
    args: &FaceArgs,
    options: &Options,
) -> Result<Option<FaceStepSettings>> {
    if args.no_faces {
        return Ok(None);
    }
    let file = options.faces.clone().unwrap_or_default();
    let kind = match args.detector.as_deref().or(file.detector.as_deref()) {
        Some(name) => name.parse::<zcurate_face::DetectorKind>()?,
        None => zcurate_face::DetectorKind::default(),
    };
    // Unset: ONNX Runtime, else tract with a note (the face step decides).
    let backend = args
        .backend
        .as_deref()
        .or(file.backend.as_deref())
        .map(str::parse::<zcurate_face::Backend>)
        .transpose()?;
    let framing = options.framing.unwrap_or_default();
    framing
        .validate()
        .map_err(|e| anyhow::anyhow!("invalid [framing] thresholds: {e}"))?;
    let det_size = args
        .det_size
        .or(file.det_size)
        .unwrap_or(zcurate_face::DEFAULT_DET_SIZE);
    if det_size < 32 {
        anyhow::bail!("--det-size must be at least 32, got {det_size}");
    }
    let defaults = zcurate_face::AdaptiveConfig::default();
    let adaptive = zcurate_face::AdaptiveConfig {
        enabled: file.adaptive.unwrap_or(defaults.enabled),
        first_pass: file.first_pass.unwrap_or(defaults.first_pass),
        retry_below_face_ratio: file
            .retry_below_face_ratio
            .unwrap_or(defaults.retry_below_face_ratio),
    };
    if adaptive.first_pass < 32 {
        anyhow::bail!(
            "[faces] first-pass must be at least 32, got {}",
            adaptive.first_pass
        );
    }
    if !(0.0..=1.0).contains(&adaptive.retry_below_face_ratio) {
        anyhow::bail!(
            "[faces] retry-below-face-ratio must be between 0 and 1, got {}",
            adaptive.retry_below_face_ratio
        );
    }
    Ok(Some(FaceStepSettings {
        kind,
        model: args.model.clone().or(file.model),
        det_size,
        score_threshold: args.score_threshold.or(file.score_threshold),
        nms_iou: file.nms_iou,
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
    pub(crate) fn resolve(args: &ScanArgs, global: &GlobalArgs) -> Result<Self> {
        let (options, config_file) = load_options(global, &args.dir)?;
        let mut faces = resolve_faces(&args.faces, &options)?;
        if let Some(f) = &mut faces {
            f.identity = args.identity;
        }
        let file = options.scan.unwrap_or_default();
        let mut config = ScanConfig {
            recursive: args.recursive || file.recursive.unwrap_or(false),
            caption_ext: args
                .caption_ext
                .clone()
                .or(file.caption_ext)
                .unwrap_or_else(|| "txt".to_owned())
                .trim_start_matches('.')
                .to_owned(),
            jobs: args.jobs.or(file.jobs),
            save_every: args.save_every.map_or(
                zcurate_scan::DEFAULT_SAVE_EVERY,
                std::time::Duration::from_secs,
            ),
            ..ScanConfig::default()
        };
        let a = &mut config.analysis;
        for (value, slot) in [
            (file.clip_dark_max, &mut a.clip_dark_max),
            (file.clip_bright_min, &mut a.clip_bright_min),
            (file.grey_chroma_tolerance, &mut a.grey_chroma_tolerance),
            (
                file.grey_max_chromatic_share,
                &mut a.grey_max_chromatic_share,
            ),
        ] {
            if let Some(v) = value {
                *slot = v;
            }
        }
        if config.jobs == Some(0) {
            anyhow::bail!("--jobs must be at least 1");
        }
        let manifest = match &args.manifest {
            Some(p) if p.as_os_str() == "-" => ManifestTarget::Stdout,
            Some(p) => ManifestTarget::File(p.clone()),
            None => ManifestTarget::File(zcurate_manifest::default_manifest_path(&args.dir)),
        };
        Ok(Self {
            root: args.dir.clone(),
            manifest,
            config,
            strict: args.strict,
            no_cache: args.no_cache,
            config_file,
            faces,
        })
    }
}
