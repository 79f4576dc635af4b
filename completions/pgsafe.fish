# fish completion for pgsafe(1). Installed in
# $datadir/fish/vendor_completions.d. Formats and rule ids are asked from
# pgsafe itself.

function __pgsafe_formats
    pgsafe --help 2>/dev/null | sed -n '/^formats:/,/^$/{s/^  \([a-z][a-z0-9-]*\)  *\(.*\)/\1\t\2/p}'
end

function __pgsafe_rules
    pgsafe rules 2>/dev/null | sed -n 's/^\([a-z][a-z0-9/-]*\)  *[a-z]*  *\(.*\)/\1\t\2/p'
end

set -l commands lint rules explain lsp
complete -c pgsafe -f
complete -c pgsafe -n "not __fish_seen_subcommand_from $commands" -a lint -d 'check migrations (the default)'
complete -c pgsafe -n "not __fish_seen_subcommand_from $commands" -a rules -d 'list the rules'
complete -c pgsafe -n "not __fish_seen_subcommand_from $commands" -a explain -d 'explain a rule or a statement'
complete -c pgsafe -n "not __fish_seen_subcommand_from $commands" -a lsp -d 'run the Language Server'
complete -c pgsafe -n "__fish_seen_subcommand_from explain" -a '(__pgsafe_rules)'
complete -c pgsafe -n "not __fish_seen_subcommand_from rules lsp" -a '(__fish_complete_suffix .sql)'

complete -c pgsafe -s f -l format -x -a '(__pgsafe_formats)' -d 'output format'
complete -c pgsafe -l pg-version -x -a '10 11 12 13 14 15 16 17' -d 'PostgreSQL major version'
complete -c pgsafe -l assume-in-transaction -d 'the migration tool wraps each file in a transaction'
complete -c pgsafe -l fail-on -x -a 'error warning hint never' -d 'exit 1 on findings at or above'
complete -c pgsafe -l stdin-filename -x -d 'name to show for standard input'
complete -c pgsafe -l max-file-size -x -d 'refuse larger inputs (bytes)'
complete -c pgsafe -l color -x -a 'auto always never' -d 'colour the text output'
complete -c pgsafe -l show-statements -d 'list every statement with its locks and effects'
complete -c pgsafe -l changed-since -x -a '(__fish_git_branches 2>/dev/null)' -d 'report only files changed since the merge-base with REF'
complete -c pgsafe -l with-context -d 'report only the named files; their directories are context'
complete -c pgsafe -l docs-base-url -x -d 'link each rule to URL/<rule-id>'
complete -c pgsafe -l config -r -F -d 'settings file for every input'
complete -c pgsafe -l no-config -d 'read no configuration file'
complete -c pgsafe -l framework -x -a 'auto plain goose dbmate golang-migrate flyway sqitch prisma diesel drizzle rails-structure' -d 'the migration tool the files follow'
complete -c pgsafe -l include-down -d 'also check the down migrations'
complete -c pgsafe -l schema -r -F -d 'seed the catalog from a pg_dump --schema-only file'
complete -c pgsafe -l stats -r -F -d 'table sizes: findings on small tables become hints'
complete -c pgsafe -l small-table-rows -x -d 'a table with fewer rows is small'
complete -c pgsafe -l small-table-bytes -x -d 'a table with fewer bytes is small'
complete -c pgsafe -l plugin -r -F -d 'load a rule plugin (shared object)'
complete -c pgsafe -l plugin-option -x -d 'PLUGIN.NAME=VALUE for a plugin'
complete -c pgsafe -l allow-plugins -d 'load the plugins configuration files name'
complete -c pgsafe -l sql -x -n "__fish_seen_subcommand_from explain" -d 'SQL to explain'
complete -c pgsafe -s h -l help -d 'show the usage'
complete -c pgsafe -s V -l version -d 'show the version'
