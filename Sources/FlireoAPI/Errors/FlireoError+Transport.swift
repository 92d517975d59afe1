import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure without a (complete) response, and whether the server may have seen the request.
struct TransportFailure: Error {
    let error: FlireoError
    /// `false` only when the request certainly never left (no connection was made).
    let mayHaveBeenSent: Bool
    /// `false` when trying again would fail the same way (a body over the size limit).
    var worthRetrying = true
}

extension FlireoError {
    /// Classifies an error from AsyncHTTPClient or NIO.
    /// - Parameters:
    ///   - error: what the HTTP stack threw.
    ///   - timeouts: the timeouts in force, for the message.
    ///   - authority: `host:port`, for the message.
    /// - Returns: the error and whether the request may have been sent.
    static func transport(_ error: any Error, timeouts: Timeouts, authority: String) -> TransportFailure {
        func failure(_ code: Code, _ message: String, sent: Bool) -> TransportFailure {
            TransportFailure(error: FlireoError(code: code, message: message), mayHaveBeenSent: sent)
        }
        if let flireo = error as? FlireoError {
            return TransportFailure(error: flireo, mayHaveBeenSent: true)
        }
        if error is CancellationError {
            return failure(.cancelled, "Cancelled", sent: true)
        }
        if let http = error as? HTTPClientError {
            switch http {
            case .cancelled:
                return failure(.cancelled, "Cancelled", sent: true)
            case .deadlineExceeded:
                return failure(.timeout, "No complete response within \(formatSeconds(timeouts.total.seconds)) (total timeout)", sent: true)
            case .readTimeout:
                return failure(.timeout, "No data for \(formatSeconds(timeouts.read.seconds)) (read timeout)", sent: true)
            case .writeTimeout:
                return failure(.timeout, "Could not send the request in time (write timeout)", sent: true)
            case .connectTimeout, .getConnectionFromPoolTimeout:
                return failure(
                    .connectionFailed,
                    "Could not connect to \(authority) within \(formatSeconds(timeouts.connect.seconds)) (connect timeout)",
                    sent: false
                )
            case .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
                return failure(.connectionFailed, "Could not connect to \(authority): handshake timed out", sent: false)
            case .remoteConnectionClosed:
                return failure(.connectionClosed, "The server closed the connection before a complete response", sent: true)
            case .redirectLimitReached, .redirectCycleDetected:
                return failure(.invalidResponse, "The server redirected the request", sent: true)
            default:
                let text = String(describing: http)
                // invalidHeaderFieldValues/Names quote the headers, the Authorization one too.
                if text.contains("invalidHeaderField") {
                    return failure(.transportError, "A request header holds a character HTTP cannot carry", sent: false)
                }
                return failure(.transportError, "HTTP client failure: \(text)", sent: true)
            }
        }
        if let connection = error as? NIOConnectionError {
            if connection.dnsAError != nil || connection.dnsAAAAError != nil {
                return failure(.connectionFailed, "Could not resolve \(connection.host)", sent: false)
            }
            let reasons = connection.connectionErrors.map { describe($0.error) }
            let reason = reasons.first ?? "no address to connect to"
            return failure(.connectionFailed, "Could not connect to \(authority): \(reason)", sent: false)
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL:
                return failure(.connectionFailed, "Could not connect to \(authority): \(describe(io))", sent: false)
            default:
                return failure(.connectionClosed, "The connection failed: \(describe(io))", sent: true)
            }
        }
        if let channel = error as? ChannelError {
            switch channel {
            case .connectTimeout:
                return failure(.connectionFailed, "Could not connect to \(authority) (connect timeout)", sent: false)
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed:
                return failure(.connectionClosed, "The server closed the connection before a complete response", sent: true)
            default:
                return failure(.transportError, "Connection failure: \(channel)", sent: true)
            }
        }
        if error is NIOTooManyBytesError {
            var tooLarge = failure(.invalidResponse, "The response body is larger than the client accepts", sent: true)
            tooLarge.worthRetrying = false
            return tooLarge
        }
        if let parser = error as? HTTPParserError, parser == .invalidEOFState {
            return failure(.connectionClosed, "The server closed the connection before a complete response", sent: true)
        }
        if error is HTTPParserError {
            return failure(.invalidResponse, "The server sent a malformed HTTP response", sent: true)
        }
        if String(reflecting: type(of: error)).hasPrefix("NIOSSL.") {
            return failure(.connectionFailed, tlsFailure(String(describing: error), authority: authority), sent: false)
        }
        return failure(.transportError, "Transport failure: \(error)", sent: true)
    }

    /// A TLS failure in words, without BoringSSL's error stack (which names the source files
    /// of the build). No request is sent before the handshake completes.
    static func tlsFailure(_ text: String, authority: String) -> String {
        let known: [(String, String)] = [
            ("WRONG_VERSION_NUMBER", "the server does not speak TLS there: is it a plain http:// server?"),
            ("CERTIFICATE_VERIFY_FAILED", "its certificate is not trusted"),
            ("failedToValidateHostname", "its certificate does not name this host"),
            ("unableToValidateCertificate", "its certificate is not trusted"),
            ("uncleanShutdown", "the server closed the connection during the handshake"),
        ]
        let reason = known.first { text.contains($0.0) }?.1 ?? "the handshake failed"
        return "TLS with \(authority) failed: \(reason)"
    }

    private static func describe(_ error: any Error) -> String {
        if let io = error as? IOError, let text = strerror(io.errnoCode) {
            return String(cString: text).lowercased()
        }
        return String(describing: error)
    }
}
