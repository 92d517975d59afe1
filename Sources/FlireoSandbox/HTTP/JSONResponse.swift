import Hummingbird
import NIOCore

/// Builds JSON responses.
enum JSONResponse {
    /// A response with a JSON body.
    /// - Parameters:
    ///   - status: The status.
    ///   - body: The body.
    ///   - headers: Extra headers.
    /// - Returns: The response.
    static func make(_ status: HTTPResponse.Status = .ok, _ body: JSON, headers: HTTPFields = [:]) -> Response {
        let buffer = ByteBuffer(bytes: body.serializedBytes)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: buffer))
    }

    /// A read: `{"data": …}`.
    static func data(_ data: JSON) -> Response {
        make(.ok, ["data": data])
    }

    /// A list: `{"data": […], "meta": {"total", "limit", "offset"}}`.
    static func list(_ items: [JSON], total: Int, page: PageRequest) -> Response {
        make(.ok, ["data": .array(items), "meta": ["total": .int(total), "limit": .int(page.limit), "offset": .int(page.offset)]])
    }

    /// A mutation: `{"message": "…", "data": {…}}`.
    static func mutation(_ message: String, _ data: JSON, status: HTTPResponse.Status = .ok) -> Response {
        make(status, ["message": .string(message), "data": data])
    }
}
