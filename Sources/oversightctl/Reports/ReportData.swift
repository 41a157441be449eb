/// The typed data of `org.oversight.reports` that the report renderers read (decoded from the daemon's reply).
///
/// Each type mirrors a type of the interface file `org.oversight.reports.varlink`; fields the renderers do not
/// use are left out (decoding ignores them).
enum ReportData {
    /// `Count`.
    struct Count: Decodable, Equatable {
        var key: String
        var count: Int
    }

    /// `InquiryLine`.
    struct InquiryLine: Decodable, Equatable {
        var id: String
        var subject: String
        var date: String
        var rounds: Int
        var problems: Int
        var departments: Int
        var meanRoundRate: Double?
    }

    /// `KindLine`.
    struct KindLine: Decodable, Equatable {
        var kind: String
        var count: Int
        var aspects: Int
    }

    /// `DepartmentLine`: a department's latest evaluation.
    struct DepartmentLine: Decodable, Equatable {
        var department: String
        var name: String
        var rate: Double?
        var verdict: String?
        var date: String
    }

    /// `VoteLine`.
    struct VoteLine: Decodable, Equatable {
        var id: String
        var title: String
        var kind: String
        var date: String
        var votesFor: Int
        var votesAgainst: Int
        var abstentions: Int
        var adopted: Bool
    }

    /// `YearSummary`, the parts a report quotes.
    struct Summary: Decodable, Equatable {
        var topics: Topics
        var inquiries: Inquiries
        var items: Items
        var evaluations: Evaluations
        var suggestions: Suggestions
        var votes: Votes
        var stations: Stations

        struct Topics: Decodable, Equatable {
            var total: Int
            var byKind: [Count]
            var byStatus: [Count]
        }

        struct Inquiries: Decodable, Equatable {
            var total: Int
            var rounds: Int
            var list: [InquiryLine]
        }

        struct Items: Decodable, Equatable {
            var total: Int
            var aspects: Int
            var byKind: [KindLine]
            var byState: [Count]
            var accepted: Int
            var resolvedShare: Double
            var overdue: Int
            var onTimeShare: Double?
        }

        struct Evaluations: Decodable, Equatable {
            var total: Int
            var byVerdict: [Count]
            var departmentsEvaluated: Int
            var departments: [DepartmentLine]
        }

        struct Suggestions: Decodable, Equatable {
            var total: Int
            var assigned: Int
            var answered: Int
            var key: Int
            var satisfiedShare: Double?
        }

        struct Votes: Decodable, Equatable {
            var total: Int
            var adopted: Int
            var projectsChosen: Int
            var resolutions: [VoteLine]
        }

        struct Stations: Decodable, Equatable {
            var total: Int
            var receptions: Int
            var peopleReceived: Int
            var itemsCollected: Int
        }
    }

    /// `ScorecardLine`.
    struct ScorecardLine: Decodable, Equatable {
        var rank: Int
        var department: String
        var name: String
        var assigned: Int
        var lead: Int
        var answered: Int
        var answeredOnTime: Int
        var overdue: Int
        var accepted: Int
        var reopened: Int
        var evaluations: Int
        var latestRate: Double?
        var latestVerdict: String?
        var meanRate: Double?
        var onTimeShare: Double?
    }

    /// `DepartmentScorecard`.
    struct Scorecard: Decodable, Equatable {
        var lines: [ScorecardLine]
    }

    /// `Month`.
    struct Month: Decodable, Equatable {
        var month: Int
        var topicActivities: Int
        var topicSteps: Int
        var inquiries: Int
        var itemsAnswered: Int
        var itemsAccepted: Int
        var suggestionsReplied: Int
    }

    /// `DepartmentItems`.
    struct DepartmentItems: Decodable, Equatable {
        var department: String
        var name: String
        var total: Int
        var open: Int
        var assigned: Int
        var answered: Int
        var accepted: Int
        var reopened: Int
        var overdue: Int
    }

    /// `AspectLine`.
    struct AspectLine: Decodable, Equatable {
        var aspect: String
        var count: Int
        var accepted: Int
    }

    /// `CategoryLine`.
    struct CategoryLine: Decodable, Equatable {
        var category: String
        var total: Int
        var satisfied: Int
        var basicallySatisfied: Int
        var dissatisfied: Int
        var unrated: Int
    }

    /// `ItemLine`.
    struct ItemLine: Decodable, Equatable {
        var id: String
        var parent: String
        var parentKind: String
        var kind: String
        var aspect: String
        var text: String
        var lead: String?
        var coDepartments: [String]
        var state: String
        var createdOn: String
        var dueDate: String?
        var answeredOn: String?
        var answeredOnTime: Bool?
        var acceptedOn: String?
        var reopenCount: Int
        var overdue: Bool
        var role: String?
    }

    /// `SuggestionLine`.
    struct SuggestionLine: Decodable, Equatable {
        var id: String
        var session: String
        var number: String
        var title: String
        var leadDeputy: String
        var leadUnit: String?
        var key: Bool
        var state: String
        var submittedOn: String
        var dueDate: String?
        var repliedOn: String?
        var category: String?
        var rating: String?
    }

    /// `EvaluationLine`.
    struct EvaluationLine: Decodable, Equatable {
        var id: String
        var date: String
        var subjectKind: String
        var subject: String
        var department: String?
        var entitled: Int
        var present: Int
        var satisfied: Int
        var basicallySatisfied: Int
        var dissatisfied: Int
        var rate: Double?
        var verdict: String?
    }

    /// `YearReport`.
    struct Year: Decodable, Equatable {
        var year: Int
        var asOf: String
        var position: Int64
        var headHash: String
        var summary: Summary
        var scorecard: Scorecard
        var months: [Month]
        var departmentItems: [DepartmentItems]
        var aspects: [AspectLine]
        var suggestionCategories: [CategoryLine]
        var items: [ItemLine]
        var suggestions: [SuggestionLine]
    }

    /// `DepartmentReport`.
    struct Department: Decodable, Equatable {
        var department: String
        var name: String
        var year: Int
        var asOf: String
        var position: Int64
        var headHash: String
        var scorecard: ScorecardLine
        var departmentsRanked: Int
        var items: [ItemLine]
        var evaluations: [EvaluationLine]
        var suggestions: [CategoryLine]
    }

    /// `TopicStep`.
    struct TopicStep: Decodable, Equatable {
        var event: String
        var date: String?
        var summary: String
    }

    /// `TopicReport`.
    struct Topic: Decodable, Equatable {
        var id: String
        var title: String
        var year: Int
        var kind: String
        var status: String
        var committee: String?
        var departments: [String]
        var dueDate: String?
        var asOf: String
        var position: Int64
        var headHash: String
        var timeline: [TopicStep]
        var inquiries: [InquiryLine]
        var items: [ItemLine]
        var evaluations: [EvaluationLine]
    }
}
