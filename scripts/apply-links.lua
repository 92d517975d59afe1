-- Makes the account's links match a snapshot or a desired-state CSV (restores a backup).
--
-- Usage: flireo run apply-links [options] FILE
--
-- FILE is what export-links writes (CSV or JSON), or any CSV with the columns
-- assistant_id and phone_number (an id or an E.164 number; empty: no number) or
-- phone_number_id (with both columns, empty both for no number). The plan is the difference between the account now and FILE, for
-- the assistants FILE lists (others are left alone, except one holding a number FILE
-- gives to someone else: it is unlinked first, and the plan says so). It is ordered so
-- that no link hits already_in_use: a holder moves or is unlinked first, and a swap
-- cycle between assistants is broken through one unlink. Links to shared default
-- numbers say which assistants they release. The plan is shown, then applied after
-- confirmation. Every row is checked first; problems are reported with their line
-- numbers and then nothing is sent.
--
-- Arguments:
--   FILE                   the wanted links (.csv, or .json from export-links --json;
--                          - reads a CSV from standard input, for a --dry-run only)
--
-- Options:
--   --dry-run              print the whole plan and send no change
--   -y, --yes              do not ask for confirmation (needed when stdin is not a terminal)
--   -c, --concurrency N    requests in flight at once, 1 to 256 (default 16)
--   -j, --journal FILE     the journal (default: NAME.journal.jsonl in the current
--                          directory, NAME being FILE's name without its extension)
--   --resume               continue the run the journal records: only what is left is sent
--   --skip-shared-defaults when FILE puts several assistants on shared default numbers
--                          (only one can be on one), leave those rows out and apply the
--                          rest; the plan lists them
--   --max-failures N       stop starting new changes after N have failed
--   --progress-every N     without a terminal, a progress line every N changes (default 1000)
--   --json                 print the plan (with --dry-run) or the summary as JSON on stdout
--   -h, --help             show this help
--
-- Changes data: yes, it links and unlinks numbers. Journaled: an interrupted run
-- continues with --resume, and `flireo run undo JOURNAL` puts everything back.
-- Exit status: 0 done, 1 bad input or refused, 2 bad usage or no --yes without a
-- terminal, 3 some changes failed, 130 interrupted (143 SIGTERM, 129 SIGHUP, 141 standard
-- output closed)
-- (Ctrl-C: the message gives the command that continues the run).
local cli = require "flireo.cli"
local linkfile = require "flireo.linkfile"

local opts = cli.parse(arg, {mutating = true, positional = {min = 1, max = 1},
  options = {{name = "skip-shared-defaults", type = "boolean"}}})
linkfile.apply(flireo, opts, {kind = "file", label = "applying", outside = "unlink", allow_unlink = true,
  skip_hint = "; --skip-shared-defaults leaves those rows out and applies the rest"})
