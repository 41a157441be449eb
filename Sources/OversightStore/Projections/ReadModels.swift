/// Every read model the daemon keeps, in the order they are applied to each event.
///
/// The daemon, the rebuild and the tests all take this list, so a new read model is registered in one place.
public enum ReadModels {
    /// A fresh instance of every projection.
    public static var all: [any Projection] {
        [
            DepartmentListProjection(), TopicBoardProjection(), MerkleBlockProjection(), InquiryRecordProjection(),
            VoteBoardProjection(),
            EvaluationBoardProjection(), ItemBoardProjection(), SuggestionBoardProjection(), StationListProjection(),
        ]
    }
}
