import ArgumentParser
import ConnectModel
import Foundation
import JunctionApp
import JunctionListen
import Logging

@main
struct Junction: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "junction",
        abstract: "A self-hosted server that speaks Stripe's API and implements Stripe Connect.",
        subcommands: [Serve.self, Listen.self, Scan.self],
        defaultSubcommand: Serve.self)

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `scan` is a linter: its usage errors exit 2, as linters' do.
        if arguments.first == "scan" { await Scan.runWithExitStatus(Array(arguments.dropFirst())) }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
