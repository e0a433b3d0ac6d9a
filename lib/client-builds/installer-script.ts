// The install.sh of a client package (build-client-package.ts): checks the package against its
// MANIFEST.sha256, copies it to PREFIX/versions/<version> (PREFIX/current points at the running one, which
// is what a self-update swaps), installs the runtime dependencies with npm, writes the PREFIX/halley-agent
// launcher with the server URL baked in and, as root with systemd, a service. --install-token hands the
// agent an install token (admin/create-install-token) for its unattended first sign-in.

/** `value` as one single-quoted POSIX shell word. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

export function installerScript({ version, serverUrl, productName }: { version: string; serverUrl: string; productName: string }): string {
  return `#!/bin/sh
# Installer of ${productName.replace(/[\r\n]/g, ' ')} ${version} (Halley reference agent).
#   sh install.sh [--prefix DIR] [--install-token TOKEN] [--name NAME] [--no-deps] [--no-service]
# --prefix         where to install (default /opt/halley-agent, or ~/.local/share/halley-agent when not root)
# --install-token  an install token from the server (admin/create-install-token): the agent signs in with it once
# --name           the device's friendly name (default: the host name)
# --no-deps        do not run npm install (the dependencies are provided some other way)
# --no-service     do not install or start the systemd service
set -eu
VERSION=${shellQuote(version)}
SERVER_URL=${shellQuote(serverUrl)}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then PREFIX=/opt/halley-agent; else PREFIX="\${HOME}/.local/share/halley-agent"; fi
TOKEN=''
NAME=''
DEPS=1
SERVICE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=$2; shift 2 ;;
    --install-token) TOKEN=$2; shift 2 ;;
    --name) NAME=$2; shift 2 ;;
    --no-deps) DEPS=0; shift ;;
    --no-service) SERVICE=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v node >/dev/null 2>&1 || { echo "install.sh: Node.js 22 or newer is needed (node not found)" >&2; exit 1; }
(cd "$HERE" && sha256sum -c --quiet MANIFEST.sha256) || { echo "install.sh: the package is damaged (MANIFEST.sha256 does not match)" >&2; exit 1; }
mkdir -p "$PREFIX/versions" "$PREFIX/state"
chmod 700 "$PREFIX/state"
rm -rf "$PREFIX/versions/$VERSION.new"
cp -R "$HERE" "$PREFIX/versions/$VERSION.new"
if [ "$DEPS" = 1 ]; then
  (cd "$PREFIX/versions/$VERSION.new" && npm install --omit=dev --no-audit --no-fund --loglevel=error) || { echo "install.sh: npm install failed" >&2; exit 1; }
fi
rm -rf "$PREFIX/versions/$VERSION"
mv "$PREFIX/versions/$VERSION.new" "$PREFIX/versions/$VERSION"
ln -sfn "versions/$VERSION" "$PREFIX/current.tmp" && mv -T "$PREFIX/current.tmp" "$PREFIX/current"
if [ -n "$TOKEN" ]; then
  (umask 077 && printf '%s\\n' "$TOKEN" > "$PREFIX/state/install-token")
fi
if [ -n "$NAME" ]; then printf '%s\\n' "$NAME" > "$PREFIX/state/friendly-name"; fi
# The launcher: the paths and the URL are fixed now, everything else is evaluated when it runs. It is the
# agent's supervisor: it starts PREFIX/current again after a self-update (exit code 75), and when an update
# does not come up (the new version exits before the server welcomed it) it swaps current back, notes why
# in state/update-failed and starts the previous version.
{
  echo '#!/bin/sh'
  printf "PREFIX='%s'\\n" "$PREFIX"
  printf "SERVER_URL='%s'\\n" "$SERVER_URL"
  cat <<'LAUNCHER'
# Starts the installed agent (PREFIX/current) against the server this package was made for.
set -u
STATE="$PREFIX/state"
export HALLEY_AGENT_PREFIX="$PREFIX"
set -- --url "$SERVER_URL" --state-dir "$STATE" "$@"
if [ -s "$STATE/friendly-name" ]; then set -- "$@" --name "$(cat "$STATE/friendly-name")"; fi
# Used for the first sign-in only: once the device holds its own token, the agent ignores it.
if [ -s "$STATE/install-token" ]; then set -- "$@" --install-token "$(cat "$STATE/install-token")"; fi
child=''
trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child"; fi; exit 0' TERM INT
while :; do
  cd "$PREFIX/current" || exit 1
  node --import tsx agent/index.ts "$@" &
  child=$!
  wait "$child"
  rc=$?
  child=''
  [ "$rc" = 75 ] && continue
  if [ -s "$STATE/update-pending" ]; then
    prev=$(sed -n 1p "$STATE/update-pending")
    next=$(sed -n 2p "$STATE/update-pending")
    ln -sfn "versions/$prev" "$PREFIX/current.tmp" && mv -T "$PREFIX/current.tmp" "$PREFIX/current"
    printf 'The update to %s did not come up (exit code %s): rolled back to %s\\n' "$next" "$rc" "$prev" > "$STATE/update-failed"
    rm -f "$STATE/update-pending"
    continue
  fi
  exit "$rc"
done
LAUNCHER
} > "$PREFIX/halley-agent"
chmod 755 "$PREFIX/halley-agent"
if [ "$SERVICE" = 1 ] && [ "$(id -u)" = 0 ] && command -v systemctl >/dev/null 2>&1; then
  cat > /etc/systemd/system/halley-agent.service <<UNIT
[Unit]
Description=${productName.replace(/[\r\n]/g, ' ')} (Halley agent)
After=network-online.target

[Service]
ExecStart=$PREFIX/halley-agent
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now halley-agent.service
  echo "Installed $VERSION in $PREFIX; the halley-agent service is running."
else
  echo "Installed $VERSION in $PREFIX; start it with: $PREFIX/halley-agent"
fi
`;
}
