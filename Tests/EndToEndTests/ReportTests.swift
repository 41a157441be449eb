import Foundation
import Testing

/// `oversightctl report`: the demo year's reports against golden files, the CSV boards read back by python's csv
/// module, the HTML pages read by an XML parser, and one page rendered to PNG by headless Chromium.
///
/// Set `OVERSIGHT_UPDATE_GOLDEN=1` to rewrite the golden files (and docs/report-2024.png) from this run.
@Suite(.serialized)
struct ReportTests {
    static let goldenDirectory = TestTools.packageRoot.appendingPathComponent("Tests/EndToEndTests/Golden")
    static var updateGoldens: Bool { ProcessInfo.processInfo.environment["OVERSIGHT_UPDATE_GOLDEN"] == "1" }

    @Test func `the demo year's reports match the goldens, read back as CSV and XML, and render in Chromium`() throws {
        let scratch = try Scratch()
        let daemon = try DemoYearTests.startDemoDaemon(scratch)
        let load = try DemoYearTests.loadDemo(daemon)
        try #require(load.status == 0, "demo-data failed: \(load.stderr)")
        let directory = scratch.url

        let board = try json(try daemon.ctl("topic", "list", "--year", "2024", "--json").stdout)
        let topics = try #require(board["topics"] as? [[String: Any]])
        let elderlyCare = try #require(
            topics.first { ($0["title"] as? String)?.contains("养老服务条例") == true }?["id"] as? String)

        func render(_ file: String, _ arguments: String...) throws -> String {
            let path = directory.appendingPathComponent(file).path
            let result = try daemon.ctl(arguments + ["--as-of", "2024-12-31", "-o", path])
            try #require(result.status == 0, "\(arguments): \(result.stderr)")
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let outputs: [(file: String, text: String)] = [
            ("report-2024.zh.md", try render("report-2024.zh.md", "report", "year", "2024", "--format", "md")),
            (
                "report-2024.en.md",
                try render("report-2024.en.md", "report", "year", "2024", "--format", "md", "--lang", "en")
            ),
            ("report-2024.zh.html", try render("report-2024.zh.html", "report", "year", "2024")),
            ("report-2024.en.html", try render("report-2024.en.html", "report", "year", "2024", "--lang", "en")),
            (
                "department-mzj-2024.zh.md",
                try render(
                    "department-mzj-2024.zh.md", "report", "department", "mzj", "--year", "2024", "--format", "md")
            ),
            (
                "department-mzj-2024.zh.html",
                try render("department-mzj-2024.zh.html", "report", "department", "mzj", "--year", "2024")
            ),
            (
                "topic-elderly-care.en.md",
                try render("topic-elderly-care.en.md", "report", "topic", elderlyCare, "--format", "md", "--lang", "en")
            ),
            ("topic-elderly-care.zh.html", try render("topic-elderly-care.zh.html", "report", "topic", elderlyCare)),
        ]

        // Every report states the log position and head hash it was read at: the log's head, as status reports it.
        let status = try json(try daemon.ctl("status", "--json").stdout)
        let headHash = try #require(status["headHash"] as? String)
        let headPosition = try #require(status["headPosition"] as? Int)
        for output in outputs {
            #expect(output.text.contains(headHash), "\(output.file) does not print the head hash")
            #expect(output.text.contains("\(headPosition)"), "\(output.file) does not print the log position")
        }

        // The seed's figures appear.
        let zh = outputs[0].text
        let en = outputs[1].text
        for figure in ["涉及7个部门的14个问题清单", "代表建议185件，交办185件", "58票赞成、0票反对、0票弃权，获得通过", "对9个部门开展满意度测评"] {
            #expect(zh.contains(figure), "the Chinese report lacks \(figure)")
        }
        for figure in [
            "14 problems across 7 departments", "assigned 185 of 185 deputies' suggestions",
            "58 for, 0 against, 0 abstaining; adopted", "evaluated 9 departments",
        ] {
            #expect(en.contains(figure), "the English report lacks \(figure)")
        }

        // Golden files, with the log position and head hash masked (recorded_at differs per run).
        for output in outputs where output.file.hasSuffix(".md") || output.file == "report-2024.zh.html" {
            try Self.compareWithGolden(output.file, Self.masked(output.text))
        }

        // CSV: every board, read back by python's csv module.
        let boards = directory.appendingPathComponent("boards")
        try FileManager.default.createDirectory(at: boards, withIntermediateDirectories: true)
        let csv = try daemon.ctl(
            "report", "year", "2024", "--format", "csv", "--as-of", "2024-12-31", "-o", boards.path)
        try #require(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains(headHash))
        let parsed = try Self.readCSV([
            boards.appendingPathComponent("report-2024-items.csv").path,
            boards.appendingPathComponent("report-2024-scorecard.csv").path,
            boards.appendingPathComponent("report-2024-suggestions.csv").path,
        ])
        let summary = try json(try daemon.ctl("summary", "--year", "2024", "--as-of", "2024-12-31", "--json").stdout)
        let items = try #require((summary["summary"] as? [String: Any])?["items"] as? [String: Any])
        let itemRows = try #require(parsed[0]["rows"] as? [[String]])
        #expect(itemRows.count == 1 + (items["total"] as? Int ?? -1))
        #expect(itemRows.first?.first == "编号")
        #expect(itemRows.contains { $0.contains("农村敬老院、幸福院闲置，运营主体缺失【示例】") })
        let scorecardRows = try #require(parsed[1]["rows"] as? [[String]])
        #expect(scorecardRows.count == 1 + 13)
        let suggestionRows = try #require(parsed[2]["rows"] as? [[String]])
        #expect(suggestionRows.count == 1 + 185)
        for file in parsed {
            #expect(file["bom"] as? Bool == true, "\(file["path"] ?? "")")
            #expect(file["crlf"] as? Bool == true, "\(file["path"] ?? "")")
            #expect(file["rectangular"] as? Bool == true, "\(file["path"] ?? "")")
        }

        // HTML: well-formed XML, inline SVG charts, no script, nothing fetched from the network.
        for output in outputs where output.file.hasSuffix(".html") {
            let path = directory.appendingPathComponent(output.file).path
            let checked = try Self.checkXHTML(path)
            #expect(checked["scripts"] as? Int == 0, "\(output.file)")
            #expect(checked["external"] as? [String] == [], "\(output.file)")
            #expect((checked["svgs"] as? Int ?? 0) >= 1, "\(output.file)")
        }
        let year = try Self.checkXHTML(directory.appendingPathComponent("report-2024.zh.html").path)
        #expect(year["svgs"] as? Int == 5)
        #expect(year["lang"] as? String == "zh-CN")

        // One render with headless Chromium; the PNG must not be blank.
        try Self.renderWithChromium(directory.appendingPathComponent("report-2024.zh.html"), in: directory)

        #expect(daemon.stop() == 0)
    }

    @Test func `hostile text survives CSV and HTML, and bad report requests are refused in words`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try #require(try daemon.ctl("department", "add", "mzj", "市民政局").status == 0)
        let hostile = "a \"quoted\", <b>bold</b> & 'single'\nsecond line"
        let formula = "=SUM(A1:A9)"
        let plan = try daemon.ctl(
            "topic", "plan", "--year", "2024", "--kind", "research", "--title", "</title><script>x</script>&amp;",
            "--department", "mzj", "--json")
        try #require(plan.status == 0, "\(plan.stderr)")
        let topic = try #require((try json(plan.stdout)["topic"] as? [String: Any])?["id"] as? String)
        for (index, text) in [hostile, formula].enumerated() {
            let added = try daemon.ctl(
                "item", "add", "--parent", topic, "--kind", "problem", "--aspect", "a,b", "--lead", "mzj", "--due",
                "2024-03-01", "--date", "2024-01-10", "--text", text, "--command-id", "hostile-\(index)")
            try #require(added.status == 0, "\(added.stderr)")
        }

        let csvPath = scratch.url.appendingPathComponent("items.csv").path
        let csv = try daemon.ctl("report", "topic", topic, "--format", "csv", "--as-of", "2024-06-30", "-o", csvPath)
        try #require(csv.status == 0, "\(csv.stderr)")
        let parsed = try Self.readCSV([csvPath])
        let rows = try #require(parsed.first?["rows"] as? [[String]])
        #expect(rows.count == 3)
        #expect(rows.dropFirst().map { $0[5] } == [hostile, "'" + formula])
        #expect(rows.dropFirst().map { $0[4] } == ["a,b", "a,b"])
        #expect(parsed.first?["crlf"] as? Bool == true)

        let htmlPath = scratch.url.appendingPathComponent("topic.html").path
        let html = try daemon.ctl("report", "topic", topic, "--as-of", "2024-06-30", "-o", htmlPath)
        try #require(html.status == 0, "\(html.stderr)")
        let checked = try Self.checkXHTML(htmlPath)
        #expect(checked["scripts"] as? Int == 0)
        #expect(checked["title"] as? String == "\(topic) </title><script>x</script>&amp;")
        #expect((checked["text"] as? String)?.contains("a \"quoted\", <b>bold</b> & 'single'") == true)

        // Refusals: unknown department or topic, an impossible year, a bad day, --board without csv.
        let department = try daemon.ctl("report", "department", "xyz", "--year", "2024")
        #expect(department.status == 1)
        #expect(department.stderr.contains("no department has the id xyz"))
        let missing = try daemon.ctl("report", "topic", "T2024-099")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no topic has the id T2024-099"))
        let badYear = try daemon.ctl("report", "year", "1999")
        #expect(badYear.status == 1)
        #expect(badYear.stderr.contains("year must be between 2000 and 2100, not 1999"))
        let badDay = try daemon.ctl("report", "year", "2024", "--as-of", "2024-02-30")
        #expect(badDay.status == 1)
        #expect(badDay.stderr.contains("asOf"))
        let badBoard = try daemon.ctl("report", "year", "2024", "--board", "items")
        #expect(badBoard.status == 64)
        #expect(badBoard.stderr.contains("--board goes with --format csv"))
        let notThere = try daemon.ctl("report", "year", "2024", "-o", "/nonexistent-dir/x.html")
        #expect(notThere.status == 1)
        #expect(notThere.stderr.contains("cannot write /nonexistent-dir/x.html"))
        #expect(daemon.stop() == 0)
    }

    // MARK: - Helpers

    /// The text with the log position and head hash masked.
    static func masked(_ text: String) -> String {
        var text = text
        for pattern in ["[0-9a-f]{64}", "(?<=日志位置 )[0-9]+", "(?<=log position )[0-9]+"] {
            text = text.replacingOccurrences(of: pattern, with: "<masked>", options: .regularExpression)
        }
        return text
    }

    /// Compares `text` with the golden file `name` (or writes it when updating goldens).
    static func compareWithGolden(_ name: String, _ text: String) throws {
        let url = goldenDirectory.appendingPathComponent(name)
        if updateGoldens || !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(at: goldenDirectory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            if !updateGoldens { Issue.record("golden file \(name) was missing and has been written; check it in") }
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        if golden != text {
            let goldenLines = golden.components(separatedBy: "\n")
            let lines = text.components(separatedBy: "\n")
            let first = zip(goldenLines, lines).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record(
                """
                \(name) differs from its golden file (OVERSIGHT_UPDATE_GOLDEN=1 rewrites it); first difference at line \
                \((first?.offset ?? min(goldenLines.count, lines.count)) + 1):
                golden: \(first?.element.0 ?? "<end>")
                actual: \(first?.element.1 ?? "<end>")
                """)
        }
    }

    /// A python 3: the project's venv if present, else the system's.
    static var python: (URL, [String]) {
        if let venv = TestTools.python { return (venv, []) }
        return (URL(fileURLWithPath: "/usr/bin/env"), ["python3"])
    }

    /// Runs a python script with arguments; returns its stdout parsed as JSON.
    static func runPython(_ script: String, _ arguments: [String]) throws -> Any {
        let (executable, prefix) = python
        let result = try run(executable, prefix + ["-c", script] + arguments, timeout: 60)
        try #require(result.status == 0, "python failed: \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    /// Reads CSV files with python's csv module: rows, whether the file starts with a BOM, ends its records with
    /// CRLF, and has rows all as wide as the header.
    static func readCSV(_ paths: [String]) throws -> [[String: Any]] {
        let script = """
            import csv, io, json, sys
            out = []
            for path in sys.argv[1:]:
                raw = open(path, 'rb').read()
                text = raw.decode('utf-8-sig')
                rows = list(csv.reader(io.StringIO(text, newline=''), strict=True))
                crlf = raw.endswith(b'\\r\\n') and raw.count(b'\\r\\n') >= len(rows)
                out.append({'path': path, 'bom': raw.startswith(b'\\xef\\xbb\\xbf'), 'crlf': crlf,
                            'rectangular': len({len(r) for r in rows}) == 1, 'rows': rows})
            print(json.dumps(out, ensure_ascii=False))
            """
        return try #require(try runPython(script, paths) as? [[String: Any]])
    }

    /// Parses an XHTML file with python's XML parser: svg and script counts, external references, the title.
    static func checkXHTML(_ path: String) throws -> [String: Any] {
        let script = """
            import json, sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            ns = {'h': 'http://www.w3.org/1999/xhtml', 's': 'http://www.w3.org/2000/svg'}
            external = []
            for element in root.iter():
                for name, value in element.attrib.items():
                    if name in ('src', 'href') or name.endswith('}href'):
                        external.append(value)
            print(json.dumps({
                'svgs': len(root.findall('.//s:svg', ns)),
                'scripts': len(root.findall('.//h:script', ns)) + len(root.findall('.//s:script', ns)),
                'external': external,
                'lang': root.get('lang'),
                'title': root.find('h:head/h:title', ns).text,
                'text': ''.join(root.itertext()),
            }, ensure_ascii=False))
            """
        return try #require(try runPython(script, [path]) as? [String: Any])
    }

    /// Renders the page to PNG with headless Chromium and checks the picture is not blank; skips with a printed
    /// reason when Chromium is not installed (Scripts/setup-test-deps installs it).
    static func renderWithChromium(_ page: URL, in directory: URL) throws {
        guard
            let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            print("skipped: the Chromium render check (chromium is not installed; run Scripts/setup-test-deps)")
            return
        }
        let png = directory.appendingPathComponent("report-2024.png")
        let result = try run(
            URL(fileURLWithPath: chromium),
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--user-data-dir=\(directory.appendingPathComponent("chromium").path)",
                "--screenshot=\(png.path)", "--window-size=1240,1754", page.absoluteString,
            ], timeout: 180)
        try #require(
            FileManager.default.fileExists(atPath: png.path),
            "chromium wrote no PNG (\(result.status)): \(result.stderr)")
        let script = """
            import json, struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG'
            pos, idat, width, height, depth, ctype = 8, b'', 0, 0, 0, 0
            while pos < len(data):
                length, kind = struct.unpack('>I4s', data[pos:pos + 8])
                chunk = data[pos + 8:pos + 8 + length]
                if kind == b'IHDR':
                    width, height, depth, ctype = struct.unpack('>IIBB', chunk[:10])
                elif kind == b'IDAT':
                    idat += chunk
                pos += 12 + length
            assert depth == 8 and ctype in (2, 6), (depth, ctype)
            bpp = 3 if ctype == 2 else 4
            raw = zlib.decompress(idat)
            stride = width * bpp
            previous = bytearray(stride)
            colours, dark, pixels = set(), 0, 0
            for y in range(height):
                f = raw[y * (stride + 1)]
                line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
                for x in range(stride):
                    a = line[x - bpp] if x >= bpp else 0
                    b = previous[x]
                    c = previous[x - bpp] if x >= bpp else 0
                    if f == 1: line[x] = (line[x] + a) & 255
                    elif f == 2: line[x] = (line[x] + b) & 255
                    elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
                    elif f == 4:
                        p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                if y % 4 == 0:
                    for x in range(0, stride, bpp * 4):
                        pixel = bytes(line[x:x + 3])
                        colours.add(pixel)
                        pixels += 1
                        if sum(pixel) < 600: dark += 1
                previous = line
            print(json.dumps({'width': width, 'height': height, 'colours': len(colours), 'inked': dark / max(pixels, 1)}))
            """
        let picture = try #require(try runPython(script, [png.path]) as? [String: Any])
        #expect(picture["width"] as? Int == 1240)
        #expect(picture["height"] as? Int == 1754)
        #expect((picture["colours"] as? Int ?? 0) > 20, "the rendered page has too few colours: \(picture)")
        #expect((picture["inked"] as? Double ?? 0) > 0.02, "the rendered page is nearly blank: \(picture)")
        if updateGoldens {
            let docs = TestTools.packageRoot.appendingPathComponent("docs/report-2024.png")
            try? FileManager.default.removeItem(at: docs)
            try FileManager.default.copyItem(at: png, to: docs)
        }
    }
}
