import Foundation
import Testing

@testable import OversightAudit

/// The example of golang.org/x/mod/sumdb/note (Ed25519 is deterministic, so signing reproduces it exactly).
private let goSigner = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
private let goVerifier = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
private let goText =
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
private let goNote =
    goText
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

struct SignedNoteTests {
    @Test func `signing reproduces the Go note package's example byte for byte`() throws {
        let signer = try NoteSigner(parsing: goSigner)
        #expect(signer.verifier.encoded == goVerifier)
        #expect(try signer.sign(goText).encoded == goNote)
        #expect(signer.encoded == goSigner)
    }

    @Test func `the example verifies, and a changed letter or another key does not`() throws {
        let verifier = try NoteVerifier(parsing: goVerifier)
        #expect(try verifier.verify(SignedNote(parsing: goNote)) == goText)
        let altered = try SignedNote(parsing: goNote.replacingOccurrences(of: "cryptography", with: "cryptographY"))
        #expect(throws: AuditError.self) { try verifier.verify(altered) }
        let stranger = try NoteSigner(generatingKeyNamed: "PeterNeumann").verifier
        #expect(throws: AuditError.self) { try stranger.verify(SignedNote(parsing: goNote)) }
    }

    @Test func `a key whose base64 holds a plus sign parses`() throws {
        // transparency-dev/formats' test key: its base64 contains '+'.
        let verifier = try NoteVerifier(parsing: "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6")
        #expect(verifier.name == "TEST")
        #expect(verifier.keyID == 0x7997_405c)
    }

    @Test(arguments: [
        "", "name", "name+1234", "na me+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+AhpApc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+not-base64",
    ])
    func `malformed verifier keys are refused`(key: String) {
        #expect(throws: AuditError.self) { try NoteVerifier(parsing: key) }
    }

    @Test(arguments: [
        "no blank line\n— a b\n", "text\n\n", "text\n\nno dash line\n", "text\n\n— name !!!notbase64\n",
        "te\u{1}xt\n\n— name AAAAAAAA\n",
    ])
    func `malformed notes are refused`(note: String) {
        #expect(throws: AuditError.self) { try SignedNote(parsing: note) }
    }

    @Test func `a checkpoint round-trips and checks its origin against the key's name`() throws {
        let signer = try NoteSigner(generatingKeyNamed: "office.example/oversight")
        let checkpoint = Checkpoint(
            origin: "office.example/oversight", size: 42, rootHash: Data(repeating: 7, count: 32))
        #expect(checkpoint.text == "office.example/oversight\n42\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n")
        let signed = try SignedCheckpoint(signing: checkpoint, with: signer)
        let parsed = try SignedCheckpoint(parsing: signed.encoded)
        #expect(try parsed.verified(by: signer.verifier) == checkpoint)
        let other = try NoteSigner(generatingKeyNamed: "elsewhere/log")
        let misnamed = try SignedCheckpoint(
            signing: Checkpoint(origin: "office.example/oversight", size: 1, rootHash: Data(count: 32)), with: other)
        #expect(throws: AuditError.self) { try misnamed.verified(by: other.verifier) }
        #expect(throws: AuditError.self) { try Checkpoint(text: "origin\n-1\nAAAA\n") }
        #expect(throws: AuditError.self) {
            try Checkpoint(text: "origin\n012\n\(Data(count: 32).base64EncodedString())\n")
        }
    }

    @Test func `an inclusion proof document round-trips in the tlog-proof format and verifies`() throws {
        let signer = try NoteSigner(generatingKeyNamed: "office.example/oversight")
        let leaves = (0..<11).map { Data("event \($0)".utf8) }
        let tree = MerkleTree(source: InMemoryLeaves(leaves: leaves))
        let checkpoint = try SignedCheckpoint(
            signing: Checkpoint(origin: "office.example/oversight", size: 11, rootHash: try tree.rootHash(size: 11)),
            with: signer)
        let document = InclusionProofDocument(
            extra: Data("columns".utf8), index: 6, proof: try tree.inclusionProof(index: 6, size: 11),
            checkpoint: checkpoint)
        #expect(document.encoded.hasPrefix("c2sp.org/tlog-proof@v1\nextra Y29sdW1ucw==\nindex 6\n"))
        let parsed = try InclusionProofDocument(parsing: document.encoded)
        #expect(parsed == document)
        try parsed.verify(leafHash: MerkleHash.leaf(leaves[6]), with: signer.verifier)
        #expect(throws: AuditError.self) {
            try parsed.verify(leafHash: MerkleHash.leaf(leaves[5]), with: signer.verifier)
        }
    }

    @Test func `a consistency proof document verifies, and a forked old checkpoint does not`() throws {
        let signer = try NoteSigner(generatingKeyNamed: "office.example/oversight")
        let leaves = (0..<20).map { Data("event \($0)".utf8) }
        let tree = MerkleTree(source: InMemoryLeaves(leaves: leaves))
        func signed(_ tree: MerkleTree<InMemoryLeaves>, _ size: Int64) throws -> SignedCheckpoint {
            try SignedCheckpoint(
                signing: Checkpoint(
                    origin: "office.example/oversight", size: size, rootHash: try tree.rootHash(size: size)),
                with: signer)
        }
        let document = ConsistencyProofDocument(
            old: try signed(tree, 7), new: try signed(tree, 20),
            proof: try tree.consistencyProof(oldSize: 7, newSize: 20))
        try ConsistencyProofDocument(parsing: document.encoded).verify(with: signer.verifier)
        var forkedLeaves = leaves
        forkedLeaves[3] = Data("rewritten".utf8)
        let fork = ConsistencyProofDocument(
            old: try signed(MerkleTree(source: InMemoryLeaves(leaves: forkedLeaves)), 7), new: try signed(tree, 20),
            proof: try tree.consistencyProof(oldSize: 7, newSize: 20))
        #expect(throws: AuditError.self) { try fork.verify(with: signer.verifier) }
    }
}
