#!/usr/bin/env bash
# agentmux status widget for your own tmux, TPM-style: load it with
# `run-shell /path/to/agentmux/tmux/agentmux.tmux` in ~/.tmux.conf (TPM runs the *.tmux files
# at a plugin's root, so a TPM checkout needs this file, or a link to it, there).
#
# It adds a `#(…)` widget to status-right (or status-left) that prints
# <state>/bundles/<bundle>/status while the relay whose pid is in relay.lock is alive, and
# `<bundle>: relay down` otherwise (a relay killed with -9 leaves its last status behind). The
# relay keeps the status file current, so each refresh costs two `cat`s and a `kill -0` in
# /bin/sh, never an agentmux or node process.
# It changes only this server's status-left/right (and raises their length when too short).
#
# Options (set them before the plugin loads):
#   @agentmux-bundle     bundle to show (default: default-bundle from tui.toml)
#   @agentmux-position   right (default) or left
#   @agentmux-style      tmux style of the widget (default: fg=colour250)
#   @agentmux-state-dir  agentmux state root (default: $AGENTMUX_STATE_DIR or ~/.local/state/agentmux)
#   @agentmux-length     least status-left/right-length to ensure (default: 100; 0 leaves it alone)
set -u

option() {
  local value
  value=$(tmux show-option -gqv "$1")
  printf '%s' "${value:-$2}"
}

config_dir="${AGENTMUX_CONFIG_DIR:-${XDG_CONFIG_HOME:-$HOME/.config}/agentmux}"
state_dir=$(option @agentmux-state-dir "${AGENTMUX_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/agentmux}")
case "$state_dir" in "~"/*) state_dir="$HOME/${state_dir#"~/"}" ;; esac
bundle=$(option @agentmux-bundle "")
if [ -z "$bundle" ] && [ -f "$config_dir/tui.toml" ]; then
  # TOML basic ("…") or literal ('…') string; the starter tui.toml writes the literal form.
  bundle=$(sed -n "s/^[[:space:]]*default-bundle[[:space:]]*=[[:space:]]*[\"']\([^\"']*\)[\"'].*/\1/p" "$config_dir/tui.toml" | head -n 1)
fi
case "$bundle" in
  "" | *[!A-Za-z0-9._-]*)
    tmux display-message "agentmux: set @agentmux-bundle to a bundle id (or default-bundle in tui.toml)"
    exit 0
    ;;
esac

position=$(option @agentmux-position right)
style=$(option @agentmux-style "fg=colour250")
length=$(option @agentmux-length 100)
case "$position" in
  left) target=status-left ;;
  *) target=status-right ;;
esac

status_file="$state_dir/bundles/$bundle/status"
lock_file="$state_dir/bundles/$bundle/relay.lock"
# The paths go into a shell command (single-quoted) inside a tmux format (# doubled); the
# command uses backquotes, not $(…), so no parenthesis can end tmux's #( early.
shell_quote() { printf '%s' "$1" | sed -e "s/'/'\\\\''/g" -e 's/#/##/g'; }
quoted=$(shell_quote "$status_file")
quoted_lock=$(shell_quote "$lock_file")
widget="#[$style]#(p=\`cat '$quoted_lock' 2>/dev/null\`; kill -0 \"\$p\" 2>/dev/null && cat '$quoted' 2>/dev/null || echo '$bundle: relay down')#[default]"

current=$(tmux show-option -gqv "$target")
case "$current" in
  *"$quoted"*) ;; # already there: loading the plugin twice changes nothing
  *)
    if [ "$target" = status-left ]; then
      tmux set-option -gq "$target" "$current$widget "
    else
      tmux set-option -gq "$target" "$widget $current"
    fi
    ;;
esac

current_length=$(tmux show-option -gqv "$target-length")
case "$length" in
  '' | *[!0-9]*) ;;
  *) if [ "$length" -gt 0 ] && [ "${current_length:-0}" -lt "$length" ]; then tmux set-option -gq "$target-length" "$length"; fi ;;
esac
