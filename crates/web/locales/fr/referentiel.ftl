# Le référentiel : éditions, entrées, recherche, contributions, modifications, publication.

referentiel-title = Référentiel
referentiel-nav-label = Navigation du référentiel
referentiel-nav-latest = Dernière édition
referentiel-nav-search = Rechercher
referentiel-nav-compare = Comparer deux éditions
referentiel-nav-contributions = Contributions
referentiel-edition-number = Édition { $number }
referentiel-edition-lead = { $count ->
    [0] Aucune entrée dans cette édition.
    [one] Une entrée, classée par parties et sections.
   *[other] { $count } entrées, classées par parties et sections.
}
referentiel-published = Publiée le
referentiel-published-on = Publiée le { $date }
referentiel-draft-warning = Brouillon : cette édition peut encore changer.
referentiel-none-published = Aucune édition n'est encore publiée.
referentiel-open-draft = Ouvrir l'atelier de la prochaine édition
referentiel-start-draft = Préparer la première édition
referentiel-other-editions = Toutes les éditions
referentiel-contents = Sommaire
referentiel-section-empty = Pas encore d'entrée dans cette section.
referentiel-download-pdf = Télécharger en PDF
referentiel-download-html = Télécharger en page HTML autonome
referentiel-download-json = Télécharger en JSON
referentiel-search-label = Rechercher dans le référentiel
referentiel-export-source = Source :

referentiel-experiences = Expériences des territoires
referentiel-territory-index = Index des territoires
referentiel-related = Voir aussi
referentiel-growth = Comment cette entrée a grandi
referentiel-growth-none = Aucune modification enregistrée.
referentiel-trace = Édition { $edition } : { $action }
referentiel-trace-new = ajoutée
referentiel-trace-edit = réécrite
referentiel-trace-move = déplacée
referentiel-trace-merge = fusionnée
referentiel-trace-retire = retirée
referentiel-trace-from = , d'après une contribution de { $territory } ({ $date }, { $session })
referentiel-see-latest = Voir cette entrée dans l'édition { $number }, la plus récente
referentiel-entry-nav = Entrée précédente et suivante
referentiel-permalink = Adresse permanente :

referentiel-compare-title = Comparer deux éditions
referentiel-compare-needs-two = Il faut au moins deux éditions pour comparer.
referentiel-compare-from = De l'édition
referentiel-compare-to = À l'édition
referentiel-compare-go = Comparer
referentiel-compare-summary = { $added } ajoutée(s), { $changed } modifiée(s), { $removed } retirée(s).
referentiel-compare-added = Entrées ajoutées
referentiel-compare-changed = Entrées modifiées
referentiel-compare-removed = Entrées retirées
referentiel-compare-nothing = Aucune.
referentiel-compare-fields = Ce qui change :
referentiel-compare-diff = Texte avant et après
referentiel-diff-added = Ajouté :
referentiel-diff-removed = Retiré :
referentiel-field-title = Titre
referentiel-field-summary = Résumé
referentiel-field-body = Texte (Markdown)
referentiel-field-kind = Nature
referentiel-field-section = Section
referentiel-field-related = Entrées liées (adresses séparées par des virgules)
referentiel-field-experiences = Expériences

referentiel-search-title = Rechercher dans le référentiel
referentiel-filter-kind = Nature
referentiel-filter-section = Section
referentiel-filter-edition = Édition
referentiel-filter-any = Toutes
referentiel-filter-latest = La plus récente
referentiel-filter-contributions = Chercher aussi dans les contributions
referentiel-results = { $count ->
    [0] Aucun résultat
    [one] Un résultat
   *[other] { $count } résultats
}
referentiel-no-results = Essayez d'autres mots, ou retirez un filtre.
referentiel-a-contribution = Contribution

referentiel-like-title = Des territoires comme le mien
referentiel-like-lead = Choisissez un territoire : Fabrique montre les pairs qui lui ressemblent et les entrées qui parlent de ses thèmes ou de leurs expériences.
referentiel-like-choose = Territoire
referentiel-like-go = Voir
referentiel-like-heading = Des territoires comme { $territory }
referentiel-like-explain = Les pairs sont classés par thèmes en commun, puis par nature de territoire, ancienneté de la démarche et porteur ; chaque ligne dit pourquoi.
referentiel-like-peers = Territoires proches
referentiel-like-no-peers = Aucun territoire proche : renseignez les thèmes du territoire pour en trouver.
referentiel-like-shared = thèmes en commun : { $themes }
referentiel-like-same-kind = même nature de territoire
referentiel-like-same-experience = même ancienneté de démarche
referentiel-like-same-carrier = même porteur
referentiel-like-entries = Entrées utiles
referentiel-like-no-entries = Aucune entrée ne parle encore de ces thèmes ni de ces territoires.
referentiel-like-told-by = expérience de { $territories }
referentiel-like-speaks-of = parle de : { $themes }

referentiel-contributions-title = Contributions des journées
referentiel-contributions-lead = Pratiques, difficultés, enseignements et questions apportés pendant ou après une journée. L'équipe d'animation les trie et en tire des modifications du référentiel.
referentiel-contribute = Contribuer
referentiel-contribute-button = Enregistrer la contribution
referentiel-contribute-no-day = Vous pouvez contribuer sur les journées datées des sessions où vous êtes délégué·e.
referentiel-field-day = Journée
referentiel-field-territory = Territoire
referentiel-no-territory = Sans territoire
referentiel-field-contribution-kind = Nature de la contribution
referentiel-field-text = Contribution
referentiel-field-entries = Entrées concernées (facultatif)
referentiel-contributions-count = { $count ->
    [0] Aucune contribution
    [one] Une contribution
   *[other] { $count } contributions
}
referentiel-contribution-number = contribution n° { $number }
referentiel-merged-into = regroupée avec la n° { $number }
referentiel-concerns = Concerne :
referentiel-make-change = En tirer une modification
referentiel-triage-label = Trier la contribution n° { $number }
referentiel-triage-merge = Regrouper avec une autre
referentiel-triage-into = N° de la contribution qui la regroupe
referentiel-triage-button = Trier

referentiel-draft-title = Préparer l'édition { $number }
referentiel-draft-lead = Les modifications proposées sont relues une à une ; acceptées, elles entrent dans le brouillon. Publier fige l'édition pour de bon.
referentiel-draft-read = Lire le brouillon
referentiel-changes = Modifications proposées
referentiel-changes-none = Aucune modification proposée pour l'instant.
referentiel-proposed-by = Proposée par { $name }, le
referentiel-field-entry = Entrée
referentiel-field-into = Fusionner dans
referentiel-field-experience = Expérience d'un territoire
referentiel-field-session = Session
referentiel-field-account = Récit
referentiel-field-contribution = N° de la contribution d'origine
referentiel-field-rationale = Pourquoi
referentiel-field-action = Nature de la modification
referentiel-field-slug = Adresse (facultatif, tirée du titre)
referentiel-from-contribution = d'après la contribution n° { $number }
referentiel-review-comment = Commentaire
referentiel-review-legend = Relire la modification n° { $number }
referentiel-accept = Accepter
referentiel-reject = Refuser (commentaire obligatoire)
referentiel-review-button = Enregistrer la décision
referentiel-propose = Proposer une modification
referentiel-propose-hint = Nouvelle entrée : section, nature, titre, résumé. Réécriture : entrée, nature, titre, résumé. Déplacement : entrée et section. Fusion : entrée et entrée qui l'absorbe. Retrait : entrée.
referentiel-propose-button = Proposer
referentiel-rationale-from = D'après la contribution du { $date } ({ $territory })
referentiel-publish-title = Publier l'édition { $number }
referentiel-publish-warning = Une fois publiée, l'édition ne change plus : les corrections iront dans l'édition suivante.
referentiel-field-note = Ce qu'apporte cette édition (une phrase)
referentiel-publish-button = Publier
referentiel-sections = Parties et sections
referentiel-field-part-position = N° de partie
referentiel-field-part-title = Titre de la partie
referentiel-field-position = N° de section dans la partie
referentiel-field-section-title = Titre de la section
referentiel-add-section = Ajouter la section

entry-kind-concept = Concept opérationnel
entry-kind-method = Méthode
entry-kind-device = Dispositif
entry-kind-challenge = Enjeu
entry-kind-marker = Balise
contribution-kind-practice = Pratique
contribution-kind-difficulty = Difficulté
contribution-kind-insight = Enseignement
contribution-kind-question = Question
contribution-status-new = À trier
contribution-status-kept = Retenue
contribution-status-merged = Regroupée
contribution-status-set_aside = Mise de côté
change-action-new = Nouvelle entrée
change-action-edit = Réécriture
change-action-move = Déplacement
change-action-merge = Fusion
change-action-retire = Retrait
change-status-proposed = À relire
change-status-accepted = Acceptée
change-status-rejected = Refusée
edition-status-draft = brouillon
edition-status-published = publiée

history-entity-ref-section = Section du référentiel
history-entity-ref-contribution = Contribution
history-entity-ref-change = Modification du référentiel
history-entity-ref-edition = Édition du référentiel
history-action-open-draft = Brouillon ouvert
history-action-propose = Proposée
history-action-accept-change = Acceptée
history-action-reject-change = Refusée
history-action-publish = Publiée
history-action-triage = Triée

error-change-already-reviewed = Cette modification a déjà été relue.
error-changes-pending = { $count } modification(s) attendent encore une relecture : relisez-les avant de publier.
error-compare-same-edition = Choisissez deux éditions différentes.
error-contribution-merged = Cette contribution est elle-même regroupée : choisissez celle qui la regroupe.
error-day-other-programme = Cette journée n'appartient pas à ce programme.
error-edition-empty = Une édition sans entrée ne peut pas être publiée.
error-edition-published = Cette édition est publiée : elle ne change plus.
error-edition-unknown = Cette édition n'existe pas ou n'est pas publiée.
error-entry-not-in-draft = L'entrée « { $slug } » n'est pas (ou plus) dans le brouillon.
error-entry-unknown = Aucune entrée « { $slug } » dans ce référentiel.
error-merge-into-itself = Une entrée ne peut pas être fusionnée dans elle-même.
error-no-draft = Aucun brouillon à publier : proposez d'abord une modification.
error-no-edition = Aucune édition n'est encore publiée.
error-reject-needs-comment = Dites pourquoi la modification est refusée.
error-related-to-itself = Une entrée ne peut pas être liée à elle-même.
error-search-empty = Saisissez au moins un mot.
error-search-no-words = Votre recherche ne contient aucun mot à chercher (seulement des mots vides ou des signes).
error-search-too-long = Votre recherche est trop longue (200 caractères au plus).
error-section-taken = Ce numéro de section est déjà pris dans cette partie.
error-territory-choose = Choisissez un territoire.
error-territory-not-in-session = Ce territoire ne participe pas à la session de cette journée.
error-territory-not-yours = Vous contribuez au nom de votre territoire seulement.
error-edition-exists = Ce programme a déjà un référentiel : une édition entière ne s'importe que dans un référentiel vide.
error-part-title-differs = Cette partie s'appelle déjà « { $title } » : reprenez ce titre (les éditions publiées le gardent).
