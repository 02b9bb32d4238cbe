# reentrycheck: common tasks. `make test` is what CI runs (see .ci/run).
GO ?= go
STATICCHECK_VERSION ?= v0.8.2

.PHONY: all build test test-short test-race lint demo bench install golangci-lint gopls quality sim-long e2e-real

all: build test

build:
	$(GO) build ./...

# What CI runs (.ci/run): lint, the full suite (end-to-end tests included),
# and the concurrent runtime under the race detector.
test: lint
	$(GO) test -count=1 -timeout 20m ./...
	$(MAKE) --no-print-directory test-race

# The runtime and the examples are concurrent code: run them under -race.
test-race:
	$(GO) test -race -count=1 ./runtime/... ./examples/...

# Unit tests only (skips end-to-end tests that build external tools).
test-short:
	$(GO) test -short -count=1 ./...

lint:
	gofmt -l $$(git ls-files '*.go' | grep -v testdata/) | (! grep .)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

# What reentrycheck costs, as ratios to a baseline measured in the same run
# (docs/benchmarks.md): `make bench` runs them all, bench-NAME one. Settings
# come from the environment or the make command line: ROUNDS (default 5),
# TIMEOUT (per run, seconds, default 600), MAXRSS (MB per process, default
# 12000, 0 for none), SIZES (scaling probe, default 1000,...,16000),
# PROBE_32K=1, STD_TESTS=1, and XTOOLS_PKGS, PEBBLE_PKGS, TCPIP_PKGS, STD_PKGS
# (package patterns, for smoke runs on a subset).
BENCH = $(GO) run ./bench/cmd/bench
BENCHMARKS = xtools pebble forced vet scaling stress finish
.PHONY: $(addprefix bench-,$(BENCHMARKS))

bench:
	$(BENCH) all

$(addprefix bench-,$(BENCHMARKS)): bench-%:
	$(BENCH) $*

# The scaling probe by instructions executed, under valgrind (cachegrind):
# repeatable whatever the machine's load, unlike wall time. SIZES as above
# (default 1000,...,8000), all three shapes. `go run ./bench/cmd/icount
# -gogc off` counts with the collector off, without its steps. Needs
# valgrind; not part of `make bench`.
.PHONY: bench-icount
bench-icount:
	$(GO) run ./bench/cmd/icount

# How good the analyzer is on code it was not written against
# (docs/quality.md, docs/mutation.md): the generalization corpus (every label
# confirmed dynamically, then recall and precision per class), and mutation
# testing against reentrytest's ground truth. Minutes, not part of `make test`.
# It reports; the mutation command also exits 1 when its target (95% per
# operator, no false alarm) is missed, which make notes and goes past.
quality:
	$(GO) test -count=1 ./quality/...
	$(GO) run ./quality/cmd/quality
	-$(GO) run ./bench/cmd/mutants

# The long simulation runs of the examples: 10,000 seeds each of the
# engine's and kvlog's crash simulations (about two minutes each).
SEEDS ?= 10000
sim-long:
	ENGINE_SEEDS=$(SEEDS) KVLOG_SEEDS=$(SEEDS) $(GO) test -count=1 -timeout 60m -run 'TestSim$$|TestCrashSim$$' ./examples/engine ./examples/kvlog

# Install the reentrycheck command into $(go env GOBIN) (or GOPATH/bin).
install:
	$(GO) install ./cmd/reentrycheck

# Run the linter on the embedded buggy example.
demo:
	$(GO) run ./cmd/reentrycheck demo

# golangci-lint v2.15.0 with the reentrycheck plugin compiled in (see docs/golangci-lint.md).
golangci-lint:
	cd tools/golangci-lint && $(GO) build -o ../../bin/golangci-lint .

# gopls v0.23.0 with the reentrycheck analyzer compiled in (see docs/editors.md).
gopls:
	GO=$(GO) tools/gopls/build.sh bin/gopls

# The command on the whole of gVisor's netstack (pkg/tcpip/...) in the error
# spelling, at the version the e2e tests pin (docs/quality.md, "Real modules
# in the error spelling"); the e2e tests run udp and tcp only. It prints the
# findings and the time and peak RSS; it needs the module proxy once.
GVISOR_PIN ?= v0.0.0-20260905035102-160fafc42237
e2e-real:
	d=$$(mktemp -d) && $(GO) build -o $$d/reentrycheck ./cmd/reentrycheck && cd $$d && \
		printf 'module example.com/scratch\n\ngo 1.26\n\nrequire gvisor.dev/gvisor $(GVISOR_PIN)\n' > go.mod && \
		printf 'package scratch\n\nimport (\n\t_ "gvisor.dev/gvisor/pkg/tcpip/stack"\n\t_ "gvisor.dev/gvisor/pkg/tcpip/transport/tcp"\n)\n' > scratch.go && \
		$(GO) mod tidy && \
		{ /usr/bin/time -f '%e s, %M KB peak RSS' ./reentrycheck -yielderr=gvisor.dev/gvisor/pkg/tcpip.ErrWouldBlock gvisor.dev/gvisor/pkg/tcpip/...; \
		  echo "exit $$? (3: findings)"; }; rm -rf $$d
