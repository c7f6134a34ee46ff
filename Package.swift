// swift-tools-version: 6.2
import PackageDescription

/// Build settings every Relais target shares, defined once (see STYLE.md §1).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Relais",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "relais", targets: ["relais"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .target(name: "RelaisCore", swiftSettings: strictSettings),
        .target(
            name: "RelaisCrypto",
            dependencies: ["RelaisCore", "CSodium"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RelaisStore",
            dependencies: ["RelaisCore", "RelaisCrypto", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Schema/records.v2.json"), .copy("Schema/records.v2.fr.json")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RelaisSync",
            dependencies: [
                "RelaisCore", "RelaisCrypto", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        // The only target that opens sockets through NIO's POSIX layer: sync sessions over TCP,
        // discovery over UDP multicast and the metrics endpoint over HTTP.
        .target(
            name: "RelaisTransport",
            dependencies: [
                "RelaisCore", "RelaisCrypto", "RelaisSync",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RelaisDaemon",
            dependencies: [
                "RelaisCore", "RelaisCrypto", "RelaisStore", "RelaisSync", "RelaisTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        // The mediators' app, above the daemon: pages rendered from the store's services.
        .target(
            name: "RelaisApp",
            dependencies: [
                "RelaisCore", "RelaisCrypto", "RelaisStore", "RelaisDaemon",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "relais",
            dependencies: [
                "RelaisApp", "RelaisDaemon", "RelaisStore", "RelaisCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "relais-bench",
            dependencies: [
                "RelaisStore", "RelaisCrypto", "RelaisCore", "RelaisDaemon", "RelaisHarness",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RelaisFuzz",
            dependencies: ["RelaisCore", "RelaisCrypto", "RelaisStore", "RelaisSync"],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "relais-fuzz", dependencies: ["RelaisFuzz"], swiftSettings: strictSettings),
        // What the tests and the benchmark both drive: `relais` processes on loopback, a poor link,
        // a hub enrolling a device without the network.
        .target(
            name: "RelaisHarness",
            dependencies: ["RelaisCore", "RelaisCrypto", "RelaisStore"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RelaisTestSupport",
            dependencies: [
                "RelaisCore", "RelaisCrypto", "RelaisStore", "RelaisSync", "RelaisTransport", "RelaisDaemon", "RelaisHarness",
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RelaisCoreTests",
            dependencies: [
                "RelaisCore", "RelaisTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RelaisCryptoTests",
            dependencies: ["RelaisCrypto"],
            resources: [.copy("Vectors")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RelaisStoreTests",
            dependencies: [
                "RelaisCore", "RelaisCrypto", "RelaisStore", "RelaisHarness", "RelaisTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RelaisSyncTests",
            dependencies: ["RelaisCore", "RelaisCrypto", "RelaisStore", "RelaisSync", "RelaisHarness", "RelaisTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RelaisAppTests",
            dependencies: ["RelaisApp"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RelaisTransportTests",
            dependencies: [
                "RelaisSync", "RelaisTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RelaisDaemonTests",
            dependencies: [
                "RelaisCore", "RelaisCrypto", "RelaisStore", "RelaisSync", "RelaisDaemon", "RelaisTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RelaisFuzzTests",
            dependencies: ["RelaisFuzz", "RelaisTestSupport"],
            exclude: ["lsan-suppressions.txt"],
            resources: [.copy("Corpus")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RelaisCLITests",
            dependencies: ["RelaisCore", "RelaisStore", "RelaisSync", "RelaisHarness", "RelaisTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
