## Selection of a session's territories: applications, targets, proposed cohort

selection-title = Applications and selection
selection-intro = { $seats } seats to fill; { $count ->
    [0] no application.
    [one] one application.
   *[other] { $count } applications.
}
selection-exports = Export
selection-export-applications-csv = applications (CSV)
selection-export-applications-xlsx = applications (XLSX)
selection-export-delegations-csv = delegations (CSV)
selection-export-delegations-xlsx = delegations (XLSX)
selection-proposal = Proposed cohort
selection-proposal-advice = The proposal is advice: it meets the profile targets first, then theme coverage, then the spread over régions, then delegation completeness. The organisers decide.
selection-targets-met = The profile targets are met with { $count } territories.
selection-targets-short = The applications fill only { $filled } of { $wanted } target seats.
selection-score-themes = { $count ->
    [one] One theme covered
   *[other] { $count } themes covered
}
selection-score-regions = { $count ->
    [one] One région represented
   *[other] { $count } régions represented
}
selection-score-delegation = { $count ->
    [one] One person proposed in the delegations
   *[other] { $count } people proposed in the delegations
}
selection-no-candidates = No submitted application: nothing to propose yet.
selection-applications = Applications
selection-none = No application yet.
selection-col-territory = Territory
selection-col-region = Région
selection-col-delegation = Delegation
selection-col-proposal = Proposal
selection-col-decide = Decide
selection-col-target = Target profile
selection-col-wanted = Seats
selection-col-applications = Applications
selection-col-proposed = In the proposal
selection-col-theme = Theme
selection-badge-in = Proposed
selection-badge-out = Not proposed
selection-targets = Profile targets
selection-no-targets = This session has no profile targets.
selection-matrix = Profiles and themes
selection-themes = Themes
selection-regions = Régions
selection-region-unknown = Région not given
selection-not-candidate = Not weighed (draft, declined or withdrawn).
selection-in = Proposed: { $reasons }.
selection-out = Not proposed: { $reasons }.
selection-fills = fills a “{ $target }” seat
selection-fills-none = fills no target seat
selection-only-themes = the only one to bring { $themes }
selection-only-region = the only territory from { $region }
selection-would-bring = would bring { $themes }
selection-would-add-region = would add the région { $region }
selection-in-because = without it, the cohort would do worse on { $criterion }
selection-out-because = taking it instead of another would do worse on { $criterion }
selection-criterion-locked = already accepted by the organisers
selection-criterion-room = there is room for every application
selection-criterion-profile = the profile targets
selection-criterion-themes = theme coverage
selection-criterion-regions = the spread over régions
selection-criterion-delegation = delegation completeness
selection-criterion-order = submission order, everything else being equal

export-territory = Territory
export-official-code = Official code
export-referent = Referent
export-referent-email = Referent's e-mail
export-delegation-filled = Delegation: seats filled
export-delegation-seats = Delegation: seats
export-submitted-at = Submitted on
export-person = Person
export-state = State
export-seat-missing = seat to fill
export-applications-file = applications
export-delegations-file = delegations
selection-tie-in = equal with others on every criterion, submitted earlier
selection-tie-out = equal on every criterion with a proposed territory submitted earlier
selection-seats-locked = every seat is taken by territories already accepted
