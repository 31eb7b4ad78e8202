# cellar: the two commands a newcomer needs (`make demo`, `make test`) and their helpers.
# Every target installs the Debian packages it needs first (as root, or through sudo).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# C libraries cellar links (the -dev packages), and the independent tools the tests read archives
# and talk HTTP with.
BUILD_PACKAGES := pkg-config libarchive-dev libcurl4-openssl-dev libssl-dev zlib1g-dev libsqlite3-dev
TEST_PACKAGES := libarchive-tools tar gzip zstd xz-utils unzip openssl python3 python3-pip coreutils
# Python modules the tests use as independent references (botocore's signer, the aws CLI and
# boto3 as real S3 clients, moto's S3 server).
PYTHON_CHECK := import botocore, boto3, awscli, moto.server, flask_cors
PYTHON_PACKAGES := botocore boto3 awscli moto[server]

.PHONY: all deps build lint test demo clean

all: build

deps:
	@missing=""; \
	for p in $(BUILD_PACKAGES) $(TEST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@python3 -c "$(PYTHON_CHECK)" 2>/dev/null || python3 -m pip install --quiet $(PYTHON_PACKAGES) || \
	  python3 -m pip install --quiet --break-system-packages $(PYTHON_PACKAGES)

build: deps
	$(SWIFT) build

# Formatting and the rules in .swift-format (documentation on public API among them).
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Benchmarks Package.swift

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test

demo: build
	@echo "cellar $$(./.build/debug/cellar --version) is built, with its archive, HTTP, signing and Cells client layers,"
	@echo "and the sandbox server is ready: swift run cells-sandbox --seed demo"
	@echo "The demo itself (backup, list, restore and verify of the demo data on that server) is not"
	@echo "available yet: the backup, restore, ls and verify commands are still to come."

clean:
	rm -rf .build
