# depeche — see README.md. `make run` and `make test` install what they need.
export PATH := /usr/local/go/bin:$(PATH)
GO      ?= go
BIN     := bin/depeche
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: deps build run test bench lint clean image

deps:
	@scripts/deps.sh

build: deps
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/depeche

# The whole pipeline on the sample articles with the default engine: a model
# server when one answers at llm.base_url, else the offline engine.
run: build
	./$(BIN) run seeds --out output

test: deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...

# Go micro-benchmarks, then end-to-end: 200 articles against an 8-slot fake
# server, peak RSS of the binary on 2,000, the offline run against the bare
# Apertium pipe. Raw output in bin/bench.txt, a Markdown summary on stdout.
bench: deps
	@scripts/bench.sh

# The container image (Dockerfile): the static binary with Apertium for the
# offline engine. Needs a Docker engine; IMAGE names it.
IMAGE ?= depeche:$(VERSION)
image:
	docker build --build-arg VERSION=$(VERSION) -t $(IMAGE) .

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

clean:
	rm -rf bin output/clean output/translations output/summaries output/briefing.md output/briefing.json output/manifest.json output/.cache
