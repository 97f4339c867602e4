## Recruitment of a session: call, inquiries, applications, invitations

recruitment-call-title = Call for applications
recruitment-call-unpublished = This call is not published yet: only organisers see it.
recruitment-call-for-whom = Who is it for?
recruitment-call-seats = { $count ->
    [one] The session welcomes one territory.
   *[other] The session welcomes { $count } territories with complementary profiles.
}
recruitment-call-triptych = Each territory comes with a triptych of actors:
recruitment-call-category = { $category }: { $count } people
recruitment-call-commitments = Your commitments
recruitment-call-presence = Attendance
recruitment-call-presence-text = Regular attendance at every day; participation cannot be delegated.
recruitment-call-closed = Applications are closed for this session.
recruitment-call-settings = Call settings (organisers)
recruitment-deadline = Application deadline
recruitment-deadline-value = Until { $date } inclusive
recruitment-deadline-none = No deadline announced
recruitment-apply-title = Apply
recruitment-apply = Submit an application
recruitment-applications-link = Applications and selection
recruitment-inquiries-link = Inquiries
recruitment-field-published = Call published (visible to everyone)
recruitment-field-call-text = What the session offers

recruitment-inquiry-title = Interested? Contact us
recruitment-inquiry-sent = Thank you, your message has reached the organising team. They will answer by e-mail.
recruitment-inquiry-send = Send my inquiry
recruitment-field-full-name = Full name
recruitment-field-organisation = Organisation
recruitment-field-email = E-mail address
recruitment-field-message = Your message
recruitment-field-trap = Leave this field empty
recruitment-field-password = Password (at least 10 characters)
recruitment-field-position = Position
recruitment-inquiries-title = Inquiries
recruitment-inquiries-none = No inquiry yet.
recruitment-inquiry-answered = Answered
recruitment-inquiry-answer-label = Answer to { $name }
recruitment-inquiry-answer = Send the answer
recruitment-back-call = Back to the call for applications

recruitment-start-title = New application
recruitment-start-intro = Create your draft: you will become the territory's referent for this application, which you can complete and then submit before the deadline.
recruitment-start-as = You apply as { $name }.
recruitment-start-you = You
recruitment-start-territory = Your territory
recruitment-mode-official = A commune or an intercommunality (official list)
recruitment-mode-free = A territory carried by a collective (free entry)
recruitment-field-free-name = Name of the territory or collective
recruitment-field-free-kind = Kind
recruitment-field-region = Region
recruitment-start-create = Create my draft application

recruitment-application-title = Application of { $territory } — { $session }
recruitment-status = Status
recruitment-submitted-at = submitted on
recruitment-profile = Territory profile
recruitment-profile-none = Profile not given
recruitment-profile-frozen = The application is submitted: its profile no longer changes. The delegation can still be completed.
recruitment-themes = Transition themes
recruitment-field-trajectory = Trajectory
recruitment-field-milestones = Dated milestones
recruitment-milestones-hint = One milestone per line: a date (2009, 2014-03 or 2019-06-19) then its title.
recruitment-field-motivation = Motivation
recruitment-delegation = Proposed delegation
recruitment-delegation-hint = Two people per category are expected. An e-mail address lets us invite them if the territory is accepted.
recruitment-delegate-cell = { $category }, person { $n }: { $field }
recruitment-save-draft = Save the draft
recruitment-save-delegation = Save the delegation
recruitment-submit = Submit the application
recruitment-moves = Decisions
recruitment-field-comment = Comment (sent to the referent)
recruitment-move-shortlisted = Shortlist
recruitment-move-accepted = Accept
recruitment-move-declined = Decline
recruitment-move-withdrawn = Withdraw the application
recruitment-events = Application trail
recruitment-back-applications = Back to the applications
recruitment-mine-title = My applications
recruitment-mine-none = You have no application.

recruitment-invitation-title = Invitation to join a delegation
recruitment-invitation-text = { $name }, you are invited to represent { $territory } in the session “{ $session }”.
recruitment-invitation-account = Create your account; you will sign in with the address { $email }.
recruitment-invitation-attach = You are signed in: the invitation will be attached to your account.
recruitment-invitation-accept = Accept the invitation

application-status-draft = Draft
application-status-submitted = Submitted
application-status-shortlisted = Shortlisted
application-status-accepted = Accepted
application-status-declined = Declined
application-status-withdrawn = Withdrawn

error-status-move = This change is not possible: a “{ $from }” application cannot become “{ $to }”.
error-status-not-yours = This change belongs to the other party (referent or organisers).
error-status-changed = The application changed in the meantime; reload the page.
error-call-closed = The application deadline has passed or the call is not published.
error-application-exists = This territory already has an application for this session.
error-application-closed = This application is closed; it can no longer be changed.
error-profile-frozen = The application is submitted: this field can no longer change.
error-theme-required = Choose at least one theme.
error-milestone-line = Line { $line }: write a date (2009, 2014-03 or 2019-06-19) then a title.
error-delegate-email-twice = The same e-mail address appears twice in the delegation.
error-over-quota = This category is full ({ $quota } people at most).
error-too-many-inquiries = Too many inquiries from your address; try again in an hour.
error-password-short = The password must have at least { $min } characters.
error-place-required = Search for, then choose your commune or intercommunality in the list.
error-place-unknown = This territory is not in the official list.
error-invitation-used = This invitation link has already been used.
error-invitation-expired = This invitation link has expired; ask the territory's referent for a new one.
error-invitation-unknown = This invitation link does not exist.

mail-inquiry-answer-subject = Your inquiry about “{ $session }”
mail-inquiry-answer-body = Hello { $name },

    You wrote to us:
    { $question }

    Our answer:
    { $answer }

    { $sender }, for the organising team
mail-decision-subject = Your application to “{ $session }”: { $status_en }
mail-decision-body = Hello { $name },

    The application of { $territory } to “{ $session }” is now: { $status_en }.
    { $comment }

    Follow the application: { $link }
mail-invitation-subject = Invitation: delegation of { $territory }
mail-invitation-body = Hello { $name },

    You are invited to join the delegation of { $territory } for “{ $session }”.
    This personal link works once, until { $expires }:
    { $link }

history-entity-application = Application
history-entity-inquiry = Inquiry
history-entity-invitation = Invitation
history-action-update-call = Call changed
history-action-answer = Answer sent
history-action-move = Status change
history-action-accept = Invitation accepted

recruitment-invite-title = Invite someone by e-mail
recruitment-invite-hint = They receive a personal link, valid for 14 days and once only, to create their account or attach the invitation to it.
recruitment-invite-send = Add and invite
recruitment-invite-again = Invite { $name } by e-mail
recruitment-invitation-state-accepted = invitation accepted
recruitment-invitation-state-pending = invitation pending
recruitment-invitation-state-no-email = no e-mail address
error-invitation-no-email = This person has no e-mail address: they cannot be invited.
recruitment-accepted-notice = The territory is accepted into the session.
recruitment-delegation-link = Complete and invite the delegation
