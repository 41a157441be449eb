import GRDB
import NIOPosix
import OversightStore
import Varlink

/// Runs read-model queries on a small thread pool, off the event loops, on the log's read-only connections.
///
/// Reads never wait for the writer (WAL), and a query sent after a command's reply sees that command.
struct QueryRunner: Sendable {
    let reader: any DatabaseReader
    let threadPool: NIOThreadPool

    /// Runs `query` in one read transaction and answers `responder` with its result, or with the mapped error.
    func answer(
        _ call: VarlinkCall, _ responder: VarlinkResponder,
        _ query: @escaping @Sendable (Database) throws -> [String: JSONValue]
    ) {
        let reader = self.reader
        run(call, responder) { try reader.read { db in try query(db) } }
    }

    /// Runs `work` (which opens its own reads) on the pool and answers `responder`.
    func run(
        _ call: VarlinkCall, _ responder: VarlinkResponder,
        _ work: @escaping @Sendable () throws -> [String: JSONValue]
    ) {
        let interface = call.interface
        threadPool.submit { state in
            guard case .active = state else {
                responder.fail(ErrorMapping.varlinkError(WriterError.stopping, interface: interface))
                return
            }
            do {
                responder.reply(try work())
            } catch {
                responder.fail(ErrorMapping.varlinkError(error, interface: interface))
            }
        }
    }
}
