/// A type of the varlink IDL (VARLINK.md §4.2).
indirect enum VarlinkType: Sendable, Equatable {
    case bool, int, float, string, object
    /// A reference to a `type` alias of the same interface.
    case named(String)
    /// An anonymous struct; `(` `)` is the empty struct used for string sets.
    case structure([VarlinkField])
    /// An enum: its values are JSON strings.
    case enumeration([String])
    /// `[]T`.
    case array(VarlinkType)
    /// `[string]T`.
    case map(VarlinkType)
    /// `?T`: the value may be `null` or absent.
    case optional(VarlinkType)
}

/// One field of a struct: a name and a type.
struct VarlinkField: Sendable, Equatable {
    var name: String
    var type: VarlinkType
}

/// A method's signature as declared in the IDL.
struct VarlinkMethod: Sendable, Equatable {
    var name: String
    var input: [VarlinkField]
    var output: [VarlinkField]
    /// Whether the comment block right above it holds `[Requires 'more' flag]`.
    var requiresMore: Bool
}
