#!/usr/bin/env bash
# `make run`: the main job. Until the pipeline lands, this starts the built-in Punk API v2 server.
set -euo pipefail
bin="${1:-build/brewline}"
exec "$bin" punkapi serve
