import OversightDomain

extension Item.Error: ReasonCoded {
    /// A stable key for the refusal, sent as `Rejected.reason`.
    var reason: String {
        switch self {
        case .notAdded: "notAdded"
        case .alreadyAdded: "alreadyAdded"
        case .alreadyAccepted: "alreadyAccepted"
        case .notAnswered: "notAnswered"
        case .wrongState: "wrongState"
        case .yearOutOfRange: "yearOutOfRange"
        case .idYearMismatch: "idYearMismatch"
        case .empty: "emptyText"
        case .textTooLong: "textTooLong"
        case .unknownDepartment: "unknownDepartment"
        case .duplicateDepartment: "duplicateDepartment"
        case .leadAlsoCo: "leadAlsoCo"
        case .coWithoutLead: "coWithoutLead"
        case .departmentNotOnItem: "departmentNotOnItem"
        case .reasonRequired: "reasonRequired"
        case .dateInFuture: "dateInFuture"
        case .dateBeforeCreated: "dateBeforeCreated"
        case .dateBeforePreviousStep: "dateBeforePreviousStep"
        case .dueDateNotAfterDate: "dueDateNotAfterDate"
        case .dueDateRequired: "dueDateRequired"
        case .dueDateInForce: "dueDateInForce"
        case .noDueDate: "noDueDate"
        case .dueDateUnchanged: "dueDateUnchanged"
        case .escalationOutOfOrder: "escalationOutOfOrder"
        case .escalationRepeated: "escalationRepeated"
        case .escalationFinished: "escalationFinished"
        case .dueDateNotAllowed: "dueDateNotAllowed"
        case .leaderNotAllowed: "leaderNotAllowed"
        }
    }
}
