import Foundation
import Testing

extension BulkScriptTests {
    @Suite("interruption, resume and faults")
    struct Resume {
        /// A migration of every unlinked assistant onto a free number and every custom-linked
        /// one onto another free number, with the link table it must end in.
        static func migration(_ w: Workspace) throws -> (rows: Int, expected: [String: String]) {
            let account = try AccountData(w.sandbox)
            var expected = try w.sandbox.links()
            let movers = account.unlinked + account.customLinked
            let targets = Array(zip(movers, account.freeNumbers))
            var rows = [["assistant_id", "phone_number"]]
            for (i, (assistant, number)) in targets.enumerated() {
                rows.append([assistant.id, i % 2 == 0 ? number.number : number.id])
                expected[assistant.id] = number.id
            }
            try w.write("migration.csv", csvText(rows))
            return (targets.count, expected)
        }

        /// Outcome records per plan step of a journal.
        static func outcomes(_ w: Workspace, _ journal: String) throws -> (steps: Int, done: [Int: Int], other: Int) {
            let records = try w.journal(journal)
            var done: [Int: Int] = [:]
            var other = 0
            for record in records where record["type"] as? String == "outcome" {
                if record["outcome"] as? String == "done", let seq = record["seq"] as? Int {
                    done[seq, default: 0] += 1
                } else {
                    other += 1
                }
            }
            return (records.filter { $0["type"] as? String == "plan" }.count, done, other)
        }

        /// Starts the migration in the background and stops it with `signal` once the
        /// journal shows some outcomes; returns how many were on disk then.
        static func interrupt(_ w: Workspace, with signal: Int32, flireoOptions: [String] = []) throws -> (seen: Int, status: Int32, stderr: String) {
            var seen = 0
            let arguments = ["link-from-csv"] + flireoOptions + ["--yes", "-c", "4", "migration.csv"]
            let (status, stderr) = try stop(w, arguments, with: signal) {
                guard w.exists("migration.journal.jsonl") else { return false }
                seen = ((try? w.read("migration.journal.jsonl")) ?? "").components(separatedBy: "\"type\":\"outcome\"").count - 1
                return seen >= 20
            }
            #expect(status != 0, "the run finished before it could be interrupted")
            return (seen, status, stderr)
        }

        /// Runs `flireo run arguments…` in the background and sends it `signal` once `ready()`
        /// holds (checked every 10 ms, for two minutes at most); returns its exit status and stderr.
        static func stop(_ w: Workspace, _ arguments: [String], environment: [String: String] = [:], with signal: Int32,
                         when ready: () -> Bool) throws -> (status: Int32, stderr: String) {
            let (process, out, err) = try w.process(arguments, environment: environment)
            let stderr = CollectedText()
            out.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
            err.fileHandleForReading.readabilityHandler = { stderr.append($0.availableData) }
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline, !ready() {
                Thread.sleep(forTimeInterval: 0.01)
            }
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            out.fileHandleForReading.readabilityHandler = nil
            err.fileHandleForReading.readabilityHandler = nil
            stderr.append(err.fileHandleForReading.readDataToEndOfFile())
            return (process.terminationStatus, stderr.text)
        }

        /// A run going on in the background: its standard error kept, its output dropped.
        struct Background {
            let process: Process
            let pipes: [Pipe]
            let stderr = CollectedText()

            /// Starts `flireo run arguments…` and returns once `ready(stderr so far)` holds
            /// (checked every 10 ms, for a minute at most).
            init(_ w: Workspace, _ arguments: [String], until ready: (String) -> Bool) throws {
                let (process, out, err) = try w.process(arguments)
                (self.process, pipes) = (process, [out, err])
                out.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
                err.fileHandleForReading.readabilityHandler = { [stderr] in stderr.append($0.availableData) }
                try process.run()
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline, !ready(stderr.text) { Thread.sleep(forTimeInterval: 0.01) }
            }

            /// Waits for its end (after `signal`, if given); returns its exit status.
            @discardableResult
            func finish(signal: Int32? = nil) -> Int32 {
                if let signal { kill(process.processIdentifier, signal) }
                process.waitUntilExit()
                for pipe in pipes { pipe.fileHandleForReading.readabilityHandler = nil }
                return process.terminationStatus
            }
        }

        @Test("kill -9 half way, then --resume: the state of an uninterrupted run, every step done once")
        func killNine() throws {
            let w = try Workspace(assistants: 200, numbers: 420)
            let (rows, expected) = try Self.migration(w)
            #expect(rows >= 150)
            try w.sandbox.setFaults(["latency_ms": 20])
            let seen = try Self.interrupt(w, with: SIGKILL).seen
            #expect(seen >= 20)
            #expect(try w.sandbox.links() != expected)

            // Without --resume: refused with the advice before the account is read.
            let forgot = try w.run(["link-from-csv", "--yes", "migration.csv"])
            #expect(forgot.status == 1 && forgot.stderr.contains("records a run that did not finish"), "\(forgot.stderr)")
            #expect(forgot.stderr.contains("continue it with --resume") && !forgot.stderr.contains("reading the account"))
            // Someone links an assistant of a step left meanwhile: the resume, and its
            // rehearsal, refuse to carry out a plan made for a state that is gone, naming it.
            let records = try w.journal("migration.journal.jsonl")
            let finished = Set(records.filter { $0["type"] as? String == "outcome" && $0["outcome"] as? String == "done" }
                .compactMap { $0["seq"] as? Int })
            let left = try #require(records.first { $0["type"] as? String == "plan" && !finished.contains($0["seq"] as? Int ?? 0) })
            let moved = left["key"] as? String ?? ""
            let before = left["before"] as? [String: Any]
            let spare = try #require(try AccountData(w.sandbox).freeNumbers.last)
            _ = try w.sandbox.request("POST", "/v1/assistants/\(moved)/phone-number", body: ["phone_number_id": spare.id])
            for arguments in [["--dry-run", "--resume"], ["--yes", "--resume"]] {
                let stale = try w.run(["link-from-csv"] + arguments + ["migration.csv"])
                #expect(stale.status == 1, "\(stale.stderr)")
                #expect(stale.stderr.contains("the account changed since the plan in migration.journal.jsonl was made"),
                        "\(stale.stderr)")
                #expect(stale.stderr.contains("\(moved) is on \(spare.number), where the plan has "
                    + "\(before?["number"] as? String ?? "no number")"), "\(stale.stderr)")
            }
            if let id = before?["number_id"] as? String {
                _ = try w.sandbox.request("POST", "/v1/assistants/\(moved)/phone-number", body: ["phone_number_id": id])
            } else {
                _ = try w.sandbox.request("DELETE", "/v1/assistants/\(moved)/phone-number")
            }
            // A rehearsal of the rest leaves the journal as it was, and speaks JSON when asked.
            let journal = w.directory.appendingPathComponent("migration.journal.jsonl")
            let untouched = try Data(contentsOf: journal)
            let rehearsal = try w.run(["link-from-csv", "--dry-run", "--json", "--resume", "migration.csv"])
            #expect(rehearsal.status == 0, "\(rehearsal.stderr)")
            let plan = try JSONSerialization.jsonObject(with: Data(rehearsal.stdout.utf8)) as? [String: Any]
            #expect((plan?["changes"] as? Int ?? 0) > 0 && (plan?["steps"] as? [Any])?.count == plan?["changes"] as? Int)
            // What the first run did is done_before; unchanged stays what was already as wanted (none here).
            #expect((plan?["done_before"] as? Int ?? 0) >= 20 && plan?["unchanged"] as? Int == 0, "\(rehearsal.stdout.prefix(300))")
            #expect(try Data(contentsOf: journal) == untouched, "a dry run wrote to the journal")
            let resumed = try w.run(["link-from-csv", "--yes", "--resume", "migration.csv"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stderr.contains("resuming migration.journal.jsonl"))
            // What the first run did is said so, not counted as skipped.
            #expect(resumed.stderr.contains("0 skipped") && resumed.stderr.contains("done before (the run resumed)"),
                    "\(resumed.stderr)")
            #expect(try w.sandbox.links() == expected)
            let (steps, done, other) = try Self.outcomes(w, "migration.journal.jsonl")
            #expect(steps == rows)
            #expect(done.count == rows && done.values.allSatisfy { $0 == 1 })
            #expect(other == 0)
            let again = try w.run(["link-from-csv", "--yes", "--resume", "migration.csv"])
            #expect(again.status == 0 && again.stderr.contains("nothing left to do"))
        }

        @Test("--resume goes on when what changed is the plan's own doing: a default link's releases, done or in doubt")
        func resumeAfterTheDefaultLinksOwnReleases() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let freeDefault = try #require(account.freeDefaults.first)
            let onDefault = try #require(account.assistants.first { $0.origin == "default" })
            let (idle, outsider) = (account.unlinked[0], account.unlinked[1])
            let free = account.freeNumbers[0]
            // Step 1 links a default number (releasing everyone on one, onDefault too);
            // step 2 moves onDefault, and fails: someone took its number meanwhile.
            try w.write("moves.csv", csvText([["assistant_id", "phone_number"], [idle.id, freeDefault],
                                              [onDefault.id, free.id]]))
            try w.sandbox.setFaults(["latency_ms": 1500])
            let run = try Background(w, ["link-from-csv", "--yes", "-c", "1", "moves.csv"]) { _ in
                ((try? w.read("moves.journal.jsonl")) ?? "").contains("\"planned\"")
            }
            _ = try w.sandbox.request("POST", "/v1/assistants/\(outsider.id)/phone-number", body: ["phone_number_id": free.id])
            #expect(run.finish() == 3)
            // Its plan said no undo can put back everyone it takes off a default number, the
            // released as well as the moved (QA round 19).
            let users = account.onDefault.count
            #expect(run.stderr.text.contains("note: this run takes \(users) of the \(users) assistants on shared default numbers"),
                    "\(run.stderr.text)")
            try w.sandbox.setFaults(["latency_ms": 0])
            // The cause fixed, the resume goes on: onDefault on no number is step 1's doing.
            _ = try w.sandbox.request("DELETE", "/v1/assistants/\(outsider.id)/phone-number")
            let resumed = try w.run(["link-from-csv", "--yes", "--resume", "moves.csv"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try w.sandbox.links()[onDefault.id] == free.id)

            // A default link sent, applied, and never journaled (kill -9): those it released
            // are off their defaults, which is its own doing; the resume goes on.
            let other = try #require(AccountData(w.sandbox).defaults.first { $0 != freeDefault })
            let second = account.unlinked[2]
            try w.write("one.csv", csvText([["assistant_id", "phone_number"], [second.id, other]]))
            try w.sandbox.setFaults(["latency_ms": 1000])
            let seenSent = try Self.stop(w, ["link-from-csv", "--yes", "one.csv"], with: SIGKILL) {
                guard ((try? w.read("one.journal.jsonl")) ?? "").contains("\"planned\"") else { return false }
                Thread.sleep(forTimeInterval: 0.3)  // sent, waiting in the server's latency
                return true
            }
            #expect(seenSent.status != 0)
            Thread.sleep(forTimeInterval: 1.5)  // the request in flight is applied meanwhile
            try w.sandbox.setFaults(["latency_ms": 0])
            #expect(try w.sandbox.links()[second.id] == other, "the link was applied")
            // The step left is one the account already shows made: the rehearsal says so (QA
            // found it counted as work still to do, unexplained), and so does the resume.
            let made = "0 of 1 steps done, 1 left (the account already shows 1 of them made: the stopped run's request "
                + "went through before its answer could be noted; resuming confirms it)"
            let rehearsal = try w.run(["link-from-csv", "--dry-run", "--resume", "one.csv"])
            #expect(rehearsal.status == 0 && rehearsal.stderr.contains(made), "\(rehearsal.stderr)")
            let shape = try w.run(["link-from-csv", "--dry-run", "--json", "--resume", "one.csv"])
            let plan = try JSONSerialization.jsonObject(with: Data(shape.stdout.utf8)) as? [String: Any]
            #expect(plan?["already_made"] as? Int == 1 && plan?["changes"] as? Int == 1, "\(shape.stdout)")
            let finished = try w.run(["link-from-csv", "--yes", "--resume", "one.csv"])
            #expect(finished.status == 0 && finished.stderr.contains(made), "\(finished.stderr)")
        }

        @Test("--resume refuses a default link left that would release someone the plan does not leave there")
        func resumeRefusesUnnamedReleases() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let freeDefault = try #require(account.freeDefaults.first)
            let onDefault = account.onDefault
            let (idle, mover) = (account.unlinked[0], account.unlinked[1])
            let free = account.freeNumbers[0]
            func side(_ id: String) -> [String: Any] { ["number_id": id] }
            try w.write("m.csv", "assistant_id,phone_number\n")
            // Journals as a run of m.csv writes them (the input's fingerprint as flireo takes it).
            let fingerprint = try w.runProgram(try Flireo.binary(), ["-e", "io.write(require('flireo.native.files').hash_file('m.csv'))"],
                                               capturing: 1).output
            func journal(_ name: String, _ records: [[String: Any]]) throws {
                let header: [String: Any] = ["type": "header", "journal": "flireo", "version": 1, "script": "link-from-csv",
                                             "base_url": w.sandbox.baseURL, "started_at": "2026-11-30T10:00:00Z",
                                             "input": ["fingerprint": fingerprint]]
                let lines = try ([header] + records).map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
                try w.write(name, lines.joined(separator: "\n") + "\n")
            }
            // A plan made while nobody was on a default number: its default link names no one.
            try journal("none.jsonl", [
                ["type": "plan", "seq": 1, "key": idle.id, "action": "link", "after": side(freeDefault)],
                ["type": "planned", "steps": 1],
            ])
            let unnamed = try w.run(["link-from-csv", "--dry-run", "--resume", "--journal", "none.jsonl", "m.csv"])
            #expect(unnamed.status == 1, "\(unnamed.stderr)")
            for id in onDefault {
                #expect(unnamed.stderr.contains("\(id) is on a shared default number now: a step would release it"), "\(unnamed.stderr)")
            }
            // A step done left `mover` on a custom number; someone put it on a default since.
            try journal("done.jsonl", [
                ["type": "plan", "seq": 1, "key": mover.id, "action": "link", "after": side(free.id)],
                ["type": "plan", "seq": 2, "key": idle.id, "action": "link", "after": side(freeDefault),
                 "releases": onDefault.map { ["assistant": $0] }],
                ["type": "planned", "steps": 2],
                ["type": "outcome", "seq": 1, "key": mover.id, "outcome": "done"],
            ])
            let taken = try #require(account.defaults.first { $0 != freeDefault })
            _ = try w.sandbox.request("POST", "/v1/assistants/\(mover.id)/phone-number", body: ["phone_number_id": taken])
            let moved = try w.run(["link-from-csv", "--dry-run", "--resume", "--journal", "done.jsonl", "m.csv"])
            #expect(moved.status == 1 && moved.stderr.contains("\(mover.id) is on a shared default number now"), "\(moved.stderr)")
            // One the plan names, moved since to another default number (QA round 20).
            let named = try #require(account.assistants.first { $0.origin == "default" })
            try journal("named.jsonl", [
                ["type": "plan", "seq": 1, "key": idle.id, "action": "link", "after": side(freeDefault),
                 "releases": [["assistant": named.id, "number_id": named.numberID ?? ""]]],
                ["type": "planned", "steps": 1],
            ])
            let elsewhere = try #require(account.defaults.first { $0 != freeDefault && $0 != named.numberID })
            _ = try w.sandbox.request("POST", "/v1/assistants/\(named.id)/phone-number", body: ["phone_number_id": elsewhere])
            let renamed = try w.run(["link-from-csv", "--dry-run", "--resume", "--journal", "named.jsonl", "m.csv"])
            #expect(renamed.status == 1 && renamed.stderr.contains("\(named.id), which the plan releases from "), "\(renamed.stderr)")
            #expect(try w.sandbox.mutations() == 2, "only the test's own links")
        }

        /// A workspace whose swap.csv swaps two assistants' custom numbers (a cycle: one is
        /// unlinked to break it), with `latency` ms of sandbox latency; and those assistants.
        static func swap(latency: Int) throws -> (Workspace, [AccountData.Assistant]) {
            let w = try Workspace()
            let c = try AccountData(w.sandbox).customLinked
            try w.write("swap.csv", csvText([["assistant_id", "phone_number"], [c[0].id, c[1].number ?? ""],
                                             [c[1].id, c[0].number ?? ""]]))
            try w.sandbox.setFaults(["latency_ms": latency])
            return (w, c)
        }

        /// The assistant a printed plan unlinks to break the cycle, once the plan is out.
        static func brokenAssistant(_ stderr: String) -> String? {
            guard let id = stderr.components(separatedBy: "unlink ").dropFirst().first?.prefix(36), id.count == 36
            else { return nil }
            return String(id)
        }

        @Test("Ctrl-C between a cycle's break and its relink names the assistant it left without a number")
        func interruptedMidCycle() throws {
            let (w, _) = try Self.swap(latency: 1000)
            // The plan names the break's assistant; Ctrl-C once the server has made the break and
            // the run has had its answer: the next link has reached the server (one at a time,
            // -c 1) and waits in its latency.
            let broken = Self.brokenAssistant
            let run = try Background(w, ["link-from-csv", "--yes", "-c", "1", "swap.csv"]) { stderr in
                guard let id = broken(stderr), (try? w.sandbox.links())?[id] == nil,
                      (try? w.sandbox.routes())?["DELETE /v1/assistants/{id}/phone-number"] ?? 0 >= 1
                else { return false }
                return (try? w.sandbox.inFlight()) ?? 0 >= 1
            }
            #expect(run.finish(signal: SIGINT) == 130)
            try w.sandbox.setFaults(["latency_ms": 0])
            let id = try #require(broken(run.stderr.text))
            #expect(run.stderr.text.contains("; 1 assistant unlinked to break a cycle has no number until the run goes on: \(id)"),
                    "\(run.stderr.text)")
            let resumed = try w.run(["link-from-csv", "--yes", "--resume", "swap.csv"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try w.sandbox.links()[id] != nil)
        }

        @Test("Ctrl-C while a cycle's break is in flight names its assistant as maybe without a number (QA round 30)")
        func interruptedWhileBreaking() throws {
            let (w, c) = try Self.swap(latency: 1500)
            let broken = Self.brokenAssistant
            // Ctrl-C while the break (the first step, -c 1) waits in the server's latency.
            let run = try Background(w, ["link-from-csv", "--yes", "-c", "1", "swap.csv"]) { stderr in
                guard let id = broken(stderr), (try? w.sandbox.links())?[id] != nil else { return false }
                return (try? w.sandbox.inFlight()) ?? 0 >= 1
            }
            #expect(run.finish(signal: SIGINT) == 130)
            let id = try #require(broken(run.stderr.text))
            // It said nobody was left without a number, while the server went on to unlink it.
            #expect(run.stderr.text.contains("; 1 assistant whose cycle-breaking unlink was sent without an answer may have "
                + "no number (the server may have applied it) until the run goes on: \(id)"), "\(run.stderr.text)")
            Thread.sleep(forTimeInterval: 2)
            try w.sandbox.setFaults(["latency_ms": 0])
            #expect(try w.sandbox.links()[id] == nil, "the break was applied")
            // Its rehearsal counts the break as made, though the link back is not (QA round 31).
            let shape = try w.run(["link-from-csv", "--dry-run", "--json", "--resume", "swap.csv"])
            let plan = try JSONSerialization.jsonObject(with: Data(shape.stdout.utf8)) as? [String: Any]
            #expect(plan?["already_made"] as? Int == 1 && plan?["changes"] as? Int == 3, "\(shape.stdout) \(shape.stderr)")
            let resumed = try w.run(["link-from-csv", "--yes", "--resume", "swap.csv"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try w.sandbox.links()[id] == c[1].numberID, "\(resumed.stderr)")
        }

        @Test("a journal another run is writing is refused, resumed or fresh; once that run is gone it resumes")
        func journalInUse() throws {
            let w = try Workspace(assistants: 60, numbers: 140)
            let (_, expected) = try Self.migration(w)
            try w.sandbox.setFaults(["latency_ms": 100])
            let run = try Background(w, ["link-from-csv", "--yes", "-c", "1", "migration.csv"]) { _ in
                ((try? w.read("migration.journal.jsonl")) ?? "").contains("\"outcome\"")
            }
            let resumed = try w.run(["link-from-csv", "--yes", "--resume", "migration.csv"])
            #expect(resumed.status == 1 && resumed.stderr.contains("in use by another flireo run"), "\(resumed.stderr)")
            let fresh = try w.run(["link-from-csv", "--yes", "migration.csv"])
            #expect(fresh.status == 1 && fresh.stderr.contains("in use by another flireo run"), "\(fresh.stderr)")
            let undo = try w.run(["undo", "--yes", "migration.journal.jsonl"])
            #expect(undo.status == 1 && undo.stderr.contains("in use by a flireo run going on now (the run itself, a --resume of it, or another undo): wait for it to finish, then undo it"), "\(undo.stderr)")
            // Its rehearsal goes on, and says the run is going on.
            let rehearsal = try w.run(["undo", "--dry-run", "migration.journal.jsonl"])
            #expect(rehearsal.stderr.contains("note: the journal migration.journal.jsonl is in use by a flireo run going on now"),
                    "\(rehearsal.stderr)")
            #expect(run.process.isRunning, "the first run went on undisturbed")
            run.finish(signal: SIGKILL)
            try w.sandbox.setFaults(["latency_ms": 0])
            // The lock went with the process; the resumed run shows what is left before it applies it.
            let after = try w.run(["link-from-csv", "--yes", "--resume", "migration.csv"])
            #expect(after.status == 0, "\(after.stderr)")
            #expect(after.stderr.contains("Plan for"), "\(after.stderr)")
            #expect(try w.sandbox.links() == expected)
        }

        @Test("Ctrl-C while the plan is journaled removes the journal; one left without a plan is refused before the account is read")
        func interruptedWhileJournalingThePlan() throws {
            let w = try Workspace(assistants: 60, numbers: 140)
            let (_, expected) = try Self.migration(w)
            // flireo.links from the user's module path, its steps made slowly: Ctrl-C lands
            // while the journal is being given its plan.
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("stdlib/flireo/links.lua")
            let slow = try String(contentsOf: source, encoding: .utf8).replacingOccurrences(
                of: "return {n = plan.n, at = function(i) return links.step(plan, i) end}",
                with: "return {n = plan.n, at = function(i) sleep(0.05) return links.step(plan, i) end}")
            #expect(slow.contains("sleep(0.05)"), "links.steps changed: update this test")
            try FileManager.default.createDirectory(at: w.directory.appendingPathComponent("lib/flireo"), withIntermediateDirectories: true)
            try w.write("lib/flireo/links.lua", slow)
            var since: Date?
            let (status, stderr) = try Self.stop(w, ["link-from-csv", "--yes", "migration.csv"],
                                                 environment: ["LUA_PATH": w.directory.path + "/lib/?.lua;;"], with: SIGINT) {
                // A moment after the journal appears, its plan is being written.
                guard w.exists("migration.journal.jsonl") else { return false }
                since = since ?? Date()
                return Date().timeIntervalSince(since ?? Date()) > 0.2
            }
            #expect(status == 130, "\(stderr)")
            #expect(stderr.contains("migration.journal.jsonl, which held no plan yet, was removed"), "\(stderr)")
            #expect(!w.exists("migration.journal.jsonl"))
            #expect(try w.sandbox.mutations() == 0)

            // kill -9 in the same place leaves it: the next run refuses it before reading the account.
            try w.write("migration.journal.jsonl", #"{"type":"header","journal":"flireo","version":1,"script":"link-from-csv"}"# + "\n")
            try w.sandbox.resetStats()
            let refused = try w.run(["link-from-csv", "--yes", "migration.csv"])
            #expect(refused.status == 1 && refused.stderr.contains("holds no plan"), "\(refused.stderr)")
            #expect(try w.sandbox.routes().isEmpty, "nothing was read")
            try FileManager.default.removeItem(at: w.directory.appendingPathComponent("migration.journal.jsonl"))
            #expect(try w.run(["link-from-csv", "--yes", "migration.csv"]).status == 0)
            #expect(try w.sandbox.links() == expected)
        }

        @Test("a journal that can no longer be written (a full disk) stops the run with how to go on; --resume finishes it")
        func journalWriteFails() throws {
            let w = try Workspace(assistants: 60, numbers: 140)
            let (_, expected) = try Self.migration(w)
            // A first run measures the journal: its plan, and all of it.
            #expect(try w.run(["link-from-csv", "--yes", "-j", "full.jsonl", "migration.csv"]).status == 0)
            let whole = try w.read("full.jsonl")
            let planned = try #require(whole.range(of: "\"type\":\"planned\"")).upperBound
            let planBytes = whole.utf8.distance(from: whole.startIndex, to: planned) + 200
            let limit = (planBytes + (whole.utf8.count - planBytes) / 2) / 512
            #expect(limit * 512 > planBytes && limit * 512 < whole.utf8.count)
            _ = try w.sandbox.request("POST", "/_sandbox/reset")
            // The same run where files may not grow past the middle of its outcomes (as a full
            // disk, with EFBIG for ENOSPC).
            let (status, stderr) = try w.runProgram("/bin/sh", [
                "-c", "ulimit -f \(limit); trap '' XFSZ; exec \"$0\" run link-from-csv --yes -c 1 -j small.jsonl migration.csv",
                try Flireo.binary(),
            ], capturing: 2)
            #expect(status == 3, "\(stderr)")
            #expect(stderr.contains("link-from-csv: stopped: cannot write the journal small.jsonl"), "\(stderr)")
            #expect(stderr.contains("continue with `") && stderr.contains("--resume`, or revert them with `"), "\(stderr)")
            // Its journal stops short of the outcomes; the resume settles the rest.
            #expect(try w.read("small.jsonl").utf8.count <= limit * 512)
            let resumed = try w.run(["link-from-csv", "--yes", "-j", "small.jsonl", "--resume", "migration.csv"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try w.sandbox.links() == expected)
        }

        @Test("an undo holds the run's journal from its start: a --resume begun while it reads the account is refused")
        func undoHoldsTheJournal() throws {
            let w = try Workspace(assistants: 60, numbers: 140)
            let before = try w.sandbox.links()
            _ = try Self.migration(w)
            #expect(try w.run(["link-from-csv", "--yes", "migration.csv"]).status == 0)
            // Slow pages: the undo's read of the account takes seconds.
            try w.sandbox.setFaults(["latency_ms": 400])
            let undo = try Background(w, ["undo", "--yes", "-c", "1", "migration.journal.jsonl"]) {
                $0.contains("reading the account's links")
            }
            // Before the fix this resume found "nothing left to do" and could re-apply a
            // half-undone run; now the undo's lock refuses it.
            let resumed = try w.run(["link-from-csv", "--yes", "--resume", "migration.csv"])
            #expect(resumed.status == 1 && resumed.stderr.contains("in use by another flireo run"), "\(resumed.stderr)")
            #expect(undo.process.isRunning, "the undo was still reading the account")
            try w.sandbox.setFaults(["latency_ms": 0])
            #expect(undo.finish() == 0, "\(undo.stderr.text)")
            #expect(try w.sandbox.links() == before)
            let after = try w.run(["link-from-csv", "--yes", "--resume", "migration.csv"])
            #expect(after.status == 1 && after.stderr.contains("was undone by"), "\(after.stderr)")
        }

        @Test("Ctrl-C (SIGINT) half way, then --resume: the intended state")
        func interruptSignal() throws {
            try Self.stopAndResume(with: SIGINT, saying: "interrupted")
        }

        @Test("SIGTERM or SIGHUP half way ends the run as Ctrl-C does, then --resume: the intended state",
              arguments: [SIGTERM, SIGHUP])
        func terminationSignal(signal: Int32) throws {
            try Self.stopAndResume(with: signal, saying: signal == SIGTERM ? "stopped by SIGTERM" : "stopped by SIGHUP")
        }

        static func stopAndResume(with signal: Int32, saying how: String) throws {
            let w = try Workspace(assistants: 200, numbers: 420)
            let (rows, expected) = try Self.migration(w)
            try w.sandbox.setFaults(["latency_ms": 20])
            // (flireo's own options may follow `run NAME`: the undo command takes them along.)
            let (_, status, stderr) = try Self.interrupt(w, with: signal, flireoOptions: ["--rate-limit", "off"])
            // Exit 128 + the signal and what to do next, no traceback.
            #expect(status == 128 + signal, "\(stderr)")
            #expect(stderr.contains("link-from-csv: \(how); the journal migration.journal.jsonl records what was done"), "\(stderr)")
            #expect(!stderr.contains("stack traceback"))
            // The command it gives is the one that continues the run: the same words plus --resume.
            let hint = stderr.components(separatedBy: "continue with `").dropFirst().first?.components(separatedBy: "`").first ?? ""
            #expect(hint.hasSuffix(" run link-from-csv --rate-limit off --yes -c 4 migration.csv --resume"), "\(stderr)")
            // The one that reverts it goes to the same account: the same flireo and its options.
            let program = hint.components(separatedBy: " run ").first ?? "?"
            #expect(stderr.contains("or revert it with `\(program) --rate-limit off run undo migration.journal.jsonl`"), "\(stderr)")
            let words = hint.components(separatedBy: " run ").last?.split(separator: " ").map(String.init) ?? []
            let resumed = try w.run(words)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try w.sandbox.links() == expected)
            let (_, done, _) = try Self.outcomes(w, "migration.journal.jsonl")
            #expect(done.count == rows && done.values.allSatisfy { $0 == 1 })
        }

        @Test("--json: a run stopped half way still writes one JSON object on stdout, with the journal and the commands")
        func jsonWhenStopped() throws {
            let w = try Workspace(assistants: 200, numbers: 420)
            _ = try Self.migration(w)
            try w.sandbox.setFaults(["latency_ms": 20])
            let (process, out, err) = try w.process(["link-from-csv", "--yes", "--json", "-c", "4", "migration.csv"])
            let collected = Workspace.Collected()
            out.fileHandleForReading.readabilityHandler = { collected.append(out: $0.availableData) }
            err.fileHandleForReading.readabilityHandler = { collected.append(err: $0.availableData) }
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline,
                  ((try? w.read("migration.journal.jsonl")) ?? "").components(separatedBy: "\"type\":\"outcome\"").count < 21 {
                Thread.sleep(forTimeInterval: 0.01)
            }
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            out.fileHandleForReading.readabilityHandler = nil
            err.fileHandleForReading.readabilityHandler = nil
            collected.append(out: out.fileHandleForReading.readDataToEndOfFile())
            #expect(process.terminationStatus == 143, "\(collected.err)")
            let object = try JSONSerialization.jsonObject(with: Data(collected.out.utf8)) as? [String: Any]
            #expect(object?["interrupted"] as? Bool == true, "\(collected.out)")
            #expect(object?["journal"] as? String == "migration.journal.jsonl", "\(collected.out)")
            #expect((object?["resume"] as? String)?.hasSuffix(" run link-from-csv --yes --json -c 4 migration.csv --resume") == true,
                    "\(collected.out)")
            #expect((object?["undo"] as? String)?.hasSuffix(" run undo migration.journal.jsonl") == true, "\(collected.out)")
            #expect((object?["note"] as? String)?.contains("records what was done") == true, "\(collected.out)")
        }

        @Test("5xx, dropped connections and 429s: exactly the intended state, every step in the journal once")
        func faults() throws {
            let w = try Workspace(assistants: 150, numbers: 300)
            let (rows, expected) = try Self.migration(w)
            // 100 requests a minute: the run needs more, so it meets 429s and waits out a window.
            try w.sandbox.setFaults(["fail_rate": 0.1, "drop_rate": 0.01, "rate_limit": 100])
            let result = try w.run(["link-from-csv", "--yes", "-c", "8", "migration.csv"])
            #expect(result.status == 0, "\(result.stderr)")
            try w.sandbox.setFaults(["fail_rate": 0, "drop_rate": 0, "rate_limit": 0])
            #expect(try w.sandbox.links() == expected)
            let (steps, done, other) = try Self.outcomes(w, "migration.journal.jsonl")
            #expect(steps == rows)
            #expect(done.count == rows && done.values.allSatisfy { $0 == 1 })
            #expect(other == 0)
            let stats = (try w.sandbox.request("GET", "/_sandbox/stats") as? [String: Any])?["data"] as? [String: Any]
            let faults = stats?["faults"] as? [String: Int] ?? [:]
            #expect((faults["failed_before_change"] ?? 0) + (faults["failed_after_change"] ?? 0) > 0, "no fault was injected")
            // More requests than one window allows: the run had to wait for the next one,
            // paced by the X-RateLimit headers (or by 429s with Retry-After).
            #expect((stats?["requests"] as? Int ?? 0) > 100, "the rate limit never mattered")
        }
    }
}

/// Text collected from a pipe's handler thread.
final class CollectedText: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) {
        lock.lock()
        data.append(more)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
