import RelaisCore

/// The order a mediator reads and fills a record's fields in. The schema lists the fields version 2
/// added after those of version 1 (its order is part of what peers compare); the file and the
/// forms put each beside its kin: the team after the date, the interpreter's mode, provider and
/// minutes after the language, the follow-up's date after the follow-up.
enum FieldOrder {
    /// By type, the fields that go right after another one.
    private static let placedAfter: [String: [String: String]] = [
        "visit": [
            "care_team": "date", "interpreter_mode": "interpreter_used", "interpreter_provider": "interpreter_mode",
            "interpreter_minutes": "interpreter_provider", "follow_up_date": "follow_up",
        ],
        "referral": ["partner": "to", "followed_date": "status"],
        "appointment": ["time": "date", "partner": "with", "place": "partner"],
    ]

    /// `fields` of `type` in reading order; a field whose neighbour is not among them keeps its place at the end.
    static func ordered(_ fields: [FieldSchema], of type: String) -> [FieldSchema] {
        let placed = placedAfter[type] ?? [:]
        var ordered = fields.filter { placed[$0.name] == nil }
        for field in fields where placed[field.name] != nil {
            if let anchor = ordered.firstIndex(where: { $0.name == placed[field.name] }) {
                ordered.insert(field, at: anchor + 1)
            } else {
                ordered.append(field)
            }
        }
        return ordered
    }
}
