## Sélection des territoires d'une session : candidatures, cibles, proposition de cohorte

selection-title = Candidatures et sélection
selection-intro = { $seats } places à pourvoir ; { $count ->
    [0] aucune candidature.
    [one] une candidature.
   *[other] { $count } candidatures.
}
selection-exports = Exporter
selection-export-applications-csv = candidatures (CSV)
selection-export-applications-xlsx = candidatures (XLSX)
selection-export-delegations-csv = délégations (CSV)
selection-export-delegations-xlsx = délégations (XLSX)
selection-proposal = Cohorte proposée
selection-proposal-advice = La proposition est un conseil : elle satisfait d'abord les profils visés, puis la couverture des thèmes, puis la diversité des régions, puis la complétude des délégations. L'équipe d'animation décide.
selection-targets-met = Les profils visés sont atteints avec { $count } territoires.
selection-targets-short = Les candidatures ne permettent d'occuper que { $filled } places visées sur { $wanted }.
selection-score-themes = { $count ->
    [one] Un thème couvert
   *[other] { $count } thèmes couverts
}
selection-score-regions = { $count ->
    [one] Une région représentée
   *[other] { $count } régions représentées
}
selection-score-delegation = { $count ->
    [one] Une personne proposée dans les délégations
   *[other] { $count } personnes proposées dans les délégations
}
selection-no-candidates = Aucune candidature déposée : rien à proposer pour l'instant.
selection-applications = Candidatures
selection-none = Aucune candidature pour l'instant.
selection-col-territory = Territoire
selection-col-region = Région
selection-col-delegation = Délégation
selection-col-proposal = Proposition
selection-col-decide = Décider
selection-col-target = Profil visé
selection-col-wanted = Places
selection-col-applications = Candidatures
selection-col-proposed = Dans la proposition
selection-col-theme = Thème
selection-badge-in = Proposé
selection-badge-out = Non proposé
selection-targets = Profils visés
selection-no-targets = Cette session n'a pas de profils visés.
selection-matrix = Profils et thèmes
selection-themes = Thèmes
selection-regions = Régions
selection-region-unknown = Région non renseignée
selection-not-candidate = Hors sélection (brouillon, non retenue ou retirée).
selection-in = Proposé : { $reasons }.
selection-out = Non proposé : { $reasons }.
selection-fills = occupe une place « { $target } »
selection-fills-none = n'occupe aucune place visée
selection-only-themes = seul à apporter { $themes }
selection-only-region = seul territoire de la région { $region }
selection-would-bring = apporterait { $themes }
selection-would-add-region = ajouterait la région { $region }
selection-in-because = sans lui, la cohorte ferait moins bien sur { $criterion }
selection-out-because = le prendre à la place d'un autre ferait moins bien sur { $criterion }
selection-criterion-locked = déjà retenu par l'équipe d'animation
selection-criterion-room = il y a de la place pour toutes les candidatures
selection-criterion-profile = les profils visés
selection-criterion-themes = la couverture des thèmes
selection-criterion-regions = la diversité des régions
selection-criterion-delegation = la complétude des délégations
selection-criterion-order = l'ordre de dépôt, à égalité sur tout le reste

export-territory = Territoire
export-official-code = Code officiel
export-referent = Référent
export-referent-email = Courriel du référent
export-delegation-filled = Délégation : places pourvues
export-delegation-seats = Délégation : places
export-submitted-at = Déposée le
export-person = Personne
export-state = État
export-seat-missing = place à pourvoir
export-applications-file = candidatures
export-delegations-file = delegations
selection-tie-in = à égalité avec d'autres sur tous les critères, déposé plus tôt
selection-tie-out = à égalité sur tous les critères avec un territoire proposé, déposé plus tôt
selection-seats-locked = toutes les places sont prises par des territoires déjà retenus
