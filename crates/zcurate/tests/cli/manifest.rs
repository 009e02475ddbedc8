use crate::common::{TestContext, pattern};

#[test]
fn export_csv_has_one_row_per_image() {
    let ctx = TestContext::new();
    ctx.write_image("a.png", &pattern(30, 20, 1));
    ctx.write("a.txt", "zq, with \"quotes\", and commas");
    ctx.write_image("b.png", &pattern(20, 30, 2));
    assert!(
        ctx.command()
            .args(["scan", "."])
            .status()
            .unwrap()
            .success()
    );
    let out = ctx
        .command()
        .args(["manifest", "export", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut rd = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = rd.headers().unwrap().clone();
    let rows: Vec<_> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("path")], "a.png");
    assert_eq!(&rows[0][col("width")], "30");
    assert_eq!(&rows[0][col("caption")], "zq, with \"quotes\", and commas");
    assert_eq!(&rows[1][col("height")], "30");
}

#[test]
fn export_without_manifest_names_the_command() {
    let ctx = TestContext::new();
    let out = ctx.command().args(["manifest", "export"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("zcurate scan"));
}
