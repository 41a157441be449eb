import OversightDomain

extension Evaluation.Error: ReasonCoded {
    /// A stable key for the refusal, sent as `Rejected.reason`.
    var reason: String {
        switch self {
        case .notRecorded: "notRecorded"
        case .alreadyExists: "evaluationExists"
        case .alreadyClosed: "alreadyClosed"
        case .yearOutOfRange: "yearOutOfRange"
        case .idYearMismatch: "idYearMismatch"
        case .dateInFuture: "dateInFuture"
        case .closedBeforeOpened: "closedBeforeOpened"
        case .unknownDepartment: "unknownDepartment"
        case .invalidRound: "invalidRound"
        case .entitledOutOfRange: "entitledOutOfRange"
        case .negativeCount: "negativeCount"
        case .presentExceedsEntitled: "presentExceedsEntitled"
        case .tallyDoesNotAddUp: "tallyDoesNotAddUp"
        case .noQuorum: "noQuorum"
        case .tooManyBallots: "tooManyBallots"
        case .ballotsMissing: "ballotsMissing"
        case .textTooLong: "textTooLong"
        case .inquiryNotFound: "inquiryNotFound"
        case .inquiryRoundNotRecorded: "inquiryRoundNotRecorded"
        case .roundAlreadyEvaluated: "roundAlreadyEvaluated"
        case .roundAnsweredByAnotherDepartment: "roundAnsweredByAnotherDepartment"
        case .handlingReportAlreadyEvaluated: "handlingReportAlreadyEvaluated"
        case .topicNotFound: "topicNotFound"
        case .handlingReportNotPending: "handlingReportNotPending"
        case .dateBeforeHandlingReport: "dateBeforeHandlingReport"
        case .suggestionNotFound: "suggestionNotFound"
        case .suggestionNotReplied: "suggestionNotReplied"
        case .reRectificationNotApplicable: "reRectificationNotApplicable"
        case .reRectificationDueNotAfterDate: "reRectificationDueNotAfterDate"
        }
    }
}
