// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "litellm-synapse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "litellm-synapse", targets: ["LiteLLMSynapseCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // Without its default traits (swift-configuration support, full Foundation): the process then loads
        // FoundationEssentials only, not Foundation and ICU (less resident memory for every command).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C libraries, installed from Debian: libyaml-dev, libcurl4-openssl-dev, libgit2-dev.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // libcurl and libgit2 are not linked: CCurl and CGit2 load them on their first call (dlopen), so that the
        // commands that never reach a gateway or a git remote (plan, inspect, migrate) do not pay for loading them.
        .target(name: "CLazyLoad"),
        .target(name: "CCurl", dependencies: ["CLazyLoad"]),
        .target(name: "CGit2", dependencies: ["CLazyLoad"]),
        // glibc's malloc.h (mallopt, which the Glibc module does not export) and a thread-heap reservation.
        .systemLibrary(name: "CMalloc"),

        // The wire contract: JSON values, resource kinds, field names, request schemas. Pure.
        .target(name: "SynapseContract", swiftSettings: strict),
        // LiteLLM config → DesiredState + MappingReport. Pure apart from reading the config files.
        .target(name: "Mapping", dependencies: ["CYAML", "SynapseContract", "CMalloc"], swiftSettings: strict),
        // DesiredState × ActualState → Plan. Pure.
        .target(name: "Diff", dependencies: ["Mapping", "SynapseContract"], swiftSettings: strict),
        // I/O: gateway client (libcurl), git source (libgit2), reconcile pass, controller loop, reports.
        .target(
            name: "Reconciler",
            dependencies: [
                "Mapping", "Diff", "SynapseContract", "CCurl", "CGit2",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // An in-memory Synapse gateway speaking the contract, with fault injection.
        .target(
            name: "SynapseSimulator",
            dependencies: [
                "SynapseContract",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "LiteLLMSynapseCLI",
            dependencies: [
                "Mapping", "Diff", "Reconciler", "SynapseSimulator", "SynapseContract", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "MappingTests", dependencies: ["Mapping", "SynapseContract"], swiftSettings: strict),
        .testTarget(name: "DiffTests", dependencies: ["Diff", "Mapping", "SynapseContract"], swiftSettings: strict),
        .testTarget(
            name: "ReconcilerTests",
            dependencies: [
                "Reconciler", "SynapseSimulator", "Mapping", "Diff", "SynapseContract",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "SimulatorTests", dependencies: ["SynapseSimulator", "SynapseContract", "Reconciler"], swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Reconciler", "SynapseSimulator", "Mapping", "Diff", "SynapseContract"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
