//! The documents as a reader gets them, for the modules' tests: read back with poppler's
//! `pdftotext -layout` (the `poppler-utils` package).

use std::io::Write;
use std::process::{Command, Stdio};

/// What poppler reads back from a PDF.
pub(crate) struct Read {
    /// The text, laid out as on the pages; each page ends with a form feed.
    pub(crate) text: String,
}

impl Read {
    /// The text with every run of white space made one space, as a reader would quote it.
    pub(crate) fn words(&self) -> String {
        self.text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The number of pages.
    pub(crate) fn pages(&self) -> usize {
        self.text.matches('\u{c}').count()
    }

    #[track_caller]
    pub(crate) fn assert_contains(&self, expected: &str) {
        let expected = expected.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(self.words().contains(&expected), "{expected:?} not found in:\n{}", self.text);
    }
}

/// Pipes the PDF through `pdftotext`; nothing is written to disk.
pub(crate) fn read_back(pdf: &[u8]) -> Read {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pdftotext runs (install poppler-utils)");
    let mut stdin = child.stdin.take().unwrap();
    let output = std::thread::scope(|scope| {
        // Written from a thread: a full output pipe must not block the input.
        scope.spawn(move || stdin.write_all(pdf).unwrap());
        child.wait_with_output().unwrap()
    });
    assert!(output.status.success(), "pdftotext: {output:?}");
    Read { text: String::from_utf8(output.stdout).unwrap() }
}
