import Foundation
import Testing

extension BulkScriptTests {
    @Suite("bad input")
    struct BadInput {
        @Test("a missing column is named, with the header's columns")
        func missingColumn() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            try w.write("rows.csv", csvText([["assistant_id", "number_of_phone"], [account.unlinked[0].id, account.freeNumbers[0].id]]))
            let result = try w.run(["link-from-csv", "--yes", "rows.csv"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("rows.csv:1: missing column \"phone_number\""), "\(result.stderr)")
            #expect(result.stderr.contains("the header (line 1) has: \"assistant_id\", \"number_of_phone\""), "\(result.stderr)")
            // With --json, stdout holds one JSON object whatever happened: the refusal, and a
            // missing --yes, too.
            for arguments in [["--json", "--yes", "rows.csv"], ["--json", "rows.csv"]] {
                let refused = try w.run(["link-from-csv"] + arguments)
                let object = try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any]
                #expect(object?["exit_code"] as? Int == Int(refused.status), "\(refused.stdout)")
                #expect((object?["error"] as? String)?.isEmpty == false, "\(refused.stdout)")
                #expect(refused.stdout.split(separator: "\n").count == 1)
            }
            // Usage errors too, and refused rows come with their lines and reasons.
            for arguments in [["link-from-csv", "--json", "--bogus"], ["link-from-csv", "--json"], ["audit", "--bogus", "--json"]] {
                let usage = try w.run(arguments)
                let object = try JSONSerialization.jsonObject(with: Data(usage.stdout.utf8)) as? [String: Any]
                #expect(usage.status == 2 && object?["exit_code"] as? Int == 2, "\(arguments): \(usage.stdout)")
                #expect((object?["usage"] as? String)?.hasPrefix("Usage: flireo run \(arguments[0])") == true, "\(usage.stdout)")
            }
            try w.write("bad.csv", csvText([["assistant_id", "phone_number"], ["xx", account.freeNumbers[0].id],
                                            [account.unlinked[0].id, account.freeNumbers[1].id], [account.unlinked[0].id, account.freeNumbers[2].id]]))
            let bad = try w.run(["link-from-csv", "--json", "--dry-run", "bad.csv"])
            let refusal = try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any]
            let problems = refusal?["problems"] as? [[String: Any]] ?? []
            #expect(refusal?["problem_count"] as? Int == 2, "\(bad.stdout)")
            #expect(problems.map { $0["line"] as? Int } == [2, 4], "\(bad.stdout)")
            #expect((problems.last?["message"] as? String)?.contains("is already on line 3") == true, "\(bad.stdout)")
            // An assistant listed twice is named in the same round as its first row's bad number (QA round 30).
            try w.write("round1.csv", csvText([["assistant_id", "phone_number"], [account.unlinked[1].id, "12345"],
                                               [account.unlinked[1].id, account.freeNumbers[0].id]]))
            let round1 = try w.run(["link-from-csv", "--dry-run", "round1.csv"])
            #expect(round1.status == 1 && round1.stderr.contains("round1.csv:2: phone_number \"12345\" is neither"), "\(round1.stderr)")
            #expect(round1.stderr.contains("round1.csv:3: assistant \(account.unlinked[1].id) is already on line 2"), "\(round1.stderr)")
            // The object is masked as stderr is: a header that quotes the API key.
            let key = w.sandbox.keys[0]
            try w.write("keyed.csv", "assistant_id,\(key)\n\(account.unlinked[0].id),x\n")
            let keyed = try w.run(["link-from-csv", "--json", "--dry-run", "keyed.csv"])
            #expect(keyed.status == 1 && keyed.stdout.contains("[redacted]"), "\(keyed.stdout)")
            #expect(!keyed.stdout.contains(key) && !keyed.stderr.contains(key))
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("UTF-16 and invalid UTF-8 are refused with the line, nothing sent")
        func wrongEncoding() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let text = csvText([["assistant_id", "phone_number"], [account.unlinked[0].id, account.freeNumbers[0].id]])
            var utf16: [UInt8] = [0xFF, 0xFE]
            for unit in text.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            try w.write("utf16.csv", bytes: utf16)
            let first = try w.run(["link-from-csv", "--yes", "utf16.csv"])
            #expect(first.status == 1)
            #expect(first.stderr.contains("utf16.csv:1: the file is UTF-16"), "\(first.stderr)")

            // Latin-1 "é" on line 3.
            var latin1 = Array(csvText([["assistant_id", "phone_number"], [account.unlinked[0].id, account.freeNumbers[0].id]]).utf8)
            latin1 += Array("\(account.unlinked[1].id),caf".utf8) + [0xE9] + Array("\n".utf8)
            try w.write("latin1.csv", bytes: latin1)
            let second = try w.run(["link-from-csv", "--yes", "latin1.csv"])
            #expect(second.status == 1)
            #expect(second.stderr.contains("latin1.csv:3: not valid UTF-8"), "\(second.stderr)")
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("a file of zeros or of one endless line is refused at once, its header quoted short; so is such a journal")
        func binaryFiles() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            // What a crash leaves: zeros, no line break anywhere.
            try w.write("zeros.csv", bytes: [UInt8](repeating: 0, count: 3 << 20))
            let zeros = try w.run(["link-from-csv", "--dry-run", "zeros.csv"])
            #expect(zeros.status == 1)
            #expect(zeros.stderr.contains("zeros.csv:1: contains NUL bytes"), "\(zeros.stderr.prefix(300))")
            #expect(zeros.stderr.utf8.count < 1000, "\(zeros.stderr.utf8.count) bytes of stderr")
            try w.write("long.csv", String(repeating: "a", count: 3 << 20))
            let long = try w.run(["link-from-csv", "--dry-run", "long.csv"])
            #expect(long.status == 1)
            #expect(long.stderr.contains("long.csv:1: the first line is longer than 1 MB"), "\(long.stderr.prefix(300))")
            // Further down the file, at the line it happens on, without reading on (200 MB
            // of zeros would take seconds and hundreds of MB): zeros after a header, one
            // endless second line, and zeros through a pipe.
            try w.write("later.csv", bytes: Array("assistant_id,phone_number\n\(account.unlinked[0].id),+31201234567\n".utf8)
                + [UInt8](repeating: 0, count: 200 << 20))
            let later = try w.run(["link-from-csv", "--dry-run", "later.csv"])
            #expect(later.status == 1)
            #expect(later.stderr.contains("later.csv:3: contains NUL bytes"), "\(later.stderr.prefix(300))")
            try w.write("endless.csv", "assistant_id,phone_number\n" + String(repeating: "b", count: 3 << 20))
            let endless = try w.run(["link-from-csv", "--dry-run", "endless.csv"])
            #expect(endless.status == 1)
            #expect(endless.stderr.contains("endless.csv:2: this line is longer than 1 MB"), "\(endless.stderr.prefix(300))")
            let piped = try w.run(
                ["link-from-csv", "--dry-run", "-"], stdin: try FileHandle(forReadingFrom: w.directory.appendingPathComponent("later.csv")))
            #expect(piped.status == 1)
            #expect(piped.stderr.contains("stdin:3: contains NUL bytes"), "\(piped.stderr.prefix(300))")
            // A header that is long, but still a line: the message quotes it cut short.
            let wide = String(repeating: "x", count: 5000)
            try w.write("wide.csv", "\(wide),phone_number\n\(account.unlinked[0].id),\(account.freeNumbers[0].id)\n")
            let cut = try w.run(["link-from-csv", "--dry-run", "wide.csv"])
            #expect(cut.status == 1)
            #expect(cut.stderr.contains("has: \"" + String(repeating: "x", count: 60) + "…\", \"phone_number\""), "\(cut.stderr.prefix(400))")
            #expect(cut.stderr.utf8.count < 1000)
            // A journal of zeros, and one cut short in its first line, are no journals: said so.
            try w.write("zeros.jsonl", bytes: [UInt8](repeating: 0, count: 1 << 20))
            let undo = try w.run(["undo", "--dry-run", "zeros.jsonl"])
            #expect(undo.status != 0)
            #expect(undo.stderr.contains("zeros.jsonl is not a flireo journal (its first line holds NUL bytes"), "\(undo.stderr.prefix(300))")
            try w.write("few-zeros.jsonl", bytes: [UInt8](repeating: 0, count: 100))
            let few = try w.run(["undo", "--dry-run", "few-zeros.jsonl"])
            #expect(few.status != 0)
            #expect(few.stderr.contains("few-zeros.jsonl is not a flireo journal (its first line holds NUL bytes"), "\(few.stderr)")
            try w.write("long.jsonl", String(repeating: "{", count: 100_000))
            let longJournal = try w.run(["undo", "--dry-run", "long.jsonl"])
            #expect(longJournal.stderr.contains("long.jsonl is not a flireo journal (its first line is longer than 64 KB)"), "\(longJournal.stderr.prefix(300))")
            try w.write("cut.jsonl", "{\"type\":\"header\",\"journal\":\"fli")
            let torn = try w.run(["undo", "--dry-run", "cut.jsonl"])
            #expect(torn.status != 0)
            #expect(torn.stderr.contains("cut.jsonl holds no complete line (31 bytes)"), "\(torn.stderr)")
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("a number wanted twice is named as a phone number, as written and as the number it is")
        func numberTwice() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let a = account.unlinked, n = account.freeNumbers[0]
            try w.write("rows.csv", "assistant_id,phone_number\n\(a[0].id),\(n.number)\n\(a[1].id),\(n.id.uppercased())\n\(a[2].id),\(n.number)\n")
            let result = try w.run(["link-from-csv", "--dry-run", "rows.csv"])
            #expect(result.status == 1)
            // As written: an id in capitals is quoted in capitals.
            #expect(result.stderr.contains("rows.csv:3: phone number \(n.id.uppercased()) (\(n.number)) is already on line 2"), "\(result.stderr)")
            #expect(result.stderr.contains("rows.csv:4: phone number \(n.number) is already on line 2"), "\(result.stderr)")
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("blank lines are skipped and named; the rows around them keep their lines")
        func blankLines() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let a = account.unlinked, n = account.freeNumbers
            try w.write("rows.csv", "assistant_id,phone_number\n\n\(a[0].id),\(n[0].id)\n\n\(a[1].id),not-a-number\n\n")
            let bad = try w.run(["link-from-csv", "--yes", "rows.csv"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("rows.csv:5: phone_number \"not-a-number\""), "\(bad.stderr)")
            #expect(bad.stderr.contains("3 blank lines ignored (line 2, 4, 6)"))
            try w.write("rows.csv", "assistant_id,phone_number\n\n\(a[0].id),\(n[0].id)\n\n\(a[1].id),\(n[1].number)\n\n")
            let good = try w.run(["link-from-csv", "--yes", "rows.csv"])
            #expect(good.status == 0, "\(good.stderr)")
            let links = try w.sandbox.links()
            #expect(links[a[0].id] == n[0].id && links[a[1].id] == n[1].id)
        }

        @Test("a quote never closed is an error at its line, not rows that silently vanish")
        func unclosedQuote() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let a = account.unlinked, n = account.freeNumbers
            var text = "assistant_id,phone_number,note\n\(a[0].id),\(n[0].id),\"oops\n"
            for i in 1...3 { text += "\(a[i].id),\(n[i].id),fine\n" }
            try w.write("rows.csv", text)
            for script in ["link-from-csv", "apply-links"] {
                let result = try w.run([script, "--yes", "rows.csv"])
                #expect(result.status == 1, "\(script): \(result.stderr)")
                #expect(result.stderr.contains("rows.csv:2: a quoted field opens here and is never closed"), "\(result.stderr)")
            }
            #expect(try w.sandbox.mutations() == 0)
            // Closed, the same file applies; a line of spaces counts as blank.
            try w.write("rows.csv", text.replacingOccurrences(of: "\"oops", with: "\"oops\"") + "   \n")
            let good = try w.run(["link-from-csv", "--yes", "rows.csv"])
            #expect(good.status == 0, "\(good.stderr)")
            #expect(good.stderr.contains("1 blank line ignored (line 6)"), "\(good.stderr)")
            #expect(try w.sandbox.links()[a[3].id] == n[3].id)
        }

        @Test("a JSON file: elements that are not links are named, the CSV's column names are accepted, no number is not \"unlink\"")
        func jsonRows() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let a = account.customLinked[0]
            try w.write("odd.json", "[1, null, {\"assistant_id\": \"\(a.id)\"}]")
            let odd = try w.run(["apply-links", "--yes", "odd.json"])
            #expect(odd.status == 1, "\(odd.stderr)")
            #expect(odd.stderr.contains("odd.json: element 1: not an object"), "\(odd.stderr)")
            #expect(odd.stderr.contains("odd.json: element 2: not an object"), "\(odd.stderr)")
            #expect(odd.stderr.contains("odd.json: element 3: has no phone_number"), "\(odd.stderr)")
            try w.write("noassistant.json", "[{\"phone_number\": null}]")
            let noAssistant = try w.run(["apply-links", "--yes", "noassistant.json"])
            #expect(noAssistant.stderr.contains("element 1: has no assistant_id"), "\(noAssistant.stderr)")
            #expect(!odd.stderr.contains("attempt to index"), "\(odd.stderr)")
            try w.write("alias.json", "\u{FEFF}[{\"Assistant ID\": \"\(a.id)\", \"Number\": \"\(a.number ?? "")\"}]")
            // One field given twice, or as a number: a problem, never left to chance.
            try w.write("twice.json", "[{\"assistant_id\": \"\(a.id)\", \"Assistant ID\": \"\(a.id)\", \"phone_number\": null},"
                + " {\"assistant_id\": \"\(a.id)\", \"phone_number\": 31201234567}]")
            let twice = try w.run(["apply-links", "--yes", "twice.json"])
            #expect(twice.status == 1 && twice.stderr.contains("both give assistant_id"), "\(twice.stderr)")
            #expect(twice.stderr.contains("element 2: assistant_id, phone_number and phone_number_id must be strings"),
                    "\(twice.stderr)")
            let alias = try w.run(["apply-links", "--yes", "alias.json"])
            #expect(alias.status == 0 && alias.stderr.contains("nothing to change"), "\(alias.stderr)")
            try w.write("object.json", "{\"assistant_id\": \"\(a.id)\"}")
            let object = try w.run(["apply-links", "--yes", "object.json"])
            #expect(object.status == 1 && object.stderr.contains("not a JSON array of links"), "\(object.stderr)")
            // An export edited to unlink by blanking only the number beside its id: a contradiction, not "keep".
            try w.write("blanked.json", "[{\"assistant_id\": \"\(a.id)\", \"phone_number\": null, \"phone_number_id\": \"\(a.numberID ?? "")\"}]")
            try w.write("blanked.csv", csvText([["assistant_id", "phone_number_id", "phone_number"], [a.id, a.numberID ?? "", ""]]))
            for file in ["blanked.json", "blanked.csv"] {
                let blanked = try w.run(["apply-links", "--yes", file])
                #expect(blanked.status == 1 && blanked.stderr.contains("phone_number is empty but phone_number_id is"),
                        "\(blanked.stderr)")
            }
            // And the other half blanked: the number left beside an empty id is not a link (QA round 30).
            let number = try #require(a.numberID.flatMap { account.number(of: $0) })
            try w.write("idless.json", "[{\"assistant_id\": \"\(a.id)\", \"phone_number\": \"\(number)\", \"phone_number_id\": null}]")
            try w.write("idless.csv", csvText([["assistant_id", "phone_number_id", "phone_number"], [a.id, "", number]]))
            for file in ["idless.json", "idless.csv"] {
                let idless = try w.run(["apply-links", "--yes", file])
                #expect(idless.status == 1 && idless.stderr.contains("phone_number_id is empty but phone_number is \"\(number)\""),
                        "\(idless.stderr)")
            }
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("standard input as the links, stray arguments and a directory are refused plainly")
        func refusedPlainly() throws {
            let w = try Workspace()
            // `-` is standard output for export-links (no file named "-" appears)...
            let exported = try w.run(["export-links", "-"])
            #expect(exported.status == 0 && exported.stdout.hasPrefix("assistant_id,"), "\(exported.stderr)")
            #expect(!w.exists("-"))
            // ...and not an input a journaled run can take.
            try w.write("-", "assistant_id,phone_number\n")
            let refusal = "standard input (-) cannot be the input of a run that changes data"
            let dash = try w.run(["link-from-csv", "--yes", "-"])
            #expect(dash.status == 2 && dash.stderr.contains(refusal), "\(dash.stderr)")
            let unlinkDash = try w.run(["unlink", "--yes", "--file", "-"])
            #expect(unlinkDash.status == 2 && unlinkDash.stderr.contains(refusal), "\(unlinkDash.stderr)")
            try w.write("header.csv", "assistant_id\n")
            let empty = try w.run(["unlink", "--yes", "--file", "header.csv"])
            #expect(empty.status == 1 && empty.stderr.contains("header.csv has no rows"), "\(empty.stderr)")
            // The key given where a value belongs is not quoted back.
            let key = try w.run(["link-from-csv", "-c", w.sandbox.keys[0], "rows.csv"])
            #expect(key.status == 2 && key.stderr.contains("(the API key, not shown)"), "\(key.stderr)")
            #expect(!key.stderr.contains(w.sandbox.keys[0]), "\(key.stderr)")
            // Option values are plain decimal numbers, and an option given twice is a mistake.
            for value in ["0x10", "2e0", " 4", "1.5", "4.", "-"] {
                let odd = try w.run(["link-from-csv", "--dry-run", "-c", value, "rows.csv"])
                #expect(odd.status == 2 && odd.stderr.contains("for --concurrency: expected a whole number"), "\(value): \(odd.stderr)")
            }
            let twice = try w.run(["link-from-csv", "--dry-run", "-j", "a.jsonl", "--journal", "b.jsonl", "rows.csv"])
            #expect(twice.status == 2 && twice.stderr.contains("--journal is given twice"), "\(twice.stderr)")
            let stray = try w.run(["order-numbers", "--count", "2", "mobile", "--dry-run"])
            #expect(stray.status == 2 && stray.stderr.contains("unexpected argument mobile"), "\(stray.stderr)")
            try FileManager.default.createDirectory(at: w.directory.appendingPathComponent("adir"), withIntermediateDirectories: true)
            let directory = try w.run(["unlink", "--dry-run", "--file", "adir"])
            #expect(directory.status == 1 && directory.stderr.contains("Is a directory"), "\(directory.stderr)")
            #expect(!directory.stderr.contains("cannotReadFile"), "\(directory.stderr)")
            let journal = try w.run(["undo", "adir"])
            #expect(journal.status == 1 && journal.stderr.contains("the journal adir is not a regular file"), "\(journal.stderr)")
            #expect(!journal.stderr.contains(".lua:"), "\(journal.stderr)")
            // A pipe (a FIFO, `<(…)`) as the input of a run that changes data, or as a
            // journal: refused, neither read up nor waited on.
            let fifo = w.directory.appendingPathComponent("rows.fifo").path
            #expect(mkfifo(fifo, 0o600) == 0)
            for arguments in [["link-from-csv", "--yes", fifo], ["unlink", "--yes", "--file", fifo]] {
                let piped = try w.run(arguments, timeout: 30)
                #expect(piped.status == 2 && piped.stderr.contains("\(fifo) (a pipe or a device) cannot be the input"),
                        "\(arguments): \(piped.stderr)")
            }
            let piped = try w.run(["undo", fifo], timeout: 30)
            #expect(piped.status == 1 && piped.stderr.contains("not a regular file"), "\(piped.stderr)")
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("a dry run reads its links from standard input or a pipe, and names stdin in its problems")
        func dryRunFromStream() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let targets = Array(zip(account.unlinked, account.freeNumbers)).prefix(2)
            try w.write("rows.csv", csvText([["assistant_id", "phone_number"]] + targets.map { [$0.0.id, $0.1.number] }))
            func input(_ name: String) throws -> FileHandle {
                try FileHandle(forReadingFrom: w.directory.appendingPathComponent(name))
            }
            // A JSON export through a pipe is said to be JSON (QA round 29: only "the header has: \"[\"").
            #expect(try w.run(["export-links", "--json", "backup.json"]).status == 0)
            let json = try w.run(["apply-links", "--dry-run", "-"], stdin: try input("backup.json"))
            #expect(json.status == 1 && json.stderr.contains("it looks like JSON: give it as a file whose name ends in .json"),
                    "\(json.stderr)")
            let planned = try w.run(["link-from-csv", "--dry-run", "-"], stdin: try input("rows.csv"))
            #expect(planned.status == 0, "\(planned.stderr)")
            for (assistant, number) in targets {
                #expect(planned.stdout.contains("link   \(assistant.id)  (none) → \(number.number)"), "\(planned.stdout)")
            }
            #expect(planned.stderr.contains("the run itself needs its input in a file"), "\(planned.stderr)")
            #expect(!planned.stderr.contains("-.journal.jsonl"), "\(planned.stderr)")
            let unlinks = try w.run(["unlink", "--dry-run", "--json", "--file", "-"], stdin: try input("rows.csv"))
            #expect(unlinks.status == 0, "\(unlinks.stderr)")
            // Problems name standard input as lua does, with their lines.
            try w.write("bad.csv", "assistant_id,phone_number\n\(targets[0].0.id),+31201234567\nnot-a-uuid,+31201234568\n")
            let bad = try w.run(["apply-links", "--dry-run", "-"], stdin: try input("bad.csv"))
            #expect(bad.status == 1 && bad.stderr.contains("stdin:3: "), "\(bad.stderr)")
            #expect(bad.stderr.contains("1 problem in stdin; nothing was sent"), "\(bad.stderr)")
            // A pipe (`<(…)`): its first bytes are not taken by the check for a UTF-16 mark.
            let binary = try Flireo.binary()
            let shell = try w.runProgram("/bin/bash", ["-c", "'\(binary)' run apply-links --dry-run <(cat rows.csv)"], capturing: 1)
            #expect(shell.status == 0, "\(shell.output)")
            #expect(shell.output.contains("Plan for "), "\(shell.output)")
            #expect(!w.exists("rows.journal.jsonl") && !w.exists("-.journal.jsonl"))
            // A resumed run checks its input is the file the run was made from: a stream cannot be.
            let resumed = try w.run(["link-from-csv", "--dry-run", "--resume", "-"], stdin: try input("rows.csv"))
            #expect(resumed.status == 2 && resumed.stderr.contains("cannot be the input of a resumed run"), "\(resumed.stderr)")
            #expect(!resumed.stderr.contains("a --dry-run reads any"), "\(resumed.stderr)")
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("a reader that goes away (audit | head) ends a reading script as it ends lua: SIGPIPE, no message")
        func brokenPipe() throws {
            let w = try Workspace()
            let (process, out, err) = try w.process(["audit"])
            try out.fileHandleForReading.close()
            try process.run()
            process.waitUntilExit()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE, "\(stderr)")
            #expect(!stderr.contains("Broken pipe") && !stderr.contains("traceback") && !stderr.contains("interrupted"), "\(stderr)")
        }

        @Test("a run that changes data and loses its reader stops as on Ctrl-C: the journal whole, what happened said, exit 141")
        func brokenPipeMutating() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            let targets = Array(zip(account.unlinked, account.freeNumbers).prefix(4))
            try w.write("rows.csv", "assistant_id,phone_number\n" + targets.map { "\($0.0.id),\($0.1.id)\n" }.joined())
            let (process, out, err) = try w.process(["link-from-csv", "--yes", "--json", "rows.csv"])
            try out.fileHandleForReading.close()
            try process.run()
            process.waitUntilExit()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .exit && process.terminationStatus == 141, "\(stderr)")
            // Its summary was what met the closed pipe: the run itself had ended.
            #expect(stderr.contains("link-from-csv: stopped: its standard output was closed; the run had finished, and the journal "
                + "rows.journal.jsonl records every outcome: only what it was printing at the end may be cut short"), "\(stderr)")
            #expect(!stderr.contains("traceback"), "\(stderr)")
            // The work itself was done and journaled before the summary met the closed pipe.
            let links = try w.sandbox.links()
            for (assistant, number) in targets { #expect(links[assistant.id] == number.id) }
            let records = try w.journal("rows.journal.jsonl")
            #expect(records.filter { $0["type"] as? String == "outcome" }.count == targets.count)
        }

        @Test("a field count that does not match the header is reported by line")
        func fieldCount() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            try w.write("rows.csv", "assistant_id,phone_number\n\(account.unlinked[0].id),\(account.freeNumbers[0].id),extra\n")
            let result = try w.run(["link-from-csv", "--yes", "rows.csv"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("rows.csv:2: 3 fields, but the header has 2"), "\(result.stderr)")
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("many problems: the first 100 by line, how many more, and the total; unknown rows of the account too")
        func manyProblems() throws {
            let w = try Workspace()
            // Well-formed rows the account does not know: two problems each, found after the account read.
            let rows = (0..<1_500).map { i in
                [String(format: "00000000-0000-4000-8000-%012d", i), String(format: "+3120%07d", i)]
            }
            try w.write("rows.csv", csvText([["assistant_id", "phone_number"]] + rows))
            let result = try w.run(["link-from-csv", "--dry-run", "rows.csv"])
            #expect(result.status == 1)
            let shown = result.stderr.split(separator: "\n").filter { $0.hasPrefix("rows.csv:") }
            #expect(shown.count == 100 && shown.first?.hasPrefix("rows.csv:2: ") == true, "\(shown.prefix(3))")
            #expect(result.stderr.contains("… and 2900 more problems\n"), "\(result.stderr.suffix(300))")
            #expect(result.stderr.contains("3000 problems in rows.csv; nothing was sent"), "\(result.stderr.suffix(300))")
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("a journal path that cannot be written is an error before anything is sent, or the account read")
        func readOnlyJournal() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            try w.write("rows.csv", csvText([["assistant_id", "phone_number"], [account.unlinked[0].id, account.freeNumbers[0].id]]))
            // sysfs refuses new files even to root; elsewhere a directory without write permission does.
            var journal = "/sys/kernel/flireo-bulk-test.journal.jsonl"
            if getuid() != 0 {
                let locked = w.directory.appendingPathComponent("locked")
                try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
                try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
                journal = locked.appendingPathComponent("j.jsonl").path
            }
            let result = try w.run(["link-from-csv", "--yes", "--journal", journal, "rows.csv"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("cannot create the journal \(journal)"), "\(result.stderr)")
            #expect(result.stderr.contains("not writable"))
            // (Only creating a file finds out that sysfs refuses it: the account was read.)
            try w.sandbox.resetStats()
            // A symbolic link to nothing is said to be one, not an unwritable directory.
            try FileManager.default.createSymbolicLink(atPath: w.directory.appendingPathComponent("dangling.jsonl").path,
                                                       withDestinationPath: "nowhere.jsonl")
            let dangling = try w.run(["link-from-csv", "--yes", "--journal", "dangling.jsonl", "rows.csv"])
            #expect(dangling.status == 1 && dangling.stderr.contains("is a symbolic link to ./nowhere.jsonl, which does not exist"),
                    "\(dangling.stderr)")
            // A directory, and a directory that is not there.
            let directory = try w.run(["link-from-csv", "--yes", "--journal", w.directory.path, "rows.csv"])
            #expect(directory.status == 1 && directory.stderr.contains("is a directory, not a regular file"), "\(directory.stderr)")
            let missing = try w.run(["link-from-csv", "--yes", "--journal", "nodir/j.jsonl", "rows.csv"])
            #expect(missing.status == 1 && missing.stderr.contains("its directory does not exist"), "\(missing.stderr)")
            // Each said before the account was read (minutes, for a large one).
            let routes = try w.sandbox.routes()
            #expect(routes.keys.filter { $0.contains("/v1/") }.isEmpty, "\(routes)")
        }

        @Test("an existing journal is never overwritten")
        func existingJournal() throws {
            let w = try Workspace()
            let account = try AccountData(w.sandbox)
            try w.write("rows.csv", csvText([["assistant_id", "phone_number"], [account.unlinked[0].id, account.freeNumbers[0].id]]))
            try w.write("rows.journal.jsonl", "precious\n")
            let result = try w.run(["link-from-csv", "--yes", "rows.csv"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("already exists"), "\(result.stderr)")
            #expect(try w.read("rows.journal.jsonl") == "precious\n")
            #expect(try w.sandbox.mutations() == 0)
        }

        @Test("a journal of another CSV or another account is refused with the reason")
        func foreignJournal() throws {
            let w = try Workspace(keys: ["key-one", "key-two"])
            let account = try AccountData(w.sandbox)
            let a = account.unlinked, n = account.freeNumbers
            try w.write("rows.csv", csvText([["assistant_id", "phone_number"], [a[0].id, n[0].id], [a[1].id, n[1].id]]))
            #expect(try w.run(["link-from-csv", "--yes", "rows.csv"]).status == 0)
            try w.sandbox.resetStats()

            try w.write("rows.csv", csvText([["assistant_id", "phone_number"], [a[0].id, n[0].id], [a[2].id, n[2].id]]))
            let otherCSV = try w.run(["link-from-csv", "--yes", "--resume", "rows.csv"])
            #expect(otherCSV.status == 1)
            #expect(otherCSV.stderr.contains("was written for another CSV file"), "\(otherCSV.stderr)")
            #expect(otherCSV.stderr.contains("it has content ") && !otherCSV.stderr.contains("{\"fingerprint\""), "\(otherCSV.stderr)")

            try w.write("rows.csv", csvText([["assistant_id", "phone_number"], [a[0].id, n[0].id], [a[1].id, n[1].id]]))
            let otherAccount = try w.run(["link-from-csv", "--yes", "--resume", "rows.csv"], key: "key-two")
            #expect(otherAccount.status == 1)
            #expect(otherAccount.stderr.contains("written for another account"), "\(otherAccount.stderr)")

            // Another server on this machine (most often another `--sandbox`): said why, and what to do.
            let elsewhere = ["FLIREO_BASE_URL": "http://127.0.0.1:9"]
            for arguments in [["undo", "--yes", "rows.journal.jsonl"], ["link-from-csv", "--yes", "--resume", "rows.csv"]] {
                let moved = try w.run(arguments, environment: elsewhere)
                #expect(moved.status == 1)
                #expect(moved.stderr.contains("Both are on this machine: if they are sandboxes, each `flireo --sandbox` run starts a new one"),
                        "\(moved.stderr)")
            }

            // The journal given where the CSV belongs: said so, not "cannot read rows.journal.journal.jsonl".
            let journalGiven = try w.run(["link-from-csv", "--yes", "--resume", "rows.journal.jsonl"])
            #expect(journalGiven.status == 2)
            #expect(journalGiven.stderr.contains("rows.journal.jsonl is a journal: give the CSV file the run was made from"),
                    "\(journalGiven.stderr)")

            let notJournal = try w.run(["link-from-csv", "--yes", "--resume", "--journal", "rows.csv", "rows.csv"])
            #expect(notJournal.status == 1)
            #expect(notJournal.stderr.contains("not a flireo journal") || notJournal.stderr.contains("not a journal record"),
                    "\(notJournal.stderr)")
            #expect(try w.sandbox.mutations() == 0)
        }
    }
}
