# The référentiel: editions, entries, search, contributions, changes, publication.

referentiel-title = Référentiel
referentiel-nav-label = Référentiel navigation
referentiel-nav-latest = Latest edition
referentiel-nav-search = Search
referentiel-nav-compare = Compare two editions
referentiel-nav-contributions = Contributions
referentiel-edition-number = Edition { $number }
referentiel-edition-lead = { $count ->
    [0] No entry in this edition.
    [one] One entry, in parts and sections.
   *[other] { $count } entries, in parts and sections.
}
referentiel-published = Published on
referentiel-published-on = Published on { $date }
referentiel-draft-warning = Draft: this edition may still change.
referentiel-none-published = No edition has been published yet.
referentiel-open-draft = Open the next edition's workshop
referentiel-start-draft = Prepare the first edition
referentiel-other-editions = All editions
referentiel-contents = Contents
referentiel-section-empty = No entry in this section yet.
referentiel-download-pdf = Download as PDF
referentiel-download-html = Download as a self-contained HTML page
referentiel-download-json = Download as JSON
referentiel-search-label = Search the référentiel
referentiel-export-source = Source:

referentiel-experiences = Territories' experiences
referentiel-territory-index = Index of territories
referentiel-related = See also
referentiel-growth = How this entry grew
referentiel-growth-none = No change recorded.
referentiel-trace = Edition { $edition }: { $action }
referentiel-trace-new = added
referentiel-trace-edit = rewritten
referentiel-trace-move = moved
referentiel-trace-merge = merged
referentiel-trace-retire = retired
referentiel-trace-from = , from a contribution by { $territory } ({ $date }, { $session })
referentiel-see-latest = See this entry in edition { $number }, the latest
referentiel-entry-nav = Previous and next entry
referentiel-permalink = Permanent address:

referentiel-compare-title = Compare two editions
referentiel-compare-needs-two = At least two editions are needed to compare.
referentiel-compare-from = From edition
referentiel-compare-to = To edition
referentiel-compare-go = Compare
referentiel-compare-summary = { $added } added, { $changed } changed, { $removed } removed.
referentiel-compare-added = Entries added
referentiel-compare-changed = Entries changed
referentiel-compare-removed = Entries removed
referentiel-compare-nothing = None.
referentiel-compare-fields = What changes:
referentiel-compare-diff = Text before and after
referentiel-diff-added = Added:
referentiel-diff-removed = Removed:
referentiel-field-title = Title
referentiel-field-summary = Summary
referentiel-field-body = Text (Markdown)
referentiel-field-kind = Kind
referentiel-field-section = Section
referentiel-field-related = Related entries (addresses separated by commas)
referentiel-field-experiences = Experiences

referentiel-search-title = Search the référentiel
referentiel-filter-kind = Kind
referentiel-filter-section = Section
referentiel-filter-edition = Edition
referentiel-filter-any = All
referentiel-filter-latest = The latest
referentiel-filter-contributions = Also search contributions
referentiel-results = { $count ->
    [0] No result
    [one] One result
   *[other] { $count } results
}
referentiel-no-results = Try other words, or remove a filter.
referentiel-a-contribution = Contribution

referentiel-like-title = Territories like mine
referentiel-like-lead = Choose a territory: Fabrique shows the peers that resemble it and the entries that speak of its themes or of their experiences.
referentiel-like-choose = Territory
referentiel-like-go = Show
referentiel-like-heading = Territories like { $territory }
referentiel-like-explain = Peers are ranked by themes in common, then by kind of territory, length of engagement and carrier; each line says why.
referentiel-like-peers = Close territories
referentiel-like-no-peers = No close territory: fill in the territory's themes to find some.
referentiel-like-shared = themes in common: { $themes }
referentiel-like-same-kind = same kind of territory
referentiel-like-same-experience = same length of engagement
referentiel-like-same-carrier = same carrier
referentiel-like-entries = Useful entries
referentiel-like-no-entries = No entry speaks of these themes or territories yet.
referentiel-like-told-by = experience of { $territories }
referentiel-like-speaks-of = speaks of: { $themes }

referentiel-contributions-title = Contributions from the days
referentiel-contributions-lead = Practices, difficulties, insights and questions brought during or after a day. The facilitation team sorts them and turns them into changes of the référentiel.
referentiel-contribute = Contribute
referentiel-contribute-button = Record the contribution
referentiel-contribute-no-day = You can contribute on the dated days of the sessions where you are a delegate.
referentiel-field-day = Day
referentiel-field-territory = Territory
referentiel-no-territory = No territory
referentiel-field-contribution-kind = Kind of contribution
referentiel-field-text = Contribution
referentiel-field-entries = Entries concerned (optional)
referentiel-contributions-count = { $count ->
    [0] No contribution
    [one] One contribution
   *[other] { $count } contributions
}
referentiel-contribution-number = contribution no. { $number }
referentiel-merged-into = merged with no. { $number }
referentiel-concerns = Concerns:
referentiel-make-change = Turn it into a change
referentiel-triage-label = Sort contribution no. { $number }
referentiel-triage-merge = Merge with another
referentiel-triage-into = No. of the contribution that absorbs it
referentiel-triage-button = Sort

referentiel-draft-title = Preparing edition { $number }
referentiel-draft-lead = Proposed changes are reviewed one by one; once accepted they go into the draft. Publishing freezes the edition for good.
referentiel-draft-read = Read the draft
referentiel-changes = Proposed changes
referentiel-changes-none = No change proposed yet.
referentiel-proposed-by = Proposed by { $name }, on
referentiel-field-entry = Entry
referentiel-field-into = Merge into
referentiel-field-experience = A territory's experience
referentiel-field-session = Session
referentiel-field-account = Account
referentiel-field-contribution = No. of the originating contribution
referentiel-field-rationale = Why
referentiel-field-action = Kind of change
referentiel-field-slug = Address (optional, made from the title)
referentiel-from-contribution = from contribution no. { $number }
referentiel-review-comment = Comment
referentiel-review-legend = Review change no. { $number }
referentiel-accept = Accept
referentiel-reject = Reject (comment required)
referentiel-review-button = Record the decision
referentiel-propose = Propose a change
referentiel-propose-hint = New entry: section, kind, title, summary. Rewrite: entry, kind, title, summary. Move: entry and section. Merge: entry and the entry that absorbs it. Retire: entry.
referentiel-propose-button = Propose
referentiel-rationale-from = From the contribution of { $date } ({ $territory })
referentiel-publish-title = Publish edition { $number }
referentiel-publish-warning = Once published, the edition never changes: corrections go into the next edition.
referentiel-field-note = What this edition brings (one sentence)
referentiel-publish-button = Publish
referentiel-sections = Parts and sections
referentiel-field-part-position = Part number
referentiel-field-part-title = Part title
referentiel-field-position = Section number within the part
referentiel-field-section-title = Section title
referentiel-add-section = Add the section

entry-kind-concept = Operational concept
entry-kind-method = Method
entry-kind-device = Device
entry-kind-challenge = Challenge
entry-kind-marker = Marker
contribution-kind-practice = Practice
contribution-kind-difficulty = Difficulty
contribution-kind-insight = Insight
contribution-kind-question = Question
contribution-status-new = To sort
contribution-status-kept = Kept
contribution-status-merged = Merged
contribution-status-set_aside = Set aside
change-action-new = New entry
change-action-edit = Rewrite
change-action-move = Move
change-action-merge = Merge
change-action-retire = Retirement
change-status-proposed = To review
change-status-accepted = Accepted
change-status-rejected = Rejected
edition-status-draft = draft
edition-status-published = published

history-entity-ref-section = Référentiel section
history-entity-ref-contribution = Contribution
history-entity-ref-change = Référentiel change
history-entity-ref-edition = Référentiel edition
history-action-open-draft = Draft opened
history-action-propose = Proposed
history-action-accept-change = Accepted
history-action-reject-change = Rejected
history-action-publish = Published
history-action-triage = Sorted

error-change-already-reviewed = This change has already been reviewed.
error-changes-pending = { $count } change(s) still wait for review: review them before publishing.
error-compare-same-edition = Choose two different editions.
error-contribution-merged = That contribution is itself merged: choose the one that absorbs it.
error-day-other-programme = This day does not belong to this programme.
error-edition-empty = An edition without entries cannot be published.
error-edition-published = This edition is published: it no longer changes.
error-edition-unknown = This edition does not exist or is not published.
error-entry-not-in-draft = Entry “{ $slug }” is not (or no longer) in the draft.
error-entry-unknown = No entry “{ $slug }” in this référentiel.
error-merge-into-itself = An entry cannot be merged into itself.
error-no-draft = No draft to publish: propose a change first.
error-no-edition = No edition has been published yet.
error-reject-needs-comment = Say why the change is rejected.
error-related-to-itself = An entry cannot be related to itself.
error-search-empty = Type at least one word.
error-search-no-words = Your search has no word to look for (only stop words or signs).
error-search-too-long = Your search is too long (200 characters at most).
error-section-taken = This section number is already taken in this part.
error-territory-choose = Choose a territory.
error-territory-not-in-session = This territory does not take part in this day's session.
error-territory-not-yours = You contribute on behalf of your own territory only.
error-edition-exists = This programme already has a référentiel: a whole edition can only be imported into an empty one.
error-part-title-differs = This part is already called “{ $title }”: use that title (published editions keep it).
