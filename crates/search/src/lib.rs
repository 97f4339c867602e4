//! French full-text search over the référentiel: entries of every edition and contributions,
//! in an in-memory tantivy index that the application rebuilds from the database.
//!
//! Text goes through one analyser, for documents and queries alike: split on anything that is
//! not a letter or a digit, lower case, French stop words removed, accents folded (`énergie`
//! and `energie` meet), then the French Snowball stemmer (`mobilités` and `mobilité` meet).
//! Queries are never parsed as a query language: the words a person types are analysed and
//! looked up in the title (weight 3), the summary (2) and the body (1), so that `AND`, `-` or a
//! stray quote cannot change the meaning of a search or make it fail. Results are ordered by
//! score, then by the document key, so that two indexes built from the same rows answer the
//! same list in the same order, whichever database the rows came from.
//!
//! The index lives in memory; see `docs/adr/0009-referentiel-and-search.md` for how it is kept
//! consistent when another instance writes.

use std::collections::HashMap;
use std::sync::RwLock;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TantivyDocument, TextFieldIndexing,
    TextOptions, Value as _,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter,
    TextAnalyzer, TokenStream as _,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term, doc};

/// The name under which the French analyser is registered in the index.
const FRENCH: &str = "fr_folded";

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Most results one search returns.
pub const MAX_RESULTS: usize = 50;

/// What a document of the index is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// An entry as it stands in one edition.
    Entry,
    /// A contribution recorded on a day (shown to signed-in users only).
    Contribution,
}

impl DocKind {
    fn code(self) -> &'static str {
        match self {
            Self::Entry => "entry",
            Self::Contribution => "contribution",
        }
    }
}

/// One document to index. Text fields are plain text (Markdown already turned into text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// A unique key the caller can resolve (`e-<edition>-<entry>`, `c-<contribution>`).
    pub key: String,
    /// The entry's permanent address part (empty for a contribution), given back with hits.
    pub slug: String,
    /// Entry or contribution.
    pub doc_kind: DocKind,
    /// The programme it belongs to.
    pub programme: u64,
    /// The edition's number (entries), 0 for contributions.
    pub edition: u64,
    /// The entry kind's code (`concept`, `method`…) or the contribution kind's code.
    pub kind: String,
    /// The entry's section, 0 for contributions.
    pub section: u64,
    /// Title (a contribution's first words).
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Body.
    pub body: String,
}

/// A search: the words typed and the filters chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search<'a> {
    /// The words typed.
    pub text: &'a str,
    /// The programme searched.
    pub programme: u64,
    /// Entries of this edition only (the caller always names one: the latest published one by
    /// default), and contributions when `contributions` is true.
    pub edition: u64,
    /// One entry kind only.
    pub kind: Option<&'a str>,
    /// One section only.
    pub section: Option<u64>,
    /// Also search contributions.
    pub contributions: bool,
    /// How many results at most (capped at [`MAX_RESULTS`]).
    pub limit: usize,
}

/// One result, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The document's key.
    pub key: String,
    /// The entry's address part (empty for a contribution).
    pub slug: String,
    /// Entry or contribution.
    pub doc_kind: DocKind,
    /// The entry kind's or contribution kind's code.
    pub kind: String,
    /// Its BM25 score.
    pub score: f32,
    /// The title, HTML-escaped, the matched words in `<mark>`.
    pub title_html: String,
    /// An extract of the summary or the body, HTML-escaped, the matched words in `<mark>`.
    pub snippet_html: String,
}

/// Why a search cannot be run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SearchError {
    /// Nothing typed.
    #[error("empty query")]
    Empty,
    /// More than [`MAX_QUERY_CHARS`] characters.
    #[error("query too long")]
    TooLong,
    /// Only stop words, punctuation or operators: no word left to look for.
    #[error("no word to search")]
    NoWords,
    /// The index itself failed (a bug, not the user's input).
    #[error("search index: {0}")]
    Index(String),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        Self::Index(e.to_string())
    }
}

/// The French analyser shared by documents and queries.
pub fn french_analyser() -> TextAnalyzer {
    // The stop-word list ships with tantivy's `stopwords` feature, which this crate enables.
    let stop_words =
        StopWordFilter::new(Language::French).unwrap_or_else(|| StopWordFilter::remove(Vec::<String>::new()));
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// The terms a text is reduced to, in order, duplicates removed.
pub fn analyse(text: &str) -> Vec<String> {
    let mut analyser = french_analyser();
    let mut stream = analyser.token_stream(text);
    let mut terms: Vec<String> = Vec::new();
    while let Some(token) = stream.next() {
        if !terms.contains(&token.text) {
            terms.push(token.text.clone());
        }
    }
    terms
}

/// Checks what a person typed: the terms to look for, or why there are none.
pub fn check_query(text: &str) -> Result<Vec<String>, SearchError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(SearchError::Empty);
    }
    if trimmed.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::TooLong);
    }
    let terms = analyse(trimmed);
    if terms.is_empty() { Err(SearchError::NoWords) } else { Ok(terms) }
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    slug: Field,
    doc_kind: Field,
    programme: Field,
    edition: Field,
    kind: Field,
    section: Field,
    title: Field,
    summary: Field,
    body: Field,
}

/// The index: one per process, shared by every request.
pub struct SearchIndex {
    reader: IndexReader,
    writer: std::sync::Mutex<IndexWriter>,
    fields: Fields,
    /// The generation of each programme's documents now in the index.
    generations: RwLock<HashMap<u64, i64>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// An empty index in memory.
    pub fn new() -> Result<Self, SearchError> {
        let mut schema = Schema::builder();
        let text = TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(FRENCH)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            key: schema.add_text_field("key", STRING | STORED),
            slug: schema.add_text_field("slug", STORED),
            doc_kind: schema.add_text_field("doc_kind", STRING | STORED),
            programme: schema.add_u64_field("programme", INDEXED | FAST),
            edition: schema.add_u64_field("edition", INDEXED | FAST),
            kind: schema.add_text_field("kind", STRING | STORED),
            section: schema.add_u64_field("section", INDEXED | FAST),
            title: schema.add_text_field("title", text.clone()),
            summary: schema.add_text_field("summary", text.clone()),
            body: schema.add_text_field("body", text),
        };
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(FRENCH, french_analyser());
        let writer = index.writer_with_num_threads(1, 30_000_000)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self {
            reader,
            writer: std::sync::Mutex::new(writer),
            fields,
            generations: RwLock::new(HashMap::new()),
        })
    }

    /// The generation of a programme's documents now indexed, if it was ever indexed.
    pub fn generation(&self, programme: u64) -> Option<i64> {
        self.generations.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(&programme).copied()
    }

    /// Replaces every document of a programme with `docs`, which reflect its data at
    /// `generation`. Searches see either the old documents or the new ones, never a mix.
    pub fn replace_programme(
        &self,
        programme: u64,
        generation: i64,
        docs: &[Doc],
    ) -> Result<(), SearchError> {
        let f = self.fields;
        let mut writer = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        writer.delete_term(Term::from_field_u64(f.programme, programme));
        for d in docs {
            writer.add_document(doc!(
                f.key => d.key.as_str(),
                f.slug => d.slug.as_str(),
                f.doc_kind => d.doc_kind.code(),
                f.programme => d.programme,
                f.edition => d.edition,
                f.kind => d.kind.as_str(),
                f.section => d.section,
                f.title => d.title.as_str(),
                f.summary => d.summary.as_str(),
                f.body => d.body.as_str(),
            ))?;
        }
        writer.commit()?;
        self.reader.reload()?;
        self.generations
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(programme, generation);
        Ok(())
    }

    /// Runs a search. The text is checked first ([`check_query`]).
    pub fn search(&self, search: &Search<'_>) -> Result<Vec<Hit>, SearchError> {
        let terms = check_query(search.text)?;
        let f = self.fields;
        let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in &terms {
            for (field, weight) in [(f.title, 3.0), (f.summary, 2.0), (f.body, 1.0)] {
                let query = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::WithFreqs);
                words.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), weight))));
            }
        }
        let words = BooleanQuery::new(words);
        let exact = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
        };
        let number = |field: Field, value: u64| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_u64(field, value), IndexRecordOption::Basic))
        };
        let mut entries: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, exact(f.doc_kind, DocKind::Entry.code())),
            (Occur::Must, number(f.edition, search.edition)),
        ];
        if let Some(kind) = search.kind {
            entries.push((Occur::Must, exact(f.kind, kind)));
        }
        if let Some(section) = search.section {
            entries.push((Occur::Must, number(f.section, section)));
        }
        let mut scope: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Should, Box::new(BooleanQuery::new(entries)))];
        if search.contributions && search.section.is_none() && search.kind.is_none() {
            scope.push((Occur::Should, exact(f.doc_kind, DocKind::Contribution.code())));
        }
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(words) as Box<dyn Query>),
            (Occur::Must, number(f.programme, search.programme)),
            (Occur::Must, Box::new(BooleanQuery::new(scope))),
        ]);
        let searcher = self.reader.searcher();
        let limit = search.limit.clamp(1, MAX_RESULTS);
        // A few more than asked, so that ties at the cut are ordered by key like the others.
        let found = searcher.search(&query, &TopDocs::with_limit(limit + 10).order_by_score())?;
        let mut title_snippets = SnippetGenerator::create(&searcher, &query, f.title)?;
        title_snippets.set_max_num_chars(300);
        let summary_snippets = SnippetGenerator::create(&searcher, &query, f.summary)?;
        let mut body_snippets = SnippetGenerator::create(&searcher, &query, f.body)?;
        body_snippets.set_max_num_chars(220);
        let mut hits = Vec::with_capacity(found.len());
        for (score, address) in found {
            let document: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| {
                document.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
            };
            let key = text(f.key);
            let doc_kind = if text(f.doc_kind) == DocKind::Contribution.code() {
                DocKind::Contribution
            } else {
                DocKind::Entry
            };
            let mut title = title_snippets.snippet_from_doc(&document);
            title.set_snippet_prefix_postfix("<mark>", "</mark>");
            let title_html = if title.fragment().is_empty() {
                escape(document.get_first(f.title).and_then(|v| v.as_str()).unwrap_or_default())
            } else {
                title.to_html()
            };
            let mut snippet = summary_snippets.snippet_from_doc(&document);
            if snippet.is_empty() {
                snippet = body_snippets.snippet_from_doc(&document);
            }
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let snippet_html = if snippet.fragment().is_empty() {
                escape(document.get_first(f.summary).and_then(|v| v.as_str()).unwrap_or_default())
            } else {
                snippet.to_html()
            };
            hits.push(Hit {
                key,
                slug: text(f.slug),
                doc_kind,
                kind: text(f.kind),
                score,
                title_html,
                snippet_html,
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
        hits.truncate(limit);
        Ok(hits)
    }

    /// How many documents the index holds (for the health of the index in logs and tests).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Escapes text for HTML the way the snippets do.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        key: &str,
        edition: u64,
        kind: &str,
        section: u64,
        title: &str,
        summary: &str,
        body: &str,
    ) -> Doc {
        Doc {
            key: key.to_owned(),
            slug: format!("slug-{key}"),
            doc_kind: DocKind::Entry,
            programme: 1,
            edition,
            kind: kind.to_owned(),
            section,
            title: title.to_owned(),
            summary: summary.to_owned(),
            body: body.to_owned(),
        }
    }

    fn index() -> SearchIndex {
        let index = SearchIndex::new().expect("index");
        let docs = [
            entry(
                "e-1-1",
                1,
                "challenge",
                1,
                "Sobriété énergétique",
                "Réduire l'énergie consommée.",
                "Les bâtiments publics.",
            ),
            entry(
                "e-1-2",
                1,
                "method",
                2,
                "Mobilités partagées",
                "Covoiturage rural.",
                "Une mobilité douce.",
            ),
            entry(
                "e-1-3",
                1,
                "concept",
                1,
                "Coopération des acteurs",
                "Travailler ensemble.",
                "Les élus et les habitants.",
            ),
            entry("e-2-3", 2, "concept", 1, "Coopération des acteurs", "Travailler ensemble.", "Les élus."),
            Doc {
                key: "c-9".into(),
                slug: String::new(),
                doc_kind: DocKind::Contribution,
                programme: 1,
                edition: 0,
                kind: "insight".into(),
                section: 0,
                title: "Énergie citoyenne".into(),
                summary: String::new(),
                body: "Un parc éolien porté par les habitants.".into(),
            },
            Doc { programme: 2, key: "e-7-1".into(), ..entry("x", 1, "challenge", 1, "Énergie", "", "") },
        ];
        index.replace_programme(1, 1, &docs[..5]).expect("programme 1");
        index.replace_programme(2, 1, &docs[5..]).expect("programme 2");
        index
    }

    fn search(text: &str) -> Search<'_> {
        Search { text, programme: 1, edition: 1, kind: None, section: None, contributions: false, limit: 10 }
    }

    fn keys(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.key.as_str()).collect()
    }

    #[test]
    fn accents_plurals_and_stop_words_meet() {
        let index = index();
        for q in ["énergie", "energie", "ENERGIE", "l'énergie"] {
            assert_eq!(keys(&index.search(&search(q)).expect(q)), ["e-1-1"], "{q}");
        }
        assert_eq!(keys(&index.search(&search("mobilité")).expect("singular")), ["e-1-2"]);
        assert_eq!(keys(&index.search(&search("mobilites")).expect("plural")), ["e-1-2"]);
        assert_eq!(keys(&index.search(&search("la coopération des élus")).expect("stop words")), ["e-1-3"]);
    }

    #[test]
    fn filters_by_edition_kind_section_and_programme() {
        let index = index();
        let mut s = search("coopération");
        s.edition = 2;
        assert_eq!(keys(&index.search(&s).expect("edition 2")), ["e-2-3"]);
        let mut s = search("énergie mobilité");
        s.kind = Some("method");
        assert_eq!(keys(&index.search(&s).expect("kind")), ["e-1-2"]);
        let mut s = search("énergie mobilité");
        s.section = Some(1);
        assert_eq!(keys(&index.search(&s).expect("section")), ["e-1-1"]);
        let mut s = search("énergie");
        s.contributions = true;
        let mut found =
            keys(&index.search(&s).expect("contributions")).into_iter().map(String::from).collect::<Vec<_>>();
        found.sort();
        assert_eq!(found, ["c-9", "e-1-1"]);
    }

    #[test]
    fn snippets_are_escaped_and_marked() {
        let index = SearchIndex::new().expect("index");
        let doc =
            entry("e-1-1", 1, "concept", 1, "<script>alert(1)</script> énergie", "Des <b>énergies</b>", "");
        index.replace_programme(1, 1, &[doc]).expect("indexed");
        let hits = index.search(&search("energie")).expect("search");
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].slug.as_str(), hits[0].kind.as_str(), hits[0].doc_kind),
            ("slug-e-1-1", "concept", DocKind::Entry)
        );
        assert!(!hits[0].title_html.contains("<script>"), "{}", hits[0].title_html);
        assert!(hits[0].title_html.contains("&lt;script&gt;"));
        assert!(hits[0].title_html.contains("<mark>énergie</mark>"), "{}", hits[0].title_html);
        assert!(hits[0].snippet_html.contains("<mark>énergies</mark>"), "{}", hits[0].snippet_html);
        assert!(!hits[0].snippet_html.contains("<b>"));
    }

    #[test]
    fn bad_queries_are_refused() {
        let index = index();
        assert_eq!(index.search(&search("   ")), Err(SearchError::Empty));
        assert_eq!(index.search(&search(&"a".repeat(201))), Err(SearchError::TooLong));
        assert_eq!(index.search(&search("+ - \" * ( ) :")), Err(SearchError::NoWords));
        assert_eq!(index.search(&search("le la les des")), Err(SearchError::NoWords));
    }

    #[test]
    fn replacing_a_programme_drops_its_old_documents() {
        let index = index();
        assert_eq!(index.len(), 6);
        index.replace_programme(1, 2, &[]).expect("emptied");
        assert_eq!(index.len(), 1);
        assert_eq!(index.generation(1), Some(2));
        assert!(index.search(&search("énergie")).expect("search").is_empty());
    }
}
