import ArgumentParser
import Foundation
import JunctionScan

/// `junction scan`: the migration guide's search, done by the tool (C3, C4, C7).
struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Find where code creates accounts with `type` or branches on an account's type, and show the controller-property form.",
        discussion: """
            Reads Python, Ruby, JavaScript, TypeScript, Go, Java, PHP, C# and Swift sources (and JSON, \
            YAML and SQL as data) under each PATH, respecting .gitignore and skipping hidden, vendored, \
            build and generated files. Reports account creation with `type` (with the equivalent \
            `controller` hash), conditions on an account's type (with the controller property that \
            carries the intent) and account types kept as data.

            Exit status: 1 when something was found, 0 when nothing was, 2 on usage errors.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Argument(help: ArgumentHelp("Files and folders to scan. Default: the current folder.", valueName: "path"))
    var paths: [String] = []

    @Option(help: "Output format: text, json or sarif (SARIF 2.1.0, for code-scanning tools).")
    var format: Format = .text

    @Flag(
        help:
            "Print a unified diff (git apply) of the creation sites that can be rewritten mechanically; the other findings go to standard error."
    )
    var diff = false

    @Flag(help: "Exit 0 even when something was found.")
    var exitZero = false

    @Flag(help: "Read files .gitignore ignores too.")
    var noIgnore = false

    func validate() throws {
        if diff && format != .text { throw ValidationError("--diff prints a diff: it does not combine with --format.") }
    }

    func run() async throws {
        let roots = paths.isEmpty ? ["."] : paths
        let result = await AccountTypeScanner.scan(paths: roots, respectIgnoreFiles: !noIgnore)
        if !result.missing.isEmpty {
            throw ValidationError("No such file or folder: \(result.missing.joined(separator: ", ")).")
        }
        let findings = result.findings
        if diff {
            let patch = ScanReport.diff(findings) { path in try? Array(Data(contentsOf: URL(fileURLWithPath: path))) }
            FileHandle.standardOutput.write(Data(patch.utf8))
            let rest = findings.filter { $0.rewrite == nil }
            FileHandle.standardError.write(Data(ScanReport.text(rest, filesScanned: result.filesScanned).utf8))
        } else {
            let output: String
            switch format {
            case .text: output = ScanReport.text(findings, filesScanned: result.filesScanned)
            case .json: output = try ScanReport.json(findings, filesScanned: result.filesScanned)
            case .sarif:
                output = try ScanReport.sarif(findings, root: FileManager.default.currentDirectoryPath)
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }
        if !findings.isEmpty && !exitZero { throw ExitCode(1) }
    }

    /// Runs `scan` with its own exit statuses: usage errors are 2 (ArgumentParser's default is 64).
    static func runWithExitStatus(_ arguments: [String]) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if let scan = command as? Scan {
                try await scan.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            self.exit(withError: error)
        }
    }
}
