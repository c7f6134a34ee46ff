#!/usr/bin/env bash
# A single laptop's day, offline, in a temporary data folder: create, edit, search, merge a
# duplicate, settle, erase. Prints every command and what it did.
set -euo pipefail
relais=${1:?usage: demo.sh PATH_TO_RELAIS}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$work/laptop"
export RELAIS_PASSPHRASE="demo passphrase, use a real one"

step() { printf '\n\033[1m$ relais %s\033[0m\n' "$*"; "$relais" "$@"; }
quiet() { "$relais" "$@"; }

echo "Relais demo: one field laptop, no network, data folder $data"
step init --data "$data" --name laptop-marie
amina=$(quiet person add --data "$data" --set family_name=Diallo --set given_names=Aminata \
  --set birth_date=1987 --set languages=ff,fr --set rights_ame_state=to_check --set housing=squat)
echo; echo "Added Aminata Diallo: $amina"
visit=$(quiet visit add --data "$data" --person "$amina" --set date=2026-11-20 --set kind=outreach_consultation \
  --set place_kind=squat --set "note=Cough for 3 weeks; AME file to build. Interpreter (Pulaar) by phone.")
echo "Recorded a visit: $visit"
quiet referral add --data "$data" --person "$amina" --set to=pass --set status=proposed --set date=2026-11-20 >/dev/null
step person update --data "$data" "$amina" --set rights_ame_state=file_being_built --set rights_ame_filed=2026-11-21
step person search --data "$data" "amina dia"
step person search --data "$data" "élo"

echo; echo "A colleague created the same woman again, with a different birth year:"
duplicate=$(quiet person add --data "$data" --set family_name=DIALLO --set given_names=Aminata --set birth_date=1986 \
  --set phone=0612345678)
quiet visit add --data "$data" --person "$duplicate" --set date=2026-11-18 --set kind=phone_call >/dev/null
step person list --data "$data"
step person merge --data "$data" "$amina" "$duplicate"
step person show --data "$data" "$amina"
step conflicts --data "$data"
step conflicts resolve --data "$data" "$amina" birth_date --value 1987
step conflicts resolve --data "$data" "$amina" family_name --value Diallo
step person show --data "$data" "$amina"

echo; echo "A person asks to be forgotten:"
other=$(quiet person add --data "$data" --set family_name=Popescu --set given_names=Ion)
step person erase --data "$data" "$other"
step person show --data "$data" "$other" || true
step log --data "$data"
echo; echo "Bad input is refused with one line and exit code 2:"
step person add --data "$data" --set hiv=yes || echo "(exit code $?)"
RELAIS_PASSPHRASE=wrong "$relais" person list --data "$data" || echo "(exit code $?)"
echo; echo "Demo finished; the temporary folder is removed."
