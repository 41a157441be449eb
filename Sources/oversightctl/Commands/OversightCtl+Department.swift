import ArgumentParser
import Varlink

extension OversightCtl {
    /// `oversightctl department …`: the government departments under supervision.
    struct Department: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register and list government departments.",
            subcommands: [Add.self, Rename.self, List.self, Scorecard.self]
        )
    }
}

extension OversightCtl.Department {
    /// `department add CODE NAME`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a department.",
            discussion: "Example: oversightctl department add fgw 市发展和改革委员会"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: ArgumentHelp("Short code: a lowercase letter, then letters, digits or '-'.", valueName: "code"))
        var code: String
        @Argument(help: ArgumentHelp("Full name of the department.", valueName: "name"))
        var name: String

        func run() async throws {
            try await runDepartmentCommand(options, "Add", code: code, name: name, commandID: commandID.value) {
                "Added department \(code) \(name) (log position \($0))"
            }
        }
    }

    /// `department rename CODE NAME`.
    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a department's name (its code stays).")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: ArgumentHelp("The department's code.", valueName: "code"))
        var code: String
        @Argument(help: ArgumentHelp("The new full name.", valueName: "name"))
        var name: String

        func run() async throws {
            try await runDepartmentCommand(options, "Rename", code: code, name: name, commandID: commandID.value) {
                "Renamed department \(code) to \(name) (log position \($0))"
            }
        }
    }

    /// `department list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered departments.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            guard let reply = try await DaemonConnection.request(options, "org.oversight.departments.List") else {
                return
            }
            let departments = reply["departments"]?.arrayValue ?? []
            var table = TextTable(headers: ["CODE", "NAME"])
            table.rows = departments.map { [$0["code"]?.stringValue ?? "", $0["name"]?.stringValue ?? ""] }
            CLIOutput.line(table.render())
            CLIOutput.line("\(departments.count) department\(departments.count == 1 ? "" : "s")")
        }
    }
}

/// Sends `Add` or `Rename` and prints the outcome (`describe` gets the log position).
private func runDepartmentCommand(
    _ options: GlobalOptions, _ method: String, code: String, name: String, commandID: String,
    describe: (Int64) -> String
) async throws {
    guard
        let reply = try await DaemonConnection.request(
            options, "org.oversight.departments.\(method)",
            ["code": .string(code), "name": .string(name), "commandId": .string(commandID)])
    else { return }
    CLIOutput.line(describe(reply["position"]?.intValue ?? 0))
}
