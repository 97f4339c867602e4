programmes-title = Programmes
programmes-none = No programme yet.
cohort-role-pioneer = Pioneer
cohort-role-peer = Peer from an earlier session
cohort-role-participant = Participant
