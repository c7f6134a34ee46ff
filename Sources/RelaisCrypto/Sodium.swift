import CSodium

/// libsodium must be initialised once before any call; every entry point of this module asks.
enum Sodium {
    private static let initialisation: Int32 = sodium_init()

    static func ensureReady() {
        precondition(initialisation >= 0, "libsodium failed to initialise")
    }
}
