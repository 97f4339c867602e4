//! `fabrique reference import`: the official territory lists embedded in the binary (or read
//! from a file), loaded into the database with a progress bar on standard error.

use anyhow::{Context as _, bail};
use std::borrow::Cow;
use std::io::{IsTerminal as _, Read as _, Write as _};
use store::Store;

/// The extract written by `scripts/vendor-reference` from `@etalab/decoupage-administratif`
/// 6.0.0 (edition 2026; data under Licence Ouverte).
const EMBEDDED: &[u8] = include_bytes!("../reference/decoupage-administratif-6.0.0.tsv.gz");

/// Reads an extract: an `# edition` line, then one place per line.
pub fn parse(gzipped: &[u8]) -> anyhow::Result<(String, Vec<domain::Place>)> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(gzipped).read_to_string(&mut text).context("decompressing the extract")?;
    let mut edition = None;
    let mut places = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (number, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("# edition\t") {
            edition = Some(rest.trim().to_owned());
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let place = domain::parse_place_line(line)
            .map_err(|_| anyhow::anyhow!("line {} of the extract is unreadable: {line}", number + 1))?;
        if !seen.insert((place.kind, place.code.clone())) {
            bail!("line {} of the extract repeats {} {}", number + 1, place.kind, place.code);
        }
        places.push(place);
    }
    let Some(edition) = edition else { bail!("the extract names no edition") };
    if places.is_empty() {
        bail!("the extract holds no place");
    }
    Ok((edition, places))
}

/// Loads the lists and prints what was loaded.
pub async fn import(store: &Store, file: Option<&std::path::Path>) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bytes = match file {
        Some(path) => Cow::Owned(std::fs::read(path).with_context(|| format!("reading {}", path.display()))?),
        None => Cow::Borrowed(EMBEDDED),
    };
    let (edition, places) = parse(&bytes)?;
    let mut stderr = std::io::stderr();
    let live = stderr.is_terminal();
    let mut last_shown = 0;
    let summary = store
        .import_reference(&edition, &places, |done, total| {
            // A bar redrawn in place on a terminal; a line per tenth in a log.
            let width = 30;
            let filled = (done * width / total.max(1)).min(width);
            let bar = format!("[{}{}] {done} / {total}", "#".repeat(filled), " ".repeat(width - filled));
            if live {
                let _ = write!(stderr, "\r{bar}");
            } else if done * 10 / total.max(1) > last_shown || done == total {
                last_shown = done * 10 / total.max(1);
                let _ = writeln!(stderr, "{bar}");
            }
        })
        .await?;
    store.refresh_statistics().await?;
    if live {
        let _ = writeln!(stderr);
    }
    println!(
        "official lists, edition {edition}: {} communes, {} EPCI, {} départements, {} régions in {:.1} s",
        summary.communes,
        summary.epci,
        summary.departements,
        summary.regions,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_extract_holds_the_2026_lists() {
        let (edition, places) = parse(EMBEDDED).expect("the embedded extract");
        assert_eq!(edition, "2026");
        let count = |kind| places.iter().filter(|p| p.kind == kind).count();
        assert_eq!(count(domain::PlaceKind::Commune), 34_969);
        assert_eq!(count(domain::PlaceKind::Epci), 1_255);
        assert_eq!(count(domain::PlaceKind::Departement), 109);
        assert_eq!(count(domain::PlaceKind::Region), 26);
        let loos = places.iter().find(|p| p.code == "62528").expect("Loos-en-Gohelle");
        assert_eq!((loos.name.as_str(), loos.region_code.as_deref()), ("Loos-en-Gohelle", Some("32")));
        assert!(places.iter().any(|p| p.code == "2A004"), "Corsican codes keep their letter");
    }

    fn gzip(text: &str) -> Vec<u8> {
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text.as_bytes()).expect("compress");
        gz.finish().expect("compress")
    }

    #[test]
    fn a_bad_extract_says_why() {
        let line = "commune\t62528\tLoos-en-Gohelle\t32\t62\t6799\t";
        let error = |text: &str| parse(&gzip(text)).map(|_| ()).expect_err(text).to_string();
        assert_eq!(
            error(&format!("# edition\t2026\n{line}\n{line}\n")),
            "line 3 of the extract repeats commune 62528"
        );
        assert_eq!(error(&format!("{line}\n")), "the extract names no edition");
        assert_eq!(error("# edition\t2026\n"), "the extract holds no place");
        assert!(
            error("# edition\t2026\ncommune\t62528\n").starts_with("line 2 of the extract is unreadable")
        );
        assert!(parse(b"not gzip").is_err());
    }
}
