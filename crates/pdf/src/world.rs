//! The typst `World` of a document: its templates, its data and its fonts, all in memory.
//!
//! Nothing is read from the disk or the network: templates and fonts are compiled into the
//! binary, the data arrives as a virtual `/data.json`, and any other path (a package import
//! such as `@preview/…` included) is an error.

use std::path::PathBuf;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, PackageError, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

use crate::PdfError;

/// Libertinus Serif (SIL Open Font Licence 1.1, see `fonts/OFL.txt`): the only family the
/// templates use, so the only one parsed.
const FONT_FILES: [&[u8]; 3] = [
    include_bytes!("../fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../fonts/LibertinusSerif-Italic.otf"),
];

/// The shared building blocks, importable from every template as `common.typ`.
const COMMON: (&str, &str) = ("/common.typ", include_str!("../templates/common.typ"));

/// Where templates find the caller's data: `json("/data.json")`.
const DATA_PATH: &str = "/data.json";

/// One of the documents, as its template's path in the virtual project and its source.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Template {
    pub(crate) path: &'static str,
    pub(crate) text: &'static str,
}

/// The fonts, parsed once per process and shared by every render.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

/// The standard library: the data comes through a file, not `sys.inputs`, so one serves all.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// `common.typ`, parsed once.
static COMMON_SOURCE: LazyLock<Source> = LazyLock::new(|| source(COMMON.0, COMMON.1));

/// The file id of a path of the virtual project. Ids are interned for the life of the process,
/// hence fixed paths only, never one per render.
fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path)
        .unwrap_or_else(|error| unreachable!("the virtual path {path} is a constant and valid: {error}"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

fn source(path: &str, text: &str) -> Source {
    Source::new(file_id(path), text.to_owned())
}

/// A template, its data and the shared fonts and library.
pub(crate) struct DocumentWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
}

impl DocumentWorld {
    /// A world whose main file is `template` and whose `/data.json` holds `data`.
    pub(crate) fn new(template: Template, data: Vec<u8>) -> Self {
        Self::from_source(source(template.path, template.text), data)
    }

    pub(crate) fn from_source(main: Source, data: Vec<u8>) -> Self {
        Self { main, data_id: file_id(DATA_PATH), data: Bytes::new(data) }
    }

    /// Typesets the document, then writes it as PDF.
    pub(crate) fn render(&self, document: &'static str) -> Result<Vec<u8>, PdfError> {
        let compiled = typst::compile::<PagedDocument>(self).output;
        let result = match compiled {
            Ok(paged) => typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default())
                .map_err(|errors| PdfError::Export { document, diagnostics: self.describe(&errors) }),
            Err(errors) => Err(PdfError::Typeset { document, diagnostics: self.describe(&errors) }),
        };
        // typst memoises layout across calls; keep only what the last few renders used so
        // that a long-running server does not grow without bound.
        typst::comemo::evict(10);
        result
    }

    /// Typesets the document and returns its warnings, for tests that want none.
    #[cfg(test)]
    pub(crate) fn warnings(&self) -> String {
        let warned = typst::compile::<PagedDocument>(self);
        self.describe(&warned.warnings)
    }

    /// Diagnostics as text: severity, message, `file:line:column`, hints.
    pub(crate) fn describe(&self, diagnostics: &[SourceDiagnostic]) -> String {
        let mut text = String::new();
        for diagnostic in diagnostics {
            let severity = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(severity);
            text.push_str(": ");
            text.push_str(&diagnostic.message);
            if let Some(place) = self.place(diagnostic.span) {
                text.push_str(" (");
                text.push_str(&place);
                text.push(')');
            }
            for hint in &diagnostic.hints {
                text.push_str("\n  hint: ");
                text.push_str(&hint.v);
            }
        }
        text
    }

    /// `path:line:column` of a span, one-based, when it points into a template.
    fn place(&self, span: typst::syntax::DiagSpan) -> Option<String> {
        let id = span.id()?;
        let path = id.vpath().get_with_slash().to_owned();
        let Some(start) = self.range(span).map(|range| range.start) else {
            return Some(path);
        };
        match self.source(id) {
            Ok(source) => {
                let (line, column) = source.lines().byte_to_line_column(start)?;
                Some(format!("{path}:{}:{}", line + 1, column + 1))
            }
            Err(_) => Some(format!("{path}, byte {start}")),
        }
    }
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == COMMON_SOURCE.id() {
            Ok(COMMON_SOURCE.clone())
        } else if id == self.data_id {
            Err(FileError::NotSource)
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else if id == COMMON_SOURCE.id() {
            Ok(Bytes::from_string(COMMON.1))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Dates are text given by the caller; templates never ask for the clock.
        None
    }
}

/// Packages are never downloaded, other paths do not exist.
fn not_found(id: FileId) -> FileError {
    match id.root() {
        VirtualRoot::Package(spec) => FileError::Package(PackageError::Other(Some(
            format!("packages are not available to Fabrique's documents ({spec})").into(),
        ))),
        VirtualRoot::Project => FileError::NotFound(PathBuf::from(id.vpath().get_with_slash())),
    }
}
