#!/usr/bin/env bash
# The many-small-files corpus of IngestionBenchmark: every page of the Python documentation (python3-doc, the package
# RetrievalBenchmark's corpus comes from) of 8 to 64 KB of HTML, a few KB of text each, as a user would upload a folder
# of a manual. Installs the package when missing. Writes into the directory given (default
# target/bench/small-files-corpus): upload/ (library/json.html -> library-json.html). Runs again only when this script
# changes (its checksum is kept in the directory).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/bench/small-files-corpus}"
docs=/usr/share/doc/python3-doc/html
stamp="$(sha256sum "$0" | cut -c1-16)"
if [[ -d "$out/upload" && "$(cat "$out/.stamp" 2>/dev/null)" == "$stamp" ]]; then
  exit 0
fi
if [[ ! -d "$docs/library" ]]; then
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo=sudo
  echo "installing python3-doc (for the ingestion benchmark's small files)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-doc >&2
fi
rm -rf "$out"
mkdir -p "$out/upload"
(cd -P "$docs" && find . -name '*.html' -size +8k -size -64k ! -name 'genindex*' ! -name 'py-modindex*' ! -name 'search*' \
    | sed 's|^\./||' | LC_ALL=C sort) | while read -r page; do
  cp "$docs/$page" "$out/upload/${page//\//-}"
done
[[ -n "$(ls "$out/upload")" ]] || { echo "no pages found in $docs" >&2; exit 1; }
echo "$stamp" > "$out/.stamp"
