/**
 * The shell side of completion: each script hands the words typed so far to the hidden
 * `aiplat __complete -- <words…>`, which prints one candidate a line (already filtered by the
 * prefix). An empty answer lets the shell fall back to file names (for --kubeconfig, --root…).
 */
export type Shell = "bash" | "zsh" | "fish";
export const SHELLS: readonly Shell[] = ["bash", "zsh", "fish"];

const BASH = `# aiplat completion for bash. Load it with: source <(aiplat completion bash)
_aiplat_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(aiplat __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _aiplat_complete aiplat
`;

const ZSH = `#compdef aiplat
# aiplat completion for zsh. Load it with: source <(aiplat completion zsh)  (after compinit)
_aiplat() {
  local -a candidates
  candidates=("\${(@f)$(aiplat __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if (( \${#candidates} )) && [[ -n "\${candidates[1]}" ]]; then
    compadd -- "\${candidates[@]}"
  else
    _files
  fi
}
compdef _aiplat aiplat
`;

const FISH = `# aiplat completion for fish. Load it with: aiplat completion fish | source
function __aiplat_complete
    set -l words (commandline -opc) (commandline -ct)
    aiplat __complete -- $words[2..-1] 2>/dev/null
end
complete -c aiplat -f -a '(__aiplat_complete)'
`;

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
