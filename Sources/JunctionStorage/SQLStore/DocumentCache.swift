import ConnectModel
import Synchronization

/// Decoded documents by id, with the text they were decoded from. A document is used only when
/// the text just read is byte for byte the one cached, so a value is never stale, whatever
/// wrote the row (another instance included); what it saves is decoding the same account on
/// every request.
final class DocumentCache<Value: Decodable & Sendable>: Sendable {
    private struct Entry {
        var text: String
        var value: Value
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The document `text` of row `id`, decoded (or taken from the cache when unchanged).
    func decode(id: String, text: String) throws -> Value {
        if let entry = entries.withLock({ $0[id] }), entry.text.utf8.elementsEqual(text.utf8) { return entry.value }
        let value = try JSONColumn.decode(Value.self, text)
        entries.withLock { entries in
            // Past capacity start again: cheap, and the hot documents come back at once.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = Entry(text: text, value: value)
        }
        return value
    }
}

/// The documents read on every request: the caller's account, the connected account, the
/// application.
enum DocumentCaches {
    static let accounts = DocumentCache<Account>(capacity: 4_096)
    static let applications = DocumentCache<ConnectApplication>(capacity: 1_024)
}
