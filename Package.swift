// swift-tools-version: 6.1
import PackageDescription

// Layers (see DESIGN.md): dependencies point down only.
//   flireo → FlireoREPL → FlireoLua → {LuaKit, FlireoAPI}; FlireoSandbox → FlireoAPI
//   LuaKit → CLuaBridge → CLua (system liblua5.4)
let package = Package(
    name: "flireo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "flireo", targets: ["flireo"]),
        .library(name: "LuaKit", targets: ["LuaKit"]),
        .library(name: "FlireoAPI", targets: ["FlireoAPI"]),
        .library(name: "FlireoSandbox", targets: ["FlireoSandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // RFC 4180 reading and writing for flireo.csv (streams from a file).
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    ],
    targets: [
        // The system Lua 5.4 (Debian liblua5.4-dev).
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // The system libedit (Debian libedit-dev), for the REPL.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The only C of the project: macro shims, trampolines that raise and yield, hooks.
        .target(name: "CLuaBridge", dependencies: ["CLua"]),
        .target(name: "LuaKit", dependencies: ["CLuaBridge"]),
        .target(
            name: "FlireoAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "FlireoSandbox",
            dependencies: [
                "FlireoAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "FlireoLua",
            dependencies: ["LuaKit", "FlireoAPI", .product(name: "CSV", package: "CSV.swift")],
            plugins: ["EmbedLua"]
        ),
        // Embeds stdlib/ and scripts/ into FlireoLua as Swift string literals.
        .executableTarget(name: "embed-lua", path: "Sources/embed-lua"),
        .plugin(name: "EmbedLua", capability: .buildTool(), dependencies: ["embed-lua"]),
        .target(name: "FlireoREPL", dependencies: ["LuaKit", "CEditLine"]),
        .executableTarget(
            name: "flireo",
            dependencies: ["LuaKit", "FlireoLua", "FlireoREPL", "FlireoAPI", "FlireoSandbox"]
        ),
        // Benchmarks (BENCHMARKS.md): `flireo-bench http` measures the HTTP core next to wrk.
        .executableTarget(
            name: "flireo-bench",
            dependencies: [
                "FlireoAPI",
                "LuaKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Shared by the test targets: a Lua thread of its own for async tests, a sandbox subprocess.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LuaKitTests", dependencies: ["LuaKit", "TestSupport"]),
        .testTarget(
            name: "FlireoAPITests",
            dependencies: [
                "FlireoAPI",
                // An injected HTTPClient keeps its own timeouts (TimeoutTests).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // The scripted test server is raw NIO so it can drop and stall connections.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // The scripted server's tasks run off Swift's pool (ElasticExecutor).
                "TestSupport",
            ]
        ),
        .testTarget(
            name: "FlireoSandboxTests",
            dependencies: [
                "FlireoSandbox",
                "FlireoAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // The seed page's JSON Schemas, validated against live responses.
            resources: [.copy("Schemas")]
        ),
        .testTarget(name: "FlireoLuaTests", dependencies: ["FlireoLua", "FlireoSandbox", "LuaKit", "TestSupport"], exclude: ["lua"]),
        .testTarget(name: "FlireoREPLTests", dependencies: ["FlireoREPL", "LuaKit"]),
        // Drives the built `flireo` binary as a subprocess (and under a pty).
        .testTarget(name: "CLITests", dependencies: ["flireo", "TestSupport"]),
        // The shipped bulk scripts run as subprocesses against `flireo sandbox serve`.
        .testTarget(name: "BulkTests", dependencies: ["flireo", "TestSupport"], exclude: ["Lua"]),
    ],
    swiftLanguageModes: [.v6]
)
