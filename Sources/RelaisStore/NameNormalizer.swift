import Foundation

/// Turns a name into the words search compares: no accents, no case, letters and digits only,
/// so that `elo` finds "Élodie" and `nguyen` finds "NGUYỄN".
enum NameNormalizer {
    static func words(_ text: String) -> [String] {
        text.utf8.allSatisfy { $0 < 0x80 } ? asciiWords(text) : foldedWords(text)
    }

    /// Any name: Foundation's folding, then the ligatures it keeps.
    static func foldedWords(_ text: String) -> [String] {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
            .replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "æ", with: "ae")
            .replacingOccurrences(of: "ß", with: "ss")
        return folded.split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// The same words for an ASCII name, without Foundation: a search-index refresh of every
    /// applied name was spending a sixth of its time folding.
    static func asciiWords(_ text: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            default:
                if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }
}
