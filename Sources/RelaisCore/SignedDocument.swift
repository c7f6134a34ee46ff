/// A document an admin key signs (a certificate, a roster): one encoding for the wire, one for
/// the signature, both built from the same body so they can never disagree.
public protocol SignedDocument {
    /// Written first on the wire; a reader refuses any other.
    static var formatVersion: UInt8 { get }
    /// Prefixes the signed bytes, so a signature over one kind of document is no signature over another.
    static var signingDomain: [UInt8] { get }
    var signature: [UInt8] { get }
    /// Everything between the format byte and the signature.
    func writeBody(into writer: inout BinaryWriter)
}

extension SignedDocument {
    /// The bytes the admin signs: the domain, then the body.
    public var signedBytes: [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed(Self.signingDomain)
        writeBody(into: &writer)
        return writer.bytes
    }

    /// The body followed by the signature: the document as it is stored and sent.
    public var encoded: [UInt8] {
        var writer = BinaryWriter()
        writer.write(Self.formatVersion)
        writeBody(into: &writer)
        writer.writeFixed(signature)
        return writer.bytes
    }
}
