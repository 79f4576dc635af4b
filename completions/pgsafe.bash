# bash completion for pgsafe(1). Installed as
# $datadir/bash-completion/completions/pgsafe, where bash-completion loads
# it on first use. Formats and rule ids are asked from pgsafe itself
# (pgsafe --help, pgsafe rules), so they stay current.

_pgsafe_formats()
{
    "${1:-pgsafe}" --help 2>/dev/null |
        sed -n '/^formats:/,/^$/{s/^  \([a-z][a-z0-9-]*\) .*/\1/p}'
}

_pgsafe_rules()
{
    "${1:-pgsafe}" rules 2>/dev/null | sed -n 's/^\([a-z][a-z0-9/-]*\) .*/\1/p'
}

_pgsafe()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local prog=${words[0]}

    local command="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            lint|rules|explain|lsp) command=${words[i]}; break ;;
            -*) ;;
            *) break ;;
        esac
    done

    case $prev in
        -f|--format)
            COMPREPLY=($(compgen -W "$(_pgsafe_formats "$prog")" -- "$cur"))
            return ;;
        --pg-version)
            COMPREPLY=($(compgen -W "10 11 12 13 14 15 16 17" -- "$cur"))
            return ;;
        --fail-on)
            COMPREPLY=($(compgen -W "error warning hint never" -- "$cur"))
            return ;;
        --color)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
            return ;;
        --changed-since)
            COMPREPLY=($(compgen -W "$(git for-each-ref --format='%(refname:short)' 2>/dev/null) HEAD" -- "$cur"))
            return ;;
        --framework)
            COMPREPLY=($(compgen -W "auto plain goose dbmate golang-migrate flyway sqitch prisma diesel drizzle rails-structure" -- "$cur"))
            return ;;
        --config|--schema|--stats|--plugin)
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        --stdin-filename|--max-file-size|--docs-base-url|--sql|--small-table-rows|--small-table-bytes|--plugin-option)
            return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--format --pg-version --assume-in-transaction --fail-on
            --stdin-filename --max-file-size --color --show-statements --changed-since
            --with-context --docs-base-url --config --no-config --framework --include-down
            --schema --stats --small-table-rows --small-table-bytes --plugin --plugin-option
            --allow-plugins --sql --help --version" -- "$cur"))
        return
    fi

    case $command in
        "")
            COMPREPLY=($(compgen -W "lint rules explain lsp" -- "$cur"))
            COMPREPLY+=($(compgen -f -X '!*.sql' -- "$cur") $(compgen -d -- "$cur"))
            ;;
        explain)
            COMPREPLY=($(compgen -W "$(_pgsafe_rules "$prog")" -- "$cur"))
            COMPREPLY+=($(compgen -f -X '!*.sql' -- "$cur"))
            ;;
        rules|lsp)
            ;;
        *)
            COMPREPLY=($(compgen -f -X '!*.sql' -- "$cur") $(compgen -d -- "$cur"))
            ;;
    esac
}

complete -o filenames -F _pgsafe pgsafe
