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
        process.environment = environment
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
