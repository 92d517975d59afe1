import Foundation
import Testing
import TestSupport

/// The scripts of issue 7, each as a subprocess of the built `flireo` against its own
/// `flireo sandbox serve`, the end state read back through the sandbox's control routes.
@Suite("Bulk scripts", .serialized, .blocking)
struct BulkScriptTests {}

extension BulkScriptTests {
    @Suite("link-from-csv")
    struct LinkFromCSV {
        @Test("links every row, journals each once, and a re-run has nothing to do")
        func happyPath() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let targets = Array(zip(account.unlinked, account.freeNumbers))
            #expect(targets.count >= 8)
            // Half by id, half by E.164; a BOM, CRLF line ends and a quoted extra column.
            var text = "\u{FEFF}assistant_id,phone_number,note\r\n"
            for (i, (assistant, number)) in targets.enumerated() {
                text += "\(assistant.id),\(i % 2 == 0 ? number.id : number.number),\"row \(i), \"\"quoted\"\"\nsecond line\"\r\n"
            }
            try w.write("rows.csv", text)
            let result = try w.run(["link-from-csv", "--yes", "--progress-every", "3", "rows.csv"])
            #expect(result.status == 0, "\(result.stderr)")
            // Without a terminal: a plain progress line every 3 items, then the summary.
            #expect(result.stderr.contains("linking: 3/\(targets.count)"), "\(result.stderr)")
            #expect(result.stderr.contains("link-from-csv: \(targets.count) done, 0 skipped, 0 failed"))
            let links = try w.sandbox.links()
            for (assistant, number) in targets { #expect(links[assistant.id] == number.id) }
            let records = try w.journal("rows.journal.jsonl")
            let plan = records.filter { $0["type"] as? String == "plan" }
            let done = records.filter { $0["type"] as? String == "outcome" && $0["outcome"] as? String == "done" }
            #expect(plan.count == targets.count)
            #expect(Set(done.compactMap { $0["seq"] as? Int }).count == targets.count)
            #expect(done.count == targets.count)
            // Each row's line counts the quoted line break of the rows before it.
            let lines = plan.compactMap { $0["line"] as? Int }.sorted()
            #expect(lines == targets.indices.map { 2 + 2 * $0 })
            #expect(records.last?["type"] as? String == "end")

            try w.sandbox.resetStats()
            let again = try w.run(["link-from-csv", "--yes", "rows.csv"])
            #expect(again.status == 0)
            #expect(again.stderr.contains("nothing to change"))
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("--json prints one object of one shape per mode, whatever happened")
        func jsonShapes() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let targets = Array(zip(account.unlinked, account.freeNumbers)).prefix(3)
            try w.write("rows.csv", csvText([["assistant_id", "phone_number"]] + targets.map { [$0.0.id, $0.1.id] }))
            func keys(_ arguments: [String]) throws -> [String] {
                let result = try w.run(arguments)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
                return (object?.keys).map { $0.sorted() } ?? ["(no object: \(result.stdout))"]
            }
            let run = ["blocked", "by_code", "done", "done_before", "failed", "journal", "left_out", "maybe_waiting",
                       "not_started", "skipped", "waiting"]
            let rehearsal = ["already_made", "changes", "done_before", "left_out", "steps", "unchanged"]
            #expect(try keys(["link-from-csv", "--dry-run", "--json", "rows.csv"]) == rehearsal)
            #expect(try keys(["link-from-csv", "--yes", "--json", "rows.csv"]) == run)
            // Nothing to change, a finished journal resumed, a filter matching nobody.
            #expect(try keys(["link-from-csv", "--yes", "--json", "--journal", "again.jsonl", "rows.csv"]) == run)
            #expect(try keys(["link-from-csv", "--dry-run", "--json", "--journal", "again.jsonl", "rows.csv"]) == rehearsal)
            #expect(try keys(["link-from-csv", "--yes", "--json", "--resume", "rows.csv"]) == run)
            #expect(try keys(["link-from-csv", "--dry-run", "--json", "--resume", "rows.csv"]) == rehearsal)
            #expect(try keys(["unlink", "--yes", "--json", "--name", "no assistant has this name"]) == run)
            #expect(try keys(["unlink", "--dry-run", "--json", "--name", "no assistant has this name"]) == rehearsal)
        }

        @Test("bad rows are all reported with their lines, and nothing is sent")
        func badRows() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let free = account.freeNumbers
            let a = account.unlinked + account.customLinked
            try w.write("bad.csv", csvText([
                ["assistant_id", "phone_number"],
                [a[0].id, free[0].number],                       // 2: fine
                ["not-a-uuid", free[1].number],                  // 3: bad uuid
                [a[1].id, "+31 20 123"],                         // 4: bad number
                [a[0].id, free[2].id],                           // 5: assistant again
                [a[2].id, free[0].number],                       // 6: number again
                [a[3].id, account.defaults[0]],                  // 7: a default
                [a[4].id, account.defaults[1]],                  // 8: a second default
                [a[5].id, "+31999999999"],                       // 9: not in the account
            ]))
            let result = try w.run(["link-from-csv", "--yes", "bad.csv"])
            #expect(result.status == 1)
            for line in [3, 4, 5] { #expect(result.stderr.contains("bad.csv:\(line):"), "line \(line): \(result.stderr)") }
            // What only the account can tell comes once the file's own problems are fixed, and it says so.
            #expect(result.stderr.contains("the account was not read"), "\(result.stderr)")
            // A space before a quote keeps the quotes in the value: the message says so.
            try w.write("spaced.csv", "assistant_id,phone_number\n\(a[0].id), \"\(free[0].number)\"\n")
            let spaced = try w.run(["link-from-csv", "--dry-run", "spaced.csv"])
            #expect(spaced.status == 1 && spaced.stderr.contains("is there a space before the opening quote?"), "\(spaced.stderr)")
            #expect(result.stderr.contains("nothing was sent"))
            #expect(try w.sandbox.mutations() == 0)

            // With the syntax fixed, what only the account can tell is reported by line too.
            try w.write("bad.csv", csvText([
                ["assistant_id", "phone_number"],
                [a[0].id, free[0].number],
                [a[2].id, free[0].id],
                [a[3].id, account.defaults[0]],
                [a[4].id, account.defaults[1]],
                [a[5].id, "+31999999999"],
            ]))
            let second = try w.run(["link-from-csv", "--yes", "bad.csv"])
            #expect(second.status == 1)
            for line in [3, 5, 6] { #expect(second.stderr.contains("bad.csv:\(line):"), "line \(line): \(second.stderr)") }
            #expect(try w.sandbox.mutations() == 0)
            #expect(!w.exists("bad.journal.jsonl"))
        }

        @Test("--dry-run prints the plan and sends no mutation")
        func dryRun() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let before = try w.sandbox.links()
            let rows = zip(account.unlinked, account.freeNumbers).map { [$0.0.id, $0.1.number] }
            try w.write("rows.csv", csvText([["assistant_id", "phone_number"]] + rows))
            let result = try w.run(["link-from-csv", "--dry-run", "rows.csv"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("\(rows.count) changes"))
            #expect(result.stdout.split(separator: "\n").filter { $0.contains(" link ") }.count == rows.count)
            #expect(try w.sandbox.mutations() == 0)
            #expect(try w.sandbox.links() == before)
            #expect(!w.exists("rows.journal.jsonl"))
            // The global flag means the same.
            let global = try w.run(["--dry-run", "link-from-csv", "rows.csv"])
            #expect(global.status == 0, "\(global.stderr)")
            #expect(try w.sandbox.mutations() == 0)
            // The dry run says how long the real one takes at the client's pace: 130 links at
            // two requests a second are over a minute (the account's few pages are not).
            let big = try Workspace(assistants: 140, numbers: 300)
            let bigAccount = try AccountData(big.sandbox)
            let many = zip(bigAccount.assistants, bigAccount.freeNumbers).prefix(130).map { [$0.0.id, $0.1.id] }
            try #require(many.count == 130)
            try big.write("many.csv", csvText([["assistant_id", "phone_number"]] + many))
            let paced = try big.run(["--rate-limit", "2/s", "link-from-csv", "--dry-run", "many.csv"])
            #expect(paced.status == 0 && paced.stderr.contains("this takes about 2 min"), "\(paced.stderr)")
            #expect(try big.sandbox.mutations() == 0)
        }

        @Test("a journal left by a run on another server (a --sandbox rehearsal) is named so, and a dry run warns of it")
        func journalOfAnotherServer() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let pairs = zip(account.unlinked, account.freeNumbers).prefix(4).map { [$0.0.id, $0.1.number] }
            try #require(pairs.count == 4)
            try w.write("rows.csv", csvText([["assistant_id", "phone_number"]] + pairs.prefix(2)))
            try w.write("more.csv", csvText([["assistant_id", "phone_number"]] + pairs.suffix(2)))
            #expect(try w.run(["link-from-csv", "--yes", "rows.csv"]).status == 0)
            // As a rehearsal on `--sandbox` leaves it: the same journal, another (gone) server.
            let path = w.directory.appendingPathComponent("rows.journal.jsonl").path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try text.replacingOccurrences(of: w.sandbox.baseURL, with: "http://127.0.0.1:1").write(toFile: path, atomically: true, encoding: .utf8)
            let mutations = try w.sandbox.mutations()
            let dry = try w.run(["link-from-csv", "--dry-run", "--journal", "rows.journal.jsonl", "more.csv"])
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stderr.contains("link-from-csv: note: the run itself would stop here: the journal rows.journal.jsonl already "
                + "exists and records a run against another server (link-from-csv, started "), "\(dry.stderr)")
            let real = try w.run(["link-from-csv", "--yes", "--journal", "rows.journal.jsonl", "more.csv"])
            #expect(real.status == 1, "\(real.stderr)")
            #expect(real.stderr.contains("on http://127.0.0.1:1; this run talks to \(w.sandbox.baseURL)): to run here, remove it"), "\(real.stderr)")
            #expect(!real.stderr.contains("undo"), "an undo cannot reach that server: \(real.stderr)")
            #expect(try w.sandbox.mutations() == mutations)
        }

        @Test("a paced read of the account says how far it is once it takes more than two seconds")
        func accountReadProgress() throws {
            let w = try Workspace(assistants: 150, numbers: 900)
            // Nine pages of numbers at two requests a second: four seconds and more.
            let paced = try w.run(["--rate-limit", "2/s", "export-links", "links.csv"])
            #expect(paced.status == 0, "\(paced.stderr)")
            let lines = paced.stderr.split(separator: "\n").filter { $0.hasPrefix("export-links: reading the account (phone numbers): ") }
            #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("/90") && $0.contains("%") }, "\(paced.stderr)")
            // Unpaced, the same read is quick and says nothing.
            let quick = try w.run(["export-links", "--force", "links.csv"])
            #expect(quick.status == 0 && !quick.stderr.contains("reading the account ("), "\(quick.stderr)")
        }

        @Test("on a terminal: a progress bar redrawn in place, then the summary")
        func progressBar() throws {
            let w = try Workspace(assistants: 120, numbers: 200)
            let account = try AccountData(w.sandbox)
            let rows = zip(account.unlinked, account.freeNumbers).map { [$0.0.id, $0.1.id] }
            try w.write("rows.csv", csvText([["assistant_id", "phone_number"]] + rows))
            try w.sandbox.setFaults(["latency_ms": 30])
            // util-linux `script` gives the run a terminal.
            let command = "'\(try Flireo.binary())' run link-from-csv --yes -c 2 rows.csv"
            let (status, text) = try w.runProgram("/usr/bin/script", ["-qfec", command, "/dev/null"], capturing: 1)
            #expect(status == 0, "\(text)")
            #expect(text.contains("\rlinking ["), "\(text)")
            #expect(text.contains("/\(rows.count)") && text.contains("/s"))
            #expect(text.contains("link-from-csv: \(rows.count) done"))
        }

        @Test("without --yes and without a terminal it refuses with exit 2, journal-less")
        func refusesWithoutYes() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            try w.write("rows.csv", csvText([["assistant_id", "phone_number"], [account.unlinked[0].id, account.freeNumbers[0].id]]))
            let result = try w.run(["link-from-csv", "rows.csv"])
            #expect(result.status == 2)
            #expect(result.stderr.contains("--yes"))
            #expect(!result.stderr.contains("reading the account"), "refused before the account is read: \(result.stderr)")
            #expect(try w.sandbox.mutations() == 0)
            #expect(!w.exists("rows.journal.jsonl"))
        }
    }
}
