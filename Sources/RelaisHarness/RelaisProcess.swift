import Foundation

/// Runs the built `relais` executable as a person or a script would, and collects its output.
public struct RelaisProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        public let error: String
    }

    public let environment: [String: String]

    public init(passphrase: String? = "test passphrase") {
        var environment = ProcessInfo.processInfo.environment
        environment["RELAIS_PASSPHRASE"] = passphrase
        self.environment = environment
    }

    public init(environment: [String: String]) { self.environment = environment }

    /// Added to every child's environment: a crash then ends the process at once. Swift's
    /// backtracer inherits the child's pipes and the descriptor Foundation watches for its exit,
    /// and when it hung, the read of the output and `waitUntilExit` hung the whole run with it.
    static let withoutBacktracer = ["SWIFT_BACKTRACE": "enable=no"]

    /// The executable beside the test bundle, in the same build folder, or `RELAIS_EXECUTABLE`
    /// (`make load` runs the hub from the release build).
    public static var executable: String {
        if let chosen = ProcessInfo.processInfo.environment["RELAIS_EXECUTABLE"] { return chosen }
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates =
            [bundle.appendingPathComponent("relais").path]
            + CommandLine.arguments.prefix(1).map {
                URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("relais").path
            }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    @discardableResult
    public func run(_ arguments: [String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        process.environment = environment.merging(Self.withoutBacktracer) { $1 }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self))
    }
}
