import Hummingbird
import NIOCore

extension APIError {
    /// The envelope response; 401 uses the flat shape documented for authentication.
    var response: Response {
        if status == .unauthorized {
            var headers = self.headers
            headers[.wwwAuthenticate] = "Bearer"
            return JSONResponse.make(.unauthorized, ["error": "Unauthorized", "message": .string(message)], headers: headers)
        }
        return JSONResponse.make(status, body, headers: headers)
    }

    /// The documented error for anything a handler or Hummingbird threw.
    /// - Parameters:
    ///   - error: The error.
    ///   - request: The request (for route messages).
    /// - Returns: The API error.
    static func from(_ error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .unknownRoute(request.method.rawValue, request.uri.path)
            case .contentTooLarge: return .payloadTooLarge(limit: RequestBodyReader.maximumBytes)
            case .unsupportedMediaType: return .unsupportedMediaType(request.headers[.contentType])
            case .methodNotAllowed: return APIError("method_not_allowed", .methodNotAllowed, "Method not allowed")
            case let status where status.code < 500:
                return APIError("invalid_parameters", status, error.body ?? status.reasonPhrase)
            default:
                return .serverError("Internal server error")
            }
        case is NIOTooManyBytesError:
            return .payloadTooLarge(limit: RequestBodyReader.maximumBytes)
        default:
            return .serverError("Internal server error")
        }
    }
}
