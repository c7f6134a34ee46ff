import Foundation

/// Turns a name into the words search compares: no accents, no case, letters and digits only,
/// so that `elo` finds "Élodie" and `nguyen` finds "NGUYỄN".
enum NameNormalizer {
    static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
            .replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "æ", with: "ae")
            .replacingOccurrences(of: "ß", with: "ss")
        return folded.split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }
}
