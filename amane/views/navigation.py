"""Every page of the app, who may use it, and what the menu shows. A module of its own because
Streamlit re-executes app.py on every run: defined there, all of this was rebuilt each time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from amane.i18n import N_
from amane.views import first_steps, privacy_notice
from amane.views.public import get_help, home, parents, setup, staff_sign_in
from amane.views.pupil import badges, help_request, lessons, what_teacher_sees
from amane.views.pupil import pulse as pupil_pulse
from amane.views.teacher import (
    account,
    admin,
    audit_log,
    awareness,
    class_computer,
    classes,
    classroom,
    dashboard,
    help_inbox,
    impact,
    letter,
    progress,
    pupil_detail,
    training,
)
from amane.views.teacher import pulse as class_pulse


@dataclass(frozen=True)
class PageSpec:
    url: str
    title: str  # English msgid, translated at render time
    icon: str
    render: Callable[[], None]
    roles: frozenset[str]
    in_menu: bool = True  # False: reached from another page (e.g. a pupil's page), not listed


ALL = frozenset({"setup", "anonymous", "pupil", "teacher", "admin"})
STAFF = frozenset({"teacher", "admin"})
PAGES: tuple[PageSpec, ...] = (
    PageSpec("setup", N_("Set up your school"), "🏫", setup.render, frozenset({"setup"})),
    PageSpec("start", N_("Pupils: sign in"), "🧒", home.render, frozenset({"anonymous"})),
    PageSpec("staff", N_("Staff sign-in"), "🔑", staff_sign_in.render, frozenset({"anonymous"})),
    PageSpec("lessons", N_("My lessons"), "📚", lessons.render, frozenset({"pupil"})),
    PageSpec("badges", N_("My badges"), "🏅", badges.render, frozenset({"pupil"})),
    PageSpec("talk", N_("Talk to my teacher"), "💬", help_request.render, frozenset({"pupil"})),
    PageSpec("privacy", N_("What my teacher sees"), "👀", what_teacher_sees.render, frozenset({"pupil"})),
    PageSpec(
        "pulse", N_("How is it going online?"), "💬", pupil_pulse.render, frozenset({"pupil"}), in_menu=False
    ),
    PageSpec("classes", N_("My classes"), "🏫", classes.render, STAFF),
    PageSpec("dashboard", N_("Class dashboard"), "📈", dashboard.render, STAFF),
    PageSpec("pupil", N_("Pupil"), "🧒", pupil_detail.render, STAFF, in_menu=False),
    PageSpec("progress", N_("Class progress"), "📊", progress.render, STAFF),
    PageSpec("impact", N_("Impact"), "🌱", impact.render, STAFF),
    PageSpec("present", N_("Classroom mode"), "📽️", classroom.render, STAFF),
    PageSpec("computer", N_("This computer"), "🖥️", class_computer.render, STAFF),
    PageSpec("letter", N_("Take-home letter"), "✉️", letter.render, STAFF),
    PageSpec("kit", N_("Awareness kit"), "📣", awareness.render, STAFF),
    PageSpec("requests", N_("Help requests"), "📥", help_inbox.render, STAFF),
    PageSpec("training", N_("Training"), "🎓", training.render, STAFF),
    PageSpec("class-pulse", N_("Class pulse"), "🌡️", class_pulse.render, STAFF),
    PageSpec("teachers", N_("Teachers"), "🧑‍🏫", admin.render, frozenset({"admin"})),
    PageSpec("audit", N_("Audit log"), "📜", audit_log.render, frozenset({"admin"})),
    PageSpec(
        "ready",
        N_("Your school is ready"),
        "🎉",
        first_steps.render,
        frozenset({"anonymous", "admin"}),
        in_menu=False,
    ),
    PageSpec("account", N_("My account"), "👤", account.render, STAFF),
    PageSpec("privacy-notice", N_("Privacy"), "🔒", privacy_notice.render_staff, STAFF),
    PageSpec("parents", N_("For parents"), "👪", parents.render, ALL - {"pupil", "setup"}),
    PageSpec("help", N_("Get help"), "🆘", get_help.render, ALL),
)
