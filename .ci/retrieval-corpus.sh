#!/usr/bin/env bash
# The corpus of RetrievalBenchmark, from Debian packages: pages of the Python documentation (python3-doc) as HTML,
# a few of them converted to PDF and DOCX by LibreOffice, and pip's Markdown pages (python3-pip). Installs the packages
# when missing. Writes into the directory given (default target/bench/retrieval-corpus):
#   upload/            the files the benchmark uploads
#   source/            the HTML each PDF and DOCX was made from (the benchmark's questions are drawn from it)
#   genindex-all.html  the documentation's index (index entries become questions)
#   manifest.tsv       upload file name <TAB> its page in the documentation (library/json.html, pip/installation.md)
# Runs again only when this script changes (its checksum is kept in the directory).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/bench/retrieval-corpus}"
docs=/usr/share/doc/python3-doc/html
pip=/usr/share/doc/python3-pip/html
stamp="$(sha256sum "$0" | cut -c1-16)"
if [[ -f "$out/manifest.tsv" && "$(cat "$out/.stamp" 2>/dev/null)" == "$stamp" ]]; then
  exit 0
fi

missing=()
[[ -d "$docs/library" ]] || missing+=(python3-doc)
[[ -d "$pip" ]] || missing+=(python3-pip)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
if (( ${#missing[@]} )); then
  sudo=""
  [[ "$(id -u)" == 0 ]] || sudo=sudo
  echo "installing ${missing[*]} (for the retrieval benchmark's corpus)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi

html_pages=(
  library/{abc,argparse,array,ast,asyncio,atexit,base64,binascii,calendar,cmd,codecs,collections,configparser}
  library/{contextlib,contextvars,copy,dataclasses,datetime,decimal,difflib,dis,doctest,email.message,enum}
  library/{fnmatch,functools,getopt,getpass,gettext,glob,gzip,hashlib,hmac,html.parser,http.client}
  library/{http.server,importlib,inspect,io,itertools,json,locale,logging,math,operator,os.path,pathlib,pickle}
  library/{pprint,pydoc,queue,random,re,sched,secrets,select,shutil,signal,site,smtplib,socket,sqlite3,ssl}
  library/{statistics,string,struct,subprocess,sys,tarfile,tempfile,threading,time,timeit,tkinter,tomllib,trace,traceback}
  library/{tracemalloc,turtle,types,typing,unittest,unittest.mock,urllib.parse,urllib.request,uuid,warnings}
  library/{weakref,webbrowser,xml.etree.elementtree,zipfile,zipimport}
  tutorial/{appetite,classes,controlflow,datastructures,errors,floatingpoint,inputoutput,interactive,interpreter}
  tutorial/{introduction,modules,stdlib,stdlib2,venv,whatnow}
  howto/{logging,regex}
)
pdf_pages=(library/csv library/heapq library/shlex howto/sorting)
docx_pages=(library/bisect library/fractions library/textwrap library/zlib)
markdown_pages=(getting-started installation reference/requirement-specifiers topics/authentication
  topics/https-certificates topics/local-project-installs topics/python-option topics/repeatable-installs)

# library/json.html -> json, tutorial/classes.html -> tutorial-classes: unique names that say what a file is
name() {
  local page="$1"
  case "$page" in
    library/*) echo "${page#library/}" ;;
    *) echo "${page//\//-}" ;;
  esac
}

rm -rf "$out"
mkdir -p "$out/upload" "$out/source"
: > "$out/manifest.tsv"
for page in "${html_pages[@]}"; do
  cp "$docs/$page.html" "$out/upload/$(name "$page").html"
  printf '%s\t%s\n' "$(name "$page").html" "$page.html" >> "$out/manifest.tsv"
done
for page in "${pdf_pages[@]}" "${docx_pages[@]}"; do
  cp "$docs/$page.html" "$out/source/$(name "$page").html"
done
for page in "${pdf_pages[@]}"; do
  printf '%s\t%s\n' "$(name "$page").pdf" "$page.html" >> "$out/manifest.tsv"
done
for page in "${docx_pages[@]}"; do
  printf '%s\t%s\n' "$(name "$page").docx" "$page.html" >> "$out/manifest.tsv"
done
if [[ -d "$pip" ]]; then
  for page in "${markdown_pages[@]}"; do
    file="pip-${page//\//-}.md"
    cp "$pip/$page.md" "$out/upload/$file"
    printf '%s\t%s\n' "$file" "pip/$page.md" >> "$out/manifest.tsv"
  done
else
  echo "no $pip: the corpus has no Markdown pages" >&2
fi
cp "$docs/genindex-all.html" "$out/genindex-all.html"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
convert() {
  local target="$1"
  shift
  timeout 900 soffice --headless --norestore "-env:UserInstallation=file://$profile" --convert-to "$target" \
      --outdir "$out/upload" "$@" >&2
}
convert pdf:writer_web_pdf_Export $(for page in "${pdf_pages[@]}"; do echo "$out/source/$(name "$page").html"; done)
convert "docx:MS Word 2007 XML" $(for page in "${docx_pages[@]}"; do echo "$out/source/$(name "$page").html"; done)
for file in $(cut -f1 "$out/manifest.tsv"); do
  [[ -s "$out/upload/$file" ]] || { echo "corpus file $file was not made" >&2; exit 1; }
done
echo "$stamp" > "$out/.stamp"
