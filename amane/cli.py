"""The `amane` command: run the app and the operator tasks (`amane --help`, `amane <command> --help`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from amane.settings import PACKAGE, ROOT


def cmd_check_content(args: argparse.Namespace) -> int:
    from amane.models.content_checks import completeness_problems
    from amane.models.content_loader import ContentInvalid, load_catalogue

    root = Path(args.dir) if args.dir else ROOT
    try:
        catalogue = load_catalogue(root)
    except ContentInvalid as invalid:
        for error in invalid.errors:
            print(error, file=sys.stderr)
        print(f"{len(invalid.errors)} error(s) in {root}", file=sys.stderr)
        return 1
    problems = [] if args.schema_only else completeness_problems(catalogue)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} curriculum problem(s) in {root}", file=sys.stderr)
        return 1
    print(
        f"content OK: {len(catalogue.lessons)} lessons, {len(catalogue.quizzes)} quizzes, "
        f"{len(catalogue.guides)} guides, "
        f"{len(catalogue.help.resources) if catalogue.help else 0} help resources, "
        f"{len(catalogue.training)} staff training modules ({root})"
    )
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from amane.models.content_checks import coverage_table
    from amane.models.content_loader import ContentInvalid, load_catalogue

    try:
        print(coverage_table(load_catalogue(Path(args.dir) if args.dir else ROOT)))
    except ContentInvalid as invalid:
        print(invalid, file=sys.stderr)
        return 1
    return 0


def cmd_content_report(args: argparse.Namespace) -> int:
    from amane.models.content_loader import ContentInvalid, load_catalogue
    from amane.models.item_rules import content_report

    try:
        print(content_report(load_catalogue(Path(args.dir) if args.dir else ROOT)))
    except ContentInvalid as invalid:
        print(invalid, file=sys.stderr)
        return 1
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from amane.models.db import upgrade
    from amane.settings import get_settings

    upgrade(get_settings().database_url)
    print("database is up to date")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Migrate, then hand the process to Streamlit. It runs from the checkout so that
    .streamlit/config.toml (theme, fonts, no usage statistics, no tracebacks) applies."""
    if cmd_migrate(args):
        return 1
    os.chdir(ROOT)
    command = [
        sys.executable, "-m", "streamlit", "run", str(PACKAGE / "app.py"),
        "--server.address", args.address, "--server.port", str(args.port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    os.execv(sys.executable, command)


def cmd_classroom(args: argparse.Namespace) -> int:
    """`amane run` on this machine's address on the school network, with AMANE_PUBLIC_URL set to
    it (amane/classroom.py); prints the address pupils type and its QR code first."""
    from amane.classroom import NoSchoolNetwork, banner, prepare

    try:
        args.address, url = prepare(args.address, args.port)
    except NoSchoolNetwork as problem:
        print(problem, file=sys.stderr)
        return 1
    print(banner(url), flush=True)  # before Streamlit replaces this process
    return cmd_run(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from amane.models.content_loader import load_catalogue
    from amane.models.db import get_engine, session_scope, upgrade
    from amane.services import accounts, demo
    from amane.settings import get_settings

    settings = get_settings()
    upgrade(settings.database_url)
    with session_scope(get_engine(settings.database_url)) as session:
        if not accounts.needs_setup(session):
            print("This database already has a school; the demo needs an empty one.", file=sys.stderr)
            return 1
        school = demo.seed_demo(session, load_catalogue(settings.content_dir))
    print(f"""Demo school ready ({settings.database_url}).
  Teacher:  username '{demo.TEACHER[0]}', password '{demo.TEACHER[2]}'
  Admin:    username '{demo.ADMIN[0]}', password '{demo.ADMIN[2]}'
  Pupils:   class code {school.class_code}, tap a name, then the pictures
            {" -> ".join(demo.DEMO_PICTURES)}""")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from amane.models.db import get_engine, session_scope
    from amane.services.privacy import purge_expired
    from amane.settings import get_settings

    with session_scope(get_engine(get_settings().database_url)) as session:
        purged = purge_expired(session)
    print(f"purged {purged} archived class(es) past their school's retention period")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from amane.models.backup import BackupError, backup
    from amane.settings import get_settings

    settings = get_settings()
    try:
        path = backup(settings.database_url, Path(args.to) if args.to else settings.data_dir / "backups")
    except BackupError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"backup written: {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from amane.models.backup import BackupError, restore
    from amane.settings import get_settings

    settings = get_settings()
    try:
        safety = restore(settings.database_url, Path(args.file), settings.data_dir / "backups")
    except BackupError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"restored {args.file}; the database as it was before is kept in {safety}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="amane", description="Amane: the app and its operator commands")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="upgrade the database, then serve the app")
    run.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    run.add_argument("--port", type=int, default=8501)
    run.set_defaults(func=cmd_run)
    classroom = sub.add_parser("classroom", help="serve the class's tablets over the school network")
    classroom.add_argument("--address", help="this computer's address on the school network (default: found)")
    classroom.add_argument("--port", type=int, default=8501)
    classroom.set_defaults(func=cmd_classroom)
    check = sub.add_parser("check-content", help="validate lessons, quizzes and guides")
    check.add_argument("--dir", help="content folder with lessons/, quizzes/, guidance/, assets/")
    check.add_argument("--schema-only", action="store_true", help="skip the curriculum completeness rules")
    check.set_defaults(func=cmd_check_content)
    coverage = sub.add_parser("coverage", help="print the topics x bands coverage table")
    coverage.add_argument("--dir")
    coverage.set_defaults(func=cmd_coverage)
    report = sub.add_parser("content-report", help="print the quiz item-writing measures per age band")
    report.add_argument("--dir", help="content folder with lessons/, quizzes/, guidance/, assets/")
    report.set_defaults(func=cmd_content_report)
    sub.add_parser("migrate", help="upgrade the database to the latest schema").set_defaults(func=cmd_migrate)
    sub.add_parser(
        "purge", help="delete archived classes past the retention period (run daily)"
    ).set_defaults(func=cmd_purge)
    sub.add_parser("demo", help="seed a demo school into an empty database").set_defaults(func=cmd_demo)
    backup = sub.add_parser("backup", help="write a full backup (default folder: data/backups)")
    backup.add_argument("--to", help="folder for the backup file")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="replace the database with a backup (stop the app first)")
    restore.add_argument("file", help="a file written by backup (.db for SQLite, .dump for PostgreSQL)")
    restore.set_defaults(func=cmd_restore)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
