import ArgumentParser
import Foundation
import Varlink

extension OversightCtl {
    /// `oversightctl station …`: deputies' liaison stations and their reception days.
    struct Station: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register liaison stations (代表联络站), record reception days, list them.",
            discussion: """
                Problems and suggestions a station collects are tracked items whose parent is the station's id \
                (L2024-001). Dates are YYYY-MM-DD; --date defaults to today.
                """,
            subcommands: [
                Register.self, Reception.self, Rename.self, Relocate.self, Close.self, List.self, Show.self,
            ]
        )
    }
}

/// Sends a station command and prints the station's new state.
func runStationCommand(
    _ options: GlobalOptions, method: String, parameters: [String: JSONValue], verb: String
) async throws {
    guard let reply = try await DaemonConnection.request(options, "org.oversight.stations.\(method)", parameters) else {
        return
    }
    let station = reply["station"]
    CLIOutput.line(
        "\(verb) \(station?["id"]?.stringValue ?? "?") \(station?["name"]?.stringValue ?? ""): "
            + "\(station?["receptions"]?.intValue ?? 0) receptions, \(station?["peopleReceived"]?.intValue ?? 0) "
            + "people received, \(station?["state"]?.stringValue ?? "?") (log position "
            + "\(reply["position"]?.intValue ?? 0))")
}

extension OversightCtl.Station {
    /// `station register`.
    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a liaison station; prints its id.",
            discussion: "Example: oversightctl station register --name 垭口街道人大代表联络站 --place 舞钢市 --date 2024-01-10"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Option(help: "The station's name.") var name: String
        @Option(help: "Where it is: the county or district, e.g. 舞钢市.") var place: String
        @Option(help: "Day registered (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "A note, such as the address.") var note: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "name": .string(name), "place": .string(place), "date": .string(date ?? todayString()),
                "commandId": .string(commandID.value),
            ]
            parameters["note"] = note.map(JSONValue.string)
            guard let reply = try await DaemonConnection.request(options, "org.oversight.stations.Register", parameters)
            else { return }
            CLIOutput.line(reply["station"]?["id"]?.stringValue ?? "?")
        }
    }

    /// `station reception`.
    struct Reception: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a reception day (接待日): people received, deputies present.",
            discussion:
                "Example: oversightctl station reception L2024-001 --date 2024-03-15 --people 12 --deputy 李华 --deputy 王芳"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Station id, e.g. L2024-001.") var id: String
        @Option(help: "Day of the reception (YYYY-MM-DD; default today).") var date: String?
        @Option(name: .customLong("people"), help: "Number of people received.") var peopleReceived: Int
        @Option(name: .customLong("deputy"), help: ArgumentHelp("A deputy present (repeat).", valueName: "name"))
        var deputies: [String] = []
        @Option(help: "A note, e.g. what was raised.") var note: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()),
                "peopleReceived": .int(Int64(peopleReceived)), "deputies": .array(deputies.map(JSONValue.string)),
                "commandId": .string(commandID.value),
            ]
            parameters["note"] = note.map(JSONValue.string)
            try await runStationCommand(
                options, method: "RecordReception", parameters: parameters, verb: "Recorded a reception at")
        }
    }

    /// `station rename`.
    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a station a new name.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Station id.") var id: String
        @Option(help: "The new name.") var name: String
        @Option(help: "Day of the change (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            let parameters: [String: JSONValue] = [
                "id": .string(id), "name": .string(name), "date": .string(date ?? todayString()),
                "commandId": .string(commandID.value),
            ]
            try await runStationCommand(options, method: "Rename", parameters: parameters, verb: "Renamed")
        }
    }

    /// `station relocate`.
    struct Relocate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a station to another place.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Station id.") var id: String
        @Option(help: "The new place (county or district).") var place: String
        @Option(help: "Day of the move (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            let parameters: [String: JSONValue] = [
                "id": .string(id), "place": .string(place), "date": .string(date ?? todayString()),
                "commandId": .string(commandID.value),
            ]
            try await runStationCommand(options, method: "Relocate", parameters: parameters, verb: "Relocated")
        }
    }

    /// `station close`.
    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a station.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Station id.") var id: String
        @Option(help: "Day closed (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "A closing note.") var note: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "commandId": .string(commandID.value),
            ]
            parameters["note"] = note.map(JSONValue.string)
            try await runStationCommand(options, method: "Close", parameters: parameters, verb: "Closed")
        }
    }

    /// `station list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The liaison stations with their receptions.",
            discussion: "Example: oversightctl station list --place 舞钢市"
        )

        @OptionGroup var options: GlobalOptions
        @Option(help: "Only stations at this place.") var place: String?
        @Option(help: "Only open or closed stations.") var state: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [:]
            parameters["place"] = place.map(JSONValue.string)
            parameters["state"] = state.map(JSONValue.string)
            guard let reply = try await DaemonConnection.request(options, "org.oversight.stations.List", parameters)
            else { return }
            var table = TextTable(
                headers: ["ID", "NAME", "PLACE", "REGISTERED", "RECEPTIONS", "PEOPLE", "LAST", "STATE"])
            table.rows = (reply["stations"]?.arrayValue ?? []).map { station in
                [
                    station["id"]?.stringValue ?? "", station["name"]?.stringValue ?? "",
                    station["place"]?.stringValue ?? "", station["registeredOn"]?.stringValue ?? "",
                    String(station["receptions"]?.intValue ?? 0), String(station["peopleReceived"]?.intValue ?? 0),
                    station["lastReception"]?.stringValue ?? "-", station["state"]?.stringValue ?? "",
                ]
            }
            CLIOutput.line(table.render())
            let total = reply["total"]?.intValue ?? 0
            CLIOutput.line(
                "\(total) station\(total == 1 ? "" : "s"), \(reply["receptions"]?.intValue ?? 0) receptions, "
                    + "\(reply["peopleReceived"]?.intValue ?? 0) people received")
        }
    }

    /// `station show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One station with its reception days.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Station id.") var id: String

        func run() async throws {
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.stations.Show", ["id": .string(id)])
            else { return }
            guard let station = reply["station"] else { return }
            let fields: [(String, String?)] = [
                ("Station", station["id"]?.stringValue), ("Name", station["name"]?.stringValue),
                ("Place", station["place"]?.stringValue), ("Registered", station["registeredOn"]?.stringValue),
                ("State", station["state"]?.stringValue), ("Closed", station["closedOn"]?.stringValue),
                ("Receptions", station["receptions"]?.intValue.map(String.init)),
                ("People", station["peopleReceived"]?.intValue.map(String.init)),
                ("Note", station["note"]?.stringValue),
            ]
            var block = TextTable(headers: ["", ""])
            block.maximumCellWidth = 100
            block.showsHeaders = false
            block.rows = fields.compactMap { label, value in
                guard let value, !value.isEmpty else { return nil }
                return [label + ":", value]
            }
            CLIOutput.line(block.render())
            CLIOutput.line("")
            var receptions = TextTable(headers: ["DATE", "PEOPLE", "DEPUTIES", "NOTE"])
            receptions.maximumCellWidth = 60
            receptions.rows = (reply["receptions"]?.arrayValue ?? []).map { reception in
                [
                    reception["date"]?.stringValue ?? "", String(reception["peopleReceived"]?.intValue ?? 0),
                    (reception["deputies"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "、"),
                    reception["note"]?.stringValue ?? "",
                ]
            }
            CLIOutput.line(receptions.render())
        }
    }
}
