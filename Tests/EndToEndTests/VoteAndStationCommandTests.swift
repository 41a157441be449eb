import Foundation
import Testing

/// The real `oversightd` driven by the real `oversightctl`: votes with their results, liaison stations.
@Suite(.serialized)
struct VoteAndStationCommandTests {
    /// The log's head position, to prove that a refused command wrote nothing.
    private func head(_ daemon: Daemon) throws -> Int? {
        try json(daemon.ctl("status", "--json").stdout)["headPosition"] as? Int
    }

    /// The event types in the log, oldest first.
    private func eventTypes(_ daemon: Daemon) throws -> [String] {
        try daemon.ctl("log", "show", "--json").stdout.split(separator: "\n").map {
            try json(String($0))["type"] as? String ?? ""
        }
    }

    @Test func `the seed's two-city resolution is recorded 58-0-0, adopted, and on the vote board`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        // 62 members entitled is invented; the seed gives the tally 58-0-0 and "adopted".
        let record = try daemon.ctl(
            "vote", "record", "--title", "关于加快推进“两城”建设的决议", "--date", "2024-06-27", "--term", "12",
            "--session", "11", "--entitled", "62", "--for", "58", "--against", "0", "--abstain", "0",
            "--declared", "adopted"
        )
        #expect(record.status == 0, "\(record.stderr)")
        #expect(record.stdout.hasPrefix("Recorded V2024-001: adopted (58 for, 0 against, 0 abstain of 62 entitled"))

        let shown = try json(daemon.ctl("vote", "show", "V2024-001", "--json").stdout)
        let vote = shown["vote"] as? [String: Any]
        #expect(vote?["adopted"] as? Bool == true)
        #expect(vote?["kind"] as? String == "resolution")
        #expect(vote?["for"] as? Int == 58)
        #expect(vote?["against"] as? Int == 0)
        #expect(vote?["abstain"] as? Int == 0)
        #expect(vote?["entitled"] as? Int == 62)
        #expect(vote?["rule"] as? String == "more-than-1/2-of-entitled")
        #expect(vote?["session"] as? String == "12th committee, 11th session")
        #expect((shown["candidates"] as? [Any])?.isEmpty == true)

        let decision = try daemon.ctl(
            "vote", "record", "--kind", "decision", "--title", "关于修改议事规则的决定", "--date", "2024-09-20",
            "--entitled", "62", "--for", "40", "--against", "12", "--abstain", "2", "--rule", "two-thirds-of-entitled"
        )
        #expect(decision.status == 0, "\(decision.stderr)")
        #expect(decision.stdout.contains("V2024-002: not adopted"))

        let board = try json(daemon.ctl("vote", "list", "--year", "2024", "--json").stdout)
        #expect(board["total"] as? Int == 2)
        #expect(board["adopted"] as? Int == 1)
        let votes = board["votes"] as? [[String: Any]] ?? []
        #expect(votes.map { $0["id"] as? String ?? "" } == ["V2024-001", "V2024-002"])
        #expect(votes.last?["rule"] as? String == "at-least-2/3-of-entitled")
        #expect(votes.last?["adopted"] as? Bool == false)

        let table = try daemon.ctl("vote", "list", "--year", "2024")
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(
            lines.contains {
                $0.hasPrefix("V2024-001  2024-06-27  resolution  关于加快推进“两城”建设的决议") && $0.hasSuffix("adopted")
            })
        #expect(lines.last == "2 votes; 1 resolutions and decisions adopted")
        #expect(try eventTypes(daemon) == ["VoteRecorded", "VoteRecorded"])
        #expect(daemon.stop() == 0)
    }

    @Test func `a differential livelihood vote reports a tie across the last place and chooses none of the tied`()
        throws
    {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let arguments = [
            "vote", "differential", "--title", "2025年民生实事项目票决", "--date", "2024-12-20", "--term", "11",
            "--session", "4", "--entitled", "150", "--voters", "140", "--places", "2",
            "--candidate", "老旧小区改造=120", "--candidate", "农村供水提升=80", "--candidate", "城区停车场建设=80",
            "--candidate", "学校食堂改造=0",
        ]
        let before = try head(daemon)
        let declaredTied = try daemon.ctl(arguments + ["--chosen", "老旧小区改造", "--chosen", "农村供水提升"])
        #expect(declaredTied.status == 1)
        #expect(declaredTied.stderr.contains("农村供水提升、城区停车场建设 are tied"), "\(declaredTied.stderr)")
        #expect(try head(daemon) == before, "a refused vote wrote nothing")

        let recorded = try daemon.ctl(arguments)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout.hasPrefix("Recorded V2024-001: 1 chosen: 老旧小区改造; 2 tied: 农村供水提升、城区停车场建设"))
        #expect(recorded.stdout.contains("Tied across the last place, not chosen: 农村供水提升、城区停车场建设"))
        let tableLines = recorded.stdout.split(separator: "\n").map(String.init)
        #expect(tableLines.contains("1  老旧小区改造    120    chosen"))
        #expect(tableLines.contains("3  城区停车场建设  80     tied"))

        let shown = try json(daemon.ctl("vote", "show", "V2024-001", "--json").stdout)
        let vote = shown["vote"] as? [String: Any]
        #expect(vote?["kind"] as? String == "livelihood")
        #expect(vote?["chosen"] as? [String] == ["老旧小区改造"])
        #expect(vote?["tied"] as? [String] == ["农村供水提升", "城区停车场建设"])
        #expect(vote?["places"] as? Int == 2)
        #expect(vote?["voters"] as? Int == 140)
        #expect(vote?["rule"] as? String == "more-than-1/2-of-voting")
        #expect(vote?["adopted"] == nil)
        let candidates = shown["candidates"] as? [[String: Any]] ?? []
        #expect(candidates.map { $0["name"] as? String ?? "" } == ["老旧小区改造", "农村供水提升", "城区停车场建设", "学校食堂改造"])
        #expect(candidates.map { $0["chosen"] as? Bool ?? false } == [true, false, false, false])
        #expect(candidates.map { $0["tied"] as? Bool ?? false } == [false, true, true, false])

        let again = try daemon.ctl(arguments + ["--command-id", "once"])
        #expect(again.status == 0, "a vote is recorded under the next id, \(again.stderr)")
        let repeated = try daemon.ctl(arguments + ["--command-id", "once", "--json"])
        let repeatedVote = try json(repeated.stdout)["vote"] as? [String: Any]
        #expect(repeatedVote?["id"] as? String == "V2024-002", "the same command id returns the first result")
        #expect(try eventTypes(daemon) == ["VoteDifferentialRecorded", "VoteDifferentialRecorded"])
        #expect(daemon.stop() == 0)
    }

    @Test func `a station is registered, its reception days recorded and added up on the list`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let register = try daemon.ctl(
            "station", "register", "--name", "垭口街道人大代表联络站", "--place", "舞钢市", "--date", "2024-01-10",
            "--note", "垭口街道办事处二楼"
        )
        #expect(register.status == 0, "\(register.stderr)")
        let id = register.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id == "L2024-001")
        let second = try daemon.ctl(
            "station", "register", "--name", "叶县昆阳街道联络站", "--place", "叶县", "--date", "2024-02-01")
        #expect(second.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "L2024-002")

        let first = try daemon.ctl(
            "station", "reception", id, "--date", "2024-03-15", "--people", "12", "--deputy", "李华", "--deputy", "王芳",
            "--note", "反映养老服务问题3件"
        )
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("1 receptions, 12 people received, open"))
        let later = try daemon.ctl("station", "reception", id, "--date", "2024-04-15", "--people", "30")
        #expect(later.status == 0, "\(later.stderr)")

        let shown = try json(daemon.ctl("station", "show", id, "--json").stdout)
        let station = shown["station"] as? [String: Any]
        #expect(station?["receptions"] as? Int == 2)
        #expect(station?["peopleReceived"] as? Int == 42)
        #expect(station?["lastReception"] as? String == "2024-04-15")
        #expect(station?["state"] as? String == "open")
        let receptions = shown["receptions"] as? [[String: Any]] ?? []
        #expect(receptions.map { $0["date"] as? String ?? "" } == ["2024-03-15", "2024-04-15"])
        #expect(receptions.first?["deputies"] as? [String] == ["李华", "王芳"])

        let list = try daemon.ctl("station", "list")
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("L2024-001  垭口街道人大代表联络站  舞钢市  2024-01-10  2           42") })
        #expect(lines.contains { $0.hasPrefix("L2024-002  叶县昆阳街道联络站      叶县    2024-02-01  0           0") })
        #expect(lines.last == "2 stations, 2 receptions, 42 people received")
        let atPlace = try json(daemon.ctl("station", "list", "--place", "叶县", "--json").stdout)
        #expect(atPlace["total"] as? Int == 1)

        let closed = try daemon.ctl("station", "close", "L2024-002", "--date", "2024-11-30")
        #expect(closed.status == 0, "\(closed.stderr)")
        let types = try eventTypes(daemon)
        #expect(types.filter { $0 == "StationRegistered" }.count == 2)
        #expect(types.filter { $0 == "StationReceptionRecorded" }.count == 2)
        #expect(types.last == "StationClosed")
        #expect(daemon.stop() == 0)
    }

    @Test func `refused votes and station commands write nothing and say what is wrong`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let register = try daemon.ctl("station", "register", "--name", "联络站", "--place", "舞钢市", "--date", "2024-01-10")
        #expect(register.status == 0, "\(register.stderr)")
        let before = try head(daemon)

        let overEntitled = try daemon.ctl(
            "vote", "record", "--title", "决议", "--date", "2024-06-27", "--entitled", "62", "--for", "60",
            "--against", "3", "--abstain", "0"
        )
        #expect(overEntitled.status == 1)
        #expect(overEntitled.stderr.contains("For + against + abstain is 63, more than the 62 entitled"))
        let wrongResult = try daemon.ctl(
            "vote", "record", "--title", "决议", "--date", "2024-06-27", "--entitled", "62", "--for", "31",
            "--against", "0", "--abstain", "0", "--declared", "adopted", "--json"
        )
        #expect(wrongResult.status == 1)
        #expect(wrongResult.stderr.contains("declared adopted but the tally gives not adopted"))
        let duplicate = try daemon.ctl(
            "vote", "differential", "--title", "票决", "--date", "2024-12-20", "--entitled", "150", "--voters", "140",
            "--places", "1", "--candidate", "甲=100", "--candidate", "甲=30"
        )
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.contains("\"甲\" is listed twice"))
        let noPlaces = try daemon.ctl(
            "vote", "differential", "--title", "票决", "--date", "2024-12-20", "--entitled", "150", "--voters", "140",
            "--places", "2", "--candidate", "甲=100", "--candidate", "乙=30"
        )
        #expect(noPlaces.stderr.contains("more candidates than places"))
        let badRule = try daemon.ctl(
            "vote", "record", "--title", "决议", "--date", "2024-06-27", "--entitled", "62", "--for", "40",
            "--against", "0", "--abstain", "0", "--rule", "most-of-present"
        )
        #expect(badRule.status == 1)
        #expect(badRule.stderr.contains("invalid rule"))
        let badCandidate = try daemon.ctl(
            "vote", "differential", "--title", "票决", "--entitled", "150", "--voters", "140", "--places", "1",
            "--candidate", "甲", "--candidate", "乙=3"
        )
        #expect(badCandidate.status == 64, "a malformed --candidate is a usage error")
        let future = try daemon.ctl(
            "vote", "record", "--title", "决议", "--date", "2999-01-01", "--entitled", "62", "--for", "40",
            "--against", "0", "--abstain", "0"
        )
        #expect(future.status == 1)

        let unknown = try daemon.ctl("station", "reception", "L2024-099", "--date", "2024-03-01", "--people", "3")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no station has the id L2024-099"))
        let early = try daemon.ctl("station", "reception", "L2024-001", "--date", "2024-01-09", "--people", "3")
        #expect(early.stderr.contains("before the station was registered (2024-01-10)"))
        let negative = try daemon.ctl("station", "reception", "L2024-001", "--date", "2024-03-01", "--people=-1")
        #expect(negative.stderr.contains("people received (-1)"))
        let emptyName = try daemon.ctl("station", "register", "--name", " ", "--place", "舞钢市", "--date", "2024-01-10")
        #expect(emptyName.stderr.contains("The name is empty"))
        let noVote = try daemon.ctl("vote", "show", "V2024-001")
        #expect(noVote.stderr.contains("no vote has the id V2024-001"))

        #expect(try head(daemon) == before, "no refused command wrote anything")
        #expect(try json(daemon.ctl("vote", "list", "--json").stdout)["total"] as? Int == 0)
        #expect(daemon.stop() == 0)
    }
}
