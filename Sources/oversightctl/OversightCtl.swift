import ArgumentParser

/// The control CLI of oversightd: record oversight work, read the boards, follow and verify the log.
@main
struct OversightCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oversightctl",
        abstract: "Record and read a standing committee's oversight work (talks to oversightd).",
        discussion: """
            Examples:
              oversightctl department add fgw 市发展和改革委员会
              oversightctl topic plan --year 2024 --kind law-inspection --title "创新驱动高质量发展条例执法检查" --department kjj
              oversightctl topic list --year 2024
              oversightctl log follow --after 120
              oversightctl verify
            """,
        version: "0.1.0",
        subcommands: [
            Department.self, Topic.self, Summary.self, Report.self, Inquiry.self, Vote.self, Station.self,
            Evaluation.self,
            Item.self, Suggestion.self, Log.self,
            Verify.self, Audit.self,
            Status.self,
            Admin.self,
        ]
    )
}
