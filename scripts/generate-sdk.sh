#!/usr/bin/env bash
# Generate a client SDK from the exported document, openapi/openapi.json (`make sdk` runs both):
#   scripts/generate-sdk.sh python OUTPUT_DIR      openapi-python-client (pinned in requirements-dev.txt)
#   scripts/generate-sdk.sh typescript OUTPUT_DIR  openapi-typescript + openapi-fetch (pinned in package.json),
#                                                  then type-checked with tsc
set -euo pipefail
cd "$(dirname "$0")/.."
language=${1:?usage: $0 python|typescript OUTPUT_DIR}
out=${2:?usage: $0 python|typescript OUTPUT_DIR}

case "$language" in
python)
    # The generator formats its output with ruff, which it finds on PATH.
    PATH="$PWD/.venv/bin:$PATH" .venv/bin/openapi-python-client generate --path openapi/openapi.json \
        --config openapi/python-client.yaml --meta setup --output-path "$out" --overwrite
    ;;
typescript)
    # OUTPUT_DIR must be inside this repository: the client resolves openapi-fetch from ./node_modules.
    mkdir -p "$out"
    node_modules/.bin/openapi-typescript openapi/openapi.json --output "$out/schema.d.ts"
    cp openapi/typescript/client.ts openapi/typescript/scenario.ts openapi/typescript/tsconfig.json "$out/"
    node_modules/.bin/tsc --noEmit --project "$out/tsconfig.json"
    echo "type-checked $out"
    ;;
*)
    echo "unknown language: $language (python or typescript)" >&2
    exit 2
    ;;
esac
