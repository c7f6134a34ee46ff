extension PersonFile {
    /// Whether the person's consent covers sharing their file (an export, a handing over): they
    /// agreed to share with at least one partner and have not withdrawn it, nor their consent as
    /// a whole. Read from the fields `consent_withdrawn_date` and the `consent_share` records.
    public var consentCoversSharing: Bool {
        guard fields.first(where: { $0.name == "consent_withdrawn_date" })?.values.isEmpty ?? true else { return false }
        return linked.contains { record in
            record.type == "consent_share" && !record.fields.contains { $0.name == "withdrawn" && !$0.values.isEmpty }
        }
    }
}
