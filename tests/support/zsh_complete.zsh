# Types LINE in an interactive zsh whose compsys loads completions from DIR, presses Tab once
# and prints what the terminal shows (with escapes). Every wait has a bound.
#   zsh -f tests/support/zsh_complete.zsh DIR LINE
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1='%% '; fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "print -r -- READY"
zpty -r -t z line '*READY*' || sleep 2
zpty -w -n z "$2"$'\t'
sleep 1
out=''
while zpty -r -t z chunk; do out+=$chunk; done
print -r -- "$out"
zpty -d z
