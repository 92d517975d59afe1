import FlireoAPI
import Foundation
import Testing

/// Serves `total` numbers, at most `cap` per page whatever was asked, and reports a
/// `meta.limit` of 20 regardless (an inconsistent server). As the contract's example, with
/// `include_default=true` its one shared default number is counted in `meta.total` and
/// listed only in `shared_numbers`.
private func numbersServer(total: Int, cap: Int, shrinkTotalAt: Int? = nil) async throws -> ScriptedServer {
    try await ScriptedServer.start { request in
        let offset = Int(request.query["offset"] ?? "0") ?? 0
        let limit = Int(request.query["limit"] ?? "50") ?? 50
        let own = shrinkTotalAt.map { offset >= $0 ? offset : total } ?? total
        let reportedTotal = own + (request.query["include_default"] == "true" ? 1 : 0)
        let end = min(own, offset + min(limit, cap))
        let items = (offset..<max(offset, end)).map { index in
            String(format: #"{"id": "00000000-0000-4000-8000-%012d", "phone_number": "+3120%07d", "locality": null, "number_type": "local", "available": %@, "created_at": "2025-01-15T10:30:00Z", "linked_assistant": null}"#,
                   index, index, index % 2 == 0 ? "true" : "false")
        }
        let shared = #"[{"id": "99999999-0000-4000-8000-000000000000", "phone_number": "+31850001234", "locality": null, "number_type": "national"}]"#
        return .json(200, #"{"data": [\#(items.joined(separator: ","))], "shared_numbers": \#(shared), "meta": {"total": \#(reportedTotal), "limit": 20, "offset": \#(offset)}}"#)
    }
}

@Suite("Pagination")
struct PaginationTests {
    @Test("pages through every item, advancing by what arrived, not by meta.limit")
    func allPages() async throws {
        let server = try await numbersServer(total: 11, cap: 3)
        defer { server.stop() }
        let numbers = try await server.client().phoneNumbers(includeDefault: true, pageSize: 5).collect()
        #expect(numbers.count == 12)
        #expect(Set(numbers.map(\.id)).count == 12)
        #expect(numbers.first?.number == "+31200000000")
        #expect(numbers.first?.type == "local")
        #expect(numbers[1].available == false)
        // The shared default number, listed only beside the pages, comes after the last one.
        #expect(numbers.last?.number == "+31850001234" && numbers.last?.origin == "default" && numbers.last?.available == true)
        // The empty page at offset 11 ends the list: the total counted the shared number.
        let offsets = server.requests.map { $0.query["offset"] }
        #expect(offsets == ["0", "3", "6", "9", "11"])
        #expect(server.requests.allSatisfy { $0.query["limit"] == "5" && $0.query["include_default"] == "true" })
    }

    @Test("a server that lists the shared numbers in data too gives each number once")
    func sharedAlsoInData() async throws {
        let shared = #"{"id": "99999999-0000-4000-8000-000000000000", "phone_number": "+31850001234", "locality": null, "number_type": "national"}"#
        let own = #"{"id": "00000000-0000-4000-8000-000000000001", "phone_number": "+31201234567", "number_type": "local", "available": true}"#
        let listed = #"{"id": "99999999-0000-4000-8000-000000000000", "phone_number": "+31850001234", "number_type": "national", "available": true, "linked_assistant": {"id": "660e8400-e29b-41d4-a716-446655440000", "name": "Front desk"}}"#
        let server = try await ScriptedServer.start { request in
            let data = request.query["offset"] == "0" ? own : listed
            return .json(200, #"{"data": [\#(data)], "shared_numbers": [\#(shared)], "meta": {"total": 2, "limit": 1, "offset": \#(request.query["offset"] ?? "0")}}"#)
        }
        defer { server.stop() }
        let numbers = try await server.client().phoneNumbers(includeDefault: true, pageSize: 1).collect()
        #expect(numbers.map(\.number) == ["+31201234567", "+31850001234"])
        // The list's own entry, with its holder, not the bare shared one.
        #expect(numbers.last?.linkedAssistant?.name == "Front desk")
    }

    @Test("is lazy: one page is fetched at a time")
    func lazy() async throws {
        let server = try await numbersServer(total: 100, cap: 10)
        defer { server.stop() }
        var iterator = try server.client().phoneNumbers(pageSize: 10).makeAsyncIterator()
        // Pages asked for, by offset: a GET that timed out under load and was sent again
        // asks for the same page, which is not a second page.
        func pages() -> Set<String?> { Set(server.requests.map { $0.query["offset"] }) }
        _ = try await iterator.next()
        #expect(pages() == ["0"])
        for _ in 0..<10 { _ = try await iterator.next() }
        #expect(pages() == ["0", "10"])
    }

    @Test("a list that shrinks while paging ends where the server's total now ends")
    func shrinking() async throws {
        let server = try await numbersServer(total: 9, cap: 3, shrinkTotalAt: 6)
        defer { server.stop() }
        let numbers = try await server.client().phoneNumbers(pageSize: 3).collect()
        #expect(numbers.count == 6)
    }

    @Test("an empty page before meta.total is an error, not a silent short list")
    func emptyPageIsError() async throws {
        let server = try await ScriptedServer.start { _ in
            .json(200, #"{"data": [], "meta": {"total": 5, "limit": 50, "offset": 0}}"#)
        }
        defer { server.stop() }
        let error = await flireoError { try await server.client().phoneNumbers().collect() }
        #expect(error?.code == .invalidResponse)
        #expect(error?.message.contains("meta.total is 5") == true)
        #expect(error?.path == "/v1/phone-numbers")
    }

    @Test("a list whose total keeps growing ahead of the reader ends with an error, not never; a negative total is refused")
    func growingForEver() async throws {
        // Every page is full and its total one more than what has been listed.
        let server = try await ScriptedServer.start { request in
            let offset = Int(request.query["offset"] ?? "0") ?? 0
            let items = (offset..<offset + 100).map { index in
                String(format: #"{"id": "00000000-0000-4000-8000-%012d", "phone_number": "+3120%07d", "number_type": "local", "available": true}"#, index, index)
            }
            return .json(200, #"{"data": [\#(items.joined(separator: ","))], "meta": {"total": \#(offset + 101), "limit": 100, "offset": \#(offset)}}"#)
        }
        defer { server.stop() }
        let error = await flireoError { try await server.client().phoneNumbers(pageSize: 100).collect() }
        #expect(error?.code == .invalidResponse)
        #expect(error?.message.contains("kept growing") == true, "\(String(describing: error))")
        // The first total was 101: the reader gives up after about twice that and 1,000 more.
        #expect(server.requests.count <= 14, "\(server.requests.count)")

        let negative = try await ScriptedServer.start { _ in .json(200, #"{"data": [], "meta": {"total": -5, "limit": 50, "offset": 0}}"#) }
        defer { negative.stop() }
        let refused = await flireoError { try await negative.client().phoneNumbers().collect() }
        #expect(refused?.code == .invalidResponse)
        #expect(refused?.message.contains("meta.total") == true, "\(String(describing: refused))")
    }

    @Test("a server that ignores offset is caught instead of repeating a page")
    func offsetIgnored() async throws {
        let item = #"{"id": "00000000-0000-4000-8000-000000000001", "phone_number": "+31201234567", "number_type": "local", "available": true}"#
        let server = try await ScriptedServer.start { _ in
            .json(200, #"{"data": [\#(item)], "meta": {"total": 3, "limit": 1, "offset": 0}}"#)
        }
        defer { server.stop() }
        let error = await flireoError { try await server.client().phoneNumbers(pageSize: 1).collect() }
        #expect(error?.code == .invalidResponse)
        #expect(error?.message.contains("offset 1") == true)
    }

    @Test("the single-page call returns items, shared numbers and meta")
    func singlePage() async throws {
        let server = try await numbersServer(total: 4, cap: 10)
        defer { server.stop() }
        let page = try await server.client().phoneNumbersPage(includeDefault: false, limit: 2, offset: 1)
        #expect(page.items.count == 2)
        #expect(page.sharedNumbers.first?.number == "+31850001234")
        #expect(page.sharedNumbers.first?.type == "national")
        #expect(page.meta.total == 4)
        #expect(page.meta.limit == 20)
        #expect(page.items[0].raw["phone_number"] == "+31200000001")
        #expect(server.requests.first?.query == ["include_default": "false", "limit": "2", "offset": "1"])
    }

    @Test("page sizes outside 1–100 are rejected before any request")
    func pageSizeChecked() async throws {
        let server = try await numbersServer(total: 1, cap: 1)
        defer { server.stop() }
        for size in [0, -3, 101, 500] {
            let error = await flireoError { try await server.client().phoneNumbers(pageSize: size).collect() }
            #expect(error?.code == .invalidParameters)
            #expect(error?.details == ["parameter": "limit"])
        }
        #expect(server.requests.isEmpty)
    }
}
