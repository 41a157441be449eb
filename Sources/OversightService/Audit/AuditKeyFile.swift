import Foundation
import Logging
import OversightAudit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The log's Ed25519 signing key in the state directory: `audit-signing.key` (mode 0600, note signer format),
/// generated at first start, and `audit-verifier.pub` (the public verifier key, for witnesses).
enum AuditKeyFile {
    /// The signer key's file name.
    static let signerName = "audit-signing.key"
    /// The public key's file name.
    static let verifierName = "audit-verifier.pub"

    /// Why the key could not be loaded or created; the daemon does not start.
    struct KeyError: Error, CustomStringConvertible {
        var description: String
    }

    /// Loads the key, or generates one named `name` (default `<hostname>/oversight`) when there is none.
    static func loadOrCreate(stateDirectory: String, name: String?, logger: Logger) throws -> NoteSigner {
        let path = (stateDirectory as NSString).appendingPathComponent(signerName)
        let signer: NoteSigner
        if FileManager.default.fileExists(atPath: path) {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw KeyError(description: "cannot read the audit signing key \(path): \(error.localizedDescription)")
            }
            do {
                signer = try NoteSigner(parsing: text)
            } catch {
                throw KeyError(description: "the audit signing key \(path) is damaged: \(error)")
            }
            if let name, name != signer.verifier.name {
                logger.notice(
                    "audit-name differs from the existing key's name; the key keeps its name",
                    metadata: [LogKey.path: "\(path)", LogKey.key: "\(signer.verifier.name)"])
            }
        } else {
            let keyName = name ?? defaultName()
            do {
                signer = try NoteSigner(generatingKeyNamed: keyName)
            } catch {
                throw KeyError(description: "cannot create an audit key named \(keyName): \(error)")
            }
            try write(signer.encoded + "\n", to: path, mode: 0o600)
            logger.notice(
                "Audit signing key generated",
                metadata: [LogKey.path: "\(path)", LogKey.key: "\(signer.verifier.encoded)"])
        }
        let publicPath = (stateDirectory as NSString).appendingPathComponent(verifierName)
        let publicText = signer.verifier.encoded + "\n"
        if (try? String(contentsOfFile: publicPath, encoding: .utf8)) != publicText {
            unlink(publicPath)
            try write(publicText, to: publicPath, mode: 0o644)
        }
        return signer
    }

    /// `<hostname>/oversight`, a schema-less URL-like name as C2SP recommends.
    static func defaultName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        let cleaned = host.unicodeScalars.filter { $0 != "+" && !$0.properties.isWhitespace && $0.value >= 0x20 }
        return (cleaned.isEmpty ? "localhost" : String(String.UnicodeScalarView(cleaned))) + "/oversight"
    }

    /// Creates `path` (which must not exist) with `mode`, writes `text` and fsyncs it.
    private static func write(_ text: String, to path: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw KeyError(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        fchmod(fd, mode)
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard result > 0 else {
                throw KeyError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += result
        }
        guard fsync(fd) == 0 else {
            throw KeyError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
