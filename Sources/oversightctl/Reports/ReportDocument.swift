/// A table of a report: a caption, column headers and rows of text; `numeric` columns are right-aligned.
struct ReportTable: Equatable {
    var caption: String
    var headers: [String]
    var rows: [[String]]
    var numeric: Set<Int> = []
}

/// A chart of a report: the SVG drawn for the HTML page, and the same figures as a table for Markdown.
struct ReportChart: Equatable {
    var caption: String
    var svg: String
    var table: ReportTable
    /// Spans the page's width instead of one column.
    var wide = false
}

/// What a report says, independent of the output format: title, stamp, headline, big figures, charts, tables.
///
/// `HTMLReport` and `MarkdownReport` render the same document, so both carry the same figures.
struct ReportDocument {
    var title: String
    var subtitle: String
    /// Log position, head hash and the overdue day: printed on every report.
    var stamp: String
    /// Headline sentences, in the seed's style.
    var headline: [String]
    /// Big figures: (label, value).
    var figures: [(String, String)]
    var charts: [ReportChart]
    var tables: [ReportTable]
}

/// The colours of the charts.
enum ReportColors {
    static let accepted = "#548235"
    static let answered = "#2e75b6"
    static let assigned = "#f4b183"
    static let reopened = "#c00000"
    static let open = "#a5a5a5"
    static let satisfied = "#548235"
    static let basically = "#a9d18e"
    static let dissatisfied = "#c00000"
    static let unrated = "#bfbfbf"
}

extension ReportDocument {
    /// The year's report.
    static func year(_ report: ReportData.Year, _ l: ReportLabels) -> ReportDocument {
        let s = report.summary
        let year = report.year
        var headline: [String] = []
        headline.append(
            l.t(
                "\(year)年，常委会共开展监督议题\(s.topics.total)项、专题询问\(s.inquiries.total)次，跟踪问题和意见建议"
                    + "\(s.items.total)项（涉及\(s.items.aspects)个方面），已验收办结"
                    + "\(ReportNumber.percent(s.items.resolvedShare))；对\(s.evaluations.departmentsEvaluated)个部门"
                    + "开展满意度测评；代表建议\(s.suggestions.total)件，交办\(s.suggestions.assigned)件。",
                "In \(year) the standing committee ran \(s.topics.total) supervision topics and \(s.inquiries.total) "
                    + "special inquiries, tracked \(s.items.total) items in \(s.items.aspects) aspects "
                    + "(\(ReportNumber.percent(s.items.resolvedShare)) resolved), evaluated "
                    + "\(s.evaluations.departmentsEvaluated) departments, and assigned \(s.suggestions.assigned) of "
                    + "\(s.suggestions.total) deputies' suggestions."))
        for inquiry in s.inquiries.list {
            headline.append(
                l.t(
                    "\(inquiry.date) 专题询问“\(inquiry.subject)”：\(inquiry.rounds)轮询问，梳理出涉及"
                        + "\(inquiry.departments)个部门的\(inquiry.problems)个问题清单"
                        + (inquiry.meanRoundRate.map { "，现场测评平均满意率\(ReportNumber.percent($0))" } ?? "")
                        + "。",
                    "\(inquiry.date) special inquiry \"\(inquiry.subject)\": \(inquiry.rounds) rounds, "
                        + "\(inquiry.problems) problems across \(inquiry.departments) departments"
                        + (inquiry.meanRoundRate.map { ", mean round rate \(ReportNumber.percent($0))" } ?? "") + "."))
        }
        for kind in s.items.byKind {
            headline.append(
                l.t(
                    "\(l.itemKind(kind.kind))：\(kind.aspects)个方面\(kind.count)项。",
                    "\(l.itemKind(kind.kind))s: \(kind.count) in \(kind.aspects) aspects."))
        }
        for vote in s.votes.resolutions {
            headline.append(
                l.t(
                    "\(vote.title)：\(vote.votesFor)票赞成、\(vote.votesAgainst)票反对、\(vote.abstentions)票弃权，"
                        + (vote.adopted ? "获得通过。" : "未获通过。"),
                    "\(vote.title): \(vote.votesFor) for, \(vote.votesAgainst) against, \(vote.abstentions) "
                        + "abstaining; \(vote.adopted ? "adopted" : "not adopted")."))
        }
        let figures: [(String, String)] = [
            (l.t("监督议题", "Supervision topics"), "\(s.topics.total)"),
            (l.t("专题询问", "Special inquiries"), "\(s.inquiries.total)"),
            (l.t("跟踪事项", "Tracked items"), "\(s.items.total)"),
            (l.t("涉及方面", "Aspects"), "\(s.items.aspects)"),
            (l.t("验收办结", "Resolved"), ReportNumber.percent(s.items.resolvedShare)),
            (l.t("按期答复", "Answered on time"), ReportNumber.percent(s.items.onTimeShare)),
            (l.t("测评部门", "Departments evaluated"), "\(s.evaluations.departmentsEvaluated)"),
            (l.t("代表建议", "Suggestions"), "\(s.suggestions.total)"),
        ]
        var charts: [ReportChart] = []

        // 1. Department satisfaction ranking.
        let ranking = s.evaluations.departments
        charts.append(
            ReportChart(
                caption: l.t("部门满意度测评排名", "Department satisfaction ranking"),
                svg: SVGChart.bars(
                    title: l.t("部门满意度测评排名", "Department satisfaction ranking"),
                    ranking.map {
                        SVGChart.Bar(
                            label: $0.name, value: ($0.rate ?? 0) * 100,
                            text: ReportNumber.percent($0.rate) + " " + l.rating($0.verdict))
                    }, maximum: 100),
                table: ReportTable(
                    caption: l.t("部门满意度测评排名", "Department satisfaction ranking"),
                    headers: [
                        l.t("名次", "Rank"), l.t("部门", "Department"), l.t("满意率", "Rate"),
                        l.t("结果", "Verdict"), l.t("测评日期", "Date"),
                    ],
                    rows: zip(sharedRanks(ranking.map(\.rate)), ranking).map { rank, line in
                        ["\(rank)", line.name, ReportNumber.percent(line.rate), l.rating(line.verdict), line.date]
                    }, numeric: [0, 2])))

        // 2. Items by state per lead department.
        let stateSeries = [
            SVGChart.Series(name: l.itemState("accepted"), color: ReportColors.accepted),
            SVGChart.Series(name: l.itemState("answered"), color: ReportColors.answered),
            SVGChart.Series(name: l.itemState("assigned"), color: ReportColors.assigned),
            SVGChart.Series(name: l.itemState("reopened"), color: ReportColors.reopened),
            SVGChart.Series(name: l.itemState("open"), color: ReportColors.open),
        ]
        let overdueNote = { (count: Int) in count == 0 ? "" : l.t("逾期\(count)", "\(count) overdue") }
        charts.append(
            ReportChart(
                caption: l.t("各部门牵头事项办理情况", "Items by state per lead department"),
                svg: SVGChart.stacked(
                    title: l.t("各部门牵头事项办理情况", "Items by state per lead department"), series: stateSeries,
                    report.departmentItems.map {
                        SVGChart.Stack(
                            label: $0.name, values: [$0.accepted, $0.answered, $0.assigned, $0.reopened, $0.open],
                            note: overdueNote($0.overdue))
                    }),
                table: ReportTable(
                    caption: l.t("各部门牵头事项办理情况", "Items by state per lead department"),
                    headers: [l.t("部门", "Department"), l.t("合计", "Total")] + stateSeries.map(\.name)
                        + [l.t("逾期", "Overdue")],
                    rows: report.departmentItems.map {
                        [
                            $0.name, "\($0.total)", "\($0.accepted)", "\($0.answered)", "\($0.assigned)",
                            "\($0.reopened)", "\($0.open)", "\($0.overdue)",
                        ]
                    }, numeric: Set(1...7))))

        // 3. Items by aspect (the twelve largest in the chart; all in the table).
        let shown = Array(report.aspects.prefix(12))
        let aspectCaption =
            report.aspects.count > shown.count
            ? l.t(
                "跟踪事项按方面统计（前\(shown.count)个，共\(report.aspects.count)个方面）",
                "Items by aspect (top \(shown.count) of \(report.aspects.count))")
            : l.t("跟踪事项按方面统计", "Items by aspect")
        charts.append(
            ReportChart(
                caption: aspectCaption,
                svg: SVGChart.bars(
                    title: aspectCaption,
                    shown.map {
                        SVGChart.Bar(
                            label: $0.aspect, value: Double($0.count),
                            text: "\($0.count)" + l.t("（已验收\($0.accepted)）", " (\($0.accepted) accepted)"))
                    }, color: "#1f4e79"),
                table: ReportTable(
                    caption: l.t("跟踪事项按方面统计", "Items by aspect"),
                    headers: [l.t("方面", "Aspect"), l.t("事项", "Items"), l.t("已验收", "Accepted")],
                    rows: report.aspects.map { [$0.aspect, "\($0.count)", "\($0.accepted)"] }, numeric: [1, 2])))

        // 4. Suggestions by reply category and rating.
        let ratingSeries = [
            SVGChart.Series(name: l.rating("satisfied"), color: ReportColors.satisfied),
            SVGChart.Series(name: l.rating("basically-satisfied"), color: ReportColors.basically),
            SVGChart.Series(name: l.rating("dissatisfied"), color: ReportColors.dissatisfied),
            SVGChart.Series(name: l.rating(nil), color: ReportColors.unrated),
        ]
        let suggestionCaption = l.t("代表建议答复类别与满意度", "Suggestions by reply category and rating")
        charts.append(
            ReportChart(
                caption: suggestionCaption,
                svg: SVGChart.stacked(
                    title: suggestionCaption, series: ratingSeries,
                    report.suggestionCategories.map {
                        SVGChart.Stack(
                            label: l.category($0.category),
                            values: [$0.satisfied, $0.basicallySatisfied, $0.dissatisfied, $0.unrated])
                    }),
                table: ReportTable(
                    caption: suggestionCaption,
                    headers: [l.t("答复类别", "Category"), l.t("合计", "Total")] + ratingSeries.map(\.name),
                    rows: report.suggestionCategories.map {
                        [
                            l.category($0.category), "\($0.total)", "\($0.satisfied)", "\($0.basicallySatisfied)",
                            "\($0.dissatisfied)", "\($0.unrated)",
                        ]
                    }, numeric: Set(1...5))))

        // 5. Monthly activity.
        let monthCaption = l.t("全年工作月度分布", "Activity by month")
        let monthSeries = [
            SVGChart.Series(name: l.t("议题监督活动", "Topic activities"), color: "#1f4e79"),
            SVGChart.Series(name: l.t("议题审议办理环节", "Topic steps"), color: "#9dc3e6"),
            SVGChart.Series(name: l.t("专题询问", "Inquiries"), color: "#ffc000"),
        ]
        let answeredSeries = SVGChart.Series(name: l.t("答复事项", "Items answered"), color: "#c00000")
        let months = report.months
        charts.append(
            ReportChart(
                caption: monthCaption,
                svg: SVGChart.monthly(
                    title: monthCaption, months: months.map { l.month($0.month) },
                    bars: [
                        (monthSeries[0], months.map(\.topicActivities)), (monthSeries[1], months.map(\.topicSteps)),
                        (monthSeries[2], months.map(\.inquiries)),
                    ], line: (answeredSeries, months.map(\.itemsAnswered))),
                table: ReportTable(
                    caption: monthCaption,
                    headers: [l.t("月份", "Month")] + monthSeries.map(\.name)
                        + [answeredSeries.name, l.t("验收事项", "Items accepted"), l.t("答复建议", "Suggestions replied")],
                    rows: months.map {
                        [
                            l.month($0.month), "\($0.topicActivities)", "\($0.topicSteps)", "\($0.inquiries)",
                            "\($0.itemsAnswered)", "\($0.itemsAccepted)", "\($0.suggestionsReplied)",
                        ]
                    }, numeric: Set(1...6)), wide: true))

        let tables = [
            scorecardTable(report.scorecard.lines, l),
            ReportTable(
                caption: l.t("表决", "Votes"),
                headers: [
                    l.t("日期", "Date"), l.t("事项", "Title"), l.t("赞成", "For"), l.t("反对", "Against"),
                    l.t("弃权", "Abstain"), l.t("结果", "Result"),
                ],
                rows: s.votes.resolutions.map {
                    [
                        $0.date, $0.title, "\($0.votesFor)", "\($0.votesAgainst)", "\($0.abstentions)",
                        $0.adopted ? l.t("通过", "adopted") : l.t("未通过", "not adopted"),
                    ]
                }, numeric: [2, 3, 4]),
        ]
        return ReportDocument(
            title: l.t("\(year)年度监督工作报告", "Oversight in \(year): the year in figures"),
            subtitle: l.t("人大常委会监督工作数据年报", "A standing committee's oversight work"),
            stamp: l.stamp(position: report.position, headHash: report.headHash, asOf: report.asOf),
            headline: headline, figures: figures, charts: charts, tables: tables)
    }

    /// Ranks of values already in ranking order: equal values share a rank (1, 1, 3, ...).
    static func sharedRanks(_ values: [Double?]) -> [Int] {
        var ranks: [Int] = []
        for (index, value) in values.enumerated() {
            ranks.append(index > 0 && values[index - 1] == value ? ranks[index - 1] : index + 1)
        }
        return ranks
    }

    /// The department scorecard as a table.
    static func scorecardTable(_ lines: [ReportData.ScorecardLine], _ l: ReportLabels) -> ReportTable {
        ReportTable(
            caption: l.t("部门履职评分卡", "Department scorecard"),
            headers: [
                l.t("名次", "Rank"), l.t("代码", "Code"), l.t("部门", "Department"), l.t("事项", "Items"),
                l.t("牵头", "Lead"), l.t("已答复", "Answered"), l.t("按期", "On time"), l.t("逾期", "Overdue"),
                l.t("已验收", "Accepted"), l.t("重新办理", "Reopened"), l.t("测评", "Evaluations"),
                l.t("最近满意率", "Latest rate"),
            ],
            rows: lines.map {
                [
                    "\($0.rank)", $0.department, $0.name, "\($0.assigned)", "\($0.lead)", "\($0.answered)",
                    "\($0.answeredOnTime)", "\($0.overdue)", "\($0.accepted)", "\($0.reopened)", "\($0.evaluations)",
                    ReportNumber.percent($0.latestRate),
                ]
            }, numeric: [0, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    }

    /// Items as a table.
    static func itemTable(
        _ caption: String, _ items: [ReportData.ItemLine], _ l: ReportLabels, role: Bool = false
    )
        -> ReportTable
    {
        ReportTable(
            caption: caption,
            headers: [
                l.t("编号", "ID"), l.t("来源", "From"), l.t("类别", "Kind"), l.t("方面", "Aspect"),
                l.t("内容", "Text"), l.t("牵头", "Lead"),
            ] + (role ? [l.t("角色", "Role")] : [])
                + [
                    l.t("状态", "State"), l.t("期限", "Due"), l.t("答复", "Answered"), l.t("按期", "On time"),
                    l.t("验收", "Accepted"), l.t("逾期", "Overdue"),
                ],
            rows: items.map { item in
                [item.id, item.parent, l.itemKind(item.kind), item.aspect, item.text, item.lead ?? ""]
                    + (role ? [item.role == "lead" ? l.t("牵头", "lead") : l.t("配合", "co")] : [])
                    + [
                        l.itemState(item.state), item.dueDate ?? "", item.answeredOn ?? "",
                        l.yesNo(item.answeredOnTime), item.acceptedOn ?? "", item.overdue ? l.t("逾期", "overdue") : "",
                    ]
            })
    }

    /// Evaluations as a table.
    static func evaluationTable(_ evaluations: [ReportData.EvaluationLine], _ l: ReportLabels) -> ReportTable {
        ReportTable(
            caption: l.t("满意度测评", "Satisfaction evaluations"),
            headers: [
                l.t("日期", "Date"), l.t("测评对象", "Subject"), l.t("类别", "Kind"), l.t("应到", "Entitled"),
                l.t("实到", "Present"), l.t("满意", "Satisfied"), l.t("基本满意", "Basically"),
                l.t("不满意", "Dissatisfied"), l.t("满意率", "Rate"), l.t("结果", "Verdict"),
            ],
            rows: evaluations.map {
                [
                    $0.date, $0.subject, l.subjectKind($0.subjectKind), "\($0.entitled)", "\($0.present)",
                    "\($0.satisfied)", "\($0.basicallySatisfied)", "\($0.dissatisfied)", ReportNumber.percent($0.rate),
                    l.rating($0.verdict),
                ]
            }, numeric: [3, 4, 5, 6, 7, 8])
    }

    /// Items by state as bars.
    private static func stateChart(_ items: [ReportData.ItemLine], _ l: ReportLabels) -> ReportChart {
        let caption = l.t("事项办理状态", "Items by state")
        let states = ["accepted", "answered", "assigned", "reopened", "open"]
        let counts = states.map { state in items.filter { $0.state == state }.count }
        let overdue = items.filter(\.overdue).count
        return ReportChart(
            caption: caption,
            svg: SVGChart.bars(
                title: caption,
                zip(states, counts).map { SVGChart.Bar(label: l.itemState($0), value: Double($1), text: "\($1)") }
                    + [
                        SVGChart.Bar(label: l.t("其中逾期", "of which overdue"), value: Double(overdue), text: "\(overdue)")
                    ],
                color: ReportColors.answered),
            table: ReportTable(
                caption: caption, headers: [l.t("状态", "State"), l.t("事项", "Items")],
                rows: zip(states, counts).map { [l.itemState($0), "\($1)"] } + [
                    [l.t("其中逾期", "of which overdue"), "\(overdue)"]
                ],
                numeric: [1]))
    }

    /// One department's report.
    static func department(_ report: ReportData.Department, _ l: ReportLabels) -> ReportDocument {
        let line = report.scorecard
        let led = report.suggestions.reduce(0) { $0 + $1.total }
        let headline = [
            l.t(
                "\(report.year)年，\(report.name)承办跟踪事项\(line.assigned)项（牵头\(line.lead)项），已答复\(line.answered)项，"
                    + "其中按期答复\(line.answeredOnTime)项；已验收\(line.accepted)项，重新办理\(line.reopened)次，"
                    + "截至\(report.asOf)逾期\(line.overdue)项；在\(report.departmentsRanked)个部门中排名第\(line.rank)。",
                "In \(report.year), \(report.name) was on \(line.assigned) items (leading \(line.lead)), answered "
                    + "\(line.answered) (\(line.answeredOnTime) on time), had \(line.accepted) accepted and "
                    + "\(line.reopened) reopened, \(line.overdue) overdue on \(report.asOf); rank \(line.rank) of "
                    + "\(report.departmentsRanked)."),
            l.t(
                "满意度测评\(line.evaluations)次，最近一次满意率\(ReportNumber.percent(line.latestRate))；牵头办理代表建议\(led)件。",
                "\(line.evaluations) satisfaction evaluations, latest rate \(ReportNumber.percent(line.latestRate)); "
                    + "leads \(led) deputies' suggestions."),
        ]
        let figures: [(String, String)] = [
            (l.t("排名", "Rank"), "\(line.rank)/\(report.departmentsRanked)"),
            (l.t("承办事项", "Items"), "\(line.assigned)"),
            (l.t("按期答复", "On time"), ReportNumber.percent(line.onTimeShare)),
            (l.t("已验收", "Accepted"), "\(line.accepted)"), (l.t("逾期", "Overdue"), "\(line.overdue)"),
            (l.t("最近满意率", "Latest rate"), ReportNumber.percent(line.latestRate)),
        ]
        let evaluationCaption = l.t("历次满意度测评", "Evaluations over time")
        let evaluationChart = ReportChart(
            caption: evaluationCaption,
            svg: SVGChart.bars(
                title: evaluationCaption,
                report.evaluations.map {
                    SVGChart.Bar(
                        label: "\($0.date) \(l.subjectKind($0.subjectKind))", value: ($0.rate ?? 0) * 100,
                        text: ReportNumber.percent($0.rate))
                }, maximum: 100),
            table: evaluationTable(report.evaluations, l))
        let ratingTable = ReportTable(
            caption: l.t("牵头办理的代表建议", "Suggestions it leads"),
            headers: [
                l.t("答复类别", "Category"), l.t("合计", "Total"), l.rating("satisfied"),
                l.rating("basically-satisfied"), l.rating("dissatisfied"), l.rating(nil),
            ],
            rows: report.suggestions.map {
                [
                    l.category($0.category), "\($0.total)", "\($0.satisfied)", "\($0.basicallySatisfied)",
                    "\($0.dissatisfied)", "\($0.unrated)",
                ]
            }, numeric: Set(1...5))
        return ReportDocument(
            title: l.t("\(report.name)\(report.year)年度监督事项办理报告", "\(report.name): oversight in \(report.year)"),
            subtitle: "\(report.department)",
            stamp: l.stamp(position: report.position, headHash: report.headHash, asOf: report.asOf),
            headline: headline, figures: figures, charts: [stateChart(report.items, l), evaluationChart],
            tables: [
                itemTable(l.t("承办事项", "Items"), report.items, l, role: true), ratingTable,
            ])
    }

    /// One topic's report.
    static func topic(_ report: ReportData.Topic, _ l: ReportLabels) -> ReportDocument {
        let accepted = report.items.filter { $0.state == "accepted" }.count
        var headline = [
            l.t(
                "\(report.title)（\(l.topicKind(report.kind))，\(l.topicStatus(report.status))）：提出问题和意见建议"
                    + "\(report.items.count)项，已验收\(accepted)项；开展专题询问\(report.inquiries.count)次，"
                    + "满意度测评\(report.evaluations.count)次。",
                "\(report.title) (\(l.topicKind(report.kind)), \(l.topicStatus(report.status))): "
                    + "\(report.items.count) items raised, \(accepted) accepted; \(report.inquiries.count) special "
                    + "inquiries, \(report.evaluations.count) evaluations.")
        ]
        if let dueDate = report.dueDate {
            headline.append(l.t("办理情况报告期限：\(dueDate)。", "Handling report due \(dueDate)."))
        }
        let figures: [(String, String)] = [
            (l.t("事项", "Items"), "\(report.items.count)"), (l.t("已验收", "Accepted"), "\(accepted)"),
            (l.t("逾期", "Overdue"), "\(report.items.filter(\.overdue).count)"),
            (l.t("专题询问", "Inquiries"), "\(report.inquiries.count)"),
            (l.t("测评", "Evaluations"), "\(report.evaluations.count)"),
        ]
        let timeline = ReportTable(
            caption: l.t("工作进程", "Timeline"),
            headers: [l.t("日期", "Date"), l.t("环节", "Step"), l.t("摘要", "Summary")],
            rows: report.timeline.map { [$0.date ?? "", l.topicEvent($0.event), $0.summary] })
        let inquiries = ReportTable(
            caption: l.t("专题询问", "Special inquiries"),
            headers: [
                l.t("编号", "ID"), l.t("日期", "Date"), l.t("主题", "Subject"), l.t("轮次", "Rounds"),
                l.t("问题", "Problems"), l.t("涉及部门", "Departments"), l.t("平均满意率", "Mean rate"),
            ],
            rows: report.inquiries.map {
                [
                    $0.id, $0.date, $0.subject, "\($0.rounds)", "\($0.problems)", "\($0.departments)",
                    ReportNumber.percent($0.meanRoundRate),
                ]
            }, numeric: [3, 4, 5, 6])
        return ReportDocument(
            title: "\(report.id) \(report.title)",
            subtitle: [l.topicKind(report.kind), report.committee ?? "", report.departments.joined(separator: " ")]
                .filter { !$0.isEmpty }.joined(separator: " · "),
            stamp: l.stamp(position: report.position, headHash: report.headHash, asOf: report.asOf),
            headline: headline, figures: figures, charts: [stateChart(report.items, l)],
            tables: [
                timeline, inquiries, itemTable(l.t("问题和意见建议", "Items"), report.items, l),
                evaluationTable(report.evaluations, l),
            ])
    }
}
