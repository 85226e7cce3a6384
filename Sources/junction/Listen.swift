import ArgumentParser
import ConnectModel
import Foundation
import JunctionApp
import JunctionListen
import Logging

struct Listen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forward the events of an account and of its connected accounts to a local URL.",
        discussion: """
            Opens a listen session on a running Junction with the account's secret key, receives \
            the account's events and those of the accounts connected to its application, and POSTs \
            each to --forward-to, signed with the secret printed at start (verify it with \
            stripe.Webhook.construct_event). No public URL is needed: the listener polls Junction. \
            Deliveries the local application does not answer with 2xx are retried on Junction's \
            schedule. Ctrl-C ends the session.
            """)

    @Option(help: ArgumentHelp("The local URL to POST events to.", valueName: "url"))
    var forwardTo: String?

    @Flag(help: "Print the webhook signing secret and exit (it stays the same for this account and device).")
    var printSecret = false

    @Option(
        help: ArgumentHelp(
            "The device the signing secret is kept for. Default: this machine's host name.", valueName: "name"))
    var deviceName: String?

    @Option(
        help: ArgumentHelp(
            "Where to POST events of connected accounts instead (default: --forward-to).", valueName: "url"))
    var forwardConnectTo: String?

    @Option(
        help: ArgumentHelp(
            "Comma-separated event types to receive (default: all).", valueName: "types"))
    var events: String?

    @Option(
        help: ArgumentHelp(
            "Secret key of the account to listen as. Environment: JUNCTION_API_KEY, then STRIPE_API_KEY.",
            valueName: "key"))
    var apiKey: String?

    @Option(
        help: ArgumentHelp(
            "Junction's address. Environment: JUNCTION_API_BASE. Default: http://127.0.0.1:12111.",
            valueName: "url"))
    var apiBase: String?

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        guard let key = apiKey ?? env["JUNCTION_API_KEY"] ?? env["STRIPE_API_KEY"], !key.isEmpty else {
            throw ValidationError("No API key: pass --api-key sk_test_… or set JUNCTION_API_KEY.")
        }
        guard forwardTo != nil || printSecret else {
            throw ValidationError("Pass --forward-to http://localhost:4242/webhook (or --print-secret).")
        }
        for url in [forwardTo, forwardConnectTo].compactMap({ $0 }) {
            guard let scheme = URL(string: url)?.scheme, ["http", "https"].contains(scheme.lowercased()) else {
                throw ValidationError("Invalid URL '\(url)': use http://host:port/path.")
            }
        }
        let types = (events ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let listener = Listener(
            apiBase: apiBase ?? env["JUNCTION_API_BASE"] ?? "http://127.0.0.1:12111", apiKey: key,
            forwardTo: forwardTo ?? "", forwardConnectTo: forwardConnectTo, events: types,
            deviceName: deviceName ?? ProcessInfo.processInfo.hostName, printSecretOnly: printSecret,
            output: { line in FileHandle.standardOutput.write(Data("\(line)\n".utf8)) })
        let task = Task { try await listener.run() }
        // Ctrl-C and SIGTERM end the session before exiting.
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        do {
            try await task.value
        } catch let failure as Listener.Failure {
            FileHandle.standardError.write(Data("junction listen: \(failure)\n".utf8))
            throw ExitCode.failure
        }
    }
}
