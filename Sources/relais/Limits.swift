/// Periods of the command line, named once.
enum Limits {
    /// A transfer shorter than this shows no progress line.
    static let progressLineDelay: Duration = .seconds(1)
    /// The progress line is rewritten at most this often.
    static let progressLineInterval: Duration = .milliseconds(500)
}
