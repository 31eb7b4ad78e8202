# cellar: the two commands a newcomer needs (`make demo`, `make test`) and their helpers
# (`make man`, `make install PREFIX=...`).
# Every target installs the Debian packages it needs first (as root, or through sudo).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# C libraries cellar links (the -dev packages), and the independent tools the tests read archives
# and talk HTTP with.
BUILD_PACKAGES := pkg-config libarchive-dev libcurl4-openssl-dev libssl-dev zlib1g-dev libsqlite3-dev
TEST_PACKAGES := libarchive-tools tar gzip zstd xz-utils unzip openssl python3 python3-pip coreutils man-db strace procps age
# Python modules the tests use as independent references (botocore's signer, the aws CLI and
# boto3 as real S3 clients, moto's S3 server, the Kubernetes client's models to check deploy/, and
# prometheus_client's parser to read the metrics file back).
PYTHON_CHECK := import botocore, boto3, awscli, moto.server, flask_cors, kubernetes.client, yaml, prometheus_client
PYTHON_PACKAGES := botocore boto3 awscli moto[server] kubernetes prometheus_client

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all deps build lint test demo man install clean fuzz bench bench-seek bench-encrypt bench-shards

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

# At most TEST_WIDTH tests run at once. Unbounded, swift-testing starts all ~400 together: on two
# cores a trivial test then waited 110 s for its turn, and transfers with a 120 s idle limit timed
# out for want of a thread. Most tests wait on child processes, so 8 keeps both cores busy.
TEST_WIDTH ?= 8

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) build --product generate-manual
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_WIDTH) $(SWIFT) test
	$(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_SECONDS_IN_TEST)

# Fuzzing: libFuzzer with AddressSanitizer on the parsers of untrusted input (manifest nodes, S3
# XML answers, SigV4 Authorization headers, archives), FUZZ_SECONDS each, starting from the
# checked-in corpus (Tests/Fuzz/Corpus); new inputs go to .build-fuzz/corpus, a crash to
# .build-fuzz/NAME-crash-* (add it to the corpus once fixed: the test suite replays the corpus).
# `make test` runs each for FUZZ_SECONDS_IN_TEST, so a regression fails it.
FUZZ_TARGETS := FuzzManifestNode:manifest-node FuzzS3XML:s3-xml FuzzSigV4Authorization:sigv4-authorization \
  FuzzArchiveReader:archive-reader
FUZZ_SECONDS ?= 120
FUZZ_SECONDS_IN_TEST ?= 20
FUZZ_BUILD := $(SWIFT) build --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
  -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld
fuzz: deps
	@for target in $(FUZZ_TARGETS); do $(FUZZ_BUILD) --product $${target%%:*} || exit 1; done
	@bin=$$($(FUZZ_BUILD) --show-bin-path); \
	for target in $(FUZZ_TARGETS); do \
	  name=$${target%%:*}; corpus=$${target##*:}; mkdir -p .build-fuzz/corpus/$$corpus; \
	  echo "fuzzing $$name for $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 $$bin/$$name -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=1536 -max_len=65536 -print_final_stats=1 -artifact_prefix=.build-fuzz/$$name- \
	    .build-fuzz/corpus/$$corpus Tests/Fuzz/Corpus/$$corpus 2>.build-fuzz/$$name.log \
	  || { tail -n 40 .build-fuzz/$$name.log; echo "$$name: a finding, see .build-fuzz/$$name-*"; exit 1; }; \
	  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" .build-fuzz/$$name.log | tr '\n' ' '; echo; \
	done

# The man pages, from the ArgumentParser definitions (swift-argument-parser's generate-manual,
# the tool its plugin runs) completed with man/sections/*.mdoc. A test fails when man/ is stale.
man: deps
	$(SWIFT) build --product cellar --product cells-sandbox --product generate-manual
	python3 Scripts/man-pages man
	@for page in man/*.1; do MANWIDTH=80 man --warnings -l $$page > /dev/null; done
	@echo "man/ regenerated"

# The release binary, its man pages and bash/zsh/fish completions under $(DESTDIR)$(PREFIX).
install:
	$(SWIFT) build -c release --product cellar
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 $$($(SWIFT) build -c release --show-bin-path)/cellar $(DESTDIR)$(PREFIX)/bin/cellar
	install -m 0644 man/cellar.1 man/cellar.*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	$(DESTDIR)$(PREFIX)/bin/cellar --generate-completion-script bash \
	  > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/cellar
	$(DESTDIR)$(PREFIX)/bin/cellar --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_cellar
	$(DESTDIR)$(PREFIX)/bin/cellar --generate-completion-script fish \
	  > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/cellar.fish
	@echo "cellar installed in $(DESTDIR)$(PREFIX)/bin, man pages and completions in $(DESTDIR)$(PREFIX)/share" 

demo: build
	@echo "cellar $$(./.build/debug/cellar --version) is built; the demo runs it against the sandbox server (cells-sandbox --seed demo)."
	@# Back a demo folder up, list and verify the archive, delete the folder for good, restore it,
	@# and show files and tags back; then verify the archive against the server.
	@set -e; dir=$$(mktemp -d); \
	./.build/debug/cells-sandbox --seed demo --port 0 > $$dir/sandbox.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; rm -rf $$dir' EXIT; \
	until grep -q "token" $$dir/sandbox.log; do sleep 0.2; done; \
	export CELLS_URL=$$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' $$dir/sandbox.log); \
	export CELLS_TOKEN=$$(sed -n 's/.*admin (admin): password admin, token \([0-9a-f]*\).*/\1/p' $$dir/sandbox.log); \
	show() { curl -s -H "Authorization: Bearer $$CELLS_TOKEN" -H "Content-Type: application/json" \
	  -d "{\"NodePaths\":[\"common-files/Documents/Reports 2024/*\"]}" $$CELLS_URL/a/tree/stats | python3 -c \
	  'import json,sys; n=json.load(sys.stdin).get("Nodes",[]); [print("   ", x["Path"], x.get("MetaStore",{}).get("usermeta-tags","")) for x in n] or print("    (gone)")' \
	  2>/dev/null || echo "    (not found)"; }; \
	echo "== restore demo on $$CELLS_URL: common-files/Documents/Reports 2024 before:"; show; \
	./.build/debug/cellar backup common-files/Documents --output $$dir/documents.tar.gz --quiet; \
	curl -s -o /dev/null -H "Authorization: Bearer $$CELLS_TOKEN" -H "Content-Type: application/json" \
	  -d '{"Nodes":[{"Path":"common-files/Documents"}],"RemovePermanently":true}' $$CELLS_URL/a/tree/delete; \
	echo "== common-files/Documents deleted for good; now:"; show; \
	./.build/debug/cellar restore $$dir/documents.tar.gz --dry-run 2>&1 | sed -n '1,4p;$$p'; \
	./.build/debug/cellar restore $$dir/documents.tar.gz; \
	echo "== after cellar restore (files and tags back, on new Uuids):"; show; \
	echo "== cellar ls --long (from the sidecar), the first lines:"; \
	./.build/debug/cellar ls --long $$dir/documents.tar.gz | head -n 12; \
	echo "== cellar verify (every member against the manifest, the archive against the sidecar):"; \
	./.build/debug/cellar verify $$dir/documents.tar.gz; \
	echo "== cellar verify --remote (the restored nodes carry new Uuids, same sizes and hashes):"; \
	./.build/debug/cellar verify $$dir/documents.tar.gz --remote

# cellar against rclone, aws s3 cp and a plain curl download on the sandbox (issue 9); writes
# Benchmarks/results.md. BENCH_ARGS passes options through, e.g. BENCH_ARGS="--runs 5 --latency-ms 5".
BENCH_PACKAGES := rclone curl time
bench: deps
	@missing=""; for p in $(BENCH_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	$(SWIFT) build -c release --product cellar
	$(SWIFT) build -c release --product cells-sandbox
	python3 Benchmarks/run.py --bin .build/release $(BENCH_ARGS)

# One file out of a multi-GiB archive, locally and through an S3 gateway, against a full read and
# tar -x (issue 18); writes Benchmarks/seek-results.md.
bench-seek: deps
	$(SWIFT) build -c release --product cellar
	$(SWIFT) build -c release --product cells-sandbox
	python3 Benchmarks/seek.py --bin .build/release $(BENCH_ARGS)

bench-encrypt: deps
	$(SWIFT) build -c release --product cellar
	$(SWIFT) build -c release --product cells-sandbox
	python3 Benchmarks/encrypt.py --bin .build/release $(BENCH_ARGS)

bench-shards: deps
	$(SWIFT) build -c release --product cellar
	$(SWIFT) build -c release --product cells-sandbox
	python3 Benchmarks/shards.py --bin .build/release $(BENCH_ARGS)

clean:
	rm -rf .build
