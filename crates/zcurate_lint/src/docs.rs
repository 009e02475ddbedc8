//! Rule documentation, generated from the rules' doc comments: `zcurate rule CODE` and
//! `docs/rules/*.md` (a test keeps the committed pages current).

use std::fmt::Write as _;

use crate::profile::{BUILTIN_PROFILES, builtin};
use crate::registry::Requires;
use crate::rules::Rule;
use crate::settings::LintSettings;

/// A built-in profile's value of `key`, as TOML.
fn profile_value(profile: &str, key: &str) -> Option<String> {
    let p = builtin(profile)?;
    let table = toml::Value::try_from(&p.thresholds).ok()?;
    table.get(key).map(|v| match v {
        toml::Value::Array(items) if items.iter().all(toml::Value::is_table) => {
            // Framing targets: one short line per table.
            items
                .iter()
                .map(|t| {
                    t.to_string()
                        .replace('\n', ", ")
                        .trim_end_matches(", ")
                        .to_owned()
                })
                .map(|s| format!("{{ {s} }}"))
                .collect::<Vec<_>>()
                .join("<br>")
        }
        other => other.to_string(),
    })
}

/// The page of one rule, in Markdown.
pub fn rule_markdown(rule: Rule) -> String {
    let m = rule.meta();
    let mut out = String::new();
    let _ = writeln!(out, "# {} ({})\n", m.name, m.code);
    let needs = match m.requires {
        Requires::Manifest => "",
        Requires::Faces => " Needs face detection in the scan.",
        Requires::Plan => " Runs when a training plan is given (`[plan]` or plan flags).",
        Requires::Identity => " Opt-in: runs with `--identity`.",
    };
    let _ = writeln!(
        out,
        "Group: {} (`{}`). Default severity: **{}**.{needs}\n",
        m.group,
        m.group.prefix(),
        m.severity
    );
    let per_profile: Vec<String> = BUILTIN_PROFILES
        .iter()
        .map(|p| {
            let sev = LintSettings::with_profile(p)
                .severity(rule)
                .map_or_else(|| "off".to_owned(), |s| s.to_string());
            format!("`{p}` {sev}")
        })
        .collect();
    let _ = writeln!(
        out,
        "Severity in the built-in profiles: {}.\n",
        per_profile.join(", ")
    );
    let _ = writeln!(out, "{}.\n", m.summary);
    out.push_str(m.doc().trim_end());
    out.push('\n');
    let keys: Vec<&str> = m
        .options
        .iter()
        .copied()
        .filter(|k| !k.starts_with("lint.") && !k.starts_with("plan."))
        .collect();
    if !keys.is_empty() {
        let _ = writeln!(out, "\nDefaults:\n");
        let _ = writeln!(out, "| key | {} |", BUILTIN_PROFILES.join(" | "));
        let _ = writeln!(out, "|---|{}", "---|".repeat(BUILTIN_PROFILES.len()));
        for key in keys {
            let values: Vec<String> = BUILTIN_PROFILES
                .iter()
                .map(|p| profile_value(p, key).unwrap_or_default())
                .collect();
            let _ = writeln!(out, "| `{key}` | {} |", values.join(" | "));
        }
    }
    out
}

/// The rules index, in Markdown.
pub fn index_markdown() -> String {
    let mut out = String::from(
        "# Lint rules\n\nGenerated from the rule sources by `cargo test -p zcurate_lint --test docs` \
         (set `ZCURATE_UPDATE_DOCS=1` to rewrite). `zcurate rule CODE` prints one page; \
         `zcurate rule --all` lists them.\n\n\
         | code | name | default | summary |\n|---|---|---|---|\n",
    );
    for rule in Rule::ALL {
        let m = rule.meta();
        let _ = writeln!(
            out,
            "| [{code}]({code}.md) | `{}` | {} | {} |",
            m.name,
            m.severity,
            m.summary,
            code = m.code
        );
    }
    out
}

/// Every profile key with the built-in values and its reason, in Markdown.
pub fn profiles_markdown() -> String {
    let mut out = String::from(
        "# Lint profiles\n\nGenerated from `crates/zcurate_lint/profiles/*.toml` and the key docs in \
         `crates/zcurate_lint/src/profile.rs`. A `[profile.NAME]` table in `zcurate.toml` sets \
         any of these keys (kebab-case) over the profile it `extends`; `[lint.thresholds]` sets \
         them over the chosen profile. See [lint.md](../lint.md).\n\n",
    );
    for p in BUILTIN_PROFILES {
        if let Some(profile) = builtin(p) {
            let _ = writeln!(out, "- `{p}`: {}", profile.description);
        }
    }
    let _ = writeln!(
        out,
        "\n| key | {} | rules | meaning |",
        BUILTIN_PROFILES.join(" | ")
    );
    let _ = writeln!(
        out,
        "|---|{}---|---|",
        "---|".repeat(BUILTIN_PROFILES.len())
    );
    for key in crate::profile::THRESHOLD_KEYS {
        let k = key.key();
        let values: Vec<String> = BUILTIN_PROFILES
            .iter()
            .map(|p| {
                profile_value(p, &k)
                    .map(|v| format!("`{v}`"))
                    .unwrap_or_default()
            })
            .collect();
        let rules: Vec<String> = Rule::ALL
            .iter()
            .filter(|r| r.meta().options.contains(&k.as_str()))
            .map(|r| format!("[{c}]({c}.md)", c = r.code()))
            .collect();
        let _ = writeln!(
            out,
            "| `{k}` | {} | {} | {} |",
            values.join(" | "),
            rules.join(" "),
            key.doc()
        );
    }
    let _ = writeln!(out, "\nSeverity overrides that come with the profiles:\n");
    for p in BUILTIN_PROFILES {
        if let Some(profile) = builtin(p) {
            let list: Vec<String> = profile
                .severity
                .iter()
                .map(|(k, v)| format!("`{k}` = {}", serde_json::to_string(v).unwrap_or_default()))
                .collect();
            let _ = writeln!(
                out,
                "- `{p}`: {}",
                if list.is_empty() {
                    "none".to_owned()
                } else {
                    list.join(", ")
                }
            );
        }
    }
    out
}

/// Every generated file under `docs/rules/`: (file name, contents).
pub fn generated_files() -> Vec<(String, String)> {
    let mut files = vec![
        ("README.md".to_owned(), index_markdown()),
        ("profiles.md".to_owned(), profiles_markdown()),
    ];
    files.extend(
        Rule::ALL
            .iter()
            .map(|r| (format!("{}.md", r.code()), rule_markdown(*r))),
    );
    files
}
