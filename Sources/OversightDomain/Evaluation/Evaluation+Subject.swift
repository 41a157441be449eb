extension Evaluation {
    /// What the log holds about an evaluation's subject, gathered by the caller in the command's transaction.
    public enum SubjectFinding: Sendable, Equatable {
        /// A department: its registration is checked through ``DecisionContext/knownDepartments``.
        case department
        /// The inquiry's stream: whether it has any event, the numbers of its recorded rounds, each round's
        /// answering department, and the rounds that already have an evaluation.
        case inquiry(
            exists: Bool, rounds: Set<Int>, departments: [Int: DepartmentCode] = [:], evaluated: Set<Int> = [])
        /// The topic, folded from its stream, and whether its current handling report already has an evaluation.
        case topic(Topic.State, alreadyEvaluated: Bool = false)
        /// The suggestion's stream: whether it has any event, and whether it holds a reply.
        case suggestion(exists: Bool, replied: Bool)
    }

    /// Checks that the subject of a new evaluation dated `date` is there to be evaluated.
    ///
    /// An inquiry round must be recorded, not evaluated yet (one on-the-spot evaluation per round), and the
    /// department named, if any, must be the one that answered it; a topic must be handling-reported (its report
    /// received and not yet evaluated), with the report dated on or before the evaluation; a suggestion must have
    /// a reply. A finding of
    /// another kind than the subject (a caller's mistake) is treated as "not found".
    ///
    /// - Throws: ``Error/inquiryNotFound(_:)``, ``Error/inquiryRoundNotRecorded(_:round:)``,
    ///   ``Error/topicNotFound(_:)``, ``Error/handlingReportNotPending(_:status:)``,
    ///   ``Error/dateBeforeHandlingReport(_:reported:)``, ``Error/suggestionNotFound(_:)`` or
    ///   ``Error/suggestionNotReplied(_:)``.
    public static func checkSubject(_ subject: Subject, date: LocalDate, found: SubjectFinding) throws(Error) {
        switch subject {
        case .department:
            return
        case .inquiryRound(let id, let round, let department):
            guard case .inquiry(let exists, let rounds, let departments, let evaluated) = found, exists else {
                throw .inquiryNotFound(id)
            }
            guard rounds.contains(round) else { throw .inquiryRoundNotRecorded(id, round: round) }
            guard !evaluated.contains(round) else { throw .roundAlreadyEvaluated(id, round: round) }
            if let department, let answered = departments[round], answered != department {
                throw .roundAnsweredByAnotherDepartment(id, round: round, answered: answered, given: department)
            }
        case .handlingReport(let id):
            guard case .topic(.existing(let topic), let alreadyEvaluated) = found else { throw .topicNotFound(id) }
            guard topic.status == .handlingReported else { throw .handlingReportNotPending(id, status: topic.status) }
            guard !alreadyEvaluated else { throw .handlingReportAlreadyEvaluated(id) }
            if let reported = topic.lastStepDate, date < reported {
                throw .dateBeforeHandlingReport(date, reported: reported)
            }
        case .suggestionReply(let id, _):
            guard case .suggestion(let exists, let replied) = found, exists else { throw .suggestionNotFound(id) }
            guard replied else { throw .suggestionNotReplied(id) }
        }
    }

    /// The topic command that a decided evaluation calls for: a failed (dissatisfied) handling-report evaluation
    /// sends the topic back for re-rectification (限期整改、再次报告); anything else calls for none.
    ///
    /// - Parameters:
    ///   - event: The evaluation's new event (`recorded` or `closed`; other events call for nothing).
    ///   - evaluation: The evaluation's state before `event` (needed for `closed`, which carries no subject).
    ///   - reRectificationDueDate: The due date the clerk gave, if any.
    /// - Returns: The topic and a `sendBack` dated on the verdict's day, due on `reRectificationDueDate` or
    ///   ``reRectificationDays`` later, with the reason "满意度测评未通过 (<evaluation id>)"; or `nil`.
    public static func topicConsequence(
        of event: Event, after evaluation: State, reRectificationDueDate: LocalDate?
    ) -> (topic: TopicID, command: Topic.Command)? {
        let failed: (id: EvaluationID, subject: Subject, date: LocalDate)
        switch (event, evaluation) {
        case (.recorded(let id, let record, .dissatisfied), _):
            failed = (id, record.subject, record.date)
        case (.closed(let date, _, .dissatisfied), .existing(let snapshot)):
            failed = (snapshot.id, snapshot.subject, date)
        default:
            return nil
        }
        let (id, subject, date) = failed
        guard case .handlingReport(let topic) = subject else { return nil }
        let dueDate = reRectificationDueDate ?? date.adding(days: reRectificationDays)
        return (topic, .sendBack(date: date, dueDate: dueDate, reason: "满意度测评未通过 (\(id.rawValue))"))
    }
}
