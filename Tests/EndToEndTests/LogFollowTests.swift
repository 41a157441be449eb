import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `oversightctl log show` and `log follow` against the real daemon: filters, times, cursor files, output forms
/// and refusals.
@Suite(.serialized)
struct LogFollowTests {
    /// The user name the daemon records as the actor of our commands.
    private var userName: String {
        getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "?"
    }

    /// Records departments `d01`, `d02`, … (one event each) and topics (one `TopicPlanned` each) alternately.
    private func record(_ daemon: Daemon, departments: ClosedRange<Int>, topicEvery: Int = 0) throws {
        for index in departments {
            let code = String(format: "d%02d", index)
            let added = try daemon.ctl("department", "add", code, "部门\(index)")
            #expect(added.status == 0, "\(added.stderr)")
            if topicEvery > 0, index.isMultiple(of: topicEvery) {
                let planned = try daemon.ctl(
                    "topic", "plan", "--year", "2024", "--kind", "research", "--title", "调研\(index)",
                    "--committee", "教科文卫委", "--department", code)
                #expect(planned.status == 0, "\(planned.stderr)")
            }
        }
    }

    /// The events a `--output jsonl` (or `--json`) run printed.
    private func events(_ result: CommandResult) throws -> [[String: Any]] {
        try result.stdout.split(separator: "\n").map { try json(String($0)) }
    }

    private func positions(_ result: CommandResult) throws -> [Int] {
        try events(result).map { $0["position"] as? Int ?? -1 }
    }

    @Test func `each filter is applied by the daemon: stream names and prefixes, types, actors, repeated values`()
        throws
    {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        // d01 d02 T1 d03 d04 T2 d05 d06 T3: positions 1 2 3 4 5 6 7 8 9.
        try record(daemon, departments: 1...6, topicEvery: 2)
        let topics = try daemon.ctl("log", "show", "--stream", "topic-*", "--output", "jsonl")
        #expect(topics.status == 0, "\(topics.stderr)")
        #expect(try positions(topics) == [3, 6, 9])
        #expect(try events(topics).allSatisfy { ($0["stream"] as? String)?.hasPrefix("topic-") == true })
        let one = try daemon.ctl("log", "show", "--stream", "department-d03", "--json")
        #expect(try positions(one) == [4])
        let two = try daemon.ctl("log", "show", "--stream", "department-d01", "--stream", "topic-T2024-002", "--json")
        #expect(try positions(two) == [1, 6])
        let typed = try daemon.ctl("log", "show", "--type", "TopicPlanned", "--json")
        #expect(try positions(typed) == [3, 6, 9])
        let typePrefix = try daemon.ctl("log", "show", "--type", "Department*", "--json")
        #expect(try positions(typePrefix) == [1, 2, 4, 5, 7, 8])
        let combined = try daemon.ctl("log", "show", "--type", "Department*", "--stream", "*-d05", "--json")
        #expect(combined.status == 64, "a star only ends a prefix")
        let both = try daemon.ctl(
            "log", "show", "--type", "Department*", "--stream", "department-d0*", "--after", "4", "--json")
        #expect(try positions(both) == [5, 7, 8])
        let mine = try daemon.ctl("log", "show", "--actor", userName, "--json")
        #expect(try positions(mine) == Array(1...9))
        let nobody = try daemon.ctl("log", "show", "--actor", "nobody-at-all", "--json")
        #expect(nobody.status == 0)
        #expect(nobody.stdout.isEmpty)
        let limited = try daemon.ctl("log", "show", "--stream", "topic-*", "--limit", "2", "--json")
        #expect(try positions(limited) == [3, 6])
        // A follower of one stream gets only that stream, and --until ends it with exit 0.
        let follow = try daemon.ctl("log", "follow", "--stream", "topic-*", "--after", "3", "--until", "now", "--json")
        #expect(follow.status == 0, "\(follow.stderr)")
        #expect(try positions(follow) == [6, 9])
        #expect(daemon.stop() == 0)
    }

    @Test func `the actor filter tells the users who recorded events apart`() throws {
        let clerkUser = "ovtest-clerk"  // created by Scripts/setup-test-deps as root, member of group oversight
        guard getuid() == 0, let clerk = getpwnam(clerkUser)?.pointee else {
            print("skipped: the actor filter test records as \(clerkUser), which needs root and that user")
            return
        }
        let (clerkUID, clerkGID) = (clerk.pw_uid, clerk.pw_gid)
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch, extraArguments: ["--config", "/dev/null"])
        chmod(scratch.socket, 0o666)
        func asClerk(_ arguments: String...) throws -> CommandResult {
            try run(
                URL(fileURLWithPath: "/usr/bin/setpriv"),
                ["--reuid", "\(clerkUID)", "--regid", "\(clerkGID)", "--init-groups", "--", Binaries.ctl.path]
                    + arguments,
                environment: ["OVERSIGHT_SOCKET": scratch.socket])
        }
        #expect(try asClerk("department", "add", "fgw", "发展和改革委员会").status == 0)
        #expect(try daemon.ctl("department", "add", "jw", "教育局").status == 0)
        #expect(try asClerk("department", "add", "mzj", "民政局").status == 0)
        #expect(try positions(daemon.ctl("log", "show", "--actor", clerkUser, "--json")) == [1, 3])
        #expect(try positions(daemon.ctl("log", "show", "--actor", userName, "--json")) == [2])
        #expect(
            try positions(daemon.ctl("log", "show", "--actor", userName, "--actor", clerkUser, "--json")) == [1, 2, 3])
        // A reader (the clerk here) follows by actor too.
        let followed = try asClerk("log", "follow", "--actor", userName, "--until", "now", "--json")
        #expect(followed.status == 0, "\(followed.stderr)")
        #expect(try positions(followed) == [2])
        #expect(daemon.stop() == 0)
    }

    @Test func `since and until take dates, local times in TZ, UTC and offsets, words and relative times`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try record(daemon, departments: 1...2)
        usleep(1_100_000)
        try record(daemon, departments: 3...4)
        let all = try events(daemon.ctl("log", "show", "--json"))
        let third = try #require(all[2]["recordedAt"] as? String)  // 2026-12-02T07:26:01.122Z
        let utc = try #require(Self.date(third))
        func shown(_ arguments: [String], tz: String = "UTC") throws -> [Int] {
            let result = try run(
                Binaries.ctl, ["log", "show", "--json"] + arguments,
                environment: ["OVERSIGHT_SOCKET": scratch.socket, "TZ": tz])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return try positions(result)
        }
        #expect(try shown(["--since", third]) == [3, 4], "inclusive")
        #expect(try shown(["--until", third]) == [1, 2, 3], "inclusive")
        #expect(try shown(["--until", Self.text(utc.addingTimeInterval(-0.001), hours: 0, offset: "Z")]) == [1, 2])
        // The same instant as a local time in Shanghai (UTC+8, no daylight saving), written with a space.
        let shanghai = Self.text(utc, hours: 8, offset: "").replacingOccurrences(of: "T", with: " ")
        #expect(try shown(["--since", shanghai], tz: "Asia/Shanghai") == [3, 4])
        #expect(try shown(["--since", shanghai], tz: "UTC") == [], "read in UTC it is 8 hours later")
        #expect(try shown(["--since", Self.text(utc, hours: 8, offset: "+08:00")]) == [3, 4])
        #expect(try shown(["--since", Self.text(utc, hours: -5, offset: "-0500")]) == [3, 4])
        // A minute or a day alone means its start; words and relative times are resolved against now.
        func recordedSince(_ start: String) -> [Int] {
            all.filter { ($0["recordedAt"] as? String ?? "") >= start }.map { $0["position"] as? Int ?? -1 }
        }
        let minute = String(third.prefix(16))
        #expect(try shown(["--since", minute.replacingOccurrences(of: "T", with: " ")]) == recordedSince(minute))
        #expect(try shown(["--since", String(third.prefix(10))]) == recordedSince(String(third.prefix(10))))
        #expect(try shown(["--since", "yesterday"]) == [1, 2, 3, 4])
        #expect(try shown(["--until", "yesterday"]) == [])
        #expect(try shown(["--since", "tomorrow"]) == [])
        #expect(try shown(["--since", "-1h", "--until", "now"]) == [1, 2, 3, 4])
        #expect(try shown(["--since", "+1h"]) == [])
        #expect(try shown(["--until", "-1d"]) == [])
        #expect(daemon.stop() == 0)
    }

    @Test func `a follower killed mid-stream resumes from its cursor file with no gap and no duplicate`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try record(daemon, departments: 1...40)
        let cursor = scratch.url.appendingPathComponent("audit.cursor").path

        // The first follower writes indented JSON (about 400 bytes an event) into a pipe of one page that nobody
        // reads yet, so it is blocked in the middle of the stream, with events left to print, when SIGTERM arrives.
        let follower = Process()
        follower.executableURL = Binaries.ctl
        follower.arguments = ["log", "follow", "--cursor-file", cursor, "--output", "json", "--socket", scratch.socket]
        let out = Pipe()
        _ = fcntl(out.fileHandleForWriting.fileDescriptor, 1031 /* F_SETPIPE_SZ */, 4096)
        follower.standardOutput = out
        follower.standardError = FileHandle.nullDevice
        try follower.run()
        usleep(1_000_000)
        kill(follower.processIdentifier, SIGTERM)
        let firstText = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        follower.waitUntilExit()
        #expect(follower.terminationStatus == 128 + SIGTERM)
        let first = Self.positions(ofIndented: firstText)
        #expect(first.count > 0 && first.count < 40, "stopped mid-stream after \(first.count) events")
        let saved = try String(contentsOfFile: cursor, encoding: .utf8)
        #expect(saved.contains("\"position\":\(first.last ?? -1)"), "the cursor is the last printed event")

        try record(daemon, departments: 41...45)
        let second = try daemon.ctl("log", "follow", "--cursor-file", cursor, "--until", "now", "--output", "json")
        #expect(second.status == 0, "\(second.stderr)")
        let rest = Self.positions(ofIndented: second.stdout)
        #expect(first + rest == Array(1...45))
        // log show continues from the same cursor: nothing left.
        let show = try daemon.ctl("log", "show", "--cursor-file", cursor)
        #expect(show.status == 0 && show.stdout.isEmpty)
        try record(daemon, departments: 46...46)
        #expect(try daemon.ctl("log", "show", "--cursor-file", cursor).stdout.hasPrefix("46  "))
        #expect(try String(contentsOfFile: cursor, encoding: .utf8).contains("\"position\":46"))
        #expect(daemon.stop() == 0)
    }

    @Test func `a cursor whose event has another hash, or is past the head, is refused and left as it was`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try record(daemon, departments: 1...3)
        let cursor = scratch.url.appendingPathComponent("c").path
        let other = String(repeating: "ab", count: 32)
        for (content, words) in [
            (#"{"hash":"\#(other)","position":2}"#, "rewritten"), (#"{"hash":"\#(other)","position":9}"#, "replaced"),
        ] {
            try content.write(toFile: cursor, atomically: true, encoding: .utf8)
            for command in [["log", "show"], ["log", "follow"]] {
                let refused = try daemon.ctl(command + ["--cursor-file", cursor])
                #expect(refused.status == 1, "\(command)")
                #expect(refused.stderr.contains(words), "\(refused.stderr)")
                #expect(refused.stdout.isEmpty)
                #expect(try String(contentsOfFile: cursor, encoding: .utf8) == content)
            }
        }
        #expect(daemon.stop() == 0)
    }

    @Test func `events print as text lines, indented JSON objects, or JSON lines; --json is jsonl`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try record(daemon, departments: 1...2)
        let text = try daemon.ctl("log", "show")
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("1  ") == true)
        #expect(lines.first?.contains("department-d01@1  DepartmentAdded  by \(userName)") == true)
        let jsonl = try daemon.ctl("log", "show", "--output", "jsonl")
        #expect(try positions(jsonl) == [1, 2])
        #expect(jsonl.stdout == (try daemon.ctl("log", "show", "--json")).stdout)
        #expect(jsonl.stdout.split(separator: "\n").count == 2)
        let indented = try daemon.ctl("log", "show", "--output", "json")
        #expect(indented.stdout.hasPrefix("{\n  \"actor\": "))
        // Objects one after another, as jq prints them: joined with commas they make an array.
        let array = "[" + indented.stdout.replacingOccurrences(of: "\n}\n{", with: "},{") + "]"
        let parsed = try JSONSerialization.jsonObject(with: Data(array.utf8)) as? [[String: Any]]
        #expect(parsed?.map { $0["position"] as? Int ?? -1 } == [1, 2])
        #expect((parsed?.first?["data"] as? [String: Any])?["code"] as? String == "d01")
        let jsonlEvents = try events(jsonl)
        #expect(parsed?.first?["hash"] as? String == jsonlEvents.first?["hash"] as? String)
        #expect(daemon.stop() == 0)
    }

    @Test func `bad options are usage errors, exit 64, naming the option and what it takes, and change nothing`()
        throws
    {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try record(daemon, departments: 1...1)
        let cursor = scratch.url.appendingPathComponent("c").path
        try "not a cursor\n".write(toFile: cursor, atomically: true, encoding: .utf8)
        let cases: [([String], [String])] = [
            (["--since", "garbage"], ["--since", "YYYY-MM-DD", "-2h", "garbage"]),
            (["--until", "2024-13-01"], ["--until", "ISO 8601"]),
            (["--since", "2024-02-30 10:00"], ["--since"]),
            (["--since", "2024-08-19T10:00:00+25:00"], ["--since"]),
            (["--since", "-5x"], ["--since"]),
            (["--since", "2024-08-20", "--until", "2024-08-19"], ["--until", "before --since"]),
            (["--stream", "a*b"], ["--stream", "prefix ending in *"]),
            (["--type", "*"], ["--type"]),
            (["--actor", ""], ["--actor"]),
            (["--output", "xml"], ["--output", "xml"]),
            (["--json", "--output", "text"], ["--json", "--output jsonl"]),
            (["--after", "-1"], ["--after"]),
            (["--cursor-file", cursor], ["cursor file", cursor, "position"]),
            (
                ["--cursor-file", "/nonexistent-directory/c"],
                ["cursor file", "/nonexistent-directory", "does not exist"]
            ),
        ]
        for (options, words) in cases {
            for command in ["show", "follow"] {
                let result = try daemon.ctl(["log", command] + options)
                #expect(result.status == 64, "log \(command) \(options): \(result.stderr)")
                for word in words {
                    #expect(result.stderr.contains(word), "log \(command) \(options): \(result.stderr)")
                }
                #expect(result.stdout.isEmpty)
            }
        }
        #expect(try daemon.ctl("log", "show", "--limit", "0").status == 64)
        #expect(try String(contentsOfFile: cursor, encoding: .utf8) == "not a cursor\n")
        #expect(try daemon.ctl("status", "--json").stdout.contains("\"headPosition\":1"))
        #expect(daemon.stop() == 0)
    }

    /// The top-level positions in `--output json` text.
    private static func positions(ofIndented text: String) -> [Int] {
        text.split(separator: "\n").compactMap { line in
            line.hasPrefix("  \"position\": ") ? Int(line.dropFirst(14).trimmingCharacters(in: [","])) : nil
        }
    }

    /// The instant of a `recordedAt` text.
    private static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// `date` written `YYYY-MM-DDTHH:MM:SS.mmm` at `hours` from UTC, followed by `offset`.
    private static func text(_ date: Date, hours: Int, offset: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: hours * 3600)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS"
        return formatter.string(from: date) + offset
    }
}
