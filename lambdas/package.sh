#!/usr/bin/env bash
# Packages a native Lambda bootstrap for the custom runtime (provided.al2023, x86_64), as aws-lambda-cpp's
# packager does: the binary goes to bin/, every shared library `ldd` lists — the dynamic loader included —
# to lib/, and an executable `bootstrap` script at the zip root execs the bundled loader with
# --library-path $LAMBDA_TASK_ROOT/lib, so the function does not depend on the host's libraries.
#   lambdas/package.sh BINARY OUT.zip
set -euo pipefail
if [ "$#" -ne 2 ]; then
  echo "usage: $0 BINARY OUT.zip" >&2
  exit 2
fi
binary="$1"
out="$2"
[ -x "$binary" ] || { echo "package: $binary is not an executable" >&2; exit 1; }
name="$(basename "$binary")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib"
cp "$binary" "$stage/bin/$name"

loader=""
while read -r line; do
  # "libfoo.so.1 => /lib/x86_64-linux-gnu/libfoo.so.1 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
  path=""
  case "$line" in
    *"=> /"*) path="$(echo "$line" | sed -E 's/.*=> (\/[^ ]+).*/\1/')" ;;
    /*) path="$(echo "$line" | awk '{print $1}')" ;;
  esac
  [ -n "$path" ] && [ -e "$path" ] || continue
  cp -L "$path" "$stage/lib/"
  case "$(basename "$path")" in ld-linux*|ld64*) loader="$(basename "$path")" ;; esac
done < <(ldd "$binary")
if [ -z "$loader" ]; then
  echo "package: no dynamic loader found in ldd output of $binary" >&2
  exit 1
fi

cat > "$stage/bootstrap" <<SCRIPT
#!/bin/sh
set -e
root="\${LAMBDA_TASK_ROOT:-\$(cd "\$(dirname "\$0")" && pwd)}"
exec "\$root/lib/$loader" --library-path "\$root/lib" "\$root/bin/$name" "\$@"
SCRIPT
chmod 755 "$stage/bootstrap" "$stage/bin/$name" "$stage/lib/$loader"

mkdir -p "$(dirname "$out")"
out_abs="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
rm -f "$out_abs"
(cd "$stage" && zip -q -r -X "$out_abs" bootstrap bin lib)
echo "package: $out_abs ($(du -h "$out_abs" | cut -f1), $(ls "$stage/lib" | wc -l) libraries, loader $loader)"
