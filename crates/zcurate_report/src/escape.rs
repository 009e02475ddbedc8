//! Escaping user text (file names, captions, messages) for the places it lands in the page.
//! Every string that did not come from this crate goes through one of these.

use std::fmt::{self, Display, Write};

/// Text escaped for HTML element content and quoted attribute values (`"` and `'` too, so
/// one function serves both).
pub struct Html<'a>(pub &'a str);

impl Display for Html<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// JSON made safe inside `<script type="application/json">`: a `<` anywhere (it can only be
/// inside a JSON string) becomes `\u003c`, so no `</script>` or `<!--` can end the element
/// early. `JSON.parse` reads the escape back as `<`.
pub(crate) fn json_for_script(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// A relative path (with `/` separators) as a URL path: each segment percent-encoded except
/// unreserved characters, so `#`, `?`, `%` and spaces in file names cannot break the link.
pub(crate) fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (k, segment) in path.split('/').enumerate() {
        if k > 0 {
            out.push('/');
        }
        for b in segment.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            Html(r#"<img src=x onerror="a('b')">&amp;"#).to_string(),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;amp;"
        );
        assert_eq!(Html("plain café").to_string(), "plain café");
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let json = serde_json::to_string(&"</script><!--").unwrap();
        let safe = json_for_script(&json);
        assert!(!safe.contains('<'));
        assert_eq!(
            serde_json::from_str::<String>(&safe).unwrap(),
            "</script><!--"
        );
    }

    #[test]
    fn url_path_keeps_separators_and_encodes_the_rest() {
        assert_eq!(url_path("../a b/c#1?.jpg"), "../a%20b/c%231%3F.jpg");
        assert_eq!(url_path("ü.png"), "%C3%BC.png");
    }
}
