# Every target installs what is missing first, so each works from a fresh clone.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libsqlite3-dev libsodium-dev pkg-config chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SOAK_SECONDS ?= 1200
FUZZ_SECONDS ?= 120
# Executions per target, -1 for no bound: `make fuzz FUZZ_RUNS=1000000 FUZZ_SECONDS=3600` stops at
# whichever comes first.
FUZZ_RUNS ?= -1
FUZZ_TARGETS := frame handshake message change schema bundle
FUZZ_BUILD := .build-fuzz
# Every build refuses an import of a target its own target does not declare: the module graph is
# the compiler's to keep, not a convention.
BUILD := $(SWIFT) build --explicit-target-dependency-import-check error

.PHONY: deps browser-deps fhir-deps build demo test browser-test fhir-test screenshots public-docs soak fuzz load bench clean

deps:
	@missing=""; for package in $(APT_PACKAGES); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The browser tests' Python packages, from PyPI, when they are not there yet.
browser-deps: deps
	@python3 -c 'import selenium, axe_selenium_python' 2>/dev/null || \
		python3 -m pip install --quiet --disable-pip-version-check -r Tests/Browser/requirements.txt

# The FHIR export's reference validator (the fhir.resources R4B models), from PyPI.
fhir-deps:
	@python3 -c 'import fhir.resources.R4B' 2>/dev/null || \
		python3 -m pip install --quiet --disable-pip-version-check -r Tests/FHIR/requirements.txt

# `relais export fhir` validated by the reference models, consent deciding who leaves.
fhir-test: fhir-deps
	$(BUILD)
	python3 Tests/FHIR/export_test.py "$$($(SWIFT) build --show-bin-path)/relais"

build: deps
	$(BUILD)

demo: build
	@./Deploy/demo.sh "$$($(SWIFT) build --show-bin-path)/relais"

# The load test runs on its own: beside the other suites its clients and its flood share two cores
# with the simulation, and the retries it counts would measure that, not the hub. So do the
# foreign peers: they run in the test process, whose tasks the simulation would starve.
test: deps public-docs
	$(BUILD) --build-tests
	$(SWIFT) test --skip-build --disable-xctest --skip 'HubLoadTests|ForeignPeerTests'
	$(SWIFT) test --skip-build --disable-xctest --filter ForeignPeerTests
	$(SWIFT) test --skip-build --disable-xctest --filter HubLoadTests
	$(MAKE) --no-print-directory browser-test
	$(MAKE) --no-print-directory fhir-test

# The app in Chromium through WebDriver, against real daemons on loopback (Tests/Browser).
browser-test: browser-deps
	$(BUILD)
	python3 Tests/Browser/app_test.py "$$($(SWIFT) build --show-bin-path)/relais"

# The screenshots the README shows, taken by the browser tests.
screenshots: browser-deps
	$(BUILD)
	RELAIS_SCREENSHOTS=docs/screenshots python3 Tests/Browser/app_test.py "$$($(SWIFT) build --show-bin-path)/relais"

# The surface a second implementation reads: every public declaration of RelaisCore and RelaisSync
# has a /// comment (the generated protobuf code aside).
public-docs:
	$(SWIFT) format lint --strict --configuration .ci/public-docs.swift-format \
		$$(find Sources/RelaisCore Sources/RelaisSync -name '*.swift' -not -path '*/Generated/*')

# Many more simulation and convergence seeds, daemon kills, and a flip of every byte of a replica,
# for a bounded time (RELIABILITY.md).
soak: deps
	$(BUILD) --build-tests
	RELAIS_SEEDS=100000 RELAIS_KILLS=200 RELAIS_FLIP_STRIDE=1 timeout --preserve-status $(SOAK_SECONDS) \
		$(SWIFT) test --skip-build --disable-xctest --filter 'SimulationTests|ConvergenceTests|CrashTests|ByteFlipTests' \
		|| [ $$? -eq 143 ]

# 100 field clients pushing and pulling 1 000 changes each through one hub, beside a connection
# flood and slow-loris connections; prints p50/p99 session times and the hub's peak memory.
load: deps
	$(BUILD) --build-tests
	$(BUILD) -c release --product relais
	RELAIS_EXECUTABLE="$$($(SWIFT) build -c release --show-bin-path)/relais" \
		RELAIS_LOAD_CLIENTS=100 RELAIS_LOAD_CHANGES=1000 RELAIS_LOAD_SLOW_LORIS=32 \
		$(SWIFT) test --skip-build --disable-xctest --filter HubLoadTests

# swiftc keeps only its last -sanitize= argument and SwiftPM passes its sanitizers in no fixed
# order, so a build had either AddressSanitizer or libFuzzer's coverage, never both; the combined
# flag, passed last, gives both (SwiftPM's own flags still link the runtimes and libFuzzer's main).
# Each target under libFuzzer and AddressSanitizer for FUZZ_SECONDS, from the committed seeds
# (RELIABILITY.md). New corpus entries stay in $(FUZZ_BUILD); a crash input is saved as
# $(FUZZ_BUILD)/crash-TARGET-* and fails the run: copy it to the target's Corpus folder as
# regression-NAME so `make test` replays it.
fuzz: deps
	$(BUILD) -c release --build-path $(FUZZ_BUILD) --product relais-fuzz --sanitize=address --sanitize=fuzzer \
		-Xswiftc -sanitize=address,fuzzer -Xswiftc -use-ld=lld -Xswiftc -DRELAIS_LIBFUZZER
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$target; \
		echo "fuzzing $$target for $(FUZZ_SECONDS) s"; \
		LSAN_OPTIONS=suppressions=Tests/RelaisFuzzTests/lsan-suppressions.txt:print_suppressions=0 \
		RELAIS_FUZZ_TARGET=$$target $(FUZZ_BUILD)/release/relais-fuzz -max_total_time=$(FUZZ_SECONDS) -runs=$(FUZZ_RUNS) -max_len=65536 \
			-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/crash-$$target- \
			$(FUZZ_BUILD)/corpus/$$target Tests/RelaisFuzzTests/Corpus/$$target 2>&1 \
			| grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|Fatal|artifact)' ; \
		[ $${PIPESTATUS[0]} -eq 0 ] || exit 1; \
	done

# Release build; prints the table and writes BENCHMARKS.md (RELAIS_BENCH_PERSONS, default 100000;
# RELAIS_BENCH_VISITS, default three per person; RELAIS_BENCH_HISTORY, changes held before row 4,
# default 1000000).
bench: deps
	$(BUILD) -c release
	@RELAIS_BENCH_MACHINE="$$(nproc) cores, $$(free -g | awk '/Mem/ {print $$2}') GiB, $$(uname -m), $$(lscpu | sed -n 's/^Model name: *//p')" \
		"$$($(SWIFT) build -c release --show-bin-path)/relais-bench"

clean:
	rm -rf .build
