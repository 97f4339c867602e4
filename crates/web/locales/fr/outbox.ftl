nav-outbox = Courriels
outbox-title = Courriels envoyés et en attente
outbox-lead = Chaque courriel que Fabrique envoie est d'abord écrit ici. Sans serveur de messagerie configuré, les messages restent en attente dans cette liste.
outbox-none = Aucun courriel pour l'instant.
outbox-count = { $count ->
    [one] Un courriel au total.
   *[other] { $count } courriels au total.
}
outbox-created = Écrit le
outbox-to = Destinataire
outbox-subject = Objet
outbox-purpose = Motif
outbox-status = État
outbox-attempts = Tentatives
outbox-last-error = Dernière erreur
outbox-sent-at = Envoyé le
outbox-next-attempt = Prochaine tentative
outbox-attachment = Pièce jointe
outbox-body = Texte du message
outbox-back = Retour aux courriels
mail-status-pending = En attente
mail-status-sent = Envoyé
mail-status-failed = Abandonné
mail-purpose-inquiry-answer = Réponse à une question
mail-purpose-application-decision = Décision sur une candidature
mail-purpose-invitation = Invitation
mail-purpose-day-reminder = Rappel de journée
mail-purpose-day-date-set = Date de journée fixée
