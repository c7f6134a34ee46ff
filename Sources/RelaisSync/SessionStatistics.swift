import RelaisCore

/// What one session moved, for `relais sync` and the metrics.
public struct SessionStatistics: Hashable, Sendable {
    /// Changes this side sent.
    public var changesSent = 0
    /// Changes this side received.
    public var changesReceived = 0
    /// Bytes of frames this side sent, prefixes included.
    public var bytesSent = 0
    /// Bytes of frames this side received, prefixes included.
    public var bytesReceived = 0
    /// The peer's device, once its certificate was accepted; nil before, or for a peer refused.
    public var peer: DeviceID?

    /// Nothing moved yet.
    public init() {}
}
