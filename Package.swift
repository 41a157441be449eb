// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Oversight",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "oversightd", targets: ["oversightd"]),
        .executable(name: "oversightctl", targets: ["oversightctl"]),
        .executable(name: "oversight-load", targets: ["oversight-load"]),
        .library(name: "Varlink", targets: ["Varlink"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // Pure domain: events, commands, deciders. No I/O, no clock.
        .target(name: "OversightDomain", swiftSettings: swiftSettings),
        // Transparency-log building blocks: the RFC 6962 Merkle tree, C2SP signed notes, checkpoints and proofs.
        .target(
            name: "OversightAudit",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // glibc's malloc.h (malloc_trim), which the Glibc module does not export.
        .systemLibrary(name: "CMalloc"),
        // The SQLite event log, its hash chain, and the read-model projections.
        .target(
            name: "OversightStore",
            dependencies: [
                "OversightDomain", "OversightAudit", "CMalloc",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The varlink protocol over SwiftNIO. Knows nothing of oversight.
        .target(
            name: "Varlink",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/org.varlink.service.varlink")],
            swiftSettings: swiftSettings
        ),
        // The org.varlink.certification service, for certifying the Varlink module with third-party clients.
        .target(
            name: "VarlinkCertification",
            dependencies: ["Varlink"],
            resources: [.copy("Resources/org.varlink.certification.varlink")],
            swiftSettings: swiftSettings
        ),
        // The daemon's wiring: varlink interfaces, the single writer, followers, systemd integration.
        .target(
            name: "OversightService",
            dependencies: [
                "OversightDomain", "OversightStore", "OversightAudit", "Varlink", "VarlinkCertification",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "oversightd",
            dependencies: [
                "OversightService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "oversightctl",
            dependencies: [
                "Varlink", "OversightAudit", "OversightStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The benchmarks' load generator: drives a running oversightd over varlink (Scripts/bench/run).
        .executableTarget(
            name: "oversight-load",
            dependencies: [
                "Varlink",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "OversightDomainTests", dependencies: ["OversightDomain"], swiftSettings: swiftSettings),
        .testTarget(name: "OversightAuditTests", dependencies: ["OversightAudit"], swiftSettings: swiftSettings),
        .testTarget(name: "OversightStoreTests", dependencies: ["OversightStore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "VarlinkTests",
            dependencies: [
                "Varlink", "VarlinkCertification",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OversightServiceTests",
            dependencies: ["OversightService", "OversightStore", "OversightDomain", "Varlink"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Varlink", "OversightStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
    ]
)
