import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The files of `deploy/` checked with systemd's own tools, and `Scripts/install.sh` into a staging root.
@Suite(.serialized)
struct UnitFileTests {
    /// The package's root directory (this file is `Tests/EndToEndTests/UnitFileTests.swift`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let deploy = root.appendingPathComponent("deploy")

    static func tool(_ name: String) -> URL {
        for directory in ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: "/usr/bin/\(name)")
    }

    /// The unit's `Key=value` lines (every value of a repeated key), ignoring comments and sections.
    static func settings(_ file: String) throws -> [String: [String]] {
        let text = try String(contentsOf: deploy.appendingPathComponent(file), encoding: .utf8)
        var settings: [String: [String]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("[") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            settings[String(line[..<equals]), default: []].append(String(line[line.index(after: equals)...]))
        }
        return settings
    }

    /// Copies the units into `scratch`, with `ExecStart` pointing at the built daemon.
    static func stageUnits(in scratch: Scratch) throws -> (service: String, socket: String) {
        let service = scratch.url.appendingPathComponent("oversightd.service")
        let socket = scratch.url.appendingPathComponent("oversightd.socket")
        let text = try String(contentsOf: deploy.appendingPathComponent("oversightd.service"), encoding: .utf8)
        #expect(text.contains("ExecStart=/usr/local/bin/oversightd "))
        try text.replacingOccurrences(
            of: "ExecStart=/usr/local/bin/oversightd ", with: "ExecStart=\(Binaries.daemon.path) "
        )
        .write(to: service, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: deploy.appendingPathComponent("oversightd.socket"), to: socket)
        return (service.path, socket.path)
    }

    @Test func `the service and socket units pass systemd-analyze verify`() throws {
        let scratch = try Scratch()
        let units = try Self.stageUnits(in: scratch)
        let result = try run(Self.tool("systemd-analyze"), ["verify", units.socket, units.service])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // verify prints warnings for bad settings but may still exit 0: the output must be silent about our units.
        let complaints = (result.stdout + result.stderr).split(separator: "\n").filter { $0.contains("oversightd.") }
        #expect(complaints.isEmpty, "\(complaints)")
    }

    @Test func `a broken unit fails systemd-analyze verify, so the verify test can fail`() throws {
        let scratch = try Scratch()
        let units = try Self.stageUnits(in: scratch)
        let text = try String(contentsOfFile: units.service, encoding: .utf8)
        try text.replacingOccurrences(of: Binaries.daemon.path, with: "/nonexistent/oversightd")
            .write(toFile: units.service, atomically: true, encoding: .utf8)
        let result = try run(Self.tool("systemd-analyze"), ["verify", units.socket, units.service])
        #expect(result.status != 0)
    }

    @Test func `the service's exposure by systemd-analyze security is 1.2 or less`() throws {
        let scratch = try Scratch()
        let units = try Self.stageUnits(in: scratch)
        let result = try run(Self.tool("systemd-analyze"), ["security", "--offline=true", units.service])
        #expect(result.status == 0, "\(result.stderr)")
        // "→ Overall exposure level for oversightd.service: 0.5 SAFE 😀"
        let line = try #require(
            (result.stdout + result.stderr).split(separator: "\n").first { $0.contains("Overall exposure level") })
        let figure = try #require(
            line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }, "\(line)")
        #expect(figure <= 1.2, "\(line)")
    }

    @Test func `the service has the settings the issue lists`() throws {
        let service = try Self.settings("oversightd.service")
        let expected: [String: String] = [
            "Type": "notify", "User": "oversight", "Group": "oversight", "StateDirectory": "oversight",
            "RuntimeDirectory": "oversight", "LogsDirectory": "oversight", "ProtectSystem": "strict",
            "ProtectHome": "yes", "PrivateTmp": "yes", "PrivateDevices": "yes", "NoNewPrivileges": "yes",
            "RestrictAddressFamilies": "AF_UNIX", "SystemCallArchitectures": "native", "CapabilityBoundingSet": "",
            "LockPersonality": "yes", "MemoryDenyWriteExecute": "yes", "RestrictNamespaces": "yes",
            "RestrictRealtime": "yes", "RestrictSUIDSGID": "yes", "ProtectKernelTunables": "yes",
            "ProtectKernelModules": "yes", "ProtectKernelLogs": "yes", "ProtectClock": "yes",
            "ProtectProc": "invisible", "ProtectHostname": "yes", "PrivateNetwork": "yes", "IPAddressDeny": "any",
            "UMask": "0077",
        ]
        for (key, value) in expected {
            #expect(service[key] == [value], "\(key)=\(service[key] ?? [])")
        }
        #expect(service["SystemCallFilter"]?.first == "@system-service")
        #expect(service["WatchdogSec"]?.first?.isEmpty == false)
        let socket = try Self.settings("oversightd.socket")
        #expect(socket["ListenStream"] == ["/run/oversight/oversightd.sock"])
        #expect(socket["SocketMode"] == ["0660"])
        #expect(socket["SocketGroup"] == ["oversight"])
    }

    @Test func `sysusers and tmpfiles create the user and its directories in a scratch root`() throws {
        let scratch = try Scratch()
        let root = scratch.url.appendingPathComponent("root")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        let sysusers = try run(
            Self.tool("systemd-sysusers"),
            ["--root=\(root.path)", Self.deploy.appendingPathComponent("sysusers-oversight.conf").path])
        #expect(sysusers.status == 0, "\(sysusers.stderr)")
        let passwd = try String(contentsOf: root.appendingPathComponent("etc/passwd"), encoding: .utf8)
        let entry = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("oversight:") })
        let uid = try #require(Int(entry.split(separator: ":")[2]))
        let tmpfiles = try run(
            Self.tool("systemd-tmpfiles"),
            ["--create", "--root=\(root.path)", Self.deploy.appendingPathComponent("tmpfiles-oversight.conf").path])
        #expect(tmpfiles.status == 0, "\(tmpfiles.stderr)")
        for (path, mode) in [
            ("var/lib/oversight", 0o700), ("var/lib/oversight/backups", 0o700), ("run/oversight", 0o755),
        ] {
            let attributes = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)
            #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == uid, "\(path)")
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == mode, "\(path)")
        }
    }

    @Test
    func `install.sh parses, installs into a staging root twice with the same result, and uninstalls all but the data`()
        throws
    {
        let script = Self.root.appendingPathComponent("Scripts/install.sh").path
        let bash = Self.tool("bash")
        let syntax = try run(bash, ["-n", script])
        #expect(syntax.status == 0, "\(syntax.stderr)")

        let scratch = try Scratch()
        let stage = scratch.url.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: stage, withIntermediateDirectories: true)
        let arguments = [script, "--prefix", stage.path, "--binaries", Binaries.directory.path]
        let first = try run(bash, arguments, timeout: 60)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let installed = [
            ("usr/local/bin/oversightd", 0o755), ("usr/local/bin/oversightctl", 0o755),
            ("etc/systemd/system/oversightd.service", 0o644), ("etc/systemd/system/oversightd.socket", 0o644),
            ("etc/sysusers.d/oversight.conf", 0o644), ("etc/tmpfiles.d/oversight.conf", 0o644),
        ]
        for (path, mode) in installed {
            let attributes = try FileManager.default.attributesOfItem(atPath: stage.appendingPathComponent(path).path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == mode, "\(path)")
        }
        #expect(
            FileManager.default.contentsEqual(
                atPath: stage.appendingPathComponent("etc/systemd/system/oversightd.service").path,
                andPath: Self.deploy.appendingPathComponent("oversightd.service").path))
        #expect(
            FileManager.default.fileExists(
                atPath: stage.appendingPathComponent(
                    "usr/local/bin/Oversight_OversightService.resources/Resources/org.oversight.admin.varlink"
                ).path),
            "the interface files go next to the binary, where Bundle.module looks")
        // Staging root: nothing is run against this machine, the steps are printed.
        #expect(first.stdout.contains("would run: systemd-sysusers"))
        #expect(first.stdout.contains("systemctl") && first.stdout.contains("enable --now oversightd.socket"))

        let second = try run(bash, arguments, timeout: 60)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.stdout.contains("installed:"), "a rerun changes nothing:\n\(second.stdout)")
        #expect(second.stdout.contains("unchanged: /usr/local/bin/oversightd"))

        // The data and the operator's configuration survive an uninstall.
        let data = stage.appendingPathComponent("var/lib/oversight/oversight.sqlite")
        let configuration = stage.appendingPathComponent("etc/oversight/oversightd.conf")
        for file in [data, configuration] {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("keep".utf8).write(to: file)
        }
        let uninstall = try run(bash, [script, "--uninstall", "--prefix", stage.path])
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        for (path, _) in installed {
            #expect(!FileManager.default.fileExists(atPath: stage.appendingPathComponent(path).path), "\(path)")
        }
        let leftInBin =
            (try? FileManager.default.contentsOfDirectory(atPath: stage.appendingPathComponent("usr/local/bin").path))
            ?? []
        #expect(leftInBin.isEmpty, "the binaries and every resource bundle are removed: \(leftInBin)")
        #expect(FileManager.default.fileExists(atPath: data.path))
        #expect(FileManager.default.fileExists(atPath: configuration.path))

        let bad = try run(bash, [script, "--frobnicate"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--frobnicate"))
    }
}
