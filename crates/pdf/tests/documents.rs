//! The documents as a reader gets them: rendered, written to disk, read back with poppler's
//! `pdftotext -layout` and `pdfinfo` (the `poppler-utils` package).
#![expect(clippy::unwrap_used, reason = "a failed step should stop the test with its error")]

use std::path::PathBuf;
use std::process::Command;

use pdf::{
    AttendanceReport, AttendanceReportLabels, Certificate, CertificateDay, CertificateLabels, LegendEntry,
    PdfError, RefEntry, RefExperience, RefLink, RefPart, RefSection, RefTerritory, ReferentielEdition,
    ReferentielLabels, ReportDay, ReportRow, SignInRow, SignInSheet, SignInSheetLabels, Summary, SummaryRow,
};

/// A name made of typst markup: it must be printed as it is, never interpreted.
const MARKUP_NAME: &str = "#strong[x] *y* $z$ <a> @b";

fn s(text: &str) -> String {
    text.to_owned()
}

/// What poppler reads back from a PDF.
struct Read {
    text: String,
    pages: usize,
    /// Width and height of the first page, in points.
    size: (f64, f64),
}

impl Read {
    /// The text with every run of white space made one space, as a reader would quote it.
    fn words(&self) -> String {
        self.text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[track_caller]
    fn assert_contains(&self, expected: &str) {
        assert!(self.words().contains(expected), "{expected:?} not found in:\n{}", self.text);
    }
}

/// Writes the PDF where cargo keeps integration tests' files (kept for a look after a
/// failure) and reads it back.
fn read_back(pdf: &[u8], name: &str) -> Read {
    assert!(pdf.starts_with(b"%PDF-"), "{name} is not a PDF");
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();

    let text = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (install poppler-utils)");
    assert!(text.status.success(), "pdftotext {name}: {text:?}");
    let info = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo runs (install poppler-utils)");
    assert!(info.status.success(), "pdfinfo {name}: {info:?}");

    let info = String::from_utf8(info.stdout).unwrap();
    let field = |key: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(key))
            .unwrap_or_else(|| panic!("no {key} in:\n{info}"))
            .trim()
            .to_owned()
    };
    let pages = field("Pages:").parse().unwrap();
    // "595.276 x 841.89 pts (A4)"
    let size = field("Page size:");
    let mut numbers = size.split_whitespace().filter_map(|word| word.parse::<f64>().ok());
    let size = (numbers.next().unwrap(), numbers.next().unwrap());
    Read { text: String::from_utf8(text.stdout).unwrap(), pages, size }
}

fn sheet_labels() -> SignInSheetLabels {
    SignInSheetLabels {
        session: s("Session"),
        date: s("Date"),
        venue: s("Lieu"),
        territory: s("Territoire"),
        person: s("Nom"),
        category: s("Catégorie"),
        signature: s("Signature"),
        page: s("Page"),
    }
}

fn sheet(people: Vec<SignInRow>) -> SignInSheet {
    SignInSheet {
        lang: s("fr"),
        title: s("Feuille d’émargement"),
        programme: s("Territoires en transition écologique"),
        session: s("Cohorte Auvergne-Rhône-Alpes 2019"),
        date: s("mardi 17 septembre 2019"),
        venue: s("Maison de l’environnement, Lyon"),
        people,
        blank_rows: 0,
        empty: s("Aucune personne n’est inscrite à cette journée."),
        labels: sheet_labels(),
    }
}

fn person(territory: &str, name: &str, category: &str) -> SignInRow {
    SignInRow { territory: s(territory), name: s(name), category: s(category) }
}

const TERRITORIES: [&str; 6] = [
    "Vallée de la Drôme",
    "Pays de Saint-Flour",
    "Grand Annecy",
    "Diois",
    "Métropole de Lyon",
    "Pays Voironnais",
];
const CATEGORIES: [&str; 3] = ["Élu·e", "Technicien·ne", "Acteur socio-économique"];

/// 36 people, six per territory, grouped by territory as the web layer sends them.
fn thirty_six() -> Vec<SignInRow> {
    (0..36)
        .map(|i| person(TERRITORIES[i / 6], &format!("Prénom{i:02} Griffon-Lefèvre"), CATEGORIES[i % 3]))
        .collect()
}

#[test]
fn a_sign_in_sheet_shows_the_day_and_every_person() {
    let sheet = sheet(vec![
        person("Vallée de la Drôme", "Camille Martin", "Élu·e"),
        person("Vallée de la Drôme", "Éloïse Bénard", "Technicien·ne"),
        person("Pays de Saint-Flour", "Zoë Œuvray", "Acteur socio-économique"),
    ]);
    let read = read_back(&pdf::sign_in_sheet(&sheet).unwrap(), "sign-in-sheet");

    for expected in [
        "Feuille d’émargement",
        "Territoires en transition écologique",
        "Cohorte Auvergne-Rhône-Alpes 2019",
        "mardi 17 septembre 2019",
        "Maison de l’environnement, Lyon",
        "Territoire",
        "Nom",
        "Catégorie",
        "Signature",
        "Camille Martin",
        "Éloïse Bénard",
        "Zoë Œuvray",
        "Vallée de la Drôme",
        "Pays de Saint-Flour",
        "Élu·e",
        "Technicien·ne",
        "Acteur socio-économique",
        "Page 1 / 1",
    ] {
        read.assert_contains(expected);
    }
    assert_eq!(read.pages, 1);
    assert!(read.size.0 < read.size.1, "portrait A4: {:?}", read.size);
    let words = read.words();
    assert!(
        words.find("Camille Martin") < words.find("Éloïse Bénard")
            && words.find("Éloïse Bénard") < words.find("Zoë Œuvray"),
        "rows keep the caller's order:\n{}",
        read.text
    );
}

#[test]
fn a_sign_in_sheet_of_36_people_keeps_every_name_on_two_or_three_pages() {
    let read = read_back(&pdf::sign_in_sheet(&sheet(thirty_six())).unwrap(), "sign-in-sheet-36");

    for i in 0..36 {
        read.assert_contains(&format!("Prénom{i:02} Griffon-Lefèvre"));
    }
    for territory in TERRITORIES {
        read.assert_contains(territory);
    }
    assert!((2..=3).contains(&read.pages), "{} pages", read.pages);
    // The table header is repeated on every page, and so is the footer.
    assert_eq!(read.text.matches("Signature").count(), read.pages, "{}", read.text);
    for page in 1..=read.pages {
        read.assert_contains(&format!("Page {page} / {}", read.pages));
    }
}

#[test]
fn a_sign_in_sheet_without_people_says_so() {
    let read = read_back(&pdf::sign_in_sheet(&sheet(vec![])).unwrap(), "sign-in-sheet-empty");

    read.assert_contains("Aucune personne n’est inscrite à cette journée.");
    read.assert_contains("mardi 17 septembre 2019");
    read.assert_contains("Maison de l’environnement, Lyon");
    assert_eq!(read.pages, 1);
}

#[test]
fn blank_rows_follow_the_people_for_unannounced_arrivals() {
    let mut sheet = sheet(vec![]);
    sheet.blank_rows = 5;
    let read = read_back(&pdf::sign_in_sheet(&sheet).unwrap(), "sign-in-sheet-blank-rows");

    read.assert_contains("Aucune personne n’est inscrite à cette journée.");
    read.assert_contains("Signature");
    let numbers: Vec<&str> = read
        .text
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|word| word.parse::<u32>().is_ok())
        .collect();
    assert_eq!(numbers, ["1", "2", "3", "4", "5"], "{}", read.text);
}

#[test]
fn typst_markup_in_user_text_is_printed_literally() {
    let mut sheet = sheet(vec![person("#set page(width: 1cm)", MARKUP_NAME, "*Élu·e*")]);
    sheet.venue = s("$x^2$ \\ #emph[Lyon] // pas un commentaire");
    let read = read_back(&pdf::sign_in_sheet(&sheet).unwrap(), "sign-in-sheet-markup");

    read.assert_contains(MARKUP_NAME);
    read.assert_contains("#set page(width: 1cm)");
    read.assert_contains("*Élu·e*");
    read.assert_contains("$x^2$ \\ #emph[Lyon] // pas un commentaire");

    let mut certificate = certificate();
    certificate.person = s(MARKUP_NAME);
    let read = read_back(&pdf::certificate(&certificate).unwrap(), "certificate-markup");
    read.assert_contains(MARKUP_NAME);
}

fn report() -> AttendanceReport {
    let days = [
        ("J1", "mardi 17 septembre 2019", "Lyon"),
        ("J2", "jeudi 10 octobre 2019", "Die"),
        ("J3", "mardi 19 novembre 2019", "Saint-Flour"),
    ];
    let marks = [["P", "P", "P"], ["P", "E", "A"], ["R (Lucie Ferrand)", "P", "P"]];
    let people = [
        ("Vallée de la Drôme", "Camille Martin", "Élu·e", "100\u{202f}%"),
        ("Vallée de la Drôme", "Éloïse Bénard", "Technicien·ne", "33\u{202f}%"),
        ("Pays de Saint-Flour", "Zoë Œuvray", "Acteur socio-économique", "100\u{202f}%"),
    ];
    AttendanceReport {
        lang: s("fr"),
        title: s("Rapport de présence"),
        programme: s("Territoires en transition écologique"),
        session: s("Cohorte Auvergne-Rhône-Alpes 2019"),
        period: s("du 17 septembre au 19 novembre 2019"),
        organiser: s("Agence régionale de la transition"),
        generated_on: s("23 novembre 2026 à 14 h 05"),
        days: days
            .iter()
            .map(|(label, date, venue)| ReportDay { label: s(label), date: s(date), venue: s(venue) })
            .collect(),
        people: people
            .iter()
            .zip(marks)
            .map(|((territory, name, category, rate), marks)| ReportRow {
                territory: s(territory),
                name: s(name),
                category: s(category),
                marks: marks.map(s).to_vec(),
                rate: s(rate),
            })
            .collect(),
        legend: [("P", "présent·e"), ("E", "excusé·e"), ("A", "absent·e"), ("R", "remplacé·e")]
            .map(|(mark, meaning)| LegendEntry { mark: s(mark), meaning: s(meaning) })
            .to_vec(),
        summaries: vec![
            Summary {
                title: s("Assiduité par territoire"),
                rows: vec![
                    SummaryRow { name: s("Vallée de la Drôme"), value: s("4 / 6 journées · 67 %") },
                    SummaryRow { name: s("Pays de Saint-Flour"), value: s("3 / 3 journées · 100 %") },
                ],
            },
            Summary {
                title: s("Assiduité par catégorie"),
                rows: vec![SummaryRow { name: s("Technicien·ne"), value: s("1 / 3 journées · 33 %") }],
            },
        ],
        statement: s("Certifié exact par l’organisateur."),
        labels: AttendanceReportLabels {
            programme: s("Programme"),
            session: s("Session"),
            period: s("Période"),
            organiser: s("Organisateur"),
            generated_on: s("Généré le"),
            days: s("Journées"),
            attendance: s("Présences"),
            legend: s("Légende"),
            date: s("Date"),
            venue: s("Lieu"),
            territory: s("Territoire"),
            person: s("Nom"),
            category: s("Catégorie"),
            rate: s("Assiduité"),
            signature: s("Signature"),
            page: s("Page"),
        },
    }
}

#[test]
fn an_attendance_report_shows_marks_summaries_and_who_vouches_for_it() {
    let read = read_back(&pdf::attendance_report(&report()).unwrap(), "attendance-report");

    for expected in [
        "Rapport de présence",
        "du 17 septembre au 19 novembre 2019",
        "Agence régionale de la transition",
        "Généré le",
        "23 novembre 2026 à 14 h 05",
        "mardi 17 septembre 2019",
        "jeudi 10 octobre 2019",
        "Saint-Flour",
        "Camille Martin",
        "Éloïse Bénard",
        "Zoë Œuvray",
        "R (Lucie Ferrand)",
        "Légende",
        "excusé·e",
        "Assiduité par territoire",
        "4 / 6 journées · 67 %",
        "Assiduité par catégorie",
        "1 / 3 journées · 33 %",
        "Certifié exact par l’organisateur.",
        "Page 1 / 1",
    ] {
        read.assert_contains(expected);
    }
    assert!(read.size.0 < read.size.1, "portrait A4: {:?}", read.size);
    let words = read.words();
    let line = read.text.lines().find(|line| line.contains("Éloïse Bénard")).unwrap();
    assert!(
        line.split_whitespace().collect::<Vec<_>>().ends_with(&["P", "E", "A", "33", "%"]),
        "the marks follow the days: {line:?}"
    );
    assert!(words.contains("Territoire"));

    // Only the compiled-in font is used, and it is embedded.
    let fonts = Command::new("pdffonts")
        .arg(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("attendance-report.pdf"))
        .output()
        .unwrap();
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        assert!(row.contains("LibertinusSerif"), "{fonts}");
        let columns: Vec<&str> = row.split_whitespace().collect();
        // name, type (two words for "CID Type 0C"), encoding, emb, sub, uni, object, id
        assert_eq!(columns[columns.len() - 5], "yes", "embedded: {fonts}");
    }
}

#[test]
fn an_attendance_report_with_many_days_turns_landscape_and_pads_missing_marks() {
    let mut report = report();
    report.lang = s("en");
    report.labels.territory = s("Territory");
    report.days = (1..=10)
        .map(|i| ReportDay { label: format!("D{i}"), date: format!("Day {i}"), venue: s("Lyon") })
        .collect();
    let read = read_back(&pdf::attendance_report(&report).unwrap(), "attendance-report-wide");

    assert!(read.size.0 > read.size.1, "landscape A4: {:?}", read.size);
    read.assert_contains("D10");
    read.assert_contains("Territory");
    read.assert_contains("Zoë Œuvray");
}

fn certificate() -> Certificate {
    Certificate {
        lang: s("fr"),
        title: s("Attestation de présence"),
        organiser: s("Agence régionale de la transition"),
        statement: s("Nous certifions que la personne ci-dessous a participé aux journées suivantes."),
        person: s("Éloïse Bénard"),
        territory: s("Vallée de la Drôme"),
        category: s("Technicien·ne"),
        programme: s("Territoires en transition écologique"),
        session: s("Cohorte Auvergne-Rhône-Alpes 2019"),
        days: vec![
            CertificateDay {
                date: s("mardi 17 septembre 2019"),
                venue: s("Maison de l’environnement, Lyon"),
            },
            CertificateDay { date: s("mardi 19 novembre 2019"), venue: s("Halle aux grains, Saint-Flour") },
        ],
        issued: s("Fait à Lyon, le 20 novembre 2019"),
        signatory: s("Dominique Petit"),
        signatory_role: s("Directrice du programme"),
        labels: CertificateLabels {
            person: s("Nom"),
            territory: s("Territoire"),
            category: s("Catégorie"),
            programme: s("Programme"),
            session: s("Session"),
            days: s("Journées suivies"),
            date: s("Date"),
            venue: s("Lieu"),
            page: s("Page"),
        },
    }
}

#[test]
fn a_certificate_names_the_person_and_lists_the_days_attended() {
    let read = read_back(&pdf::certificate(&certificate()).unwrap(), "certificate");

    for expected in [
        "Attestation de présence",
        "Agence régionale de la transition",
        "Éloïse Bénard",
        "Vallée de la Drôme",
        "Technicien·ne",
        "Cohorte Auvergne-Rhône-Alpes 2019",
        "Journées suivies",
        "mardi 17 septembre 2019",
        "Maison de l’environnement, Lyon",
        "mardi 19 novembre 2019",
        "Halle aux grains, Saint-Flour",
        "Fait à Lyon, le 20 novembre 2019",
        "Dominique Petit",
        "Directrice du programme",
    ] {
        read.assert_contains(expected);
    }
    assert_eq!(read.pages, 1);
}

#[test]
fn an_invalid_language_is_reported_with_typst_diagnostics() {
    let mut certificate = certificate();
    certificate.lang = s("not a language");
    let error = pdf::certificate(&certificate).unwrap_err();

    let PdfError::Typeset { diagnostics, .. } = &error else {
        panic!("expected a typesetting error, got {error:?}");
    };
    assert!(diagnostics.starts_with("error: "), "{diagnostics}");
    assert!(error.to_string().contains("certificate"), "{error}");
}

fn referentiel_labels() -> ReferentielLabels {
    ReferentielLabels {
        contents: s("Sommaire"),
        related: s("Voir aussi"),
        experiences: s("Expériences des territoires"),
        territories: s("Index des territoires"),
        page: s("Page"),
    }
}

fn link(anchor: &str, title: &str) -> RefLink {
    RefLink { anchor: s(anchor), title: s(title) }
}

fn experience(territory: &str, session: &str, account: &str) -> RefExperience {
    RefExperience { territory: s(territory), session: s(session), account: s(account) }
}

/// An entry with neither body, links nor experiences.
fn bare_entry(anchor: &str, title: &str) -> RefEntry {
    RefEntry {
        anchor: s(anchor),
        title: s(title),
        kind: s(""),
        summary: s(""),
        paragraphs: vec![],
        related: vec![],
        experiences: vec![],
    }
}

/// Two parts, three entries that link to each other, two territories.
fn edition() -> ReferentielEdition {
    let diagnostic = RefEntry {
        kind: s("Méthode"),
        summary: s("Partir de ce que le territoire sait déjà faire."),
        paragraphs: vec![
            s("Le diagnostic partagé réunit élus, techniciens et habitants autour d’une même carte."),
            s("Il se conclut par une restitution publique, trois mois plus tard."),
        ],
        related: vec![link("entry-2", "Mobiliser les habitants")],
        experiences: vec![experience(
            "Vallée de la Drôme",
            "Cohorte 2019",
            "Nous avons cartographié les friches avec les écoles.",
        )],
        ..bare_entry("entry-1", "Conduire un diagnostic partagé")
    };
    let mobilisation = RefEntry {
        kind: s("Retour d’expérience"),
        summary: s("Aller chercher celles et ceux qui ne viennent jamais aux réunions."),
        paragraphs: vec![s("Les permanences au marché ont touché un public nouveau.")],
        related: vec![link("entry-1", "Conduire un diagnostic partagé")],
        experiences: vec![
            experience("Pays de Saint-Flour", "", "Un stand au marché chaque samedi de juin."),
            experience("Vallée de la Drôme", "Cohorte 2019", "Des balades urbaines avec les anciens."),
        ],
        ..bare_entry("entry-2", "Mobiliser les habitants")
    };
    let budget = RefEntry {
        kind: s("Ressource"),
        summary: s("Un modèle de plan de financement sur trois ans."),
        paragraphs: vec![s("Le modèle distingue investissement et fonctionnement.")],
        ..bare_entry("entry-3", "Construire le budget du projet")
    };
    ReferentielEdition {
        lang: s("fr"),
        programme: s("Territoires en transition écologique"),
        title: s("Référentiel — édition 2"),
        subtitle: s("Publiée le 12 mars 2020"),
        note: s("Cette édition ajoute les retours de la cohorte 2019."),
        parts: vec![
            RefPart {
                title: s("Engager le territoire"),
                sections: vec![RefSection {
                    title: s("Comprendre avant d’agir"),
                    entries: vec![diagnostic, mobilisation],
                }],
            },
            RefPart {
                title: s("Financer la transition"),
                sections: vec![RefSection { title: s("Monter le budget"), entries: vec![budget] }],
            },
        ],
        territories: vec![
            RefTerritory {
                territory: s("Pays de Saint-Flour"),
                entries: vec![link("entry-2", "Mobiliser les habitants")],
            },
            RefTerritory {
                territory: s("Vallée de la Drôme"),
                entries: vec![
                    link("entry-1", "Conduire un diagnostic partagé"),
                    link("entry-2", "Mobiliser les habitants"),
                ],
            },
        ],
        labels: referentiel_labels(),
    }
}

impl Read {
    /// The pages' texts, in order (pdftotext ends each page with a form feed).
    fn page_texts(&self) -> Vec<&str> {
        self.text.split('\u{c}').filter(|page| !page.trim().is_empty()).collect()
    }

    /// The one-based number of the first page holding `expected`.
    #[track_caller]
    fn page_of(&self, expected: &str) -> usize {
        self.page_texts()
            .iter()
            .position(|page| page.split_whitespace().collect::<Vec<_>>().join(" ").contains(expected))
            .unwrap_or_else(|| panic!("{expected:?} not found in:\n{}", self.text))
            + 1
    }
}

#[test]
fn a_referentiel_edition_has_a_cover_contents_entries_and_an_index_of_territories() {
    let read = read_back(&pdf::referentiel_edition(&edition()).unwrap(), "referentiel");

    for expected in [
        "Territoires en transition écologique",
        "Référentiel — édition 2",
        "Publiée le 12 mars 2020",
        "Cette édition ajoute les retours de la cohorte 2019.",
        "Sommaire",
        "Engager le territoire",
        "Comprendre avant d’agir",
        "Conduire un diagnostic partagé",
        "Méthode",
        "Partir de ce que le territoire sait déjà faire.",
        "Le diagnostic partagé réunit élus, techniciens et habitants autour d’une même carte.",
        "Il se conclut par une restitution publique, trois mois plus tard.",
        "Voir aussi",
        "Expériences des territoires",
        "Vallée de la Drôme",
        "Cohorte 2019",
        "Nous avons cartographié les friches avec les écoles.",
        "Un stand au marché chaque samedi de juin.",
        "Financer la transition",
        "Monter le budget",
        "Un modèle de plan de financement sur trois ans.",
        "Index des territoires",
    ] {
        read.assert_contains(expected);
    }

    // Cover, contents, one page per part, the index.
    assert_eq!(read.pages, 5, "{}", read.text);
    assert_eq!(read.page_of("Sommaire"), 2);
    let first_part = read.page_of("Partir de ce que le territoire sait déjà faire.");
    let second_part = read.page_of("Un modèle de plan de financement sur trois ans.");
    assert_eq!((first_part, second_part), (3, 4), "{}", read.text);
    assert!(!read.page_texts()[0].contains("Page 1"), "the cover has no footer:\n{}", read.text);
    read.assert_contains("Territoires en transition écologique Page 3 / 5");

    // Each line linking to an entry ends with the entry's page: the contents, the related
    // entries and the index.
    let lines_ending = |page: usize, title: &str| -> Vec<String> {
        read.page_texts()[page - 1]
            .lines()
            .filter(|line| line.contains(title))
            // The contents join the page number to its leader with a word joiner.
            .map(|line| {
                line.split_whitespace().last().unwrap_or_default().trim_start_matches('\u{2060}').to_owned()
            })
            .collect()
    };
    assert_eq!(lines_ending(2, "Conduire un diagnostic partagé"), ["3"], "{}", read.text);
    assert_eq!(lines_ending(2, "Construire le budget du projet"), ["4"], "{}", read.text);
    assert_eq!(lines_ending(2, "Index des territoires"), ["5"], "{}", read.text);
    let index = read.page_of("Index des territoires Pays de Saint-Flour");
    assert_eq!(index, 5, "{}", read.text);
    assert_eq!(lines_ending(index, "Mobiliser les habitants"), ["3", "3"], "{}", read.text);
    assert_eq!(lines_ending(index, "Conduire un diagnostic partagé"), ["3"], "{}", read.text);
    let index_words = read.page_texts()[index - 1].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        index_words.find("Pays de Saint-Flour") < index_words.find("Vallée de la Drôme"),
        "territories keep the caller's order:\n{index_words}"
    );
}

#[test]
fn typst_markup_in_a_referentiel_edition_is_printed_literally() {
    let mut edition = edition();
    edition.title = s(MARKUP_NAME);
    edition.note = s("= pas un titre\n- pas une liste");
    edition.parts[0].title = s("#set page(width: 1cm)");
    edition.parts[0].sections[0].entries[0].title = s("#panic(\"x\")");
    edition.parts[0].sections[0].entries[0].paragraphs = vec![s("$x$ *bold* <lab> @ref")];
    edition.parts[0].sections[0].entries[0].experiences[0].territory = s("#strong[Drôme] _ici_");
    edition.territories[0].entries[0].title = s("@entry-1 `code`");
    let read = read_back(&pdf::referentiel_edition(&edition).unwrap(), "referentiel-markup");

    for expected in [
        MARKUP_NAME,
        "= pas un titre",
        "- pas une liste",
        "#set page(width: 1cm)",
        "#panic(\"x\")",
        "$x$ *bold* <lab> @ref",
        "#strong[Drôme] _ici_",
        "@entry-1 `code`",
    ] {
        read.assert_contains(expected);
    }
}

#[test]
fn a_referentiel_entry_with_nothing_but_a_title_still_typesets() {
    let edition = ReferentielEdition {
        note: s(""),
        subtitle: s(""),
        parts: vec![RefPart {
            title: s("Première partie"),
            sections: vec![
                RefSection { title: s("Section vide"), entries: vec![] },
                RefSection {
                    title: s("Section pleine"),
                    entries: vec![
                        bare_entry("entry-7", "Une fiche sans contenu"),
                        RefEntry {
                            paragraphs: vec![s("")],
                            ..bare_entry("entry-8", "Une fiche au paragraphe vide")
                        },
                    ],
                },
            ],
        }],
        territories: vec![],
        ..edition()
    };
    let read = read_back(&pdf::referentiel_edition(&edition).unwrap(), "referentiel-bare");

    read.assert_contains("Une fiche sans contenu");
    read.assert_contains("Une fiche au paragraphe vide");
    read.assert_contains("Section vide");
    assert!(!read.words().contains("Voir aussi"), "{}", read.text);
    assert!(!read.words().contains("Index des territoires"), "no index without territories:\n{}", read.text);
    assert_eq!(read.pages, 3, "cover, contents, the part:\n{}", read.text);
}

#[test]
fn a_link_to_an_entry_outside_the_edition_keeps_its_title_without_a_page() {
    let mut edition = edition();
    edition.parts[1].sections[0].entries[0].related = vec![link("entry-404", "Une fiche retirée")];
    let read = read_back(&pdf::referentiel_edition(&edition).unwrap(), "referentiel-dangling-link");

    let line = read.text.lines().find(|line| line.contains("Une fiche retirée")).unwrap();
    assert_eq!(line.trim(), "Une fiche retirée", "{}", read.text);
}

/// A programme's référentiel after a few years: 500 entries of three paragraphs and two
/// territories' experiences each, linked to their neighbours.
fn five_hundred_entries() -> ReferentielEdition {
    const SENTENCES: [&str; 6] = [
        "Les élus ont d’abord réuni les services autour d’un inventaire des actions déjà engagées.",
        "Un comité de pilotage mensuel a permis d’ajuster le calendrier sans perdre les partenaires.",
        "La concertation s’est appuyée sur des ateliers en soirée, animés à tour de rôle par les communes.",
        "Le budget a été consolidé avec l’appui de la région et d’un fonds européen de développement rural.",
        "Les habitants ont proposé des sites, visités ensuite avec les techniciens de l’intercommunalité.",
        "Une évaluation à mi-parcours a mesuré les effets sur la consommation d’énergie des bâtiments publics.",
    ];
    let territories: Vec<String> = (0..40).map(|i| format!("Communauté de communes n°{i:02}")).collect();
    let paragraph = |entry: usize, n: usize| {
        (0..4).map(|k| SENTENCES[(entry + n + k) % SENTENCES.len()]).collect::<Vec<_>>().join(" ")
            + &format!(" (fiche {entry}, paragraphe {n})")
    };
    let title = |entry: usize| format!("Fiche {entry} : agir avec les acteurs du territoire");
    let anchor = |entry: usize| format!("entry-{entry}");
    let mut index: Vec<RefTerritory> = territories
        .iter()
        .map(|territory| RefTerritory { territory: territory.clone(), entries: vec![] })
        .collect();

    let parts = (0..5)
        .map(|p| RefPart {
            title: format!("Partie {p} : transformer le territoire"),
            sections: (0..10)
                .map(|q| RefSection {
                    title: format!("Section {p}.{q} : méthodes et retours"),
                    entries: (0..10)
                        .map(|r| {
                            let i = p * 100 + q * 10 + r;
                            let experiences = [(i * 7) % 40, (i * 7 + 13) % 40].map(|t| {
                                index[t].entries.push(RefLink { anchor: anchor(i), title: title(i) });
                                RefExperience {
                                    territory: territories[t].clone(),
                                    session: format!("Cohorte {}", 2018 + i % 5),
                                    account: format!("{} {}", SENTENCES[i % 6], SENTENCES[(i + 3) % 6]),
                                }
                            });
                            RefEntry {
                                anchor: anchor(i),
                                title: title(i),
                                kind: s(["Méthode", "Ressource", "Retour d’expérience"][i % 3]),
                                summary: format!("Ce que la fiche {i} apporte, en une phrase."),
                                paragraphs: (0..3).map(|n| paragraph(i, n)).collect(),
                                related: [(i + 1) % 500, (i + 250) % 500]
                                    .map(|j| RefLink { anchor: anchor(j), title: title(j) })
                                    .to_vec(),
                                experiences: experiences.to_vec(),
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();

    ReferentielEdition { parts, territories: index, ..edition() }
}

/// Unoptimised, typst takes a minute over this book, and the time says nothing: the test runs
/// in optimised builds only (`cargo nextest run -p pdf --release`).
#[test]
#[cfg_attr(debug_assertions, ignore = "timed in optimised builds only: cargo nextest run -p pdf --release")]
fn a_referentiel_edition_of_500_entries_typesets_in_seconds() {
    let edition = five_hundred_entries();
    let started = std::time::Instant::now();
    let pdf = pdf::referentiel_edition(&edition).unwrap();
    let elapsed = started.elapsed();
    let read = read_back(&pdf, "referentiel-500");
    eprintln!("500 entries: {elapsed:?}, {} pages, {} bytes", read.pages, pdf.len());

    // Generous: a pathological slowdown (layout that does not converge, quadratic links)
    // fails, a busy machine does not.
    assert!(elapsed.as_secs() < 10, "{elapsed:?} for 500 entries");
    read.assert_contains("Fiche 499 : agir avec les acteurs du territoire");
    read.assert_contains("(fiche 499, paragraphe 2)");
    read.assert_contains(&format!("Page {0} / {0}", read.pages));
    // The index ends the book: the last page lists the last territories.
    assert!(read.page_texts()[read.pages - 1].contains("Communauté de communes n°39"), "{}", read.text);
}
