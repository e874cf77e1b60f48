#!/usr/bin/env bash
# Benchmarks (not part of make test): figures are printed as ratios to a bare Streamlit page
# measured in the same run, since the machine may be shared and noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python bench/dashboard.py
