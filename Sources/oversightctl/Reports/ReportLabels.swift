import ArgumentParser

/// The language a report is written in: Chinese (the default, as the committee publishes) or English.
enum ReportLanguage: String, ExpressibleByArgument, CaseIterable {
    case zh
    case en
}

/// Every word a report prints, in the report's language.
struct ReportLabels {
    let language: ReportLanguage

    /// `zh` or `en` text, whichever the report is written in.
    func t(_ zh: String, _ en: String) -> String {
        language == .zh ? zh : en
    }

    /// The HTML `lang` attribute.
    var htmlLanguage: String { t("zh-CN", "en") }

    /// "Log position N · head hash H": stamped on every report so its figures can be checked against the log.
    func stamp(position: Int64, headHash: String, asOf: String) -> String {
        let hash = headHash.isEmpty ? t("（空日志）", "(empty log)") : headHash
        return t(
            "数据截至日志位置 \(position) · 头哈希 \(hash) · 逾期统计日 \(asOf)",
            "Figures read at log position \(position) · head hash \(hash) · overdue as of \(asOf)")
    }

    /// A tracked item's state.
    func itemState(_ state: String) -> String {
        switch state {
        case "open": t("待交办", "open")
        case "assigned": t("办理中", "assigned")
        case "answered": t("已答复", "answered")
        case "accepted": t("已验收", "accepted")
        case "reopened": t("重新办理", "reopened")
        default: state
        }
    }

    /// A tracked item's kind.
    func itemKind(_ kind: String) -> String {
        switch kind {
        case "problem": t("问题", "problem")
        case "recommendation": t("意见建议", "recommendation")
        case "opinion": t("审议意见", "opinion")
        default: kind
        }
    }

    /// A topic's kind.
    func topicKind(_ kind: String) -> String {
        switch kind {
        case "work-report": t("工作报告", "work report")
        case "law-inspection": t("执法检查", "law inspection")
        case "budget": t("预决算审查", "budget review")
        case "research": t("专题调研", "research")
        case "inquiry": t("专题询问", "inquiry")
        case "follow-up": t("跟踪监督", "follow-up")
        case "linked-supervision": t("联动监督", "linked supervision")
        default: kind
        }
    }

    /// A topic's status.
    func topicStatus(_ status: String) -> String {
        switch status {
        case "planned": t("已立项", "planned")
        case "under-way": t("进行中", "under way")
        case "deliberated": t("已审议", "deliberated")
        case "opinions-transferred": t("审议意见已交办", "opinions transferred")
        case "handling-reported": t("已报告办理情况", "handling reported")
        case "closed": t("已办结", "closed")
        default: status
        }
    }

    /// A topic timeline event.
    func topicEvent(_ event: String) -> String {
        switch event {
        case "TopicPlanned": t("立项", "planned")
        case "TopicActivityRecorded": t("监督活动", "activity")
        case "TopicDeliberated": t("常委会审议", "deliberated")
        case "TopicOpinionsTransferred": t("交办审议意见", "opinions transferred")
        case "TopicHandlingReported": t("报告办理情况", "handling reported")
        case "TopicSentBack": t("退回重新办理", "sent back")
        case "TopicClosed": t("办结", "closed")
        default: event
        }
    }

    /// A rating or verdict.
    func rating(_ rating: String?) -> String {
        switch rating {
        case "satisfied": t("满意", "satisfied")
        case "basically-satisfied": t("基本满意", "basically satisfied")
        case "dissatisfied": t("不满意", "dissatisfied")
        case nil: t("未评价", "not rated")
        case let other?: other
        }
    }

    /// An evaluation's subject kind.
    func subjectKind(_ kind: String) -> String {
        switch kind {
        case "department": t("部门工作", "department")
        case "inquiry-round": t("专题询问应询", "inquiry round")
        case "handling-report": t("办理情况报告", "handling report")
        case "suggestion-reply": t("建议答复", "suggestion reply")
        default: kind
        }
    }

    /// A suggestion's state.
    func suggestionState(_ state: String) -> String {
        switch state {
        case "unassigned": t("待交办", "unassigned")
        case "assigned": t("办理中", "assigned")
        case "replied": t("已答复", "replied")
        case "rated": t("已评价", "rated")
        case "rehandling": t("重新办理", "re-handling")
        case "closed": t("已办结", "closed")
        default: state
        }
    }

    /// A reply category letter, "-" meaning not replied.
    func category(_ letter: String) -> String {
        letter == "-" ? t("未答复", "not replied") : t("\(letter)类", "category \(letter)")
    }

    /// A month, 1 to 12.
    func month(_ month: Int) -> String {
        t(
            "\(month)月",
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][(month - 1) % 12])
    }

    /// Yes or no.
    func yesNo(_ value: Bool?) -> String {
        switch value {
        case true?: t("是", "yes")
        case false?: t("否", "no")
        case nil: ""
        }
    }
}

/// Number formatting shared by every renderer: fixed, locale-free, so the output is the same on every machine.
enum ReportNumber {
    /// "96.9%" (one decimal), or "–" for nil.
    static func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
