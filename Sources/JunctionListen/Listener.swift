import AsyncHTTPClient
import ConnectModel
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// `junction listen`: receives the events of a key's account and of the accounts connected to it
/// without a public URL, as the Stripe CLI's `listen` does. It opens a listen session on the
/// server, long-polls it, forwards each event (already signed by the server with the session's
/// secret) to a local URL and reports the answer, so failed forwards are retried on the server's
/// schedule like any webhook delivery.
public struct Listener: Sendable {
    public var apiBase: String
    public var apiKey: String
    public var forwardTo: String
    /// Where events of connected accounts go; `forwardTo` when `nil`.
    public var forwardConnectTo: String?
    public var events: [String]
    /// The device the secret is kept for (the Stripe CLI's device name): the same account and
    /// device get the same signing secret every time.
    public var deviceName: String
    /// `--print-secret`: print the signing secret and end.
    public var printSecretOnly: Bool
    public var output: @Sendable (String) -> Void
    let client: HTTPClient

    public init(
        apiBase: String, apiKey: String, forwardTo: String, forwardConnectTo: String?, events: [String],
        deviceName: String = ProcessInfo.processInfo.hostName, printSecretOnly: Bool = false,
        output: @escaping @Sendable (String) -> Void
    ) {
        self.deviceName = deviceName
        self.printSecretOnly = printSecretOnly
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.apiKey = apiKey
        self.forwardTo = forwardTo
        self.forwardConnectTo = forwardConnectTo
        self.events = events
        self.output = output
        // A refused connection (Junction or the application not running) fails at once instead
        // of being retried until the request's deadline: the listener reports it and moves on.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// What went wrong talking to Junction, in its words.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs until the task is cancelled (Ctrl-C), then ends the session so nothing more is queued for it.
    public func run() async throws {
        do {
            try await session()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func session() async throws {
        let session = try await call(
            .POST, "/v1/stripecli/sessions",
            form: events.map { ("enabled_events[]", $0) } + [("device_name", deviceName)])
        guard let id = session["id"]?.stringValue, let secret = session["secret"]?.stringValue else {
            throw Failure(description: "Junction answered without a session: \(session)")
        }
        if printSecretOnly {
            _ = try await call(.DELETE, "/v1/stripecli/sessions/\(id)", form: [])
            output(secret)
            return
        }
        output("Ready! Your webhook signing secret is \(secret) (^C to quit)")
        do {
            try await listen(session: id)
        } catch {
            // Ended by Ctrl-C (or a failure): the session ends too, in a task the cancellation
            // does not reach.
            let end = Task { _ = try? await call(.DELETE, "/v1/stripecli/sessions/\(id)", form: []) }
            await end.value
            if Task.isCancelled || error is CancellationError { return }
            throw error
        }
    }

    private func listen(session id: String) async throws {
        var failures = 0
        while !Task.isCancelled {
            let answer: JSONValue
            do {
                answer = try await call(.POST, "/v1/stripecli/sessions/\(id)/poll", form: [("wait", "20")])
                failures = 0
            } catch let failure as Failure {
                throw failure
            } catch {
                // Junction restarting or briefly unreachable: wait and poll again (the session
                // lives on in its database).
                if Task.isCancelled { throw CancellationError() }
                failures += 1
                if failures == 1 { output("[ERROR] Could not reach Junction at \(apiBase): \(error). Retrying…") }
                try await Task.sleep(for: .seconds(1))
                continue
            }
            for delivery in answer["data"]?.arrayItems ?? [] {
                try await forward(delivery, session: id)
            }
        }
        throw CancellationError()
    }

    private func forward(_ delivery: JSONValue, session: String) async throws {
        guard let deliveryID = delivery["id"]?.stringValue, let event = delivery["event"]?.stringValue,
            let payload = delivery["payload"]?.stringValue, let signature = delivery["signature"]?.stringValue
        else { return }
        let type = delivery["type"]?.stringValue ?? "event"
        let connected = delivery["account"]?.stringValue != nil
        let url = connected ? (forwardConnectTo ?? forwardTo) : forwardTo
        output("\(Self.timestamp())   --> \(connected ? "connect " : "")\(type) [\(event)]")
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for header in Webhooks.postHeaders(signature: signature) {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(ByteBuffer(string: payload))
        var status = 0
        var failure: String?
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            status = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 1 << 20)
            output("\(Self.timestamp())  <--  [\(status)] POST \(url) [\(event)]")
        } catch {
            if Task.isCancelled { throw CancellationError() }
            failure = "\(error)"
            output("\(Self.timestamp())            [ERROR] Failed to POST: \(url) [\(event)]: \(error)")
        }
        var form = [("status", String(status))]
        if let failure { form.append(("error", String(failure.prefix(1000)))) }
        do {
            _ = try await call(.POST, "/v1/stripecli/sessions/\(session)/deliveries/\(deliveryID)", form: form)
        } catch {
            // Unreported, the delivery comes back once its lease ends: sent again, never lost.
            if Task.isCancelled { throw CancellationError() }
            output("[ERROR] Could not report the result of \(event) to Junction: \(error)")
        }
    }

    /// One API call with the key; a Stripe-shaped error becomes a `Failure` with its message.
    func call(_ method: HTTPMethod, _ path: String, form: [(String, String)]) async throws -> JSONValue {
        var request = HTTPClientRequest(url: apiBase + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.headers.add(name: "User-Agent", value: "junction-listen")
        if method != .GET {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.encode(form)))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 16 << 20)
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))) ?? .null
        guard (200..<300).contains(Int(response.status.code)) else {
            let message = json["error"]?["message"]?.stringValue ?? "HTTP \(response.status.code)"
            throw Failure(description: "Junction refused \(method.rawValue) \(path): \(message)")
        }
        return json
    }

    static func encode(_ form: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.map { name, value in
            "\(name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }

    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date())
    }
}
