//! What a selection plan is made from: `zcurate select` plans with it, and `zcurate report`
//! shows what select would do.

use anyhow::{Context, Result};
use zcurate_caption::{CaptionOptions, Catalog};
use zcurate_manifest::Manifest;
use zcurate_select::SelectSettings;

/// What a plan is made from besides the flags: the profile's settings, the caption schema
/// and the expressions its captions name. `zcurate report` plans with the same.
pub(crate) struct Basis {
    pub(crate) settings: SelectSettings,
    pub(crate) schema: zcurate_caption::Schema,
    pub(crate) expressions: Vec<Option<String>>,
}

impl Basis {
    pub(crate) fn resolve(
        lint: &zcurate_lint::LintSettings,
        options: &zcurate_config::Options,
        framing: zcurate_framing::FramingThresholds,
        schema: Option<&str>,
        manifest: &Manifest,
    ) -> Result<Self> {
        let caption_options: CaptionOptions = options.caption.clone().unwrap_or_default();
        let catalog =
            Catalog::new(&caption_options).context("invalid `[caption]` configuration")?;
        let profile = &lint.profile;
        let schema_name = schema
            .map(str::to_owned)
            .or(caption_options.schema.clone())
            .unwrap_or_else(|| {
                if catalog.get(&profile.name).is_ok() {
                    profile.name.clone()
                } else {
                    "face".to_owned()
                }
            });
        let schema = catalog.get(&schema_name)?.clone();
        let expressions = zcurate_select::candidates::known_expressions(
            manifest,
            &schema,
            lint.trigger.as_deref(),
            lint.class_word.as_deref(),
            &zcurate_caption::ExpressionThresholds::from_options(
                caption_options.expression.as_ref(),
            ),
        );
        let mut settings = SelectSettings::new(&profile.name, profile.thresholds.clone(), framing);
        settings.lighting =
            zcurate_caption::LightingThresholds::from_options(caption_options.lighting.as_ref());
        Ok(Self {
            settings,
            schema,
            expressions,
        })
    }
}
