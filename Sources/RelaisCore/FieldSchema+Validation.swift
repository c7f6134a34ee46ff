extension FieldSchema {
    /// Parses what a person typed into the values this field holds: one value, or the elements of
    /// a set field given comma-separated.
    /// - Throws: `SchemaError` naming the field and what it accepts.
    public func parse(_ text: String) throws(SchemaError) -> [FieldValue] {
        if kind == .enumSet {
            let items = text.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            var values: [FieldValue] = []
            for item in items where !values.contains(.enumeration(item)) {
                values.append(try parseEnumeration(item))
            }
            return values
        }
        return [try parseScalar(text)]
    }

    private func parseScalar(_ text: String) throws(SchemaError) -> FieldValue {
        switch kind {
        case .text:
            // Counted in Unicode scalars (4 bytes at most each), so that a field at its limit
            // always fits in one change, whatever the script.
            if format == .time { return try parseTime(text) }
            let limit = maxLength ?? 200
            guard !text.allSatisfy(\.isWhitespace), text.unicodeScalars.count <= limit else {
                throw .invalidValue(
                    field: name, value: Self.excerpt(text),
                    expected: "text of 1 to \(limit) characters, not blank (an accented or combined letter may count as 2)")
            }
            return .text(text)
        case .date:
            guard let date = PartialDate(parsing: text) else {
                throw .invalidValue(
                    field: name, value: text,
                    expected:
                        "a date as YYYY-MM-DD, YYYY-MM or YYYY, between \(PartialDate.years.lowerBound) and \(PartialDate.years.upperBound)"
                )
            }
            return .date(date)
        case .enumeration, .enumSet:
            return try parseEnumeration(text)
        case .boolean:
            return try parseBoolean(text)
        case .integer:
            return try parseInteger(text)
        case .reference:
            guard let id = Identifier128(hex: text.lowercased()) else {
                throw .invalidValue(field: name, value: text, expected: "a record id of 32 hexadecimal digits")
            }
            return .reference(RecordID(id))
        }
    }

    private func parseEnumeration(_ text: String) throws(SchemaError) -> FieldValue {
        let allowed = values ?? []
        guard allowed.contains(text) else { throw .notAllowed(field: name, value: text, allowed: allowed) }
        return .enumeration(text)
    }

    /// `14:30`, `14h30`, `14h` or `9h05` as `14:30`, `09:05`: the ways a time of day is written in France.
    private func parseTime(_ text: String) throws(SchemaError) -> FieldValue {
        let parts = Substring(text).trimmingSpaces.lowercased().split(separator: ":", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "h", omittingEmptySubsequences: false) }
        let hour = parts.first.flatMap { $0.count <= 2 ? Int($0) : nil }
        let minute = parts.count == 2 ? (parts[1].isEmpty ? 0 : (parts[1].count == 2 ? Int(parts[1]) : nil)) : nil
        guard parts.count == 2, let hour, let minute, (0...23).contains(hour), (0...59).contains(minute) else {
            throw .invalidValue(field: name, value: Self.excerpt(text), expected: "a time of day as HH:MM or 14h30")
        }
        return .text((hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)")
    }

    private func parseBoolean(_ text: String) throws(SchemaError) -> FieldValue {
        switch text.lowercased() {
        case "yes", "true", "1": return .boolean(true)
        case "no", "false", "0": return .boolean(false)
        default: throw .notAllowed(field: name, value: text, allowed: ["yes", "no"])
        }
    }

    private func parseInteger(_ text: String) throws(SchemaError) -> FieldValue {
        let low = minimum ?? Int64.min
        let high = maximum ?? Int64.max
        guard let number = Int64(text), number >= low, number <= high else {
            throw .invalidValue(field: name, value: text, expected: "a whole number from \(low) to \(high)")
        }
        return .integer(number)
    }

    private static func excerpt(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(40)) + "…"
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
