import Foundation
import Testing

extension BulkScriptTests {
    @Suite("apply-links and undo")
    struct ApplyAndUndo {
        @Test("a swap and a three-way rotation apply without ever hitting already_in_use")
        func swapAndRotation() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let c = account.customLinked
            #expect(c.count >= 5)
            // c0 ↔ c1 swap; c2 → c3's, c3 → c4's, c4 → c2's number.
            let wanted = [(c[0], c[1]), (c[1], c[0]), (c[2], c[3]), (c[3], c[4]), (c[4], c[2])]
            try w.write("moves.csv", csvText([["assistant_id", "phone_number"]] + wanted.map { [$0.0.id, $0.1.number ?? ""] }))
            let plan = try w.run(["apply-links", "--dry-run", "moves.csv"])
            #expect(plan.status == 0, "\(plan.stderr)")
            // Two cycles, each broken by an unlink and a relink of one assistant: 7 changes to 5.
            #expect(plan.stdout.contains("7 changes to 5 assistants, 0 already as wanted"), "\(plan.stdout)")
            #expect(plan.stdout.split(separator: "\n").filter { $0.contains("breaks the cycle") }.count == 2)
            #expect(try w.sandbox.mutations() == 0)

            let result = try w.run(["apply-links", "--yes", "moves.csv"])
            #expect(result.status == 0, "\(result.stderr)")
            let links = try w.sandbox.links()
            for (assistant, holder) in wanted { #expect(links[assistant.id] == holder.numberID) }
            #expect(try w.sandbox.statuses()["400"] == nil)
        }

        @Test("a run stopped after a cycle's break names the assistant it left without a number")
        func stoppedMidCycle() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let (c, outsider) = (account.customLinked, try #require(account.unlinked.first))
            try w.write("swap.csv", csvText([["assistant_id", "phone_number"], [c[0].id, c[1].number ?? ""],
                                             [c[1].id, c[0].number ?? ""]]))
            // The break (an unlink) goes through; then, while the next link waits in the
            // server's latency, an assistant outside the run takes the number it frees.
            try w.sandbox.setFaults(["latency_ms": 1000])
            let (process, out, err) = try w.process(["link-from-csv", "--yes", "--json", "--max-failures", "1", "-c", "1", "swap.csv"])
            let collected = Workspace.Collected()
            out.fileHandleForReading.readabilityHandler = { collected.append(out: $0.availableData) }
            err.fileHandleForReading.readabilityHandler = { collected.append(err: $0.availableData) }
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            // The plan names the assistant of the break; the server's table shows when it is made
            // (the journal's outcomes are written in batches).
            func broken() -> String? {
                guard let id = collected.err.components(separatedBy: "unlink ").dropFirst().first?.prefix(36), id.count == 36
                else { return nil }
                return String(id)
            }
            while process.isRunning, Date() < deadline, broken().map({ (try? w.sandbox.links())?[$0] != nil }) ?? true {
                Thread.sleep(forTimeInterval: 0.01)
            }
            // The unlink has ended (one at a time, -c 1) and the next link has reached the server,
            // its second of latency drawn: only now may the latency go, or that link would find
            // none and be done before the outsider's (a clean-clone run saw it).
            while process.isRunning, Date() < deadline,
                  (try (w.sandbox.routes()["DELETE /v1/assistants/{id}/phone-number"] ?? 0) < 1 || w.sandbox.inFlight() < 1) {
                Thread.sleep(forTimeInterval: 0.01)
            }
            try w.sandbox.setFaults(["latency_ms": 0])
            let broken = try #require(broken())
            let freed = try #require(c.first { $0.id == String(broken) }?.numberID)
            _ = try w.sandbox.request("POST", "/v1/assistants/\(outsider.id)/phone-number", body: ["phone_number_id": freed])
            process.waitUntilExit()
            out.fileHandleForReading.readabilityHandler = nil
            err.fileHandleForReading.readabilityHandler = nil
            collected.append(out: out.fileHandleForReading.readDataToEndOfFile())
            collected.append(err: err.fileHandleForReading.readDataToEndOfFile())
            #expect(process.terminationStatus == 3, "\(collected.err)")
            #expect(collected.err.contains("already_in_use"), "\(collected.err)")
            #expect(try w.sandbox.links()[String(broken)] == nil, "the break was made")
            #expect(collected.err.contains("1 assistant unlinked to break a cycle has no number until the run goes on: \(broken)"),
                    "\(collected.err)")
            let summary = try JSONSerialization.jsonObject(with: Data(collected.out.utf8)) as? [String: Any]
            #expect(summary?["waiting"] as? [String] == [String(broken)], "\(collected.out)")
        }

        @Test("apply-links unlinks a holder the file does not list, and says so")
        func holderOutsideTheFile() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let holder = account.customLinked[0]
            let taker = account.unlinked[0]
            try w.write("take.csv", csvText([["assistant_id", "phone_number"], [taker.id, holder.numberID ?? ""]]))
            let refused = try w.run(["link-from-csv", "--yes", "take.csv"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("take.csv:2:") && refused.stderr.contains("not in take.csv"), "\(refused.stderr)")
            let plan = try w.run(["apply-links", "--dry-run", "take.csv"])
            #expect(plan.stdout.contains("unlink \(holder.id)"), "\(plan.stdout)")
            #expect(plan.stdout.contains("not in take.csv"))
            #expect(try w.run(["apply-links", "--yes", "take.csv"]).status == 0)
            let links = try w.sandbox.links()
            #expect(links[taker.id] == holder.numberID)
            #expect(links[holder.id] == nil)
        }

        @Test("undo of a migration restores the export exactly; apply-links of the export does too")
        func undoRestoresExport() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            #expect(try w.run(["export-links", "backup.csv"]).status == 0)
            let backup = try w.read("backup.csv")
            #expect(backup.components(separatedBy: "\r\n").count == account.assistants.count + 2)  // header, rows, final ""

            // A migration: a swap, new links, a move onto a free number.
            let c = account.customLinked, u = account.unlinked, f = account.freeNumbers
            try w.write("migration.csv", csvText([
                ["assistant_id", "phone_number"],
                [c[0].id, c[1].number ?? ""], [c[1].id, c[0].number ?? ""],
                [u[0].id, f[0].number], [u[1].id, f[1].id], [c[2].id, f[2].number],
            ]))
            #expect(try w.run(["link-from-csv", "--yes", "migration.csv"]).status == 0)
            #expect(try w.run(["export-links", "changed.csv"]).status == 0)
            #expect(try w.read("changed.csv") != backup)

            // The same server spelled with a trailing slash is the same server.
            let undo = try w.run(["undo", "--yes", "migration.journal.jsonl"],
                                 environment: ["FLIREO_BASE_URL": w.sandbox.baseURL + "/"])
            #expect(undo.status == 0, "\(undo.stderr)")
            #expect(try w.run(["export-links", "undone.csv"]).status == 0)
            #expect(try w.read("undone.csv") == backup)
            // The undone run cannot be resumed: that would re-apply what the undo reverted.
            for extra in [["--yes"], ["--dry-run"]] {
                let resumed = try w.run(["link-from-csv", "--resume"] + extra + ["migration.csv"])
                #expect(resumed.status == 1 && resumed.stderr.contains("migration.journal.jsonl was undone by"), "\(resumed.stderr)")
            }
            #expect(try w.run(["export-links", "still.csv"]).status == 0)
            #expect(try w.read("still.csv") == backup)
            // Run again in its place, the journal in the way says it was undone, not to undo it.
            let again = try w.run(["link-from-csv", "--yes", "migration.csv"])
            #expect(again.status == 1 && again.stderr.contains("the undo journaled in migration.undo.jsonl reverted it"),
                    "\(again.stderr)")
            #expect(!again.stderr.contains("flireo run undo"), "\(again.stderr)")
            // Undone twice: the assistants are as the journal had them before; no warning of changes.
            let twice = try w.run(["undo", "--yes", "--journal", "twice.jsonl", "migration.journal.jsonl"])
            #expect(twice.status == 0 && twice.stderr.contains("nothing to change"), "\(twice.stderr)")
            #expect(!twice.stderr.contains("changed since the run"), "\(twice.stderr)")

            // Again, restored through apply-links of the backup instead.
            #expect(try w.run(["link-from-csv", "--yes", "--journal", "second.jsonl", "migration.csv"]).status == 0)
            let restore = try w.run(["apply-links", "--yes", "backup.csv"])
            #expect(restore.status == 0, "\(restore.stderr)")
            #expect(try w.run(["export-links", "restored.csv"]).status == 0)
            #expect(try w.read("restored.csv") == backup)
            // The JSON export restores the same way and has nothing left to change.
            #expect(try w.run(["export-links", "--json", "backup.json"]).status == 0)
            let json = try w.run(["apply-links", "--yes", "backup.json"])
            #expect(json.status == 0 && json.stderr.contains("nothing to change"), "\(json.stderr)")
        }

        @Test("an account read from a server that lists shared numbers apart and serves short pages is the same account")
        func otherServerShapes() throws {
            let w = try Workspace()
            #expect(try w.run(["export-links", "plain.csv"]).status == 0)
            // As the contract's example: defaults only in shared_numbers, counted in meta.total;
            // and at most 7 items a page, whatever limit asked.
            _ = try w.sandbox.request("PUT", "/_sandbox/faults", body: ["shared_numbers_apart": true, "max_page_size": 7])
            let apart = try w.run(["export-links", "apart.csv"])
            #expect(apart.status == 0, "\(apart.stderr)")
            #expect(try w.read("apart.csv") == (try w.read("plain.csv")))
            let plan = try w.run(["apply-links", "--dry-run", "plain.csv"])
            #expect(plan.status == 0 && plan.stderr.contains("nothing to change"), "\(plan.stderr)")
            #expect(try w.run(["audit", "--json"]).status == 0)
        }

        @Test("undo refuses to release assistants the run never touched, unless --release-others")
        func undoGuardsOthersOnDefaults() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let onDefault = account.assistants.filter { $0.origin == "default" }
            try #require(onDefault.count >= 2, "the fixture has assistants sharing default numbers")
            // Move one of them onto a free custom number; putting it back releases the others.
            let moved = onDefault[0], others = onDefault.dropFirst().map(\.id)
            try w.write("move.csv", csvText([["assistant_id", "phone_number"], [moved.id, account.freeNumbers[0].id]]))
            // The run says so before it asks (QA round 17: nothing warned until the undo).
            let moving = try w.run(["link-from-csv", "--yes", "move.csv"])
            #expect(moving.status == 0, "\(moving.stderr)")
            #expect(moving.stderr.contains("note: this run takes 1 of the \(onDefault.count) assistants on shared default "
                + "numbers off them (\(moved.id))"), "\(moving.stderr)")
            #expect(moving.stderr.contains("so an undo cannot put them all back"), "\(moving.stderr)")
            let before = try w.sandbox.links()

            // The rehearsal shows the plan and says the real run will refuse it as it is.
            let rehearsal = try w.run(["undo", "--dry-run", "move.journal.jsonl"])
            #expect(rehearsal.status == 0 && rehearsal.stderr.contains("without --release-others the real run refuses"),
                    "\(rehearsal.stderr)")
            let refused = try w.run(["undo", "--yes", "move.journal.jsonl"])
            #expect(refused.status == 1, "\(refused.stderr)")
            #expect(refused.stderr.contains("never touched") && refused.stderr.contains(others[0]), "\(refused.stderr)")
            #expect(try w.sandbox.links() == before)

            let accepted = try w.run(["undo", "--yes", "--release-others", "move.journal.jsonl"])
            #expect(accepted.status == 0, "\(accepted.stderr)")
            let after = try AccountData(w.sandbox)
            #expect(after.assistants.first { $0.id == moved.id }?.numberID == moved.numberID)
            #expect(after.assistants.filter { others.contains($0.id) }.allSatisfy { $0.numberID == nil })
        }

        @Test("restoring several assistants onto shared default numbers says so in one problem, not one per release (QA round 29)")
        func sharedDefaultsOneProblem() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let onDefault = account.onDefault
            try #require(onDefault.count >= 3, "the fixture has three assistants on default numbers")
            #expect(try w.run(["export-links", "backup.csv"]).status == 0)
            // Two of them move to numbers of their own; the third stays on its default.
            for (id, free) in zip(onDefault.prefix(2), account.freeNumbers) {
                _ = try w.sandbox.request("POST", "/v1/assistants/\(id)/phone-number", body: ["phone_number_id": free.id])
            }
            let plan = try w.run(["apply-links", "--dry-run", "backup.csv"])
            #expect(plan.status == 1 && plan.stderr.contains("several assistants want shared default numbers"), "\(plan.stderr)")
            #expect(plan.stderr.contains("1 problem in backup.csv") && !plan.stderr.contains("releases assistant"), "\(plan.stderr)")
        }

        @Test("several assistants on shared default numbers: undo and apply-links put back all the rest with --skip-shared-defaults")
        func sharedDefaultsAreLeftOut() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let onDefault = account.onDefault
            try #require(onDefault.count >= 2, "the fixture has several assistants on default numbers")
            let before = try w.sandbox.links()
            #expect(try w.run(["export-links", "backup.csv"]).status == 0)
            let unlinked = try w.run(["unlink", "--yes", "--all", "--journal", "all.jsonl"])
            #expect(unlinked.status == 0, "\(unlinked.stderr)")
            #expect(unlinked.stderr.contains("this run takes \(onDefault.count) of the \(onDefault.count) assistants on shared default numbers off them") && unlinked.stderr.contains("an undo cannot put them all back"), "\(unlinked.stderr)")
            #expect(try w.sandbox.links().isEmpty)

            let refused = try w.run(["undo", "--yes", "all.jsonl"])
            #expect(refused.status == 1 && refused.stderr.contains("--skip-shared-defaults"), "\(refused.stderr)")
            #expect(refused.stderr.contains("(journal step ") && !refused.stderr.contains("(line "), "\(refused.stderr)")
            #expect(try w.sandbox.links().isEmpty)
            // Every other link back; the default-number assistants listed and left unlinked.
            var expected = before
            for id in onDefault { expected[id] = nil }
            // Its rehearsal's JSON names the journal step of each left out, as `step`.
            let rehearsed = try w.run(["undo", "--dry-run", "--json", "--skip-shared-defaults", "all.jsonl"])
            let planned = try JSONSerialization.jsonObject(with: Data(rehearsed.stdout.utf8)) as? [String: Any]
            let first = (planned?["left_out"] as? [[String: Any]])?.first
            #expect(first?["step"] is Int && first?["line"] == nil, "\(rehearsed.stdout.prefix(400))")
            let undone = try w.run(["undo", "--yes", "--skip-shared-defaults", "all.jsonl"])
            #expect(undone.status == 0, "\(undone.stderr)")
            #expect(undone.stderr.contains("Left out: \(onDefault.count) assistants"), "\(undone.stderr)")
            #expect(try w.sandbox.links() == expected)

            // From the export, the same: refused as it is, the rest with the flag.
            #expect(try w.run(["unlink", "--yes", "--all", "--journal", "again.jsonl"]).status == 0)
            let plain = try w.run(["apply-links", "--yes", "backup.csv"])
            #expect(plain.status == 1 && plain.stderr.contains("--skip-shared-defaults"), "\(plain.stderr)")
            let restored = try w.run(["apply-links", "--yes", "--skip-shared-defaults", "backup.csv"])
            #expect(restored.status == 0, "\(restored.stderr)")
            #expect(try w.sandbox.links() == expected)
            // Run again, nothing else is left to change: what stays left out is still named.
            let again = try w.run(["apply-links", "--yes", "--json", "--skip-shared-defaults", "backup.csv"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stderr.contains("Left out: \(onDefault.count) assistants"), "\(again.stderr)")
            #expect(again.stderr.contains("\(onDefault.count) left out"), "\(again.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
            #expect((json?["left_out"] as? [Any])?.count == onDefault.count, "\(again.stdout)")
            #expect(json?["done"] as? Int == 0 && json?["failed"] as? Int == 0, "a run's summary, even with nothing to do")
        }

        @Test("undo does not take a custom number from an assistant linked to it since the run, unless --release-others")
        func undoGuardsOthersOnCustomNumbers() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let holder = try #require(account.customLinked.first)
            let outsider = try #require(account.unlinked.first)
            try w.write("one.csv", csvText([["assistant_id", "phone_number"], [holder.id, account.freeNumbers[0].id]]))
            #expect(try w.run(["link-from-csv", "--yes", "one.csv"]).status == 0)
            // A colleague links an assistant outside the run to the number the run freed.
            _ = try w.sandbox.request("POST", "/v1/assistants/\(outsider.id)/phone-number",
                                      body: ["phone_number_id": try #require(holder.numberID)])
            #expect(try w.sandbox.links()[outsider.id] == holder.numberID)
            let before = try w.sandbox.links()
            let refused = try w.run(["undo", "--yes", "one.journal.jsonl"])
            #expect(refused.status == 1 && refused.stderr.contains("never touched") && refused.stderr.contains(outsider.id),
                    "\(refused.stderr)")
            #expect(try w.sandbox.links() == before, "nothing sent")
            let accepted = try w.run(["undo", "--yes", "--release-others", "one.journal.jsonl"])
            #expect(accepted.status == 0, "\(accepted.stderr)")
            let after = try AccountData(w.sandbox)
            #expect(after.assistants.first { $0.id == holder.id }?.numberID == holder.numberID)
            #expect(after.assistants.first { $0.id == outsider.id }?.numberID == nil)
        }

        @Test("undo tells a step the run sent but did not journal (stopped then) from a change made since the run")
        func undoTellsLostOutcomesFromDrift() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let (a, b, c) = (account.customLinked[0], account.customLinked[1], account.customLinked[2])
            let (y, z, moved) = (account.freeNumbers[0], account.freeNumbers[1], account.freeNumbers[2])
            // A run that unlinked a to break a cycle, sent its link to y and was killed before
            // journaling it; and one that linked b to z, after which a colleague moved b.
            func side(_ id: String?, _ number: String?) -> Any { id.map { ["number_id": $0, "number": number ?? ""] } ?? NSNull() }
            let records: [[String: Any]] = [
                ["type": "header", "journal": "flireo", "version": 1, "script": "link-from-csv", "base_url": w.sandbox.baseURL,
                 "started_at": "2026-11-30T10:00:00Z"],
                ["type": "plan", "seq": 1, "key": a.id, "action": "unlink", "before": side(a.numberID, a.number)],
                ["type": "plan", "seq": 2, "key": b.id, "action": "link", "before": side(b.numberID, b.number),
                 "after": side(z.id, z.number)],
                ["type": "plan", "seq": 3, "key": a.id, "action": "link", "after": side(y.id, y.number)],
                // c's only step was sent and never journaled; a colleague moved c since.
                ["type": "plan", "seq": 4, "key": c.id, "action": "unlink", "before": side(c.numberID, c.number)],
                ["type": "planned", "steps": 4],
                ["type": "outcome", "seq": 1, "key": a.id, "outcome": "done"],
                ["type": "outcome", "seq": 2, "key": b.id, "outcome": "done"],
            ]
            let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            try w.write("stopped.journal.jsonl", lines.joined(separator: "\n") + "\n")
            let colleague = account.freeNumbers[3]
            for (assistant, number) in [(a.id, y.id), (b.id, moved.id), (c.id, colleague.id)] {
                _ = try w.sandbox.request("POST", "/v1/assistants/\(assistant)/phone-number", body: ["phone_number_id": number])
            }
            let planned = try w.run(["undo", "--dry-run", "stopped.journal.jsonl"])
            #expect(planned.status == 0, "\(planned.stderr)")
            let warning = "warning: 2 assistants changed since the run (undo sets them back too): "
            #expect(planned.stderr.contains(warning + "\(b.id), \(c.id)\n") || planned.stderr.contains(warning + "\(c.id), \(b.id)\n"),
                    "\(planned.stderr)")
            #expect(planned.stderr.contains("note: 1 assistant as a step left them that the run sent but whose outcome it "
                + "did not journal (it was stopped then) (undo sets them back too): \(a.id)\n"), "\(planned.stderr)")
        }

        @Test("an assistant left out under --skip-shared-defaults that holds a number another gets back is unlinked first")
        func leftOutHoldersMakeWay() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let onDefault = account.assistants.filter { $0.origin == "default" }
            let custom = account.customLinked
            try #require(onDefault.count >= 2 && custom.count >= 2 && account.freeNumbers.count >= 2)
            // Two assistants on default numbers take two custom numbers; their holders move on.
            try w.write("move.csv", csvText([
                ["assistant_id", "phone_number"],
                [onDefault[0].id, try #require(custom[0].numberID)], [onDefault[1].id, try #require(custom[1].numberID)],
                [custom[0].id, account.freeNumbers[0].id], [custom[1].id, account.freeNumbers[1].id],
            ]))
            let moved = try w.run(["link-from-csv", "--yes", "move.csv"])
            #expect(moved.status == 0, "\(moved.stderr)")
            // Undo leaves the two out (several want shared defaults) and unlinks them, so the
            // custom numbers go back to their holders instead of failing with already_in_use.
            let plan = try w.run(["undo", "--dry-run", "--skip-shared-defaults", "move.journal.jsonl"])
            #expect(plan.status == 0 && plan.stdout.contains("left out, holds"), "\(plan.stdout)")
            let undone = try w.run(["undo", "--yes", "--skip-shared-defaults", "move.journal.jsonl"])
            #expect(undone.status == 0, "\(undone.stderr)")
            let after = try AccountData(w.sandbox)
            for holder in custom.prefix(2) {
                #expect(after.assistants.first { $0.id == holder.id }?.numberID == holder.numberID)
            }
            for left in onDefault.prefix(2) {
                #expect(after.assistants.first { $0.id == left.id }?.numberID == nil, "unlinked, not on the custom number")
            }
        }
    }
}
