import NIOHTTP1

/// Reads how long a server asked the client to wait.
enum RetryAfter {
    /// The longest wait believed from a server (a year): beyond it a header is garbage, and
    /// a duration made of it would overflow.
    static let longestWait: Double = 365 * 86_400

    /// `Retry-After` in seconds (delta seconds or an HTTP date); for a 429 without it,
    /// the time until `X-RateLimit-Reset`.
    /// - Parameters:
    ///   - headers: the response headers.
    ///   - status: the response status; the reset fallback applies to 429 only.
    ///   - now: unix seconds.
    /// - Returns: non-negative seconds, or `nil` when the response says nothing.
    static func seconds(in headers: HTTPHeaders, status: Int, now: Double = WallClock.now()) -> Double? {
        if let value = headers.first(name: "Retry-After") {
            let text = value.trimmingSpaces
            if let seconds = Double(text), seconds.isFinite {
                return min(max(0, seconds), longestWait)
            }
            if let date = parseHTTPDate(String(text)) {
                return min(max(0, date - now), longestWait)
            }
        }
        guard status == 429 else { return nil }
        return RateLimitHeaders(headers, now: now).secondsUntilReset(now: now)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses an IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`) to unix seconds.
    static func parseHTTPDate(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT",
            let day = Int(parts[1]),
            let month = months.firstIndex(of: parts[2].lowercased()),
            let year = Int(parts[3]), (1...9999).contains(year)
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (1...31).contains(day), (0..<24).contains(clock[0]),
            (0..<60).contains(clock[1]), (0..<61).contains(clock[2])
        else { return nil }
        let days = daysFromCivil(year: year, month: month + 1, day: day)
        return Double(days * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2])
    }

    // Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
