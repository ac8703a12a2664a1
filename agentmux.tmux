#!/usr/bin/env bash
# TPM entry point: TPM runs the *.tmux files at a plugin's root; the plugin lives in tmux/.
exec "$(cd "$(dirname "$0")" && pwd)/tmux/agentmux.tmux" "$@"
