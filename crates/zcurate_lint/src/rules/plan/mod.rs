//! `PLAN`: the training plan (`[plan]` table or flags) against the dataset.

pub(crate) mod caption_dropout_out_of_range;
pub(crate) mod failing_dataset_on_turbo;
pub(crate) mod missing_lora_dropout;
pub(crate) mod turbo_run_too_long;
pub(crate) mod turbo_without_adapter;
