import OversightDomain

extension Suggestion.Error: ReasonCoded {
    /// A stable key for the refusal, sent as `Rejected.reason`.
    var reason: String {
        switch self {
        case .notSubmitted: "notSubmitted"
        case .alreadySubmitted: "alreadySubmitted"
        case .alreadyClosed: "alreadyClosed"
        case .wrongStatus: "wrongStatus"
        case .notAssigned: "notAssigned"
        case .notReplied: "notReplied"
        case .alreadyReplied: "alreadyReplied"
        case .alreadyRated: "alreadyRated"
        case .yearOutOfRange: "yearOutOfRange"
        case .idYearMismatch: "idYearMismatch"
        case .emptyField: "emptyField"
        case .textTooLong: "textTooLong"
        case .invalidNumber: "invalidNumber"
        case .duplicateNumber: "duplicateNumber"
        case .duplicateCoSigner: "duplicateCoSigner"
        case .coSignerIsLeadDeputy: "coSignerIsLeadDeputy"
        case .unknownDepartment: "unknownDepartment"
        case .duplicateDepartment: "duplicateDepartment"
        case .notAnAssignedUnit: "notAnAssignedUnit"
        case .returnTooLate: "returnTooLate"
        case .unknownCategory: "unknownCategory"
        case .reasonRequired: "reasonRequired"
        case .noCategoryListInForce: "noCategoryListInForce"
        case .keyUnchanged: "keyUnchanged"
        case .dateInFuture: "dateInFuture"
        case .dateBeforePreviousStep: "dateBeforePreviousStep"
        }
    }
}

extension SuggestionCategories.Error: ReasonCoded {
    /// A stable key for the refusal, sent as `Rejected.reason`.
    var reason: String {
        switch self {
        case .noCategories: "noCategories"
        case .tooManyCategories: "tooManyCategories"
        case .invalidLetter: "invalidLetter"
        case .duplicateLetter: "duplicateLetter"
        case .emptyMeaning: "emptyMeaning"
        case .meaningTooLong: "meaningTooLong"
        case .effectiveBeforePrevious: "effectiveBeforePrevious"
        case .unchanged: "categoriesUnchanged"
        }
    }
}
