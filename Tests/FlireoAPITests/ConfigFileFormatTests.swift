import FlireoAPI
import Foundation
import Testing

/// The config file as editors and people write it: line ends, byte-order marks, settings
/// given twice, and a key pasted where it does not belong, never quoted back.
@Suite("Configuration file format")
struct ConfigFileFormatTests {
    @Test("a file with CRLF or CR line ends, or a byte-order mark, reads as with LF")
    func windowsLineEnds() throws {
        for text in [profiles.replacingOccurrences(of: "\n", with: "\r\n"), profiles.replacingOccurrences(of: "\n", with: "\r"),
                     "\u{FEFF}" + profiles, "\u{FEFF}" + profiles.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"] {
            let directory = try ConfigDirectory(text)
            defer { directory.remove() }
            let configuration = try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: directory.path)
            #expect(configuration.baseURL == "https://default.flireo.example")
            #expect(configuration.apiKey == "key-from-default-profile")
            let staging = try FlireoConfiguration.resolve(
                flags: .init(profile: "staging"), environment: ["STAGING_KEY": "staging-key"], configDirectory: directory.path)
            #expect(staging.baseURL == "https://staging.flireo.example/api" && staging.apiKey == "staging-key")
        }
        // A setting the CRLF ended once ran on into the key's line, which its error quoted.
        let directory = try ConfigDirectory("[default]\nbase_url = https://api.example.com\nrate_limit = 5/x\r\napi_key = flk_9f8e7d6c5b4a39281726354\r\n")
        defer { directory.remove() }
        let error = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: directory.path)
        }
        #expect(error.message.contains("\"5/x\"") && !error.message.contains("9f8e7d6c5b4a"), "\(error.message)")
    }

    @Test("a setting given twice in a profile, or both api_key and api_key_env, is a problem named with its lines")
    func duplicateSettings() throws {
        let directory = try ConfigDirectory("""
            [default]
            base_url = https://a.example
            api_key = secret-value-here
            [profile other]
            base_url = https://b.example
            [default]
            base_url = https://c.example
            api_key_env = SOME_KEY
            """)
        defer { directory.remove() }
        let error = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: directory.path)
        }
        let lines = error.message.split(separator: "\n")
        #expect(lines.count == 3, "\(error.message)")
        #expect(lines.first?.contains(directory.file + ":6: [default] appears twice (also on line 1): keep one section") == true, "\(error.message)")
        #expect(lines.dropFirst().first?.contains(directory.file + ":7: 'base_url' is set twice in [default] (also on line 2): keep one") == true, "\(error.message)")
        #expect(lines.last?.contains(directory.file + ":8: [default] sets both api_key and api_key_env: keep one") == true, "\(error.message)")
        #expect(!error.message.contains("secret-value-here"))
    }

    @Test("a base URL that is one long word, as a key pasted on the wrong line is, is not quoted back")
    func keyLikeBaseURL() throws {
        let error = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(baseURL: "flk_9f8e7d6c5b4a39281726354"), environment: ["FLIREO_API_KEY": "k"])
        }
        #expect(!error.message.contains("9f8e7d6c5b4a") && error.message.contains("expected https://host"), "\(error.message)")
        let plain = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(baseURL: "api.example"), environment: ["FLIREO_API_KEY": "k"])
        }
        #expect(plain.message.contains("\"api.example\""), "\(plain.message)")
        // Nor a key in rate_limit, as the second word of base_url, or as a profile's name.
        let key = "flk_9f8e7d6c5b4a39281726354"
        let directory = try ConfigDirectory("[default]\nbase_url = https://x.example \(key)\n[\(key)]\nrate_limit = \(key)\n")
        defer { directory.remove() }
        for (flags, hidden) in [(ConfigurationFlags(), true), (.init(profile: key), false), (.init(profile: "other"), true)] {
            let error = try #require(throws: FlireoError.self) {
                try FlireoConfiguration.resolve(flags: flags, environment: ["FLIREO_API_KEY": "k"], configDirectory: directory.path)
            }
            #expect(!error.message.contains("9f8e7d6c5b4a"), "\(error.message)")
            #expect(error.message.contains("could be an API key") == hidden, "\(error.message)")
        }
        let rate = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(baseURL: "https://x.example", rateLimit: key), environment: ["FLIREO_API_KEY": "k"])
        }
        #expect(!rate.message.contains("9f8e7d6c5b4a"), "\(rate.message)")
        // An empty flag is not "none configured", whatever else is set.
        let empty = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(baseURL: ""), environment: ["FLIREO_API_KEY": "k", "FLIREO_BASE_URL": "https://x.example"])
        }
        #expect(empty.message.contains("The base URL from flag --base-url is empty"), "\(empty.message)")
    }
}
