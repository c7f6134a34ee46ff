/// What one session moved, for `relais sync` and the metrics.
public struct SessionStatistics: Hashable, Sendable {
    public var changesSent = 0
    public var changesReceived = 0
    public var bytesSent = 0
    public var bytesReceived = 0

    public init() {}
}
