"""Every st.session_state key that more than one module reads or writes, named once. A key used by
one page alone (a quiz's feedback, the picture step's taps) is a constant in that page."""

from __future__ import annotations

# Who is signed in (set by the sign-in pages, read everywhere)
PUPIL = "amane_pupil"
STAFF = "amane_staff"
LAST_ACTIVITY = "amane_last_activity"  # a pupil's last click, for the idle sign-out
SIGNED_OUT_IDLE = "amane_signed_out_idle"  # the home page then says why the pupil was signed out

# Screen settings: they outlive a pupil's session on a shared computer
LANGUAGE = "amane_lang"
LANGUAGE_CHOSEN = "amane_lang_chosen"  # chosen in this session (saved to a teacher's profile)
LANGUAGE_LOADED_FOR = "amane_lang_loaded_for"  # the staff id whose saved language was applied
LANGUAGE_MENU = "language_select"  # the language menu's widget key
LARGE_TEXT = "amane_large_text"
SIGN_OUT_BUTTON = "sign_out"
RUN = "_amane_run"  # objects that live for one script run (the pages of this run, ...)
CLASS_COMPUTER = "amane_class_computer"  # the class code this computer opens at, or None (see auth)
SCREEN = frozenset(
    {LANGUAGE, LANGUAGE_CHOSEN, LARGE_TEXT, LANGUAGE_MENU, SIGN_OUT_BUTTON, RUN, CLASS_COMPUTER}
)

# Moving between pages
GOTO = "amane_goto"  # a page asks app.py to open another page on the next run
CLASS = "amane_class"  # the class a teacher is working on, across the teacher's pages
LAST_CLASS = "amane_last_class"  # the class saved as where this staff member's next sign-in lands
PUPIL_DETAIL = "amane_pupil_detail"  # the pupil whose page the dashboard opens
LESSON = "amane_lesson"  # the lesson (and lesson or quiz) a pupil has open
LESSON_DONE = "amane_lesson_done"  # the lesson just finished: the quiz congratulates once
