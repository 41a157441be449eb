import OversightDomain

extension Department.Error: ReasonCoded {
    /// A stable key for the refusal, sent as `Rejected.reason`.
    var reason: String {
        switch self {
        case .alreadyExists: "departmentExists"
        case .notFound: "departmentNotFound"
        case .emptyName: "emptyName"
        case .nameTooLong: "nameTooLong"
        case .nameUnchanged: "nameUnchanged"
        }
    }
}

extension Topic.Error: ReasonCoded {
    /// A stable key for the refusal, sent as `Rejected.reason`.
    var reason: String {
        switch self {
        case .notPlanned: "notPlanned"
        case .alreadyPlanned: "alreadyPlanned"
        case .alreadyClosed: "alreadyClosed"
        case .wrongStatus: "wrongStatus"
        case .yearOutOfRange: "yearOutOfRange"
        case .idYearMismatch: "idYearMismatch"
        case .emptyTitle: "emptyTitle"
        case .textTooLong: "textTooLong"
        case .unknownDepartment: "unknownDepartment"
        case .duplicateDepartment: "duplicateDepartment"
        case .dateInFuture: "dateInFuture"
        case .dateBeforePlanYear: "dateBeforePlanYear"
        case .dateBeforePreviousStep: "dateBeforePreviousStep"
        case .dueDateNotAfterDate: "dueDateNotAfterDate"
        case .emptyReason: "emptyReason"
        case .invalidSessionNumber: "invalidSessionNumber"
        case .invalidTerm: "invalidTerm"
        case .negativePeopleMet: "negativePeopleMet"
        }
    }
}
