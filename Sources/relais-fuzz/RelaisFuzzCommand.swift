import Foundation
import RelaisFuzz

#if RELAIS_LIBFUZZER
    /// The target `RELAIS_FUZZ_TARGET` names, read once: libFuzzer owns `main` (`make fuzz`).
    enum Selected {
        static let target: FuzzTarget = {
            let name = ProcessInfo.processInfo.environment["RELAIS_FUZZ_TARGET"] ?? ""
            guard let target = FuzzTarget(rawValue: name) else {
                let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
                FileHandle.standardError.write(Data("relais-fuzz: set RELAIS_FUZZ_TARGET to one of: \(names)\n".utf8))
                exit(2)
            }
            return target
        }()
    }

    @_cdecl("LLVMFuzzerInitialize")
    public func fuzzInitialize(
        _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
    ) -> CInt {
        Selected.target.prepare()
        return 0
    }

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
        _ = Selected.target.run(Array(UnsafeBufferPointer(start: data, count: count)))
        return 0
    }
#else
    /// Without libFuzzer: writes the seed corpora, or replays inputs (a crash libFuzzer saved).
    @main
    enum RelaisFuzzCommand {
        static let usage = "usage: relais-fuzz seed DIR | relais-fuzz run TARGET FILE..."

        static func main() {
            let arguments = Array(CommandLine.arguments.dropFirst())
            switch arguments.first {
            case "seed" where arguments.count == 2: seed(into: arguments[1])
            case "run" where arguments.count >= 3: run(arguments[1], inputs: arguments.dropFirst(2))
            default: fail(usage)
            }
        }

        static func seed(into folder: String) {
            for target in FuzzTarget.allCases {
                let targetFolder = URL(fileURLWithPath: folder).appendingPathComponent(target.rawValue)
                do {
                    try FileManager.default.createDirectory(at: targetFolder, withIntermediateDirectories: true)
                    for (index, seed) in try target.seeds().enumerated() {
                        try Data(seed).write(to: targetFolder.appendingPathComponent("seed-\(index)"))
                    }
                } catch {
                    fail("cannot write the \(target.rawValue) seeds: \(error)")
                }
            }
        }

        static func run(_ name: String, inputs: ArraySlice<String>) {
            guard let target = FuzzTarget(rawValue: name) else { fail("no target named \(name); \(usage)") }
            for path in inputs {
                guard let input = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
                print("\(path): \(target.run(Array(input)))")
            }
        }

        static func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("relais-fuzz: \(message)\n".utf8))
            exit(2)
        }
    }
#endif
