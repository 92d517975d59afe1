-- Links assistants to the phone numbers listed in a CSV file.
--
-- Usage: flireo run link-from-csv [options] FILE.csv
--
-- FILE.csv starts with a header row naming the columns assistant_id and phone_number
-- (a phone number id, or an E.164 number such as +31201234567); other columns are
-- ignored. Every row is checked before anything is sent: a malformed id or number, an
-- assistant listed twice, a number listed twice, two assistants on shared default
-- numbers, an assistant or number the account does not have, a number held by an
-- assistant the file does not mention. All problems are reported with their line
-- numbers, and then nothing is sent. Rows already as wanted are skipped; an assistant
-- holding a wanted number moves first, and assistants swapping numbers are handled.
--
-- Arguments:
--   FILE.csv               the links to make (- reads them from standard input,
--                          for a --dry-run only)
--
-- Options:
--   --dry-run              print the plan and send no change
--   -y, --yes              do not ask for confirmation (needed when stdin is not a terminal)
--   -c, --concurrency N    requests in flight at once, 1 to 256 (default 16)
--   -j, --journal FILE     the journal (default: NAME.journal.jsonl in the current
--                          directory, NAME being FILE.csv's name without .csv)
--   --resume               continue the run the journal records: only what is left is sent
--   --max-failures N       stop starting new links after N have failed
--   --progress-every N     without a terminal, a progress line every N links (default 1000)
--   --json                 print the plan (with --dry-run) or the summary as JSON on stdout
--   -h, --help             show this help
--
-- Changes data: yes, it links numbers (a number an assistant had before becomes
-- available). Journaled: an interrupted run continues with --resume, and
-- `flireo run undo JOURNAL` puts every assistant back as it was.
-- Exit status: 0 done, 1 bad input or refused, 2 bad usage or no --yes without a
-- terminal, 3 some links failed, 130 interrupted (143 SIGTERM, 129 SIGHUP, 141 standard
-- output closed)
-- (Ctrl-C: the message gives the command that continues the run).
local cli = require "flireo.cli"
local linkfile = require "flireo.linkfile"

local opts = cli.parse(arg, {mutating = true, positional = {min = 1, max = 1}})
linkfile.apply(flireo, opts, {kind = "CSV file", label = "linking", outside = "refuse", one_default = true})
