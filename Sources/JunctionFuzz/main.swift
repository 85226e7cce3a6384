// A libFuzzer target for the whole request pipeline: each input becomes one API request (the
// first byte picks the route from /openapi.json, the second whether it acts through
// `Stripe-Account`, the rest is its form) sent with a platform's key through the real router,
// validator, domain and storage (SQLite in memory). Whatever the bytes, the answer must not be
// a 5xx and nothing may trap.
//
// Built with `-sanitize=fuzzer -DFUZZING` by fuzz/run-pipeline, libFuzzer drives it. Built as
// usual, it replays the files it is given (the corpus), so the regular build keeps them as
// regression cases: `swift run JunctionFuzz fuzz/corpus/pipeline/*`.

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JunctionApp
import NIOCore

/// One request waiting for the app, and its answer's status.
final class Job: @unchecked Sendable {
    let method: HTTPRequest.Method
    let uri: String
    let stripeAccount: Bool
    let body: ByteBuffer
    var status = 0
    let done = DispatchSemaphore(value: 0)

    init(method: HTTPRequest.Method, uri: String, stripeAccount: Bool, body: ByteBuffer) {
        self.method = method
        self.uri = uri
        self.stripeAccount = stripeAccount
        self.body = body
    }
}

/// What the app gives the fuzzer once it is up: the routes, and where requests go.
final class Pipeline: @unchecked Sendable {
    var routes: [(HTTPRequest.Method, String)] = []
    var jobs: AsyncStream<Job>.Continuation?
    let ready = DispatchSemaphore(value: 0)
    var failure: String?
}

let pipeline = Pipeline()
let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
pipeline.jobs = continuation

// Detached: the main thread waits on semaphores below, and the main actor would wait with it.
Task.detached {
    do {
        let admin = "fuzz-admin-token-0123456789abcdef"
        let app = try await buildApplication(
            JunctionConfiguration(database: "sqlite::memory:", adminToken: admin, logLevel: .critical))
        try await app.test(.router) { client in
            let made = try await client.execute(
                uri: "/_junction/applications", method: .post,
                headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"],
                body: ByteBuffer(
                    string: #"{"name":"Fuzz","kind":"platform","redirect_uris":["http://127.0.0.1:9/cb"]}"#))
            let application = try JSONSerialization.jsonObject(with: Data(buffer: made.body)) as? [String: Any]
            let key = application?["secret_key"] as? String ?? ""
            // A connected account to act on, and one object of each common kind for ids.
            let account = try await client.execute(
                uri: "/v1/accounts", method: .post, headers: [.authorization: "Bearer \(key)"],
                body: ByteBuffer(string: "type=express"))
            let accountID =
                (try JSONSerialization.jsonObject(with: Data(buffer: account.body)) as? [String: Any])?["id"]
                as? String ?? "acct_none"
            let document = try await client.execute(uri: "/openapi.json", method: .get)
            let paths =
                (try JSONSerialization.jsonObject(with: Data(buffer: document.body)) as? [String: Any])?["paths"]
                as? [String: [String: Any]] ?? [:]
            for (path, operations) in paths.sorted(by: { $0.key < $1.key }) {
                for method in operations.keys.sorted() {
                    pipeline.routes.append((HTTPRequest.Method(rawValue: method.uppercased())!, path))
                }
            }
            pipeline.ready.signal()
            for await job in stream {
                var headers: HTTPFields = [.authorization: "Bearer \(key)"]
                if job.stripeAccount { headers[HTTPField.Name("Stripe-Account")!] = accountID }
                if job.method == .post { headers[.contentType] = "application/x-www-form-urlencoded" }
                let response = try await client.execute(
                    uri: job.uri, method: job.method, headers: headers, body: job.method == .post ? job.body : nil)
                job.status = Int(response.status.code)
                job.done.signal()
            }
        }
    } catch {
        pipeline.failure = "\(error)"
        pipeline.ready.signal()
    }
}

/// Runs one input through the app; traps (a finding) on a 5xx.
func runOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size >= 2, let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let (method, template) = pipeline.routes[Int(bytes[0]) % pipeline.routes.count]
    // Path parameters get ids that exist on no account, or the input's own text.
    let path = template.replacingOccurrences(of: "{id}", with: "cus_fuzz").replacingOccurrences(
        of: "{name}", with: "card_payments")
    let form = String(decoding: bytes.dropFirst(2), as: UTF8.self)
    let query = form.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != "#" } ? form : ""
    let uri = method == .post || query.isEmpty ? path : "\(path)?\(query)"
    let job = Job(
        method: method, uri: uri, stripeAccount: bytes[1] & 1 == 1, body: ByteBuffer(bytes: bytes.dropFirst(2)))
    pipeline.jobs?.yield(job)
    job.done.wait()
    if job.status >= 500 {
        fatalError("\(method.rawValue) \(uri) answered \(job.status)")
    }
    return 0
}

pipeline.ready.wait()
if let failure = pipeline.failure { fatalError("the app did not start: \(failure)") }

#if FUZZING
    // libFuzzer's driver refers to this entry point by name.
    @_cdecl("LLVMFuzzerTestOneInput")
    func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { runOne(data, size) }

    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in runOne(data, size) })
#else
    var replayed = 0
    for file in CommandLine.arguments.dropFirst() {
        let input = [UInt8](FileManager.default.contents(atPath: file) ?? Data())
        _ = input.withUnsafeBufferPointer { runOne($0.baseAddress, $0.count) }
        replayed += 1
    }
    print("JunctionFuzz: \(replayed) inputs replayed, none answered 5xx")
#endif
