/// The texts of `flireo help` and of a bad option.
enum Usage {
    static let version = "0.1.0"
    static let luaCopyright = "Lua 5.4.4  Copyright (C) 1994-2022 Lua.org, PUC-Rio"

    static let options = """
        usage: flireo [options] [script [args]]
        Available options are:
          -e stat   execute string 'stat'
          -i        enter interactive mode after executing 'script'
          -l mod    require library 'mod' into global 'mod'
          -l g=mod  require library 'mod' into global 'g'
          -v        show version information
          -E        ignore environment variables
          -W        turn warnings on
          --        stop handling options
          -         stop handling options and execute stdin

        """

    static let flireoOptions = """
        Flireo options (before the script):
          --sandbox          start the local sandbox and use it (no account needed)
          --base-url URL     the Flireo API to use (or FLIREO_BASE_URL, or the profile)
          --profile NAME     a profile of $XDG_CONFIG_HOME/flireo/config (or FLIREO_PROFILE)
          --rate-limit SPEC  client pacing: 100/min (the documented default), 5/s, off
          --dry-run          send reads, predict and print mutations instead of sending them
          --verbose          trace every request on stderr (the key never appears)
          --allow-http       allow http:// to a host that is not this machine
          --help, --version

        The API key: FLIREO_API_KEY, or api_key / api_key_env in the profile (a file
        holding a key must be mode 0600). No flag takes it: a flag shows in `ps`.

        """

    static let help = """
        flireo \(version) — Lua 5.4 with the Flireo AI API as its standard library.

        \(options)
        \(flireoOptions)
        Subcommands:
          flireo sandbox serve [options]   run the local Flireo-compatible sandbox server
          flireo run [options] NAME [args] run a shipped bulk script (NAME --help for its usage)
          flireo scripts                   list the shipped scripts
          flireo help [run|sandbox|NAME]   this text, or that command's or script's help

        Exit status: 0 success; 1 an error; 2 bad usage of run or of a shipped script, or
        a script that changes data without --yes on a non-terminal; 3 a bulk run where some
        items failed; 130 a shipped script (or one using the bulk contract) stopped by Ctrl-C
        (143 by SIGTERM, 129 by SIGHUP, 141 when one that changes data loses its output's
        reader); a plain script stopped by Ctrl-C exits 1, as in lua; flireo sandbox serve
        exits 64 for a bad option or value.

        """
}
