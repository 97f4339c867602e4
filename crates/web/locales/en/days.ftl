# Workshop days: dates, polls, agenda, groups, registration, attendance, calendars.

days-title = Days
days-none = No day yet.
days-presence-rule = Presence is personal: a stand-in is recorded as such and never counts as the delegate's presence.
days-day-heading = Day { $number } — { $date }
days-to-be-set-in = to be set in { $month }
days-badge-to-be-set = Date to be set
days-times = from { $from } to { $to }
days-hours = Hours
days-hosted-by = Hosted by { $territory }
days-venue-undecided = Venue to be decided
days-add = Add a day
days-edit = Edit the day
days-delete = Delete the day
days-back-list = Back to the days of “{ $name }”
days-back-day = Back to “{ $name }”
days-field-held-on = Date
days-field-held-on-hint = A date (17/09/2019) or, while it is to be set, a month (11/2019).
days-field-title = Title (optional)
days-field-starts-at = Start (09:30 by default)
days-field-ends-at = End (17:00 by default)
days-field-venue = Venue
days-regularity-link = Regularity of the session
days-attendance-link = Check people in
days-sign-in-sheet = Sign-in sheet (PDF)

days-registration = Your coming
days-registration-yours = Your answer:
days-registration-none = no answer yet
days-register-confirm = I will come
days-register-excuse = I send my apologies
registration-confirmed = Coming
registration-excused = Excused

days-poll = Date poll
days-poll-explain = Offer a few dates of the month; each delegate answers yes, if needed or no.
days-poll-dates = Dates offered (one per line)
days-poll-open-button = Open the poll
days-poll-open = The poll is open.
days-poll-closed = The poll is closed.
days-poll-none = No poll for this day.
days-poll-results = Answers by date
days-poll-date = Date offered
days-poll-by-territory = By territory
days-poll-by-category = By category
days-poll-counts = { $name }: { $yes } yes, { $ifneeded } if needed, { $no } no
days-poll-answer = Save my answers
days-poll-close = Close the poll on the date
days-poll-close-button = Set this date and tell everyone
poll-answer-yes = Yes
poll-answer-if_needed = If needed
poll-answer-no = No
days-mail-date-set-subject = { $session }: the day's date is set
days-mail-date-set-body = Hello,

    The day of “{ $session }” will take place on { $date }.
    Venue: { $place }

    See you soon.

days-agenda = Agenda
days-agenda-empty = The agenda of this day is not set yet.
days-room = Room
days-facilitators = Facilitation
days-resource-people = Resource people
days-part-add = Add a part
days-part-starts-at = Start
days-part-ends-at = End
days-part-title = Title
days-part-format = Format
days-part-group-size = Group size (mixed groups)
days-part-delete-for = Delete the part “{ $title }”
part-format-plenary = Plenary
part-format-by_category = Peers, by category
part-format-by_territory = By territory
part-format-thematic = Thematic groups
part-format-mixed = Mixed groups
days-generate-groups = Form the groups
days-generate-groups-for = Form the groups of “{ $title }”
days-group-number = Group { $number }
days-move = Move
days-move-label = Move { $name } to the chosen group

days-attendance = Attendance
days-present-count = { $present } present out of { $total }
days-attendance-unrecorded = Not checked in
days-no-delegates = No delegate in this session.
attendance-present = Present
attendance-excused = Excused
attendance-absent = Absent
days-stand-in = Stand-in, personal link
days-stand-in-name = Name of the person who came in place of { $name }
days-stand-in-record = Record the stand-in
days-stand-in-for = stood in for by { $name }
days-self-checked = checked in by themselves
days-check-in-link = Personal check-in link
days-check-in-link-for = Create the personal check-in link of { $name }
days-check-in-link-explain = For this person only: the link (or QR code) lets them check themselves in on the day. A new link replaces the previous one.
days-qr-alt = QR code of the personal check-in link
days-check-in-title = Check-in
days-check-in-button = I am here
days-check-in-done = Your presence is recorded. Have a good day!
days-check-in-no-day = No day of this session takes place today.
days-check-in-personal = This link is personal: it only checks in yourself.

days-regularity = Regularity
days-regularity-explain = Share of the days held ({ $days }) each person attended in person. Stand-ins recorded: { $standins } (never counted as presence).
days-report = Attendance report
days-alerts = Alerts
days-alert-category-absent = { $day }: { $territory } had no { $category } present.
days-by-person = By person
days-by-territory = By territory
days-by-category = By category
days-by-day = By day
days-col-who = Who
days-col-present = Present
days-col-expected = Expected
days-col-share = Share

days-calendar = Calendar
days-calendar-explain = A secret address to add to your calendar application: days appear once their date is set, and update when they change. Revoke it if it has been passed around.
days-feed-create = Create a calendar address
days-feed-created = Address created (it will not be shown again):
days-feed-line = Address created on { $created }
days-feed-revoke = Revoke
days-feed-revoked-badge = Revoked
days-feed-revoked = This calendar address has been revoked.
days-feed-personal-name = My days
days-my-calendar = My calendar

error-day-date-invalid = Give a date (17/09/2019) or a month (11/2019).
error-day-date-month = A day is at least placed in a month: give the month (11/2019), not only the year.
error-time-invalid = Give a time such as 09:30 or 9h30.
error-ends-before-start = The end must come after the start.
error-text-control = This text contains invisible characters that are not allowed.
error-number-between = Give a number between { $min } and { $max }.
error-day-has-attendance = Attendance is already recorded for this day: its date can no longer change and it cannot be deleted.
error-day-not-set = This day has no date yet: attendance is recorded on the day.
error-not-a-delegate = This person is not a delegate of this session.
error-present-has-stand-in = Someone came in this person's place: they cannot be recorded present.
error-stand-in-present = This person is recorded present: no one can have stood in for them.
error-room-taken = This room is already taken by “{ $title }” from { $from } to { $to }.
error-groups-format = Groups are formed for the “by category”, “by territory” and “mixed” formats.
error-placed-twice = A person can be in one group only.
error-group-size = Choose a group size between 1 and { $max }.
error-roster-duplicate-person = Person { $person } appears twice.
error-roster-unknown-person = Person { $person } is in no group.
error-roster-unknown-group = Choose a group between 1 and { $max }.
error-poll-date-invalid = “{ $value }” is not a date.
error-poll-date-month = “{ $value }” is not in the month the day is to be set in.
error-poll-too-few = Offer at least two dates.
error-poll-day-set = This day already has a date.
error-poll-exists = This day already has a poll.
error-poll-closed = The poll is closed: answers are no longer taken.
error-no-day-today = No day takes place today.
error-no-person = Your account is linked to no delegate.

history-entity-day = Day
history-entity-day-part = Part of a day
history-entity-attendance = Attendance of a day
history-entity-delegate = Delegation seat
history-entity-calendar-feed = Calendar address
history-action-open-poll = Date poll opened
history-action-answer-poll = Date poll answered
history-action-close-poll = Date set from a poll
history-action-groups = Groups formed
history-action-register = Coming answered
history-action-record = Attendance recorded
history-action-self-check-in = Self check-in
history-action-stand-in = Stand-in recorded
history-action-check-in-link = Personal check-in link created
history-action-revoke = Revoked

days-mail-reminder-subject = Reminder: { $session }, { $date }
days-mail-reminder-body = Hello,

    A quick reminder: the day of “{ $session }” takes place on { $date }, { $times }.
    Venue: { $place }

    Open the attached invitation to add it to your calendar. The day's programme: { $url }

    See you soon!
days-see-days = The days, their dates and agenda

attendance-file = attendance
attendance-col-programme = Programme
attendance-col-session = Session
attendance-col-date = Date
attendance-col-territory = Territory
attendance-col-person = Person
attendance-col-category = Category
attendance-col-status = Attendance
attendance-col-stand-in = Stood in for by

pdf-sign-in-title = Sign-in sheet
pdf-sign-in-file = sign-in-sheet
pdf-session = Session
pdf-date = Date
pdf-period = Period
pdf-organiser = Prepared by
pdf-generated-on = Prepared on
pdf-legend = Legend
pdf-signature = Signature
pdf-page = Page
pdf-day-label = D{ $number }
pdf-mark-present = P
pdf-mark-excused = E
pdf-mark-absent = A
pdf-mark-stand-in = S
pdf-stand-in-meaning = Stood in for (not counted as presence)
pdf-report-statement = Attendance recorded in person over { $days } day(s) held; { $standins } stand-in(s), never counted as presence. Certified correct.
pdf-certificate-title = Certificate of attendance
pdf-certificate-file = certificate
pdf-certificate-statement = We certify that { $name } took part in person in { $count } day(s) of the session.
pdf-issued = Issued on { $date }
pdf-signatory-role = For the organising team
pdf-days-attended = Days attended
days-certificate = Certificate
days-col-documents = Documents
days-reminders = Reminders
days-reminder-days = Days before each day its reminder goes out (0: on the day)
