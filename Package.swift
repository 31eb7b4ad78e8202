// swift-tools-version:6.0
// cellar: backup and archival of Pydio Cells servers.
//
// Dependencies point one way: CellarCLI → CellarCore → kits → C system-library targets.
// Each C library is imported by exactly one wrapper module (`internal import`), so no C type
// reaches a public API.
import PackageDescription

let package = Package(
  name: "cellar",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "cellar", targets: ["CellarCLI"]),
    .executable(name: "cells-sandbox", targets: ["CellsSandboxMain"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // The configuration file (cellar.toml): TOML 1.0 through toml++.
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    // The sandbox server only (never linked into `cellar`): HTTP stack and SQLite store.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
  ],
  targets: [
    // MARK: - C system libraries (module.modulemap + shim.h each)
    .systemLibrary(
      name: "CArchive", pkgConfig: "libarchive",
      providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]),
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]),
    .systemLibrary(
      name: "CCrypto", pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),

    // MARK: - Kits (one C library each, at most)
    // Whole reads and writes on file descriptors (EINTR, short counts), for the modules that do I/O.
    .target(name: "DescriptorIO"),
    .target(name: "ArchiveKit", dependencies: ["CArchive", "DescriptorIO"]),
    .target(name: "HTTPKit", dependencies: ["CCurl"]),
    .target(name: "HashKit", dependencies: ["CCrypto", "CZlib"]),
    .target(name: "S3Kit", dependencies: ["HashKit", "HTTPKit"]),
    .target(name: "CellsKit", dependencies: ["HTTPKit", "S3Kit"]),
    .target(name: "AgeKit", dependencies: ["HashKit"]),

    // MARK: - Core (pipelines, filters, outputs; no C module)
    .target(
      name: "CellarCore",
      dependencies: [
        "CellsKit", "S3Kit", "ArchiveKit", "HashKit", "AgeKit", "DescriptorIO",
        .product(name: "TOMLKit", package: "TOMLKit"),
      ]),

    // MARK: - Executables
    .executableTarget(
      name: "CellarCLI",
      dependencies: [
        "CellarCore", "CellsKit", "HTTPKit", "ArchiveKit", "AgeKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // MARK: - Test server (a Cells-compatible REST + S3 server for tests and demos)
    .target(
      name: "CellsSandbox",
      dependencies: [
        "HashKit", "S3Kit", "DescriptorIO",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .executableTarget(
      name: "CellsSandboxMain",
      dependencies: [
        "CellsSandbox",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/cells-sandbox"),
    // A measurement, not a test: small GETs per second served over keep-alive.
    .executableTarget(
      name: "CellsSandboxBenchmark", dependencies: ["CellsSandbox", "HTTPKit", "S3Kit"],
      path: "Benchmarks/CellsSandboxBenchmark"),
    .executableTarget(
      name: "TreeWalkBenchmark", dependencies: ["CellsKit"], path: "Benchmarks/TreeWalkBenchmark"),

    // MARK: - Fuzzing (`make fuzz`)
    // Each target is a libFuzzer target when built with `-sanitize=fuzzer -DFUZZING`, and a
    // replay of its checked-in corpus (Tests/Fuzz/Corpus) otherwise, which the test suite runs.
    .target(name: "FuzzSupport", path: "Tests/Fuzz/FuzzSupport"),
    .executableTarget(
      name: "FuzzManifestNode", dependencies: ["CellarCore", "FuzzSupport"], path: "Tests/Fuzz/FuzzManifestNode"),
    .executableTarget(name: "FuzzS3XML", dependencies: ["S3Kit", "FuzzSupport"], path: "Tests/Fuzz/FuzzS3XML"),
    .executableTarget(
      name: "FuzzSigV4Authorization", dependencies: ["S3Kit", "FuzzSupport"], path: "Tests/Fuzz/FuzzSigV4Authorization"),
    .executableTarget(
      name: "FuzzArchiveReader", dependencies: ["ArchiveKit", "FuzzSupport"], path: "Tests/Fuzz/FuzzArchiveReader"),

    // MARK: - Tests (one target per module)
    // Helpers shared by the test targets (running the independent tools we check against).
    .target(
      name: "CellarTestSupport", path: "Tests/CellarTestSupport",
      exclude: ["moto_s3_server.py", "k8s_check.py", "ping_server.py"]),
    .testTarget(name: "ArchiveKitTests", dependencies: ["ArchiveKit", "DescriptorIO", "CellarTestSupport"]),
    .testTarget(name: "HTTPKitTests", dependencies: ["HTTPKit", "CellarTestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "HashKitTests", dependencies: ["HashKit", "CellarTestSupport"]),
    .testTarget(name: "AgeKitTests", dependencies: ["AgeKit", "HashKit", "CellarTestSupport"]),
    .testTarget(
      name: "S3KitTests", dependencies: ["S3Kit", "HashKit", "HTTPKit", "CellarTestSupport"],
      exclude: ["botocore_sign.py"]),
    .testTarget(name: "CellarCLITests", dependencies: ["CellarCLI", "CellarCore"]),
    .testTarget(name: "CellarCoreTests", dependencies: ["CellarCore", "CellarTestSupport"]),
    .testTarget(
      name: "CellsKitTests",
      dependencies: ["CellsKit", "CellsSandbox", "HTTPKit", "S3Kit", "HashKit", "CellarTestSupport"],
      exclude: ["hostile_server.py"]),
    // End to end: the built `cellar` against an in-process sandbox, archives read back by
    // independent tools.
    .testTarget(
      name: "CellarEndToEndTests",
      dependencies: ["CellarCore", "CellsSandbox", "CellsKit", "ArchiveKit", "HashKit", "CellarTestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "CellsSandboxTests", dependencies: ["CellsSandbox", "HTTPKit", "S3Kit", "HashKit", "CellarTestSupport"],
      exclude: ["s3_clients.py"]),
  ]
)
