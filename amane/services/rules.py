"""Every number that is a product decision, in one place (documented in the README)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Delays:
    """Growing delays after wrong sign-in tries (services/throttle.py), per key: `free` wrong
    tries, then each one makes the next try wait first_delay, doubled each time up to max_delay;
    the count starts again after `forget_after` without a wrong try."""

    free: int
    first_delay: timedelta
    max_delay: timedelta
    forget_after: timedelta


# Staff sign-in
PASSWORD_MIN_LENGTH = 10
MAX_PASSWORD_BYTES = 72  # bcrypt reads no more (UTF-8: accented and Arabic letters take 2 bytes)
STAFF_IDLE_TIMEOUT = timedelta(minutes=30)  # a staff session unused this long ends (shared computers)
STAFF_SESSION_LIMIT = timedelta(hours=10)  # and any staff session ends after one school day

# Pupil sign-in
PICTURE_PASSWORD_LENGTH = 4  # taps, from PICTURE_SET_SIZE pictures, repeats allowed: 16^4 = 65,536
PICTURE_SET_SIZE = 16
PUPIL_MAX_FAILED_LOGINS = 5  # then that pupil waits PUPIL_LOCKOUT (or the teacher unlocks)
PUPIL_LOCKOUT = timedelta(minutes=10)
PUPIL_IDLE_TIMEOUT = timedelta(minutes=20)  # shared class computers

# Growing delays after wrong tries. Staff: per username typed, known or not (the same reply).
STAFF_DELAYS = Delays(5, timedelta(minutes=1), timedelta(minutes=15), timedelta(hours=1))
# Wrong pictures in one class, whoever taps: this bounds guessing in a class (tests/unit/test_throttle.py).
CLASS_PICTURE_DELAYS = Delays(10, timedelta(seconds=5), timedelta(minutes=5), timedelta(hours=1))
# Wrong pictures and wrong class codes from one client (browser address).
CLIENT_DELAYS = Delays(10, timedelta(seconds=2), timedelta(minutes=1), timedelta(minutes=15))
CLASS_ALERT_WINDOW = timedelta(days=1)  # the teacher sees "many wrong picture tries" this long

# Input limits, in characters unless said otherwise: the views' max_chars and the services' checks
MAX_PUPILS_PER_PASTE = 60
MAX_PUPILS_PER_CLASS = 60
MAX_PUPIL_NAME_LENGTH = 40
MAX_CLASS_NAME_LENGTH = 60
MAX_PASTE_CHARS = 5000  # the pasted list as a whole, refused before it is read: 60 names of 40 and slack
CLASS_CODE_LENGTH = 8
CLASS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I/L)
MAX_CLASS_CODE_INPUT = CLASS_CODE_LENGTH + 4  # the code with the spaces or dashes a child may type
MIN_USERNAME_LENGTH = 3
MAX_USERNAME_LENGTH = 40
MAX_STAFF_NAME_LENGTH = 80
MAX_SCHOOL_NAME_LENGTH = 120

# Data retention: archived classes are purged after the school's setting, within these bounds
MIN_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 3650
DEFAULT_RETENTION_DAYS = 365  # offered when an admin turns automatic deletion on

# Teacher dashboard
ACTIVITY_DAYS = 14  # the activity chart's window
HELP_INBOX_PAGE = 20  # help requests shown at first, and added by "Show more"
AUDIT_PAGE = 50  # audit log rows shown at first, and added by "Show more"
AUDIT_READ_WINDOW = timedelta(minutes=10)  # a read of the same pupil or requests by the same person: one row

# "Needs help" (teacher dashboard)
NEEDS_HELP_WRONG_ON_SAME_QUESTION = 3  # wrong answers on one question, across attempts
NEEDS_HELP_LOW_SCORE = 0.5  # best score under this ...
NEEDS_HELP_LOW_SCORE_AFTER_ATTEMPTS = 2  # ... after this many finished attempts

# Staff sign-in, continued
CLASS_COMPUTER_LIFETIME = timedelta(days=365)  # a computer set to a class: a school year, or until cleared
PASSWORD_MIN_DISTINCT_CHARACTERS = 3  # fewer ("aaaaaaaaaa", "abababababab") is refused as too common

# Staff training course (issue 16): the confidence each staff member gives a module's skill
CONFIDENCE_MIN = 1  # "not sure at all"
CONFIDENCE_MAX = 5  # "completely sure"

# Class climate pulse (services/pulse.py): results only from this many answers, and a question is
# held back when one of its answers was chosen by fewer pupils than this (but more than none)
PULSE_MIN_ANSWERS = 5

# The school's awareness kit (services/awareness.py): a school assembly of 30-40 minutes, in minutes
# per part (scenarios: per scenario, ASSEMBLY_SCENARIOS at most); invitation fields, never stored
ASSEMBLY_MINUTES = {"opening": 3, "story": 7, "scenarios": 7, "discussion": 8, "keywords": 4, "closing": 4}
ASSEMBLY_SCENARIOS = 2
MAX_INVITATION_FIELD_LENGTH = 120  # the school's name, the place
