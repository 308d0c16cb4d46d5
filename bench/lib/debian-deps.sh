# Sourced by the bench scripts that call Python or /usr/bin/time for their
# reference figures. need_debian PKG... installs the Debian packages that
# are missing (apt-get as root, else through sudo), so a script runs on a
# fresh machine as it is; with DIFFUSEQ_NO_APT=1 it only names them.
need_debian() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ -n "${DIFFUSEQ_NO_APT:-}" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "$(basename "$0"): needs the Debian packages ${missing[*]} (install them, or their equivalents)" >&2
    return 1
  fi
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  echo "$(basename "$0"): installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -q >&2 &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}" >&2
}
