import Foundation

/// A1: the key in `Authorization`: Bearer, or Basic with the key as the user name.
enum KeyHeader {
    static func key(from header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        switch parts[0].lowercased() {
        case "bearer":
            let key = parts[1].trimmingCharacters(in: .whitespaces)
            return key.isEmpty ? nil : key
        case "basic":
            guard let data = Data(base64Encoded: String(parts[1])), let text = String(data: data, encoding: .utf8)
            else { return nil }
            let user = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
            return user?.isEmpty == false ? user : nil
        default:
            return nil
        }
    }
}
