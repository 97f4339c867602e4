//! File exports: a table of text and numbers written as CSV that French Excel opens as it is
//! (UTF-8 with a byte-order mark, `;` between fields, CRLF line ends) or as an XLSX workbook.
//!
//! Kept apart from the web crate so that the spreadsheet writer compiles once, beside it.

pub mod ical;

use anyhow::Context as _;

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text, written as it is.
    Text(String),
    /// A whole number, written as a number so that spreadsheets can add it up.
    Int(i64),
    /// An amount of money in cents, written in euros with two decimals (`12000,00` in CSV for
    /// French Excel; a number formatted in euros in XLSX).
    Euros(i64),
}

/// Cents as French Excel reads a number: `-1234,50`.
fn euros_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{},{:02}", cents.unsigned_abs() / 100, cents.unsigned_abs() % 100)
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Self {
        Self::Int(i64::from(n))
    }
}

/// A table to export: a title (the sheet's name), column headers and rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Sheet name (31 characters at most are kept, as spreadsheets require).
    pub title: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as the headers.
    pub rows: Vec<Vec<Cell>>,
}

/// The byte-order mark that tells Excel the file is UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Characters that make a spreadsheet read a cell as a formula: a leading one is neutralised so
/// that text typed by applicants cannot run as a formula in the organisers' spreadsheet.
fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

/// CSV lines for French Excel, for files written in pieces (a long report streamed to the
/// browser): with `headers`, the byte-order mark and the header line come first; each later
/// piece is called without them.
pub fn csv_lines(headers: Option<&[String]>, rows: &[Vec<Cell>]) -> anyhow::Result<Vec<u8>> {
    let start = if headers.is_some() { BOM.to_vec() } else { Vec::new() };
    let mut writer =
        csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(start);
    if let Some(headers) = headers {
        writer.write_record(headers).context("writing CSV headers")?;
    }
    for row in rows {
        let fields = row.iter().map(|cell| match cell {
            Cell::Text(text) => defuse(text),
            Cell::Int(n) => n.to_string(),
            Cell::Euros(c) => euros_text(*c),
        });
        writer.write_record(fields).context("writing a CSV row")?;
    }
    writer.into_inner().context("finishing CSV lines")
}

impl Table {
    /// The table as CSV for French Excel.
    pub fn to_csv(&self) -> anyhow::Result<Vec<u8>> {
        csv_lines(Some(&self.headers), &self.rows)
    }

    /// The table as an XLSX workbook of one sheet, headers in bold and frozen.
    pub fn to_xlsx(&self) -> anyhow::Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let euros = Format::new().set_num_format("#,##0.00 \"€\"");
        let sheet = workbook.add_worksheet();
        let name: String = self
            .title
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect();
        if !name.trim().is_empty() {
            sheet.set_name(name.trim()).context("naming a sheet")?;
        }
        for (col, header) in (0_u16..).zip(&self.headers) {
            sheet.write_string_with_format(0, col, header, &bold).context("writing a header")?;
        }
        for (row, cells) in (1_u32..).zip(&self.rows) {
            for (col, cell) in (0_u16..).zip(cells) {
                match cell {
                    Cell::Text(text) => sheet.write_string(row, col, text).map(|_| ()),
                    // Spreadsheet numbers are floating point; counts stay far below 2^53.
                    #[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
                    Cell::Int(n) => sheet.write_number(row, col, *n as f64).map(|_| ()),
                    // Two decimals of sums below 2^53 cents are exact in a double.
                    #[expect(clippy::cast_precision_loss, reason = "amounts stay far below 2^53 cents")]
                    Cell::Euros(c) => {
                        sheet.write_number_with_format(row, col, *c as f64 / 100.0, &euros).map(|_| ())
                    }
                }
                .context("writing a cell")?;
            }
        }
        sheet.set_freeze_panes(1, 0).context("freezing the header row")?;
        sheet.autofit();
        workbook.save_to_buffer().context("writing an XLSX workbook")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        Table {
            title: "Candidatures".into(),
            headers: vec!["Territoire".into(), "Personnes".into()],
            rows: vec![
                vec!["Loos-en-Gohelle".into(), 6_i64.into()],
                vec!["Saint-Étienne; « quoted »".into(), 2_i64.into()],
                vec!["=HYPERLINK(\"x\")".into(), 0_i64.into()],
            ],
        }
    }

    #[test]
    fn csv_opens_in_french_excel() {
        let bytes = sample().to_csv().unwrap();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], "Territoire;Personnes");
        assert_eq!(lines[1], "Loos-en-Gohelle;6");
        assert_eq!(lines[2], "\"Saint-Étienne; « quoted »\";2");
        assert!(lines[3].starts_with("\"'=HYPERLINK"), "formulas are defused: {}", lines[3]);
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = sample().to_xlsx().unwrap();
        assert!(bytes.starts_with(b"PK"), "an XLSX file is a zip archive");
        assert!(bytes.len() > 1000);
    }
}
