import Foundation
import Logging
import OversightDomain
import Testing
import Varlink

@testable import OversightService

/// The configuration file's parser: every key, comments, sections, and a clear error naming key and line.
struct ConfigurationFileTests {
    @Test func `every key is read with its line`() throws {
        let file = try ConfigurationFile(
            parsing: """
                # Oversight daemon
                socket = /run/ov/d.sock
                state-dir = /srv/oversight   # trailing comment
                time-zone = Europe/Paris
                log-level = debug

                evaluation-rule = present>2/3
                holiday-calendar = /etc/oversight/holidays.txt
                watchdog = off
                [roles]
                admin = user:root, user:1001
                clerk = group:oversight, group:27
                reader = *
                """)
        #expect(file.socket == .init(value: "/run/ov/d.sock", line: 2))
        #expect(file.stateDirectory == .init(value: "/srv/oversight", line: 3))
        #expect(file.timeZone?.value.identifier == "Europe/Paris")
        #expect(file.logLevel == .init(value: .debug, line: 5))
        #expect(file.evaluationRule?.value.description == "present>2/3")
        #expect(file.evaluationRule?.line == 7)
        #expect(file.holidayCalendar == .init(value: "/etc/oversight/holidays.txt", line: 8))
        #expect(file.watchdog == .init(value: false, line: 9))
        #expect(file.roles[.admin] == .init(value: [.userName("root"), .userID(1001)], line: 11))
        #expect(file.roles[.clerk] == .init(value: [.groupName("oversight"), .groupID(27)], line: 12))
        #expect(file.roles[.reader] == .init(value: [.anyone], line: 13))
    }

    @Test func `an empty file and a file of comments set nothing`() throws {
        #expect(try ConfigurationFile(parsing: "") == ConfigurationFile())
        #expect(try ConfigurationFile(parsing: "# only\n\n   # comments\n") == ConfigurationFile())
    }

    @Test func `none gives a role to nobody`() throws {
        let file = try ConfigurationFile(parsing: "[roles]\nadmin = none\n")
        #expect(file.roles[.admin] == .init(value: [], line: 2))
    }

    @Test func `a hash inside a value is kept`() throws {
        let file = try ConfigurationFile(parsing: "state-dir = /srv/a#b\n")
        #expect(file.stateDirectory?.value == "/srv/a#b")
    }

    @Test(arguments: [
        ("socket = x\n", 1, "socket", "must be an absolute path"),
        ("\n\ntime-zone = Mars/Olympus\n", 3, "time-zone", "unknown time zone \"Mars/Olympus\""),
        ("log-level = loud\n", 1, "log-level", "must be trace, debug"),
        ("evaluation-rule = present>1.5\n", 1, "evaluation-rule", "must be entitled-majority"),
        ("watchdog = maybe\n", 1, "watchdog", "must be on or off"),
        ("sockte = /a\n", 1, "sockte", "not a known key"),
        ("socket = /a\nsocket = /b\n", 2, "socket", "given twice (first on line 1)"),
        ("state-dir =\n", 1, "state-dir", "no value given"),
        ("holiday-calendar = holidays.txt\n", 1, "holiday-calendar", "must be an absolute path"),
        ("clerk = group:oversight\n", 1, "clerk", "belongs in the [roles] section"),
        ("[roles]\nboss = user:root\n", 2, "roles.boss", "not a role"),
        ("[roles]\nclerk = oversight\n", 2, "roles.clerk", "must be `none`, `*`, or a comma-separated list"),
        ("[roles]\nclerk = user:alice,\n", 2, "roles.clerk", "comma-separated list"),
        ("[roles]\nclerk =\n", 2, "roles.clerk", "write `none`"),
    ])
    func `a mistake names the key and the line`(text: String, line: Int, key: String, message: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationFile(parsing: text, path: "/etc/oversight/oversightd.conf")
        }
        #expect(error?.line == line)
        #expect(error?.key == key)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(
            error?.description.hasPrefix("/etc/oversight/oversightd.conf line \(line), key \(key): ") == true,
            "\(String(describing: error))")
    }

    @Test(arguments: [
        ("[users]\n", 1, "unknown section [users]"),
        ("socket /a\n", 1, "expected `key = value`"),
        ("[roles\n", 1, "must end with ']'"),
        ("= x\n", 1, "a key is missing"),
    ])
    func `a malformed line is named`(text: String, line: Int, message: String) {
        let error = #expect(throws: ConfigurationError.self) { try ConfigurationFile(parsing: text) }
        #expect(error?.line == line)
        #expect(error?.key == nil)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }
}

/// Resolving the configuration: flags over the file over the defaults, names of users and groups checked.
struct DaemonConfigurationResolveTests {
    /// A fixed user database: root 0, alice 1000 (groups 1000, 50), bob 1001 (group 1001); groups oversight 50.
    static let accounts = UnixAccounts(
        userID: { ["root": 0, "alice": 1000, "bob": 1001][$0] },
        groupID: { ["oversight": 50, "wheel": 10][$0] },
        groups: { uid, gid in uid == 1000 ? [gid, 50] : [gid] }
    )

    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ov-conf-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func `flags win over the file and the file over the defaults`() throws {
        let path = try write(
            """
            socket = /run/from-file.sock
            state-dir = /srv/from-file
            time-zone = Europe/Paris
            evaluation-rule = present-majority
            watchdog = off
            """)
        defer { unlink(path) }
        let configuration = try DaemonConfiguration.resolve(
            CommandLineSettings(configurationFile: path, socket: "/run/from-flag.sock"), accounts: Self.accounts)
        #expect(configuration.socketPath == "/run/from-flag.sock")
        #expect(configuration.stateDirectory == "/srv/from-file")
        #expect(configuration.timeZone.identifier == "Europe/Paris")
        #expect(configuration.evaluationRule == .majorityOfPresent)
        #expect(configuration.watchdog == false)
        #expect(configuration.logLevel == .info)
        #expect(configuration.configurationFile == path)
    }

    @Test func `the default file is read only when it exists`() throws {
        let configuration = try DaemonConfiguration.resolve(
            CommandLineSettings(), defaultFile: "/nonexistent/oversightd.conf", accounts: Self.accounts)
        #expect(configuration.configurationFile == nil)
        #expect(configuration.socketPath == "/run/oversight/oversightd.sock")
        #expect(configuration.timeZone.identifier == "Asia/Shanghai")
        #expect(configuration.evaluationRule == .majorityOfEntitled)
        #expect(configuration.watchdog)

        let error = #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration.resolve(
                CommandLineSettings(configurationFile: "/nonexistent/oversightd.conf"), accounts: Self.accounts)
        }
        #expect(error?.description.hasPrefix("/nonexistent/oversightd.conf: cannot be read") == true)
    }

    @Test func `an unknown user or group in roles names the key and the line`() throws {
        let path = try write("[roles]\n\nclerk = user:alice, group:nosuchgroup\n")
        defer { unlink(path) }
        let error = #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration.resolve(CommandLineSettings(configurationFile: path), accounts: Self.accounts)
        }
        #expect(error?.line == 3)
        #expect(error?.key == "roles.clerk")
        #expect(error?.message.contains("the group \"nosuchgroup\", which does not exist") == true)
    }

    @Test func `a bad holiday calendar named by the file names its key and line`() throws {
        let calendar = try write("2024-10-01 holiday 国庆节\n2024-10-02 day-off\n")
        defer { unlink(calendar) }
        let path = try write("# calendar\nholiday-calendar = \(calendar)\n")
        defer { unlink(path) }
        let error = #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration.resolve(CommandLineSettings(configurationFile: path), accounts: Self.accounts)
        }
        #expect(error?.line == 2)
        #expect(error?.key == "holiday-calendar")
        #expect(error?.message.contains("line 2: unknown kind") == true, "\(String(describing: error))")
    }
}

/// Who holds which role.
struct RoleMapTests {
    /// uid 0 root; 1000 alice (in group 50 = oversight); 1001 bob; 1002 carol (in group 10 = wheel); 4242 the
    /// daemon's own user.
    static let groupsOf: [UInt32: Set<UInt32>] = [
        0: [0], 1000: [1000, 50], 1001: [1001], 1002: [1002, 10], 4242: [4242],
    ]

    private func role(_ map: RoleMap, _ uid: UInt32) -> AccessRole? {
        map.role(uid: uid) { Self.groupsOf[uid] ?? [] }
    }

    @Test func `by default root and the daemon's user are admin, group oversight clerk, anyone else reader`() {
        let map = RoleMap.defaults(daemonUID: 4242, oversightGroup: 50)
        #expect(role(map, 0) == .admin)
        #expect(role(map, 4242) == .admin)
        #expect(role(map, 1000) == .clerk)
        #expect(role(map, 1001) == .reader)
        #expect(role(map, 1002) == .reader)
    }

    @Test func `without a group oversight nobody is clerk by default`() {
        let map = RoleMap.defaults(daemonUID: 4242, oversightGroup: nil)
        #expect(role(map, 1000) == .reader)
        #expect(role(map, 0) == .admin)
    }

    @Test func `a role listed in the file replaces only that role's default`() throws {
        let file = try ConfigurationFile(parsing: "[roles]\nclerk = group:wheel, user:bob\n")
        let map = try RoleMap.resolve(
            file, path: nil, accounts: DaemonConfigurationResolveTests.accounts, daemonUID: 4242)
        #expect(role(map, 1002) == .clerk, "carol through her supplementary group wheel")
        #expect(role(map, 1001) == .clerk, "bob by name")
        #expect(role(map, 1000) == .reader, "alice's group oversight no longer makes her clerk")
        #expect(role(map, 0) == .admin, "admin keeps its default")
        #expect(role(map, 4242) == .admin)
    }

    @Test func `the highest role wins, and a restricted reader list leaves others without a role`() throws {
        let file = try ConfigurationFile(
            parsing: "[roles]\nadmin = none\nclerk = user:1000\nreader = user:alice, user:bob\n")
        let map = try RoleMap.resolve(
            file, path: nil, accounts: DaemonConfigurationResolveTests.accounts, daemonUID: 4242)
        #expect(role(map, 1000) == .clerk)
        #expect(role(map, 1001) == .reader)
        #expect(role(map, 0) == nil, "root is not listed anywhere")
        #expect(role(map, 4242) == nil)
    }

    @Test func `groups are looked up only when a group could decide`() {
        let map = RoleMap.defaults(daemonUID: 4242, oversightGroup: 50)
        var asked = 0
        let lookup = { (uid: UInt32) -> Set<UInt32> in
            asked += 1
            return Self.groupsOf[uid] ?? []
        }
        #expect(map.grants(.reader, uid: 1001) { lookup(1001) })
        #expect(asked == 0, "anyone is reader: no lookup")
        #expect(map.grants(.clerk, uid: 0) { lookup(0) })
        #expect(asked == 0, "root is admin by uid: no lookup")
        #expect(!map.grants(.clerk, uid: 1001) { lookup(1001) })
        #expect(asked == 1)
        #expect(map.grants(.clerk, uid: 1000) { lookup(1000) })
        #expect(!map.grants(.admin, uid: 1000) { lookup(1000) })
    }

    @Test func `grants agrees with role for every user and role`() throws {
        let file = try ConfigurationFile(parsing: "[roles]\nadmin = group:wheel\nclerk = user:bob, group:oversight\n")
        let map = try RoleMap.resolve(
            file, path: nil, accounts: DaemonConfigurationResolveTests.accounts, daemonUID: 4242)
        for uid in Self.groupsOf.keys {
            for needed in AccessRole.allCases {
                let byRole = role(map, uid).map { $0 >= needed } ?? false
                #expect(map.grants(needed, uid: uid) { Self.groupsOf[uid] ?? [] } == byRole, "\(uid) \(needed)")
            }
        }
    }

    @Test func `methods that take a commandId need clerk, admin methods admin, the rest reader`() throws {
        let topics = try InterfaceResources.load("org.oversight.topics")
        #expect(AccessControl.requiredRole(interface: topics, method: "Plan") == .clerk)
        #expect(AccessControl.requiredRole(interface: topics, method: "Deliberate") == .clerk)
        #expect(AccessControl.requiredRole(interface: topics, method: "List") == .reader)
        #expect(AccessControl.requiredRole(interface: topics, method: "Show") == .reader)
        let log = try InterfaceResources.load("org.oversight.log")
        for method in log.methodNames {
            #expect(AccessControl.requiredRole(interface: log, method: method) == .reader, "\(method)")
        }
        let admin = try VarlinkInterfaceFixture.admin()
        #expect(AccessControl.requiredRole(interface: admin, method: "Backup") == .admin)
    }

    @Test func `every recording method of every interface needs clerk`() throws {
        let names = [
            "org.oversight.departments", "org.oversight.evaluations", "org.oversight.inquiries", "org.oversight.items",
            "org.oversight.reports", "org.oversight.stations", "org.oversight.suggestions", "org.oversight.topics",
            "org.oversight.votes",
        ]
        var clerkMethods = 0
        for name in names {
            let interface = try InterfaceResources.load(name)
            for method in interface.methodNames {
                let recording = interface.parameterNames(method: method).contains("commandId")
                let role = AccessControl.requiredRole(interface: interface, method: method)
                #expect(role == (recording ? .clerk : .reader), "\(name).\(method)")
                if recording { clerkMethods += 1 }
            }
        }
        #expect(clerkMethods > 30)
    }
}

/// A stand-in for the admin interface another part of the daemon serves; only its name matters here.
enum VarlinkInterfaceFixture {
    static func admin() throws -> VarlinkInterface {
        try VarlinkInterface(description: "interface org.oversight.admin\nmethod Backup(path: string) -> ()\n")
    }
}

/// The audit keys: checkpoint policy, key name and mirror.
struct AuditConfigurationTests {
    @Test func `audit keys parse, and bad values name the key and line`() throws {
        let file = try ConfigurationFile(
            parsing: "audit-name = a.example/log\ncheckpoint-every = 0\ncheckpoint-interval = off\naudit-mirror = off\n"
        )
        #expect(file.auditName?.value == "a.example/log")
        #expect(file.checkpointEvery?.value == 0)
        #expect(file.checkpointInterval?.value == .some(nil))
        #expect(file.auditMirror?.value == .some(nil))
        for (text, key) in [
            ("audit-name = a b", "audit-name"), ("audit-name = a+b", "audit-name"),
            ("checkpoint-every = -1", "checkpoint-every"), ("checkpoint-interval = 10x", "checkpoint-interval"),
            ("checkpoint-interval = 0m", "checkpoint-interval"), ("audit-mirror = relative.jsonl", "audit-mirror"),
        ] {
            let error = #expect(throws: ConfigurationError.self) { try ConfigurationFile(parsing: "\n" + text) }
            #expect(error?.key == key)
            #expect(error?.line == 2)
        }
    }

    @Test func `the mirror defaults to the logs directory under systemd, else the state directory`() throws {
        let file = ConfigurationFile()
        let systemd = try AuditSettings.resolve(
            CommandLineSettings(), file: file, stateDirectory: "/var/lib/oversight", logsDirectory: "/var/log/oversight"
        )
        #expect(systemd.mirrorPath == "/var/log/oversight/events.jsonl")
        let local = try AuditSettings.resolve(
            CommandLineSettings(), file: file, stateDirectory: "/tmp/ov/state", logsDirectory: nil)
        #expect(local.mirrorPath == "/tmp/ov/state/events.jsonl")
        let off = try AuditSettings.resolve(
            CommandLineSettings(auditMirror: "off", checkpointEvery: 7), file: file, stateDirectory: "/s",
            logsDirectory: "/var/log/oversight")
        #expect(off.mirrorPath == nil)
        #expect(off.checkpointEvery == 7)
        #expect(throws: ConfigurationError.self) {
            try AuditSettings.resolve(
                CommandLineSettings(auditMirror: "rel"), file: file, stateDirectory: "/s", logsDirectory: nil)
        }
    }
}

/// The shipped example configuration.
struct ExampleConfigurationTests {
    private static var example: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            return try String(
                contentsOf: root.appendingPathComponent("deploy/oversightd.conf.example"), encoding: .utf8)
        }
    }

    @Test func `the example as shipped sets nothing`() throws {
        #expect(try ConfigurationFile(parsing: Self.example) == ConfigurationFile())
    }

    @Test func `uncommented, the example sets every key to its default`() throws {
        let uncommented = try Self.example.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("#") && line.contains(" = ") && !line.hasPrefix("# ") ? line.dropFirst() : line
        }.joined(separator: "\n")
        let file = try ConfigurationFile(parsing: uncommented)
        #expect(file.socket?.value == "/run/oversight/oversightd.sock")
        #expect(file.stateDirectory?.value == "/var/lib/oversight")
        #expect(file.timeZone?.value.identifier == "Asia/Shanghai")
        #expect(file.logLevel?.value == .info)
        #expect(file.evaluationRule?.value == .majorityOfEntitled)
        #expect(file.holidayCalendar?.value == "/etc/oversight/holidays.txt")
        #expect(file.watchdog?.value == true)
        #expect(file.auditName?.value == "congress.example.gov.cn/oversight")
        #expect(file.checkpointEvery?.value == 1000)
        #expect(file.checkpointInterval?.value == .seconds(600))
        #expect(file.auditMirror?.value == "/var/log/oversight/events.jsonl")
        #expect(file.roles[.admin]?.value == [.userName("root")])
        #expect(file.roles[.clerk]?.value == [.groupName("oversight")])
        #expect(file.roles[.reader]?.value == [.anyone])
    }
}
