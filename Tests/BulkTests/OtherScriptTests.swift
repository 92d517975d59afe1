import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

extension BulkScriptTests {
    @Suite("unlink, audit, export-links, order-numbers, the script list")
    struct OtherScripts {
        @Test("unlink by filter and by id, journaled, and undone")
        func unlinkAndUndo() throws {
            let w = try Workspace()
            let before = try w.sandbox.links()
            let account = try AccountData(w.sandbox)
            let dry = try w.run(["unlink", "--dry-run", "--default"])
            #expect(dry.status == 0 && dry.stdout.contains("3 changes"), "\(dry.stdout)\(dry.stderr)")
            #expect(try w.sandbox.mutations() == 0)

            let target = account.customLinked[0]
            // Short flags together, as getopt takes them: -yc 2 is -y -c 2.
            let byID = try w.run(["unlink", "-yc", "2", target.id, account.unlinked[0].id])
            #expect(byID.status == 0, "\(byID.stderr)")
            #expect(byID.stderr.contains("1 done, 1 skipped"), "\(byID.stderr)")
            #expect(try w.sandbox.links()[target.id] == nil)
            let journal = try FileManager.default.contentsOfDirectory(atPath: w.directory.path)
                .first { $0.hasPrefix("unlink-") && $0.hasSuffix(".journal.jsonl") }
            let undo = try w.run(["undo", "--yes", journal ?? "missing"])
            #expect(undo.status == 0, "\(undo.stderr)")
            #expect(try w.sandbox.links() == before)

            let bad = try w.run(["unlink", "--yes", "nope"])
            #expect(bad.status == 1 && bad.stderr.contains("not an assistant id"))
            let none = try w.run(["unlink", "--yes"])
            #expect(none.status == 2)
            // An empty filter (an unset shell variable) is a usage error, not "every assistant".
            let empty = try w.run(["unlink", "--yes", "--name", ""])
            #expect(empty.status == 2 && empty.stderr.contains("--name"), "\(empty.stderr)")
            let nobody = try w.run(["unlink", "--yes", "--name", "no such assistant name"])
            #expect(nobody.status == 0 && nobody.stderr.contains("no assistant matches"), "\(nobody.stderr)")
            #expect(try w.sandbox.links() == before)
        }

        @Test("audit finds the fixture's idle assistant, unused numbers, shared defaults and the conflict")
        func audit() throws {
            let w = try Workspace()
            let fixture = try w.sandbox.fixture()
            let result = try w.run(["audit"])
            #expect(result.status == 0, "\(result.stderr)")
            let rows = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(rows.first == "kind,assistant_id,assistant_name,phone_number_id,phone_number,detail")
            let idle = fixture["assistant_without_number"] as? String ?? "?"
            #expect(rows.contains { $0.hasPrefix("no_number,\(idle),") })
            let free = fixture["free_custom_number"] as? String ?? "?"
            #expect(rows.contains { $0.hasPrefix("unused_number,,,\(free),") })
            for assistant in fixture["assistants_on_default_number"] as? [String] ?? [] {
                #expect(rows.contains { $0.hasPrefix("on_default,\(assistant),") })
            }
            #expect(rows.filter { $0.hasPrefix("conflict,") }.count == 2)
            let json = try w.run(["audit", "--json", "--only", "conflict"])
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let counts = object?["counts"] as? [String: Int]
            // One default number shared by two assistants: one conflict, in two rows.
            #expect(counts?["conflict"] == 1)
            #expect(json.stderr.contains(" on default numbers, 1 conflict\n"), "\(json.stderr)")
            // --only lists one kind but counts them all: no false zeros.
            #expect(counts?["no_number"] == rows.filter { $0.hasPrefix("no_number,") }.count)
            #expect(counts?["unused_number"] == rows.filter { $0.hasPrefix("unused_number,") }.count)
            #expect((object?["findings"] as? [Any])?.count == 2)
            // Ctrl-C in a script that only reads: it says so (no journal to speak of), exit 130.
            try w.sandbox.setFaults(["latency_ms": 3000])
            let (slow, _, err) = try w.process(["audit"])
            let stderr = Workspace.Collected()
            err.fileHandleForReading.readabilityHandler = { stderr.append(err: $0.availableData) }
            try slow.run()
            Thread.sleep(forTimeInterval: 1)
            kill(slow.processIdentifier, SIGINT)
            slow.waitUntilExit()
            err.fileHandleForReading.readabilityHandler = nil
            stderr.append(err: err.fileHandleForReading.readDataToEndOfFile())
            #expect(slow.terminationStatus == 130, "\(stderr.err)")
            #expect(stderr.err.contains("audit: interrupted; it changes nothing, so it can simply be run again"), "\(stderr.err)")
            try w.sandbox.setFaults(["latency_ms": 0])
            let both = try w.run(["audit", "--csv", "--table"])
            #expect(both.status == 2 && both.stderr.contains("--csv and --table: choose one output format"), "\(both.stderr)")
            // A name with a line break and a tab stays on its row.
            _ = try w.sandbox.request("PATCH", "/v1/assistants/\(idle)", body: ["name": "Two\nlines\tand a tab"])
            // The tables: a title per kind, then its rows, each starting with two blanks.
            let table = try w.run(["audit", "--table"])
            #expect(table.stdout.contains("\"Two\\nlines\\tand a tab\""), "\(table.stdout)")
            let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(table.status == 0 && lines.first?.hasPrefix("Assistants without a number: ") == true, "\(table.stdout)")
            #expect(lines.allSatisfy { $0.hasPrefix("  ") || $0.contains(": ") }, "\(table.stdout)")
            #expect(lines.contains { $0.hasPrefix("  \(idle) ") }, "\(table.stdout)")
            #expect(lines.filter { !$0.hasPrefix("  ") }.count == 4, "\(table.stdout)")
            #expect(try w.sandbox.mutations() == 1, "the rename only")
            // The table lines up by characters: names with "—" (3 bytes) too.
            let onDefault = fixture["assistants_on_default_number"] as? [String] ?? []
            _ = try w.sandbox.request("PATCH", "/v1/assistants/\(onDefault.first ?? "?")", body: ["name": "Desk — Brussel — Zuid"])
            let aligned = try w.run(["audit", "--table", "--only", "on_default"])
            let columns = aligned.stdout.split(separator: "\n").compactMap { line in
                line.range(of: " +31").map { line.distance(from: line.startIndex, to: $0.lowerBound) }
            }
            #expect(aligned.stdout.contains("Desk — Brussel — Zuid"), "\(aligned.stdout)")
            #expect(columns.count >= 2 && Set(columns).count == 1, "\(aligned.stdout)")
        }

        @Test("export-links writes every assistant, CSV or JSON, and never over a file by accident")
        func export() throws {
            let w = try Workspace()
            let links = try w.sandbox.links()
            let account = try AccountData(w.sandbox)
            let result = try w.run(["export-links", "--json"])
            #expect(result.status == 0)
            let rows = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
            #expect(rows.count == account.assistants.count)
            for row in rows {
                let id = row["assistant_id"] as? String ?? ""
                #expect((row["phone_number_id"] as? String) == links[id])
            }
            try w.write("taken.csv", "keep\n")
            let refused = try w.run(["export-links", "taken.csv"])
            #expect(refused.status == 1 && refused.stderr.contains("already exists"))
            #expect(try w.read("taken.csv") == "keep\n")
            #expect(try w.run(["export-links", "--force", "taken.csv"]).status == 0)
            #expect(try w.read("taken.csv").hasPrefix("assistant_id,assistant_name"))
            // Through a symbolic link, the file it names is replaced and the link stays.
            try w.write("target.csv", "old\n")
            let link = w.directory.appendingPathComponent("latest.csv").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.csv")
            #expect(try w.run(["export-links", "--force", "latest.csv"]).status == 0)
            #expect(try w.read("target.csv").hasPrefix("assistant_id,assistant_name"))
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == "target.csv")
            // A link to a file not there yet: the file is created where it points, the link stays.
            let dangling = w.directory.appendingPathComponent("next.csv").path
            try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "made.csv")
            #expect(try w.run(["export-links", "next.csv"]).status == 0)
            #expect(try w.read("made.csv").hasPrefix("assistant_id,assistant_name"))
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dangling)) == "made.csv")
            // A run's journal is never replaced, even with --force: --resume and undo need it.
            let unlinked = try AccountData(w.sandbox).customLinked[0].id
            #expect(try w.run(["unlink", "--yes", "--journal", "run.jsonl", unlinked]).status == 0)
            let journal = try w.read("run.jsonl")
            let kept = try w.run(["export-links", "--force", "run.jsonl"])
            #expect(kept.status == 1 && kept.stderr.contains("run.jsonl is a flireo journal"), "\(kept.stderr)")
            #expect(try w.read("run.jsonl") == journal)
        }

        @Test("export-links stopped while it reads leaves no temporary file; two at once to one file do not mix")
        func exportInterruptedAndTwice() throws {
            let w = try Workspace(assistants: 300)
            try w.sandbox.setFaults(["latency_ms": 200])
            let (process, out, err) = try w.process(["export-links", "stopped.csv"])
            out.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
            err.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
            try process.run()
            Thread.sleep(forTimeInterval: 0.6)
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            out.fileHandleForReading.readabilityHandler = nil
            err.fileHandleForReading.readabilityHandler = nil
            #expect(process.terminationStatus == 143)
            let left = try FileManager.default.contentsOfDirectory(atPath: w.directory.path).filter { $0.hasPrefix("stopped.csv") }
            #expect(left.isEmpty, "\(left)")
            // Two exports to one file: each writes its own temporary file; the file is one of them, whole.
            let (a, aOut, aErr) = try w.process(["export-links", "same.csv"])
            let (b, bOut, bErr) = try w.process(["export-links", "--json", "--force", "same.csv"])
            for pipe in [aOut, aErr, bOut, bErr] { pipe.fileHandleForReading.readabilityHandler = { _ = $0.availableData } }
            try a.run()
            Thread.sleep(forTimeInterval: 0.2)
            try b.run()
            a.waitUntilExit()
            b.waitUntilExit()
            for pipe in [aOut, aErr, bOut, bErr] { pipe.fileHandleForReading.readabilityHandler = nil }
            #expect(a.terminationStatus == 0 || b.terminationStatus == 0)
            let text = try w.read("same.csv")
            let whole = text.hasPrefix("assistant_id,") ? text.hasSuffix("\r\n") : (text.hasPrefix("[") && text.hasSuffix("]\n"))
            #expect(whole, "\(text.prefix(80)) … \(text.suffix(80))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: w.directory.path).filter { $0.hasSuffix(".partial") }.isEmpty)
        }

        @Test("--json stopped while its summary is being written: one JSON object on stdout, never a second after it")
        func jsonStoppedWhileWriting() throws {
            let w = try Workspace()
            let (process, out, err) = try w.process(["audit", "--json"])
            // The pipe full before the run starts: its summary's write waits for a reader.
            let filler = Data(repeating: UInt8(ascii: " "), count: 65536)
            try out.fileHandleForWriting.write(contentsOf: filler)
            err.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
            try process.run()
            Thread.sleep(forTimeInterval: 1.5)
            kill(process.processIdentifier, SIGTERM)
            Thread.sleep(forTimeInterval: 0.3)
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            err.fileHandleForReading.readabilityHandler = nil
            let text = String(decoding: data.dropFirst(filler.count), as: UTF8.self)
            // The summary whole (it went out), and nothing after it.
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8))
            #expect(object is [String: Any], "\(text.suffix(200))")
            #expect(!text.contains("\"interrupted\""), "\(text.suffix(200))")
        }

        @Test("export-links never writes a backup that lacks an assistant when the account changes while it is read")
        func exportDuringChurn() throws {
            let w = try Workspace(seed: 4, assistants: 3000, numbers: 2500)
            let before = Set(try w.sandbox.list("/v1/assistants").compactMap { $0["id"] as? String })
            // Pages that take a while, and an account where one assistant goes and another
            // comes every quarter second: the total stays the same, so counts cannot tell.
            try w.sandbox.setFaults(["latency_ms": 300])
            let (process, out, err) = try w.process(["export-links", "backup.csv"])
            let collected = Workspace.Collected()
            out.fileHandleForReading.readabilityHandler = { collected.append(out: $0.availableData) }
            err.fileHandleForReading.readabilityHandler = { collected.append(err: $0.availableData) }
            try process.run()
            Thread.sleep(forTimeInterval: 0.5)
            var touched = Set<String>()
            while process.isRunning {
                let page = try w.sandbox.request("GET", "/v1/assistants?limit=1&offset=0") as? [String: Any]
                guard let first = (page?["data"] as? [[String: Any]])?.first?["id"] as? String else { break }
                touched.insert(first)
                _ = try w.sandbox.request("DELETE", "/v1/assistants/\(first)")
                _ = try w.sandbox.request("POST", "/v1/assistants", body: ["name": "churn \(touched.count)"])
                Thread.sleep(forTimeInterval: 0.25)
            }
            process.waitUntilExit()
            out.fileHandleForReading.readabilityHandler = nil
            err.fileHandleForReading.readabilityHandler = nil
            #expect(!touched.isEmpty)
            if process.terminationStatus == 0 {
                // Whatever it wrote holds every assistant that was there throughout.
                let written = Set(try w.read("backup.csv").split(separator: "\r\n").dropFirst().map { String($0.prefix(36)) })
                #expect(before.subtracting(touched).subtracting(written).isEmpty, "\(collected.err)")
            } else {
                #expect(process.terminationStatus == 1 && collected.err.contains("changed while it was read"), "\(collected.err)")
                #expect(!w.exists("backup.csv"))
            }
        }

        @Test("order-numbers shows the cost, orders and follows each order; resume never orders twice")
        func orderNumbers() throws {
            let w = try Workspace()
            let dry = try w.run(["order-numbers", "--count", "2", "--dry-run"])
            #expect(dry.status == 0 && dry.stderr.contains("Total: 20 credits"), "\(dry.stderr)")
            #expect(try w.sandbox.mutations() == 0)
            let refused = try w.run(["order-numbers", "--count", "2"])
            #expect(refused.status == 2)
            let result = try w.run(["order-numbers", "--count", "2", "--yes"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("2 done"))
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == 2)
            // The summary names what was bought; the account has them now.
            let bought = result.stderr.components(separatedBy: "order-numbers: ordered ").last?
                .split(separator: "\n").first?.components(separatedBy: ", ") ?? []
            #expect(bought.count == 2 && bought.allSatisfy { $0.hasPrefix("+") }, "\(result.stderr)")
            let owned = try AccountData(w.sandbox).numbers.map(\.number)
            #expect(bought.allSatisfy { owned.contains($0) }, "\(bought) \(owned)")
            let journal = try FileManager.default.contentsOfDirectory(atPath: w.directory.path)
                .first { $0.hasPrefix("order-numbers-") } ?? "missing"
            let again = try w.run(["order-numbers", "--count", "2", "--yes"])
            #expect(again.status == 1 && again.stderr.contains("already exists and records a run that finished"), "\(again.stderr)")
            #expect(!again.stderr.contains("undo"), "orders cannot be undone: \(again.stderr)")
            // Its rehearsal says so too, before anyone answers a question.
            let rehearsal = try w.run(["order-numbers", "--count", "2", "--dry-run"])
            #expect(rehearsal.status == 0 && rehearsal.stderr.contains(
                "note: the run itself would stop here: the journal \(journal) already exists"), "\(rehearsal.stderr)")
            let resumed = try w.run(["order-numbers", "--count", "2", "--yes", "--resume", "--journal", journal])
            #expect(resumed.status == 0 && resumed.stderr.contains("nothing left to do"), "\(resumed.stderr)")
            // It still names what the journal's run bought: a lost summary is not lost for good.
            #expect(resumed.stderr.contains("order-numbers: ordered \(bought.sorted().joined(separator: ", ")) (all of them in an earlier run)"),
                    "\(resumed.stderr)")
            // With --json, the summary's shape even then.
            let resumedJSON = try w.run(["order-numbers", "--count", "2", "--yes", "--json", "--resume", "--journal", journal])
            let summary = try JSONSerialization.jsonObject(with: Data(resumedJSON.stdout.utf8)) as? [String: Any]
            #expect(summary?["done"] as? Int == 0 && summary?["journal"] as? String == journal, "\(resumedJSON.stdout)")
            #expect(summary?["done_before"] as? Int == 2 && (summary?["numbers"] as? [String])?.sorted() == bought.sorted(),
                    "\(resumedJSON.stdout)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == 2)
            let undo = try w.run(["undo", "--yes", journal])
            #expect(undo.status == 1 && undo.stderr.contains("cannot be undone"))

            // Credits for one more order: the second fails, no third is placed (out of credits,
            // every later order would fail too), the run says so and exits 3.
            _ = try w.sandbox.request("PUT", "/_sandbox/credits", body: ["credits": 10])
            let placed = try w.sandbox.routes()["POST /v1/phone-numbers"] ?? 0
            let short = try w.run(["order-numbers", "--count", "3", "-c", "1", "--yes", "--journal", "short.jsonl"])
            #expect(short.status == 3, "\(short.stderr)")
            #expect(short.stderr.contains("1 done, 0 skipped, 1 failed"), "\(short.stderr)")
            #expect(short.stderr.contains("stopped early: insufficient_credits"), "\(short.stderr)")
            #expect(short.stderr.contains("by code: insufficient_credits 1"))
            #expect(short.stderr.contains("to place or follow what is left once the cause is fixed: "), "\(short.stderr)")
            #expect(short.stderr.contains("run order-numbers --count 3 -c 1 --yes --journal short.jsonl --resume"), "\(short.stderr)")
            // A bare --resume names what it needs to find the journal.
            let bare = try w.run(["order-numbers", "--resume", "--yes"])
            #expect(bare.status == 1 && bare.stderr.contains("resume with the same --count"), "\(bare.stderr)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == placed + 2)
            // Credits again: --resume places exactly the failed order and the one never tried.
            _ = try w.sandbox.request("PUT", "/_sandbox/credits", body: ["credits": 1000])
            let rest = try w.run(["order-numbers", "--count", "3", "-c", "1", "--yes", "--resume", "--journal", "short.jsonl"])
            #expect(rest.status == 0, "\(rest.stderr)")
            #expect(rest.stderr.contains("1 of 3 orders done, 2 left"), "\(rest.stderr)")
            #expect(rest.stderr.contains("(1 of them in an earlier run)"), "\(rest.stderr)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == placed + 4)
            let plan = try w.journal("short.jsonl").filter { $0["type"] as? String == "plan" }
            #expect(plan.count == 3 && plan.allSatisfy { $0["number_type"] as? String == "national" })
        }

        @Test("order-numbers --resume: a dry run orders and writes nothing, a failed order is not placed again, another account is refused")
        func orderNumbersResume() throws {
            let w = try Workspace(keys: ["test-key", "key-two"])
            // Credits for one order of three: one done, one refused, one not started.
            _ = try w.sandbox.request("PUT", "/_sandbox/credits", body: ["credits": 10])
            let short = try w.run(["order-numbers", "--count", "3", "-c", "1", "--yes", "--journal", "r.jsonl"])
            #expect(short.status == 3, "\(short.stderr)")
            _ = try w.sandbox.request("PUT", "/_sandbox/credits", body: ["credits": 1000])
            let placed = try w.sandbox.routes()["POST /v1/phone-numbers"] ?? 0
            let journal = try w.read("r.jsonl")
            // A dry run of the resume (its own flag, or flireo's before `run`) shows what is left and sends no order.
            let dry = try w.run(["order-numbers", "--count", "3", "--resume", "--dry-run", "--yes", "--json", "--journal", "r.jsonl"])
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stderr.contains("1 of 3 orders done, 2 left") && dry.stderr.contains("Total: 20 credits"), "\(dry.stderr)")
            #expect(dry.stderr.contains("dry run: nothing was ordered"), "\(dry.stderr)")
            let plan = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any]
            #expect((plan?["steps"] as? [[String: Any]])?.map { $0["action"] as? String } == ["order", "order"], "\(dry.stdout)")
            let global = try w.runProgram(try Flireo.binary(), ["--dry-run", "run", "order-numbers", "--count", "3", "--resume",
                                                                 "--journal", "r.jsonl"], capturing: 2)
            #expect(global.status == 0 && global.output.contains("dry run: nothing was ordered"), "\(global.output)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] ?? 0 == placed)
            #expect(try w.read("r.jsonl") == journal, "a dry run writes nothing to the journal")
            // Another account's key on the same server: refused before any order.
            let other = try w.run(["order-numbers", "--count", "3", "--resume", "--yes", "--journal", "r.jsonl"], key: "key-two")
            #expect(other.status == 1 && other.stderr.contains("was written for another account"), "\(other.stderr)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] ?? 0 == placed)

            // An order that ends failed (the sandbox fails numbers ending in 00) is final: a
            // resume does not place it again, and says what to do instead.
            let found = try w.sandbox.request("GET", "/v1/phone-numbers/available?number_type=national&query=00&limit=50")
            let items = (found as? [String: Any])?["data"] as? [[String: Any]] ?? []
            let failing = try #require(items.compactMap { $0["phone_number"] as? String }.first { $0.hasSuffix("00") })
            let query = String(failing.suffix(8))
            let first = try w.run(["order-numbers", "--count", "1", "--query", query, "--yes", "--journal", "f.jsonl"])
            #expect(first.status == 3 && first.stderr.contains("order_failed"), "\(first.stderr)")
            #expect(first.stderr.contains("which no --resume changes") && !first.stderr.contains("--resume\n"), "\(first.stderr)")
            let before = try w.sandbox.routes()["POST /v1/phone-numbers"] ?? 0
            let again = try w.run(["order-numbers", "--count", "1", "--query", query, "--yes", "--journal", "f.jsonl", "--resume"])
            #expect(again.status == 3 && again.stderr.contains("nothing left to do"), "\(again.stderr)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] ?? 0 == before)
            // The resume follows the journaled orders by id, not by reading the whole order history.
            try w.sandbox.resetStats()
            let rest = try w.run(["order-numbers", "--count", "3", "--resume", "--yes", "--journal", "r.jsonl"])
            #expect(rest.status == 0 && rest.stderr.contains("2 done"), "\(rest.stderr)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == 2)
            let routes = try w.sandbox.routes()
            #expect(routes["GET /v1/phone-number-orders"] ?? 0 <= 1, "\(routes)")
        }

        @Test("order-numbers --resume: an account without assistants is told by its key; a refused order is not another's")
        func orderNumbersResumeAccounts() throws {
            let w = try Workspace(keys: ["test-key", "key-two"], assistants: 0)
            // Credits for one order of three: one bought, one refused (402), one not started.
            _ = try w.sandbox.request("PUT", "/_sandbox/credits", body: ["credits": 10])
            let short = try w.run(["order-numbers", "--count", "3", "-c", "1", "--yes", "--journal", "r.jsonl"])
            #expect(short.status == 3, "\(short.stderr)")
            let plan = try w.journal("r.jsonl").filter { $0["type"] as? String == "plan" }.compactMap { $0["key"] as? String }
            try #require(plan.count == 3)
            _ = try w.sandbox.request("PUT", "/_sandbox/credits", body: ["credits": 1000])
            _ = try w.sandbox.request("PUT", "/_sandbox/credits", key: "key-two", body: ["credits": 1000])
            // No assistants to tell the account by: the key does, before any order.
            let other = try w.run(["order-numbers", "--count", "3", "--resume", "--yes", "--journal", "r.jsonl"], key: "key-two")
            #expect(other.status == 1 && other.stderr.contains("written with another API key"), "\(other.stderr)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == 2)
            // A journal written before the tag existed: the order it placed tells the account.
            let written = try w.read("r.jsonl")
            let untagged = written.replacingOccurrences(of: #","tag":"[0-9a-f]+""#, with: "", options: .regularExpression)
            #expect(untagged != written)
            try w.write("r.jsonl", untagged)
            let older = try w.run(["order-numbers", "--count", "3", "--resume", "--yes", "--journal", "r.jsonl"], key: "key-two")
            #expect(older.status == 1 && older.stderr.contains("is not in this one"), "\(older.stderr)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == 2)
            // Someone else buys the number the server refused this run: the resume does not take
            // that order for its own (it was never placed by this run), it orders the number.
            _ = try w.sandbox.request("POST", "/v1/phone-numbers", body: ["phone_number": plan[1], "number_type": "national"])
            let dry = try w.run(["order-numbers", "--count", "3", "--resume", "--dry-run", "--json", "--journal", "r.jsonl"])
            let steps = (try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])?["steps"] as? [[String: Any]]
            #expect(steps?.map { $0["action"] as? String } == ["order", "order"], "\(dry.stdout) \(dry.stderr)")
        }

        @Test("order-numbers --resume: an order of the earlier run that ended failed counts in the run that finishes the rest")
        func orderNumbersResumeKeepsFailures() throws {
            let w = try Workspace()
            // The sandbox fails orders of numbers ending in 00: one alone matches this search.
            let first = try w.run(["order-numbers", "--count", "1", "--query", "*9396200", "--yes", "--journal", "f.jsonl"])
            #expect(first.status == 3 && first.stderr.contains("order_failed"), "\(first.stderr)")
            // The journal of a run that stopped after that failure and before its second order.
            let found = try w.sandbox.request("GET", "/v1/phone-numbers/available?number_type=national&limit=1")
            let other = try #require(((found as? [String: Any])?["data"] as? [[String: Any]])?.first?["phone_number"] as? String)
            var lines = try w.read("f.jsonl").split(separator: "\n").map(String.init).filter { !$0.contains("\"type\":\"end\"") }
            let planned = try #require(lines.firstIndex { $0.contains("\"type\":\"planned\"") })
            lines[planned] = lines[planned].replacingOccurrences(of: "\"steps\":1", with: "\"steps\":2")
            lines.insert("{\"action\":\"order\",\"credits\":10,\"key\":\"\(other)\",\"number_type\":\"national\",\"phase\":0,"
                         + "\"seq\":2,\"type\":\"plan\"}", at: planned)
            try w.write("f.jsonl", lines.joined(separator: "\n") + "\n")
            let rest = try w.run(["order-numbers", "--count", "1", "--query", "*9396200", "--yes", "--json", "--resume",
                                  "--journal", "f.jsonl"])
            #expect(rest.status == 3, "\(rest.stderr)")
            #expect(rest.stderr.contains("ended failed"), "\(rest.stderr)")
            let summary = try JSONSerialization.jsonObject(with: Data(rest.stdout.utf8)) as? [String: Any]
            #expect(summary?["failed"] as? Int == 1 && summary?["done"] as? Int == 1, "\(rest.stdout)")
            #expect((summary?["by_code"] as? [String: Any])?["order_failed"] as? Int == 1, "\(rest.stdout)")
        }

        @Test("order-numbers: an order still pending at --wait-timeout is placed, not failed, and not waited for again")
        func orderNumbersPending() throws {
            let w = try Workspace(extra: ["--order-delay", "4"])
            let started = Date()
            let result = try w.run(["order-numbers", "--count", "1", "--yes", "--wait-timeout", "1", "--journal", "p.jsonl"])
            #expect(result.status == 3 && result.stderr.contains("order_pending"), "\(result.stderr)")
            #expect(result.stderr.contains("it is placed and paid for; --resume follows it"), "\(result.stderr)")
            #expect(result.stderr.contains("1 of the failures is an order still pending"), "\(result.stderr)")
            // Not retried: one wait of about a second, not three.
            #expect(Date().timeIntervalSince(started) < 3.5)
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == 1)
            Thread.sleep(forTimeInterval: 3.5)
            let resumed = try w.run(["order-numbers", "--count", "1", "--yes", "--resume", "--journal", "p.jsonl"])
            #expect(resumed.status == 0 && resumed.stderr.contains("follow order"), "\(resumed.stderr)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == 1)
        }

        @Test("export-links: a name holding a NUL byte does not make the backup one apply-links cannot read (QA round 29)")
        func exportNameWithNUL() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            _ = try w.sandbox.request("PATCH", "/v1/assistants/\(account.assistants[0].id)", body: ["name": "nul \u{0} inside"])
            let export = try w.run(["export-links", "backup.csv"])
            #expect(export.status == 0 && export.stderr.contains("1 assistant name holds a NUL byte, written as U+FFFD"),
                    "\(export.stderr)")
            #expect(try w.read("backup.csv").contains("nul \u{FFFD} inside"))
            let restore = try w.run(["apply-links", "--dry-run", "backup.csv"])
            #expect(restore.status == 0 && restore.stderr.contains("nothing to change"), "\(restore.stderr)")
        }

        @Test("order-numbers: an order placed whose following fails is followed again by its id, never placed twice (QA round 29)")
        func orderNumbersNeverTwice() throws {
            let w = try Workspace(extra: ["--order-delay", "3"])
            let (process, _, _) = try w.process(["order-numbers", "--count", "1", "--yes", "--journal", "d.jsonl"])
            try process.run()
            // Once the order is placed, every request fails: following it gives up, and the step is retried.
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning, Date() < deadline, (try w.sandbox.routes()["POST /v1/phone-numbers"] ?? 0) < 1 {
                Thread.sleep(forTimeInterval: 0.01)
            }
            try w.sandbox.setFaults(["fail_rate": 1.0])
            process.waitUntilExit()
            try w.sandbox.setFaults(["fail_rate": 0])
            #expect(process.terminationStatus == 3)
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == 1, "the retries followed the order, none placed it again")
            // The resume follows it too.
            let plan = try w.run(["order-numbers", "--count", "1", "--resume", "--dry-run", "--json", "--journal", "d.jsonl"])
            let steps = (try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])?["steps"] as? [[String: Any]]
            #expect(steps?.map { $0["action"] as? String } == ["follow"], "\(plan.stdout) \(plan.stderr)")
            let resumed = try w.run(["order-numbers", "--count", "1", "--yes", "--resume", "--journal", "d.jsonl"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == 1)
        }

        @Test("order-numbers stopped by Ctrl-C says how many orders it placed and paid for, and how many it bought")
        func orderNumbersInterrupted() throws {
            // (Each order pending 3 s: the third is not placed before the signal, even on a loaded machine.)
            let w = try Workspace(extra: ["--order-delay", "3"])
            let (process, out, err) = try w.process(["order-numbers", "--count", "3", "-c", "1", "--yes", "--json", "--journal", "i.jsonl"])
            try process.run()
            // One at a time: once the second order is noted, the first was bought and the second is pending.
            let deadline = Date().addingTimeInterval(30)
            // (Counting the notes of placed orders: a bought order's outcome names its id too.)
            func placed() -> Int {
                ((try? w.read("i.jsonl")) ?? "").split(separator: "\n")
                    .filter { $0.contains("\"order_id\"") && $0.contains("\"type\":\"note\"") }.count
            }
            while process.isRunning, Date() < deadline, placed() < 2 {
                Thread.sleep(forTimeInterval: 0.01)
            }
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 130, "\(stderr)")
            #expect(stderr.contains("this run placed 2 orders (paid for): 1 bought, 1 still to follow (--resume follows it)"),
                    "\(stderr)")
            let note = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
            #expect(note?["interrupted"] as? Bool == true && note?["placed"] as? Int == 2 && note?["bought"] as? Int == 1,
                    "\(stdout)")
            #expect(try w.sandbox.routes()["POST /v1/phone-numbers"] == 2)
        }

        @Test("flireo scripts lists each script; run rejects unknown names; every header documents itself")
        func listing() throws {
            let w = try Workspace(assistants: 1, numbers: 1)
            let names = ["apply-links", "audit", "export-links", "link-from-csv", "order-numbers", "undo", "unlink"]
            let listing = try w.runProgram(try Flireo.binary(), ["scripts"], capturing: 1).output
            #expect(listing.split(separator: "\n").count == names.count)
            // An argument is a usage error, not ignored.
            let stray = try w.runProgram(try Flireo.binary(), ["scripts", "audit"], capturing: 2)
            #expect(stray.status == 2 && stray.output.contains("flireo run NAME --help"), "\(stray.output)")
            // What changes data says so, as the README's table does.
            let changing: Set = ["apply-links", "link-from-csv", "order-numbers", "undo", "unlink"]
            for line in listing.split(separator: "\n") {
                let name = line.split(separator: " ").first.map(String.init) ?? ""
                #expect(line.hasSuffix("  [changes data]") == changing.contains(name), "\(line)")
            }
            for name in names {
                #expect(listing.contains("  \(name)  "))
                let help = try w.run([name, "--help"])
                #expect(help.status == 0)
                #expect(help.stdout.contains("Usage: flireo run \(name)"), "\(name)")
                #expect(help.stdout.contains("Changes data:"), "\(name)")
                // An unknown option is a usage error (test_headers.lua checks every known one is documented).
                let bogus = try w.run([name, "--no-such-option"])
                #expect(bogus.status == 2 && bogus.stderr.contains("unknown option --no-such-option"), "\(name)")
            }
            // A path to a file runs that file, with arg[0] as given.
            try w.write("mine.lua", "print('ran ' .. arg[0] .. ' ' .. (...))\n")
            let file = try w.run(["./mine.lua", "x"])
            #expect(file.status == 0 && file.stdout == "ran ./mine.lua x\n", "\(file.stdout)\(file.stderr)")
            let unknown = try w.run(["no-such-script"])
            #expect(unknown.status == 2 && unknown.stderr.contains("link-from-csv"))
            // A server that does not answer: one line naming the failure, no traceback.
            let down = try w.run(["audit"], environment: ["FLIREO_BASE_URL": "http://127.0.0.1:9"])
            #expect(down.status == 1)
            #expect(down.stderr.hasPrefix("audit: connection_failed: "), "\(down.stderr)")
            #expect(!down.stderr.contains("traceback"))
        }
    }
}
