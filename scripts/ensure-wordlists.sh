#!/usr/bin/env bash
# Make sure the word lists of the medical-term lint's spelling rules (MED040, MED041) are
# installed: Debian's Hunspell dictionaries, read by hooks/ivig_tools/spelling.py from the
# paths under `spelling: hunspell:` in hooks/data/medical_terms.yaml.
#
#   hunspell-en-med  0.0.20140410-4 (Debian 12): the English medical word list
#                    hunspell-en-med-glut (OpenMedSpel by R. Robinson and MTH-Med-Spel-Chek
#                    by Rajasekharan N., merged by Aristotelis P.; about 90,000 terms: drug
#                    names, anatomy, internal medicine). License GPL-3+.
#   hunspell-en-us   1:2020.12.07-2 (Debian 12): SCOWL's US English list. License: SCOWL's
#                    permissive license (see /usr/share/doc/hunspell-en-us/copyright).
#
# The lint only reads the installed files (nothing is copied into the repository). Without
# them MED041 reports correctly spelled medical words and tests/test_medical_terms_wordlists.py
# fails with this script's name.
set -euo pipefail
need=()
[ -f /usr/share/hunspell/en_med_glut.dic ] || need+=(hunspell-en-med)
[ -f /usr/share/hunspell/en_US.dic ] || need+=(hunspell-en-us)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    as_root=(none)
  fi
  if [ "${as_root[*]-}" != "none" ]; then
    echo "ensure-wordlists: installing ${need[*]} for the medical-term lint's spelling rules" >&2
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    exit 0
  fi
fi
echo "ensure-wordlists: the medical-term lint's spelling rules need ${need[*]}. Install them with:" >&2
echo "  sudo apt-get install ${need[*]}" >&2
exit 1
