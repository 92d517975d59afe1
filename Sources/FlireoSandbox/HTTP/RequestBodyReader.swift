import FlireoAPI
import Hummingbird
import NIOCore

/// Reads a JSON request body: a capped size, `application/json` only, an object at the top.
enum RequestBodyReader {
    /// The largest body accepted; the API's bodies are a few hundred bytes.
    static let maximumBytes = 64 * 1024

    /// The body's members, or an empty list for an empty body.
    /// - Parameter request: The request.
    /// - Returns: The members of the top-level object.
    /// - Throws: 413 `payload_too_large`, 415 `unsupported_media_type`, 400 `invalid_parameters`.
    static func object(_ request: Request) async throws(APIError) -> BodyFields {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maximumBytes {
            throw .payloadTooLarge(limit: maximumBytes)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBytes)
        } catch is NIOTooManyBytesError {
            throw .payloadTooLarge(limit: maximumBytes)
        } catch {
            throw .invalidBody("could not read the body")
        }
        guard buffer.readableBytes > 0 else { return BodyFields(members: []) }
        let contentType = request.headers[.contentType]
        guard let contentType, isJSON(contentType) else { throw .unsupportedMediaType(contentType) }
        let value: JSON
        do {
            value = try JSON(parsing: buffer.readableBytesView)
        } catch let error as FlireoError {
            throw .invalidBody("malformed JSON (\(error.message))")
        } catch {
            throw .invalidBody("malformed JSON")
        }
        guard let members = value.objectValue else {
            throw .invalidBody("expected a JSON object, got \(value.typeName)")
        }
        return BodyFields(members: members.entries)
    }

    /// `application/json`, any parameters, any case; `+json` types too.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = String(contentType.split(separator: ";", maxSplits: 1).first ?? "").trimmedSpaces.lowercased()
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}
