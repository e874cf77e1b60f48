#!/usr/bin/env bash
# `make audit`: every locked package (requirements-dev.lock holds the runtime ones too, and
# requirements-tools.lock) checked by pip-audit against known vulnerabilities, first with PyPI's
# data, then with OSV's for what PyPI could not answer.
#
# pip-audit alone prints "No known vulnerabilities found" even when it could look up no package
# at all, so this reads its JSON report and says what was really checked. Exit status:
#   0  every package was checked and none has a known vulnerability
#   1  a locked package has a known vulnerability (listed; upgrade it in requirements*.txt, `make lock`)
#   2  some or all packages could not be checked (no vulnerability data reached): no full audit
# Not part of `make test`: the tests must not depend on a network service that may be down.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=.venv/tools/bin
LOCKS=(requirements-dev.lock requirements-tools.lock)
report=$(mktemp -d /tmp/amane-audit.XXXXXX)
trap 'rm -rf "$report"' EXIT

for service in pypi osv; do
  args=()
  for lock in "${LOCKS[@]}"; do args+=(-r "$lock"); done
  # --disable-pip: read the pins and hashes from the locks instead of installing them somewhere.
  if ! "$TOOLS/pip-audit" "${args[@]}" --require-hashes --disable-pip --progress-spinner off \
      --vulnerability-service "$service" --format json --output "$report/$service.json" \
      >"$report/$service.log" 2>&1 && [ ! -s "$report/$service.json" ]; then
    # No report at all (e.g. the service's address does not resolve): keep its last line.
    tail -n 1 "$report/$service.log" >"$report/$service.error"
  fi
  # OSV only for what PyPI could not answer.
  if [ -s "$report/$service.json" ] && ! grep -q skip_reason "$report/$service.json"; then break; fi
done

"$TOOLS/python" - "$report" "${LOCKS[@]}" <<'PY'
import json
import re
import sys
from pathlib import Path

folder, locks = Path(sys.argv[1]), sys.argv[2:]
checked: dict[str, str] = {}  # package (version) -> the service that answered for it
vulnerable: list[str] = []
packages: set[str] = set()
for service, label in (("pypi", "PyPI"), ("osv", "OSV")):
    report = folder / f"{service}.json"
    if not report.is_file() or not report.stat().st_size:
        error = folder / f"{service}.error"
        reason = error.read_text().strip() if error.is_file() else "no report"
        dns = re.search(r"Failed to resolve '[^']+'", reason)
        print(f"{label}: could not be reached ({dns[0] if dns else reason[:160]})")
        continue
    dependencies = json.loads(report.read_text())["dependencies"]
    answered, skipped = 0, []
    for dependency in dependencies:
        packages.add(dependency["name"])
        if "skip_reason" in dependency:
            skipped.append(dependency["skip_reason"])
            continue
        answered += 1
        name = f"{dependency['name']} {dependency['version']}"
        checked.setdefault(name, label)
        for vulnerability in dependency.get("vulns", []):
            fixes = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version yet"
            vulnerable.append(f"{name}: {vulnerability['id']} (fixed in {fixes})")
    why = f' (e.g. "{skipped[0]}")' if skipped else ""
    print(f"{label}: answered for {answered} of {len(dependencies)} locked packages{why}")

unchecked = sorted(packages - {name.split()[0] for name in checked})
if vulnerable:
    print("\nKnown vulnerabilities in locked packages:")
    print("\n".join(f"  {line}" for line in sorted(set(vulnerable))))
    print("Raise their pins in requirements*.txt, then `make lock` and `make test`.")
    sys.exit(1)
if not checked:
    print(f"\npip-audit could not reach any vulnerability data ({', '.join(locks)}): no audit was done.")
    sys.exit(2)
if unchecked:
    print(f"\nNo known vulnerabilities in the {len(checked)} packages checked, but {len(unchecked)} "
          f"could not be checked: {', '.join(unchecked)}. The audit is incomplete.")
    sys.exit(2)
print(f"\nAll {len(checked)} locked packages checked: no known vulnerabilities.")
PY
