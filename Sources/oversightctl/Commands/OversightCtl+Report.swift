import ArgumentParser
import Foundation
import Varlink

extension OversightCtl {
    /// `oversightctl report year|department|topic`: printable reports rendered from the daemon's typed figures.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the year's, a department's or a topic's report as HTML, Markdown or CSV.",
            discussion: """
                The daemon computes every figure from the read models at one log position; the report prints that \
                position and the log's head hash, so it can be reproduced and checked against the audit log \
                (oversightctl verify). The CLI draws the charts and writes the file: no network, no JavaScript.
                """,
            subcommands: [Year.self, Department.self, Topic.self]
        )
    }
}

/// The output format of a report.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case html
    case md
    case csv
}

/// The options every report takes: format, language, the overdue day and where to write.
struct ReportOptions: ParsableArguments {
    @Option(help: "html (one printable A4 page with charts), md (Markdown) or csv (boards, UTF-8 with BOM).")
    var format: ReportFormat = .html

    @Option(name: .customLong("lang"), help: "The report's language: zh (default) or en.")
    var language: ReportLanguage = .zh

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("The day overdue items are counted on (default: today).", valueName: "day"))
    var asOf: String?

    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: ArgumentHelp(
            "Write to this file instead of stdout; for the year's CSV, an existing directory gets every board.",
            valueName: "path"))
    var output: String?

    /// Whether `output` names an existing directory.
    var outputIsDirectory: Bool {
        var isDirectory: ObjCBool = false
        guard let output else { return false }
        return FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The `asOf` parameter, if given.
    func addAsOf(to parameters: inout [String: JSONValue]) {
        if let asOf { parameters["asOf"] = .string(asOf) }
    }

    /// Writes `text` to the output file (or stdout); on failure prints why and exits 1.
    func write(_ text: String, to path: String? = nil) throws {
        guard let path = path ?? output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            CLIOutput.error("cannot write \(path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        CLIOutput.line("wrote \(path)")
    }

    /// Decodes the `report` of a reply into the renderer's typed data.
    static func decode<T: Decodable>(_ reply: [String: JSONValue], as type: T.Type) throws -> T {
        do {
            return try (reply["report"] ?? .null).decode(type)
        } catch {
            CLIOutput.error(
                "the daemon's report could not be read (\(error)); is oversightctl the same version as oversightd?")
            throw ExitCode(1)
        }
    }
}

extension OversightCtl.Report {
    /// `report year Y`: the year in figures.
    struct Year: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The year in figures: headline, charts, scorecard (html, md) or the boards (csv).",
            discussion: """
                HTML: one self-contained page for A4 printing, with the department satisfaction ranking, items by \
                state per department, items by aspect, suggestions by category and rating, and the activity by month.
                CSV: one board per file (--board items|scorecard|suggestions, default items); with -o naming an \
                existing directory, every board is written there as report-Y-<board>.csv. The log position and head \
                hash are printed beside the file (on stderr when the board goes to stdout), since a board has no room for them.
                Examples:
                  oversightctl report year 2024 --as-of 2024-12-31 -o report-2024.html
                  oversightctl report year 2024 --format md --lang en
                  oversightctl report year 2024 --format csv -o boards/
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var report: ReportOptions
        @Argument(help: "The year to report on.") var year: Int
        @Option(help: "The board to write as CSV: items, scorecard or suggestions (default items).")
        var board: String?

        func validate() throws {
            if let board {
                guard report.format == .csv else { throw ValidationError("--board goes with --format csv") }
                guard CSVBoard(rawValue: board) != nil else {
                    throw ValidationError("--board must be items, scorecard or suggestions, not '\(board)'")
                }
            }
            if report.outputIsDirectory && report.format != .csv {
                throw ValidationError(
                    "\(report.output ?? "") is a directory; name a file for --format \(report.format)")
            }
        }

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            var parameters: [String: JSONValue] = ["year": .int(Int64(year))]
            report.addAsOf(to: &parameters)
            let reply = try await connection.call("org.oversight.reports.Year", parameters)
            await connection.close()
            if options.json { return CLIOutput.json(.object(reply)) }
            let data = try ReportOptions.decode(reply, as: ReportData.Year.self)
            let labels = ReportLabels(language: report.language)
            switch report.format {
            case .html: try report.write(HTMLReport.render(ReportDocument.year(data, labels), labels))
            case .md: try report.write(MarkdownReport.render(ReportDocument.year(data, labels), labels))
            case .csv:
                let stamp = labels.stamp(position: data.position, headHash: data.headHash, asOf: data.asOf)
                if report.outputIsDirectory, let directory = report.output {
                    for board in CSVBoard.allCases {
                        let path = URL(fileURLWithPath: directory).appendingPathComponent(
                            "report-\(data.year)-\(board.rawValue).csv"
                        ).path
                        try report.write(board.render(data, labels), to: path)
                    }
                    CLIOutput.line(stamp)
                } else {
                    let board = board.flatMap(CSVBoard.init(rawValue:)) ?? .items
                    try report.write(board.render(data, labels))
                    if report.output == nil {
                        FileHandle.standardError.write(Data((stamp + "\n").utf8))
                    } else {
                        CLIOutput.line(stamp)
                    }
                }
            }
        }
    }

    /// `report department CODE --year Y`.
    struct Department: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One department's year: its items, deadlines kept, evaluations over time (csv: its items).",
            discussion: """
                Example: oversightctl report department mzj --year 2024 --as-of 2024-12-31 -o mzj-2024.html
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var report: ReportOptions
        @Argument(help: "The department's code.") var code: String
        @Option(help: "The year to report on.") var year: Int

        func validate() throws {
            if report.outputIsDirectory {
                throw ValidationError("\(report.output ?? "") is a directory; name a file")
            }
        }

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            var parameters: [String: JSONValue] = ["code": .string(code), "year": .int(Int64(year))]
            report.addAsOf(to: &parameters)
            let reply = try await connection.call("org.oversight.reports.Department", parameters)
            await connection.close()
            if options.json { return CLIOutput.json(.object(reply)) }
            let data = try ReportOptions.decode(reply, as: ReportData.Department.self)
            let labels = ReportLabels(language: report.language)
            switch report.format {
            case .html: try report.write(HTMLReport.render(ReportDocument.department(data, labels), labels))
            case .md: try report.write(MarkdownReport.render(ReportDocument.department(data, labels), labels))
            case .csv: try report.write(CSVBoard.items(data.items, labels))
            }
        }
    }

    /// `report topic ID`.
    struct Topic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One topic: its timeline, inquiries, items and evaluations (csv: its items).",
            discussion: """
                Items count when they were raised by the topic or by one of its special inquiries.
                Example: oversightctl report topic T2024-002 --as-of 2024-12-31 --format md
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var report: ReportOptions
        @Argument(help: "The topic's id (T2024-002).") var id: String

        func validate() throws {
            if report.outputIsDirectory {
                throw ValidationError("\(report.output ?? "") is a directory; name a file")
            }
        }

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            var parameters: [String: JSONValue] = ["id": .string(id)]
            report.addAsOf(to: &parameters)
            let reply = try await connection.call("org.oversight.reports.Topic", parameters)
            await connection.close()
            if options.json { return CLIOutput.json(.object(reply)) }
            let data = try ReportOptions.decode(reply, as: ReportData.Topic.self)
            let labels = ReportLabels(language: report.language)
            switch report.format {
            case .html: try report.write(HTMLReport.render(ReportDocument.topic(data, labels), labels))
            case .md: try report.write(MarkdownReport.render(ReportDocument.topic(data, labels), labels))
            case .csv: try report.write(CSVBoard.items(data.items, labels))
            }
        }
    }
}
