#!/usr/bin/env bash
# Installs what brewline needs, idempotently, and says what it does.
#   scripts/install-deps.sh [build|run|test|bench|all]   (default: test)
# Debian packages come from apt-get; npm packages (the punkapi-db dataset, AWS emulators, test tools) are
# installed into the project-local cache .cache/npm/node_modules, pinned in scripts/npm/package.json.
set -euo pipefail

profile="${1:-test}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

build_pkgs=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libsimdjson-dev nlohmann-json3-dev libcpp-httplib-dev libcurl4-openssl-dev libssl-dev zlib1g-dev
  libsqlite3-dev libxgboost-dev libcli11-dev libtomlplusplus-dev libfmt-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev pybind11-dev python3-dev
)
# Node.js and npm: Debian's only where the machine has none (an image may ship its own Node.js, whose npm
# conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || build_pkgs+=(nodejs npm)
test_pkgs=(
  python3 python3-pandas python3-numpy python3-sklearn python3-matplotlib python3-ipykernel
  jupyter-nbconvert gzip curl unzip zip file
  chromium
)
bench_pkgs=(redis-server wrk hyperfine python3-flask python3-xgboost gunicorn)

want=("${build_pkgs[@]}")
case "$profile" in
  build|run) ;;
  test) want+=("${test_pkgs[@]}") ;;
  bench|all) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "install-deps: unknown profile '$profile' (build|run|test|bench|all)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all ${#want[@]} Debian packages for '$profile' are present"
fi

# npm packages: installed once per version of scripts/npm/package.json (a stamp records which).
npm_dir="$root/.cache/npm"
stamp="$npm_dir/.installed-$(sha256sum "$root/scripts/npm/package.json" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "install-deps: installing npm packages into .cache/npm (punkapi-db dataset and test peers)"
  mkdir -p "$npm_dir"
  cp "$root/scripts/npm/package.json" "$npm_dir/package.json"
  (cd "$npm_dir" && npm install --no-audit --no-fund --no-package-lock --loglevel=error)
  rm -f "$npm_dir"/.installed-*
  touch "$stamp"
else
  echo "install-deps: npm packages are present in .cache/npm"
fi

data="$npm_dir/node_modules/punkapi-db/data.json"
if [ ! -s "$data" ]; then
  echo "install-deps: the punkapi-db dataset is missing at $data" >&2
  exit 1
fi
