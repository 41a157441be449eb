import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The state directory on a small tmpfs, filled up: writes fail with `StorageFull`, reads keep working, nothing
/// acknowledged is lost, and recording resumes once space is freed.
@Suite(.serialized)
struct DiskFullTests {
    /// A size-limited tmpfs mounted over a directory for the life of the value.
    private final class SmallFilesystem {
        let path: String

        init(at path: String, bytes: Int) throws {
            self.path = path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            guard mount("tmpfs", path, "tmpfs", 0, "size=\(bytes),mode=0755") == 0 else {
                throw MountError(reason: String(cString: strerror(errno)))
            }
        }

        /// Free bytes, as `statvfs` reports them.
        var freeBytes: Int {
            var info = statvfs()
            guard statvfs(path, &info) == 0 else { return 0 }
            return Int(info.f_bavail) * Int(info.f_frsize)
        }

        private var mounted = true

        /// Unmounts it (also done when the value goes away).
        func unmount() {
            guard mounted else { return }
            mounted = false
            umount2(path, Int32(MNT_DETACH))
        }

        deinit { unmount() }
    }

    private struct MountError: Error, CustomStringConvertible {
        var reason: String
        var description: String { "mounting a tmpfs failed: \(reason)" }
    }

    /// Fills the filesystem up to `leaving` free bytes with a file of its own.
    private static func fill(_ filesystem: SmallFilesystem, leaving: Int) throws -> String {
        let filler = filesystem.path + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: filler))
        let chunk = Data(repeating: 0x5A, count: 16 * 1024)
        while filesystem.freeBytes > leaving + chunk.count {
            do { try handle.write(contentsOf: chunk) } catch { break }
        }
        try handle.close()
        return filler
    }

    @Test(
        .enabled(if: getuid() == 0, "skipped: mounting a size-limited tmpfs for the state directory needs root")
    )
    func `a full disk refuses writes with StorageFull, keeps reads, loses nothing, and recovers`() throws {
        let scratch = try Scratch()
        let filesystem: SmallFilesystem
        do {
            filesystem = try SmallFilesystem(at: scratch.stateDirectory, bytes: 8 * 1024 * 1024)
        } catch {
            // Root without CAP_SYS_ADMIN (a restricted container): say so loudly instead of passing silently.
            Issue.record("running as root, but \(error); the disk-full test cannot run here")
            return
        }
        let daemon = try Daemon(scratch: scratch)
        let connection = try WireConnection(path: scratch.socket)
        var acknowledged: Set<String> = []
        for number in 0..<20 {
            _ = try connection.parameters(
                "org.oversight.departments.Add", ["code": "d\(number)", "name": "部门 \(number)"])
            acknowledged.insert("d\(number)")
        }

        let filler = try Self.fill(filesystem, leaving: 96 * 1024)
        // Four writers record until the disk is full; each command either is acknowledged or gets StorageFull.
        let acks = Collected<String>()
        let refusals = Collected<String>()
        let unexpected = Collected<String>()
        let name = String(repeating: "监督", count: 45)
        let socket = scratch.socket
        onThreads(4) { writer in
            guard let connection = try? WireConnection(path: socket) else { return }
            for number in 0..<5000 {
                let code = "f\(writer)-\(number)"
                do {
                    let reply = try connection.call(
                        "org.oversight.departments.Add", ["code": code, "name": name, "commandId": "full-\(code)"])
                    switch reply["error"] as? String {
                    case nil:
                        acks.append(code)
                    case "org.oversight.departments.StorageFull":
                        refusals.append((reply["parameters"] as? [String: Any])?["message"] as? String ?? "")
                        if refusals.all.count > 40 { return }
                    case let other:
                        unexpected.append("\(code): \(other ?? "") \(reply)")
                        return
                    }
                } catch {
                    unexpected.append("\(code): \(error)")
                    return
                }
            }
        }
        #expect(unexpected.all.isEmpty, "\(unexpected.all.prefix(3))")
        #expect(!refusals.all.isEmpty, "the disk never filled up")
        #expect(
            refusals.all.allSatisfy { $0.contains("disk holding the event log is full") }, "\(refusals.all.first ?? "")"
        )
        acknowledged.formUnion(acks.all)
        print("disk full: \(acks.all.count) commands fitted, then \(refusals.all.count) refused with StorageFull")

        // Still full: every write is refused in words by the CLI (exit 75), and reads keep working.
        let cli = try daemon.ctl("department", "add", "late", "迟到的部门")
        #expect(cli.status == 75, "\(cli.stderr)")
        #expect(cli.stderr.contains("disk holding the event log is full"), "\(cli.stderr)")
        let board = try connection.parameters("org.oversight.departments.List")
        let codes = Set((board["departments"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        #expect(codes == acknowledged)
        let events = try allEvents(connection)
        #expect(events.count == acknowledged.count)
        #expect(try connection.parameters("org.oversight.log.Verify")["intact"] as? Bool == true)
        #expect(try daemon.ctl("topic", "list", "--json").status == 0)

        // Space returns: the next write succeeds, and so do the ones after it.
        try FileManager.default.removeItem(atPath: filler)
        for number in 0..<20 {
            let code = "after-\(number)"
            _ = try connection.parameters("org.oversight.departments.Add", ["code": code, "name": "恢复 \(number)"])
            acknowledged.insert(code)
        }
        #expect(daemon.stop() == 0)

        // After a restart everything acknowledged is there once, the chain verifies, and the read models equal a
        // rebuild.
        let restarted = try Daemon(scratch: scratch)
        let reader = try WireConnection(path: scratch.socket)
        let kept = try allEvents(reader).compactMap { ($0["data"] as? [String: Any])?["code"] as? String }
        #expect(kept.count == acknowledged.count)
        #expect(Set(kept) == acknowledged)
        #expect(restarted.stop() == 0)
        try expectReadModelsEqualRebuild(stateDirectory: scratch.stateDirectory)
        filesystem.unmount()
    }
}
