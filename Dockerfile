# depeche's image: the static binary on Debian slim, with Apertium's fr-es and
# eng-spa pairs and the FreeDict dictionaries, so that the offline engine
# works in the container too. Build it with `make image` (docker build).
#
# Two stages: the binary is built in the Go image (CGO_ENABLED=0: static, no
# libc needed) and only it is copied into the runtime image, which holds the
# Apertium packages scripts/deps.sh installs and nothing else.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/depeche ./cmd/depeche

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      apertium apertium-fr-es apertium-eng-spa dict-freedict-fra-eng dict-freedict-fra-spa ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/depeche /usr/local/bin/depeche
COPY glossary.yaml /etc/depeche/glossary.yaml
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin depeche \
 && mkdir -p /data && chown depeche /data
USER depeche
WORKDIR /data
ENV DEPECHE_GLOSSARY=/etc/depeche/glossary.yaml
ENTRYPOINT ["depeche"]
CMD ["--help"]
