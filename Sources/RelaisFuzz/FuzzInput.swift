/// One fuzz input carrying several pieces (frames, envelopes, changes): each is a `u16`
/// big-endian length then that many bytes, the last one cut short if the input ends first.
enum FuzzInput {
    static func pieces(_ input: some Collection<UInt8>) -> [[UInt8]] {
        var bytes = input[...]
        var pieces: [[UInt8]] = []
        while bytes.count >= 2 {
            let length = Int(bytes.removeFirst()) << 8 | Int(bytes.removeFirst())
            pieces.append(Array(bytes.prefix(length)))
            bytes = bytes.dropFirst(length)
        }
        return pieces
    }

    static func joining(_ pieces: [[UInt8]]) -> [UInt8] {
        pieces.flatMap { piece in [UInt8(piece.count >> 8), UInt8(piece.count & 0xFF)] + piece }
    }
}
