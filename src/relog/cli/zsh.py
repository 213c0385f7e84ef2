"""Completion for zsh that keeps every name whole, apostrophes included.

Typer's zsh script evaluates its program's answer as shell code, with each
value quoted by doubling its quotes, which zsh does not read as a quote
(`"Dana O''Brien"` came back as `Dana OBrien`). relog's script takes the
answer as plain lines instead, three per value (its kind, the value, its help
or `_`), the way Click's own zsh support does, and hands the values to zsh's
`compadd` and `_describe`, which quote them for the command line themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typer._completion_classes import ZshComplete

if TYPE_CHECKING:
    from typer._click.shell_completion import CompletionItem

SCRIPT = r"""
#compdef %(prog_name)s

%(complete_func)s() {
  local -a completions described response
  local type key descr
  (( ! $+commands[%(prog_name)s] )) && return 1
  response=("${(@f)$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" \
    %(autocomplete_var)s=complete_zsh %(prog_name)s)}")
  for type key descr in "${response[@]}"; do
    if [[ "$type" == "plain" ]]; then
      if [[ "$descr" == "_" ]]; then
        completions+=("$key")
      else
        described+=("$key":"$descr")
      fi
    elif [[ "$type" == "dir" ]]; then
      _path_files -/
    elif [[ "$type" == "file" ]]; then
      _path_files -f
    fi
  done
  (( ${#described} )) && _describe -V unsorted described -U
  (( ${#completions} )) && compadd -U -V unsorted -a completions
  return 0
}

if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then
  %(complete_func)s "$@"
else
  compdef %(complete_func)s %(prog_name)s
fi
"""


class RelogZshComplete(ZshComplete):
    """Typer's zsh completion, answering in plain lines for `SCRIPT`."""

    source_template = SCRIPT

    def format_completion(self, item: CompletionItem) -> str:
        # `_describe` splits a value from its help at the first colon that is
        # not escaped; `compadd` takes a value without help as it is.
        value = item.value.replace(":", r"\:") if item.help else item.value
        help_text = " ".join((item.help or "_").split())
        return f"{item.type}\n{value}\n{help_text}"

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        return "\n".join(map(self.format_completion, self.get_completions(args, incomplete)))


def register() -> None:
    """Make zsh completion relog's, for completing and for installing its script."""
    from typer import _completion_shared
    from typer._click.shell_completion import add_completion_class

    add_completion_class(RelogZshComplete, "zsh")
    _completion_shared._completion_scripts["zsh"] = SCRIPT
