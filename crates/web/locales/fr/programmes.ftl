programmes-title = Programmes
programmes-none = Aucun programme pour l'instant.
cohort-role-pioneer = Pionnier
cohort-role-peer = Pair d'une session précédente
cohort-role-participant = Participant
