## Official lists of territories (communes, intercommunalities, départements, régions)

reference-search-label = Search for your commune or intercommunality
reference-search-hint = Type at least two letters of the name or the official code, then “Search”, and choose in the list.
reference-search = Search
reference-choose = Choose your territory
reference-none = No territory of the official list matches.
reference-population = { $count } inhabitants
reference-found = { $count ->
    [one] One territory found.
   *[other] { $count } territories found, the most populous first.
}
reference-query-too-short = Type at least two letters.
reference-query-too-long = This search is too long: type the start of the name or the official code.
reference-page-title = Official lists of territories
reference-page-intro = The communes and intercommunalities of France, as the application knows them.
reference-source = Source: administrative divisions, 2026 edition (Etalab, Licence Ouverte).
place-kind-commune = commune
place-kind-epci = intercommunality
place-kind-departement = département
place-kind-region = région
history-entity-reference = Official lists
history-action-import = Import
error-reference-line = Unreadable line in the official lists.
