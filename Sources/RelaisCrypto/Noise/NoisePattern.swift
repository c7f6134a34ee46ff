/// A Noise handshake pattern as token lists (Noise specification, section 7).
public struct NoisePattern: Hashable, Sendable {
    enum Token: Hashable, Sendable { case e, s, ee, es, se, ss, psk }

    /// Keys each side knows of the other before the first message.
    let initiatorPremessage: [Token]
    let responderPremessage: [Token]
    /// Messages alternate, initiator first.
    let messages: [[Token]]

    var usesPreSharedKey: Bool { messages.contains { $0.contains(.psk) } }

    /// Parses a base pattern with optional `pskN` modifiers, as `XXpsk3`.
    /// - Throws: `HandshakeError.unsupportedProtocol` for a pattern not listed here.
    static func named(_ name: String) throws(HandshakeError) -> NoisePattern {
        let base = String(name.prefix { $0.isUppercase })
        let modifiers = name.dropFirst(base.count).split(separator: "+").map(String.init)
        guard var pattern = basePatterns[base] else { throw .unsupportedProtocol(name) }
        for modifier in modifiers {
            guard modifier.hasPrefix("psk"), let position = Int(modifier.dropFirst(3)), position <= pattern.messages.count else {
                throw .unsupportedProtocol(name)
            }
            var messages = pattern.messages
            if position == 0 { messages[0].insert(.psk, at: 0) } else { messages[position - 1].append(.psk) }
            pattern = NoisePattern(
                initiatorPremessage: pattern.initiatorPremessage, responderPremessage: pattern.responderPremessage,
                messages: messages)
        }
        return pattern
    }

    private static let basePatterns: [String: NoisePattern] = [
        "NN": NoisePattern(initiatorPremessage: [], responderPremessage: [], messages: [[.e], [.e, .ee]]),
        "XX": NoisePattern(
            initiatorPremessage: [], responderPremessage: [], messages: [[.e], [.e, .ee, .s, .es], [.s, .se]]),
        "XK": NoisePattern(
            initiatorPremessage: [], responderPremessage: [.s], messages: [[.e, .es], [.e, .ee], [.s, .se]]),
        "IK": NoisePattern(
            initiatorPremessage: [], responderPremessage: [.s], messages: [[.e, .es, .s, .ss], [.e, .ee, .se]]),
        "KK": NoisePattern(
            initiatorPremessage: [.s], responderPremessage: [.s], messages: [[.e, .es, .ss], [.e, .ee, .se]]),
    ]
}
