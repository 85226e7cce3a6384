extension JSONValue {
    /// Applies an update to a Stripe object document: hashes merge key by key, and `null` sets
    /// the field to null (the key stays, as the API shows it). Within `metadata` a `null` removes
    /// the key, and a `metadata` of `null` empties it.
    public func patched(with patch: JSONValue, inMetadata: Bool = false) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var fields = objectValue ?? [:]
        for (key, change) in changes {
            if key == "metadata", !inMetadata {
                fields[key] =
                    change == .null
                    ? .object([:]) : (fields[key] ?? .object([:])).patched(with: change, inMetadata: true)
            } else if inMetadata, change == .null {
                fields[key] = nil
            } else if case .object = change, let existing = fields[key], case .object = existing {
                fields[key] = existing.patched(with: change, inMetadata: inMetadata)
            } else {
                fields[key] = change
            }
        }
        return .object(fields)
    }

    /// `previous_attributes` of an update event: for each changed field, its old value; changed
    /// hashes are described by their changed keys only.
    public func previousAttributes(before old: JSONValue) -> JSONValue? {
        guard case .object(let new) = self, case .object(let previous) = old else { return nil }
        var changed: [String: JSONValue] = [:]
        for key in Set(new.keys).union(previous.keys) where new[key] != previous[key] {
            let before = previous[key] ?? .null
            if case .object = before, case .object? = new[key],
                let nested = new[key]!.previousAttributes(before: before)
            {
                changed[key] = nested
            } else {
                changed[key] = before
            }
        }
        return changed.isEmpty ? nil : .object(changed)
    }
}
