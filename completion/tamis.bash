# bash completion for tamis                                 -*- shell-script -*-
#
# Installed as $(PREFIX)/share/bash-completion/completions/tamis, where
# bash-completion loads it on the first "tamis <TAB>"; or source it from
# ~/.bashrc. The candidates come from "tamis __complete" (src/complete.h):
# commands, options, grid, theme, criterion and card ids read from the board
# named on the line, choices, file names.

_tamis()
{
	local tamis=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
	local -a words=() found=()
	local i n=${#COMP_WORDS[@]} cword=0 eq= files= line
	# bash splits "--grid=au" at '=' (COMP_WORDBREAKS): join such words back
	# for tamis, and answer with the part after '=', which is what bash
	# replaces.
	for ((i = 1; i < n; i++)); do
		if [[ ${COMP_WORDS[i]} == = && ${#words[@]} -gt 0 &&
			${words[-1]} == --* && ${words[-1]} != *=* ]]; then
			words[-1]+==
			((i == COMP_CWORD)) && { cword=$((${#words[@]} - 1)); eq=1; cur=; }
			if ((i + 1 < n)); then
				i=$((i + 1))
				words[-1]+=${COMP_WORDS[i]}
				((i == COMP_CWORD)) && { cword=$((${#words[@]} - 1)); eq=1; }
			fi
			continue
		fi
		words+=("${COMP_WORDS[i]}")
		((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
	done
	command -v "$tamis" >/dev/null 2>&1 || tamis=tamis
	COMPREPLY=()
	while IFS= read -r line; do
		if [[ $line == :files ]]; then
			files=1
			continue
		fi
		line=${line%%$'\t'*}
		[[ -n $eq ]] && line=${line#*=}
		COMPREPLY+=("$line")
	done < <("$tamis" __complete "$cword" "${words[@]}" 2>/dev/null)
	[[ -n $files ]] || return 0
	if declare -F _filedir >/dev/null 2>&1; then
		_filedir
	else
		compopt -o filenames 2>/dev/null
		while IFS= read -r line; do
			COMPREPLY+=("$line")
		done < <(compgen -f -- "$cur")
	fi
} &&
	complete -F _tamis tamis
