## Listes officielles des territoires (communes, intercommunalités, départements, régions)

reference-search-label = Rechercher votre commune ou intercommunalité
reference-search-hint = Tapez au moins deux lettres du nom ou le code officiel, puis « Rechercher » et choisissez dans la liste.
reference-search = Rechercher
reference-choose = Choisissez votre territoire
reference-none = Aucun territoire de la liste officielle ne correspond.
reference-population = { $count } habitants
reference-found = { $count ->
    [one] Un territoire trouvé.
   *[other] { $count } territoires trouvés, les plus peuplés d’abord.
}
reference-query-too-short = Tapez au moins deux lettres.
reference-query-too-long = Cette recherche est trop longue : tapez le début du nom ou le code officiel.
reference-page-title = Listes officielles des territoires
reference-page-intro = Les communes et intercommunalités de France, telles que l’application les connaît.
reference-source = Source : découpage administratif, édition 2026 (Etalab, Licence Ouverte).
place-kind-commune = commune
place-kind-epci = intercommunalité
place-kind-departement = département
place-kind-region = région
history-entity-reference = Listes officielles
history-action-import = Import
error-reference-line = Ligne illisible dans les listes officielles.
