# Every target installs what is missing first, so each works from a fresh clone.
SWIFT ?= swift
APT_PACKAGES := libsqlite3-dev libsodium-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SOAK_SECONDS ?= 1200

.PHONY: deps build demo test soak bench clean

deps:
	@missing=""; for package in $(APT_PACKAGES); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

demo: build
	@./Deploy/demo.sh "$$($(SWIFT) build --show-bin-path)/relais"

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest

# Many more simulation and convergence seeds, and daemon kills, for a bounded time (RELIABILITY.md).
soak: deps
	$(SWIFT) build --build-tests
	RELAIS_SEEDS=100000 RELAIS_KILLS=200 timeout --preserve-status $(SOAK_SECONDS) \
		$(SWIFT) test --skip-build --disable-xctest --filter 'SimulationTests|ConvergenceTests|CrashTests' || [ $$? -eq 143 ]

# Release build; prints the table and writes BENCHMARKS.md (RELAIS_BENCH_PERSONS, default 100000).
bench: deps
	$(SWIFT) build -c release
	@RELAIS_BENCH_MACHINE="$$(nproc) cores, $$(free -g | awk '/Mem/ {print $$2}') GiB, $$(uname -m), $$(lscpu | sed -n 's/^Model name: *//p')" \
		"$$($(SWIFT) build -c release --show-bin-path)/relais-bench"

clean:
	rm -rf .build
