import Crypto
import Foundation

/// A C2SP signed note (`c2sp.org/signed-note`): a text ending in a newline, a blank line, and signature lines
/// `— <key name> base64(4-byte key ID ‖ signature)`.
public struct SignedNote: Sendable, Equatable {
    /// One signature line.
    public struct Signature: Sendable, Equatable {
        /// The signer's key name.
        public var keyName: String
        /// The first four bytes of the key's ID hash, big-endian.
        public var keyID: UInt32
        /// The signature bytes (64 for Ed25519).
        public var signature: Data

        /// Creates a signature line.
        public init(keyName: String, keyID: UInt32, signature: Data) {
            self.keyName = keyName
            self.keyID = keyID
            self.signature = signature
        }
    }

    /// The signed text, including its final newline.
    public var text: String
    /// The signatures, in the order they appear.
    public var signatures: [Signature]

    /// Creates a note from its text and signatures.
    public init(text: String, signatures: [Signature]) {
        self.text = text
        self.signatures = signatures
    }

    /// The note as it is stored and exchanged.
    public var encoded: String {
        var result = text + "\n"
        for signature in signatures {
            var blob = Data()
            withUnsafeBytes(of: signature.keyID.bigEndian) { blob.append(contentsOf: $0) }
            blob.append(signature.signature)
            result += "\u{2014} \(signature.keyName) \(blob.base64EncodedString())\n"
        }
        return result
    }

    /// Parses a signed note.
    ///
    /// - Throws: ``AuditError/malformedNote(_:)`` naming what is wrong.
    public init(parsing encoded: String) throws {
        guard !encoded.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else {
            throw AuditError.malformedNote("the note contains a control character other than newline")
        }
        guard let separator = encoded.range(of: "\n\n", options: .backwards) else {
            throw AuditError.malformedNote("the note has no blank line before its signatures")
        }
        let text = String(encoded[..<separator.lowerBound]) + "\n"
        let signatureBlock = encoded[separator.upperBound...]
        guard signatureBlock.hasSuffix("\n") else {
            throw AuditError.malformedNote("the last signature line does not end with a newline")
        }
        var signatures: [Signature] = []
        for line in signatureBlock.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "\u{2014}", !parts[1].isEmpty else {
                throw AuditError.malformedNote("a signature line is not \"— <key name> <base64 signature>\"")
            }
            guard let blob = Data(base64Encoded: String(parts[2])), blob.count > 4 else {
                throw AuditError.malformedNote("the signature of \(parts[1]) is not valid base64")
            }
            let keyID = blob.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            signatures.append(Signature(keyName: String(parts[1]), keyID: keyID, signature: Data(blob.dropFirst(4))))
        }
        guard !signatures.isEmpty else { throw AuditError.malformedNote("the note has no signature") }
        self.init(text: text, signatures: signatures)
    }
}

/// An Ed25519 note verifier key: `<name>+<8 hex digits key ID>+<base64(0x01 ‖ 32-byte public key)>`.
public struct NoteVerifier: Sendable, Equatable {
    /// The key name (for a log, its origin).
    public let name: String
    /// The key ID: `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]`, big-endian.
    public let keyID: UInt32
    /// The raw 32-byte Ed25519 public key.
    public let publicKey: Data

    /// Creates a verifier from a key name and a raw public key.
    public init(name: String, publicKey: Data) throws {
        guard NoteVerifier.isValidName(name) else {
            throw AuditError.malformedKey("the key name \"\(name)\" is empty or contains a space or a plus sign")
        }
        guard publicKey.count == 32 else { throw AuditError.malformedKey("an Ed25519 public key has 32 bytes") }
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteVerifier.keyID(name: name, publicKey: publicKey)
    }

    /// Parses the verifier key format.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // base64 may hold '+': split at the first two only (a name and a key ID never hold one).
        let parts = trimmed.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw AuditError.malformedKey("a verifier key is <name>+<key ID>+<base64 key>, not \"\(trimmed)\"")
        }
        guard parts[1].count == 8, let id = UInt32(parts[1], radix: 16) else {
            throw AuditError.malformedKey("the key ID \"\(parts[1])\" is not 8 hexadecimal digits")
        }
        guard let blob = Data(base64Encoded: String(parts[2])), blob.count == 33, blob.first == 0x01 else {
            throw AuditError.malformedKey("the key is not base64 of an Ed25519 key (type 0x01 and 32 bytes)")
        }
        try self.init(name: String(parts[0]), publicKey: Data(blob.dropFirst()))
        guard id == keyID else {
            throw AuditError.malformedKey("the key ID \(parts[1]) does not match the key's name and bytes")
        }
    }

    /// The verifier key as text.
    public var encoded: String {
        name + "+" + String(format: "%08x", keyID) + "+" + (Data([0x01]) + publicKey).base64EncodedString()
    }

    /// Checks that `note` carries a valid signature by this key and returns its text.
    ///
    /// - Throws: ``AuditError/badSignature(_:)`` when no signature line is from this key, or it does not verify.
    public func verify(_ note: SignedNote) throws -> String {
        let mine = note.signatures.filter { $0.keyName == name && $0.keyID == keyID }
        guard !mine.isEmpty else {
            throw AuditError.badSignature("the note is not signed by the key \(name)+\(String(format: "%08x", keyID))")
        }
        let key: Curve25519.Signing.PublicKey
        do {
            key = try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        } catch {
            throw AuditError.malformedKey("the public key is not a valid Ed25519 key")
        }
        for signature in mine where !key.isValidSignature(signature.signature, for: Data(note.text.utf8)) {
            throw AuditError.badSignature("the signature by \(name) does not verify: the note was altered or forged")
        }
        return note.text
    }

    static func keyID(name: String, publicKey: Data) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Data(name.utf8))
        hasher.update(data: [0x0A, 0x01])
        hasher.update(data: publicKey)
        return Data(hasher.finalize()).prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 }
    }
}

/// An Ed25519 note signer key: `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 ‖ 32-byte seed)>`.
public struct NoteSigner: Sendable {
    /// The matching verifier.
    public let verifier: NoteVerifier
    /// The 32-byte Ed25519 seed (kept as bytes: swift-crypto's key type is not `Sendable`).
    private let seed: Data

    /// Generates a new key named `name`.
    public init(generatingKeyNamed name: String) throws {
        let key = Curve25519.Signing.PrivateKey()
        seed = key.rawRepresentation
        verifier = try NoteVerifier(name: name, publicKey: key.publicKey.rawRepresentation)
    }

    /// Parses the signer key format.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = trimmed.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw AuditError.malformedKey("a signer key is PRIVATE+KEY+<name>+<key ID>+<base64 key>")
        }
        guard let blob = Data(base64Encoded: String(parts[4])), blob.count == 33, blob.first == 0x01 else {
            throw AuditError.malformedKey("the signer key is not base64 of an Ed25519 seed (type 0x01 and 32 bytes)")
        }
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: blob.dropFirst())
        } catch {
            throw AuditError.malformedKey("the signer key is not a valid Ed25519 seed")
        }
        seed = key.rawRepresentation
        verifier = try NoteVerifier(name: String(parts[2]), publicKey: key.publicKey.rawRepresentation)
        guard parts[3].count == 8, UInt32(parts[3], radix: 16) == verifier.keyID else {
            throw AuditError.malformedKey("the signer key's ID \(parts[3]) does not match its name and key")
        }
    }

    /// The signer key as text (keep it secret: mode 0600).
    public var encoded: String {
        "PRIVATE+KEY+\(verifier.name)+" + String(format: "%08x", verifier.keyID) + "+"
            + (Data([0x01]) + seed).base64EncodedString()
    }

    /// Signs `text` (which must end in a newline) as a note.
    public func sign(_ text: String) throws -> SignedNote {
        guard text.hasSuffix("\n"), !text.hasSuffix("\n\n") else {
            throw AuditError.malformedNote("a note's text ends with exactly one newline")
        }
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw AuditError.malformedKey("the signer key is not a valid Ed25519 seed")
        }
        let signature = try key.signature(for: Data(text.utf8))
        return SignedNote(
            text: text,
            signatures: [.init(keyName: verifier.name, keyID: verifier.keyID, signature: Data(signature))])
    }
}
