#!/usr/bin/env bash
# A hospital hub and two field laptops on loopback, in a temporary folder: enrolment, offline work
# (one person edited on both laptops, one duplicate), sync, a conflict settled by a person,
# convergence, and an erasure that reaches every replica. Prints every command and what it did.
# On a terminal it then leaves Marie's laptop running with the app and a fictional caseload.
set -euo pipefail
relais=${1:?usage: demo.sh PATH_TO_RELAIS}
work=$(mktemp -d)
hub_pid="" marie_pid=""
cleanup() {
  for pid in $marie_pid $hub_pid; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
export RELAIS_PASSPHRASE="demo passphrase, use a real one"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
hub="$work/hub" marie="$work/laptop-marie" karim="$work/laptop-karim"

step() { printf '\n\033[1m$ relais %s\033[0m\n' "$*"; "$relais" "$@"; }
quiet() { "$relais" "$@"; }
title() { printf '\n\033[1;34m== %s ==\033[0m\n' "$*"; }

title "The CHU hub creates the team and starts its daemon on 127.0.0.1:$port"
quiet init --data "$hub" --name chu-hub >/dev/null
step team create --data "$hub" --name "CHU Toulouse outreach"
aminata=$(quiet person add --data "$hub" --set family_name=Diallo --set given_names=Aminata --set birth_date=1987 \
  --set languages=ff,fr)
ame=$(quiet rights-episode add --data "$hub" --person "$aminata" --set scheme=ame --set state=to_check)
step partner add --data "$hub" --set "name=PASS du CHU" --set kind=pass --set languages=fr,ar --set commune=Toulouse
"$relais" serve --data "$hub" --listen "127.0.0.1:$port" --no-ui 2>"$work/hub.log" &
hub_pid=$!
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

title "Two laptops are enrolled with one-time tokens"
for laptop in "$marie" "$karim"; do
  name=$(basename "$laptop")
  quiet init --data "$laptop" --name "$name" >/dev/null
  token=$(quiet admin invite --data "$hub" --role field --name "$name")
  echo "token for $name: $token"
  step join --data "$laptop" --hub "127.0.0.1:$port" --token "$token"
  step sync --data "$laptop" --peer "127.0.0.1:$port"
done
step admin devices --data "$hub"

title "Offline for days: both mediators see Aminata, and disagree on her birth year"
step person update --data "$marie" "$aminata" --set birth_date=1986
step rights-episode update --data "$marie" "$ame" --set state=file_being_built --set filed=2026-11-20
quiet visit add --data "$marie" --person "$aminata" --set date=2026-11-20 --set kind=outreach_consultation \
  --set "note=Cough for 3 weeks; AME file started. Pulaar interpreter by phone." >/dev/null
step person update --data "$karim" "$aminata" --set birth_date=1988 --set phone=0612345678
echo; echo "Karim also meets a woman he does not find in his list, and creates her again:"
duplicate=$(quiet person add --data "$karim" --set family_name=DIALLO --set given_names=Aminata --set birth_date=1987)
quiet visit add --data "$karim" --person "$duplicate" --set date=2026-11-21 --set kind=accompaniment >/dev/null
echo "duplicate: $duplicate"

title "Back in range: both laptops sync with the hub"
step sync --data "$karim" --peer "127.0.0.1:$port"
step sync --data "$marie" --peer "127.0.0.1:$port"
step sync --data "$karim" --peer "127.0.0.1:$port"
step conflicts --data "$hub"
echo; echo "The team's directory reached every laptop with the rest:"
step partner list --data "$karim"

title "Marie merges the duplicate and settles the birth year with Aminata"
step person merge --data "$marie" "$aminata" "$duplicate"
step conflicts resolve --data "$marie" "$aminata" birth_date --value 1987
step conflicts resolve --data "$marie" "$aminata" family_name --value Diallo
step sync --data "$marie" --peer "127.0.0.1:$port"
step sync --data "$karim" --peer "127.0.0.1:$port"

title "Every replica shows the same file"
for node in "$hub" "$marie" "$karim"; do
  printf '\n\033[1m%s\033[0m\n' "$(basename "$node")"
  quiet person show --data "$node" "$aminata"
done
same=yes
reference=$(quiet person show --data "$hub" "$aminata" --json)
for node in "$marie" "$karim"; do [ "$(quiet person show --data "$node" "$aminata" --json)" = "$reference" ] || same=no; done
echo; echo "Identical on hub and both laptops: $same"

title "A person asks to be forgotten; the erasure reaches every replica"
other=$(quiet person add --data "$karim" --set family_name=Popescu --set given_names=Ion)
step sync --data "$karim" --peer "127.0.0.1:$port"
step person erase --data "$hub" "$other" --yes
step sync --data "$karim" --peer "127.0.0.1:$port"
step person show --data "$karim" "$other" || true
step status --data "$karim"
echo; echo "Bad input is refused with one line and exit code 2:"
step person add --data "$marie" --set hiv=yes 2>&1 | cut -c1-100 || true
RELAIS_PASSPHRASE=wrong "$relais" person list --data "$marie" || echo "(exit code $?)"
# On a terminal, the demo goes on in the app, in French, on Marie's laptop; in CI it ends here.
if [ -t 0 ] && [ -t 1 ]; then
  title "Marie's laptop, with the app: a fictional caseload of a few hundred persons"
  quiet demo-caseload --data "$marie"
  quiet sync --data "$marie" --peer "127.0.0.1:$port" >/dev/null
  quiet sync --data "$karim" --peer "127.0.0.1:$port" >/dev/null
  echo "Two mediators edit the same files offline, to leave a few conflicts to settle in the app:"
  for id in $(quiet person list --data "$marie" --json | python3 -c 'import json, sys; print(" ".join(p["id"] for p in json.load(sys.stdin)[:3]))'); do
    quiet person update --data "$marie" "$id" --set housing=emergency_shelter
    quiet person update --data "$karim" "$id" --set housing=social_hotel
  done
  quiet sync --data "$karim" --peer "127.0.0.1:$port" >/dev/null
  quiet sync --data "$marie" --peer "127.0.0.1:$port" >/dev/null
  ui=8437
  (echo >"/dev/tcp/127.0.0.1/$ui") 2>/dev/null && ui=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$relais" serve --data "$marie" --listen 127.0.0.1:0 --no-discovery --peer "127.0.0.1:$port" --ui "127.0.0.1:$ui" \
    2>"$work/marie.log" &
  marie_pid=$!
  for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$ui") 2>/dev/null && break; sleep 0.1; done
  printf '\n\033[1mThe app of Marie'"'"'s laptop: http://127.0.0.1:%s\033[0m\n' "$ui"
  echo "Passphrase: $RELAIS_PASSPHRASE"
  echo "Ctrl-C stops the demo and removes its folder."
  wait "$marie_pid" || true
  exit 0
fi
echo; echo "Demo finished; the daemon is stopped and the temporary folder removed."
