import Foundation
import Varlink

/// Loads the product's `.varlink` files, shipped as resources and served verbatim.
enum InterfaceResources {
    /// Why an interface file could not be loaded.
    enum LoadError: Error, CustomStringConvertible {
        /// The resource is missing from the bundle.
        case missing(String)

        var description: String {
            switch self {
            case .missing(let name): "the interface file \(name).varlink is missing from the installation"
            }
        }
    }

    /// The parsed interface named `name`, such as `org.oversight.topics`.
    static func load(_ name: String) throws -> VarlinkInterface {
        guard
            let url = Bundle.module.url(forResource: name, withExtension: "varlink", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: name, withExtension: "varlink")
        else { throw LoadError.missing(name) }
        return try VarlinkInterface(description: String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }
}
