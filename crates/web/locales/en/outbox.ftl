nav-outbox = E-mails
outbox-title = E-mails sent and waiting
outbox-lead = Every e-mail Fabrique sends is first written here. Without a mail server configured, messages wait in this list.
outbox-none = No e-mail yet.
outbox-count = { $count ->
    [one] One e-mail in all.
   *[other] { $count } e-mails in all.
}
outbox-created = Written
outbox-to = Recipient
outbox-subject = Subject
outbox-purpose = Purpose
outbox-status = Status
outbox-attempts = Attempts
outbox-last-error = Last error
outbox-sent-at = Sent
outbox-next-attempt = Next attempt
outbox-attachment = Attachment
outbox-body = Message text
outbox-back = Back to e-mails
mail-status-pending = Waiting
mail-status-sent = Sent
mail-status-failed = Given up
mail-purpose-inquiry-answer = Answer to a question
mail-purpose-application-decision = Decision on an application
mail-purpose-invitation = Invitation
mail-purpose-day-reminder = Reminder of a day
mail-purpose-day-date-set = Date of a day set
