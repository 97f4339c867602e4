## Recrutement d'une session : appel, demandes d'information, candidatures, invitations

recruitment-call-title = Appel à candidatures
recruitment-call-unpublished = Cet appel n'est pas encore publié : seuls les organisateurs le voient.
recruitment-call-for-whom = Pour qui ?
recruitment-call-seats = { $count ->
    [one] La session accueille un territoire.
   *[other] La session accueille { $count } territoires aux profils complémentaires.
}
recruitment-call-triptych = Chaque territoire vient avec un triptyque d'acteurs :
recruitment-call-category = { $category } : { $count } personnes
recruitment-call-commitments = Vos engagements
recruitment-call-presence = Présence
recruitment-call-presence-text = Une présence régulière à toutes les journées ; on ne peut pas « déléguer » sa participation.
recruitment-call-closed = Les candidatures sont closes pour cette session.
recruitment-call-settings = Réglages de l'appel (organisateurs)
recruitment-deadline = Date limite de candidature
recruitment-deadline-value = Jusqu'au { $date } inclus
recruitment-deadline-none = Pas de date limite annoncée
recruitment-apply-title = Candidater
recruitment-apply = Déposer une candidature
recruitment-applications-link = Candidatures et sélection
recruitment-inquiries-link = Demandes d'information
recruitment-field-published = Appel publié (visible par tous)
recruitment-field-call-text = Ce que la session propose

recruitment-inquiry-title = Intéressés ? Contactez-nous
recruitment-inquiry-sent = Merci, votre message a bien été transmis à l'équipe d'animation. Elle vous répondra par courriel.
recruitment-inquiry-send = Envoyer ma demande
recruitment-field-full-name = Nom et prénom
recruitment-field-organisation = Organisation
recruitment-field-email = Adresse électronique
recruitment-field-message = Votre message
recruitment-field-trap = Ne pas remplir ce champ
recruitment-field-password = Mot de passe (10 caractères au moins)
recruitment-field-position = Fonction
recruitment-inquiries-title = Demandes d'information
recruitment-inquiries-none = Aucune demande pour l'instant.
recruitment-inquiry-answered = Répondu
recruitment-inquiry-answer-label = Réponse à { $name }
recruitment-inquiry-answer = Envoyer la réponse
recruitment-back-call = Revenir à l'appel à candidatures

recruitment-start-title = Nouvelle candidature
recruitment-start-intro = Créez votre brouillon : vous deviendrez le ou la référente du territoire pour cette candidature, que vous pourrez compléter puis déposer avant la date limite.
recruitment-start-as = Vous candidatez en tant que { $name }.
recruitment-start-you = Vous
recruitment-start-territory = Votre territoire
recruitment-mode-official = Une commune ou une intercommunalité (liste officielle)
recruitment-mode-free = Un territoire porté par un collectif (saisie libre)
recruitment-field-free-name = Nom du territoire ou du collectif
recruitment-field-free-kind = Nature
recruitment-field-region = Région
recruitment-start-create = Créer mon brouillon de candidature

recruitment-application-title = Candidature de { $territory } — { $session }
recruitment-status = Statut
recruitment-submitted-at = déposée le
recruitment-profile = Profil du territoire
recruitment-profile-none = Profil non renseigné
recruitment-profile-frozen = La candidature est déposée : son profil ne change plus. La délégation peut encore être complétée.
recruitment-themes = Thèmes de transition
recruitment-field-trajectory = Trajectoire
recruitment-field-milestones = Jalons datés
recruitment-milestones-hint = Un jalon par ligne : une date (2009, 2014-03 ou 2019-06-19) puis son intitulé.
recruitment-field-motivation = Motivation
recruitment-delegation = Délégation proposée
recruitment-delegation-hint = Deux personnes par catégorie sont attendues. Une adresse électronique permettra de les inviter si le territoire est retenu.
recruitment-delegate-cell = { $category }, personne { $n } : { $field }
recruitment-save-draft = Enregistrer le brouillon
recruitment-save-delegation = Enregistrer la délégation
recruitment-submit = Déposer la candidature
recruitment-moves = Décisions
recruitment-field-comment = Commentaire (envoyé au référent)
recruitment-move-shortlisted = Présélectionner
recruitment-move-accepted = Retenir
recruitment-move-declined = Ne pas retenir
recruitment-move-withdrawn = Retirer la candidature
recruitment-events = Suivi de la candidature
recruitment-back-applications = Revenir aux candidatures
recruitment-mine-title = Mes candidatures
recruitment-mine-none = Vous n'avez pas de candidature.

recruitment-invitation-title = Invitation à rejoindre une délégation
recruitment-invitation-text = { $name }, vous êtes invité·e à représenter { $territory } dans la session « { $session } ».
recruitment-invitation-account = Créez votre compte ; vous vous connecterez avec l'adresse { $email }.
recruitment-invitation-attach = Vous êtes connecté·e : l'invitation sera rattachée à votre compte.
recruitment-invitation-accept = Accepter l'invitation

application-status-draft = Brouillon
application-status-submitted = Déposée
application-status-shortlisted = Présélectionnée
application-status-accepted = Retenue
application-status-declined = Non retenue
application-status-withdrawn = Retirée

error-status-move = Ce changement n'est pas possible : une candidature « { $from } » ne peut pas passer à « { $to } ».
error-status-not-yours = Ce changement appartient à l'autre partie (référent ou organisateurs).
error-status-changed = La candidature a changé entre-temps ; rechargez la page.
error-call-closed = La date limite de candidature est passée ou l'appel n'est pas publié.
error-application-exists = Ce territoire a déjà une candidature pour cette session.
error-application-closed = Cette candidature est close ; elle ne peut plus être modifiée.
error-profile-frozen = La candidature est déposée : ce champ ne peut plus être modifié.
error-theme-required = Choisissez au moins un thème.
error-milestone-line = Ligne { $line } : écrivez une date (2009, 2014-03 ou 2019-06-19) puis un intitulé.
error-delegate-email-twice = Une même adresse électronique figure deux fois dans la délégation.
error-over-quota = Cette catégorie est complète ({ $quota } personnes au plus).
error-too-many-inquiries = Trop de demandes envoyées depuis votre adresse ; réessayez dans une heure.
error-password-short = Le mot de passe doit compter au moins { $min } caractères.
error-place-required = Cherchez puis choisissez votre commune ou intercommunalité dans la liste.
error-place-unknown = Ce territoire ne figure pas dans la liste officielle.
error-invitation-used = Ce lien d'invitation a déjà été utilisé.
error-invitation-expired = Ce lien d'invitation a expiré ; demandez-en un nouveau au référent du territoire.
error-invitation-unknown = Ce lien d'invitation n'existe pas.

mail-inquiry-answer-subject = Votre demande sur « { $session } »
mail-inquiry-answer-body = Bonjour { $name },

    Vous nous avez écrit :
    { $question }

    Notre réponse :
    { $answer }

    { $sender }, pour l'équipe d'animation
mail-decision-subject = Votre candidature à « { $session } » : { $status_fr }
mail-decision-body = Bonjour { $name },

    La candidature de { $territory } à « { $session } » est maintenant : { $status_fr }.
    { $comment }

    Suivre la candidature : { $link }
mail-invitation-subject = Invitation : délégation de { $territory }
mail-invitation-body = Bonjour { $name },

    Vous êtes invité·e à faire partie de la délégation de { $territory } pour « { $session } ».
    Ce lien personnel fonctionne une seule fois, jusqu'au { $expires } :
    { $link }

history-entity-application = Candidature
history-entity-inquiry = Demande d'information
history-entity-invitation = Invitation
history-action-update-call = Appel modifié
history-action-answer = Réponse envoyée
history-action-move = Changement de statut
history-action-accept = Invitation acceptée

recruitment-invite-title = Inviter une personne par courriel
recruitment-invite-hint = La personne reçoit un lien personnel, valable 14 jours et une seule fois, pour créer son compte ou y rattacher l'invitation.
recruitment-invite-send = Ajouter et inviter
recruitment-invite-again = Inviter { $name } par courriel
recruitment-invitation-state-accepted = invitation acceptée
recruitment-invitation-state-pending = invitation en attente
recruitment-invitation-state-no-email = sans adresse électronique
error-invitation-no-email = Cette personne n'a pas d'adresse électronique : impossible de l'inviter.
recruitment-accepted-notice = Le territoire est retenu pour la session.
recruitment-delegation-link = Compléter et inviter la délégation
