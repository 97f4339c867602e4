# Journées d'atelier : dates, sondages, programme, groupes, inscription, présence, calendriers.

days-title = Journées
days-none = Aucune journée pour l'instant.
days-presence-rule = La présence est personnelle : un·e remplaçant·e est noté·e comme tel·le et ne compte jamais comme la présence de la personne déléguée.
days-day-heading = Journée { $number } — { $date }
days-to-be-set-in = à fixer en { $month }
days-badge-to-be-set = Date à fixer
days-times = de { $from } à { $to }
days-hours = Horaires
days-hosted-by = Accueillie par { $territory }
days-venue-undecided = Lieu à préciser
days-add = Ajouter une journée
days-edit = Modifier la journée
days-delete = Supprimer la journée
days-back-list = Retour aux journées de « { $name } »
days-back-day = Retour à « { $name } »
days-field-held-on = Date
days-field-held-on-hint = Une date (17/09/2019) ou, si elle reste à fixer, un mois (11/2019).
days-field-title = Intitulé (facultatif)
days-field-starts-at = Début (09:30 par défaut)
days-field-ends-at = Fin (17:00 par défaut)
days-field-venue = Lieu
days-regularity-link = Assiduité de la session
days-attendance-link = Pointer les présences
days-sign-in-sheet = Feuille d'émargement (PDF)

days-registration = Votre venue
days-registration-yours = Votre réponse :
days-registration-none = pas encore de réponse
days-register-confirm = Je viendrai
days-register-excuse = Je m'excuse
registration-confirmed = Vient
registration-excused = Excusé·e

days-poll = Sondage de date
days-poll-explain = Proposez quelques dates du mois ; chaque personne déléguée répond oui, si besoin ou non.
days-poll-dates = Dates proposées (une par ligne)
days-poll-open-button = Ouvrir le sondage
days-poll-open = Le sondage est ouvert.
days-poll-closed = Le sondage est clos.
days-poll-none = Aucun sondage pour cette journée.
days-poll-results = Réponses par date
days-poll-date = Date proposée
days-poll-by-territory = Par territoire
days-poll-by-category = Par catégorie
days-poll-counts = { $name } : { $yes } oui, { $ifneeded } si besoin, { $no } non
days-poll-answer = Enregistrer mes réponses
days-poll-close = Clore le sondage sur la date
days-poll-close-button = Fixer cette date et prévenir tout le monde
poll-answer-yes = Oui
poll-answer-if_needed = Si besoin
poll-answer-no = Non
days-mail-date-set-subject = { $session } : la date de la journée est fixée
days-mail-date-set-body = Bonjour,

    La journée de « { $session } » aura lieu le { $date }.
    Lieu : { $place }

    À bientôt.

days-agenda = Programme
days-agenda-empty = Le programme de cette journée n'est pas encore établi.
days-room = Salle
days-facilitators = Animation
days-resource-people = Personnes ressources
days-part-add = Ajouter une séquence
days-part-starts-at = Début
days-part-ends-at = Fin
days-part-title = Intitulé
days-part-format = Format
days-part-group-size = Taille des groupes (groupes mixtes)
days-part-delete-for = Supprimer la séquence « { $title } »
part-format-plenary = Plénière
part-format-by_category = Entre pairs, par catégorie
part-format-by_territory = Par territoire
part-format-thematic = Groupes thématiques
part-format-mixed = Groupes mixtes
days-generate-groups = Composer les groupes
days-generate-groups-for = Composer les groupes de « { $title } »
days-group-number = Groupe { $number }
days-move = Déplacer
days-move-label = Déplacer { $name } vers le groupe choisi

days-attendance = Présences
days-present-count = { $present } présent·es sur { $total }
days-attendance-unrecorded = Non pointé·e
days-no-delegates = Aucune personne déléguée dans cette session.
attendance-present = Présent·e
attendance-excused = Excusé·e
attendance-absent = Absent·e
days-stand-in = Remplaçant·e, lien personnel
days-stand-in-name = Nom de la personne venue à la place de { $name }
days-stand-in-record = Noter le remplacement
days-stand-in-for = remplacé·e par { $name }
days-self-checked = pointé·e par elle-même ou lui-même
days-check-in-link = Lien personnel de pointage
days-check-in-link-for = Créer le lien personnel de pointage de { $name }
days-check-in-link-explain = À transmettre à la personne seulement : ce lien (ou ce code QR) lui permet de pointer sa propre présence le jour venu. Un nouveau lien remplace le précédent.
days-qr-alt = Code QR du lien personnel de pointage
days-check-in-title = Pointage
days-check-in-button = Je suis là
days-check-in-done = Votre présence est notée. Bonne journée !
days-check-in-no-day = Aucune journée de cette session n'a lieu aujourd'hui.
days-check-in-personal = Ce lien est personnel : il ne sert qu'à pointer votre propre présence.

days-regularity = Assiduité
days-regularity-explain = Part des journées tenues ({ $days }) où chacun·e était présent·e en personne. Remplacements notés : { $standins } (jamais comptés comme présence).
days-report = Rapport de présence
days-alerts = Alertes
days-alert-category-absent = { $day } : { $territory } n'avait aucun·e { $category } présent·e.
days-by-person = Par personne
days-by-territory = Par territoire
days-by-category = Par catégorie
days-by-day = Par journée
days-col-who = Qui
days-col-present = Présent·e
days-col-expected = Attendu·e
days-col-share = Part

days-calendar = Calendrier
days-calendar-explain = Une adresse secrète à ajouter à votre application d'agenda : les journées y apparaissent dès que leur date est fixée, et s'y mettent à jour si elles changent. Révoquez-la si elle a circulé.
days-feed-create = Créer une adresse de calendrier
days-feed-created = Adresse créée (elle ne sera plus affichée) :
days-feed-line = Adresse créée le { $created }
days-feed-revoke = Révoquer
days-feed-revoked-badge = Révoquée
days-feed-revoked = Cette adresse de calendrier a été révoquée.
days-feed-personal-name = Mes journées
days-my-calendar = Mon calendrier

error-day-date-invalid = Indiquez une date (17/09/2019) ou un mois (11/2019).
error-day-date-month = Une journée se situe au moins dans un mois : indiquez le mois (11/2019), pas seulement l'année.
error-time-invalid = Indiquez une heure comme 09:30 ou 9h30.
error-ends-before-start = La fin doit venir après le début.
error-text-control = Ce texte contient des caractères invisibles non permis.
error-number-between = Indiquez un nombre entre { $min } et { $max }.
error-day-has-attendance = Des présences sont déjà notées pour cette journée : sa date ne peut plus changer et elle ne peut pas être supprimée.
error-day-not-set = Cette journée n'a pas encore de date : les présences se notent le jour venu.
error-not-a-delegate = Cette personne n'est pas déléguée dans cette session.
error-present-has-stand-in = Quelqu'un est venu à la place de cette personne : elle ne peut pas être notée présente.
error-stand-in-present = Cette personne est notée présente : personne ne peut l'avoir remplacée.
error-room-taken = Cette salle est déjà prise par « { $title } » de { $from } à { $to }.
error-groups-format = Les groupes se composent pour les formats « par catégorie », « par territoire » et « mixtes ».
error-placed-twice = Une personne ne peut être que dans un seul groupe.
error-group-size = Choisissez une taille de groupe entre 1 et { $max }.
error-roster-duplicate-person = La personne { $person } apparaît deux fois.
error-roster-unknown-person = La personne { $person } n'est dans aucun groupe.
error-roster-unknown-group = Choisissez un groupe entre 1 et { $max }.
error-poll-date-invalid = « { $value } » n'est pas une date.
error-poll-date-month = « { $value } » n'est pas dans le mois où la journée est à fixer.
error-poll-too-few = Proposez au moins deux dates.
error-poll-day-set = Cette journée a déjà une date.
error-poll-exists = Cette journée a déjà un sondage.
error-poll-closed = Le sondage est clos : les réponses ne sont plus reçues.
error-no-day-today = Aucune journée n'a lieu aujourd'hui.
error-no-person = Votre compte n'est lié à aucune personne déléguée.

history-entity-day = Journée
history-entity-day-part = Séquence de journée
history-entity-attendance = Présences d'une journée
history-entity-delegate = Siège de délégation
history-entity-calendar-feed = Adresse de calendrier
history-action-open-poll = Sondage de date ouvert
history-action-answer-poll = Réponse au sondage de date
history-action-close-poll = Date fixée par sondage
history-action-groups = Groupes composés
history-action-register = Réponse de venue
history-action-record = Présence notée
history-action-self-check-in = Pointage personnel
history-action-stand-in = Remplacement noté
history-action-check-in-link = Lien personnel de pointage créé
history-action-revoke = Révocation

days-mail-reminder-subject = Rappel : { $session }, le { $date }
days-mail-reminder-body = Bonjour,

    Petit rappel : la journée de « { $session } » a lieu le { $date }, { $times }.
    Lieu : { $place }

    Ouvrez l'invitation jointe pour l'ajouter à votre agenda. Le programme de la journée : { $url }

    À très vite !
days-see-days = Les journées, leurs dates et leur programme

attendance-file = presences
attendance-col-programme = Programme
attendance-col-session = Session
attendance-col-date = Date
attendance-col-territory = Territoire
attendance-col-person = Personne
attendance-col-category = Catégorie
attendance-col-status = Présence
attendance-col-stand-in = Remplacé·e par

pdf-sign-in-title = Feuille d'émargement
pdf-sign-in-file = emargement
pdf-session = Session
pdf-date = Date
pdf-period = Période
pdf-organiser = Établi par
pdf-generated-on = Établi le
pdf-legend = Légende
pdf-signature = Signature
pdf-page = Page
pdf-day-label = J{ $number }
pdf-mark-present = P
pdf-mark-excused = E
pdf-mark-absent = A
pdf-mark-stand-in = R
pdf-stand-in-meaning = Remplacé·e (ne compte pas comme présence)
pdf-report-statement = Présences notées en personne sur { $days } journée(s) tenue(s) ; { $standins } remplacement(s), jamais comptés comme présence. Certifié exact.
pdf-certificate-title = Attestation de présence
pdf-certificate-file = attestation
pdf-certificate-statement = Nous attestons que { $name } a participé en personne à { $count } journée(s) de la session.
pdf-issued = Fait le { $date }
pdf-signatory-role = Pour l'équipe d'organisation
pdf-days-attended = Journées suivies
days-certificate = Attestation
days-col-documents = Documents
days-reminders = Rappels
days-reminder-days = Nombre de jours avant chaque journée où part le rappel (0 : le jour même)
